//! The terminal report: a block per finding, then one summary line.

use super::options::RenderOptions;
use crate::finding::ScanReport;
use crate::finding::Verdict;
use crate::finding::{Finding, Status};
use crate::rules::Severity;
use colored::{ColoredString, Colorize};
use std::io::{self, Write};

fn paint(s: &str, f: impl Fn(&str) -> ColoredString, on: bool) -> String {
    if on { f(s).to_string() } else { s.to_string() }
}

fn severity_label(s: Severity, color: bool) -> String {
    let t = s.as_str().to_ascii_uppercase();
    match s {
        Severity::Critical => paint(&t, |x| x.red().bold().reversed(), color),
        Severity::High => paint(&t, |x| x.red().bold(), color),
        Severity::Medium => paint(&t, |x| x.yellow().bold(), color),
        Severity::Low => paint(&t, |x| x.blue(), color),
    }
}

fn parts_title(f: &Finding) -> String {
    // Words, not identifiers: "Wallet private key".
    let parts: Vec<String> = f
        .locations
        .iter()
        .map(|l| l.part.as_str().replace('_', " "))
        .collect();
    parts.join(" + ")
}

/// "introduced in <sha> by <author> on <date>: <summary>".
fn write_commit(w: &mut dyn Write, indent: &str, c: &crate::finding::CommitInfo) -> io::Result<()> {
    writeln!(
        w,
        "{indent}introduced in {} by {} on {}: {}",
        &c.sha[..c.sha.len().min(12)],
        c.author,
        c.date,
        c.summary
    )
}

/// How many characters of a line a finding shows.
const EXCERPT_CHARS: usize = 160;

/// The part of `line` shown for a value that starts at 1-based character
/// `column` and reads `value` there (redacted, unless secrets are shown):
/// the whole line when it is short, else a window of [`EXCERPT_CHARS`]
/// around the value, with `…` where the line is cut, so that the value is
/// on screen however long the line (minified JSON, a bundle, a notebook).
pub fn excerpt(line: &str, value: &str, column: usize) -> String {
    let lead = line.chars().take_while(|c| c.is_whitespace()).count();
    let text = line.trim();
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return text.to_string();
    }
    // The value's place in the shown text: the occurrence nearest to the
    // column (earlier redactions may have shifted it), else the column.
    let want = column.saturating_sub(1 + lead);
    let first = value.split('\n').next().unwrap_or("");
    let at = if first.is_empty() {
        want
    } else {
        text.match_indices(first)
            .map(|(b, _)| text[..b].chars().count())
            .min_by_key(|&c| c.abs_diff(want))
            .unwrap_or(want)
    };
    let start = at
        .saturating_sub(EXCERPT_CHARS / 3)
        .min(chars.len() - EXCERPT_CHARS);
    let end = start + EXCERPT_CHARS;
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

