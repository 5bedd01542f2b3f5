//! Bybit v5: `GET /v5/user/query-api`, `X-BAPI-SIGN` = hex HMAC-SHA256 of
//! timestamp + API key + recv window + query string, accepted while
//! `server_time - recv_window <= timestamp < server_time + 1000`.
//! Answers `{"retCode", "retMsg", "result"}`.

use crate::common::*;
use tradesecrets::verify::{Verdict, perm};

struct Account {
    key: String,
    secret: String,
    read_only: bool,
    /// Bound IPs (`["*"]` for none).
    ips: &'static [&'static str],
    wallet: &'static [&'static str],
    /// The key is bound to IPs other than the caller's.
    elsewhere: bool,
}

fn err(status: u16, code: i64, msg: &str) -> (u16, String) {
    (
        status,
        format!(
            r#"{{"retCode":{code},"retMsg":"{msg}","result":{{}},"retExtInfo":{{}},"time":{}}}"#,
            now_ms()
        ),
    )
}

fn json_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    serve(move |r| {
        if r.method != "GET" || r.path() != "/v5/user/query-api" {
            return err(404, 10001, "path not found");
        }
        let (Some(key), Some(ts), Some(sign)) = (
            r.header("x-bapi-api-key"),
            r.header("x-bapi-timestamp"),
            r.header("x-bapi-sign"),
        ) else {
            return err(401, 10003, "API key is invalid.");
        };
        let window = r.header("x-bapi-recv-window").unwrap_or("5000");
        let Some(acct) = accounts.iter().find(|a| a.key == key) else {
            return err(401, 10003, "API key is invalid.");
        };
        let payload = format!("{ts}{key}{window}{}", r.query());
        if sign != hex(&hmac256(acct.secret.as_bytes(), payload.as_bytes())) {
            return err(401, 10004, "error sign! origin_string[...]");
        }
        let (t, w): (u64, u64) = (ts.parse().unwrap_or(0), window.parse().unwrap_or(5000));
        let now = now_ms();
        if t + w < now || t >= now + 1000 {
            return err(
                200,
                10002,
                &format!(
                    "invalid request, please check your server timestamp or recv_window param. req_timestamp[{t}],server_timestamp[{now}],recv_window[{w}]"
                ),
            );
        }
        if acct.elsewhere {
            return err(
                401,
                10010,
                "Unmatched IP, please check your API key's bound IP addresses.",
            );
        }
        let trade = if acct.read_only {
            "[]"
        } else {
            r#"["SpotTrade"]"#
        };
        (
            200,
            format!(
                r#"{{"retCode":0,"retMsg":"","result":{{"id":"16651472","note":"bot","apiKey":"{}","readOnly":{},"secret":"","permissions":{{"ContractTrade":[],"Spot":{trade},"Wallet":{},"Options":[],"Derivatives":[],"CopyTrading":[],"BlockTrade":[],"Exchange":[],"NFT":[],"Earn":[]}},"ips":{},"type":1,"deadlineDay":88,"expiredAt":"2023-05-15T03:13:24Z","createdAt":"2023-02-15T03:13:24Z","unified":0,"uta":1,"userID":53888001,"inviterID":0,"vipLevel":"No VIP","mktMakerLevel":"0","affiliateID":0,"isMaster":true,"parentUid":"0"}},"retExtInfo":{{}},"time":{}}}"#,
                acct.key,
                u8::from(acct.read_only),
                json_list(acct.wallet),
                json_list(acct.ips),
                now_ms()
            ),
        )
    })
}

fn pair(seed: &str) -> (String, String) {
    (
        fake(&format!("{seed}-key"), 18, ALNUM),
        fake(&format!("{seed}-secret"), 36, ALNUM),
    )
}

fn account(key: &str, secret: &str) -> Account {
    Account {
        key: key.into(),
        secret: secret.into(),
        read_only: false,
        ips: &["*"],
        wallet: &["AccountTransfer", "Withdraw"],
        elsewhere: false,
    }
}

#[test]
fn live_permissions_revoked_and_wrong_secret() {
    let (k1, s1) = pair("bybit-1");
    let (k2, s2) = pair("bybit-2");
    let (k3, s3) = pair("bybit-3");
    let (k4, s4) = pair("bybit-4");
    let mock = venue(vec![
        account(&k1, &s1),
        Account {
            read_only: true,
            ips: &["203.0.113.7", "198.51.100.0/24"],
            wallet: &[],
            ..account(&k2, &s2)
        },
        Account {
            elsewhere: true,
            ips: &["203.0.113.7"],
            ..account(&k4, &s4)
        },
    ]);
    let v = verifier("bybit", &mock);

    let full = v.verify("bybit", &cred("bybit.api-key", &k1, &s1, None));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        Some(false),
        true,
    );
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);

    let read = v.verify("bybit", &cred("bybit.api-key", &k2, &s2, None));
    assert_live(&read, &[perm::READ], Some(true), false);

    // A key bound to other IPs is live, and not critical from here.
    let bound = v.verify("bybit", &cred("bybit.api-key", &k4, &s4, None));
    assert_live(&bound, &[], Some(true), false);
    assert!(bound.detail.contains("10010"), "{}", bound.detail);

    let gone = v.verify("bybit", &cred("bybit.api-key", &k3, &s3, None));
    assert_eq!(gone.verdict, Verdict::Revoked, "{gone:?}");

    let wrong = v.verify("bybit", &cred("bybit.api-key", &k1, &s2, None));
    assert_eq!(wrong.verdict, Verdict::Invalid, "{wrong:?}");
    assert_eq!(mock.requests(), 5);

    let again = v.verify("bybit", &cred("bybit.api-key", &k1, &s1, None));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 5);
}

#[test]
fn a_stale_timestamp_is_rejected() {
    let (k, s) = pair("bybit-stale");
    let mock = venue(vec![account(&k, &s)]);
    assert_stale_rejected(
        "bybit",
        &mock,
        &cred("bybit.api-key", &k, &s, None),
        Verdict::Unreachable,
        "10002",
    );
}

#[test]
fn a_key_without_its_secret_is_not_sent() {
    let mock = venue(vec![]);
    let mut c = cred("bybit.api-key", &pair("bybit-lone").0, "", None);
    c.secret = None;
    assert_not_sent("bybit", &mock, &c);
}
