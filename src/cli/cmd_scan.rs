//! `tradesecrets scan`: files, directories and stdin.

use super::{
    args::ScanArgs,
    output::{Scanned, finish},
    progress::{Scanning, spawn_progress},
    setup::{cwd_base, load_config, path_starts, scan_baseline, scanner, suppressor},
};
use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::scan::{Progress, ScanReport};

pub(super) fn scan(args: ScanArgs) -> anyhow::Result<u8> {
    let config = load_config(&args.suppress.config, &path_starts(&args.paths))?;
    let scanner = scanner(
        &args.limits,
        args.output.include(),
        args.output.min_confidence,
        args.no_ignore,
        &config,
    )?
    .with_suppressor(suppressor(
        &config,
        true,
        !args.suppress.no_inline_allow,
        scan_baseline(&args.suppress, &config).as_deref(),
        cwd_base()?,
    )?);
    // Paths that all do not exist are a usage error (a typo): nothing to
    // scan. Beside paths that do, each missing one is an error of the scan,
    // which goes on (exit 2, listed in every report).
    let missing = |p: &String| {
        p != "-" && std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
    };
    if args.paths.iter().all(missing) {
        let names: Vec<&str> = args.paths.iter().map(String::as_str).collect();
        anyhow::bail!("{}: no such file or directory", names.join(", "));
    }
    let stdin_only = args.paths.len() == 1 && args.paths[0] == "-";
    let report = if stdin_only {
        scanner.scan_reader(io::stdin().lock(), "-")
    } else {
        let progress = Arc::new(Progress::default());
        let done = Arc::new(AtomicBool::new(false));
        let show = !args.output.quiet && io::stderr().is_terminal();
        let ticker = show.then(|| spawn_progress(progress.clone(), done.clone(), Scanning::Files));
        let mut paths: Vec<String> = Vec::new();
        let mut report = ScanReport::default();
        for p in &args.paths {
            if p == "-" {
                let r = scanner.scan_reader(io::stdin().lock(), "-");
                report.absorb(r);
            } else {
                paths.push(p.clone());
            }
        }
        if !paths.is_empty() {
            let r = scanner.scan_paths(&paths, Some(&progress));
            report.absorb(r);
        }
        done.store(true, Ordering::Relaxed);
        if let Some(t) = ticker {
            let _ = t.join();
        }
        report
    };
    let mut report = report;
    if args.verify.verify {
        verify_findings(&mut report)?;
    }
    // The repository the first path named is in (stdin: the current one).
    let vcs = || {
        let first = args
            .paths
            .iter()
            .find(|p| *p != "-")
            .map_or(".", String::as_str);
        let p = std::path::Path::new(first);
        let dir = if p.is_dir() {
            p
        } else {
            p.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."))
        };
        tradesecrets::source::git::version_control(dir, None)
            .into_iter()
            .collect()
    };
    finish(
        &report,
        &args.output,
        Scanned {
            kind: "scan",
            vcs: &vcs,
        },
    )
}

/// `--verify`: names the hosts it will contact, verifies every finding of a
/// supported venue, and puts the critical ones first.
pub(super) fn verify_findings(report: &mut ScanReport) -> anyhow::Result<()> {
    let verifier = tradesecrets::verify::Verifier::from_env().map_err(|e| anyhow::anyhow!(e))?;
    let hosts = verifier.hosts(&report.findings);
    if hosts.is_empty() {
        eprintln!("tradesecrets: --verify: no complete credential of a supported venue to check");
    } else {
        eprintln!(
            "tradesecrets: --verify: one read-only request per credential to {}",
            hosts.join(", ")
        );
    }
    verifier.annotate(&mut report.findings);
    report
        .findings
        .sort_by_key(|f| !f.verification.as_ref().is_some_and(|v| v.critical));
    Ok(())
}
