//! Keeping `sdk/Cargo.toml`'s features in step with the services: the lines between
//! two marker comments in its `[features]` table belong to the generator, one
//! `<service> = []` per service; everything outside them is left alone.

use std::collections::BTreeSet;

use crate::ir::Service;

pub const BEGIN: &str = "# BEGIN service features: written by `cargo xtask codegen`, do not edit";
pub const END: &str = "# END service features";

/// `cargo_toml` with the marked block rewritten for `services`; `None` if the markers
/// are missing or out of order.
pub fn splice(cargo_toml: &str, services: &[Service]) -> Option<String> {
    let begin = cargo_toml.find(BEGIN)?;
    let after_begin = begin + cargo_toml[begin..].find('\n')? + 1;
    let end = after_begin + cargo_toml[after_begin..].find(END)?;
    let names: BTreeSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let block: String = names.iter().map(|name| format!("{name} = []\n")).collect();
    Some(format!(
        "{}{block}{}",
        &cargo_toml[..after_begin],
        &cargo_toml[end..]
    ))
}
