//! The terminal report: a block per finding, then one summary line.

use super::options::RenderOptions;
use crate::finding::Finding;
use crate::finding::ScanReport;
use crate::finding::Verdict;
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
    let parts: Vec<&str> = f.locations.iter().map(|l| l.part.as_str()).collect();
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

pub fn render_finding(f: &Finding, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    let c = opts.color;
    writeln!(
        w,
        "{}  {} {}  [{}, {} confidence{}]",
        severity_label(f.severity, c),
        paint(&f.venue, |x| x.bold(), c),
        parts_title(f),
        f.rule_id,
        f.confidence.as_str(),
        if f.status == crate::finding::Status::Example {
            ", public documentation example"
        } else {
            ""
        }
    )?;
    for l in &f.locations {
        let excerpt = if opts.show_secrets {
            l.line_text.clone()
        } else {
            l.redacted_line()
        };
        let excerpt: String = excerpt.trim().chars().take(160).collect();
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
        Some(false) => writeln!(
            w,
            "  {} no longer at HEAD, but still in history and still valid until revoked",
            paint("!", |x| x.yellow().bold(), c)
        )?,
        Some(true) => writeln!(
            w,
            "  {} still present at HEAD",
            paint("!", |x| x.red().bold(), c)
        )?,
        None => {}
    }
    if f.status == crate::finding::Status::Leak {
        if !f.revoke.is_empty() {
            writeln!(
                w,
                "  {} revoke or rotate it now: {}",
                paint("→", |x| x.bold(), c),
                f.revoke
            )?;
        }
        writeln!(
            w,
            "    Removing it from the file does not make it safe: it may already be copied. Revoke it."
        )?;
    }
    writeln!(w)
}

pub fn render(report: &ScanReport, opts: &RenderOptions, w: &mut dyn Write) -> io::Result<()> {
    write_critical(report, opts, w)?;
    if !opts.quiet {
        for f in &report.findings {
            render_finding(f, opts, w)?;
        }
    }
    let s = &report.stats;
    let mut by_sev = [0usize; 4];
    for f in &report.findings {
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
    let n = report.findings.len();
    let head = if n == 0 {
        paint("no findings", |x| x.green().bold(), opts.color)
    } else {
        paint(
            &format!("{n} finding{}", if n == 1 { "" } else { "s" }),
            |x| x.red().bold(),
            opts.color,
        )
    };
    writeln!(
        w,
        "{head}{} in {} files, {} scanned in {:.2} s; {} skipped, {} errors{}",
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
        }
    )
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
