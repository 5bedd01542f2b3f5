//! `--format json` and `--format jsonl`. The schema is documented in the
//! README and pinned by `tests/schema/report.schema.json`.

use super::options::RenderOptions;
use crate::finding::{
    CommitInfo, Finding, Hit, Include, Location, ScanError, ScanReport, Shard, Skipped,
    SuppressReason, Verdict, Verification, VersionControl,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const VERSION: u32 = 1;

pub fn finding_value(f: &Finding, opts: &RenderOptions) -> Value {
    let locations: Vec<Value> = f
        .locations
        .iter()
        .map(|l| {
            let mut v = json!({
                "rule_id": l.rule_id,
                "part": l.part.as_str(),
                "path": l.path,
                "line": l.line,
                "column": l.column,
                "end_line": l.end_line,
                "end_column": l.end_column,
                "redacted": l.redacted,
                "context": l.context.as_str(),
                "excerpt": l.redacted_line(),
            });
            if let Some(h) = &l.line_hash {
                v["line_hash"] = json!(h);
            }
            if opts.show_secrets {
                v["secret"] = json!(l.secret);
            }
            if let Some(c) = &l.commit {
                v["commit"] = commit_value(c);
            }
            v
        })
        .collect();
    let mut v = json!({
        "rule_id": f.rule_id,
        "venue": f.venue,
        "venue_id": f.venue_id,
        "confidence": f.confidence.as_str(),
        "severity": f.severity.as_str(),
        "status": f.status.as_str(),
        "fingerprint": f.fingerprint,
        "description": f.description,
        "revoke": f.revoke,
        "locations": locations,
    });
    if f.testnet {
        v["testnet"] = json!(true);
    }
    if let Some(r) = &f.repository {
        v["repository"] = json!(r);
    }
    if let Some(p) = f.present_at_head {
        v["present_at_head"] = json!(p);
    }
    if let Some(ver) = &f.verification
        && let Value::Object(fields) = super::common::verification_value(ver)
    {
        for (k, x) in fields {
            v[k] = x;
        }
    }
    v
}

fn commit_value(c: &CommitInfo) -> Value {
    json!({"sha": c.sha, "author": c.author, "date": c.date, "summary": c.summary})
}

fn error_value(e: &ScanError) -> Value {
    let mut v = json!({"path": e.path, "message": e.message});
    if let Some(r) = &e.repository {
        v["repository"] = json!(r);
    }
    v
}

fn skipped_value(e: &Skipped) -> Value {
    let mut v = json!({"path": e.path, "reason": e.reason});
    if let Some(r) = &e.repository {
        v["repository"] = json!(r);
    }
    v
}

/// A shard's hits and what else `merge` needs of it. Secrets are named by
/// digest only, whatever `show_secrets` says.
fn shard_value(s: &Shard) -> Value {
    let quiet = RenderOptions::default();
    let hits: Vec<Value> = s
        .hits
        .iter()
        .map(|h| {
            let mut f = finding_value(&h.finding, &quiet);
            for (v, l) in f["locations"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .zip(&h.finding.locations)
            {
                v["secret_forms"] = json!(crate::finding::digested(&l.secret));
            }
            json!({"commit": h.commit, "added": h.added, "at_tip": h.at_tip, "finding": f})
        })
        .collect();
    json!({
        "repository": s.repository,
        "index": s.index,
        "count": s.count,
        "walk": s.walk,
        "include": include_value(s.include),
        "hits": hits,
        "commits": s.commits.iter().map(|(i, c)| {
            let mut v = commit_value(c);
            v["index"] = json!(i);
            v
        }).collect::<Vec<_>>(),
        "suppressed": s.suppressed.iter().map(|(r, f)| json!({"reason": r.as_str(), "fingerprint": f})).collect::<Vec<_>>(),
        "files_scanned": s.files_scanned,
        "bytes_scanned": s.bytes_scanned,
        "elapsed_ms": s.elapsed_ms,
        "errors": s.errors.iter().map(error_value).collect::<Vec<_>>(),
        "skipped": s.skipped.iter().map(skipped_value).collect::<Vec<_>>(),
    })
}

fn include_value(i: Include) -> Value {
    json!({"examples": i.examples, "fixtures": i.fixtures, "vendored": i.vendored})
}

pub fn report_value(report: &ScanReport, opts: &RenderOptions) -> Value {
    let s = &report.stats;
    let mut head = json!({
        "version": VERSION,
        "tool": {"name": "tradesecrets", "version": env!("CARGO_PKG_VERSION")},
    });
    if let Some(k) = opts.kind {
        head["kind"] = json!(k);
    }
    if !opts.provenance.is_empty() {
        head["version_control"] = opts
            .provenance
            .iter()
            .map(|vc| {
                json!({"repository_uri": vc.repository_uri, "revision_id": vc.revision_id, "branch": vc.branch})
            })
            .collect();
    }
    let mut v = json!({
        "findings": report.findings.iter().map(|f| finding_value(f, opts)).collect::<Vec<_>>(),
        "stats": {
            "files_scanned": s.files_scanned,
            "bytes_scanned": s.bytes_scanned,
            "files_skipped": s.files_skipped,
            "errors": s.errors,
            "elapsed_ms": s.elapsed_ms,
            "suppressed": s.suppressed,
            "suppressed_by": {
                "config": s.suppressed_by.config,
                "inline": s.suppressed_by.inline,
                "baseline": s.suppressed_by.baseline,
            },
            "hidden": {
                "example": s.hidden.example,
                "fixture": s.hidden.fixture,
                "vendored": s.hidden.vendored,
            },
        },
        "errors": report.errors.iter().map(error_value).collect::<Vec<_>>(),
        "skipped": report.skipped.iter().map(skipped_value).collect::<Vec<_>>(),
    });
    if !report.shards.is_empty() {
        v["shards"] = report.shards.iter().map(shard_value).collect();
    }
    if let (Value::Object(h), Value::Object(rest)) = (&mut head, v) {
        h.extend(rest);
    }
    head
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &report_value(report, opts))?;
    writeln!(w)
}

pub fn render_lines(
    report: &ScanReport,
    opts: &RenderOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    for f in &report.findings {
        serde_json::to_writer(&mut *w, &finding_value(f, opts))?;
        writeln!(w)?;
    }
    Ok(())
}

/// A JSON report read back ([`parse`]): the report (secrets are never
/// in it: a location's `secret` is empty, or a shard's digest stand-in)
/// and what it says of the scan.
#[derive(Debug, Default)]
pub struct Parsed {
    pub report: ScanReport,
    /// `scan`, `git` or `hook`, when the report says.
    pub kind: Option<String>,
    pub version_control: Vec<VersionControl>,
}

/// Reads a report `--format json` wrote with this version of tradesecrets.
/// A report of another version, a JSON Lines report, a truncated or
/// damaged file is an error that says which.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            format!("truncated: the JSON ends early ({e})")
        } else if text.trim_start().starts_with('{')
            && text.trim().lines().count() > 1
            && text.lines().all(|l| {
                l.trim().is_empty()
                    || l.trim_start().starts_with('{') && l.trim_end().ends_with('}')
            })
        {
            "a JSON Lines report holds findings only; merge reports written with --format json"
                .to_string()
        } else {
            format!("not a JSON report: {e}")
        }
    })?;
    let o = v
        .as_object()
        .ok_or("not a tradesecrets report: not a JSON object")?;
    let tool = o
        .get("tool")
        .and_then(|t| t.get("version"))
        .and_then(Value::as_str);
    let name = o
        .get("tool")
        .and_then(|t| t.get("name"))
        .and_then(Value::as_str);
    if name != Some("tradesecrets") || o.get("findings").is_none() {
        return Err("not a tradesecrets JSON report (no `tool` or `findings`)".into());
    }
    let version = o.get("version").and_then(Value::as_u64);
    if version != Some(VERSION as u64) {
        return Err(format!(
            "report schema version {}, this tradesecrets reads version {VERSION}",
            version.map_or("unknown".into(), |v| v.to_string())
        ));
    }
    let ours = env!("CARGO_PKG_VERSION");
    if tool != Some(ours) {
        return Err(format!(
            "written by tradesecrets {}, this is {ours}: merge reports of one version (rules and fingerprints change between versions)",
            tool.unwrap_or("unknown")
        ));
    }
    let mut report = ScanReport::default();
    for f in arr(o, "findings")? {
        report.findings.push(finding(f)?);
    }
    let st = o.get("stats").ok_or("no `stats`")?;
    let n = |k: &str| st.get(k).and_then(Value::as_u64).unwrap_or(0);
    let s = &mut report.stats;
    s.files_scanned = n("files_scanned");
    s.bytes_scanned = n("bytes_scanned");
    s.files_skipped = n("files_skipped");
    s.errors = n("errors");
    s.elapsed_ms = n("elapsed_ms");
    s.suppressed = n("suppressed");
    // Three counts of one object of `stats`, by name.
    let three = |key: &str, names: [&str; 3]| -> Option<[u64; 3]> {
        let b = st.get(key)?;
        Some(names.map(|k| b.get(k).and_then(Value::as_u64).unwrap_or(0)))
    };
    if let Some([config, inline, baseline]) =
        three("suppressed_by", ["config", "inline", "baseline"])
    {
        s.suppressed_by = crate::finding::Counts {
            config,
            inline,
            baseline,
        };
    }
    if let Some([example, fixture, vendored]) = three("hidden", ["example", "fixture", "vendored"])
    {
        s.hidden = crate::finding::Hidden {
            example,
            fixture,
            vendored,
        };
    }
    report.errors = errors(o)?;
    report.skipped = skipped(o)?;
    if let Some(sh) = o.get("shards") {
        for x in sh.as_array().ok_or("`shards` is not a list")? {
            report.shards.push(shard(x)?);
        }
    }
    let version_control = match o.get("version_control") {
        None => Vec::new(),
        Some(l) => l
            .as_array()
            .ok_or("`version_control` is not a list")?
            .iter()
            .map(|x| {
                Ok(VersionControl {
                    repository_uri: string(x, "repository_uri")?,
                    revision_id: opt_string(x, "revision_id"),
                    branch: opt_string(x, "branch"),
                })
            })
            .collect::<Result<_, String>>()?,
    };
    Ok(Parsed {
        report,
        kind: o.get("kind").and_then(Value::as_str).map(str::to_string),
        version_control,
    })
}

