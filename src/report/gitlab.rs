//! `--format gitlab`: GitLab's secret-detection report (security report
//! schema 15.0.7), for `artifacts: reports: secret_detection:`.
//!
//! One vulnerability per finding, located at its most sensitive part; the
//! other parts are listed in `details`. `id` is a UUID derived from the
//! content fingerprint and the location, so the same finding has the same id
//! in every run. `location.commit.sha` is the introducing commit for history
//! findings and `0000000` otherwise (as GitLab's own analyzer writes it).
//! `raw_source_code_extract` holds the credential's lines, redacted — raw
//! only with `--show-secrets`.

use super::common::{RuleInfo, headline_in, portable_path, primary_index, severity_title};
use super::options::RenderOptions;
use crate::finding::ScanReport;
use crate::finding::{Finding, Location};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const SCHEMA_VERSION: &str = "15.0.7";
pub const SCHEMA_URI: &str = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/secret-detection-report-format.json";
const NO_COMMIT: &str = "0000000";
const CWE_798: &str = "https://cwe.mitre.org/data/definitions/798.html";

/// `yyyy-mm-ddThh:mm:ss` in UTC, as the schema wants it.
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A stable UUID (version 8, RFC 9562) for one finding at one place.
fn vulnerability_id(f: &Finding, l: &Location, cwd: Option<&std::path::Path>) -> String {
    let sha = l.commit.as_ref().map(|c| c.sha.as_str()).unwrap_or("");
    let h = crate::codec::sha256_hex(
        format!(
            "tradesecrets:gitlab:v1\0{}\0{}\0{}\0{}\0{sha}",
            f.fingerprint,
            portable_path(&l.path, cwd),
            l.line,
            l.column
        )
        .as_bytes(),
    );
    let mut c: Vec<char> = h[..32].chars().collect();
    c[12] = '8';
    c[16] = ['8', '9', 'a', 'b'][c[16].to_digit(16).unwrap_or(0) as usize & 3];
    let s: String = c.into_iter().collect();
    format!(
        "{}-{}-{}-{}-{}",
        &s[..8],
        &s[8..12],
        &s[12..16],
        &s[16..20],
        &s[20..32]
    )
}

fn text(name: &str, value: impl Into<String>) -> Value {
    json!({"name": name, "type": "text", "value": value.into()})
}

fn vulnerability(f: &Finding, opts: &RenderOptions) -> Value {
    let cwd = opts.cwd.as_deref();
    let pi = primary_index(f);
    let l = &f.locations[pi];
    let info = RuleInfo::of(&f.rule_id, f, opts.rules.as_deref());
    let mut commit = json!({"sha": NO_COMMIT});
    if let Some(c) = &l.commit {
        commit = json!({"sha": c.sha, "author": c.author, "date": c.date, "message": c.summary});
    }
    // Every line of the credential (a key and its secret are often on two).
    let mut lines: Vec<(&str, usize)> = Vec::new();
    let mut extract = Vec::new();
    for o in &f.locations {
        if !lines.contains(&(o.path.as_str(), o.line)) {
            lines.push((o.path.as_str(), o.line));
            extract.push(if opts.show_secrets {
                o.line_text.clone()
            } else {
                o.redacted_line()
            });
        }
    }
    let extract = extract.join("\n");
    let mut identifiers = vec![json!({
        "type": "tradesecrets_rule_id",
        "name": format!("tradesecrets rule {}", f.rule_id),
        "value": f.rule_id,
    })];
    if let Some(u) = info.references.first() {
        identifiers[0]["url"] = json!(u);
    }
    identifiers.push(json!({"type": "cwe", "name": "CWE-798", "value": "798", "url": CWE_798}));
    let mut details = serde_json::Map::new();
    details.insert("venue".into(), text("Venue", f.venue.clone()));
    details.insert(
        "confidence".into(),
        text("Confidence", f.confidence.as_str()),
    );
    details.insert("status".into(), text("Status", f.status.as_str()));
    details.insert(
        "fingerprint".into(),
        text("Fingerprint (tradesecrets/v1)", f.fingerprint.clone()),
    );
    let parts: Vec<Value> = f
        .locations
        .iter()
        .map(|o| {
            json!({
                "type": "file-location",
                "file_name": portable_path(&o.path, cwd),
                "line_start": o.line,
                "line_end": o.end_line,
            })
        })
        .collect();
    details.insert(
        "parts".into(),
        json!({"name": format!("Parts: {}", super::common::parts_title(f)), "type": "list", "items": parts}),
    );
    if let Some(p) = f.present_at_head {
        details.insert(
            "present_at_head".into(),
            text(
                "Present at HEAD",
                if p {
                    "yes"
                } else {
                    "no (still in history, valid until revoked)"
                },
            ),
        );
    }
    let mut v = json!({
        "id": vulnerability_id(f, l, cwd),
        "category": "secret_detection",
        "name": format!("Leaked {}", info.title()),
        "description": format!("{}\n\n{}\n\n{}", headline_in(f, opts), info.description, info.danger()),
        "severity": severity_title(f.severity),
        "solution": info.remedy(),
        "raw_source_code_extract": extract,
        "location": {
            "file": portable_path(&l.path, cwd),
            "start_line": l.line,
            "end_line": l.end_line.max(l.line),
            "commit": commit,
        },
        "identifiers": identifiers,
    });
    if !info.references.is_empty() {
        v["links"] = json!(
            info.references
                .iter()
                .map(|u| json!({"url": u}))
                .collect::<Vec<_>>()
        );
    }
    v["details"] = Value::Object(details);
    v
}

