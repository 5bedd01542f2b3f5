//! Binance spot: `GET /sapi/v1/account/apiRestrictions` ("Get API Key
//! Permission", weight 1), which answers for the key itself: reading,
//! trading, withdrawals, transfers and whether it is limited to listed IPs.
//!
//! - Endpoint: <https://developers.binance.com/docs/wallet/account/api-key-permission>
//! - Signing (HMAC-SHA256 of the query string, hex, `signature` parameter,
//!   `X-MBX-APIKEY` header): <https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type>
//! - Errors: <https://developers.binance.com/docs/binance-spot-api-docs/errors>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Binance;

pub const PATH: &str = "/sapi/v1/account/apiRestrictions";
/// The Spot testnet's account endpoint (the testnet has no `/sapi/*`).
pub const TESTNET_PATH: &str = "/api/v3/account";

/// The signature of a query string: hex HMAC-SHA256 keyed by the secret.
pub fn signature(secret: &str, query: &str) -> String {
    sign::hex(&sign::hmac_sha256(secret.as_bytes(), query.as_bytes()))
}

impl Venue for Binance {
    fn id(&self) -> &'static str {
        "binance"
    }
    fn host(&self) -> &'static str {
        "api.binance.com"
    }
    fn docs(&self) -> &'static str {
        "https://developers.binance.com/docs/wallet/account/api-key-permission"
    }
    fn interval(&self) -> Duration {
        Duration::from_millis(200)
    }
    fn testnet_host(&self) -> Option<&'static str> {
        // The Spot testnet serves `/api/*` only: no `/sapi/*` endpoints.
        Some("testnet.binance.vision")
    }
    /// On the Spot testnet: `GET /api/v3/account` ("Account information",
    /// USER_DATA, signed the same way), whose `canTrade`, `canWithdraw` and
    /// `canDeposit` say what the key may do.
    fn testnet_request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        // The same parts are needed and the same kinds of key unsupported.
        self.request(c, now_ms)?;
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "secret key")?;
        let query = format!("omitZeroBalances=true&recvWindow=10000&timestamp={now_ms}");
        let path = format!(
            "{TESTNET_PATH}?{query}&signature={}",
            signature(secret, &query)
        );
        Ok(Request::get(path).header("X-MBX-APIKEY", key))
    }
    fn testnet_interpret(&self, c: &Credential, r: &Response) -> Verification {
        if let (200, Some(v)) = (r.status, r.json())
            && let Some(p) = answer::account_flags(&v)
        {
            return Verification::live(&p, None, "");
        }
        self.interpret(c, r)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        if c.secret.is_none() && c.private_key.is_some() {
            return Err(Verification::new(
                Verdict::Unsupported,
                "RSA and Ed25519 Binance keys are not verified yet; only HMAC keys",
            ));
        }
        let secret = Credential::need(&c.secret, "secret key")?;
        let query = format!("recvWindow=10000&timestamp={now_ms}");
        let path = format!("{PATH}?{query}&signature={}", signature(secret, &query));
        Ok(Request::get(path).header("X-MBX-APIKEY", key))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if r.status == 200 && v.get("enableReading").is_some() {
            let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
            let mut p = Vec::new();
            for (field, name) in [
                ("enableReading", perm::READ),
                ("enableSpotAndMarginTrading", perm::TRADE),
                // Portfolio margin (unified account) orders and FIX API
                // orders are trading too; FIX read-only is reading.
                ("enablePortfolioMarginTrading", perm::TRADE),
                ("enableFixApiTrade", perm::TRADE),
                ("enableFixReadOnly", perm::READ),
                ("enableWithdrawals", perm::WITHDRAW),
                ("enableInternalTransfer", perm::TRANSFER),
                ("permitsUniversalTransfer", perm::TRANSFER),
                ("enableMargin", perm::MARGIN),
                ("enableFutures", perm::FUTURES),
                ("enableVanillaOptions", perm::OPTIONS),
            ] {
                if flag(field) {
                    p.push(name);
                }
            }
            let ip = v.get("ipRestrict").and_then(|x| x.as_bool());
            return Verification::live(&p, ip, "");
        }
        let code = v.get("code").and_then(|c| c.as_i64()).unwrap_or(0);
        let msg = v.get("msg").and_then(|m| m.as_str()).unwrap_or("");
        let detail = format!("Binance {code}: {msg}");
        match code {
            // -2015 is also the answer for a key restricted to other IPs.
            -2014 | -2015 => Verification::new(
                Verdict::Revoked,
                format!(
                    "{detail} (Binance gives this for a deleted key and for a key restricted to other IP addresses)"
                ),
            ),
            -1022 => answer::wrong_secret(&detail),
            -1021 => answer::clock(&detail),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HMAC example of Binance's "SIGNED endpoint examples".
    #[test]
    fn docs_signing_examples() {
        let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        let q = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        assert_eq!(
            signature(secret, q),
            "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"
        );
        let q2 = "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        assert_eq!(
            signature(secret, q2),
            "e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"
        );
    }

    /// Every documented trading flag grants trading: the docs' example (a
    /// portfolio-margin key), a FIX-only trading key, and a key with every
    /// flag off but FIX read-only.
    #[test]
    fn every_documented_trading_flag_is_trading() {
        let c = Credential::default();
        let read = |body: &str| {
            let v = super::super::testing::read(&Binance, &c, 200, body);
            assert_eq!(v.verdict, Verdict::Live, "{v:?}");
            v.permissions
        };
        let docs = r#"{"ipRestrict":false,"createTime":1698645219000,"enableReading":true,"enableWithdrawals":false,"enableInternalTransfer":false,"enableMargin":false,"enableFutures":false,"permitsUniversalTransfer":false,"enableVanillaOptions":false,"enableFixApiTrade":false,"enableFixReadOnly":true,"enableSpotAndMarginTrading":false,"enablePortfolioMarginTrading":true}"#;
        assert_eq!(read(docs), ["read", "trade"]);
        let fix = docs
            .replace(
                r#""enablePortfolioMarginTrading":true"#,
                r#""enablePortfolioMarginTrading":false"#,
            )
            .replace(
                r#""enableFixApiTrade":false"#,
                r#""enableFixApiTrade":true"#,
            );
        assert_eq!(read(&fix), ["read", "trade"]);
        let none = fix.replace(
            r#""enableFixApiTrade":true"#,
            r#""enableFixApiTrade":false"#,
        );
        assert_eq!(read(&none), ["read"]);
        let nothing = none
            .replace(r#""enableReading":true"#, r#""enableReading":false"#)
            .replace(
                r#""enableFixReadOnly":true"#,
                r#""enableFixReadOnly":false"#,
            );
        assert!(read(&nothing).is_empty());
    }

    #[test]
    fn the_request_is_signed_over_its_own_query() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Binance.request(&c, 1_700_000_000_000).unwrap();
        let (path, query) = r.path.split_once('?').unwrap();
        assert_eq!(path, PATH);
        let (signed, sig) = query.rsplit_once("&signature=").unwrap();
        assert_eq!(sig, signature("S", signed));
        assert!(signed.contains("timestamp=1700000000000"));
        assert_eq!(r.header_value("x-mbx-apikey"), Some("K"));
    }
}
