//! Baselines: the findings a project has accepted (usually revoked keys still
//! in old files), keyed by content fingerprint, so that a scan reports only
//! new ones.
//!
//! The fingerprint is a hash of the rule id and the secret (see
//! [`crate::finding::fingerprint`]): it never holds the secret, and it does
//! not change when a line moves, a file is renamed or a file is reformatted.
//! A different secret in the same place has a different fingerprint and is
//! reported.

use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

pub const VERSION: u32 = 1;

/// One accepted finding. Only `fingerprint` is matched; the rest tells a
/// reader what it was and where it was seen when the entry was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule_id: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub paths: Vec<String>,
    /// Free text for people (why it is accepted); kept by `prune`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline {
            version: VERSION,
            findings: Vec::new(),
        }
    }
}

impl Baseline {
    /// A baseline of `findings` (several findings of one secret become one
    /// entry listing every path).
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        let mut entries: Vec<Entry> = Vec::new();
        for f in findings {
            let paths: BTreeSet<String> = f.locations.iter().map(|l| l.path.clone()).collect();
            match entries.iter_mut().find(|e| e.fingerprint == f.fingerprint) {
                Some(e) => {
                    let mut all: BTreeSet<String> = e.paths.drain(..).collect();
                    all.extend(paths);
                    e.paths = all.into_iter().collect();
                }
                None => entries.push(Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule_id: f.rule_id.clone(),
                    venue: f.venue.clone(),
                    paths: paths.into_iter().collect(),
                    note: None,
                }),
            }
        }
        let mut b = Baseline {
            version: VERSION,
            findings: entries,
        };
        b.sort();
        b
    }

    /// Entries in a stable order: by rule, then fingerprint.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| (&a.rule_id, &a.fingerprint).cmp(&(&b.rule_id, &b.fingerprint)));
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let b: Baseline =
            serde_json::from_str(text).map_err(|e| format!("{}:{}: {e}", e.line(), e.column()))?;
        if b.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this tradesecrets writes version {VERSION})",
                b.version
            ));
        }
        for e in &b.findings {
            if e.fingerprint.len() != 32
                || !e
                    .fingerprint
                    .bytes()
                    .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
            {
                return Err(format!(
                    "`{}` is not a fingerprint (32 lowercase hex digits)",
                    e.fingerprint
                ));
            }
        }
        Ok(b)
    }

    /// Reads a baseline file; errors name the file (and line and column).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("{}:{e}", path.display()))
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("baseline serializes");
        s.push('\n');
        s
    }

    pub fn fingerprints(&self) -> HashSet<String> {
        self.findings
            .iter()
            .map(|e| e.fingerprint.clone())
            .collect()
    }

    /// Keeps the entries whose fingerprint is in `found`; returns how many
    /// were dropped.
    pub fn prune(&mut self, found: &HashSet<String>) -> usize {
        let before = self.findings.len();
        self.findings.retain(|e| found.contains(&e.fingerprint));
        before - self.findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_validation() {
        let b = Baseline {
            version: 1,
            findings: vec![Entry {
                fingerprint: "0123456789abcdef0123456789abcdef".into(),
                rule_id: "binance.secret-key".into(),
                venue: "Binance".into(),
                paths: vec![".env".into()],
                note: Some("revoked 2024-01".into()),
            }],
        };
        assert_eq!(Baseline::parse(&b.to_json()).unwrap(), b);
        assert!(Baseline::parse("{\"version\": 2, \"findings\": []}").is_err());
        let e = Baseline::parse(
            "{\"version\": 1,\n \"findings\": [{\"fingerprint\": \"x\", \"rule_id\": \"a.b\"}]}",
        )
        .unwrap_err();
        assert!(e.contains("fingerprint"), "{e}");
        let e = Baseline::parse("{\"version\": 1,\n \"extra\": 1}").unwrap_err();
        assert!(e.starts_with("2:"), "{e}");
    }
}
