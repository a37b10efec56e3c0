//! The two levels above the version modules: `services/mod.rs` (one feature-gated
//! module per service) and `services/<service>/mod.rs` (one module per version).

use std::collections::BTreeMap;

use quote::quote;

use super::docs::inner_doc;
use super::rust::ident;
use super::{GeneratedFile, file};
use crate::SchemaError;
use crate::ir::Service;
use crate::ir::naming::unraw;

pub fn files(services: &[Service]) -> Result<Vec<GeneratedFile>, SchemaError> {
    // Services by module, then their versions; BTreeMaps keep the output sorted.
    let mut by_service: BTreeMap<&str, Vec<&Service>> = BTreeMap::new();
    for service in services {
        by_service.entry(&service.module).or_default().push(service);
    }
    let root = schema_root(services);

    let header = inner_doc(
        "Generated service clients: one module per service, each behind the Cargo feature of the same name.",
    );
    let modules = by_service.values().map(|versions| {
        let feature = &versions[0].name;
        let module = ident(&versions[0].module);
        // Generated files are formatted by prettyplease; `cargo fmt` must not touch
        // them, or `cargo xtask codegen --check` and `cargo fmt --check` would disagree.
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let mut files = vec![file(
        &format!("{root}/"),
        "mod.rs",
        quote!(#header #(#modules)*),
    )?];

    for (module, versions) in &by_service {
        let service = versions[0];
        let title = if service.title.is_empty() {
            String::new()
        } else {
            format!(" ({})", service.title)
        };
        let header = inner_doc(&format!(
            "{}{title}: one module per API version.",
            service.name
        ));
        let mut version_modules: Vec<&str> =
            versions.iter().map(|s| s.version_module.as_str()).collect();
        version_modules.sort_unstable();
        let version_modules = version_modules.into_iter().map(ident);
        let source = format!("{root}/{}/", service.name);
        let path = format!("{}/mod.rs", unraw(module));
        files.push(file(
            &source,
            &path,
            quote!(#header #(pub mod #version_modules;)*),
        )?);
    }
    Ok(files)
}

/// The directory the schema files were loaded from, as they name it (`schema`).
fn schema_root(services: &[Service]) -> &str {
    services
        .first()
        .and_then(|service| service.file.split('/').next())
        .unwrap_or("schema")
}
