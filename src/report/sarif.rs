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

use super::{RenderOptions, RuleInfo, headline, portable_path, primary_index};
use crate::finding::{Finding, Location, Status};
use crate::rules::{Confidence, Severity};
use crate::scan::ScanReport;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

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
    if f.status == Status::Example {
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
pub fn artifact_uri(path: &str) -> (String, bool) {
    let p = portable_path(path);
    if super::is_absolute(&p) {
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

fn artifact_location(path: &str) -> Value {
    let (uri, relative) = artifact_uri(path);
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
        "artifactLocation": artifact_location(&l.path),
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
    let mut message = headline(f);
    if f.status == Status::Leak {
        message.push_str(" — ");
        message.push_str(&super::revoke_sentence(&f.revoke));
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
        "parts": f.locations.iter().map(|l| l.part.as_str()).collect::<Vec<_>>(),
    });
    if let Some(c) = commit_value(primary) {
        props["commit"] = c;
    }
    if let Some(p) = f.present_at_head {
        props["presentAtHead"] = json!(p);
    }
    if let Some(ver) = &f.verification {
        props["verification"] = super::verification_value(ver);
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

fn notification(level: &str, id: &str, text: String, path: Option<&str>) -> Value {
    let mut v = json!({
        "level": level,
        "descriptor": {"id": id},
        "message": {"text": text},
    });
    if let Some(p) = path {
        v["locations"] = json!([{"physicalLocation": {"artifactLocation": artifact_location(p)}}]);
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
        .map(|(id, (f, sev))| rule_value(&RuleInfo::of(id, f), *sev))
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
            Some(&e.path),
        ));
    }
    for s in &report.skipped {
        notes.push(notification(
            "note",
            "tradesecrets/skipped",
            format!("{}: not scanned: {}", s.path, s.reason),
            Some(&s.path),
        ));
    }
    let mut invocation = json!({"executionSuccessful": report.errors.is_empty()});
    if !notes.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notes);
    }
    let version = env!("CARGO_PKG_VERSION");
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
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
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &report_value(report, opts))?;
    writeln!(w)
}

// ---------------------------------------------------------------------------
// primaryLocationLineHash
// ---------------------------------------------------------------------------

/// Characters hashed per line: the line's first 100 characters that are not
/// spaces or tabs, continuing into the following lines when it is shorter.
const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
/// `fingerprints.ts` appends this code unit at the end of the file.
const EOF: u32 = 65535;

/// GitHub's `primaryLocationLineHash` of the given 1-based lines of a file,
/// ported from `hash()` in github/codeql-action `src/fingerprints.ts`.
///
/// That function decodes the file as UTF-8 (invalid bytes become U+FFFD) and
/// walks its UTF-16 code units; it skips spaces and tabs, turns `\r` and
/// `\r\n` into `\n`, and keeps a rolling polynomial hash (base 37, wrapping
/// 64-bit arithmetic) over a window of the last 100 kept code units. A line's
/// hash is the hash of the window that starts at the line's first kept code
/// unit; the end of the file is a 65535 code unit followed by zeros. The value
/// is `<hash in lower-case hex>:<n>`, where `n` counts how many lines so far
/// had the same hash. The hash therefore depends on the line, on up to 100
/// characters after it and on earlier identical lines — never on the path.
///
/// Lines are counted as GitHub counts them (`\n`, `\r\n` and a lone `\r` end
/// a line). Returns the hashes of the `wanted` lines that exist.
pub fn line_hashes(data: &[u8], wanted: &[usize]) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    let Some(&max) = wanted.iter().max() else {
        return out;
    };
    let wanted: std::collections::HashSet<usize> = wanted.iter().copied().collect();
    let text = String::from_utf8_lossy(data);
    let mut h = RollingHash::new();
    let mut counts: HashMap<u64, u32> = HashMap::new();
    let done = std::cell::Cell::new(false);
    let mut emit = |line: usize, hash: u64| {
        let n = counts.entry(hash).or_insert(0);
        *n += 1;
        if wanted.contains(&line) {
            out.insert(line, format!("{hash:x}:{n}"));
        }
        if line >= max {
            done.set(true);
        }
    };
    for unit in text.encode_utf16() {
        h.process(unit as u32, &mut emit);
        if done.get() {
            return out;
        }
    }
    h.process(EOF, &mut emit);
    h.flush(&mut emit);
    out
}

struct RollingHash {
    window: [u32; BLOCK_SIZE],
    line_numbers: [usize; BLOCK_SIZE],
    hash: u64,
    first_mod: u64,
    index: usize,
    line_number: usize,
    line_start: bool,
    prev_cr: bool,
}

const NO_LINE: usize = 0;

