//! Adding one string member to an already serialised JSON object, without decoding and
//! re-encoding it: a `serde_json::Value` round trip would cost a second encoding of every
//! body it touches.

/// `object` with `"<name>": "<value>"` added as its first member; `None` if `object` is
/// not a JSON object (after leading whitespace). The caller makes sure `name` is not a
/// member already: a duplicate would be refused by our own decoders.
pub(crate) fn with_string_member(object: &str, name: &str, value: &str) -> Option<String> {
    let members = object.trim_start().strip_prefix('{')?;
    let name = serde_json::to_string(name).ok()?;
    let value = serde_json::to_string(value).ok()?;
    let mut spliced = String::with_capacity(object.len() + name.len() + value.len() + 3);
    spliced.push('{');
    spliced.push_str(&name);
    spliced.push(':');
    spliced.push_str(&value);
    if !members.trim_start().starts_with('}') {
        spliced.push(',');
    }
    spliced.push_str(members);
    Some(spliced)
}

#[cfg(test)]
mod tests {
    use super::with_string_member;

    #[test]
    fn adds_the_member_first_and_keeps_the_rest_as_it_was() {
        let spliced = with_string_member(r#" {"A": 1, "B": [2]}"#, "RequestId", "r-1").unwrap();
        assert_eq!(spliced, r#"{"RequestId":"r-1","A": 1, "B": [2]}"#);
        let value: serde_json::Value = serde_json::from_str(&spliced).unwrap();
        assert_eq!(value["A"], 1);
    }

    #[test]
    fn an_empty_object_gets_no_trailing_comma_and_values_are_escaped() {
        assert_eq!(
            with_string_member("{ }", "ClientToken", "a\"b").unwrap(),
            r#"{"ClientToken":"a\"b" }"#
        );
        let spliced = with_string_member("{}", "ClientToken", "t").unwrap();
        assert_eq!(spliced, r#"{"ClientToken":"t"}"#);
    }

    #[test]
    fn anything_but_an_object_is_refused() {
        for not_object in ["[1]", "\"s\"", "", "null"] {
            assert_eq!(
                with_string_member(not_object, "A", "b"),
                None,
                "{not_object}"
            );
        }
    }
}
