//! Schema growth never breaks a user: a program written against the SDK generated from
//! `tests/fixtures/growth/base/` compiles, warning-free, and prints the same bytes against
//! the SDK generated from each grown schema. The additions (ARCHITECTURE.md, "Schema
//! growth"): an optional request member, a response member, members of object types (sent,
//! received, both), an action, an error code of an action, a value of an enum; each alone,
//! then all at once. A control shows the check can fail: removing a member the program
//! reads stops it compiling. The growth this does not cover, some of it known to break
//! callers, is listed in the same section.
//!
//! How: the service crate is generated (`schema` → `ir::build` → `emit::generate`, what
//! `cargo xtask codegen` runs) into `services/growth/` of a scratch Cargo workspace at
//! `target/schema-growth/` laid out like the project's (`support/scratch.rs`: the same
//! workspace dependencies, the runtime by path). The user is the binary crate `user`
//! (`tests/fixtures/growth/user/main.rs`, `#![deny(warnings)]`), which names the runtime
//! `tencent_cloud` as the facade re-exports it. The workspace and the scratch target are
//! kept between runs: the runtime is built once, then each schema rebuilds two small crates.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};
use tencent_cloud_codegen::schema::{self, LoadedSchema};
use tencent_cloud_codegen::{emit, ir};

#[path = "support/scratch.rs"]
mod scratch;
use scratch::{Scratch, project_root, read, write};

/// The fixture, relative to this package.
const BASE: &str = "fixtures/growth/base/growth/2020-01-01.json";
/// The user program, relative to this package.
const USER_MAIN: &str = "fixtures/growth/user/main.rs";
/// How the generator names the schema (in errors and file headers), whatever was changed.
const SCHEMA_NAME: &str = "fixtures/growth/2020-01-01.json";

/// One schema change: what it is, how it changes the fixture, and a line of generated code
/// it must produce (so that a change that did nothing cannot pass).
struct Growth {
    name: &'static str,
    apply: fn(&mut Value),
    marks: &'static [Mark],
}

/// `(file, text)`: the generated `file` (relative to the service version's directory)
/// contains `text`.
type Mark = (&'static str, &'static str);

const GROWTHS: &[Growth] = &[
    Growth {
        name: "(a) an optional request member",
        apply: add_request_member,
        marks: &[
            ("create_widget.rs", "pub description: Option<String>,"),
            ("create_widget.rs", "pub fn description(mut self"),
        ],
    },
    Growth {
        name: "(b) a response member",
        apply: add_response_member,
        marks: &[("list_widgets.rs", "pub region: String,")],
    },
    Growth {
        name: "(c) members of object types (sent, received, both)",
        apply: add_object_members,
        marks: &[
            ("types.rs", "pub exclude: Option<bool>,"),
            ("types.rs", "pub shape: Option<String>,"),
            ("types.rs", "pub owner: Option<String>,"),
        ],
    },
    Growth {
        name: "(d) an action",
        apply: add_action,
        marks: &[
            ("mod.rs", "pub fn delete_widget(&self)"),
            ("delete_widget.rs", "pub struct DeleteWidgetRequest"),
        ],
    },
    Growth {
        name: "(e) an error code of an action",
        apply: add_error_code,
        marks: &[(
            "create_widget.rs",
            "\"ResourceInsufficient.Paint\" => Self::ResourceInsufficientPaint",
        )],
    },
    Growth {
        name: "(f) a value of an enum",
        apply: add_enum_value,
        marks: &[("types.rs", "\"blue\" => Self::Blue")],
    },
];

