//! Any action by name: for actions newer than the generated services, or for tools that
//! take the action from their input, as every official SDK's `CommonClient` does.
//!
//! A call by name goes through the same [`ServiceClient`] as a generated one (credentials,
//! signing, retries, clock-skew correction, timeouts, rate limiting, tracing, redaction);
//! only what generated code declares at compile time is given at run time instead:
//!
//! - the service, version and action names, checked before anything is signed (they go
//!   into the credential scope, the host and headers);
//! - whether the call may be repeated: a read (`Describe*`, `Get*`, `List*`, `Query*`,
//!   the rule codegen applies) or a call the caller marks
//!   [`safe_to_repeat`](CommonRequest::safe_to_repeat) is retried after a timeout,
//!   `InternalError` or a gateway's 5xx page; any other call only where nothing was
//!   processed;
//! - the rate limit: the config's limit for the action if it sets one, else the one given
//!   with [`rate_limit`](CommonRequest::rate_limit), else none.
//!
//! The runtime holds its declarations as `&'static` data, so each distinct service
//! version and action called by name is declared once, for the life of the process, and
//! reused by every later call: the memory this takes grows with the number of distinct
//! names an application calls, not with the number of calls.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{CallOptions, Repeat, ServiceClient};
use crate::config::Config;
use crate::error::{CommonError, ErrorKind, InvalidRequest, SdkError};
use crate::operation::{ActionInfo, ServiceInfo};

/// What `X-TC-Action` is called while the action's name is not yet known to be valid.
const UNCHECKED_ACTION: &str = "(action by name)";

/// The actions whose attempts may all be repeated; the same rule codegen applies.
const READ_PREFIXES: [&str; 4] = ["Describe", "Get", "List", "Query"];

/// The error kind of a call by name: a code every action can return, or any other code,
/// to be read from [`SdkError::code`] (there is no schema to give it a variant of its own).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByNameError {
    Common(CommonError),
    /// A code of the action's own, or one this SDK does not know.
    Action,
}

impl ErrorKind for ByNameError {
    fn from_code(code: &str) -> Self {
        CommonError::from_code(code).map_or(Self::Action, Self::Common)
    }
}

/// Calls any service, version and action with the settings of a [`Config`].
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use tencent_cloud::{CommonClient, Config};
///
/// let config = Config::builder().region("ap-singapore").build()?;
/// let client = CommonClient::new(&config);
/// let answer: serde_json::Value = client
///     .action("cvm", "2017-03-12", "DescribeInstances")
///     .send(&serde_json::json!({ "Limit": 1 }))
///     .await?;
/// println!("{}", answer["TotalCount"]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct CommonClient {
    config: Config,
    /// One client per service version (name, version), so its signing-key cache is
    /// shared by its calls.
    services: Mutex<HashMap<(&'static str, &'static str), ServiceClient>>,
}

impl CommonClient {
    pub fn new(config: &Config) -> Self {
        Self {
            config: config.clone(),
            services: Mutex::default(),
        }
    }

    /// A call of `action` of `service` at `version` (e.g. `"cvm"`, `"2017-03-12"`,
    /// `"DescribeInstances"`). Names that cannot be sent are reported by
    /// [`send`](CommonRequest::send), before anything is signed.
    pub fn action(&self, service: &str, version: &str, action: &str) -> CommonRequest<'_> {
        CommonRequest {
            client: self,
            names: Names::check(service, version, action),
            safe_to_repeat: false,
            rate_limit: None,
            options: CallOptions::default(),
        }
    }

    fn service_client(&self, service: &'static ServiceInfo) -> ServiceClient {
        let mut services = self.services.lock().unwrap_or_else(PoisonError::into_inner);
        services
            .entry((service.name, service.version))
            .or_insert_with(|| ServiceClient::new(&self.config, service))
            .clone()
    }
}

/// One call by name; [`send`](Self::send) it with a body.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct CommonRequest<'a> {
    client: &'a CommonClient,
    names: Result<Names, InvalidRequest>,
    safe_to_repeat: bool,
    rate_limit: Option<u32>,
    options: CallOptions,
}

impl CommonRequest<'_> {
    /// Whether every attempt may be repeated, as for a read: set it for a write that
    /// carries a `ClientToken` or is otherwise idempotent, so that it is retried after a
    /// timeout, `InternalError` or a gateway's 5xx page. Reads are, without asking.
    pub fn safe_to_repeat(mut self, safe: bool) -> Self {
        self.safe_to_repeat = safe;
        self
    }

    /// The action's documented limit, in requests per second, for pacing; the config's
    /// own limit for the action, if it sets one, takes precedence.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// Changes this call's options (retries, timeouts, trace ID, headers).
    pub fn customize(mut self, f: impl FnOnce(CallOptions) -> CallOptions) -> Self {
        self.options = f(self.options);
        self
    }

    /// Sends `body` (a `serde_json::Value` or any serialisable type) and decodes the
    /// `Response` object into `O` (`serde_json::Value` takes it whole, `RequestId`
    /// included).
    pub async fn send<I: Serialize, O: DeserializeOwned>(
        self,
        body: &I,
    ) -> Result<O, SdkError<ByNameError>> {
        let names = self.names.map_err(SdkError::InvalidRequest)?;
        let action = declarations().action(ActionInfo {
            read: READ_PREFIXES
                .iter()
                .any(|prefix| names.action.starts_with(prefix)),
            name: names.action,
            rate_limit: self.rate_limit,
            skip_sign: false,
        });
        let client = self.client.service_client(names.service);
        client
            .call_inner(
                action,
                body,
                &self.options,
                Repeat::when(action.read || self.safe_to_repeat),
            )
            .await
    }
}

