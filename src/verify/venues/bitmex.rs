//! BitMEX: `GET /api/v1/apiKey` ("Get your API Keys"), which lists the
//! user's keys; the entry whose `id` is the key tells its `permissions`
//! (`order`, `orderCancel`, `withdraw`; every key may read) and its IP
//! restriction (`cidr`, `cidrs`).
//!
//! - Endpoint: <https://www.bitmex.com/api/explorer/#!/APIKey/APIKey_get>
//! - Fields: <https://support.bitmex.com/hc/en-gb/articles/6205606449309--apiKey-field-definitions>
//! - Signing (hex HMAC-SHA256 of verb, path with query, `api-expires` and
//!   body; `api-key`, `api-expires`, `api-signature` headers): <https://www.bitmex.com/app/apiKeysUsage>
//! - Errors (`{"error": {"message", "name"}}`, HTTP 400/401/403/404 per the
//!   API's swagger): <https://www.bitmex.com/api/explorer/swagger.json>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use serde_json::Value;
use std::time::Duration;

pub struct Bitmex;

pub const PATH: &str = "/api/v1/apiKey";
/// Seconds the signed request stays valid.
pub const EXPIRES_IN: u64 = 60;

/// `api-signature`: hex HMAC-SHA256 of verb, path (with query), expiry
/// (Unix seconds) and body, keyed by the secret.
pub fn signature(secret: &str, verb: &str, path: &str, expires: u64, body: &str) -> String {
    let msg = format!("{verb}{path}{expires}{body}");
    sign::hex(&sign::hmac_sha256(secret.as_bytes(), msg.as_bytes()))
}

/// Whether a CIDR block limits the key (blank or 0.0.0.0 allows all IPs).
fn limits(cidr: &str) -> bool {
    !matches!(cidr.trim(), "" | "0.0.0.0" | "0.0.0.0/0" | "::/0" | "::")
}

fn read_key(k: &Value) -> Verification {
    let mut p = vec![perm::READ];
    let names = k.get("permissions").and_then(|x| x.as_array());
    for name in names.into_iter().flatten().filter_map(|x| x.as_str()) {
        match name {
            "order" | "orderCancel" => p.push(perm::TRADE),
            "withdraw" => p.push(perm::WITHDRAW),
            _ => {}
        }
    }
    let cidr = k.get("cidr").and_then(|x| x.as_str());
    let cidrs = k.get("cidrs").and_then(|x| x.as_array());
    let ip = match (cidr, cidrs) {
        (None, None) => None,
        _ => Some(
            cidr.is_some_and(limits)
                || cidrs
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str())
                    .any(limits),
        ),
    };
    let mut detail = String::new();
    if k.get("enabled").and_then(|x| x.as_bool()) == Some(false) {
        detail = "BitMEX lists this key as disabled".into();
    }
    Verification::live(&p, ip, &detail)
}

