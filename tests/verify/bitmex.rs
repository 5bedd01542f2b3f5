//! BitMEX: `GET /api/v1/apiKey` lists the user's keys; `api-signature` =
//! hex HMAC-SHA256 of verb + path (with query) + `api-expires` + body, with
//! `api-expires` in Unix seconds and not in the past. Errors
//! `{"error": {"message", "name"}}` with HTTP 400/401.

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

struct Key {
    id: String,
    secret: String,
    permissions: &'static [&'static str],
    cidr: &'static str,
    cidrs: &'static [&'static str],
}

/// A user and their keys.
struct User {
    id: u64,
    keys: Vec<Key>,
}

fn err(status: u16, msg: &str) -> (u16, String) {
    (
        status,
        format!(r#"{{"error":{{"message":"{msg}","name":"HTTPError"}}}}"#),
    )
}

fn json_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// The venue as its docs describe it, with these users.
fn venue(users: Vec<User>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/api/v1/apiKey" {
            return err(404, "Not Found");
        }
        let (Some(key), Some(expires), Some(sig)) = (
            r.header("api-key"),
            r.header("api-expires"),
            r.header("api-signature"),
        ) else {
            return err(401, "Missing API key.");
        };
        let Some((user, acct)) = users
            .iter()
            .find_map(|u| u.keys.iter().find(|k| k.id == key).map(|k| (u, k)))
        else {
            return err(401, "Invalid API Key.");
        };
        let now_s = now_ms() / 1000;
        let exp: u64 = expires.parse().unwrap_or(0);
        if exp < now_s {
            return err(
                400,
                &format!(
                    "This request has expired - `expires` is in the past. Current time: {now_s}"
                ),
            );
        }
        let payload = format!("{}{}{expires}{}", r.method, r.target, r.body);
        if sig != hex(&hmac256(acct.secret.as_bytes(), payload.as_bytes())) {
            return err(401, "Signature not valid.");
        }
        let entries: Vec<String> = user
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                format!(
                    r#"{{"id":"{}","secret":"","name":"key {i}","nonce":0,"cidr":"{}","cidrs":{},"targetAccountId":{},"permissions":{},"enabled":true,"userId":{},"created":"2020-09-14T02:04:59.423Z"}}"#,
                    k.id,
                    k.cidr,
                    json_list(k.cidrs),
                    user.id,
                    json_list(k.permissions),
                    user.id
                )
            })
            .collect();
        (200, format!("[{}]", entries.join(",")))
    })
}

/// A key id of 24 and a secret of 48 base64url characters.
fn pair(seed: &str) -> (String, String) {
    (
        fake(&format!("{seed}-key"), 24, B64URL),
        fake(&format!("{seed}-secret"), 48, B64URL),
    )
}

fn key(id: &str, secret: &str, permissions: &'static [&'static str]) -> Key {
    Key {
        id: id.into(),
        secret: secret.into(),
        permissions,
        cidr: "",
        cidrs: &[],
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("bitmex-1");
    let (k2, s2) = pair("bitmex-2");
    let (k3, s3) = pair("bitmex-3");
    let (k4, s4) = pair("bitmex-4");
    let mock = venue(vec![
        User {
            id: 101,
            // The user's other key comes first in the list.
            keys: vec![
                Key {
                    cidr: "198.51.100.7/32",
                    ..key(&k4, &s4, &[])
                },
                Key {
                    cidr: "0.0.0.0/0",
                    ..key(&k1, &s1, &["order", "orderCancel", "withdraw"])
                },
            ],
        },
        User {
            id: 202,
            keys: vec![Key {
                cidrs: &["203.0.113.0/24"],
                ..key(&k2, &s2, &[])
            }],
        },
    ]);
    let v = verifier("bitmex", &mock);

    let full = v.verify("bitmex", &cred("bitmex.api-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);

    let read = v.verify("bitmex", &cred("bitmex.api-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ], Some(true), false);

    // The legacy single `cidr` restricts too.
    let other = v.verify("bitmex", &cred("bitmex.api-key", &k4, &s4, None));
    assert_live(&other, &[perm::READ], Some(true), false);

    let gone = v.verify("bitmex", &cred("bitmex.api-key", &k3, &s3, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let wrong = v.verify("bitmex", &cred("bitmex.api-key", &k1, &s2, None));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    assert_eq!(mock.requests(), 5);

    let again = v.verify("bitmex", &cred("bitmex.api-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 5);
}

#[test]
fn an_expired_request_is_rejected() {
    let (k, s) = pair("bitmex-stale");
    let mock = venue(vec![User {
        id: 7,
        keys: vec![key(&k, &s, &["withdraw"])],
    }]);
    assert_stale_rejected(
        "bitmex",
        &mock,
        &cred("bitmex.api-key", &k, &s, None),
        Verdict::Unreachable,
        "expired",
    );
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("bitmex.api-key", &pair("bitmex-lone").0, "", None);
    c.secret = None;
    assert_not_sent("bitmex", &mock, &c);
}
