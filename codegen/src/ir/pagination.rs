//! Which actions are list actions, and so get a paginator.
//!
//! The rule: the request has integer (`int64` or `uint64`) members `Offset` and
//! `Limit`, and the response has an integer `TotalCount` and exactly one `list<T>`
//! member, the page. That is the shape of the catalog's `Describe*` list actions;
//! anything else (cursor tokens, two lists) is left to the caller.

use super::{Field, Pagination, Primitive, TypeRef};

pub(super) fn pagination(request: &[Field], response: &[Field]) -> Option<Pagination> {
    let offset = integer(request, "Offset")?;
    integer(request, "Limit")?;
    let total_count = integer(response, "TotalCount")?;
    let mut lists = response.iter().filter_map(|f| match &f.ty {
        TypeRef::List(item) => Some((f, item)),
        _ => None,
    });
    let (items, item) = lists.next()?;
    if lists.next().is_some() {
        return None;
    }
    Some(Pagination {
        offset: offset.ident.clone(),
        total_count: total_count.clone(),
        items: items.clone(),
        item: (**item).clone(),
    })
}

fn integer<'a>(fields: &'a [Field], wire: &str) -> Option<&'a Field> {
    fields.iter().find(|f| {
        f.wire == wire
            && matches!(
                f.ty,
                TypeRef::Primitive(Primitive::Int64 | Primitive::Uint64)
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(wire: &str, ty: TypeRef) -> Field {
        Field {
            wire: wire.to_owned(),
            ident: wire.to_lowercase(),
            doc: String::new(),
            ty,
            optional: true,
            boxed: false,
            sensitive: false,
        }
    }

    fn int(wire: &str) -> Field {
        field(wire, TypeRef::Primitive(Primitive::Int64))
    }

    fn list(wire: &str) -> Field {
        field(
            wire,
            TypeRef::List(Box::new(TypeRef::Object("IpInfo".into()))),
        )
    }

    #[test]
    fn offset_limit_total_count_and_one_list_is_a_list_action() {
        let request = [
            field("Zone", TypeRef::Primitive(Primitive::String)),
            int("Offset"),
            int("Limit"),
        ];
        let response = [int("TotalCount"), list("IpInfoSet")];
        let pagination = pagination(&request, &response).expect("paginated");
        assert_eq!(pagination.offset, "offset");
        assert_eq!(pagination.total_count.wire, "TotalCount");
        assert_eq!(pagination.items.wire, "IpInfoSet");
        assert_eq!(pagination.item, TypeRef::Object("IpInfo".into()));
    }

    #[test]
    fn anything_else_is_not() {
        let request = [int("Offset"), int("Limit")];
        let string_offset = [
            field("Offset", TypeRef::Primitive(Primitive::String)),
            int("Limit"),
        ];
        let response = [int("TotalCount"), list("Items")];
        assert!(pagination(&request, &[int("TotalCount"), list("A"), list("B")]).is_none());
        assert!(pagination(&request, &[int("TotalCount")]).is_none());
        assert!(pagination(&request, &[list("Items")]).is_none());
        assert!(pagination(&[int("Offset")], &response).is_none());
        assert!(pagination(&string_offset, &response).is_none());
    }
}
