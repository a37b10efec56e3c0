//! Small helpers turning IR names and types into tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Field, Primitive, TypeRef};

/// An identifier chosen by `ir::naming` (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a schema type. The time kinds stay strings (see `ir::Primitive`).
pub fn ty(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String | Primitive::DateTime | Primitive::DateTimeIso | Primitive::Date => {
                quote!(String)
            }
            Primitive::Int64 => quote!(i64),
            Primitive::Uint64 => quote!(u64),
            Primitive::Float => quote!(f64),
            Primitive::Bool => quote!(bool),
        },
        TypeRef::List(inner) => {
            let inner = self::ty(inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Object(name) | TypeRef::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// The type of a struct field: `T`, `Option<T>` or, closing a cycle, `Option<Box<T>>`.
pub fn field_ty(field: &Field) -> TokenStream {
    let inner = ty(&field.ty);
    match (field.optional, field.boxed) {
        (_, true) => quote!(Option<Box<#inner>>),
        (true, false) => quote!(Option<#inner>),
        (false, false) => inner,
    }
}
