//! Bitget (API v2): `GET /api/v2/spot/account/info` ("Get Account
//! Information", 1 request per second per user ID), which answers with the
//! calling key's permissions (`authorities`) and IP whitelist (`ips`).
//!
//! - Endpoint: <https://www.bitget.com/api-doc/spot/account/Get-Account-Info>
//! - Signing (base64 HMAC-SHA256 of timestamp + method + request path
//!   (+ `?` query) + body, `ACCESS-*` headers, plain passphrase): <https://www.bitget.com/api-doc/common/signature>
//! - Errors: <https://www.bitget.com/api-doc/spot/error-code/restapi>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Bitget;

pub const PATH: &str = "/api/v2/spot/account/info";

/// The text Bitget signs: timestamp (Unix ms, as in `ACCESS-TIMESTAMP`),
/// method in upper case, request path, `?` and the query string when there
/// is one, and the body (empty for GET).
pub fn prehash(
    timestamp_ms: u64,
    method: &str,
    request_path: &str,
    query: &str,
    body: &str,
) -> String {
    if query.is_empty() {
        format!("{timestamp_ms}{method}{request_path}{body}")
    } else {
        format!("{timestamp_ms}{method}{request_path}?{query}{body}")
    }
}

/// `ACCESS-SIGN`: base64 HMAC-SHA256 of `prehash` keyed by the secret key.
pub fn signature(secret: &str, prehash: &str) -> String {
    sign::base64(&sign::hmac_sha256(secret.as_bytes(), prehash.as_bytes()))
}

/// The permission a code of `authorities` grants; `None` for read-only
/// codes and codes not listed in the docs.
fn authority(code: &str) -> Option<&'static str> {
    Some(match code {
        // The coarse names of the docs' response example.
        "trade" => perm::TRADE,
        "transfer" => perm::TRANSFER,
        "withdraw" => perm::WITHDRAW,
        // Read and write: spot trade, margin trade, futures orders and
        // holdings, copy trading, wallet transfer, wallet withdrawal,
        // sub-account management, P2P, pledge loans.
        "stow" => perm::TRADE,
        "smow" => perm::MARGIN,
        "coow" | "cpow" => perm::FUTURES,
        "ttow" => perm::TRADE,
        "wtow" => perm::TRANSFER,
        "wwow" => perm::WITHDRAW,
        "chow" => perm::ADMIN,
        // P2P read and write (`p2pw`, and the coarse `p2p`): placing P2P
        // ads and orders moves funds as trading does.
        "p2p" | "p2pw" => perm::TRADE,
        // Tax read and write: the tax endpoints only list records, so it
        // grants reading and nothing more.
        "taxw" => perm::READ,
        "pllw" => perm::MARGIN,
        _ => return None,
    })
}

