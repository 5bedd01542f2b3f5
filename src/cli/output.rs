//! Writing the report where the user asked, and the exit code.

use super::args::{ColorChoice, FormatArg, OutputArgs};
use std::io::{self, IsTerminal, Write};

use super::setup::builtin_rules;
use tradesecrets::report::{self, RenderOptions};
use tradesecrets::scan::ScanReport;

/// Findings were reported.
pub(super) const EXIT_FINDINGS: u8 = 1;
/// An error: bad arguments or config, or something could not be read.
pub(super) const EXIT_ERROR: u8 = 2;

/// Writes the report, lists errors on stderr, and picks the exit code.
pub(super) fn finish(report: &ScanReport, out: &OutputArgs) -> anyhow::Result<u8> {
    let to_terminal = out.output.is_none() && io::stdout().is_terminal();
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let ropts = RenderOptions {
        show_secrets: out.show_secrets,
        color,
        quiet: out.quiet,
        verbose: out.verbose,
        // Reports describe rules from the built-in set; a user's own rules
        // are described from what their findings carry.
        rules: builtin_rules().ok(),
        cwd: std::env::current_dir().ok(),
    };
    match &out.output {
        Some(path) => {
            let mut f = create_report_file(path, out.show_secrets)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            report::render(out.format.0, report, &ropts, &mut f)?;
            f.flush()?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            report::render(out.format.0, report, &ropts, &mut w)?;
            w.flush()?;
        }
    }
    if !report.errors.is_empty() && !out.quiet
        || !report.errors.is_empty() && out.format != FormatArg::HUMAN
    {
        for e in &report.errors {
            eprintln!("tradesecrets: warning: {}: {}", e.path, e.message);
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