#[test]
fn schema_growth_keeps_every_user_compiling_with_the_same_meaning() {
    let started = Instant::now();
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base: Value = serde_json::from_str(&read(&package.join(BASE))).expect("fixture is JSON");
    let scratch = create_scratch(package);

    let step = Instant::now();
    let base_files = generate(&scratch, &base);
    let base_output = scratch
        .build_and_run("user", |_| {})
        .unwrap_or_else(|stderr| {
            panic!("the user does not compile against the base SDK:\n{stderr}")
        });
    println!(
        "base: compiled and ran in {:.1} s (the runtime included on a first run)",
        step.elapsed().as_secs_f64()
    );
    // The fixed inputs reach what the additions change: a code and a value that the base
    // does not know and the grown schema does.
    for expected in [
        "CreateWidget ResourceInsufficient.Paint: other code ResourceInsufficient.Paint",
        "color blue: blue (not known here)",
        "color blue (not known here)",
        "send without Name: refused before signing",
        "send with_request: transport error",
        "first page: transport error",
    ] {
        assert!(
            base_output.contains(expected),
            "the base run does not print {expected:?}:\n{base_output}"
        );
    }

    let mut all = base.clone();
    for growth in GROWTHS {
        (growth.apply)(&mut all);
    }
    let all_marks: Vec<Mark> = GROWTHS.iter().flat_map(|g| g.marks).copied().collect();
    let mut runs: Vec<(&str, Value, Vec<Mark>)> = (GROWTHS.iter())
        .map(|growth| (growth.name, growth.apply_to(&base), growth.marks.to_vec()))
        .collect();
    runs.push(("all six at once", all, all_marks));
    for (name, schema, marks) in runs {
        let step = Instant::now();
        let files = generate(&scratch, &schema);
        for (file, text) in &marks {
            let contents = files
                .get(*file)
                .unwrap_or_else(|| panic!("{name}: no generated {file}"));
            assert!(
                contents.contains(text),
                "{name}: the generated {file} does not contain {text:?}"
            );
        }
        let output = scratch
            .build_and_run("user", |_| {})
            .unwrap_or_else(|stderr| panic!("{name}: the user no longer compiles:\n{stderr}"));
        assert!(
            output == base_output,
            "{name}: the user's output changed\n--- base\n{base_output}\n--- grown\n{output}"
        );
        println!(
            "{name}: compiled, same output ({:.1} s); generated files changed: {}",
            step.elapsed().as_secs_f64(),
            changed(&base_files, &files)
        );
    }

    // The control: a breaking change is caught. `Widget.Name` is read by the user.
    let step = Instant::now();
    let mut broken = base.clone();
    let widget = named(&mut broken["types"], "Widget");
    members(widget).retain(|member| member["name"] != "Name");
    generate(&scratch, &broken);
    match scratch.build_and_run("user", |_| {}) {
        Ok(_) => panic!("control: removing Widget.Name went unnoticed"),
        Err(stderr) => assert!(
            stderr.contains("error[E0609]: no field `name` on type"),
            "control: the user failed to compile, but not for the removed member:\n{stderr}"
        ),
    }
    println!(
        "control (Widget.Name removed): does not compile, as it must ({:.1} s)",
        step.elapsed().as_secs_f64()
    );
    println!("schema growth: {:.1} s", started.elapsed().as_secs_f64());
}

impl Growth {
    fn apply_to(&self, base: &Value) -> Value {
        let mut schema = base.clone();
        (self.apply)(&mut schema);
        schema
    }
}

fn add_request_member(schema: &mut Value) {
    let action = named(&mut schema["actions"], "CreateWidget");
    members(&mut action["request"]).push(json!(
        { "name": "Description", "type": "string", "doc": "Widget description." }
    ));
}

fn add_response_member(schema: &mut Value) {
    let action = named(&mut schema["actions"], "ListWidgets");
    // As the catalog marks most response members: always sent, so a plain value.
    members(&mut action["response"]).push(json!(
        { "name": "Region", "type": "string", "output_required": true, "doc": "Region." }
    ));
}

fn add_object_members(schema: &mut Value) {
    let types = &mut schema["types"];
    // Sent only (in `ListWidgets` requests).
    members(named(types, "Filter")).push(json!(
        { "name": "Exclude", "type": "bool", "doc": "Match widgets without these values." }
    ));
    // Received only, always sent: a plain value.
    members(named(types, "Widget")).push(json!(
        { "name": "Shape", "type": "string", "output_required": true, "doc": "Widget shape." }
    ));
    // Sent and received.
    members(named(types, "Tag")).push(json!(
        { "name": "Owner", "type": "string", "doc": "Who set the tag." }
    ));
}

