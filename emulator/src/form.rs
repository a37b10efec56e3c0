//! Parameters sent form-urlencoded, as a GET's query string or an
//! `application/x-www-form-urlencoded` POST body (the official SDKs do both with
//! `reqMethod`): flattened names such as `Filters.0.Values.1`, every value text. They are
//! rebuilt into the JSON object a JSON body would have carried, typed by the action's
//! schema, so that validation and the behaviour models see one shape whatever the encoding.
//! Values that do not convert stay strings, and `validate` then names the member and the
//! type it wanted.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};
use tencent_cloud_schema::model::Member;

use crate::catalog::ActionRef;
use crate::envelope::{ApiError, code};

/// The request's parameters, or the first name that does not fit the action's schema.
pub fn decode(action: ActionRef<'_>, text: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let mut root = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(text) {
        let segments: Vec<&str> = name.split('.').collect();
        insert_member(
            action,
            &action.action.request.members,
            &mut root,
            &segments,
            "",
            value.into_owned(),
        )?;
    }
    Ok(object(root))
}

/// A parameter tree while it is being filled; lists are keyed by index so that the
/// elements may come in any order.
enum Node {
    Leaf(Value),
    List(BTreeMap<usize, Node>),
    Object(BTreeMap<String, Node>),
}

fn insert_member(
    action: ActionRef<'_>,
    members: &[Member],
    object: &mut BTreeMap<String, Node>,
    segments: &[&str],
    prefix: &str,
    value: String,
) -> Result<(), ApiError> {
    let (name, rest) = segments.split_first().unwrap_or((&"", &[]));
    let path = format!("{prefix}{name}");
    let member = members.iter().find(|m| m.name == *name).ok_or_else(|| {
        ApiError::new(
            code::UNKNOWN_PARAMETER,
            format!("The parameter `{path}` is not recognized."),
        )
    })?;
    let slot = object.entry(member.name.clone());
    insert_typed(action, &member.type_, slot, rest, &path, value)
}

fn insert_typed(
    action: ActionRef<'_>,
    type_: &str,
    slot: std::collections::btree_map::Entry<'_, impl Ord, Node>,
    rest: &[&str],
    path: &str,
    value: String,
) -> Result<(), ApiError> {
    use std::collections::btree_map::Entry;
    if let Some(element) = type_
        .strip_prefix("list<")
        .and_then(|t| t.strip_suffix('>'))
    {
        let (index_text, rest) = rest.split_first().ok_or_else(|| {
            invalid(format!(
                "The list parameter `{path}` must be sent as `{path}.0`, `{path}.1`, ..."
            ))
        })?;
        let index: usize = index_text.parse().map_err(|_| {
            invalid(format!(
                "`{path}.{index_text}`: `{index_text}` is not a list index."
            ))
        })?;
        let node = slot.or_insert_with(|| Node::List(BTreeMap::new()));
        let Node::List(items) = node else {
            return Err(invalid(format!("The parameter `{path}` is sent twice.")));
        };
        let item_path = format!("{path}.{index}");
        return insert_typed(action, element, items.entry(index), rest, &item_path, value);
    }
    if let Some(object_type) = action.object_type(type_) {
        if rest.is_empty() {
            return Err(invalid(format!(
                "The object parameter `{path}` must be sent member by member, as `{path}.<Name>`."
            )));
        }
        let node = slot.or_insert_with(|| Node::Object(BTreeMap::new()));
        let Node::Object(members) = node else {
            return Err(invalid(format!("The parameter `{path}` is sent twice.")));
        };
        return insert_member(
            action,
            &object_type.members,
            members,
            rest,
            &format!("{path}."),
            value,
        );
    }
    if let Some(extra) = rest.first() {
        return Err(invalid(format!(
            "`{path}.{extra}`: `{path}` is a single value, not a list or object."
        )));
    }
    match slot {
        Entry::Vacant(vacant) => {
            vacant.insert(Node::Leaf(scalar(type_, value)));
            Ok(())
        }
        Entry::Occupied(_) => Err(invalid(format!("The parameter `{path}` is sent twice."))),
    }
}

/// The JSON value a JSON body would carry for `text`, or the text itself when it does not
/// convert (validation then reports the type it wanted).
pub fn scalar(type_: &str, text: String) -> Value {
    let converted = match type_ {
        "int64" | "uint64" => text
            .parse::<i64>()
            .map(Number::from)
            .or_else(|_| text.parse::<u64>().map(Number::from))
            .ok()
            .map(Value::Number),
        "float" => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number),
        // Python's urlencode sends True and False.
        "bool" => match text.to_ascii_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        _ => None,
    };
    converted.unwrap_or(Value::String(text))
}

