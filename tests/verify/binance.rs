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

/// The venue as its docs describe it, with these accounts.
pub fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/sapi/v1/account/apiRestrictions" {
            return err(404, -1000, "unknown path");
        }
        let Some(key) = r.header("x-mbx-apikey") else {
            return err(401, -2014, "API-key format invalid.");
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(
                401,
                -2015,
                "Invalid API-key, IP, or permissions for action.",
            );
        };
        let Some((signed, sig)) = r.query().rsplit_once("&signature=") else {
            return err(400, -1102, "Mandatory parameter 'signature' was not sent.");
        };
        if sig != hex(&hmac256(acct.secret.as_bytes(), signed.as_bytes())) {
            return err(400, -1022, "Signature for this request is not valid.");
        }
        let ts: u64 = r
            .param("timestamp")
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let window: u64 = r
            .param("recvWindow")
            .and_then(|t| t.parse().ok())
            .unwrap_or(5000);
        let now = now_ms();
        if window > 60_000 || ts + window < now || ts > now + 1000 {
            return err(
                400,
                -1021,
                "Timestamp for this request is outside of the recvWindow.",
            );
        }
        (
            200,
            format!(
                r#"{{"ipRestrict":{},"createTime":1698645219000,"enableReading":true,"enableWithdrawals":{},"enableInternalTransfer":false,"enableMargin":false,"enableFutures":false,"permitsUniversalTransfer":false,"enableVanillaOptions":false,"enableFixApiTrade":false,"enableFixReadOnly":true,"enableSpotAndMarginTrading":{},"enablePortfolioMarginTrading":false}}"#,
                acct.ip_restrict, acct.withdraw, acct.withdraw
            ),
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
