//! Bitfinex v2: `POST /v2/auth/r/permissions` with a JSON body, signed by
//! `bfx-signature` = hex HMAC-SHA384 keyed by the secret of
//! `/api/v2/auth/r/permissions` + `bfx-nonce` + body, with `bfx-apikey`.
//! The nonce must increase per key (and stay below 2^53). The answer is a
//! list of `[scope, read, write]`; errors are `["error", code, message]`,
//! 10100 (`apikey: invalid`, for an unknown key and a bad signature alike)
//! and 10114 (`nonce: small`).

use crate::common::*;
use std::sync::Mutex;
use tradesecrets::verify::{Verdict, perm};

const PATH: &str = "/v2/auth/r/permissions";
const MAX_NONCE: u64 = 9_007_199_254_740_991;

/// The HTTP status the mocks send errors with. Bitfinex documents the error
/// body, not its status; it has been seen answering HTTP 500
/// (<https://github.com/emmtte/Cryptocurrency-Portfolio/issues/51>), which
/// the verifier reads as a server error before the venue module sees the
/// body (see `errors_sent_with_http_500_are_read`).
const ERROR_STATUS: u16 = 400;
const OBSERVED_ERROR_STATUS: u16 = 500;

struct Account {
    key: String,
    secret: String,
    /// `[scope, read, write]` rows.
    scopes: Vec<(&'static str, u8, u8)>,
    /// The last nonce the key's owner used.
    nonce: Mutex<u64>,
}

fn account(key: &str, secret: &str, withdraw: bool) -> Account {
    let w = u8::from(withdraw);
    Account {
        key: key.into(),
        secret: secret.into(),
        scopes: vec![
            ("account", 1, 0),
            ("history", 1, 0),
            ("orders", 1, w),
            ("positions", 1, 0),
            ("funding", 1, 0),
            ("settings", 1, 0),
            ("wallets", 1, w),
            ("withdraw", 0, w),
            ("ui_withdraw", 0, 0),
            ("bfxpay", 0, 0),
        ],
        // Used by its owner a minute ago, with a microsecond nonce.
        nonce: Mutex::new((now_ms() - 60_000) * 1000),
    }
}

/// The venue as its docs describe it, with these accounts, sending errors
/// with HTTP `status`.
fn venue(accounts: Vec<Account>, status: u16) -> Mock {
    serve(move |r| {
        let err = |code: i64, msg: &str| (status, format!(r#"["error",{code},"{msg}"]"#));
        if r.method != "POST" || r.path() != PATH {
            return (404, r#"["error",10020,"unknown path"]"#.into());
        }
        if r.header("content-type") != Some("application/json")
            || serde_json::from_str::<serde_json::Value>(&r.body).is_err()
        {
            return err(10020, "request: invalid");
        }
        let (Some(key), Some(nonce), Some(sig)) = (
            r.header("bfx-apikey"),
            r.header("bfx-nonce"),
            r.header("bfx-signature"),
        ) else {
            return err(10100, "apikey: invalid");
        };
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(10100, "apikey: invalid");
        };
        let signed = format!("/api{PATH}{nonce}{}", r.body);
        if sig != hex(&hmac384(acct.secret.as_bytes(), signed.as_bytes())) {
            return err(10100, "apikey: invalid");
        }
        let Ok(nonce) = nonce.parse::<u64>() else {
            return err(10114, "nonce: invalid");
        };
        {
            let mut last = acct.nonce.lock().unwrap();
            if nonce <= *last || nonce > MAX_NONCE {
                return err(10114, "nonce: small");
            }
            *last = nonce;
        }
        let rows: Vec<String> = acct
            .scopes
            .iter()
            .map(|(s, rd, wr)| format!(r#"["{s}",{rd},{wr}]"#))
            .collect();
        (200, format!("[{}]", rows.join(",")))
    })
}

fn pair(seed: &str) -> (String, String) {
    let abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (
        fake(&format!("{seed}-key"), 43, abc),
        fake(&format!("{seed}-secret"), 43, abc),
    )
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("bitfinex-1");
    let (k2, s2) = pair("bitfinex-2");
    let (k3, s3) = pair("bitfinex-3");
    let mock = venue(
        vec![account(&k1, &s1, true), account(&k2, &s2, false)],
        ERROR_STATUS,
    );
    let v = verifier("bitfinex", &mock);

    let full = v.verify("bitfinex", &cred("bitfinex.api-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        None,
        true,
    );

    let read = v.verify("bitfinex", &cred("bitfinex.api-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ], None, false);

    let gone = v.verify("bitfinex", &cred("bitfinex.api-key", &k3, &s3, None));
    assert_verdict(&gone, Verdict::Revoked, "10100");

    // Bitfinex answers a wrong secret as an unknown key.
    let wrong = v.verify("bitfinex", &cred("bitfinex.api-key", &k1, &s2, None));
    assert_verdict(&wrong, Verdict::Revoked, "does not sign");
    assert!(!wrong.detail.contains(&s2));
    assert_eq!(mock.requests(), 4);

    let again = v.verify("bitfinex", &cred("bitfinex.api-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 4);
}

#[test]
fn a_stale_nonce_is_rejected() {
    let (k, s) = pair("bitfinex-stale");
    let mock = venue(vec![account(&k, &s, true)], ERROR_STATUS);
    let r = assert_stale_rejected(
        "bitfinex",
        &mock,
        &cred("bitfinex.api-key", &k, &s, None),
        Verdict::Unreachable,
        "10114",
    );
    assert!(r.detail.contains("clock"), "{}", r.detail);
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![], ERROR_STATUS);
    let mut c = cred("bitfinex.api-key", &pair("bitfinex-lone").0, "", None);
    c.secret = None;
    assert_not_sent("bitfinex", &mock, &c);
}

/// Bitfinex as observed: errors with HTTP 500, which the verifier hands to
/// the venue module before calling it a server error.
#[test]
fn errors_sent_with_http_500_are_read() {
    let (k, s) = pair("bitfinex-500");
    let (k2, s2) = pair("bitfinex-500-unknown");
    let mock = venue(vec![account(&k, &s, true)], OBSERVED_ERROR_STATUS);
    let v = verifier("bitfinex", &mock);
    let gone = v.verify("bitfinex", &cred("bitfinex.api-key", &k2, &s2, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");
    let stale = verifier("bitfinex", &mock).with_clock(stale_clock);
    let r = stale.verify("bitfinex", &cred("bitfinex.api-key", &k, &s, None));
    assert_verdict(&r, Verdict::Unreachable, "10114");
}
