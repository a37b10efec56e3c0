//! What an import changed in a schema file, and which hand edits it kept.
//!
//! `diff` compares two schemas structurally over the parts the catalog owns (not
//! `catalog_base`, the importer's own bookkeeping);
//! `Kept` entries come from `merge` and name every place where the file now
//! disagrees with the catalog because a maintainer's edit won. Both are meant
//! to be read by the reviewer of the import's commit.

use std::collections::BTreeMap;
use std::fmt;

use crate::schema::model::{Action, ErrorCode, Member, ObjectType, ServiceSchema, Shape};

/// The outcome of one import, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Service and version of the file, for the heading.
    pub file: String,
    pub changes: Vec<Change>,
    pub kept: Vec<Kept>,
}

/// A part of the schema that owns members, errors or docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Service,
    Action(String),
    Request(String),
    Response(String),
    Type(String),
}

/// A place, or one member in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub place: Place,
    pub member: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    ActionAdded {
        action: String,
    },
    ActionRemoved {
        action: String,
    },
    TypeAdded {
        name: String,
    },
    TypeRemoved {
        name: String,
    },
    MemberAdded {
        at: Place,
        member: String,
    },
    MemberRemoved {
        at: Place,
        member: String,
    },
    MemberRetyped {
        at: Place,
        member: String,
        from: String,
        to: String,
    },
    /// A doc string changed; the diff of the file shows how.
    DocChanged {
        at: Target,
    },
    /// A short field changed: title, status, skip_sign, usage, host, a member's
    /// required/nullable/output_required/disabled flag or example.
    FieldChanged {
        at: Target,
        field: &'static str,
        from: String,
        to: String,
    },
    ExamplesChanged {
        action: String,
    },
    ErrorAdded {
        at: Place,
        code: String,
    },
    ErrorRemoved {
        at: Place,
        code: String,
    },
    ErrorDescriptionChanged {
        at: Place,
        code: String,
    },
}

/// A hand edit that `merge` kept although the catalog says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// A member typed with an enum of the file where the catalog says `string`.
    EnumType {
        at: Target,
        kept: String,
        catalog: String,
    },
    /// An error code the catalog does not list there: added by hand, or, in a file
    /// without a base, possibly one the catalog dropped.
    ErrorCode { at: Place, code: String },
    /// An error code the catalog lists that a maintainer removed.
    ErrorRemovedByHand { at: Place, code: String },
    /// A member the catalog does not have, added by a maintainer.
    MemberAddedByHand { at: Place, member: String },
    /// A member the catalog has, removed by a maintainer.
    MemberRemovedByHand { at: Place, member: String },
    /// An error description that differs from the catalog's.
    ErrorDescription {
        at: Place,
        code: String,
        catalog: String,
    },
    /// An action of the file that the catalog does not have.
    ActionNotInCatalog { action: String },
    /// An action the catalog has that a maintainer deleted from the file; an import of
    /// every action leaves it out, one that names it brings it back.
    ActionRemovedByHand { action: String },
    /// A host that differs from the one derived from the service name.
    Host { kept: String, catalog: String },
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.kept.is_empty()
    }
}

/// The catalog-owned differences from `old` to `new`.
pub fn diff(old: &ServiceSchema, new: &ServiceSchema) -> Vec<Change> {
    let mut changes = Vec::new();
    let service = Target::place(Place::Service);
    field(&mut changes, &service, "title", &old.title, &new.title);
    field(&mut changes, &service, "host", &old.host, &new.host);
    errors(&mut changes, Place::Service, &old.errors, &new.errors);

    let old_actions = by_name(&old.actions, |a| &a.name);
    let new_actions = by_name(&new.actions, |a| &a.name);
    for action in &new.actions {
        match old_actions.get(action.name.as_str()) {
            None => changes.push(Change::ActionAdded {
                action: action.name.clone(),
            }),
            Some(old) => action_diff(&mut changes, old, action),
        }
    }
    for action in &old.actions {
        if !new_actions.contains_key(action.name.as_str()) {
            changes.push(Change::ActionRemoved {
                action: action.name.clone(),
            });
        }
    }

    let old_types = by_name(&old.types, |t| &t.name);
    let new_types = by_name(&new.types, |t| &t.name);
    for object in &new.types {
        match old_types.get(object.name.as_str()) {
            None => changes.push(Change::TypeAdded {
                name: object.name.clone(),
            }),
            Some(old) => type_diff(&mut changes, old, object),
        }
    }
    for object in &old.types {
        if !new_types.contains_key(object.name.as_str()) {
            changes.push(Change::TypeRemoved {
                name: object.name.clone(),
            });
        }
    }
    changes
}

