//! Schema → IR: every rule of the format is checked here, in file order, and the first
//! violation is reported with the file and the JSON path of the offending value.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{self, Ty};
use super::naming::{self, Style};
use super::pagination::pagination;
use super::sensitive::is_sensitive;
use super::types::{self, Parsed};
use super::{
    Action, Enum, ErrorEnum, ErrorVariant, Field, Object, Primitive, Service, Shape, TypeRef,
    Usage, Variant,
};
use crate::schema::model::{self, ActionStatus, ServiceSchema};
use crate::schema::{LoadedSchema, SchemaError};

/// Response members every response has; the runtime and the generated struct own them.
const ENVELOPE_MEMBERS: &[&str] = &["RequestId", "DeprecatedWarning"];
/// Prefixes of read-only actions, which are safe to retry.
const READ_PREFIXES: &[&str] = &["Describe", "Get", "List", "Query"];

pub fn build(loaded: &LoadedSchema) -> Result<Service, SchemaError> {
    Builder {
        file: &loaded.file,
        schema: &loaded.schema,
    }
    .build()
}

struct Builder<'a> {
    file: &'a str,
    schema: &'a ServiceSchema,
}

/// The resolved member types of an action's request and response (`None`: disabled).
type ActionTys = (Vec<Option<Ty>>, Vec<Option<Ty>>);

/// A type or enum name, by its index in the sorted list.
#[derive(Clone, Copy)]
enum Named {
    Object(usize),
    Enum(usize),
}

impl<'a> Builder<'a> {
    fn error(&self, path: impl Into<String>, message: impl Into<String>) -> SchemaError {
        SchemaError::invalid(self.file, path, message)
    }

