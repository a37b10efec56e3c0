//! `Debug` for structs with a sensitive field (see `ir::sensitive`): written by hand so
//! that the secret is never formatted. Structs without one derive `Debug`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::ir::Field;
use crate::ir::naming::unraw;

/// Whether `fields` needs [`redacting_debug`] instead of `#[derive(Debug)]`.
pub fn needs_redaction(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.sensitive)
}

/// `impl Debug for <name>` printing `fields` like the derive would, but
/// `** redacted **` for the sensitive ones (set or not: even "is it set" is left out).
/// `others` names fields that are not the schema's (a response's `request_id`, a
/// builder's `options`), printed last.
pub fn redacting_debug(name: &str, fields: &[Field], others: &[&str]) -> TokenStream {
    let ty = ident(name);
    let others = others.iter().map(|field| {
        let value = ident(field);
        quote!(.field(#field, &self.#value))
    });
    let fields = fields.iter().map(|field| {
        let label = unraw(&field.ident);
        if field.sensitive {
            quote!(.field(#label, &format_args!("** redacted **")))
        } else {
            let value = ident(&field.ident);
            quote!(.field(#label, &self.#value))
        }
    });
    let label = unraw(name);
    quote! {
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label)
                    #(#fields)*
                    #(#others)*
                    .finish()
            }
        }
    }
}
