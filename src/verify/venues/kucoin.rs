//! KuCoin: `GET /api/v1/user/api-key` ("Get Apikey Info", permission
//! General, weight 20 of the Management pool), which answers for the key
//! itself, master's or sub-account's: its permissions (`permission`:
//! `General`, `Spot`, `Margin`, `Futures`, `InnerTransfer`, `Transfer`,
//! `Earn`) and its IP whitelist (`ipWhitelist`).
//!
//! - Endpoint: <https://www.kucoin.com/docs-new/api-3470130>
//! - Signing (base64 HMAC-SHA256 of timestamp + method + endpoint + body,
//!   `KC-API-*` headers, the passphrase HMAC'd with the secret for version 2
//!   keys): <https://www.kucoin.com/docs-new/authentication> and
//!   <https://docs.kucoin.com/#signing-a-message>
//! - Errors: <https://docs.kucoin.com/#errors>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Kucoin;

pub const PATH: &str = "/api/v1/user/api-key";

/// The text KuCoin signs: timestamp (Unix ms, as in `KC-API-TIMESTAMP`),
/// method in upper case, endpoint with its query string, and the body
/// (empty for GET).
pub fn prehash(timestamp_ms: u64, method: &str, endpoint: &str, body: &str) -> String {
    format!("{timestamp_ms}{method}{endpoint}{body}")
}

/// Base64 HMAC-SHA256 of `text` keyed by the secret: `KC-API-SIGN` of a
/// prehash, and `KC-API-PASSPHRASE` of a version 2 key's passphrase.
pub fn sign_text(secret: &str, text: &str) -> String {
    sign::base64(&sign::hmac_sha256(secret.as_bytes(), text.as_bytes()))
}

