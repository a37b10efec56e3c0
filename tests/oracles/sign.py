"""Signing oracle: the official Python SDK computes the Authorization header.

Reads JSON lines from stdin, each an object with secret_id, secret_key, token (or null),
host, service, action, version, region, timestamp (unix seconds), body (the exact
request body as a string) and unsigned_payload (the profile's `unsignedPayload`), and prints one Authorization header value per line, in order.

It drives `AbstractClient._build_req_with_tc3_signature` of tencentcloud-sdk-python-common
(the code every official Python client signs with) rather than re-implementing TC3. That
method takes the time from `time.time()` and the body from `json.dumps(params)`, so both are
substituted, for this process only, to feed it the given timestamp and the exact bytes the
Rust SDK sends.
"""

import json
import sys

from tencentcloud.common import abstract_client
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.http.request import RequestInternal
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile


class _RawBody(str):
    """A request body that must be sent as is, not re-serialised."""


class _Json:
    """Stands in for the `json` module inside abstract_client."""

    def __getattr__(self, name):
        return getattr(json, name)

    @staticmethod
    def dumps(value, *args, **kwargs):
        if isinstance(value, _RawBody):
            return str(value)
        return json.dumps(value, *args, **kwargs)


class _Clock:
    """Stands in for the `time` module inside abstract_client."""

    now = 0

    def time(self):
        return self.now


def authorization(case, clock):
    class Client(AbstractClient):
        _service = case["service"]
        _apiVersion = case["version"]

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=case["host"]), language="en-US")
    profile.unsignedPayload = case.get("unsigned_payload", False)
    credential = Credential(case["secret_id"], case["secret_key"], case.get("token"))
    client = Client(credential, case["region"], profile)
    req = RequestInternal(case["host"], "POST", "/")
    clock.now = case["timestamp"]
    client._build_req_with_tc3_signature(case["action"], _RawBody(case["body"]), req)
    return req.header["Authorization"]


def main():
    clock = _Clock()
    abstract_client.json = _Json()
    abstract_client.time = clock
    # Bytes in and out, so the locale's encoding cannot alter non-ASCII input. Split on
    # "\n" only: str.splitlines() also splits inside strings holding U+2028 and friends,
    # which JSON leaves unescaped.
    out = []
    for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
        if line.strip():
            out.append(authorization(json.loads(line), clock))
    sys.stdout.buffer.write("".join(value + "\n" for value in out).encode("utf-8"))


if __name__ == "__main__":
    main()
