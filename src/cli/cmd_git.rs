//! `tradesecrets git`: history, ranges and staged changes, of one
//! repository or several, whole or one shard.

use super::progress::{Scanning, spawn_progress};
use super::{
    args::GitArgs,
    cmd_scan::verify_findings,
    output::{Scanned, finish},
    setup::repo_scanner,
};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::finding::{Piece, combine};
use tradesecrets::scan::Progress;
use tradesecrets::source::git;

/// The repositories named on the command line and in `--repos-file`, in
/// that order (`.` when none is).
fn repositories(args: &GitArgs) -> anyhow::Result<Vec<String>> {
    let mut repos = args.repo.clone();
    if let Some(file) = &args.repos_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("--repos-file {}: {e}", file.display()))?;
        repos.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
        if repos.is_empty() {
            anyhow::bail!("--repos-file {}: lists no repository", file.display());
        }
    }
    if repos.is_empty() {
        repos.push(".".into());
    }
    Ok(repos)
}

pub(super) fn git(args: GitArgs) -> anyhow::Result<u8> {
    let repos = repositories(&args)?;
    if args.shard.is_some() && args.verify.verify {
        anyhow::bail!(
            "--verify with --shard: verify the credentials of a whole scan, not of a shard"
        );
    }
    let opts = git::GitOptions {
        branch: args.branch.clone(),
        since_commit: args.since_commit.clone(),
        staged: args.staged,
        shard: args.shard,
    };
    // Usage errors stop before anything is scanned: a path that is no
    // repository, a revision that names nothing.
    for repo in &repos {
        git::check(repo, &opts).map_err(|e| anyhow::anyhow!(e))?;
    }
    let mut pieces = Vec::new();
    let mut shards = Vec::new();
    // A progress line on a terminal, as `scan` has; counts add up over
    // the repositories.
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let show = !args.output.quiet && std::io::stderr().is_terminal();
    let ticker = show.then(|| spawn_progress(progress.clone(), done.clone(), Scanning::History));
    let scanned = repos.iter().try_for_each(|repo| {
        let scanner = repo_scanner(repo, &args.limits, &args.output, &args.suppress)?;
        let mut report = scanner.scan_git_with(repo, &opts, Some(&progress));
        scanner.count_suppressed(&mut report, true);
        shards.append(&mut report.shards);
        pieces.push(Piece::Report {
            report,
            from: repo.clone(),
        });
        anyhow::Ok(())
    });
    done.store(true, Ordering::Relaxed);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    scanned?;
    // Several repositories are one report as `merge` makes it of their
    // reports: the same code decides both.
    let mut report = combine(pieces).map_err(anyhow::Error::msg)?;
    report.shards = shards;
    if args.verify.verify {
        verify_findings(&mut report)?;
    }
    let vcs = || {
        repos
            .iter()
            .filter_map(|r| git::version_control(Path::new(r), args.branch.as_deref()))
            .collect()
    };
    finish(
        &report,
        &args.output,
        Scanned {
            kind: "git",
            vcs: &vcs,
        },
    )
}
