//! OKX v5: `GET /api/v5/account/config`; `OK-ACCESS-SIGN` is base64
//! HMAC-SHA256 of timestamp + method + request path + body, the timestamp
//! ISO 8601 UTC with milliseconds (`OK-ACCESS-TIMESTAMP`), the passphrase
//! sent as set (`OK-ACCESS-PASSPHRASE`). Requests expire 30 seconds after
//! their timestamp (the docs state it for the WebSocket login; assumed here
//! for REST too).

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    passphrase: String,
    /// `perm` as OKX lists it.
    perm: &'static str,
    /// Bound IP addresses, comma-separated ("" for none).
    ip: &'static str,
    /// Whether the bound addresses include the test's own (127.0.0.1).
    ip_allows_us: bool,
}

fn err(status: u16, code: &str, msg: &str) -> (u16, String) {
    (
        status,
        format!(r#"{{"code":"{code}","msg":"{msg}","data":[]}}"#),
    )
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` as Unix milliseconds.
fn parse_iso_ms(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if s.len() != 24
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[19] != b'.'
        || b[23] != b'Z'
    {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss, ms) = (n(11..13)?, n(14..16)?, n(17..19)?, n(20..23)?);
    let days = tradesecrets::util::days_from_civil(y, m, d);
    u64::try_from(((days * 24 + hh) * 60 + mm) * 60 + ss)
        .ok()
        .map(|s| s * 1000 + ms as u64)
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    environment(accounts, false, vec![])
}

/// The venue's live trading (`demo` false) or demo trading (true), with
/// these accounts: demo trading keys are told apart by
/// `x-simulated-trading: 1`; a request in the other environment's form, or
/// with a key of the other environment (`elsewhere`), is answered 50101.
fn environment(accounts: Vec<Account>, demo: bool, elsewhere: Vec<String>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v5/account/config" {
            return err(404, "50000", "unknown path");
        }
        let other_key = r
            .header("ok-access-key")
            .is_some_and(|k| elsewhere.iter().any(|e| e == k));
        if (r.header("x-simulated-trading") == Some("1")) != demo || other_key {
            return err(401, "50101", "APIKey does not match current environment.");
        }
        let h = |name| r.header(name).filter(|v| !v.is_empty());
        let Some(key) = h("ok-access-key") else {
            return err(
                401,
                "50103",
                "Request header \\\"OK-ACCESS-KEY\\\" cannot be empty.",
            );
        };
        let Some(pass) = h("ok-access-passphrase") else {
            return err(
                401,
                "50104",
                "Request header \\\"OK-ACCESS-PASSPHRASE\\\" cannot be empty.",
            );
        };
        let Some(sig) = h("ok-access-sign") else {
            return err(
                401,
                "50106",
                "Request header \\\"OK-ACCESS-SIGN\\\" cannot be empty.",
            );
        };
        let Some(ts) = h("ok-access-timestamp") else {
            return err(
                401,
                "50107",
                "Request header \\\"OK-ACCESS-TIMESTAMP\\\" cannot be empty.",
            );
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(401, "50111", "Invalid OK-ACCESS-KEY.");
        };
        let Some(ts_ms) = parse_iso_ms(ts) else {
            return err(401, "50112", "Invalid OK-ACCESS-TIMESTAMP.");
        };
        if ts_ms.abs_diff(now_ms()) > 30_000 {
            return err(401, "50102", "Timestamp request expired.");
        }
        if pass != acct.passphrase {
            return err(
                401,
                "50105",
                "Request header \\\"OK-ACCESS-PASSPHRASE\\\" incorrect.",
            );
        }
        let prehash = format!("{ts}{}{}{}", r.method, r.target, r.body);
        if sig != b64(&hmac256(acct.secret.as_bytes(), prehash.as_bytes())) {
            return err(401, "50113", "Invalid signature.");
        }
        if !acct.ip_allows_us {
            return err(
                401,
                "50110",
                "Your IP 127.0.0.1 is not included in your API key's IP whitelist.",
            );
        }
        (
            200,
            format!(
                r#"{{"code":"0","data":[{{"acctLv":"2","acctStpMode":"cancel_maker","autoLoan":false,"ctIsoMode":"automatic","enableSpotBorrow":false,"greeksType":"PA","ip":"{}","type":"0","kycLv":"3","label":"v5 test","level":"Lv1","levelTmp":"","liquidationGear":"-1","mainUid":"44705892343619584","mgnIsoMode":"automatic","opAuth":"1","perm":"{}","posMode":"long_short_mode","roleType":"0","spotBorrowAutoRepay":false,"spotOffsetType":"","spotRoleType":"0","spotTraderInsts":[],"traderInsts":[],"uid":"44705892343619584"}}],"msg":""}}"#,
                acct.ip, acct.perm
            ),
        )
    })
}

fn creds(seed: &str) -> (String, String, String) {
    let h = |part: &str, n| fake(&format!("{seed}-{part}"), n, HEX);
    let key = format!(
        "{}-{}-{}-{}-{}",
        h("k1", 8),
        h("k2", 4),
        h("k3", 4),
        h("k4", 4),
        h("k5", 12)
    );
    let secret = fake(&format!("{seed}-secret"), 32, "0123456789ABCDEF");
    (key, secret, fake(&format!("{seed}-pass"), 12, ALNUM))
}

fn account(seed: &str, perm: &'static str, ip: &'static str, ip_allows_us: bool) -> Account {
    let (key, secret, passphrase) = creds(seed);
    Account {
        key,
        secret,
        passphrase,
        perm,
        ip,
        ip_allows_us,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret_or_passphrase() {
    let full = account("okx-1", "read_only,withdraw,trade", "", true);
    let read = account("okx-2", "read_only", "203.0.113.7,127.0.0.1", true);
    let elsewhere = account("okx-3", "read_only,trade,withdraw", "203.0.113.9", false);
    let (k4, s4, p4) = creds("okx-4");
    let c = |a: &Account| cred("okx.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let (c1, c2, c3) = (c(&full), c(&read), c(&elsewhere));
    let mock = venue(vec![full, read, elsewhere]);
    let v = verifier("okx", &mock);

    let r = v.verify("okx", &c1);
    assert_live(
        &r,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(r.host.starts_with("127.0.0.1:"), "{}", r.host);

    let r = v.verify("okx", &c2);
    assert_live(&r, &[perm::READ], Some(true), false);

    // A key bound to other addresses: live, permissions unknown.
    let r = v.verify("okx", &c3);
    assert_live(&r, &[], Some(true), false);
    assert!(r.detail.contains("50110"), "{}", r.detail);

    let gone = v.verify("okx", &cred("okx.api-key", &k4, &s4, Some(&p4)));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let mut wrong = c1.clone();
    wrong.secret = Some(s4.clone());
    let wrong = v.verify("okx", &wrong);
    assert_verdict(&wrong, Verdict::Invalid, "50113");

    let mut wrong_pass = c1.clone();
    wrong_pass.passphrase = Some(p4);
    let wrong_pass = v.verify("okx", &wrong_pass);
    assert_verdict(&wrong_pass, Verdict::Invalid, "50105");
    assert_eq!(mock.requests(), 6);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let a = account("okx-stale", "read_only,withdraw", "", true);
    let c = cred("okx.api-key", &a.key, &a.secret, Some(&a.passphrase));
    let mock = venue(vec![a]);
    assert_stale_rejected("okx", &mock, &c, Verdict::Unreachable, "50102");
}

#[test]
fn a_key_without_its_passphrase_or_secret_is_not_sent() {
    let mock = venue(vec![]);
    let v = verifier("okx", &mock);
    let (k, s, _) = creds("okx-lone");
    let r = v.verify("okx", &cred("okx.api-key", &k, &s, None));
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    let mut c = cred("okx.api-key", &k, "", Some("pass"));
    c.secret = None;
    let r = v.verify("okx", &c);
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
    assert_eq!(mock.requests(), 0);
}

#[test]
fn the_timestamp_parser_of_the_mock() {
    assert_eq!(
        parse_iso_ms("2020-12-08T09:08:57.715Z"),
        Some(1_607_418_537_715)
    );
    assert_eq!(parse_iso_ms("1970-01-01T00:00:00.000Z"), Some(0));
    assert_eq!(parse_iso_ms("2020-12-08 09:08:57.715Z"), None);
}

/// A demo-trading key (its context says testnet): asked with the demo
/// header, reported live on the testnet and never critical; the same key
/// without the context is asked on live trading, which answers 50101.
#[test]
fn a_demo_trading_key_is_asked_with_the_demo_header() {
    let (k, s, p) = creds("okx-demo");
    let demo = environment(
        vec![Account {
            key: k.clone(),
            secret: s.clone(),
            passphrase: p.clone(),
            perm: "read_only,trade,withdraw",
            ip: "",
            ip_allows_us: true,
        }],
        true,
        vec![],
    );
    let live = environment(vec![], false, vec![k.clone()]);
    let v = tradesecrets::verify::Verifier::for_tests(&[
        ("okx", &live.url),
        ("okx_testnet", &demo.url),
    ])
    .unwrap();
    let mut c = cred("okx.api-key", &k, &s, Some(&p));
    c.testnet = true;
    let r = v.verify("okx", &c);
    assert_eq!(r.verdict, Verdict::Live, "{r:?}");
    assert!(r.testnet && !r.critical, "{r:?}");
    assert!(
        r.summary().starts_with("live (testnet; "),
        "{}",
        r.summary()
    );
    assert_eq!((demo.requests(), live.requests()), (1, 0));
    assert_eq!(demo.last().header("x-simulated-trading"), Some("1"));

    c.testnet = false;
    let r = v.verify("okx", &c);
    assert_eq!(r.verdict, Verdict::Unreachable, "{r:?}");
    assert!(r.detail.contains("50101"), "{}", r.detail);
    assert_eq!((demo.requests(), live.requests()), (1, 1));
}