fn action_diff(changes: &mut Vec<Change>, old: &Action, new: &Action) {
    let name = &new.name;
    let at = Target::place(Place::Action(name.clone()));
    field(changes, &at, "title", &old.title, &new.title);
    doc(changes, &at, &old.doc, &new.doc);
    field(
        changes,
        &at,
        "status",
        &format!("{:?}", old.status),
        &format!("{:?}", new.status),
    );
    field(
        changes,
        &at,
        "skip_sign",
        &old.skip_sign.to_string(),
        &new.skip_sign.to_string(),
    );
    shape(
        changes,
        Place::Request(name.clone()),
        &old.request,
        &new.request,
    );
    shape(
        changes,
        Place::Response(name.clone()),
        &old.response,
        &new.response,
    );
    if old.examples != new.examples {
        changes.push(Change::ExamplesChanged {
            action: name.clone(),
        });
    }
    errors(
        changes,
        Place::Action(name.clone()),
        &old.errors,
        &new.errors,
    );
}

fn type_diff(changes: &mut Vec<Change>, old: &ObjectType, new: &ObjectType) {
    let place = Place::Type(new.name.clone());
    let at = Target::place(place.clone());
    doc(changes, &at, &old.doc, &new.doc);
    let usage = |usage: &Option<String>| usage.clone().unwrap_or_default();
    field(
        changes,
        &at,
        "usage",
        &usage(&old.usage),
        &usage(&new.usage),
    );
    members(changes, place, &old.members, &new.members);
}

fn shape(changes: &mut Vec<Change>, place: Place, old: &Shape, new: &Shape) {
    doc(changes, &Target::place(place.clone()), &old.doc, &new.doc);
    members(changes, place, &old.members, &new.members);
}

fn members(changes: &mut Vec<Change>, place: Place, old: &[Member], new: &[Member]) {
    let old_members = by_name(old, |m| &m.name);
    let new_members = by_name(new, |m| &m.name);
    for member in new {
        let Some(before) = old_members.get(member.name.as_str()) else {
            changes.push(Change::MemberAdded {
                at: place.clone(),
                member: member.name.clone(),
            });
            continue;
        };
        if before.type_ != member.type_ {
            changes.push(Change::MemberRetyped {
                at: place.clone(),
                member: member.name.clone(),
                from: before.type_.clone(),
                to: member.type_.clone(),
            });
        }
        let at = Target {
            place: place.clone(),
            member: Some(member.name.clone()),
        };
        doc(changes, &at, &before.doc, &member.doc);
        for ((name, was), (_, is)) in flags(before).into_iter().zip(flags(member)) {
            field(changes, &at, name, &was.to_string(), &is.to_string());
        }
        let example = |m: &Member| m.example.clone().unwrap_or_default();
        field(changes, &at, "example", &example(before), &example(member));
    }
    for member in old {
        if !new_members.contains_key(member.name.as_str()) {
            changes.push(Change::MemberRemoved {
                at: place.clone(),
                member: member.name.clone(),
            });
        }
    }
}

