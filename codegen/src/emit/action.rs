//! `<action>.rs`: one action's Request, Response, Error and Builder.
//!
//! Everything here is data plus thin glue: the builder's `send` hands the request to
//! the runtime's one generic `ServiceClient::call`, which serialises, signs, sends and
//! decodes. The error enum only maps codes to variants.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc};
use super::rust::{ident, ty};
use super::types::struct_field;
use crate::ir::{Action, Field, Service, TypeRef, Usage};

pub fn action_file(service: &Service, action: &Action) -> TokenStream {
    let header = inner_doc(&format!(
        "`{}` ({} {}){}",
        action.wire,
        service.name,
        service.version,
        if action.title.is_empty() {
            String::new()
        } else {
            format!(": {}", action.title)
        }
    ));
    let imports = imports(action);
    let info = action_info(action);
    let request = request(action);
    let response = response(action);
    let error = error(action);
    let builder = builder(action);
    quote! {
        #header
        #imports
        #info
        #request
        #response
        #error
        #builder
    }
}

/// `use super::types::{...}` for exactly the types the action names, so that the file
/// compiles without unused-import warnings.
fn imports(action: &Action) -> TokenStream {
    let used: BTreeSet<&str> = (action.request.fields.iter())
        .chain(&action.response.fields)
        .filter_map(|field| field.ty.named())
        .collect();
    if used.is_empty() {
        return quote!();
    }
    let used = used.into_iter().map(ident);
    quote!(use super::types::{#(#used),*};)
}

fn action_info(action: &Action) -> TokenStream {
    let name = &action.wire;
    let rate_limit = match action.rate_limit {
        Some(limit) => {
            let limit = proc_macro2::Literal::u32_unsuffixed(limit);
            quote!(Some(#limit))
        }
        None => quote!(None),
    };
    let skip_sign = action.skip_sign;
    let idempotent = action.idempotent;
    quote! {
        static ACTION: crate::client::ActionInfo = crate::client::ActionInfo {
            name: #name,
            rate_limit: #rate_limit,
            skip_sign: #skip_sign,
            idempotent: #idempotent,
        };
    }
}

fn request(action: &Action) -> TokenStream {
    let docs = doc(&action.request.doc);
    let ident = ident(&action.request.ident);
    let usage = Usage {
        serialize: true,
        deserialize: false,
    };
    let fields = action.request.fields.iter().map(|f| struct_field(f, usage));
    let default = action
        .request
        .fields
        .iter()
        .all(|f| f.optional)
        .then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize)]
        pub struct #ident {
            #(#fields)*
        }
    }
}

fn response(action: &Action) -> TokenStream {
    let docs = doc(&action.response.doc);
    let ident = ident(&action.response.ident);
    let usage = Usage {
        serialize: false,
        deserialize: true,
    };
    let fields = action
        .response
        .fields
        .iter()
        .map(|f| struct_field(f, usage));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Deserialize)]
        pub struct #ident {
            #(#fields)*
            /// The unique ID of the request, to quote when asking for support.
            #[serde(rename = "RequestId")]
            pub request_id: String,
            /// The server's notice that the action or a parameter is deprecated, if any.
            #[serde(rename = "DeprecatedWarning", default)]
            pub deprecated_warning: Option<::serde_json::Value>,
        }
    }
}

