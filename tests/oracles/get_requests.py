"""Drives the emulator with the official Python SDK sending GET requests (reqMethod="GET").

The official signer puts the parameters in the query string (flattened: Ip.0, Ip.1, ...;
every value text) and signs that query with the hash of an empty payload. This proves
that the emulator verifies such requests, decodes the parameters by the action's schema
(lists, integers), and that a write sent as GET is applied like its POST twin.

Usage: python get_requests.py HOST:PORT
(run by tests/tests/emulator_get_oracle.rs). Credentials default to the emulator's
primary test account; the Rust test passes them through EMULATOR_* variables.
"""

import json
import os
import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.edgezone.v20260401 import edgezone_client, models

REGION = "ap-singapore"
SECRET_ID = os.environ.get("EMULATOR_PRIMARY_SECRET_ID", "AKIDemulatorPrimary00000000000000001")
SECRET_KEY = os.environ.get("EMULATOR_PRIMARY_SECRET_KEY", "emulator-primary-secret-key-000001")


def client(endpoint, method):
    http = HttpProfile(protocol="http", endpoint=endpoint, reqTimeout=30, reqMethod=method)
    profile = ClientProfile(httpProfile=http)
    return edgezone_client.EdgezoneClient(credential.Credential(SECRET_ID, SECRET_KEY), REGION, profile)


def call(c, action, params):
    request = getattr(models, action + "Request")()
    request.from_json_string(json.dumps(params))
    return json.loads(getattr(c, action)(request).to_json_string())


def main(endpoint):
    get = client(endpoint, "GET")
    post = client(endpoint, "POST")
    failures = []

    def check(name, condition, detail=""):
        print(("ok    " if condition else "FAIL  ") + name + ("" if condition else f": {detail}"))
        if not condition:
            failures.append(name)

    # A write sent as GET is applied.
    created = call(get, "CreatePublicNetworkInstance", {
        "ZoneId": "ap-singapore-1", "NetworkInstanceName": "made by GET", "Line": "BGP",
        "RouteMode": "static", "Bandwidth": 100,
    })
    instance = created["NetworkInstanceId"]
    check("CreatePublicNetworkInstance by GET", instance.startswith("epn-"), created)
    applied = call(get, "ApplyPublicIps", {"NetworkInstanceId": instance, "Type": "ipv4", "Count": 3})
    ips = applied["IpList"]
    check("ApplyPublicIps by GET (an integer parameter)", len(ips) == 3, applied)

    # Lists and integers in the query string, read back both ways.
    query = {"NetworkInstanceId": [instance], "Ip": [ips[0], ips[2]], "Limit": 10,
             "OrderByCreateTime": "asc"}
    by_get = call(get, "DescribePublicIps", query)
    by_post = call(post, "DescribePublicIps", query)
    found = [row["Ip"] for row in by_get["IpInfoSet"]]
    check("DescribePublicIps by GET filters by list", sorted(found) == sorted([ips[0], ips[2]]), by_get)
    check("GET and POST agree", found == [row["Ip"] for row in by_post["IpInfoSet"]], (by_get, by_post))
    listed = call(get, "DescribePublicNetworkInstances", {"NetworkInstanceId": instance})
    names = [i["NetworkInstanceName"] for i in listed["PublicNetworkInstanceSet"]]
    check("the name with a space survives the query string", names == ["made by GET"], listed)

    # Errors come back as exceptions with the code, as for POST.
    try:
        call(get, "DescribePublicIps", {"Limit": 500})
        check("a bad value by GET is refused", False, "no error")
    except TencentCloudSDKException as e:
        check("a bad value by GET is refused", e.get_code() == "InvalidParameterValue", e)
    wrong = edgezone_client.EdgezoneClient(
        credential.Credential(SECRET_ID, "not-the-key"), REGION,
        ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=endpoint, reqMethod="GET")))
    try:
        call(wrong, "DescribePublicIps", {})
        check("a bad signature by GET is refused", False, "no error")
    except TencentCloudSDKException as e:
        check("a bad signature by GET is refused", e.get_code() == "AuthFailure.SignatureFailure", e)

    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
