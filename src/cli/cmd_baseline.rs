//! `tradesecrets baseline create|prune`.

use super::{
    args::BaselineCommand,
    output::EXIT_ERROR,
    setup::{cwd_base, load_config, path_starts, scanner, suppressor},
};
use std::io::{self, Write};
use tradesecrets::Scanner;
use tradesecrets::scan::ScanReport;
use tradesecrets::suppress::baseline::Baseline;
use tradesecrets::suppress::{self, PathBase};

/// Scans `paths` (files, directories, `-`), or with `git` the one
/// repository named, for a baseline.
pub(super) fn baseline_scan(
    scanner: &Scanner,
    paths: &[String],
    git: bool,
) -> anyhow::Result<ScanReport> {
    if git {
        let [repo] = paths else {
            anyhow::bail!("--git scans one repository; {} paths given", paths.len());
        };
        let opts = tradesecrets::source::git::GitOptions::default();
        return Ok(scanner.scan_git(repo, &opts));
    }
    let mut report = ScanReport::default();
    let files: Vec<String> = paths.iter().filter(|p| *p != "-").cloned().collect();
    if paths.iter().any(|p| p == "-") {
        report.absorb(scanner.scan_reader(io::stdin().lock(), "-"));
    }
    if !files.is_empty() {
        report.absorb(scanner.scan_paths(&files, None));
    }
    Ok(report)
}

pub(super) fn warn_errors(report: &ScanReport) {
    for e in &report.errors {
        eprintln!("tradesecrets: warning: {}: {}", e.path, e.message);
    }
}

pub(super) fn git_or_cwd_base(paths: &[String], git: bool) -> anyhow::Result<PathBase> {
    if git && let Some(root) = paths.first().and_then(|p| suppress::git_work_tree(p)) {
        return Ok(PathBase::Repo(root));
    }
    cwd_base()
}

pub(super) fn baseline_cmd(cmd: BaselineCommand) -> anyhow::Result<u8> {
    match cmd {
        BaselineCommand::Create {
            paths,
            git,
            output,
            config,
            no_inline_allow,
            limits,
        } => {
            let cfg = load_config(&config, &path_starts(&paths))?;
            // What a scan would report, before any baseline.
            let scanner = scanner(&limits, Default::default(), None, false, &cfg)?.with_suppressor(
                suppressor(
                    &cfg,
                    true,
                    !no_inline_allow,
                    None,
                    git_or_cwd_base(&paths, git)?,
                )?,
            );
            let report = baseline_scan(&scanner, &paths, git)?;
            warn_errors(&report);
            let b = Baseline::from_findings(&report.findings);
            let text = b.to_json();
            match &output {
                Some(f) => std::fs::write(f, &text)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", f.display()))?,
                None => {
                    let stdout = io::stdout();
                    let mut w = stdout.lock();
                    w.write_all(text.as_bytes())?;
                    w.flush()?;
                }
            }
            eprintln!(
                "tradesecrets: baseline of {} finding{}{}",
                b.findings.len(),
                if b.findings.len() == 1 { "" } else { "s" },
                output
                    .as_ref()
                    .map(|f| format!(" written to {}", f.display()))
                    .unwrap_or_default()
            );
            Ok(if report.errors.is_empty() {
                0
            } else {
                EXIT_ERROR
            })
        }
        BaselineCommand::Prune {
            baseline,
            paths,
            git,
            config,
            limits,
        } => {
            let cfg = load_config(&config, &path_starts(&paths))?;
            let Some(file) = baseline.or_else(|| cfg.baseline.clone()) else {
                anyhow::bail!("no baseline: give --baseline FILE (or name one in the config)");
            };
            let mut b = Baseline::load(&file).map_err(anyhow::Error::msg)?;
            // Everything still detected, whatever else would suppress it.
            let scanner = scanner(&limits, Default::default(), None, false, &cfg)?;
            let report = baseline_scan(&scanner, &paths, git)?;
            if !report.errors.is_empty() {
                warn_errors(&report);
                anyhow::bail!(
                    "{} not pruned: {} file{} could not be read, and may hold what the baseline lists",
                    file.display(),
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" }
                );
            }
            let found = report
                .findings
                .iter()
                .map(|f| f.fingerprint.clone())
                .collect();
            let dropped = b.prune(&found);
            let tmp = file.with_extension("json.tmp");
            std::fs::write(&tmp, b.to_json())
                .and_then(|_| std::fs::rename(&tmp, &file))
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            eprintln!(
                "tradesecrets: {}: kept {}, dropped {} no longer found",
                file.display(),
                b.findings.len(),
                dropped
            );
            Ok(0)
        }
    }
}
