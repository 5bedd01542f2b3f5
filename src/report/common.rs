//! What the renderers share: one way to name a path portably, one description of a rule, one redacted headline
//! per finding.

use crate::finding::Finding;
use crate::rules::{Confidence, Part, RuleSet, Severity};
use std::path::Path;

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

/// What a finding no longer at HEAD still is: a key stays valid until
/// revoked; a wallet key cannot be revoked and still controls its funds.
pub(crate) fn still_in_history(f: &crate::finding::Finding) -> &'static str {
    if f.venue_id == crate::rules::WALLET {
        "No longer at HEAD, but still in history, and it still controls the wallet's funds until they are moved"
    } else {
        "No longer at HEAD, but still in history and valid until revoked"
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
    let status = match f.status.label() {
        "" => String::new(),
        s => format!(", {s}"),
    };
    let context = f.primary().context.as_str();
    let verified = match &f.verification {
        Some(v) => format!("; verified {}", v.summary()),
        None => String::new(),
    };
    format!(
        "{} {} ({}, {} confidence, {context}{status}): {}{verified}",
        f.venue,
        parts_title(f),
        f.severity.as_str(),
        f.confidence.as_str(),
        values.join(", ")
    )
}

/// The headline, naming the finding's repository when the report spans
/// several.
pub(crate) fn headline_in(f: &Finding, opts: &super::options::RenderOptions) -> String {
    match opts.shown_repository(&f.repository) {
        Some(r) => format!("{} (in {r})", headline(f)),
        None => headline(f),
    }
}

/// The `--verify` result of a finding as JSON fields (the JSON report puts
/// them on the finding, SARIF in the result's properties).
pub fn verification_value(v: &crate::finding::Verification) -> serde_json::Value {
    let mut out = serde_json::json!({
        "verification": v.verdict.as_str(),
        "permissions": v.permissions,
        "ip_restricted": v.ip_restricted,
        "critical": v.critical,
        "verification_host": v.host,
        "verification_detail": v.detail,
    });
    if v.testnet {
        out["verification_testnet"] = serde_json::json!(true);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

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
