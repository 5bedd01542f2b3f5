//! What a scan gives: findings, the files it could not read and those it
//! did not scan (with why), and the numbers.

use super::context::CodeContext;
use super::model::{CommitInfo, Finding, Status};
use std::borrow::BorrowMut;
use std::collections::BTreeMap;
use std::collections::{HashMap, HashSet};

/// The version-control state a scan ran over: SARIF's
/// `versionControlProvenance`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionControl {
    /// Where the repository lives: its `origin` remote without any user
    /// name or password, else the work tree as a `file:` URI.
    pub repository_uri: String,
    /// The commit scanned (HEAD, or the `--branch` given); none on an
    /// unborn branch.
    pub revision_id: Option<String>,
    /// The branch's short name when it is one.
    pub branch: Option<String>,
}

/// A file or object that could not be read. The scan continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub path: String,
    pub message: String,
    /// Git scans: the repository the path is in.
    pub repository: Option<String>,
}

/// A file deliberately not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    /// Git scans: the repository the path is in.
    pub repository: Option<String>,
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
    /// Findings not shown because of their status (documentation examples,
    /// test fixtures, vendored code) and the flags that were not given.
    pub hidden: Hidden,
}

/// Findings held back by status, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    pub example: u64,
    pub fixture: u64,
    pub vendored: u64,
}

impl Hidden {
    pub fn total(&self) -> u64 {
        self.example + self.fixture + self.vendored
    }
    pub fn get(&self, s: Status) -> u64 {
        match s {
            Status::Leak => 0,
            Status::Example => self.example,
            Status::Fixture => self.fixture,
            Status::Vendored => self.vendored,
        }
    }
    fn bump(&mut self, s: Status) {
        match s {
            Status::Leak => {}
            Status::Example => self.example += 1,
            Status::Fixture => self.fixture += 1,
            Status::Vendored => self.vendored += 1,
        }
    }
    pub fn add(&mut self, o: &Hidden) {
        self.example += o.example;
        self.fixture += o.fixture;
        self.vendored += o.vendored;
    }
}

/// Which hidden statuses a report shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Include {
    pub examples: bool,
    pub fixtures: bool,
    pub vendored: bool,
}

impl Include {
    pub const ALL: Include = Include {
        examples: true,
        fixtures: true,
        vendored: true,
    };
    pub fn shows(&self, s: Status) -> bool {
        match s {
            Status::Leak => true,
            Status::Example => self.examples,
            Status::Fixture => self.fixtures,
            Status::Vendored => self.vendored,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
    /// `git --shard`: what each repository's shard found blob by blob,
    /// for `merge` to decide across shards what one scan would have.
    pub shards: Vec<Shard>,
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
        s.hidden.add(&o.hidden);
    }

    /// What a scan's findings end as: one value in many test or docs
    /// files is a sample, report order, and the statuses `include` does
    /// not show counted, not listed.
    pub fn settle(&mut self, include: Include) {
        mark_repeated_samples(&mut self.findings);
        sort_findings(&mut self.findings);
        self.hide(include);
    }

    /// Holds back the findings whose status `include` does not show, and
    /// counts them in `stats.hidden`.
    pub fn hide(&mut self, include: Include) {
        let hidden = &mut self.stats.hidden;
        self.findings.retain(|f| {
            let shown = include.shows(f.status);
            if !shown {
                hidden.bump(f.status);
            }
            shown
        });
    }

    /// The findings that count: leaks (the exit code and "N findings").
    pub fn leaks(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Leak)
            .count()
    }

    /// Keeps the first finding of each fingerprint (a commit pushed on two
    /// refs is one finding), then puts them in report order.
    pub fn dedup_findings(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.findings.retain(|f| seen.insert(f.fingerprint.clone()));
        sort_findings(&mut self.findings);
    }
}

/// Why a finding was not reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SuppressReason {
    /// An `[allow]` entry of the config (path, value, stopword or regex).
    Config,
    /// An inline allow comment.
    Inline,
    /// In the baseline.
    Baseline,
}

