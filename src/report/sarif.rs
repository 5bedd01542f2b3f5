//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers.
//!
//! Built with `serde_json` directly rather than a typed SARIF model: the
//! parts GitHub reads are few, most of what we write lives in property bags,
//! and the tests validate every document against the official schema
//! (`tests/schema/sarif-schema-2.1.0.json`), which is what a typed model
//! would have bought.
//!
//! What GitHub reads, and how we fill it:
//! - `tool.driver`: name, semanticVersion, informationUri and one rule per
//!   rule id reported (`properties.security-severity` decides the alert's
//!   severity, `precision` and `tags` its filters, `help` its help pane).
//! - each result: `ruleId`/`ruleIndex`, `level`, a redacted message, one
//!   primary location relative to `%SRCROOT%` with an exclusive `endColumn`
//!   (never 0), the other parts of a paired credential as `relatedLocations`,
//!   and `partialFingerprints.primaryLocationLineHash` computed exactly as
//!   `github/codeql-action` (`src/fingerprints.ts`) would compute it from the
//!   scanned content, so that an upload keeps our value and alerts are
//!   tracked across runs. `tradesecrets/v1` is our content fingerprint
//!   (rule + hash of the secret), stable across paths, runs and platforms.
//! - `invocations[0]`: `executionSuccessful` (false when a file could not be
//!   read, as the exit code 2 says) and one notification per error, skipped
//!   file, and truncation: GitHub accepts at most 25,000 results per run.

use super::common::{RuleInfo, headline_in, portable_path, primary_index};
use super::options::RenderOptions;
use crate::finding::ScanReport;
use crate::finding::{Finding, Location, Status};
use crate::rules::{Confidence, Severity};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub code scanning rejects runs with more results.
pub const MAX_RESULTS: usize = 25_000;
/// Longest source line quoted in a `contextRegion` snippet.
const MAX_CONTEXT_CHARS: usize = 400;

/// GitHub's `security-severity` scores (critical ≥ 9.0, high ≥ 7.0, medium
/// ≥ 4.0, low below).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

pub fn level(f: &Finding) -> &'static str {
    if f.status != Status::Leak {
        return "note";
    }
    severity_level(f.severity)
}

fn severity_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn precision(c: Confidence) -> &'static str {
    c.as_str()
}

/// A relative path as a URI reference: forward slashes, every byte outside
/// RFC 3986's unreserved set and `/` percent-encoded (spaces, `%`, `#`, `?`,
/// `:` — which would otherwise read as a scheme — and non-ASCII as UTF-8).
/// Absolute paths outside the current directory become `file://` URIs.
pub fn artifact_uri(path: &str, cwd: Option<&Path>) -> (String, bool) {
    let p = portable_path(path, cwd);
    if super::common::is_absolute(&p) {
        let p = if p.starts_with('/') {
            p
        } else {
            format!("/{p}")
        };
        return (format!("file://{}", percent_encode(&p)), false);
    }
    (percent_encode(&p), true)
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact_location(path: &str, cwd: Option<&Path>) -> Value {
    let (uri, relative) = artifact_uri(path, cwd);
    if relative {
        json!({"uri": uri, "uriBaseId": "%SRCROOT%"})
    } else {
        json!({"uri": uri})
    }
}

fn physical_location(l: &Location, opts: &RenderOptions) -> Value {
    let start_column = l.column.max(1);
    let end_line = l.end_line.max(l.line);
    let mut end_column = l.end_column.max(1);
    if end_line == l.line && end_column <= start_column {
        end_column = start_column + 1;
    }
    let snippet = if opts.show_secrets {
        &l.secret
    } else {
        &l.redacted
    };
    let mut v = json!({
        "artifactLocation": artifact_location(&l.path, opts.cwd.as_deref()),
        "region": {
            "startLine": l.line.max(1),
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "snippet": {"text": snippet},
        },
    });
    let line = if opts.show_secrets {
        l.line_text.clone()
    } else {
        l.redacted_line()
    };
    if end_line == l.line && line.chars().count() <= MAX_CONTEXT_CHARS {
        v["contextRegion"] = json!({
            "startLine": l.line.max(1),
            "endLine": l.line.max(1),
            "snippet": {"text": line},
        });
    }
    v
}

fn commit_value(l: &Location) -> Option<Value> {
    l.commit
        .as_ref()
        .map(|c| json!({"sha": c.sha, "author": c.author, "date": c.date, "summary": c.summary}))
}

fn rule_value(info: &RuleInfo, severity: Severity) -> Value {
    let kind = match info.venue_id.as_str() {
        crate::rules::WALLET => "wallet",
        crate::rules::GENERIC => "generic",
        _ => "exchange",
    };
    let mut tags = vec![
        "security".to_string(),
        "secret".to_string(),
        kind.to_string(),
        "external/cwe/cwe-798".to_string(),
    ];
    if !matches!(kind, "wallet" | "generic") {
        tags.push(info.venue_id.clone());
    }
    let title = info.title();
    let refs_text: String = info.references.iter().map(|u| format!("\n- {u}")).collect();
    let refs_md: String = info
        .references
        .iter()
        .map(|u| format!("\n- <{u}>"))
        .collect();
    let mut text = format!(
        "{}\n\nWhy it matters: {}\n\nHow to revoke: {}",
        info.description,
        info.danger(),
        info.remedy()
    );
    let mut markdown = format!(
        "**Leaked {title}**\n\n{}\n\n### Why it matters\n\n{}\n\n### How to revoke\n\n{}",
        info.description,
        info.danger(),
        info.remedy()
    );
    if !info.references.is_empty() {
        text.push_str(&format!("\n\nReferences:{refs_text}"));
        markdown.push_str(&format!("\n\n### References\n{refs_md}"));
    }
    let mut v = json!({
        "id": info.id,
        "name": pascal_case(&info.id),
        "shortDescription": {"text": format!("Leaked {title}")},
        "fullDescription": {"text": info.description},
        "defaultConfiguration": {"level": severity_level(severity)},
        "help": {"text": text, "markdown": markdown},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(severity),
            "precision": precision(info.confidence),
        },
    });
    if let Some(u) = info.references.first() {
        v["helpUri"] = json!(u);
    }
    v
}

