//! A finding and where it was found: the one diagnostic type every source
//! produces and every report renders.

use super::context::CodeContext;
use super::verification::Verification;
use crate::rules::{Confidence, Part, Severity};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A credential that may be live.
    Leak,
    /// A public documentation value: a known example, or a request or
    /// response sample of a docs page. Hidden by default.
    Example,
    /// An invented value in tests that says so (mock markers, dummy names,
    /// test vectors, one value shared by many test files). Hidden by default.
    Fixture,
    /// Inside third-party or generated code committed into the tree.
    /// Hidden by default.
    Vendored,
}

impl Status {
    /// The statuses hidden unless asked for, in report order.
    pub const HIDDEN: [Status; 3] = [Status::Example, Status::Fixture, Status::Vendored];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Leak => "leak",
            Status::Example => "example",
            Status::Fixture => "fixture",
            Status::Vendored => "vendored",
        }
    }

    /// What a report says of a finding of this status (empty for a leak).
    pub fn label(self) -> &'static str {
        match self {
            Status::Leak => "",
            Status::Example => "public documentation example",
            Status::Fixture => "test fixture",
            Status::Vendored => "in vendored code",
        }
    }

    /// The summary line's words for `n` hidden findings of this status.
    pub fn counted(self, n: u64) -> String {
        let s = if n == 1 { "" } else { "s" };
        match self {
            Status::Leak => format!("{n} leak{s}"),
            Status::Example => format!("{n} documentation example{s}"),
            Status::Fixture => format!("{n} test fixture{s}"),
            Status::Vendored => format!("{n} in vendored code"),
        }
    }

    /// The flag that shows findings of this status.
    pub fn flag(self) -> &'static str {
        match self {
            Status::Leak => "",
            Status::Example => "--include-examples",
            Status::Fixture => "--include-fixtures",
            Status::Vendored => "--include-vendored",
        }
    }
}

/// Where a history finding was introduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub sha: String,
    pub author: String,
    pub date: String,
    pub summary: String,
}

/// One located part of a credential.
///
/// `secret` holds the raw value so that reports can print it with
/// `--show-secrets`; no `Serialize` is derived on purpose: every report
/// decides explicitly what it writes.
#[derive(Debug, Clone)]
pub struct Location {
    /// The rule that matched this part (a paired finding's parts may come
    /// from several rules of one venue).
    pub rule_id: String,
    pub part: Part,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    /// Exclusive, 1-based.
    pub end_column: usize,
    pub redacted: String,
    pub secret: String,
    /// The whole source line, raw (only shown with `--show-secrets`).
    pub line_text: String,
    /// The same line with every secret found on it redacted.
    pub line_redacted: String,
    pub commit: Option<CommitInfo>,
    /// What kind of file the part is in.
    pub context: CodeContext,
    /// GitHub's `primaryLocationLineHash` of `line` in the scanned content
    /// (see `text::line_hashes`): SARIF alert tracking. Never
    /// contains the secret; `None` when the content was not at hand.
    pub line_hash: Option<String>,
}

