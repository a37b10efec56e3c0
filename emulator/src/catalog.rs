//! Every service version the emulator knows: the schema files embedded at build time
//! (see `build.rs`) plus any a test adds through the builder.
//!
//! Embedded files stay JSON text in the binary until a request needs their service
//! version, which is then parsed once: parsing all 160 versions (80 MB of JSON) at every
//! start cost seconds and 200 MiB (BENCHMARKS.md, "The committed catalog"). Each version has
//! its own `OnceLock`, so two first requests to one version parse it once (the second waits
//! for the first), and requests to other versions do not wait. A file that does not parse
//! answers every request to its version with an InternalError naming the file and the JSON
//! path, rather than stopping the emulator. What must be known of every file before any
//! parse (its service and version, the `Authorization: SKIP` actions) comes from the index
//! `build.rs` computes. Schemas the builder adds are parsed at start, so a bad one fails
//! [`start`](crate::EmulatorBuilder::start).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use tencent_cloud_schema::model::{Action, EnumType, ObjectType, ServiceSchema};
use tencent_cloud_schema::parse;

use crate::envelope::{ApiError, code};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/schemas.rs"));
}

/// One file of `schema/`, as `build.rs` lists it.
struct EmbeddedFile {
    /// Relative to `schema/`, e.g. `cvm/2017-03-12.json`.
    path: &'static str,
    service: &'static str,
    version: &'static str,
    json: &'static str,
}

impl EmbeddedFile {
    fn parse(&self) -> Result<ServiceSchema, String> {
        parse(&format!("schema/{}", self.path), self.json).map_err(|e| e.to_string())
    }
}

/// One service version: parsed at start (the builder's), or parsed on first use.
enum Entry {
    Parsed(ServiceSchema),
    Embedded {
        file: &'static EmbeddedFile,
        /// The parse, or why it failed (the file and JSON path).
        parsed: OnceLock<Result<ServiceSchema, String>>,
    },
}

impl Entry {
    fn schema(&self) -> Result<&ServiceSchema, ApiError> {
        match self {
            Entry::Parsed(schema) => Ok(schema),
            Entry::Embedded { file, parsed } => {
                parsed.get_or_init(|| file.parse()).as_ref().map_err(|e| {
                    ApiError::new(
                        code::INTERNAL_ERROR,
                        format!(
                            "The emulator cannot serve {} {}: its schema does not parse: {e}.",
                            file.service, file.version
                        ),
                    )
                })
            }
        }
    }
}

#[derive(Default)]
pub struct Catalog {
    /// service → version → schema.
    services: BTreeMap<String, BTreeMap<String, Entry>>,
    /// `(service, version, action)` of the actions sent with `Authorization: SKIP`.
    skip_sign: Vec<(String, String, String)>,
}

/// One action of one service version, with the schema its type names resolve in.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    pub schema: &'a ServiceSchema,
    pub action: &'a Action,
}

impl Catalog {
    /// The embedded `schema/` tree, none of it parsed yet.
    pub fn embedded() -> Catalog {
        let mut catalog = Catalog::default();
        for file in embedded::SCHEMA_FILES {
            catalog
                .services
                .entry(file.service.to_owned())
                .or_default()
                .insert(
                    file.version.to_owned(),
                    Entry::Embedded {
                        file,
                        parsed: OnceLock::new(),
                    },
                );
        }
        catalog.skip_sign = embedded::SKIP_SIGN
            .iter()
            .map(|&(service, version, action)| {
                (service.to_owned(), version.to_owned(), action.to_owned())
            })
            .collect();
        catalog
    }

    /// Adds (or replaces) one service version given as schema JSON, parsing it now.
    pub fn add_json(&mut self, file: &str, json: &str) -> Result<(), String> {
        let schema = parse(file, json).map_err(|e| e.to_string())?;
        let (service, version) = (schema.service.clone(), schema.version.clone());
        self.skip_sign
            .retain(|(s, v, _)| (s.as_str(), v.as_str()) != (service.as_str(), version.as_str()));
        self.skip_sign.extend(
            schema
                .actions
                .iter()
                .filter(|action| action.skip_sign)
                .map(|action| (service.clone(), version.clone(), action.name.clone())),
        );
        self.services
            .entry(service)
            .or_default()
            .insert(version, Entry::Parsed(schema));
        Ok(())
    }

    /// Resolves service, version and action, answering the codes the real API uses.
    pub fn action(
        &self,
        service: &str,
        version: &str,
        action: &str,
    ) -> Result<ActionRef<'_>, ApiError> {
        let versions = self.services.get(service).ok_or_else(|| {
            ApiError::new(
                code::INVALID_ACTION,
                format!("The service `{service}` does not exist."),
            )
        })?;
        let schema = versions
            .get(version)
            .ok_or_else(|| {
                let known: Vec<&str> = versions.keys().map(String::as_str).collect();
                ApiError::new(
                    code::NO_SUCH_VERSION,
                    format!(
                        "The API version `{version}` of service `{service}` does not exist; known versions: {}.",
                        known.join(", ")
                    ),
                )
            })?
            .schema()?;
        let action_schema = schema
            .actions
            .iter()
            .find(|a| a.name == action)
            .ok_or_else(|| {
                ApiError::new(
                    code::INVALID_ACTION,
                    format!("The action `{action}` does not exist in {service} {version}."),
                )
            })?;
        Ok(ActionRef {
            schema,
            action: action_schema,
        })
    }

    /// The action of that name and version sent with `Authorization: SKIP`, if one is
    /// (decided before the service is known from a credential scope); an error only when
    /// its schema does not parse.
    pub fn find_skip_sign(
        &self,
        version: &str,
        action: &str,
    ) -> Result<Option<ActionRef<'_>>, ApiError> {
        self.skip_sign
            .iter()
            .find(|(_, v, a)| v == version && a == action)
            .map(|(service, version, action)| self.action(service, version, action))
            .transpose()
    }
}

