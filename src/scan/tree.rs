//! Files and streams: the sink that the file-system walker and standard
//! input push texts to, and the scans built on it.

use super::scanner::{Collector, Progress, Scanner};
use crate::finding::ScanReport;
use crate::source::fs::{self as fs_source, WalkOptions};
use crate::source::{Content, Provenance, Sink};
use std::io::Read;
use std::time::Instant;

/// Scans each text it is handed and collects the results.
pub(super) struct TreeSink<'a> {
    pub scanner: &'a Scanner,
    pub out: Collector,
    pub progress: Option<&'a Progress>,
}

impl Sink for TreeSink<'_> {
    fn text(&self, content: Content<'_>, provenance: &Provenance, scratch: &mut Vec<u8>) {
        let found =
            self.scanner
                .scan_content(content, provenance, scratch, &self.out, self.progress);
        if !found.is_empty() {
            self.out.findings.lock().unwrap().extend(found);
        }
    }

    fn skip(&self, path: String, reason: String) {
        self.out.skip(path, reason);
    }

    fn error(&self, path: String, message: String) {
        self.out.error(path, message);
    }
}

impl Scanner {
    fn tree_sink<'a>(&'a self, progress: Option<&'a Progress>) -> TreeSink<'a> {
        TreeSink {
            scanner: self,
            out: Collector::default(),
            progress,
        }
    }

    /// Scans files and directories (recursively, honouring ignore files).
    pub fn scan_paths(&self, paths: &[String], progress: Option<&Progress>) -> ScanReport {
        let started = Instant::now();
        let sink = self.tree_sink(progress);
        let opts = WalkOptions {
            no_ignore: self.options.no_ignore,
            threads: self.options.threads,
            max_file_size: self.options.max_file_size,
        };
        fs_source::walk(&sink, paths, &opts);
        let mut report = sink.out.into_report(started, self.options.include);
        self.count_suppressed(&mut report, false);
        report
    }

    /// Scans a stream (stdin), reported under `name`: decoded when UTF-16,
    /// in windows when large.
    pub fn scan_reader(&self, mut reader: impl Read, name: &str) -> ScanReport {
        let started = Instant::now();
        let sink = self.tree_sink(None);
        let content = Content::Reader {
            reader: &mut reader,
            size: None,
        };
        let provenance = Provenance::Stdin {
            name: name.to_string(),
        };
        sink.text(content, &provenance, &mut Vec::new());
        let mut report = sink.out.into_report(started, self.options.include);
        self.count_suppressed(&mut report, false);
        report
    }
}
