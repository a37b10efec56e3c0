//! One API request, from the received bytes to the envelope, through the protocol checks
//! in the real API's order:
//!
//! 1-5. `auth`: Authorization, SecretId, timestamp, signature, token
//!      (or `Authorization: SKIP` for actions the schema marks `skip_sign`);
//! 6.   service (from the credential scope), version and action exist;
//! 7.   region present;
//! 8.   the action's rate limit for this SecretId;
//! 9.   parameters: a JSON object body, or form-urlencoded ones (`form`: a GET's query
//!      string or a form POST body), or, for a raw-body action (`octet_stream`), the
//!      `X-<SERVICE>-` headers beside an `application/octet-stream` body; each encoding
//!      only where it belongs; then `validate` against the action's request shape;
//! 10.  a write repeated with the `ClientToken` of one already applied gets the first
//!      answer back (`client_tokens`); otherwise
//! 11.  the behaviour model (`edgezone`, `sts`), or the schema example's response for
//!      unmodelled actions; for an action marked `server_sent_events`, unless it has a
//!      `Stream` member that the request did not set to true, the events its examples
//!      document (`sse`), to be streamed.

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::accounts::Account;
use crate::auth::{self, Received, header_str};
use crate::catalog::ActionRef;
use crate::client_tokens::Applied;
use crate::edgezone;
use crate::envelope::{ApiError, code, error_body, new_request_id, success_body};
use crate::form;
use crate::octet_stream;
use crate::sse;
use crate::state::Shared;
use crate::sts;
use crate::validate::validate_request;

/// The answer to send, with what the request log needs from it.
pub struct Answer {
    pub reply: Reply,
    /// The error code, `None` on success.
    pub code: Option<String>,
    pub request_id: String,
    /// A write repeated with the `ClientToken` of one already applied: not applied again.
    pub replayed: bool,
}

/// What an answer's body holds.
pub enum Reply {
    /// A JSON envelope.
    Envelope(Value),
    /// The events of a streamed answer (`text/event-stream`), each ending with a blank
    /// line; at least one.
    Events(Vec<Bytes>),
}

/// What the checks let through: an applied request, or a stream to send.
enum Outcome {
    Applied(Applied),
    /// The documented events (possibly none).
    Streamed(Vec<Bytes>),
}

impl Answer {
    pub fn error(error: &ApiError) -> Answer {
        let request_id = new_request_id();
        Answer {
            reply: Reply::Envelope(error_body(error, &request_id)),
            code: Some(error.code.clone()),
            request_id,
            replayed: false,
        }
    }
}

pub fn answer(shared: &Shared, request: &Received<'_>) -> Answer {
    match process(shared, request) {
        Ok(Outcome::Applied(Applied { members, replayed })) => {
            let request_id = new_request_id();
            Answer {
                reply: Reply::Envelope(success_body(members, &request_id)),
                code: None,
                request_id,
                replayed,
            }
        }
        Ok(Outcome::Streamed(mut events)) => {
            let request_id = new_request_id();
            if events.is_empty() {
                events.push(sse::request_id_event(&request_id));
            }
            Answer {
                reply: Reply::Events(events),
                code: None,
                request_id,
                replayed: false,
            }
        }
        Err(error) => Answer::error(&error),
    }
}