fn add_action(schema: &mut Value) {
    let actions = schema["actions"].as_array_mut().expect("actions");
    actions.push(json!({
        "name": "DeleteWidget",
        "title": "Delete a widget",
        "request": { "members": [
            { "name": "WidgetId", "type": "string", "required": true, "doc": "Widget ID." }
        ] },
        "response": { "members": [] },
        "errors": [{ "code": "ResourceNotFound.Widget", "description": "No such widget." }]
    }));
}

fn add_error_code(schema: &mut Value) {
    // The code the user's input sends: it leaves `Unhandled` for a variant of its own.
    let action = named(&mut schema["actions"], "CreateWidget");
    action["errors"].as_array_mut().expect("errors").push(json!(
        { "code": "ResourceInsufficient.Paint", "description": "Out of paint." }
    ));
}

fn add_enum_value(schema: &mut Value) {
    // The value the user's input sends: it leaves `Unknown` for a variant of its own.
    let color = named(&mut schema["enums"], "Color");
    color["values"].as_array_mut().expect("values").push(json!(
        { "value": "blue", "doc": "Blue." }
    ));
}

/// The element of the array `list` whose `name` is `name`.
fn named<'a>(list: &'a mut Value, name: &str) -> &'a mut Value {
    (list.as_array_mut().expect("an array").iter_mut())
        .find(|item| item["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in the fixture"))
}

fn members(shape: &mut Value) -> &mut Vec<Value> {
    shape["members"].as_array_mut().expect("members")
}

/// The files of `after` that are new or differ from `before`, in one line.
fn changed(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> String {
    let changed: Vec<String> = (after.iter())
        .filter(|(path, contents)| before.get(*path) != Some(*contents))
        .map(|(path, _)| match before.contains_key(path) {
            true => path.clone(),
            false => format!("{path} (new)"),
        })
        .collect();
    changed.join(", ")
}

/// The scratch workspace `target/schema-growth/`: `services/growth` (the generated crate)
/// and `user`.
fn create_scratch(package: &Path) -> Scratch {
    let scratch = Scratch::create("schema-growth", &["services/*", "user"]);
    let runtime = project_root().join("runtime");
    write(
        &scratch.root.join("user/Cargo.toml"),
        &format!(
            "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ntencent-cloud-growth = {{ path = \"../services/growth\" }}\n\
             tencent-cloud = {{ package = \"tencent-cloud-runtime\", path = {runtime:?} }}\n\
             serde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n"
        ),
    );
    write(
        &scratch.root.join("user/src/main.rs"),
        &read(&package.join(USER_MAIN)),
    );
    scratch
}

/// Generates the service crate for `schema` into `services/growth/` of `scratch`,
/// rewriting only the files that changed (and deleting those no longer generated), so
/// that cargo rebuilds no more than it must. Returns the service version's files by path.
fn generate(scratch: &Scratch, schema: &Value) -> BTreeMap<String, String> {
    let text = serde_json::to_string_pretty(schema).expect("serialise schema");
    let parsed = schema::parse(SCHEMA_NAME, &text).unwrap_or_else(|e| panic!("{e}"));
    let service = ir::build(&LoadedSchema {
        file: SCHEMA_NAME.to_owned(),
        schema: parsed,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let files = emit::generate(&[service]).unwrap_or_else(|e| panic!("{e}"));
    let mut stale = list_files(&scratch.root.join("services"));
    // The facade's list of services is the project's, not the scratch's.
    let crate_files = files
        .iter()
        .filter(|file| file.path.starts_with("services/"));
    for file in crate_files {
        let path = scratch.root.join(&file.path);
        // The doc examples' dev-dependency names the project's facade, which the
        // scratch does not have; nothing here runs them.
        let contents = match file.contents.split_once("\n# The doc examples") {
            Some((manifest, _)) if file.path.ends_with("Cargo.toml") => format!("{manifest}\n"),
            _ => file.contents.clone(),
        };
        stale.retain(|other| *other != path);
        write(&path, &contents);
    }
    for path in stale {
        fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    (files.into_iter())
        .filter_map(|file| {
            let path = file
                .path
                .strip_prefix("services/growth/src/v20200101/")?
                .to_owned();
            Some((path, file.contents))
        })
        .collect()
}

/// Every file under `dir`, recursively (none if it does not exist).
fn list_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(list_files(&path));
        } else {
            files.push(path);
        }
    }
    files
}
