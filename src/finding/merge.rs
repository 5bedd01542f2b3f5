//! Merging what scans found.
//!
//! - [`merge_hits`]: the findings of every blob of a history into one
//!   finding per secret: the earliest commit that leaked it, whether the
//!   tip still holds it.
//! - [`combine`]: reports of shards and of repositories into one. The
//!   shards of one scan are merged hit by hit, so together they give what
//!   the unsharded scan gives; then one finding per repository and
//!   fingerprint (history) or per place (files), locations united, numbers
//!   summed, every error and skipped entry kept.
//!
//! A report read back never holds a secret: a shard names each secret by
//! the digests of the forms it may take in a commit message
//! ([`super::digest`]), which is all a merge needs to tell one value from
//! another and to keep it out of the commit messages it shows.

use super::model::{CommitInfo, Finding, Location, Status, redact_in};
use super::report::{Counts, Hit, ScanReport, Shard, sort_findings};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One finding per secret: the earliest commit that introduced it, and
/// whether any blob at the tip still holds it. `describe` tells a commit
/// by its index; every secret found is redacted in every message shown.
pub fn merge_hits(
    hits: Vec<Hit>,
    staged: bool,
    describe: &dyn Fn(usize) -> Option<CommitInfo>,
) -> Vec<Finding> {
    let (mut hits, context): (Vec<Hit>, Vec<Hit>) = hits.into_iter().partition(|h| h.added);
    // One value in many test or docs files is a sample: decided over every
    // blob's findings, before they are merged into one per secret.
    let mut all: Vec<&mut Finding> = hits.iter_mut().map(|h| &mut h.finding).collect();
    super::report::mark_repeated_samples(&mut all);
    let mut by_fp: HashMap<String, (Hit, bool)> = HashMap::new();
    for h in hits {
        let present = h.at_tip;
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
        if h.at_tip
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
    let redacted = |commit: usize| describe(commit).map(|c| redact_commit(c, &secrets));
    let mut info_cache: HashMap<usize, Option<CommitInfo>> = HashMap::new();
    let mut findings: Vec<Finding> = Vec::with_capacity(by_fp.len());
    for (_, (hit, present)) in by_fp {
        let mut f = hit.finding;
        if !staged {
            let info = info_cache
                .entry(hit.commit)
                .or_insert_with(|| redacted(hit.commit))
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

/// A commit's author and summary with each secret (value, redacted
/// form) redacted.
pub fn redact_commit(mut c: CommitInfo, secrets: &[(String, String)]) -> CommitInfo {
    for (secret, redacted) in secrets {
        c.summary = redact_in(&c.summary, secret, redacted);
        c.author = redact_in(&c.author, secret, redacted);
    }
    c
}

/// What [`combine`] merges: a whole report, or one shard of one, each
/// with the file it came from (named in errors).
pub enum Piece {
    Report { report: ScanReport, from: String },
    Shard { shard: Shard, from: String },
}

/// A shard and the file it came from.
type Given = (Shard, String);

/// What makes two findings one: repository, fingerprint, and for a
/// finding of files its place (path, line, column).
type Key = (Option<String>, String, Option<(String, usize, usize)>);

/// One report from reports of shards and repositories: the shards of each
/// scan merged hit by hit (every shard of it must be there, once), then
/// one finding per repository and fingerprint for history findings (the
/// earliest leaking commit wins, locations are united, present at the tip
/// if any says so) and one per place for findings of files; numbers
/// summed; errors and skipped entries kept (the same entry twice, once).
pub fn combine(pieces: Vec<Piece>) -> Result<ScanReport, String> {
    let mut reports: Vec<ScanReport> = Vec::new();
    // (repository, walk) -> shards, in the order given.
    let mut groups: BTreeMap<(Option<String>, String), Vec<Given>> = BTreeMap::new();
    for p in pieces {
        match p {
            Piece::Report { report, .. } => reports.push(report),
            Piece::Shard { shard, from } => groups
                .entry((shard.repository.clone(), shard.walk.clone()))
                .or_default()
                .push((shard, from)),
        }
    }
    for ((repository, _), shards) in groups {
        reports.push(merge_shards(repository, shards)?);
    }
    Ok(union(reports))
}

fn repo_label(repository: &Option<String>) -> &str {
    repository.as_deref().unwrap_or("the repository")
}

/// The shards of one scan of one history, as that scan.
fn merge_shards(repository: Option<String>, mut shards: Vec<Given>) -> Result<ScanReport, String> {
    shards.sort_by_key(|(s, _)| s.index);
    let (first, first_from) = (&shards[0].0, shards[0].1.clone());
    let (count, include) = (first.count, first.include);
    let repo = repo_label(&repository).to_string();
    for (s, from) in &shards {
        if s.count != count {
            return Err(format!(
                "{from}: shard {}/{} of {repo}, but {first_from} is shard {}/{count} of the same scan",
                s.index, s.count, first.index
            ));
        }
        if s.include != include {
            return Err(format!(
                "{from}: shard {}/{count} of {repo} was asked to show other statuses than {first_from} (--include-*)",
                s.index
            ));
        }
    }
    for w in shards.windows(2) {
        if w[0].0.index == w[1].0.index {
            return Err(format!(
                "{}: shard {}/{count} of {repo} is also in {}",
                w[1].1, w[1].0.index, w[0].1
            ));
        }
    }
    let have: HashSet<u32> = shards.iter().map(|(s, _)| s.index).collect();
    let missing: Vec<String> = (1..=count)
        .filter(|i| !have.contains(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        let given: Vec<&str> = shards.iter().map(|(_, f)| f.as_str()).collect();
        return Err(format!(
            "shard{} {} of {repo} missing: only {} given; a merge without every shard would drop what the others found",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            given.join(", ")
        ));
    }
    let mut commits: BTreeMap<usize, CommitInfo> = BTreeMap::new();
    let mut hits = Vec::new();
    let mut suppressed = Vec::new();
    let mut report = ScanReport::default();
    for (s, _) in shards {
        for (k, v) in s.commits {
            commits.entry(k).or_insert(v);
        }
        hits.extend(s.hits);
        suppressed.extend(s.suppressed);
        report.errors.extend(s.errors);
        report.skipped.extend(s.skipped);
        report.stats.files_scanned += s.files_scanned;
        report.stats.bytes_scanned += s.bytes_scanned;
        report.stats.elapsed_ms += s.elapsed_ms;
    }
    report.findings = merge_hits(hits, false, &|c| commits.get(&c).cloned());
    for f in &mut report.findings {
        f.repository = repository.clone();
    }
    report.settle(include);
    report.stats.suppressed_by = Counts::of(suppressed.iter().map(|(r, f)| (*r, f.as_str())), true);
    report.stats.suppressed = report.stats.suppressed_by.total();
    Ok(report)
}

/// Reports as one: see [`combine`].
fn union(reports: Vec<ScanReport>) -> ScanReport {
    let mut out = ScanReport::default();
    // Where each finding's key first stands in `out.findings`.
    let mut at: HashMap<Key, usize> = HashMap::new();
    for r in reports {
        let s = &r.stats;
        let o = &mut out.stats;
        o.files_scanned += s.files_scanned;
        o.bytes_scanned += s.bytes_scanned;
        o.elapsed_ms += s.elapsed_ms;
        o.suppressed_by.add(&s.suppressed_by);
        o.hidden.add(&s.hidden);
        out.errors.extend(r.errors);
        out.skipped.extend(r.skipped);
        for f in r.findings {
            // History findings are one per secret; a file scan's are one
            // per place.
            let place = f.present_at_head.is_none().then(|| {
                let l = f.primary();
                (l.path.clone(), l.line, l.column)
            });
            let key = (f.repository.clone(), f.fingerprint.clone(), place);
            match at.get(&key) {
                Some(&i) => unite(&mut out.findings[i], f),
                None => {
                    at.insert(key, out.findings.len());
                    out.findings.push(f);
                }
            }
        }
    }
    out.stats.suppressed = out.stats.suppressed_by.total();
    let mut seen = HashSet::new();
    out.errors
        .retain(|e| seen.insert((e.repository.clone(), e.path.clone(), e.message.clone())));
    let mut seen = HashSet::new();
    out.skipped
        .retain(|e| seen.insert((e.repository.clone(), e.path.clone(), e.reason.clone())));
    out.errors
        .sort_by(|a, b| (&a.repository, &a.path).cmp(&(&b.repository, &b.path)));
    out.skipped
        .sort_by(|a, b| (&a.repository, &a.path).cmp(&(&b.repository, &b.path)));
    out.stats.errors = out.errors.len() as u64;
    out.stats.files_skipped = out.skipped.len() as u64;
    sort_findings(&mut out.findings);
    out
}

/// Two reports' findings of one secret: the earlier leak wins (as in
/// [`merge_hits`]: a leak over a sample copy, then the earlier commit,
/// then path and line), its locations first, then the other's not already
/// there.
fn unite(best: &mut Finding, other: Finding) {
    fn rank(f: &Finding) -> (bool, i64, &str, usize) {
        let l = f.primary();
        let when = l
            .commit
            .as_ref()
            .and_then(|c| crate::util::parse_time(&c.date))
            .unwrap_or(i64::MAX);
        (f.status != Status::Leak, when, l.path.as_str(), l.line)
    }
    let present = match (best.present_at_head, other.present_at_head) {
        (Some(a), Some(b)) => Some(a || b),
        (a, b) => a.or(b),
    };
    let mut other = other;
    if rank(&other) < rank(best) {
        std::mem::swap(best, &mut other);
    }
    let same = |a: &Location, b: &Location| {
        (a.path.as_str(), a.line, a.column, a.rule_id.as_str())
            == (b.path.as_str(), b.line, b.column, b.rule_id.as_str())
    };
    for l in other.locations {
        if !best.locations.iter().any(|b| same(b, &l)) {
            best.locations.push(l);
        }
    }
    best.present_at_head = present;
}

#[cfg(test)]
mod tests {
    use super::super::digest::digested;
    use super::*;

    #[test]
    fn a_stand_in_redacts_what_the_value_would() {
        let secret = "Zq3J9fK2mPx8Lr4Tn7Wc1Vb5Hy6Gd0Su";
        let d = digested(secret);
        assert!(!d.contains(secret) && !d.contains(&secret[..8]));
        assert_eq!(digested(&d), d);
        let text = format!("add key {secret} to the bot ({secret})");
        assert_eq!(
            redact_in(&text, &d, "Zq3J…"),
            redact_in(&text, secret, "Zq3J…")
        );
        assert_eq!(redact_in("nothing here", &d, "x"), "nothing here");
        // JSON-escaped slashes.
        let slashed = "ab/cd/ef/gh/ij/kl/mn/op";
        let t = format!("{{\"k\": \"{}\"}}", slashed.replace('/', "\\/"));
        assert_eq!(
            redact_in(&t, &digested(slashed), "R"),
            redact_in(&t, slashed, "R")
        );
        // A seed phrase quoted with other separators.
        let phrase =
            "abandon ability able about above absent absorb abstract absurd abuse access accident";
        let quoted = format!("seed: {}", phrase.replace(' ', ", "));
        let hidden = redact_in(&quoted, &digested(phrase), "***");
        assert!(
            !hidden.contains("abandon") && !hidden.contains("accident"),
            "{hidden}"
        );
        // A PEM body line.
        let pem = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBeyJ0aXRsZSI6InRlc3QifQ\n-----END EC PRIVATE KEY-----";
        let t = "oops MHcCAQEEIBeyJ0aXRsZSI6InRlc3QifQ pasted";
        assert_eq!(redact_in(t, &digested(pem), "R"), "oops R pasted");
    }

    fn hit(fp: &str, commit: usize, status: Status, path: &str, at_tip: bool) -> Hit {
        let location = Location {
            rule_id: "x.key".into(),
            part: crate::rules::Part::Key,
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 9,
            redacted: "v…".into(),
            secret: format!("value-{fp}"),
            line_text: String::new(),
            line_redacted: String::new(),
            commit: None,
            context: super::super::context::CodeContext::of_path(path),
            line_hash: None,
        };
        Hit {
            finding: Finding {
                rule_id: "x.key".into(),
                venue: "X".into(),
                venue_id: "x".into(),
                confidence: crate::rules::Confidence::High,
                severity: crate::rules::Severity::High,
                status,
                fingerprint: fp.into(),
                description: String::new(),
                revoke: String::new(),
                locations: vec![location],
                present_at_head: None,
                verification: None,
                testnet: false,
                repository: None,
            },
            commit,
            added: true,
            at_tip,
        }
    }

    #[test]
    fn the_earliest_leak_wins_and_any_tip_copy_counts() {
        let hits = vec![
            hit("a", 5, Status::Leak, "late.env", false),
            hit("a", 2, Status::Fixture, "tests/early.py", false),
            hit("a", 3, Status::Leak, "early.env", true),
        ];
        let describe = |c: usize| {
            Some(CommitInfo {
                sha: format!("{c:040}"),
                author: "A <a@example.invalid>".into(),
                date: "2024-01-01T00:00:00Z".into(),
                summary: format!("commit {c}"),
            })
        };
        let f = merge_hits(hits, false, &describe);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].primary().path, "early.env");
        assert_eq!(f[0].present_at_head, Some(true));
        assert_eq!(f[0].primary().commit.as_ref().unwrap().summary, "commit 3");
    }
}
