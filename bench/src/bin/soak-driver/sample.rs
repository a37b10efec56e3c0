//! Resident memory and open file descriptors of a process, read from /proc (Linux only),
//! and the rule that decides whether a series of them stayed flat.

use std::fs;

/// One reading of a process.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    pub rss_kib: u64,
    pub open_fds: u64,
}

/// `VmRSS` of /proc/<pid>/status and the entries of /proc/<pid>/fd; `pid` `None` is this
/// process.
pub fn read(pid: Option<u32>) -> Result<Reading, String> {
    let dir = match pid {
        Some(pid) => format!("/proc/{pid}"),
        None => "/proc/self".to_owned(),
    };
    let status = fs::read_to_string(format!("{dir}/status"))
        .map_err(|e| format!("cannot read {dir}/status: {e}"))?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{dir}/status has no VmRSS line"))?;
    let open_fds = fs::read_dir(format!("{dir}/fd"))
        .map_err(|e| format!("cannot list {dir}/fd: {e}"))?
        .count() as u64;
    Ok(Reading { rss_kib, open_fds })
}

/// Samples dropped as warm-up before judging: the first tenth, at least one.
pub fn warm_up(samples: usize) -> usize {
    (samples / 10).max(1)
}

/// What a series counts.
#[derive(Clone, Copy)]
pub enum Unit {
    /// Resident memory in KiB, shown in MiB.
    Kib,
    /// Open file descriptors.
    Fds,
}

impl Unit {
    /// What a series may grow by beyond 5% ([`RULE`]): allocator and page-cache noise,
    /// a connection or two.
    fn slack(self) -> f64 {
        match self {
            Self::Kib => 1024.0,
            Self::Fds => 4.0,
        }
    }

    fn shown(self, value: f64) -> String {
        match self {
            Self::Kib => format!("{:.1} MiB", value / 1024.0),
            Self::Fds => format!("{value:.1}"),
        }
    }
}

/// The flatness rule, in words for the report.
pub const RULE: &str = "after dropping the first tenth of the samples (at least one) as \
warm-up, the mean of the last quarter of the rest may exceed the mean of the first quarter by \
at most 5% plus a slack (1 MiB of RSS, 4 file descriptors)";

/// The verdict on one series (values in the series' unit, `slack` in the same unit):
/// `(first-quarter mean, last-quarter mean, flat?)`, or `None` with too few samples to judge.
pub fn flatness(series: &[u64], slack: f64) -> Option<(f64, f64, bool)> {
    let judged = series.get(warm_up(series.len())..)?;
    let quarter = judged.len() / 4;
    if quarter == 0 {
        return None;
    }
    let mean = |values: &[u64]| values.iter().sum::<u64>() as f64 / values.len() as f64;
    let first = mean(&judged[..quarter]);
    let last = mean(&judged[judged.len() - quarter..]);
    Some((first, last, last <= first * 1.05 + slack))
}

/// Prints the verdict on `series` as one line; true if it is flat.
pub fn judge(name: &str, series: &[u64], unit: Unit) -> bool {
    let min = series.iter().copied().min().unwrap_or_default();
    let max = series.iter().copied().max().unwrap_or_default();
    match flatness(series, unit.slack()) {
        Some((first, last, flat)) => {
            println!(
                "- {name}: first quarter {}, last quarter {} (min {}, max {}): {}",
                unit.shown(first),
                unit.shown(last),
                unit.shown(min as f64),
                unit.shown(max as f64),
                if flat { "flat" } else { "GREW" }
            );
            flat
        }
        None => {
            println!("- {name}: too few samples to judge ({})", series.len());
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_series_is_flat_and_a_growing_one_is_not() {
        let steady = [50, 90, 100, 101, 99, 100, 102, 100, 101, 100, 99, 100];
        let (first, last, flat) = flatness(&steady, 0.0).unwrap();
        assert!(flat, "{first} -> {last}");
        let growing: Vec<u64> = (0..12).map(|i| 100 + 20 * i).collect();
        assert!(!flatness(&growing, 4.0).unwrap().2);
        assert!(flatness(&[1, 2, 3], 0.0).is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reads_this_process() {
        let reading = read(None).unwrap();
        assert!(reading.rss_kib > 0);
        assert!(reading.open_fds >= 3, "stdin, stdout, stderr");
    }
}