fn error(action: &Action) -> TokenStream {
    let ident = ident(&action.error.ident);
    let docs = doc(&format!(
        "An error `{}` can return: one variant per documented code, the codes every action can return, and any other code.",
        action.wire
    ));
    let variants: Vec<_> = action
        .error
        .variants
        .iter()
        .map(|v| self::ident(&v.ident))
        .collect();
    let codes: Vec<&str> = action
        .error
        .variants
        .iter()
        .map(|v| v.code.as_str())
        .collect();
    let variant_docs = action.error.variants.iter().map(|v| {
        if v.description.is_empty() {
            doc(&format!("`{}`", v.code))
        } else {
            doc(&format!("`{}`: {}", v.code, v.description))
        }
    });
    let common = quote! {
        match crate::error::CommonError::from_meta(meta) {
            Ok(common) => Self::Common(common),
            Err(meta) => Self::Unhandled(meta),
        }
    };
    let from_meta = if variants.is_empty() {
        common
    } else {
        quote! {
            match meta.code() {
                #(#codes => Self::#variants(meta),)*
                _ => #common,
            }
        }
    };
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_docs #variants(crate::error::ErrorMeta),)*
            /// A code any action can return (authentication, rate limiting, internal errors, ...).
            Common(crate::error::CommonError),
            /// A code this SDK does not know for this action.
            Unhandled(crate::error::ErrorMeta),
        }

        impl #ident {
            /// The code, message and request ID the server sent.
            pub fn meta(&self) -> &crate::error::ErrorMeta {
                match self {
                    #(Self::#variants(meta) |)* Self::Unhandled(meta) => meta,
                    Self::Common(common) => common.meta(),
                }
            }

            /// The error code, e.g. `FailedOperation`.
            pub fn code(&self) -> &str {
                self.meta().code()
            }

            /// The server's message.
            pub fn message(&self) -> &str {
                self.meta().message()
            }

            /// The request ID, to quote when asking for support.
            pub fn request_id(&self) -> &str {
                self.meta().request_id()
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.meta(), f)
            }
        }

        impl ::std::error::Error for #ident {}

        impl crate::error::ServiceError for #ident {
            fn from_meta(meta: crate::error::ErrorMeta) -> Self {
                #from_meta
            }

            fn meta(&self) -> &crate::error::ErrorMeta {
                Self::meta(self)
            }
        }
    }
}

fn builder(action: &Action) -> TokenStream {
    let builder = ident(&action.builder);
    let request = ident(&action.request.ident);
    let response = ident(&action.response.ident);
    let error = ident(&action.error.ident);
    let method = &action.method;
    let docs = doc(&format!(
        "Sets the parameters of `{}` and sends it; from `Client::{}`.",
        action.wire,
        crate::ir::naming::unraw(method)
    ));
    let fields = &action.request.fields;
    let idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let builder_tys = fields.iter().map(|f| {
        let ty = ty(&f.ty);
        quote!(Option<#ty>)
    });
    let setters = fields.iter().map(setter);
    let values = fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let wire = &f.wire;
        if f.optional {
            quote!(self.#ident)
        } else {
            quote!(self.#ident.ok_or_else(|| missing(#wire))?)
        }
    });
    let missing = fields.iter().any(|f| !f.optional).then(|| {
        quote! {
            let missing = |field| {
                crate::error::SdkError::InvalidRequest(crate::error::InvalidRequest::missing_field(ACTION.name, field))
            };
        }
    });
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[must_use = "nothing is sent until `send` is awaited"]
        pub struct #builder {
            client: crate::client::ServiceClient,
            #(#idents: #builder_tys,)*
        }

        impl #builder {
            pub(super) fn new(client: crate::client::ServiceClient) -> Self {
                Self {
                    client,
                    #(#idents: None,)*
                }
            }

            #(#setters)*

            /// Sends the request. A required parameter that was not set is refused with
            /// `SdkError::InvalidRequest` before anything is signed or sent.
            pub async fn send(self) -> Result<#response, crate::error::SdkError<#error>> {
                #missing
                let input = #request {
                    #(#idents: #values,)*
                };
                self.client.call(&ACTION, &input).await
            }
        }
    }
}

/// `name(value: impl Into<T>)`, or for lists `name(values: impl IntoIterator<Item = impl Into<T>>)`.
fn setter(field: &Field) -> TokenStream {
    let ident = ident(&field.ident);
    let required = if field.optional { "" } else { "Required." };
    let docs = super::docs::doc_parts(&[&field.doc, required]);
    match &field.ty {
        TypeRef::List(inner) => {
            let inner = ty(inner);
            quote! {
                #docs
                pub fn #ident(mut self, values: impl IntoIterator<Item = impl Into<#inner>>) -> Self {
                    self.#ident = Some(values.into_iter().map(Into::into).collect());
                    self
                }
            }
        }
        _ => {
            // Request fields are never boxed: only object types can be recursive.
            let value_ty = ty(&field.ty);
            quote! {
                #docs
                pub fn #ident(mut self, value: impl Into<#value_ty>) -> Self {
                    self.#ident = Some(value.into());
                    self
                }
            }
        }
    }
}