impl SuppressReason {
    pub const ALL: [SuppressReason; 3] = [
        SuppressReason::Config,
        SuppressReason::Inline,
        SuppressReason::Baseline,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuppressReason::Config => "config",
            SuppressReason::Inline => "inline",
            SuppressReason::Baseline => "baseline",
        }
    }
}

/// One finding of one blob of a history, before findings are merged
/// across blobs.
#[derive(Debug, Clone)]
pub struct Hit {
    pub finding: Finding,
    /// The commit that first held the blob, by its place in the walk
    /// (oldest first).
    pub commit: usize,
    /// On an added line of the blob (always, in full history). Other hits
    /// only tell whether the secret is still in the tip's tree.
    pub added: bool,
    /// The blob is in the tip's tree.
    pub at_tip: bool,
}

/// What one shard of a repository's history scan (`git --shard I/N`)
/// found, blob by blob: enough for [`combine`] to decide, across every
/// shard, what the unsharded scan decides.
#[derive(Debug, Clone, Default)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
    pub repository: Option<String>,
    /// A digest of the commits walked, in order: shards of one scan of one
    /// history share it, so commit indexes mean the same in each.
    pub walk: String,
    /// The statuses the scan was asked to show.
    pub include: Include,
    pub hits: Vec<Hit>,
    /// The commits hits name, by index, their messages redacted of the
    /// shard's own secrets.
    pub commits: BTreeMap<usize, CommitInfo>,
    /// What was suppressed, by reason and fingerprint.
    pub suppressed: Vec<(SuppressReason, String)>,
    pub errors: Vec<ScanError>,
    pub skipped: Vec<Skipped>,
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub elapsed_ms: u64,
}

/// Suppressed findings, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub config: u64,
    pub inline: u64,
    pub baseline: u64,
}

impl Counts {
    /// Counts suppressed findings given by reason and fingerprint; with
    /// `one_per_secret` (history, which reports a secret once) a secret
    /// suppressed in many blobs counts once per reason.
    pub fn of<'a>(
        records: impl IntoIterator<Item = (SuppressReason, &'a str)>,
        one_per_secret: bool,
    ) -> Counts {
        let mut seen = HashSet::new();
        let mut c = Counts::default();
        for (reason, fingerprint) in records {
            if one_per_secret && !seen.insert((reason, fingerprint)) {
                continue;
            }
            match reason {
                SuppressReason::Config => c.config += 1,
                SuppressReason::Inline => c.inline += 1,
                SuppressReason::Baseline => c.baseline += 1,
            }
        }
        c
    }

    pub fn total(&self) -> u64 {
        self.config + self.inline + self.baseline
    }
    pub fn add(&mut self, o: &Counts) {
        self.config += o.config;
        self.inline += o.inline;
        self.baseline += o.baseline;
    }
}

/// Findings in report order: repository, path, line, column, rule.
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| {
        let (la, lb) = (a.primary(), b.primary());
        (
            &a.repository,
            la.path.as_str(),
            la.line,
            la.column,
            a.rule_id.as_str(),
        )
            .cmp(&(
                &b.repository,
                lb.path.as_str(),
                lb.line,
                lb.column,
                b.rule_id.as_str(),
            ))
    });
}

