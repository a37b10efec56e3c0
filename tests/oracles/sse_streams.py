"""Reads the emulator's streamed answers with the official Python SDK (CommonClient).

`call_sse` is how the official SDK reads the real API's `text/event-stream` answers: it
yields one dict per event (`data`, `id`, `event`, `retry`). This script calls lkeap
ChatCompletions (Stream true; its examples are an SSE transcript) and
ReconstructDocumentSSE (its examples are JSON objects), the same chat with Stream false
through `call_json`, and a chat stream cut by a `stream_drop` fault (set through the
admin route), and prints what the SDK returned as one JSON document for the Rust test
(tests/tests/emulator_sse_oracle.rs) to compare with the schema's examples.

Usage: python sse_streams.py HOST:PORT
Credentials default to the emulator's primary test account; the Rust test passes them
through EMULATOR_* variables.
"""

import json
import os
import sys
import urllib.request

from tencentcloud.common import credential
from tencentcloud.common.common_client import CommonClient
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

REGION = "ap-singapore"
SECRET_ID = os.environ.get("EMULATOR_PRIMARY_SECRET_ID", "AKIDemulatorPrimary00000000000000001")
SECRET_KEY = os.environ.get("EMULATOR_PRIMARY_SECRET_KEY", "emulator-primary-secret-key-000001")
CHAT = {"Model": "deepseek-r1", "Messages": [{"Role": "user", "Content": "Hello"}]}
# Events the cut stream delivers before the connection closes.
CUT_AFTER = 2


def lkeap(endpoint):
    http = HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=30)
    cred = credential.Credential(SECRET_ID, SECRET_KEY)
    return CommonClient("lkeap", "2024-05-22", cred, REGION, ClientProfile(httpProfile=http))


def inject(endpoint, fault):
    request = urllib.request.Request(
        "http://%s/_emulator/faults" % endpoint,
        data=json.dumps(fault).encode(),
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as answer:
        assert answer.status == 200, answer.status


def main(endpoint):
    client = lkeap(endpoint)
    chat = list(client.call_sse("ChatCompletions", dict(CHAT, Stream=True)))
    reconstruct = list(client.call_sse("ReconstructDocumentSSE", {"FileType": "PDF"}))
    as_json = client.call_json("ChatCompletions", dict(CHAT, Stream=False))

    inject(endpoint, {"kind": "stream_drop", "after_events": CUT_AFTER, "action": "ChatCompletions"})
    cut_events, cut_error = [], None
    try:
        for event in client.call_sse("ChatCompletions", dict(CHAT, Stream=True)):
            cut_events.append(event)
    except Exception as error:  # the SDK passes on what requests raises
        cut_error = type(error).__name__

    json.dump(
        {
            "chat": chat,
            "reconstruct": reconstruct,
            "json": as_json,
            "cut": {"events": cut_events, "after": CUT_AFTER, "error": cut_error},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
