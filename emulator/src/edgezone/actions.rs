//! The actions on public network instances and their addresses. Each checks, in order:
//! parameter values the schema cannot express, the instance (exists and belongs to the
//! caller's AppId, right route mode), then the addresses; and changes state only once
//! every check has passed. The parameter helpers here serve every edgezone action.

use std::collections::{BTreeSet, HashSet};
use std::net::IpAddr;
use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::{Address, Edgezone, Instance, RouteMode, State, block_cidrs, new_id};
use crate::accounts::Account;
use crate::clock::iso_datetime;
use crate::envelope::{ApiError, code};

const PUBLIC_INSTANCE_NOT_FOUND: &str = "ResourceNotFound.PublicInstanceNotFound";
const PERMISSION_DENIED: &str = "UnauthorizedOperation.PermissionDenied";
const NOT_SUPPORTED_FOR_DYNAMIC: &str = "FailedOperation.NotSupportedForDynamicInstance";

pub(super) struct Call<'a> {
    pub state: &'a mut State,
    pub caller: &'a Account,
    pub params: &'a Map<String, Value>,
    pub now: SystemTime,
}

pub(super) type Output = Result<Map<String, Value>, ApiError>;

impl<'a> Call<'a> {
    pub fn create_instance(self) -> Output {
        let zone_id = self.non_empty("ZoneId")?;
        let name = self.non_empty("NetworkInstanceName")?;
        let line = self.non_empty("Line")?;
        let mode_text = self.str("RouteMode")?;
        let route_mode = RouteMode::parse(mode_text).ok_or_else(|| {
            invalid_value(format!(
                "RouteMode `{mode_text}` is not one of: static, bgp, ospf."
            ))
        })?;
        let bandwidth = self.params.get("Bandwidth").and_then(Value::as_i64);
        if bandwidth.is_some_and(|b| b < 1) {
            return Err(invalid_value("Bandwidth must be at least 1 Mbps."));
        }
        if let Some(existing) = self
            .state
            .instances
            .iter()
            .find(|i| i.app_id == self.caller.app_id && i.zone_id == zone_id)
        {
            return Err(ApiError::new(
                "FailedOperation.PublicInstanceDuplicate",
                format!(
                    "AppId {} already has public network instance {} in zone {zone_id}.",
                    self.caller.app_id, existing.id
                ),
            ));
        }
        let block = if route_mode == RouteMode::Static {
            None
        } else {
            if self.caller.ipv4_quota == 0 {
                return Err(ApiError::new(
                    "LimitExceeded.QuotaNotConfigured",
                    format!(
                        "AppId {} has no IPv4 quota configured in zone {zone_id}.",
                        self.caller.app_id
                    ),
                ));
            }
            Some(self.state.free_block().ok_or_else(|| {
                ApiError::new(
                    "ResourceInsufficient.NoAvailableCidr",
                    format!("No idle CIDR block is allocatable in zone {zone_id}."),
                )
            })?)
        };

        let id = new_id("epn");
        let seq = self.state.next_seq();
        self.state.register_zone(zone_id);
        self.state.instances.push(Instance {
            id: id.clone(),
            app_id: self.caller.app_id,
            zone_id: zone_id.to_owned(),
            name: name.to_owned(),
            line: line.to_owned(),
            route_mode,
            bandwidth,
            block,
            created_at: self.now,
            updated_at: self.now,
            seq,
        });
        Ok(object(json!({ "NetworkInstanceId": id })))
    }

