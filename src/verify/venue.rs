//! What every venue module implements, and the readings of answers that
//! every venue shares.

use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::{Request, Response};
use std::time::Duration;

/// One venue's verification: how to sign its read-only request and how to
/// read the answer. Implementations build requests from the credential and
/// the clock only, so the signature code is tested against the venues'
/// published examples without a network.
pub trait Venue: Send + Sync {
    /// The venue id in the rules (`binance`, `gateio`, ...).
    fn id(&self) -> &'static str;
    /// The production host, without scheme.
    fn host(&self) -> &'static str;
    /// The documentation the request and its reading follow.
    fn docs(&self) -> &'static str;
    /// At least this long between two requests to the venue.
    fn interval(&self) -> Duration;
    /// The signed request for `c` at `now_ms` (Unix milliseconds), or the
    /// verification to report without asking (unsupported or unusable).
    fn request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification>;
    /// Reads the venue's answer.
    fn interpret(&self, c: &Credential, r: &Response) -> Verification;

    /// The testnet or sandbox host that knows the venue's test keys, when
    /// there is one that checks keys as production does (the same host
    /// when test keys are told apart by a header, as OKX's demo trading).
    fn testnet_host(&self) -> Option<&'static str> {
        None
    }
    /// The signed request for the testnet; production's request unless the
    /// testnet differs (a header, another endpoint).
    fn testnet_request(&self, c: &Credential, now_ms: u64) -> Result<Request, Verification> {
        self.request(c, now_ms)
    }
    /// Reads the testnet's answer; production's reading unless it differs.
    fn testnet_interpret(&self, c: &Credential, r: &Response) -> Verification {
        self.interpret(c, r)
    }
}

/// Answers every venue gives the same way: throttling and server errors
/// settle nothing.
pub fn unsettled(r: &Response) -> Option<Verification> {
    match r.status {
        429 | 418 => Some(Verification::new(
            Verdict::Unreachable,
            format!("rate limited (HTTP {})", r.status),
        )),
        500..=599 => Some(Verification::new(
            Verdict::Unreachable,
            format!("server error (HTTP {})", r.status),
        )),
        300..=399 => Some(Verification::new(
            Verdict::Unreachable,
            format!("redirected (HTTP {}); redirects are not followed", r.status),
        )),
        _ => None,
    }
}

/// An answer this version cannot read.
pub fn unreadable(r: &Response) -> Verification {
    Verification::new(
        Verdict::Unreachable,
        format!(
            "unexpected answer (HTTP {}): {}",
            r.status,
            snippet(&r.body)
        ),
    )
}

/// The start of a venue's answer, for messages (venues' error texts hold no
/// secret; requests are never echoed).
pub fn snippet(body: &str) -> String {
    let one: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(120) {
        Some((i, _)) => format!("{}...", &one[..i]),
        None => one,
    }
}

/// A JSON number or numeric string as i64 (venues send error codes both ways).
pub fn code_of(v: &serde_json::Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}
