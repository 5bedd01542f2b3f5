//! The scanner: the detector, the pairing and the suppressors behind one
//! call per text, and the collector of a scan's results.

use crate::detect::{Engine, pair};
use crate::finding::{Counts, Finding, Include};
use crate::finding::{ScanError, ScanReport, Skipped, Stats};
use crate::rules::{Confidence, RuleSet};
use crate::suppress::{self, Suppressor};
use crate::text::{LineMap, Origin};

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_file_size: u64,
    pub include_binary: bool,
    pub no_ignore: bool,
    pub threads: usize,
    /// Which hidden statuses (example, fixture, vendored) the report shows.
    pub include: Include,
    pub min_confidence: Confidence,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: 25 * 1024 * 1024,
            include_binary: false,
            no_ignore: false,
            threads: 0,
            include: Include::default(),
            min_confidence: Confidence::Low,
        }
    }
}

/// Live counters, for a progress indicator.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    /// Commits walked, in a history scan.
    pub commits: AtomicU64,
}

/// Debug builds only, for the tests of the binary's panic hook: with
/// `TRADESECRETS_DEBUG_PANIC=MARK`, scanning a text that contains MARK
/// panics with the text in the panic message, as a slicing bug would.
#[cfg(debug_assertions)]
fn debug_panic(data: &[u8]) {
    static MARK: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    let mark = MARK.get_or_init(|| {
        std::env::var_os("TRADESECRETS_DEBUG_PANIC")
            .filter(|m| !m.is_empty())
            .map(|m| m.into_encoded_bytes())
    });
    if let Some(m) = mark
        && memchr::memmem::find(data, m).is_some()
    {
        panic!("debug panic in {:?}", String::from_utf8_lossy(data));
    }
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
pub(super) struct Collector {
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
            repository: None,
        });
    }
    pub fn skip(&self, path: impl Into<String>, reason: impl Into<String>) {
        self.skipped.lock().unwrap().push(Skipped {
            path: path.into(),
            reason: reason.into(),
            repository: None,
        });
    }
    /// The report: one value in many test or docs files is a sample, and
    /// the statuses `include` does not show are counted, not listed.
    pub fn into_report(self, started: Instant, include: Include) -> ScanReport {
        let findings = self.findings.into_inner().unwrap();
        let mut errors = self.errors.into_inner().unwrap();
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        let mut skipped = self.skipped.into_inner().unwrap();
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        let mut report = ScanReport {
            stats: Stats {
                files_scanned: self.files.load(Ordering::Relaxed),
                bytes_scanned: self.bytes.load(Ordering::Relaxed),
                files_skipped: skipped.len() as u64,
                errors: errors.len() as u64,
                elapsed_ms: started.elapsed().as_millis() as u64,
                suppressed: 0,
                suppressed_by: Counts::default(),
                hidden: Default::default(),
            },
            findings,
            errors,
            skipped,
            shards: Vec::new(),
        };
        report.settle(include);
        report
    }
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

    /// A copy of the record of what was suppressed so far.
    pub fn peek_suppressed(&self) -> Vec<suppress::Suppressed> {
        self.suppressed.lock().unwrap().clone()
    }

    /// Takes the record of what was suppressed so far.
    pub fn take_suppressed(&self) -> Vec<suppress::Suppressed> {
        std::mem::take(&mut *self.suppressed.lock().unwrap())
    }

    /// Moves the suppression counts into `report.stats`; with
    /// `one_per_secret` (history scans, which report each secret once) a
    /// secret suppressed in many blobs counts once.
    pub fn count_suppressed(&self, report: &mut ScanReport, one_per_secret: bool) {
        let c = suppress::counts_of(&self.take_suppressed(), one_per_secret);
        report.stats.suppressed_by.add(&c);
        report.stats.suppressed = report.stats.suppressed_by.total();
    }

    pub fn rules(&self) -> &RuleSet {
        &self.engine.rules
    }

    /// Scans one in-memory blob; `path` is used for context and reporting.
    pub fn scan_blob(&self, data: &[u8], path: &str) -> Vec<Finding> {
        self.scan_window(data, path, Origin::default())
    }

    /// Scans `data`, a window of a larger text that begins at `origin`:
    /// findings carry their positions in the whole text.
    pub fn scan_window(&self, data: &[u8], path: &str, origin: Origin) -> Vec<Finding> {
        self.scan_part(data, path, origin, 0..usize::MAX, &mut HashSet::new())
    }

    /// Scans `data` (which begins at `origin`) and keeps the findings that
    /// start inside `own` (byte offsets in `data`) and do not only repeat
    /// locations in `seen` (positions in the text); adds what it reports or
    /// suppresses to `seen`.
    pub(super) fn scan_part(
        &self,
        data: &[u8],
        path: &str,
        origin: Origin,
        own: Range<usize>,
        seen: &mut HashSet<(usize, usize)>,
    ) -> Vec<Finding> {
        #[cfg(debug_assertions)]
        debug_panic(data);
        let parts = self.engine.scan(data, path);
        if parts.is_empty() {
            return Vec::new();
        }
        let mut f = pair::findings(&self.engine.rules, data, path, parts);
        f.retain(|f| f.confidence >= self.options.min_confidence);
        if own.start > 0 || own.end < data.len() || !seen.is_empty() {
            let map = LineMap::new(data);
            let from = map.position(own.start.min(data.len()));
            let to = (own.end < data.len()).then(|| map.position(own.end));
            let inside = |p: (usize, usize)| p >= from && to.is_none_or(|t| p < t);
            let known = |p: (usize, usize)| seen.contains(&origin.shift(p.0, p.1));
            f.retain(|f| {
                let places: Vec<(usize, usize)> =
                    f.locations.iter().map(|l| (l.line, l.column)).collect();
                let first = places.iter().copied().min().unwrap_or((1, 1));
                // Ours when it starts here; also when it starts in the
                // previous window but has a part only this one sees (the
                // previous window reported the rest without it).
                let ours = inside(first)
                    || (first < from && places.iter().any(|&p| inside(p) && !known(p)));
                ours && !places.iter().all(|&p| known(p))
            });
        }
        // What this window reports or suppresses, the next must not again.
        seen.extend(
            f.iter()
                .flat_map(|f| f.locations.iter())
                .map(|l| origin.shift(l.line, l.column)),
        );
        if let Some(s) = &self.suppressor
            && !f.is_empty()
        {
            let mut gone = s.filter(&mut f, data);
            if !gone.is_empty() {
                for g in &mut gone {
                    g.line += origin.line;
                }
                self.suppressed.lock().unwrap().extend(gone);
            }
        }
        if origin != Origin::default() {
            for l in f.iter_mut().flat_map(|f| f.locations.iter_mut()) {
                (l.line, l.column) = origin.shift(l.line, l.column);
                (l.end_line, l.end_column) = origin.shift(l.end_line, l.end_column);
                // GitHub's line hash counts earlier equal lines, which this
                // window does not hold.
                l.line_hash = None;
            }
        }
        f
    }
}
