//! Git history, ranges and staged changes: the sink the git source pushes
//! blobs to, and the merge of per-blob findings into one finding per
//! secret — the earliest commit that introduced it, and whether the tip
//! still holds it.

use super::scanner::{Collector, Progress, Scanner};
use crate::detect::judge::is_random;
use crate::finding::{
    CommitInfo, Finding, Hit, ScanReport, Shard, digested, merge_hits, redact, redact_commit,
};
use crate::rules::Alphabet;
use crate::source::git::{self, GitLimits, GitOptions};
use crate::source::{Content, Provenance, Sink};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Instant;

struct HistorySink<'a> {
    scanner: &'a Scanner,
    progress: Option<&'a Progress>,
    out: Collector,
    /// Each hit with the blob it is in.
    hits: Mutex<Vec<(Hit, git2::Oid)>>,
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
        let found =
            self.scanner
                .scan_content(content, provenance, scratch, &self.out, self.progress);
        let on_added = |f: &Finding| match added {
            None => true,
            Some(added) => f
                .locations
                .iter()
                .any(|l| (l.line..=l.end_line).any(|n| added.binary_search(&(n as u32)).is_ok())),
        };
        if !found.is_empty() {
            let mut h = self.hits.lock().unwrap();
            h.extend(found.into_iter().map(|finding| {
                let hit = Hit {
                    added: on_added(&finding),
                    finding,
                    commit: *commit,
                    at_tip: false,
                };
                (hit, *blob)
            }));
        }
    }

    fn skip(&self, path: String, reason: String) {
        self.out.skip(path, reason);
    }

    fn error(&self, path: String, message: String) {
        self.out.error(path, message);
    }

    fn commits_walked(&self, n: usize) {
        if let Some(p) = self.progress {
            p.commits.store(n as u64, Ordering::Relaxed);
        }
    }
}

impl Scanner {
    /// Scans a repository's history, a range or its staged changes, as
    /// `opts` says.
    pub fn scan_git(&self, repo_path: &str, opts: &GitOptions) -> ScanReport {
        self.scan_git_with(repo_path, opts, None)
    }

    /// [`Scanner::scan_git`], counting commits walked and blobs and bytes
    /// scanned in `progress`.
    pub fn scan_git_with(
        &self,
        repo_path: &str,
        opts: &GitOptions,
        progress: Option<&Progress>,
    ) -> ScanReport {
        let started = Instant::now();
        let sink = HistorySink {
            scanner: self,
            progress,
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
        let hits: Vec<Hit> = sink
            .hits
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|(mut h, blob)| {
                h.at_tip = history.at_tip(&blob);
                h
            })
            .collect();
        let describe = |c: usize| describe(&history, c);
        // A shard keeps every hit for `merge`, which decides across shards
        // what this merge decides across blobs.
        let kept = opts.shard.map(|_| hits.clone());
        let findings = merge_hits(hits, history.staged(), &describe);
        sink.out.findings.lock().unwrap().extend(findings);
        let mut report = sink.out.into_report(started, self.options.include);
        let repository = git::repository_name(repo_path);
        for f in &mut report.findings {
            f.repository = Some(repository.clone());
        }
        for e in &mut report.errors {
            e.repository = Some(repository.clone());
        }
        for e in &mut report.skipped {
            e.repository = Some(repository.clone());
        }
        if let (Some(spec), Some(hits)) = (opts.shard, kept) {
            let shard = self.shard_of(spec, &history, hits, &report, repository);
            report.shards.push(shard);
        }
        report
    }

