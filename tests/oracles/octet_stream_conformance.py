"""The official Python SDK's `call_octet_stream` against the emulator: cls UploadLog.

Usage: octet_stream_conformance.py HOST:PORT. Signs with the emulator's primary account
(EMULATOR_PRIMARY_SECRET_ID / _KEY). Sends, through `AbstractClient.call_octet_stream` of
tencentcloud-sdk-python-common over plain HTTP, uploads the emulator must accept (signed
body, UNSIGNED-PAYLOAD) and ones it must refuse as the API does (no X-CLS-TopicId, an
unknown X-CLS- header), and exits non-zero if any answer is not the expected one. The Rust
side reads the emulator's request log afterwards.
"""

import os
import sys

from tencentcloud.common.abstract_client import AbstractClient
from tencentcloud.common.credential import Credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

TOPIC = "f6c4fa6f-0000-4000-8289-1ff6f77ed975"
BODY = bytes(range(256)) * 4


class ClsClient(AbstractClient):
    _service = "cls"
    _apiVersion = "2020-10-16"


def client(endpoint, unsigned_payload=False):
    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=30))
    profile.unsignedPayload = unsigned_payload
    credential = Credential(os.environ["EMULATOR_PRIMARY_SECRET_ID"], os.environ["EMULATOR_PRIMARY_SECRET_KEY"])
    return ClsClient(credential, "ap-singapore", profile)


def error_code(call):
    try:
        call()
    except TencentCloudSDKException as error:
        return error.get_code()
    return None


def main():
    endpoint = sys.argv[1]
    failures = []

    def check(name, condition, detail=""):
        print(("ok    " if condition else "FAIL  ") + name + ("" if condition else f": {detail}"))
        if not condition:
            failures.append(name)

    answer = client(endpoint).call_octet_stream(
        "UploadLog", {"X-CLS-TopicId": TOPIC, "X-CLS-CompressType": "lz4"}, BODY
    )
    check("signed upload accepted", "RequestId" in answer.get("Response", {}), answer)
    answer = client(endpoint, unsigned_payload=True).call_octet_stream("UploadLog", {"X-CLS-TopicId": TOPIC}, b"")
    check("unsigned, empty upload accepted", "RequestId" in answer.get("Response", {}), answer)
    code = error_code(lambda: client(endpoint).call_octet_stream("UploadLog", {}, BODY))
    check("no X-CLS-TopicId: MissingParameter", code == "MissingParameter", code)
    code = error_code(
        lambda: client(endpoint).call_octet_stream("UploadLog", {"X-CLS-TopicId": TOPIC, "X-CLS-Shard": "1"}, BODY)
    )
    check("unknown X-CLS-Shard: UnknownParameter", code == "UnknownParameter", code)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
