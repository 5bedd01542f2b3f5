//! Deribit (API v2): `GET /api/v2/public/auth` with `grant_type=
//! client_signature`, which authenticates the key without sending its
//! secret and answers with the token's `scope`: what the key may do
//! (`trade:read_write`, `wallet:read_write`, ...). It issues an access
//! token and does nothing else: no order, transfer or withdrawal.
//!
//! - Endpoint: <https://docs.deribit.com/api-reference/authentication/public-auth>
//! - Signing (hex HMAC-SHA256, keyed by the client secret, of timestamp,
//!   nonce and data joined by newlines): <https://docs.deribit.com/articles/authentication>
//! - Scopes (`account`, `trade`, `wallet`, `block_trade`, `custody`, each
//!   `read` or `read_write`): <https://docs.deribit.com/articles/authentication#access-scope>
//! - Errors (JSON-RPC `error.code`, 13004 `invalid_credentials`):
//!   <https://docs.deribit.com/articles/errors>
//!
//! The testnet (`test.deribit.com`) has its own keys and the same API.

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::sign;
use crate::verify::venue::{Venue, code_of, unreadable};
use std::time::Duration;

pub struct Deribit;

pub const PATH: &str = "/api/v2/public/auth";

/// The signature: hex HMAC-SHA256 of `timestamp\nnonce\ndata` keyed by the
/// client secret.
pub fn signature(secret: &str, timestamp_ms: u64, nonce: &str, data: &str) -> String {
    let text = format!("{timestamp_ms}\n{nonce}\n{data}");
    sign::hex(&sign::hmac_sha256(secret.as_bytes(), text.as_bytes()))
}

/// The permissions of a token's `scope` (space-separated `name:level`
/// entries; other entries such as `connection` or `expires:…` say nothing
/// about permissions).
fn permissions(scope: &str) -> Vec<&'static str> {
    let mut p = Vec::new();
    for entry in scope.split_whitespace() {
        let Some((name, level)) = entry.split_once(':') else {
            continue;
        };
        let write = level == "read_write";
        if !(write || level == "read") {
            continue;
        }
        p.push(perm::READ);
        if write {
            match name {
                "trade" | "block_trade" | "block_rfq" => p.push(perm::TRADE),
                // Wallet read-write withdraws and transfers.
                "wallet" => p.extend([perm::WITHDRAW, perm::TRANSFER]),
                "custody" => p.push(perm::TRANSFER),
                // Account read-write manages sub-accounts and keys.
                "account" => p.push(perm::ADMIN),
                _ => {}
            }
        }
    }
    p
}

impl Venue for Deribit {
    fn id(&self) -> &'static str {
        "deribit"
    }
    fn host(&self) -> &'static str {
        "www.deribit.com"
    }
    fn docs(&self) -> &'static str {
        "https://docs.deribit.com/api-reference/authentication/public-auth"
    }
    fn interval(&self) -> Duration {
        // Non-matching-engine requests: credits refill at 20 a second.
        Duration::from_millis(200)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        Some("test.deribit.com")
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "client id")?;
        let secret = Credential::need(&c.secret, "client secret")?;
        // Any string unique to this request: the clock's digits, hashed.
        let nonce = &sign::hex(&sign::sha256(format!("{now_ms}/{key}").as_bytes()))[..16];
        let sig = signature(secret, now_ms, nonce, "");
        Ok(Request::get(format!(
            "{PATH}?grant_type=client_signature&client_id={}&timestamp={now_ms}&nonce={nonce}&data=&signature={sig}",
            sign::urlencode(key)
        )))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if let Some(scope) = v
            .get("result")
            .and_then(|x| x.get("scope"))
            .and_then(|x| x.as_str())
        {
            return Verification::live(&permissions(scope), None, "");
        }
        let Some(err) = v.get("error") else {
            return unreadable(r);
        };
        let code = err.get("code").and_then(code_of).unwrap_or(0);
        let msg = err.get("message").and_then(|m| m.as_str()).unwrap_or("");
        let detail = format!("Deribit {code}: {msg}");
        match code {
            // The same answer for an unknown client id and a wrong secret.
            13004 => Verification::new(
                Verdict::Revoked,
                format!(
                    "{detail} (Deribit gives this for an unknown or deleted key and for a secret that does not sign for it)"
                ),
            ),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deribit documents the text to sign but publishes no signature: the
    /// text, and the HMAC with RFC 4231's test case 2.
    #[test]
    fn docs_signing_text() {
        // RFC 4231 case 2 through the same primitive.
        assert_eq!(
            sign::hex(&sign::hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            signature("S", 1, "n", "d"),
            sign::hex(&sign::hmac_sha256(b"S", b"1\nn\nd"))
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_timestamp_and_nonce() {
        let c = super::super::testing::ksp();
        let r = Deribit.request(&c, 1_700_000_000_123).unwrap();
        let (path, q) = r.path.split_once('?').unwrap();
        assert_eq!(path, PATH);
        let param = |n: &str| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{n}=")))
                .unwrap()
                .to_string()
        };
        assert_eq!(param("grant_type"), "client_signature");
        assert_eq!(param("client_id"), "K");
        assert_eq!(param("timestamp"), "1700000000123");
        let nonce = param("nonce");
        assert_eq!(
            param("signature"),
            signature("S", 1_700_000_000_123, &nonce, "")
        );
    }

    #[test]
    fn scopes_and_errors_read_as() {
        let c = super::super::testing::ksp();
        let read = |status, body: &str| super::super::testing::read(&Deribit, &c, status, body);
        let full = read(
            200,
            r#"{"jsonrpc":"2.0","result":{"access_token":"t","expires_in":900,"refresh_token":"r","scope":"account:read_write block_trade:read trade:read_write wallet:read_write connection mainaccount","token_type":"bearer"}}"#,
        );
        assert_eq!(full.verdict, Verdict::Live);
        assert_eq!(
            full.permissions,
            ["admin", "read", "trade", "transfer", "withdraw"]
        );
        let ro = read(
            200,
            r#"{"jsonrpc":"2.0","result":{"scope":"account:read trade:read wallet:read connection","token_type":"bearer"}}"#,
        );
        assert_eq!(ro.permissions, ["read"]);
        let bad = read(
            400,
            r#"{"jsonrpc":"2.0","error":{"message":"invalid_credentials","code":13004}}"#,
        );
        assert_eq!(bad.verdict, Verdict::Revoked);
        assert!(bad.detail.contains("13004"));
        assert_eq!(
            read(400, r#"{"jsonrpc":"2.0","error":{"message":"x","code":1}}"#).verdict,
            Verdict::Unreachable
        );
    }
}
