"""Raw-body oracle: the official Python SDK's `AbstractClient.call_octet_stream`.

Reads JSON lines from stdin, each an object with secret_id, secret_key, token (or null),
host, service, version, action, region, timestamp (unix seconds), headers (the member
headers, e.g. {"X-CLS-TopicId": "..."}), body_hex (the exact body bytes) and
unsigned_payload (the profile's `unsignedPayload`). For each it calls
`call_octet_stream(action, headers, body)` of tencentcloud-sdk-python-common and prints
one JSON line: the request the SDK would have sent, as {"headers": {...}, "body_hex": ...}.

Only what the SDK cannot be told is substituted, for this process only: the time
(`time.time()` inside abstract_client) is the given timestamp, and the HTTP exchange
(`ApiRequest.send_request`) records the request and answers with an empty success
envelope instead of going to the network.
"""

import json
import sys

from tencentcloud.common import abstract_client
from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile


class _Clock:
    """Stands in for the `time` module inside abstract_client."""

    now = 0

    def time(self):
        return self.now


class _Answer:
    status_code = 200
    headers = {"Content-Type": "application/json"}
    content = b'{"Response": {"RequestId": "oracle"}}'


def wire_request(case, clock):
    class Client(AbstractClient):
        _service = case["service"]
        _apiVersion = case["version"]

    profile = ClientProfile(httpProfile=HttpProfile(endpoint=case["host"]))
    profile.unsignedPayload = case.get("unsigned_payload", False)
    credential = Credential(case["secret_id"], case["secret_key"], case.get("token"))
    client = Client(credential, case["region"], profile)
    sent = []

    def send_request(req):
        sent.append(req)
        return _Answer()

    client.request.send_request = send_request
    clock.now = case["timestamp"]
    client.call_octet_stream(case["action"], dict(case["headers"]), bytes.fromhex(case["body_hex"]))
    (req,) = sent
    data = req.data if isinstance(req.data, bytes) else req.data.encode("utf8")
    return {"headers": dict(req.header), "body_hex": data.hex()}


def main():
    clock = _Clock()
    abstract_client.time = clock
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(wire_request(json.loads(line), clock)))


if __name__ == "__main__":
    main()
