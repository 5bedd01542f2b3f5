//! `tradesecrets git`: history, ranges and staged changes.

use super::{
    args::GitArgs,
    cmd_scan::verify_findings,
    output::{Scanned, finish},
    setup::repo_scanner,
};
use std::path::Path;

pub(super) fn git(args: GitArgs) -> anyhow::Result<u8> {
    let scanner = repo_scanner(&args.repo, &args.limits, &args.output, &args.suppress)?;
    let opts = tradesecrets::source::git::GitOptions {
        branch: args.branch.clone(),
        since_commit: args.since_commit.clone(),
        staged: args.staged,
    };
    // Usage errors stop before anything is scanned: a path that is no
    // repository, a revision that names nothing.
    tradesecrets::source::git::check(&args.repo, &opts).map_err(|e| anyhow::anyhow!(e))?;
    let mut report = scanner.scan_git(&args.repo, &opts);
    scanner.count_suppressed(&mut report, true);
    if args.verify.verify {
        verify_findings(&mut report)?;
    }
    let vcs = || {
        tradesecrets::source::git::version_control(Path::new(&args.repo), args.branch.as_deref())
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
