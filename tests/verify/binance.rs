//! Binance: `GET /sapi/v1/account/apiRestrictions`, HMAC-SHA256 hex of the
//! query string (before `&signature=`), `X-MBX-APIKEY`, `timestamp` within
//! `recvWindow` (default 5000 ms, at most 60000).

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

pub struct Account {
    pub key: String,
    pub secret: String,
    pub withdraw: bool,
    pub ip_restrict: bool,
}

fn err(status: u16, code: i64, msg: &str) -> (u16, String) {
    (status, format!(r#"{{"code":{code},"msg":"{msg}"}}"#))
}

/// The account a signed request is for, or the venue's error answer: key,
/// signature and timestamp checked as the docs say.
fn authorize<'a>(r: &Req, accounts: &'a [Account]) -> Result<&'a Account, (u16, String)> {
    let Some(key) = r.header("x-mbx-apikey") else {
        return Err(err(401, -2014, "API-key format invalid."));
    };
    let Some(acct) = accounts.iter().find(|a| a.key == key) else {
        return Err(err(
            401,
            -2015,
            "Invalid API-key, IP, or permissions for action.",
        ));
    };
    let Some((signed, sig)) = r.query().rsplit_once("&signature=") else {
        return Err(err(
            400,
            -1102,
            "Mandatory parameter 'signature' was not sent.",
        ));
    };
    if sig != hex(&hmac256(acct.secret.as_bytes(), signed.as_bytes())) {
        return Err(err(400, -1022, "Signature for this request is not valid."));
    }
    if !within_recv_window(r) {
        return Err(err(
            400,
            -1021,
            "Timestamp for this request is outside of the recvWindow.",
        ));
    }
    Ok(acct)
}

/// A Binance host serving `path` to these accounts, answering an
/// authorized request with `answer`.
fn host(accounts: Vec<Account>, path: &'static str, answer: fn(&Account) -> String) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != path {
            return err(404, -1000, "unknown path");
        }
        match authorize(r, &accounts) {
            Ok(acct) => (200, answer(acct)),
            Err(answer) => answer,
        }
    })
}

/// The venue as its docs describe it, with these accounts.
pub fn venue(accounts: Vec<Account>) -> Mock {
    host(accounts, "/sapi/v1/account/apiRestrictions", |acct| {
        format!(
            r#"{{"ipRestrict":{},"createTime":1698645219000,"enableReading":true,"enableWithdrawals":{},"enableInternalTransfer":false,"enableMargin":false,"enableFutures":false,"permitsUniversalTransfer":false,"enableVanillaOptions":false,"enableFixApiTrade":false,"enableFixReadOnly":true,"enableSpotAndMarginTrading":{},"enablePortfolioMarginTrading":false}}"#,
            acct.ip_restrict, acct.withdraw, acct.withdraw
        )
    })
}

/// The Spot testnet: `/api/*` only (no `/sapi/*`), `GET /api/v3/account`
/// signed the same way, answering with the account's `can*` flags.
pub fn testnet(accounts: Vec<Account>) -> Mock {
    host(accounts, "/api/v3/account", |acct| {
        format!(
            r#"{{"makerCommission":0,"takerCommission":0,"canTrade":true,"canWithdraw":{},"canDeposit":true,"brokered":false,"requireSelfTradePrevention":false,"updateTime":0,"accountType":"SPOT","balances":[],"permissions":["SPOT"],"uid":1}}"#,
            acct.withdraw
        )
    })
}

fn pair(seed: &str) -> (String, String) {
    (
        fake(&format!("{seed}-key"), 64, ALNUM),
        fake(&format!("{seed}-secret"), 64, ALNUM),
    )
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("binance-1");
    let (k2, s2) = pair("binance-2");
    let (k3, s3) = pair("binance-3");
    let mock = venue(vec![
        Account {
            key: k1.clone(),
            secret: s1.clone(),
            withdraw: true,
            ip_restrict: false,
        },
        Account {
            key: k2.clone(),
            secret: s2.clone(),
            withdraw: false,
            ip_restrict: true,
        },
    ]);
    let v = verifier("binance", &mock);

    let full = v.verify("binance", &cred("binance.api-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);

    let read = v.verify("binance", &cred("binance.api-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ], Some(true), false);

    let gone = v.verify("binance", &cred("binance.api-key", &k3, &s3, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let wrong = v.verify("binance", &cred("binance.api-key", &k1, &s2, None));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    assert_eq!(mock.requests(), 4);

    // The cache: the same credential is asked once per run.
    let again = v.verify("binance", &cred("binance.api-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 4);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let (k, s) = pair("binance-stale");
    let mock = venue(vec![Account {
        key: k.clone(),
        secret: s.clone(),
        withdraw: true,
        ip_restrict: false,
    }]);
    assert_stale_rejected(
        "binance",
        &mock,
        &cred("binance.api-key", &k, &s, None),
        Verdict::Unreachable,
        "-1021",
    );
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("binance.api-key", &pair("binance-lone").0, "", None);
    c.secret = None;
    assert_not_sent("binance", &mock, &c);
}

/// A testnet key (its context says so) is asked on the Spot testnet, is
/// `live (testnet)` and never critical even when it may withdraw; a
/// production key that only sits near testnet settings is not known to the
/// testnet, so production is asked and says live; a key neither knows is
/// revoked, and the detail says both were asked.
#[test]
fn a_testnet_key_is_asked_on_the_testnet_and_is_never_critical() {
    let (kt, st) = pair("binance-testnet");
    let (kp, sp) = pair("binance-production");
    let acct = |key: &str, secret: &str| Account {
        key: key.into(),
        secret: secret.into(),
        withdraw: true,
        ip_restrict: false,
    };
    let test = testnet(vec![acct(&kt, &st)]);
    let prod = venue(vec![acct(&kp, &sp)]);
    let v = tradesecrets::verify::Verifier::for_tests(&[
        ("binance", &prod.url),
        ("binance_testnet", &test.url),
    ])
    .unwrap();
    let on_testnet = |k: &str, s: &str| {
        let mut c = cred("binance.api-key", k, s, None);
        c.testnet = true;
        c
    };

    let t = v.verify("binance", &on_testnet(&kt, &st));
    assert_live(
        &t,
        &[perm::READ, perm::TRADE, perm::WITHDRAW, perm::DEPOSIT],
        None,
        false,
    );
    assert!(t.testnet, "{t:?}");
    assert!(
        t.summary().starts_with("live (testnet; "),
        "{}",
        t.summary()
    );
    assert_eq!((test.requests(), prod.requests()), (1, 0));

    let p = v.verify("binance", &on_testnet(&kp, &sp));
    assert_live(
        &p,
        &[perm::READ, perm::TRADE, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(!p.testnet);
    assert_eq!((test.requests(), prod.requests()), (2, 1));

    let (ku, su) = pair("binance-unknown");
    let u = v.verify("binance", &on_testnet(&ku, &su));
    assert_eq!(u.verdict, Verdict::Revoked, "{u:?}");
    assert!(u.testnet, "{u:?}");
    assert!(
        u.detail.contains("production does not know it either"),
        "{}",
        u.detail
    );
    assert_eq!((test.requests(), prod.requests()), (3, 2));

    // A test run without a testnet endpoint never reaches a real testnet.
    let only_prod = tradesecrets::verify::Verifier::for_tests(&[("binance", &prod.url)]).unwrap();
    let r = only_prod.verify("binance", &on_testnet(&kp, &sp));
    assert_eq!(r.verdict, Verdict::Live, "{r:?}");
    assert_eq!(prod.requests(), 3);
}
