//! Coinbase Developer Platform (CDP) keys on Advanced Trade:
//! `GET /api/v3/brokerage/key_permissions`, which answers for the key
//! itself: whether it may view, trade and transfer, and which portfolio it
//! is scoped to. Coinbase does not say whether the key is limited to listed
//! IP addresses.
//!
//! Two kinds of CDP key sign a fresh JWT (`Authorization: Bearer`):
//! - ECDSA: key name `organizations/{org}/apiKeys/{id}` with an EC P-256
//!   private key in PEM (SEC1 or PKCS#8), signed ES256;
//! - Ed25519: a uuid key id with a base64 secret of 64 bytes (seed, then
//!   public key), signed EdDSA.
//!
//! Legacy Coinbase v2 keys and Coinbase Exchange keys (HMAC, passphrase)
//! are other products, not verified here.
//!
//! - Endpoint: <https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/data-api/get-api-key-permissions>
//! - Signing (JWT header `alg`, `kid`, `nonce`, `typ`; claims `sub`,
//!   `iss: "cdp"`, `nbf`, `exp` two minutes later, `uri`):
//!   <https://docs.cdp.coinbase.com/get-started/authentication/jwt-authentication>
//! - Scopes (`view`, `trade`, `transfer`): <https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/rest-scopes>
//! - Errors: a rejected JWT is HTTP 401 `Unauthorized`, with no reason
//!   (<https://docs.cloud.coinbase.com/advanced-trade-api/docs/rest-api-auth>;
//!   reports: <https://github.com/coinbase/coinbase-advanced-py/issues/56>).

use crate::finding::verification::perm;
use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use crate::verify::sign;
use crate::verify::venue::{Venue, snippet, unreadable};
use p256::ecdsa::signature::Signer as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct Coinbase;

pub const HOST: &str = "api.coinbase.com";
pub const PATH: &str = "/api/v3/brokerage/key_permissions";
/// The `uri` claim: method, host and path; always the production host,
/// which is what Coinbase checks the token against.
pub const URI: &str = "GET api.coinbase.com/api/v3/brokerage/key_permissions";
/// How long a token is valid: Coinbase's two minutes.
pub const LIFETIME_S: u64 = 120;

/// A CDP key's signing half.
pub enum Signing {
    /// EC P-256 (ES256).
    Es256(p256::ecdsa::SigningKey),
    /// Ed25519 (EdDSA).
    Ed25519(ed25519_dalek::SigningKey),
}

impl Signing {
    pub fn alg(&self) -> &'static str {
        match self {
            Signing::Es256(_) => "ES256",
            Signing::Ed25519(_) => "EdDSA",
        }
    }

    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        match self {
            // JOSE form: r and s, 32 bytes each.
            Signing::Es256(k) => {
                let s: p256::ecdsa::Signature = k.sign(msg);
                s.to_bytes().to_vec()
            }
            Signing::Ed25519(k) => k.sign(msg).to_bytes().to_vec(),
        }
    }
}

/// The PEM block in `text` as found in a source file, made canonical:
/// JSON or shell escapes (`\n`, `\r`, `\/`) undone, quotes, indentation and
/// other stray characters between the armour lines dropped, the body
/// re-wrapped at 64 columns. Older Coinbase Cloud files label SEC1 keys
/// `ECDSA PRIVATE KEY`; that becomes `EC PRIVATE KEY`. None without a whole
/// block.
pub fn normalize_pem(text: &str) -> Option<String> {
    let mut t = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            t.push(ch);
            continue;
        }
        while chars.peek() == Some(&'\\') {
            chars.next();
        }
        match chars.next() {
            Some('n' | 'r') => t.push('\n'),
            Some('t') => t.push(' '),
            Some(other) => t.push(other),
            None => {}
        }
    }
    let start = t.find("-----BEGIN ")? + 11;
    let label_len = t[start..].find("-----")?;
    let label = t[start..start + label_len].trim().to_string();
    let body_start = start + label_len + 5;
    let end = format!("-----END {label}-----");
    let body_len = t[body_start..].find(&end)?;
    let raw = &t[body_start..body_start + body_len];
    if raw.contains(':') {
        // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`): an encrypted key.
        return None;
    }
    let body: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    if body.is_empty() {
        return None;
    }
    let label = if label == "ECDSA PRIVATE KEY" {
        "EC PRIVATE KEY".to_string()
    } else {
        label
    };
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).ok()?);
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    Some(pem)
}

