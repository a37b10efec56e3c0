//! Decoding of the types a response carries: `Decode`, a plain function per type that
//! the runtime's reader drives, and `Deserialize`, one line handing any deserializer to
//! that reader. Written instead of serde's derive, whose generic visitors were most of a
//! service crate's build time (runtime `decode.rs` says why, BENCHMARKS.md how much).

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::ir::Field;

/// A member as decoding sees it: its name on the wire, its field, and whether a response
/// without it is refused (its field is then `T`, not `Option<T>`).
pub struct Member<'a> {
    pub wire: &'a str,
    pub ident: &'a str,
    pub required: bool,
}

impl<'a> Member<'a> {
    pub fn of(field: &'a Field) -> Self {
        Self {
            wire: &field.wire,
            ident: &field.ident,
            required: !field.optional && !field.boxed,
        }
    }
}

/// `impl Decode` and `impl Deserialize` for the struct `name` of `members`. Each member
/// is read into a slot named after its field, `__` before it so that no slot is one of
/// the function's own locals (`value`, `fields`, `key`); unknown members are skipped.
pub fn decode_impls(name: &str, members: &[Member<'_>]) -> TokenStream {
    let ty = ident(name);
    let slots: Vec<_> = members.iter().map(|m| slot(m.ident)).collect();
    let wires: Vec<_> = members.iter().map(|m| m.wire).collect();
    let read = if members.is_empty() {
        quote! {
            while fields.next_key()?.is_some() {
                fields.skip()?;
            }
        }
    } else {
        quote! {
            #(let mut #slots = None;)*
            while let Some(key) = fields.next_key()? {
                match &*key {
                    #(#wires => field(fields, &mut #slots, #wires)?,)*
                    _ => fields.skip()?,
                }
            }
        }
    };
    let values = members.iter().zip(&slots).map(|(member, slot)| {
        let field = ident(member.ident);
        let wire = member.wire;
        if member.required {
            quote!(#field: required(fields, #slot, #wire)?)
        } else {
            quote!(#field: #slot.flatten())
        }
    });
    // Named once, so that each member's arm fits on a line.
    let imports = match (members.is_empty(), members.iter().any(|m| m.required)) {
        (true, _) => quote!(),
        (false, false) => quote!(
            use crate::__rt::field;
        ),
        (false, true) => quote!(
            use crate::__rt::{field, required};
        ),
    };
    quote! {
        impl crate::__rt::Decode for #ty {
            fn decode(value: &mut dyn crate::__rt::Value<'_>) -> Result<Self, crate::__rt::Stop> {
                #imports
                crate::__rt::object(value, |fields| {
                    #read
                    Ok(Self { #(#values,)* })
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::__rt::deserialize(deserializer)
            }
        }
    }
}

/// The local a member is read into: `__` and the field's name without `r#`.
fn slot(field: &str) -> proc_macro2::Ident {
    ident(&format!("__{}", field.trim_start_matches("r#")))
}
