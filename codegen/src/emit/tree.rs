//! The levels above the version modules: one crate per service and the facade's list of
//! them.
//!
//! ```text
//! services/<service>/Cargo.toml      the crate `tencent-cloud-<service>`       (manifest)
//! services/<service>/src/lib.rs      one `pub mod` per version; the runtime names
//!                                    generated code uses
//! sdk/src/services.rs                one `#[cfg(feature)] pub use` per service crate
//! SERVICES.md                        the table of services, versions and action counts
//! ```

use std::collections::BTreeMap;

use quote::quote;

use super::docs::inner_doc;
use super::rust::ident;
use super::{GeneratedFile, file};
use crate::SchemaError;
use crate::ir::Service;

/// Where the service crates live, from the workspace root.
pub const SERVICES_DIR: &str = "services";
/// The facade's generated module, from the workspace root.
pub const FACADE_SERVICES: &str = "sdk/src/services.rs";
/// The generated table of services, from the workspace root.
pub const SERVICES_TABLE: &str = "SERVICES.md";

/// The package of `service`'s crate (`tencent-cloud-cvm`).
pub fn package_name(service: &str) -> String {
    format!("tencent-cloud-{service}")
}

/// The files of every service crate and the facade's `services.rs`, with paths from
/// the workspace root. `version_files` are placed by the caller, under each crate's
/// `src/<version>/`.
pub fn files(services: &[Service]) -> Result<Vec<GeneratedFile>, SchemaError> {
    // Services by name, then their versions; BTreeMaps keep the output sorted.
    let mut by_service: BTreeMap<&str, Vec<&Service>> = BTreeMap::new();
    for service in services {
        by_service.entry(&service.name).or_default().push(service);
    }
    let root = schema_root(services);

    let header = inner_doc(
        "Generated: one service crate per feature of the same name, re-exported as a module.",
    );
    let reexports = by_service.values().map(|versions| {
        let service = versions[0];
        let feature = &service.name;
        let krate = ident(&package_name(&service.name).replace('-', "_"));
        let module = ident(&service.module);
        quote! {
            #[cfg(feature = #feature)]
            pub use #krate as #module;
        }
    });
    let mut files = vec![file(
        &format!("{root}/"),
        FACADE_SERVICES,
        quote!(#header #(#reexports)*),
    )?];

    files.push(GeneratedFile {
        path: SERVICES_TABLE.to_owned(),
        contents: services_table(root, &by_service),
    });

    for versions in by_service.values() {
        let service = versions[0];
        let source = format!("{root}/{}/", service.name);
        let dir = format!("{SERVICES_DIR}/{}", service.name);
        files.push(GeneratedFile {
            path: format!("{dir}/Cargo.toml"),
            contents: manifest(&source, versions),
        });
        files.push(file(
            &source,
            &format!("{dir}/src/lib.rs"),
            crate_root(versions),
        )?);
    }
    Ok(files)
}

/// A service crate's root: its versions, and the runtime items that generated code
/// names as `crate::...` (ARCHITECTURE.md, "The contract between generated code and the
/// runtime"), imported privately so that they are not part of the crate's API.
fn crate_root(versions: &[&Service]) -> proc_macro2::TokenStream {
    let service = versions[0];
    let title = if service.title.is_empty() {
        String::new()
    } else {
        format!(" ({})", service.title)
    };
    let header = inner_doc(&format!(
        "Tencent Cloud API 3.0: {}{title}, generated from the schema; one module per API version. \
         Applications usually reach it as `tencent_cloud::{}` (feature `{}` of `tencent-cloud`).",
        service.name,
        crate::ir::naming::unraw(&service.module),
        service.name
    ));
    let mut version_modules: Vec<&str> =
        versions.iter().map(|s| s.version_module.as_str()).collect();
    version_modules.sort_unstable();
    let version_modules = version_modules.into_iter().map(ident);
    quote! {
        #header
        #[allow(unused_imports)]
        use ::tencent_cloud_runtime::{__rt, CallOptions, Config, Paginator, SdkError, error};
        // Formatted by the generator and checked byte for byte by `cargo xtask codegen
        // --check`; rustfmt must not rewrite them.
        #(#[rustfmt::skip] pub mod #version_modules;)*
    }
}

/// A service crate's `Cargo.toml`; everything shared comes from the workspace.
fn manifest(source: &str, versions: &[&Service]) -> String {
    let service = versions[0];
    let mut dates: Vec<&str> = versions.iter().map(|s| s.version.as_str()).collect();
    dates.sort_unstable();
    let title = if service.title.is_empty() {
        String::new()
    } else {
        format!(" ({})", service.title)
    };
    let description = format!(
        "Tencent Cloud API 3.0 client for {}{title}, API version{} {}; generated, used through the tencent-cloud crate",
        service.name,
        if dates.len() > 1 { "s" } else { "" },
        dates.join(", ")
    );
    format!(
        "# Generated by `cargo xtask codegen` from {source}. Do not edit.\n\
         [package]\n\
         name = \"{package}\"\n\
         description = {description}\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         license.workspace = true\n\
         rust-version.workspace = true\n\
         keywords = [\"tencent-cloud\", \"tencentcloud\", \"sdk\", {keyword}]\n\
         categories = [\"api-bindings\"]\n\
         \n\
         [dependencies]\n\
         tencent-cloud-runtime.workspace = true\n\
         serde.workspace = true\n\
         serde_json.workspace = true\n\
         \n\
         # The doc examples are written as applications write them, through the facade.\n\
         [dev-dependencies]\n\
         tencent-cloud = {{ path = \"../../sdk\", features = [{feature}] }}\n",
        package = package_name(&service.name),
        feature = toml_string(&service.name),
        description = toml_string(&description),
        keyword = toml_string(&service.name),
    )
}

/// SERVICES.md: one row per service, for choosing features.
fn services_table(root: &str, by_service: &BTreeMap<&str, Vec<&Service>>) -> String {
    let actions: usize = (by_service.values().flatten())
        .map(|s| s.actions.len())
        .sum();
    let mut table = format!(
        "<!-- Generated by `cargo xtask codegen` from {root}/. Do not edit. -->\n\
         # Services\n\n\
         {} services, {} service versions, {actions} actions. Enable a service with the \
         feature of its name (`tencent-cloud = {{ version = \"0.1\", features = [\"cvm\"] }}`) \
         and call it as `tencent_cloud::<module>::<version>::Client`; each is also the crate \
         `tencent-cloud-<service>`.\n\n\
         | feature | module | versions | actions | title |\n|---|---|---|---|---|\n",
        by_service.len(),
        by_service.values().map(Vec::len).sum::<usize>(),
    );
    for versions in by_service.values() {
        let service = versions[0];
        let modules: Vec<String> = (versions.iter())
            .map(|s| format!("`{}` ({})", s.version_module, s.actions.len()))
            .collect();
        let actions: usize = versions.iter().map(|s| s.actions.len()).sum();
        table.push_str(&format!(
            "| `{}` | `{}` | {} | {actions} | {} |\n",
            service.name,
            crate::ir::naming::unraw(&service.module),
            modules.join(", "),
            service.title.replace('|', "\\|").replace('\n', " "),
        ));
    }
    table
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The directory the schema files were loaded from, as they name it (`schema`).
fn schema_root(services: &[Service]) -> &str {
    services
        .first()
        .and_then(|service| service.file.split('/').next())
        .unwrap_or("schema")
}