    fn build(&self) -> Result<Service, SchemaError> {
        let schema = self.schema;
        self.check_header()?;

        // 1. Check and resolve. Objects and enums share one namespace; both are sorted
        //    by name for the output, errors still point at their index in the file.
        let object_order = sorted_by_name(&schema.types, |t| &t.name);
        let enum_order = sorted_by_name(&schema.enums, |e| &e.name);
        let names = self.declare_types(&object_order, &enum_order)?;
        let object_tys = (object_order.iter())
            .map(|&i| {
                self.members(
                    &format!("types[{i}]"),
                    &schema.types[i].members,
                    &names,
                    &[],
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let action_tys = self.check_actions(&names)?;
        self.error_codes("errors", &schema.errors)?;
        for &i in &enum_order {
            self.enum_values(&format!("enums[{i}]"), &schema.enums[i])?;
        }

        // 2. Which types need which serde traits, and which fields close a cycle.
        let request_roots = action_tys.iter().flat_map(|(req, _)| req.iter().flatten());
        let (ser_objects, ser_enums) =
            graph::reachable(&object_tys, enum_order.len(), request_roots);
        let response_roots = action_tys
            .iter()
            .flat_map(|(_, resp)| resp.iter().flatten());
        let (de_objects, de_enums) =
            graph::reachable(&object_tys, enum_order.len(), response_roots);
        let boxed = graph::back_edges(&object_tys);

        // 3. Names: actions first, because their generated items are reserved for types.
        let action_bases = naming::assign(
            &schema
                .actions
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>(),
            Style::UpperCamel { suffix: "Action" },
            &BTreeSet::new(),
        );
        let methods = naming::assign(
            &action_bases.iter().map(String::as_str).collect::<Vec<_>>(),
            Style::Snake,
            &reserved(&["new", "types"]),
        );
        let type_wires: Vec<&str> = (object_order.iter().map(|&i| schema.types[i].name.as_str()))
            .chain(enum_order.iter().map(|&i| schema.enums[i].name.as_str()))
            .collect();
        let type_idents = naming::assign(
            &type_wires,
            Style::UpperCamel { suffix: "Type" },
            &type_reserved(&action_bases),
        );
        let (object_idents, enum_idents) = type_idents.split_at(object_order.len());
        let type_ref = |ty: &Ty| type_ref(ty, object_idents, enum_idents);

        // 4. Assemble.
        let objects = (object_order.iter().enumerate())
            .map(|(pos, &i)| {
                let object = &schema.types[i];
                let usage = Usage {
                    serialize: ser_objects[pos],
                    deserialize: de_objects[pos],
                };
                let fields = fields(
                    &object.members,
                    &object_tys[pos],
                    &reserved(naming::OBJECT_NAMES),
                    // Every member optional, whatever its flags or where the type is
                    // used: a type can be both sent and received, or become so, and a
                    // member added later must neither be sent empty from `default()`
                    // nor change the type of a field callers read.
                    |j, _| (true, boxed.contains(&(pos, j))),
                    &type_ref,
                );
                Object {
                    wire: object.name.clone(),
                    ident: object_idents[pos].clone(),
                    doc: object.doc.clone(),
                    fields,
                    usage,
                }
            })
            .collect();

        let enums = (enum_order.iter().enumerate())
            .map(|(pos, &i)| {
                self.enumeration(
                    &schema.enums[i],
                    &enum_idents[pos],
                    Usage {
                        serialize: ser_enums[pos],
                        deserialize: de_enums[pos],
                    },
                )
            })
            .collect();

        let mut actions: Vec<Action> = (schema.actions.iter().enumerate())
            .map(|(i, action)| {
                let (request_tys, response_tys) = &action_tys[i];
                let base = &action_bases[i];
                self.action(
                    action,
                    base,
                    &methods[i],
                    request_tys,
                    response_tys,
                    &type_ref,
                )
            })
            .collect();
        actions.sort_by(|a, b| a.wire.cmp(&b.wire));

        Ok(Service {
            file: self.file.to_owned(),
            name: schema.service.clone(),
            version: schema.version.clone(),
            module: naming::assign(&[&schema.service], Style::Snake, &reserved(RUNTIME_MODULES))
                .remove(0),
            version_module: format!("v{}", schema.version.replace('-', "")),
            title: schema.title.clone(),
            host: schema.host.clone(),
            actions,
            objects,
            enums,
        })
    }

    /// Checks object and enum names (valid, declared once) and maps each name to its
    /// position in the sorted lists.
    fn declare_types(
        &self,
        object_order: &[usize],
        enum_order: &[usize],
    ) -> Result<BTreeMap<&'a str, Named>, SchemaError> {
        let schema = self.schema;
        let objects = (object_order.iter().enumerate()).map(|(pos, &i)| {
            (
                &schema.types[i].name,
                Named::Object(pos),
                format!("types[{i}]"),
            )
        });
        let enums = (enum_order.iter().enumerate()).map(|(pos, &i)| {
            (
                &schema.enums[i].name,
                Named::Enum(pos),
                format!("enums[{i}]"),
            )
        });
        let mut names: BTreeMap<&str, Named> = BTreeMap::new();
        let mut first_paths: BTreeMap<&str, String> = BTreeMap::new();
        for (name, named, path) in objects.chain(enums) {
            if !types::is_type_name(name) {
                return Err(self.error(
                    format!("{path}.name"),
                    format!("invalid type name {name:?}"),
                ));
            }
            if let Some(first) = first_paths.get(name.as_str()) {
                return Err(self.error(
                    format!("{path}.name"),
                    format!("duplicate type name {name:?} (first declared at {first})"),
                ));
            }
            names.insert(name, named);
            first_paths.insert(name, path);
        }
        Ok(names)
    }

    /// Checks each action's name, members and error codes; resolves the member types
    /// of its request and response.
    fn check_actions(&self, names: &BTreeMap<&str, Named>) -> Result<Vec<ActionTys>, SchemaError> {
        let mut action_tys = Vec::new();
        let mut action_names: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, action) in self.schema.actions.iter().enumerate() {
            let path = format!("actions[{i}]");
            if !is_action_name(&action.name) {
                return Err(self.error(
                    format!("{path}.name"),
                    format!("invalid action name {:?}", action.name),
                ));
            }
            if let Some(first) = action_names.insert(&action.name, i) {
                return Err(self.error(
                    format!("{path}.name"),
                    format!(
                        "duplicate action {:?} (first declared at actions[{first}])",
                        action.name
                    ),
                ));
            }
            let request = self.members(
                &format!("{path}.request"),
                &action.request.members,
                names,
                &[],
            )?;
            let response = self.members(
                &format!("{path}.response"),
                &action.response.members,
                names,
                ENVELOPE_MEMBERS,
            )?;
            self.error_codes(&format!("{path}.errors"), &action.errors)?;
            action_tys.push((request, response));
        }
        Ok(action_tys)
    }

    /// `service`, `version` and `host` are well formed and match the file's place,
    /// `schema/<service>/<version>.json`.
    fn check_header(&self) -> Result<(), SchemaError> {
        let schema = self.schema;
        let service_ok = schema.service.starts_with(|c: char| c.is_ascii_lowercase())
            && schema
                .service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !service_ok {
            return Err(self.error(
                "service",
                format!(
                    "invalid service name {:?}: expected lowercase ASCII letters and digits",
                    schema.service
                ),
            ));
        }
        if !is_version(&schema.version) {
            return Err(self.error(
                "version",
                format!("invalid version {:?}: expected YYYY-MM-DD", schema.version),
            ));
        }
        if schema.host.is_empty()
            || schema
                .host
                .contains(|c: char| c.is_whitespace() || c == '/')
        {
            return Err(self.error(
                "host",
                format!("invalid host {:?}: expected a host name", schema.host),
            ));
        }
        let mut parts = self.file.rsplit(['/', '\\']);
        let file_name = parts.next().unwrap_or_default();
        let directory = parts.next().unwrap_or_default();
        if directory != schema.service {
            return Err(self.error(
                "service",
                format!(
                    "service {:?} does not match its directory {directory:?}",
                    schema.service
                ),
            ));
        }
        if file_name != format!("{}.json", schema.version) {
            return Err(self.error(
                "version",
                format!(
                    "version {:?} does not match the file name {file_name:?}",
                    schema.version
                ),
            ));
        }
        Ok(())
    }

    /// Checks the members of a request, response or object and resolves their types.
    /// `forbidden` names may not be declared (the response envelope's).
    fn members(
        &self,
        path: &str,
        members: &[model::Member],
        names: &BTreeMap<&str, Named>,
        forbidden: &[&str],
    ) -> Result<Vec<Option<Ty>>, SchemaError> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut resolved = Vec::with_capacity(members.len());
        for (j, member) in members.iter().enumerate() {
            let member_path = format!("{path}.members[{j}]");
            if !types::is_wire_identifier(&member.name) {
                return Err(self.error(
                    format!("{member_path}.name"),
                    format!("invalid member name {:?}", member.name),
                ));
            }
            if forbidden.contains(&member.name.as_str()) {
                return Err(self.error(
                    format!("{member_path}.name"),
                    format!(
                        "{:?} is part of every response and must not be declared",
                        member.name
                    ),
                ));
            }
            if let Some(first) = seen.insert(&member.name, j) {
                return Err(self.error(
                    format!("{member_path}.name"),
                    format!(
                        "duplicate member {:?} (first declared at {path}.members[{first}])",
                        member.name
                    ),
                ));
            }
            let ty = self.resolve(&format!("{member_path}.type"), &member.type_, names)?;
            // Disabled (hidden) members are checked but not generated.
            resolved.push((!member.disabled).then_some(ty));
        }
        Ok(resolved)
    }

