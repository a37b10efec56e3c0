//! Keeping `sdk/Cargo.toml` in step with the service crates: two blocks between marker
//! comments belong to the generator, one line per service in each,
//!
//! ```toml
//! [features]
//! cvm = ["dep:tencent-cloud-cvm"]
//! [dependencies]
//! tencent-cloud-cvm = { path = "../services/cvm", version = "0.1.0", optional = true }
//! ```
//!
//! and everything outside them is left alone.

use std::collections::BTreeSet;

use super::tree::{SERVICES_DIR, package_name};
use crate::ir::Service;

pub const FEATURES_BEGIN: &str =
    "# BEGIN service features: written by `cargo xtask codegen`, do not edit";
pub const FEATURES_END: &str = "# END service features";
pub const CRATES_BEGIN: &str =
    "# BEGIN service crates: written by `cargo xtask codegen`, do not edit";
pub const CRATES_END: &str = "# END service crates";

/// `cargo_toml` with both marked blocks rewritten for `services`, whose crates are
/// published at `version`; `None` if a pair of markers is missing or out of order.
pub fn splice(cargo_toml: &str, services: &[Service], version: &str) -> Option<String> {
    let names: BTreeSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let features: String = (names.iter())
        .map(|name| format!("{name} = [\"dep:{}\"]\n", package_name(name)))
        .collect();
    let crates: String = (names.iter())
        .map(|name| {
            format!(
                "{} = {{ path = \"../{SERVICES_DIR}/{name}\", version = \"{version}\", optional = true }}\n",
                package_name(name)
            )
        })
        .collect();
    let spliced = splice_block(cargo_toml, FEATURES_BEGIN, FEATURES_END, &features)?;
    splice_block(&spliced, CRATES_BEGIN, CRATES_END, &crates)
}

fn splice_block(text: &str, begin: &str, end: &str, block: &str) -> Option<String> {
    let begin = text.find(begin)?;
    let after_begin = begin + text[begin..].find('\n')? + 1;
    let end = after_begin + text[after_begin..].find(end)?;
    Some(format!("{}{block}{}", &text[..after_begin], &text[end..]))
}
