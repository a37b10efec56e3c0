//! `cargo xtask import`: brings actions of the tccli catalog into `schema/`.
//!
//! ```text
//! cargo xtask import --pinned [--services a,b,c] [--out <dir, default schema/>]
//! cargo xtask import --api <api.json> [--examples <examples.json>]
//!     [--errorcodes <errorcodes.py>] [--action-errors <action-error-codes.json>]
//!     [--protocol-actions <protocol-actions.json>] [--action NAME ...]
//!     [--out <dir, default schema/>]
//! ```
//!
//! `--pinned` imports every service version of the pinned catalog (`crate::pinned`), or
//! the listed services, with the per-action error codes: the one command that rebuilds
//! `schema/` from its sources. The second form imports one api.json, or some of its
//! actions. Either way each `<out>/<service>/<version>.json` is written or merged, and
//! what changed is printed; the merge rule, which keeps hand corrections, is in
//! `tencent_cloud_codegen::import::merge`. Importing twice changes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use tencent_cloud_codegen::import::{self, Catalog, CatalogFiles, CatalogWide, Selection};

use crate::pinned;

const USAGE: &str = "usage: cargo xtask import --pinned [--services a,b,c] [--out <dir>]
       cargo xtask import --api <api.json> [--examples <examples.json>] \
[--errorcodes <errorcodes.py>] [--action-errors <action-error-codes.json>] \
[--protocol-actions <protocol-actions.json>] [--action NAME ...] [--out <dir>]";

enum Source {
    Pinned {
        services: Option<Vec<String>>,
    },
    One {
        files: CatalogFiles,
        actions: Vec<String>,
    },
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let (source, out) = parse_args(root, args)?;
    match source {
        Source::One { files, actions } => {
            let catalog = Catalog::load(&files).map_err(|e| e.to_string())?;
            let selection = if actions.is_empty() {
                Selection::All
            } else {
                Selection::Actions(actions)
            };
            import_version(&catalog, &selection, &out, true)?;
            Ok(())
        }
        Source::Pinned { services } => import_pinned(root, services.as_deref(), &out),
    }
}

fn import_pinned(root: &Path, services: Option<&[String]>, out: &Path) -> Result<(), String> {
    let pinned = pinned::fetch(root)?;
    let wide = CatalogWide::load(&CatalogFiles {
        action_errors: Some(pinned.action_errors),
        protocol_actions: Some(pinned.protocol_actions),
        ..CatalogFiles::default()
    })
    .map_err(|e| e.to_string())?;
    let mut versions =
        import::discover(&pinned.services, Some(&pinned.errorcodes)).map_err(|e| e.to_string())?;
    if let Some(wanted) = services {
        let service_of = |files: &CatalogFiles| -> String {
            // `<service>/v<YYYYMMDD>/api.json`
            (files.api.parent().and_then(Path::parent))
                .and_then(Path::file_name)
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        if let Some(missing) = wanted
            .iter()
            .find(|service| !versions.iter().any(|files| service_of(files) == **service))
        {
            return Err(format!("no service `{missing}` in the pinned catalog"));
        }
        versions.retain(|files| wanted.contains(&service_of(files)));
    }
    let (mut written, mut actions) = (0, 0);
    for files in &versions {
        let catalog = Catalog::load_with(files, &wide).map_err(|e| e.to_string())?;
        actions += catalog.api.actions.len();
        if import_version(&catalog, &Selection::All, out, false)? {
            written += 1;
        }
    }
    println!(
        "{} service versions, {actions} actions imported; {written} files written, {} unchanged",
        versions.len(),
        versions.len() - written
    );
    Ok(())
}

/// Imports `selection` of one service version into `<out>/<service>/<version>.json`,
/// merged with the file there; returns whether the file changed. `verbose` prints the
/// merge report.
fn import_version(
    catalog: &Catalog,
    selection: &Selection,
    out: &Path,
    verbose: bool,
) -> Result<bool, String> {
    let metadata = &catalog.api.metadata;
    let path = out
        .join(&metadata.service_short_name)
        .join(format!("{}.json", metadata.api_version));
    let existing = if path.exists() {
        Some(import::read_schema(&path).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let (schema, report) =
        import::import(catalog, selection, existing.as_ref()).map_err(|e| e.to_string())?;
    let text = import::to_json(&schema);
    let changed = fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
    if changed {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    } else if verbose {
        println!("{} is up to date", path.display());
    }
    if verbose {
        print!("{report}");
    }
    Ok(changed)
}

fn parse_args(root: &Path, args: &[String]) -> Result<(Source, PathBuf), String> {
    let mut api = None;
    let mut files = CatalogFiles::default();
    let mut actions = Vec::new();
    let mut pinned = false;
    let mut services = None;
    let mut out = root.join("schema");
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--pinned" => pinned = true,
            "--services" => services = Some(value()?.split(',').map(str::to_owned).collect()),
            "--api" => api = Some(PathBuf::from(value()?)),
            "--examples" => files.examples = Some(value()?.into()),
            "--errorcodes" => files.errorcodes = Some(value()?.into()),
            "--action-errors" => files.action_errors = Some(value()?.into()),
            "--protocol-actions" => files.protocol_actions = Some(value()?.into()),
            "--action" => actions.push(value()?),
            "--out" => out = value()?.into(),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let source = match (pinned, api) {
        (true, None) if actions.is_empty() => Source::Pinned { services },
        (false, Some(api)) if services.is_none() => {
            files.api = api;
            Source::One { files, actions }
        }
        _ => return Err(format!("either --pinned or --api\n{USAGE}")),
    };
    Ok((source, out))
}
