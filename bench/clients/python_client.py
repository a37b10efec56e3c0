"""The official Python SDK client of `cargo xtask bench e2e`.

usage: python_client.py <port> <warm-up calls> <calls> <concurrency>

Calls ReleasePublicIp through tencentcloud-sdk-python-edgezone's EdgezoneClient against the
loopback server, from `concurrency` threads, each with its own client (the SDK's clients hold
a requests.Session, which is not meant to be shared between threads). Prints the one JSON line
every bench client prints (see xtask/src/bench.rs).
"""

import itertools
import json
import math
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.edgezone.v20260401 import edgezone_client, models

SECRET_ID = "AKIDbenchbenchbenchbenchbenchbench"
SECRET_KEY = "benchbenchbenchbenchbenchbench00"


def make_client(port):
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=f"127.0.0.1:{port}"))
    return edgezone_client.EdgezoneClient(Credential(SECRET_ID, SECRET_KEY), "ap-singapore", profile)


def call(client):
    request = models.ReleasePublicIpRequest()
    request.NetworkInstanceId = "epn-dfghjkl"
    request.Type = "ipv4"
    request.IpList = ["226.10.12.3", "226.10.12.4"]
    client.ReleasePublicIp(request)


def drive(pool, clients, calls):
    """Makes `calls` calls spread over the clients' threads; returns each call's latency."""
    counter = itertools.count()  # next() on it is atomic under the GIL
    latencies = []

    def worker(client):
        while next(counter) < calls:
            start = time.perf_counter()
            call(client)
            latencies.append(time.perf_counter() - start)

    for future in [pool.submit(worker, client) for client in clients]:
        future.result()  # re-raises a failed call
    return latencies


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile_ms(ordered, quantile):
    """Nearest rank, as the other bench clients compute it."""
    rank = min(max(math.ceil(quantile * len(ordered)), 1), len(ordered))
    return ordered[rank - 1] * 1e3


def main():
    port, warm_up, calls, concurrency = (int(arg) for arg in sys.argv[1:5])
    clients = [make_client(port) for _ in range(concurrency)]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        drive(pool, clients, warm_up)
        cpu_before, start = cpu_seconds(), time.perf_counter()
        latencies = drive(pool, clients, calls)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_before
    latencies.sort()
    print(json.dumps({
        "calls": len(latencies),
        "seconds": seconds,
        "p50_ms": percentile_ms(latencies, 0.50),
        "p99_ms": percentile_ms(latencies, 0.99),
        "cpu_seconds": cpu,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