    pub fn apply_ips(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let ipv6 = self.ip_type()?;
        let count = self
            .params
            .get("Count")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if count < 1 {
            return Err(invalid_value(format!(
                "Count must be at least 1, got {count}."
            )));
        }
        // ApplyPublicIps documents no not-found code; an unknown instance is a bad parameter.
        let index = self.owned_instance(instance_id).map_err(|_| {
            ApiError::new(
                code::INVALID_PARAMETER,
                format!("NetworkInstanceId {instance_id} is not a public network instance of this account."),
            )
        })?;
        self.require_static(index)?;
        let (quota, family, not_configured, exceeded, insufficient) = if ipv6 {
            let codes = (
                "LimitExceeded.Ipv6QuotaNotConfigured",
                "LimitExceeded.Ipv6QuotaExceeded",
            );
            (
                self.caller.ipv6_quota,
                "IPv6",
                codes.0,
                codes.1,
                "ResourceInsufficient.PublicIpv6Insufficient",
            )
        } else {
            let codes = (
                "LimitExceeded.QuotaNotConfigured",
                "LimitExceeded.QuotaExceeded",
            );
            (
                self.caller.ipv4_quota,
                "IPv4",
                codes.0,
                codes.1,
                "ResourceInsufficient.PublicIpInsufficient",
            )
        };
        let zone_id = self.state.instances[index].zone_id.clone();
        if quota == 0 {
            return Err(ApiError::new(
                not_configured,
                format!(
                    "AppId {} has no {family} quota configured in zone {zone_id}.",
                    self.caller.app_id
                ),
            ));
        }
        let held = self
            .state
            .addresses
            .iter()
            .filter(|a| a.instance_id == instance_id && a.ip.is_ipv6() == ipv6)
            .count();
        let wanted = usize::try_from(count).unwrap_or(usize::MAX);
        if held.saturating_add(wanted) > usize::try_from(quota).unwrap_or(usize::MAX) {
            return Err(ApiError::new(
                exceeded,
                format!(
                    "{instance_id} holds {held} {family} addresses; {count} more would exceed the quota of {quota}."
                ),
            ));
        }
        let ips = self.state.allocate(ipv6, wanted).ok_or_else(|| {
            ApiError::new(
                insufficient,
                format!("Fewer than {count} {family} addresses remain in the pool."),
            )
        })?;
        for ip in &ips {
            let seq = self.state.next_seq();
            self.state.addresses.push(Address {
                ip: *ip,
                instance_id: instance_id.to_owned(),
                server: None,
                created_at: self.now,
                updated_at: self.now,
                seq,
            });
        }
        self.state.instances[index].updated_at = self.now;
        let list: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
        Ok(object(json!({ "IpList": list })))
    }

