//! Private network instances: one RFC 1918 network per AppId and zone, whose host
//! addresses the servers on it take (so AvailableIpCount falls as servers are created),
//! and which cannot be deleted while a server is on it.

use std::collections::HashSet;
use std::net::Ipv4Addr;

use serde_json::{Map, Value, json};

use super::actions::{Call, Output, count, object};
use super::{PrivateInstance, State, new_id};
use crate::clock::iso_datetime;
use crate::envelope::ApiError;

const PRIVATE_INSTANCE_NOT_FOUND: &str = "ResourceNotFound.PrivateInstanceNotFound";

impl Call<'_> {
    pub fn create_private_instance(self) -> Output {
        let zone_id = self.non_empty("ZoneId")?;
        let name = self.non_empty("NetworkInstanceName")?;
        let text = self.str("Network")?;
        let mask = self
            .params
            .get("Mask")
            .and_then(Value::as_i64)
            .unwrap_or(-1);
        let (network, mask) = check_private_network(text, mask)?;
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
        self.state.register_zone(zone_id);
        self.state.private_instances.push(PrivateInstance {
            id: id.clone(),
            app_id: self.caller.app_id,
            zone_id: zone_id.to_owned(),
            name: name.to_owned(),
            network,
            mask,
            created_at: self.now,
            updated_at: self.now,
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

    /// ModifyPrivateNetworkInstance: its only modifiable attribute is the name.
    pub fn rename_private_instance(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let name = self.non_empty("NetworkInstanceName")?;
        let index = self.owned_private_instance(instance_id)?;
        let instance = &mut self.state.private_instances[index];
        instance.name = name.to_owned();
        instance.updated_at = self.now;
        Ok(Map::new())
    }

    /// Filters: NetworkInstanceId (exact), NetworkInstanceName (substring), ZoneId (exact);
    /// in creation order, paged by Offset and Limit. Its documentation lists no not-found
    /// code, so an id matching nothing gives an empty page.
    pub fn describe_private_instances(self) -> Output {
        let id = self.params.get("NetworkInstanceId").and_then(Value::as_str);
        let name = self
            .params
            .get("NetworkInstanceName")
            .and_then(Value::as_str);
        let zone = self.params.get("ZoneId").and_then(Value::as_str);
        let (offset, limit) = self.page()?;
        let matching: Vec<&PrivateInstance> = self
            .state
            .private_instances
            .iter()
            .filter(|p| {
                p.app_id == self.caller.app_id
                    && id.is_none_or(|id| p.id == id)
                    && name.is_none_or(|name| p.name.contains(name))
                    && zone.is_none_or(|zone| p.zone_id == zone)
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|p| private_json(self.state, p))
            .collect();
        Ok(object(
            json!({ "TotalCount": matching.len(), "PrivateNetworkInstanceSet": page }),
        ))
    }

    /// The index of the caller's private instance; another AppId's does not exist for the
    /// caller (no private network action documents PermissionDenied).
    pub(super) fn owned_private_instance(&self, instance_id: &str) -> Result<usize, ApiError> {
        self.state
            .private_instances
            .iter()
            .position(|p| p.id == instance_id && p.app_id == self.caller.app_id)
            .ok_or_else(|| {
                ApiError::new(
                    PRIVATE_INSTANCE_NOT_FOUND,
                    format!("The private network instance {instance_id} does not exist."),
                )
            })
    }
}

impl PrivateInstance {
    /// Host addresses: all but the network and broadcast addresses.
    fn host_count(&self) -> u32 {
        (1_u32 << (32 - u32::from(self.mask))) - 2
    }
}

impl State {
    /// The `count` lowest host addresses of a private network that no server holds, or
    /// `None` if fewer remain.
    pub(super) fn free_private_ips(
        &self,
        private: &PrivateInstance,
        count: usize,
    ) -> Option<Vec<Ipv4Addr>> {
        let held: HashSet<Ipv4Addr> = self
            .servers
            .iter()
            .filter(|s| s.private_network_id == private.id)
            .map(|s| s.private_ip)
            .collect();
        let first = u32::from(private.network) + 1;
        let free: Vec<Ipv4Addr> = (first..first + private.host_count())
            .map(Ipv4Addr::from)
            .filter(|ip| !held.contains(ip))
            .take(count)
            .collect();
        (free.len() == count).then_some(free)
    }
}

fn private_json(state: &State, private: &PrivateInstance) -> Value {
    let servers = state
        .servers
        .iter()
        .filter(|s| s.private_network_id == private.id)
        .count();
    let hosts = usize::try_from(private.host_count()).unwrap_or(usize::MAX);
    json!({
        "NetworkInstanceId": private.id,
        "NetworkInstanceName": private.name,
        "ZoneId": private.zone_id,
        "Network": private.network.to_string(),
        "Mask": private.mask,
        "ServerCount": count(servers),
        "AvailableIpCount": count(hosts.saturating_sub(servers)),
        "CreatedAt": iso_datetime(private.created_at),
        "UpdatedAt": iso_datetime(private.updated_at),
    })
}

/// An RFC 1918 network address with all host bits zero, and a mask from the range's own
/// prefix length up to 28.
fn check_private_network(network: &str, mask: i64) -> Result<(Ipv4Addr, u8), ApiError> {
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
    let mask = u8::try_from(mask)
        .ok()
        .filter(|mask| (minimum..=28).contains(mask))
        .ok_or_else(|| {
            invalid(format!(
                "Mask {mask} is outside {minimum}..=28 for {network}."
            ))
        })?;
    let host_bits = u32::MAX >> mask;
    if u32::from(address) & host_bits != 0 {
        return Err(invalid(format!("{network}/{mask} has host bits set.")));
    }
    Ok((address, mask))
}
