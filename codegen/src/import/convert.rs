//! Catalog → our schema format, for a chosen set of actions.
//!
//! The conversion keeps everything our format has a place for and checks what it
//! relies on (object references, member kinds), so that a malformed catalog gives
//! an error naming the file and JSON path instead of a wrong schema.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::model::{
    Action, ActionStatus, ErrorCode, Example, Member, ObjectType, ServiceSchema, Shape,
};

use super::ImportError;
use super::catalog::Catalog;
use super::tccli::{ApiAction, ApiMember, ApiObject};

/// Detail types that are not object names. Also our format's primitive types.
const PRIMITIVES: [&str; 8] = [
    "string",
    "int64",
    "uint64",
    "float",
    "bool",
    "datetime",
    "datetime_iso",
    "date",
];

/// Which of the catalog's actions to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    All,
    /// These actions, each of which must be in the catalog.
    Actions(Vec<String>),
}

/// Converts the selected actions, with the object types they reach, into a schema.
/// Actions come in catalog (alphabetical) order, types sorted by name.
pub fn convert(catalog: &Catalog, selection: &Selection) -> Result<ServiceSchema, ImportError> {
    let api = &catalog.api;
    let names: Vec<&String> = match selection {
        Selection::All => api.actions.keys().collect(),
        Selection::Actions(wanted) => {
            let wanted: BTreeSet<&String> = wanted.iter().collect();
            if let Some(unknown) = wanted.iter().find(|name| !api.actions.contains_key(**name)) {
                return Err(ImportError::UnknownAction {
                    path: catalog.api_path.clone(),
                    action: (*unknown).clone(),
                });
            }
            api.actions
                .keys()
                .filter(|name| wanted.contains(name))
                .collect()
        }
    };

    let mut actions = Vec::with_capacity(names.len());
    let mut reached = BTreeSet::new();
    for name in names {
        let action = &api.actions[name];
        let request = object(catalog, name, "input", &action.input)?;
        let response = object(catalog, name, "output", &action.output)?;
        for object in [request, response] {
            for member in &object.members {
                reach(catalog, member, &mut reached);
            }
        }
        actions.push(convert_action(catalog, name, action, request, response)?);
    }

    let types = reached
        .into_iter()
        .map(|name| {
            let object = &api.objects[name];
            Ok(ObjectType {
                name: name.clone(),
                doc: object.document.clone(),
                usage: object.usage.clone(),
                members: convert_members(catalog, name, &object.members)?,
            })
        })
        .collect::<Result<_, ImportError>>()?;

    let metadata = &api.metadata;
    Ok(ServiceSchema {
        service: metadata.service_short_name.clone(),
        version: metadata.api_version.clone(),
        title: metadata.service_name_cn.clone(),
        host: format!("{}.intl.tencentcloudapi.com", metadata.service_short_name),
        errors: catalog.service_errors.clone(),
        actions,
        types,
        enums: Vec::new(),
        // Recorded by `merge`, which knows the previous one.
        catalog_base: None,
    })
}

fn convert_action(
    catalog: &Catalog,
    name: &str,
    action: &ApiAction,
    request: &ApiObject,
    response: &ApiObject,
) -> Result<Action, ImportError> {
    let status = match action.status.as_deref() {
        None | Some("online") => ActionStatus::Online,
        Some("deprecated") => ActionStatus::Deprecated,
        Some(other) => {
            return Err(catalog.error(
                format!("actions.{name}.status"),
                format!("unknown status `{other}`"),
            ));
        }
    };
    // Every response carries RequestId; the runtime decodes it, so the schema omits it.
    let response_members: Vec<ApiMember> = response
        .members
        .iter()
        .filter(|member| member.name != "RequestId")
        .cloned()
        .collect();
    Ok(Action {
        name: name.to_owned(),
        title: action.name.clone(),
        doc: action.document.clone(),
        status,
        skip_sign: action.skip_sign,
        server_sent_events: catalog.protocols.server_sent_events.contains(name),
        octet_stream: catalog.protocols.octet_stream.contains(name),
        rate_limit: None,
        request: Shape {
            doc: request.document.clone(),
            members: convert_members(catalog, &action.input, &request.members)?,
        },
        response: Shape {
            doc: response.document.clone(),
            members: convert_members(catalog, &action.output, &response_members)?,
        },
        examples: examples(catalog, name),
        errors: action_errors(catalog, name),
    })
}

