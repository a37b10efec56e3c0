//! TC3-HMAC-SHA256, the request signature of Tencent Cloud API 3.0.
//!
//! [`sign`] is a pure function: the caller passes the time and the service name (taken from
//! the schema, never parsed out of the host, which breaks on custom and IP endpoints), and
//! gets back every intermediate artefact so tests can pin each one. [`SigningKeyCache`]
//! gives the same output while reusing the derived key, which changes once a day.
//!
//! Only `content-type` and `host` are signed, as the official SDKs do; `X-TC-Token` and the
//! other `X-TC-*` headers are not part of the signature.

use std::borrow::Cow;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

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
/// The artefacts live one after another in one string (signing is on every call's path,
/// and one allocation costs less than seven); each accessor returns its part.
///
/// `Debug` redacts the signature and the `Authorization` value: either one lets anyone
/// replay the request until it expires.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    text: String,
    canonical_request: Range<usize>,
    hashed_canonical_request: Range<usize>,
    date: Range<usize>,
    credential_scope: Range<usize>,
    string_to_sign: Range<usize>,
    signature: Range<usize>,
    authorization: Range<usize>,
}

impl SigningOutput {
    pub fn canonical_request(&self) -> &str {
        &self.text[self.canonical_request.clone()]
    }

    /// Lower-case hex SHA-256 of [`canonical_request`](Self::canonical_request).
    pub fn hashed_canonical_request(&self) -> &str {
        &self.text[self.hashed_canonical_request.clone()]
    }

    /// UTC date of the timestamp, `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.text[self.date.clone()]
    }

    /// `<date>/<service>/tc3_request`.
    pub fn credential_scope(&self) -> &str {
        &self.text[self.credential_scope.clone()]
    }

    pub fn string_to_sign(&self) -> &str {
        &self.text[self.string_to_sign.clone()]
    }

    /// Lower-case hex. Secret until the request has expired.
    pub fn signature(&self) -> &str {
        &self.text[self.signature.clone()]
    }

    /// The full `Authorization` header value. Secret: never log it.
    pub fn authorization(&self) -> &str {
        &self.text[self.authorization.clone()]
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("canonical_request", &self.canonical_request())
            .field("hashed_canonical_request", &self.hashed_canonical_request())
            .field("credential_scope", &self.credential_scope())
            .field("string_to_sign", &self.string_to_sign())
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
/// `X-TC-Timestamp`), deriving the signing key afresh. [`SigningKeyCache::sign`] gives the
/// same output and reuses the key.
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    timestamp: i64,
    service: &str,
) -> Result<SigningOutput, TimestampOutOfRange> {
    let date = utc_date(timestamp)?;
    let mac = keyed_mac(&signing_key(credentials.secret_key(), &date, service).0);
    Ok(sign_with_key(
        request,
        credentials.secret_id(),
        &mac,
        timestamp,
        &date,
        service,
    ))
}

/// Everything after the key derivation; `date` must be `utc_date(timestamp)` and `mac`
/// keyed with the signing key for (secret, `date`, `service`).
///
/// Allocates once: digests are hex-encoded on the stack and every artefact is appended to
/// one string. With the key cached this is all the work of a call, which
/// `cargo xtask bench micro` compares with the bare hashes.
fn sign_with_key(
    request: &SignableRequest<'_>,
    secret_id: &str,
    mac: &Hmac<Sha256>,
    timestamp: i64,
    date: &str,
    service: &str,
) -> SigningOutput {
    let payload = match request.payload {
        Payload::Bytes(bytes) => bytes,
        Payload::Unsigned => UNSIGNED_PAYLOAD.as_bytes(),
    };
    // Header values are lower-cased and trimmed, as TC3 canonicalisation requires.
    let content_type = ascii_lowercase(request.content_type.trim());
    let host = ascii_lowercase(request.host.trim());
    let mut timestamp_buffer = itoa::Buffer::new();
    let timestamp = timestamp_buffer.format(timestamp);
    // The fixed parts of all artefacts take under 600 bytes.
    let mut text = String::with_capacity(
        600 + content_type.len() + host.len() + secret_id.len() + 3 * service.len(),
    );
    let mut hex_buffer = [0; 64];

    let payload_hash = hex(&Sha256::digest(payload).into(), &mut hex_buffer);
    let canonical_request = append(
        &mut text,
        &[
            "POST\n/\n\ncontent-type:",
            &content_type,
            "\nhost:",
            &host,
            "\n\n",
            SIGNED_HEADERS,
            "\n",
            payload_hash,
        ],
    );
    let hashed = hex(
        &Sha256::digest(&text[canonical_request.clone()]).into(),
        &mut hex_buffer,
    );
    let hashed_canonical_request = append(&mut text, &[hashed]);
    let date_range = append(&mut text, &[date]);
    // The scope is written out each time it appears: copying it from `text` would need
    // a second buffer.
    let credential_scope = append(&mut text, &[date, "/", service, "/", TERMINATOR]);
    let string_to_sign = append(
        &mut text,
        &[
            ALGORITHM, "\n", timestamp, "\n", date, "/", service, "/", TERMINATOR, "\n", hashed,
        ],
    );
    let mut mac = mac.clone();
    mac.update(text[string_to_sign.clone()].as_bytes());
    let signature_hex = hex(&mac.finalize().into_bytes().into(), &mut hex_buffer);
    let signature = append(&mut text, &[signature_hex]);
    let authorization = append(
        &mut text,
        &[
            ALGORITHM,
            " Credential=",
            secret_id,
            "/",
            date,
            "/",
            service,
            "/",
            TERMINATOR,
            ", SignedHeaders=",
            SIGNED_HEADERS,
            ", Signature=",
            signature_hex,
        ],
    );
    SigningOutput {
        text,
        canonical_request,
        hashed_canonical_request,
        date: date_range,
        credential_scope,
        string_to_sign,
        signature,
        authorization,
    }
}

