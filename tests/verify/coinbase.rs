//! Coinbase CDP keys on Advanced Trade: `GET
//! /api/v3/brokerage/key_permissions` with `Authorization: Bearer <JWT>`.
//! The JWT names the key in `kid` and `sub`, carries a `nonce`, `iss` =
//! `cdp`, `nbf`/`exp` at most two minutes apart and `uri` = `GET
//! api.coinbase.com/api/v3/brokerage/key_permissions`; it is signed ES256
//! (raw r||s) by an EC P-256 key, or EdDSA by an Ed25519 key. Every
//! rejected token is HTTP 401 `Unauthorized`, with no reason.
//!
//! The mock checks tokens with verifying keys derived here from the test
//! keys, not with the scanner's code.

use crate::common::*;
use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use std::collections::HashSet;
use std::sync::Mutex;
use tradesecrets::verify::{Credential, Verdict, perm};

const PATH: &str = "/api/v3/brokerage/key_permissions";
const URI: &str = "GET api.coinbase.com/api/v3/brokerage/key_permissions";

enum Public {
    Ec(p256::ecdsa::VerifyingKey),
    Ed(ed25519_dalek::VerifyingKey),
}

struct Account {
    /// The key name (`organizations/.../apiKeys/...`) or key id (uuid).
    name: String,
    public: Public,
    view: bool,
    trade: bool,
    transfer: bool,
}

fn unauthorized() -> (u16, String) {
    (401, "Unauthorized".into())
}

fn b64url(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .ok()
}

fn b64url_json(part: &str) -> Option<serde_json::Value> {
    serde_json::from_slice(&b64url(part)?).ok()
}

/// Whether `token` is a JWT for `accounts` that Coinbase would take now;
/// the account when it is.
fn check<'a>(
    accounts: &'a [Account],
    seen: &Mutex<HashSet<String>>,
    token: &str,
) -> Option<&'a Account> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, c, s] = parts[..] else {
        return None;
    };
    let header = b64url_json(h)?;
    let claims = b64url_json(c)?;
    let sig = b64url(s)?;
    let kid = header.get("kid")?.as_str()?;
    if header.get("typ")?.as_str()? != "JWT" {
        return None;
    }
    let nonce = header.get("nonce")?.as_str()?;
    let acct = accounts.iter().find(|a| a.name == kid)?;
    let input = format!("{h}.{c}");
    let alg = header.get("alg")?.as_str()?;
    let good = match (&acct.public, alg) {
        (Public::Ec(k), "ES256") => {
            let sig = p256::ecdsa::Signature::from_slice(&sig).ok()?;
            k.verify(input.as_bytes(), &sig).is_ok()
        }
        (Public::Ed(k), "EdDSA") => {
            let sig = ed25519_dalek::Signature::from_slice(&sig).ok()?;
            k.verify_strict(input.as_bytes(), &sig).is_ok()
        }
        _ => false,
    };
    if !good {
        return None;
    }
    if claims.get("sub")?.as_str()? != kid
        || claims.get("iss")?.as_str()? != "cdp"
        || claims.get("uri")?.as_str()? != URI
    {
        return None;
    }
    let nbf = claims.get("nbf")?.as_u64()?;
    let exp = claims.get("exp")?.as_u64()?;
    let now = now_ms() / 1000;
    if nbf > now + 5 || exp <= now || exp < nbf || exp - nbf > 120 {
        return None;
    }
    // A token is good once.
    if !seen.lock().unwrap().insert(nonce.to_string()) {
        return None;
    }
    Some(acct)
}

