//! Decoding into every generated response type of edgezone and sts, each with its
//! action's error kind, as the client decodes a final answer.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use tencent_cloud::__bench::{RawResponse, decode};
use tencent_cloud::__rt::ErrorKind;
use tencent_cloud::edgezone::v20260401 as edgezone;
use tencent_cloud::sts::v20180813 as sts;

type Decoder = fn(&RawResponse);

fn decode_as<O: DeserializeOwned + Debug, K: ErrorKind>(raw: &RawResponse) {
    match decode::<O, K>(raw) {
        Ok(output) => drop(format!("{output:?}")),
        Err(error) => drop(format!("{error} {error:?}")),
    }
}

fn dispatch(decoders: &[Decoder], data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if let Some(raw) = crate::raw_response(rest) {
        decoders[usize::from(selector) % decoders.len()](&raw);
    }
}

/// edgezone's actions, in the order of their selector byte.
pub const EDGEZONE_ACTIONS: [&str; 19] = [
    "ApplyPublicIps",
    "CreateEdgeNodeService",
    "CreateInstances",
    "CreatePrivateNetworkInstance",
    "CreatePublicNetworkInstance",
    "DeletePrivateNetworkInstance",
    "DeletePublicNetworkInstance",
    "DescribeInstanceTypes",
    "DescribeInstances",
    "DescribePrivateNetworkInstances",
    "DescribePublicIps",
    "DescribePublicNetworkInstances",
    "DescribeZoneData",
    "DescribeZones",
    "ModifyInstanceAttribute",
    "ModifyPrivateNetworkInstance",
    "ModifyPublicNetworkInstance",
    "ReleasePublicIp",
    "TerminateInstances",
];

const EDGEZONE_DECODERS: [Decoder; 19] = [
    decode_as::<edgezone::ApplyPublicIpsResponse, edgezone::ApplyPublicIpsError>,
    decode_as::<edgezone::CreateEdgeNodeServiceResponse, edgezone::CreateEdgeNodeServiceError>,
    decode_as::<edgezone::CreateInstancesResponse, edgezone::CreateInstancesError>,
    decode_as::<
        edgezone::CreatePrivateNetworkInstanceResponse,
        edgezone::CreatePrivateNetworkInstanceError,
    >,
    decode_as::<
        edgezone::CreatePublicNetworkInstanceResponse,
        edgezone::CreatePublicNetworkInstanceError,
    >,
    decode_as::<
        edgezone::DeletePrivateNetworkInstanceResponse,
        edgezone::DeletePrivateNetworkInstanceError,
    >,
    decode_as::<
        edgezone::DeletePublicNetworkInstanceResponse,
        edgezone::DeletePublicNetworkInstanceError,
    >,
    decode_as::<edgezone::DescribeInstanceTypesResponse, edgezone::DescribeInstanceTypesError>,
    decode_as::<edgezone::DescribeInstancesResponse, edgezone::DescribeInstancesError>,
    decode_as::<
        edgezone::DescribePrivateNetworkInstancesResponse,
        edgezone::DescribePrivateNetworkInstancesError,
    >,
    decode_as::<edgezone::DescribePublicIpsResponse, edgezone::DescribePublicIpsError>,
    decode_as::<
        edgezone::DescribePublicNetworkInstancesResponse,
        edgezone::DescribePublicNetworkInstancesError,
    >,
    decode_as::<edgezone::DescribeZoneDataResponse, edgezone::DescribeZoneDataError>,
    decode_as::<edgezone::DescribeZonesResponse, edgezone::DescribeZonesError>,
    decode_as::<edgezone::ModifyInstanceAttributeResponse, edgezone::ModifyInstanceAttributeError>,
    decode_as::<
        edgezone::ModifyPrivateNetworkInstanceResponse,
        edgezone::ModifyPrivateNetworkInstanceError,
    >,
    decode_as::<
        edgezone::ModifyPublicNetworkInstanceResponse,
        edgezone::ModifyPublicNetworkInstanceError,
    >,
    decode_as::<edgezone::ReleasePublicIpResponse, edgezone::ReleasePublicIpError>,
    decode_as::<edgezone::TerminateInstancesResponse, edgezone::TerminateInstancesError>,
];

/// `data[0]` picks one of [`EDGEZONE_ACTIONS`], `data[1]` the status, the rest is the body.
pub fn edgezone_responses(data: &[u8]) {
    dispatch(&EDGEZONE_DECODERS, data);
}

/// sts's actions, in the order of their selector byte.
pub const STS_ACTIONS: [&str; 5] = [
    "AssumeRole",
    "AssumeRoleWithSaml",
    "AssumeRoleWithWebIdentity",
    "GetCallerIdentity",
    "GetFederationToken",
];

const STS_DECODERS: [Decoder; 5] = [
    decode_as::<sts::AssumeRoleResponse, sts::AssumeRoleError>,
    decode_as::<sts::AssumeRoleWithSamlResponse, sts::AssumeRoleWithSamlError>,
    decode_as::<sts::AssumeRoleWithWebIdentityResponse, sts::AssumeRoleWithWebIdentityError>,
    decode_as::<sts::GetCallerIdentityResponse, sts::GetCallerIdentityError>,
    decode_as::<sts::GetFederationTokenResponse, sts::GetFederationTokenError>,
];

/// `data[0]` picks one of [`STS_ACTIONS`], `data[1]` the status, the rest is the body.
pub fn sts_responses(data: &[u8]) {
    dispatch(&STS_DECODERS, data);
}
