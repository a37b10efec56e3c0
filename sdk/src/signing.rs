//! TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
//!
//! [`sign`] is a pure function: the caller passes the time and the service name (taken from
//! the schema, never parsed out of the host, which breaks on custom and IP endpoints), and
//! gets back every intermediate artefact so tests can pin each one.
//!
//! Only `content-type` and `host` are signed, as the official SDKs do; `X-TC-Token` and the
//! other `X-TC-*` headers are not part of the signature.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::credentials::{Credentials, Redacted};

pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Literal hashed instead of the body when the request carries
/// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
const SIGNED_HEADERS: &str = "content-type;host";
const TERMINATOR: &str = "tc3_request";

/// What of the body goes into the signature.
#[derive(Clone, Copy, Debug)]
pub enum Payload<'a> {
    /// The exact bytes sent on the wire.
    Bytes(&'a [u8]),
    /// Sign the literal `UNSIGNED-PAYLOAD` (the request must then carry
    /// `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`).
    Unsigned,
}

/// The parts of an API 3.0 request that TC3 signs (always `POST /` with no query string).
#[derive(Clone, Copy, Debug)]
pub struct SignableRequest<'a> {
    /// `host[:port]` exactly as in the `Host` header.
    pub host: &'a str,
    /// Exactly as in the `Content-Type` header.
    pub content_type: &'a str,
    pub payload: Payload<'a>,
}

/// The timestamp cannot be expressed as a UTC date (beyond year ±9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("timestamp {0} is outside the range of calendar dates")]
pub struct TimestampOutOfRange(pub i64);

/// A TC3 signature with every artefact that led to it.
///
/// `Debug` redacts the signature and the `Authorization` value: either one lets anyone
/// replay the request until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    canonical_request: String,
    hashed_canonical_request: String,
    date: String,
    credential_scope: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

impl SigningOutput {
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// Lower-case hex SHA-256 of [`canonical_request`](Self::canonical_request).
    pub fn hashed_canonical_request(&self) -> &str {
        &self.hashed_canonical_request
    }

    /// UTC date of the timestamp, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// `<date>/<service>/tc3_request`.
    pub fn credential_scope(&self) -> &str {
        &self.credential_scope
    }

    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// Lower-case hex. Secret until the request has expired.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The full `Authorization` header value. Secret: never log it.
    pub fn authorization(&self) -> &str {
        &self.authorization
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("canonical_request", &self.canonical_request)
            .field("hashed_canonical_request", &self.hashed_canonical_request)
            .field("credential_scope", &self.credential_scope)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &Redacted)
            .field("authorization", &Redacted)
            .finish()
    }
}

/// The key derived from the SecretKey for one (date, service); it is what signs requests.
///
/// Kept separate from [`sign`] so it can be cached per (secret, date, service).
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Redacted, f)
    }
}

/// `HMAC("TC3" + secret_key, date) -> HMAC(., service) -> HMAC(., "tc3_request")`.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> SigningKey {
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    SigningKey(hmac_sha256(&secret_service, TERMINATOR.as_bytes()))
}

/// The `YYYY-MM-DD` UTC date of a unix timestamp, as used in the credential scope.
pub fn utc_date(timestamp: i64) -> Result<String, TimestampOutOfRange> {
    let datetime = OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|_| TimestampOutOfRange(timestamp))?;
    datetime
        .format(format_description!("[year]-[month]-[day]"))
        .map_err(|_| TimestampOutOfRange(timestamp))
}

