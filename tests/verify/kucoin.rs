//! KuCoin: `GET /api/v1/user/api-key`; `KC-API-SIGN` is base64 HMAC-SHA256
//! of timestamp + method + endpoint + body, `KC-API-TIMESTAMP` Unix ms
//! within 5 seconds of the server's, `KC-API-PASSPHRASE` the base64
//! HMAC-SHA256 of the passphrase keyed by the secret (`KC-API-KEY-VERSION`
//! 2). Errors are `{"code":"4000xx","msg":...}`; the HTTP status paired with
//! each code is not documented (401, "Invalid API Key", assumed).

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    passphrase: String,
    /// `permission` as KuCoin lists it.
    permission: &'static str,
    /// `ipWhitelist`, masked as KuCoin shows it ("" for none).
    ip_whitelist: &'static str,
    /// Whether the whitelist includes the test's own address.
    ip_allows_us: bool,
}

fn err(status: u16, code: &str, msg: &str) -> (u16, String) {
    (status, format!(r#"{{"code":"{code}","msg":"{msg}"}}"#))
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v1/user/api-key" {
            return err(404, "404000", "Url Not Found");
        }
        let h = |name| r.header(name).filter(|v| !v.is_empty());
        let (Some(key), Some(sig), Some(ts), Some(pass)) = (
            h("kc-api-key"),
            h("kc-api-sign"),
            h("kc-api-timestamp"),
            h("kc-api-passphrase"),
        ) else {
            return err(
                401,
                "400001",
                "Please check the header of your request for KC-API-KEY, KC-API-SIGN, KC-API-TIMESTAMP, KC-API-PASSPHRASE",
            );
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(401, "400003", "KC-API-KEY not exists");
        };
        let Ok(ts_ms) = ts.parse::<u64>() else {
            return err(401, "400002", "KC-API-TIMESTAMP Invalid");
        };
        if ts_ms.abs_diff(now_ms()) >= 5_000 {
            return err(
                401,
                "400002",
                "KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds",
            );
        }
        let prehash = format!("{ts}{}{}{}", r.method, r.target, r.body);
        if sig != b64(&hmac256(acct.secret.as_bytes(), prehash.as_bytes())) {
            return err(401, "400005", "Invalid KC-API-SIGN");
        }
        if r.header("kc-api-key-version") != Some("2")
            || pass != b64(&hmac256(acct.secret.as_bytes(), acct.passphrase.as_bytes()))
        {
            return err(401, "400004", "Invalid KC-API-PASSPHRASE");
        }
        if !acct.ip_allows_us {
            return err(
                401,
                "400006",
                "The requested ip address is not in the api whitelist",
            );
        }
        (
            200,
            format!(
                r#"{{"code":"200000","data":{{"remark":"account1","apiKey":"{}","apiVersion":2,"permission":"{}","ipWhitelist":"{}","createdAt":1728443843000,"uid":165111215,"isMaster":true}}}}"#,
                acct.key, acct.permission, acct.ip_whitelist
            ),
        )
    })
}

fn creds(seed: &str) -> (String, String, String) {
    let h = |part: &str, n| fake(&format!("{seed}-{part}"), n, HEX);
    let key = h("key", 24);
    let secret = format!(
        "{}-{}-{}-{}-{}",
        h("s1", 8),
        h("s2", 4),
        h("s3", 4),
        h("s4", 4),
        h("s5", 12)
    );
    (key, secret, fake(&format!("{seed}-pass"), 12, ALNUM))
}

fn account(
    seed: &str,
    permission: &'static str,
    ip_whitelist: &'static str,
    ip_allows_us: bool,
) -> Account {
    let (key, secret, passphrase) = creds(seed);
    Account {
        key,
        secret,
        passphrase,
        permission,
        ip_whitelist,
        ip_allows_us,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret_or_passphrase() {
    let full = account("kucoin-1", "General,Spot,Transfer", "", true);
    let read = account("kucoin-2", "General", "203.**.154,127.**.1", true);
    let elsewhere = account(
        "kucoin-3",
        "General,Spot,Futures,Transfer",
        "203.**.154",
        false,
    );
    let (k4, s4, p4) = creds("kucoin-4");
    let c = |a: &Account| cred("kucoin.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let (c1, c2, c3) = (c(&full), c(&read), c(&elsewhere));
    let mock = venue(vec![full, read, elsewhere]);
    let v = verifier("kucoin", &mock);

    let r = v.verify("kucoin", &c1);
    assert_live(
        &r,
        &[perm::READ, perm::TRADE, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(r.host.starts_with("127.0.0.1:"), "{}", r.host);

    let r = v.verify("kucoin", &c2);
    assert_live(&r, &[perm::READ], Some(true), false);

    let r = v.verify("kucoin", &c3);
    assert_live(&r, &[], Some(true), false);
    assert!(r.detail.contains("400006"), "{}", r.detail);

    let gone = v.verify("kucoin", &cred("kucoin.api-key", &k4, &s4, Some(&p4)));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let mut wrong = c1.clone();
    wrong.secret = Some(s4.clone());
    let wrong = v.verify("kucoin", &wrong);
    assert_verdict(&wrong, Verdict::Invalid, "400005");

    let mut wrong_pass = c1.clone();
    wrong_pass.passphrase = Some(p4);
    let wrong_pass = v.verify("kucoin", &wrong_pass);
    assert_verdict(&wrong_pass, Verdict::Invalid, "400004");
    assert_eq!(mock.requests(), 6);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let a = account("kucoin-stale", "General,Transfer", "", true);
    let c = cred("kucoin.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let mock = venue(vec![a]);
    assert_stale_rejected("kucoin", &mock, &c, Verdict::Unreachable, "400002");
}

#[test]
fn a_key_without_its_passphrase_or_secret_is_not_sent() {
    let mock = venue(vec![]);
    let v = verifier("kucoin", &mock);
    let (k, s, _) = creds("kucoin-lone");
    let r = v.verify("kucoin", &cred("kucoin.api-key", &k, &s, None));
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    let mut c = cred("kucoin.api-key", &k, "", Some("pass"));
    c.secret = None;
    let r = v.verify("kucoin", &c);
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    assert_eq!(mock.requests(), 0);
}
