//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding on its most sensitive part:
//!
//! ```text
//! ::error file=deploy/.env,line=2,endLine=2,col=20,endColumn=84,title=…::message
//! ```
//!
//! `error` for critical and high findings, `warning` for medium, `notice`
//! for low (and for public documentation examples). `col`/`endColumn` only
//! when the value is on one line (GitHub drops them otherwise); `endColumn`
//! is exclusive, as everywhere in tradesecrets. Files that could not be read
//! are `error` annotations too. Escaping follows `@actions/core`: data
//! escapes `%`, `\r`, `\n`; properties also `:` and `,`.

use super::common::{RuleInfo, headline_in, portable_path, primary_index, revoke_sentence};
use super::options::RenderOptions;
use crate::finding::ScanReport;
use crate::finding::{Finding, Status};
use crate::rules::Severity;
use std::io::{self, Write};

/// A command's message (after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn command(f: &Finding) -> &'static str {
    if f.status != Status::Leak {
        return "notice";
    }
    match f.severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

fn annotation(f: &Finding, opts: &RenderOptions) -> String {
    let pi = primary_index(f);
    let l = &f.locations[pi];
    let mut props = vec![
        format!(
            "file={}",
            escape_property(&portable_path(&l.path, opts.cwd.as_deref()))
        ),
        format!("line={}", l.line.max(1)),
        format!("endLine={}", l.end_line.max(l.line).max(1)),
    ];
    if l.end_line == l.line {
        props.push(format!("col={}", l.column.max(1)));
        props.push(format!("endColumn={}", l.end_column.max(l.column + 1)));
    }
    props.push(format!(
        "title={}",
        escape_property(&format!(
            "Leaked {} ({})",
            RuleInfo::of(&f.rule_id, f, opts.rules.as_deref()).title(),
            f.rule_id
        ))
    ));
    let mut msg = headline_in(f, opts);
    for (i, o) in f.locations.iter().enumerate() {
        if i != pi {
            msg.push_str(&format!(
                "\n{} at {}:{}:{}",
                o.part.as_str(),
                portable_path(&o.path, opts.cwd.as_deref()),
                o.line,
                o.column
            ));
        }
    }
    if let Some(c) = &l.commit {
        msg.push_str(&format!(
            "\nIntroduced in {} by {} on {}",
            &c.sha[..c.sha.len().min(12)],
            c.author,
            c.date
        ));
    }
    if f.present_at_head == Some(false) {
        msg.push_str(&format!("\n{}.", super::common::still_in_history(f)));
    }
    if opts.show_secrets {
        for o in &f.locations {
            msg.push_str(&format!("\n{}: {}", o.part.as_str(), o.secret));
        }
    }
    if f.status == Status::Leak {
        msg.push('\n');
        msg.push_str(&revoke_sentence(&f.revoke));
    }
    format!(
        "::{} {}::{}",
        command(f),
        props.join(","),
        escape_data(&msg)
    )
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        writeln!(w, "{}", annotation(f, opts))?;
    }
    for e in &report.errors {
        writeln!(
            w,
            "::error file={},title={}::{}",
            escape_property(&portable_path(&e.path, opts.cwd.as_deref())),
            escape_property("tradesecrets: file not scanned"),
            escape_data(&format!("{}: {}", e.path, e.message))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn escaping_follows_actions_core() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn one_annotation_per_finding() {
        let out = testdata::render(render, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].starts_with(
            "::error file=deploy/my app/.env,line=2,endLine=2,col=20,endColumn=84,title=Leaked Binance API secret (binance.secret-key)::"
        ), "{}", lines[0]);
        assert!(lines[0].contains("%0Akey at deploy/my app/.env:1:17"));
        // A comma in a path is escaped in the property.
        assert!(
            lines[1].contains("file=scripts/deploy%2Cold.js"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains("No longer at HEAD"));
        assert!(lines[2].starts_with("::error file=secrets/locked.env,"));
    }

    #[test]
    fn redacted_unless_asked() {
        let (_, secrets) = testdata::report();
        let out = testdata::render(render, false);
        for s in &secrets {
            assert!(!out.contains(s.as_str()));
        }
        let shown = testdata::render(render, true);
        for s in &secrets {
            assert!(shown.contains(s.as_str()));
        }
    }

    #[test]
    fn multi_line_values_have_no_columns() {
        let (mut report, _) = testdata::report();
        report.findings[0].locations[1].end_line = 5;
        let mut out = Vec::new();
        render(&report, &RenderOptions::default(), &mut out).unwrap();
        let first = String::from_utf8(out).unwrap();
        let first = first.lines().next().unwrap();
        assert!(first.contains("line=2,endLine=5,title="), "{first}");
        assert!(!first.contains("col="));
    }
}