/// Appends `parts` to `text`; returns where they are.
fn append(text: &mut String, parts: &[&str]) -> Range<usize> {
    let start = text.len();
    for part in parts {
        text.push_str(part);
    }
    start..text.len()
}

/// Remembers the last signing key derived, so that signing costs two hashes and one HMAC
/// instead of two hashes and four HMACs (the key changes once per secret, UTC date and
/// service).
///
/// The key is stored next to a fingerprint of the secret key, never the secret itself: a
/// SipHash under this process's random keys, which is several times cheaper than a
/// SHA-256 block and, for a hit, is all the checking a call pays. A different secret
/// (rotated or refreshed credentials), date or service derives a new key and replaces the
/// old one; two secrets colliding (odds 2^-64) would only give a signature the API refuses. One entry is enough for its user, a
/// [`ServiceClient`](crate::client::ServiceClient), which signs for one service.
/// `Debug` shows nothing of the entry.
#[derive(Default)]
pub struct SigningKeyCache {
    entry: Mutex<Option<CachedKey>>,
    fingerprint: RandomState,
}

struct CachedKey {
    secret_key_fingerprint: u64,
    /// Days since 1970-01-01 UTC, of which `date` is the `YYYY-MM-DD` form.
    day: i64,
    /// Shared, so a hit copies no string.
    date: Arc<str>,
    service: String,
    /// HMAC-SHA256 keyed with the signing key: its key schedule is done once too.
    mac: Hmac<Sha256>,
}

const SECONDS_PER_DAY: i64 = 86_400;

impl SigningKeyCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Same output as [`sign`], byte for byte.
    pub fn sign(
        &self,
        request: &SignableRequest<'_>,
        credentials: &Credentials,
        timestamp: i64,
        service: &str,
    ) -> Result<SigningOutput, TimestampOutOfRange> {
        let (date, mac) = self.date_and_mac(credentials.secret_key(), timestamp, service)?;
        Ok(sign_with_key(
            request,
            credentials.secret_id(),
            &mac,
            timestamp,
            &date,
            service,
        ))
    }

    /// The UTC date of `timestamp` and the HMAC keyed for (secret, that date, service): the
    /// cached ones if all three match.
    fn date_and_mac(
        &self,
        secret_key: &str,
        timestamp: i64,
        service: &str,
    ) -> Result<(Arc<str>, Hmac<Sha256>), TimestampOutOfRange> {
        let secret_key_fingerprint = self.fingerprint.hash_one(secret_key);
        // Unix time has no leap seconds: every UTC day is 86,400 of its seconds.
        let day = timestamp.div_euclid(SECONDS_PER_DAY);
        let matches = |entry: &CachedKey| {
            entry.secret_key_fingerprint == secret_key_fingerprint
                && entry.day == day
                && entry.service == service
        };
        if let Some(entry) = self.lock().as_ref().filter(|entry| matches(entry)) {
            return Ok((Arc::clone(&entry.date), entry.mac.clone()));
        }
        // Derived outside the lock, so concurrent signers never wait on the HMAC chain.
        let date: Arc<str> = utc_date(timestamp)?.into();
        let mac = keyed_mac(&signing_key(secret_key, &date, service).0);
        *self.lock() = Some(CachedKey {
            secret_key_fingerprint,
            day,
            date: Arc::clone(&date),
            service: service.to_owned(),
            mac: mac.clone(),
        });
        Ok((date, mac))
    }

    // A poisoned lock only means another thread panicked while holding it; the entry is
    // only ever replaced whole, so it is never half-written.
    fn lock(&self) -> MutexGuard<'_, Option<CachedKey>> {
        self.entry.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache").finish_non_exhaustive()
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = keyed_mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn keyed_mac(key: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// The two lower-case hex digits of every byte value.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [DIGITS[byte >> 4], DIGITS[byte & 0xf]];
        byte += 1;
    }
    pairs
};

