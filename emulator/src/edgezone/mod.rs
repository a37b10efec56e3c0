//! The stateful model of edgezone 2026-04-01. Every one of its 19 actions reads and writes
//! one `State`: public network instances owned by AppIds, the addresses applied to STATIC
//! instances from test pools, private network instances, the physical servers
//! (CreateInstances) that take an address of each network until terminated, the zones
//! where an account enabled the edge node service, and the zones themselves. Bindings can
//! also be seeded through the library or the admin route, standing for servers made
//! elsewhere; a fresh emulator holds the documentation's example instance (`seed`).
//!
//! Address pools (documentation ranges, never routable): STATIC IPv4 from
//! 198.51.100.2-254, STATIC IPv6 from 2001:db8::1-ffff (or fewer, see
//! [`Edgezone::with_ipv6_pool`]); BGP/OSPF instances get one of four /26 blocks of
//! 203.0.113.0/24 and a /96 under 2001:db8:N::.
//!
//! An action answers only codes it documents (or common ones): another AppId's resource
//! does not exist for the caller, except where the action documents
//! UnauthorizedOperation.PermissionDenied (ReleasePublicIp).

mod actions;
mod instance_types;
mod private;
mod seed;
mod servers;
mod zones;

use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use serde_json::{Map, Value};

use crate::accounts::Account;
use crate::envelope::ApiError;

pub const SERVICE: &str = "edgezone";
pub const VERSION: &str = "2026-04-01";

/// Number of BGP/OSPF CIDR blocks (/26 of 203.0.113.0/24).
const DYNAMIC_BLOCKS: usize = 4;

#[derive(Debug, Default)]
pub struct Edgezone {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Size of the STATIC IPv6 pool when smaller than the whole 2001:db8::1-ffff.
    ipv6_pool: Option<u16>,
    /// In creation order.
    instances: Vec<Instance>,
    /// Addresses held by STATIC instances, in application order.
    addresses: Vec<Address>,
    private_instances: Vec<PrivateInstance>,
    /// In creation order.
    servers: Vec<Server>,
    /// (AppId, zone) pairs where CreateEdgeNodeService enabled the service.
    edge_services: Vec<(u64, String)>,
    /// Every zone any resource was ever created in, in order of first use: its index
    /// gives the zone its numeric ZoneId, which must not change when resources go.
    zones: Vec<String>,
    /// Orders records created within the same second.
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Instance {
    id: String,
    app_id: u64,
    zone_id: String,
    name: String,
    line: String,
    route_mode: RouteMode,
    bandwidth: Option<i64>,
    /// BGP/OSPF only: index of the CIDR block the instance was given.
    block: Option<usize>,
    created_at: SystemTime,
    updated_at: SystemTime,
    seq: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RouteMode {
    Static,
    Bgp,
    Ospf,
}

#[derive(Debug, Clone)]
struct Address {
    ip: IpAddr,
    instance_id: String,
    server: Option<String>,
    created_at: SystemTime,
    updated_at: SystemTime,
    seq: u64,
}

#[derive(Debug, Clone)]
struct PrivateInstance {
    id: String,
    app_id: u64,
    zone_id: String,
    name: String,
    network: Ipv4Addr,
    /// 8 to 28, checked at creation.
    mask: u8,
    created_at: SystemTime,
    updated_at: SystemTime,
}

/// A physical server (CreateInstances); its public addresses are the `Address`es bound to
/// its id, its private address is its own.
#[derive(Debug, Clone)]
struct Server {
    id: String,
    app_id: u64,
    name: String,
    zone: String,
    instance_type: &'static instance_types::InstanceType,
    image_id: Option<String>,
    public_network_id: String,
    private_network_id: String,
    private_ip: Ipv4Addr,
    created_at: SystemTime,
}

/// Why a seeding call was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedError {
    InvalidAddress(String),
    AddressNotApplied(String),
    AddressAlreadyHeld(String),
    AddressBoundElsewhere { ip: String, server: String },
    InstanceNotFound(String),
    InstanceNotStatic(String),
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::InvalidAddress(ip) => write!(f, "`{ip}` is not an IP address"),
            SeedError::AddressNotApplied(ip) => {
                write!(f, "{ip} is not applied to any public network instance")
            }
            SeedError::AddressAlreadyHeld(ip) => {
                write!(f, "{ip} is already held by a public network instance")
            }
            SeedError::AddressBoundElsewhere { ip, server } => {
                write!(f, "{ip} is already bound to server {server}")
            }
            SeedError::InstanceNotFound(id) => {
                write!(f, "public network instance {id} does not exist")
            }
            SeedError::InstanceNotStatic(id) => {
                write!(f, "public network instance {id} is not in STATIC mode")
            }
        }
    }
}

