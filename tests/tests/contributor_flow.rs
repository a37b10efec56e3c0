//! The contributor flow runs end to end: an action of the tccli catalog is imported, the SDK
//! generated, and a program compiled against it calls the action on the emulator, with
//! the real commands a contributor runs (README, "Adding an action").
//!
//! 1. `cargo xtask import --api ... --out <scratch>/schema` imports the fixture
//!    `tests/fixtures/contributor/catalog/` (service `gadget`, version 2024-05-01, in the
//!    catalog's formats: tccli's `api.json` and `examples.json`, the Python SDK's
//!    `errorcodes.py`, `action-error-codes.json`): one action, `DescribeGadgets`, with an
//!    object type and documented error codes.
//! 2. `cargo xtask codegen --root <scratch>` generates the service crate and the facade's
//!    list of services from that schema; `--check` then finds nothing to change.
//! 3. The program `tests/fixtures/contributor/user/main.rs` is compiled against the
//!    generated crate through the facade (`tencent_cloud::gadget::v20240501`) and run
//!    against an emulator serving the imported schema (`EmulatorBuilder::schema_json`),
//!    with a `ResourceNotFound.Gadget` fault injected for its first call. It must decode
//!    that as the action's typed variant, then the documented example's answer as typed
//!    values. The emulator runs in this test's process and the program reaches it through
//!    `TENCENTCLOUD_ENDPOINT_URL`: the scratch then compiles only the SDK side, not the
//!    emulator and its server dependencies a second time.
//!
//! The scratch tree is `target/contributor-flow/`, a workspace laid out like the project
//! (`schema/`, `services/`, `sdk/` with the project's facade source, the program in
//! `contributor/`); see `support/scratch.rs`. `schema/`, `services/` and `sdk/` are
//! deleted first, so every step does its work on every run; the build reuses the shared
//! scratch target, so a run after the first compiles only the three small crates.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};
use tencent_cloud_codegen::emit::facade;
use tencent_cloud_emulator::{Emulator, Fault, credentials};

#[path = "support/scratch.rs"]
mod scratch;
use scratch::{Scratch, project_root, read, write};

/// The fixture catalog, relative to this package.
const CATALOG: &str = "fixtures/contributor/catalog";
/// The service version's directory in it, named as the tccli package names them.
const VERSION_DIR: &str = "gadget/v20240501";
/// The contributor's program, relative to this package.
const USER_MAIN: &str = "fixtures/contributor/user/main.rs";
const ACTION: &str = "DescribeGadgets";
/// A code `errorcodes.py` documents and `action-error-codes.json` lists for the action.
const ERROR_CODE: &str = "ResourceNotFound.Gadget";