fn object(members: BTreeMap<String, Node>) -> Map<String, Value> {
    members
        .into_iter()
        .map(|(name, node)| (name, value(node)))
        .collect()
}

/// Lists keep their elements in index order; a gap (`Ip.0`, `Ip.2`) leaves a null that
/// validation reports under the missing index's path.
fn value(node: Node) -> Value {
    match node {
        Node::Leaf(value) => value,
        Node::Object(members) => Value::Object(object(members)),
        Node::List(items) => {
            let mut list = Vec::with_capacity(items.len());
            for (index, item) in items {
                if index > list.len() {
                    // A gap: stop here rather than allocate up to an index a client chose.
                    list.push(Value::Null);
                    break;
                }
                list.push(value(item));
            }
            Value::Array(list)
        }
    }
}

fn invalid(message: String) -> ApiError {
    ApiError::new(code::INVALID_PARAMETER, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use serde_json::json;

    const SCHEMA: &str = r#"{
      "service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com",
      "actions": [{
        "name": "Act",
        "request": {"members": [
          {"name": "Name", "type": "string"},
          {"name": "Count", "type": "int64"},
          {"name": "Size", "type": "uint64"},
          {"name": "Ratio", "type": "float"},
          {"name": "On", "type": "bool"},
          {"name": "Ids", "type": "list<string>"},
          {"name": "Filters", "type": "list<Filter>"},
          {"name": "Owner", "type": "Filter"}
        ]},
        "response": {"members": []}
      }],
      "types": [{"name": "Filter", "members": [
        {"name": "Name", "type": "string", "required": true},
        {"name": "Values", "type": "list<string>"}
      ]}]
    }"#;

    fn decode_text(text: &str) -> Result<Value, ApiError> {
        let mut catalog = Catalog::default();
        catalog.add_json("demo.json", SCHEMA).unwrap();
        let action = catalog.action("demo", "2020-01-01", "Act").unwrap();
        decode(action, text.as_bytes()).map(Value::Object)
    }

    #[test]
    fn rebuilds_the_json_shape() {
        let decoded = decode_text(
            "Name=a+b%26c&Count=-3&Size=18446744073709551615&Ratio=0.5&On=True\
             &Ids.1=y&Ids.0=x&Filters.0.Name=zone&Filters.0.Values.0=z1\
             &Filters.1.Name=state&Owner.Name=me",
        )
        .unwrap();
        assert_eq!(
            decoded,
            json!({
                "Name": "a b&c", "Count": -3, "Size": 18446744073709551615u64, "Ratio": 0.5,
                "On": true, "Ids": ["x", "y"],
                "Filters": [{"Name": "zone", "Values": ["z1"]}, {"Name": "state"}],
                "Owner": {"Name": "me"}
            })
        );
        assert_eq!(decode_text("").unwrap(), json!({}));
    }

    #[test]
    fn unconvertible_values_stay_text_for_validation() {
        assert_eq!(
            decode_text("Count=ten&On=maybe&Ratio=x").unwrap(),
            json!({"Count": "ten", "On": "maybe", "Ratio": "x"})
        );
        // A gap in a list leaves a null at the missing index, and nothing beyond it.
        assert_eq!(
            decode_text("Ids.0=a&Ids.99999999=b").unwrap(),
            json!({"Ids": ["a", null]})
        );
    }

    #[test]
    fn names_that_do_not_fit_the_schema() {
        for (text, code) in [
            ("Bogus=1", code::UNKNOWN_PARAMETER),
            ("Filters.0.Bogus=1", code::UNKNOWN_PARAMETER),
            ("Ids=a", code::INVALID_PARAMETER),
            ("Ids.x=a", code::INVALID_PARAMETER),
            ("Count.0=1", code::INVALID_PARAMETER),
            ("Owner=me", code::INVALID_PARAMETER),
            ("Count=1&Count=2", code::INVALID_PARAMETER),
            ("Ids.0=a&Ids.0=b", code::INVALID_PARAMETER),
        ] {
            let error = decode_text(text).unwrap_err();
            assert_eq!(error.code, code, "{text}: {}", error.message);
        }
        let error = decode_text("Filters.0.Values.x=1").unwrap_err();
        assert!(
            error.message.contains("`Filters.0.Values.x`"),
            "{}",
            error.message
        );
    }
}
