//! `cargo xtask examples [--write]`: do the documented examples of every action in
//! `schema/` agree with the generated types? Prints the count of each kind of finding
//! (`tencent_cloud_schema::examples`), then compares the findings the generated code
//! refuses with the reviewed list `xtask/examples/known-bad.txt`: a refused finding not
//! on the list, or a line of the list no longer found, fails the command, so the list can
//! neither grow nor go stale silently. `--write` rewrites the list from the findings.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use tencent_cloud_codegen::schema::examples::{self, Finding, Kind, Severity};
use tencent_cloud_codegen::schema::load_dir;

const KNOWN_BAD: &str = "xtask/examples/known-bad.txt";

const HEADER: &str = "\
# Documented examples that the generated types refuse, one finding a line:
# <service> <version> <action> #<example> <kind> <JSON path>: <what was found>
# Written by `cargo xtask examples --write`, checked by `cargo xtask examples` (CI).
# Kinds and rules: schema/README.md, \"Documented examples\".
";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let write = match args {
        [] => false,
        [flag] if flag == "--write" => true,
        _ => return Err("usage: cargo xtask examples [--write]".to_owned()),
    };
    let schemas = load_dir(&root.join("schema")).map_err(|err| err.to_string())?;
    let (mut actions, mut with_examples, mut example_count) = (0, 0, 0);
    let mut findings: Vec<Finding> = Vec::new();
    for loaded in &schemas {
        for action in &loaded.schema.actions {
            actions += 1;
            with_examples += usize::from(!action.examples.is_empty());
            example_count += action.examples.len();
            findings.extend(examples::check_action(&loaded.schema, action));
        }
    }
    println!(
        "{} service versions, {actions} actions ({with_examples} with examples), {example_count} examples",
        schemas.len()
    );
    print_counts(&findings);
    print_examples(&findings, example_count);

    let refused: BTreeSet<String> = (findings.iter())
        .filter(|finding| finding.kind.severity() == Severity::Refused)
        .map(|finding| one_line(&finding.to_string()))
        .collect();
    let path = root.join(KNOWN_BAD);
    if write {
        let mut text = HEADER.to_owned();
        for line in &refused {
            text.push_str(line);
            text.push('\n');
        }
        fs::write(&path, text).map_err(|err| format!("{KNOWN_BAD}: {err}"))?;
        println!("wrote {KNOWN_BAD}: {} refused findings", refused.len());
        return Ok(());
    }
    let listed = read_list(&path)?;
    let new: Vec<&String> = refused.difference(&listed).collect();
    let gone: Vec<&String> = listed.difference(&refused).collect();
    if new.is_empty() && gone.is_empty() {
        println!(
            "{KNOWN_BAD}: all {} refused findings are listed",
            refused.len()
        );
        return Ok(());
    }
    let mut message = String::new();
    if !new.is_empty() {
        message.push_str(&format!(
            "{} refused findings not in {KNOWN_BAD}:\n",
            new.len()
        ));
        for line in new {
            message.push_str(&format!("  + {line}\n"));
        }
    }
    if !gone.is_empty() {
        message.push_str(&format!(
            "{} lines of {KNOWN_BAD} no longer found:\n",
            gone.len()
        ));
        for line in gone {
            message.push_str(&format!("  - {line}\n"));
        }
    }
    message.push_str(
        "correct the schema (schema/README.md, \"Documented examples\"), or review the \
         findings and run `cargo xtask examples --write`",
    );
    Err(message)
}

/// Service, version, action and the example's number.
type ExampleId<'a> = (&'a str, &'a str, &'a str, usize);

/// The count of each kind, and of examples and actions with at least one finding of it.
fn print_counts(findings: &[Finding]) {
    let mut counts: BTreeMap<Kind, (usize, BTreeSet<ExampleId<'_>>)> = BTreeMap::new();
    for finding in findings {
        let entry = counts.entry(finding.kind).or_default();
        entry.0 += 1;
        entry.1.insert((
            &finding.service,
            &finding.version,
            &finding.action,
            finding.example,
        ));
    }
    println!(
        "{:<30} {:<10} {:>8} {:>9} {:>8}",
        "kind", "severity", "findings", "examples", "actions"
    );
    for kind in Kind::ALL {
        let (count, examples) = counts.get(&kind).cloned().unwrap_or_default();
        let actions: BTreeSet<_> = examples.iter().map(|(s, v, a, _)| (*s, *v, *a)).collect();
        let severity = format!("{:?}", kind.severity()).to_lowercase();
        println!(
            "{:<30} {severity:<10} {count:>8} {:>9} {:>8}",
            kind.name(),
            examples.len(),
            actions.len()
        );
    }
}

/// How many examples have a finding of each severity, side by side (an example counts
/// once per side, under refused, unchecked or tolerated, in that order of precedence).
fn print_examples(findings: &[Finding], example_count: usize) {
    for (side, prefix) in [("responses", "response-"), ("requests", "request-")] {
        let mut worst: BTreeMap<ExampleId<'_>, Severity> = BTreeMap::new();
        for finding in findings
            .iter()
            .filter(|f| f.kind.name().starts_with(prefix))
        {
            let id = (
                &*finding.service,
                &*finding.version,
                &*finding.action,
                finding.example,
            );
            let severity = finding.kind.severity();
            // Refused wins, then unchecked (a GET-style example with an unknown name
            // counts as refused).
            let rank = |s: Severity| match s {
                Severity::Refused => 2,
                Severity::Unchecked => 1,
                Severity::Tolerated => 0,
            };
            let entry = worst.entry(id).or_insert(severity);
            if rank(severity) > rank(*entry) {
                *entry = severity;
            }
        }
        let count = |severity| worst.values().filter(|s| **s == severity).count();
        println!(
            "{side}: {} agree, {} tolerated, {} refused, {} unchecked",
            example_count - worst.len(),
            count(Severity::Tolerated),
            count(Severity::Refused),
            count(Severity::Unchecked)
        );
    }
}

/// A finding as one line of the list: a detail quoting a multi-line text stays on its
/// line (serde_json's messages and `{:?}` never hold a newline, but be sure).
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn read_list(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = fs::read_to_string(path).map_err(|err| format!("{KNOWN_BAD}: {err}"))?;
    Ok(text
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect())
}
