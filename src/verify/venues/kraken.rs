//! Kraken spot: `POST /0/private/GetApiKeyInfo` ("Get API Key Info", no key
//! permission required), which answers for the key itself: its permissions,
//! its IP allow-list and its expiry. It is a POST because every Kraken
//! private call is one (the nonce travels in the body), but it only reads.
//!
//! Kraken locks a source out (`EGeneral:Temporary lockout`) after repeated
//! `EAPI:Invalid key` answers, so each credential is asked once, never
//! retried, and requests are spaced a second apart.
//!
//! - Endpoint: <https://docs.kraken.com/api-reference/account-data/get-api-key-info>
//! - Signing (`API-Sign` = base64 HMAC-SHA512, keyed by the base64-decoded
//!   private key, of the URI path and the SHA-256 of nonce and body; `API-Key`
//!   header): <https://docs.kraken.com/api/docs/guides/spot-rest-auth>
//! - Permissions: <https://docs.kraken.com/exchange/guides/rest/api-keys>
//! - Errors: <https://docs.kraken.com/exchange/guides/general/errors>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Kraken;

pub const PATH: &str = "/0/private/GetApiKeyInfo";

/// `API-Sign`: base64 HMAC-SHA512, keyed by the decoded private key, of the
/// URI path followed by the raw SHA-256 of the nonce and the body as sent.
pub fn signature(secret: &[u8], path: &str, nonce: &str, body: &str) -> String {
    let digest = sign::sha256(format!("{nonce}{body}").as_bytes());
    let mut msg = path.as_bytes().to_vec();
    msg.extend_from_slice(&digest);
    sign::base64(&sign::hmac_sha512(secret, &msg))
}

/// Kraken's permission slugs in [`perm`] names. The documented example
/// shows `query-funds`, `withdraw-funds`, `query-open-trades` and
/// `modify-trades`; the rest are matched by their words.
fn permission(slug: &str) -> Option<&'static str> {
    let s = slug.to_ascii_lowercase();
    if s.contains("withdraw") {
        Some(perm::WITHDRAW)
    } else if s.contains("deposit") {
        Some(perm::DEPOSIT)
    } else if s.contains("earn") || s.contains("stak") {
        Some(perm::EARN)
    } else if s.starts_with("query") || s.starts_with("export") {
        Some(perm::READ)
    } else if s.contains("trade") || s.contains("order") {
        Some(perm::TRADE)
    } else {
        None
    }
}

