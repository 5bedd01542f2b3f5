//! Renderers. One file per output format; each takes the finished
//! [`ScanReport`] and writes it. Redaction is decided here, once, by
//! [`RenderOptions::show_secrets`].
//!
//! The machine formats (SARIF, GitHub workflow commands, JUnit, GitLab) share
//! the helpers below: one way to name a path portably, one description of a
//! rule, and one redacted headline per finding. None of them reads
//! `Location::secret` or `Location::line_text` unless `show_secrets` is set.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod venues;

use crate::finding::{Finding, ScanReport};
use crate::rules::{Confidence, Part, RuleSet, Severity};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: a block per finding, then a summary line.
    Human,
    /// One JSON document (report version 1).
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning (`upload-sarif`) and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// JUnit XML: one test case per finding.
    Junit,
    /// GitLab secret-detection report (schema 15.0.7).
    Gitlab,
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
    /// The rules reports describe findings with (references, part, the
    /// most a rule can be trusted); without them a report describes each
    /// rule from what its findings carry.
    pub rules: Option<Arc<RuleSet>>,
    /// Where the scan ran: absolute paths below it are written relative to
    /// it by the machine formats.
    pub cwd: Option<PathBuf>,
}

pub fn render(
    format: Format,
    report: &ScanReport,
    opts: &RenderOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, opts, w),
        Format::Json => json::render(report, opts, w),
        Format::Jsonl => json::render_lines(report, opts, w),
        Format::Sarif => sarif::render(report, opts, w),
        Format::Github => github::render(report, opts, w),
        Format::Junit => junit::render(report, opts, w),
        Format::Gitlab => gitlab::render(report, opts, w),
    }
}

/// A path as the machine formats write it: forward slashes, no leading
/// `./`, and relative to `cwd` (the directory the scan ran in) when it lies
/// below it (CI systems resolve report paths against the checkout, which
/// is where the scan runs).
pub fn portable_path(path: &str, cwd: Option<&Path>) -> String {
    let mut p = path.replace('\\', "/");
    if is_absolute(&p)
        && let Some(cwd) = cwd
    {
        let cwd = cwd.to_string_lossy().replace('\\', "/");
        let cwd = cwd.trim_end_matches('/');
        if let Some(rest) = p.strip_prefix(cwd)
            && rest.starts_with('/')
            && rest.len() > 1
        {
            p = rest[1..].to_string();
        }
    }
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.trim_start_matches('/').to_string();
    }
    p
}

/// `/x`, `C:/x` or `//server/share` (after [`portable_path`]'s slash change).
pub(crate) fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/')
}

/// What a report says about one rule.
#[derive(Debug, Clone)]
pub(crate) struct RuleInfo {
    pub id: String,
    pub venue: String,
    pub venue_id: String,
    pub part: Part,
    pub description: String,
    pub revoke: String,
    pub references: Vec<String>,
    /// The most this rule's findings can be trusted.
    pub confidence: Confidence,
}

impl RuleInfo {
    /// From `rules` when the rule is one of them, otherwise from what the
    /// finding carries (rules added by a user's config).
    pub fn of(rule_id: &str, f: &Finding, rules: Option<&RuleSet>) -> RuleInfo {
        let part = f
            .locations
            .iter()
            .find(|l| l.rule_id == rule_id)
            .map(|l| l.part)
            .unwrap_or_default();
        if let Some(set) = rules
            && let Some(r) = set.rule(rule_id)
        {
            let venue = set.venues.get(&r.venue);
            let mut references = r.spec.references.clone();
            for u in venue.map(|v| v.references.as_slice()).unwrap_or_default() {
                if !references.contains(u) {
                    references.push(u.clone());
                }
            }
            return RuleInfo {
                id: rule_id.to_string(),
                venue: set.venue_name(&r.venue),
                venue_id: r.venue.clone(),
                part: r.part(),
                description: one_paragraph(&r.spec.description),
                revoke: r.revoke(&set.venues),
                references,
                confidence: r.max_confidence(),
            };
        }
        RuleInfo {
            id: rule_id.to_string(),
            venue: f.venue.clone(),
            venue_id: f.venue_id.clone(),
            part,
            description: one_paragraph(&f.description),
            revoke: f.revoke.clone(),
            references: Vec::new(),
            confidence: f.confidence,
        }
    }

    /// "Binance API secret", "wallet seed phrase".
    pub fn title(&self) -> String {
        let venue = match self.venue_id.as_str() {
            crate::rules::WALLET => "wallet".to_string(),
            crate::rules::GENERIC => "generic".to_string(),
            _ => self.venue.clone(),
        };
        format!("{venue} {}", part_label(self.part))
    }

