//! Bybit v5: `GET /v5/user/query-api` ("Get API Key Information", any
//! permission may call it, 10 requests/s), which answers for the key itself:
//! read-only or read-write, the permissions by product, and the bound IPs.
//!
//! - Endpoint: <https://bybit-exchange.github.io/docs/v5/user/apikey-info>
//! - Signing (hex HMAC-SHA256 of timestamp, API key, recv window and query
//!   string; `X-BAPI-API-KEY`, `X-BAPI-TIMESTAMP`, `X-BAPI-RECV-WINDOW`,
//!   `X-BAPI-SIGN` headers): <https://bybit-exchange.github.io/docs/v5/guide#authentication>
//! - Errors: <https://bybit-exchange.github.io/docs/v5/error>
//!
//! Keys of Bybit's regional sites (bybit.nl, bybit.eu, bybit.tr, ...) and of
//! its testnet are not known to `api.bybit.com`, which then answers 10003
//! like for a deleted key.

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use serde_json::Value;
use std::time::Duration;

pub struct Bybit;

pub const PATH: &str = "/v5/user/query-api";
/// Milliseconds the request stays valid (Bybit's default is 5000).
pub const RECV_WINDOW: &str = "10000";

/// The string Bybit signs for a GET: timestamp, API key, recv window and
/// query string, concatenated.
pub fn prehash(timestamp: &str, api_key: &str, recv_window: &str, query: &str) -> String {
    format!("{timestamp}{api_key}{recv_window}{query}")
}

/// `X-BAPI-SIGN`: lowercase hex HMAC-SHA256 of `prehash`, keyed by the secret.
pub fn signature(secret: &str, prehash: &str) -> String {
    sign::hex(&sign::hmac_sha256(secret.as_bytes(), prehash.as_bytes()))
}

/// The permissions of a read-write key, from its `permissions` object.
fn permissions(p: &Value) -> Vec<&'static str> {
    let list = |k: &str| -> Vec<&str> {
        p.get(k)
            .and_then(|x| x.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default()
    };
    let mut out = vec![perm::READ];
    for (group, trades) in [
        ("Spot", &[][..]),
        ("ContractTrade", &[perm::FUTURES][..]),
        ("Derivatives", &[perm::FUTURES][..]),
        ("Options", &[perm::OPTIONS][..]),
        ("CopyTrading", &[][..]),
        ("BlockTrade", &[][..]),
    ] {
        if !list(group).is_empty() {
            out.push(perm::TRADE);
            out.extend_from_slice(trades);
        }
    }
    if !list("Earn").is_empty() {
        out.push(perm::EARN);
    }
    for w in list("Wallet") {
        if w.eq_ignore_ascii_case("Withdraw") {
            out.push(perm::WITHDRAW);
        } else if w.contains("Transfer") {
            out.push(perm::TRANSFER);
        }
    }
    out
}

