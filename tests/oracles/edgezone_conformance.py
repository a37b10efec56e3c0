"""Drives the emulator with the official Python SDK (tencentcloud-sdk-python-edgezone).

Proves that the emulator's TC3 verifier agrees with the official signer and that its
envelopes parse in the official client: the documented ReleasePublicIp requests succeed
(the first word for word, on the example instance a fresh emulator holds; the second on a
scenario built through the API, the admin route only giving the instance the
documentation's own IPv6 addresses), every error of ReleasePublicIp's table arrives as a
TencentCloudSDKException with the right code and a RequestId, and all 19 actions answer
from one state (the admin route also moves the clock).

Usage: python edgezone_conformance.py HOST:PORT
(run by tests/tests/emulator_conformance.rs; also works against the emulator binary).
Credentials default to the emulator's built-in test accounts (emulator/src/accounts.rs);
the Rust test passes them through EMULATOR_* environment variables.
"""

import json
import os
import sys
import urllib.request
from pathlib import Path

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.edgezone.v20260401 import edgezone_client, models

SCHEMA = Path(__file__).resolve().parents[2] / "schema" / "edgezone" / "2026-04-01.json"
REGION = "ap-singapore"
ZONE = "ap-singapore-1"
SEEDED_INSTANCE = "epn-dfghjkl"

PRIMARY = (
    os.environ.get("EMULATOR_PRIMARY_SECRET_ID", "AKIDemulatorPrimary00000000000000001"),
    os.environ.get("EMULATOR_PRIMARY_SECRET_KEY", "emulator-primary-secret-key-000001"),
)
SECONDARY = (
    os.environ.get("EMULATOR_SECONDARY_SECRET_ID", "AKIDemulatorSecondary000000000000002"),
    os.environ.get("EMULATOR_SECONDARY_SECRET_KEY", "emulator-secondary-secret-key-00002"),
)
TEMPORARY = (
    os.environ.get("EMULATOR_TEMPORARY_SECRET_ID", "AKIDemulatorTemporary000000000000003"),
    os.environ.get("EMULATOR_TEMPORARY_SECRET_KEY", "emulator-temporary-secret-key-00003"),
    os.environ.get("EMULATOR_TEMPORARY_TOKEN", "emulator-session-token-000000000003"),
)