/// Service, version and action names that can be sent, declared for the runtime.
#[derive(Debug)]
struct Names {
    service: &'static ServiceInfo,
    action: &'static str,
}

impl Names {
    /// The service goes into the host and the credential scope, the version and action
    /// into headers: each must be what the API's own names are made of.
    fn check(service: &str, version: &str, action: &str) -> Result<Self, InvalidRequest> {
        let refuse = |field: &'static str, what: &str, value: &str| {
            InvalidRequest::new(
                UNCHECKED_ACTION,
                Some(field),
                format!("{value:?} is not {what}"),
            )
        };
        let is_service = !service.is_empty()
            && service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !is_service {
            return Err(refuse(
                "service",
                "a service name (lower-case letters and digits)",
                service,
            ));
        }
        let is_version = version.len() == 10
            && version.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !is_version {
            return Err(refuse(
                "X-TC-Version",
                "an API version (YYYY-MM-DD)",
                version,
            ));
        }
        let is_action = action
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase())
            && action.bytes().all(|b| b.is_ascii_alphanumeric());
        if !is_action {
            return Err(refuse(
                "X-TC-Action",
                "an action name (UpperCamelCase letters and digits)",
                action,
            ));
        }
        let declarations = declarations();
        Ok(Self {
            service: declarations.service(service, version),
            action: declarations.name(action),
        })
    }
}

/// Every service version, action and name declared at run time, each once.
#[derive(Default)]
struct Declarations {
    inner: Mutex<DeclaredSoFar>,
}

#[derive(Default)]
struct DeclaredSoFar {
    names: HashMap<String, &'static str>,
    services: HashMap<(&'static str, &'static str), &'static ServiceInfo>,
    actions: HashMap<(&'static str, Option<u32>, bool), &'static ActionInfo>,
}

fn declarations() -> &'static Declarations {
    static DECLARATIONS: OnceLock<Declarations> = OnceLock::new();
    DECLARATIONS.get_or_init(Declarations::default)
}

impl Declarations {
    fn lock(&self) -> std::sync::MutexGuard<'_, DeclaredSoFar> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn name(&self, name: &str) -> &'static str {
        self.lock().name(name)
    }

    fn service(&self, name: &str, version: &str) -> &'static ServiceInfo {
        let mut declared = self.lock();
        let key = (declared.name(name), declared.name(version));
        declared.services.entry(key).or_insert_with(|| {
            let host = format!("{name}.intl.tencentcloudapi.com");
            Box::leak(Box::new(ServiceInfo {
                name: key.0,
                version: key.1,
                default_host: Box::leak(host.into_boxed_str()),
            }))
        })
    }

    fn action(&self, action: ActionInfo) -> &'static ActionInfo {
        let key = (action.name, action.rate_limit, action.read);
        self.lock()
            .actions
            .entry(key)
            .or_insert_with(|| Box::leak(Box::new(action)))
    }
}

impl DeclaredSoFar {
    fn name(&mut self, name: &str) -> &'static str {
        if let Some(name) = self.names.get(name) {
            return name;
        }
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        self.names.insert(name.to_owned(), leaked);
        leaked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_cannot_be_sent_are_refused_naming_the_part() {
        for (service, version, action, field) in [
            ("CVM", "2017-03-12", "DescribeInstances", "service"),
            ("cvm.example", "2017-03-12", "DescribeInstances", "service"),
            ("", "2017-03-12", "DescribeInstances", "service"),
            ("cvm", "2017-3-12", "DescribeInstances", "X-TC-Version"),
            ("cvm", "2017-03-12\n", "DescribeInstances", "X-TC-Version"),
            ("cvm", "2017-03-12", "describeInstances", "X-TC-Action"),
            ("cvm", "2017-03-12", "Describe Instances", "X-TC-Action"),
            ("cvm", "2017-03-12", "", "X-TC-Action"),
        ] {
            let refused = Names::check(service, version, action).expect_err(action);
            assert_eq!(refused.field(), Some(field), "{service} {version} {action}");
        }
    }

    #[test]
    fn each_name_is_declared_once() {
        let first = Names::check("cvm", "2017-03-12", "DescribeInstances").expect("valid");
        let again = Names::check("cvm", "2017-03-12", "DescribeInstances").expect("valid");
        assert!(std::ptr::eq(first.service, again.service));
        assert!(std::ptr::eq(first.action, again.action));
        assert_eq!(first.service.default_host, "cvm.intl.tencentcloudapi.com");
        let other = Names::check("cvm", "2017-03-13", "DescribeInstances").expect("valid");
        assert!(!std::ptr::eq(first.service, other.service));
    }

    #[test]
    fn codes_map_to_common_or_action() {
        assert_eq!(
            ByNameError::from_code("RequestLimitExceeded"),
            ByNameError::Common(CommonError::RequestLimitExceeded)
        );
        assert_eq!(
            ByNameError::from_code("FailedOperation.Whatever"),
            ByNameError::Action
        );
    }
}
