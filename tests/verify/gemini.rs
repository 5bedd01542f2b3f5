//! Gemini: `POST /v1/roles` with an empty body; the JSON payload
//! (`request` = the path, `nonce`) travels base64-encoded in
//! `X-GEMINI-PAYLOAD`, signed by `X-GEMINI-SIGNATURE` = hex HMAC-SHA384 of
//! that base64 text keyed by the secret, with `X-GEMINI-APIKEY`. The nonce
//! must increase per key, or, for a key provisioned with time-based nonces,
//! be in seconds within 30 s of Gemini's clock. Errors are
//! `{"result":"error","reason":...,"message":...}`: HTTP 400 for bad
//! authentication headers, 403 for a missing role.

use crate::common::*;
use std::sync::Mutex;
use tradesecrets::verify::{Credential, Verdict, perm};

const PATH: &str = "/v1/roles";

struct Account {
    key: String,
    secret: String,
    auditor: bool,
    trader: bool,
    fund_manager: bool,
    /// Provisioned with "Uses a time based nonce".
    time_based: bool,
    /// The last nonce the key's owner used.
    nonce: Mutex<u64>,
}

fn account(key: &str, secret: &str, roles: (bool, bool, bool)) -> Account {
    let (auditor, trader, fund_manager) = roles;
    Account {
        key: key.into(),
        secret: secret.into(),
        auditor,
        trader,
        fund_manager,
        time_based: false,
        // Used by its owner a minute ago, with a millisecond nonce.
        nonce: Mutex::new(now_ms() - 60_000),
    }
}

fn err(status: u16, reason: &str, message: &str) -> (u16, String) {
    (
        status,
        format!(r#"{{"result":"error","reason":"{reason}","message":"{message}"}}"#),
    )
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "POST" || r.path() != PATH {
            return err(404, "EndpointNotFound", "API entry point not found");
        }
        if !r.body.is_empty() {
            return err(400, "InvalidJson", "the payload goes in X-GEMINI-PAYLOAD");
        }
        let Some(key) = r.header("x-gemini-apikey") else {
            return err(
                400,
                "MissingApikeyHeader",
                "The X-GEMINI-APIKEY header was missing",
            );
        };
        let Some(payload) = r.header("x-gemini-payload") else {
            return err(
                400,
                "MissingPayloadHeader",
                "The X-GEMINI-PAYLOAD header was missing",
            );
        };
        let Some(sig) = r.header("x-gemini-signature") else {
            return err(
                400,
                "MissingSignatureHeader",
                "The X-GEMINI-SIGNATURE header was missing",
            );
        };
        // The published reasons name no unknown key: Gemini answers a key
        // it does not know as a signature it cannot check.
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(400, "InvalidSignature", "InvalidSignature");
        };
        if sig != hex(&hmac384(acct.secret.as_bytes(), payload.as_bytes())) {
            return err(400, "InvalidSignature", "InvalidSignature");
        }
        let Some(p) = base64_json(payload) else {
            return err(400, "InvalidJson", "The payload is not valid JSON");
        };
        if p.get("request").and_then(|x| x.as_str()) != Some(PATH) {
            return err(
                400,
                "EndpointMismatch",
                "request does not match the endpoint",
            );
        }
        let nonce = p.get("nonce").and_then(|n| {
            n.as_u64()
                .or_else(|| n.as_str().and_then(|s| s.parse().ok()))
        });
        let Some(nonce) = nonce else {
            return err(400, "InvalidNonce", "Nonce was not present");
        };
        let fresh = if acct.time_based {
            nonce.abs_diff(now_ms() / 1000) <= 30
        } else {
            let mut last = acct.nonce.lock().unwrap();
            let ok = nonce > *last;
            if ok {
                *last = nonce;
            }
            ok
        };
        if !fresh {
            return err(
                400,
                "InvalidNonce",
                &format!("Nonce '{nonce}' has not increased since your last call"),
            );
        }
        (
            200,
            format!(
                r#"{{"isAuditor":{},"isFundManager":{},"isTrader":{}}}"#,
                acct.auditor, acct.fund_manager, acct.trader
            ),
        )
    })
}

fn base64_json(b64: &str) -> Option<serde_json::Value> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn pair(seed: &str, scope: &str) -> (String, String) {
    (
        format!("{scope}-{}", fake(&format!("{seed}-key"), 20, ALNUM)),
        fake(&format!("{seed}-secret"), 28, ALNUM),
    )
}

fn gemini(key: &str, secret: &str) -> Credential {
    let rule = if key.starts_with("master-") {
        "gemini.master-api-key"
    } else {
        "gemini.account-api-key"
    };
    cred(rule, key, secret, None)
}

#[test]
fn live_roles_unknown_keys_and_wrong_secrets() {
    let (k1, s1) = pair("gemini-1", "account");
    let (k2, s2) = pair("gemini-2", "master");
    let (k3, s3) = pair("gemini-3", "account");
    let mock = venue(vec![
        account(&k1, &s1, (false, true, true)),
        account(&k2, &s2, (true, false, false)),
    ]);
    let v = verifier("gemini", &mock);

    let fm = v.verify("gemini", &gemini(&k1, &s1));
    assert_live(
        &fm,
        &[perm::READ, perm::TRADE, perm::WITHDRAW, perm::TRANSFER],
        None,
        true,
    );
    assert!(fm.detail.contains("Fund Manager"), "{}", fm.detail);
    let sent = mock.last();
    assert_eq!(sent.header("content-type"), Some("text/plain"));
    assert!(sent.body.is_empty());

    let auditor = v.verify("gemini", &gemini(&k2, &s2));
    assert_live(&auditor, &[perm::READ], None, false);
    assert!(auditor.detail.contains("master key"), "{}", auditor.detail);

    // Gemini does not tell an unknown key from a wrong secret.
    let unknown = v.verify("gemini", &gemini(&k3, &s3));
    assert_verdict(&unknown, Verdict::Invalid, "InvalidSignature");
    assert!(
        unknown.detail.contains("does not know"),
        "{}",
        unknown.detail
    );

    let wrong = v.verify("gemini", &gemini(&k1, &s2));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    assert!(!wrong.detail.contains(&s2) && !wrong.detail.contains(&s1));
    assert_eq!(mock.requests(), 4);

    let again = v.verify("gemini", &gemini(&k1, &s1));
    assert_eq!(again, fm);
    assert_eq!(mock.requests(), 4);
}

#[test]
fn a_stale_nonce_is_rejected() {
    let (k, s) = pair("gemini-stale", "account");
    let mock = venue(vec![account(&k, &s, (false, true, true))]);
    let r = assert_stale_rejected(
        "gemini",
        &mock,
        &gemini(&k, &s),
        Verdict::Unreachable,
        "InvalidNonce",
    );
    assert!(r.detail.contains("clock"), "{}", r.detail);
}

/// A key provisioned with time-based nonces takes seconds, not the
/// milliseconds sent: unsettled, and the detail says why.
#[test]
fn a_key_with_time_based_nonces_is_unsettled() {
    let (k, s) = pair("gemini-time", "account");
    let mut a = account(&k, &s, (false, true, false));
    a.time_based = true;
    let mock = venue(vec![a]);
    let r = verifier("gemini", &mock).verify("gemini", &gemini(&k, &s));
    assert_verdict(&r, Verdict::Unreachable, "time-based");
    assert_eq!(mock.requests(), 1);
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = gemini(&pair("gemini-lone", "account").0, "");
    c.secret = None;
    assert_not_sent("gemini", &mock, &c);
}
