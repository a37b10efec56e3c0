//! Every Rust identifier the generator writes is decided here.
//!
//! Names come in three styles (heck does the case conversion), and within a scope
//! (the fields of one struct, the items of one module, the variants of one enum)
//! they are made unique deterministically:
//!
//! 1. the wire name is converted (`InstanceID` → `instance_id`) after non-ASCII and
//!    other non-identifier characters are replaced, so identifiers are always ASCII;
//! 2. names the scope reserves (std prelude types, generated items, builder methods)
//!    get a suffix (`Result` → `ResultType`, `send` → `send_`);
//! 3. names that still collide are numbered (`instance_id`, `instance_id_2`); the
//!    member whose wire name is the canonical spelling of the name keeps it unnumbered,
//!    the rest follow in byte order of their wire names, so the result does not depend
//!    on the order of members in the file;
//! 4. Rust keywords become raw identifiers (`r#type`), except `self`, `Self`, `super`
//!    and `crate`, which cannot be raw and get a trailing `_` (`super_`).

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Strict and reserved keywords of edition 2024 (weak keywords such as `union` are
/// usable as identifiers).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that `r#` cannot escape.
const NOT_RAW: &[&str] = &["Self", "crate", "self", "super"];

/// Type names that generated code (or a user's `use ...::*`) relies on meaning the std
/// or serde item; a schema type with one of these names is renamed.
pub const STD_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Value",
    "Vec",
];

/// The builder's setter of a raw-body action's body (`ir::Action::octet_stream`),
/// reserved like `BUILDER_NAMES` on those builders only, so that no other action's
/// member named `Body` is renamed.
pub const RAW_BODY_SETTER: &str = "body";

/// The own methods and fields of a request's builder, and the names a request's
/// setters must leave to it (`default`, for `Request::default()`); a request member with
/// one of these names gets a setter with a trailing `_` (`retry_`), so that
/// `.retry(false)` always means per-call retries.
pub const BUILDER_NAMES: &[&str] = &[
    "as_request",
    "client",
    "customize",
    "default",
    "into_paginator",
    "new",
    "options",
    "request",
    "retry",
    "send",
    "send_stream",
    "with_request",
];

/// Names an object type's setters must leave alone: `Type::default()` must stay the
/// derived constructor.
pub const OBJECT_NAMES: &[&str] = &["default"];

/// How a scope spells its names and what it does with a reserved one.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Struct fields, methods, modules: `snake_case`, reserved names get `_`, numbering
    /// uses `_2`.
    Snake,
    /// Types and variants: `UpperCamelCase`, reserved names get `suffix`, numbering
    /// uses a bare `2` (an underscore there would trip `non_camel_case_types`).
    UpperCamel { suffix: &'static str },
}

/// Assigns unique identifiers to `wire_names` within one scope, in the same order.
/// `reserved` holds names (in the scope's style, unescaped) that must not be produced.
pub fn assign(wire_names: &[&str], style: Style, reserved: &BTreeSet<String>) -> Vec<String> {
    let candidates: Vec<String> = wire_names
        .iter()
        .map(|wire| {
            let base = convert(wire, style);
            // `Self` cannot even be raw, and `Self_Request` would trip
            // `non_camel_case_types`: always give it the suffix.
            let is_self = matches!(style, Style::UpperCamel { .. }) && base == "Self";
            if is_self || reserved.contains(&base) {
                match style {
                    Style::Snake => format!("{base}_"),
                    Style::UpperCamel { suffix } => format!("{base}{suffix}"),
                }
            } else {
                base
            }
        })
        .collect();

    // Group colliding candidates; within a group the canonical spelling comes first.
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, candidate) in candidates.iter().enumerate() {
        groups.entry(candidate).or_default().push(index);
    }
    let mut names: Vec<Option<String>> = vec![None; wire_names.len()];
    let mut taken: BTreeSet<String> = reserved.clone();
    let mut numbered = Vec::new();
    for (candidate, mut members) in groups {
        members.sort_by_key(|&i| {
            (
                !is_canonical(wire_names[i], candidate, style),
                wire_names[i],
            )
        });
        taken.insert(candidate.to_owned());
        names[members[0]] = Some(candidate.to_owned());
        numbered.extend(members[1..].iter().map(|&i| (candidate.to_owned(), i)));
    }
    // Numbered names are chosen after every plain name is taken, so `Foo2` from the
    // schema keeps its name and a second `Foo` becomes `Foo3`.
    for (candidate, index) in numbered {
        let name = (2..)
            .map(|n| match style {
                // `send_` + 2 is `send_2`: a double underscore is not snake case.
                Style::Snake => format!("{}_{n}", candidate.trim_end_matches('_')),
                Style::UpperCamel { .. } => format!("{candidate}{n}"),
            })
            .find(|name| !taken.contains(name))
            .unwrap_or_default();
        taken.insert(name.clone());
        names[index] = Some(name);
    }
    names
        .into_iter()
        .map(|name| escape_keyword(&name.unwrap_or_default()))
        .collect()
}

