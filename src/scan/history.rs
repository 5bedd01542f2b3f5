//! Git history, ranges and staged changes: the sink the git source pushes
//! blobs to, and the merge of per-blob findings into one finding per
//! secret — the earliest commit that introduced it, and whether the tip
//! still holds it.

use super::scanner::{Collector, Scanner};
use crate::finding::{
    CommitInfo, Finding, ScanReport, Status, mark_repeated_samples, redact_in, sort_findings,
};
use crate::source::git::{self, GitLimits, GitOptions, History};
use crate::source::{Content, Provenance, Sink};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// One finding of one blob, before findings are merged across blobs.
struct Hit {
    finding: Finding,
    blob: git2::Oid,
    commit: usize,
    /// On an added line of the blob (always, in full history). Other hits
    /// only tell whether the secret is still in the tip's tree.
    added: bool,
}

struct HistorySink<'a> {
    scanner: &'a Scanner,
    out: Collector,
    hits: Mutex<Vec<Hit>>,
}

impl Sink for HistorySink<'_> {
    fn text(&self, content: Content<'_>, provenance: &Provenance, scratch: &mut Vec<u8>) {
        let Provenance::Git {
            blob,
            commit,
            added,
            ..
        } = provenance
        else {
            return;
        };
        // The same text pipeline as files: UTF-16 decoded, binary skipped
        // and listed, windows past the threshold.
        let found = self
            .scanner
            .scan_content(content, provenance, scratch, &self.out, None);
        let on_added = |f: &Finding| match added {
            None => true,
            Some(added) => f
                .locations
                .iter()
                .any(|l| (l.line..=l.end_line).any(|n| added.binary_search(&(n as u32)).is_ok())),
        };
        if !found.is_empty() {
            let mut h = self.hits.lock().unwrap();
            h.extend(found.into_iter().map(|finding| Hit {
                added: on_added(&finding),
                finding,
                blob: *blob,
                commit: *commit,
            }));
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
    /// Scans a repository's history, a range or its staged changes, as
    /// `opts` says.
    pub fn scan_git(&self, repo_path: &str, opts: &GitOptions) -> ScanReport {
        let started = Instant::now();
        let sink = HistorySink {
            scanner: self,
            out: Collector::default(),
            hits: Mutex::new(Vec::new()),
        };
        let limits = GitLimits {
            threads: self.options.threads,
            max_file_size: self.options.max_file_size,
        };
        let Some(history) = git::walk(&sink, repo_path, opts, &limits) else {
            return sink.out.into_report(started, self.options.include);
        };
        let hits = sink.hits.into_inner().unwrap();
        let findings = merge(&history, hits);
        sink.out.findings.lock().unwrap().extend(findings);
        let mut report = sink.out.into_report(started, self.options.include);
        sort_findings(&mut report.findings);
        report
    }
}

/// One finding per secret: the earliest commit that introduced it, and
/// whether any blob at the tip still holds it.
fn merge(history: &History, hits: Vec<Hit>) -> Vec<Finding> {
    let (mut hits, context): (Vec<Hit>, Vec<Hit>) = hits.into_iter().partition(|h| h.added);
    // One value in many test or docs files is a sample: decided over every
    // blob's findings, before they are merged into one per secret.
    let mut all: Vec<&mut Finding> = hits.iter_mut().map(|h| &mut h.finding).collect();
    mark_repeated_samples(&mut all);
    let mut by_fp: HashMap<String, (Hit, bool)> = HashMap::new();
    for h in hits {
        let present = history.at_tip(&h.blob);
        match by_fp.get_mut(&h.finding.fingerprint) {
            Some((best, any_present)) => {
                *any_present |= present;
                // A leak anywhere is a leak: the earliest leaking place
                // wins over a fixture or example copy of the same value.
                // Places of one commit are ranked by path and line, so the
                // result never depends on the order blobs were scanned in.
                fn rank(h: &Hit) -> (bool, usize, Option<(&str, usize)>) {
                    let f = &h.finding;
                    let at = f.locations.first().map(|l| (l.path.as_str(), l.line));
                    (f.status != Status::Leak, h.commit, at)
                }
                if rank(&h) < rank(best) {
                    *best = h;
                }
            }
            None => {
                by_fp.insert(h.finding.fingerprint.clone(), (h, present));
            }
        }
    }
    // A range may change other lines of the file later: at the tip, the
    // secret's lines are then context, not added, but still there.
    for h in context {
        if history.at_tip(&h.blob)
            && let Some((_, present)) = by_fp.get_mut(&h.finding.fingerprint)
        {
            *present = true;
        }
    }
    // A commit message may quote a secret (a pasted key, a docs sample):
    // every secret found is redacted in every message shown.
    let secrets: Vec<(String, String)> = by_fp
        .values()
        .flat_map(|(h, _)| &h.finding.locations)
        .map(|l| (l.secret.clone(), l.redacted.clone()))
        .collect();
    let describe = |commit: usize| {
        history.commit_info(commit).map(|mut c| {
            for (secret, redacted) in &secrets {
                c.summary = redact_in(&c.summary, secret, redacted);
                c.author = redact_in(&c.author, secret, redacted);
            }
            c
        })
    };
    let mut info_cache: HashMap<usize, Option<CommitInfo>> = HashMap::new();
    let mut findings: Vec<Finding> = Vec::with_capacity(by_fp.len());
    for (_, (hit, present)) in by_fp {
        let mut f = hit.finding;
        if !history.staged() {
            let info = info_cache
                .entry(hit.commit)
                .or_insert_with(|| describe(hit.commit))
                .clone();
            for l in &mut f.locations {
                l.commit = info.clone();
            }
            f.present_at_head = Some(present);
        }
        findings.push(f);
    }
    sort_findings(&mut findings);
    findings
}
