//! Counts of call outcomes by kind, shared by every load task.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many examples of unexpected failures are kept for the report.
const EXAMPLES: usize = 5;

#[derive(Default)]
pub struct Tally {
    calls: AtomicU64,
    outcomes: Mutex<Outcomes>,
}

#[derive(Default)]
struct Outcomes {
    /// "ok: <what was called>", or the failure a call was meant to provoke
    /// ("expected: ...").
    expected: BTreeMap<String, u64>,
    /// "<what was called>: <how it failed>".
    unexpected: BTreeMap<String, u64>,
    examples: Vec<String>,
}

impl Tally {
    /// SDK calls finished so far, whatever their outcome.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// A call of `what` that succeeded, as it should have.
    pub fn ok(&self, what: &str) {
        self.count_expected(&format!("ok: {what}"));
    }

    /// A call that failed as it was meant to; `kind` says how ("expected: ...").
    pub fn expected(&self, kind: &str) {
        self.count_expected(kind);
    }

    fn count_expected(&self, key: &str) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let mut outcomes = self.lock();
        match outcomes.expected.get_mut(key) {
            Some(count) => *count += 1,
            None => {
                outcomes.expected.insert(key.to_owned(), 1);
            }
        }
    }

    /// A call that did not: counted under `what` and the error's short form, and the first
    /// few kept whole (errors never carry secrets: see the runtime's error types).
    pub fn unexpected(&self, what: &str, error: &impl Debug) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let whole = format!("{error:?}");
        let short: String = whole.chars().take(60).collect();
        let mut outcomes = self.lock();
        *outcomes
            .unexpected
            .entry(format!("{what}: {short}"))
            .or_default() += 1;
        if outcomes.examples.len() < EXAMPLES {
            outcomes.examples.push(format!("{what}: {whole}"));
        }
    }

    /// Sum of the unexpected outcomes.
    pub fn unexpected_count(&self) -> u64 {
        self.lock().unexpected.values().sum()
    }

    /// The report's lines: every kind with its count, then the examples.
    pub fn report(&self) -> String {
        let outcomes = self.lock();
        let mut out = String::from("| outcome | calls |\n|---|---:|\n");
        for (kind, count) in &outcomes.expected {
            out += &format!("| {kind} | {count} |\n");
        }
        for (kind, count) in &outcomes.unexpected {
            out += &format!("| UNEXPECTED {kind} | {count} |\n");
        }
        for example in &outcomes.examples {
            out += &format!("\nunexpected: {example}\n");
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Outcomes> {
        self.outcomes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
