//! Chainable setters, one per member: `name(value: impl Into<T>)`, or for a list
//! `name(values: impl IntoIterator<Item = impl Into<T>>)`.
//!
//! Requests and object types are `#[non_exhaustive]` (a member added by a later schema
//! must not break a struct literal), so outside the SDK they are built from `default()`
//! with these; the request's builder has the same setters and forwards to the request's.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, ty};
use crate::ir::{Field, TypeRef};

/// The setters of a struct's `fields`, each documented by `docs`.
pub fn setters(fields: &[Field], docs: impl Fn(&Field) -> TokenStream) -> TokenStream {
    let setters = fields.iter().map(|field| {
        let name = ident(&field.ident);
        let (param, arg) = parameter(field);
        let value = match &field.ty {
            TypeRef::List(_) => quote!(#arg.into_iter().map(Into::into).collect()),
            _ => quote!(#arg.into()),
        };
        let value = if field.boxed {
            quote!(Box::new(#value))
        } else {
            value
        };
        let value = if field.optional {
            quote!(Some(#value))
        } else {
            value
        };
        let docs = docs(field);
        quote! {
            #docs
            pub fn #name(mut self, #param) -> Self {
                self.#name = #value;
                self
            }
        }
    });
    quote!(#(#setters)*)
}

/// The builder's setters: the request's, forwarded to its `request`.
pub fn forwarding_setters(fields: &[Field], docs: impl Fn(&Field) -> TokenStream) -> TokenStream {
    let setters = fields.iter().map(|field| {
        let name = ident(&field.ident);
        let (param, arg) = parameter(field);
        let docs = docs(field);
        quote! {
            #docs
            pub fn #name(mut self, #param) -> Self {
                self.request = self.request.#name(#arg);
                self
            }
        }
    });
    quote!(#(#setters)*)
}

/// The setter's parameter declaration, and its name.
fn parameter(field: &Field) -> (TokenStream, TokenStream) {
    match &field.ty {
        TypeRef::List(inner) => {
            let inner = ty(inner);
            (
                quote!(values: impl IntoIterator<Item = impl Into<#inner>>),
                quote!(values),
            )
        }
        other => {
            let value = ty(other);
            (quote!(value: impl Into<#value>), quote!(value))
        }
    }
}
