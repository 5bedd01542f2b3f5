//! Gemini: `POST /v1/roles`, which any key may call and which answers for
//! the key itself: whether it is an Auditor (read only), a Trader, or a
//! Fund Manager (withdrawals and transfers between accounts).
//!
//! - Endpoint: <https://developer.gemini.com/rest-api/common/admin/roles-endpoint>
//!   (role meanings: <https://docs.gemini.com/roles>)
//! - Signing (JSON payload with `request` and `nonce`, base64 in
//!   `X-GEMINI-PAYLOAD`, hex HMAC-SHA384 of that base64 text in
//!   `X-GEMINI-SIGNATURE`, `X-GEMINI-APIKEY`, empty body):
//!   <https://developer.gemini.com/authentication/api-key>
//! - Errors (`{"result":"error","reason":...}`): <https://developer.gemini.com/error-codes>
//! - Rate limit: 600 private requests a minute, at most 5 a second
//!   recommended: <https://developer.gemini.com/rate-limit>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::{Venue, snippet, unreadable};
use crate::verify::{answer, sign};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

pub struct Gemini;

pub const PATH: &str = "/v1/roles";

/// The role flags of the answer (Auditor, Fund Manager, Trader).
const ROLES: [&str; 3] = ["isAuditor", "isFundManager", "isTrader"];

