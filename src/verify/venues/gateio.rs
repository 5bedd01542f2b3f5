//! Gate (APIv4): `GET /api/v4/account/main_keys` ("Query All Main Account
//! Key Information"), which lists the main account's keys, masked to their
//! first characters, each with its permission groups (`perms`: name and
//! `read_only`), IP whitelist and state. The key asked about is the entry
//! whose masked key it starts with. The endpoint needs the key's `account`
//! permission; a key without it gets 403 `FORBIDDEN`, which still proves
//! key and secret.
//!
//! - Endpoint: <https://www.gate.io/docs/developers/apiv4/en/#query-all-main-account-key-information>
//! - Signing (hex HMAC-SHA512 of method, path, query, hex SHA-512 of the
//!   body and timestamp in seconds, joined by newlines; `KEY`, `SIGN`,
//!   `Timestamp` headers): <https://www.gate.io/docs/developers/apiv4/en/#authentication>
//! - Errors (`label`): <https://www.gate.io/docs/developers/apiv4/en/#label-list>

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::venue::{Venue, unreadable};
use crate::verify::{answer, sign};
use std::time::Duration;

pub struct Gateio;

/// The path with APIv4's base path, as sent and signed.
pub const PATH: &str = "/api/v4/account/main_keys";

/// The text Gate signs: method, URL path (with `/api/v4`), query string
/// (not URL-encoded, empty for none), hex SHA-512 of the body and the
/// timestamp in seconds, joined by `\n`.
pub fn signature_string(
    method: &str,
    path: &str,
    query: &str,
    body: &str,
    timestamp_s: u64,
) -> String {
    format!(
        "{method}\n{path}\n{query}\n{}\n{timestamp_s}",
        sign::sha512_hex(body.as_bytes())
    )
}

/// `SIGN`: hex HMAC-SHA512 of the signature string keyed by the secret.
pub fn signature(secret: &str, signature_string: &str) -> String {
    sign::hex(&sign::hmac_sha512(
        secret.as_bytes(),
        signature_string.as_bytes(),
    ))
}

/// The permission a read-write group grants. `withdrawal` is the group of
/// the docs' permission table; the `perms` enumeration does not list it.
fn group(name: &str) -> Option<&'static str> {
    Some(match name {
        "withdrawal" | "withdraw" => perm::WITHDRAW,
        "wallet" => perm::TRANSFER,
        "spot" | "unified" | "copy" | "pilot" | "otc" | "alpha" | "crossx" => perm::TRADE,
        "margin" | "loan" => perm::MARGIN,
        "futures" | "delivery" => perm::FUTURES,
        "options" => perm::OPTIONS,
        "earn" => perm::EARN,
        _ => return None,
    })
}