fn arr<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a Vec<Value>, String> {
    match o.get(k) {
        None => Ok(const { &Vec::new() }),
        Some(v) => v.as_array().ok_or_else(|| format!("`{k}` is not a list")),
    }
}

fn string(v: &Value, k: &str) -> Result<String, String> {
    opt_string(v, k).ok_or_else(|| format!("a `{k}` is missing or not a string"))
}

fn number(v: &Value, k: &str) -> Result<u64, String> {
    v.get(k)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("a `{k}` is missing or not a number"))
}

fn named<T: serde::de::DeserializeOwned>(v: &Value, k: &str) -> Result<T, String> {
    v.get(k)
        .cloned()
        .and_then(|x| serde_json::from_value(x).ok())
        .ok_or_else(|| format!("a `{k}` is missing or not one this version knows"))
}

fn commit(c: &Value) -> Result<CommitInfo, String> {
    Ok(CommitInfo {
        sha: string(c, "sha")?,
        author: string(c, "author")?,
        date: string(c, "date")?,
        summary: string(c, "summary")?,
    })
}

fn location(l: &Value) -> Result<Location, String> {
    let part = string(l, "part")?;
    Ok(Location {
        rule_id: string(l, "rule_id")?,
        part: crate::rules::Part::parse(&part).ok_or_else(|| format!("unknown part `{part}`"))?,
        path: string(l, "path")?,
        line: number(l, "line")? as usize,
        column: number(l, "column")? as usize,
        end_line: number(l, "end_line")? as usize,
        end_column: number(l, "end_column")? as usize,
        redacted: string(l, "redacted")?,
        // A report read back never holds a value; a shard names it by digest.
        secret: l
            .get("secret_forms")
            .and_then(Value::as_str)
            .filter(|s| s.starts_with(crate::finding::digest::DIGESTED))
            .unwrap_or_default()
            .to_string(),
        line_text: String::new(),
        line_redacted: opt_string(l, "excerpt").unwrap_or_default(),
        commit: l.get("commit").map(commit).transpose()?,
        context: named(l, "context")?,
        line_hash: opt_string(l, "line_hash"),
    })
}