/// The payload of the roles request: `request` must repeat the path.
pub fn payload(nonce: u64) -> String {
    format!(r#"{{"request":"{PATH}","nonce":{nonce}}}"#)
}

/// The signature of a base64 payload: hex HMAC-SHA384 keyed by the secret.
pub fn signature(secret: &str, payload_b64: &str) -> String {
    sign::hex(&sign::hmac_sha384(
        secret.as_bytes(),
        payload_b64.as_bytes(),
    ))
}

/// Milliseconds (Gemini's recommendation), increasing per key within this
/// process: Gemini rejects a nonce not above the last one of the key.
fn nonce(key: &str, now_ms: u64) -> u64 {
    static LAST: Mutex<Option<HashMap<[u8; 32], u64>>> = Mutex::new(None);
    let mut g = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let last = g
        .get_or_insert_with(HashMap::new)
        .entry(sign::sha256(key.as_bytes()))
        .or_insert(0);
    *last = now_ms.max(*last + 1);
    *last
}

impl Venue for Gemini {
    fn id(&self) -> &'static str {
        "gemini"
    }
    fn host(&self) -> &'static str {
        "api.gemini.com"
    }
    fn docs(&self) -> &'static str {
        "https://developer.gemini.com/rest-api/common/admin/roles-endpoint"
    }
    fn interval(&self) -> Duration {
        // At most 5 private requests a second recommended.
        Duration::from_millis(200)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // The sandbox serves the same API to its own keys.
        Some("api.sandbox.gemini.com")
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "API secret")?;
        let b64 = sign::base64(payload(nonce(key, now_ms)).as_bytes());
        Ok(Request::post(PATH, "")
            .header("Content-Type", "text/plain")
            .header("Cache-Control", "no-cache")
            .header("X-GEMINI-APIKEY", key)
            .header("X-GEMINI-SIGNATURE", signature(secret, &b64))
            .header("X-GEMINI-PAYLOAD", b64))
    }

    fn interpret(&self, c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if r.status == 200 && ROLES.iter().any(|k| v.get(k).is_some()) {
            let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
            // Any live key may read the account it is scoped to.
            let mut p = vec![perm::READ];
            let mut roles = Vec::new();
            if flag("isAuditor") {
                roles.push("Auditor");
            }
            if flag("isTrader") {
                roles.push("Trader");
                p.push(perm::TRADE);
            }
            if flag("isFundManager") {
                // Fund Managers may withdraw crypto and move funds between
                // the account's own accounts.
                roles.push("Fund Manager");
                p.extend([perm::WITHDRAW, perm::TRANSFER]);
            }
            // Master keys may answer with more fields, such as an
            // administrator role (creating accounts); their names are not
            // published, so any true `is...Admin...` flag counts.
            if let Some(obj) = v.as_object() {
                let admin = obj.iter().any(|(k, x)| {
                    k.starts_with("is") && k.contains("Admin") && x.as_bool() == Some(true)
                });
                if admin {
                    roles.push("Administrator");
                    p.push(perm::ADMIN);
                }
            }
            let mut detail = format!(
                "roles: {}",
                if roles.is_empty() {
                    "none".into()
                } else {
                    roles.join(", ")
                }
            );
            if c.key.as_deref().is_some_and(|k| k.starts_with("master-")) {
                detail.push_str("; a master key, for every account of the group");
            }
            return Verification::live(&p, None, &detail);
        }
        if v.get("result").and_then(|x| x.as_str()) != Some("error") {
            return unreadable(r);
        }
        let reason = v.get("reason").and_then(|x| x.as_str()).unwrap_or("");
        let message = v.get("message").and_then(|x| x.as_str()).unwrap_or("");
        let detail = format!("Gemini {reason}: {}", snippet(message));
        let lower = reason.to_ascii_lowercase();
        match reason {
            "InvalidSignature" => Verification::new(
                Verdict::Invalid,
                format!(
                    "{detail} (the secret found does not sign for this key; Gemini may give the same answer for a key it does not know)"
                ),
            ),
            "InvalidNonce" => Verification::new(
                Verdict::Unreachable,
                format!(
                    "{detail} (the key has been used with larger nonces, or it takes time-based nonces in seconds within 30 s of Gemini's clock: check this machine's clock)"
                ),
            ),
            "MissingRole" => answer::cannot_read(&detail, "its roles"),
            "RateLimit" | "Maintenance" | "System" => {
                Verification::new(Verdict::Unreachable, detail)
            }
            _ if lower.contains("apikey") && !lower.contains("header") => Verification::new(
                Verdict::Revoked,
                format!("{detail} (Gemini does not know the key: deleted or never issued)"),
            ),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk-through of Gemini's "Private API invocation": the payload
    /// as printed there (4-space indent, a blank line, a trailing newline),
    /// its base64, and the signature with the example secret `1234abcd`.
    #[test]
    fn docs_signing_example() {
        let payload = "{\n    \"request\": \"/v1/order/status\",\n    \"nonce\": 123456,\n\n    \"order_id\": 18834\n}\n";
        let b64 = sign::base64(payload.as_bytes());
        assert_eq!(
            b64,
            "ewogICAgInJlcXVlc3QiOiAiL3YxL29yZGVyL3N0YXR1cyIsCiAgICAibm9uY2UiOiAxMjM0NTYsCgogICAgIm9yZGVyX2lkIjogMTg4MzQKfQo="
        );
        assert_eq!(
            signature("1234abcd", &b64),
            "337cc8b4ea692cfe65b4a85fcc9f042b2e3f702ac956fd098d600ab15705775017beae402be773ceee10719ff70d710f"
        );
    }

    #[test]
    fn the_request_signs_its_own_payload() {
        let c = Credential {
            key: Some("account-K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Gemini.request(&c, 1_700_000_000_000).unwrap();
        assert_eq!(r.path, PATH);
        assert_eq!(r.method, crate::verify::http::Method::Post);
        assert!(r.body.is_empty());
        let b64 = r.header_value("x-gemini-payload").unwrap();
        assert_eq!(
            r.header_value("x-gemini-signature"),
            Some(signature("S", b64).as_str())
        );
        assert_eq!(r.header_value("x-gemini-apikey"), Some("account-K"));
        assert_eq!(r.header_value("content-type"), Some("text/plain"));
        let p: serde_json::Value =
            serde_json::from_slice(&sign::base64_decode(b64).unwrap()).unwrap();
        assert_eq!(p["request"], PATH);
        assert_eq!(p["nonce"], 1_700_000_000_000u64);
        // The same key again in the same millisecond: a larger nonce.
        let again = Gemini.request(&c, 1_700_000_000_000).unwrap();
        let p2: serde_json::Value = serde_json::from_slice(
            &sign::base64_decode(again.header_value("x-gemini-payload").unwrap()).unwrap(),
        )
        .unwrap();
        assert_eq!(p2["nonce"], 1_700_000_000_001u64);
    }

    #[test]
    fn answers_map_to_verdicts() {
        let c = Credential {
            key: Some("account-K".into()),
            ..Default::default()
        };
        let read = |status, body: &str| super::super::testing::read(&Gemini, &c, status, body);
        let fm = read(
            200,
            r#"{"isAuditor":false,"isFundManager":true,"isTrader":true}"#,
        );
        assert_eq!(fm.verdict, Verdict::Live);
        assert_eq!(fm.permissions, ["read", "trade", "transfer", "withdraw"]);
        assert_eq!(fm.ip_restricted, None);
        let aud = read(
            200,
            r#"{"isAuditor":true,"isFundManager":false,"isTrader":false}"#,
        );
        assert_eq!(aud.permissions, ["read"]);
        let err = |reason: &str| {
            read(
                400,
                &format!(r#"{{"result":"error","reason":"{reason}","message":"m"}}"#),
            )
            .verdict
        };
        assert_eq!(err("InvalidSignature"), Verdict::Invalid);
        assert_eq!(err("InvalidApiKey"), Verdict::Revoked);
        assert_eq!(err("MissingApiKey"), Verdict::Revoked);
        assert_eq!(err("InvalidNonce"), Verdict::Unreachable);
        assert_eq!(err("MissingApikeyHeader"), Verdict::Unreachable);
        assert_eq!(err("Maintenance"), Verdict::Unreachable);
        assert_eq!(
            read(
                403,
                r#"{"result":"error","reason":"MissingRole","message":"m"}"#
            )
            .verdict,
            Verdict::Live
        );
        assert_eq!(read(200, "<html>").verdict, Verdict::Unreachable);
    }
}