fn process(shared: &Shared, request: &Received<'_>) -> Result<Outcome, ApiError> {
    // The server refuses other methods before reading a body; this keeps the pipeline
    // correct on its own.
    if !is_supported_method(request.method) {
        return Err(unsupported_protocol(request.method));
    }
    let action_name = header_str(request.headers, "x-tc-action").unwrap_or_default();
    let version = header_str(request.headers, "x-tc-version").unwrap_or_default();

    let (caller, action) =
        if header_str(request.headers, "authorization") == Some("SKIP") {
            let action = shared.catalog.find_skip_sign(version, action_name)?.ok_or_else(|| {
            ApiError::new(
                code::INVALID_AUTHORIZATION,
                "`Authorization: SKIP` is accepted only for actions that are sent unsigned.",
            )
        })?;
            (None, action)
        } else {
            let authenticated =
                auth::authenticate(request, &shared.accounts, shared.clock.unix_secs())?;
            for (header, value) in [("X-TC-Action", action_name), ("X-TC-Version", version)] {
                if value.is_empty() {
                    return Err(missing(header));
                }
            }
            let action = shared
                .catalog
                .action(&authenticated.service, version, action_name)?;
            (Some(authenticated.account), action)
        };

    if header_str(request.headers, "x-tc-region").is_none_or(|region| region.trim().is_empty()) {
        return Err(missing("Region"));
    }

    if let (Some(limit), Some(account)) = (action.action.rate_limit, &caller) {
        let key = format!("{}/{}", action.schema.service, action.action.name);
        if !shared.rate_limiter.admit(&account.secret_id, &key, limit) {
            return Err(ApiError::new(
                code::REQUEST_LIMIT_EXCEEDED,
                format!(
                    "{} allows {limit} requests per second per SecretId.",
                    action.action.name
                ),
            ));
        }
    }

    let raw_body = octet_stream::is_octet_stream(request.headers);
    let params = if action.action.octet_stream {
        if request.method != "POST" || !raw_body {
            return Err(ApiError::new(
                code::INVALID_PARAMETER,
                format!(
                    "{} takes a POST with its body as `application/octet-stream` and its parameters as `X-{}-<Parameter>` headers.",
                    action.action.name,
                    action.schema.service.to_ascii_uppercase()
                ),
            ));
        }
        octet_stream::members(action, request.headers)?
    } else if raw_body {
        return Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!(
                "{} takes its parameters as JSON or form fields; `application/octet-stream` is only for actions that upload a raw body.",
                action.action.name
            ),
        ));
    } else if request.method == "GET" {
        form::decode(action, request.query.as_bytes())?
    } else if is_form(request.headers) {
        form::decode(action, request.body)?
    } else {
        parse_body(request.body)?
    };
    validate_request(action, &params)?;
    if streams(action, &params) {
        return Ok(Outcome::Streamed(sse::documented_events(action.action)));
    }
    let apply = || behave(shared, action, caller.as_ref(), &params);
    match &caller {
        Some(caller) => shared
            .client_tokens
            .apply_once(&caller.secret_id, action, &params, apply),
        None => apply().map(|members| Applied {
            members,
            replayed: false,
        }),
    }
    .map(Outcome::Applied)
}

/// Whether the answer is a stream: the action is marked `server_sent_events` and, if it
/// has a `Stream` member (the chat actions, whose default is one JSON answer), the request
/// set it to true.
fn streams(action: ActionRef<'_>, params: &Map<String, Value>) -> bool {
    let has_switch = action
        .action
        .request
        .members
        .iter()
        .any(|member| member.name == STREAM_MEMBER);
    action.action.server_sent_events
        && (!has_switch || params.get(STREAM_MEMBER) == Some(&Value::Bool(true)))
}

/// The request member that turns streaming on, where an action has one.
const STREAM_MEMBER: &str = "Stream";

/// API 3.0 takes GET (parameters in the query string) and POST.
pub fn is_supported_method(method: &str) -> bool {
    matches!(method, "GET" | "POST")
}

pub fn unsupported_protocol(method: &str) -> ApiError {
    ApiError::new(
        code::UNSUPPORTED_PROTOCOL,
        format!("The HTTP method {method} is not supported; use GET or POST."),
    )
}

/// A POST whose body is `application/x-www-form-urlencoded` (any parameters after `;`).
fn is_form(headers: &http::HeaderMap) -> bool {
    header_str(headers, "content-type").is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or_default().trim();
        media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(ApiError::new(
            code::INVALID_PARAMETER,
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::new(
            code::INVALID_PARAMETER,
            format!("The request body is not valid JSON: {e}."),
        )),
    }
}

fn behave(
    shared: &Shared,
    action: ActionRef<'_>,
    caller: Option<&Account>,
    params: &Map<String, Value>,
) -> Result<Map<String, Value>, ApiError> {
    let name = action.action.name.as_str();
    let now = shared.clock.now();
    let modelled_result = match (
        action.schema.service.as_str(),
        action.schema.version.as_str(),
    ) {
        (edgezone::SERVICE, edgezone::VERSION) => {
            caller.and_then(|caller| shared.edgezone.call(name, caller, params, now))
        }
        (sts::SERVICE, sts::VERSION) => {
            sts::call(name, caller, params, now, shared.issued_credential_lifetime)
        }
        _ => None,
    };
    modelled_result.unwrap_or_else(|| Ok(example_response(action)))
}

/// The members of the action's first documented response, without its RequestId. A
/// streaming action's JSON answer skips the examples that are event transcripts.
fn example_response(action: ActionRef<'_>) -> Map<String, Value> {
    let example = action
        .action
        .examples
        .iter()
        .find(|example| !sse::is_transcript(&example.response));
    let parsed = example.and_then(|e| serde_json::from_str::<Value>(&e.response).ok());
    match parsed {
        Some(Value::Object(mut document)) => match document.remove("Response") {
            Some(Value::Object(mut members)) => {
                members.remove("RequestId");
                members
            }
            _ => Map::new(),
        },
        _ => Map::new(),
    }
}

fn missing(parameter: &str) -> ApiError {
    ApiError::new(
        code::MISSING_PARAMETER,
        format!("The request is missing a required parameter `{parameter}`."),
    )
}
