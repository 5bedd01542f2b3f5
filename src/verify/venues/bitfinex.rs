//! Bitfinex v2: `POST /v2/auth/r/permissions` ("Key Permissions"), which
//! answers for the key itself: for each scope (account, history, orders,
//! positions, funding, settings, wallets, withdraw) whether it may read and
//! whether it may write.
//!
//! - Endpoint: <https://docs.bitfinex.com/reference/key-permissions>
//! - Signing (hex HMAC-SHA384 of `/api/v2/auth/r/permissions` + nonce +
//!   body, keyed by the secret; `bfx-nonce`, `bfx-apikey`,
//!   `bfx-signature`): <https://docs.bitfinex.com/docs/rest-auth>
//! - Errors (`["error", code, message]`: 10100 authentication failed,
//!   10114 nonce too small): <https://docs.bitfinex.com/docs/abbreviations-glossary>
//! - Rate limit: 90 requests a minute (on the endpoint's page).

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::sign;
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, snippet, unreadable};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

pub struct Bitfinex;

pub const PATH: &str = "/v2/auth/r/permissions";

/// The body sent and signed: the endpoint takes no parameters.
pub const BODY: &str = "{}";

/// The signature: hex HMAC-SHA384 of `/api` + path + nonce + body, keyed by
/// the secret (the docs' `/api/${apiPath}${nonce}${JSON.stringify(body)}`).
pub fn signature(secret: &str, path: &str, nonce: &str, body: &str) -> String {
    let payload = format!("/api{path}{nonce}{body}");
    sign::hex(&sign::hmac_sha384(secret.as_bytes(), payload.as_bytes()))
}

/// Microseconds (the docs' `Date.now() * 1000`), increasing per key within
/// this process: Bitfinex rejects a nonce not above the key's last one.
fn nonce(key: &str, now_ms: u64) -> u64 {
    static LAST: Mutex<Option<HashMap<[u8; 32], u64>>> = Mutex::new(None);
    let mut g = LAST.lock().unwrap_or_else(|e| e.into_inner());
    let last = g
        .get_or_insert_with(HashMap::new)
        .entry(sign::sha256(key.as_bytes()))
        .or_insert(0);
    *last = (now_ms * 1000).max(*last + 1);
    *last
}

/// What write access to each scope allows, in [`perm`] names.
fn write_perm(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "orders" => perm::TRADE,
        // Positions are margin positions (claim, close, increase).
        "positions" => perm::MARGIN,
        // Funding offers: lending on the margin funding market.
        "funding" => perm::EARN,
        // Transfers between the account's own wallets.
        "wallets" => perm::TRANSFER,
        "withdraw" => perm::WITHDRAW,
        _ => return None,
    })
}

impl Venue for Bitfinex {
    fn id(&self) -> &'static str {
        "bitfinex"
    }
    fn host(&self) -> &'static str {
        "api.bitfinex.com"
    }
    fn docs(&self) -> &'static str {
        "https://docs.bitfinex.com/reference/key-permissions"
    }
    fn interval(&self) -> Duration {
        // 90 requests a minute.
        Duration::from_millis(700)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "API secret")?;
        let nonce = nonce(key, now_ms).to_string();
        Ok(Request::post(PATH, BODY)
            .header("Content-Type", "application/json")
            .header("bfx-nonce", &nonce)
            .header("bfx-apikey", key)
            .header("bfx-signature", signature(secret, PATH, &nonce, BODY)))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        let Some(rows) = v.as_array() else {
            return unreadable(r);
        };
        if rows.first().and_then(|x| x.as_str()) == Some("error") {
            let code = rows.get(1).and_then(code_of).unwrap_or(0);
            let msg = rows.get(2).and_then(|m| m.as_str()).unwrap_or("");
            let detail = format!("Bitfinex {code}: {}", snippet(msg));
            return match code {
                10100 => Verification::new(
                    Verdict::Revoked,
                    format!(
                        "{detail} (Bitfinex gives this for an unknown or deleted key and for a secret that does not sign for it)"
                    ),
                ),
                10114 => Verification::new(
                    Verdict::Unreachable,
                    format!(
                        "{detail} (the key has been used with larger nonces, or this machine's clock is behind)"
                    ),
                ),
                _ => unreadable(r),
            };
        }
        if r.status != 200 {
            return unreadable(r);
        }
        let mut p = Vec::new();
        let mut other = Vec::new();
        for row in rows {
            let Some(row) = row.as_array() else {
                return unreadable(r);
            };
            let Some(scope) = row.first().and_then(|s| s.as_str()) else {
                return unreadable(r);
            };
            let on = |i: usize| row.get(i).and_then(code_of).unwrap_or(0) == 1;
            if on(1) {
                p.push(perm::READ);
            }
            if on(2) {
                match write_perm(scope) {
                    Some(name) => p.push(name),
                    None => other.push(scope),
                }
            }
        }
        let detail = if other.is_empty() {
            String::new()
        } else {
            format!("may also write: {}", other.join(", "))
        };
        Verification::live(&p, None, &detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_is_signed_over_path_nonce_and_body() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Bitfinex.request(&c, 1_700_000_000_000).unwrap();
        assert_eq!((r.path.as_str(), r.body.as_str()), (PATH, "{}"));
        let nonce = r.header_value("bfx-nonce").unwrap();
        assert_eq!(nonce, "1700000000000000");
        let payload = format!("/api/v2/auth/r/permissions{nonce}{{}}");
        assert_eq!(
            r.header_value("bfx-signature").unwrap(),
            sign::hex(&sign::hmac_sha384(b"S", payload.as_bytes()))
        );
        assert_eq!(r.header_value("bfx-apikey"), Some("K"));
        // The same key again within the microsecond: a larger nonce.
        let again = Bitfinex.request(&c, 1_700_000_000_000).unwrap();
        assert_eq!(again.header_value("bfx-nonce"), Some("1700000000000001"));
    }

    #[test]
    fn answers_map_to_verdicts() {
        let c = Credential::default();
        let read = |status, body: &str| super::super::testing::read(&Bitfinex, &c, status, body);
        let full = read(
            200,
            r#"[["account",1,0],["history",1,0],["orders",1,1],["positions",1,0],["funding",1,1],["settings",1,1],["wallets",1,1],["withdraw",0,1],["ui_withdraw",0,0],["bfxpay",0,0]]"#,
        );
        assert_eq!(full.verdict, Verdict::Live);
        assert_eq!(
            full.permissions,
            ["earn", "read", "trade", "transfer", "withdraw"]
        );
        assert_eq!(full.ip_restricted, None);
        assert!(full.detail.contains("settings"), "{}", full.detail);
        let none = read(200, r#"[["account",0,0],["withdraw",0,0]]"#);
        assert_eq!((none.verdict, none.permissions.len()), (Verdict::Live, 0));
        // Bitfinex has been seen answering errors with HTTP 500.
        assert_eq!(
            read(500, r#"["error",10100,"apikey: invalid"]"#).verdict,
            Verdict::Revoked
        );
        assert_eq!(
            read(500, r#"["error",10114,"nonce: small"]"#).verdict,
            Verdict::Unreachable
        );
        assert_eq!(
            read(500, r#"["error",10020,"x"]"#).verdict,
            Verdict::Unreachable
        );
        assert_eq!(read(200, r#"{"a":1}"#).verdict, Verdict::Unreachable);
    }
}
