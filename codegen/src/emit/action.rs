//! `<action>.rs`: one action's Request, Response, Error and Builder (and, for a list
//! action, the builder's `Paginate` impl).
//!
//! Everything here is data plus thin glue: the builder's `send` hands the request and
//! its per-call options to the runtime's one generic `ServiceClient::call_with`, which
//! serialises, signs, sends and decodes; paging is the runtime's `Paginator`, driven
//! through `Paginate`. The error enum only maps codes to variants.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::debug::{needs_redaction, redacting_debug};
use super::docs::{doc, inner_doc};
use super::rust::{ident, ty};
use super::types::{derives, struct_field};
use crate::ir::{Action, Field, Pagination, Service, TypeRef, Usage};

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
    let usage = Usage {
        serialize: true,
        deserialize: false,
    };
    shape_struct(&action.request, usage, &docs, quote!(), &[])
}

/// A request or response struct; `trailer` declares the fields every response has,
/// named again in `trailer_names` for `Debug`.
fn shape_struct(
    shape: &crate::ir::Shape,
    usage: Usage,
    docs: &TokenStream,
    trailer: TokenStream,
    trailer_names: &[&str],
) -> TokenStream {
    let ident = ident(&shape.ident);
    let fields = shape.fields.iter().map(|f| struct_field(f, usage));
    let redact = needs_redaction(&shape.fields);
    // A response has `request_id` too, so it never derives `Default`.
    let all_optional = usage.serialize && shape.fields.iter().all(|f| f.optional);
    let derives = derives(usage, all_optional, !redact);
    let debug = redact.then(|| redacting_debug(&shape.ident, &shape.fields, trailer_names));
    quote! {
        #docs
        #[derive(#(#derives),*)]
        pub struct #ident {
            #(#fields)*
            #trailer
        }
        #debug
    }
}

fn response(action: &Action) -> TokenStream {
    let docs = doc(&action.response.doc);
    let usage = Usage {
        serialize: false,
        deserialize: true,
    };
    let envelope = quote! {
        /// The unique ID of the request, to quote when asking for support.
        #[serde(rename = "RequestId")]
        pub request_id: String,
        /// The server's notice that the action or a parameter is deprecated, if any.
        #[serde(rename = "DeprecatedWarning", default)]
        pub deprecated_warning: Option<::serde_json::Value>,
    };
    shape_struct(
        &action.response,
        usage,
        &docs,
        envelope,
        &["request_id", "deprecated_warning"],
    )
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
    // The builder holds the request's values, so it redacts what the request redacts.
    let redact = needs_redaction(fields);
    let derive_debug = (!redact).then(|| quote!(Debug,));
    let debug = redact.then(|| redacting_debug(&action.builder, fields, &["client", "options"]));
    let paginator = action
        .pagination
        .as_ref()
        .map(|pagination| paginate(action, pagination));
    quote! {
        #docs
        #[derive(Clone, #derive_debug)]
        #[must_use = "nothing is sent until `send` is awaited"]
        pub struct #builder {
            client: crate::client::ServiceClient,
            options: crate::client::CallOptions,
            #(#idents: #builder_tys,)*
        }
        #debug

        impl #builder {
            pub(super) fn new(client: crate::client::ServiceClient) -> Self {
                Self {
                    client,
                    options: crate::client::CallOptions::default(),
                    #(#idents: None,)*
                }
            }

            #(#setters)*

            /// `false`: this call is tried once, whatever the config's retry settings;
            /// `true`: it is retried even if the config turned retries off.
            pub fn retry(mut self, enabled: bool) -> Self {
                self.options = self.options.retry(enabled);
                self
            }

            /// Changes this call's options (retries, timeouts), starting from the ones
            /// set so far: `.customize(|o| o.attempt_timeout(Duration::from_secs(2)))`.
            pub fn customize(
                mut self,
                f: impl FnOnce(crate::client::CallOptions) -> crate::client::CallOptions,
            ) -> Self {
                self.options = f(self.options);
                self
            }

            /// Sends the request. A required parameter that was not set is refused with
            /// `SdkError::InvalidRequest` before anything is signed or sent.
            pub async fn send(self) -> Result<#response, crate::error::SdkError<#error>> {
                #missing
                let input = #request {
                    #(#idents: #values,)*
                };
                self.client.call_with(&ACTION, &input, &self.options).await
            }
        }

        #paginator
    }
}

/// `into_paginator()`, and the `Paginate` impl through which the runtime's
/// `Paginator` moves the offset and reads each page.
fn paginate(action: &Action, pagination: &Pagination) -> TokenStream {
    let builder = ident(&action.builder);
    let response = ident(&action.response.ident);
    let error = ident(&action.error.ident);
    let offset = ident(&pagination.offset);
    let total = ident(&pagination.total_count.ident);
    let items = ident(&pagination.items.ident);
    let item = ty(&pagination.item);
    let total_count = if pagination.total_count.optional {
        quote!(page.#total.and_then(crate::paginator::Position::to_position))
    } else {
        quote!(crate::paginator::Position::to_position(page.#total))
    };
    let (item_count, into_items) = if pagination.items.optional {
        (
            quote!(page.#items.as_ref().map_or(0, Vec::len)),
            quote!(page.#items.unwrap_or_default()),
        )
    } else {
        (quote!(page.#items.len()), quote!(page.#items))
    };
    quote! {
        impl #builder {
            /// Pages through the results: the first page is the one this builder asks for
            /// (its `Limit` is the page size), the next ones follow from its `Offset`,
            /// until `TotalCount` is reached.
            pub fn into_paginator(self) -> crate::paginator::Paginator<Self> {
                crate::paginator::Paginator::new(self)
            }
        }

        impl crate::paginator::Paginate for #builder {
            type Page = #response;
            type Item = #item;
            type Error = #error;

            fn start_offset(&self) -> u64 {
                self.#offset.and_then(crate::paginator::Position::to_position).unwrap_or(0)
            }

            fn at_offset(mut self, offset: u64) -> Self {
                self.#offset = Some(crate::paginator::Position::from_position(offset));
                self
            }

            fn send_page(self) -> impl ::std::future::Future<Output = Result<#response, crate::error::SdkError<#error>>> + Send {
                self.send()
            }

            fn total_count(page: &#response) -> Option<u64> {
                #total_count
            }

            fn item_count(page: &#response) -> usize {
                #item_count
            }

            fn into_items(page: #response) -> Vec<#item> {
                #into_items
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