pub fn render_finding(f: &Finding, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    let c = opts.color;
    writeln!(
        w,
        "{}  {} {}  [{}, {} confidence, {}{}]",
        severity_label(f.severity, c),
        paint(&f.venue, |x| x.bold(), c),
        parts_title(f),
        f.rule_id,
        f.confidence.as_str(),
        f.primary().context.as_str(),
        match f.status.label() {
            "" => String::new(),
            s => format!(", {s}"),
        }
    )?;
    for l in &f.locations {
        let (line, value) = if opts.show_secrets {
            (l.line_text.clone(), l.secret.as_str())
        } else {
            (l.redacted_line(), l.redacted.as_str())
        };
        let excerpt = excerpt(&line, value, l.column);
        writeln!(
            w,
            "  {:<11} {}  {}",
            l.part.as_str(),
            paint(
                &format!("{}:{}:{}", l.path, l.line, l.column),
                |x| x.cyan(),
                c
            ),
            paint(&excerpt, |x| x.dimmed(), c)
        )?;
        let same_commit = f
            .locations
            .iter()
            .all(|o| o.commit == f.locations[0].commit);
        if let Some(commit) = l.commit.as_ref().filter(|_| !same_commit) {
            write_commit(w, "              ", commit)?;
        }
    }
    if let Some(commit) = f.locations[0].commit.as_ref()
        && f.locations
            .iter()
            .all(|o| o.commit == f.locations[0].commit)
    {
        write_commit(w, "  ", commit)?;
    }
    if let Some(v) = &f.verification {
        let text = format!("verified {}", v.summary());
        let text = match v.verdict {
            Verdict::Live => paint(&text, |x| x.red().bold(), c),
            _ => text,
        };
        writeln!(w, "  {} {text}", paint("?", |x| x.bold(), c))?;
        if !v.host.is_empty() && v.verdict == Verdict::Live && !v.detail.is_empty() {
            writeln!(w, "    {} says: {}", v.host, v.detail)?;
        }
    }
    match f.present_at_head {
        Some(false) => {
            let text = super::common::still_in_history(f);
            let text = format!("{}{}", text[..1].to_lowercase(), &text[1..]);
            writeln!(w, "  {} {text}", paint("!", |x| x.yellow().bold(), c))?
        }
        Some(true) => writeln!(
            w,
            "  {} still present at HEAD",
            paint("!", |x| x.red().bold(), c)
        )?,
        None => {}
    }
    if f.status == Status::Leak {
        // A wallet key cannot be revoked: its advice says what to do.
        let wallet = f.venue_id == crate::rules::WALLET;
        if !f.revoke.is_empty() {
            let lead = if wallet {
                ""
            } else {
                "revoke or rotate it now: "
            };
            writeln!(w, "  {} {lead}{}", paint("→", |x| x.bold(), c), f.revoke)?;
        }
        writeln!(
            w,
            "    Removing it from the file does not make it safe: it may already be copied. {}",
            if wallet {
                "Move the funds."
            } else {
                "Revoke it."
            }
        )?;
    }
    writeln!(w)
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    write_critical(report, opts, w)?;
    if !opts.quiet {
        let mut repository = None;
        for f in &report.findings {
            // Findings come sorted by repository: a heading for each.
            if opts.several_repositories && f.repository != repository {
                repository = f.repository.clone();
                if let Some(r) = &repository {
                    writeln!(w, "{}", paint(&format!("── {r}"), |x| x.bold(), opts.color))?;
                }
            }
            render_finding(f, opts, w)?;
        }
    }
    if opts.verbose {
        for sk in &report.skipped {
            match opts.shown_repository(&sk.repository) {
                Some(r) => writeln!(w, "skipped {r}: {}: {}", sk.path, sk.reason)?,
                None => writeln!(w, "skipped {}: {}", sk.path, sk.reason)?,
            }
        }
    }
    let s = &report.stats;
    let mut by_sev = [0usize; 4];
    for f in report.findings.iter().filter(|f| f.status == Status::Leak) {
        by_sev[f.severity as usize] += 1;
    }
    let sev: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ]
    .iter()
    .filter(|s| by_sev[**s as usize] > 0)
    .map(|s| format!("{} {}", by_sev[*s as usize], s.as_str()))
    .collect();
    let n = report.leaks();
    let head = if n == 0 {
        let none = if report.findings.is_empty() {
            "no findings"
        } else {
            "no leaks"
        };
        paint(none, |x| x.green().bold(), opts.color)
    } else {
        paint(
            &format!("{n} finding{}", if n == 1 { "" } else { "s" }),
            |x| x.red().bold(),
            opts.color,
        )
    };
    writeln!(
        w,
        "{head}{} in {} files, {} scanned in {:.2} s; {} skipped, {} errors{}{}",
        if sev.is_empty() {
            String::new()
        } else {
            format!(" ({})", sev.join(", "))
        },
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        s.elapsed_ms as f64 / 1000.0,
        s.files_skipped,
        s.errors,
        if s.suppressed > 0 {
            format!(", {} suppressed", s.suppressed)
        } else {
            String::new()
        },
        not_leaks(report)
    )
}

