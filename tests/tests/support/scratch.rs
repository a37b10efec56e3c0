//! A scratch Cargo workspace under `target/`, laid out like the project's, in which a test
//! puts generated service crates and compiles a program against them with the real cargo.
//! Used by `schema_growth.rs` and `contributor_flow.rs` (each includes this file with
//! `#[path]`).
//!
//! The workspace has the project's workspace dependencies that generated crates name
//! (the runtime by path) and the project's lock file, so that it builds with the
//! dependency versions the SDK is built with. Every scratch workspace builds into one
//! target directory, `target/scratch-build/`, kept between runs: the runtime and its
//! dependencies are compiled once for all of them, then each run rebuilds only its own
//! small crates. The binaries' names must therefore differ between scratch workspaces.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Where every scratch workspace builds, relative to the project root.
const TARGET_DIR: &str = "target/scratch-build";
/// `[workspace.package] version` of every scratch workspace.
pub const VERSION: &str = "0.0.0";

pub struct Scratch {
    /// `target/<name>/`: the workspace root.
    pub root: PathBuf,
    target: PathBuf,
    cargo: String,
    /// `--offline` on every cargo command (see `create`).
    offline: bool,
}

/// The project's root directory.
pub fn project_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the project root")
}

impl Scratch {
    /// Writes `target/<name>/Cargo.toml` (a workspace of `members`, globs allowed) and the
    /// project's lock file beside it; the members are the caller's to write.
    pub fn create(name: &str, members: &[&str]) -> Self {
        let project = project_root();
        let root = project.join("target").join(name);
        let runtime = project.join("runtime");
        write(
            &root.join("Cargo.toml"),
            &format!(
                "# Written by tests/tests/support/scratch.rs: a scratch workspace, not part of the project.\n\
                 [workspace]\nresolver = \"3\"\nmembers = {members:?}\n\n\
                 [workspace.package]\nversion = \"{VERSION}\"\nedition = \"2024\"\n\
                 license = \"Apache-2.0\"\nrust-version = \"1.88\"\n\n\
                 [workspace.dependencies]\ntencent-cloud-runtime = {{ path = {runtime:?} }}\n\
                 serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n\
                 [profile.dev]\ndebug = false\n"
            ),
        );
        // The project's lock file: the dependency versions the SDK is built with, and no
        // registry lookup; cargo prunes what the scratch does not use.
        write(&root.join("Cargo.lock"), &read(&project.join("Cargo.lock")));
        let mut scratch = Self {
            root,
            target: project.join(TARGET_DIR),
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
            offline: false,
        };
        // Offline when every dependency is already on this machine, as after building the
        // project; otherwise cargo may download what is missing.
        scratch.offline = scratch.cargo(&["fetch", "--offline"]).status.success();
        scratch
    }

    /// Builds the workspace, then runs its binary `binary` as `configure` sets it up: its
    /// stdout, or what cargo or the program said on failure.
    pub fn build_and_run(
        &self,
        binary: &str,
        configure: impl FnOnce(&mut Command),
    ) -> Result<String, String> {
        let build = self.cargo(&["build", "--workspace"]);
        if !build.status.success() {
            return Err(String::from_utf8_lossy(&build.stderr).into_owned());
        }
        let path = self.target.join("debug").join(binary);
        let mut command = Command::new(&path);
        configure(&mut command);
        let run = command
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stdout = String::from_utf8(run.stdout).expect("UTF-8 output");
        if !run.status.success() {
            return Err(format!(
                "{binary} exited with {}\n{stdout}{}",
                run.status,
                String::from_utf8_lossy(&run.stderr)
            ));
        }
        Ok(stdout)
    }

    /// Runs cargo in the workspace, with the shared target directory.
    pub fn cargo(&self, args: &[&str]) -> Output {
        let mut command = Command::new(&self.cargo);
        command
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            // Plain text, whatever the caller's terminal: tests read the errors.
            .env("CARGO_TERM_COLOR", "never")
            // Generated code compiles warning-free, as CI requires of the project.
            .env("RUSTFLAGS", "-D warnings")
            .args(args);
        if self.offline && args.first() != Some(&"fetch") {
            command.arg("--offline");
        }
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.cargo))
    }
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `contents` unless the file already holds them (its mtime then stays, and cargo
/// does not rebuild for it).
pub fn write(path: &Path, contents: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