fn finding(f: &Value) -> Result<Finding, String> {
    let locations = f
        .get("locations")
        .and_then(Value::as_array)
        .filter(|l| !l.is_empty())
        .ok_or("a finding without locations")?
        .iter()
        .map(location)
        .collect::<Result<Vec<_>, _>>()?;
    let verification = match f.get("verification").and_then(Value::as_str) {
        None => None,
        Some(v) => Some(Verification {
            verdict: Verdict::parse(v).ok_or_else(|| format!("unknown verification `{v}`"))?,
            permissions: f
                .get("permissions")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            ip_restricted: f.get("ip_restricted").and_then(Value::as_bool),
            critical: f.get("critical").and_then(Value::as_bool).unwrap_or(false),
            host: opt_string(f, "verification_host").unwrap_or_default(),
            detail: opt_string(f, "verification_detail").unwrap_or_default(),
            testnet: f
                .get("verification_testnet")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }),
    };
    Ok(Finding {
        rule_id: string(f, "rule_id")?,
        venue: string(f, "venue")?,
        venue_id: string(f, "venue_id")?,
        confidence: named(f, "confidence")?,
        severity: named(f, "severity")?,
        status: named(f, "status")?,
        fingerprint: string(f, "fingerprint")?,
        description: string(f, "description")?,
        revoke: string(f, "revoke")?,
        locations,
        present_at_head: f.get("present_at_head").and_then(Value::as_bool),
        verification,
        testnet: f.get("testnet").and_then(Value::as_bool).unwrap_or(false),
        repository: repository(f),
    })
}