    /// Why a leak of this part matters.
    pub fn danger(&self) -> &'static str {
        match self.part {
            Part::Key => {
                "An API key identifies the account. Together with its secret (and the passphrase, where the venue uses one) it signs requests: trading and, where enabled, withdrawals."
            }
            Part::Secret => {
                "The API secret signs requests. With the matching key, whoever has it can trade on the account and, where withdrawals are enabled, move funds out."
            }
            Part::Passphrase => {
                "The passphrase completes a key and secret: with both, whoever has it can sign requests on the account."
            }
            Part::PrivateKey => {
                "A private key signs on its own: whoever holds it controls the wallet or API account it belongs to and can move its funds."
            }
            Part::Mnemonic => {
                "A seed phrase derives every key of the wallet: whoever holds it controls all of the wallet's funds."
            }
        }
    }

    /// How to revoke, always ending with why deleting the line is not enough.
    pub fn remedy(&self) -> String {
        format!(
            "{} Removing it from the file, or even from git history, does not make it safe: it may already have been copied.",
            revoke_sentence(&self.revoke)
        )
    }
}

/// A rule's `revoke` (a URL, or advice for what cannot be revoked, such as
/// a wallet key) as one sentence.
pub(crate) fn revoke_sentence(revoke: &str) -> String {
    let r = revoke.trim();
    if r.is_empty() {
        "Revoke or rotate the credential where it was issued.".to_string()
    } else if r.starts_with("http") {
        format!("Revoke or rotate it now: {}.", r.trim_end_matches('.'))
    } else if r.ends_with('.') {
        r.to_string()
    } else {
        format!("{r}.")
    }
}

/// "API key", "API secret", "seed phrase".
pub(crate) fn part_label(p: Part) -> &'static str {
    match p {
        Part::Key => "API key",
        Part::Secret => "API secret",
        Part::Passphrase => "API passphrase",
        Part::PrivateKey => "private key",
        Part::Mnemonic => "seed phrase",
    }
}

