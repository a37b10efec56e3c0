//! The server models every zone offers (the two of DescribeInstanceTypes' documented
//! examples), each with a quota of servers per account and zone. DescribeInstanceTypes
//! reports what is left of it, CreateInstances uses it up and TerminateInstances gives it
//! back.

use serde_json::{Value, json};

use super::State;
use super::actions::{Call, Output, object};

/// Servers of one model an account may have in one zone, as the documented example shows.
pub const QUOTA_PER_ZONE: usize = 10;

/// A server model, as InstanceTypeQuota describes it.
#[derive(Debug)]
pub struct InstanceType {
    pub name: &'static str,
    pub family: &'static str,
    pub family_name: &'static str,
    pub cpu_cores: i64,
    pub cpu_type: &'static str,
    pub memory_gb: i64,
    pub data_disk_size: i64,
}

pub static INSTANCE_TYPES: [InstanceType; 2] = [
    InstanceType {
        name: "BMS5.MEDIUM8",
        family: "BM.S5",
        family_name: "Standard S5",
        cpu_cores: 8,
        cpu_type: "6231C*2",
        memory_gb: 32,
        data_disk_size: 960,
    },
    InstanceType {
        name: "BMS5.LARGE16",
        family: "BM.S5",
        family_name: "Standard S5",
        cpu_cores: 16,
        cpu_type: "6231C*2",
        memory_gb: 64,
        data_disk_size: 1920,
    },
];

/// The model of that name, exactly as DescribeInstanceTypes spells it.
pub fn find(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

impl State {
    /// How many more servers of `model` the account may create in `zone`.
    pub(super) fn remaining_quota(&self, app_id: u64, zone: &str, model: &InstanceType) -> usize {
        let used = self
            .servers
            .iter()
            .filter(|s| s.app_id == app_id && s.zone == zone && s.instance_type.name == model.name)
            .count();
        QUOTA_PER_ZONE.saturating_sub(used)
    }
}

impl Call<'_> {
    /// Every model of the given Zone, or of every zone the account has anything in; paged.
    pub fn describe_instance_types(self) -> Output {
        let zones: Vec<&str> = match self.params.get("Zone").and_then(Value::as_str) {
            Some(zone) => vec![zone],
            None => self
                .state
                .account_zones(self.caller.app_id)
                .into_iter()
                .map(|index| self.state.zones[index].as_str())
                .collect(),
        };
        let (offset, limit) = self.page()?;
        let rows: Vec<(&str, &InstanceType)> = zones
            .iter()
            .flat_map(|zone| INSTANCE_TYPES.iter().map(move |model| (*zone, model)))
            .collect();
        let page: Vec<Value> = rows
            .iter()
            .skip(offset)
            .take(limit)
            .map(|(zone, model)| {
                let quota = self.state.remaining_quota(self.caller.app_id, zone, model);
                quota_json(zone, model, quota)
            })
            .collect();
        Ok(object(
            json!({ "InstanceTypeQuotaSet": page, "TotalCount": rows.len() }),
        ))
    }
}

fn quota_json(zone: &str, model: &InstanceType, quota: usize) -> Value {
    json!({
        "Zone": zone,
        "InstanceType": model.name,
        "InstanceFamily": model.family,
        "InstanceFamilyName": model.family_name,
        "CpuCores": model.cpu_cores,
        "CpuType": model.cpu_type,
        "MemoryGb": model.memory_gb,
        "SystemDiskType": "SSD",
        "SystemDiskSize": 480,
        "SystemDiskCount": 2,
        "DataDiskType": "SSD",
        "DataDiskSize": model.data_disk_size,
        "DataDiskCount": 4,
        "DiskType": format!("SSD-480G*2, SSD-{}G*4", model.data_disk_size),
        "NetworkInterfaceType": "25G*2",
        "GpuType": "",
        "Quota": quota,
    })
}