/// `v[k]` when it is a string.
fn opt_string(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn repository(v: &Value) -> Option<String> {
    opt_string(v, "repository")
}

/// The `key` list of records with a path, a `field` and a repository.
fn path_records<T>(
    o: &Map<String, Value>,
    key: &str,
    field: &str,
    make: fn(String, String, Option<String>) -> T,
) -> Result<Vec<T>, String> {
    arr(o, key)?
        .iter()
        .map(|e| Ok(make(string(e, "path")?, string(e, field)?, repository(e))))
        .collect()
}

fn errors(o: &Map<String, Value>) -> Result<Vec<ScanError>, String> {
    path_records(o, "errors", "message", |path, message, repository| {
        ScanError {
            path,
            message,
            repository,
        }
    })
}

fn skipped(o: &Map<String, Value>) -> Result<Vec<Skipped>, String> {
    path_records(o, "skipped", "reason", |path, reason, repository| Skipped {
        path,
        reason,
        repository,
    })
}

fn shard(v: &Value) -> Result<Shard, String> {
    let o = v.as_object().ok_or("a shard is not an object")?;
    let flag = |i: &Value, k: &str| i.get(k).and_then(Value::as_bool).unwrap_or(false);
    let inc = v.get("include").ok_or("a shard without `include`")?;
    let mut hits = Vec::new();
    for h in arr(o, "hits")? {
        hits.push(Hit {
            finding: finding(h.get("finding").ok_or("a hit without its finding")?)?,
            commit: number(h, "commit")? as usize,
            added: flag(h, "added"),
            at_tip: flag(h, "at_tip"),
        });
    }
    let mut commits = BTreeMap::new();
    for c in arr(o, "commits")? {
        commits.insert(number(c, "index")? as usize, commit(c)?);
    }
    let mut suppressed = Vec::new();
    for s in arr(o, "suppressed")? {
        let r = string(s, "reason")?;
        let reason = SuppressReason::ALL
            .into_iter()
            .find(|x| x.as_str() == r)
            .ok_or_else(|| format!("unknown suppression reason `{r}`"))?;
        suppressed.push((reason, string(s, "fingerprint")?));
    }
    Ok(Shard {
        index: number(v, "index")? as u32,
        count: number(v, "count")? as u32,
        repository: repository(v),
        walk: string(v, "walk")?,
        include: Include {
            examples: flag(inc, "examples"),
            fixtures: flag(inc, "fixtures"),
            vendored: flag(inc, "vendored"),
        },
        hits,
        commits,
        suppressed,
        errors: errors(o)?,
        skipped: skipped(o)?,
        files_scanned: number(v, "files_scanned")?,
        bytes_scanned: number(v, "bytes_scanned")?,
        elapsed_ms: number(v, "elapsed_ms")?,
    })
}
