//! `--verify` and `tradesecrets verify` end to end: the real binary, a
//! generated Binance credential in a file or on stdin, and the Binance mock
//! (the test-only endpoint setting points the binary at it).

use crate::binance::{Account, venue};
use crate::mock::Mock;
use crate::tcommon::{bin, creds, write};
use serde_json::Value;

const ENV: &str = "TRADESECRETS_TEST_VERIFY_URL_BINANCE";

/// A directory with one generated Binance key + secret, and a mock that
/// knows it (`withdraw`, never IP-restricted).
fn setup(seed: &str, withdraw: bool) -> (tempfile::TempDir, Vec<String>, Mock) {
    let c = creds(seed);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bot/.env", &c.env);
    let mock = venue(vec![Account {
        key: c.values[0].clone(),
        secret: c.values[1].clone(),
        withdraw,
        ip_restrict: false,
    }]);
    (dir, c.values, mock)
}

fn run(dir: &std::path::Path, mock: &Mock, args: &[&str], stdin: &str) -> (i32, String, String) {
    crate::common::run_bin(dir, &[(ENV, &mock.url)], args, stdin)
}

fn assert_no_secret(values: &[String], texts: &[&str]) {
    for t in texts {
        for v in values {
            assert!(!t.contains(v.as_str()), "a secret was printed:\n{t}");
        }
    }
}

#[test]
fn scan_verify_reports_a_critical_live_key_in_json_and_first_in_human() {
    let (dir, values, mock) = setup("verify-cli-critical", true);
    let (code, out, err) = run(
        dir.path(),
        &mock,
        &["scan", ".", "--verify", "--format", "json"],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("127.0.0.1:"),
        "the hosts are named first: {err}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    crate::tcommon::assert_report_schema(&report);
    let f = &report["findings"][0];
    assert_eq!(f["verification"], "live", "{f:#}");
    assert_eq!(
        f["permissions"],
        serde_json::json!(["read", "trade", "withdraw"])
    );
    assert_eq!(f["ip_restricted"], false);
    assert_eq!(f["critical"], true);
    assert_eq!(f["severity"], "critical");
    assert_eq!(mock.requests(), 1);

    let (_, human, herr) = run(dir.path(), &mock, &["scan", ".", "--verify"], "");
    assert!(
        human.starts_with("CRITICAL: 1 live credential can withdraw"),
        "{human}"
    );
    assert!(
        human.contains("verified CRITICAL: live (read, trade, withdraw; not IP-restricted)"),
        "{human}"
    );

    let (_, sarif, serr) = run(
        dir.path(),
        &mock,
        &["scan", ".", "--verify", "--format", "sarif"],
        "",
    );
    let sarif = crate::tcommon::valid_sarif(&sarif);
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["level"], "error");
    assert_eq!(r["properties"]["verification"]["verification"], "live");
    assert_eq!(r["properties"]["verification"]["critical"], true);
    assert!(
        r["message"]["text"].as_str().unwrap().contains("CRITICAL"),
        "{r:#}"
    );
    assert_no_secret(
        &values,
        &[&out, &err, &human, &herr, &serr, &sarif.to_string()],
    );
}

#[test]
fn without_verify_nothing_is_sent() {
    let (dir, _, mock) = setup("verify-cli-off", true);
    let (code, out, _) = run(dir.path(), &mock, &["scan", ".", "--format", "json"], "");
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report["findings"][0].get("verification").is_none());
    assert_eq!(mock.requests(), 0);
}

