//! `--format junit`: JUnit XML for CI systems that show test reports
//! (GitLab, Jenkins, Azure Pipelines, CircleCI).
//!
//! One `<testsuite>` per run; one failing `<testcase>` per finding, whose
//! `<failure type>` is the rule id and whose message is the redacted
//! headline; one `<testcase>` with an `<error>` per file that could not be
//! read. A clean scan is one passing test case, so the report is never
//! empty. Text is escaped for XML 1.0, and characters XML cannot carry at
//! all (control characters) are replaced by U+FFFD.

use super::common::{headline_in, portable_path, primary_index};
use super::options::RenderOptions;
use crate::finding::Finding;
use crate::finding::ScanReport;
use std::io::{self, Write};

/// Escapes text for an XML attribute or element (both quotes, and the
/// whitespace an attribute would otherwise normalise away).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Element text: like [`escape`], but keeps line breaks readable.
fn escape_text(s: &str) -> String {
    escape(s).replace("&#10;", "\n")
}

fn seconds(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn testcase(f: &Finding, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    let l = &f.locations[primary_index(f)];
    let path = portable_path(&l.path, opts.cwd.as_deref());
    writeln!(
        w,
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"0\">",
        escape(&path),
        escape(&format!(
            "{} at {}:{}:{}",
            f.rule_id, path, l.line, l.column
        )),
        escape(&path),
        l.line
    )?;
    let mut body = String::new();
    for o in &f.locations {
        let excerpt = if opts.show_secrets {
            o.line_text.clone()
        } else {
            o.redacted_line()
        };
        let excerpt: String = excerpt.trim().chars().take(200).collect();
        body.push_str(&format!(
            "{} ({}) at {}:{}:{}: {}\n",
            o.part.as_str(),
            o.rule_id,
            portable_path(&o.path, opts.cwd.as_deref()),
            o.line,
            o.column,
            excerpt
        ));
        if let Some(c) = &o.commit {
            body.push_str(&format!(
                "  introduced in {} by {} on {}: {}\n",
                c.sha, c.author, c.date, c.summary
            ));
        }
    }
    match f.present_at_head {
        Some(false) => {
            body.push_str("No longer at HEAD, but still in history and valid until revoked.\n")
        }
        Some(true) => body.push_str("Still present at HEAD.\n"),
        None => {}
    }
    body.push_str(&format!("Fingerprint: {}\n", f.fingerprint));
    if f.status == crate::finding::Status::Leak {
        body.push_str(&super::common::revoke_sentence(&f.revoke));
        body.push('\n');
    }
    writeln!(
        w,
        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
        escape(&f.rule_id),
        escape(&headline_in(f, opts)),
        escape_text(&body)
    )?;
    writeln!(w, "    </testcase>")
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    let failures = report.findings.len();
    let errors = report.errors.len();
    let tests = (failures + errors).max(1);
    let time = seconds(report.stats.elapsed_ms);
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<testsuites name=\"tradesecrets\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time}\">"
    )?;
    writeln!(
        w,
        "  <testsuite name=\"tradesecrets\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"{time}\">"
    )?;
    writeln!(w, "    <properties>")?;
    let s = &report.stats;
    for (k, v) in [
        (
            "tradesecrets.version",
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("files_scanned", s.files_scanned.to_string()),
        ("bytes_scanned", s.bytes_scanned.to_string()),
        ("files_skipped", s.files_skipped.to_string()),
    ] {
        writeln!(
            w,
            "      <property name=\"{}\" value=\"{}\"/>",
            escape(k),
            escape(&v)
        )?;
    }
    writeln!(w, "    </properties>")?;
    for f in &report.findings {
        testcase(f, opts, w)?;
    }
    for e in &report.errors {
        let path = portable_path(&e.path, opts.cwd.as_deref());
        writeln!(
            w,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"0\">",
            escape(&path),
            escape(&format!("read {path}")),
            escape(&path)
        )?;
        writeln!(
            w,
            "      <error type=\"read-error\" message=\"{}\"/>",
            escape(&e.message)
        )?;
        writeln!(w, "    </testcase>")?;
    }
    if failures + errors == 0 {
        writeln!(
            w,
            "    <testcase classname=\"tradesecrets\" name=\"no leaked credentials in {} files\" time=\"{time}\"/>",
            s.files_scanned
        )?;
    }
    if !report.skipped.is_empty() {
        let list: String = report
            .skipped
            .iter()
            .map(|k| {
                format!(
                    "not scanned: {}: {}\n",
                    portable_path(&k.path, opts.cwd.as_deref()),
                    k.reason
                )
            })
            .collect();
        writeln!(w, "    <system-out>{}</system-out>", escape_text(&list))?;
    }
    writeln!(w, "  </testsuite>")?;
    writeln!(w, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testdata;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn one_failing_case_per_finding() {
        let out = testdata::render(render, false);
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        assert_eq!(out.matches("<testcase ").count(), 3, "{out}");
        assert_eq!(
            out.matches("<failure type=\"binance.secret-key\"").count(),
            1
        );
        assert_eq!(out.matches("<error type=\"read-error\"").count(), 1);
        assert!(out.contains("tests=\"3\" failures=\"2\" errors=\"1\""));
        // Balanced, well-formed enough for a quick check.
        assert_eq!(
            out.matches("<testcase").count(),
            out.matches("</testcase>").count()
        );
    }

    #[test]
    fn clean_scan_is_one_passing_case() {
        let (mut report, _) = testdata::report();
        report.findings.clear();
        report.errors.clear();
        let mut out = Vec::new();
        render(&report, &RenderOptions::default(), &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("tests=\"1\" failures=\"0\" errors=\"0\""));
        assert!(out.contains(
            "<testcase classname=\"tradesecrets\" name=\"no leaked credentials in 2 files\""
        ));
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
}