    fn resolve(
        &self,
        path: &str,
        text: &str,
        names: &BTreeMap<&str, Named>,
    ) -> Result<Ty, SchemaError> {
        fn convert(parsed: &Parsed<'_>, names: &BTreeMap<&str, Named>) -> Result<Ty, String> {
            Ok(match parsed {
                Parsed::Primitive(p) => Ty::Primitive(*p),
                Parsed::List(inner) => Ty::List(Box::new(convert(inner, names)?)),
                Parsed::Named(name) => match names.get(name) {
                    Some(Named::Object(i)) => Ty::Object(*i),
                    Some(Named::Enum(i)) => Ty::Enum(*i),
                    None => {
                        return Err(format!(
                            "unknown type {name:?}: not a primitive, object type or enum of this file"
                        ));
                    }
                },
            })
        }
        let parsed = types::parse(text).ok_or_else(|| {
            self.error(path, format!("invalid type {text:?}: expected string, int64, uint64, float, bool, datetime, datetime_iso, date, list<T> or a type name"))
        })?;
        convert(&parsed, names).map_err(|message| self.error(path, message))
    }

    fn error_codes(&self, path: &str, codes: &[model::ErrorCode]) -> Result<(), SchemaError> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, code) in codes.iter().enumerate() {
            let code_path = format!("{path}[{k}].code");
            if code.code.is_empty()
                || code
                    .code
                    .contains(|c: char| c.is_whitespace() || c.is_control())
            {
                return Err(self.error(code_path, format!("invalid error code {:?}", code.code)));
            }
            if let Some(first) = seen.insert(&code.code, k) {
                return Err(self.error(
                    code_path,
                    format!(
                        "duplicate error code {:?} (first at {path}[{first}])",
                        code.code
                    ),
                ));
            }
        }
        Ok(())
    }

    fn enum_values(&self, path: &str, enumeration: &model::EnumType) -> Result<(), SchemaError> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (k, value) in enumeration.values.iter().enumerate() {
            if let Some(first) = seen.insert(&value.value, k) {
                return Err(self.error(
                    format!("{path}.values[{k}].value"),
                    format!(
                        "duplicate enum value {:?} (first at {path}.values[{first}])",
                        value.value
                    ),
                ));
            }
        }
        Ok(())
    }

    fn enumeration(&self, enumeration: &model::EnumType, ident: &str, usage: Usage) -> Enum {
        let values: Vec<&str> = enumeration
            .values
            .iter()
            .map(|v| v.value.as_str())
            .collect();
        let idents = naming::assign(
            &values,
            Style::UpperCamel { suffix: "Value" },
            &reserved(&["Unknown"]),
        );
        Enum {
            wire: enumeration.name.clone(),
            ident: ident.to_owned(),
            doc: enumeration.doc.clone(),
            variants: (enumeration.values.iter().zip(idents))
                .map(|(value, ident)| Variant {
                    value: value.value.clone(),
                    ident,
                    doc: value.doc.clone(),
                })
                .collect(),
            usage,
        }
    }

    fn action(
        &self,
        action: &model::Action,
        base: &str,
        method: &str,
        request_tys: &[Option<Ty>],
        response_tys: &[Option<Ty>],
        type_ref: &dyn Fn(&Ty) -> TypeRef,
    ) -> Action {
        // Request fields name the setters of the request and of the builder, next to
        // their own methods.
        let mut builder_names = naming::BUILDER_NAMES.to_vec();
        if action.octet_stream {
            builder_names.push(naming::RAW_BODY_SETTER);
        }
        let request_fields = fields(
            &action.request.members,
            request_tys,
            &reserved(&builder_names),
            |_, m| (optional_in_request(m), false),
            type_ref,
        );
        let response_fields = fields(
            &action.response.members,
            response_tys,
            &reserved(&["request_id", "deprecated_warning"]),
            |_, m| (optional_in_response(m), false),
            type_ref,
        );
        // Without a documented list, the action may return any of the service's codes.
        let codes = if action.errors.is_empty() {
            &self.schema.errors
        } else {
            &action.errors
        };
        let (common, codes): (Vec<&model::ErrorCode>, Vec<&model::ErrorCode>) = codes
            .iter()
            .partition(|code| COMMON_CODES.contains(&code.code.as_str()));
        let variant_wires: Vec<&str> = codes.iter().map(|c| c.code.as_str()).collect();
        let variant_idents = naming::assign(
            &variant_wires,
            Style::UpperCamel { suffix: "Error" },
            &reserved(&["Common", "Unhandled"]),
        );
        let pagination = pagination(&request_fields, &response_fields);
        let read = READ_PREFIXES
            .iter()
            .any(|prefix| action.name.starts_with(prefix));
        let client_token = request_fields
            .iter()
            .find(|f| f.wire == "ClientToken" && f.ty == TypeRef::Primitive(Primitive::String))
            .map(|f| f.ident.clone());
        Action {
            wire: action.name.clone(),
            title: action.title.clone(),
            doc: action.doc.clone(),
            deprecated: action.status == ActionStatus::Deprecated,
            skip_sign: action.skip_sign,
            server_sent_events: action.server_sent_events,
            octet_stream: action.octet_stream,
            rate_limit: action.rate_limit,
            read,
            client_token,
            method: method.to_owned(),
            request: Shape {
                ident: format!("{base}Request"),
                doc: action.request.doc.clone(),
                fields: request_fields,
            },
            response: Shape {
                ident: format!("{base}Response"),
                doc: action.response.doc.clone(),
                fields: response_fields,
            },
            error: ErrorEnum {
                ident: format!("{base}Error"),
                variants: (codes.iter().zip(variant_idents))
                    .map(|(code, ident)| ErrorVariant {
                        code: code.code.clone(),
                        ident,
                        description: code.description.clone(),
                    })
                    .collect(),
                common: common.iter().map(|code| code.code.clone()).collect(),
            },
            builder: format!("{base}Builder"),
            pagination,
            example: action
                .examples
                .iter()
                .find_map(model::Example::request_body),
        }
    }
}

