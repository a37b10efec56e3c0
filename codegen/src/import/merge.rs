//! Merging a fresh import into an existing schema file.
//!
//! There is no record of what the catalog said at the previous import, so the
//! rule is by ownership: the catalog owns what it describes, the file owns what
//! the catalog cannot express or gets wrong. Precisely:
//!
//! * Catalog wins: service title; action title, doc, status, skip_sign; request
//!   and response docs; examples; which members a request, response or object
//!   type has, their order, docs, flags and examples; object type docs and usage.
//! * File wins: the host; rate limits; enums; actions the import did not touch
//!   (not selected, or not in the catalog); a member's type when the file types
//!   it with one of its enums where the catalog says `string` (also inside
//!   `list<…>`), i.e. an allowed-values refinement; a member's `sensitive` flag
//!   (the catalog has no such notion, so the file's flag is all there is).
//! * Error lists (service and per action) are a union: the file's codes in the
//!   file's order, then the catalog's new codes. A non-empty description in the
//!   file wins over the catalog's. So codes added by hand survive, but a code
//!   removed by hand comes back at the next import: without a base, a removal
//!   cannot be told apart from a code the catalog just added.
//! * Object types no action of the merged file reaches are dropped.
//! * Order: actions, object types and error codes already in the file keep their
//!   place and new ones are appended in catalog order, so diffs stay small;
//!   members follow the catalog's order.
//!
//! Whatever the file wins although the catalog says something else is listed as
//! `Kept` in the report, so a reviewer sees every place the two disagree.

use std::collections::BTreeSet;

use crate::schema::model::{Action, ErrorCode, Member, ObjectType, ServiceSchema, Shape};

use super::report::{Kept, Place, Target, by_name};

/// `imported` merged into `existing`, with the hand edits that were kept.
pub fn merge(existing: &ServiceSchema, imported: ServiceSchema) -> (ServiceSchema, Vec<Kept>) {
    let mut merger = Merger {
        enums: existing.enums.iter().map(|e| e.name.clone()).collect(),
        kept: Vec::new(),
    };
    if existing.host != imported.host {
        merger.kept.push(Kept::Host {
            kept: existing.host.clone(),
            catalog: imported.host.clone(),
        });
    }
    let errors = merger.errors(Place::Service, &existing.errors, imported.errors);
    let actions = upsert(
        &existing.actions,
        imported.actions,
        |a| &a.name,
        |old, new| merger.action(old, new),
    );
    let types = upsert(
        &existing.types,
        imported.types,
        |t| &t.name,
        |old, new| merger.object_type(old, new),
    );
    let mut merged = ServiceSchema {
        service: imported.service,
        version: imported.version,
        title: imported.title,
        host: existing.host.clone(),
        errors,
        actions,
        types,
        enums: existing.enums.clone(),
    };
    drop_unreachable_types(&mut merged);
    (merged, merger.kept)
}

struct Merger {
    /// Enum names of the existing file: the only types a member may be refined to.
    enums: BTreeSet<String>,
    kept: Vec<Kept>,
}

impl Merger {
    fn action(&mut self, old: &Action, new: Action) -> Action {
        let name = new.name.clone();
        Action {
            rate_limit: old.rate_limit,
            request: self.shape(Place::Request(name.clone()), &old.request, new.request),
            response: self.shape(Place::Response(name.clone()), &old.response, new.response),
            errors: self.errors(Place::Action(name), &old.errors, new.errors),
            ..new
        }
    }

    fn object_type(&mut self, old: &ObjectType, new: ObjectType) -> ObjectType {
        let place = Place::Type(new.name.clone());
        ObjectType {
            members: self.members(place, &old.members, new.members),
            ..new
        }
    }

    fn shape(&mut self, place: Place, old: &Shape, new: Shape) -> Shape {
        Shape {
            members: self.members(place, &old.members, new.members),
            ..new
        }
    }

