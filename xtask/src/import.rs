//! `cargo xtask import`: brings actions of the tccli catalog into `schema/`.
//!
//! ```text
//! cargo xtask import --api <api.json> [--examples <examples.json>]
//!     [--errorcodes <errorcodes.py>] [--action-errors <action-error-codes.json>]
//!     [--action NAME ...] [--out <dir, default schema/>]
//! ```
//!
//! Writes or merges `<out>/<service>/<version>.json` and prints what changed; the
//! merge rule is in `tencent_cloud_codegen::import::merge`. Without `--action`,
//! every action of the catalog is imported.

use std::fs;
use std::path::{Path, PathBuf};

use tencent_cloud_codegen::import::{self, Catalog, CatalogFiles, Selection};

const USAGE: &str = "usage: cargo xtask import --api <api.json> [--examples <examples.json>] \
[--errorcodes <errorcodes.py>] [--action-errors <action-error-codes.json>] [--action NAME ...] \
[--out <dir>]";

struct Args {
    files: CatalogFiles,
    actions: Vec<String>,
    out: PathBuf,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = parse_args(root, args)?;
    let catalog = Catalog::load(&args.files).map_err(|e| e.to_string())?;
    let selection = if args.actions.is_empty() {
        Selection::All
    } else {
        Selection::Actions(args.actions)
    };

    let metadata = &catalog.api.metadata;
    let path = args
        .out
        .join(&metadata.service_short_name)
        .join(format!("{}.json", metadata.api_version));
    let existing = if path.exists() {
        Some(import::read_schema(&path).map_err(|e| e.to_string())?)
    } else {
        None
    };

    let (schema, report) =
        import::import(&catalog, &selection, existing.as_ref()).map_err(|e| e.to_string())?;
    let text = import::to_json(&schema);
    if fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        println!("{} is up to date", path.display());
    } else {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    print!("{report}");
    Ok(())
}

fn parse_args(root: &Path, args: &[String]) -> Result<Args, String> {
    let mut api = None;
    let mut files = CatalogFiles::default();
    let mut actions = Vec::new();
    let mut out = root.join("schema");
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--api" => api = Some(PathBuf::from(value()?)),
            "--examples" => files.examples = Some(value()?.into()),
            "--errorcodes" => files.errorcodes = Some(value()?.into()),
            "--action-errors" => files.action_errors = Some(value()?.into()),
            "--action" => actions.push(value()?),
            "--out" => out = value()?.into(),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    files.api = api.ok_or_else(|| format!("--api is required\n{USAGE}"))?;
    Ok(Args {
        files,
        actions,
        out,
    })
}
