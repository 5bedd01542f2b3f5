//! Where users run it: git hooks.
//!
//! [`install`] and [`uninstall`] write and remove plain git hook scripts (no
//! framework) that call `tradesecrets hook pre-commit` or `tradesecrets hook
//! pre-push`. [`staged_target`], [`pre_push_targets`] and
//! [`framework_targets`] turn what git (or the pre-commit framework) hands a
//! hook into what to scan: the staged changes, or ranges of commits.
//!
//! Like the rest of the library this module never prints; `main.rs` does.

use crate::scan::ScanReport;
use crate::source::git::GitOptions;
use git2::{Oid, Repository};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The line that marks a hook script as ours: [`uninstall`] removes only a
/// hook that holds it, and [`install`] replaces one without `--force`.
pub const MARKER: &str = "# tradesecrets-hook v1";

/// The all-zero object id git uses for "no such ref" in pre-push lines.
const ZERO: &str = "0000000000000000000000000000000000000000";

/// Which git hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// Scans the staged changes: what is about to be committed.
    PreCommit,
    /// Scans each pushed range, as git lists them on the hook's stdin.
    PrePush,
}

impl HookKind {
    /// The hook's file name in the hooks directory.
    pub fn file_name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
        }
    }
}

#[derive(Debug)]
pub enum HookError {
    /// A hook that we did not write is in the way.
    Exists(PathBuf),
    /// The hook to remove is not one we wrote.
    NotOurs(PathBuf),
    Other(String),
}

impl fmt::Display for HookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookError::Exists(p) => write!(
                f,
                "{} already exists and was not written by tradesecrets; \
                 left alone (--force replaces it)",
                p.display()
            ),
            HookError::NotOurs(p) => write!(
                f,
                "{} was not written by tradesecrets (no `{MARKER}` line); left alone",
                p.display()
            ),
            HookError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for HookError {}

fn other(m: impl Into<String>) -> HookError {
    HookError::Other(m.into())
}

