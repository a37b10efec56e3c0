//! `<action>.rs`: one action's Request, Response, Error and Builder (and, for a list
//! action, the builder's `Paginate` impl).
//!
//! Everything here is data plus thin glue. The request declares its action, response,
//! error and required members through the runtime's `Request` trait; the builder holds a
//! request and hands it, with its per-call options, to the runtime's one generic
//! `ServiceClient::send`, which checks, serialises, signs, sends and decodes (a raw-body
//! action's builder also holds the body and sends through `send_octet_stream`; one that
//! may answer with server-sent events also has `send_stream`, through
//! `ServiceClient::send_stream`, which returns the runtime's `EventStream`). Paging is
//! the runtime's `Paginator`, driven through `Paginate`. The error enum only maps codes
//! to kinds: code, message, RequestId and Display are the runtime's `ServiceError`'s.
//!
//! Every struct and enum is `#[non_exhaustive]` and every request member an `Option`, so
//! that what a later schema adds (members, codes, actions) breaks no caller.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::debug::{needs_redaction, redacting_debug};
use super::decode::{Member, decode_impls};
use super::docs::{doc, doc_parts, inner_doc};
use super::rust::{ident, ty};
use super::setters::{forwarding_setters, setters};
use super::types::{derives, struct_field};
use crate::ir::{Action, Field, Pagination, Service, Usage};

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
    let request = request(action);
    let response = response(action);
    let error = error(action);
    let builder = builder(action);
    quote! {
        #header
        #imports
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

/// The member's doc, and whether the caller must set it.
fn member_docs(field: &Field) -> TokenStream {
    let required = if field.optional { "" } else { "Required." };
    doc_parts(&[&field.doc, required])
}

/// The request: every member an `Option` (a required one is checked when sent), `Default`
/// and setters, and the `Request` impl that tells the runtime the rest.
fn request(action: &Action) -> TokenStream {
    let ident = ident(&action.request.ident);
    let docs = doc(&action.request.doc);
    // Every member optional, its requirement said in its doc instead.
    let fields: Vec<Field> = (action.request.fields.iter())
        .map(|field| Field {
            optional: true,
            doc: match field.optional {
                true => field.doc.clone(),
                false => format!("{}\nRequired.", field.doc),
            },
            ..field.clone()
        })
        .collect();
    let usage = Usage {
        serialize: true,
        deserialize: false,
    };
    let struct_fields = fields.iter().map(|field| struct_field(field, usage));
    let redact = needs_redaction(&fields);
    let derives = derives(usage, true, !redact);
    let debug = redact.then(|| redacting_debug(&action.request.ident, &fields, &[]));
    let setters = setters(&fields, |field| doc(&format!("Sets `{}`.", field.wire)));
    let info = action_info(action);
    let response = self::ident(&action.response.ident);
    let error = self::ident(&action.error.ident);
    let required_checks = (action.request.fields.iter())
        .filter(|f| !f.optional)
        .map(|field| {
            let name = self::ident(&field.ident);
            let wire = &field.wire;
            quote!(if self.#name.is_none() { return Some(#wire); })
        });
    let client_token = action.client_token.as_ref().map(|field| {
        let field = self::ident(field);
        quote! {
            const CLIENT_TOKEN: bool = true;

            fn client_token(&self) -> Option<&str> {
                self.#field.as_deref()
            }
        }
    });
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #ident {
            #(#struct_fields)*
        }
        #debug

        impl #ident {
            #setters
        }

        impl crate::__rt::Request for #ident {
            type Response = #response;
            type Error = #error;
            const ACTION: &'static crate::__rt::ActionInfo = &#info;

            fn required_unset(&self) -> Option<&'static str> {
                #(#required_checks)*
                None
            }

            #client_token
        }
    }
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
    let read = action.read;
    quote! {
        crate::__rt::ActionInfo {
            name: #name,
            rate_limit: #rate_limit,
            skip_sign: #skip_sign,
            read: #read,
        }
    }
}

