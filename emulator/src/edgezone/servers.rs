//! Private network instances and physical servers, modelled as far as the public network
//! story needs: a server (CreateInstances) takes one unbound IPv4 address (and one IPv6 with
//! EnableIpv6) of its STATIC public network, which then cannot be released until
//! TerminateInstances unbinds it; networks with servers cannot be deleted.

use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::actions::{Call, Output, invalid_value, object};
use super::{PrivateInstance, RouteMode, Server, new_id};
use crate::envelope::{ApiError, code};

/// Servers one AppId may have (LimitExceeded.InstanceQuota beyond).
const SERVER_QUOTA: usize = 100;
/// CreateInstances' documented maximum InstanceCount; TerminateInstances' maximum ids.
const MAX_CREATE: u64 = 50;
const MAX_TERMINATE: usize = 100;

impl Call<'_> {
    pub fn create_private_instance(self) -> Output {
        let zone_id = self.non_empty("ZoneId")?;
        self.non_empty("NetworkInstanceName")?;
        let network = self.str("Network")?;
        let mask = self
            .params
            .get("Mask")
            .and_then(Value::as_i64)
            .unwrap_or(-1);
        check_private_network(network, mask)?;
        let duplicate = self
            .state
            .private_instances
            .iter()
            .find(|p| p.app_id == self.caller.app_id && p.zone_id == zone_id);
        if let Some(existing) = duplicate {
            return Err(ApiError::new(
                "FailedOperation.PrivateInstanceDuplicate",
                format!(
                    "AppId {} already has private network instance {} in zone {zone_id}.",
                    self.caller.app_id, existing.id
                ),
            ));
        }
        let id = new_id("ein");
        self.state.private_instances.push(PrivateInstance {
            id: id.clone(),
            app_id: self.caller.app_id,
            zone_id: zone_id.to_owned(),
        });
        Ok(object(json!({ "NetworkInstanceId": id })))
    }

    pub fn delete_private_instance(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let index = self.owned_private_instance(instance_id)?;
        if let Some(server) = self
            .state
            .servers
            .iter()
            .find(|s| s.private_network_id == instance_id)
        {
            return Err(ApiError::new(
                "ResourceInUse.PrivateInstanceInUse",
                format!(
                    "{instance_id} still has server {}; terminate its servers first.",
                    server.id
                ),
            ));
        }
        self.state.private_instances.remove(index);
        Ok(Map::new())
    }

    pub fn create_servers(self) -> Output {
        let zone = self.non_empty("Zone")?;
        self.non_empty("InstanceType")?;
        let count = self
            .params
            .get("InstanceCount")
            .and_then(Value::as_u64)
            .unwrap_or(1);
        if !(1..=MAX_CREATE).contains(&count) {
            return Err(invalid_value(format!(
                "InstanceCount must be between 1 and {MAX_CREATE}, got {count}."
            )));
        }
        if ["Password", "SSHKey"]
            .iter()
            .all(|name| self.params.get(*name).is_none_or(Value::is_null))
        {
            return Err(ApiError::new(
                code::MISSING_PARAMETER,
                "Either Password or SSHKey is required.",
            ));
        }
        let ipv6 = self
            .params
            .get("EnableIpv6")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let count = usize::try_from(count).unwrap_or(usize::MAX);

        // The networks must be the caller's and in the server's zone.
        let private_id = self.str("PrivateNetworkId")?;
        let private_zone = self
            .state
            .private_instances
            .iter()
            .find(|p| p.id == private_id && p.app_id == self.caller.app_id)
            .map(|p| p.zone_id.as_str());
        let public_id = self.str("PublicNetworkId")?;
        let public = self
            .state
            .instances
            .iter()
            .find(|i| i.id == public_id && i.app_id == self.caller.app_id);
        for (name, id, found_zone) in [
            ("PrivateNetworkId", private_id, private_zone),
            (
                "PublicNetworkId",
                public_id,
                public.map(|p| p.zone_id.as_str()),
            ),
        ] {
            match found_zone {
                None => {
                    return Err(invalid_value(format!(
                        "{name} {id} is not a network instance of this account."
                    )));
                }
                Some(found) if found != zone => {
                    return Err(invalid_value(format!(
                        "{name} {id} is in zone {found}, not {zone}."
                    )));
                }
                Some(_) => {}
            }
        }
        let is_static = public.is_some_and(|p| p.route_mode == RouteMode::Static);

        let owned = self
            .state
            .servers
            .iter()
            .filter(|s| s.app_id == self.caller.app_id)
            .count();
        if owned.saturating_add(count) > SERVER_QUOTA {
            return Err(ApiError::new(
                "LimitExceeded.InstanceQuota",
                format!(
                    "AppId {} has {owned} servers; {count} more would exceed the quota of {SERVER_QUOTA}.",
                    self.caller.app_id
                ),
            ));
        }
        // A STATIC network's servers each take an unbound address the account applied for.
        let mut taken = Vec::new();
        if is_static {
            for (family_is_v6, wanted) in [(false, count), (true, if ipv6 { count } else { 0 })] {
                let unbound: Vec<usize> = (0..self.state.addresses.len())
                    .filter(|&i| {
                        let address = &self.state.addresses[i];
                        address.instance_id == public_id
                            && address.server.is_none()
                            && address.ip.is_ipv6() == family_is_v6
                    })
                    .take(wanted)
                    .collect();
                if unbound.len() < wanted {
                    let family = if family_is_v6 { "IPv6" } else { "IPv4" };
                    return Err(ApiError::new(
                        "ResourceInsufficient",
                        format!(
                            "{public_id} has {} unbound {family} addresses for {wanted} servers; apply for more with ApplyPublicIps.",
                            unbound.len()
                        ),
                    ));
                }
                taken.push(unbound);
            }
        }

        let mut ids = Vec::with_capacity(count);
        for n in 0..count {
            let id = new_id("epm");
            // Server n takes the n-th unbound address of each family it needs.
            for &index in taken.iter().filter_map(|indices| indices.get(n)) {
                let address = &mut self.state.addresses[index];
                address.server = Some(id.clone());
                address.updated_at = self.now;
            }
            self.state.servers.push(Server {
                id: id.clone(),
                app_id: self.caller.app_id,
                public_network_id: public_id.to_owned(),
                private_network_id: private_id.to_owned(),
            });
            ids.push(id);
        }
        Ok(object(json!({ "InstanceIdSet": ids, "FailedCount": 0 })))
    }

    /// Partial success: unknown ids are reported in FailedInstanceSet, unless none is known.
    pub fn terminate_servers(self) -> Output {
        let ids = self.str_list("InstanceIds");
        if ids.is_empty() || ids.len() > MAX_TERMINATE {
            return Err(invalid_value(format!(
                "InstanceIds must list 1 to {MAX_TERMINATE} ids."
            )));
        }
        let known = |id: &str| {
            self.state
                .servers
                .iter()
                .any(|s| s.id == id && s.app_id == self.caller.app_id)
        };
        let (terminated, failed): (Vec<&str>, Vec<&str>) = ids.iter().partition(|id| known(id));
        if terminated.is_empty() {
            return Err(ApiError::new(
                "ResourceNotFound.Instance",
                format!("The server {} does not exist.", ids[0]),
            ));
        }
        self.state
            .servers
            .retain(|s| !terminated.contains(&s.id.as_str()));
        for address in &mut self.state.addresses {
            if address
                .server
                .as_deref()
                .is_some_and(|server| terminated.contains(&server))
            {
                address.server = None;
                address.updated_at = self.now;
            }
        }
        let failed: Vec<Value> = failed
            .iter()
            .map(|id| {
                json!({
                    "InstanceId": id,
                    "ErrorCode": "ResourceNotFound.Instance",
                    "ErrorMessage": format!("The server {id} does not exist."),
                })
            })
            .collect();
        Ok(object(
            json!({ "InstanceIdSet": terminated, "FailedInstanceSet": failed }),
        ))
    }

    fn owned_private_instance(&self, instance_id: &str) -> Result<usize, ApiError> {
        let index = self
            .state
            .private_instances
            .iter()
            .position(|p| p.id == instance_id);
        let not_found = || {
            ApiError::new(
                "ResourceNotFound.PrivateInstanceNotFound",
                format!("The private network instance {instance_id} does not exist."),
            )
        };
        let index = index.ok_or_else(not_found)?;
        if self.state.private_instances[index].app_id != self.caller.app_id {
            return Err(ApiError::new(
                "UnauthorizedOperation.PermissionDenied",
                format!(
                    "AppId {} does not own private network instance {instance_id}.",
                    self.caller.app_id
                ),
            ));
        }
        Ok(index)
    }
}

/// An RFC 1918 network address with all host bits zero, and a mask from the range's own
/// prefix length up to 28.
fn check_private_network(network: &str, mask: i64) -> Result<(), ApiError> {
    let invalid = |why: String| ApiError::new("InvalidParameterValue.InvalidNetwork", why);
    let address: Ipv4Addr = network
        .parse()
        .map_err(|_| invalid(format!("`{network}` is not an IPv4 network address.")))?;
    let minimum = match address.octets() {
        [10, ..] => 8,
        [172, second, ..] if (16..32).contains(&second) => 12,
        [192, 168, ..] => 16,
        _ => {
            return Err(invalid(format!(
                "{network} is not in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
            )));
        }
    };
    if !(minimum..=28).contains(&mask) {
        return Err(invalid(format!(
            "Mask {mask} is outside {minimum}..=28 for {network}."
        )));
    }
    let host_bits = u32::MAX >> mask;
    if u32::from(address) & host_bits != 0 {
        return Err(invalid(format!("{network}/{mask} has host bits set.")));
    }
    Ok(())
}