    /// All or nothing: the first listed address that cannot be released names the error.
    pub fn release_ips(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let ipv6 = self.ip_type()?;
        let requested = self.str_list("IpList");
        if requested.is_empty() {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                "IpList must list at least one address.",
            ));
        }
        self.deny_foreign(instance_id)?;
        let index = self.owned_instance(instance_id)?;
        self.require_static(index)?;

        let mut releasing = BTreeSet::new();
        for text in requested {
            let held = text.trim().parse::<IpAddr>().ok().and_then(|ip| {
                self.state.addresses.iter().position(|a| {
                    a.ip == ip && a.ip.is_ipv6() == ipv6 && a.instance_id == instance_id
                })
            });
            let Some(position) = held else {
                let (code, family) = if ipv6 {
                    ("InvalidParameterValue.PublicIpv6NotAvailable", "IPv6")
                } else {
                    ("InvalidParameterValue.PublicIpNotAvailable", "IPv4")
                };
                return Err(ApiError::new(
                    code,
                    format!(
                        "The {family} address {text} is not applied to public network instance {instance_id}."
                    ),
                ));
            };
            if let Some(server) = &self.state.addresses[position].server {
                return Err(ApiError::new(
                    "FailedOperation.IpStillBoundToServer",
                    format!(
                        "The address {text} is still bound to server {server}; terminate the server first."
                    ),
                ));
            }
            releasing.insert(position);
        }
        // Highest positions first, so earlier removals do not shift later ones.
        for position in releasing.into_iter().rev() {
            self.state.addresses.remove(position);
        }
        self.state.instances[index].updated_at = self.now;
        Ok(Map::new())
    }

    /// DescribePublicIps entirely under the lock; `Edgezone::call` answers it through
    /// [`describe_ips`] instead, which holds the lock only to copy rows.
    pub fn describe_ips(self) -> Output {
        check_filter_sizes(self.params)?;
        let query = self.ip_query()?;
        Ok(query.answer(self.ip_rows(query.zone.as_deref())))
    }

    /// DescribePublicIps' filters, checked and copied so that they outlive the lock.
    fn ip_query(&self) -> Result<IpQuery, ApiError> {
        let owned = |values: Vec<&str>| values.into_iter().map(str::to_owned).collect();
        let order = match self.params.get("OrderByUpdateTime").and_then(Value::as_str) {
            Some(text) => (true, self.direction("OrderByUpdateTime", text)?),
            None => {
                let text = self
                    .params
                    .get("OrderByCreateTime")
                    .and_then(Value::as_str)
                    .unwrap_or("desc");
                (false, self.direction("OrderByCreateTime", text)?)
            }
        };
        let (offset, limit) = self.page()?;
        Ok(IpQuery {
            ids: owned(self.str_list("NetworkInstanceId")),
            ips: owned(self.str_list("Ip")),
            zone: self
                .params
                .get("ZoneId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            states: self.choices("State", &["InUse", "Unbound"])?,
            types: self.choices("Type", &["Ipv4", "Ipv6"])?,
            by_update: order.0,
            ascending: order.1,
            offset,
            limit,
        })
    }

    /// The rows of the caller's instances (in `zone`, if given), copied out of the state.
    fn ip_rows(&self, zone: Option<&str>) -> Vec<IpRow> {
        let mut rows: Vec<IpRow> = Vec::new();
        for instance in self
            .state
            .instances
            .iter()
            .filter(|i| i.app_id == self.caller.app_id)
        {
            if zone.is_some_and(|z| z != instance.zone_id) {
                continue;
            }
            match instance.block {
                // BGP/OSPF: the CIDR blocks stand for their addresses.
                Some(block) => {
                    for (family, (cidr, _)) in ["Ipv4", "Ipv6"].into_iter().zip(block_cidrs(block))
                    {
                        rows.push(IpRow::block(instance, cidr, family));
                    }
                }
                None => rows.extend(
                    self.state
                        .addresses
                        .iter()
                        .filter(|a| a.instance_id == instance.id)
                        .map(IpRow::address),
                ),
            }
        }
        rows
    }

    pub fn describe_instances(self) -> Output {
        let id = self.params.get("NetworkInstanceId").and_then(Value::as_str);
        let name = self
            .params
            .get("NetworkInstanceName")
            .and_then(Value::as_str);
        let zone = self.params.get("ZoneId").and_then(Value::as_str);
        let (offset, limit) = self.page()?;
        let mine: Vec<&Instance> = self
            .state
            .instances
            .iter()
            .filter(|i| i.app_id == self.caller.app_id)
            .collect();
        // Asking for one instance by id that the caller does not have is an error.
        match id {
            Some(id) if !mine.iter().any(|i| i.id == id) => return Err(not_found(id)),
            _ => {}
        }
        let matching: Vec<&Instance> = mine
            .into_iter()
            .filter(|i| {
                id.is_none_or(|id| i.id == id)
                    && name.is_none_or(|name| i.name.contains(name))
                    && zone.is_none_or(|zone| i.zone_id == zone)
            })
            .collect();
        let page: Vec<Value> = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|i| self.instance_json(i))
            .collect();
        Ok(object(
            json!({ "TotalCount": matching.len(), "PublicNetworkInstanceSet": page }),
        ))
    }

    pub fn delete_instance(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let index = self.owned_instance(instance_id)?;
        if let Some(server) = self
            .state
            .servers
            .iter()
            .find(|s| s.public_network_id == instance_id)
        {
            return Err(ApiError::new(
                "ResourceInUse.PublicInstanceInUse",
                format!(
                    "{instance_id} still has server {}; terminate its servers first.",
                    server.id
                ),
            ));
        }
        let held: Vec<&Address> = self
            .state
            .addresses
            .iter()
            .filter(|a| a.instance_id == instance_id)
            .collect();
        if let Some(bound) = held.iter().find(|a| a.server.is_some()) {
            return Err(ApiError::new(
                "ResourceInUse.PublicInstanceInUse",
                format!(
                    "{instance_id} still has address {} bound to server {}; release the servers first.",
                    bound.ip,
                    bound.server.as_deref().unwrap_or_default()
                ),
            ));
        }
        if !held.is_empty() {
            return Err(ApiError::new(
                "ResourceInUse.PublicInstanceInUse",
                format!(
                    "{instance_id} still holds {} applied addresses; release them first.",
                    held.len()
                ),
            ));
        }
        // A BGP/OSPF instance's block returns to the pool with it.
        self.state.instances.remove(index);
        Ok(Map::new())
    }

    /// ModifyPublicNetworkInstance: its only modifiable attribute is the name.
    pub fn rename_instance(self) -> Output {
        let instance_id = self.str("NetworkInstanceId")?;
        let name = self.non_empty("NetworkInstanceName")?;
        let index = self.owned_instance(instance_id)?;
        let instance = &mut self.state.instances[index];
        instance.name = name.to_owned();
        instance.updated_at = self.now;
        Ok(Map::new())
    }

    // --- lookups -----------------------------------------------------------------------

    /// The index of the caller's instance, NotFound if the caller has none of that id:
    /// another AppId's instance does not exist for the caller, since only ReleasePublicIp
    /// documents PermissionDenied (see `deny_foreign`).
    pub(super) fn owned_instance(&self, instance_id: &str) -> Result<usize, ApiError> {
        self.state
            .instances
            .iter()
            .position(|i| i.id == instance_id && i.app_id == self.caller.app_id)
            .ok_or_else(|| not_found(instance_id))
    }

    /// PermissionDenied if another AppId owns the instance, for the actions documenting it.
    fn deny_foreign(&self, instance_id: &str) -> Result<(), ApiError> {
        let foreign = self
            .state
            .instances
            .iter()
            .any(|i| i.id == instance_id && i.app_id != self.caller.app_id);
        if foreign {
            return Err(ApiError::new(
                PERMISSION_DENIED,
                format!(
                    "AppId {} does not own public network instance {instance_id}.",
                    self.caller.app_id
                ),
            ));
        }
        Ok(())
    }

    fn require_static(&self, index: usize) -> Result<(), ApiError> {
        let instance = &self.state.instances[index];
        let (instance_id, mode) = (&instance.id, instance.route_mode);
        if mode != RouteMode::Static {
            return Err(ApiError::new(
                NOT_SUPPORTED_FOR_DYNAMIC,
                format!(
                    "{instance_id} is in {} mode: its addresses are assigned and released by the system.",
                    mode.as_str()
                ),
            ));
        }
        Ok(())
    }

    fn instance_json(&self, instance: &Instance) -> Value {
        let addresses = self
            .state
            .addresses
            .iter()
            .filter(|a| a.instance_id == instance.id);
        // Servers made by CreateInstances, and those only seeded as bindings.
        let servers: BTreeSet<&str> = addresses
            .clone()
            .filter_map(|a| a.server.as_deref())
            .chain(
                self.state
                    .servers
                    .iter()
                    .filter(|s| s.public_network_id == instance.id)
                    .map(|s| s.id.as_str()),
            )
            .collect();
        let (ipv4_count, ipv6_count, ipv4_cidrs, ipv6_cidrs) = match instance.block {
            // As the real API reports a /26 (61 usable) and an unbounded IPv6 block.
            Some(block) => {
                let [(v4, v4_gateway), (v6, v6_gateway)] = block_cidrs(block);
                let segment = |cidr, gateway| json!([{ "Cidr": cidr, "Gateway": gateway }]);
                (61, -1, segment(v4, v4_gateway), segment(v6, v6_gateway))
            }
            None => {
                let (v6, v4): (Vec<&Address>, Vec<&Address>) =
                    addresses.partition(|a| a.ip.is_ipv6());
                (count(v4.len()), count(v6.len()), json!([]), json!([]))
            }
        };
        json!({
            "NetworkInstanceId": instance.id,
            "ZoneId": instance.zone_id,
            "NetworkInstanceName": instance.name,
            "Bandwidth": instance.bandwidth,
            "Line": instance.line,
            "RouteMode": instance.route_mode.as_str(),
            "ServerCount": servers.len(),
            "Ipv4Count": ipv4_count,
            "Ipv6Count": ipv6_count,
            "Ipv4CidrSet": ipv4_cidrs,
            "Ipv6CidrSet": ipv6_cidrs,
            "CreatedAt": iso_datetime(instance.created_at),
            "UpdatedAt": iso_datetime(instance.updated_at),
        })
    }

    // --- parameters (already type-checked against the schema) ----------------------------

    pub(super) fn str(&self, name: &str) -> Result<&'a str, ApiError> {
        self.params
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| {
                ApiError::new(
                    code::MISSING_PARAMETER,
                    format!("The request is missing a required parameter `{name}`."),
                )
            })
    }

    pub(super) fn non_empty(&self, name: &str) -> Result<&'a str, ApiError> {
        let value = self.str(name)?;
        if value.trim().is_empty() {
            return Err(invalid_value(format!("{name} must not be empty.")));
        }
        Ok(value)
    }

    pub(super) fn str_list(&self, name: &str) -> Vec<&'a str> {
        let items = self.params.get(name).and_then(Value::as_array);
        items
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// `Type` of Apply/Release: true for ipv6 (the schema's enum allows only the two).
    fn ip_type(&self) -> Result<bool, ApiError> {
        Ok(self.str("Type")? == "ipv6")
    }

    /// A filter list whose values must come from `allowed` (case-insensitive); returns
    /// them in `allowed`'s spelling.
    pub(super) fn choices(
        &self,
        name: &str,
        allowed: &[&'static str],
    ) -> Result<Vec<&'static str>, ApiError> {
        self.str_list(name)
            .into_iter()
            .map(|value| {
                allowed
                    .iter()
                    .copied()
                    .find(|a| a.eq_ignore_ascii_case(value))
                    .ok_or_else(|| {
                        invalid_value(format!(
                            "{name} value `{value}` is not one of: {}.",
                            allowed.join(", ")
                        ))
                    })
            })
            .collect()
    }

    /// true for ascending.
    fn direction(&self, name: &str, text: &str) -> Result<bool, ApiError> {
        match text.to_ascii_lowercase().as_str() {
            "asc" => Ok(true),
            "desc" => Ok(false),
            _ => Err(invalid_value(format!(
                "{name} must be `asc` or `desc`, got `{text}`."
            ))),
        }
    }

    /// Offset (default 0) and Limit (default 20, 1 to 100). Some actions type them uint64:
    /// a value beyond i64 counts as i64::MAX (an offset past the end, a limit too large).
    pub(super) fn page(&self) -> Result<(usize, usize), ApiError> {
        let number = |name: &str, default: i64| {
            self.params
                .get(name)
                .and_then(|value| value.as_i64().or(value.as_u64().map(|_| i64::MAX)))
                .unwrap_or(default)
        };
        let offset = number("Offset", 0);
        let limit = number("Limit", 20);
        let offset =
            usize::try_from(offset).map_err(|_| invalid_value("Offset must not be negative."))?;
        if !(1..=100).contains(&limit) {
            return Err(invalid_value(format!(
                "Limit must be between 1 and 100, got {limit}."
            )));
        }
        Ok((offset, usize::try_from(limit).unwrap_or(100)))
    }
}