fn response(action: &Action) -> TokenStream {
    let ident = ident(&action.response.ident);
    let docs = doc(&action.response.doc);
    let usage = Usage {
        serialize: false,
        deserialize: true,
    };
    let fields = action
        .response
        .fields
        .iter()
        .map(|f| struct_field(f, usage));
    let redact = needs_redaction(&action.response.fields);
    let derives = derives(usage, false, !redact);
    let debug = redact.then(|| {
        redacting_debug(
            &action.response.ident,
            &action.response.fields,
            &["request_id", "deprecated_warning"],
        )
    });
    let members: Vec<_> = action
        .response
        .fields
        .iter()
        .map(Member::of)
        .chain([
            Member {
                wire: "RequestId",
                ident: "request_id",
                required: true,
            },
            Member {
                wire: "DeprecatedWarning",
                ident: "deprecated_warning",
                required: false,
            },
        ])
        .collect();
    let decode = decode_impls(&action.response.ident, &members);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            /// The unique ID of the request, to quote when asking for support.
            pub request_id: String,
            /// The server's notice that the action or a parameter is deprecated, if any.
            pub deprecated_warning: Option<::serde_json::Value>,
        }
        #debug
        #decode
    }
}

/// The action's error kinds. `Unhandled` is deprecated so that matching it warns: a code
/// that a later schema documents leaves it for a variant of its own.
fn error(action: &Action) -> TokenStream {
    let ident = ident(&action.error.ident);
    let also_common = if action.error.common.is_empty() {
        String::new()
    } else {
        let codes: Vec<String> = (action.error.common.iter())
            .map(|code| format!("`{code}`"))
            .collect();
        format!(
            "\nAlso documented for this action, as `Common`: {}.",
            codes.join(", ")
        )
    };
    let docs = doc(&format!(
        "What an error code of `{}` means: one variant per code documented for it, `Common` for the codes every action can return, and any other code as `Unhandled` (match it with `_`).{also_common}",
        action.wire
    ));
    let variants: Vec<_> = (action.error.variants.iter())
        .map(|v| self::ident(&v.ident))
        .collect();
    let codes: Vec<&str> = (action.error.variants.iter())
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
        match crate::error::CommonError::from_code(code) {
            Some(common) => Self::Common(common),
            #[allow(deprecated)]
            None => Self::Unhandled(crate::__rt::Unhandled::new()),
        }
    };
    let from_code = if variants.is_empty() {
        common
    } else {
        quote! {
            match code {
                #(#codes => Self::#variants,)*
                _ => #common,
            }
        }
    };
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #ident {
            #(#variant_docs #variants,)*
            /// A code every action can return (authentication, rate limiting, internal errors, ...).
            Common(crate::error::CommonError),
            /// A code this SDK does not know for this action.
            #[deprecated(note = "a later SDK may give this code a variant of its own: match with `_` and read `code()`")]
            Unhandled(crate::__rt::Unhandled),
        }

        impl crate::__rt::ErrorKind for #ident {
            fn from_code(code: &str) -> Self {
                #from_code
            }
        }
    }
}

