//! OKX (API v5): `GET /api/v5/account/config` ("Get account configuration",
//! permission Read, 5 requests per 2 seconds per user ID), which answers for
//! the key itself: its permissions (`perm`: `read_only`, `trade`,
//! `withdraw`) and the IP addresses it is bound to (`ip`, empty when none).
//!
//! - Endpoint: <https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-account-configuration>
//! - Signing (base64 HMAC-SHA256 of timestamp + method + request path +
//!   body, `OK-ACCESS-*` headers, plain passphrase): <https://www.okx.com/docs-v5/en/#overview-rest-authentication>
//! - Errors: <https://www.okx.com/docs-v5/en/#error-code-rest-api>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Okx;

pub const PATH: &str = "/api/v5/account/config";

/// The text OKX signs: timestamp (ISO 8601 with milliseconds, as in
/// `OK-ACCESS-TIMESTAMP`), method in upper case, request path with its query
/// string, and the body (empty for GET).
pub fn prehash(timestamp: &str, method: &str, request_path: &str, body: &str) -> String {
    format!("{timestamp}{method}{request_path}{body}")
}

/// `OK-ACCESS-SIGN`: base64 HMAC-SHA256 of `prehash` keyed by the secret.
pub fn signature(secret: &str, prehash: &str) -> String {
    sign::base64(&sign::hmac_sha256(secret.as_bytes(), prehash.as_bytes()))
}