impl Venue for Kucoin {
    fn id(&self) -> &'static str {
        "kucoin"
    }
    fn host(&self) -> &'static str {
        "api.kucoin.com"
    }
    fn docs(&self) -> &'static str {
        "https://www.kucoin.com/docs-new/api-3470130"
    }
    fn interval(&self) -> Duration {
        // Weight 20 of the Management pool, whose quota per 30 s depends on
        // the account's VIP level.
        Duration::from_secs(1)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // The sandbox of KuCoin's SDKs serves the same API to its own keys.
        Some("openapi-sandbox.kucoin.com")
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "API secret")?;
        let passphrase = Credential::need(&c.passphrase, "passphrase")?;
        let sig = sign_text(secret, &prehash(now_ms, "GET", PATH, ""));
        Ok(Request::get(PATH)
            .header("KC-API-KEY", key)
            .header("KC-API-SIGN", sig)
            .header("KC-API-TIMESTAMP", now_ms.to_string())
            .header("KC-API-PASSPHRASE", sign_text(secret, passphrase))
            .header("KC-API-KEY-VERSION", "2")
            .header("Content-Type", "application/json"))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        let Some(code) = v.get("code").and_then(code_of) else {
            return unreadable(r);
        };
        if r.status == 200 && code == 200_000 {
            let data = v.get("data");
            let Some(perms) = data
                .and_then(|d| d.get("permission"))
                .and_then(|p| p.as_str())
            else {
                return unreadable(r);
            };
            let mut p = Vec::new();
            for name in perms.split(',').map(str::trim) {
                match name {
                    "General" => p.push(perm::READ),
                    "Spot" => p.push(perm::TRADE),
                    "Margin" => p.push(perm::MARGIN),
                    "Futures" | "LeadtradeFutures" => p.push(perm::FUTURES),
                    "Earn" => p.push(perm::EARN),
                    // Flexible transfers between the user's own accounts.
                    "InnerTransfer" | "FlexTransfers" => p.push(perm::TRANSFER),
                    // The "Withdrawal" permission of the web page; the
                    // withdrawal endpoints name it `Withdrawal`.
                    "Transfer" | "Withdrawal" => p.push(perm::WITHDRAW),
                    _ => {}
                }
            }
            let ip = data
                .and_then(|d| d.get("ipWhitelist"))
                .and_then(|x| x.as_str())
                .map(|s| !s.trim().is_empty());
            let sub = data
                .and_then(|d| d.get("isMaster"))
                .and_then(|x| x.as_bool())
                == Some(false);
            return Verification::live(&p, ip, if sub { "a sub-account key" } else { "" });
        }
        let msg = v.get("msg").and_then(|m| m.as_str()).unwrap_or("");
        let detail = format!("KuCoin {code}: {msg}");
        match code {
            400_003 => Verification::new(Verdict::Revoked, detail),
            400_005 => answer::wrong_secret(&detail),
            400_004 => Verification::new(
                Verdict::Invalid,
                format!(
                    "{detail} (the passphrase found is not this key's, or the key is a legacy version 1 key)"
                ),
            ),
            400_002 => answer::clock(&detail),
            400_006 => answer::ip_bound(&detail),
            400_007 => answer::cannot_read(&detail, "its own information"),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::testing::ksp as cred;

    #[test]
    fn docs_signing_examples() {
        // "Signing a Message" of the (legacy) KuCoin API docs: the example
        // of Create Deposit Address.
        let text = prehash(
            1_547_015_186_532,
            "POST",
            "/api/v1/deposit-addresses",
            r#"{"currency":"BTC"}"#,
        );
        assert_eq!(
            text,
            r#"1547015186532POST/api/v1/deposit-addresses{"currency":"BTC"}"#
        );
        assert_eq!(
            sign_text("f03a5284-5c39-4aaa-9b20-dea10bdcf8e3", &text),
            "7QP/oM0ykidMdrfNEUmng8eZjg/ZvPafjIqmxiVfYu4="
        );
        // The signer test of KuCoin's universal SDK
        // (`sign(b"test_plain", b"test_api_secret")`), the function that
        // signs prehashes and passphrases alike.
        assert_eq!(
            sign_text("test_api_secret", "test_plain"),
            "jie/gxS38wLFFaBwl/cAzFbAzlI8MIny96jSXrB+iP4="
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_method_path_and_timestamp() {
        let r = Kucoin.request(&cred(), 1_700_000_000_123).unwrap();
        assert_eq!(r.method, crate::verify::http::Method::Get);
        assert_eq!(r.path, PATH);
        assert!(r.body.is_empty());
        assert_eq!(r.header_value("kc-api-timestamp"), Some("1700000000123"));
        assert_eq!(
            r.header_value("kc-api-sign"),
            Some(sign_text("S", &format!("1700000000123GET{PATH}")).as_str())
        );
        assert_eq!(
            r.header_value("kc-api-passphrase"),
            Some(sign_text("S", "P").as_str())
        );
        assert_eq!(r.header_value("kc-api-key"), Some("K"));
        assert_eq!(r.header_value("kc-api-key-version"), Some("2"));
    }

    #[test]
    fn a_missing_part_is_not_sent() {
        let mut c = cred();
        c.passphrase = None;
        super::super::testing::assert_not_sent(&Kucoin, &c);
    }

    #[test]
    fn documented_answers_read_as() {
        let read = |status, body: &str| super::super::testing::read(&Kucoin, &cred(), status, body);
        // The example of the endpoint's docs.
        let ok = read(
            200,
            r#"{"code":"200000","data":{"remark":"account1","apiKey":"6705f5c311545b000157d3eb","apiVersion":3,"permission":"General,Futures,Spot,Earn,InnerTransfer,Transfer,Margin","ipWhitelist":"203.**.154,103.**.34","createdAt":1728443843000,"uid":165111215,"isMaster":true}}"#,
        );
        assert_eq!(ok.verdict, Verdict::Live);
        assert_eq!(
            ok.permissions,
            [
                "earn", "futures", "margin", "read", "trade", "transfer", "withdraw"
            ]
        );
        assert_eq!(ok.ip_restricted, Some(true));
        let err = |code: &str, status| read(status, &format!(r#"{{"code":"{code}","msg":"m"}}"#));
        assert_eq!(err("400003", 401).verdict, Verdict::Revoked);
        assert_eq!(err("400005", 401).verdict, Verdict::Invalid);
        assert_eq!(err("400004", 401).verdict, Verdict::Invalid);
        assert!(err("400002", 401).detail.contains("clock"));
        let ip = err("400006", 401);
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(err("400007", 403).verdict, Verdict::Live);
        assert_eq!(err("411100", 403).verdict, Verdict::Unreachable);
    }
}
