//! TC3-HMAC-SHA256 verification, written independently of the SDK's signer so that each
//! checks the other (the official Python SDK checks both; see tests/oracles).
//!
//! `authenticate` runs the protocol's first five checks in the real API's order:
//! Authorization well formed, SecretId known, timestamp fresh, signature, token.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::accounts::Account;
use crate::clock::utc_date;
use crate::envelope::{ApiError, code};

const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// How far X-TC-Timestamp may be from the server clock, either way.
pub const MAX_SKEW_SECS: i64 = 300;
/// Signed in place of the body when `X-TC-Content-SHA256` says so.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The parts of `Authorization: TC3-HMAC-SHA256 Credential=.., SignedHeaders=.., Signature=..`.
#[derive(Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub secret_id: &'a str,
    pub date: &'a str,
    pub service: &'a str,
    pub signed_headers: Vec<&'a str>,
    pub signature: &'a str,
}

/// What a request proved about itself.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub account: Account,
    /// The service of the credential scope: reliable even when the client talks to an IP
    /// endpoint whose Host says nothing about the service.
    pub service: String,
}

/// The request as received, for the canonical request.
pub struct Received<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

pub fn authenticate(
    request: &Received<'_>,
    accounts: &HashMap<String, Account>,
    now_unix: i64,
) -> Result<Authenticated, ApiError> {
    let header = header_str(request.headers, "authorization")
        .ok_or_else(|| invalid_authorization("The Authorization header is missing."))?;
    let auth = parse_authorization(header)?;

    let account = accounts.get(auth.secret_id).ok_or_else(|| {
        ApiError::new(
            code::SECRET_ID_NOT_FOUND,
            format!("The SecretId `{}` is not found.", auth.secret_id),
        )
    })?;

    let timestamp_text = header_str(request.headers, "x-tc-timestamp").unwrap_or_default();
    let timestamp: i64 = timestamp_text.trim().parse().map_err(|_| {
        invalid_authorization(format!(
            "X-TC-Timestamp `{timestamp_text}` is not a Unix timestamp in seconds."
        ))
    })?;
    if timestamp.abs_diff(now_unix) > MAX_SKEW_SECS.unsigned_abs() {
        return Err(ApiError::new(
            code::SIGNATURE_EXPIRE,
            format!(
                "Signature expired: X-TC-Timestamp {timestamp} is more than {MAX_SKEW_SECS} seconds away from server time {now_unix}."
            ),
        ));
    }

    let expected_date = utc_date(timestamp).unwrap_or_default();
    if auth.date != expected_date {
        return Err(ApiError::new(
            code::SIGNATURE_FAILURE,
            format!(
                "The credential scope date `{}` is not the UTC date of X-TC-Timestamp ({expected_date}).",
                auth.date
            ),
        ));
    }
    let canonical = canonical_request(request, &auth.signed_headers)?;
    let scope = format!("{}/{}/tc3_request", auth.date, auth.service);
    let to_sign = string_to_sign(timestamp_text, &scope, &canonical);
    let key = signing_key(&account.secret_key, auth.date, auth.service);
    let claimed = hex::decode(auth.signature).unwrap_or_default();
    let mut mac = hmac(&key);
    mac.update(to_sign.as_bytes());
    // verify_slice compares in constant time.
    if mac.verify_slice(&claimed).is_err() {
        return Err(ApiError::new(
            code::SIGNATURE_FAILURE,
            "The provided credentials could not be validated. Please check your signature is correct.",
        ));
    }

    let token_matches = match &account.token {
        Some(expected) => header_str(request.headers, "x-tc-token") == Some(expected.as_str()),
        None => true,
    };
    if !token_matches {
        return Err(ApiError::new(
            code::TOKEN_FAILURE,
            "X-TC-Token is missing or does not match the temporary credential.",
        ));
    }

    Ok(Authenticated {
        account: account.clone(),
        service: auth.service.to_owned(),
    })
}

pub fn parse_authorization(header: &str) -> Result<Authorization<'_>, ApiError> {
    let rest = header
        .strip_prefix(ALGORITHM)
        .filter(|rest| rest.starts_with(' '))
        .ok_or_else(|| {
            invalid_authorization(format!(
                "The Authorization header must start with `{ALGORITHM} `."
            ))
        })?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, value) = part.trim().split_once('=').ok_or_else(|| {
            invalid_authorization(format!(
                "Malformed Authorization element `{}`.",
                part.trim()
            ))
        })?;
        match name {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {
                return Err(invalid_authorization(format!(
                    "Unknown Authorization element `{name}`."
                )));
            }
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(invalid_authorization(
            "Authorization needs Credential, SignedHeaders and Signature.",
        ));
    };

    let scope: Vec<&str> = credential.split('/').collect();
    let [secret_id, date, service, "tc3_request"] = scope[..] else {
        return Err(invalid_authorization(
            "Credential must be `<SecretId>/<YYYY-MM-DD>/<service>/tc3_request`.",
        ));
    };
    if secret_id.is_empty() || service.is_empty() || date.len() != 10 {
        return Err(invalid_authorization(
            "Credential must be `<SecretId>/<YYYY-MM-DD>/<service>/tc3_request`.",
        ));
    }

    let signed_headers: Vec<&str> = signed_headers.split(';').collect();
    for required in ["content-type", "host"] {
        if !signed_headers.contains(&required) {
            return Err(invalid_authorization(format!(
                "SignedHeaders must include `{required}`."
            )));
        }
    }
    if signed_headers
        .iter()
        .any(|name| name.is_empty() || name.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(invalid_authorization(
            "SignedHeaders must be lower-case names separated by `;`.",
        ));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid_authorization(
            "Signature must be 64 hexadecimal digits.",
        ));
    }

    Ok(Authorization {
        secret_id,
        date,
        service,
        signed_headers,
        signature,
    })
}