impl std::error::Error for SeedError {}

impl Edgezone {
    /// A model whose STATIC IPv6 pool is 2001:db8::1 up to ::`size` (at most 65,535, the
    /// default), so that a test can exhaust it: the default pool outlasts any quota.
    pub fn with_ipv6_pool(size: u16) -> Self {
        Self {
            state: Mutex::new(State {
                ipv6_pool: Some(size),
                ..State::default()
            }),
        }
    }

    /// Runs a modelled action; `None` when `action` has no behaviour model.
    pub fn call(
        &self,
        action: &str,
        caller: &Account,
        params: &Map<String, Value>,
        now: SystemTime,
    ) -> Option<Result<Map<String, Value>, ApiError>> {
        if action == "DescribePublicIps" {
            // Takes the lock only to copy what it reads (see actions::describe_ips).
            return Some(actions::describe_ips(self, caller, params, now));
        }
        let mut state = self.lock();
        let call = actions::Call {
            state: &mut state,
            caller,
            params,
            now,
        };
        Some(match action {
            "CreatePublicNetworkInstance" => call.create_instance(),
            "ApplyPublicIps" => call.apply_ips(),
            "ReleasePublicIp" => call.release_ips(),
            "DescribePublicIps" => call.describe_ips(),
            "DescribePublicNetworkInstances" => call.describe_instances(),
            "DeletePublicNetworkInstance" => call.delete_instance(),
            "ModifyPublicNetworkInstance" => call.rename_instance(),
            "CreatePrivateNetworkInstance" => call.create_private_instance(),
            "DeletePrivateNetworkInstance" => call.delete_private_instance(),
            "ModifyPrivateNetworkInstance" => call.rename_private_instance(),
            "DescribePrivateNetworkInstances" => call.describe_private_instances(),
            "CreateInstances" => call.create_servers(),
            "TerminateInstances" => call.terminate_servers(),
            "DescribeInstances" => call.describe_servers(),
            "ModifyInstanceAttribute" => call.modify_server(),
            "DescribeInstanceTypes" => call.describe_instance_types(),
            "CreateEdgeNodeService" => call.enable_edge_service(),
            "DescribeZones" => call.describe_zones(),
            "DescribeZoneData" => call.describe_zone_data(),
            _ => return None,
        })
    }

    /// Adds the documentation's example instance (see `seed`), as a fresh emulator has it.
    pub fn seed_documentation_example(&self, now: SystemTime) {
        self.lock().seed_documentation_example(now);
    }

    /// Binds an applied address to a physical server (idempotent for the same server).
    pub fn bind(&self, ip: &str, server: &str, now: SystemTime) -> Result<(), SeedError> {
        let parsed = parse_ip(ip)?;
        let mut state = self.lock();
        let address = state
            .addresses
            .iter_mut()
            .find(|a| a.ip == parsed)
            .ok_or_else(|| SeedError::AddressNotApplied(ip.to_owned()))?;
        match &address.server {
            Some(bound) if bound != server => Err(SeedError::AddressBoundElsewhere {
                ip: ip.to_owned(),
                server: bound.clone(),
            }),
            _ => {
                address.server = Some(server.to_owned());
                address.updated_at = now;
                Ok(())
            }
        }
    }

    /// Unbinds an address, as when its server is terminated.
    pub fn unbind(&self, ip: &str, now: SystemTime) -> Result<(), SeedError> {
        let parsed = parse_ip(ip)?;
        let mut state = self.lock();
        let address = state
            .addresses
            .iter_mut()
            .find(|a| a.ip == parsed)
            .ok_or_else(|| SeedError::AddressNotApplied(ip.to_owned()))?;
        address.server = None;
        address.updated_at = now;
        Ok(())
    }

