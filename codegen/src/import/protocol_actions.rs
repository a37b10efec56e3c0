//! The actions that do not speak JSON in and JSON out, from `protocol-actions.json`
//! (read from the official Go SDK): `{ "server_sent_events": { "actions": { "<service>":
//! { "<YYYY-MM-DD>": ["Action", ...] } } }, "octet_stream_request": { ... } }`. tccli's
//! api.json does not say which actions these are, so the importer takes it from here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{ImportError, read_json};

type ByVersion = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// Every service version's marked actions, as in the file.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct ProtocolActions {
    server_sent_events: Kind,
    octet_stream_request: Kind,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
struct Kind {
    actions: ByVersion,
}

/// The marked actions of one service version.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VersionProtocols {
    /// May answer with `text/event-stream`.
    pub server_sent_events: BTreeSet<String>,
    /// Send their body as `application/octet-stream`.
    pub octet_stream: BTreeSet<String>,
}

impl ProtocolActions {
    pub fn load(path: &Path) -> Result<Self, ImportError> {
        read_json(path)
    }

    pub fn for_version(&self, service: &str, version: &str) -> VersionProtocols {
        let of = |kind: &Kind| {
            kind.actions
                .get(service)
                .and_then(|versions| versions.get(version))
                .cloned()
                .unwrap_or_default()
        };
        VersionProtocols {
            server_sent_events: of(&self.server_sent_events),
            octet_stream: of(&self.octet_stream_request),
        }
    }
}
