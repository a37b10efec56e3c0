//! The member type grammar:
//! `string | int64 | uint64 | float | bool | datetime | datetime_iso | date | list<T> | <Name>`.

/// A scalar as it is on the wire. The three time kinds are strings in a documented
/// format (`2020-06-09 23:12:23`, ISO 8601, `2020-06-09`); they stay `String` in Rust
/// so that a server deviating from the format cannot make a response undecodable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    String,
    Int64,
    Uint64,
    Float,
    Bool,
    DateTime,
    DateTimeIso,
    Date,
}

/// A member type as written, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<'a> {
    Primitive(Primitive),
    List(Box<Parsed<'a>>),
    Named(&'a str),
}

/// Parses a type string; `None` if it does not follow the grammar.
pub fn parse(text: &str) -> Option<Parsed<'_>> {
    if let Some(inner) = text
        .strip_prefix("list<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        return parse(inner).map(|inner| Parsed::List(Box::new(inner)));
    }
    if let Some(primitive) = primitive(text) {
        return Some(Parsed::Primitive(primitive));
    }
    is_type_name(text).then_some(Parsed::Named(text))
}

pub fn primitive(text: &str) -> Option<Primitive> {
    Some(match text {
        "string" => Primitive::String,
        "int64" => Primitive::Int64,
        "uint64" => Primitive::Uint64,
        "float" => Primitive::Float,
        "bool" => Primitive::Bool,
        "datetime" => Primitive::DateTime,
        "datetime_iso" => Primitive::DateTimeIso,
        "date" => Primitive::Date,
        _ => return None,
    })
}

/// Object and enum names: an ASCII letter, then letters, digits and `_`. Names of
/// primitives and `list` are taken by the grammar.
pub fn is_type_name(name: &str) -> bool {
    is_wire_identifier(name) && primitive(name).is_none() && name != "list"
}

/// Member and type names as the API spells them: an ASCII letter or `_`, then ASCII
/// letters, digits and `_`, with at least one letter or digit.
pub fn is_wire_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.chars().any(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        assert_eq!(parse("uint64"), Some(Parsed::Primitive(Primitive::Uint64)));
        assert_eq!(
            parse("list<list<IpInfo>>"),
            Some(Parsed::List(Box::new(Parsed::List(Box::new(
                Parsed::Named("IpInfo")
            )))))
        );
        for bad in ["", "list<>", "list<string", "List of string", "list", "9x"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
