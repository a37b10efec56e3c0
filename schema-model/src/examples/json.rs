//! A JSON document as serde_json hands it to a visitor: numbers keep the kind serde_json
//! visits them as (`visit_u64` for non-negative integers, `visit_i64` for negative ones,
//! `visit_f64` for the rest), and objects keep every entry in order, duplicates included.
//! `serde_json::Value` would keep only the last of two equal keys, which a derived
//! `Deserialize` refuses ("duplicate field"), so the checker could not see it.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A negative integer.
    Signed(i64),
    /// A non-negative integer.
    Unsigned(u64),
    /// A number with a fraction or an exponent, or an integer beyond 64 bits.
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    /// Every entry in document order, a repeated key as many times as it appears.
    Object(Vec<(String, Json)>),
}

/// Parses `text` exactly as `serde_json::from_str` does for the runtime (same syntax,
/// trailing characters and depth limit).
pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
    serde_json::from_str(text)
}

impl Json {
    /// The JSON type, as the checker's findings name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            Json::Signed(_) | Json::Unsigned(_) => "integer",
            Json::Float(_) => "float",
            Json::Str(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// The entries of an object named `key`, in document order.
    pub fn entries<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Json> + 'a {
        let entries: &[(String, Json)] = match self {
            Json::Object(entries) => entries,
            _ => &[],
        };
        entries
            .iter()
            .filter(move |(name, _)| name == key)
            .map(|(_, value)| value)
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Json, E> {
        Ok(Json::Signed(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Json, E> {
        Ok(Json::Unsigned(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Json, E> {
        Ok(Json::Float(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Json, E> {
        Ok(Json::Str(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Json, E> {
        Ok(Json::Str(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Json>()? {
            entries.push(entry);
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_the_kind_serde_json_visits() {
        let json = parse(r#"[0, -1, 18446744073709551615, 1.0, 1e3, 18446744073709551616]"#);
        assert_eq!(
            json.unwrap(),
            Json::Array(vec![
                Json::Unsigned(0),
                Json::Signed(-1),
                Json::Unsigned(u64::MAX),
                Json::Float(1.0),
                Json::Float(1000.0),
                Json::Float(18446744073709551616.0),
            ])
        );
    }

    #[test]
    fn objects_keep_repeated_keys() {
        let json = parse(r#"{"A": 1, "B": 2, "A": 3}"#).unwrap();
        let a: Vec<&Json> = json.entries("A").collect();
        assert_eq!(a, [&Json::Unsigned(1), &Json::Unsigned(3)]);
    }

    #[test]
    fn text_that_is_not_json_is_an_error() {
        assert!(parse(r#"{"A": 1 "B": 2}"#).is_err());
        assert!(parse(r#"{"A": 1} x"#).is_err());
    }
}
