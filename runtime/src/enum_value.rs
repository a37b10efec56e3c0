//! The value of a generated enum that this SDK does not know.

use std::fmt;

/// A value of a schema enum that this SDK version does not know, kept as it was sent.
///
/// Generated enums hold it in a deprecated `Unknown` variant: when a later schema
/// documents the value, it moves to a variant of its own, so code that matched on
/// `Unknown` would silently change meaning. Match known variants and `_`, and read the
/// wire value with the enum's `as_str()`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        Self(value.into())
    }

    /// The value on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
