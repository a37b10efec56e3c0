//! Embeds every `schema/<service>/<version>.json` of the workspace into the emulator, so
//! the binary serves the whole catalog from anywhere without reading files at run time.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

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

    let mut out =
        String::from("/// `(path relative to schema/, contents)` of every schema file.\n");
    out.push_str("pub static SCHEMA_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let abs = fs::canonicalize(file).expect("schema file path resolves");
        let rel = file
            .strip_prefix(&schema_dir)
            .expect("file is under schema/");
        writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            rel.display().to_string(),
            abs.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    out.push_str("];\n");

    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("schemas.rs"), out).expect("OUT_DIR is writable");
}

fn read_dir_sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    entries.sort();
    entries
}
