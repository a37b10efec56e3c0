//! `fuzz-seeds <dir> [target ...]`: writes each target's seeds, from every service of
//! `schema/`, to `<dir>/<target>/seed-<n>` (what `cargo xtask fuzz` starts the fuzzer from).

use std::path::PathBuf;
use std::process::ExitCode;

use tencent_cloud_fuzz_targets::{TARGETS, seeds};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: fuzz-seeds <dir> [target ...]");
        return ExitCode::FAILURE;
    };
    let mut targets: Vec<String> = args.collect();
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    for target in &targets {
        let seeds = seeds::for_target(target, true);
        if seeds.is_empty() {
            eprintln!("no seeds for `{target}` (targets: {})", TARGETS.join(", "));
            return ExitCode::FAILURE;
        }
        let out = dir.join(target);
        if let Err(error) = std::fs::create_dir_all(&out) {
            eprintln!("cannot create {}: {error}", out.display());
            return ExitCode::FAILURE;
        }
        for (index, seed) in seeds.iter().enumerate() {
            let file = out.join(format!("seed-{index:05}"));
            if let Err(error) = std::fs::write(&file, seed) {
                eprintln!("cannot write {}: {error}", file.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{target}: {} seeds in {}", seeds.len(), out.display());
    }
    ExitCode::SUCCESS
}