/// `binance.secret-key` -> `BinanceSecretKey`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn result_value(f: &Finding, rule_index: usize, opts: &RenderOptions) -> Value {
    let pi = primary_index(f);
    let primary = &f.locations[pi];
    let mut message = headline_in(f, opts);
    if f.status == Status::Leak {
        message.push_str(" — ");
        message.push_str(&super::common::revoke_sentence(&f.revoke));
    }
    let related: Vec<Value> = f
        .locations
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != pi)
        .enumerate()
        .map(|(n, (_, l))| {
            let mut v = json!({
                "id": n + 1,
                "physicalLocation": physical_location(l, opts),
                "message": {"text": format!("{} {} ({}): {}", f.venue, l.part.as_str(), l.rule_id, l.redacted)},
            });
            if let Some(c) = commit_value(l).filter(|_| l.commit != primary.commit) {
                v["properties"] = json!({"commit": c});
            }
            v
        })
        .collect();
    let mut partial = Map::new();
    if let Some(h) = &primary.line_hash {
        partial.insert("primaryLocationLineHash".into(), json!(h));
    }
    partial.insert("tradesecrets/v1".into(), json!(f.fingerprint));
    let mut props = json!({
        "venue": f.venue,
        "confidence": f.confidence.as_str(),
        "severity": f.severity.as_str(),
        "status": f.status.as_str(),
        "context": primary.context.as_str(),
        "parts": f.locations.iter().map(|l| l.part.as_str()).collect::<Vec<_>>(),
    });
    if let Some(c) = commit_value(primary) {
        props["commit"] = c;
    }
    if let Some(p) = f.present_at_head {
        props["presentAtHead"] = json!(p);
    }
    if let Some(r) = &f.repository {
        props["repository"] = json!(r);
    }
    if let Some(ver) = &f.verification {
        props["verification"] = super::common::verification_value(ver);
    }
    let mut v = json!({
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(f),
        "message": {"text": message},
        "locations": [{"physicalLocation": physical_location(primary, opts)}],
    });
    if !related.is_empty() {
        v["relatedLocations"] = json!(related);
    }
    v["partialFingerprints"] = Value::Object(partial);
    v["fingerprints"] = json!({"tradesecrets/v1": f.fingerprint});
    v["properties"] = props;
    v
}

fn notification(level: &str, id: &str, text: String, path: Option<(&str, Option<&Path>)>) -> Value {
    let mut v = json!({
        "level": level,
        "descriptor": {"id": id},
        "message": {"text": text},
    });
    if let Some((p, cwd)) = path {
        v["locations"] =
            json!([{"physicalLocation": {"artifactLocation": artifact_location(p, cwd)}}]);
    }
    v
}

