//! MEXC spot v3: `GET /api/v3/account`, `signature` = hex HMAC-SHA256 of the
//! query string before it, `X-MEXC-APIKEY`, `timestamp` within `recvWindow`
//! (default 5000 ms, at most 60000). Errors `{"code", "msg"}`.

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    trade: bool,
    withdraw: bool,
    /// The key only works from other IPs.
    elsewhere: bool,
}

fn err(status: u16, code: i64, msg: &str) -> (u16, String) {
    (status, format!(r#"{{"code":{code},"msg":"{msg}"}}"#))
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v3/account" {
            return err(404, 404, "Not Found");
        }
        let Some(key) = r.header("x-mexc-apikey") else {
            return err(400, 400, "api key required");
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(400, 10072, "Api key info invalid");
        };
        let Some((signed, sig)) = r.query().rsplit_once("&signature=") else {
            return err(400, 700004, "Mandatory parameter 'signature' was not sent.");
        };
        if sig != hex(&hmac256(acct.secret.as_bytes(), signed.as_bytes())) {
            return err(400, 700002, "Signature for this request is not valid.");
        }
        if !within_recv_window(r) {
            return err(
                400,
                700003,
                "Timestamp for this request is outside of the recvWindow.",
            );
        }
        if acct.elsewhere {
            return err(400, 700006, "IP [127.0.0.1] not in the ip white list");
        }
        (
            200,
            format!(
                r#"{{"canTrade":{},"canWithdraw":{},"canDeposit":true,"updateTime":null,"accountType":"SPOT","balances":[{{"asset":"NBNTEST","free":"1111078","locked":"33"}}],"permissions":["SPOT"]}}"#,
                acct.trade, acct.withdraw
            ),
        )
    })
}

/// An access key `mx0` + 15 alphanumerics and a 32-hex secret key.
fn pair(seed: &str) -> (String, String) {
    (
        format!("mx0{}", fake(&format!("{seed}-key"), 15, ALNUM)),
        fake(&format!("{seed}-secret"), 32, HEX),
    )
}

fn account(key: &str, secret: &str, trade: bool, withdraw: bool) -> Account {
    Account {
        key: key.into(),
        secret: secret.into(),
        trade,
        withdraw,
        elsewhere: false,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("mexc-1");
    let (k2, s2) = pair("mexc-2");
    let (k3, s3) = pair("mexc-3");
    let (k4, s4) = pair("mexc-4");
    let mock = venue(vec![
        account(&k1, &s1, true, true),
        account(&k2, &s2, false, false),
        Account {
            elsewhere: true,
            ..account(&k4, &s4, true, true)
        },
    ]);
    let v = verifier("mexc", &mock);

    // Account-level flags, IP restriction unknown: critical.
    let full = v.verify("mexc", &cred("mexc.access-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::WITHDRAW, perm::DEPOSIT],
        None,
        true,
    );
    assert!(full.detail.contains("account"), "{}", full.detail);
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);

    let read = v.verify("mexc", &cred("mexc.access-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ, perm::DEPOSIT], None, false);

    let bound = v.verify("mexc", &cred("mexc.access-key", &k4, &s4, None));
    assert_live(&bound, &[], Some(true), false);
    assert!(bound.detail.contains("700006"), "{}", bound.detail);

    let gone = v.verify("mexc", &cred("mexc.access-key", &k3, &s3, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let wrong = v.verify("mexc", &cred("mexc.access-key", &k1, &s2, None));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    assert_eq!(mock.requests(), 5);

    let again = v.verify("mexc", &cred("mexc.access-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 5);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let (k, s) = pair("mexc-stale");
    let mock = venue(vec![account(&k, &s, true, true)]);
    assert_stale_rejected(
        "mexc",
        &mock,
        &cred("mexc.access-key", &k, &s, None),
        Verdict::Unreachable,
        "700003",
    );
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("mexc.access-key", &pair("mexc-lone").0, "", None);
    c.secret = None;
    assert_not_sent("mexc", &mock, &c);
}
