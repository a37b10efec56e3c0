//! The checked intermediate representation the emitter works from.
//!
//! Building it (`build`) refuses every schema error the format defines; once built,
//! every type reference resolves, every identifier is final (decided by `naming`) and
//! recursive fields are marked to be boxed. The emitter only prints.

mod build;
mod graph;
pub mod naming;
mod pagination;
pub mod sensitive;
pub mod types;

pub use build::{COMMON_CODES, RUNTIME_MODULES, build};
pub use types::Primitive;

/// One service version, e.g. edgezone 2026-04-01.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The schema file as reported, e.g. `schema/edgezone/2026-04-01.json`.
    pub file: String,
    /// Wire name, e.g. `edgezone`; also the Cargo feature.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub version: String,
    /// Module of the service, e.g. `edgezone` (`r#as` for the `as` service).
    pub module: String,
    /// Module of the version, e.g. `v20260401`.
    pub version_module: String,
    pub title: String,
    pub host: String,
    /// Sorted by wire name.
    pub actions: Vec<Action>,
    /// Sorted by wire name.
    pub objects: Vec<Object>,
    /// Sorted by wire name.
    pub enums: Vec<Enum>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub wire: String,
    pub title: String,
    pub doc: String,
    pub deprecated: bool,
    pub skip_sign: bool,
    /// May answer with server-sent events: the builder gets `send_stream()`.
    pub server_sent_events: bool,
    /// The body is raw bytes the caller gives (`application/octet-stream`) and the members
    /// travel as `X-<SERVICE>-<Member>` headers: the builder takes the body (`body`, a
    /// name reserved for its setters) and sends through `send_octet_stream`.
    pub octet_stream: bool,
    pub rate_limit: Option<u32>,
    /// A read (`Describe*`, `Get*`, `List*`, `Query*`): every attempt may be repeated.
    pub read: bool,
    /// The request field of a `string` member `ClientToken`, with which the API
    /// deduplicates: a write that carries one may be repeated too.
    pub client_token: Option<String>,
    /// Module and `Client` method, e.g. `release_public_ip`.
    pub method: String,
    /// `<Action>Request`, `<Action>Response`, `<Action>Error`, `<Action>Builder`.
    pub request: Shape,
    pub response: Shape,
    pub error: ErrorEnum,
    pub builder: String,
    /// A list action the builder can page through (see `pagination`).
    pub pagination: Option<Pagination>,
    /// The body of the first documented example request that is a JSON object: the
    /// `# Example` of the method's rustdoc.
    pub example: Option<serde_json::Map<String, serde_json::Value>>,
}

/// How a list action pages: the request's `Offset` moves through the results, the
/// response's `TotalCount` says how many there are and its one list holds the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The request field of `Offset` (`int64` or `uint64`).
    pub offset: String,
    /// The response field of `TotalCount` (`int64` or `uint64`).
    pub total_count: Field,
    /// The response's one `list<T>` field.
    pub items: Field,
    /// Its element type, `T`.
    pub item: TypeRef,
}

/// A request or response struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ident: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub ident: String,
    pub doc: String,
    pub ty: TypeRef,
    /// Not required (request members) or not guaranteed (response members); always
    /// for members of object types (see `ir::build`). Request structs hold every member
    /// as `Option<T>` whatever this says; in responses it decides between `T` and
    /// `Option<T>`.
    pub optional: bool,
    /// `Option<Box<T>>`: the field closes a recursive cycle.
    pub boxed: bool,
    /// Carries a secret: `Debug` of the containing struct redacts it (see `sensitive`).
    pub sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Primitive(Primitive),
    List(Box<TypeRef>),
    /// An object type in `types.rs`, by its Rust identifier.
    Object(String),
    /// An enum in `types.rs`, by its Rust identifier.
    Enum(String),
}

impl TypeRef {
    /// The object or enum this type names, looking through lists.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Primitive(_) => None,
            TypeRef::List(inner) => inner.named(),
            TypeRef::Object(name) | TypeRef::Enum(name) => Some(name),
        }
    }
}

/// Which serde traits a type needs: only what its use requires, because derives are
/// most of the compile time of a generated SDK.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from a request.
    pub serialize: bool,
    /// Reachable from a response.
    pub deserialize: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub wire: String,
    pub ident: String,
    pub doc: String,
    pub fields: Vec<Field>,
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub wire: String,
    pub ident: String,
    pub doc: String,
    pub variants: Vec<Variant>,
    pub usage: Usage,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub value: String,
    pub ident: String,
    pub doc: String,
}

/// The kinds of an action's error codes: a variant per documented code that is not
/// common; common codes are `Common(CommonError)` on every action, wherever documented.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEnum {
    pub ident: String,
    pub variants: Vec<ErrorVariant>,
    /// The common codes the action's documentation lists, for its docs.
    pub common: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorVariant {
    /// e.g. `FailedOperation.IpStillBoundToServer`.
    pub code: String,
    /// e.g. `FailedOperationIpStillBoundToServer`.
    pub ident: String,
    pub description: String,
}
