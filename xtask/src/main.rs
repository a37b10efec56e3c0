//! `cargo xtask <command>`: the project's developer commands, one module each.
//! Each command returns `Err(message)` instead of panicking; the message is printed
//! and the exit code is 1.

mod bench;
mod codegen;
mod examples;
mod fuzz;
mod import;
mod pinned;
mod process;
mod soak;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  codegen [--check] [--root <dir>]
                      regenerate services/ (one crate per service) and the facade's list
                      of them from schema/ (--check: change nothing, list what differs
                      and fail if anything does; --root: another tree laid out like
                      this one, default this repository)
  examples [--write]  check every documented example against the generated types; fail
                      on a refused one not in xtask/examples/known-bad.txt (--write:
                      rewrite that list)
  import --pinned     re-import every service of the pinned catalog into schema/
  import --api ...    import one api.json of the tccli catalog (or some of its actions)
  test [args]         run every test (the README's test command)
  fuzz [--seconds N] [--runs N] [target ...]
                      run the cargo-fuzz targets of fuzz/ (nightly and cargo-fuzz needed;
                      RELIABILITY.md), printing inputs, inputs/s and outcome per target
  bench <micro|e2e|build>
                      measure, and rewrite BENCHMARKS.md (never run by the tests or CI)
  soak [--minutes N] [--calls N]
                      run the emulator under mixed load from the SDK (default 30 minutes)
                      and print RSS, file descriptors, calls/s and errors over time
                      (never run by the tests or CI; see RELIABILITY.md)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("", &[][..]),
    };
    let result = match command {
        "codegen" => codegen::run(&root, rest),
        "examples" => examples::run(&root, rest),
        "import" => import::run(&root, rest),
        "test" => test::run(&root, rest),
        "fuzz" => fuzz::run(&root, rest),
        "bench" => bench::run(&root, rest),
        "soak" => soak::run(&root, rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, whatever directory the command is run from.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_owned()
}