impl Venue for Kraken {
    fn id(&self) -> &'static str {
        "kraken"
    }
    fn host(&self) -> &'static str {
        "api.kraken.com"
    }
    fn docs(&self) -> &'static str {
        "https://docs.kraken.com/api-reference/account-data/get-api-key-info"
    }
    fn interval(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "private key")?;
        let Some(secret) = sign::base64_decode(secret) else {
            return Err(Verification::new(
                Verdict::Invalid,
                "the Kraken private key found is not base64, so it cannot sign for this key",
            ));
        };
        let nonce = now_ms.to_string();
        let body = format!("nonce={nonce}");
        let sig = signature(&secret, PATH, &nonce, &body);
        Ok(Request::post(PATH, body)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("API-Key", key)
            .header("API-Sign", sig))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        let errors: Vec<&str> = v
            .get("error")
            .and_then(|e| e.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        if errors.is_empty() {
            let Some(result) = v.get("result").filter(|x| x.get("permissions").is_some()) else {
                return unreadable(r);
            };
            let slugs: Vec<&str> = result["permissions"]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            let p: Vec<&str> = slugs.iter().filter_map(|s| permission(s)).collect();
            let ip = result
                .get("ipAllowlist")
                .and_then(|x| x.as_array())
                .map(|a| !a.is_empty());
            return Verification::live(
                &p,
                ip,
                &format!("Kraken permissions: {}", slugs.join(", ")),
            );
        }
        let detail = format!("Kraken: {}", errors.join(", "));
        let has = |e: &str| errors.iter().any(|x| x.starts_with(e));
        if has("EAPI:Invalid key") {
            Verification::new(
                Verdict::Revoked,
                format!(
                    "{detail} (Kraken does not know this key; not retried, as repeated invalid keys lock the caller out)"
                ),
            )
        } else if has("EAPI:Invalid signature") {
            Verification::new(
                Verdict::Invalid,
                format!("{detail} (the private key found does not sign for this key)"),
            )
        } else if has("EAPI:Invalid nonce") {
            Verification::new(
                Verdict::Unreachable,
                format!(
                    "{detail} (check this machine's clock; the key's owner may also use larger nonces than milliseconds)"
                ),
            )
        } else if has("EGeneral:Permission denied") {
            answer::cannot_read(&detail, "its own permissions")
        } else if has("EGeneral:Temporary lockout") || has("EAPI:Rate limit") {
            Verification::new(
                Verdict::Unreachable,
                format!("{detail} (Kraken throttled this address; do not retry soon)"),
            )
        } else {
            unreadable(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of Kraken's "Spot REST authentication" guide.
    #[test]
    fn docs_signing_example() {
        let secret = sign::base64_decode(
            "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
        )
        .unwrap();
        let nonce = "1616492376594";
        let body =
            "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
        assert_eq!(
            signature(&secret, "/0/private/AddOrder", nonce, body),
            "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_body() {
        let secret = sign::base64(&[7u8; 64]);
        let c = Credential {
            key: Some("K".into()),
            secret: Some(secret),
            ..Default::default()
        };
        let r = Kraken.request(&c, 1_700_000_000_000).unwrap();
        assert_eq!(r.method, crate::verify::http::Method::Post);
        assert_eq!(r.path, PATH);
        assert_eq!(r.body, "nonce=1700000000000");
        assert_eq!(r.header_value("api-key"), Some("K"));
        assert_eq!(
            r.header_value("api-sign"),
            Some(signature(&[7u8; 64], PATH, "1700000000000", &r.body).as_str())
        );
        assert_eq!(
            r.header_value("content-type"),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn a_secret_that_is_not_base64_is_invalid_without_asking() {
        let c = Credential {
            key: Some("K".into()),
            secret: Some("not base64!".into()),
            ..Default::default()
        };
        let v = Kraken.request(&c, 1).unwrap_err();
        assert_eq!(v.verdict, Verdict::Invalid);
        let lone = Credential {
            key: Some("K".into()),
            ..Default::default()
        };
        assert_eq!(
            Kraken.request(&lone, 1).unwrap_err().verdict,
            Verdict::Unsupported
        );
    }

    #[test]
    fn answers_read() {
        let read =
            |body: &str| super::super::testing::read(&Kraken, &Credential::default(), 200, body);
        let live = read(
            r#"{"error":[],"result":{"apiKeyName":"k","permissions":["query-funds","withdraw-funds","query-open-trades","modify-trades","deposit-funds"],"ipAllowlist":[]}}"#,
        );
        assert_eq!(live.verdict, Verdict::Live);
        assert_eq!(live.permissions, ["deposit", "read", "trade", "withdraw"]);
        assert_eq!(live.ip_restricted, Some(false));
        let locked = read(
            r#"{"error":[],"result":{"permissions":["query-funds"],"ipAllowlist":["203.0.113.1"]}}"#,
        );
        assert_eq!(
            (locked.permissions.clone(), locked.ip_restricted),
            (vec!["read".to_string()], Some(true))
        );
        assert_eq!(
            read(r#"{"error":["EAPI:Invalid key"]}"#).verdict,
            Verdict::Revoked
        );
        assert_eq!(
            read(r#"{"error":["EAPI:Invalid signature"]}"#).verdict,
            Verdict::Invalid
        );
        assert_eq!(
            read(r#"{"error":["EAPI:Invalid nonce"]}"#).verdict,
            Verdict::Unreachable
        );
        assert_eq!(
            read(r#"{"error":["EGeneral:Permission denied"]}"#).verdict,
            Verdict::Live
        );
        assert_eq!(
            read(r#"{"error":["EGeneral:Temporary lockout"]}"#).verdict,
            Verdict::Unreachable
        );
        assert_eq!(
            read(r#"{"error":["EGeneral:Unknown method"]}"#).verdict,
            Verdict::Unreachable
        );
        assert_eq!(read("<html>").verdict, Verdict::Unreachable);
    }
}
