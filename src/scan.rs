//! The public scanning API: a [`Scanner`] turns sources into a [`ScanReport`].
//! Nothing here prints; per-file problems are collected as [`ScanError`]s and
//! the scan goes on.

use crate::detect::{Engine, pair};
use crate::finding::{Finding, Status};
use crate::rules::{Confidence, RuleSet};
use crate::source::fs::{self as fs_source};
use crate::suppress::{self, Suppressor};
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_file_size: u64,
    pub include_binary: bool,
    pub no_ignore: bool,
    pub threads: usize,
    pub include_examples: bool,
    pub min_confidence: Confidence,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 25 * 1024 * 1024,
            include_binary: false,
            no_ignore: false,
            threads: 0,
            include_examples: false,
            min_confidence: Confidence::Low,
        }
    }
}

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
    pub suppressed_by: suppress::Counts,
}

#[derive(Debug, Clone, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub skipped: Vec<Skipped>,
    pub stats: Stats,
}

/// Live counters, for a progress indicator.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

pub struct Scanner {
    engine: Engine,
    pub options: ScanOptions,
    suppressor: Option<Suppressor>,
    /// What `suppressor` removed since the last [`Scanner::take_suppressed`].
    suppressed: Mutex<Vec<suppress::Suppressed>>,
}

/// Collects results from many threads.
#[derive(Default)]
pub(crate) struct Collector {
    pub findings: Mutex<Vec<Finding>>,
    pub errors: Mutex<Vec<ScanError>>,
    pub skipped: Mutex<Vec<Skipped>>,
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

impl Collector {
    pub fn error(&self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.lock().unwrap().push(ScanError {
            path: path.into(),
            message: message.into(),
        });
    }
    pub fn skip(&self, path: impl Into<String>, reason: impl Into<String>) {
        self.skipped.lock().unwrap().push(Skipped {
            path: path.into(),
            reason: reason.into(),
        });
    }
    pub fn into_report(self, started: Instant) -> ScanReport {
        let mut findings = self.findings.into_inner().unwrap();
        sort_findings(&mut findings);
        let mut errors = self.errors.into_inner().unwrap();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        let mut skipped = self.skipped.into_inner().unwrap();
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        ScanReport {
            stats: Stats {
                files_scanned: self.files.load(Ordering::Relaxed),
                bytes_scanned: self.bytes.load(Ordering::Relaxed),
                files_skipped: skipped.len() as u64,
                errors: errors.len() as u64,
                elapsed_ms: started.elapsed().as_millis() as u64,
                suppressed: 0,
                suppressed_by: suppress::Counts::default(),
            },
            findings,
            errors,
            skipped,
        }
    }
}

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

impl Scanner {
    pub fn new(rules: RuleSet, options: ScanOptions) -> Scanner {
        Scanner {
            engine: Engine::new(rules),
            options,
            suppressor: None,
            suppressed: Mutex::new(Vec::new()),
        }
    }

    /// Applies allowlists, inline allow comments and a baseline to every
    /// blob scanned from now on.
    pub fn with_suppressor(mut self, s: Suppressor) -> Scanner {
        self.suppressor = Some(s);
        self
    }

    pub fn suppressor(&self) -> Option<&Suppressor> {
        self.suppressor.as_ref()
    }

    /// Takes the record of what was suppressed so far.
    pub fn take_suppressed(&self) -> Vec<suppress::Suppressed> {
        std::mem::take(&mut *self.suppressed.lock().unwrap())
    }

    /// Moves the suppression counts into `report.stats`; with
    /// `one_per_secret` (history scans, which report each secret once) a
    /// secret suppressed in many blobs counts once.
    pub fn count_suppressed(&self, report: &mut ScanReport, one_per_secret: bool) {
        let c = suppress::Counts::of(&self.take_suppressed(), one_per_secret);
        report.stats.suppressed_by.add(&c);
        report.stats.suppressed = report.stats.suppressed_by.total();
    }

    pub fn rules(&self) -> &RuleSet {
        &self.engine.rules
    }

    /// Scans one in-memory blob; `path` is used for context and reporting.
    pub fn scan_blob(&self, data: &[u8], path: &str) -> Vec<Finding> {
        let parts = self.engine.scan(data, path);
        if parts.is_empty() {
            return Vec::new();
        }
        let mut f = pair::findings(&self.engine.rules, data, path, parts);
        f.retain(|f| {
            f.confidence >= self.options.min_confidence
                && (self.options.include_examples || f.status != Status::Example)
        });
        if let Some(s) = &self.suppressor
            && !f.is_empty()
        {
            let gone = s.filter(&mut f, data);
            if !gone.is_empty() {
                self.suppressed.lock().unwrap().extend(gone);
            }
        }
        f
    }

    /// Scans files and directories (recursively, honouring ignore files).
    pub fn scan_paths(&self, paths: &[String], progress: Option<&Progress>) -> ScanReport {
        let started = Instant::now();
        let collector = Collector::default();
        fs_source::walk(self, paths, &collector, progress);
        let mut report = collector.into_report(started);
        self.count_suppressed(&mut report, false);
        report
    }

    /// Scans a stream (stdin), reported under `name`.
    pub fn scan_reader(&self, mut reader: impl Read, name: &str) -> ScanReport {
        let started = Instant::now();
        let collector = Collector::default();
        let mut buf = Vec::new();
        match reader.read_to_end(&mut buf) {
            Ok(_) => {
                collector.files.fetch_add(1, Ordering::Relaxed);
                collector
                    .bytes
                    .fetch_add(buf.len() as u64, Ordering::Relaxed);
                let f = self.scan_blob(&buf, name);
                collector.findings.lock().unwrap().extend(f);
            }
            Err(e) => collector.error(name, format!("cannot read: {e}")),
        }
        let mut report = collector.into_report(started);
        self.count_suppressed(&mut report, false);
        report
    }
}