/// The P-256 signing key in PEM `text` (SEC1 or PKCS#8, possibly escaped
/// as [`normalize_pem`] undoes), or why it cannot sign.
pub fn ec_key(text: &str) -> Result<p256::ecdsa::SigningKey, &'static str> {
    use p256::pkcs8::DecodePrivateKey as _;
    if text.contains("ENCRYPTED") {
        return Err("the private key is encrypted");
    }
    let pem = normalize_pem(text).ok_or("the private key is not a whole PEM block")?;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = sign::base64_decode(&body).ok_or("the private key's PEM body is not base64")?;
    p256::SecretKey::from_sec1_der(&der)
        .or_else(|_| p256::SecretKey::from_pkcs8_der(&der))
        .map(Into::into)
        .map_err(|_| "the private key is not an EC P-256 key")
}

/// The Ed25519 signing key of a CDP secret: base64 of the 32-byte seed and
/// the 32-byte public key (or of the seed alone), or why it cannot sign.
pub fn ed_key(secret: &str) -> Result<ed25519_dalek::SigningKey, &'static str> {
    let text = secret.trim().trim_matches(|c| c == '"' || c == '\'');
    let bytes = sign::base64_decode(text).ok_or("the secret is not base64")?;
    if let Ok(pair) = <[u8; 64]>::try_from(bytes.as_slice()) {
        ed25519_dalek::SigningKey::from_keypair_bytes(&pair).map_err(
            |_| "the secret's public half does not belong to its seed: not an Ed25519 key pair",
        )
    } else if let Ok(seed) = <[u8; 32]>::try_from(bytes.as_slice()) {
        Ok(ed25519_dalek::SigningKey::from_bytes(&seed))
    } else {
        Err("the secret is not an Ed25519 key (64 bytes in base64)")
    }
}

/// The JWT for `key_name` at `now_s` (Unix seconds) with `nonce`.
pub fn jwt(key: &Signing, key_name: &str, now_s: u64, nonce: &str) -> String {
    let header = serde_json::json!({
        "alg": key.alg(),
        "kid": key_name,
        "nonce": nonce,
        "typ": "JWT",
    });
    let claims = serde_json::json!({
        "sub": key_name,
        "iss": "cdp",
        "nbf": now_s,
        "exp": now_s + LIFETIME_S,
        "uri": URI,
    });
    let input = format!(
        "{}.{}",
        sign::base64url(header.to_string().as_bytes()),
        sign::base64url(claims.to_string().as_bytes())
    );
    let sig = key.sign(input.as_bytes());
    format!("{input}.{}", sign::base64url(&sig))
}

/// A nonce unique to this token (it guards against replay, so it need be
/// unpredictable and unrepeated, not secret): SHA-256 of the clock, a
/// counter, the process id and an address, as 64 hex digits.
fn jwt_nonce(now_ms: u64) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let ns = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let here = &n as *const u64 as usize;
    let seed = format!("{now_ms}/{ns}/{n}/{}/{here}", std::process::id());
    sign::hex(&sign::sha256(seed.as_bytes()))
}

/// The rules of Coinbase keys that are not CDP keys.
const LEGACY_RULES: [&str; 4] = [
    "coinbase.exchange-api-key",
    "coinbase.exchange-passphrase",
    "coinbase.legacy-api-key",
    "coinbase.legacy-api-secret",
];

/// The "unsupported: incomplete" verification for a missing part.
fn missing(what: &str) -> Verification {
    match Credential::need(&None, what) {
        Err(v) => v,
        Ok(_) => unreachable!(),
    }
}

