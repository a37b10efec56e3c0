//! Merging a fresh import into an existing schema file.
//!
//! The file's `catalog_base` records which names (error codes, members) the catalog
//! listed at the previous import. With it, lists of names are merged three ways: a
//! name on which base and catalog differ is a catalog change and is taken, one on
//! which base and file differ is a hand edit and is kept. The rest is decided by
//! ownership: the catalog owns what it describes, the file owns what the catalog
//! cannot express or gets wrong. Precisely:
//!
//! * Catalog wins: service title; action title, doc, status, skip_sign, the
//!   protocol marks (`server_sent_events`, `octet_stream`); request and response docs; examples; members' order, docs, flags and examples; object
//!   type docs and usage.
//! * File wins: the host; rate limits; enums; actions the import did not touch
//!   (not selected, or not in the catalog); actions removed by hand (in the base, not
//!   in the file), which an import of every action leaves out and one naming them
//!   brings back (applied by `import`, which knows the selection); a member's type when the file types
//!   it with one of its enums where the catalog says `string` (also inside
//!   `list<…>`), i.e. an allowed-values refinement; a member's `sensitive` flag
//!   (the catalog has no such notion, so the file's flag is all there is).
//! * Members of a request, response or object type: the catalog's, in its order,
//!   minus those removed by hand (in the base, not in the file), then those added
//!   by hand (in neither base nor catalog), in file order. A member the catalog
//!   dropped (in the base and the file, not in the catalog) goes.
//! * Error lists (service and per action): the file's codes in the file's order,
//!   then the catalog's new ones. A code the catalog dropped goes, one added by hand
//!   stays, one removed by hand stays out. A non-empty description in the file wins
//!   over the catalog's.
//! * An empty error list from the catalog means the error inputs were not given to
//!   this import: the file's list and its base stay as they are.
//! * Without a base for a list (a file from before bases were recorded, an action
//!   or type imported for the first time), members are the catalog's and error
//!   lists are the union: a hand-added member is lost, a hand-removed code returns.
//! * Object types no action of the merged file reaches are dropped.
//! * Order: actions, object types and error codes already in the file keep their
//!   place and new ones are appended in catalog order, so diffs stay small.
//! * The new base is the old one with the service's error list and every action
//!   and type this import brought replaced by the catalog's names, less the types the
//!   merged file no longer has. Actions stay in it when the file lacks them: that is
//!   how a hand removal is remembered, until an import of every action finds the
//!   catalog dropped them too.
//!
//! Whatever the file wins although the catalog says something else is listed as
//! `Kept` in the report, so a reviewer sees every place the two disagree.

use std::collections::BTreeSet;

use crate::schema::model::{
    Action, ActionBase, CatalogBase, ErrorCode, Member, ObjectType, ServiceSchema, Shape,
};

use super::report::{Kept, Place, Target, by_name};

/// `imported` merged into `existing`, with the hand edits that were kept.
pub fn merge(existing: &ServiceSchema, imported: ServiceSchema) -> (ServiceSchema, Vec<Kept>) {
    let catalog_now = catalog_names(&imported);
    let old_base = existing.catalog_base.as_ref();
    let mut merger = Merger {
        enums: existing.enums.iter().map(|e| e.name.clone()).collect(),
        base: old_base,
        kept: Vec::new(),
    };
    if existing.host != imported.host {
        merger.kept.push(Kept::Host {
            kept: existing.host.clone(),
            catalog: imported.host.clone(),
        });
    }
    let service_base = Base(old_base.map(|b| &b.errors));
    let errors = merger.errors(
        Place::Service,
        &existing.errors,
        imported.errors,
        service_base,
    );
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
        catalog_base: None,
    };
    drop_unreachable_types(&mut merged);
    merged.catalog_base = Some(rebase(old_base, catalog_now, &merged));
    (merged, merger.kept)
}

/// The names of everything in `imported`, i.e. what the catalog says now.
fn catalog_names(imported: &ServiceSchema) -> CatalogBase {
    let codes = |errors: &[ErrorCode]| errors.iter().map(|e| e.code.clone()).collect();
    let members = |members: &[Member]| members.iter().map(|m| m.name.clone()).collect();
    CatalogBase {
        errors: codes(&imported.errors),
        actions: imported
            .actions
            .iter()
            .map(|action| {
                let base = ActionBase {
                    errors: codes(&action.errors),
                    request: members(&action.request.members),
                    response: members(&action.response.members),
                };
                (action.name.clone(), base)
            })
            .collect(),
        types: imported
            .types
            .iter()
            .map(|object| (object.name.clone(), members(&object.members)))
            .collect(),
    }
}

/// The base for the next import: `old` updated with what this import saw (`now`),
/// keeping only types the merged file has (actions the file lacks are hand removals).
fn rebase(old: Option<&CatalogBase>, now: CatalogBase, merged: &ServiceSchema) -> CatalogBase {
    let mut base = old.cloned().unwrap_or_default();
    // An empty list was not imported (see `Merger::errors`): its base stays as it was.
    if !now.errors.is_empty() {
        base.errors = now.errors;
    }
    for (name, mut action) in now.actions {
        if action.errors.is_empty()
            && let Some(before) = base.actions.get(&name)
        {
            action.errors = before.errors.clone();
        }
        base.actions.insert(name, action);
    }
    base.types.extend(now.types);
    let types = by_name(&merged.types, |t| &t.name);
    base.types
        .retain(|name, _| types.contains_key(name.as_str()));
    base
}

/// The names the catalog listed in one list at the last import, if recorded.
#[derive(Clone, Copy)]
struct Base<'a>(Option<&'a BTreeSet<String>>);

