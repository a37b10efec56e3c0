//! `cargo xtask catalog`: the generator proven against Tencent Cloud's whole catalog.
//!
//! ```text
//! cargo xtask catalog --from <tccli/services> [--errorcodes <tencentcloud/>]
//!     [--action-errors <action-error-codes.json>] [--out <dir>] [--target-dir <dir>]
//!     [--services a,b,c] [--jobs N] [--doc]
//! cargo xtask catalog --sample [--jobs N] [--doc]
//! ```
//!
//! Imports every service version (or the listed services) into `<out>/schema/`, exactly as
//! `cargo xtask import` would, then generates from those files into a scratch Cargo
//! workspace, one crate per service (`<out>/crates/<service>/`), and runs `cargo check` on
//! it with its own target directory (`<out>/target` unless `--target-dir`). Prints what
//! was imported, generated and compiled, every failure, and the time of each phase.
//! With `--doc` it then runs `cargo doc --no-deps` on the same workspace with
//! `RUSTDOCFLAGS="-D warnings"`, as CI documents the SDK, and counts the crates whose docs
//! fail (a broken intra-doc link, an HTML tag or a bare URL made of a catalog doc).
//! Nothing in the project is written; there is no list of exceptions.
//!
//! Why one crate per service: rustc's memory grows with the crate it compiles (the nine
//! largest services in one crate peaked at 9.8 GB), so a crate per service bounds the peak
//! by the largest service, times `--jobs`. It is also what the SDK's features make an
//! application compile: one feature is one service, all its versions.
//!
//! Each crate's `src/services/` is `emit::generate` for that service, byte for byte what
//! `cargo xtask codegen` writes into `sdk/src/services/`. Generated code names the runtime
//! by paths from the SDK's root (`crate::client`, `crate::error`, `crate::Config`, ...); the
//! crate root glob-imports the public root of `tencent_cloud` (by path: the project's `sdk/`)
//! so that every such path resolves as inside the SDK, whatever the runtime adds, and it
//! denies warnings, as CI does for the SDK.
//!
//! `--sample` is the CI-sized run: it downloads the pinned wheels with pip into
//! `target/catalog-cache` (once) and checks `SAMPLE`, the hardest services.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::process::run_step;

use serde_json::Value;
use tencent_cloud_codegen::import::{self, ActionErrors, Catalog, CatalogFiles, Selection};
use tencent_cloud_codegen::schema::{self, LoadedSchema};
use tencent_cloud_codegen::{emit, ir};

const USAGE: &str = "usage: cargo xtask catalog --from <tccli/services dir> \
[--errorcodes <tencentcloud python package dir>] [--action-errors <action-error-codes.json>] \
[--out <scratch dir>] [--target-dir <dir>] [--services a,b,c] [--jobs N] [--doc]
       cargo xtask catalog --sample [--jobs N] [--doc]";

/// The pinned catalog (`../shared/catalog/README.md`): api.json and examples.json from
/// tccli, the service-wide error codes from the Python SDK of the same release.
const WHEELS: [(&str, &str); 2] = [
    (
        "tccli-intl-en==3.1.193.1",
        "tccli_intl_en-3.1.193.1-py2.py3-none-any.whl",
    ),
    (
        "tencentcloud-sdk-python-intl-en==3.1.193",
        "tencentcloud_sdk_python_intl_en-3.1.193-py2.py3-none-any.whl",
    ),
];

/// The hardest services of the catalog for the generator, found by scanning every api.json
/// (member names, object names, the object graph); all versions of each are checked, and
/// every one has non-ASCII docs.
const SAMPLE: [&str; 15] = [
    "csip",    // the largest (750 actions, 2,060 objects); recursive types
    "cwp",     // second largest (533 actions); `hadAutoFixVul` (lowerCamel); `Where`
    "vpc",     // fourth largest (309 actions)
    "tke",     // `Super` (v20220501); `As`, `For`
    "es",      // an object with 108 members; `Break`
    "lke",     // recursive types; an object named `Option`
    "ssl",     // an object named `Error`
    "scf",     // an object named `Result`; `Override`
    "ocr",     // an object named `Value`
    "ccc",     // snake_case collisions in one object; `Async`
    "emr",     // `Match`
    "tdmysql", // `Enum`, `Ref`
    "iss",     // `Mod`
    "dts",     // `Abstract`
    "config",  // named like a module of the runtime (`tencent_cloud::config`)
];

struct Args {
    from: PathBuf,
    errorcodes: Option<PathBuf>,
    action_errors: Option<PathBuf>,
    out: PathBuf,
    target_dir: Option<PathBuf>,
    services: Option<Vec<String>>,
    jobs: Option<String>,
    /// Also `cargo doc` the generated crates.
    doc: bool,
}