    /// What `merge` needs of one shard: its hits with secrets named by
    /// digest, the commits they name (messages redacted of the shard's own
    /// secrets), what it suppressed, could not read and skipped.
    fn shard_of(
        &self,
        spec: git::ShardSpec,
        history: &git::History,
        mut hits: Vec<Hit>,
        report: &ScanReport,
        repository: String,
    ) -> Shard {
        let secrets: Vec<(String, String)> = report
            .findings
            .iter()
            .flat_map(|f| &f.locations)
            .map(|l| (l.secret.clone(), l.redacted.clone()))
            .collect();
        let mut commits = BTreeMap::new();
        for h in &hits {
            commits
                .entry(h.commit)
                .or_insert_with(|| describe(history, h.commit).map(|c| redact_commit(c, &secrets)));
        }
        for h in &mut hits {
            let f: &mut Finding = &mut h.finding;
            f.repository = Some(repository.clone());
            for l in &mut f.locations {
                l.line_redacted = l.redacted_line();
                l.secret = digested(&l.secret);
                l.line_text.clear();
            }
        }
        Shard {
            index: spec.index,
            count: spec.count,
            repository: Some(repository),
            walk: history.walk_digest(),
            include: self.options.include,
            hits,
            commits: commits
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect(),
            suppressed: self
                .peek_suppressed()
                .into_iter()
                .map(|s| (s.reason, s.fingerprint))
                .collect(),
            errors: report.errors.clone(),
            skipped: report.skipped.clone(),
            files_scanned: report.stats.files_scanned,
            bytes_scanned: report.stats.bytes_scanned,
            elapsed_ms: report.stats.elapsed_ms,
        }
    }
}

/// A commit as reports show it: credential-looking tokens redacted in its
/// author and summary ([`redact_message`]).
fn describe(history: &git::History, commit: usize) -> Option<CommitInfo> {
    let names = |t: &str| history.names_object(t);
    history.commit_info(commit).map(|mut c| {
        c.summary = redact_message(&c.summary, &names);
        c.author = redact_message(&c.author, &names);
        c
    })
}

/// A commit's author or summary with what looks like a credential
/// replaced, whoever's scan finds it: a random token of 16 or more
/// characters with letters and digits (not the id of an object of the
/// repository) and a run of 12 or more BIP-39 words. A shard's commit
/// table then holds no secret that another shard found in a file.
fn redact_message(text: &str, names_object: &dyn Fn(&str) -> bool) -> String {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if !token(bytes[i]) {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        let start = i;
        while i < bytes.len() && token(bytes[i]) {
            i += 1;
        }
        let t = &text[start..i];
        let credential = t.len() >= 16
            && t.bytes().any(|b| b.is_ascii_digit())
            && t.bytes().any(|b| b.is_ascii_alphabetic())
            && is_random(t, Alphabet::Auto)
            && !names_object(t);
        if credential {
            out.push_str(&redact(t, None));
        } else {
            out.push_str(t);
        }
    }
    redact_word_runs(&out)
}

/// Each run of 12 or more BIP-39 words, redacted as a seed phrase is.
fn redact_word_runs(text: &str) -> String {
    let index = crate::codec::bip39_index();
    let words: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |at, w| {
            let here = *at;
            *at += w.len() + 1;
            Some((here, w))
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        while j < words.len() && index.contains_key(words[j].1) {
            j += 1;
        }
        if j - i >= 12 {
            let (from, _) = words[i];
            let (last, w) = words[j - 1];
            out.push_str(&text[copied..from]);
            out.push_str(&redact(&text[from..last + w.len()], None));
            copied = last + w.len();
        }
        i = j.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_message;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn random_tokens_in_messages_are_redacted() {
        let key = "qZ8vT2mK9xW4pL7nR3bY6cF1hJ5dS0gA";
        let got = redact_message(&format!("add key {key} for the bot"), &none);
        assert!(!got.contains(key), "{got}");
        assert!(got.starts_with("add key ") && got.ends_with(" for the bot"));
    }

    #[test]
    fn ordinary_messages_are_kept() {
        for m in [
            "Bump serde from 1.0.100 to 1.0.101",
            "Merge pull request #1234 from someone/feature-branch-name",
            "fix: retry the websocket reconnect after 30s (closes #88)",
            "Rename src/finding/merge.rs helpers",
        ] {
            assert_eq!(redact_message(m, &none), m);
        }
    }

    #[test]
    fn object_ids_are_kept() {
        let id = "9fceb02d0ae598e95dc970b74767f19372d61af8";
        let m = format!("Revert {id}");
        assert_eq!(redact_message(&m, &|t| t == id), m);
        assert_ne!(redact_message(&m, &none), m);
    }

    #[test]
    fn seed_phrases_in_messages_are_redacted() {
        let words =
            "abandon ability able about above absent absorb abstract absurd abuse access accident";
        let got = redact_message(&format!("wallet: {words} oops"), &none);
        assert_eq!(got, "wallet: *** (12 words) oops");
        let short = "abandon ability able about above";
        assert_eq!(redact_message(short, &none), short);
    }
}