/// Values one DescribePublicIps list filter may carry. The schema gives no limit; Tencent
/// Cloud's Describe actions take at most 100 ids or values per list, and one request with
/// 250,000 `Ip` values over 128 addresses held the state lock for 33 s.
pub(super) const MAX_FILTER_VALUES: usize = 100;
const LIMIT_EXCEEDED: &str = "InvalidParameterValue.LimitExceeded";

/// DescribePublicIps. Only copying the caller's rows happens under the state lock; the
/// filter-size check comes before it, and filtering, sorting and paging after it, so that
/// a slow query cannot stall other requests.
pub(super) fn describe_ips(
    edgezone: &Edgezone,
    caller: &Account,
    params: &Map<String, Value>,
    now: SystemTime,
) -> Output {
    check_filter_sizes(params)?;
    let (query, rows) = {
        let mut state = edgezone.lock();
        let call = Call {
            state: &mut state,
            caller,
            params,
            now,
        };
        let query = call.ip_query()?;
        let rows = call.ip_rows(query.zone.as_deref());
        (query, rows)
    };
    Ok(query.answer(rows))
}

/// Refuses a list filter of more than `MAX_FILTER_VALUES` values, before any work.
fn check_filter_sizes(params: &Map<String, Value>) -> Result<(), ApiError> {
    for name in ["NetworkInstanceId", "Ip", "State", "Type"] {
        let count = params
            .get(name)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if count > MAX_FILTER_VALUES {
            return Err(ApiError::new(
                LIMIT_EXCEEDED,
                format!("{name} takes at most {MAX_FILTER_VALUES} values, got {count}."),
            ));
        }
    }
    Ok(())
}

