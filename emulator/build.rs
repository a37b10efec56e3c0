//! Embeds every `schema/<service>/<version>.json` of the workspace into the emulator, so
//! the binary serves the whole catalog from anywhere without reading files at run time.
//!
//! The files stay JSON text in the binary; the emulator parses a service version on its
//! first request (`catalog`). What it must know of every file before any request is
//! computed here: the service and version (the file's place in the tree, which
//! `cargo xtask codegen` checks against its contents) and the actions sent unsigned with
//! `Authorization: SKIP`, which a request names before its service is known.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use serde::Deserialize;

/// The little of a schema file the skip-sign index needs; serde skips every other member
/// without building it.
#[derive(Deserialize)]
struct SkimmedSchema {
    actions: Vec<SkimmedAction>,
}

#[derive(Deserialize)]
struct SkimmedAction {
    name: String,
    #[serde(default)]
    skip_sign: bool,
}

fn main() {
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let schema_dir = Path::new(&manifest_dir).join("../schema");
    println!("cargo:rerun-if-changed={}", schema_dir.display());

    let mut files = Vec::new();
    for service in read_dir_sorted(&schema_dir) {
        if !service.is_dir() {
            continue;
        }
        // A new version file changes the service directory's mtime, not the schema dir's.
        println!("cargo:rerun-if-changed={}", service.display());
        for file in read_dir_sorted(&service) {
            if file.extension().is_some_and(|ext| ext == "json") {
                println!("cargo:rerun-if-changed={}", file.display());
                files.push(file);
            }
        }
    }

    let mut table = String::from(
        "/// Every schema file: its path relative to `schema/`, service, version and text.\n\
         pub static SCHEMA_FILES: &[super::EmbeddedFile] = &[\n",
    );
    let mut skip_sign = String::from(
        "/// `(service, version, action)` of every action sent with `Authorization: SKIP`.\n\
         pub static SKIP_SIGN: &[(&str, &str, &str)] = &[\n",
    );
    for file in &files {
        let abs = fs::canonicalize(file).expect("schema file path resolves");
        let rel = file
            .strip_prefix(&schema_dir)
            .expect("file is under schema/");
        let service = rel
            .parent()
            .and_then(Path::to_str)
            .expect("service directory names are UTF-8");
        let version = file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("version file names are UTF-8");
        writeln!(
            table,
            "    super::EmbeddedFile {{ path: {:?}, service: {service:?}, version: {version:?}, json: include_str!({:?}) }},",
            rel.display().to_string(),
            abs.display().to_string()
        )
        .expect("writing to a String cannot fail");
        for action in skip_sign_actions(file) {
            writeln!(skip_sign, "    ({service:?}, {version:?}, {action:?}),")
                .expect("writing to a String cannot fail");
        }
    }
    table.push_str("];\n");
    skip_sign.push_str("];\n");

    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("schemas.rs"), table + &skip_sign)
        .expect("OUT_DIR is writable");
}

/// The actions of `file` marked `skip_sign`. A file that does not even skim is left out
/// with a warning rather than failing the build: the emulator then answers its first
/// request with an InternalError naming the file and the place, as for any schema that
/// does not parse.
fn skip_sign_actions(file: &Path) -> Vec<String> {
    let json =
        fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    match serde_json::from_str::<SkimmedSchema>(&json) {
        Ok(schema) => schema
            .actions
            .into_iter()
            .filter(|action| action.skip_sign)
            .map(|action| action.name)
            .collect(),
        Err(e) => {
            println!("cargo:warning={} does not parse: {e}", file.display());
            Vec::new()
        }
    }
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    entries
}