impl Venue for Bitget {
    fn id(&self) -> &'static str {
        "bitget"
    }
    fn host(&self) -> &'static str {
        "api.bitget.com"
    }
    fn docs(&self) -> &'static str {
        "https://www.bitget.com/api-doc/spot/account/Get-Account-Info"
    }
    fn interval(&self) -> Duration {
        // 1 request per second.
        Duration::from_secs(1)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "secret key")?;
        let passphrase = Credential::need(&c.passphrase, "passphrase")?;
        let sig = signature(secret, &prehash(now_ms, "GET", PATH, "", ""));
        Ok(Request::get(PATH)
            .header("ACCESS-KEY", key)
            .header("ACCESS-SIGN", sig)
            .header("ACCESS-TIMESTAMP", now_ms.to_string())
            .header("ACCESS-PASSPHRASE", passphrase)
            .header("Content-Type", "application/json")
            .header("locale", "en-US"))
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
            let data = v.get("data");
            let Some(codes) = data
                .and_then(|d| d.get("authorities"))
                .and_then(|a| a.as_array())
            else {
                return unreadable(r);
            };
            // The key has just read the account: it may read.
            let mut p = vec![perm::READ];
            p.extend(
                codes
                    .iter()
                    .filter_map(|c| c.as_str())
                    .filter_map(authority),
            );
            let ip = data
                .and_then(|d| d.get("ips"))
                .and_then(|x| x.as_str())
                .map(|s| !s.trim().is_empty());
            return Verification::live(&p, ip, "");
        }
        let detail = format!("Bitget {code}: {msg}");
        match code {
            40006 | 40037 => Verification::new(Verdict::Revoked, detail),
            40009 => answer::wrong_secret(&detail),
            40012 | 40036 => answer::wrong_passphrase(&detail),
            40005 | 40008 => answer::clock(&detail),
            40018 | 40038 => answer::ip_bound(&detail),
            40014 => answer::cannot_read(&detail, "the spot account"),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::testing::ksp as cred;

    /// Bitget publishes the texts to sign of two examples but no secret or
    /// signature: the texts, and the HMAC with RFC 4231's test case 2.
    #[test]
    fn docs_signing_examples() {
        assert_eq!(
            prehash(
                16_273_667_805_456,
                "GET",
                "/api/mix/v2/market/depth",
                "limit=20&symbol=BTCUSDT",
                ""
            ),
            "16273667805456GET/api/mix/v2/market/depth?limit=20&symbol=BTCUSDT"
        );
        let body = r#"{"productType":"usdt-futures","symbol":"BTCUSDT","size":"8","marginMode":"crossed","side":"buy","orderType":"limit","clientOid":"channel#123456"}"#;
        assert_eq!(
            prehash(
                16_273_667_805_456,
                "POST",
                "/api/v2/mix/order/place-order",
                "",
                body
            ),
            format!("16273667805456POST/api/v2/mix/order/place-order{body}")
        );
        assert_eq!(
            signature("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_method_path_and_timestamp() {
        let r = Bitget.request(&cred(), 1_700_000_000_123).unwrap();
        assert_eq!(r.method, crate::verify::http::Method::Get);
        assert_eq!(r.path, PATH);
        assert!(r.body.is_empty());
        assert_eq!(r.header_value("access-timestamp"), Some("1700000000123"));
        assert_eq!(
            r.header_value("access-sign"),
            Some(signature("S", &format!("1700000000123GET{PATH}")).as_str())
        );
        assert_eq!(r.header_value("access-key"), Some("K"));
        assert_eq!(r.header_value("access-passphrase"), Some("P"));
    }

    #[test]
    fn a_missing_part_is_not_sent() {
        let mut c = cred();
        c.passphrase = None;
        super::super::testing::assert_not_sent(&Bitget, &c);
    }

    #[test]
    fn documented_answers_read_as() {
        let read = |status, body: &str| super::super::testing::read(&Bitget, &cred(), status, body);
        // The example of the endpoint's docs.
        let ok = read(
            200,
            r#"{"code":"00000","msg":"success","requestTime":1695808949356,"data":{"userId":"**********","inviterId":"**********","ips":"127.0.0.1","authorities":["trade","readonly"],"parentId":1,"traderType":"trader","channelCode":"XXX","channel":"YYY","regisTime":"1246566789345"}}"#,
        );
        assert_eq!(ok.verdict, Verdict::Live);
        assert_eq!(ok.permissions, ["read", "trade"]);
        assert_eq!(ok.ip_restricted, Some(true));
        let codes = read(
            200,
            r#"{"code":"00000","msg":"success","data":{"ips":"","authorities":["stor","stow","smow","coow","cpor","wtow","wwow","chow","taxr"]}}"#,
        );
        assert_eq!(
            codes.permissions,
            [
                "admin", "futures", "margin", "read", "trade", "transfer", "withdraw"
            ]
        );
        assert_eq!(codes.ip_restricted, Some(false));
        // P2P read-write trades; tax read-write only reads.
        let p2p = read(
            200,
            r#"{"code":"00000","msg":"success","data":{"ips":"","authorities":["p2pw","taxw"]}}"#,
        );
        assert_eq!(p2p.permissions, ["read", "trade"]);
        let tax = read(
            200,
            r#"{"code":"00000","msg":"success","data":{"ips":"","authorities":["taxw","p2pr"]}}"#,
        );
        assert_eq!(tax.permissions, ["read"]);
        let err = |code: &str, status| {
            read(
                status,
                &format!(r#"{{"code":"{code}","msg":"m","requestTime":1,"data":null}}"#),
            )
        };
        assert_eq!(err("40006", 400).verdict, Verdict::Revoked);
        assert_eq!(err("40037", 400).verdict, Verdict::Revoked);
        assert_eq!(err("40009", 400).verdict, Verdict::Invalid);
        assert_eq!(err("40012", 400).verdict, Verdict::Invalid);
        assert_eq!(err("40036", 400).verdict, Verdict::Invalid);
        assert!(err("40008", 400).detail.contains("clock"));
        let ip = err("40018", 400);
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(err("40038", 400).ip_restricted, Some(true));
        assert_eq!(err("40014", 400).verdict, Verdict::Live);
        assert_eq!(err("40013", 400).verdict, Verdict::Unreachable);
    }
}
