//! Gate APIv4: `GET /api/v4/account/main_keys`; `SIGN` is hex HMAC-SHA512 of
//! `METHOD\nPATH\nQUERY\nhex(SHA512(body))\nTIMESTAMP`, `Timestamp` Unix
//! seconds at most 60 seconds from the server's, `KEY` the key. Errors are
//! non-2xx with `{"label":...,"message":...}`, 401 for authentication. The
//! answer lists the main account's keys, masked to their first 12
//! characters. That the endpoint needs the `account` permission (403
//! `FORBIDDEN` without) is assumed.

use crate::common::*;
use sha2::Digest as _;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    /// `perms`: group name and whether read-only.
    perms: &'static [(&'static str, bool)],
    ip_whitelist: &'static [&'static str],
    /// Whether the whitelist (when set) includes the test's own address.
    ip_allows_us: bool,
}

fn err(status: u16, label: &str, message: &str) -> (u16, String) {
    (
        status,
        format!(r#"{{"label":"{label}","message":"{message}"}}"#),
    )
}

fn key_info(a: &Account) -> String {
    let perms: Vec<String> = a
        .perms
        .iter()
        .map(|(name, ro)| format!(r#"{{"name":"{name}","read_only":{ro}}}"#))
        .collect();
    let ips: Vec<String> = a
        .ip_whitelist
        .iter()
        .map(|ip| format!("\"{ip}\""))
        .collect();
    format!(
        r#"{{"state":1,"mode":1,"name":"bot","user_id":1,"perms":[{}],"ip_whitelist":[{}],"currency_pairs":[],"key":"{}*****","created_at":1753030929,"update_at":1756300567,"last_access":1753030929}}"#,
        perms.join(","),
        ips.join(","),
        &a.key[..12]
    )
}

/// The venue as its docs describe it, with these keys of one main account.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v4/account/main_keys" {
            return err(404, "NOT_FOUND", "Request URL not exists");
        }
        let h = |name| r.header(name).filter(|v| !v.is_empty());
        let (Some(key), Some(sig), Some(ts)) = (h("key"), h("sign"), h("timestamp")) else {
            return err(
                401,
                "MISSING_REQUIRED_HEADER",
                "Missing required authentication header",
            );
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(401, "INVALID_KEY", "Invalid API Key");
        };
        let Ok(ts_s) = ts.parse::<u64>() else {
            return err(
                401,
                "REQUEST_EXPIRED",
                "Request Timestamp is far from the server time",
            );
        };
        if ts_s.abs_diff(now_ms() / 1000) > 60 {
            return err(
                401,
                "REQUEST_EXPIRED",
                "Request Timestamp is far from the server time",
            );
        }
        let body_hash = hex(&sha2::Sha512::digest(r.body.as_bytes()));
        let text = format!(
            "{}\n{}\n{}\n{body_hash}\n{ts}",
            r.method,
            r.path(),
            r.query()
        );
        if sig != hex(&hmac512(acct.secret.as_bytes(), text.as_bytes())) {
            return err(401, "INVALID_SIGNATURE", "Signature mismatch");
        }
        if !acct.ip_whitelist.is_empty() && !acct.ip_allows_us {
            return err(401, "IP_FORBIDDEN", "Request IP not in whitelist");
        }
        if !acct.perms.iter().any(|p| p.0 == "account") {
            return err(
                403,
                "FORBIDDEN",
                "Request API key does not have account permission",
            );
        }
        let list: Vec<String> = accounts.iter().map(key_info).collect();
        (200, format!("[{}]", list.join(",")))
    })
}

fn pair(seed: &str) -> (String, String) {
    (
        fake(&format!("{seed}-key"), 32, HEX),
        fake(&format!("{seed}-secret"), 64, HEX),
    )
}

fn account(
    seed: &str,
    perms: &'static [(&'static str, bool)],
    ip_whitelist: &'static [&'static str],
    ip_allows_us: bool,
) -> Account {
    let (key, secret) = pair(seed);
    Account {
        key,
        secret,
        perms,
        ip_whitelist,
        ip_allows_us,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let full = account(
        "gate-1",
        &[
            ("account", true),
            ("spot", false),
            ("wallet", false),
            ("withdrawal", false),
        ],
        &[],
        true,
    );
    let read = account(
        "gate-2",
        &[("account", true), ("spot", true)],
        &["203.0.113.7", "127.0.0.1"],
        true,
    );
    let elsewhere = account(
        "gate-3",
        &[("account", false), ("withdrawal", false)],
        &["203.0.113.9"],
        false,
    );
    let no_account = account("gate-4", &[("spot", false), ("futures", false)], &[], true);
    let (k5, s5) = pair("gate-5");
    let c = |a: &Account| cred("gateio.api-key", &a.key, &a.secret, None);
    let (c1, c2, c3, c4) = (c(&full), c(&read), c(&elsewhere), c(&no_account));
    let mock = venue(vec![full, read, elsewhere, no_account]);
    let v = verifier("gateio", &mock);

    let r = v.verify("gateio", &c1);
    assert_live(
        &r,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(r.host.starts_with("127.0.0.1:"), "{}", r.host);

    let r = v.verify("gateio", &c2);
    assert_live(&r, &[perm::READ], Some(true), false);

    let r = v.verify("gateio", &c3);
    assert_live(&r, &[], Some(true), false);
    assert!(r.detail.contains("IP_FORBIDDEN"), "{}", r.detail);

    // Without the account permission: live, permissions unknown.
    let r = v.verify("gateio", &c4);
    assert_live(&r, &[], None, false);
    assert!(r.detail.contains("FORBIDDEN"), "{}", r.detail);

    let gone = v.verify("gateio", &cred("gateio.api-key", &k5, &s5, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let wrong = v.verify(
        "gateio",
        &cred("gateio.api-key", &c1.key.clone().unwrap(), &s5, None),
    );
    assert_verdict(&wrong, Verdict::Invalid, "INVALID_SIGNATURE");
    assert_eq!(mock.requests(), 6);
    assert_eq!(mock.last().path(), "/api/v4/account/main_keys");
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let a = account(
        "gate-stale",
        &[("account", true), ("withdrawal", false)],
        &[],
        true,
    );
    let c = cred("gateio.api-key", &a.key, &a.secret, None);
    let mock = venue(vec![a]);
    assert_stale_rejected("gateio", &mock, &c, Verdict::Unreachable, "REQUEST_EXPIRED");
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("gateio.api-key", &pair("gate-lone").0, "", None);
    c.secret = None;
    assert_not_sent("gateio", &mock, &c);
}