impl Venue for Bybit {
    fn id(&self) -> &'static str {
        "bybit"
    }
    fn host(&self) -> &'static str {
        "api.bybit.com"
    }
    fn docs(&self) -> &'static str {
        "https://bybit-exchange.github.io/docs/v5/user/apikey-info"
    }
    fn interval(&self) -> Duration {
        Duration::from_millis(200)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // The testnet takes the same signed request; its keys are created
        // at testnet.bybit.com.
        Some("api-testnet.bybit.com")
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        if c.secret.is_none() && c.private_key.is_some() {
            return Err(Verification::new(
                Verdict::Unsupported,
                "RSA Bybit keys are not verified yet; only HMAC keys",
            ));
        }
        let secret = Credential::need(&c.secret, "API secret")?;
        let ts = now_ms.to_string();
        let sig = signature(secret, &prehash(&ts, key, RECV_WINDOW, ""));
        Ok(Request::get(PATH)
            .header("X-BAPI-API-KEY", key)
            .header("X-BAPI-TIMESTAMP", ts)
            .header("X-BAPI-RECV-WINDOW", RECV_WINDOW)
            .header("X-BAPI-SIGN", sig))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        let Some(code) = v.get("retCode").and_then(code_of) else {
            return unreadable(r);
        };
        let msg = v.get("retMsg").and_then(|m| m.as_str()).unwrap_or("");
        let detail = format!("Bybit {code}: {msg}");
        match code {
            0 => {
                let Some(res) = v.get("result").filter(|x| x.get("readOnly").is_some()) else {
                    return unreadable(r);
                };
                let read_only = res.get("readOnly").and_then(code_of) == Some(1);
                let p = if read_only {
                    vec![perm::READ]
                } else {
                    permissions(&res["permissions"])
                };
                // No bound IP shows as ["*"] in Bybit's example.
                let ip = res.get("ips").and_then(|x| x.as_array()).map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .any(|s| !s.is_empty() && s != "*")
                });
                let kind = if read_only { "read-only" } else { "read-write" };
                Verification::live(&p, ip, &format!("a {kind} Bybit key"))
            }
            10003 | 33004 => Verification::new(
                Verdict::Revoked,
                format!(
                    "{detail} (deleted or expired, or a key of Bybit's testnet or a regional Bybit site)"
                ),
            ),
            10004 => answer::wrong_secret(&detail),
            10002 => answer::clock(&detail),
            10010 => Verification::live(
                &[],
                Some(true),
                &format!("{detail} (the key signs but is bound to other IP addresses)"),
            ),
            10005 => answer::cannot_read(&detail, "its own permissions"),
            10009 => Verification::new(
                Verdict::Unreachable,
                format!("{detail} (Bybit refuses this machine's region)"),
            ),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bybit's guide shows the string to sign for a GET (its example key is
    /// masked and its secret is not published, so the signatures it prints
    /// cannot be checked).
    #[test]
    fn docs_string_to_sign() {
        assert_eq!(
            prehash(
                "1658384314791",
                "XXXXXXXXXX",
                "5000",
                "category=option&symbol=BTC-29JUL22-25000-C"
            ),
            "1658384314791XXXXXXXXXX5000category=option&symbol=BTC-29JUL22-25000-C"
        );
        // RFC 4231 test case 2: the HMAC and hex encoding Bybit asks for.
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_headers() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Bybit.request(&c, 1_700_000_000_000).unwrap();
        assert_eq!(r.path, PATH);
        let h = |n: &str| r.header_value(n).unwrap().to_string();
        assert_eq!(h("x-bapi-api-key"), "K");
        assert_eq!(h("x-bapi-timestamp"), "1700000000000");
        let want = signature(
            "S",
            &prehash(&h("x-bapi-timestamp"), "K", &h("x-bapi-recv-window"), ""),
        );
        assert_eq!(h("x-bapi-sign"), want);
    }

    #[test]
    fn answers_read() {
        let read = |status: u16, body: &str| {
            super::super::testing::read(&Bybit, &Credential::default(), status, body)
        };
        let rw = read(
            200,
            r#"{"retCode":0,"retMsg":"","result":{"readOnly":0,"permissions":{"ContractTrade":["Order","Position"],"Spot":["SpotTrade"],"Wallet":["AccountTransfer","SubMemberTransfer","Withdraw"],"Options":[],"Derivatives":[],"Earn":[]},"ips":["*"]}}"#,
        );
        assert_eq!(
            rw.permissions,
            ["futures", "read", "trade", "transfer", "withdraw"]
        );
        assert_eq!(rw.ip_restricted, Some(false));
        let ro = read(
            200,
            r#"{"retCode":0,"retMsg":"","result":{"readOnly":1,"permissions":{"Wallet":["AccountTransfer"]},"ips":["18.181.170.164"]}}"#,
        );
        assert_eq!(
            (ro.permissions.clone(), ro.ip_restricted),
            (vec!["read".to_string()], Some(true))
        );
        for status in [200, 401] {
            assert_eq!(
                read(
                    status,
                    r#"{"retCode":10003,"retMsg":"API key is invalid."}"#
                )
                .verdict,
                Verdict::Revoked
            );
            assert_eq!(
                read(status, r#"{"retCode":10004,"retMsg":"error sign!"}"#).verdict,
                Verdict::Invalid
            );
        }
        assert_eq!(
            read(200, r#"{"retCode":10002,"retMsg":"invalid request"}"#).verdict,
            Verdict::Unreachable
        );
        let ip = read(401, r#"{"retCode":10010,"retMsg":"Unmatched IP"}"#);
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(read(401, "Unauthorized").verdict, Verdict::Unreachable);
    }
}