/// The summary line's tail: examples, fixtures and vendored findings shown
/// (not counted as leaks) and those not shown, with the flags that show
/// them.
fn not_leaks(report: &ScanReport) -> String {
    let mut out = String::new();
    let shown: Vec<String> = Status::HIDDEN
        .iter()
        .map(|&st| {
            (
                st,
                report.findings.iter().filter(|f| f.status == st).count(),
            )
        })
        .filter(|(_, k)| *k > 0)
        .map(|(st, k)| st.counted(k as u64))
        .collect();
    if !shown.is_empty() {
        out.push_str(&format!("; also shown, not leaks: {}", shown.join(", ")));
    }
    let hidden: Vec<(Status, u64)> = Status::HIDDEN
        .iter()
        .map(|&st| (st, report.stats.hidden.get(st)))
        .filter(|(_, k)| *k > 0)
        .collect();
    if !hidden.is_empty() {
        let what: Vec<String> = hidden.iter().map(|(st, k)| st.counted(*k)).collect();
        let flags: Vec<&str> = hidden.iter().map(|(st, _)| st.flag()).collect();
        out.push_str(&format!(
            "; {} not shown: {}",
            what.join(", "),
            flags.join(", ")
        ));
    }
    out
}

/// First of all (`--verify`): the live keys that can withdraw from any
/// address.
fn write_critical(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    let critical: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.verification.as_ref().is_some_and(|v| v.critical))
        .collect();
    if critical.is_empty() {
        return Ok(());
    }
    let n = critical.len();
    writeln!(
        w,
        "{}",
        paint(
            &format!(
                "CRITICAL: {n} live credential{} can withdraw funds and {} not restricted to listed IP addresses. Revoke {} first:",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
            ),
            |x| x.red().bold(),
            opts.color
        )
    )?;
    for f in critical {
        let l = f.primary();
        writeln!(
            w,
            "  {} {} at {}:{}  {}",
            f.venue, l.redacted, l.path, l.line, f.revoke
        )?;
    }
    writeln!(w)
}

pub fn human_bytes(b: u64) -> String {
    const U: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = b as f64;
    let mut i = 0;
    while v >= 1024.0 && i < U.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", U[i])
    }
}

#[cfg(test)]
mod excerpt_tests {
    use super::excerpt;

    #[test]
    fn short_lines_are_shown_whole_and_trimmed() {
        assert_eq!(excerpt("   KEY=ab…  ", "ab…", 8), "KEY=ab…");
    }

    #[test]
    fn a_long_line_is_cut_around_the_value() {
        let line = format!(
            "{{{}\"apiKey\":\"Zq3J…\"{}}}",
            "\"a\":1,".repeat(60),
            ",\"b\":2".repeat(60)
        );
        let column = line.find("Zq3J").unwrap() + 1;
        let shown = excerpt(&line, "Zq3J…", column);
        assert!(shown.contains("\"apiKey\":\"Zq3J…\""), "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), 162);
        // At the start of the line: cut on the right only.
        let line = format!("SECRET=Zq3J… {}", "x ".repeat(200));
        let shown = excerpt(&line, "Zq3J…", 8);
        assert!(
            shown.starts_with("SECRET=Zq3J…") && shown.ends_with('…'),
            "{shown}"
        );
        // At its end: cut on the left only.
        let line = format!("{} SECRET=Zq3J…", "x ".repeat(200));
        let column = line.find("Zq3J").unwrap() + 1;
        let shown = excerpt(&line, "Zq3J…", column);
        assert!(
            shown.starts_with('…') && shown.ends_with("SECRET=Zq3J…"),
            "{shown}"
        );
    }

    #[test]
    fn the_nearest_occurrence_to_the_column_is_the_one_shown() {
        let line = format!("Zq3J… {} Zq3J… {}", "y".repeat(300), "z".repeat(300));
        let column = 300 + 8;
        let shown = excerpt(&line, "Zq3J…", column);
        assert!(shown.contains(" Zq3J… "), "{shown}");
        assert!(shown.contains('y') && shown.contains('z'), "{shown}");
    }
}