impl RollingHash {
    fn new() -> Self {
        RollingHash {
            window: [0; BLOCK_SIZE],
            line_numbers: [NO_LINE; BLOCK_SIZE],
            hash: 0,
            first_mod: (0..BLOCK_SIZE).fold(1u64, |m, _| m.wrapping_mul(MOD)),
            index: 0,
            line_number: 0,
            line_start: true,
            prev_cr: false,
        }
    }

    fn output(&mut self, emit: &mut impl FnMut(usize, u64)) {
        emit(self.line_numbers[self.index], self.hash);
        self.line_numbers[self.index] = NO_LINE;
    }

    fn update(&mut self, current: u32) {
        let begin = self.window[self.index];
        self.window[self.index] = current;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(current as u64)
            .wrapping_sub(self.first_mod.wrapping_mul(begin as u64));
        self.index = (self.index + 1) % BLOCK_SIZE;
    }

    fn process(&mut self, mut current: u32, emit: &mut impl FnMut(usize, u64)) {
        const TAB: u32 = b'\t' as u32;
        const SPACE: u32 = b' ' as u32;
        const LF: u32 = b'\n' as u32;
        const CR: u32 = b'\r' as u32;
        if current == SPACE || current == TAB || (self.prev_cr && current == LF) {
            self.prev_cr = false;
            return;
        }
        if current == CR {
            current = LF;
            self.prev_cr = true;
        } else {
            self.prev_cr = false;
        }
        if self.line_numbers[self.index] != NO_LINE {
            self.output(emit);
        }
        if self.line_start {
            self.line_start = false;
            self.line_number += 1;
            self.line_numbers[self.index] = self.line_number;
        }
        if current == LF {
            self.line_start = true;
        }
        self.update(current);
    }