/// DescribePublicIps' filters, order and page.
struct IpQuery {
    ids: HashSet<String>,
    ips: HashSet<String>,
    zone: Option<String>,
    states: Vec<&'static str>,
    types: Vec<&'static str>,
    by_update: bool,
    ascending: bool,
    offset: usize,
    limit: usize,
}

impl IpQuery {
    fn answer(&self, mut rows: Vec<IpRow>) -> Map<String, Value> {
        rows.retain(|row| {
            matches_any(&self.ids, &row.instance_id)
                && matches_any(&self.ips, &row.ip)
                && (self.states.is_empty() || self.states.contains(&row.state()))
                && (self.types.is_empty() || self.types.contains(&row.family))
        });
        rows.sort_by(|a, b| {
            let ordering = if self.by_update {
                (a.updated_at, a.seq).cmp(&(b.updated_at, b.seq))
            } else {
                (a.created_at, a.seq).cmp(&(b.created_at, b.seq))
            };
            if self.ascending {
                ordering
            } else {
                ordering.reverse()
            }
        });
        let total = rows.len();
        let page: Vec<Value> = rows
            .iter()
            .skip(self.offset)
            .take(self.limit)
            .map(IpRow::to_json)
            .collect();
        object(json!({ "TotalCount": total, "IpInfoSet": page }))
    }
}

