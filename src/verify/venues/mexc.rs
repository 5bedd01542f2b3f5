//! MEXC spot v3: `GET /api/v3/account` ("Account Information", weight 10,
//! 2 requests/s). MEXC has no endpoint that describes the calling key, so
//! this tells whether the key is live and reads the account's `canTrade`,
//! `canWithdraw` and `canDeposit`: flags of the account, which need not be
//! the key's own permissions, and nothing about an IP restriction.
//!
//! - Endpoint: <https://mexcdevelop.github.io/apidocs/spot_v3_en/#account-information>
//! - Signing (hex HMAC-SHA256 of the query string, `signature` parameter,
//!   `X-MEXC-APIKEY` header): <https://mexcdevelop.github.io/apidocs/spot_v3_en/#signed>
//! - Errors: <https://mexcdevelop.github.io/apidocs/spot_v3_en/#error-code>

use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::code_of;
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Mexc;

pub const PATH: &str = "/api/v3/account";

/// The signature of the query string (and body, none here): lowercase hex
/// HMAC-SHA256 keyed by the secret key.
pub fn signature(secret: &str, total_params: &str) -> String {
    sign::hex(&sign::hmac_sha256(
        secret.as_bytes(),
        total_params.as_bytes(),
    ))
}

const ACCOUNT_LEVEL: &str = "MEXC reports canTrade/canWithdraw/canDeposit for the account, not for the key, and does not say whether the key is IP-restricted";

impl Venue for Mexc {
    fn id(&self) -> &'static str {
        "mexc"
    }
    fn host(&self) -> &'static str {
        "api.mexc.com"
    }
    fn docs(&self) -> &'static str {
        "https://mexcdevelop.github.io/apidocs/spot_v3_en/#account-information"
    }
    fn interval(&self) -> Duration {
        Duration::from_millis(500)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "access key")?;
        let secret = Credential::need(&c.secret, "secret key")?;
        let query = format!("timestamp={now_ms}&recvWindow=10000");
        let path = format!("{PATH}?{query}&signature={}", signature(secret, &query));
        Ok(Request::get(path)
            .header("X-MEXC-APIKEY", key)
            .header("Content-Type", "application/json"))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if r.status == 200
            && let Some(p) = answer::account_flags(&v)
        {
            return Verification::live(&p, None, ACCOUNT_LEVEL);
        }
        let code = v.get("code").and_then(code_of).unwrap_or(0);
        let msg = v.get("msg").and_then(|m| m.as_str()).unwrap_or("");
        let detail = format!("MEXC {code}: {msg}");
        match code {
            10072 | 700001 => Verification::new(
                Verdict::Revoked,
                format!("{detail} (MEXC does not know this access key)"),
            ),
            700002 | 602 => Verification::new(
                Verdict::Invalid,
                format!("{detail} (the secret key found does not sign for this access key)"),
            ),
            700003 => answer::clock(&detail),
            700006 => answer::ip_bound(&detail),
            700007 => answer::cannot_read(&detail, "the account"),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Examples 2 and 3 of MEXC's "SIGNED" section. Example 1 prints
    /// `323c96ab...a117` for the same string as Example 2, which does not
    /// match its HMAC (`fd3e4e85...837a`): that value in the docs is wrong.
    #[test]
    fn docs_signing_examples() {
        let secret = "45d0b3c26f2644f19bfb98b07741b2f5";
        assert_eq!(
            signature(
                secret,
                "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
            ),
            "fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a"
        );
        // Query string and body concatenated without a separator.
        assert_eq!(
            signature(
                secret,
                "symbol=BTCUSDT&side=BUY&type=LIMITquantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
            ),
            "d1a676610ceb39174c8039b3f548357994b2a34139a8addd33baadba65684592"
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_query() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            ..Default::default()
        };
        let r = Mexc.request(&c, 1_700_000_000_000).unwrap();
        let (path, query) = r.path.split_once('?').unwrap();
        assert_eq!(path, PATH);
        let (signed, sig) = query.rsplit_once("&signature=").unwrap();
        assert_eq!(sig, signature("S", signed));
        assert!(signed.contains("timestamp=1700000000000"));
        assert_eq!(r.header_value("x-mexc-apikey"), Some("K"));
    }

    #[test]
    fn answers_read() {
        let read = |status: u16, body: &str| {
            super::super::testing::read(&Mexc, &Credential::default(), status, body)
        };
        let live = read(
            200,
            r#"{"canTrade":true,"canWithdraw":true,"canDeposit":false,"updateTime":null,"accountType":"SPOT","balances":[],"permissions":["SPOT"]}"#,
        );
        assert_eq!(live.permissions, ["read", "trade", "withdraw"]);
        assert_eq!(live.ip_restricted, None);
        assert!(live.detail.contains("account"));
        assert_eq!(
            read(400, r#"{"code":10072,"msg":"Api key info invalid"}"#).verdict,
            Verdict::Revoked
        );
        assert_eq!(
            read(
                400,
                r#"{"code":700002,"msg":"Signature for this request is not valid."}"#
            )
            .verdict,
            Verdict::Invalid
        );
        assert_eq!(read(400, r#"{"code":"700003","msg":"Timestamp for this request is outside of the recvWindow."}"#).verdict, Verdict::Unreachable);
        let ip = read(
            400,
            r#"{"code":700006,"msg":"IP [127.0.0.1] not in the ip white list"}"#,
        );
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(
            read(
                400,
                r#"{"code":700007,"msg":"No permission to access the endpoint."}"#
            )
            .verdict,
            Verdict::Live
        );
        assert_eq!(
            read(400, r#"{"code":401,"msg":"No authority"}"#).verdict,
            Verdict::Unreachable
        );
    }
}
