//! The `# Example` of a `Client` method's rustdoc: the action's documented example
//! request, written as a call of its builder.
//!
//! Only what compiles goes in. A member the request does not have, or whose JSON value
//! does not have the member's type (a string for an `int64`, an object for a list), is
//! left out, and so are nulls, empty lists and objects, and lists of lists (an inner
//! list would have to be a `Vec` of exactly its element type, which `["a"]` is not). An
//! action whose examples have no request body that is a JSON object gets no example:
//! a call without its parameters would show nothing true.
//!
//! It is kept short: it is there to show how a call is written, the API reference has
//! every parameter, and the catalog repeats it for some 7,000 actions (3 MB of docs). A
//! list shows at most `MAX_ELEMENTS` elements, objects nest at most `MAX_DEPTH` deep, a
//! call or object has at most `MAX_SETTERS` setters, and the call at most `MAX_LINES`
//! lines (about a screen), kept by leaving out the setters that do not fit. Lines are
//! laid out as rustfmt would, by prettyplease.

use serde_json::{Map, Value};

use crate::ir::{Action, Field, Primitive, Service, TypeRef};

const MAX_ELEMENTS: usize = 3;
const MAX_DEPTH: usize = 2;
const MAX_SETTERS: usize = 12;
const MAX_LINES: usize = 40;

/// The Markdown lines of the section, or `None` without an example request body.
pub fn section(service: &Service, action: &Action) -> Option<Vec<String>> {
    let body = action.example.as_ref()?;
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        "```no_run".to_owned(),
        format!(
            "# use tencent_cloud::{}::{}::*;",
            service.module, service.version_module
        ),
        "# async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {"
            .to_owned(),
    ];
    let mut setters = setters(service, &action.request.fields, body, 0);
    if action.octet_stream {
        // The raw body is never in the documented example: show where it goes.
        lines.push("# let body: Vec<u8> = Vec::new();".to_owned());
        setters.insert(0, format!(".{}(body)", crate::ir::naming::RAW_BODY_SETTER));
    }
    lines.extend(short_call(&action.method, setters)?);
    lines.extend(["# let _ = response;", "# Ok(())", "# }", "```"].map(str::to_owned));
    Some(lines)
}

/// `call` with as many of `setters`, in order, as fit in `MAX_LINES`.
fn short_call(method: &str, setters: Vec<String>) -> Option<Vec<String>> {
    let all = call(method, &setters)?;
    if all.len() <= MAX_LINES {
        return Some(all);
    }
    let mut kept = Vec::new();
    for setter in setters {
        kept.push(setter);
        if call(method, &kept)?.len() > MAX_LINES {
            kept.pop();
        }
    }
    call(method, &kept)
}

/// `let response = client.<method>()<setters>.send().await?;`, one method a line. An
/// argument too long for its line is broken as rustfmt would break it, by prettyplease.
fn call(method: &str, setters: &[String]) -> Option<Vec<String>> {
    let code = format!(
        "fn f() {{ let response = client.{method}(){}.send().await?; }}",
        setters.concat()
    );
    // The text is made of identifiers from the IR and literals formatted by Rust, so it
    // parses; were it not to, no example is better than a wrong one.
    let formatted = prettyplease::unparse(&syn::parse_file(&code).ok()?);
    // `fn f() {`, the statement indented by four spaces, `}`.
    let lines: Vec<&str> = formatted.lines().collect();
    let statement = lines.get(1..lines.len().saturating_sub(1))?;
    if let [_one_line] = statement {
        let mut lines = vec![
            "let response = client".to_owned(),
            format!("    .{method}()"),
        ];
        lines.extend(setters.iter().map(|setter| format!("    {setter}")));
        lines.extend(["    .send()".to_owned(), "    .await?;".to_owned()]);
        return Some(lines);
    }
    Some(
        statement
            .iter()
            .map(|line| line.strip_prefix("    ").unwrap_or(line).to_owned())
            .collect(),
    )
}

