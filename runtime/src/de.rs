//! Lenient decoding of strings and numbers, where the real servers drift from their
//! documentation. Every string and number a generated response type holds is read by
//! these visitors (through `decode.rs`, including the time kinds, which are strings, and
//! enums, read from a string), and so are the number fields of the runtime's own
//! wire types through [`lenient`]. Nothing else is lenient.
//!
//! Tolerated:
//! - an integer field (`i64`, `u64`) sent as a JSON integer or as a string holding one
//!   (`"42"`, `"-7"`, `"18446744073709551615"`): parsed from the text or taken from the
//!   integer as is, never through `f64`, so every 64-bit value keeps full precision;
//! - a float field sent as a JSON number or as a string holding one (`"1.5"`);
//! - a string field sent as a JSON number: integers keep their exact digits, other
//!   numbers become Rust's shortest text for the same `f64` (`1.10` arrives as `"1.1"`).
//!
//! Refused, with the field's path in the `InvalidResponse` (see `response::decode`):
//! an integer field holding a fraction, an exponent, an out-of-range value or any other
//! text (`"12a"`, `""`, `" 1"`); anything that is neither a string nor a number (bool,
//! object, list) where a scalar is expected. `bool` fields accept `true` and `false`
//! only: `"true"`, `0` and `1` are refused, because which numbers or words mean true is
//! guesswork.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The `deserialize_with` function of the number fields of the runtime's own wire types
/// (`sts_credentials/wire.rs`).
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_lenient(deserializer)
}

/// Types that [`lenient`] decodes; implemented for the field types it is emitted on.
pub trait Lenient: Sized {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A `T` decoded leniently, so that `Option` and `Vec` can reuse serde's impls.
struct Wrap<T>(T);

impl<'de, T: Lenient> Deserialize<'de> for Wrap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(deserializer).map(Wrap)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<Wrap<T>>::deserialize(deserializer)?.map(|Wrap(value)| value))
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wrapped = Vec::<Wrap<T>>::deserialize(deserializer)?;
        Ok(wrapped.into_iter().map(|Wrap(value)| value).collect())
    }
}

impl Lenient for i64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Number::<i64>::new())
    }
}

impl Lenient for u64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Number::<u64>::new())
    }
}

impl Lenient for f64 {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Number::<f64>::new())
    }
}

impl Lenient for String {
    fn deserialize_lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Text)
    }
}

/// A number of type `N`, from a JSON number or a string.
pub(crate) struct Number<N>(PhantomData<N>);

impl<N> Number<N> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

/// How each JSON number kind becomes an `N`: integers by exact conversion, floats only
/// into `f64`.
pub(crate) trait FromJson: FromStr + Sized {
    const EXPECTING: &'static str;
    fn from_i64(value: i64) -> Option<Self>;
    fn from_u64(value: u64) -> Option<Self>;
    fn from_f64(value: f64) -> Option<Self>;
}

impl FromJson for i64 {
    const EXPECTING: &'static str = "a signed 64-bit integer, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl FromJson for u64 {
    const EXPECTING: &'static str = "an unsigned 64-bit integer, or a string holding one";
    fn from_i64(value: i64) -> Option<Self> {
        u64::try_from(value).ok()
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value)
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl FromJson for f64 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    // Integers beyond 2^53 round, as they would in the documented JSON number.
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }
}