/// The generated fields of `members` (disabled ones are skipped): `shape(index, member)`
/// says whether the field is optional and whether it is boxed.
fn fields(
    members: &[model::Member],
    tys: &[Option<Ty>],
    reserved: &BTreeSet<String>,
    shape: impl Fn(usize, &model::Member) -> (bool, bool),
    type_ref: &dyn Fn(&Ty) -> TypeRef,
) -> Vec<Field> {
    let enabled: Vec<(usize, &model::Member, &Ty)> = (members.iter().zip(tys).enumerate())
        .filter_map(|(j, (member, ty))| ty.as_ref().map(|ty| (j, member, ty)))
        .collect();
    let wires: Vec<&str> = enabled.iter().map(|(_, m, _)| m.name.as_str()).collect();
    let idents = naming::assign(&wires, Style::Snake, reserved);
    (enabled.into_iter().zip(idents))
        .map(|((j, member, ty), ident)| {
            let (optional, boxed) = shape(j, member);
            Field {
                wire: member.name.clone(),
                ident,
                doc: member.doc.clone(),
                ty: type_ref(ty),
                optional: optional || boxed,
                boxed,
                sensitive: is_sensitive(member),
            }
        })
        .collect()
}

/// A request member the caller need not set.
fn optional_in_request(member: &model::Member) -> bool {
    !member.required
}

