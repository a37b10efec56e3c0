"""Event stream oracle: the official Python SDK reads server-sent events.

Reads JSON lines from stdin, each an object with `hex` (the bytes of a response body, in
hex), and prints one JSON line per case, in order: `{"events": [...]}`, every dict
`AbstractClient._process_response_sse` yielded (the `{}` of a blank line with nothing
pending included), or `{"raised": "<exception type>", "events": [...]}` with the events
yielded before it raised.

The body is read as the SDK reads a live answer: through a real `requests.Response`
whose raw stream is the bytes, so `iter_lines` sees the same 512-byte reads (and splits
lines at their boundaries the same way) as over a socket.
"""

import io
import json
import sys

import requests
from tencentcloud.common.abstract_client import AbstractClient


def read(body):
    resp = requests.Response()
    resp.status_code = 200
    resp.headers["Content-Type"] = "text/event-stream"
    resp.raw = io.BytesIO(body)
    events = []
    try:
        for event in AbstractClient._process_response_sse(resp):
            events.append(event)
    except Exception as error:  # the outcome under test, whatever it is
        return {"raised": type(error).__name__, "events": events}
    return {"events": events}


def main():
    out = []
    for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
        if line.strip():
            out.append(json.dumps(read(bytes.fromhex(json.loads(line)["hex"]))))
    sys.stdout.buffer.write("".join(value + "\n" for value in out).encode("utf-8"))


if __name__ == "__main__":
    main()