impl<N: FromJson> Visitor<'_> for Number<N> {
    type Value = N;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(N::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<N, E> {
        N::from_i64(value).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<N, E> {
        N::from_u64(value).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(value), &self))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<N, E> {
        N::from_f64(value).ok_or_else(|| E::invalid_value(de::Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<N, E> {
        // `str::parse` accepts a leading `+` and, for floats, `inf` and `NaN`; it never
        // trims whitespace. Integers are parsed from the digits, never through `f64`.
        value
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(value), &self))
    }
}

/// A string, from a JSON string or number.
pub(crate) struct Text;

impl Visitor<'_> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, or a number")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::lenient;

    /// A generated response's field shapes: optional (`default`) and required.
    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct Out {
        #[serde(rename = "I", deserialize_with = "lenient")]
        i: Option<i64>,
        #[serde(rename = "U", deserialize_with = "lenient")]
        u: Option<u64>,
        #[serde(rename = "F", deserialize_with = "lenient")]
        f: Option<f64>,
        #[serde(rename = "S", deserialize_with = "lenient")]
        s: Option<String>,
        #[serde(rename = "L", deserialize_with = "lenient")]
        l: Option<Vec<i64>>,
        #[serde(rename = "R", deserialize_with = "lenient")]
        required: u64,
        /// Not lenient: bools are never emitted with `lenient`.
        #[serde(rename = "B")]
        b: Option<bool>,
    }

    fn decode(value: serde_json::Value) -> Result<Out, String> {
        // From text, as responses are, so that numbers go through serde_json's parser.
        serde_json::from_str(&value.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_as_numbers_or_strings_keep_full_precision() {
        let out = decode(json!({
            "I": i64::MIN, "U": u64::MAX, "L": [i64::MAX, "-9223372036854775808", "+5"]
        }))
        .unwrap();
        assert_eq!((out.i, out.u), (Some(i64::MIN), Some(u64::MAX)));
        assert_eq!(out.l, Some(vec![i64::MAX, i64::MIN, 5]));
        let out =
            decode(json!({"I": "-9223372036854775808", "U": "18446744073709551615"})).unwrap();
        assert_eq!((out.i, out.u), (Some(i64::MIN), Some(u64::MAX)));
        // 2^53 + 1 is not representable as f64: proof that it never went through one.
        let out = decode(json!({"U": "9007199254740993", "R": 9007199254740993u64})).unwrap();
        assert_eq!(
            (out.u, out.required),
            (Some(9_007_199_254_740_993), 9_007_199_254_740_993)
        );
    }

    #[test]
    fn floats_as_numbers_or_strings() {
        assert_eq!(decode(json!({"F": 1.5})).unwrap().f, Some(1.5));
        assert_eq!(decode(json!({"F": "1.5"})).unwrap().f, Some(1.5));
        assert_eq!(decode(json!({"F": 2})).unwrap().f, Some(2.0));
        assert_eq!(decode(json!({"F": "-3"})).unwrap().f, Some(-3.0));
    }

    #[test]
    fn strings_as_strings_or_numbers() {
        assert_eq!(decode(json!({"S": "x"})).unwrap().s.as_deref(), Some("x"));
        assert_eq!(
            decode(json!({"S": u64::MAX})).unwrap().s.as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(decode(json!({"S": -12})).unwrap().s.as_deref(), Some("-12"));
        assert_eq!(
            decode(json!({"S": 0.25})).unwrap().s.as_deref(),
            Some("0.25")
        );
    }

    #[test]
    fn null_and_missing_optional_fields_are_none() {
        assert_eq!(
            decode(json!({"I": null, "S": null, "L": null})).unwrap(),
            Out::default()
        );
        assert_eq!(decode(json!({})).unwrap(), Out::default());
    }

    #[test]
    fn refused_values_say_what_was_expected() {
        for (body, expected) in [
            (json!({"I": "12a"}), "a signed 64-bit integer"),
            (json!({"I": ""}), "a signed 64-bit integer"),
            (json!({"I": " 1"}), "a signed 64-bit integer"),
            (json!({"I": 1.5}), "a signed 64-bit integer"),
            (json!({"I": 1e3}), "a signed 64-bit integer"),
            (
                json!({"I": "9223372036854775808"}),
                "a signed 64-bit integer",
            ),
            (json!({"I": u64::MAX}), "a signed 64-bit integer"),
            (json!({"U": -1}), "an unsigned 64-bit integer"),
            (json!({"U": "-1"}), "an unsigned 64-bit integer"),
            (json!({"U": true}), "an unsigned 64-bit integer"),
            (json!({"F": "fast"}), "a number"),
            (json!({"S": true}), "a string, or a number"),
            (json!({"S": {"a": 1}}), "a string, or a number"),
            (json!({"L": "1,2"}), "a sequence"),
            (json!({"L": [1, "x"]}), "a signed 64-bit integer"),
        ] {
            let error = decode(body.clone()).expect_err(&body.to_string());
            assert!(error.contains(expected), "{body}: {error}");
        }
    }

    #[test]
    fn bools_accept_true_and_false_only() {
        assert_eq!(decode(json!({"B": false})).unwrap().b, Some(false));
        for body in [json!({"B": "true"}), json!({"B": 1}), json!({"B": 0})] {
            assert!(decode(body.clone()).is_err(), "{body}");
        }
    }
}