/// `METHOD\nPATH\nQUERY\n<name:value\n per signed header>\n<signed;headers>\n<hex sha256>`,
/// with header values lower-cased and trimmed as the protocol says, in the order the
/// client listed them.
pub fn canonical_request(
    request: &Received<'_>,
    signed_headers: &[&str],
) -> Result<String, ApiError> {
    let mut headers = String::new();
    for name in signed_headers {
        let values: Vec<&str> = request
            .headers
            .get_all(*name)
            .iter()
            .map(|value| value.to_str())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                invalid_authorization(format!("The signed header `{name}` is not visible ASCII."))
            })?;
        if values.is_empty() {
            return Err(invalid_authorization(format!(
                "The signed header `{name}` is not in the request."
            )));
        }
        headers.push_str(&format!(
            "{name}:{}\n",
            values.join(",").trim().to_ascii_lowercase()
        ));
    }
    let unsigned = header_str(request.headers, "x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD);
    let payload: &[u8] = if unsigned {
        UNSIGNED_PAYLOAD.as_bytes()
    } else if request.method == "GET" {
        // A GET's parameters are signed as the canonical query string; the official
        // signers hash an empty payload for it, whatever body came along.
        b""
    } else {
        request.body
    };
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        request.path,
        request.query,
        headers,
        signed_headers.join(";"),
        sha256_hex(payload)
    ))
}

pub fn string_to_sign(timestamp: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// `HMAC("TC3"+key, date) → HMAC(., service) → HMAC(., "tc3_request")`.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> Vec<u8> {
    let mut key = format!("TC3{secret_key}").into_bytes();
    for part in [date, service, "tc3_request"] {
        let mut mac = hmac(&key);
        mac.update(part.as_bytes());
        key = mac.finalize().into_bytes().to_vec();
    }
    key
}

/// Hex HMAC-SHA256 of `string_to_sign` under `key`: the signature a client sends (the
/// fuzzing harness signs its inputs with it).
pub fn sign_hex(key: &[u8], string_to_sign: &str) -> String {
    let mut mac = hmac(key);
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn hmac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length")
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn invalid_authorization(message: impl Into<String>) -> ApiError {
    ApiError::new(code::INVALID_AUTHORIZATION, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    /// The worked example of the official CVM documentation (see shared/GUIDE.md).
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn cvm_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        headers.insert("host", HeaderValue::from_static("cvm.tencentcloudapi.com"));
        headers
    }

    #[test]
    fn official_worked_example() {
        let headers = cvm_headers();
        let request = Received {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: BODY.as_bytes(),
        };
        let canonical = canonical_request(&request, &["content-type", "host"]).unwrap();
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        let to_sign = string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical);
        let key = signing_key("Gu5t9xGARNpq86cd98joQYCN3*******", "2019-02-25", "cvm");
        let mut mac = hmac(&key);
        mac.update(to_sign.as_bytes());
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn authenticates_the_worked_example() {
        let mut headers = cvm_headers();
        headers.insert("x-tc-timestamp", HeaderValue::from_static("1551113065"));
        headers.insert(
            "authorization",
            HeaderValue::from_static(
                "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
            ),
        );
        let account = Account::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
            "Gu5t9xGARNpq86cd98joQYCN3*******",
            1,
        );
        let accounts = HashMap::from([(account.secret_id.clone(), account)]);
        let request = Received {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: BODY.as_bytes(),
        };
        let ok = authenticate(&request, &accounts, 1_551_113_065 + 299).unwrap();
        assert_eq!(ok.service, "cvm");
        let stale = authenticate(&request, &accounts, 1_551_113_065 + 301).unwrap_err();
        assert_eq!(stale.code, code::SIGNATURE_EXPIRE);
        let tampered = Received {
            body: b"{}",
            ..request
        };
        let err = authenticate(&tampered, &accounts, 1_551_113_065).unwrap_err();
        assert_eq!(err.code, code::SIGNATURE_FAILURE);
    }

    #[test]
    fn rejects_malformed_authorization() {
        for header in [
            "",
            "SKIP",
            "TC3-HMAC-SHA256",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/cvm, SignedHeaders=content-type;host, Signature=00",
            "TC3-HMAC-SHA256 Credential=a/2019-02-25/cvm/tc3_request, SignedHeaders=host, Signature=00",
        ] {
            let err = parse_authorization(header).unwrap_err();
            assert_eq!(err.code, code::INVALID_AUTHORIZATION, "{header}");
        }
    }
}
