//! Every service version the emulator knows: the schema files embedded at build time
//! (see `build.rs`) plus any a test adds through the builder.

use std::collections::BTreeMap;

use tencent_cloud_schema::model::{Action, EnumType, ObjectType, ServiceSchema};
use tencent_cloud_schema::parse;

use crate::envelope::{ApiError, code};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/schemas.rs"));
}

#[derive(Debug, Default)]
pub struct Catalog {
    /// service → version → schema.
    services: BTreeMap<String, BTreeMap<String, ServiceSchema>>,
}

/// One action of one service version, with the schema its type names resolve in.
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    pub schema: &'a ServiceSchema,
    pub action: &'a Action,
}

impl Catalog {
    /// The embedded `schema/` tree.
    pub fn embedded() -> Result<Catalog, String> {
        let mut catalog = Catalog::default();
        for (file, json) in embedded::SCHEMA_FILES {
            catalog.add_json(file, json)?;
        }
        Ok(catalog)
    }

    /// Adds (or replaces) one service version given as schema JSON.
    pub fn add_json(&mut self, file: &str, json: &str) -> Result<(), String> {
        let schema = parse(file, json).map_err(|e| e.to_string())?;
        self.services
            .entry(schema.service.clone())
            .or_default()
            .insert(schema.version.clone(), schema);
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
        let schema = versions.get(version).ok_or_else(|| {
            let known: Vec<&str> = versions.keys().map(String::as_str).collect();
            ApiError::new(
                code::NO_SUCH_VERSION,
                format!(
                    "The API version `{version}` of service `{service}` does not exist; known versions: {}.",
                    known.join(", ")
                ),
            )
        })?;
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

    /// Whether `action` exists in some known service version (for `Authorization: SKIP`,
    /// which must be decided before the service is known from a credential scope).
    pub fn find_skip_sign(&self, version: &str, action: &str) -> Option<ActionRef<'_>> {
        self.services
            .values()
            .filter_map(|versions| versions.get(version))
            .find_map(|schema| {
                schema
                    .actions
                    .iter()
                    .find(|a| a.name == action && a.skip_sign)
                    .map(|action| ActionRef { schema, action })
            })
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
        let catalog = Catalog::embedded().unwrap();
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
}