#[test]
fn verify_command_reads_stdin_and_exits_by_verdict() {
    let (dir, values, mock) = setup("verify-cli-stdin", false);
    let stdin = format!("{}\n{}\n", values[0], values[1]);
    let (code, out, err) = run(
        dir.path(),
        &mock,
        &["verify", "--rule", "binance.api-key"],
        &stdin,
    );
    assert_eq!(code, 1, "live exits 1: {out}{err}");
    assert!(
        out.contains("binance.api-key: live (read; not IP-restricted)"),
        "{out}"
    );
    assert!(err.contains("one read-only request to 127.0.0.1:"), "{err}");

    // A key alone: nothing is sent, and no host is announced.
    let args = ["verify", "--rule", "binance.api-key"];
    let (code, out, err) = run(dir.path(), &mock, &args, &values[0]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("unsupported: incomplete credential"), "{out}");
    assert!(!err.contains("request to"), "{err}");

    let other = creds("verify-cli-stranger");
    let stdin = format!("api_key={}\nsecret={}\n", other.values[0], other.values[1]);
    let (code, out, _) = run(
        dir.path(),
        &mock,
        &["verify", "--rule", "binance.api-key", "--json"],
        &stdin,
    );
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verification"], "revoked");
    assert_eq!(v["venue"], "binance");
    assert_no_secret(&values, &[&out, &err]);

    let (code, _, err) = run(
        dir.path(),
        &mock,
        &["verify", "--rule", "nope.rule"],
        "a\nb\n",
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule `nope.rule`"), "{err}");
}

#[test]
fn a_non_loopback_test_endpoint_is_refused() {
    let (dir, values, mock) = setup("verify-cli-remote", true);
    // The mock listens on loopback; each refused form would, if accepted,
    // send the request somewhere: a remote host, the host after a
    // loopback-looking userinfo (here the mock itself, so a request that
    // got through would be counted), look-alikes and encodings.
    let behind = mock.url.replace("http://", "http://127.0.0.1:1@");
    let port = mock.url.rsplit(':').next().unwrap().to_string();
    let stdin = format!("{}\n{}\n", values[0], values[1]);
    for url in [
        "http://203.0.113.7:80".to_string(),
        "http://127.0.0.1:1@203.0.113.7:80".to_string(),
        behind,
        format!("http://user@127.0.0.1:{port}"),
        format!("http://127.0.0.1.:{port}"),
        format!("http://%31%32%37.0.0.1:{port}"),
        format!("http://0x7f.0.0.1:{port}"),
        format!("http://[::ffff:127.0.0.1]:{port}"),
        format!("https://127.0.0.1:{port}"),
    ] {
        for args in [
            &["scan", ".", "--verify"][..],
            &["verify", "--rule", "binance.api-key"][..],
        ] {
            let out = bin()
                .current_dir(dir.path())
                .env(ENV, &url)
                .args(args)
                .write_stdin(stdin.as_str())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{url} {args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("not a loopback address"), "{url}: {err}");
            assert!(
                !err.contains("read-only request"),
                "{url}: nothing may be sent: {err}"
            );
            assert_no_secret(&values, &[&err, &String::from_utf8_lossy(&out.stdout)]);
        }
    }
    assert_eq!(mock.requests(), 0, "no request may reach any host");
}

/// A `.env` whose settings say testnet: the finding says `testnet`,
/// `--verify` asks the Spot testnet (never production, which would not
/// know the key), the answer is `live (testnet)`, not critical though the
/// key may withdraw, and the finding is not raised to critical severity.
#[test]
fn scan_verify_asks_the_testnet_for_a_key_whose_context_says_testnet() {
    let c = creds("verify-cli-testnet");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bot/.env",
        format!("BINANCE_TESTNET=true\n{}", c.env),
    );
    let acct = || Account {
        key: c.values[0].clone(),
        secret: c.values[1].clone(),
        withdraw: true,
        ip_restrict: false,
    };
    let test = crate::binance::testnet(vec![acct()]);
    let prod = venue(vec![]);
    let out = bin()
        .current_dir(dir.path())
        .env(ENV, &prod.url)
        .env(format!("{ENV}_TESTNET"), &test.url)
        .args(["scan", ".", "--verify", "--format", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    crate::tcommon::assert_report_schema(&report);
    let f = &report["findings"][0];
    assert_eq!(f["testnet"], true, "{f:#}");
    assert_eq!(f["verification"], "live", "{f:#}");
    assert_eq!(f["verification_testnet"], true, "{f:#}");
    assert_eq!(f["critical"], false, "{f:#}");
    assert_ne!(f["severity"], "critical", "{f:#}");
    assert_eq!((test.requests(), prod.requests()), (1, 0));

    let human = bin()
        .current_dir(dir.path())
        .env(ENV, &prod.url)
        .env(format!("{ENV}_TESTNET"), &test.url)
        .args(["scan", ".", "--verify"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("verified live (testnet; "), "{human}");
    assert!(!human.contains("CRITICAL"), "{human}");
    assert_no_secret(&c.values, &[&stdout, &stderr, &human]);

    // Without the testnet setting the same key is a production key.
    write(dir.path(), "bot/.env", &c.env);
    let (_, out, _) = run(dir.path(), &prod, &["scan", ".", "--format", "json"], "");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report["findings"][0].get("testnet").is_none(), "{report:#}");
}