/// One identifier with no scope to collide in (a service module, for instance).
pub fn single(wire: &str, style: Style) -> String {
    assign(&[wire], style, &BTreeSet::new()).remove(0)
}

/// The identifier without `r#`: what a module's file is called.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn convert(wire: &str, style: Style) -> String {
    let words = ascii_words(wire);
    let converted = match style {
        Style::Snake => words.to_snake_case(),
        Style::UpperCamel { .. } => words.to_upper_camel_case(),
    };
    let converted = if converted.is_empty() {
        match style {
            Style::Snake => "value".to_owned(),
            Style::UpperCamel { .. } => "Value".to_owned(),
        }
    } else {
        converted
    };
    // An identifier cannot start with a digit (`2xx` → `V2xx`, `v_2xx`).
    if converted.starts_with(|c: char| c.is_ascii_digit()) {
        match style {
            Style::Snake => format!("v_{converted}"),
            Style::UpperCamel { .. } => format!("V{converted}"),
        }
    } else {
        converted
    }
}

/// Replaces everything but ASCII letters and digits by word breaks; a non-ASCII
/// character becomes a word of its code point (`是` → `U662f`) so that distinct values
/// keep distinct names.
fn ascii_words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" U{:X} ", u32::from(c)));
        }
    }
    out
}

fn is_canonical(wire: &str, candidate: &str, style: Style) -> bool {
    match style {
        Style::Snake => {
            wire == candidate.to_upper_camel_case() || wire == candidate.to_lower_camel_case()
        }
        Style::UpperCamel { .. } => wire == candidate,
    }
}

fn escape_keyword(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snake(names: &[&str]) -> Vec<String> {
        assign(names, Style::Snake, &BTreeSet::new())
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(
            snake(&["Type", "Match", "Super", "Self", "Crate", "Gen", "Union"]),
            [
                "r#type", "r#match", "super_", "self_", "crate_", "r#gen", "union"
            ]
        );
        assert_eq!(
            single("Self", Style::UpperCamel { suffix: "Type" }),
            "SelfType"
        );
    }

    #[test]
    fn snake_collisions_prefer_the_canonical_spelling() {
        assert_eq!(
            snake(&["InstanceID", "InstanceId"]),
            ["instance_id_2", "instance_id"]
        );
        assert_eq!(snake(&["UUI", "Uui"]), ["uui_2", "uui"]);
        assert_eq!(
            snake(&["AppID", "AppId", "AppId_2"]),
            ["app_id_3", "app_id", "app_id_2"]
        );
        assert_eq!(snake(&["hadAutoFixVul"]), ["had_auto_fix_vul"]);
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        let reserved: BTreeSet<String> = STD_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
        let style = Style::UpperCamel { suffix: "Type" };
        assert_eq!(
            assign(
                &["Result", "ResultType", "Value", "IPAddress"],
                style,
                &reserved
            ),
            ["ResultType2", "ResultType", "ValueType", "IpAddress"]
        );
        let send: BTreeSet<String> = ["send".to_owned()].into();
        assert_eq!(
            assign(&["Send", "SEND"], Style::Snake, &send),
            ["send_", "send_2"]
        );
        let builder: BTreeSet<String> = BUILDER_NAMES.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            assign(
                &[
                    "Retry",
                    "Customize",
                    "Options",
                    "IntoPaginator",
                    "RetryCount"
                ],
                Style::Snake,
                &builder
            ),
            [
                "retry_",
                "customize_",
                "options_",
                "into_paginator_",
                "retry_count"
            ]
        );
    }

    #[test]
    fn values_that_are_not_identifiers_are_sanitised() {
        let style = Style::UpperCamel { suffix: "Value" };
        let reserved = BTreeSet::new();
        assert_eq!(
            assign(&["ipv4", "2xx", "", "a-b", "是", "*"], style, &reserved),
            ["Ipv4", "V2xx", "Value", "AB", "U662f", "Value2"]
        );
    }
}
