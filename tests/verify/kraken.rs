//! Kraken: `POST /0/private/GetApiKeyInfo`, form body with an increasing
//! `nonce`, `API-Key`, and `API-Sign` = base64 HMAC-SHA512 keyed by the
//! base64-decoded private key of the URI path and SHA-256(nonce + body).
//! Errors come with HTTP 200 in the `error` array.

use crate::common::*;
use sha2::Digest as _;
use std::sync::Mutex;
use tradesecrets::verify::{Verdict, perm};

const PATH: &str = "/0/private/GetApiKeyInfo";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct Account {
    key: String,
    secret: String,
    permissions: &'static [&'static str],
    allow: &'static [&'static str],
    /// The last nonce the key's owner used.
    nonce: Mutex<u64>,
}

fn account(
    key: &str,
    secret: &str,
    permissions: &'static [&'static str],
    allow: &'static [&'static str],
) -> Account {
    Account {
        key: key.into(),
        secret: secret.into(),
        permissions,
        allow,
        // Used by its owner a minute ago.
        nonce: Mutex::new(now_ms() - 60_000),
    }
}

fn err(e: &str) -> (u16, String) {
    (200, format!(r#"{{"error":["{e}"]}}"#))
}

fn form(body: &str, name: &str) -> Option<String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|kv| kv.0 == name)
        .map(|kv| kv.1.to_string())
}

fn json_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "POST" || r.path() != PATH {
            return err("EGeneral:Unknown method");
        }
        if !r
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
        {
            return err("EGeneral:Invalid arguments");
        }
        let Some(acct) = r
            .header("api-key")
            .and_then(|k| accounts.iter().find(|a| a.key == k))
        else {
            return err("EAPI:Invalid key");
        };
        let Some(nonce) = form(&r.body, "nonce") else {
            return err("EAPI:Invalid nonce");
        };
        let mut msg = PATH.as_bytes().to_vec();
        msg.extend_from_slice(&sha2::Sha256::digest(
            format!("{nonce}{}", r.body).as_bytes(),
        ));
        let want = b64(&hmac512(&b64_decode(&acct.secret), &msg));
        if r.header("api-sign") != Some(want.as_str()) {
            return err("EAPI:Invalid signature");
        }
        let n: u64 = nonce.parse().unwrap_or(0);
        let mut last = acct.nonce.lock().unwrap();
        if n <= *last {
            return err("EAPI:Invalid nonce");
        }
        *last = n;
        (
            200,
            format!(
                r#"{{"error":[],"result":{{"apiKeyName":"my-api-key","apiKey":"{}","nonce":"{n}","nonceWindow":0,"permissions":{},"iban":"AA88 N84G WOAK NMOI","validUntil":"0","queryFrom":"0","queryTo":"0","createdTime":"1772542900","modifiedTime":"1772543095","ipAllowlist":{},"lastUsed":"1772627061"}}}}"#,
                acct.key,
                json_list(acct.permissions),
                json_list(acct.allow)
            ),
        )
    })
}

/// A key of 56 base64 characters and a private key of 64 bytes in base64.
fn pair(seed: &str) -> (String, String) {
    let hex = fake(&format!("{seed}-secret"), 128, HEX);
    let bytes: Vec<u8> = (0..64)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    (fake(&format!("{seed}-key"), 56, B64), b64(&bytes))
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("kraken-1");
    let (k2, s2) = pair("kraken-2");
    let (k3, s3) = pair("kraken-3");
    assert_eq!((k1.len(), s1.len()), (56, 88));
    assert!(s1.ends_with("=="));
    let mock = venue(vec![
        account(
            &k1,
            &s1,
            &[
                "query-funds",
                "withdraw-funds",
                "query-open-trades",
                "modify-trades",
            ],
            &[],
        ),
        account(
            &k2,
            &s2,
            &["query-funds", "query-ledger-entries"],
            &["203.0.113.7"],
        ),
    ]);
    let v = verifier("kraken", &mock);

    let full = v.verify("kraken", &cred("kraken.api-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);
    let seen = mock.last();
    assert_eq!(seen.method, "POST");
    assert!(!seen.body.contains(&s1) && !seen.headers.iter().any(|h| h.1.contains(&s1)));

    let read = v.verify("kraken", &cred("kraken.api-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ], Some(true), false);

    let gone = v.verify("kraken", &cred("kraken.api-key", &k3, &s3, None));
    assert_verdict(&gone, Verdict::Revoked, "EAPI:Invalid key");

    let wrong = v.verify("kraken", &cred("kraken.api-key", &k1, &s2, None));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    // One request each: an invalid key is never retried.
    assert_eq!(mock.requests(), 4);

    let again = v.verify("kraken", &cred("kraken.api-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 4);
}

#[test]
fn a_private_key_that_is_not_base64_is_not_sent() {
    let mock = venue(vec![]);
    let v = verifier("kraken", &mock);
    let (k, _) = pair("kraken-bad");
    let r = v.verify(
        "kraken",
        &cred("kraken.api-key", &k, "not*base64*at*all", None),
    );
    assert_eq!(r.verdict, Verdict::Invalid, "{r:?}");
    assert_eq!(mock.requests(), 0);
}

#[test]
fn a_stale_nonce_is_rejected() {
    let (k, s) = pair("kraken-stale");
    let mock = venue(vec![account(
        &k,
        &s,
        &["query-funds", "withdraw-funds"],
        &[],
    )]);
    let r = assert_stale_rejected(
        "kraken",
        &mock,
        &cred("kraken.api-key", &k, &s, None),
        Verdict::Unreachable,
        "EAPI:Invalid nonce",
    );
    assert!(r.detail.contains("clock"), "{}", r.detail);
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("kraken.api-key", &pair("kraken-lone").0, "", None);
    c.secret = None;
    assert_not_sent("kraken", &mock, &c);
}