/// What was imported and generated, and what failed on the way.
#[derive(Default)]
struct Totals {
    versions: usize,
    actions: usize,
    /// Objects of the catalog, each action's Request and Response included.
    catalog_objects: usize,
    /// Object types in the imported schemas (Request and Response become shapes).
    imported_types: usize,
    generated_objects: usize,
    generated_enums: usize,
    /// `<service> <version>: <error>` for an import or generator failure.
    failures: Vec<String>,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = match args {
        [flag, rest @ ..] if flag == "--sample" => sample_args(root, rest)?,
        _ => parse_args(root, args)?,
    };
    prepare_out(root, &args.out)?;

    let started = Instant::now();
    let (totals, crates) = import_and_generate(root, &args)?;
    let generate_seconds = started.elapsed().as_secs_f64();
    for failure in &totals.failures {
        eprintln!("FAILED {failure}");
    }

    let started = Instant::now();
    let target_dir = args.target_dir.unwrap_or_else(|| args.out.join("target"));
    let failed_crates = check(&args.out, &target_dir, args.jobs.as_deref(), &crates)?;
    let check_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let failed_docs = if args.doc {
        document(&args.out, &target_dir, args.jobs.as_deref(), &crates)?
    } else {
        Vec::new()
    };
    let doc_seconds = started.elapsed().as_secs_f64();

    let failed_actions: usize = failed_crates.iter().map(|name| crates[name]).sum();
    println!(
        "\ncatalog: {} service versions, {} actions, {} catalog objects",
        totals.versions, totals.actions, totals.catalog_objects
    );
    println!(
        "imported: {} object types; generated: {} object types, {} enums, {} crates",
        totals.imported_types,
        totals.generated_objects,
        totals.generated_enums,
        crates.len()
    );
    println!(
        "failures: {} in import or generate, {} crates ({failed_actions} actions) in cargo check{}",
        totals.failures.len(),
        failed_crates.len(),
        if failed_crates.is_empty() {
            String::new()
        } else {
            format!(": {}", failed_crates.join(", "))
        }
    );
    if args.doc {
        let failed_actions: usize = failed_docs.iter().map(|name| crates[name]).sum();
        println!(
            "cargo doc (-D warnings): {} crates ({failed_actions} actions) failed{}",
            failed_docs.len(),
            if failed_docs.is_empty() {
                String::new()
            } else {
                format!(": {}", failed_docs.join(", "))
            }
        );
    }
    print!("import+generate: {generate_seconds:.1} s; cargo check: {check_seconds:.1} s");
    if args.doc {
        print!("; cargo doc: {doc_seconds:.1} s");
    }
    println!();
    println!(
        "per-crate times: {}",
        target_dir.join("cargo-timings/cargo-timing.html").display()
    );
    if totals.failures.is_empty() && failed_crates.is_empty() && failed_docs.is_empty() {
        Ok(())
    } else if failed_docs.is_empty() {
        Err("the catalog does not import, generate and compile without failures".to_owned())
    } else {
        Err("the catalog's generated docs do not build without warnings".to_owned())
    }
}

