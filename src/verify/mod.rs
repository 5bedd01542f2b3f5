//! Opt-in live verification (`--verify`, `tradesecrets verify`): for each
//! complete credential of a supported venue, one signed, read-only request
//! that tells whether the key is live and what it may do.
//!
//! Safety, in order of importance:
//! - only read-only endpoints (account configuration, key permissions);
//!   nothing here can place, cancel, transfer or withdraw;
//! - the secret never leaves the process except as the venue's signature;
//!   it appears in no message, log or report;
//! - HTTPS with certificate and host name checks against the bundled Mozilla
//!   roots, no redirects, connect and overall timeouts, a small response
//!   size limit;
//! - a global rate limit and one per venue, and a cache so one credential is
//!   checked once per run;
//! - the production hosts are constants; the only override is a test-only
//!   setting that accepts loopback addresses and nothing else
//!   (see [`Verifier::from_env`]).
//!
//! Each venue lives in one module of [`venues`], with links to the docs it
//! follows: how to build the request and how to read the answer. This module
//! sends the requests.

pub mod answer;
mod credential;
pub(crate) mod http;
pub mod sign;
mod venue;
pub mod venues;

use crate::finding::Finding;
use crate::rules::Severity;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use crate::finding::verification::{Verdict, Verification, perm};
pub use credential::Credential;
pub use http::{Method, Request, Response};
pub use venue::{Venue, code_of, snippet, unreadable, unsettled};

/// Where to send requests for each venue; production unless a test
/// overrides a venue with a loopback address.
struct Endpoints {
    overrides: HashMap<String, String>,
}

impl Endpoints {
    fn base(&self, v: &dyn Venue) -> String {
        self.overrides
            .get(v.id())
            .cloned()
            .unwrap_or_else(|| format!("https://{}", v.host()))
    }
}

/// The environment variable prefix of the test-only endpoint override.
pub const TEST_URL_ENV: &str = "TRADESECRETS_TEST_VERIFY_URL_";

