//! Raw-body requests (`application/octet-stream`), which the schema marks `octet_stream`
//! (cls `UploadLog`): the body is bytes the API does not parse here, and the request's
//! members arrive as `X-<SERVICE>-<Member>` headers (`X-CLS-TopicId`), as the official Go
//! SDK sends them. They are rebuilt into the JSON object a JSON body would carry, typed by
//! the action's schema as form parameters are, so that validation reports a missing
//! member, an unknown one or a wrong type as it does for a JSON request. The signature
//! (`auth`) covers the raw body and the octet-stream Content-Type like any other.

use http::HeaderMap;
use serde_json::{Map, Value};

use crate::auth::{header_str, parse_authorization};
use crate::catalog::ActionRef;
use crate::envelope::{ApiError, code};
use crate::form;

const OCTET_STREAM: &str = "application/octet-stream";

/// Whether the body is declared `application/octet-stream` (any parameters after `;`).
pub fn is_octet_stream(headers: &HeaderMap) -> bool {
    header_str(headers, "content-type").is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case(OCTET_STREAM)
    })
}

/// The members of a raw-body request, from its `X-<SERVICE>-` headers.
pub fn members(action: ActionRef<'_>, headers: &HeaderMap) -> Result<Map<String, Value>, ApiError> {
    let prefix = prefix(&action.schema.service);
    let mut members = Map::new();
    for (name, value) in headers {
        let Some(wire) = name.as_str().strip_prefix(&prefix) else {
            continue;
        };
        // Header names arrive lower-cased: the member is found whatever its case.
        let header = format!("X-{}-{wire}", action.schema.service.to_ascii_uppercase());
        let member = (action.action.request.members.iter())
            .find(|member| member.name.eq_ignore_ascii_case(wire))
            .ok_or_else(|| {
                ApiError::new(
                    code::UNKNOWN_PARAMETER,
                    format!("The parameter `{header}` is not recognized."),
                )
            })?;
        if member.type_.starts_with("list<") || action.object_type(&member.type_).is_some() {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!(
                    "The parameter `{}` ({}) cannot be sent as the header `{header}`.",
                    member.name, member.type_
                ),
            ));
        }
        let text = value.to_str().map_err(|_| {
            ApiError::new(
                code::INVALID_PARAMETER_VALUE,
                format!("The header `{header}` is not visible ASCII."),
            )
        })?;
        if members
            .insert(
                member.name.clone(),
                form::scalar(&member.type_, text.to_owned()),
            )
            .is_some()
        {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!("The parameter `{}` is sent twice.", member.name),
            ));
        }
    }
    Ok(members)
}

/// The `X-<SERVICE>-*` headers of a raw-body request, for the request log: names as
/// received (lower-cased by HTTP), values as text. Empty for any other request, or when
/// the Authorization header names no service.
pub fn member_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    if !is_octet_stream(headers) {
        return Vec::new();
    }
    let service = header_str(headers, "authorization")
        .and_then(|value| parse_authorization(value).ok())
        .map(|authorization| authorization.service.to_owned());
    let Some(service) = service else {
        return Vec::new();
    };
    let prefix = prefix(&service);
    headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with(&prefix))
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// `x-<service>-`, as HTTP header names arrive.
fn prefix(service: &str) -> String {
    format!("x-{}-", service.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;
    use serde_json::json;

    use super::*;
    use crate::catalog::Catalog;

    const SCHEMA: &str = r#"{
      "service": "demo", "version": "2020-01-01", "host": "demo.tencentcloudapi.com",
      "actions": [{
        "name": "Upload", "octet_stream": true,
        "request": {"members": [
          {"name": "TopicId", "type": "string", "required": true},
          {"name": "Count", "type": "int64"},
          {"name": "Tags", "type": "list<string>"},
          {"name": "Filter", "type": "Filter"}
        ]},
        "response": {"members": []}
      }],
      "types": [{"name": "Filter", "members": [{"name": "Name", "type": "string"}]}]
    }"#;

    fn members_of(
        headers: &[(&'static str, &'static str)],
    ) -> Result<Map<String, Value>, ApiError> {
        let mut catalog = Catalog::default();
        catalog.add_json("demo.json", SCHEMA).unwrap();
        let action = catalog.action("demo", "2020-01-01", "Upload").unwrap();
        let mut map = HeaderMap::new();
        map.insert("content-type", HeaderValue::from_static(OCTET_STREAM));
        map.insert("x-tc-action", HeaderValue::from_static("Upload"));
        for (name, value) in headers {
            map.append(*name, HeaderValue::from_static(value));
        }
        members(action, &map)
    }

    #[test]
    fn member_headers_become_typed_members_whatever_their_case() {
        let members = members_of(&[("x-demo-topicid", "t-1"), ("X-DEMO-COUNT", "7")]).unwrap();
        assert_eq!(
            Value::Object(members),
            json!({"TopicId": "t-1", "Count": 7})
        );
    }

    #[test]
    fn unknown_repeated_and_structured_members_are_refused() {
        let unknown = members_of(&[("x-demo-nosuch", "1")]).unwrap_err();
        assert_eq!(unknown.code, code::UNKNOWN_PARAMETER);
        assert!(
            unknown.message.contains("X-DEMO-nosuch"),
            "{}",
            unknown.message
        );
        let twice = members_of(&[("x-demo-topicid", "a"), ("x-demo-topicid", "b")]).unwrap_err();
        assert_eq!(twice.code, code::INVALID_PARAMETER);
        for header in ["x-demo-tags", "x-demo-filter"] {
            let structured = members_of(&[(header, "x")]).unwrap_err();
            assert_eq!(structured.code, code::INVALID_PARAMETER, "{header}");
        }
    }
}