/// `.member(value)` for each of `fields` that `body` gives a usable value, in the
/// fields' order (the schema's, whatever the order of the example's JSON).
fn setters(
    service: &Service,
    fields: &[Field],
    body: &Map<String, Value>,
    depth: usize,
) -> Vec<String> {
    fields
        .iter()
        .filter_map(|field| {
            let value = expression(service, &field.ty, body.get(&field.wire)?, depth)?;
            Some(format!(".{}({value})", field.ident))
        })
        .take(MAX_SETTERS)
        .collect()
}

/// `value` as an argument of a setter taking `impl Into<T>` (`IntoIterator<Item = impl
/// Into<T>>` for a list) of `ty`; `None` when it does not fit.
fn expression(service: &Service, ty: &TypeRef, value: &Value, depth: usize) -> Option<String> {
    match (ty, value) {
        (TypeRef::Primitive(primitive), _) => scalar(*primitive, value),
        (TypeRef::Enum(name), Value::String(text)) => Some(format!("{name}::from({text:?})")),
        (TypeRef::Object(name), Value::Object(members)) if depth < MAX_DEPTH => {
            let object = service
                .objects
                .iter()
                .find(|object| &object.ident == name)?;
            let setters = setters(service, &object.fields, members, depth + 1);
            (!setters.is_empty()).then(|| format!("{name}::default(){}", setters.concat()))
        }
        (TypeRef::List(inner), Value::Array(items)) if !matches!(**inner, TypeRef::List(_)) => {
            let items: Vec<String> = items
                .iter()
                .filter_map(|item| expression(service, inner, item, depth))
                .take(MAX_ELEMENTS)
                .collect();
            (!items.is_empty()).then(|| format!("[{}]", items.join(", ")))
        }
        _ => None,
    }
}