/// The directory git runs `repo`'s hooks from: `core.hooksPath` when set
/// (relative to the work tree), else the hooks directory of the common git
/// directory, shared by every worktree. Asks git itself, since git is what
/// will run the hook.
pub fn hooks_dir(repo: &Path) -> Result<PathBuf, HookError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--path-format=absolute", "--git-path", "hooks"])
        .output()
        .map_err(|e| other(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(other(format!(
            "{}: not a git repository ({})",
            repo.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let p = PathBuf::from(s);
    Ok(if p.is_absolute() { p } else { repo.join(p) })
}

/// Whether the file at `path` is a hook we wrote.
pub fn is_ours(path: &Path) -> bool {
    std::fs::read(path)
        .map(|b| {
            String::from_utf8_lossy(&b)
                .lines()
                .any(|l| l.trim() == MARKER)
        })
        .unwrap_or(false)
}

/// Single-quotes `s` for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The hook script: runs `exe` (the binary that installed it) when it is
/// still there, else `tradesecrets` from PATH, else fails closed.
pub fn script(kind: HookKind, exe: Option<&Path>) -> String {
    let exe = exe
        .and_then(|p| p.to_str())
        .map(sh_quote)
        .unwrap_or_else(|| "tradesecrets".to_string());
    let (what, skip, call) = match kind {
        HookKind::PreCommit => (
            "Blocks a commit that adds exchange API credentials, wallet keys or\n\
             # seed phrases: scans the staged changes (`tradesecrets git --staged`).",
            "git commit --no-verify",
            "hook pre-commit",
        ),
        HookKind::PrePush => (
            "Blocks a push of commits that add exchange API credentials, wallet\n\
             # keys or seed phrases: scans each pushed range (a new branch: its\n\
             # commits that the remote does not have).",
            "git push --no-verify",
            "hook pre-push --",
        ),
    };
    format!(
        "#!/bin/sh\n\
         {MARKER}\n\
         # Written by `tradesecrets install-hook`; `tradesecrets uninstall-hook` removes it.\n\
         # {what}\n\
         # Skip it once: `{skip}`. TRADESECRETS=/path/to/tradesecrets overrides the binary.\n\
         ts=${{TRADESECRETS:-{exe}}}\n\
         if [ ! -x \"$ts\" ]; then\n\
         \x20   ts=$(command -v \"$ts\" || command -v tradesecrets) || {{\n\
         \x20       echo \"tradesecrets: not found, so nothing was checked: install it, or skip this check once with \\`{skip}\\`\" >&2\n\
         \x20       exit 1\n\
         \x20   }}\n\
         fi\n\
         exec \"$ts\" {call} \"$@\"\n"
    )
}

/// What [`install`] did.
#[derive(Debug)]
pub struct Installed {
    pub path: PathBuf,
    /// A hook was there before (ours, or another with `force`).
    pub replaced: bool,
    /// Where another tool's hook replaced with `force` was kept.
    pub backup: Option<PathBuf>,
}

/// Writes the `kind` hook into `repo`'s hooks directory. A hook already
/// there is replaced only when we wrote it or `force` is set.
pub fn install(
    repo: &Path,
    kind: HookKind,
    force: bool,
    exe: Option<&Path>,
) -> Result<Installed, HookError> {
    let dir = hooks_dir(repo)?;
    let path = dir.join(kind.file_name());
    let exists = path.symlink_metadata().is_ok();
    if exists && !force && !is_ours(&path) {
        return Err(HookError::Exists(path));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| other(format!("cannot create {}: {e}", dir.display())))?;
    // Another tool's hook replaced with `force` is kept beside it, under a
    // name no earlier backup has taken.
    let backup = if exists && !is_ours(&path) {
        let free = (0..)
            .map(|n| match n {
                0 => dir.join(format!("{}.before-tradesecrets", kind.file_name())),
                n => dir.join(format!("{}.before-tradesecrets.{n}", kind.file_name())),
            })
            .find(|p| p.symlink_metadata().is_err())
            .expect("an unused name");
        std::fs::copy(&path, &free).map_err(|e| {
            other(format!(
                "cannot keep {} as {}: {e}",
                path.display(),
                free.display()
            ))
        })?;
        Some(free)
    } else {
        None
    };
    let tmp = dir.join(format!(".{}.tradesecrets.tmp", kind.file_name()));
    let write = || -> std::io::Result<()> {
        std::fs::write(&tmp, script(kind, exe))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
        }
        std::fs::rename(&tmp, &path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        other(format!("cannot write {}: {e}", path.display()))
    })?;
    Ok(Installed {
        path,
        replaced: exists,
        backup,
    })
}

/// What [`uninstall`] did.
#[derive(Debug)]
pub enum Uninstalled {
    Removed(PathBuf),
    /// There was no such hook.
    Absent(PathBuf),
}

/// Removes the `kind` hook from `repo` if, and only if, we wrote it.
pub fn uninstall(repo: &Path, kind: HookKind) -> Result<Uninstalled, HookError> {
    let path = hooks_dir(repo)?.join(kind.file_name());
    if path.symlink_metadata().is_err() {
        return Ok(Uninstalled::Absent(path));
    }
    if !is_ours(&path) {
        return Err(HookError::NotOurs(path));
    }
    std::fs::remove_file(&path)
        .map_err(|e| other(format!("cannot remove {}: {e}", path.display())))?;
    Ok(Uninstalled::Removed(path))
}

// --- what a hook scans -----------------------------------------------------

/// One scan a hook runs.
#[derive(Debug, Clone)]
pub struct Target {
    pub opts: GitOptions,
    /// Staged changes scanned as a range through a temporary commit (see
    /// [`staged_target`]): report them as staged, without commit details.
    pub as_staged: bool,
    /// What is scanned, for messages: `staged changes`, `refs/heads/x 1a2b3c4..5d6e7f8`.
    pub label: String,
}

fn open(repo: &str) -> Result<Repository, String> {
    Repository::open_ext(
        repo,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    )
    .map_err(|e| format!("{repo}: not a git repository: {}", e.message()))
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(10)]
}

/// The staged changes of `repo`: `git --staged`, except when git hands the
/// hook another index in `GIT_INDEX_FILE` (`git commit -a`, `git commit
/// PATH`: the commit is built in a temporary index, and the repository's own
/// index still holds the old state). That index is then written as a tree
/// (`git write-tree`, as the commit itself is about to) and a dangling,
/// never-referenced commit of it on top of HEAD is scanned as a range, which
/// is the same diff.
pub fn staged_target(repo: &str) -> Result<Target, String> {
    let plain = Target {
        opts: GitOptions {
            staged: true,
            ..Default::default()
        },
        as_staged: false,
        label: "staged changes".into(),
    };
    let Some(index) = std::env::var_os("GIT_INDEX_FILE").filter(|v| !v.is_empty()) else {
        return Ok(plain);
    };
    let r = open(repo)?;
    let index = std::env::current_dir()
        .map(|d| d.join(&index))
        .unwrap_or_else(|_| PathBuf::from(&index));
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if canon(&index) == canon(&r.path().join("index")) {
        return Ok(plain);
    }
    let workdir = r.workdir().unwrap_or_else(|| r.path()).to_path_buf();
    let out = Command::new("git")
        .arg("write-tree")
        .current_dir(&workdir)
        .env("GIT_INDEX_FILE", &index)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cannot read the index {}: {}",
            index.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let tree_id = Oid::from_str(String::from_utf8_lossy(&out.stdout).trim())
        .map_err(|e| format!("git write-tree: {}", e.message()))?;
    let tree = r
        .find_tree(tree_id)
        .map_err(|e| format!("git write-tree: {}", e.message()))?;
    let head = r.head().ok().and_then(|h| h.peel_to_commit().ok());
    let sig = git2::Signature::new(
        "tradesecrets",
        "tradesecrets@localhost",
        &git2::Time::new(0, 0),
    )
    .map_err(|e| e.message().to_string())?;
    let parents: Vec<&git2::Commit> = head.iter().collect();
    let commit = r
        .commit(
            None,
            &sig,
            &sig,
            "tradesecrets: staged changes",
            &tree,
            &parents,
        )
        .map_err(|e| format!("cannot stage a temporary commit: {}", e.message()))?;
    Ok(Target {
        opts: GitOptions {
            branch: Some(commit.to_string()),
            since_commit: head.map(|h| h.id().to_string()),
            staged: false,
            shard: None,
        },
        as_staged: true,
        label: "staged changes".into(),
    })
}

/// Makes findings of an `as_staged` target look like `--staged` ones.
pub fn as_staged(report: &mut ScanReport) {
    for f in &mut report.findings {
        f.present_at_head = None;
        for l in &mut f.locations {
            l.commit = None;
        }
    }
}

fn range(branch: &str, since: Option<&str>, label: String) -> Target {
    Target {
        opts: GitOptions {
            branch: Some(branch.to_string()),
            since_commit: since.map(str::to_string),
            staged: false,
            shard: None,
        },
        as_staged: false,
        label,
    }
}

/// What a pre-push hook scans: for each line git writes on its stdin,
/// `<local ref> <local sha> <remote ref> <remote sha>`, the commits pushed.
/// A deletion pushes nothing. An update of a ref whose old value we have
/// is `remote sha..local sha`. A new ref (or one whose old value we lack)
/// scans the commits not on any of the remote's tracking refs
/// (`refs/remotes/REMOTE/*`): against the base those commits start from,
/// or the whole history when they reach a root commit (a first push, or a
/// remote we know nothing of: pushing to a URL).
pub fn pre_push_targets(
    repo: &str,
    remote: Option<&str>,
    stdin: &str,
) -> Result<Vec<Target>, String> {
    let r = open(repo)?;
    let mut targets: Vec<Target> = Vec::new();
    for line in stdin.lines() {
        let fields: Vec<&str> = line.rsplitn(4, ' ').collect();
        let [remote_sha, remote_ref, local_sha, local_ref] = fields[..] else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(format!("unexpected pre-push line: {line:?}"));
        };
        if local_sha == ZERO {
            continue; // a deletion
        }
        let Some(local) = peel(&r, local_sha) else {
            return Err(format!("{local_ref}: no such commit {local_sha}"));
        };
        let label = format!("{local_ref} -> {remote_ref}");
        if remote_sha != ZERO && peel(&r, remote_sha).is_some() {
            if peel(&r, remote_sha) != Some(local) {
                targets.push(range(
                    local_sha,
                    Some(remote_sha),
                    format!("{label} {}..{}", short(remote_sha), short(local_sha)),
                ));
            }
            continue;
        }
        if let Some(t) = new_ref_target(&r, local, remote, label)? {
            targets.push(t);
        }
    }
    Ok(targets)
}

fn peel(r: &Repository, rev: &str) -> Option<Oid> {
    r.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .ok()
        .map(|c| c.id())
}

/// The commits of `local` that are on none of `remote`'s tracking refs, as
/// one target: `None` when there are none.
fn new_ref_target(
    r: &Repository,
    local: Oid,
    remote: Option<&str>,
    label: String,
) -> Result<Option<Target>, String> {
    let err = |e: git2::Error| format!("cannot walk history: {}", e.message());
    let mut hidden: Vec<Oid> = Vec::new();
    if let Some(remote) = remote.filter(|s| !s.is_empty()) {
        let glob = format!("refs/remotes/{remote}/*");
        for rf in r.references_glob(&glob).map_err(err)?.flatten() {
            if let Ok(c) = rf.peel_to_commit() {
                hidden.push(c.id());
            }
        }
    }
    let walk_from = |base: Option<Oid>| -> Result<Vec<Oid>, String> {
        let mut w = r.revwalk().map_err(err)?;
        w.push(local).map_err(err)?;
        for h in hidden.iter().chain(base.iter()) {
            w.hide(*h).map_err(err)?;
        }
        w.collect::<Result<Vec<_>, _>>().map_err(err)
    };
    let new = walk_from(None)?;
    if new.is_empty() {
        return Ok(None);
    }
    let set: HashSet<Oid> = new.iter().copied().collect();
    let mut bases: Vec<Oid> = Vec::new();
    for &c in &new {
        let commit = r.find_commit(c).map_err(err)?;
        if commit.parent_count() == 0 {
            let l = local.to_string();
            return Ok(Some(range(
                &l,
                None,
                format!("{label} (new: its whole history)"),
            )));
        }
        for p in commit.parent_ids() {
            if !set.contains(&p) && !bases.contains(&p) {
                bases.push(p);
            }
        }
    }
    // Commits of `local` minus one base's history hold the new ones and
    // perhaps more (when they merge more than one old line): the base
    // that leaves the fewest.
    let mut best: Option<(usize, Oid)> = None;
    for &b in bases.iter().take(16) {
        let n = walk_from(Some(b))?.len();
        if best.is_none_or(|(m, _)| n < m) {
            best = Some((n, b));
        }
    }
    let base = best.map(|(_, b)| b.to_string());
    let l = local.to_string();
    Ok(Some(range(
        &l,
        base.as_deref(),
        format!(
            "{label} (new: {}..{})",
            base.as_deref().map(short).unwrap_or(""),
            short(&l)
        ),
    )))
}

/// What the hook scans when the pre-commit framework runs it, from the
/// environment it sets: the range `PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF`
/// when both are set (stage pre-push, or `pre-commit run --from-ref A
/// --to-ref B` in any stage); a pre-push of a branch with root commits
/// (`PRE_COMMIT_REMOTE_NAME` set without refs) scans the local branch's
/// whole history; otherwise the staged changes.
pub fn framework_targets(
    repo: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Target>, String> {
    let var = |k: &str| env(k).filter(|v| !v.is_empty());
    if let (Some(from), Some(to)) = (var("PRE_COMMIT_FROM_REF"), var("PRE_COMMIT_TO_REF")) {
        return Ok(vec![range(
            &to,
            Some(&from),
            format!("{}..{}", short(&from), short(&to)),
        )]);
    }
    if var("PRE_COMMIT_REMOTE_NAME").is_some() {
        let local = var("PRE_COMMIT_LOCAL_BRANCH").unwrap_or_else(|| "HEAD".into());
        return Ok(vec![range(
            &local,
            None,
            format!("{local} (new: its whole history)"),
        )]);
    }
    Ok(vec![staged_target(repo)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_quotes() {
        assert_eq!(sh_quote("/a b/it's"), r"'/a b/it'\''s'");
    }

    #[test]
    fn scripts_carry_the_marker_and_the_call() {
        let s = script(HookKind::PrePush, Some(Path::new("/opt/ts")));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.lines().any(|l| l == MARKER));
        assert!(s.contains("ts=${TRADESECRETS:-'/opt/ts'}"));
        assert!(s.contains("exec \"$ts\" hook pre-push -- \"$@\""));
        let s = script(HookKind::PreCommit, None);
        assert!(s.contains("ts=${TRADESECRETS:-tradesecrets}"));
        assert!(s.contains("exec \"$ts\" hook pre-commit \"$@\""));
    }

    #[test]
    fn framework_refs_make_a_range() {
        let env = |k: &str| match k {
            "PRE_COMMIT_FROM_REF" => Some("aaaa".to_string()),
            "PRE_COMMIT_TO_REF" => Some("bbbb".to_string()),
            _ => None,
        };
        let t = framework_targets(".", &env).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].opts.branch.as_deref(), Some("bbbb"));
        assert_eq!(t[0].opts.since_commit.as_deref(), Some("aaaa"));
        let env = |k: &str| (k == "PRE_COMMIT_REMOTE_NAME").then(|| "origin".to_string());
        let t = framework_targets(".", &env).unwrap();
        assert_eq!(t[0].opts.branch.as_deref(), Some("HEAD"));
        assert_eq!(t[0].opts.since_commit, None);
    }
}
