//! `tradesecrets hook`, `install-hook` and `uninstall-hook`.

use super::{
    args::{HookArgs, HookStage, InstallHookArgs, UninstallHookArgs},
    output::{EXIT_FINDINGS, Scanned, finish},
    setup::repo_scanner,
};
use std::io::{self};
use tradesecrets::scan::ScanReport;

/// `tradesecrets hook`: what a git hook scans (the staged changes, or each
/// pushed range), as one report.
pub(super) fn hook(args: HookArgs) -> anyhow::Result<u8> {
    use tradesecrets::app::hooks;
    let targets = match args.stage {
        Some(HookStage::PreCommit) => {
            vec![hooks::staged_target(&args.repo).map_err(anyhow::Error::msg)?]
        }
        Some(HookStage::PrePush) => {
            let mut stdin = String::new();
            io::Read::read_to_string(&mut io::stdin().lock(), &mut stdin)?;
            hooks::pre_push_targets(
                &args.repo,
                args.git_args.first().map(String::as_str),
                &stdin,
            )
            .map_err(anyhow::Error::msg)?
        }
        None => hooks::framework_targets(&args.repo, &|k| std::env::var(k).ok())
            .map_err(anyhow::Error::msg)?,
    };
    let scanner = repo_scanner(&args.repo, &args.limits, &args.output, &args.suppress)?;
    let mut report = ScanReport::default();
    for t in &targets {
        let mut r = scanner.scan_git(&args.repo, &t.opts);
        if t.as_staged {
            hooks::as_staged(&mut r);
        }
        report.absorb(r);
    }
    report.dedup_findings();
    scanner.count_suppressed(&mut report, true);
    let vcs = || {
        tradesecrets::source::git::version_control(std::path::Path::new(&args.repo), None)
            .into_iter()
            .collect()
    };
    let code = finish(
        &report,
        &args.output,
        Scanned {
            kind: "hook",
            vcs: &vcs,
        },
    )?;
    if code == EXIT_FINDINGS {
        let commits = targets.iter().any(|t| !t.as_staged && !t.opts.staged);
        let (what, fix, skip) = if commits {
            (
                "push",
                "rewrite those commits without it (`git rebase -i`) and revoke it",
                "git push --no-verify",
            )
        } else {
            (
                "commit",
                "remove it from the staged files (and revoke it if it ever left this machine)",
                "git commit --no-verify",
            )
        };
        let n = report.leaks();
        eprintln!(
            "tradesecrets: {what} blocked: {n} credential{} in {}. Either {fix}, or accept it \
             with an inline `tradesecrets:allow` comment or a baseline; `{skip}` skips the \
             check once.",
            if n == 1 { "" } else { "s" },
            targets
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    Ok(code)
}

pub(super) fn install_hook(args: InstallHookArgs) -> anyhow::Result<u8> {
    use tradesecrets::app::hooks::{self, HookKind};
    let kind = if args.pre_push {
        HookKind::PrePush
    } else {
        HookKind::PreCommit
    };
    let exe = std::env::current_exe().ok();
    let done = hooks::install(&args.repo, kind, args.force, exe.as_deref())?;
    eprintln!(
        "tradesecrets: {} {} hook: {}",
        if done.replaced {
            "replaced the"
        } else {
            "installed a"
        },
        kind.file_name(),
        done.path.display()
    );
    if let Some(b) = &done.backup {
        eprintln!(
            "tradesecrets: the hook it replaced is kept as {}",
            b.display()
        );
    }
    Ok(0)
}

pub(super) fn uninstall_hook(args: UninstallHookArgs) -> anyhow::Result<u8> {
    use tradesecrets::app::hooks::{self, HookKind, Uninstalled};
    let kind = if args.pre_push {
        HookKind::PrePush
    } else {
        HookKind::PreCommit
    };
    match hooks::uninstall(&args.repo, kind)? {
        Uninstalled::Removed(p) => eprintln!("tradesecrets: removed {}", p.display()),
        Uninstalled::Absent(p) => eprintln!(
            "tradesecrets: no {} hook at {}",
            kind.file_name(),
            p.display()
        ),
    }
    Ok(0)
}
