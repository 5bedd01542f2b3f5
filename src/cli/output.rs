//! Writing the report where the user asked, and the exit code.

use super::args::{ColorChoice, FormatArg, OutputArgs, OutputTarget};
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use super::setup::builtin_rules;
use tradesecrets::finding::VersionControl;
use tradesecrets::report::{self, Format, RenderOptions};
use tradesecrets::scan::ScanReport;

/// Findings were reported.
pub(super) const EXIT_FINDINGS: u8 = 1;
/// An error: bad arguments or config, or something could not be read.
pub(super) const EXIT_ERROR: u8 = 2;

/// The `--output` values make sense together: at most one main file, no
/// file named twice. Checked before anything is scanned.
pub(super) fn check(out: &OutputArgs) -> anyhow::Result<()> {
    let mains = out
        .output
        .iter()
        .filter(|o| matches!(o, OutputTarget::Main(_)))
        .count();
    if mains > 1 {
        anyhow::bail!(
            "--output: {mains} files for the `--format` report; write more formats with `-o FORMAT=FILE`"
        );
    }
    let mut seen: Vec<&Path> = Vec::new();
    for o in &out.output {
        let (OutputTarget::Main(p) | OutputTarget::Extra(_, p)) = o;
        if seen.contains(&p.as_path()) {
            anyhow::bail!("--output: {} is named twice", p.display());
        }
        seen.push(p);
    }
    Ok(())
}

/// What kind of scan a report is of, and the repositories it ran in
/// (asked only when a SARIF or JSON report is written).
pub(super) struct Scanned<'a> {
    pub kind: &'static str,
    pub vcs: &'a dyn Fn() -> Vec<VersionControl>,
}

/// Writes the reports (the `--format` one to stdout or its file, then each
/// `FORMAT=FILE`), lists errors on stderr, and picks the exit code.
pub(super) fn finish(
    report: &ScanReport,
    out: &OutputArgs,
    scanned: Scanned<'_>,
) -> anyhow::Result<u8> {
    let written = |f: Format| {
        out.format.0 == f
            || out
                .output
                .iter()
                .any(|o| matches!(o, OutputTarget::Extra(x, _) if *x == f))
    };
    let provenance = written(Format::Sarif) || written(Format::Json);
    let main_file = out.main_file();
    let to_terminal = main_file.is_none() && io::stdout().is_terminal();
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let mut ropts = RenderOptions {
        show_secrets: out.show_secrets,
        color,
        quiet: out.quiet,
        verbose: out.verbose,
        // Reports describe rules from the built-in set; a user's own rules
        // are described from what their findings carry.
        rules: builtin_rules().ok(),
        cwd: std::env::current_dir().ok(),
        kind: Some(scanned.kind),
        provenance: if provenance {
            (scanned.vcs)()
        } else {
            Vec::new()
        },
        several_repositories: false,
    };
    match main_file {
        Some(path) => write_file(out.format.0, report, &ropts, path, out.show_secrets)?,
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            report::render(out.format.0, report, &ropts, &mut w)?;
            w.flush()?;
        }
    }
    // More reports of the same scan: files, never coloured.
    ropts.color = false;
    colored::control::set_override(false);
    for o in &out.output {
        if let OutputTarget::Extra(format, path) = o {
            write_file(*format, report, &ropts, path, out.show_secrets)?;
        }
    }
    if !report.errors.is_empty() && !out.quiet
        || !report.errors.is_empty() && out.format != FormatArg::HUMAN
    {
        let repos: std::collections::HashSet<_> =
            report.errors.iter().map(|e| &e.repository).collect();
        for e in &report.errors {
            match e.repository.as_deref().filter(|_| repos.len() > 1) {
                Some(r) => eprintln!("tradesecrets: warning: {r}: {}: {}", e.path, e.message),
                None => eprintln!("tradesecrets: warning: {}: {}", e.path, e.message),
            }
        }
    }
    if !report.errors.is_empty() {
        eprintln!(
            "tradesecrets: {} file{} could not be read; everything else was scanned",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
        return Ok(EXIT_ERROR);
    }
    // Only leaks fail a scan: examples, fixtures and vendored code shown
    // with `--include-…` are information.
    Ok(if report.leaks() == 0 || out.exit_zero {
        0
    } else {
        EXIT_FINDINGS
    })
}

fn write_file(
    format: Format,
    report: &ScanReport,
    ropts: &RenderOptions,
    path: &Path,
    private: bool,
) -> anyhow::Result<()> {
    let cannot = |e: io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let f = create_report_file(path, private).map_err(cannot)?;
    let mut w = io::BufWriter::new(f);
    report::render(format, report, ropts, &mut w).map_err(cannot)?;
    w.flush().map_err(cannot)?;
    Ok(())
}

/// Report files that may hold secrets are private to the user.
pub(super) fn create_report_file(
    path: &std::path::Path,
    private: bool,
) -> io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let _ = private;
    o.open(path)
}