impl Base<'_> {
    /// Recorded, and listed the name.
    fn had(self, name: &str) -> bool {
        self.0.is_some_and(|names| names.contains(name))
    }

    /// Recorded, and did not list the name.
    fn lacked(self, name: &str) -> bool {
        self.0.is_some_and(|names| !names.contains(name))
    }
}

struct Merger<'a> {
    /// Enum names of the existing file: the only types a member may be refined to.
    enums: BTreeSet<String>,
    /// The existing file's record of the previous import.
    base: Option<&'a CatalogBase>,
    kept: Vec<Kept>,
}

impl Merger<'_> {
    fn action(&mut self, old: &Action, new: Action) -> Action {
        let name = new.name.clone();
        let base = self.base.and_then(|b| b.actions.get(&name));
        let list = |pick: fn(&ActionBase) -> &BTreeSet<String>| Base(base.map(pick));
        Action {
            rate_limit: old.rate_limit,
            request: self.shape(
                Place::Request(name.clone()),
                &old.request,
                new.request,
                list(|b| &b.request),
            ),
            response: self.shape(
                Place::Response(name.clone()),
                &old.response,
                new.response,
                list(|b| &b.response),
            ),
            errors: self.errors(
                Place::Action(name),
                &old.errors,
                new.errors,
                list(|b| &b.errors),
            ),
            ..new
        }
    }

    fn object_type(&mut self, old: &ObjectType, new: ObjectType) -> ObjectType {
        let base = Base(self.base.and_then(|b| b.types.get(&new.name)));
        let place = Place::Type(new.name.clone());
        ObjectType {
            members: self.members(place, &old.members, new.members, base),
            ..new
        }
    }

    fn shape(&mut self, place: Place, old: &Shape, new: Shape, base: Base) -> Shape {
        Shape {
            members: self.members(place, &old.members, new.members, base),
            ..new
        }
    }

    /// The member rule (see the module doc).
    fn members(
        &mut self,
        place: Place,
        old: &[Member],
        new: Vec<Member>,
        base: Base,
    ) -> Vec<Member> {
        let file = by_name(old, |m| &m.name);
        let catalog = by_name(&new, |m| &m.name);
        let added_by_hand: Vec<&Member> = old
            .iter()
            .filter(|m| base.lacked(&m.name) && !catalog.contains_key(m.name.as_str()))
            .collect();
        let mut merged = Vec::with_capacity(new.len() + added_by_hand.len());
        for member in new {
            match file.get(member.name.as_str()) {
                None if base.had(&member.name) => self.kept.push(Kept::MemberRemovedByHand {
                    at: place.clone(),
                    member: member.name,
                }),
                before => merged.push(self.member(&place, before.copied(), member)),
            }
        }
        for member in added_by_hand {
            self.kept.push(Kept::MemberAddedByHand {
                at: place.clone(),
                member: member.name.clone(),
            });
            merged.push(member.clone());
        }
        merged
    }

    /// The catalog's member, keeping the file's enum refinement of its type and its
    /// `sensitive` flag.
    fn member(&mut self, place: &Place, before: Option<&Member>, member: Member) -> Member {
        let Some(before) = before else {
            return member;
        };
        let member = Member {
            sensitive: member.sensitive || before.sensitive,
            ..member
        };
        if !self.refines(&before.type_, &member.type_) {
            return member;
        }
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

    /// Whether `file_type` narrows `catalog_type` to one of the file's enums.
    fn refines(&self, file_type: &str, catalog_type: &str) -> bool {
        match (list_element(file_type), list_element(catalog_type)) {
            (Some(file), Some(catalog)) => self.refines(file, catalog),
            (None, None) => catalog_type == "string" && self.enums.contains(file_type),
            _ => false,
        }
    }

    /// The error-list rule (see the module doc).
    fn errors(
        &mut self,
        at: Place,
        old: &[ErrorCode],
        new: Vec<ErrorCode>,
        base: Base,
    ) -> Vec<ErrorCode> {
        if new.is_empty() {
            // No list at all means the import was run without the error inputs
            // (`--errorcodes`, `--action-errors`), not that every code was dropped.
            return old.to_vec();
        }
        let catalog = by_name(&new, |e| &e.code);
        let mut merged = Vec::with_capacity(old.len() + new.len());
        for error in old {
            match catalog.get(error.code.as_str()) {
                Some(listed) => merged.push(self.described(&at, error, listed)),
                None if base.had(&error.code) => {} // the catalog dropped it
                None => {
                    self.kept.push(Kept::ErrorCode {
                        at: at.clone(),
                        code: error.code.clone(),
                    });
                    merged.push(error.clone());
                }
            }
        }
        let file = by_name(old, |e| &e.code);
        for error in new {
            if file.contains_key(error.code.as_str()) {
                continue;
            }
            if base.had(&error.code) {
                self.kept.push(Kept::ErrorRemovedByHand {
                    at: at.clone(),
                    code: error.code,
                });
            } else {
                merged.push(error);
            }
        }
        merged
    }

    /// The file's entry for a code the catalog lists, with the catalog's description
    /// unless the file has its own.
    fn described(&mut self, at: &Place, error: &ErrorCode, listed: &ErrorCode) -> ErrorCode {
        if error.description.is_empty() {
            return listed.clone();
        }
        if listed.description != error.description {
            self.kept.push(Kept::ErrorDescription {
                at: at.clone(),
                code: error.code.clone(),
                catalog: listed.description.clone(),
            });
        }
        error.clone()
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