class Conformance:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.passed = 0
        self.failures = []

    # --- plumbing ---------------------------------------------------------------------

    def client(self, secret_id, secret_key, token=None, unsigned_payload=False):
        profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=self.endpoint, reqTimeout=30))
        profile.unsignedPayload = unsigned_payload
        return edgezone_client.EdgezoneClient(credential.Credential(secret_id, secret_key, token), REGION, profile)

    @staticmethod
    def call(client, action, params):
        request = getattr(models, action + "Request")()
        request.from_json_string(json.dumps(params))
        return getattr(client, action)(request)

    def admin(self, method, route, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://{self.endpoint}/_emulator/{route}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok    {name}")
        else:
            self.failures.append(f"{name}: {detail}")
            print(f"FAIL  {name}: {detail}")

    def succeeds(self, name, client, action, params):
        try:
            response = self.call(client, action, params)
        except TencentCloudSDKException as e:
            self.check(name, False, f"raised {e}")
            return None
        self.check(name, bool(response.RequestId), "no RequestId")
        return response

    def fails(self, name, code, client, action, params, mentions=None):
        try:
            self.call(client, action, params)
        except TencentCloudSDKException as e:
            ok = e.get_code() == code and bool(e.get_request_id())
            ok = ok and (mentions is None or mentions in e.get_message())
            self.check(name, ok, f"got code={e.get_code()} message={e.get_message()!r} "
                                 f"request_id={e.get_request_id()!r}, want {code} mentioning {mentions!r}")
            return
        self.check(name, False, f"succeeded, want {code}")

    # --- the scenario -----------------------------------------------------------------

    def run(self):
        primary = self.client(*PRIMARY)
        secondary = self.client(*SECONDARY)

        created = self.succeeds("create a STATIC instance", primary, "CreatePublicNetworkInstance", {
            "ZoneId": "ap-singapore-1", "NetworkInstanceName": "conformance", "Line": "BGP", "RouteMode": "static"})
        if created is None:
            return
        instance = created.NetworkInstanceId
        ipv4 = self.succeeds("apply two IPv4 addresses", primary, "ApplyPublicIps",
                             {"NetworkInstanceId": instance, "Type": "ipv4", "Count": 2})
        ipv6 = self.succeeds("apply two IPv6 addresses", primary, "ApplyPublicIps",
                             {"NetworkInstanceId": instance, "Type": "ipv6", "Count": 2})
        if ipv4 is None or ipv6 is None:
            return
        a, b = ipv4.IpList
        c, d = ipv6.IpList

        # The documentation's two requests. The IPv4 one word for word: a fresh emulator holds
        # its instance, epn-dfghjkl, with its addresses. The IPv6 one names a placeholder
        # instance: it goes to ours, given the documented addresses out of band (the pools
        # are documentation ranges).
        for title, body in self.documented_release_requests():
            if body["NetworkInstanceId"] != SEEDED_INSTANCE:
                for ip in body["IpList"]:
                    self.admin("POST", "addresses", {"network_instance_id": instance, "ip": ip})
                body["NetworkInstanceId"] = instance
            self.succeeds(f"documented example: {title}", primary, "ReleasePublicIp", body)
        self.succeeds("delete the emptied example instance", primary, "DeletePublicNetworkInstance",
                      {"NetworkInstanceId": SEEDED_INSTANCE})

        # Every row of ReleasePublicIp's error table, each for a real reason. A server made
        # through the API takes the first unbound IPv4 address, a.
        private = self.succeeds("create a private network instance", primary, "CreatePrivateNetworkInstance", {
            "NetworkInstanceName": "conformance", "ZoneId": "ap-singapore-1", "Network": "10.0.0.0", "Mask": 24})
        if private is None:
            return
        servers = self.succeeds("create a server on the STATIC network", primary, "CreateInstances", {
            "Zone": "ap-singapore-1", "InstanceType": "BMS5.MEDIUM8", "Password": "Conformance-1",
            "PrivateNetworkId": private.NetworkInstanceId, "PublicNetworkId": instance})
        if servers is None:
            return
        self.fails("IpStillBoundToServer", "FailedOperation.IpStillBoundToServer", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [a]}, mentions=a)
        self.fails("all or nothing: the first offending address is named",
                   "FailedOperation.IpStillBoundToServer", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [b, a]}, mentions=a)
        listed = self.call(primary, "DescribePublicIps", {"Ip": [b]})
        self.check("all or nothing: nothing was released", listed.TotalCount == 1, f"TotalCount={listed.TotalCount}")
        self.fails("PublicIpNotAvailable", "InvalidParameterValue.PublicIpNotAvailable", primary,
                   "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [b, "198.51.100.250"]},
                   mentions="198.51.100.250")
        self.fails("PublicIpv6NotAvailable", "InvalidParameterValue.PublicIpv6NotAvailable", primary,
                   "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv6", "IpList": [c, "2001:db8::dead"]},
                   mentions="2001:db8::dead")
        self.fails("PublicIpv6NotAvailable for an IPv4 address", "InvalidParameterValue.PublicIpv6NotAvailable",
                   primary, "ReleasePublicIp", {"NetworkInstanceId": instance, "Type": "ipv6", "IpList": [b]})
        self.fails("PublicInstanceNotFound", "ResourceNotFound.PublicInstanceNotFound", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": "epn-00000000", "Type": "ipv4", "IpList": [b]})
        self.fails("PermissionDenied", "UnauthorizedOperation.PermissionDenied", secondary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [b]})
        dynamic = self.succeeds("create a BGP instance", primary, "CreatePublicNetworkInstance", {
            "ZoneId": "ap-singapore-2", "NetworkInstanceName": "bgp", "Line": "BGP", "RouteMode": "bgp"})
        if dynamic is not None:
            self.fails("NotSupportedForDynamicInstance", "FailedOperation.NotSupportedForDynamicInstance", primary,
                       "ReleasePublicIp",
                       {"NetworkInstanceId": dynamic.NetworkInstanceId, "Type": "ipv4", "IpList": ["203.0.113.5"]})
        self.fails("MissingParameter", "MissingParameter", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4"}, mentions="IpList")
        self.fails("InvalidParameterValue (enum)", "InvalidParameterValue", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv5", "IpList": [b]})
        self.fails("InvalidParameter (wrong JSON type)", "InvalidParameter", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": b}, mentions="IpList")
        # No request makes a healthy server fail: InternalError is injected, once.
        self.admin("POST", "faults", {"kind": "error", "code": "InternalError", "action": "ReleasePublicIp"})
        self.fails("InternalError (injected)", "InternalError", primary, "ReleasePublicIp",
                   {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [b]})
        self.fails("PublicInstanceInUse", "ResourceInUse.PublicInstanceInUse", primary,
                   "DeletePublicNetworkInstance", {"NetworkInstanceId": instance})

        self.every_other_action(primary, secondary, instance, private.NetworkInstanceId,
                                servers.InstanceIdSet[0], a, b)

        # The protocol checks.
        self.fails("wrong key", "AuthFailure.SignatureFailure", self.client(PRIMARY[0], "not-the-key"),
                   "DescribePublicNetworkInstances", {})
        self.fails("unknown SecretId", "AuthFailure.SecretIdNotFound", self.client("AKIDunknown", "k"),
                   "DescribePublicNetworkInstances", {})
        self.succeeds("unsigned payload (X-TC-Content-SHA256: UNSIGNED-PAYLOAD)",
                      self.client(*PRIMARY, unsigned_payload=True), "DescribePublicNetworkInstances", {})
        self.succeeds("temporary credential with its token", self.client(*TEMPORARY),
                      "DescribePublicNetworkInstances", {"NetworkInstanceId": instance})
        self.fails("temporary credential, wrong token", "AuthFailure.TokenFailure",
                   self.client(TEMPORARY[0], TEMPORARY[1], "wrong-token"), "DescribePublicNetworkInstances", {})
        self.admin("PUT", "clock", {"offset_secs": 3600})
        try:
            self.fails("stale timestamp", "AuthFailure.SignatureExpire", primary, "DescribePublicNetworkInstances", {})
        finally:
            self.admin("PUT", "clock", {"offset_secs": 0})

        # Clean up through the API, which also proves the failed releases changed nothing.
        self.succeeds("terminate the server", primary, "TerminateInstances", {"InstanceIds": servers.InstanceIdSet})
        self.succeeds("delete the private network instance", primary, "DeletePrivateNetworkInstance",
                      {"NetworkInstanceId": private.NetworkInstanceId})
        self.succeeds("release the IPv4 addresses", primary, "ReleasePublicIp",
                      {"NetworkInstanceId": instance, "Type": "ipv4", "IpList": [a, b]})
        self.succeeds("release the IPv6 addresses", primary, "ReleasePublicIp",
                      {"NetworkInstanceId": instance, "Type": "ipv6", "IpList": [c, d]})
        self.succeeds("delete the STATIC instance", primary, "DeletePublicNetworkInstance",
                      {"NetworkInstanceId": instance})
        if dynamic is not None:
            self.succeeds("delete the BGP instance", primary, "DeletePublicNetworkInstance",
                          {"NetworkInstanceId": dynamic.NetworkInstanceId})
        left = self.call(primary, "DescribePublicNetworkInstances", {})
        self.check("no instance left", left.TotalCount == 0, f"TotalCount={left.TotalCount}")

    def every_other_action(self, primary, secondary, public, private, server, a, b):
        """The actions the error table does not need, each checked against the same state:
        the server made above on `private` and `public`, holding address `a`."""
        self.succeeds("enable the edge node service", primary, "CreateEdgeNodeService", {"Zone": "ap-singapore-3"})
        zones = {z.Zone for z in self.call(primary, "DescribeZones", {}).ZoneSet}
        self.check("DescribeZones lists the account's zones", {ZONE, "ap-singapore-3"} <= zones, f"{zones}")
        theirs = {z.Zone for z in self.call(secondary, "DescribeZones", {}).ZoneSet}
        self.check("DescribeZones: another account's are its own", ZONE not in theirs, f"{theirs}")

        types = self.call(primary, "DescribeInstanceTypes", {"Zone": ZONE}).InstanceTypeQuotaSet
        quota = {t.InstanceType: t.Quota for t in types}
        self.check("DescribeInstanceTypes: the server uses a quota", quota.get("BMS5.MEDIUM8") == 9, f"{quota}")

        listed = self.call(primary, "DescribeInstances", {"InstanceIds": [server]})
        found = listed.InstanceSet[0] if listed.InstanceSet else None
        self.check("DescribeInstances lists the server",
                   listed.TotalCount == 1 and found.InstanceId == server and found.PublicIp == a
                   and found.PrivateIp == "10.0.0.1" and found.PublicNetworkId == public,
                   listed.to_json_string())
        elsewhere = self.call(primary, "DescribeInstances", {"Zone": "ap-singapore-2"})
        self.check("DescribeInstances honours Zone", elsewhere.TotalCount == 0, f"TotalCount={elsewhere.TotalCount}")

        self.succeeds("rename the server", primary, "ModifyInstanceAttribute",
                      {"InstanceId": server, "InstanceName": "conformance-server"})
        renamed = self.call(primary, "DescribeInstances", {"InstanceName": "conformance-ser"})
        self.check("DescribeInstances finds the new name", renamed.TotalCount == 1, f"TotalCount={renamed.TotalCount}")
        self.succeeds("move the server to another address", primary, "ModifyInstanceAttribute",
                      {"InstanceId": server, "NewPublicIp": b, "IpType": "ipv4"})
        moved = self.call(primary, "DescribeInstances", {"PublicIps": [b]})
        self.check("DescribeInstances sees the move", moved.TotalCount == 1, f"TotalCount={moved.TotalCount}")
        self.succeeds("move the server back", primary, "ModifyInstanceAttribute",
                      {"InstanceId": server, "NewPublicIp": a})
        self.fails("ModifyInstanceAttribute on a missing server", "ResourceNotFound.Instance", primary,
                   "ModifyInstanceAttribute", {"InstanceId": "epm-00000000", "InstanceName": "x"})

        in_zone = self.call(primary, "DescribePrivateNetworkInstances", {"ZoneId": ZONE})
        self.check("DescribePrivateNetworkInstances honours ZoneId",
                   in_zone.TotalCount == 1 and in_zone.PrivateNetworkInstanceSet[0].ServerCount == 1,
                   f"TotalCount={in_zone.TotalCount}")
        other_zone = self.call(primary, "DescribePrivateNetworkInstances", {"ZoneId": "ap-singapore-2"})
        self.check("DescribePrivateNetworkInstances: nothing elsewhere", other_zone.TotalCount == 0,
                   f"TotalCount={other_zone.TotalCount}")
        self.succeeds("rename the private network instance", primary, "ModifyPrivateNetworkInstance",
                      {"NetworkInstanceId": private, "NetworkInstanceName": "renamed-private"})
        by_name = self.call(primary, "DescribePrivateNetworkInstances", {"NetworkInstanceName": "renamed-private"})
        self.check("DescribePrivateNetworkInstances finds the new name", by_name.TotalCount == 1,
                   f"TotalCount={by_name.TotalCount}")
        self.fails("ModifyPrivateNetworkInstance on a missing instance", "ResourceNotFound.PrivateInstanceNotFound",
                   primary, "ModifyPrivateNetworkInstance",
                   {"NetworkInstanceId": "ein-00000000", "NetworkInstanceName": "x"})
        self.succeeds("rename the public network instance", primary, "ModifyPublicNetworkInstance",
                      {"NetworkInstanceId": public, "NetworkInstanceName": "renamed-public"})
        by_name = self.call(primary, "DescribePublicNetworkInstances", {"NetworkInstanceName": "renamed-public"})
        self.check("DescribePublicNetworkInstances finds the new name", by_name.TotalCount == 1,
                   f"TotalCount={by_name.TotalCount}")

        data = self.call(primary, "DescribeZoneData", {"Zone": ZONE, "MetricName": "inbw",
                                                       "StartTime": "2026-04-13T00:00:00Z",
                                                       "EndTime": "2026-04-13T00:05:00Z"}).Data
        self.check("DescribeZoneData: a point a minute", [p.Time for p in data][::5]
                   == ["2026-04-13T00:00:00Z", "2026-04-13T00:05:00Z"], f"{[p.Time for p in data]}")
        self.fails("DescribeZoneData for a zone not the account's", "InvalidParameter.ParamError", primary,
                   "DescribeZoneData", {"Zone": "ap-nowhere-1", "MetricName": "inbw",
                                        "StartTime": "2026-04-13T00:00:00Z", "EndTime": "2026-04-13T00:05:00Z"})

    @staticmethod
    def documented_release_requests():
        """(title, JSON body) of each documented ReleasePublicIp example in our schema."""
        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        action = next(a for a in schema["actions"] if a["name"] == "ReleasePublicIp")
        for example in action["examples"]:
            body = example["request"].split("\n\n", 1)[1]
            yield example["title"], json.loads(body)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    conformance = Conformance(sys.argv[1])
    try:
        conformance.run()
    except Exception as e:  # an unexpected exception is a failure to report, not a crash
        conformance.failures.append(f"unexpected {type(e).__name__}: {e}")
    if conformance.failures:
        print(f"conformance: {len(conformance.failures)} check(s) failed:", *conformance.failures, sep="\n  ")
        return 1
    print(f"conformance: all {conformance.passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