    /// Gives a STATIC instance a specific address, outside the pools (e.g. the documented
    /// example addresses), as if it had been applied.
    pub fn add_address(
        &self,
        instance_id: &str,
        ip: &str,
        now: SystemTime,
    ) -> Result<(), SeedError> {
        let parsed = parse_ip(ip)?;
        let mut state = self.lock();
        let instance = state
            .instances
            .iter()
            .find(|i| i.id == instance_id)
            .ok_or_else(|| SeedError::InstanceNotFound(instance_id.to_owned()))?;
        if instance.route_mode != RouteMode::Static {
            return Err(SeedError::InstanceNotStatic(instance_id.to_owned()));
        }
        if state.addresses.iter().any(|a| a.ip == parsed) {
            return Err(SeedError::AddressAlreadyHeld(ip.to_owned()));
        }
        let seq = state.next_seq();
        state.addresses.push(Address {
            ip: parsed,
            instance_id: instance_id.to_owned(),
            server: None,
            created_at: now,
            updated_at: now,
            seq,
        });
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Handlers validate before they mutate, so a poisoned state is still consistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The lowest free addresses of the family's pool, or `None` if fewer than `count`.
    fn allocate(&self, ipv6: bool, count: usize) -> Option<Vec<IpAddr>> {
        let candidates: Box<dyn Iterator<Item = IpAddr>> = if ipv6 {
            let last = self.ipv6_pool.unwrap_or(u16::MAX);
            Box::new((1..=last).map(|n| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n))))
        } else {
            Box::new((2..=254_u8).map(|n| IpAddr::V4(Ipv4Addr::new(198, 51, 100, n))))
        };
        let held: HashSet<IpAddr> = self.addresses.iter().map(|a| a.ip).collect();
        let free: Vec<IpAddr> = candidates
            .filter(|ip| !held.contains(ip))
            .take(count)
            .collect();
        (free.len() == count).then_some(free)
    }

    fn free_block(&self) -> Option<usize> {
        (0..DYNAMIC_BLOCKS).find(|block| !self.instances.iter().any(|i| i.block == Some(*block)))
    }

    /// Records a zone the first time a resource is created in it.
    fn register_zone(&mut self, zone: &str) {
        if !self.zones.iter().any(|z| z == zone) {
            self.zones.push(zone.to_owned());
        }
    }

    /// The zones an account has anything in (a network, a server, the edge node service),
    /// as indices into `zones`, in order of first use.
    fn account_zones(&self, app_id: u64) -> Vec<usize> {
        let used = |zone: &str| {
            self.instances
                .iter()
                .any(|i| i.app_id == app_id && i.zone_id == zone)
                || self
                    .private_instances
                    .iter()
                    .any(|p| p.app_id == app_id && p.zone_id == zone)
                || self
                    .servers
                    .iter()
                    .any(|s| s.app_id == app_id && s.zone == zone)
                || self
                    .edge_services
                    .iter()
                    .any(|(owner, z)| *owner == app_id && z == zone)
        };
        (0..self.zones.len())
            .filter(|&index| used(&self.zones[index]))
            .collect()
    }
}

/// `(CIDR, gateway)` of a BGP/OSPF instance's IPv4 and IPv6 blocks.
fn block_cidrs(block: usize) -> [(String, String); 2] {
    let base = block * 64;
    [
        (
            format!("203.0.113.{base}/26"),
            format!("203.0.113.{}", base + 1),
        ),
        (
            format!("2001:db8:{}::/96", block + 1),
            format!("2001:db8:{}::1", block + 1),
        ),
    ]
}

fn parse_ip(ip: &str) -> Result<IpAddr, SeedError> {
    ip.trim()
        .parse()
        .map_err(|_| SeedError::InvalidAddress(ip.to_owned()))
}

/// `<prefix>-` and 8 random lower-case letters and digits, e.g. `epn-a1b2c3d4`.
fn new_id(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let suffix: String = (0..8)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect();
    format!("{prefix}-{suffix}")
}

impl RouteMode {
    fn parse(text: &str) -> Option<RouteMode> {
        match text.to_ascii_lowercase().as_str() {
            "static" => Some(RouteMode::Static),
            "bgp" => Some(RouteMode::Bgp),
            "ospf" => Some(RouteMode::Ospf),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            RouteMode::Static => "STATIC",
            RouteMode::Bgp => "BGP",
            RouteMode::Ospf => "OSPF",
        }
    }
}
