//! Which members carry secrets, so that `Debug` of their struct (and of the builder)
//! prints `** redacted **` instead of the value.
//!
//! The rule: a member is sensitive when the schema says `"sensitive": true`, or when its
//! wire name is one of [`SENSITIVE_WIRE_NAMES`]. The match is exact: a looser one such
//! as "contains `Token`" would also catch page markers (`NextToken`) and one-time MFA
//! codes (`TokenCode`), and redacting those only hides what a reader debugging a call
//! needs. The list covers the credentials the API hands out or takes; a maintainer
//! flags anything else in the schema.

use crate::schema::model::Member;

/// Wire names that always carry a secret, wherever they appear.
pub const SENSITIVE_WIRE_NAMES: &[&str] = &[
    // Temporary credentials (sts `Credentials`, CAM, TKE OIDC).
    "SecretKey",
    "TmpSecretKey",
    "Token",
    "SessionToken",
    "WebIdentityToken",
    "SAMLAssertion",
    // Passwords and private keys sent when creating resources.
    "Password",
    "PrivateKey",
];

pub fn is_sensitive(member: &Member) -> bool {
    member.sensitive || SENSITIVE_WIRE_NAMES.contains(&member.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, sensitive: bool) -> Member {
        serde_json::from_value(serde_json::json!({
            "name": name, "type": "string", "sensitive": sensitive
        }))
        .expect("a member")
    }

    #[test]
    fn well_known_names_or_the_schema_flag() {
        assert!(is_sensitive(&member("TmpSecretKey", false)));
        assert!(is_sensitive(&member("Token", false)));
        assert!(is_sensitive(&member("Password", false)));
        assert!(is_sensitive(&member("LicenseKey", true)));
        for name in [
            "TmpSecretId",
            "TokenCode",
            "NextToken",
            "token",
            "PasswordPolicy",
        ] {
            assert!(!is_sensitive(&member(name, false)), "{name}");
        }
    }
}