/// The fluent builder: a client, per-call options and the request it fills in.
fn builder(action: &Action) -> TokenStream {
    let builder = ident(&action.builder);
    let request = ident(&action.request.ident);
    let response = ident(&action.response.ident);
    let error = ident(&action.error.ident);
    let method = &action.method;
    let docs = doc(&format!(
        "Sets up `{}` and sends it; from `Client::{}`.",
        action.wire,
        crate::ir::naming::unraw(method)
    ));
    let setters = forwarding_setters(&action.request.fields, member_docs);
    let paginator = action
        .pagination
        .as_ref()
        .map(|pagination| paginate(action, pagination));
    let send_stream = action.server_sent_events.then(|| {
        quote! {
            /// Sends the request and returns the answer as a stream of server-sent
            /// events, once the first one has arrived: each event's JSON data decoded
            /// as the response, an error event as the error. A JSON answer (a call
            /// that did not ask to stream) arrives as a stream of that one response.
            /// Failures before the first event are retried as for `send`.
            #[inline]
            pub async fn send_stream(
                self,
            ) -> Result<crate::__rt::EventStream<#response, #error>, crate::SdkError<#error>> {
                self.client.send_stream(&self.request, &self.options).await
            }
        }
    });
    let raw = RawBody::of(action);
    let (body_field, body_init, body_setter) = (&raw.field, &raw.init, &raw.setter);
    // `send`, `send_stream`, `into_paginator` and `send_page` are `#[inline]`: each
    // instantiates the generic call path (serialising, the retry loop, decoding) for
    // its action, so the service crate would otherwise compile that for every action
    // it has. Inline, it is compiled in the application, for the actions it calls
    // (BENCHMARKS.md, "Build cost").
    let send = if action.octet_stream {
        quote! {
            /// Sends the body with the request's members as `X-<SERVICE>-<Member>`
            /// headers. A required member that is not set, or one that cannot be a
            /// header, is refused with `SdkError::InvalidRequest` before anything is
            /// signed or sent.
            #[inline]
            pub async fn send(self) -> Result<#response, crate::SdkError<#error>> {
                self.client
                    .send_octet_stream(&self.request, self.body.into_bytes(), &self.options)
                    .await
            }
        }
    } else {
        quote! {
            /// Sends the request. A required member that is not set is refused with
            /// `SdkError::InvalidRequest` before anything is signed or sent.
            #[inline]
            pub async fn send(self) -> Result<#response, crate::SdkError<#error>> {
                self.client.send(&self.request, &self.options).await
            }
        }
    };
    quote! {
        #docs
        #[derive(Clone, Debug)]
        #[must_use = "nothing is sent until `send` is awaited"]
        pub struct #builder {
            client: crate::__rt::ServiceClient,
            options: crate::CallOptions,
            request: #request,
            #body_field
        }

        impl #builder {
            pub(super) fn new(client: crate::__rt::ServiceClient) -> Self {
                Self {
                    client,
                    options: crate::CallOptions::default(),
                    request: #request::default(),
                    #body_init
                }
            }

            #body_setter
            #setters

            /// Replaces the request with `request`, built elsewhere (a config file, a
            /// fixture, a previous call's); the setters change it from there.
            pub fn with_request(mut self, request: #request) -> Self {
                self.request = request;
                self
            }

            /// The request as set up so far.
            pub fn as_request(&self) -> &#request {
                &self.request
            }

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
                f: impl FnOnce(crate::CallOptions) -> crate::CallOptions,
            ) -> Self {
                self.options = f(self.options);
                self
            }

            #send

            #send_stream
        }

        #paginator
    }
}

/// What a raw-body action's builder adds (nothing for the others): the body, held apart
/// from the request so that the request stays a plain value of members, and its setter.
struct RawBody {
    field: TokenStream,
    init: TokenStream,
    setter: TokenStream,
}

impl RawBody {
    fn of(action: &Action) -> Self {
        if !action.octet_stream {
            return Self {
                field: quote!(),
                init: quote!(),
                setter: quote!(),
            };
        }
        let setter = ident(crate::ir::naming::RAW_BODY_SETTER);
        Self {
            field: quote!(body: crate::__rt::RawBody,),
            init: quote!(body: crate::__rt::RawBody::default(),),
            setter: quote! {
                /// The body, sent as `application/octet-stream` and signed as it is (the
                /// action's documentation says what it holds); empty unless set.
                pub fn #setter(mut self, body: impl Into<crate::__rt::Bytes>) -> Self {
                    self.body = crate::__rt::RawBody::new(body);
                    self
                }
            },
        }
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
        quote!(page.#total.and_then(crate::__rt::Position::to_position))
    } else {
        quote!(crate::__rt::Position::to_position(page.#total))
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
            #[inline]
            pub fn into_paginator(self) -> crate::Paginator<Self> {
                crate::Paginator::new(self)
            }
        }

        impl crate::__rt::Paginate for #builder {
            type Page = #response;
            type Item = #item;
            type Error = #error;

            fn start_offset(&self) -> u64 {
                self.request.#offset.and_then(crate::__rt::Position::to_position).unwrap_or(0)
            }

            fn at_offset(mut self, offset: u64) -> Self {
                self.request.#offset = Some(crate::__rt::Position::from_position(offset));
                self
            }

            #[inline]
            fn send_page(self) -> impl ::std::future::Future<Output = Result<#response, crate::SdkError<#error>>> + Send {
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