/// Accepts `url` as a test endpoint only when it is plain HTTP on loopback.
fn loopback_only(url: &str) -> Result<String, String> {
    let refuse = || {
        format!(
            "test endpoint `{url}` is not a loopback address (http://127.0.0.1:PORT, \
             http://[::1]:PORT or http://localhost:PORT); credentials go to the venues' own hosts only"
        )
    };
    let rest = url.strip_prefix("http://").ok_or_else(refuse)?;
    // The authority is everything up to the path; nothing in it may be
    // anything but one of the three loopback names and a port: no
    // userinfo (`127.0.0.1:1@other-host`), no percent-encoding, no
    // trailing dot, no longer name that starts like one.
    let (authority, path) = match rest.find(['/', '?', '#', '\\']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if !(path.is_empty() || path.starts_with('/')) || path.contains(['?', '#', '\\', '@']) {
        return Err(refuse());
    }
    // `[::1]:9` splits at its last colon; `[::1` and `::1` do not split.
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if h.ends_with(']') || !(h.contains(':') || h.starts_with('[')) => {
            (h, Some(p))
        }
        _ => (authority, None),
    };
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        return Err(refuse());
    }
    if let Some(p) = port
        && !(p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n > 0))
    {
        return Err(refuse());
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Spaces requests: globally and per venue.
struct Limiter {
    global: Duration,
    next: Mutex<(Instant, HashMap<&'static str, Instant>)>,
}

impl Limiter {
    fn wait(&self, venue: &'static str, interval: Duration) {
        let mut g = self.next.lock().unwrap();
        let now = Instant::now();
        let at = g.0.max(g.1.get(venue).copied().unwrap_or(now)).max(now);
        if at > now {
            std::thread::sleep(at - now);
        }
        let sent = Instant::now();
        g.0 = sent + self.global;
        g.1.insert(venue, sent + interval);
    }
}

/// Sends verification requests; one per run.
pub struct Verifier {
    http: http::Client,
    endpoints: Endpoints,
    limiter: Limiter,
    cache: Mutex<HashMap<[u8; 32], Verification>>,
    clock: fn() -> u64,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Verifier {
    /// The verifier for this process. The test-only setting
    /// `TRADESECRETS_TEST_VERIFY_URL_<VENUE>=http://127.0.0.1:PORT` sends one
    /// venue's requests to a local mock server instead; it accepts loopback
    /// addresses only, so it cannot send a credential anywhere else.
    pub fn from_env() -> Result<Verifier, String> {
        let mut overrides = HashMap::new();
        for (k, v) in std::env::vars() {
            if let Some(venue) = k.strip_prefix(TEST_URL_ENV) {
                overrides.insert(venue.to_ascii_lowercase(), loopback_only(&v)?);
            }
        }
        Verifier::with_overrides(overrides)
    }

    /// A verifier whose venues in `overrides` (venue id, loopback URL) are
    /// local mock servers: for tests.
    #[doc(hidden)]
    pub fn for_tests(overrides: &[(&str, &str)]) -> Result<Verifier, String> {
        let mut m = HashMap::new();
        for (venue, url) in overrides {
            m.insert(venue.to_string(), loopback_only(url)?);
        }
        Verifier::with_overrides(m)
    }

    /// The same verifier with another clock (Unix milliseconds): for tests
    /// of how venues treat stale timestamps.
    #[doc(hidden)]
    pub fn with_clock(mut self, clock: fn() -> u64) -> Verifier {
        self.clock = clock;
        self
    }

    fn with_overrides(overrides: HashMap<String, String>) -> Result<Verifier, String> {
        let loopback = !overrides.is_empty();
        Ok(Verifier {
            http: http::Client::new(loopback),
            endpoints: Endpoints { overrides },
            limiter: Limiter {
                global: Duration::from_millis(if loopback { 0 } else { 100 }),
                next: Mutex::new((Instant::now(), HashMap::new())),
            },
            cache: Mutex::new(HashMap::new()),
            clock: unix_ms,
        })
    }

    /// The hosts verifying `findings` would contact, sorted.
    pub fn hosts(&self, findings: &[Finding]) -> Vec<String> {
        let mut hosts: Vec<String> = findings
            .iter()
            .filter_map(|f| self.host_for(&f.venue_id, &Credential::from_finding(f)))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// The host verifying `c` (of `venue`) would contact; `None` when
    /// nothing would be sent (an unsupported venue, a missing part).
    pub fn host_for(&self, venue: &str, c: &Credential) -> Option<String> {
        let v = venues::find(venue)?;
        v.request(c, 0).ok()?;
        Some(host_of(&self.endpoints.base(v)))
    }

    /// Verifies one credential of `venue` (a rule's venue id).
    pub fn verify(&self, venue: &str, c: &Credential) -> Verification {
        let Some(v) = venues::find(venue) else {
            return Verification::new(
                Verdict::Unsupported,
                format!("live verification does not support {venue} yet"),
            );
        };
        let digest = c.digest(v.id());
        if let Some(hit) = self.cache.lock().unwrap().get(&digest) {
            return hit.clone();
        }
        let base = self.endpoints.base(v);
        let result = match v.request(c, (self.clock)()) {
            Err(not_sent) => not_sent.finish(""),
            Ok(req) => {
                self.limiter.wait(v.id(), v.interval());
                let verdict = match self.http.send(&base, &req) {
                    // Some venues answer auth errors with HTTP 500
                    // (Bitfinex): the venue reads its answer first, and
                    // only an answer it cannot place counts as a server
                    // error. Throttling and redirects settle nothing.
                    Ok(resp) if matches!(resp.status, 300..=399 | 418 | 429) => {
                        unsettled(&resp).unwrap_or_else(|| unreadable(&resp))
                    }
                    Ok(resp) => match v.interpret(c, &resp) {
                        r if r == unreadable(&resp) => unsettled(&resp).unwrap_or(r),
                        r => r,
                    },
                    Err(e) => Verification::new(Verdict::Unreachable, e),
                };
                verdict.finish(&host_of(&base))
            }
        };
        self.cache.lock().unwrap().insert(digest, result.clone());
        result
    }

    /// Verifies each finding of a supported venue, sets its
    /// `verification`, and raises a critical one to `Severity::Critical`.
    pub fn annotate(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut() {
            if f.status == crate::finding::Status::Example {
                continue;
            }
            let c = Credential::from_finding(f);
            let v = self.verify(&f.venue_id, &c);
            if v.critical {
                f.severity = Severity::Critical;
            }
            f.verification = Some(v);
        }
    }
}

fn host_of(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |x| x.1);
    rest.split('/').next().unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_endpoints_are_accepted() {
        assert!(loopback_only("http://127.0.0.1:8080").is_ok());
        assert!(loopback_only("http://[::1]:8080/").is_ok());
        assert!(loopback_only("http://localhost:1").is_ok());
        assert!(loopback_only("http://127.0.0.1:8080/base/").is_ok());
        assert!(loopback_only("http://127.0.0.1").is_ok());
        assert_eq!(
            loopback_only("http://127.0.0.1:9/").unwrap(),
            "http://127.0.0.1:9"
        );
        for bad in [
            "https://api.binance.com",
            "http://127.0.0.1.evil.example:80",
            "http://10.0.0.1:80",
            "http://example.com",
            "ftp://127.0.0.1",
            // Userinfo: the request would go to the host after `@`.
            "http://127.0.0.1:1@other-host:8080",
            "http://127.0.0.1@other-host",
            "http://user:pw@127.0.0.1:80",
            "http://127.0.0.1:1/@other-host",
            // Look-alikes and other spellings.
            "http://127.0.0.1.:80",
            "http://localhost.:80",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil",
            "http://%31%32%37.0.0.1:80",
            "http://127.0.0.%31:80",
            "http://0x7f.0.0.1:80",
            "http://2130706433:80",
            "http://127.1:80",
            "http://[::1].evil:80",
            "http://[::ffff:127.0.0.1]:80",
            "http://[0:0:0:0:0:0:0:1]:80",
            "http://[::1",
            "http://::1:80",
            // Ports that are not ports.
            "http://127.0.0.1:",
            "http://127.0.0.1:0",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:80x",
            "http://127.0.0.1:+80",
            "http://127.0.0.1:80:81",
            // Anything after the authority that is not a path.
            "http://127.0.0.1:80?to=other-host",
            "http://127.0.0.1:80#x",
            "http://127.0.0.1\\@other-host",
            "HTTP://127.0.0.1:80",
            "http:/127.0.0.1:80",
        ] {
            assert!(loopback_only(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn critical_needs_live_withdraw_and_no_ip_restriction() {
        let w = |ip| Verification::live(&[perm::READ, perm::WITHDRAW], ip, "").finish("h");
        assert!(w(Some(false)).critical);
        assert!(w(None).critical);
        assert!(!w(Some(true)).critical);
        let trade = Verification::live(&[perm::TRADE], Some(false), "").finish("h");
        assert!(!trade.critical);
        let mut revoked = Verification::new(Verdict::Revoked, "gone");
        revoked.permissions = vec![perm::WITHDRAW.into()];
        assert!(!revoked.finish("h").critical);
    }

    #[test]
    fn credentials_parse_from_lines_json_and_pem() {
        let c =
            Credential::parse("okx.api-key", "api_key = k1\nsecret: s1\npassphrase=p1\n").unwrap();
        assert_eq!(
            (
                c.key.as_deref(),
                c.secret.as_deref(),
                c.passphrase.as_deref()
            ),
            (Some("k1"), Some("s1"), Some("p1"))
        );
        let c = Credential::parse("x", "k2\ns2\n").unwrap();
        assert_eq!(
            (c.key.as_deref(), c.secret.as_deref()),
            (Some("k2"), Some("s2"))
        );
        let c = Credential::parse("x", r#"{"apiKey": "k3", "apiSecret": "s3"}"#).unwrap();
        assert_eq!(
            (c.key.as_deref(), c.secret.as_deref()),
            (Some("k3"), Some("s3"))
        );
        let pem = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----";
        let c =
            Credential::parse("x", &format!("name: organizations/o/apiKeys/k\n{pem}\n")).unwrap();
        assert_eq!(c.private_key.as_deref(), Some(pem));
        assert_eq!(c.key.as_deref(), Some("organizations/o/apiKeys/k"));
        assert!(Credential::parse("x", r#"{"colour": "red"}"#).is_err());
        assert!(Credential::parse("x", "-----BEGIN EC PRIVATE KEY-----\nAAAA").is_err());
    }

    #[test]
    fn the_limiter_spaces_requests_to_one_venue() {
        let l = Limiter {
            global: Duration::ZERO,
            next: Mutex::new((Instant::now(), HashMap::new())),
        };
        let interval = Duration::from_millis(30);
        let start = Instant::now();
        l.wait("a", interval);
        l.wait("a", interval);
        l.wait("a", interval);
        // A lower bound only: sleeping never takes less than asked.
        assert!(start.elapsed() >= 2 * interval, "{:?}", start.elapsed());
    }

    #[test]
    fn the_cache_digest_separates_parts() {
        let a = Credential {
            key: Some("ab".into()),
            secret: Some("c".into()),
            ..Default::default()
        };
        let b = Credential {
            key: Some("a".into()),
            secret: Some("bc".into()),
            ..Default::default()
        };
        assert_ne!(a.digest("v"), b.digest("v"));
        assert_ne!(a.digest("v"), a.digest("w"));
    }
}
