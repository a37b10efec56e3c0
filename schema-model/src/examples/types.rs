//! Member types resolved against one schema file, as the generator resolves them
//! (`codegen/src/ir/types.rs`): `list<T>`, the primitives, then object types and enums
//! by name.

use crate::model::{EnumType, Member, ObjectType, ServiceSchema};

/// A scalar as the generated code holds it. The three time kinds are `String`s, and
/// decode as strings do (a number is taken as its text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Int64,
    Uint64,
    Float,
    Bool,
    Time,
}

impl Scalar {
    fn parse(text: &str) -> Option<Scalar> {
        Some(match text {
            "string" => Scalar::String,
            "int64" => Scalar::Int64,
            "uint64" => Scalar::Uint64,
            "float" => Scalar::Float,
            "bool" => Scalar::Bool,
            "datetime" | "datetime_iso" | "date" => Scalar::Time,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Ty<'a> {
    Scalar(Scalar),
    /// `list<T>`, with the type text of `T`.
    List(&'a str),
    Object(&'a ObjectType),
    Enum(&'a EnumType),
}

impl<'a> Ty<'a> {
    /// `None` for a name the file does not define (codegen refuses such a file).
    pub fn resolve(schema: &'a ServiceSchema, text: &'a str) -> Option<Ty<'a>> {
        if let Some(inner) = text.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return Some(Ty::List(inner));
        }
        if let Some(scalar) = Scalar::parse(text) {
            return Some(Ty::Scalar(scalar));
        }
        if let Some(object) = schema.types.iter().find(|t| t.name == text) {
            return Some(Ty::Object(object));
        }
        schema.enums.iter().find(|e| e.name == text).map(Ty::Enum)
    }
}

/// The members the generator emits a field for: all but the `disabled` ones.
pub fn generated(members: &[Member]) -> impl Iterator<Item = &Member> {
    members.iter().filter(|member| !member.disabled)
}