/// A literal of the setter's exact type: integers and floats carry their suffix, so that
/// `impl Into<i64>` is not asked to take an `i32`.
fn scalar(primitive: Primitive, value: &Value) -> Option<String> {
    match (primitive, value) {
        (
            Primitive::String | Primitive::DateTime | Primitive::DateTimeIso | Primitive::Date,
            Value::String(text),
        ) => Some(format!("{text:?}")),
        (Primitive::Int64, Value::Number(number)) => number.as_i64().map(|n| format!("{n}i64")),
        (Primitive::Uint64, Value::Number(number)) => number.as_u64().map(|n| format!("{n}u64")),
        (Primitive::Float, Value::Number(number)) => number.as_f64().map(|n| {
            let digits = format!("{n:?}");
            format!("{}f64", digits.strip_suffix(".0").unwrap_or(&digits))
        }),
        (Primitive::Bool, Value::Bool(flag)) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir;
    use crate::schema::{self, LoadedSchema};

    /// A service whose one action's example has every kind of value, and values that do
    /// not fit.
    fn service(body: &str) -> Service {
        let request = format!(
            "POST / HTTP/1.1\nHost: shop.tencentcloudapi.com\nX-TC-Action: BuyThings\n\n{body}"
        );
        let json = serde_json::json!({
            "service": "as",
            "version": "2024-01-01",
            "host": "as.intl.tencentcloudapi.com",
            "actions": [{
                "name": "BuyThings",
                "request": { "members": [
                    { "name": "ShopId", "type": "string", "required": true },
                    { "name": "Type", "type": "Kind" },
                    { "name": "Names", "type": "list<string>" },
                    { "name": "Filters", "type": "list<Filter>" },
                    { "name": "Limit", "type": "int64" },
                    { "name": "Count", "type": "uint64" },
                    { "name": "Ratio", "type": "float" },
                    { "name": "Price", "type": "float" },
                    { "name": "Retry", "type": "bool" },
                    { "name": "At", "type": "datetime" },
                    { "name": "Matrix", "type": "list<list<string>>" },
                    { "name": "Root", "type": "Node" },
                    { "name": "Empty", "type": "list<string>" },
                    { "name": "Nothing", "type": "string" }
                ] },
                "response": { "members": [] },
                "examples": [
                    { "request": "https://as.tencentcloudapi.com/?Action=BuyThings&ShopId=1", "response": "{}" },
                    { "request": request, "response": "{}" }
                ]
            }],
            "types": [
                { "name": "Filter", "members": [
                    { "name": "Name", "type": "string" },
                    { "name": "Values", "type": "list<string>" }
                ] },
                { "name": "Node", "members": [
                    { "name": "Name", "type": "string" },
                    { "name": "Parent", "type": "Node" }
                ] }
            ],
            "enums": [{ "name": "Kind", "values": [{ "value": "big" }] }]
        });
        let file = "schema/as/2024-01-01.json";
        let schema = schema::parse(file, &json.to_string()).unwrap();
        ir::build(&LoadedSchema {
            file: file.to_owned(),
            schema,
        })
        .unwrap()
    }

    fn example(body: &str) -> Option<String> {
        let service = service(body);
        section(&service, &service.actions[0]).map(|lines| lines.join("\n"))
    }

    #[test]
    fn the_example_request_becomes_a_call_of_the_builder() {
        let body = r#"{
            "Ratio": 1.5, "Price": 100, "ShopId": "shop-\"1\"\n", "Type": "big",
            "Names": ["a", "b", "c", "d"], "Filters": [{"Name": "zone", "Values": ["ap-beijing"]}],
            "Limit": -20, "Count": 18446744073709551615, "Retry": true, "At": "2020-06-09 23:12:23",
            "Matrix": [["a"]], "Root": {"Name": "a", "Parent": {"Name": "b", "Parent": {"Name": "c"}}},
            "Empty": [], "Nothing": null, "Unknown": 1
        }"#;
        assert_eq!(
            example(body).unwrap(),
            r#"# Example

```no_run
# use tencent_cloud::r#as::v20240101::*;
# async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
let response = client
    .buy_things()
    .shop_id("shop-\"1\"\n")
    .r#type(Kind::from("big"))
    .names(["a", "b", "c"])
    .filters([Filter::default().name("zone").values(["ap-beijing"])])
    .limit(-20i64)
    .count(18446744073709551615u64)
    .ratio(1.5f64)
    .price(100f64)
    .retry_(true)
    .at("2020-06-09 23:12:23")
    .root(Node::default().name("a").parent(Node::default().name("b")))
    .send()
    .await?;
# let _ = response;
# Ok(())
# }
```"#
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_left_out() {
        let body = r#"{"ShopId": 1, "Type": ["big"], "Names": "a", "Filters": [{"Name": 1}, {"Values": ["x"]}],
            "Limit": "20", "Count": -1, "Ratio": "1.5", "Retry": "true", "Root": []}"#;
        let call: Vec<String> = example(body)
            .unwrap()
            .lines()
            .filter(|line| line.starts_with("    ."))
            .map(str::to_owned)
            .collect();
        assert_eq!(
            call,
            [
                "    .buy_things()",
                "    .filters([Filter::default().values([\"x\"])])",
                "    .send()",
                "    .await?;"
            ]
        );
    }

    #[test]
    fn a_long_call_keeps_the_setters_that_fit() {
        let long = "x".repeat(60);
        let body = serde_json::json!({
            "ShopId": "s",
            "Names": [long, long, long],
            "Filters": [
                {"Name": long, "Values": [long, long, long]},
                {"Name": long, "Values": [long, long, long]},
                {"Name": long, "Values": [long, long, long]}
            ],
            "Root": {"Name": long, "Parent": {"Name": long}},
            "Limit": 1
        });
        let example = example(&body.to_string()).unwrap();
        let call: Vec<&str> = example
            .lines()
            .skip_while(|line| !line.starts_with("let response"))
            .take_while(|line| !line.starts_with('#'))
            .collect();
        assert!(call.len() <= MAX_LINES, "{example}");
        let setters: Vec<&str> = call
            .iter()
            .filter_map(|line| line.strip_prefix("    ."))
            .collect();
        assert_eq!(
            setters,
            [
                "buy_things()",
                "shop_id(\"s\")",
                "names([",
                "filters([",
                "limit(1i64)",
                "send()",
                "await?;"
            ]
        );
    }

    #[test]
    fn a_body_that_is_no_json_object_gives_no_example() {
        assert_eq!(example("[1]"), None);
        assert_eq!(example("{\"ShopId\": "), None);
        assert!(
            example("{}")
                .unwrap()
                .contains("    .buy_things()\n    .send()\n")
        );
    }
}