/// Lower-case hex of a digest, written into `buffer`: a pair of digits per byte from a
/// table (`hex::encode` allocates and goes digit by digit, which costs as much as the hash
/// it encodes).
fn hex<'a>(digest: &[u8; 32], buffer: &'a mut [u8; 64]) -> &'a str {
    for (pair, &byte) in buffer.chunks_exact_mut(2).zip(digest) {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
    }
    std::str::from_utf8(buffer).unwrap_or_else(|_| unreachable!("hex is ASCII"))
}

/// `text` in ASCII lower case, copied only if it has an upper-case letter.
fn ascii_lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
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
                .ends_with(&hex::encode(Sha256::digest(b"UNSIGNED-PAYLOAD"))),
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

    fn edgezone_request(body: &[u8]) -> SignableRequest<'_> {
        SignableRequest {
            host: "edgezone.intl.tencentcloudapi.com",
            content_type: "application/json",
            payload: Payload::Bytes(body),
        }
    }

    #[test]
    fn cache_does_not_reuse_a_key_across_secrets_dates_or_services() {
        let cache = SigningKeyCache::new();
        let body = br#"{"NetworkInstanceId":"epn-1"}"#;
        let request = edgezone_request(body);
        let old = Credentials::new("id", "old-secret");
        let rotated = Credentials::new("id", "rotated-secret");
        let cases = [
            (&old, TIMESTAMP, "edgezone"),
            (&rotated, TIMESTAMP, "edgezone"),
            (&old, TIMESTAMP, "edgezone"),
            (&old, TIMESTAMP + 86_400, "edgezone"),
            (&old, TIMESTAMP + 86_400, "cvm"),
        ];
        let mut signatures = Vec::new();
        for (credentials, timestamp, service) in cases {
            let cached = cache
                .sign(&request, credentials, timestamp, service)
                .expect("in range");
            let fresh = sign(&request, credentials, timestamp, service).expect("in range");
            assert_eq!(cached, fresh, "{service} at {timestamp}");
            signatures.push(cached.signature().to_owned());
        }
        assert_ne!(
            signatures[0], signatures[1],
            "rotated secret reused the old key"
        );
        assert_eq!(signatures[0], signatures[2]);
        assert_ne!(signatures[2], signatures[3], "new date reused the old key");
        assert_ne!(
            signatures[3], signatures[4],
            "new service reused the old key"
        );
    }

    #[test]
    fn cache_debug_shows_nothing_of_the_entry() {
        let cache = SigningKeyCache::new();
        let credentials = Credentials::new("id", "very-secret-key");
        cache
            .sign(&edgezone_request(b"{}"), &credentials, TIMESTAMP, "cvm")
            .expect("in range");
        assert_eq!(format!("{cache:?}"), "SigningKeyCache { .. }");
    }

    proptest! {
        /// One cache over a sequence of calls, so both hits and misses are compared.
        #[test]
        fn cached_signing_is_byte_identical_to_uncached(
            calls in proptest::collection::vec(
                (
                    0usize..3,
                    -86_400i64..3 * 86_400,
                    0usize..2,
                    proptest::collection::vec(any::<u8>(), 0..64),
                ),
                1..16,
            ),
        ) {
            let secrets = [
                Credentials::new("id", "key-a"),
                Credentials::new("id", "key-b"),
                Credentials::new("id", "key-a").with_token("token"),
            ];
            let services = ["edgezone", "cvm"];
            let cache = SigningKeyCache::new();
            for (secret, offset, service, body) in calls {
                let request = edgezone_request(&body);
                let timestamp = TIMESTAMP + offset;
                let cached = cache.sign(&request, &secrets[secret], timestamp, services[service])?;
                let fresh = sign(&request, &secrets[secret], timestamp, services[service])?;
                prop_assert_eq!(cached, fresh);
            }
        }

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