/// The venue as its docs describe it, with these accounts.
fn venue(accounts: Vec<Account>) -> Mock {
    let seen = Mutex::new(HashSet::new());
    serve(move |r| {
        if r.method != "GET" || r.path() != PATH {
            return (404, r#"{"error":"NOT_FOUND","message":"Not Found"}"#.into());
        }
        let Some(token) = r
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
        else {
            return unauthorized();
        };
        let Some(acct) = check(&accounts, &seen, token) else {
            return unauthorized();
        };
        (
            200,
            format!(
                r#"{{"can_view":{},"can_trade":{},"can_transfer":{},"portfolio_uuid":"{}","portfolio_type":"DEFAULT"}}"#,
                acct.view,
                acct.trade,
                acct.transfer,
                uuid(&format!("{}-portfolio", acct.name))
            ),
        )
    })
}

fn uuid(seed: &str) -> String {
    let h = fake(seed, 32, HEX);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A test-only EC P-256 key, its secret scalar from SHA-256 of `seed`.
fn ec_key(seed: &str) -> p256::SecretKey {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::digest(format!("tradesecrets test-only coinbase EC key: {seed}"));
    loop {
        if let Ok(k) = p256::SecretKey::from_slice(&h) {
            return k;
        }
        h = sha2::Sha256::digest(h);
    }
}

/// A test-only Ed25519 key, its seed SHA-256 of `seed`.
fn ed_key(seed: &str) -> ed25519_dalek::SigningKey {
    use sha2::Digest as _;
    let h = sha2::Sha256::digest(format!(
        "tradesecrets test-only coinbase Ed25519 key: {seed}"
    ));
    ed25519_dalek::SigningKey::from_bytes(&h.into())
}

fn sec1_pem(k: &p256::SecretKey) -> String {
    k.to_sec1_pem(p256::pkcs8::LineEnding::LF)
        .unwrap()
        .to_string()
}

fn key_name(seed: &str) -> String {
    format!(
        "organizations/{}/apiKeys/{}",
        uuid(&format!("{seed}-org")),
        uuid(&format!("{seed}-key"))
    )
}

fn ec_account(name: &str, k: &p256::SecretKey, perms: (bool, bool, bool)) -> Account {
    Account {
        name: name.into(),
        public: Public::Ec(k.public_key().into()),
        view: perms.0,
        trade: perms.1,
        transfer: perms.2,
    }
}

fn ed_account(id: &str, k: &ed25519_dalek::SigningKey, perms: (bool, bool, bool)) -> Account {
    Account {
        name: id.into(),
        public: Public::Ed(k.verifying_key()),
        view: perms.0,
        trade: perms.1,
        transfer: perms.2,
    }
}

/// An ECDSA key as found: its name and its PEM text.
fn ec_cred(name: &str, pem: &str) -> Credential {
    Credential {
        rule_id: "coinbase.cdp-key-name".into(),
        key: Some(name.into()),
        private_key: Some(pem.into()),
        ..Credential::default()
    }
}

/// An Ed25519 key as found: its id and the base64 of seed and public key.
fn ed_cred(id: &str, k: &ed25519_dalek::SigningKey) -> Credential {
    cred("coinbase.api-key-id", id, &b64(&k.to_keypair_bytes()), None)
}

#[test]
fn live_ecdsa_and_ed25519_keys_with_their_permissions() {
    let (n1, k1) = (key_name("cb-1"), ec_key("cb-1"));
    let (id2, k2) = (uuid("cb-2"), ed_key("cb-2"));
    let mock = venue(vec![
        ec_account(&n1, &k1, (true, true, true)),
        ed_account(&id2, &k2, (true, false, false)),
    ]);
    let v = verifier("coinbase", &mock);

    let full = v.verify("coinbase", &ec_cred(&n1, &sec1_pem(&k1)));
    assert_live(
        &full,
        &[perm::READ, perm::TRADE, perm::TRANSFER, perm::WITHDRAW],
        None,
        true,
    );
    assert!(full.host.starts_with("127.0.0.1:"), "{}", full.host);
    assert!(
        mock.last()
            .header("authorization")
            .unwrap()
            .starts_with("Bearer ")
    );

    let read = v.verify("coinbase", &ed_cred(&id2, &k2));
    assert_live(&read, &[perm::READ], None, false);
    assert_eq!(mock.requests(), 2);

    let again = v.verify("coinbase", &ec_cred(&n1, &sec1_pem(&k1)));
    assert_eq!(again, full);
    assert_eq!(mock.requests(), 2);
}

#[test]
fn unknown_keys_and_wrong_private_keys_are_rejected() {
    let (n1, k1) = (key_name("cb-known"), ec_key("cb-known"));
    let (id2, k2) = (uuid("cb-known-ed"), ed_key("cb-known-ed"));
    let mock = venue(vec![
        ec_account(&n1, &k1, (true, true, true)),
        ed_account(&id2, &k2, (true, true, true)),
    ]);
    let v = verifier("coinbase", &mock);

    let unknown = v.verify(
        "coinbase",
        &ec_cred(&key_name("cb-unknown"), &sec1_pem(&ec_key("cb-unknown"))),
    );
    assert_verdict(&unknown, Verdict::Revoked, "key unknown or JWT rejected");

    // Coinbase answers a token signed by another key as an unknown key.
    let other = sec1_pem(&ec_key("cb-other"));
    let wrong = v.verify("coinbase", &ec_cred(&n1, &other));
    assert_eq!(wrong.verdict, Verdict::Revoked, "{wrong:?}");
    assert!(!wrong.detail.contains("PRIVATE KEY"));

    let wrong_ed = v.verify("coinbase", &ed_cred(&id2, &ed_key("cb-other-ed")));
    assert_eq!(wrong_ed.verdict, Verdict::Revoked, "{wrong_ed:?}");
    assert_eq!(mock.requests(), 3);
}

#[test]
fn a_stale_token_is_rejected() {
    let (n, k) = (key_name("cb-stale"), ec_key("cb-stale"));
    let mock = venue(vec![ec_account(&n, &k, (true, true, true))]);
    assert_stale_rejected(
        "coinbase",
        &mock,
        &ec_cred(&n, &sec1_pem(&k)),
        Verdict::Revoked,
        "clock",
    );
}

/// The PEM as a `cdp_api_key.json` holds it (`\n` escapes inside a JSON
/// string), and as PKCS#8 indented in code, sign end to end.
#[test]
fn a_json_escaped_pem_works_end_to_end() {
    let (n1, k1) = (key_name("cb-json"), ec_key("cb-json"));
    let (n2, k2) = (key_name("cb-pkcs8"), ec_key("cb-pkcs8"));
    let mock = venue(vec![
        ec_account(&n1, &k1, (true, false, false)),
        ec_account(&n2, &k2, (true, true, false)),
    ]);
    let v = verifier("coinbase", &mock);

    let escaped = format!("\"{}\"", sec1_pem(&k1).replace('\n', "\\n"));
    assert!(escaped.contains("\\n") && !escaped.contains('\n'));
    let r = v.verify("coinbase", &ec_cred(&n1, &escaped));
    assert_live(&r, &[perm::READ], None, false);

    use p256::pkcs8::EncodePrivateKey as _;
    let pk8 = k2
        .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
        .unwrap()
        .to_string();
    let indented: String = pk8.lines().map(|l| format!("        {l}\n")).collect();
    let mut c = ec_cred(&n2, &indented);
    c.rule_id = "coinbase.cdp-private-key".into();
    let r = v.verify("coinbase", &c);
    assert_live(&r, &[perm::READ, perm::TRADE], None, false);
    assert_eq!(mock.requests(), 2);
}

#[test]
fn incomplete_unusable_and_legacy_keys_are_not_sent() {
    let mock = venue(vec![]);
    let v = verifier("coinbase", &mock);

    let mut no_pem = ec_cred(&key_name("cb-lone"), "");
    no_pem.private_key = None;
    let r = v.verify("coinbase", &no_pem);
    assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");

    let garbled = ec_cred(
        &key_name("cb-garbled"),
        "-----BEGIN EC PRIVATE KEY-----\\nTm90IGEga2V5Cg==\\n-----END EC PRIVATE KEY-----\\n",
    );
    let r = v.verify("coinbase", &garbled);
    assert_eq!(r.verdict, Verdict::Invalid, "{r:?}");

    let short = cred(
        "coinbase.api-key-id",
        &uuid("cb-short"),
        &b64(b"0123456789"),
        None,
    );
    let r = v.verify("coinbase", &short);
    assert_eq!(r.verdict, Verdict::Invalid, "{r:?}");

    let legacy = cred(
        "coinbase.exchange-api-key",
        &fake("cb-exchange-key", 32, HEX),
        &b64(fake("cb-exchange-secret", 64, ALNUM).as_bytes()),
        Some("pass-phrase"),
    );
    let r = v.verify("coinbase", &legacy);
    assert_verdict(&r, Verdict::Unsupported, "Exchange");
    assert_eq!(mock.requests(), 0);
}

/// Runs `tradesecrets verify ARGS` against `mock` with `stdin`.
fn run_verify(mock: &Mock, args: &[&str], stdin: &str) -> (i32, String, String) {
    let args: Vec<&str> = std::iter::once("verify")
        .chain(args.iter().copied())
        .collect();
    let env = [("TRADESECRETS_TEST_VERIFY_URL_COINBASE", mock.url.as_str())];
    run_bin(&std::env::temp_dir(), &env, &args, stdin)
}

/// The two key files Coinbase hands out, exactly as downloaded: the ES256
/// `cdp_api_key.json` (`name`, and the PEM with `\n` escapes in a JSON
/// string) and the Ed25519 one (`id`, and the base64 `privateKey`). Piped
/// to `verify`, or read with `--file`, each sends one signed request; a
/// key file others may read is refused before anything is sent.
#[test]
fn coinbase_key_files_verify_from_stdin_and_with_file() {
    let (name, ec) = (key_name("cb-file-ec"), ec_key("cb-file-ec"));
    let (id, ed) = (uuid("cb-file-ed"), ed_key("cb-file-ed"));
    let mock = venue(vec![
        ec_account(&name, &ec, (true, true, false)),
        ed_account(&id, &ed, (true, false, false)),
    ]);
    let es256_file = serde_json::to_string_pretty(&serde_json::json!({
        "name": name,
        "privateKey": sec1_pem(&ec),
    }))
    .unwrap();
    assert!(es256_file.contains("-----BEGIN EC PRIVATE KEY-----\\n"));
    let ed_file = serde_json::to_string_pretty(&serde_json::json!({
        "id": id,
        "privateKey": b64(&ed.to_keypair_bytes()),
    }))
    .unwrap();

    let rule = ["--rule", "coinbase.cdp-key-name"];
    let (code, out, err) = run_verify(&mock, &rule, &es256_file);
    assert_eq!(code, 1, "live exits 1: {out}{err}");
    assert!(out.contains("live (read, trade)"), "{out}");
    assert_eq!(mock.requests(), 1);

    let (code, out, err) = run_verify(&mock, &["--rule", "coinbase.api-key-id"], &ed_file);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("live (read)"), "{out}");
    assert_eq!(mock.requests(), 2);
    // The Ed25519 file under the key-name rule: its shape decides.
    let (code, out, err) = run_verify(&mock, &rule, &ed_file);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(mock.requests(), 3);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdp_api_key.json");
    std::fs::write(&path, &es256_file).unwrap();
    let file = path.to_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (code, out, err) = run_verify(&mock, &["--rule", rule[1], "--file", file], "");
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains("readable by others (mode 0644)"), "{err}");
        assert!(err.contains("chmod 600"), "{err}");
        assert_eq!(mock.requests(), 3, "nothing may be sent");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let (code, out, err) = run_verify(&mock, &["--rule", rule[1], "--file", file], "");
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("live (read, trade)"), "{out}");
    assert_eq!(mock.requests(), 4);
    let missing = dir.path().join("absent.json");
    let (code, _, err) = run_verify(
        &mock,
        &["--rule", rule[1], "--file", missing.to_str().unwrap()],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("absent.json"), "{err}");
    for text in [&out, &err] {
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
}