/// Whether some value is a substring of `text` (the filters' documented "substring match,
/// union of multiple values"); true for no values. Looks every substring of `text` up in
/// the set, so the cost grows with the square of `text` (an id or address, at most a few
/// dozen bytes) and not with the number of values.
fn matches_any(values: &HashSet<String>, text: &str) -> bool {
    if values.is_empty() || values.contains("") {
        return true;
    }
    let ends: Vec<usize> = (1..=text.len())
        .filter(|&end| text.is_char_boundary(end))
        .collect();
    (0..text.len())
        .filter(|&start| text.is_char_boundary(start))
        .any(|start| {
            ends.iter()
                .filter(|&&end| end > start)
                .any(|&end| values.contains(&text[start..end]))
        })
}

/// One line of DescribePublicIps: an address, or a BGP/OSPF block.
struct IpRow {
    ip: String,
    instance_id: String,
    server: Option<String>,
    family: &'static str,
    created_at: SystemTime,
    updated_at: SystemTime,
    seq: u64,
}

impl IpRow {
    fn address(address: &Address) -> IpRow {
        IpRow {
            ip: address.ip.to_string(),
            instance_id: address.instance_id.clone(),
            server: address.server.clone(),
            family: if address.ip.is_ipv6() { "Ipv6" } else { "Ipv4" },
            created_at: address.created_at,
            updated_at: address.updated_at,
            seq: address.seq,
        }
    }

    fn block(instance: &Instance, cidr: String, family: &'static str) -> IpRow {
        IpRow {
            ip: cidr,
            instance_id: instance.id.clone(),
            server: None,
            family,
            created_at: instance.created_at,
            updated_at: instance.updated_at,
            seq: instance.seq,
        }
    }

    fn state(&self) -> &'static str {
        if self.server.is_some() {
            "InUse"
        } else {
            "Unbound"
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "Ip": self.ip,
            "NetworkInstanceId": self.instance_id,
            "InstanceId": self.server.as_deref().unwrap_or_default(),
            "State": self.state(),
            "Type": self.family,
            "CreatedAt": iso_datetime(self.created_at),
            "UpdatedAt": iso_datetime(self.updated_at),
        })
    }
}

pub(super) fn not_found(instance_id: &str) -> ApiError {
    ApiError::new(
        PUBLIC_INSTANCE_NOT_FOUND,
        format!("The public network instance {instance_id} does not exist."),
    )
}

pub(super) fn invalid_value(message: impl Into<String>) -> ApiError {
    ApiError::new(code::INVALID_PARAMETER_VALUE, message)
}

pub(super) fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(super) fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
