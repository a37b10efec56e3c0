//! The pinned catalog (`xtask/pinned/CATALOG.md`): api.json and examples.json from the
//! tccli-intl-en wheel, the service-wide error codes from the Python SDK wheel of the same
//! release, and the per-action error codes kept in `xtask/pinned/` (extracted from the Go
//! SDK of that release, which no wheel carries).
//!
//! The wheels are downloaded with pip into `target/catalog-cache/` and unpacked there
//! once; later runs use the cache and need no network.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run_step;

/// Requirement and wheel file of each pinned package.
const WHEELS: [(&str, &str); 2] = [
    (
        "tccli-intl-en==3.1.193.1",
        "tccli_intl_en-3.1.193.1-py2.py3-none-any.whl",
    ),
    (
        "tencentcloud-sdk-python-intl-en==3.1.193",
        "tencentcloud_sdk_python_intl_en-3.1.193-py2.py3-none-any.whl",
    ),
];

/// Where the unpacked catalog is.
pub struct PinnedCatalog {
    /// `tccli/services`: `<service>/v<YYYYMMDD>/{api,examples}.json`.
    pub services: PathBuf,
    /// The Python SDK's `tencentcloud`: `<service>/v<YYYYMMDD>/errorcodes.py`.
    pub errorcodes: PathBuf,
    /// `{service: {version: {action: [code]}}}`.
    pub action_errors: PathBuf,
    /// The streaming and raw-body actions (`codegen::import::protocol_actions`).
    pub protocol_actions: PathBuf,
}

/// Downloads and unpacks the pinned wheels if the cache does not hold them yet.
pub fn fetch(root: &Path) -> Result<PinnedCatalog, String> {
    let cache = root.join("target/catalog-cache");
    let mut unpacked = Vec::new();
    for (requirement, wheel) in WHEELS {
        if !cache.join(wheel).exists() {
            run_step(
                Command::new("python3")
                    .args(["-m", "pip", "download", "--no-deps", "--quiet", "-d"])
                    .arg(&cache)
                    .arg(requirement),
                &format!("pip download {requirement}"),
            )?;
        }
        let dir = cache.join(wheel.trim_end_matches(".whl"));
        if !dir.exists() {
            // Unpacked beside, then renamed: an interrupted unpack is never taken as done.
            let partial = dir.with_extension("partial");
            if partial.exists() {
                fs::remove_dir_all(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
            }
            run_step(
                Command::new("python3")
                    .args(["-m", "zipfile", "-e"])
                    .arg(cache.join(wheel))
                    .arg(&partial),
                &format!("unpack {wheel}"),
            )?;
            fs::rename(&partial, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        unpacked.push(dir);
    }
    Ok(PinnedCatalog {
        services: unpacked[0].join("tccli/services"),
        errorcodes: unpacked[1].join("tencentcloud"),
        action_errors: root.join("xtask/pinned/action-error-codes.json"),
        protocol_actions: root.join("xtask/pinned/protocol-actions.json"),
    })
}