/// The key name and signing key of `c`. Which kind of CDP key it is comes
/// first from the signing material itself (a PEM block is an EC key, other
/// text the base64 Ed25519 secret of a uuid key id, whichever part it was
/// read into: Coinbase's key files put both under `privateKey`), then from
/// the rule that found it, then from the key's shape.
fn signing(c: &Credential) -> Result<(String, Signing), Verification> {
    if LEGACY_RULES.contains(&c.rule_id.as_str()) {
        return Err(Verification::new(
            Verdict::Unsupported,
            "legacy Coinbase (v2) and Coinbase Exchange keys are not verified; only CDP (Advanced Trade) keys",
        ));
    }
    let key = c.key.as_deref().map(str::trim);
    let material = c.private_key.as_deref().or(c.secret.as_deref());
    let pem = material.filter(|m| m.contains("-----BEGIN"));
    let ecdsa = if pem.is_some() {
        true
    } else {
        match (c.rule_id.as_str(), key) {
            (_, Some(k)) if k.starts_with("organizations/") => true,
            (_, Some(k)) if is_uuid(k) => false,
            ("coinbase.cdp-key-name" | "coinbase.cdp-private-key", _) => true,
            ("coinbase.api-key-id", _) => false,
            (_, None) => return Err(missing("key name or key id")),
            (_, Some(_)) => {
                return Err(Verification::new(
                    Verdict::Unsupported,
                    "not a Coinbase CDP key (a key name with an EC private key, or a uuid key id with an Ed25519 secret)",
                ));
            }
        }
    };
    let Some(name) = key else {
        return Err(missing(if ecdsa { "key name" } else { "key id" }));
    };
    let signing = if ecdsa {
        let pem = pem.ok_or_else(|| missing("EC private key"))?;
        Signing::Es256(ec_key(pem).map_err(|e| Verification::new(Verdict::Invalid, e))?)
    } else {
        let secret = material.ok_or_else(|| missing("Ed25519 secret"))?;
        Signing::Ed25519(ed_key(secret).map_err(|e| Verification::new(Verdict::Invalid, e))?)
    };
    Ok((name.to_string(), signing))
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Venue for Coinbase {
    fn id(&self) -> &'static str {
        "coinbase"
    }
    fn host(&self) -> &'static str {
        HOST
    }
    fn docs(&self) -> &'static str {
        "https://docs.cdp.coinbase.com/api-reference/advanced-trade-api/rest-api/data-api/get-api-key-permissions"
    }
    fn interval(&self) -> Duration {
        // Advanced Trade allows 30 private requests a second per user.
        Duration::from_millis(100)
    }

    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        let (name, key) = signing(c)?;
        let token = jwt(&key, &name, now_ms / 1000, &jwt_nonce(now_ms));
        Ok(Request::get(PATH).header("Authorization", format!("Bearer {token}")))
    }

    fn interpret(&self, _c: &Credential, r: &Response) -> Verification {
        let v = r.json();
        if r.status == 401 {
            return Verification::new(
                Verdict::Revoked,
                format!(
                    "key unknown or JWT rejected (HTTP 401 {}): Coinbase gives this for a deleted or unknown key, a private key that does not sign for it, a key limited to other IP addresses, and a clock more than a little off, without saying which",
                    snippet(&r.body)
                ),
            );
        }
        let Some(v) = v else {
            return unreadable(r);
        };
        if r.status == 200 && v.get("can_view").is_some() {
            let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
            let mut p = Vec::new();
            if flag("can_view") {
                p.push(perm::READ);
            }
            if flag("can_trade") {
                p.push(perm::TRADE);
            }
            if flag("can_transfer") {
                // Coinbase's `transfer` scope covers sending funds out of
                // the account (crypto sends, fiat withdrawals), not only
                // moves between its own portfolios: it is a withdrawal
                // permission as much as a transfer one.
                p.extend([perm::TRANSFER, perm::WITHDRAW]);
            }
            let detail = match v.get("portfolio_type").and_then(|x| x.as_str()) {
                Some(t) if !t.is_empty() => format!("scoped to one portfolio (type {t})"),
                _ => String::new(),
            };
            return Verification::live(&p, None, &detail);
        }
        // An authenticated key that may not call the endpoint (gRPC
        // gateway `PERMISSION_DENIED`): live, permissions unknown.
        let denied = v.get("error").and_then(|e| e.as_str()) == Some("PERMISSION_DENIED");
        if r.status == 403 && denied {
            return Verification::live(
                &[],
                None,
                &format!(
                    "Coinbase accepted the key but refused to list its permissions: {}",
                    snippet(&r.body)
                ),
            );
        }
        unreadable(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier as _;

    fn b64url_json(part: &str) -> serde_json::Value {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    fn b64url_bytes(part: &str) -> Vec<u8> {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .unwrap()
    }

    /// A test-only P-256 key from a seed string.
    fn ec_test_key(seed: &str) -> p256::SecretKey {
        let mut h = sign::sha256(seed.as_bytes());
        loop {
            if let Ok(k) = p256::SecretKey::from_slice(&h) {
                return k;
            }
            h = sign::sha256(&h);
        }
    }

    fn sec1_pem(k: &p256::SecretKey) -> String {
        k.to_sec1_pem(p256::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string()
    }

    const NAME: &str = "organizations/00000000-0000-4000-8000-000000000001/apiKeys/00000000-0000-4000-8000-000000000002";

    #[test]
    fn es256_jwt_has_the_documented_header_and_claims_and_verifies() {
        let sk = ec_test_key("tradesecrets test-only coinbase unit key");
        let key = Signing::Es256(sk.clone().into());
        let token = jwt(&key, NAME, 1_700_000_000, "abc123");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = b64url_json(parts[0]);
        assert_eq!(
            header,
            serde_json::json!({"alg": "ES256", "kid": NAME, "nonce": "abc123", "typ": "JWT"})
        );
        let claims = b64url_json(parts[1]);
        assert_eq!(
            claims,
            serde_json::json!({
                "sub": NAME, "iss": "cdp", "nbf": 1_700_000_000u64, "exp": 1_700_000_120u64,
                "uri": "GET api.coinbase.com/api/v3/brokerage/key_permissions",
            })
        );
        let sig = b64url_bytes(parts[2]);
        assert_eq!(sig.len(), 64, "JOSE r||s, not DER");
        let vk = p256::ecdsa::VerifyingKey::from(sk.public_key());
        let sig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(vk.verify(input.as_bytes(), &sig).is_ok());
        assert!(vk.verify(b"something else", &sig).is_err());
    }

    #[test]
    fn eddsa_jwt_verifies() {
        let seed = sign::sha256(b"tradesecrets test-only coinbase ed25519 unit key");
        let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
        let secret = sign::base64(&sk.to_keypair_bytes());
        let key = Signing::Ed25519(ed_key(&secret).unwrap());
        let id = "00000000-0000-4000-8000-000000000003";
        let token = jwt(&key, id, 1_700_000_000, "n");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(b64url_json(parts[0])["alg"], "EdDSA");
        assert_eq!(b64url_json(parts[0])["kid"], id);
        assert_eq!(b64url_json(parts[1])["sub"], id);
        let sig = ed25519_dalek::Signature::from_slice(&b64url_bytes(parts[2])).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(
            sk.verifying_key()
                .verify_strict(input.as_bytes(), &sig)
                .is_ok()
        );
        // A secret whose halves do not match is refused.
        let mut bad = sk.to_keypair_bytes();
        bad[40] ^= 1;
        assert!(ed_key(&sign::base64(&bad)).is_err());
        assert!(ed_key("not base64!").is_err());
    }

    #[test]
    fn pem_as_found_in_json_and_code_is_normalized() {
        let sk = ec_test_key("tradesecrets test-only coinbase pem key");
        let pem = sec1_pem(&sk);
        let want = p256::ecdsa::SigningKey::from(sk.clone());
        // As in a downloaded cdp_api_key.json: `\n` escapes, quotes.
        let escaped = format!("\"{}\"", pem.replace('\n', "\\n"));
        assert_eq!(normalize_pem(&escaped).as_deref(), Some(pem.as_str()));
        assert_eq!(ec_key(&escaped).unwrap(), want);
        // Double-escaped, `\r\n`, `\/` escapes.
        let twice = pem.replace('\n', "\\\\r\\\\n").replace('/', "\\/");
        assert_eq!(ec_key(&twice).unwrap(), want);
        // Indented inside a triple-quoted string, with CRLF.
        let indented: String = pem.lines().map(|l| format!("    {l}\r\n")).collect();
        assert_eq!(ec_key(&indented).unwrap(), want);
        // The older Coinbase Cloud label.
        let ecdsa = pem.replace("EC PRIVATE KEY", "ECDSA PRIVATE KEY");
        assert_eq!(ec_key(&ecdsa).unwrap(), want);
        // PKCS#8.
        use p256::pkcs8::EncodePrivateKey as _;
        let pk8 = sk
            .to_pkcs8_pem(p256::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string();
        assert!(pk8.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_eq!(ec_key(&pk8.replace('\n', "\\n")).unwrap(), want);
        // Not keys.
        assert!(
            ec_key("-----BEGIN EC PRIVATE KEY-----\\nAAAA\\n-----END EC PRIVATE KEY-----").is_err()
        );
        assert!(ec_key("-----BEGIN EC PRIVATE KEY-----\nAAAA").is_err());
        assert!(
            ec_key(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"
            )
            .is_err()
        );
    }

    #[test]
    fn which_keys_are_signed_and_which_are_not() {
        let sk = ec_test_key("tradesecrets test-only coinbase form key");
        let cdp = Credential {
            rule_id: "coinbase.cdp-key-name".into(),
            key: Some(NAME.into()),
            private_key: Some(sec1_pem(&sk)),
            ..Default::default()
        };
        let r = Coinbase.request(&cdp, 1_700_000_000_000).unwrap();
        assert_eq!(r.path, PATH);
        let auth = r.header_value("authorization").unwrap();
        assert!(auth.starts_with("Bearer ey"));
        // Two tokens never share a nonce.
        let r2 = Coinbase.request(&cdp, 1_700_000_000_000).unwrap();
        let nonce = |r: &Request| {
            let t = r.header_value("authorization").unwrap();
            b64url_json(t[7..].split('.').next().unwrap())["nonce"].clone()
        };
        assert_ne!(nonce(&r), nonce(&r2));
        assert_eq!(nonce(&r).as_str().unwrap().len(), 64);

        let verdict = |c: &Credential| Coinbase.request(c, 0).unwrap_err().verdict;
        let no_pem = Credential {
            private_key: None,
            ..cdp.clone()
        };
        assert_eq!(verdict(&no_pem), Verdict::Unsupported);
        let bad_pem = Credential {
            private_key: Some(
                "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----".into(),
            ),
            ..cdp.clone()
        };
        assert_eq!(verdict(&bad_pem), Verdict::Invalid);
        let legacy = Credential {
            rule_id: "coinbase.exchange-api-key".into(),
            key: Some("0123456789abcdef0123456789abcdef".into()),
            secret: Some("c2VjcmV0".into()),
            passphrase: Some("p".into()),
            ..Default::default()
        };
        let v = Coinbase.request(&legacy, 0).unwrap_err();
        assert_eq!(v.verdict, Verdict::Unsupported);
        assert!(v.detail.contains("Exchange"), "{}", v.detail);
        let ed_no_secret = Credential {
            rule_id: "coinbase.api-key-id".into(),
            key: Some("00000000-0000-4000-8000-000000000003".into()),
            ..Default::default()
        };
        assert_eq!(verdict(&ed_no_secret), Verdict::Unsupported);
        // Read from standard input under the venue's name: by shape.
        let stdin = Credential {
            rule_id: "coinbase".into(),
            ..cdp.clone()
        };
        assert!(Coinbase.request(&stdin, 0).is_ok());
    }

    #[test]
    fn answers_map_to_verdicts() {
        let c = Credential::default();
        let read = |status, body: &str| super::super::testing::read(&Coinbase, &c, status, body);
        let all = read(
            200,
            r#"{"can_view":true,"can_trade":true,"can_transfer":true,"portfolio_uuid":"p","portfolio_type":"DEFAULT"}"#,
        );
        assert_eq!(all.verdict, Verdict::Live);
        assert_eq!(all.permissions, ["read", "trade", "transfer", "withdraw"]);
        assert_eq!(all.ip_restricted, None);
        assert!(all.detail.contains("DEFAULT"));
        let view = read(
            200,
            r#"{"can_view":true,"can_trade":false,"can_transfer":false}"#,
        );
        assert_eq!(view.permissions, ["read"]);
        let gone = read(401, "Unauthorized");
        assert_eq!(gone.verdict, Verdict::Revoked);
        assert!(gone.detail.contains("key unknown or JWT rejected"));
        assert!(gone.detail.contains("clock"));
        assert_eq!(
            read(403, r#"{"error":"PERMISSION_DENIED","message":"m"}"#).verdict,
            Verdict::Live
        );
        assert_eq!(
            read(403, "<html>Forbidden</html>").verdict,
            Verdict::Unreachable
        );
        assert_eq!(read(200, "[]").verdict, Verdict::Unreachable);
    }
}
