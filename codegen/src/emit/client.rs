//! A version's `mod.rs`: `SERVICE`, `Client` with one method per action (its doc ends
//! with the action's example, see `example`), and the re-exports that make
//! `<service>::<version>::{Client, <Action>Request, ...}` work.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{attrs, doc, inner_doc, markdown};
use super::example;
use super::rust::ident;
use crate::ir::Service;

pub fn version_module(service: &Service) -> TokenStream {
    let title = if service.title.is_empty() {
        String::new()
    } else {
        format!(" ({})", service.title)
    };
    let header = inner_doc(&format!(
        "{} {}{title}: `Client` has one method per action; each action's request, response, error and builder live in its own module and are re-exported here.",
        service.name, service.version
    ));
    let has_types = !service.objects.is_empty() || !service.enums.is_empty();
    let types_mod = has_types.then(|| {
        quote!(
            pub mod types;
            pub use types::*;
        )
    });
    let modules: Vec<_> = service.actions.iter().map(|a| ident(&a.method)).collect();
    let reexports = service.actions.iter().map(|action| {
        let module = ident(&action.method);
        let items = [
            &action.builder,
            &action.error.ident,
            &action.request.ident,
            &action.response.ident,
        ]
        .map(|name| ident(name));
        quote!(pub use #module::{#(#items),*};)
    });
    let (name, version, host) = (&service.name, &service.version, &service.host);
    let service_doc = doc(&format!(
        "The service's name, version and default host ({host})."
    ));
    let client_doc = doc(&format!(
        "A client for {name} {version}. Cheap to clone; clones share the connection pool."
    ));
    let methods = service.actions.iter().map(|action| {
        let method = ident(&action.method);
        let builder = ident(&action.builder);
        let mut lines = markdown(&[action.title.as_str(), action.doc.as_str()]);
        if let Some(example) = example::section(service, action) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(example);
        }
        let docs = attrs(&lines);
        let deprecated = action
            .deprecated
            .then(|| quote!(#[deprecated(note = "this action is deprecated by Tencent Cloud")]));
        quote! {
            #docs
            #deprecated
            pub fn #method(&self) -> #builder {
                #builder::new(self.inner.clone())
            }
        }
    });
    quote! {
        #header
        #types_mod
        #(pub mod #modules;)*
        #(#reexports)*

        #service_doc
        pub static SERVICE: crate::__rt::ServiceInfo = crate::__rt::ServiceInfo {
            name: #name,
            version: #version,
            default_host: #host,
        };

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::__rt::ServiceClient,
        }

        impl Client {
            /// A client for this service with `config`'s region, credentials, endpoint and timeouts.
            pub fn new(config: &crate::Config) -> Self {
                Self {
                    inner: crate::__rt::ServiceClient::new(config, &SERVICE),
                }
            }

            #(#methods)*
        }
    }
}
