//! Physical servers: CreateInstances puts a server of a known model on a private network
//! (taking one of its host addresses) and a public network (taking an unbound IPv4 address
//! of a STATIC one, and an IPv6 with EnableIpv6), within the model's quota in the zone.
//! The addresses cannot be released until TerminateInstances gives everything back;
//! DescribeInstances lists servers and ModifyInstanceAttribute renames them or moves them
//! to another address of their public network.

use std::net::IpAddr;

use serde_json::{Map, Value, json};

use super::actions::{Call, Output, invalid_value, object};
use super::{RouteMode, Server, State, instance_types, new_id};
use crate::clock::iso_datetime;
use crate::envelope::{ApiError, code};

const INSTANCE_NOT_FOUND: &str = "ResourceNotFound.Instance";
/// CreateInstances' documented maximum InstanceCount; TerminateInstances' maximum ids.
const MAX_CREATE: u64 = 50;
const MAX_TERMINATE: usize = 100;
/// DescribeInstances' documented InstanceStatus values; servers here are always running.
const STATUSES: [&str; 6] = [
    "allocating",
    "running",
    "isolating",
    "isolated",
    "terminating",
    "error",
];

impl Call<'_> {
    pub fn create_servers(self) -> Output {
        let zone = self.non_empty("Zone")?;
        let type_name = self.non_empty("InstanceType")?;
        let model = instance_types::find(type_name).ok_or_else(|| {
            let offered: Vec<&str> = instance_types::INSTANCE_TYPES
                .iter()
                .map(|t| t.name)
                .collect();
            invalid_value(format!(
                "InstanceType {type_name} is not offered; DescribeInstanceTypes lists {}.",
                offered.join(", ")
            ))
        })?;
        let name = self.params.get("InstanceName").and_then(Value::as_str);
        if let Some(name) = name {
            check_name(name, code::INVALID_PARAMETER_VALUE)?;
        }
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
        let private = self
            .state
            .private_instances
            .iter()
            .find(|p| p.id == private_id && p.app_id == self.caller.app_id);
        let public_id = self.str("PublicNetworkId")?;
        let public = self
            .state
            .instances
            .iter()
            .find(|i| i.id == public_id && i.app_id == self.caller.app_id);
        for (name, id, found_zone) in [
            (
                "PrivateNetworkId",
                private_id,
                private.map(|p| p.zone_id.as_str()),
            ),
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

        let remaining = self.state.remaining_quota(self.caller.app_id, zone, model);
        if count > remaining {
            return Err(ApiError::new(
                "LimitExceeded.InstanceQuota",
                format!(
                    "AppId {} may create {remaining} more {type_name} servers in zone {zone}; {count} asked for.",
                    self.caller.app_id
                ),
            ));
        }
        let private_ips = private
            .and_then(|p| self.state.free_private_ips(p, count))
            .ok_or_else(|| {
                ApiError::new(
                    "ResourceInsufficient",
                    format!("{private_id} has fewer than {count} free host addresses."),
                )
            })?;
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

        let image_id = self
            .params
            .get("ImageId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut ids = Vec::with_capacity(count);
        for (n, private_ip) in private_ips.into_iter().enumerate() {
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
                name: name.unwrap_or_default().to_owned(),
                zone: zone.to_owned(),
                instance_type: model,
                image_id: image_id.clone(),
                public_network_id: public_id.to_owned(),
                private_network_id: private_id.to_owned(),
                private_ip,
                created_at: self.now,
            });
            ids.push(id);
        }
        Ok(object(json!({ "InstanceIdSet": ids, "FailedCount": 0 })))
    }

    /// Partial success: unknown ids are reported in FailedInstanceSet, unless none is known.
    /// A terminated server is gone at once, with its addresses unbound and its quota free.
    pub fn terminate_servers(self) -> Output {
        let ids = self.str_list("InstanceIds");
        if ids.is_empty() || ids.len() > MAX_TERMINATE {
            return Err(invalid_value(format!(
                "InstanceIds must list 1 to {MAX_TERMINATE} ids."
            )));
        }
        let known = |id: &str| self.owned_server(id).is_ok();
        let (terminated, failed): (Vec<&str>, Vec<&str>) = ids.iter().partition(|id| known(id));
        if terminated.is_empty() {
            return Err(not_found(ids[0]));
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
                    "ErrorCode": INSTANCE_NOT_FOUND,
                    "ErrorMessage": format!("The server {id} does not exist."),
                })
            })
            .collect();
        Ok(object(
            json!({ "InstanceIdSet": terminated, "FailedInstanceSet": failed }),
        ))
    }

    /// Filters: InstanceIds, InstanceName (substring), Zone, InstanceStatus,
    /// PublicNetworkId (ResourceNotFound.PublicInstanceNotFound if the caller has no such
    /// instance, as documented), PrivateNetworkId, PublicIps (the server's IPv4); in
    /// creation order, paged by Offset and Limit.
    pub fn describe_servers(self) -> Output {
        let ids = self.str_list("InstanceIds");
        let name = self.params.get("InstanceName").and_then(Value::as_str);
        let zone = self.params.get("Zone").and_then(Value::as_str);
        let statuses = self.choices("InstanceStatus", &STATUSES)?;
        let public = self.params.get("PublicNetworkId").and_then(Value::as_str);
        let private = self.params.get("PrivateNetworkId").and_then(Value::as_str);
        let public_ips: Vec<IpAddr> = self
            .str_list("PublicIps")
            .iter()
            .filter_map(|ip| ip.trim().parse().ok())
            .collect();
        let (offset, limit) = self.page()?;
        if let Some(public) = public {
            self.owned_instance(public)?;
        }
        let matching: Vec<&Server> = self
            .state
            .servers
            .iter()
            .filter(|s| {
                s.app_id == self.caller.app_id
                    && (ids.is_empty() || ids.contains(&s.id.as_str()))
                    && name.is_none_or(|name| s.name.contains(name))
                    && zone.is_none_or(|zone| s.zone == zone)
                    && (statuses.is_empty() || statuses.contains(&"running"))
                    && public.is_none_or(|id| s.public_network_id == id)
                    && private.is_none_or(|id| s.private_network_id == id)
                    && (public_ips.is_empty()
                        || self
                            .state
                            .server_ip(&s.id, false)
                            .is_some_and(|ip| public_ips.contains(&ip)))
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|s| server_json(self.state, s))
            .collect();
        Ok(object(
            json!({ "InstanceSet": page, "TotalCount": matching.len() }),
        ))
    }

    /// Renames a server (InstanceName) and/or moves it to another unbound address of its
    /// public network (NewPublicIp, of IpType; hidden in the SDKs but documented).
    pub fn modify_server(self) -> Output {
        let instance_id = self.str("InstanceId")?;
        let name = self.params.get("InstanceName").and_then(Value::as_str);
        let new_ip = self.params.get("NewPublicIp").and_then(Value::as_str);
        if name.is_none() && new_ip.is_none() {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                "Give InstanceName, NewPublicIp or both.",
            ));
        }
        if let Some(name) = name {
            check_name(name, code::INVALID_PARAMETER)?;
        }
        let new_ip = new_ip.map(|text| self.address_choice(text)).transpose()?;
        let index = self.owned_server(instance_id)?;
        let rebind = match new_ip {
            Some(ip) => self.rebinding(index, ip)?,
            None => None,
        };

        if let Some((old, new)) = rebind {
            for (position, server) in [(old, None), (Some(new), Some(instance_id))] {
                if let Some(position) = position {
                    let address = &mut self.state.addresses[position];
                    address.server = server.map(str::to_owned);
                    address.updated_at = self.now;
                }
            }
        }
        if let Some(name) = name {
            self.state.servers[index].name = name.to_owned();
        }
        Ok(Map::new())
    }

    /// NewPublicIp parsed, of the family IpType names (default ipv4).
    fn address_choice(&self, text: &str) -> Result<IpAddr, ApiError> {
        let ipv6 = match self.params.get("IpType").and_then(Value::as_str) {
            None => false,
            Some(family) if family.eq_ignore_ascii_case("ipv4") => false,
            Some(family) if family.eq_ignore_ascii_case("ipv6") => true,
            Some(other) => {
                return Err(ApiError::new(
                    code::INVALID_PARAMETER,
                    format!("IpType must be ipv4 or ipv6, got `{other}`."),
                ));
            }
        };
        text.trim()
            .parse::<IpAddr>()
            .ok()
            .filter(|ip| ip.is_ipv6() == ipv6)
            .ok_or_else(|| {
                let family = if ipv6 { "IPv6" } else { "IPv4" };
                ApiError::new(
                    code::INVALID_PARAMETER,
                    format!("NewPublicIp `{text}` is not an {family} address."),
                )
            })
    }

    /// (the server's current address of the family, the new one) as positions in
    /// `addresses`; `None` when the server already has that address.
    fn rebinding(
        &self,
        server: usize,
        ip: IpAddr,
    ) -> Result<Option<(Option<usize>, usize)>, ApiError> {
        let server = &self.state.servers[server];
        let addresses = &self.state.addresses;
        let new = addresses
            .iter()
            .position(|a| a.ip == ip && a.instance_id == server.public_network_id)
            .ok_or_else(|| {
                ApiError::new(
                    "FailedOperation",
                    format!(
                        "{ip} is not an address of public network instance {}; apply for it first.",
                        server.public_network_id
                    ),
                )
            })?;
        match addresses[new].server.as_deref() {
            Some(holder) if holder == server.id => return Ok(None),
            Some(holder) => {
                return Err(ApiError::new(
                    "FailedOperation",
                    format!("{ip} is bound to server {holder}."),
                ));
            }
            None => {}
        }
        let old = addresses.iter().position(|a| {
            a.server.as_deref() == Some(&server.id) && a.ip.is_ipv6() == ip.is_ipv6()
        });
        Ok(Some((old, new)))
    }

    /// The index of the caller's server; another AppId's does not exist for the caller.
    fn owned_server(&self, instance_id: &str) -> Result<usize, ApiError> {
        self.state
            .servers
            .iter()
            .position(|s| s.id == instance_id && s.app_id == self.caller.app_id)
            .ok_or_else(|| not_found(instance_id))
    }
}