impl Location {
    /// The source line with every secret found on it redacted.
    pub fn redacted_line(&self) -> String {
        // Read back from a report: the line was redacted when it was written.
        if self.secret.starts_with(super::digest::DIGESTED) {
            return self.line_redacted.clone();
        }
        redact_in(&self.line_redacted, &self.secret, &self.redacted)
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule_id: String,
    pub venue: String,
    pub venue_id: String,
    pub confidence: Confidence,
    pub severity: Severity,
    pub status: Status,
    pub fingerprint: String,
    pub description: String,
    pub revoke: String,
    pub locations: Vec<Location>,
    /// History scans: whether the secret is still in the tip's tree.
    pub present_at_head: Option<bool>,
    /// `--verify`: what the venue said about the credential.
    pub verification: Option<Verification>,
    /// The credential's surroundings say it is a testnet or sandbox key
    /// (`testnet=True`, a sandbox host, a `TESTNET_API_KEY` name): `--verify`
    /// asks the venue's testnet first.
    pub testnet: bool,
    /// Git scans: the repository the finding lives in (its `origin`
    /// without credentials, else the path it was scanned under).
    pub repository: Option<String>,
}

impl Finding {
    pub fn primary(&self) -> &Location {
        &self.locations[0]
    }
    /// Every raw secret value of this finding (for redaction checks).
    pub fn secrets(&self) -> impl Iterator<Item = &str> {
        self.locations.iter().map(|l| l.secret.as_str())
    }
}

/// Content fingerprint: rule + hash of the secret. Survives moved lines,
/// renamed files and reformatting; never contains the secret.
pub fn fingerprint(rule_id: &str, secret: &str) -> String {
    let h = crate::codec::sha256_hex(format!("tradesecrets:v1\0{rule_id}\0{secret}").as_bytes());
    h[..32].to_string()
}

/// A fixed, short visible prefix: `bg_1a2b…`, `vmPU…`. Short values show
/// fewer characters; multi-line blocks show their header only.
pub fn redact(value: &str, prefix: Option<&str>) -> String {
    if value.starts_with("-----BEGIN") {
        let head: String = value
            .chars()
            .take_while(|c| *c != '\n' && *c != '\\')
            .collect();
        return format!("{head}…");
    }
    if value.contains(' ') {
        let n = value.split(' ').count();
        return format!("*** ({n} words)");
    }
    let len = value.chars().count();
    let show = (len / 8).min(4);
    let p = prefix.filter(|p| value.starts_with(*p)).unwrap_or("");
    let p = if value.starts_with("0x") && p.is_empty() {
        "0x"
    } else {
        p
    };
    let visible: String = value[p.len()..].chars().take(show).collect();
    format!("{p}{visible}…")
}

/// Replaces `secret` in `text` (and each of its lines, for multi-line values).
pub fn redact_in(text: &str, secret: &str, redacted: &str) -> String {
    if secret.is_empty() {
        return text.to_string();
    }
    if secret.starts_with(super::digest::DIGESTED) {
        return super::digest::redact_digested(text, secret, redacted);
    }
    if text.contains(secret) {
        return text.replace(secret, redacted);
    }
    // The value as it stands in a JSON string (`organizations\/…`).
    let escaped = secret.replace('/', "\\/");
    if escaped != secret && text.contains(&escaped) {
        return text.replace(&escaped, redacted);
    }
    let mut out = text.to_string();
    for piece in secret.split(['\n']).flat_map(|l| l.split("\\n")) {
        let piece = piece.trim();
        if piece.len() >= 6 && out.contains(piece) {
            out = out.replace(piece, redacted);
        }
    }
    // A mnemonic spread over a line: hide every word of it.
    if secret.contains(' ') && secret.bytes().all(|b| b == b' ' || b.is_ascii_lowercase()) {
        for w in secret.split(' ') {
            if w.len() >= 3 {
                out = out.replace(w, "***");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_never_shows_much() {
        assert_eq!(
            redact("bg_0123456789abcdef0123456789abcdef", Some("bg_")),
            "bg_0123…"
        );
        let r = redact(
            "Zq3J9fK2mPx8Lr4Tn7Wc1Vb5Hy6Gd0SuZq3J9fK2mPx8Lr4Tn7Wc1Vb5Hy6Gd0Su",
            None,
        );
        assert_eq!(r, "Zq3J…");
        assert_eq!(redact("abcdefgh", None), "a…");
        assert_eq!(redact("one two three", None), "*** (3 words)");
        assert!(
            redact(
                "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----",
                None
            )
            .starts_with("-----BEGIN EC PRIVATE KEY-----")
        );
    }

    #[test]
    fn fingerprint_is_stable_and_secret_free() {
        let a = fingerprint("binance.secret", "s3cr3tvalue");
        assert_eq!(a, fingerprint("binance.secret", "s3cr3tvalue"));
        assert_ne!(a, fingerprint("binance.secret", "s3cr3tvaluf"));
        assert!(!a.contains("s3cr3t"));
        assert_eq!(a.len(), 32);
    }
}
