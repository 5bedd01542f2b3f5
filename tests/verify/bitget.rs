//! Bitget v2: `GET /api/v2/spot/account/info`; `ACCESS-SIGN` is base64
//! HMAC-SHA256 of timestamp + METHOD + request path (+ `?` query) + body,
//! `ACCESS-TIMESTAMP` Unix ms, `ACCESS-PASSPHRASE` as set. Bitget documents
//! neither the accepted clock skew nor the HTTP status of its error codes:
//! 30 seconds and 400 are assumed here.

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    passphrase: String,
    /// `authorities` as Bitget lists them.
    authorities: &'static [&'static str],
    /// `ips`, the whitelist ("" for none).
    ips: &'static str,
    /// Whether the whitelist includes the test's own address.
    ip_allows_us: bool,
}

fn err(status: u16, code: &str, msg: &str) -> (u16, String) {
    (
        status,
        format!(
            r#"{{"code":"{code}","msg":"{msg}","requestTime":{},"data":null}}"#,
            now_ms()
        ),
    )
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v2/spot/account/info" {
            return err(404, "40404", "Request URL NOT FOUND");
        }
        let h = |name| r.header(name).filter(|v| !v.is_empty());
        let Some(key) = h("access-key") else {
            return err(400, "40001", "ACCESS_KEY cannot be empty");
        };
        let Some(sig) = h("access-sign") else {
            return err(400, "40002", "ACCESS_SIGN cannot be empty");
        };
        let Some(pass) = h("access-passphrase") else {
            return err(400, "40011", "ACCESS_PASSPHRASE cannot be empty");
        };
        let Some(ts) = h("access-timestamp") else {
            return err(400, "40005", "Invalid ACCESS_TIMESTAMP");
        };
        let Ok(ts_ms) = ts.parse::<u64>() else {
            return err(400, "40005", "Invalid ACCESS_TIMESTAMP");
        };
        if ts_ms.abs_diff(now_ms()) > 30_000 {
            return err(400, "40008", "Request timestamp expired");
        }
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(400, "40006", "Invalid ACCESS_KEY");
        };
        if pass != acct.passphrase {
            return err(400, "40012", "apikey/password is incorrect");
        }
        let prehash = format!("{ts}{}{}{}", r.method, r.target, r.body);
        if sig != b64(&hmac256(acct.secret.as_bytes(), prehash.as_bytes())) {
            return err(400, "40009", "sign signature error");
        }
        if !acct.ip_allows_us {
            return err(400, "40018", "Invalid IP");
        }
        let authorities: Vec<String> = acct
            .authorities
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect();
        (
            200,
            format!(
                r#"{{"code":"00000","msg":"success","requestTime":{},"data":{{"userId":"**********","inviterId":"**********","ips":"{}","authorities":[{}],"parentId":1,"traderType":"not_trader","channelCode":"XXX","channel":"YYY","regisTime":"1246566789345"}}}}"#,
                now_ms(),
                acct.ips,
                authorities.join(",")
            ),
        )
    })
}

fn creds(seed: &str) -> (String, String, String) {
    let key = format!("bg_{}", fake(&format!("{seed}-key"), 32, HEX));
    let secret = fake(&format!("{seed}-secret"), 64, HEX);
    (key, secret, fake(&format!("{seed}-pass"), 12, ALNUM))
}

fn account(
    seed: &str,
    authorities: &'static [&'static str],
    ips: &'static str,
    ip_allows_us: bool,
) -> Account {
    let (key, secret, passphrase) = creds(seed);
    Account {
        key,
        secret,
        passphrase,
        authorities,
        ips,
        ip_allows_us,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret_or_passphrase() {
    let full = account(
        "bitget-1",
        &["stor", "stow", "wtor", "wtow", "wwow"],
        "",
        true,
    );
    let read = account(
        "bitget-2",
        &["stor", "coor", "cpor"],
        "203.0.113.7,127.0.0.1",
        true,
    );
    let elsewhere = account("bitget-3", &["stow", "wwow"], "203.0.113.9", false);
    let (k4, s4, p4) = creds("bitget-4");
    let c = |a: &Account| cred("bitget.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let (c1, c2, c3) = (c(&full), c(&read), c(&elsewhere));
    let mock = venue(vec![full, read, elsewhere]);
    let v = verifier("bitget", &mock);

    let r = v.verify("bitget", &c1);
    assert_live(
        &r,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(r.host.starts_with("127.0.0.1:"), "{}", r.host);

    let r = v.verify("bitget", &c2);
    assert_live(&r, &[perm::READ], Some(true), false);

    let r = v.verify("bitget", &c3);
    assert_live(&r, &[], Some(true), false);
    assert!(r.detail.contains("40018"), "{}", r.detail);

    let gone = v.verify("bitget", &cred("bitget.api-key", &k4, &s4, Some(&p4)));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let mut wrong = c1.clone();
    wrong.secret = Some(s4.clone());
    let wrong = v.verify("bitget", &wrong);
    assert_verdict(&wrong, Verdict::Invalid, "40009");

    let mut wrong_pass = c1.clone();
    wrong_pass.passphrase = Some(p4);
    let wrong_pass = v.verify("bitget", &wrong_pass);
    assert_verdict(&wrong_pass, Verdict::Invalid, "40012");
    assert_eq!(mock.requests(), 6);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let a = account("bitget-stale", &["stow", "wwow"], "", true);
    let c = cred("bitget.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let mock = venue(vec![a]);
    assert_stale_rejected("bitget", &mock, &c, Verdict::Unreachable, "40008");
}

#[test]
fn a_key_without_its_passphrase_or_secret_is_not_sent() {
    let mock = venue(vec![]);
    let v = verifier("bitget", &mock);
    let (k, s, _) = creds("bitget-lone");
    let r = v.verify("bitget", &cred("bitget.api-key", &k, &s, None));
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    let mut c = cred("bitget.api-key", &k, "", Some("pass"));
    c.secret = None;
    let r = v.verify("bitget", &c);
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    assert_eq!(mock.requests(), 0);
}