impl State {
    /// The public address of one family bound to a server.
    fn server_ip(&self, server: &str, ipv6: bool) -> Option<IpAddr> {
        self.addresses
            .iter()
            .find(|a| a.server.as_deref() == Some(server) && a.ip.is_ipv6() == ipv6)
            .map(|a| a.ip)
    }
}

fn server_json(state: &State, server: &Server) -> Value {
    let address = |ipv6| {
        state
            .server_ip(&server.id, ipv6)
            .map(|ip| ip.to_string())
            .unwrap_or_default()
    };
    let model = server.instance_type;
    let machine = server.id.strip_prefix("epm-").unwrap_or(&server.id);
    json!({
        "InstanceId": server.id,
        "InstanceName": server.name,
        "MachineId": format!("srv-{machine}"),
        "InstanceType": model.name,
        "Zone": server.zone,
        "ImageId": server.image_id.as_deref().unwrap_or_default(),
        "InstanceStatus": "running",
        "OperateStatus": "normal",
        "PrivateNetworkId": server.private_network_id,
        "PrivateIp": server.private_ip.to_string(),
        "PrivateIpV6": "",
        "PublicNetworkId": server.public_network_id,
        "PublicIp": address(false),
        "PublicIpV6": address(true),
        "CreatedTime": format!("{}Z", iso_datetime(server.created_at)),
        "InstanceFamily": model.family,
        "InstanceFamilyName": model.family_name,
        "CpuType": model.cpu_type,
        "Cpu": model.cpu_cores,
        "Memory": model.memory_gb,
    })
}

/// A name of 1 to 60 characters, as ModifyInstanceAttribute documents; `code` is the
/// action's own code for a bad parameter.
fn check_name(name: &str, code: &str) -> Result<(), ApiError> {
    let length = name.chars().count();
    if !(1..=60).contains(&length) || name.trim().is_empty() {
        return Err(ApiError::new(
            code,
            format!("An instance name must have 1 to 60 non-blank characters, got {length}."),
        ));
    }
    Ok(())
}

fn not_found(instance_id: &str) -> ApiError {
    ApiError::new(
        INSTANCE_NOT_FOUND,
        format!("The server {instance_id} does not exist."),
    )
}