pub fn report_value(report: &ScanReport, opts: &RenderOptions) -> Value {
    let findings = &report.findings[..report.findings.len().min(MAX_RESULTS)];
    // One rule per rule id reported, sorted by id; a rule's severity is the
    // highest of its results (a secret with its key is critical, alone high).
    let mut by_rule: BTreeMap<&str, (&Finding, Severity)> = BTreeMap::new();
    for f in findings {
        let e = by_rule.entry(f.rule_id.as_str()).or_insert((f, f.severity));
        e.1 = e.1.max(f.severity);
    }
    let index: HashMap<&str, usize> = by_rule.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let rules: Vec<Value> = by_rule
        .iter()
        .map(|(id, (f, sev))| rule_value(&RuleInfo::of(id, f, opts.rules.as_deref()), *sev))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| result_value(f, index[f.rule_id.as_str()], opts))
        .collect();

    let mut notes = Vec::new();
    if report.findings.len() > MAX_RESULTS {
        notes.push(notification(
            "warning",
            "tradesecrets/results-truncated",
            format!(
                "{} findings; only the first {MAX_RESULTS} are in this SARIF run (GitHub's limit). Use --format json for all of them.",
                report.findings.len()
            ),
            None,
        ));
    }
    for e in &report.errors {
        notes.push(notification(
            "error",
            "tradesecrets/read-error",
            format!("{}: {}", e.path, e.message),
            Some((&e.path, opts.cwd.as_deref())),
        ));
    }
    for s in &report.skipped {
        notes.push(notification(
            "note",
            "tradesecrets/skipped",
            format!("{}: not scanned: {}", s.path, s.reason),
            Some((&s.path, opts.cwd.as_deref())),
        ));
    }
    let mut invocation = json!({"executionSuccessful": report.errors.is_empty()});
    if !notes.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notes);
    }
    let version = env!("CARGO_PKG_VERSION");
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "tradesecrets",
                "fullName": format!("tradesecrets {version}"),
                "version": version,
                "semanticVersion": version,
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }
        },
        "invocations": [invocation],
    });
    if let Some(kind) = opts.kind {
        // GitHub files a run under the id's part before the last `/`.
        run["automationDetails"] = json!({"id": format!("tradesecrets/{kind}/")});
    }
    if !opts.provenance.is_empty() {
        let details: Vec<Value> = opts
            .provenance
            .iter()
            .map(|vc| {
                let mut d = json!({"repositoryUri": vc.repository_uri});
                if let Some(r) = &vc.revision_id {
                    d["revisionId"] = json!(r);
                }
                if let Some(b) = &vc.branch {
                    d["branch"] = json!(b);
                }
                d
            })
            .collect();
        run["versionControlProvenance"] = json!(details);
    }
    run["columnKind"] = json!("unicodeCodePoints");
    run["results"] = json!(results);
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &report_value(report, opts))?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            artifact_uri("./deploy/my app/.env", None).0,
            "deploy/my%20app/.env"
        );
        assert_eq!(artifact_uri("a\\b#1%.env", None).0, "a/b%231%25.env");
        assert_eq!(artifact_uri("c:x", None).0, "c%3Ax");
        assert_eq!(artifact_uri("é.env", None).0, "%C3%A9.env");
        let (uri, relative) = artifact_uri("/nonexistent-root/x y", None);
        assert!(!relative);
        assert_eq!(uri, "file:///nonexistent-root/x%20y");
    }

    #[test]
    fn document_shape() {
        let (report, secrets) = testdata::report();
        let v = report_value(&report, &RenderOptions::default());
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "tradesecrets");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0]["id"], "binance.secret-key");
        assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
        assert_eq!(rules[0]["properties"]["precision"], "high");
        let tags = rules[0]["properties"]["tags"].as_array().unwrap();
        assert!(tags.contains(&json!("binance")) && tags.contains(&json!("exchange")));
        let r = &run["results"][0];
        assert_eq!(r["level"], "error");
        assert_eq!(r["ruleIndex"], 0);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "deploy/my%20app/.env");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 2);
        assert_eq!(loc["region"]["startColumn"], 20);
        assert_eq!(loc["region"]["endColumn"], 84);
        assert_eq!(
            r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_string());
        assert_eq!(
            r["partialFingerprints"]["tradesecrets/v1"],
            json!(report.findings[0].fingerprint)
        );
        let h = &run["results"][1];
        assert_eq!(h["properties"]["presentAtHead"], false);
        assert_eq!(h["properties"]["commit"]["sha"].as_str().unwrap().len(), 40);
        let inv = &run["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let notes = inv["toolExecutionNotifications"].as_array().unwrap();
        assert!(notes.iter().any(|n| {
            n["level"] == "error"
                && n["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("secrets/locked.env")
        }));
        let text = v.to_string();
        for s in &secrets {
            assert!(!text.contains(s.as_str()));
        }
    }

    #[test]
    fn show_secrets_puts_values_in_snippets_only() {
        let (report, secrets) = testdata::report();
        let opts = RenderOptions {
            show_secrets: true,
            ..Default::default()
        };
        let v = report_value(&report, &opts);
        let text = v.to_string();
        for s in &secrets {
            assert!(text.contains(s.as_str()));
        }
        for r in v["runs"][0]["results"].as_array().unwrap() {
            let m = r["message"]["text"].as_str().unwrap();
            assert!(secrets.iter().all(|s| !m.contains(s.as_str())), "{m}");
        }
        assert!(testdata::render(render, false).ends_with("}\n"));
    }

    #[test]
    fn truncates_at_github_limit() {
        let (mut report, _) = testdata::report();
        let f = report.findings[0].clone();
        report.findings = vec![f; MAX_RESULTS + 3];
        let v = report_value(&report, &RenderOptions::default());
        assert_eq!(
            v["runs"][0]["results"].as_array().unwrap().len(),
            MAX_RESULTS
        );
        let notes = v["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(
            notes[0]["descriptor"]["id"],
            "tradesecrets/results-truncated"
        );
    }

    #[test]
    fn columns_are_never_zero() {
        let (mut report, _) = testdata::report();
        let l = &mut report.findings[0].locations[1];
        l.column = 0;
        l.end_column = 0;
        let v = report_value(&report, &RenderOptions::default());
        let region = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 1);
        assert_eq!(region["endColumn"], 2);
        assert_eq!(pascal_case("binance.secret-key"), "BinanceSecretKey");
    }
}