fn flags(member: &Member) -> [(&'static str, bool); 4] {
    [
        ("required", member.required),
        ("nullable", member.nullable),
        ("output_required", member.output_required),
        ("disabled", member.disabled),
    ]
}

fn errors(changes: &mut Vec<Change>, at: Place, old: &[ErrorCode], new: &[ErrorCode]) {
    let old_codes = by_name(old, |e| &e.code);
    let new_codes = by_name(new, |e| &e.code);
    for error in new {
        match old_codes.get(error.code.as_str()) {
            None => changes.push(Change::ErrorAdded {
                at: at.clone(),
                code: error.code.clone(),
            }),
            Some(before) if before.description != error.description => {
                changes.push(Change::ErrorDescriptionChanged {
                    at: at.clone(),
                    code: error.code.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for error in old {
        if !new_codes.contains_key(error.code.as_str()) {
            changes.push(Change::ErrorRemoved {
                at: at.clone(),
                code: error.code.clone(),
            });
        }
    }
}

fn doc(changes: &mut Vec<Change>, at: &Target, old: &str, new: &str) {
    if old != new {
        changes.push(Change::DocChanged { at: at.clone() });
    }
}

fn field(changes: &mut Vec<Change>, at: &Target, name: &'static str, old: &str, new: &str) {
    if old != new {
        changes.push(Change::FieldChanged {
            at: at.clone(),
            field: name,
            from: old.to_owned(),
            to: new.to_owned(),
        });
    }
}

/// Index of a list by its key; used to match entries of two versions of a list.
pub(super) fn by_name<T>(items: &[T], key: impl Fn(&T) -> &String) -> BTreeMap<&str, &T> {
    items
        .iter()
        .map(|item| (key(item).as_str(), item))
        .collect()
}

impl Target {
    pub fn place(place: Place) -> Self {
        Target {
            place,
            member: None,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Service => write!(f, "service"),
            Place::Action(name) => write!(f, "action {name}"),
            Place::Request(name) => write!(f, "{name} request"),
            Place::Response(name) => write!(f, "{name} response"),
            Place::Type(name) => write!(f, "type {name}"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.member {
            None => write!(f, "{}", self.place),
            Some(member) => write!(f, "{}.{member}", self.place),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::ActionAdded { action } => write!(f, "+ action {action}"),
            Change::ActionRemoved { action } => write!(f, "- action {action}"),
            Change::TypeAdded { name } => write!(f, "+ type {name}"),
            Change::TypeRemoved { name } => write!(f, "- type {name}"),
            Change::MemberAdded { at, member } => write!(f, "+ {at}.{member}"),
            Change::MemberRemoved { at, member } => write!(f, "- {at}.{member}"),
            Change::MemberRetyped {
                at,
                member,
                from,
                to,
            } => {
                write!(f, "~ {at}.{member}: type {from} -> {to}")
            }
            Change::DocChanged { at } => write!(f, "~ {at}: doc changed"),
            Change::FieldChanged {
                at,
                field,
                from,
                to,
            } => {
                write!(f, "~ {at}: {field} {from:?} -> {to:?}")
            }
            Change::ExamplesChanged { action } => write!(f, "~ action {action}: examples changed"),
            Change::ErrorAdded { at, code } => write!(f, "+ {at} error {code}"),
            Change::ErrorRemoved { at, code } => write!(f, "- {at} error {code}"),
            Change::ErrorDescriptionChanged { at, code } => {
                write!(f, "~ {at} error {code}: description changed")
            }
        }
    }
}

impl fmt::Display for Kept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kept::EnumType { at, kept, catalog } => {
                write!(f, "{at}: type {kept} (catalog: {catalog})")
            }
            Kept::ErrorCode { at, code } => write!(f, "{at} error {code} (not in catalog)"),
            Kept::ErrorRemovedByHand { at, code } => {
                write!(f, "{at} error {code} (removed by hand, in catalog)")
            }
            Kept::MemberAddedByHand { at, member } => {
                write!(f, "{at}.{member} (added by hand, not in catalog)")
            }
            Kept::MemberRemovedByHand { at, member } => {
                write!(f, "{at}.{member} (removed by hand, in catalog)")
            }
            Kept::ErrorDescription { at, code, catalog } => {
                write!(f, "{at} error {code}: description (catalog: {catalog:?})")
            }
            Kept::ActionNotInCatalog { action } => write!(f, "action {action} (not in catalog)"),
            Kept::ActionRemovedByHand { action } => write!(
                f,
                "action {action} (removed by hand, in catalog; import it by name to bring it back)"
            ),
            Kept::Host { kept, catalog } => write!(f, "host {kept} (catalog: {catalog})"),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} change(s), {} hand edit(s) kept over the catalog",
            self.file,
            self.changes.len(),
            self.kept.len()
        )?;
        for change in &self.changes {
            writeln!(f, "  {change}")?;
        }
        if !self.kept.is_empty() {
            writeln!(f, "kept:")?;
            for kept in &self.kept {
                writeln!(f, "  {kept}")?;
            }
        }
        Ok(())
    }
}
