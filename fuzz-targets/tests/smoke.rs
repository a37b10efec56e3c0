//! The fuzz targets on stable Rust, for CI: each target runs on mutations of its real seeds
//! (bytes flipped, inserted, removed, cut short, spliced from another seed), a few hundred
//! inputs each. The coverage-guided runs (`cargo xtask fuzz`, nightly) go much further;
//! this keeps every target's body compiling and free of panics on the inputs nearest to
//! real ones. Budgets are case counts, not times, so that a run is reproducible.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use tencent_cloud_fuzz_targets::{TARGETS, run, seeds};

#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bits: u8 },
    Insert { at: usize, byte: u8 },
    Remove { at: usize, len: usize },
    Truncate { at: usize },
    Splice { from: usize, at: usize, len: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 1u8..).prop_map(|(at, bits)| Mutation::Flip { at, bits }),
        (at, prop::sample::select(b"{}[]\":,0-1e.\\ntrue".to_vec()))
            .prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        (at, 1usize..16).prop_map(|(at, len)| Mutation::Remove { at, len }),
        at.prop_map(|at| Mutation::Truncate { at }),
        (any::<usize>(), at, 1usize..64).prop_map(|(from, at, len)| Mutation::Splice {
            from,
            at,
            len
        }),
    ]
}

fn apply(mut input: Vec<u8>, other: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    for mutation in mutations {
        let len = input.len().max(1);
        match *mutation {
            Mutation::Flip { at, bits } => {
                if let Some(byte) = input.get_mut(at % len) {
                    *byte ^= bits;
                }
            }
            Mutation::Insert { at, byte } => input.insert(at % (input.len() + 1), byte),
            Mutation::Remove { at, len: count } => {
                let start = at % len;
                let end = (start + count).min(input.len());
                input.drain(start.min(end)..end);
            }
            Mutation::Truncate { at } => input.truncate(at % len),
            Mutation::Splice {
                from,
                at,
                len: count,
            } => {
                if !other.is_empty() {
                    let start = from % other.len();
                    let end = (start + count).min(other.len());
                    let at = at % (input.len() + 1);
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
        }
    }
    input
}

fn smoke(target: &str, cases: u32) {
    let seeds = seeds::for_target(target, false);
    assert!(!seeds.is_empty(), "{target} has seeds");
    // Every seed as it is, then mutations of them.
    for seed in &seeds {
        assert!(run(target, seed));
    }
    let count = seeds.len();
    let strategy = (0..count, 0..count, prop::collection::vec(mutation(), 1..6));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |(seed, other, mutations)| {
            let input = apply(seeds[seed].clone(), &seeds[other], &mutations);
            run(target, &input);
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{target}: {failure}"));
}

#[test]
fn every_target_has_a_smoke() {
    for target in TARGETS {
        assert!(!seeds::for_target(target, false).is_empty(), "{target}");
    }
    assert!(!run("no_such_target", b""));
}

/// `cargo xtask fuzz` runs the files of `fuzz/fuzz_targets/`: one for each target here.
#[test]
fn the_fuzzer_has_every_target() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/fuzz_targets");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fuzz/fuzz_targets is readable")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut expected: Vec<String> = TARGETS.iter().map(|t| format!("{t}.rs")).collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn envelope() {
    smoke("envelope", 2000);
}

#[test]
fn edgezone_responses() {
    smoke("edgezone_responses", 2000);
}

#[test]
fn sts_responses() {
    smoke("sts_responses", 1000);
}

#[test]
fn emulator_request() {
    smoke("emulator_request", 500);
}

#[test]
fn schema() {
    smoke("schema", 100);
}

#[test]
fn tccli_import() {
    smoke("tccli_import", 1000);
}

#[test]
fn sse() {
    smoke("sse", 2000);
}