impl Catalog {
    /// Whether a request naming `version` (its X-TC-Version) may have to parse a schema
    /// first: some service has that version and has not parsed it yet. Such requests are
    /// answered off the async workers, so that a parse (up to seconds in a debug build)
    /// does not hold up requests to other versions.
    pub fn may_parse(&self, version: &str) -> bool {
        self.services
            .values()
            .filter_map(|versions| versions.get(version))
            .any(|entry| matches!(entry, Entry::Embedded { parsed, .. } if parsed.get().is_none()))
    }
}

impl ActionRef<'_> {
    pub fn object_type(&self, name: &str) -> Option<&ObjectType> {
        self.schema.types.iter().find(|t| t.name == name)
    }

    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        self.schema.enums.iter().find(|e| e.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_edgezone() {
        let catalog = Catalog::embedded();
        let found = catalog
            .action("edgezone", "2026-04-01", "ReleasePublicIp")
            .unwrap();
        assert_eq!(found.action.rate_limit, Some(20));
        let err = catalog
            .action("edgezone", "2020-01-01", "ReleasePublicIp")
            .err()
            .unwrap();
        assert_eq!(err.code, code::NO_SUCH_VERSION);
        let err = catalog
            .action("edgezone", "2026-04-01", "Nope")
            .err()
            .unwrap();
        assert_eq!(err.code, code::INVALID_ACTION);
    }

    /// What start-up used to prove by parsing everything: every embedded file parses, and
    /// the index build.rs computed agrees with the parsed files.
    #[test]
    fn every_embedded_schema_parses_and_matches_the_index() {
        let mut skip_sign = Vec::new();
        let mut failures = Vec::new();
        for file in embedded::SCHEMA_FILES {
            match file.parse() {
                Ok(schema) => {
                    assert_eq!(
                        (schema.service.as_str(), schema.version.as_str()),
                        (file.service, file.version),
                        "{}",
                        file.path
                    );
                    skip_sign.extend(
                        schema
                            .actions
                            .iter()
                            .filter(|a| a.skip_sign)
                            .map(|a| (file.service, file.version, a.name.clone())),
                    );
                }
                Err(e) => failures.push(e),
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        assert_eq!(embedded::SCHEMA_FILES.len(), 160);
        let indexed: Vec<_> = embedded::SKIP_SIGN
            .iter()
            .map(|&(s, v, a)| (s, v, a.to_owned()))
            .collect();
        assert_eq!(indexed, skip_sign);
        assert!(
            indexed.contains(&("sts", "2018-08-13", "AssumeRoleWithWebIdentity".to_owned())),
            "{indexed:?}"
        );
    }

    /// A file that does not parse answers with an InternalError naming the file and the
    /// JSON path, every time, and leaves other versions alone.
    #[test]
    fn an_unparsable_embedded_file_is_an_internal_error() {
        static BROKEN: EmbeddedFile = EmbeddedFile {
            path: "demo/2020-01-01.json",
            service: "demo",
            version: "2020-01-01",
            json: r#"{"service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com", "actions": [{"name": 5}]}"#,
        };
        let mut catalog = Catalog::embedded();
        catalog.services.entry("demo".into()).or_default().insert(
            "2020-01-01".into(),
            Entry::Embedded {
                file: &BROKEN,
                parsed: OnceLock::new(),
            },
        );
        for _ in 0..2 {
            let err = catalog.action("demo", "2020-01-01", "Act").err().unwrap();
            assert_eq!(err.code, code::INTERNAL_ERROR);
            assert!(
                err.message.contains("schema/demo/2020-01-01.json")
                    && err.message.contains("actions[0].name"),
                "{}",
                err.message
            );
        }
        catalog
            .action("edgezone", "2026-04-01", "ReleasePublicIp")
            .unwrap();
    }

    #[test]
    fn may_parse_until_every_service_of_the_version_is_parsed() {
        let catalog = Catalog::embedded();
        assert!(catalog.may_parse("2026-04-01"));
        catalog
            .action("edgezone", "2026-04-01", "DescribeZones")
            .unwrap();
        assert!(!catalog.may_parse("2026-04-01"), "edgezone alone has it");
        // sts and tag share 2018-08-13.
        catalog
            .action("sts", "2018-08-13", "GetCallerIdentity")
            .unwrap();
        assert!(catalog.may_parse("2018-08-13"));
        assert!(!catalog.may_parse("1999-01-01"), "no service has it");
    }

    #[test]
    fn builder_schemas_replace_the_skip_sign_index_of_their_version() {
        let mut catalog = Catalog::embedded();
        assert!(
            catalog
                .find_skip_sign("2018-08-13", "AssumeRoleWithSAML")
                .unwrap()
                .is_some()
        );
        catalog
            .add_json(
                "sts.json",
                r#"{"service": "sts", "version": "2018-08-13", "host": "sts.tencentcloudapi.com",
                    "actions": [{"name": "AssumeRoleWithSAML", "request": {"members": []}, "response": {"members": []}}]}"#,
            )
            .unwrap();
        assert!(
            catalog
                .find_skip_sign("2018-08-13", "AssumeRoleWithSAML")
                .unwrap()
                .is_none()
        );
    }
}