/// Imports each selected service version into `<out>/schema/`, then generates each
/// service's crate from the files just written. Returns the totals and, by crate name,
/// the number of actions in each crate.
fn import_and_generate(
    root: &Path,
    args: &Args,
) -> Result<(Totals, BTreeMap<String, usize>), String> {
    let action_errors = args
        .action_errors
        .as_deref()
        .map(ActionErrors::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let mut by_service: BTreeMap<String, Vec<CatalogFiles>> = BTreeMap::new();
    for files in
        import::discover(&args.from, args.errorcodes.as_deref()).map_err(|e| e.to_string())?
    {
        // `<service>/v<YYYYMMDD>/api.json`
        let service = files
            .api
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        by_service.entry(service).or_default().push(files);
    }
    if let Some(wanted) = &args.services {
        if let Some(missing) = wanted.iter().find(|s| !by_service.contains_key(*s)) {
            return Err(format!("no service `{missing}` in {}", args.from.display()));
        }
        by_service.retain(|service, _| wanted.contains(service));
    }

    let mut totals = Totals::default();
    let mut crates = BTreeMap::new();
    // One service at a time, so that memory holds one service's IR and files, not the catalog's.
    for (service, versions) in &by_service {
        let mut built = Vec::new();
        for files in versions {
            match import_version(&args.out, files, action_errors.as_ref()) {
                Ok((catalog_objects, imported_types, service)) => {
                    totals.versions += 1;
                    totals.catalog_objects += catalog_objects;
                    totals.imported_types += imported_types;
                    built.push(service);
                }
                Err(message) => totals.failures.push(message),
            }
        }
        if built.is_empty() {
            continue;
        }
        let crate_name = format!("catalog-{service}");
        let actions = built.iter().map(|s| s.actions.len()).sum();
        match write_crate(
            root,
            &args.out.join("crates").join(service),
            &crate_name,
            &built,
        ) {
            Ok(()) => {
                totals.actions += actions;
                totals.generated_objects += built.iter().map(|s| s.objects.len()).sum::<usize>();
                totals.generated_enums += built.iter().map(|s| s.enums.len()).sum::<usize>();
                crates.insert(crate_name, actions);
            }
            Err(message) => totals.failures.push(format!("{service}: {message}")),
        }
    }
    Ok((totals, crates))
}

/// Imports one service version into `<out>/schema/<service>/<version>.json` and builds its
/// IR from that file's text. Returns the catalog's object count, the imported type count
/// and the IR.
fn import_version(
    out: &Path,
    files: &CatalogFiles,
    action_errors: Option<&ActionErrors>,
) -> Result<(usize, usize, ir::Service), String> {
    let catalog = Catalog::load_with(files, action_errors).map_err(|e| e.to_string())?;
    // What `cargo xtask import` writes for a file that does not exist yet.
    let imported = import::convert(&catalog, &Selection::All).map_err(|e| e.to_string())?;
    let text = import::to_json(&imported);
    let relative = format!("{}/{}.json", imported.service, imported.version);
    let path = out.join("schema").join(&relative);
    write(&path, &text)?;
    let file = format!("schema/{relative}");
    let schema = schema::parse(&file, &text).map_err(|e| e.to_string())?;
    let service = ir::build(&LoadedSchema { file, schema }).map_err(|e| e.to_string())?;
    Ok((catalog.api.objects.len(), imported.types.len(), service))
}

/// Writes the crate of one service: its manifest, its root and the generated tree.
fn write_crate(
    root: &Path,
    dir: &Path,
    name: &str,
    versions: &[ir::Service],
) -> Result<(), String> {
    let feature = &versions[0].name;
    let sdk = root.join("sdk");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [features]\ndefault = [\"{feature}\"]\n{feature} = []\n\n[dependencies]\n\
             tencent-cloud = {{ path = {sdk:?}, default-features = false }}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        ),
    )?;
    write(
        &dir.join("src/lib.rs"),
        "//! Written by `cargo xtask catalog`: `services/` is what `cargo xtask codegen` \
         generates for this service.\n\
         #![deny(warnings)]\n\n\
         // Generated code names the runtime by paths from the SDK's root \
         (`crate::client`, `crate::Config`, ...).\n\
         use tencent_cloud::*;\n\n\
         #[rustfmt::skip]\nmod services;\npub use services::*;\n",
    )?;
    for file in emit::generate(versions).map_err(|e| e.to_string())? {
        write(&dir.join("src/services").join(&file.path), &file.contents)?;
    }
    Ok(())
}

/// Runs `cargo check` on the scratch workspace and returns the crates that did not compile.
fn check(
    out: &Path,
    target_dir: &Path,
    jobs: Option<&str>,
    crates: &BTreeMap<String, usize>,
) -> Result<Vec<String>, String> {
    write(
        &out.join("Cargo.toml"),
        "# Written by `cargo xtask catalog`: a scratch workspace, not part of the project.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n",
    )?;
    let command = cargo(
        out,
        target_dir,
        &["check", "--workspace", "--keep-going", "--timings"],
        jobs,
    );
    crates_not_built(command, "cargo check", crates)
}

/// Runs `cargo doc --no-deps` on the scratch workspace, warnings denied as CI denies them
/// for the SDK, and returns the crates whose docs did not build.
fn document(
    out: &Path,
    target_dir: &Path,
    jobs: Option<&str>,
    crates: &BTreeMap<String, usize>,
) -> Result<Vec<String>, String> {
    let mut command = cargo(
        out,
        target_dir,
        &["doc", "--no-deps", "--workspace", "--keep-going"],
        jobs,
    );
    command.env("RUSTDOCFLAGS", "-D warnings");
    crates_not_built(command, "cargo doc", crates)
}

/// `path` from the current directory.
fn absolute(path: &str) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("{path}: {e}"))
}

/// `cargo <args>` in the scratch workspace, with its own target directory.
fn cargo(out: &Path, target_dir: &Path, args: &[&str], jobs: Option<&str>) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(out)
        .env("CARGO_TARGET_DIR", target_dir)
        // Every run checks the generated code from nothing, as in a fresh clone; only the
        // dependencies are reused. Incremental caches would also cost gigabytes of writes.
        .env("CARGO_INCREMENTAL", "0")
        .args(args);
    if let Some(jobs) = jobs {
        command.args(["--jobs", jobs]);
    }
    command
}