/// Signs `request` for `service` at `timestamp` (unix seconds, the value sent in
/// `X-TC-Timestamp`).
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    timestamp: i64,
    service: &str,
) -> Result<SigningOutput, TimestampOutOfRange> {
    let date = utc_date(timestamp)?;
    let payload_hash = match request.payload {
        Payload::Bytes(bytes) => sha256_hex(bytes),
        Payload::Unsigned => sha256_hex(UNSIGNED_PAYLOAD.as_bytes()),
    };
    // Header values are lower-cased and trimmed, as TC3 canonicalisation requires.
    let canonical_request = format!(
        "POST\n/\n\ncontent-type:{}\nhost:{}\n\n{SIGNED_HEADERS}\n{payload_hash}",
        request.content_type.trim().to_ascii_lowercase(),
        request.host.trim().to_ascii_lowercase(),
    );
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());
    let credential_scope = format!("{date}/{service}/{TERMINATOR}");
    let string_to_sign =
        format!("{ALGORITHM}\n{timestamp}\n{credential_scope}\n{hashed_canonical_request}");
    let key = signing_key(credentials.secret_key(), &date, service);
    let signature = hex::encode(hmac_sha256(&key.0, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={SIGNED_HEADERS}, \
         Signature={signature}",
        credentials.secret_id(),
    );
    Ok(SigningOutput {
        canonical_request,
        hashed_canonical_request,
        date,
        credential_scope,
        string_to_sign,
        signature,
        authorization,
    })
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::REDACTED;
    use proptest::prelude::*;

    // The worked example of the CVM API documentation (see GUIDE.md); the asterisks are
    // part of the inputs.
    const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
    const SECRET_KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3*******";
    const TIMESTAMP: i64 = 1551113065;
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn official_example() -> SigningOutput {
        let request = SignableRequest {
            host: "cvm.tencentcloudapi.com",
            content_type: "application/json; charset=utf-8",
            payload: Payload::Bytes(BODY.as_bytes()),
        };
        sign(
            &request,
            &Credentials::new(SECRET_ID, SECRET_KEY),
            TIMESTAMP,
            "cvm",
        )
        .expect("timestamp in range")
    }

    #[test]
    fn official_example_every_artefact() {
        let out = official_example();
        assert_eq!(
            out.canonical_request(),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
             host:cvm.tencentcloudapi.com\n\ncontent-type;host\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            out.hashed_canonical_request(),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(out.date(), "2019-02-25");
        assert_eq!(out.credential_scope(), "2019-02-25/cvm/tc3_request");
        assert_eq!(
            out.string_to_sign(),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            out.signature(),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        assert_eq!(
            out.authorization(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/\
             tc3_request, SignedHeaders=content-type;host, \
             Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn debug_redacts_signature_and_authorization() {
        let out = official_example();
        let debug = format!("{out:?}");
        assert!(!debug.contains(out.signature()), "{debug}");
        assert!(!debug.contains("Credential="), "{debug}");
        assert!(debug.contains(REDACTED), "{debug}");
        assert!(debug.contains(out.hashed_canonical_request()), "{debug}");
        let key = signing_key(SECRET_KEY, "2019-02-25", "cvm");
        assert_eq!(format!("{key:?}"), REDACTED);
    }

    #[test]
    fn unsigned_payload_hashes_the_literal() {
        let request = SignableRequest {
            host: "cvm.tencentcloudapi.com",
            content_type: "application/json",
            payload: Payload::Unsigned,
        };
        let out = sign(&request, &Credentials::new("id", "key"), 0, "cvm").expect("in range");
        assert!(
            out.canonical_request()
                .ends_with(&sha256_hex(b"UNSIGNED-PAYLOAD")),
            "{}",
            out.canonical_request()
        );
        assert_eq!(out.date(), "1970-01-01");
    }

    #[test]
    fn header_values_are_trimmed_and_lower_cased() {
        let request = SignableRequest {
            host: " CVM.TencentCloudAPI.com ",
            content_type: "Application/JSON",
            payload: Payload::Bytes(b"{}"),
        };
        let out = sign(&request, &Credentials::new("id", "key"), 0, "cvm").expect("in range");
        assert!(
            out.canonical_request().starts_with(
                "POST\n/\n\ncontent-type:application/json\nhost:cvm.tencentcloudapi.com\n"
            ),
            "{}",
            out.canonical_request()
        );
    }

    #[test]
    fn out_of_range_timestamp_is_an_error() {
        let request = SignableRequest {
            host: "h",
            content_type: "application/json",
            payload: Payload::Bytes(b""),
        };
        let err = sign(&request, &Credentials::new("id", "key"), i64::MAX, "cvm")
            .expect_err("year beyond 9999");
        assert_eq!(err, TimestampOutOfRange(i64::MAX));
    }

    proptest! {
        #[test]
        fn any_single_byte_change_changes_the_signature(
            body in proptest::collection::vec(any::<u8>(), 1..256),
            index in any::<prop::sample::Index>(),
            delta in 1u8..=255,
        ) {
            let credentials = Credentials::new("id", "key");
            let sign_body = |body: &[u8]| {
                let request = SignableRequest {
                    host: "cvm.intl.tencentcloudapi.com",
                    content_type: "application/json",
                    payload: Payload::Bytes(body),
                };
                sign(&request, &credentials, TIMESTAMP, "cvm").map(|out| out.signature().to_owned())
            };
            let mut changed = body.clone();
            let at = index.index(changed.len());
            changed[at] = changed[at].wrapping_add(delta);
            prop_assert_ne!(sign_body(&body)?, sign_body(&changed)?);
        }

        #[test]
        fn scope_date_is_the_utc_date_at_midnight_boundaries(
            days in 0i64..2_932_896, // 1970-01-01 ..= 9999-12-31
            offset in -1i64..=1,
        ) {
            let midnight = days * 86_400;
            let timestamp = midnight + offset;
            prop_assume!(timestamp >= 0);
            let day = if offset < 0 { days - 1 } else { days };
            let expected = time::Date::from_julian_day(
                time::Date::from_calendar_date(1970, time::Month::January, 1)
                    .expect("valid date")
                    .to_julian_day()
                    + i32::try_from(day).expect("fits"),
            )
            .expect("in range");
            let request = SignableRequest {
                host: "h",
                content_type: "application/json",
                payload: Payload::Bytes(b"{}"),
            };
            let out = sign(&request, &Credentials::new("id", "key"), timestamp, "cvm")?;
            let expected = format!(
                "{:04}-{:02}-{:02}/cvm/tc3_request",
                expected.year(),
                u8::from(expected.month()),
                expected.day()
            );
            prop_assert_eq!(out.credential_scope(), expected.as_str());
            let line = format!("\n{timestamp}\n");
            prop_assert!(out.string_to_sign().contains(&line));
        }
    }
}