impl Venue for Bitmex {
    fn id(&self) -> &'static str {
        "bitmex"
    }
    fn host(&self) -> &'static str {
        "www.bitmex.com"
    }
    fn docs(&self) -> &'static str {
        "https://www.bitmex.com/api/explorer/#!/APIKey/APIKey_get"
    }
    fn interval(&self) -> Duration {
        Duration::from_millis(500)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // testnet.bitmex.com serves the same API to its own keys.
        Some("testnet.bitmex.com")
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "API secret")?;
        let expires = now_ms / 1000 + EXPIRES_IN;
        let sig = signature(secret, "GET", PATH, expires, "");
        Ok(Request::get(PATH)
            .header("api-key", key)
            .header("api-expires", expires.to_string())
            .header("api-signature", sig))
    }

    fn interpret(&self, c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if r.status == 200 {
            let Some(keys) = v.as_array() else {
                return unreadable(r);
            };
            let key = c.key.as_deref().unwrap_or("");
            return match keys
                .iter()
                .find(|k| k.get("id").and_then(|x| x.as_str()) == Some(key))
            {
                Some(k) => read_key(k),
                None => Verification::live(
                    &[],
                    None,
                    "the key signs, but BitMEX did not list it among the account's keys",
                ),
            };
        }
        let msg = v
            .pointer("/error/message")
            .and_then(|m| m.as_str())
            .unwrap_or("");
        let detail = format!("BitMEX (HTTP {}): {msg}", r.status);
        let m = msg.to_ascii_lowercase();
        if m.contains("invalid api key") || m.contains("disabled") {
            Verification::new(
                Verdict::Revoked,
                format!("{detail} (deleted, disabled, or a testnet key)"),
            )
        } else if m.contains("signature not valid") {
            answer::wrong_secret(&detail)
        } else if m.contains("expired") {
            answer::clock(&detail)
        } else {
            unreadable(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three examples of BitMEX's "API Key usage" page.
    #[test]
    fn docs_signing_examples() {
        let secret = "chNOOS4KvNXR_Xq4k4c9qsfoKWvnDecLATCRlcBwyKDYnWgO";
        assert_eq!(
            signature(secret, "GET", "/api/v1/instrument", 1518064236, ""),
            "c7682d435d0cfe87c16098df34ef2eb5a549d4c5a3c2b1f0f77b8af73423bf00"
        );
        assert_eq!(
            signature(
                secret,
                "GET",
                "/api/v1/instrument?filter=%7B%22symbol%22%3A+%22XBTM15%22%7D",
                1518064237,
                ""
            ),
            "e2f422547eecb5b3cb29ade2127e21b858b235b386bfa45e1c1756eb3383919f"
        );
        assert_eq!(
            signature(
                secret,
                "POST",
                "/api/v1/order",
                1518064238,
                r#"{"symbol":"XBTM15","price":219.0,"clOrdID":"mm_bitmex_1a/oemUeQ4CAJZgP3fjHsA","orderQty":98}"#
            ),
            "1749cd2ccae4aa49048ae09f0b95110cee706e0944e6a14ad0b3a8cb45bd336b"
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_headers() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Bitmex.request(&c, 1_700_000_000_999).unwrap();
        assert_eq!(r.path, PATH);
        assert_eq!(r.body, "");
        assert_eq!(r.header_value("api-key"), Some("K"));
        let expires: u64 = r.header_value("api-expires").unwrap().parse().unwrap();
        assert_eq!(expires, 1_700_000_000 + EXPIRES_IN);
        assert_eq!(
            r.header_value("api-signature"),
            Some(signature("S", "GET", &r.path, expires, &r.body).as_str())
        );
    }

    #[test]
    fn answers_read() {
        let c = Credential {
            key: Some("K1".into()),
            ..Default::default()
        };
        let read = |status: u16, body: &str| super::super::testing::read(&Bitmex, &c, status, body);
        let live = read(
            200,
            r#"[{"id":"K0","permissions":[],"cidr":"10.0.0.1/32"},{"id":"K1","permissions":["order","orderCancel","withdraw"],"cidr":"0.0.0.0/0","cidrs":[],"enabled":true}]"#,
        );
        assert_eq!(live.permissions, ["read", "trade", "withdraw"]);
        assert_eq!(live.ip_restricted, Some(false));
        let locked = read(
            200,
            r#"[{"id":"K1","permissions":[],"cidr":"","cidrs":["203.0.113.0/24"]}]"#,
        );
        assert_eq!(
            (locked.permissions.clone(), locked.ip_restricted),
            (vec!["read".to_string()], Some(true))
        );
        let unlisted = read(200, r#"[{"id":"K0","permissions":[]}]"#);
        assert_eq!(
            (unlisted.verdict, unlisted.ip_restricted),
            (Verdict::Live, None)
        );
        let err = |m: &str| format!(r#"{{"error":{{"message":"{m}","name":"HTTPError"}}}}"#);
        assert_eq!(
            read(401, &err("Invalid API Key.")).verdict,
            Verdict::Revoked
        );
        assert_eq!(
            read(401, &err("Signature not valid.")).verdict,
            Verdict::Invalid
        );
        let late = read(
            400,
            &err("This request has expired - `expires` is in the past. Current time: 1"),
        );
        assert_eq!(late.verdict, Verdict::Unreachable);
        assert!(late.detail.contains("clock"));
        assert_eq!(
            read(403, &err("Access Denied")).verdict,
            Verdict::Unreachable
        );
    }
}
