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

/// Which of a venue's hosts a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Net {
    Production,
    Testnet,
}

/// Where to send requests for each venue; production unless a test
/// overrides a venue with a loopback address (`<venue>` for production,
/// `<venue>_testnet` for its testnet).
struct Endpoints {
    overrides: HashMap<String, String>,
}

impl Endpoints {
    /// The base URL of `v`'s `net`, or `None` when it has none, or when this
    /// is a test run that gave no endpoint for it (a test never reaches a
    /// real testnet by accident).
    fn base(&self, v: &dyn Venue, net: Net) -> Option<String> {
        let (key, host) = match net {
            Net::Production => (v.id().to_string(), v.host()),
            Net::Testnet => (format!("{}_testnet", v.id()), v.testnet_host()?),
        };
        match self.overrides.get(&key) {
            Some(url) => Some(url.clone()),
            None if net == Net::Testnet && !self.overrides.is_empty() => None,
            None => Some(format!("https://{host}")),
        }
    }
}

/// The environment variable prefix of the test-only endpoint override.
pub const TEST_URL_ENV: &str = "TRADESECRETS_TEST_VERIFY_URL_";

/// Accepts `url` as a test endpoint only when it is plain HTTP on loopback.
///
/// Two checks, both of which must pass. The URL is parsed as a browser or
/// HTTP client would (the `url` crate, WHATWG rules): scheme `http`, no user
/// name or password, no query or fragment, and a host that is the IPv4
/// loopback `127.0.0.1`, the IPv6 loopback `::1` or `localhost`. And the
/// text as written must spell that host and port literally: the parser
/// normalizes `0x7f.0.0.1`, `127.1`, `2130706433`, `%31%32%37.0.0.1`,
/// `[0:0:0:0:0:0:0:1]`, `HTTP://` and `http:/` to the same loopback
/// address, and a test setting that needs normalizing is refused rather than
/// trusted.
fn loopback_only(text: &str) -> Result<String, String> {
    let refuse = || {
        format!(
            "test endpoint `{text}` is not a loopback address (http://127.0.0.1:PORT, \
             http://[::1]:PORT or http://localhost:PORT); credentials go to the venues' own hosts only"
        )
    };
    let url = url::Url::parse(text).map_err(|_| refuse())?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip == std::net::Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    if url.scheme() != "http"
        || !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !loopback
        || url.port() == Some(0)
    {
        return Err(refuse());
    }
    // The literal spelling: `http://`, then exactly the parsed host and
    // port, then nothing or a path that the parser kept as written.
    let host = url.host_str().ok_or_else(refuse)?;
    let authority = match text.strip_prefix("http://") {
        Some(rest) => rest.split('/').next().unwrap_or(rest),
        None => return Err(refuse()),
    };
    let literal = match authority.strip_prefix(host) {
        Some("") => true,
        Some(port) => port.strip_prefix(':').is_some_and(|p| {
            p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().ok() == url.port_or_known_default()
        }),
        None => false,
    };
    let path = &text["http://".len() + authority.len()..];
    let plain = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    if !literal || !plain || !(path.is_empty() || path == url.path()) {
        return Err(refuse());
    }
    Ok(text.trim_end_matches('/').to_string())
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
            .flat_map(|f| self.hosts_for(&f.venue_id, &Credential::from_finding(f)))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// The host verifying `c` (of `venue`) would contact, for a message
    /// (a testnet key: its testnet, then production); `None` when nothing
    /// would be sent (an unsupported venue, a missing part).
    pub fn host_for(&self, venue: &str, c: &Credential) -> Option<String> {
        let hosts = self.hosts_for(venue, c);
        match hosts.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            [testnet, production] => Some(format!(
                "{testnet} (the testnet, as its context says), then {production} if the testnet does not know the key"
            )),
            more => Some(more.join(", ")),
        }
    }

    /// The hosts verifying `c` may contact, in the order asked.
    fn hosts_for(&self, venue: &str, c: &Credential) -> Vec<String> {
        let Some(v) = venues::find(venue) else {
            return Vec::new();
        };
        let mut hosts = Vec::new();
        if c.testnet
            && v.testnet_request(c, 0).is_ok()
            && let Some(base) = self.endpoints.base(v, Net::Testnet)
        {
            hosts.push(host_of(&base));
        }
        if v.request(c, 0).is_ok()
            && let Some(base) = self.endpoints.base(v, Net::Production)
        {
            hosts.push(host_of(&base));
        }
        hosts
    }

    /// Verifies one credential of `venue` (a rule's venue id). A testnet
    /// key (its context says so) is asked on the venue's testnet first; when
    /// the testnet does not know it, production is asked too, so a live
    /// production key that only sits near testnet settings is never reported
    /// revoked.
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
        let result = if c.testnet {
            self.verify_testnet(v, c)
        } else {
            self.ask(v, c, Net::Production)
        };
        self.cache.lock().unwrap().insert(digest, result.clone());
        result
    }

    fn verify_testnet(&self, v: &dyn Venue, c: &Credential) -> Verification {
        let known = |r: &Verification| matches!(r.verdict, Verdict::Live | Verdict::Invalid);
        if v.testnet_host().is_none() {
            let mut r = self.ask(v, c, Net::Production);
            if !known(&r) {
                r.detail = format!(
                    "{} (its context says testnet or sandbox; tradesecrets knows no testnet of this venue that checks keys, so production was asked, which does not know a testnet key)",
                    r.detail
                );
            }
            return r;
        }
        let t = self.ask(v, c, Net::Testnet).on_testnet();
        if known(&t) || t.verdict == Verdict::Unsupported {
            return t;
        }
        let p = self.ask(v, c, Net::Production);
        if known(&p) {
            return p;
        }
        let mut t = t;
        t.detail = format!(
            "{}; production does not know it either ({})",
            t.detail,
            p.verdict.as_str()
        );
        t
    }

    /// One request to `v`'s `net`, read.
    fn ask(&self, v: &dyn Venue, c: &Credential, net: Net) -> Verification {
        let now = (self.clock)();
        let request = match net {
            Net::Production => v.request(c, now),
            Net::Testnet => v.testnet_request(c, now),
        };
        let req = match request {
            Err(not_sent) => return not_sent.finish(""),
            Ok(req) => req,
        };
        let Some(base) = self.endpoints.base(v, net) else {
            return Verification::new(
                Verdict::Unreachable,
                "test run: no test endpoint was given for this venue's testnet",
            )
            .finish("");
        };
        self.limiter.wait(v.id(), v.interval());
        let verdict = match self.http.send(&base, &req) {
            // Some venues answer auth errors with HTTP 500
            // (Bitfinex): the venue reads its answer first, and
            // only an answer it cannot place counts as a server
            // error. Throttling and redirects settle nothing.
            Ok(resp) if matches!(resp.status, 300..=399 | 418 | 429) => {
                unsettled(&resp).unwrap_or_else(|| unreadable(&resp))
            }
            Ok(resp) => {
                let read = match net {
                    Net::Production => v.interpret(c, &resp),
                    Net::Testnet => v.testnet_interpret(c, &resp),
                };
                match read {
                    r if r == unreadable(&resp) => unsettled(&resp).unwrap_or(r),
                    r => r,
                }
            }
            Err(e) => Verification::new(Verdict::Unreachable, e),
        };
        verdict.finish(&host_of(&base))
    }

    /// Verifies each finding of a supported venue, sets its
    /// `verification`, raises a critical one to `Severity::Critical` and
    /// lowers a live testnet key to at most `Severity::High`.
    pub fn annotate(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut() {
            if f.status == crate::finding::Status::Example {
                continue;
            }
            let c = Credential::from_finding(f);
            let v = self.verify(&f.venue_id, &c);
            if v.critical {
                f.severity = Severity::Critical;
            } else if v.testnet && v.verdict == Verdict::Live {
                // A live testnet key holds no real funds.
                f.severity = f.severity.min(Severity::High);
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
            // IPv6 zone ids, other loopback spellings, encoded paths.
            "http://[::1%25lo]:80",
            "http://[0::1]:80",
            "http://LOCALHOST:80",
            "http://127.0.0.1:80/a/../b",
            "http://127.0.0.1:80/%2e%2e/x",
            "http://127.0.0.2:80",
            "http://[::2]:80",
            "http://local%68ost:80",
            " http://127.0.0.1:80",
            "http://127.0.0.1:80 ",
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