    /// The catalog's members, each keeping the file's enum refinement of its type and
    /// its `sensitive` flag.
    fn members(&mut self, place: Place, old: &[Member], new: Vec<Member>) -> Vec<Member> {
        let old = by_name(old, |m| &m.name);
        new.into_iter()
            .map(|member| Member {
                sensitive: member.sensitive
                    || old.get(member.name.as_str()).is_some_and(|m| m.sensitive),
                ..member
            })
            .map(|member| match old.get(member.name.as_str()) {
                Some(before) if self.refines(&before.type_, &member.type_) => {
                    self.kept.push(Kept::EnumType {
                        at: Target {
                            place: place.clone(),
                            member: Some(member.name.clone()),
                        },
                        kept: before.type_.clone(),
                        catalog: member.type_.clone(),
                    });
                    Member {
                        type_: before.type_.clone(),
                        ..member
                    }
                }
                _ => member,
            })
            .collect()
    }

    /// Whether `file_type` narrows `catalog_type` to one of the file's enums.
    fn refines(&self, file_type: &str, catalog_type: &str) -> bool {
        match (list_element(file_type), list_element(catalog_type)) {
            (Some(file), Some(catalog)) => self.refines(file, catalog),
            (None, None) => catalog_type == "string" && self.enums.contains(file_type),
            _ => false,
        }
    }

    /// The union rule for error lists (see the module doc).
    fn errors(&mut self, at: Place, old: &[ErrorCode], new: Vec<ErrorCode>) -> Vec<ErrorCode> {
        let catalog = by_name(&new, |e| &e.code);
        let mut merged: Vec<ErrorCode> = old
            .iter()
            .map(|error| {
                match catalog.get(error.code.as_str()) {
                    None => self.kept.push(Kept::ErrorCode {
                        at: at.clone(),
                        code: error.code.clone(),
                    }),
                    Some(listed) if error.description.is_empty() => return (*listed).clone(),
                    Some(listed) if listed.description != error.description => {
                        self.kept.push(Kept::ErrorDescription {
                            at: at.clone(),
                            code: error.code.clone(),
                            catalog: listed.description.clone(),
                        })
                    }
                    Some(_) => {}
                }
                error.clone()
            })
            .collect();
        let known: BTreeSet<String> = old.iter().map(|e| e.code.clone()).collect();
        merged.extend(new.into_iter().filter(|e| !known.contains(&e.code)));
        merged
    }
}

/// The existing entries in their order, each replaced by `update(old, new)` when
/// the import has one of the same name, then the imported entries that are new.
fn upsert<T: Clone>(
    existing: &[T],
    imported: Vec<T>,
    key: impl Fn(&T) -> &String,
    mut update: impl FnMut(&T, T) -> T,
) -> Vec<T> {
    let mut imported: Vec<Option<T>> = imported.into_iter().map(Some).collect();
    let mut merged: Vec<T> = existing
        .iter()
        .map(|old| {
            let slot = imported
                .iter_mut()
                .find(|new| new.as_ref().is_some_and(|new| key(new) == key(old)));
            match slot.and_then(Option::take) {
                Some(new) => update(old, new),
                None => old.clone(),
            }
        })
        .collect();
    merged.extend(imported.into_iter().flatten());
    merged
}

/// Removes object types that no action reaches, e.g. after the catalog dropped
/// the only member that used one.
fn drop_unreachable_types(schema: &mut ServiceSchema) {
    let types = by_name(&schema.types, |t| &t.name);
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&str> = schema
        .actions
        .iter()
        .flat_map(|a| a.request.members.iter().chain(&a.response.members))
        .map(|m| m.type_.as_str())
        .collect();
    while let Some(type_) = pending.pop() {
        let name = innermost(type_);
        match types.get(name) {
            Some(object) if reached.insert(name.to_owned()) => {
                pending.extend(object.members.iter().map(|m| m.type_.as_str()));
            }
            _ => {} // a primitive, an enum, or an object already walked
        }
    }
    schema.types.retain(|t| reached.contains(&t.name));
}

/// `T` for `list<T>`.
fn list_element(type_: &str) -> Option<&str> {
    type_.strip_prefix("list<")?.strip_suffix('>')
}

/// The named type under any number of `list<…>`.
fn innermost(type_: &str) -> &str {
    list_element(type_).map_or(type_, innermost)
}
