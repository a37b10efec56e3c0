//! `cargo xtask codegen [--check] [--root <dir>]`: `schema/` → `services/` and
//! `sdk/src/services.rs`.
//!
//! Everything under `services/` is generated (one crate per service): files the schema
//! no longer produces are orphans and are deleted. The facade's list of services
//! (`sdk/src/services.rs`) and its features and dependencies in `sdk/Cargo.toml`
//! (between the marker comments, see `tencent_cloud_codegen::emit::facade`) are
//! rewritten too. With `--check` nothing is written; every file that differs, is
//! missing or is orphaned is listed and the command fails.
//!
//! `--root <dir>` works on another tree laid out like this repository (default: this
//! repository): it reads `<dir>/schema/`, the version in `<dir>/Cargo.toml` and the facade
//! manifest `<dir>/sdk/Cargo.toml`, and writes under `<dir>`. The contributor-flow test
//! (`tests/tests/contributor_flow.rs`) generates into a scratch tree this way.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use tencent_cloud_codegen::emit::{self, GeneratedFile};

const SDK_MANIFEST: &str = "sdk/Cargo.toml";
const WORKSPACE_MANIFEST: &str = "Cargo.toml";

/// One file that is not what the schema says it should be.
enum Drift {
    Differs(PathBuf, String),
    Missing(PathBuf, String),
    Orphaned(PathBuf),
}

const USAGE: &str = "usage: cargo xtask codegen [--check] [--root <dir>]";

pub fn run(project: &Path, args: &[String]) -> Result<(), String> {
    let (check, root) = parse_args(project, args)?;
    let root = root.as_path();
    let services =
        tencent_cloud_codegen::build_dir(&root.join("schema")).map_err(|err| err.to_string())?;
    let files = emit::generate(&services).map_err(|err| err.to_string())?;

    let mut drift = drift(root, &files)?;
    let manifest = root.join(SDK_MANIFEST);
    let current = read(&manifest)?.unwrap_or_default();
    let version = workspace_version(root)?;
    let expected = emit::facade::splice(&current, &services, &version).ok_or_else(|| {
        format!(
            "{SDK_MANIFEST}: its [features] table needs the lines\n  {}\n  {}\n\
             and its [dependencies] table the lines\n  {}\n  {}",
            emit::facade::FEATURES_BEGIN,
            emit::facade::FEATURES_END,
            emit::facade::CRATES_BEGIN,
            emit::facade::CRATES_END
        )
    })?;
    if expected != current {
        drift.push(Drift::Differs(manifest, expected));
    }

    let relative = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    if check {
        for item in &drift {
            match item {
                Drift::Differs(path, _) => eprintln!("differs:  {}", relative(path)),
                Drift::Missing(path, _) => eprintln!("missing:  {}", relative(path)),
                Drift::Orphaned(path) => eprintln!("orphaned: {}", relative(path)),
            }
        }
        return if drift.is_empty() {
            println!("generated code is up to date ({} files)", files.len());
            Ok(())
        } else {
            Err(format!(
                "{} generated file(s) do not match schema/; run `cargo xtask codegen`",
                drift.len()
            ))
        };
    }

    for item in &drift {
        match item {
            Drift::Differs(path, contents) | Drift::Missing(path, contents) => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(|err| io_error(parent, &err))?;
                }
                fs::write(path, contents).map_err(|err| io_error(path, &err))?;
                println!("wrote    {}", relative(path));
            }
            Drift::Orphaned(path) => {
                fs::remove_file(path).map_err(|err| io_error(path, &err))?;
                println!("removed  {}", relative(path));
            }
        }
    }
    remove_empty_dirs(&root.join(emit::tree::SERVICES_DIR))?;
    println!("{} generated files, {} changed", files.len(), drift.len());
    Ok(())
}

/// `--check`, and the tree to work on (`--root`, default `project`).
fn parse_args(project: &Path, args: &[String]) -> Result<(bool, PathBuf), String> {
    let mut check = false;
    let mut root = project.to_owned();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--check" => check = true,
            "--root" => {
                root = args
                    .next()
                    .ok_or_else(|| format!("--root needs a value\n{USAGE}"))?
                    .into();
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok((check, root))
}

/// Compares the generated files with what is on disk; anything else under `services/`
/// is an orphan.
fn drift(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Drift>, String> {
    let mut drift = Vec::new();
    let mut expected = BTreeSet::new();
    for file in files {
        let path = root.join(&file.path);
        match read(&path)? {
            None => drift.push(Drift::Missing(path.clone(), file.contents.clone())),
            Some(current) if current != file.contents => {
                drift.push(Drift::Differs(path.clone(), file.contents.clone()))
            }
            Some(_) => {}
        }
        expected.insert(path);
    }
    for path in files_under(&root.join(emit::tree::SERVICES_DIR))? {
        if !expected.contains(&path) {
            drift.push(Drift::Orphaned(path));
        }
    }
    Ok(drift)
}

/// `[workspace.package] version` of the root manifest: the version every service crate
/// is published at, which the facade's dependencies name.
fn workspace_version(root: &Path) -> Result<String, String> {
    let path = root.join(WORKSPACE_MANIFEST);
    let text = read(&path)?.unwrap_or_default();
    let table = text
        .split_once("[workspace.package]")
        .map(|(_, rest)| rest.split("\n[").next().unwrap_or(rest));
    table
        .and_then(|table| {
            table.lines().find_map(|line| {
                let value = line.trim().strip_prefix("version")?.trim_start();
                Some(value.strip_prefix('=')?.trim().trim_matches('"').to_owned())
            })
        })
        .ok_or_else(|| format!("{WORKSPACE_MANIFEST}: no `version` in [workspace.package]"))
}

/// The file's contents, or `None` if it does not exist.
fn read(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(contents) => Ok(Some(contents)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(io_error(path, &err)),
    }
}

/// Every file under `dir`, sorted; nothing if `dir` does not exist.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(io_error(&dir, &err)),
        };
        for entry in entries {
            let path = entry.map_err(|err| io_error(&dir, &err))?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Removes directories left empty by deleted orphans (deepest first).
fn remove_empty_dirs(dir: &Path) -> Result<(), String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry.map_err(|err| io_error(dir, &err))?.path();
        if path.is_dir() {
            remove_empty_dirs(&path)?;
            if fs::read_dir(&path)
                .map_err(|err| io_error(&path, &err))?
                .next()
                .is_none()
            {
                fs::remove_dir(&path).map_err(|err| io_error(&path, &err))?;
            }
        }
    }
    Ok(())
}

fn io_error(path: &Path, err: &std::io::Error) -> String {
    format!("{}: {err}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn the_root_defaults_to_the_project_and_bad_arguments_are_refused() {
        let project = Path::new("/project");
        assert_eq!(
            parse_args(project, &[]).unwrap(),
            (false, project.to_owned())
        );
        assert_eq!(
            parse_args(project, &args(&["--root", "/scratch", "--check"])).unwrap(),
            (true, PathBuf::from("/scratch"))
        );
        let missing = parse_args(project, &args(&["--root"])).unwrap_err();
        assert!(missing.starts_with("--root needs a value"), "{missing}");
        let unknown = parse_args(project, &args(&["--out", "x"])).unwrap_err();
        assert!(unknown.starts_with("unknown argument `--out`"), "{unknown}");
    }
}
