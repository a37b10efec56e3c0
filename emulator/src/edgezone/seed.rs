//! The documentation's example instance, which a freshly started emulator holds so that
//! the documented ReleasePublicIp request (and README.md's example, which quotes it)
//! succeeds as written: STATIC public network instance epn-dfghjkl of the primary test
//! account, holding the unbound addresses 226.10.12.3 and 226.10.12.4. Its other values are
//! the documented examples of CreatePublicNetworkInstance's members, except the zone,
//! which no example or test uses for anything else (so creating an instance in a zone of
//! one's own never meets PublicInstanceDuplicate).

use std::net::{IpAddr, Ipv4Addr};
use std::time::SystemTime;

use super::{Address, Instance, RouteMode, State};
use crate::accounts::credentials;

pub const INSTANCE_ID: &str = "epn-dfghjkl";
pub const ZONE: &str = "ap-singapore-tez-1";
pub const ADDRESSES: [Ipv4Addr; 2] = [Ipv4Addr::new(226, 10, 12, 3), Ipv4Addr::new(226, 10, 12, 4)];

impl State {
    /// Adds the example; a no-op if its instance is already there.
    pub(super) fn seed_documentation_example(&mut self, now: SystemTime) {
        if self.instances.iter().any(|i| i.id == INSTANCE_ID) {
            return;
        }
        let seq = self.next_seq();
        self.register_zone(ZONE);
        self.instances.push(Instance {
            id: INSTANCE_ID.to_owned(),
            app_id: credentials::PRIMARY.app_id,
            zone_id: ZONE.to_owned(),
            name: "新加坡EPM公网实例".to_owned(),
            line: "BGP".to_owned(),
            route_mode: RouteMode::Static,
            bandwidth: Some(100),
            block: None,
            created_at: now,
            updated_at: now,
            seq,
        });
        for ip in ADDRESSES {
            let seq = self.next_seq();
            self.addresses.push(Address {
                ip: IpAddr::V4(ip),
                instance_id: INSTANCE_ID.to_owned(),
                server: None,
                created_at: now,
                updated_at: now,
                seq,
            });
        }
    }
}