/// Rule descriptions are wrapped TOML strings: one paragraph per blank line.
pub(crate) fn one_paragraph(s: &str) -> String {
    s.trim()
        .split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// "key + secret".
pub(crate) fn parts_title(f: &Finding) -> String {
    f.locations
        .iter()
        .map(|l| l.part.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The location that names the finding: the part of the finding's own rule
/// (its most sensitive part), else the first.
pub(crate) fn primary_index(f: &Finding) -> usize {
    f.locations
        .iter()
        .position(|l| l.rule_id == f.rule_id)
        .unwrap_or(0)
}

/// One redacted line about a finding, the same in every machine format:
/// `Binance key + secret (critical, high confidence): key NqVw…, secret 9mI4…`.
/// Never contains a secret: it is built from redacted values only.
pub(crate) fn headline(f: &Finding) -> String {
    let values: Vec<String> = f
        .locations
        .iter()
        .map(|l| format!("{} {}", l.part.as_str(), l.redacted))
        .collect();
    let example = if f.status == crate::finding::Status::Example {
        ", public documentation example"
    } else {
        ""
    };
    let verified = match &f.verification {
        Some(v) => format!("; verified {}", v.summary()),
        None => String::new(),
    };
    format!(
        "{} {} ({}, {} confidence{example}): {}{verified}",
        f.venue,
        parts_title(f),
        f.severity.as_str(),
        f.confidence.as_str(),
        values.join(", ")
    )
}

/// The `--verify` result of a finding as JSON fields (the JSON report puts
/// them on the finding, SARIF in the result's properties).
pub fn verification_value(v: &crate::verify::Verification) -> serde_json::Value {
    serde_json::json!({
        "verification": v.verdict.as_str(),
        "permissions": v.permissions,
        "ip_restricted": v.ip_restricted,
        "critical": v.critical,
        "verification_host": v.host,
        "verification_detail": v.detail,
    })
}

/// Capitalised severity, as GitLab wants it.
pub(crate) fn severity_title(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// Test data shared by the renderers' unit tests: one paired Binance finding
/// and one history finding, with values generated (never literals).
#[cfg(test)]
pub(crate) mod testdata {
    use crate::finding::{CommitInfo, Finding, Location, Status, fingerprint, redact};
    use crate::finding::{ScanError, ScanReport, Skipped, Stats};
    use crate::rules::{Confidence, Part, Severity, template};

    pub fn secret(kind: &str, seed: &str) -> String {
        template::expand(&format!("{{{{{kind}}}}}"), seed).unwrap()
    }

    #[allow(clippy::too_many_arguments)]
    pub fn location(
        rule: &str,
        part: Part,
        path: &str,
        line: usize,
        column: usize,
        name: &str,
        value: &str,
    ) -> Location {
        let text = format!("{name}={value}");
        let red = redact(value, None);
        Location {
            rule_id: rule.into(),
            part,
            path: path.into(),
            line,
            column,
            end_line: line,
            end_column: column + value.chars().count(),
            redacted: red.clone(),
            secret: value.into(),
            line_redacted: text.replace(value, &red),
            line_text: text,
            commit: None,
            line_hash: Some(format!("{:x}:1", 0x1234_5678_9abc_u64 + line as u64)),
        }
    }

    pub fn report() -> (ScanReport, Vec<String>) {
        let key = secret("alnum:64", "testdata-key");
        let sec = secret("alnum:64", "testdata-secret");
        let wallet = secret("evmkey", "testdata-wallet");
        let pair = Finding {
            rule_id: "binance.secret-key".into(),
            venue: "Binance".into(),
            venue_id: "binance".into(),
            confidence: Confidence::High,
            severity: Severity::Critical,
            status: Status::Leak,
            fingerprint: fingerprint("binance.secret-key", &sec),
            description: "A Binance API secret.".into(),
            revoke: "https://www.binance.com/en/my/settings/api-management".into(),
            locations: vec![
                location(
                    "binance.api-key",
                    Part::Key,
                    "deploy/my app/.env",
                    1,
                    17,
                    "BINANCE_API_KEY",
                    &key,
                ),
                location(
                    "binance.secret-key",
                    Part::Secret,
                    "deploy/my app/.env",
                    2,
                    20,
                    "BINANCE_API_SECRET",
                    &sec,
                ),
            ],
            present_at_head: None,
            verification: None,
        };
        let mut old = location(
            "wallet.evm-private-key",
            Part::PrivateKey,
            "scripts/deploy,old.js",
            3,
            13,
            "PRIVATE_KEY",
            &wallet,
        );
        old.commit = Some(CommitInfo {
            sha: "0123456789abcdef0123456789abcdef01234567".into(),
            author: "Dev <dev@example.com>".into(),
            date: "2024-01-02T03:04:05Z".into(),
            summary: "add deploy script".into(),
        });
        let history = Finding {
            rule_id: "wallet.evm-private-key".into(),
            venue: "Wallet".into(),
            venue_id: "wallet".into(),
            confidence: Confidence::Medium,
            severity: Severity::Critical,
            status: Status::Leak,
            fingerprint: fingerprint("wallet.evm-private-key", &wallet),
            description: "An EVM private key.".into(),
            revoke: String::new(),
            locations: vec![old],
            present_at_head: Some(false),
            verification: None,
        };
        let report = ScanReport {
            findings: vec![pair, history],
            errors: vec![ScanError {
                path: "secrets/locked.env".into(),
                message: "cannot read: permission denied".into(),
            }],
            skipped: vec![Skipped {
                path: "big.bin".into(),
                reason: "larger than --max-file-size".into(),
            }],
            stats: Stats {
                files_scanned: 2,
                bytes_scanned: 300,
                files_skipped: 1,
                errors: 1,
                elapsed_ms: 12,
                ..Default::default()
            },
        };
        (report, vec![key, sec, wallet])
    }

    pub fn render(format: super::Format, show_secrets: bool) -> String {
        let (report, _) = report();
        let mut out = Vec::new();
        let opts = super::RenderOptions {
            show_secrets,
            rules: crate::rules::RuleSet::builtin()
                .ok()
                .map(std::sync::Arc::new),
            cwd: std::env::current_dir().ok(),
            ..Default::default()
        };
        super::render(format, &report, &opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_paths() {
        assert_eq!(portable_path("./a/b.env", None), "a/b.env");
        assert_eq!(portable_path(".//a", None), "a");
        assert_eq!(portable_path("a\\b\\c.env", None), "a/b/c.env");
        assert_eq!(portable_path("-", None), "-");
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("x").join("y.env");
        let inside = inside.to_string_lossy();
        assert_eq!(portable_path(&inside, Some(&cwd)), "x/y.env");
        assert_eq!(portable_path(&inside, None), inside.replace('\\', "/"));
        assert!(is_absolute("C:/x") && is_absolute("/x") && !is_absolute("x/y"));
    }

    #[test]
    fn headlines_are_redacted() {
        let (report, secrets) = testdata::report();
        for f in &report.findings {
            let h = headline(f);
            for s in &secrets {
                assert!(!h.contains(s.as_str()), "{h}");
            }
        }
        assert!(headline(&report.findings[0]).starts_with("Binance key + secret (critical"));
    }

    #[test]
    fn rule_info_from_builtin_rules_and_fallback() {
        let (report, _) = testdata::report();
        let rules = RuleSet::builtin().unwrap();
        let info = RuleInfo::of("binance.secret-key", &report.findings[0], Some(&rules));
        assert_eq!(info.venue, "Binance");
        assert_eq!(info.part, Part::Secret);
        assert!(!info.references.is_empty());
        assert_eq!(info.title(), "Binance API secret");
        let mut custom = report.findings[0].clone();
        custom.rule_id = "acme.secret".into();
        let info = RuleInfo::of("acme.secret", &custom, Some(&rules));
        assert_eq!(info.venue, "Binance");
        assert!(info.references.is_empty());
        assert!(info.remedy().contains("binance.com"));
    }
}
