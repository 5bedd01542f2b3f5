//! Deribit: `GET /api/v2/public/auth?grant_type=client_signature` with
//! `client_id`, `timestamp` (ms), `nonce`, `data` and `signature` = hex
//! HMAC-SHA256 of `timestamp\nnonce\ndata` keyed by the client secret; the
//! answer's `result.scope` lists what the key may do; an unknown key or a
//! wrong signature is JSON-RPC error 13004 `invalid_credentials`.

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    id: String,
    secret: String,
    scope: &'static str,
}

fn err(code: i64, msg: &str) -> (u16, String) {
    (
        400,
        format!(
            r#"{{"jsonrpc":"2.0","error":{{"message":"{msg}","code":{code}}},"testnet":false}}"#
        ),
    )
}

/// The venue (or its testnet) as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v2/public/auth" {
            return (
                404,
                r#"{"jsonrpc":"2.0","error":{"message":"not found","code":-32601}}"#.into(),
            );
        }
        if r.param("grant_type") != Some("client_signature") {
            return err(-32602, "invalid_params");
        }
        let (Some(id), Some(ts), Some(nonce), Some(sig)) = (
            r.param("client_id"),
            r.param("timestamp"),
            r.param("nonce"),
            r.param("signature"),
        ) else {
            return err(-32602, "invalid_params");
        };
        let data = r.param("data").unwrap_or("");
        let Some(acct) = accounts.iter().find(|a| a.id == id) else {
            return err(13004, "invalid_credentials");
        };
        let text = format!("{ts}\n{nonce}\n{data}");
        if sig != hex(&hmac256(acct.secret.as_bytes(), text.as_bytes())) {
            return err(13004, "invalid_credentials");
        }
        let ts: u64 = ts.parse().unwrap_or(0);
        if ts.abs_diff(now_ms()) > 60_000 {
            return err(13004, "invalid_credentials");
        }
        (
            200,
            format!(
                r#"{{"jsonrpc":"2.0","result":{{"access_token":"a","expires_in":900,"refresh_token":"r","scope":"{} connection mainaccount","token_type":"bearer"}}}}"#,
                acct.scope
            ),
        )
    })
}

fn pair(seed: &str) -> (String, String) {
    (
        fake(&format!("{seed}-id"), 8, ALNUM),
        fake(&format!("{seed}-secret"), 43, ALNUM),
    )
}

#[test]
fn live_scopes_unknown_keys_and_wrong_secrets() {
    let (i1, s1) = pair("deribit-1");
    let (i2, s2) = pair("deribit-2");
    let mock = venue(vec![
        Account {
            id: i1.clone(),
            secret: s1.clone(),
            scope: "account:read trade:read_write wallet:read_write",
        },
        Account {
            id: i2.clone(),
            secret: s2.clone(),
            scope: "account:read trade:read wallet:read",
        },
    ]);
    let v = verifier("deribit", &mock);
    let full = v.verify("deribit", &cred("deribit.client-id", &i1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::WITHDRAW, perm::TRANSFER],
        None,
        true,
    );
    let ro = v.verify("deribit", &cred("deribit.client-id", &i2, &s2, None));
    assert_live(&ro, &[perm::READ], None, false);
    let wrong = v.verify("deribit", &cred("deribit.client-id", &i1, &s2, None));
    assert_verdict(&wrong, Verdict::Revoked, "13004");
    let (iu, su) = pair("deribit-unknown");
    let gone = v.verify("deribit", &cred("deribit.client-id", &iu, &su, None));
    assert_verdict(&gone, Verdict::Revoked, "13004");
    assert_eq!(mock.requests(), 4);
}

/// A key whose context says testnet is asked on test.deribit.com first.
#[test]
fn a_testnet_key_is_asked_on_the_testnet() {
    let (i, s) = pair("deribit-test");
    let test = venue(vec![Account {
        id: i.clone(),
        secret: s.clone(),
        scope: "trade:read_write wallet:read_write",
    }]);
    let prod = venue(vec![]);
    let v = tradesecrets::verify::Verifier::for_tests(&[
        ("deribit", &prod.url),
        ("deribit_testnet", &test.url),
    ])
    .unwrap();
    let mut c = cred("deribit.client-id", &i, &s, None);
    c.testnet = true;
    let r = v.verify("deribit", &c);
    assert_eq!(r.verdict, Verdict::Live, "{r:?}");
    assert!(r.testnet && !r.critical, "{r:?}");
    assert_eq!((test.requests(), prod.requests()), (1, 0));
}

#[test]
fn a_client_id_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("deribit.client-id", &pair("deribit-lone").0, "", None);
    c.secret = None;
    assert_not_sent("deribit", &mock, &c);
}
