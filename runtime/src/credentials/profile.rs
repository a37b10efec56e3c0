//! The INI credentials file shared with the official SDKs and tccli:
//!
//! ```ini
//! [default]
//! secret_id = AKID...
//! secret_key = ...
//!
//! [ci]
//! secret_id = AKID...
//! secret_key = ...
//! token = ...        ; optional, for temporary credentials
//! ```
//!
//! Found at `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
//! `/etc/tencentcloud/credentials`; the profile is `TENCENTCLOUD_PROFILE`, else `default`.

use std::path::{Path, PathBuf};

use super::{
    Credentials, CredentialsError, ProfileError, ProvideCredentials, ProvideCredentialsFuture,
};

pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";
const DEFAULT_PROFILE: &str = "default";
const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";
const PROVIDER: &str = "profile file";

/// Reads one profile of a credentials file each time credentials are requested (the
/// file is small, and a rotated key is then picked up without a restart).
#[derive(Clone, Debug, Default)]
pub struct ProfileProvider {
    // None: the lookup order in the module docs, resolved on each read.
    path: Option<PathBuf>,
    // None: TENCENTCLOUD_PROFILE, else "default".
    profile: Option<String>,
}

impl ProfileProvider {
    /// The file and profile from the environment, as described in the module docs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead of looking one up.
    pub fn path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile instead of `TENCENTCLOUD_PROFILE` / `default`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = match &self.path {
            Some(path) => path.clone(),
            None => find_file()?,
        };
        let profile = match &self.profile {
            Some(profile) => profile.clone(),
            None => env_string(ENV_PROFILE)?.unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
        };
        let text = std::fs::read_to_string(&path).map_err(|error| {
            CredentialsError::Profile(ProfileError::new(
                path.clone(),
                None,
                format!("cannot be read: {error}"),
            ))
        })?;
        parse_profile(&path, &text, &profile).map_err(CredentialsError::Profile)
    }
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> ProvideCredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

/// The first candidate file that exists. A file named by `TENCENTCLOUD_CREDENTIALS_FILE`
/// must exist: naming a missing file is a mistake worth reporting, not a reason to fall
/// back silently.
fn find_file() -> Result<PathBuf, CredentialsError> {
    if let Some(path) = env_string(ENV_CREDENTIALS_FILE)? {
        let path = PathBuf::from(path);
        if !path.is_file() {
            return Err(CredentialsError::Profile(ProfileError::new(
                path,
                None,
                format!("does not exist (named by {ENV_CREDENTIALS_FILE})"),
            )));
        }
        return Ok(path);
    }
    let home = std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(|home| Path::new(&home).join(".tencentcloud").join("credentials"));
    let candidates: Vec<PathBuf> = home
        .into_iter()
        .chain(std::iter::once(PathBuf::from(SYSTEM_FILE)))
        .collect();
    if let Some(found) = candidates.iter().find(|path| path.is_file()) {
        return Ok(found.clone());
    }
    let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
    Err(CredentialsError::NotFound {
        provider: PROVIDER,
        reason: format!(
            "{ENV_CREDENTIALS_FILE} is not set and no file at {}",
            tried.join(" or ")
        ),
    })
}

fn env_string(name: &'static str) -> Result<Option<String>, CredentialsError> {
    match std::env::var_os(name) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => value
            .into_string()
            .map(Some)
            .map_err(|_| CredentialsError::InvalidEnvVar {
                name,
                reason: "is not valid UTF-8",
            }),
    }
}

/// Parses the whole file (so a malformed line is reported even outside the wanted
/// profile) and returns that profile's credentials. Errors never quote a value.
fn parse_profile(path: &Path, text: &str, wanted: &str) -> Result<Credentials, ProfileError> {
    let error =
        |line: Option<usize>, problem: String| ProfileError::new(path.into(), line, problem);
    let mut section: Option<&str> = None;
    let mut found_section = false;
    let (mut secret_id, mut secret_key, mut token) = (None, None, None);
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .ok_or_else(|| {
                    error(
                        Some(number),
                        "expected a section header like `[default]`".into(),
                    )
                })?;
            section = Some(name);
            found_section |= name == wanted;
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(error(
                Some(number),
                "expected `key = value`, a `[section]` header or a comment".into(),
            ));
        };
        let Some(current) = section else {
            return Err(error(Some(number), "key outside of any `[section]`".into()));
        };
        if current != wanted {
            continue;
        }
        let value = value.trim();
        let slot = match key.trim() {
            "secret_id" => &mut secret_id,
            "secret_key" => &mut secret_key,
            "token" => &mut token,
            // Other keys (region, output, ...) belong to tools sharing the file.
            _ => continue,
        };
        if value.is_empty() {
            return Err(error(Some(number), format!("`{}` is empty", key.trim())));
        }
        *slot = Some(value.to_owned());
    }
    if !found_section {
        return Err(error(None, format!("has no `[{wanted}]` profile")));
    }
    let missing = |key: &str| error(None, format!("profile `[{wanted}]` has no `{key}`"));
    let secret_id = secret_id.ok_or_else(|| missing("secret_id"))?;
    let secret_key = secret_key.ok_or_else(|| missing("secret_key"))?;
    let credentials = Credentials::new(secret_id, secret_key);
    Ok(match token {
        Some(token) => credentials.with_token(token),
        None => credentials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# shared with tccli
[default]
secret_id = AKIDdefault
secret_key = default-key

[ci]
secret_id=AKIDci
secret_key = ci-key
token = ci-token
region = ap-singapore
";

    fn parse(text: &str, profile: &str) -> Result<Credentials, ProfileError> {
        parse_profile(Path::new("/tmp/credentials"), text, profile)
    }

    #[test]
    fn reads_default_and_named_profiles() {
        let default = parse(FILE, "default").expect("default");
        assert_eq!(default.secret_id(), "AKIDdefault");
        assert_eq!(default.secret_key(), "default-key");
        assert_eq!(default.token(), None);
        let ci = parse(FILE, "ci").expect("ci");
        assert_eq!(ci.secret_id(), "AKIDci");
        assert_eq!(ci.token(), Some("ci-token"));
    }

    #[test]
    fn malformed_input_names_file_and_line_but_no_secret() {
        let text = "[default]\nsecret_id = AKID\nsecret_key default-key-value\n";
        let error = parse(text, "default").expect_err("malformed");
        assert_eq!(error.line(), Some(3));
        let shown = error.to_string();
        assert!(
            shown.starts_with("credentials file /tmp/credentials, line 3: expected"),
            "{shown}"
        );
        assert!(!shown.contains("default-key-value"), "{shown}");

        let error = parse("[default\nsecret_id = a\n", "default").expect_err("header");
        assert_eq!(error.line(), Some(1));
        let error = parse("secret_id = a\n", "default").expect_err("no section");
        assert_eq!(error.line(), Some(1));
        let error = parse("[default]\nsecret_id =\n", "default").expect_err("empty");
        assert_eq!(error.line(), Some(2));
    }

    #[test]
    fn missing_profile_or_key_is_explained() {
        let error = parse(FILE, "prod").expect_err("no profile");
        assert_eq!(
            error.to_string(),
            "credentials file /tmp/credentials: has no `[prod]` profile"
        );
        let error = parse("[default]\nsecret_id = a\n", "default").expect_err("no key");
        assert!(error.to_string().contains("has no `secret_key`"), "{error}");
    }
}
