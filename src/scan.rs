//! The public scanning API: a [`Scanner`] turns sources into a [`ScanReport`].
//! Nothing here prints; per-file problems are collected as [`ScanError`]s and
//! the scan goes on.

use crate::detect::{Engine, pair};
use crate::finding::{Counts, Finding, Status};
pub use crate::finding::{ScanError, ScanReport, Skipped, Stats, sort_findings};
use crate::rules::{Confidence, RuleSet};
use crate::source::fs::{self as fs_source};
use crate::suppress::{self, Suppressor};
use crate::text::decode::{self as text, Counted, Encoding, Utf16Reader};
use crate::text::{LineMap, Origin, Windowing};
use std::collections::HashSet;
use std::io::{self, Read};
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

/// Live counters, for a progress indicator.
#[derive(Debug, Default)]
pub struct Progress {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
}

/// How one text (a file, stdin) is read.
#[derive(Debug, Clone, Copy)]
pub struct TextLimits {
    /// Raw bytes beyond which the text is not scanned (`--max-file-size`).
    pub max_bytes: u64,
    /// The raw size, when known beforehand (a file's metadata).
    pub size_hint: Option<u64>,
    /// Skip a text whose first 8 KiB (decoded) hold a NUL byte.
    pub skip_binary: bool,
    pub windowing: Windowing,
}

/// What reading and scanning one text gave.
#[derive(Debug)]
pub struct TextScan {
    /// Findings, at positions in the decoded text.
    pub findings: Vec<Finding>,
    /// Raw bytes read.
    pub bytes: u64,
    pub status: TextStatus,
    pub encoding: Encoding,
}

#[derive(Debug)]
pub enum TextStatus {
    Scanned,
    /// Not scanned: a NUL byte in the first 8 KiB.
    Binary,
    /// Not scanned: more than `max_bytes` (it grew while read).
    TooLarge,
    /// Reading failed after `bytes`; `findings` are those of what was read.
    Failed(io::Error),
}

/// Reads until `buf` holds `target` bytes; true at the end of the input.
fn fill(src: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    if buf.len() >= target {
        return Ok(false);
    }
    let want = (target - buf.len()) as u64;
    let n = src.take(want).read_to_end(buf)?;
    Ok((n as u64) < want)
}

fn read_head(src: &mut dyn Read, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match src.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
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
                suppressed_by: Counts::default(),
            },
            findings,
            errors,
            skipped,
        }
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
    fn scan_part(
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
        f.retain(|f| {
            f.confidence >= self.options.min_confidence
                && (self.options.include_examples || f.status != Status::Example)
        });
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

    /// Reads a text from `reader` and scans it: UTF-16 is decoded first,
    /// and a text larger than `limits.windowing.threshold` is scanned in
    /// overlapping windows, in bounded memory. `buf` is scratch space.
    pub fn scan_text(
        &self,
        reader: impl Read,
        path: &str,
        limits: &TextLimits,
        buf: &mut Vec<u8>,
    ) -> TextScan {
        let mut raw = Counted {
            inner: reader.take(limits.max_bytes.saturating_add(1)),
            n: 0,
        };
        let mut head = [0u8; text::SNIFF];
        let (findings, status, encoding) = match read_head(&mut raw, &mut head) {
            Err(e) => (Vec::new(), TextStatus::Failed(e), Encoding::Bytes),
            Ok(n) => {
                let encoding = text::sniff(&head[..n]);
                let chained = (&head[..n]).chain(&mut raw);
                let mut src: Box<dyn Read + '_> = match encoding {
                    Encoding::Utf16 { big_endian, .. } => {
                        Box::new(Utf16Reader::new(chained, big_endian))
                    }
                    Encoding::Bytes => Box::new(chained),
                };
                let (f, st) = self.scan_decoded(&mut *src, path, limits, buf);
                (f, st, encoding)
            }
        };
        let bytes = raw.n;
        let (findings, status) = match status {
            TextStatus::Scanned if bytes > limits.max_bytes => (Vec::new(), TextStatus::TooLarge),
            st => (findings, st),
        };
        TextScan {
            findings,
            bytes,
            status,
            encoding,
        }
    }

    fn scan_decoded(
        &self,
        src: &mut dyn Read,
        path: &str,
        limits: &TextLimits,
        buf: &mut Vec<u8>,
    ) -> (Vec<Finding>, TextStatus) {
        let w = limits.windowing;
        buf.clear();
        let whole = usize::try_from(w.threshold)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let windowed = limits.size_hint.is_some_and(|s| s > w.threshold);
        let mut eof = match fill(src, buf, if windowed { w.window } else { whole }) {
            Ok(e) => e,
            Err(e) => return (Vec::new(), TextStatus::Failed(e)),
        };
        if limits.skip_binary && memchr::memchr(0, &buf[..buf.len().min(text::SNIFF)]).is_some() {
            return (Vec::new(), TextStatus::Binary);
        }
        if eof && buf.len() < whole {
            return (self.scan_blob(buf, path), TextStatus::Scanned);
        }
        let mut findings = Vec::new();
        let mut origin = Origin::default();
        let mut own_from = 0;
        let mut seen = HashSet::new();
        loop {
            if !eof && buf.len() < w.window {
                eof = match fill(src, buf, w.window) {
                    Ok(e) => e,
                    Err(e) => return (findings, TextStatus::Failed(e)),
                };
            }
            let last = eof && buf.len() <= w.window;
            let data = &buf[..if last { buf.len() } else { w.window }];
            let (cut, next) = if last {
                (usize::MAX, data.len())
            } else {
                w.split(data)
            };
            findings.extend(self.scan_part(data, path, origin, own_from..cut, &mut seen));
            if last {
                return (findings, TextStatus::Scanned);
            }
            origin = origin.advance(&data[..next]);
            own_from = cut - next;
            buf.drain(..next);
        }
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

    /// Scans a stream (stdin), reported under `name`: decoded when UTF-16,
    /// in windows when large.
    pub fn scan_reader(&self, reader: impl Read, name: &str) -> ScanReport {
        let started = Instant::now();
        let collector = Collector::default();
        let limits = TextLimits {
            max_bytes: u64::MAX,
            size_hint: None,
            skip_binary: false,
            windowing: Windowing::from_env(),
        };
        let r = self.scan_text(reader, name, &limits, &mut Vec::new());
        collector.findings.lock().unwrap().extend(r.findings);
        match r.status {
            TextStatus::Failed(e) => collector.error(name, format!("cannot read: {e}")),
            _ => {
                collector.files.fetch_add(1, Ordering::Relaxed);
                collector.bytes.fetch_add(r.bytes, Ordering::Relaxed);
            }
        }
        let mut report = collector.into_report(started);
        self.count_suppressed(&mut report, false);
        report
    }
}
