//! What a scan gives: findings, the files it could not read and those it
//! did not scan (with why), and the numbers.

use super::model::Finding;

/// A file or object that could not be read. The scan continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub path: String,
    pub message: String,
}

/// A file deliberately not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped: u64,
    pub errors: u64,
    pub elapsed_ms: u64,
    /// Findings not reported because of an allowlist, an inline allow
    /// comment or the baseline (`suppressed_by` says which).
    pub suppressed: u64,
    pub suppressed_by: Counts,
}

#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
}

impl ScanReport {
    /// Adds what `other` found, could not read and skipped, and its
    /// numbers (elapsed times add up: the scans ran one after the other).
    pub fn absorb(&mut self, other: ScanReport) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        let (s, o) = (&mut self.stats, &other.stats);
        s.files_scanned += o.files_scanned;
        s.bytes_scanned += o.bytes_scanned;
        s.files_skipped += o.files_skipped;
        s.errors += o.errors;
        s.elapsed_ms += o.elapsed_ms;
        s.suppressed += o.suppressed;
        s.suppressed_by.add(&o.suppressed_by);
    }

    /// Keeps the first finding of each fingerprint (a commit pushed on two
    /// refs is one finding), then puts them in report order.
    pub fn dedup_findings(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.findings.retain(|f| seen.insert(f.fingerprint.clone()));
        sort_findings(&mut self.findings);
    }
}

/// Suppressed findings, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub config: u64,
    pub inline: u64,
    pub baseline: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.config + self.inline + self.baseline
    }
    pub fn add(&mut self, o: &Counts) {
        self.config += o.config;
        self.inline += o.inline;
        self.baseline += o.baseline;
    }
}

/// Findings in report order: path, line, column, rule.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        let (la, lb) = (a.primary(), b.primary());
        (la.path.as_str(), la.line, la.column, a.rule_id.as_str()).cmp(&(
            lb.path.as_str(),
            lb.line,
            lb.column,
            b.rule_id.as_str(),
        ))
    });
}