/// `a/b/test_okx.py` -> `test_okx`.
/// A path under a mocks or fixtures directory.
fn mock_module(path: &str) -> bool {
    path.split(['/', '\\']).rev().skip(1).any(|d| {
        let d = d.to_ascii_lowercase();
        d.starts_with("mock") || d == "__mocks__" || d.starts_with("fixture")
    })
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

/// One value in many places of one kind is a sample, not a leak: a value
/// found in five or more test files, or in a test file and as a fixture of
/// a mock module, and nowhere else, is a fixture, one found in translated
/// copies of a documentation page (same file name), in two pages of a
/// documentation tree or in three or more pages, and nowhere else, is an
/// example. A real key
/// copied into several configs or sources stays a leak: only test and docs
/// files count. And the other way round: a vendored copy of a value that is
/// a leak in the project's own files (a built bundle of its own code) is
/// that leak, shipped once more.
pub fn mark_repeated_samples<F: BorrowMut<Finding>>(findings: &mut [F]) {
    mark_samples(findings);
    mark_vendored_copies(findings);
}

fn mark_vendored_copies<F: BorrowMut<Finding>>(findings: &mut [F]) {
    let status = |f: &F| std::borrow::Borrow::<Finding>::borrow(f).status;
    if !findings.iter().any(|f| status(f) == Status::Vendored) {
        return;
    }
    let leaked: HashSet<String> = findings
        .iter()
        .map(|f| std::borrow::Borrow::<Finding>::borrow(f))
        .filter(|f| f.status == Status::Leak)
        .flat_map(|f| f.locations.iter().map(|l| l.secret.clone()))
        .collect();
    for f in findings.iter_mut().map(|f| f.borrow_mut()) {
        // Every part must be the leak's: a bundle's own values paired with
        // a copied key are no part of it.
        if f.status == Status::Vendored && f.locations.iter().all(|l| leaked.contains(&l.secret)) {
            f.status = Status::Leak;
        }
    }
}

fn mark_samples<F: BorrowMut<Finding>>(findings: &mut [F]) {
    // secret -> (test paths, docs paths, found elsewhere)
    let mut seen: HashMap<&str, (Vec<&str>, Vec<&str>, bool)> = HashMap::new();
    // Values of a mock or fixture module (`mocks/wallet.ts`).
    let mut invented: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for f in findings
        .iter()
        .map(|f| std::borrow::Borrow::<Finding>::borrow(f))
    {
        if f.status == Status::Fixture && mock_module(&f.primary().path) {
            invented.insert(f.primary().secret.as_str());
        }
        if f.status != Status::Leak {
            continue;
        }
        let l = f.primary();
        let e = seen.entry(l.secret.as_str()).or_default();
        match l.context {
            CodeContext::Test => e.0.push(&l.path),
            CodeContext::Docs => e.1.push(&l.path),
            _ => e.2 = true,
        }
    }
    let verdict: HashMap<String, Status> = seen
        .into_iter()
        .filter(|(_, (_, _, elsewhere))| !elsewhere)
        .filter_map(|(secret, (tests, mut docs, _))| {
            // Copies of one test (`_tests/x.ts`, `lib/_tests/x.js`) are one.
            let mut tests: Vec<&str> = tests.iter().map(|p| file_stem(p)).collect();
            tests.sort_unstable();
            tests.dedup();
            docs.sort_unstable();
            docs.dedup();
            // Translated copies of a page (`en/auth.md`, `zh/auth.md`), pages
            // of a documentation tree, or a value that runs through three
            // pages; two notes of a project that both hold its key are not
            // a sample.
            let mut stems: Vec<&str> = docs.iter().map(|p| file_stem(p)).collect();
            stems.sort_unstable();
            stems.dedup();
            let tree = docs.iter().all(|p| {
                p.split(['/', '\\'])
                    .rev()
                    .skip(1)
                    .any(|d| matches!(d, "docs" | "doc" | "documentation"))
            });
            let copies = docs.len() >= 3 || (docs.len() == 2 && (stems.len() == 1 || tree));
            let status = if tests.len() >= 5 || (invented.contains(secret) && !tests.is_empty()) {
                Status::Fixture
            } else if copies && tests.is_empty() {
                Status::Example
            } else {
                return None;
            };
            Some((secret.to_string(), status))
        })
        .collect();
    if verdict.is_empty() {
        return;
    }
    for f in findings.iter_mut().map(|f| f.borrow_mut()) {
        if f.status != Status::Leak {
            continue;
        }
        if let Some(s) = verdict.get(f.primary().secret.as_str()) {
            f.status = *s;
        }
    }
}
