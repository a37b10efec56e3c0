//! Graph questions about object types: which fields close a recursive cycle, and
//! which types are reachable from requests or responses.

use std::collections::BTreeSet;

use super::Primitive;

/// A resolved member type, with objects and enums by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Ty {
    Primitive(Primitive),
    List(Box<Ty>),
    Object(usize),
    Enum(usize),
}

impl Ty {
    fn target(&self) -> &Ty {
        match self {
            Ty::List(inner) => inner.target(),
            other => other,
        }
    }
}

/// The fields of each object, `None` for members that are not generated (disabled).
pub(super) type Objects = [Vec<Option<Ty>>];

/// `(object, field)` pairs whose field must be boxed: a depth-first search over direct
/// (non-list) object fields in index order boxes each edge back to an object still on
/// the stack, which breaks every cycle of inline fields. Lists need no box: `Vec` is
/// already a pointer.
pub(super) fn back_edges(objects: &Objects) -> BTreeSet<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    fn visit(
        node: usize,
        objects: &Objects,
        state: &mut [State],
        boxed: &mut BTreeSet<(usize, usize)>,
    ) {
        state[node] = State::OnStack;
        for (field, ty) in objects[node].iter().enumerate() {
            if let Some(Ty::Object(target)) = ty {
                let target = *target;
                match state[target] {
                    State::OnStack => {
                        boxed.insert((node, field));
                    }
                    State::New => visit(target, objects, state, boxed),
                    State::Done => {}
                }
            }
        }
        state[node] = State::Done;
    }

    let mut state = vec![State::New; objects.len()];
    let mut boxed = BTreeSet::new();
    for node in 0..objects.len() {
        if state[node] == State::New {
            visit(node, objects, &mut state, &mut boxed);
        }
    }
    boxed
}

/// Objects and enums reachable from `roots` (through lists and nested objects), as
/// flags indexed like `objects` and the enums.
pub(super) fn reachable<'a>(
    objects: &Objects,
    enum_count: usize,
    roots: impl IntoIterator<Item = &'a Ty>,
) -> (Vec<bool>, Vec<bool>) {
    let mut seen_objects = vec![false; objects.len()];
    let mut seen_enums = vec![false; enum_count];
    let mut stack: Vec<&Ty> = roots.into_iter().collect();
    while let Some(ty) = stack.pop() {
        match *ty.target() {
            Ty::Object(index) if !seen_objects[index] => {
                seen_objects[index] = true;
                stack.extend(objects[index].iter().flatten());
            }
            Ty::Enum(index) => seen_enums[index] = true,
            _ => {}
        }
    }
    (seen_objects, seen_enums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_broken_once_and_lists_are_not_boxed() {
        // 0 -> 1 -> 0 inline, 2 -> 2 through a list, 3 -> 3 inline.
        let objects = vec![
            vec![Some(Ty::Object(1))],
            vec![Some(Ty::Primitive(Primitive::String)), Some(Ty::Object(0))],
            vec![Some(Ty::List(Box::new(Ty::Object(2))))],
            vec![None, Some(Ty::Object(3))],
        ];
        assert_eq!(back_edges(&objects), BTreeSet::from([(1, 1), (3, 1)]));
        let (objects_seen, enums_seen) =
            reachable(&objects, 1, &[Ty::List(Box::new(Ty::Object(1)))]);
        assert_eq!(objects_seen, [true, true, false, false]);
        assert_eq!(enums_seen, [false]);
    }
}
