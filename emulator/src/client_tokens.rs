//! Writes deduplicated by `ClientToken`, as the real API does: a write whose action has a
//! string `ClientToken` member, sent again with the same non-empty token by the same
//! SecretId, is not applied again; its first answer is replayed. This is what makes a
//! write that timed out safe to retry (the SDK fills an unset token with a UUID).
//!
//! Only successes are remembered (a failed write applied nothing to replay), at most
//! [`MAX_TOKENS`] of them, the oldest forgotten first, so a long-running emulator stays
//! small whatever clients send.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use serde_json::{Map, Value};

use crate::catalog::ActionRef;

/// The most tokens remembered.
pub const MAX_TOKENS: usize = 10_000;

/// SecretId, service, version, action, token.
type Key = (String, String, String, String, String);

#[derive(Debug, Default)]
pub struct ClientTokens {
    inner: Mutex<Remembered>,
}

#[derive(Debug, Default)]
struct Remembered {
    answers: HashMap<Key, Map<String, Value>>,
    order: VecDeque<Key>,
}

/// The outcome of a write, and whether it is the replay of an earlier one.
pub struct Applied {
    pub members: Map<String, Value>,
    pub replayed: bool,
}

impl ClientTokens {
    /// Runs `apply` once per (SecretId, action, token): a repeat gets the first success
    /// back. Holds the store while `apply` runs, so two concurrent requests with one
    /// token apply it once.
    pub fn apply_once<E>(
        &self,
        secret_id: &str,
        action: ActionRef<'_>,
        params: &Map<String, Value>,
        apply: impl FnOnce() -> Result<Map<String, Value>, E>,
    ) -> Result<Applied, E> {
        let token = params
            .get("ClientToken")
            .and_then(Value::as_str)
            .filter(|token| !token.is_empty() && has_client_token(action));
        let Some(token) = token else {
            return apply().map(|members| Applied {
                members,
                replayed: false,
            });
        };
        let key = (
            secret_id.to_owned(),
            action.schema.service.clone(),
            action.schema.version.clone(),
            action.action.name.clone(),
            token.to_owned(),
        );
        let mut remembered = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(members) = remembered.answers.get(&key) {
            return Ok(Applied {
                members: members.clone(),
                replayed: true,
            });
        }
        let members = apply()?;
        if remembered.order.len() >= MAX_TOKENS
            && let Some(oldest) = remembered.order.pop_front()
        {
            remembered.answers.remove(&oldest);
        }
        remembered.order.push_back(key.clone());
        remembered.answers.insert(key, members.clone());
        Ok(Applied {
            members,
            replayed: false,
        })
    }
}

/// Whether the action's request has a string `ClientToken` member, as the SDK's codegen
/// decides it.
fn has_client_token(action: ActionRef<'_>) -> bool {
    (action.action.request.members.iter())
        .any(|member| member.name == "ClientToken" && member.type_ == "string")
}