/// A response member the server may leave out or send as `null`.
fn optional_in_response(member: &model::Member) -> bool {
    !member.output_required || member.nullable
}

fn type_ref(ty: &Ty, objects: &[String], enums: &[String]) -> TypeRef {
    match ty {
        Ty::Primitive(p) => TypeRef::Primitive(*p),
        Ty::List(inner) => TypeRef::List(Box::new(type_ref(inner, objects, enums))),
        Ty::Object(i) => TypeRef::Object(objects[*i].clone()),
        Ty::Enum(i) => TypeRef::Enum(enums[*i].clone()),
    }
}

fn sorted_by_name<T>(items: &[T], name: impl Fn(&T) -> &String) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Stable: duplicates keep file order, so the second one is the one reported.
    order.sort_by(|&a, &b| name(&items[a]).cmp(name(&items[b])));
    order
}

/// The modules of the runtime's root (`runtime/src/lib.rs`), which the facade (`sdk/`)
/// re-exports at its root by a glob beside the glob of the services: the catalog's
/// `config` service and the runtime's `config` would make the name ambiguous. Such a service's module gets `_` (`tencent_cloud::config_`); its feature
/// keeps the service's name.
pub const RUNTIME_MODULES: &[&str] = &[
    "client",
    "clock",
    "common_client",
    "config",
    "credentials",
    "de",
    "decode",
    "default_chain",
    "enum_value",
    "error",
    "event_stream",
    "failover",
    "http",
    "operation",
    "paginator",
    "rate_limit",
    "response",
    "retry",
    "services",
    "signing",
    "splice",
    "sse",
    "sts_credentials",
];

/// The codes every action can return: the runtime's `CommonError` (`runtime/src/error.rs`;
/// `codegen/tests/golden.rs` checks that the lists agree). An action's documented code
/// in this list is decoded as `Common(...)`, never as a variant of its own, so each code
/// has one variant whichever lists name it.
pub const COMMON_CODES: &[&str] = &[
    "ActionOffline",
    "AuthFailure.InvalidAuthorization",
    "AuthFailure.InvalidSecretId",
    "AuthFailure.MFAFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureExpire",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "AuthFailure.UnauthorizedOperation",
    "DryRunOperation",
    "FailedOperation",
    "InternalError",
    "InvalidAction",
    "InvalidParameter",
    "InvalidParameterValue",
    "InvalidRequest",
    "IpInBlacklist",
    "IpNotInWhitelist",
    "LimitExceeded",
    "MissingParameter",
    "NoSuchProduct",
    "NoSuchVersion",
    "RequestLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestSizeLimitExceeded",
    "ResourceInUse",
    "ResourceInsufficient",
    "ResourceNotFound",
    "ResourceUnavailable",
    "ResponseSizeLimitExceeded",
    "ServiceUnavailable",
    "UnauthorizedOperation",
    "UnknownParameter",
    "UnsupportedOperation",
    "UnsupportedProtocol",
    "UnsupportedRegion",
];

/// Type names a schema type may not take: std's, and the items every version module
/// or action module defines.
fn type_reserved(action_bases: &[String]) -> BTreeSet<String> {
    let mut names = reserved(naming::STD_TYPE_NAMES);
    names.insert("Client".to_owned());
    for base in action_bases {
        for suffix in ["Request", "Response", "Error", "Builder"] {
            names.insert(format!("{base}{suffix}"));
        }
    }
    names
}

fn reserved(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn is_action_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_version(version: &str) -> bool {
    let bytes = version.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}