    fn flush(&mut self, emit: &mut impl FnMut(usize, u64)) {
        for _ in 0..BLOCK_SIZE {
            if self.line_numbers[self.index] != NO_LINE {
                self.output(emit);
            }
            self.update(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, testdata};
    use super::*;

    /// Every line's hash, as GitHub counts lines (a lone `\r` ends one too).
    fn all_hashes(data: &[u8]) -> Vec<String> {
        let n = data.len() + 2;
        let wanted: Vec<usize> = (1..=n).collect();
        let h = line_hashes(data, &wanted);
        (1..=n).filter_map(|l| h.get(&l).cloned()).collect()
    }

    /// Expected values printed by a transcription of `hash()` from
    /// github/codeql-action `src/fingerprints.ts`, run under Node.js with the
    /// `long` package: CRLF, lone CR, tabs, repeated lines (the `:n` count),
    /// lines longer than the 100-character window, a BOM, invalid UTF-8,
    /// non-BMP characters and U+FFFF. No input holds a credential.
    #[test]
    fn line_hash_matches_codeql_action() {
        let long = [[b'y'; 250].as_slice(), b"\n"].concat().repeat(3);
        let long = [long.as_slice(), b"z\n"].concat();
        let vectors: Vec<(&[u8], Vec<&str>)> = vec![
        (
            b"hello\nworld\n".as_slice(),
            vec!["a2b8faa8c5a43ef3:1", "53f9e022cffbf0f1:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\n".as_slice(),
            vec!["3c5bef55b72b93c9:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"abc".as_slice(),
            vec!["cba6a0809d21a39d:1"],
        ),
        (
            b"one\r\ntwo\r\n\r\nthree".as_slice(),
            vec!["22e7ed6e68435b95:1", "b7f8f27b9f3c0ed1:1", "5ff58b2f1ce0cba9:1", "e65cf7c92d5cdd03:1"],
        ),
        (
            b"one\rtwo\r\rthree\n".as_slice(),
            vec!["3e75c7f1c585b24b:1", "c89fdac74a13c027:1", "8f49d77268a1cd9f:1", "bd8bfd8320422591:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"a\r \nb\n".as_slice(),
            vec!["818c3a85b988abe4:1", "bf4c4d48992e2ca5:1", "ade70578248be16f:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\t\tkey = value\n  \t  other\n".as_slice(),
            vec!["bc195d95aeab8fc4:1", "90d7f71d640f3bc3:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"same\nsame\nsame\n\nsame\nsame\n".as_slice(),
            vec!["3f777e061d0b80ed:1", "c6106fd57852e129:1", "a6d7ed9d62740b15:1", "c3cf7fc9cfa5e471:1", "54dd522503d971eb:1", "930af01a65e2307f:1", "c129715d7a2bc9a3:1"],
        ),
        (
            long.as_slice(),
            vec!["cadd4b5b9d92c51c:1", "cadd4b5b9d92c51c:2", "cadd4b5b9d92c51c:3", "95de0951c928fa27:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\xef\xbb\xbfhello\nworld\n".as_slice(),
            vec!["291af76e7ebb97da:1", "53f9e022cffbf0f1:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"ok\n\xff\xfe bad \xc3\n\xe2\x82 trunc\nend\n".as_slice(),
            vec!["91082d729686a5c3:1", "ec1607b51f0fc4bf:1", "813bd38b2ca7f26f:1", "fe2be582c6296f40:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"na\xc3\xafve \xf0\x9f\x98\x80 line\n\xe7\xac\xac\xe4\xba\x8c\xe8\xa1\x8c\n".as_slice(),
            vec!["7b30a4ec54128e99:1", "31daf85439f3bd81:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\r\n:".as_slice(),
            vec!["53257668306b6a27:1", "c49f7090065c539:1"],
        ),
        (
            b":    a\xef\xbb\xbf\ta  \t  \xef\xbf\xbf b\xf0\x9f\x98\x80\xef\xbf\xbf b\r\n\n\rb \xef\xbb\xbfa=\xef\xbb\xbf\xf0\x9f\x98\x80\n\r\xef\xbb\xbf\xef\xbf\xbf\r\n\r\n\xef\xbb\xbf  : config\xef\xbb\xbf\xf0\x9f\x98\x80=\r\n:=\n\xc3\xa9   xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  \r  \xef\xbb\xbf\r\n config\xef\xbf\xbf\t\r\n\t:config\xf0\x9f\x98\x80:\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xf0\x9f\x98\x80=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxa\xf0\x9f\x98\x80\xef\xbb\xbf\xef\xbb\xbfaconfig\xf0\x9f\x98\x80\xc3\xa9= \r\n =\r\rb\t\r  :\rconfig  \xef\xbf\xbf\xf0\x9f\x98\x80=\rb\t:=\ra=\r=\r\n=\r \xef\xbb\xbfa\xf0\x9f\x98\x80:\r  b\r\n \t\rb\t\n\xc3\xa9\xc3\xa9\n\xc3\xa9\xef\xbb\xbf\t\rxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxa\rbaa\n\xef\xbf\xbf\r\n\xef\xbb\xbf :\xef\xbf\xbfconfig\xc3\xa9\n".as_slice(),
            vec!["82293a7270c8e3d6:1", "1ca2552414c625c7:1", "2b5628310183bb96:1", "4b53a90f38ea6844:1", "594e9c16ef43779b:1", "f03c694a959fb775:1", "e4f2b63de74ee9bd:1", "1ef430ec6f47365f:1", "569cc1397df5bb59:1", "8203d3dbe14eb428:1", "4a9bd8815a8dd853:1", "b6cfb23818f75f96:1", "2fde7e456bae50b3:1", "7a067ec0f3c0b4c2:1", "279feb87d712983e:1", "928743ea81e4eff2:1", "356caadec6f71b8f:1", "7adaf33809969f34:1", "3831d404cf7249c9:1", "edc304ab4e184804:1", "9dc4857066b73395:1", "dd40a8b5b26cb44d:1", "db1aee2486c4ee1a:1", "5f583bd21292075f:1", "3d0b48080f57b796:1", "3a1164fc16380032:1", "6c63726936f774d0:1", "688c0688fb72eb5c:1", "8300b98e983bb234:1", "3ce67c598ceb7b5e:1", "168a77fa2421598f:1", "aa9b18bf414f135d:1", "68a7f3dbec94b140:1", "c129715d7a2bc9a3:1"],
        ),
        ];
        for (input, expected) in vectors {
            assert_eq!(all_hashes(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn line_hash_ignores_path_and_early_exit_agrees() {
        let text = b"a = 1\nb = 2\n\n  key = x\nb = 2\n";
        let all = line_hashes(text, &[1, 2, 3, 4, 5]);
        let one = line_hashes(text, &[4]);
        assert_eq!(all[&4], one[&4]);
        // The same line content twice: the count tells them apart.
        assert!(all[&2].ends_with(":1"));
        assert_eq!(line_hashes(b"", &[]).len(), 0);
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            artifact_uri("./deploy/my app/.env").0,
            "deploy/my%20app/.env"
        );
        assert_eq!(artifact_uri("a\\b#1%.env").0, "a/b%231%25.env");
        assert_eq!(artifact_uri("c:x").0, "c%3Ax");
        assert_eq!(artifact_uri("é.env").0, "%C3%A9.env");
        let (uri, relative) = artifact_uri("/nonexistent-root/x y");
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
        assert!(testdata::render(Format::Sarif, false).ends_with("}\n"));
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