impl Venue for Okx {
    fn id(&self) -> &'static str {
        "okx"
    }
    fn host(&self) -> &'static str {
        "www.okx.com"
    }
    fn docs(&self) -> &'static str {
        "https://www.okx.com/docs-v5/en/#trading-account-rest-api-get-account-configuration"
    }
    fn interval(&self) -> Duration {
        // 5 requests per 2 seconds.
        Duration::from_millis(400)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // Demo trading: the same host, told apart by a header.
        Some("www.okx.com")
    }
    fn testnet_request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        Ok(self.request(c, now_ms)?.header("x-simulated-trading", "1"))
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "secret key")?;
        let passphrase = Credential::need(&c.passphrase, "passphrase")?;
        let ts = sign::iso8601_ms(now_ms);
        let sig = signature(secret, &prehash(&ts, "GET", PATH, ""));
        Ok(Request::get(PATH)
            .header("OK-ACCESS-KEY", key)
            .header("OK-ACCESS-SIGN", sig)
            .header("OK-ACCESS-TIMESTAMP", ts)
            .header("OK-ACCESS-PASSPHRASE", passphrase)
            .header("Content-Type", "application/json"))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        let Some(code) = v.get("code").and_then(code_of) else {
            return unreadable(r);
        };
        let msg = v.get("msg").and_then(|m| m.as_str()).unwrap_or("");
        if r.status == 200 && code == 0 {
            let Some(acct) = v.get("data").and_then(|d| d.get(0)) else {
                return unreadable(r);
            };
            let Some(perms) = acct.get("perm").and_then(|p| p.as_str()) else {
                return unreadable(r);
            };
            let mut p = Vec::new();
            for name in perms.split(',').map(str::trim) {
                match name {
                    "read_only" => p.push(perm::READ),
                    // "Trade: can place and cancel orders, funding transfer,
                    // make settings".
                    "trade" => p.extend([perm::TRADE, perm::TRANSFER]),
                    "withdraw" => p.push(perm::WITHDRAW),
                    _ => {}
                }
            }
            let ip = acct
                .get("ip")
                .and_then(|x| x.as_str())
                .map(|s| !s.trim().is_empty());
            let uid = acct.get("uid").and_then(|x| x.as_str());
            let main = acct.get("mainUid").and_then(|x| x.as_str());
            let detail = match (uid, main) {
                (Some(u), Some(m)) if u != m => "a sub-account key",
                _ => "",
            };
            return Verification::live(&p, ip, detail);
        }
        let detail = format!("OKX {code}: {msg}");
        match code {
            50111 | 50119 => Verification::new(Verdict::Revoked, detail),
            50113 => answer::wrong_secret(&detail),
            50105 => answer::wrong_passphrase(&detail),
            50102 | 50112 => answer::clock(&detail),
            50110 => answer::ip_bound(&detail),
            50120 => answer::cannot_read(&detail, "the account configuration"),
            50101 => Verification::new(
                Verdict::Unreachable,
                format!(
                    "{detail} (the key belongs to another OKX environment, such as demo trading or a regional site; not checked there)"
                ),
            ),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::testing::ksp as cred;

    /// OKX publishes the formula and the shape of its parts but no signature
    /// to compare with: the prehash of the docs' example
    /// (`timestamp + 'GET' + '/api/v5/account/balance?ccy=BTC'`), with the
    /// docs' example timestamp.
    #[test]
    fn docs_signing_examples() {
        assert_eq!(
            sign::iso8601_ms(1_607_418_537_715),
            "2020-12-08T09:08:57.715Z"
        );
        assert_eq!(
            prehash(
                "2020-12-08T09:08:57.715Z",
                "GET",
                "/api/v5/account/balance?ccy=BTC",
                ""
            ),
            "2020-12-08T09:08:57.715ZGET/api/v5/account/balance?ccy=BTC"
        );
        assert_eq!(
            prehash(
                "2020-12-08T09:08:57.715Z",
                "POST",
                "/api/v5/account/set-leverage",
                r#"{"instId":"BTC-USDT","lever":"5","mgnMode":"isolated"}"#
            ),
            r#"2020-12-08T09:08:57.715ZPOST/api/v5/account/set-leverage{"instId":"BTC-USDT","lever":"5","mgnMode":"isolated"}"#
        );
        // Base64 of HMAC-SHA256 (RFC 4231, test case 2).
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_method_path_and_timestamp() {
        let r = Okx.request(&cred(), 1_700_000_000_123).unwrap();
        assert_eq!(r.method, crate::verify::http::Method::Get);
        assert_eq!(r.path, PATH);
        assert!(r.body.is_empty());
        let ts = r.header_value("ok-access-timestamp").unwrap();
        assert_eq!(ts, "2023-11-14T22:13:20.123Z");
        assert_eq!(
            r.header_value("ok-access-sign"),
            Some(signature("S", &format!("{ts}GET{PATH}")).as_str())
        );
        assert_eq!(r.header_value("ok-access-key"), Some("K"));
        assert_eq!(r.header_value("ok-access-passphrase"), Some("P"));
    }

    #[test]
    fn a_missing_part_is_not_sent() {
        let mut c = cred();
        c.passphrase = None;
        let v = Okx.request(&c, 0).unwrap_err();
        assert_eq!(v.verdict, Verdict::Unsupported);
        assert!(v.detail.contains("passphrase"), "{}", v.detail);
    }

    #[test]
    fn documented_answers_read_as() {
        let read = |status, body: &str| super::super::testing::read(&Okx, &cred(), status, body);
        let ok = read(
            200,
            r#"{"code":"0","data":[{"acctLv":"2","ip":"","label":"v5 test","mainUid":"44705892343619584","perm":"read_only,withdraw,trade","uid":"44705892343619584"}],"msg":""}"#,
        );
        assert_eq!(ok.verdict, Verdict::Live);
        assert_eq!(ok.permissions, ["read", "trade", "transfer", "withdraw"]);
        assert_eq!(ok.ip_restricted, Some(false));
        let sub = read(
            200,
            r#"{"code":"0","data":[{"ip":"117.37.203.58,117.37.203.57","mainUid":"1","perm":"read_only","uid":"2"}],"msg":""}"#,
        );
        assert_eq!((sub.permissions.len(), sub.ip_restricted), (1, Some(true)));
        assert_eq!(sub.detail, "a sub-account key");
        let err = |code: &str, status| {
            read(
                status,
                &format!(r#"{{"code":"{code}","msg":"m","data":[]}}"#),
            )
        };
        assert_eq!(err("50111", 401).verdict, Verdict::Revoked);
        assert_eq!(err("50119", 200).verdict, Verdict::Revoked);
        assert_eq!(err("50113", 401).verdict, Verdict::Invalid);
        assert_eq!(err("50105", 401).verdict, Verdict::Invalid);
        assert_eq!(err("50102", 401).verdict, Verdict::Unreachable);
        assert!(err("50102", 401).detail.contains("clock"));
        let ip = err("50110", 401);
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(err("50120", 200).verdict, Verdict::Live);
        assert_eq!(err("50101", 401).verdict, Verdict::Unreachable);
        assert_eq!(err("50000", 400).verdict, Verdict::Unreachable);
        assert_eq!(read(200, "<html>").verdict, Verdict::Unreachable);
    }
}