#[test]
fn an_imported_action_is_generated_compiled_and_called_against_the_emulator() {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = Scratch::create("contributor-flow", &["sdk", "services/*", "contributor"]);
    let root = &scratch.root;
    for dir in ["schema", "services", "sdk"] {
        let dir = root.join(dir);
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
    }
    write_facade(root);
    write_program(root, package);

    // 1. Import.
    let catalog = package.join(CATALOG);
    let version = catalog.join(VERSION_DIR);
    let schema_dir = root.join("schema");
    let imported = xtask(&[
        OsStr::new("import"),
        "--api".as_ref(),
        version.join("api.json").as_os_str(),
        "--examples".as_ref(),
        version.join("examples.json").as_os_str(),
        "--errorcodes".as_ref(),
        version.join("errorcodes.py").as_os_str(),
        "--action-errors".as_ref(),
        catalog.join("action-error-codes.json").as_os_str(),
        "--out".as_ref(),
        schema_dir.as_os_str(),
    ]);
    let schema_file = schema_dir.join("gadget/2024-05-01.json");
    for expected in [
        format!("wrote {}", schema_file.display()),
        format!("+ action {ACTION}"),
    ] {
        assert!(
            imported.contains(&expected),
            "the import does not say {expected:?}:\n{imported}"
        );
    }
    let schema_text = read(&schema_file);
    let schema: Value = serde_json::from_str(&schema_text).expect("the schema is JSON");
    let action = (schema["actions"].as_array().expect("actions").iter())
        .find(|action| action["name"] == ACTION)
        .unwrap_or_else(|| panic!("no {ACTION} in the imported schema:\n{schema_text}"));
    assert!(
        action["errors"]
            .as_array()
            .expect("errors")
            .contains(&json!(
                { "code": ERROR_CODE, "description": "The gadget does not exist." }
            )),
        "{ERROR_CODE} is not imported with its description:\n{schema_text}"
    );
    assert!(
        schema["types"]
            .as_array()
            .expect("types")
            .iter()
            .any(|t| t["name"] == "Gadget"),
        "the object type Gadget is not imported:\n{schema_text}"
    );

    // 2. Generate.
    let root_arg = root.as_os_str();
    let generated = xtask(&["codegen".as_ref(), "--root".as_ref(), root_arg]);
    let action_file = "services/gadget/src/v20240501/describe_gadgets.rs";
    assert!(
        generated.contains(&format!("wrote    {action_file}")),
        "codegen does not write {action_file}:\n{generated}"
    );
    let variant = format!("\"{ERROR_CODE}\" => Self::ResourceNotFoundGadget");
    assert!(
        read(&root.join(action_file)).contains(&variant),
        "{action_file} does not map {ERROR_CODE} to its variant"
    );
    let manifest = read(&root.join("sdk/Cargo.toml"));
    assert!(
        manifest.contains("gadget = [\"dep:tencent-cloud-gadget\"]"),
        "codegen does not add the service's feature to the facade:\n{manifest}"
    );
    let checked = xtask(&[
        "codegen".as_ref(),
        "--check".as_ref(),
        "--root".as_ref(),
        root_arg,
    ]);
    assert!(
        checked.contains("generated code is up to date"),
        "codegen --check after codegen:\n{checked}"
    );

    // 3. Compile the program and call the action on the emulator.
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let emulator = runtime
        .block_on(Emulator::builder().schema_json(schema_text).start())
        .expect("the emulator serves the imported schema");
    emulator
        .inject_fault(Fault::error(ERROR_CODE).for_action(ACTION))
        .expect("the fault is valid");
    let output = scratch
        .build_and_run("contributor", |command| {
            command
                .env("TENCENTCLOUD_ENDPOINT_URL", emulator.endpoint_url())
                .env("TENCENTCLOUD_REGION", "ap-singapore")
                .env("TENCENTCLOUD_SECRET_ID", credentials::PRIMARY.secret_id)
                .env("TENCENTCLOUD_SECRET_KEY", credentials::PRIMARY.secret_key)
                .env_remove("TENCENTCLOUD_TOKEN");
        })
        .unwrap_or_else(|failure| panic!("the program does not build or run:\n{failure}"));
    assert_eq!(
        output,
        "error: ResourceNotFound.Gadget as ResourceNotFoundGadget\n\
         example: total 1, gd-8x2k1m sprocket weighing 250 g, created 2024-05-01 12:00:00\n"
    );
    // Both answers came from the emulator: the fault, then the example.
    let codes: Vec<Option<String>> = (emulator.requests().into_iter())
        .filter(|request| request.action == ACTION)
        .map(|request| request.code)
        .collect();
    assert_eq!(codes, [Some(ERROR_CODE.to_owned()), None]);
}

/// Runs `cargo xtask <args>` in the project, as a contributor does; its stdout, or a
/// panic with what it said.
fn xtask(args: &[&OsStr]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .current_dir(project_root())
        .arg("xtask")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "cargo xtask {args:?} failed ({}):\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The facade as the project has it: its source, and a manifest with the blocks that
/// `cargo xtask codegen` fills, empty.
fn write_facade(root: &Path) {
    write(
        &root.join("sdk/Cargo.toml"),
        &format!(
            "[package]\nname = \"tencent-cloud\"\nversion.workspace = true\nedition.workspace = true\n\
             publish = false\n\n[lib]\nname = \"tencent_cloud\"\n\n\
             [features]\ndefault = []\n{}\n{}\n\n\
             [dependencies]\ntencent-cloud-runtime.workspace = true\n{}\n{}\n",
            facade::FEATURES_BEGIN,
            facade::FEATURES_END,
            facade::CRATES_BEGIN,
            facade::CRATES_END
        ),
    );
    write(
        &root.join("sdk/src/lib.rs"),
        &read(&project_root().join("sdk/src/lib.rs")),
    );
}

fn write_program(root: &Path, package: &Path) {
    write(
        &root.join("contributor/Cargo.toml"),
        "[package]\nname = \"contributor\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ntencent-cloud = { path = \"../sdk\", features = [\"gadget\"] }\n\
         tokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n",
    );
    write(
        &root.join("contributor/src/main.rs"),
        &read(&package.join(USER_MAIN)),
    );
}