pub fn report_value(report: &ScanReport, opts: &RenderOptions, now: SystemTime) -> Value {
    let start = now
        .checked_sub(Duration::from_millis(report.stats.elapsed_ms))
        .unwrap_or(now);
    let version = env!("CARGO_PKG_VERSION");
    let tool = json!({
        "id": "tradesecrets",
        "name": "tradesecrets",
        "url": env!("CARGO_PKG_REPOSITORY"),
        "version": version,
        "vendor": {"name": "tradesecrets"},
    });
    let mut messages: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({"level": "warn", "value": format!("{}: {}", e.path, e.message)}))
        .collect();
    messages.extend(report.skipped.iter().map(
        |s| json!({"level": "info", "value": format!("{}: not scanned: {}", s.path, s.reason)}),
    ));
    json!({
        "version": SCHEMA_VERSION,
        "schema": SCHEMA_URI,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "secret_detection",
            "start_time": utc_timestamp(start),
            "end_time": utc_timestamp(now),
            // Files that could not be read leave the scan incomplete.
            "status": if report.errors.is_empty() { "success" } else { "failure" },
            "messages": messages,
        },
        "vulnerabilities": report.findings.iter().map(|f| vulnerability(f, opts)).collect::<Vec<_>>(),
    })
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &report_value(report, opts, SystemTime::now()))?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3661); // 2000-02-29
        assert_eq!(utc_timestamp(t), "2000-02-29T01:01:01");
        let t = UNIX_EPOCH + Duration::from_secs(1_735_689_599);
        assert_eq!(utc_timestamp(t), "2024-12-31T23:59:59");
    }

    #[test]
    fn vulnerabilities_carry_required_fields() {
        let (report, secrets) = testdata::report();
        let v = report_value(
            &report,
            &RenderOptions::default(),
            UNIX_EPOCH + Duration::from_secs(60),
        );
        assert_eq!(v["version"], SCHEMA_VERSION);
        assert_eq!(v["scan"]["start_time"], "1970-01-01T00:00:59");
        let vulns = v["vulnerabilities"].as_array().unwrap();
        assert_eq!(vulns.len(), 2);
        let a = &vulns[0];
        assert_eq!(a["category"], "secret_detection");
        assert_eq!(a["severity"], "Critical");
        assert_eq!(a["location"]["file"], "deploy/my app/.env");
        assert_eq!(a["location"]["start_line"], 2);
        assert_eq!(a["location"]["commit"]["sha"], NO_COMMIT);
        assert_eq!(a["identifiers"][0]["value"], "binance.secret-key");
        let id = a["id"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8");
        assert_eq!(
            vulns[1]["location"]["commit"]["sha"]
                .as_str()
                .unwrap()
                .len(),
            40
        );
        assert_ne!(id, vulns[1]["id"]);
        assert_eq!(v["scan"]["messages"][0]["level"], "warn");
        let extract = a["raw_source_code_extract"].as_str().unwrap();
        assert!(extract.starts_with("BINANCE_API_KEY="), "{extract}");
        assert!(extract.contains("\nBINANCE_API_SECRET="), "{extract}");
        let text = v.to_string();
        for s in &secrets {
            assert!(!text.contains(s.as_str()));
        }
    }

    #[test]
    fn show_secrets_puts_the_raw_line_in_the_extract() {
        let (_, secrets) = testdata::report();
        let shown = testdata::render(render, true);
        assert!(shown.contains(secrets[1].as_str()));
        let hidden = testdata::render(render, false);
        assert!(!hidden.contains(secrets[1].as_str()));
    }
}