fn convert_members(
    catalog: &Catalog,
    object_name: &str,
    members: &[ApiMember],
) -> Result<Vec<Member>, ImportError> {
    members
        .iter()
        .enumerate()
        .map(|(index, member)| {
            Ok(Member {
                name: member.name.clone(),
                type_: member_type(catalog, object_name, index, member)?,
                doc: member.document.clone(),
                required: member.required,
                nullable: member.value_allowed_null,
                output_required: member.output_required,
                disabled: member.disabled,
                example: member.example.clone(),
                // The catalog has no such notion; well-known names are covered by the
                // generator's rule, and a maintainer sets the flag for the rest.
                sensitive: false,
            })
        })
        .collect()
}

/// Our type for a member: the detail type, wrapped in `list<…>` for lists. The
/// kind (`string`, `int`, …) is checked against the detail type rather than
/// dropped unseen, so that no catalog combination is lost silently.
fn member_type(
    catalog: &Catalog,
    object_name: &str,
    index: usize,
    member: &ApiMember,
) -> Result<String, ImportError> {
    let detail = member.member.as_str();
    let is_object = catalog.api.objects.contains_key(detail);
    let fits = match member.type_.as_str() {
        "string" => matches!(detail, "string" | "datetime" | "datetime_iso" | "date"),
        "int" => matches!(detail, "int64" | "uint64"),
        "float" => detail == "float",
        "bool" => detail == "bool",
        "object" => is_object,
        "list" => is_object || PRIMITIVES.contains(&detail),
        other => {
            return Err(catalog.error(
                format!("objects.{object_name}.members[{index}].type"),
                format!("unknown member kind `{other}`"),
            ));
        }
    };
    if !fits {
        return Err(catalog.error(
            format!("objects.{object_name}.members[{index}].member"),
            format!(
                "`{detail}` is not a valid detail type for a `{}` member",
                member.type_
            ),
        ));
    }
    Ok(if member.type_ == "list" {
        format!("list<{detail}>")
    } else {
        detail.to_owned()
    })
}

/// The request or response object of an action.
fn object<'a>(
    catalog: &'a Catalog,
    action: &str,
    key: &str,
    name: &str,
) -> Result<&'a ApiObject, ImportError> {
    catalog.api.objects.get(name).ok_or_else(|| {
        catalog.error(
            format!("actions.{action}.{key}"),
            format!("object `{name}` is not in `objects`"),
        )
    })
}

/// Adds the object type `member` refers to, and everything it reaches, to `reached`.
fn reach<'a>(catalog: &'a Catalog, member: &'a ApiMember, reached: &mut BTreeSet<&'a String>) {
    // A primitive ends the walk; `member_type` rejects a detail type that is neither.
    let Some((name, object)) = catalog.api.objects.get_key_value(&member.member) else {
        return;
    };
    if reached.insert(name) {
        for inner in &object.members {
            reach(catalog, inner, reached);
        }
    }
}

fn examples(catalog: &Catalog, action: &str) -> Vec<Example> {
    let Some(examples) = catalog
        .examples
        .as_ref()
        .and_then(|e| e.actions.get(action))
    else {
        return Vec::new();
    };
    examples
        .iter()
        .map(|example| Example {
            title: example.title.clone(),
            doc: example.document.clone(),
            request: example.input.clone(),
            response: example.output.clone(),
        })
        .collect()
}

/// The action's documented codes when it has a list, else the whole service's.
fn action_errors(catalog: &Catalog, action: &str) -> Vec<ErrorCode> {
    let Some(codes) = catalog.action_errors.as_ref().and_then(|a| a.get(action)) else {
        return catalog.service_errors.clone();
    };
    let descriptions: BTreeMap<&str, &str> = catalog
        .service_errors
        .iter()
        .map(|error| (error.code.as_str(), error.description.as_str()))
        .collect();
    codes
        .iter()
        .map(|code| ErrorCode {
            code: code.clone(),
            description: descriptions
                .get(code.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}
