//! `types.rs`: the object types and enums of one service version.

use proc_macro2::TokenStream;
use quote::quote;

use super::debug::{needs_redaction, redacting_debug};
use super::decode::{Member, decode_impls};
use super::docs::{doc, inner_doc};
use super::rust::{field_ty, ident};
use super::setters::setters;
use crate::ir::{Enum, Field, Object, Service, Usage};

pub fn types_file(service: &Service) -> TokenStream {
    let header = inner_doc(&format!(
        "Object types and enums shared by the actions of {} {}.",
        service.name, service.version
    ));
    let objects = service.objects.iter().map(object);
    let enums = service.enums.iter().map(enumeration);
    quote! {
        #header
        #(#objects)*
        #(#enums)*
    }
}

/// `#[non_exhaustive]`, so a member added later breaks no caller: built from
/// `default()` and setters where it is sent in a request (every field is an `Option`).
fn object(object: &Object) -> TokenStream {
    let docs = doc(&object.doc);
    let ident = ident(&object.ident);
    let redact = needs_redaction(&object.fields);
    let derives = derives(object.usage, true, !redact);
    let debug = redact.then(|| redacting_debug(&object.ident, &object.fields, &[]));
    let fields = object
        .fields
        .iter()
        .map(|field| struct_field(field, object.usage));
    let setters = object.usage.serialize.then(|| {
        let setters = setters(&object.fields, |field| {
            doc(&format!("Sets `{}`.", field.wire))
        });
        quote!(impl #ident { #setters })
    });
    let decode = object.usage.deserialize.then(|| {
        let members: Vec<_> = object.fields.iter().map(Member::of).collect();
        decode_impls(&object.ident, &members)
    });
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
        }
        #debug
        #setters
        #decode
    }
}

/// `Serialize` if the type is sent (decoding is written by `decode`, not derived);
/// `Default` when asked (callers outside the SDK build a `#[non_exhaustive]` struct from
/// it); `Debug` unless it is written by hand to redact a secret.
pub fn derives(usage: Usage, default: bool, debug: bool) -> Vec<TokenStream> {
    let mut derives = Vec::new();
    if debug {
        derives.push(quote!(Debug));
    }
    derives.extend([quote!(Clone), quote!(PartialEq)]);
    if default {
        derives.push(quote!(Default));
    }
    if usage.serialize {
        derives.push(quote!(::serde::Serialize));
    }
    derives
}

/// A `pub` field with its wire name. Optional fields are left out of the JSON when
/// `None`. A type that is not sent derives no `Serialize`, and then may carry no `serde`
/// attribute either.
pub fn struct_field(field: &Field, usage: Usage) -> TokenStream {
    let docs = doc(&field.doc);
    let ident = ident(&field.ident);
    let ty = field_ty(field);
    let wire = &field.wire;
    let serde = usage.serialize.then(|| {
        let skip = field
            .optional
            .then(|| quote!(, skip_serializing_if = "Option::is_none"));
        quote!(#[serde(rename = #wire #skip)])
    });
    quote! {
        #docs
        #serde
        pub #ident: #ty,
    }
}

/// A set of strings, with `Unknown` for values added to the API after the SDK was
/// generated: decoding never fails on a new value, and it is sent back unchanged.
/// `#[non_exhaustive]`, and `Unknown` deprecated and opaque: a value that a later schema
/// documents moves to a variant of its own, so matching on `Unknown` would change meaning.
fn enumeration(enumeration: &Enum) -> TokenStream {
    let docs = doc(&enumeration.doc);
    let variants: Vec<_> = enumeration
        .variants
        .iter()
        .map(|v| ident(&v.ident))
        .collect();
    let ident = ident(&enumeration.ident);
    let values: Vec<&str> = enumeration
        .variants
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    let variant_docs = enumeration.variants.iter().map(|v| {
        let text = if v.doc.is_empty() {
            format!("`{}`", v.value)
        } else {
            format!("`{}`: {}", v.value, v.doc)
        };
        doc(&text)
    });
    let serialize = enumeration.usage.serialize.then(|| {
        quote! {
            impl ::serde::Serialize for #ident {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }
        }
    });
    let deserialize = enumeration.usage.deserialize.then(|| {
        quote! {
            impl crate::__rt::Decode for #ident {
                fn decode(value: &mut dyn crate::__rt::Value<'_>) -> Result<Self, crate::__rt::Stop> {
                    value.string().map(|value| Self::from(value.as_str()))
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #ident {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::__rt::deserialize(deserializer)
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_docs #variants,)*
            /// A value this SDK does not know, kept as sent.
            #[deprecated(note = "a later SDK may give this value a variant of its own: match with `_` and read `as_str()`")]
            Unknown(crate::__rt::UnknownValue),
        }

        impl #ident {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    #[allow(deprecated)]
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    #[allow(deprecated)]
                    other => Self::Unknown(crate::__rt::UnknownValue::new(other)),
                }
            }
        }

        #serialize
        #deserialize
    }
}
