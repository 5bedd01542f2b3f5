//! `--format json` and `--format jsonl`. The schema is documented in the
//! README and pinned by `tests/schema/report.schema.json`.

use super::options::RenderOptions;
use crate::finding::Finding;
use crate::finding::ScanReport;
use serde_json::{Value, json};
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
            });
            if opts.show_secrets {
                v["secret"] = json!(l.secret);
            }
            if let Some(c) = &l.commit {
                v["commit"] =
                    json!({"sha": c.sha, "author": c.author, "date": c.date, "summary": c.summary});
            }
            v
        })
        .collect();
    let mut v = json!({
        "rule_id": f.rule_id,
        "venue": f.venue,
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

pub fn report_value(report: &ScanReport, opts: &RenderOptions) -> Value {
    let s = &report.stats;
    json!({
        "version": VERSION,
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
        "errors": report.errors.iter().map(|e| json!({"path": e.path, "message": e.message})).collect::<Vec<_>>(),
        "skipped": report.skipped.iter().map(|e| json!({"path": e.path, "reason": e.reason})).collect::<Vec<_>>(),
    })
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