/// Runs `command` (a cargo build of the whole workspace, `--keep-going`: one crate's
/// errors must not hide the rest's) and returns the crates of `crates` it did not build.
fn crates_not_built(
    mut command: Command,
    what: &str,
    crates: &BTreeMap<String, usize>,
) -> Result<Vec<String>, String> {
    let output = command
        .args(["--message-format", "json-render-diagnostics"])
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|child| child.wait_with_output())
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    // Diagnostics went to stderr as cargo renders them; stdout has one JSON message per
    // line, among them an artifact for every crate that was built.
    let built: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| message["target"]["name"].as_str().map(str::to_owned))
        .collect();
    let failed: Vec<String> = crates
        .keys()
        .filter(|name| !built.contains(&name.replace('-', "_")))
        .cloned()
        .collect();
    if failed.is_empty() && !output.status.success() {
        return Err(format!("{what} failed ({})", output.status));
    }
    Ok(failed)
}

/// Empties the generated parts of a scratch directory (keeping its target for reuse); a
/// directory that is not empty must carry the marker this command leaves.
fn prepare_out(root: &Path, out: &Path) -> Result<(), String> {
    let marker = out.join(".catalog-scratch");
    let is_empty = fs::read_dir(out).map_or(true, |mut entries| entries.next().is_none());
    if !is_empty && !marker.exists() {
        return Err(format!(
            "{} is not empty and was not made by `cargo xtask catalog`; choose another --out",
            out.display()
        ));
    }
    for dir in ["schema", "crates"] {
        let dir = out.join(dir);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
    }
    write(&marker, "scratch directory of `cargo xtask catalog`\n")?;
    // The project's lock file, so that the check uses the dependency versions the SDK is
    // built with and needs no registry lookup; cargo prunes what the scratch does not use.
    let lock = out.join("Cargo.lock");
    if !lock.exists() {
        fs::copy(root.join("Cargo.lock"), &lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(())
}

fn parse_args(root: &Path, args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        from: PathBuf::new(),
        errorcodes: None,
        action_errors: None,
        out: root.join("target/catalog"),
        target_dir: None,
        services: None,
        jobs: None,
        doc: false,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--from" => parsed.from = value()?.into(),
            "--errorcodes" => parsed.errorcodes = Some(value()?.into()),
            "--action-errors" => parsed.action_errors = Some(value()?.into()),
            // Absolute, because cargo runs in `out` and would read a relative target
            // directory from there (`out/out/target`).
            "--out" => parsed.out = absolute(&value()?)?,
            "--target-dir" => parsed.target_dir = Some(absolute(&value()?)?),
            "--services" => {
                parsed.services = Some(value()?.split(',').map(str::to_owned).collect())
            }
            "--jobs" => parsed.jobs = Some(value()?),
            "--doc" => parsed.doc = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if parsed.from.as_os_str().is_empty() {
        return Err(format!("--from is required\n{USAGE}"));
    }
    Ok(parsed)
}

/// `--sample`: the pinned wheels, downloaded and unpacked once into `target/catalog-cache`.
fn sample_args(root: &Path, args: &[String]) -> Result<Args, String> {
    let mut jobs = None;
    let mut doc = false;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--jobs" => jobs = Some(args.next().ok_or(USAGE)?.clone()),
            "--doc" => doc = true,
            _ => return Err(USAGE.to_owned()),
        }
    }
    let cache = root.join("target/catalog-cache");
    let mut unpacked = Vec::new();
    for (requirement, wheel) in WHEELS {
        if !cache.join(wheel).exists() {
            run_step(
                Command::new("python3")
                    .args(["-m", "pip", "download", "--no-deps", "--quiet", "-d"])
                    .arg(&cache)
                    .arg(requirement),
                &format!("pip download {requirement}"),
            )?;
        }
        let dir = cache.join(wheel.trim_end_matches(".whl"));
        if !dir.exists() {
            // Unpacked beside, then renamed: an interrupted unpack is never taken as done.
            let partial = dir.with_extension("partial");
            if partial.exists() {
                fs::remove_dir_all(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
            }
            run_step(
                Command::new("python3")
                    .args(["-m", "zipfile", "-e"])
                    .arg(cache.join(wheel))
                    .arg(&partial),
                &format!("unpack {wheel}"),
            )?;
            fs::rename(&partial, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        unpacked.push(dir);
    }
    // Kept next to the project, not in it (../shared/catalog/README.md); without it every
    // action falls back to its service's error list, which compiles the same way.
    let action_errors = root.join("../shared/catalog/action-error-codes.json");
    Ok(Args {
        from: unpacked[0].join("tccli/services"),
        errorcodes: Some(unpacked[1].join("tencentcloud")),
        action_errors: action_errors.exists().then_some(action_errors),
        out: root.join("target/catalog-sample"),
        target_dir: None,
        services: Some(SAMPLE.iter().map(|s| (*s).to_owned()).collect()),
        jobs,
        doc,
    })
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
}