impl Venue for Gateio {
    fn id(&self) -> &'static str {
        "gateio"
    }
    fn host(&self) -> &'static str {
        "api.gateio.ws"
    }
    fn docs(&self) -> &'static str {
        "https://www.gate.io/docs/developers/apiv4/en/#query-all-main-account-key-information"
    }
    fn interval(&self) -> Duration {
        // Other private endpoints: 150 requests per 10 s.
        Duration::from_millis(200)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let key = Credential::need(&c.key, "API key")?;
        let secret = Credential::need(&c.secret, "API secret")?;
        let ts = now_ms / 1000;
        let sig = signature(secret, &signature_string("GET", PATH, "", "", ts));
        Ok(Request::get(PATH)
            .header("KEY", key)
            .header("Timestamp", ts.to_string())
            .header("SIGN", sig)
            .header("Accept", "application/json"))
    }

    fn interpret(&self, c: &Credential, r: &Response) -> Verification {
        let Some(v) = r.json() else {
            return unreadable(r);
        };
        if (200..300).contains(&r.status) {
            // The docs' example is an array of keys while their schema
            // table describes one key object: both are read.
            let one = std::slice::from_ref(&v);
            let keys: &[serde_json::Value] = match &v {
                serde_json::Value::Array(a) => a,
                serde_json::Value::Object(o)
                    if o.contains_key("key") || o.contains_key("perms") =>
                {
                    one
                }
                _ => return unreadable(r),
            };
            let ours = c.key.as_deref().unwrap_or("");
            let entry = keys.iter().find(|k| {
                let shown = k.get("key").and_then(|x| x.as_str()).unwrap_or("");
                let prefix = shown.trim_end_matches('*');
                !prefix.is_empty() && ours.starts_with(prefix)
            });
            let Some(entry) = entry else {
                return Verification::live(
                    &[],
                    None,
                    "the key works, but Gate lists it among no main-account keys (a sub-account key?); permissions unknown",
                );
            };
            let mut p = vec![perm::READ];
            for g in entry
                .get("perms")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
            {
                let read_only = g.get("read_only").and_then(|x| x.as_bool()).unwrap_or(true);
                if !read_only {
                    p.extend(g.get("name").and_then(|x| x.as_str()).and_then(group));
                }
            }
            let ip = entry
                .get("ip_whitelist")
                .and_then(|x| x.as_array())
                .map(|a| !a.is_empty());
            let detail = match entry.get("state").and_then(|x| x.as_i64()) {
                Some(2) => "Gate lists the key as locked",
                Some(3) => "Gate lists the key as frozen",
                _ => "",
            };
            return Verification::live(&p, ip, detail);
        }
        let Some(label) = v.get("label").and_then(|l| l.as_str()) else {
            return unreadable(r);
        };
        let msg = v
            .get("message")
            .or_else(|| v.get("detail"))
            .and_then(|m| m.as_str())
            .unwrap_or("");
        let detail = format!("Gate {label}: {msg}");
        match label {
            "INVALID_KEY" => Verification::new(Verdict::Revoked, detail),
            "INVALID_SIGNATURE" => answer::wrong_secret(&detail),
            "REQUEST_EXPIRED" => answer::clock(&detail),
            "IP_FORBIDDEN" => answer::ip_bound(&detail),
            "FORBIDDEN" => Verification::live(
                &[],
                None,
                &format!(
                    "{detail} (the key works but lacks the account permission that lists its permissions)"
                ),
            ),
            _ => unreadable(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cred() -> Credential {
        Credential {
            key: Some("c5dcfbf1f3a700000000000000000000".into()),
            secret: Some("S".into()),
            ..Default::default()
        }
    }

    /// The two examples of the Authentication section (key `key`, secret
    /// `secret`).
    #[test]
    fn docs_signing_examples() {
        let empty = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
        let s = signature_string(
            "GET",
            "/api/v4/futures/orders",
            "contract=BTC_USD&status=finished&limit=50",
            "",
            1_541_993_715,
        );
        assert_eq!(
            s,
            format!(
                "GET\n/api/v4/futures/orders\ncontract=BTC_USD&status=finished&limit=50\n{empty}\n1541993715"
            )
        );
        assert_eq!(
            signature("secret", &s),
            "55f84ea195d6fe57ce62464daaa7c3c02fa9d1dde954e4c898289c9a2407a3d6fb3faf24deff16790d726b66ac9f74526668b13bd01029199cc4fcc522418b8a"
        );
        let body = r#"{"contract":"BTC_USD","type":"limit","size":100,"price":6800,"time_in_force":"gtc"}"#;
        let s = signature_string("POST", "/api/v4/futures/orders", "", body, 1_541_993_715);
        assert_eq!(
            s,
            "POST\n/api/v4/futures/orders\n\nad3c169203dc3026558f01b4df307641fa1fa361f086b2306658886d5708767b1854797c68d9e62fef2f991645aa82673622ebf417e091d0bd22bafe5d956cca\n1541993715"
        );
        assert_eq!(
            signature("secret", &s),
            "eae42da914a590ddf727473aff25fc87d50b64783941061f47a3fdb92742541fc4c2c14017581b4199a1418d54471c269c03a38d788d802e2c306c37636389f0"
        );
    }

    #[test]
    fn the_request_is_signed_over_its_own_method_path_and_timestamp() {
        let r = Gateio.request(&cred(), 1_700_000_000_999).unwrap();
        assert_eq!(r.method, crate::verify::http::Method::Get);
        assert_eq!(r.path, PATH);
        assert!(r.path.starts_with("/api/v4/"));
        assert!(r.body.is_empty());
        assert_eq!(r.header_value("timestamp"), Some("1700000000"));
        assert_eq!(
            r.header_value("sign"),
            Some(signature("S", &signature_string("GET", PATH, "", "", 1_700_000_000)).as_str())
        );
        assert_eq!(r.header_value("key"), cred().key.as_deref());
    }

    #[test]
    fn a_missing_part_is_not_sent() {
        let mut c = cred();
        c.secret = None;
        super::super::testing::assert_not_sent(&Gateio, &c);
    }

    #[test]
    fn documented_answers_read_as() {
        let read = |status, body: &str| super::super::testing::read(&Gateio, &cred(), status, body);
        // The example of the endpoint's docs: the first key is ours.
        let ok = read(
            200,
            r#"[{"state":1,"mode":1,"name":"test1","user_id":1,"perms":[{"name":"account","read_only":false},{"name":"spot","read_only":false}],"ip_whitelist":[],"currency_pairs":["BTC_USD","ETH_USD"],"key":"c5dcfbf1f3a7*****","created_at":1753030929,"update_at":1756300567,"last_access":1753030929},{"state":1,"mode":1,"name":"test2","user_id":1,"perms":[{"name":"spot","read_only":false},{"name":"account","read_only":false}],"ip_whitelist":[],"currency_pairs":["BTC_USD","ETH_USD"],"key":"52fd0035f665*****","created_at":1753897991,"update_at":1756300567,"last_access":1753897991}]"#,
        );
        assert_eq!(ok.verdict, Verdict::Live);
        assert_eq!(ok.permissions, ["read", "trade"]);
        assert_eq!(ok.ip_restricted, Some(false));
        // The schema table's shape: the key object alone.
        let object = read(
            200,
            r#"{"state":1,"mode":1,"name":"test1","user_id":1,"perms":[{"name":"wallet","read_only":false},{"name":"withdrawal","read_only":false},{"name":"futures","read_only":true}],"ip_whitelist":["203.0.113.9"],"key":"c5dcfbf1f3a7*****"}"#,
        );
        assert_eq!(object.verdict, Verdict::Live, "{object:?}");
        assert_eq!(object.permissions, ["read", "transfer", "withdraw"]);
        assert_eq!(object.ip_restricted, Some(true));
        assert_eq!(
            read(200, r#"{"unrelated":1}"#).verdict,
            Verdict::Unreachable
        );
        let not_listed = read(200, r#"[{"key":"52fd0035f665*****","perms":[]}]"#);
        assert_eq!(
            (not_listed.verdict, not_listed.ip_restricted),
            (Verdict::Live, None)
        );
        let err =
            |label: &str, status| read(status, &format!(r#"{{"label":"{label}","message":"m"}}"#));
        assert_eq!(err("INVALID_KEY", 401).verdict, Verdict::Revoked);
        assert_eq!(err("INVALID_SIGNATURE", 401).verdict, Verdict::Invalid);
        assert!(err("REQUEST_EXPIRED", 401).detail.contains("clock"));
        let ip = err("IP_FORBIDDEN", 401);
        assert_eq!((ip.verdict, ip.ip_restricted), (Verdict::Live, Some(true)));
        assert_eq!(err("FORBIDDEN", 403).verdict, Verdict::Live);
        assert_eq!(err("ACCOUNT_LOCKED", 401).verdict, Verdict::Unreachable);
    }
}
