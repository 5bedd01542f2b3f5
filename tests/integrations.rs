//! Where users run it, for real: the plain git hooks of `tradesecrets
//! install-hook` (real commits and pushes in temporary repositories), the
//! pre-commit framework running `.pre-commit-hooks.yaml` (`pre-commit
//! try-repo` and `pre-commit install` + `git commit`), and the GitHub
//! Action's script (`scripts/action.sh`) in a simulated Actions environment.
//! The README's quick starts are read from the README itself.
//!
//! Repositories come from `fixtures/integrations/*.sh`; the credentials in
//! them are generated here, at test time. pre-commit and check-jsonschema
//! come from PyPI, installed by `scripts/test.sh` into `target/tools/venv`:
//! without them these tests say so and pass, except under `CI=true`, where
//! they fail. The `language: python` and `language: rust` hooks, which
//! pre-commit builds (maturin, `cargo install`: minutes), and the wheel are
//! `#[ignore]`d here and run by `.ci/run`.

mod common;

use common::{Creds, creds, fixtures, valid_sarif};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tradesecrets::app::hooks::MARKER;

// --- helpers -----------------------------------------------------------------

impl Creds {
    /// `text` names the finding (its rule), shows the redacted values, and
    /// never the secrets themselves.
    fn assert_reported_redacted(&self, text: &str) {
        assert!(
            text.contains("binance.secret-key"),
            "the finding is not named:\n{text}"
        );
        for v in &self.values {
            assert!(!text.contains(v.as_str()), "a secret is shown:\n{text}");
            // As the reports redact it (a `0x` value keeps its prefix).
            let shown = tradesecrets::finding::redact(v, None);
            assert!(text.contains(&shown), "no redacted value {shown}:\n{text}");
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tradesecrets"))
}

/// No user or system git configuration, no inherited repository.
fn hermetic(c: &mut Command) -> &mut Command {
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_CEILING_DIRECTORIES")
        .env_remove("TRADESECRETS")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
}

/// Runs `fixtures/integrations/NAME.sh ARGS...` with `SECRET_*` variables.
fn fixture(name: &str, args: &[&Path], secrets: &[(&str, &str)]) {
    let script = fixtures().join("integrations").join(format!("{name}.sh"));
    let out = hermetic(Command::new("bash").arg(&script).args(args))
        .envs(secrets.iter().copied())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `git -C dir ARGS`, without checking the outcome.
fn git_out(dir: &Path, args: &[&str]) -> Output {
    hermetic(Command::new("git").arg("-C").arg(dir).args(args))
        .output()
        .unwrap()
}

/// `git -C dir ARGS`, which must succeed: trimmed stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_out(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// `tradesecrets ARGS` (hermetic git), its output.
fn ts(args: &[&str], repo: &Path) -> Output {
    ts_cmd().args(args).arg(repo).output().unwrap()
}

/// The built binary, hermetic.
fn ts_cmd() -> Command {
    let mut c = Command::new(exe());
    hermetic(&mut c);
    c
}

/// A tool from `target/tools/venv` (what scripts/test.sh installs) or PATH.
/// Missing: `None` with a message, or under CI=true a failure.
fn tool(name: &str) -> Option<PathBuf> {
    let venv = root().join("target/tools/venv/bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    let msg = format!(
        "`{name}` is missing: scripts/test.sh installs it (from PyPI into target/tools/venv)"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}; CI=true requires it");
    }
    eprintln!("SKIPPED: {msg}");
    None
}

/// PATH with the freshly built binary's directory first.
fn path_with_binary() -> std::ffi::OsString {
    let mut dirs = vec![exe().parent().unwrap().to_path_buf()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap()
}

/// The first fenced code block after `<!-- quickstart: NAME -->` in README.md.
fn readme_block(name: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = format!("<!-- quickstart: {name} -->");
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no `{marker}`"));
    let rest = &readme[at + marker.len()..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

// --- install-hook: plain git hooks ---------------------------------------

fn commit(repo: &Path, args: &[&str]) -> Output {
    let mut a = vec!["commit", "-q"];
    a.extend_from_slice(args);
    git_out(repo, &a)
}

fn head(repo: &Path) -> String {
    git(repo, &["rev-parse", "HEAD"])
}

#[test]
fn pre_commit_hook_blocks_a_staged_key_and_lets_clean_commits_through() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    let out = ts(&["install-hook"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("installed a pre-commit hook"));
    let hook = repo.join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.lines().any(|l| l == MARKER), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "not executable: {mode:o}");
    }

    // Clean changes: committed.
    write(
        &repo.join("docs/setup.md"),
        "Set BINANCE_API_KEY in the vault.\n",
    );
    git(&repo, &["add", "docs/setup.md"]);
    let out = commit(&repo, &["-m", "docs"]);
    assert!(out.status.success(), "{}", text(&out));
    let clean = head(&repo);

    // A key staged: blocked, nothing committed.
    let c = creds("integrations/pre-commit/staged");
    write(&repo.join("deploy/.env"), &c.env);
    git(&repo, &["add", "deploy/.env"]);
    let out = commit(&repo, &["-m", "deploy config"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    c.assert_reported_redacted(&t);
    assert!(t.contains("deploy/.env:2"), "{t}");
    assert!(t.contains("commit blocked"), "{t}");
    assert_eq!(head(&repo), clean);

    // Unstaged again, the same commit goes through (the key is not in it).
    git(&repo, &["reset", "-q"]);
    write(&repo.join("README.md"), "# app\n\nMore docs.\n");
    git(&repo, &["add", "README.md"]);
    let out = commit(&repo, &["-m", "more docs"]);
    assert!(out.status.success(), "{}", text(&out));
    let clean = head(&repo);

    // `git commit -a` and `git commit PATH` build the commit in a temporary
    // index (GIT_INDEX_FILE): blocked too.
    let c = creds("integrations/pre-commit/all");
    write(&repo.join("app.env"), &format!("LOG_LEVEL=info\n{}", c.env));
    let out = commit(&repo, &["-a", "-m", "tracked change"]);
    assert_eq!(out.status.code(), Some(1), "commit -a: {}", text(&out));
    c.assert_reported_redacted(&text(&out));
    assert!(text(&out).contains("app.env:3"), "{}", text(&out));
    let out = commit(&repo, &["-m", "one path", "--", "app.env"]);
    assert_eq!(out.status.code(), Some(1), "commit PATH: {}", text(&out));
    c.assert_reported_redacted(&text(&out));
    assert_eq!(head(&repo), clean);
    // No temporary commit of ours is left reachable.
    assert_eq!(git(&repo, &["rev-list", "--all", "--count"]), "3");

    // `--no-verify` is the documented way past it.
    let out = commit(&repo, &["-a", "--no-verify", "-m", "accepted"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn install_hook_refuses_a_foreign_hook_and_uninstall_removes_only_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    let hook = repo.join(".git/hooks/pre-commit");
    let theirs = "#!/bin/sh\necho 'their hook'\n";
    write(&hook, theirs);

    let out = ts(&["install-hook"], &repo);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("already exists"), "{}", text(&out));
    assert!(text(&out).contains("--force"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    let out = ts(&["uninstall-hook"], &repo);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("not written by tradesecrets"));
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), theirs);

    let out = ts(&["install-hook", "--force"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("replaced"), "{}", text(&out));
    assert!(std::fs::read_to_string(&hook).unwrap().contains(MARKER));
    // Their hook is kept, and says where.
    let backup = repo.join(".git/hooks/pre-commit.before-tradesecrets");
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), theirs);
    assert!(
        text(&out).contains("pre-commit.before-tradesecrets"),
        "{}",
        text(&out)
    );
    // A second foreign hook replaced later gets a name of its own.
    write(&hook, "#!/bin/sh\necho other\n");
    let out = ts(&["install-hook", "--force"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    let second = repo.join(".git/hooks/pre-commit.before-tradesecrets.1");
    assert!(std::fs::read_to_string(&second).unwrap().contains("other"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), theirs);
    // Ours is replaced without --force (an update).
    let out = ts(&["install-hook"], &repo);
    assert!(out.status.success(), "{}", text(&out));

    // The pre-push hook is another file; uninstalling one leaves the other.
    let out = ts(&["install-hook", "--pre-push"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    let out = ts(&["uninstall-hook"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!hook.exists());
    assert!(repo.join(".git/hooks/pre-push").exists());
    let out = ts(&["uninstall-hook"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("no pre-commit hook"), "{}", text(&out));
    let out = ts(&["uninstall-hook", "--pre-push"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!repo.join(".git/hooks/pre-push").exists());

    // Without the hook, a key is committed (nothing checks).
    let c = creds("integrations/uninstalled");
    write(&repo.join(".env"), &c.env);
    git(&repo, &["add", ".env"]);
    let out = commit(&repo, &["-m", "key"]);
    assert!(out.status.success(), "{}", text(&out));

    // Not a repository: an error, nothing written.
    let out = ts(&["install-hook"], &tmp.path().join("nowhere"));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn install_hook_follows_core_hooks_path_and_worktrees() {
    let tmp = tempfile::tempdir().unwrap();

    // core.hooksPath, relative to the work tree.
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    git(&repo, &["config", "core.hooksPath", ".githooks"]);
    let out = ts(&["install-hook"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    assert!(repo.join(".githooks/pre-commit").is_file());
    assert!(!repo.join(".git/hooks/pre-commit").exists());
    let c = creds("integrations/hooks-path");
    write(&repo.join("k.env"), &c.env);
    git(&repo, &["add", "k.env"]);
    let out = commit(&repo, &["-m", "key"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));

    // A linked worktree: hooks live in the common git directory, for every
    // worktree; installing from the worktree puts it there.
    let main = tmp.path().join("main");
    fixture("clean", &[&main], &[]);
    let wt = tmp.path().join("wt");
    git(
        &main,
        &["worktree", "add", "-q", "-b", "side", wt.to_str().unwrap()],
    );
    let out = ts(&["install-hook"], &wt);
    assert!(out.status.success(), "{}", text(&out));
    assert!(main.join(".git/hooks/pre-commit").is_file());
    for dir in [&wt, &main] {
        // Seeds without the temp path: the same values on every run.
        let which = if dir == &wt { "linked" } else { "main" };
        let c = creds(&format!("integrations/worktree/{which}"));
        write(&dir.join("k.env"), &c.env);
        git(dir, &["add", "k.env"]);
        let before = head(dir);
        let out = commit(dir, &["-m", "key"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        c.assert_reported_redacted(&text(&out));
        assert_eq!(head(dir), before);
    }
}

#[test]
fn pre_push_hook_scans_each_pushed_range() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("work");
    let origin = tmp.path().join("origin.git");
    fixture("clean", &[&repo, &origin], &[]);
    let out = ts(&["install-hook", "--pre-push"], &repo);
    assert!(out.status.success(), "{}", text(&out));
    let remote_main = || git(&origin, &["rev-parse", "main"]);
    let push = |args: &[&str]| {
        let mut a = vec!["push", "-q"];
        a.extend_from_slice(args);
        git_out(&repo, &a)
    };

    // Clean commits: pushed.
    write(&repo.join("docs.md"), "docs\n");
    git(&repo, &["add", "docs.md"]);
    assert!(commit(&repo, &["-m", "docs"]).status.success());
    let out = push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    let pushed = head(&repo);
    assert_eq!(remote_main(), pushed);

    // A key in a pushed commit: blocked, the remote keeps its main. Removing
    // it in a later commit does not help: the range still holds it.
    let c = creds("integrations/pre-push/main");
    write(&repo.join("prod.env"), &c.env);
    git(&repo, &["add", "prod.env"]);
    assert!(commit(&repo, &["-m", "prod config"]).status.success());
    git(&repo, &["rm", "-q", "prod.env"]);
    assert!(commit(&repo, &["-m", "oops"]).status.success());
    let out = push(&["origin", "main"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    c.assert_reported_redacted(&t);
    assert!(t.contains("push blocked"), "{t}");
    assert_eq!(remote_main(), pushed);

    // Accepted (pushed with --no-verify): a new branch from there scans only
    // its own commits, not what the remote already has.
    let out = push(&["--no-verify", "origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    git(&repo, &["checkout", "-q", "-b", "feature"]);
    write(&repo.join("feature.md"), "feature\n");
    git(&repo, &["add", "feature.md"]);
    assert!(commit(&repo, &["-m", "feature"]).status.success());
    let out = push(&["-u", "origin", "feature"]);
    assert!(out.status.success(), "{}", text(&out));

    // A new branch with a key: blocked.
    git(&repo, &["checkout", "-q", "-b", "leaky"]);
    let c = creds("integrations/pre-push/new-branch");
    write(&repo.join("leaky.env"), &c.env);
    git(&repo, &["add", "leaky.env"]);
    assert!(commit(&repo, &["-m", "leaky"]).status.success());
    write(&repo.join("leaky.md"), "more\n");
    git(&repo, &["add", "leaky.md"]);
    assert!(commit(&repo, &["-m", "more"]).status.success());
    let out = push(&["origin", "leaky"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
    assert!(text(&out).contains("(new:"), "{}", text(&out));
    assert!(
        git_out(&origin, &["rev-parse", "--verify", "-q", "leaky"])
            .stdout
            .is_empty()
    );

    // Two refs at once: each range is scanned, the blocked one is named.
    git(&repo, &["checkout", "-q", "feature"]);
    write(&repo.join("feature.md"), "feature, more\n");
    git(&repo, &["add", "feature.md"]);
    assert!(commit(&repo, &["-m", "feature 2"]).status.success());
    let out = push(&["origin", "feature", "leaky"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));

    // Deleting a remote branch pushes nothing.
    let out = push(&["origin", "--delete", "feature"]);
    assert!(out.status.success(), "{}", text(&out));

    // A remote we know nothing of (a URL, no tracking refs): the whole
    // history is new to it, including the key accepted on origin.
    let other = tmp.path().join("other.git");
    git(
        tmp.path(),
        &["init", "-q", "--bare", other.to_str().unwrap()],
    );
    let out = push(&[other.to_str().unwrap(), "main"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    creds("integrations/pre-push/main").assert_reported_redacted(&text(&out));
}

#[test]
fn hook_pre_push_reads_git_s_lines() {
    // The subcommand itself, fed the lines git writes.
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("work");
    let origin = tmp.path().join("origin.git");
    fixture("clean", &[&repo, &origin], &[]);
    let base = head(&repo);
    let c = creds("integrations/hook/lines");
    write(&repo.join("a.env"), &c.env);
    git(&repo, &["add", "a.env"]);
    assert!(commit(&repo, &["-m", "key"]).status.success());
    let tip = head(&repo);
    let zero = "0".repeat(40);
    let run = |stdin: String| {
        let mut c = ts_cmd();
        c.current_dir(&repo)
            .args(["hook", "pre-push", "--format", "json", "--", "origin"])
            .arg(&origin)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let count = |out: &Output| -> usize {
        let v: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
        v["findings"].as_array().unwrap().len()
    };
    let out = run(format!("refs/heads/main {tip} refs/heads/main {base}\n"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(count(&out), 1);
    // The same range twice (two refs): one finding.
    let out = run(format!(
        "refs/heads/main {tip} refs/heads/main {base}\nrefs/heads/x {tip} refs/heads/x {zero}\n"
    ));
    assert_eq!(count(&out), 1, "{}", text(&out));
    // Nothing new, a deletion, no lines at all: nothing to scan.
    for stdin in [
        format!("refs/heads/main {base} refs/heads/main {base}\n"),
        format!("(delete) {zero} refs/heads/old {base}\n"),
        String::new(),
    ] {
        let out = run(stdin.clone());
        assert_eq!(out.status.code(), Some(0), "{stdin}: {}", text(&out));
        assert_eq!(count(&out), 0);
    }
    let out = run("garbage\n".into());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

// --- the pre-commit framework ----------------------------------------------

/// A git repository holding `files` (paths relative to the project root),
/// committed: what pre-commit clones a hook repository from.
fn hook_repo(dir: &Path, files: &[String]) -> String {
    for f in files {
        let to = dir.join(f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(f), &to).unwrap_or_else(|e| panic!("{f}: {e}"));
    }
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--no-verify", "-m", "hooks"]);
    head(dir)
}

/// `pre-commit ARGS` in `repo`, with the built binary first on PATH.
fn pre_commit(pc: &Path, repo: &Path, home: &Path, args: &[&str]) -> Output {
    hermetic(&mut Command::new(pc))
        .current_dir(repo)
        .args(args)
        .env("PATH", path_with_binary())
        .env("PRE_COMMIT_HOME", home)
        .env("PRE_COMMIT_COLOR", "never")
        .env_remove("PRE_COMMIT")
        .output()
        .unwrap()
}

#[test]
fn pre_commit_framework_runs_the_system_hook_on_each_stage() {
    let Some(pc) = tool("pre-commit") else { return };
    let tmp = tempfile::tempdir().unwrap();
    let hooks = tmp.path().join("hooks");
    hook_repo(&hooks, &[".pre-commit-hooks.yaml".into()]);
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    let home = tmp.path().join("pre-commit-home");
    let hooks_s = hooks.to_str().unwrap();
    let try_repo = |stage: &str, more: &[&str]| {
        let mut a = vec![
            "try-repo",
            hooks_s,
            "tradesecrets-system",
            "--hook-stage",
            stage,
        ];
        a.extend_from_slice(more);
        pre_commit(&pc, &repo, &home, &a)
    };

    // Something clean staged: passes.
    write(&repo.join("docs.md"), "docs\n");
    git(&repo, &["add", "docs.md"]);
    let out = try_repo("pre-commit", &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Passed"), "{}", text(&out));

    // A key staged: fails, names the finding, redacts the secret.
    let c = creds("integrations/pre-commit-framework/staged");
    write(&repo.join("config/.env"), &c.env);
    git(&repo, &["add", "config/.env"]);
    let out = try_repo("pre-commit", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("Failed"), "{t}");
    c.assert_reported_redacted(&t);

    // Committed past the hook: pre-push and manual with a range scan it.
    assert!(
        commit(&repo, &["--no-verify", "-m", "key"])
            .status
            .success()
    );
    let before = git(&repo, &["rev-parse", "HEAD~1"]);
    let after = head(&repo);
    for stage in ["pre-push", "manual"] {
        let out = try_repo(stage, &["--from-ref", &before, "--to-ref", &after]);
        assert_eq!(out.status.code(), Some(1), "{stage}: {}", text(&out));
        c.assert_reported_redacted(&text(&out));
    }
    // The next range is clean.
    write(&repo.join("more.md"), "more\n");
    git(&repo, &["add", "more.md"]);
    assert!(
        commit(&repo, &["--no-verify", "-m", "more"])
            .status
            .success()
    );
    let out = try_repo("pre-push", &["--from-ref", &after, "--to-ref", "HEAD"]);
    assert!(out.status.success(), "{}", text(&out));
}

/// The README's pre-commit quick start, pointed at a local copy of this
/// repository (`files`), with `pre-commit install` and real commits.
fn readme_pre_commit_quick_start(pc: &Path, files: &[String], hook_id: &str, env: &[(&str, &str)]) {
    let tmp = tempfile::tempdir().unwrap();
    let hooks = tmp.path().join("hooks");
    let rev = hook_repo(&hooks, files);
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    let home = tmp.path().join("pre-commit-home");

    let config = readme_block("pre-commit");
    assert!(
        config.contains("repo: https://github.com/tradesecrets/tradesecrets")
            && config.contains("id: tradesecrets\n"),
        "README pre-commit config changed:\n{config}"
    );
    let config = config
        .replace(
            "https://github.com/tradesecrets/tradesecrets",
            hooks.to_str().unwrap(),
        )
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("rev:") {
                format!("{}rev: {rev}", &l[..l.find("rev:").unwrap()])
            } else {
                l.replace("id: tradesecrets", &format!("id: {hook_id}"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(&repo.join(".pre-commit-config.yaml"), &config);
    git(&repo, &["add", ".pre-commit-config.yaml"]);
    assert!(
        commit(&repo, &["--no-verify", "-m", "pre-commit config"])
            .status
            .success()
    );

    // The README's install command, as written there.
    let install = readme_block("pre-commit-install");
    let line = install
        .lines()
        .find(|l| l.starts_with("pre-commit install"))
        .expect("a `pre-commit install` line");
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let out = pre_commit(pc, &repo, &home, &args);
    assert!(out.status.success(), "{}", text(&out));

    let git_env = |args: &[&str]| {
        let mut c = Command::new("git");
        hermetic(&mut c)
            .arg("-C")
            .arg(&repo)
            .args(args)
            .env("PATH", path_with_binary())
            .env("PRE_COMMIT_HOME", &home)
            .env("PRE_COMMIT_COLOR", "never")
            .envs(env.iter().copied())
            .output()
            .unwrap()
    };
    write(&repo.join("docs.md"), "docs\n");
    git(&repo, &["add", "docs.md"]);
    let out = git_env(&["commit", "-q", "-m", "docs"]);
    assert!(out.status.success(), "{}", text(&out));
    let clean = head(&repo);

    let c = creds("integrations/readme-quick-start");
    write(&repo.join("deploy/.env"), &c.env);
    git(&repo, &["add", "deploy/.env"]);
    let out = git_env(&["commit", "-q", "-m", "key"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
    assert_eq!(head(&repo), clean);

    // The pre-push hook: a remote, a key committed past the pre-commit hook.
    let origin = tmp.path().join("origin.git");
    git(
        tmp.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            origin.to_str().unwrap(),
        ],
    );
    git(
        &repo,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    let commit_key = || {
        let out = git_env(&["commit", "-q", "--no-verify", "-m", "key"]);
        assert!(out.status.success(), "{}", text(&out));
    };
    // The first push: every commit is new to the remote (pre-commit passes
    // no range, only the remote's name): the whole history is scanned.
    commit_key();
    let out = git_env(&["push", "-q", "-u", "origin", "main"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
    git(&repo, &["reset", "-q", "--hard", &clean]);
    let out = git_env(&["push", "-q", "-u", "origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    // Then the pushed range.
    write(&repo.join("deploy/.env"), &c.env);
    git(&repo, &["add", "deploy/.env"]);
    commit_key();
    let out = git_env(&["push", "-q", "origin", "main"]);
    assert_ne!(out.status.code(), Some(0), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
    assert_eq!(git(&origin, &["rev-parse", "main"]), clean);
}

#[test]
fn hook_scripts_fall_back_to_path_and_fail_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("work");
    fixture("clean", &[&repo], &[]);
    assert!(ts(&["install-hook"], &repo).status.success());
    let c = creds("integrations/fallback");
    write(&repo.join("k.env"), &c.env);
    git(&repo, &["add", "k.env"]);
    let commit_with = |path: std::ffi::OsString| {
        hermetic(Command::new("git").arg("-C").arg(&repo))
            .args(["commit", "-q", "-m", "key"])
            .env("TRADESECRETS", tmp.path().join("gone/tradesecrets"))
            .env("PATH", path)
            .output()
            .unwrap()
    };
    // The recorded binary is gone: `tradesecrets` from PATH runs instead.
    let out = commit_with(path_with_binary());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
    // None at all: the commit is refused, with a way out.
    let git_dir = Path::new(&git(&repo, &["--exec-path"])).to_path_buf();
    let bare_path = std::env::join_paths(
        ["/usr/bin", "/bin"]
            .iter()
            .map(PathBuf::from)
            .chain([git_dir]),
    )
    .unwrap();
    let out = commit_with(bare_path);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("tradesecrets: not found"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("--no-verify"), "{}", text(&out));
}

#[test]
fn readme_pre_commit_quick_start_with_the_system_hook() {
    let Some(pc) = tool("pre-commit") else { return };
    readme_pre_commit_quick_start(
        &pc,
        &[".pre-commit-hooks.yaml".into()],
        "tradesecrets-system",
        &[],
    );
}

/// Every file of the project that git would commit (tracked, or new and not
/// ignored): what a clone of this repository at this state holds.
fn project_files() -> Vec<String> {
    let out = hermetic(Command::new("git").current_dir(root()).args([
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
    ]))
    .output()
    .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\0')
        .filter(|f| !f.is_empty() && root().join(f).is_file())
        .map(str::to_string)
        .collect()
}

#[test]
#[ignore = "pre-commit builds the hook with `cargo install` (minutes); .ci/run runs it"]
fn readme_pre_commit_quick_start_with_the_rust_hook() {
    let Some(pc) = tool("pre-commit") else { return };
    // pre-commit runs `cargo install --bins --path .` in its clone of this
    // repository, whatever PATH holds: PATH without our binary proves that
    // the hook runs the one it built. A target directory under target/
    // (another than cargo test's, whose lock this test holds) keeps the
    // dependencies built between runs; without LTO it links faster.
    let target = root().join("target/pre-commit-rust");
    readme_pre_commit_quick_start(
        &pc,
        &project_files(),
        "tradesecrets-rust",
        &[
            ("CARGO_TARGET_DIR", target.to_str().unwrap()),
            ("CARGO_PROFILE_RELEASE_LTO", "false"),
            ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
            ("PATH", &std::env::var("PATH").unwrap_or_default()),
        ],
    );
}

/// Cargo settings for the release builds of the tests below: a target
/// directory of their own under target/ (kept between runs, shared by the
/// wheel and the python hook), no LTO, no debug info.
fn wheel_build_env() -> Vec<(&'static str, String)> {
    let target = root().join("target/wheel");
    vec![
        ("CARGO_TARGET_DIR", target.display().to_string()),
        ("CARGO_PROFILE_RELEASE_LTO", "false".into()),
        ("CARGO_PROFILE_RELEASE_DEBUG", "false".into()),
    ]
}

#[test]
#[ignore = "pre-commit builds the wheel with maturin (minutes); .ci/run runs it"]
fn readme_pre_commit_quick_start_with_the_python_hook() {
    let Some(pc) = tool("pre-commit") else { return };
    // pre-commit runs `pip install .` in its clone of this repository:
    // pyproject.toml's maturin build. PATH without our binary proves the
    // hook runs the one in its virtualenv.
    let env = wheel_build_env();
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path = std::env::var("PATH").unwrap_or_default();
    env.push(("PATH", &path));
    readme_pre_commit_quick_start(&pc, &project_files(), "tradesecrets", &env);
}

#[test]
#[ignore = "builds the wheel with maturin (minutes); .ci/run runs it"]
fn pip_wheel_builds_a_wheel_whose_tradesecrets_runs() {
    let Some(python) = tool("python3") else {
        return;
    };
    // A copy of the project as git has it (what an sdist or a clone holds).
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    for f in project_files() {
        let to = src.join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root().join(&f), &to).unwrap();
    }
    let wheels = tmp.path().join("wheels");
    let out = Command::new(&python)
        .args([
            "-m",
            "pip",
            "wheel",
            ".",
            "--no-deps",
            "--disable-pip-version-check",
            "-w",
        ])
        .arg(&wheels)
        .current_dir(&src)
        .envs(wheel_build_env())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .expect("a .whl");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("tradesecrets-{}-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );
    // Into a fresh virtualenv; its `tradesecrets` finds a staged key.
    let venv = tmp.path().join("venv");
    let out = Command::new(&python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let bin = venv.join("bin/tradesecrets");
    let out = Command::new(&bin).arg("--version").output().unwrap();
    assert!(
        text(&out).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        text(&out)
    );
    let c = creds("integrations/wheel");
    let dir = tmp.path().join("scan");
    write(&dir.join("prod.env"), &c.env);
    let mut cmd = Command::new(&bin);
    let out = hermetic(&mut cmd)
        .args(["scan", ".", "--color", "never"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));

    // The release's hook repository (scripts/pre-commit-mirror.sh) installs
    // that wheel under the real pre-commit: with no index and no sdist, pip
    // can only use the wheel, so nothing is compiled.
    let Some(pc) = tool("pre-commit") else { return };
    let mirror = tmp.path().join("mirror");
    let out = Command::new("bash")
        .arg(root().join("scripts/pre-commit-mirror.sh"))
        .arg(env!("CARGO_PKG_VERSION"))
        .arg(&mirror)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    git(&mirror, &["init", "-q", "-b", "main"]);
    git(&mirror, &["add", "-A"]);
    git(&mirror, &["commit", "-q", "-m", "mirror"]);
    // setuptools (the mirror's build backend) from PyPI, beside the wheel.
    let out = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "-d",
        ])
        .arg(&wheels)
        .arg("setuptools>=61")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let work = tmp.path().join("work");
    fixture("clean", &[&work], &[]);
    let c = creds("integrations/mirror");
    write(&work.join("deploy/.env"), &c.env);
    git(&work, &["add", "deploy/.env"]);
    let out = hermetic(&mut Command::new(&pc))
        .current_dir(&work)
        .args([
            "try-repo",
            mirror.to_str().unwrap(),
            "tradesecrets",
            "--verbose",
        ])
        .env("PRE_COMMIT_HOME", tmp.path().join("pre-commit-home"))
        .env("PRE_COMMIT_COLOR", "never")
        .env("PIP_NO_INDEX", "1")
        .env("PIP_FIND_LINKS", &wheels)
        .env_remove("PRE_COMMIT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    c.assert_reported_redacted(&text(&out));
}

// --- the GitHub Action --------------------------------------------------------

struct Action {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: HashMap<String, String>,
    summary: String,
    sarif: Option<String>,
    /// The arguments of each run of the tradesecrets binary, one per line.
    runs: Vec<String>,
}

impl Action {
    fn count(&self) -> usize {
        self.outputs["findings-count"].parse().unwrap()
    }
    /// Everything the action wrote.
    fn all(&self) -> String {
        format!(
            "{}\n{}\n{}\n{:?}\n{}",
            self.stdout,
            self.stderr,
            self.summary,
            self.outputs,
            self.sarif.as_deref().unwrap_or("")
        )
    }
}

/// The fixture of `history.sh`: the old key (history only, on main) and the
/// new one (on feature, HEAD).
struct History {
    _tmp: tempfile::TempDir,
    repo: PathBuf,
    old: Creds,
    new: Creds,
}

fn history() -> History {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let old = creds("integrations/action/old");
    let new = creds("integrations/action/new");
    fixture(
        "history",
        &[&repo],
        &[("SECRET_OLD", &old.env), ("SECRET_NEW", &new.env)],
    );
    History {
        _tmp: tmp,
        repo,
        old,
        new,
    }
}

/// Runs scripts/action.sh as action.yml does, in a simulated Actions
/// environment: `event` and its payload, `inputs` as INPUT_* variables.
fn action(repo: &Path, event: &str, payload: Value, inputs: &[(&str, &str)]) -> Action {
    action_env(repo, event, payload, inputs, &[])
}

fn action_env(
    repo: &Path,
    event: &str,
    payload: Value,
    inputs: &[(&str, &str)],
    env: &[(&str, &str)],
) -> Action {
    if tool("jq").is_none() {
        panic!("jq is required by scripts/action.sh (scripts/test.sh installs it)");
    }
    let dir = tempfile::tempdir().unwrap();
    let event_path = dir.path().join("event.json");
    let output = dir.path().join("output");
    let summary = dir.path().join("summary.md");
    std::fs::write(&event_path, serde_json::to_vec(&payload).unwrap()).unwrap();
    std::fs::write(&output, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    // The binary behind a wrapper that logs each run's arguments.
    let runs = dir.path().join("runs.log");
    let wrapper = dir.path().join("tradesecrets");
    write(
        &wrapper,
        &format!(
            "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >>'{}'\nexec '{}' \"$@\"\n",
            runs.display(),
            exe().display()
        ),
    );
    make_executable(&wrapper);
    let mut c = Command::new("bash");
    hermetic(&mut c)
        .arg(root().join("scripts/action.sh"))
        .current_dir(dir.path())
        .env("TRADESECRETS", &wrapper)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_WORKSPACE", repo)
        .env("RUNNER_TEMP", dir.path())
        .envs(
            inputs
                .iter()
                .map(|(k, v)| (format!("INPUT_{}", k.to_uppercase().replace('-', "_")), *v)),
        )
        .envs(env.iter().copied());
    let out = c.output().unwrap();
    let outputs = step_outputs(&output);
    let sarif = outputs
        .get("sarif-file")
        .map(|f| repo.join(f))
        .and_then(|p| std::fs::read_to_string(p).ok());
    Action {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap(),
        sarif,
        runs: std::fs::read_to_string(&runs)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect(),
    }
}

/// The `name=value` lines a step wrote to GITHUB_OUTPUT.
fn step_outputs(file: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn make_executable(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

// --- the action's install step ----------------------------------------------

struct Install {
    code: i32,
    all: String,
    outputs: HashMap<String, String>,
    dest: PathBuf,
    _dir: tempfile::TempDir,
}

/// Runs scripts/action-install.sh as action.yml does, with the release
/// downloads at `releases` (a `file:` URL) and `env` on top.
fn install(releases: &Path, env: &[(&str, &str)]) -> Install {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let output = dir.join("output");
    std::fs::write(&output, "").unwrap();
    let dest = dir.join("bin-root");
    let mut c = Command::new("bash");
    hermetic(&mut c)
        .arg(root().join("scripts/action-install.sh"))
        .current_dir(&dir)
        .env("ACTION_PATH", root())
        .env("ACTION_REF", format!("v{}", env!("CARGO_PKG_VERSION")))
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &dir)
        .env("DEST", &dest)
        .env("GITHUB_OUTPUT", &output)
        .env(
            "TRADESECRETS_RELEASES",
            format!("file://{}", releases.display()),
        )
        .envs(env.iter().copied());
    let out = c.output().unwrap();
    let outputs = step_outputs(&output);
    Install {
        code: out.status.code().unwrap_or(-1),
        all: text(&out),
        outputs,
        dest,
        _dir: tmp,
    }
}

/// A release directory as the release workflow publishes it: per target a
/// `tradesecrets-TARGET.tar.gz` holding the binary, and SHA256SUMS.
fn fake_release(dir: &Path, tamper: bool) -> PathBuf {
    use sha2::Digest;
    let tag = dir.join(format!("v{}", env!("CARGO_PKG_VERSION")));
    let stage = dir.join("stage");
    std::fs::create_dir_all(&tag).unwrap();
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::copy(exe(), stage.join("tradesecrets")).unwrap();
    let archive = "tradesecrets-x86_64-unknown-linux-musl.tar.gz";
    let out = Command::new("tar")
        .arg("-czf")
        .arg(tag.join(archive))
        .arg("-C")
        .arg(&stage)
        .arg("tradesecrets")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let mut sum = sha2::Sha256::digest(std::fs::read(tag.join(archive)).unwrap());
    if tamper {
        sum[0] ^= 1;
    }
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    write(&tag.join("SHA256SUMS"), &format!("{hex}  {archive}\n"));
    dir.to_path_buf()
}

#[test]
fn action_installs_the_release_binary_after_checking_its_sha256() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = fake_release(tmp.path(), false);
    let i = install(&releases, &[]);
    assert_eq!(i.code, 0, "{}", i.all);
    assert_eq!(i.outputs["build"], "false", "{}", i.all);
    assert_eq!(i.outputs["version"], env!("CARGO_PKG_VERSION"));
    let bin = i.dest.join("bin/tradesecrets");
    let out = Command::new(&bin).arg("--version").output().unwrap();
    assert!(
        text(&out).contains(env!("CARGO_PKG_VERSION")),
        "{}",
        text(&out)
    );

    // A checksum that does not match stops the job: never installed, never
    // built instead.
    let tmp = tempfile::tempdir().unwrap();
    let releases = fake_release(tmp.path(), true);
    let i = install(&releases, &[]);
    assert_eq!(i.code, 2, "{}", i.all);
    assert!(i.all.contains("checksum mismatch"), "{}", i.all);
    assert!(!i.outputs.contains_key("build"), "{}", i.all);
    assert!(!i.dest.join("bin/tradesecrets").exists());
}

#[test]
fn action_builds_when_there_is_no_release_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = fake_release(tmp.path(), false);
    let empty = tempfile::tempdir().unwrap();
    for (env, why) in [
        (&[("ACTION_REF", "main")][..], "is not the release tag"),
        (
            &[("RUNNER_OS", "FreeBSD")][..],
            "no release binary for FreeBSD/X64",
        ),
        (&[("INPUT_INSTALL", "build")][..], "install: build"),
    ] {
        let i = install(&releases, env);
        assert_eq!(i.code, 0, "{env:?}: {}", i.all);
        assert_eq!(i.outputs["build"], "true", "{env:?}: {}", i.all);
        assert!(i.all.contains(why), "{env:?}: {}", i.all);
    }
    // A release without the files: build, unless the binary is required.
    let i = install(empty.path(), &[]);
    assert_eq!(i.outputs["build"], "true", "{}", i.all);
    assert!(i.all.contains("no SHA256SUMS"), "{}", i.all);
    let i = install(empty.path(), &[("INPUT_INSTALL", "release")]);
    assert_eq!(i.code, 2, "{}", i.all);
    assert!(!i.outputs.contains_key("build"), "{}", i.all);
    let i = install(empty.path(), &[("INPUT_INSTALL", "sometimes")]);
    assert_eq!(i.code, 2, "{}", i.all);
    assert!(i.all.contains("auto, release or build"), "{}", i.all);
}

fn results(sarif: &Value) -> &Vec<Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn action_on_a_pull_request_scans_its_commits() {
    let h = history();
    let base = git(&h.repo, &["rev-parse", "main"]);
    let tip = head(&h.repo);
    let payload = serde_json::json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {"base": {"sha": base, "ref": "main"}, "head": {"sha": tip, "ref": "feature"}}
    });
    let a = action(&h.repo, "pull_request", payload.clone(), &[]);
    assert_eq!(a.code, 1, "{}", a.all());
    // One history scan writes the annotations, the JSON and the SARIF.
    assert_eq!(a.runs.len(), 1, "{:?}", a.runs);
    assert!(a.runs[0].starts_with("git . --branch "), "{:?}", a.runs);
    assert!(
        a.runs[0].contains("--format github --output json="),
        "{:?}",
        a.runs
    );
    assert!(
        a.runs[0].contains("--output sarif=tradesecrets.sarif"),
        "{:?}",
        a.runs
    );
    // Only the pull request's key, not the one in main's history.
    assert_eq!(a.count(), 1, "{}", a.all());
    assert_eq!(a.outputs["sarif-file"], "tradesecrets.sarif");
    h.new.assert_reported_redacted(&a.all());
    for v in &h.old.values {
        assert!(!a.all().contains(&v[..4]), "the old key is reported");
    }
    // Annotations, on stdout.
    assert!(
        a.stdout
            .lines()
            .any(|l| l.starts_with("::error file=config/prod.env,line=3,")),
        "{}",
        a.stdout
    );
    assert!(
        a.stdout
            .contains("::error title=tradesecrets::1 credential found")
    );
    // The job summary: a table row per finding, redacted.
    assert!(a.summary.contains("### tradesecrets"), "{}", a.summary);
    assert!(a.summary.contains("**1 finding**"), "{}", a.summary);
    assert!(
        a.summary.contains("| Severity | Credential | Rule |"),
        "{}",
        a.summary
    );
    let commit = git(&h.repo, &["rev-parse", "feature~1"]);
    let row = a
        .summary
        .lines()
        .find(|l| l.starts_with("| critical |"))
        .unwrap_or_else(|| panic!("no row:\n{}", a.summary));
    assert!(row.contains("| Binance key + secret |"), "{row}");
    assert!(row.contains("`binance.secret-key`"), "{row}");
    assert!(row.contains("`config/prod.env:3`"), "{row}");
    assert!(row.contains(&format!("`{}`", &commit[..12])), "{row}");
    assert!(
        row.contains(&format!("key: `{}…`", &h.new.values[0][..4])),
        "{row}"
    );
    // SARIF: valid, one result, where the secret is.
    let doc = valid_sarif(a.sarif.as_deref().expect("a SARIF file"));
    let r = results(&doc);
    assert_eq!(r.len(), 1);
    let loc = &r[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "config/prod.env");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(r[0]["properties"]["commit"]["sha"], commit.as_str());

    // fail-on-findings: false reports the same and passes; another SARIF path.
    let a = action(
        &h.repo,
        "pull_request",
        payload,
        &[
            ("fail-on-findings", "false"),
            ("sarif-file", "reports/ts.sarif"),
        ],
    );
    assert_eq!(a.code, 0, "{}", a.all());
    assert_eq!(a.count(), 1);
    assert_eq!(a.outputs["sarif-file"], "reports/ts.sarif");
    assert_eq!(results(&valid_sarif(a.sarif.as_deref().unwrap())).len(), 1);
    assert!(
        a.stdout
            .contains("::warning title=tradesecrets::1 credential found")
    );
}

#[test]
fn action_on_a_clean_pull_request_passes() {
    let h = history();
    // Only "docs" is new: the key came before it.
    let base = git(&h.repo, &["rev-parse", "feature~1"]);
    let tip = head(&h.repo);
    let payload =
        serde_json::json!({"pull_request": {"base": {"sha": base}, "head": {"sha": tip}}});
    let a = action(&h.repo, "pull_request", payload, &[]);
    assert_eq!(a.code, 0, "{}", a.all());
    assert_eq!(a.count(), 0);
    assert!(a.summary.contains("No findings."), "{}", a.summary);
    assert!(results(&valid_sarif(a.sarif.as_deref().unwrap())).is_empty());
    assert!(!a.stdout.contains("::error"), "{}", a.stdout);
}

#[test]
fn action_on_a_push_scans_the_pushed_range() {
    let h = history();
    let main = git(&h.repo, &["rev-parse", "main"]);
    let docs = head(&h.repo);
    let prod = git(&h.repo, &["rev-parse", "feature~1"]);
    let push = |before: &str, after: &str, r#ref: &str| {
        let payload = serde_json::json!({"ref": r#ref, "before": before, "after": after});
        action_env(&h.repo, "push", payload, &[], &[("GITHUB_REF", r#ref)])
    };
    // main..feature holds the new key.
    let a = push(&main, &docs, "refs/heads/feature");
    assert_eq!((a.code, a.count()), (1, 1), "{}", a.all());
    h.new.assert_reported_redacted(&a.all());
    // Only the docs commit: clean.
    let a = push(&prod, &docs, "refs/heads/feature");
    assert_eq!((a.code, a.count()), (0, 0), "{}", a.all());
    // A new branch (before is zeros): its commits on no other branch, so the
    // new key and not main's old one.
    let zero = "0".repeat(40);
    let a = push(&zero, &docs, "refs/heads/feature");
    assert_eq!((a.code, a.count()), (1, 1), "{}", a.all());
    h.new.assert_reported_redacted(&a.all());
    valid_sarif(a.sarif.as_deref().unwrap());
    // A new branch at a commit main has: nothing new.
    git(&h.repo, &["branch", "copy", "main"]);
    let a = push(&zero, &main, "refs/heads/copy");
    assert_eq!((a.code, a.count()), (0, 0), "{}", a.all());
    assert!(results(&valid_sarif(a.sarif.as_deref().unwrap())).is_empty());
    // The first push of a repository: every commit is new.
    git(&h.repo, &["branch", "-D", "copy", "main"]);
    let a = push(&zero, &docs, "refs/heads/feature");
    assert_eq!((a.code, a.count()), (1, 2), "{}", a.all());
    // A deletion pushes nothing.
    let a = push(&docs, &zero, "refs/heads/gone");
    assert_eq!((a.code, a.count()), (0, 0), "{}", a.all());
    // A before we do not have (a force push): as a new branch.
    let a = push(&"1".repeat(40), &docs, "refs/heads/feature");
    assert_eq!((a.code, a.count()), (1, 2), "{}", a.all());
}

#[test]
fn action_on_schedule_scans_the_full_history_with_config_and_baseline() {
    let h = history();
    for event in ["schedule", "workflow_dispatch"] {
        let a = action(&h.repo, event, serde_json::json!({}), &[]);
        assert_eq!((a.code, a.count()), (1, 2), "{event}: {}", a.all());
        h.old.assert_reported_redacted(&a.all());
        h.new.assert_reported_redacted(&a.all());
        assert!(a.summary.contains("**2 findings**"), "{}", a.summary);
        // The old key is gone from HEAD, the new one is not.
        assert!(
            a.summary
                .lines()
                .any(|l| l.contains("`legacy.env:2`") && l.contains("| no |"))
        );
        assert!(
            a.summary
                .lines()
                .any(|l| l.contains("`config/prod.env:3`") && l.contains("| yes |"))
        );
        assert_eq!(results(&valid_sarif(a.sarif.as_deref().unwrap())).len(), 2);
    }

    // A baseline of today's findings: nothing new.
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = ts(
        &[
            "baseline",
            "create",
            "--git",
            "-o",
            baseline.to_str().unwrap(),
        ],
        &h.repo,
    );
    assert!(out.status.success(), "{}", text(&out));
    let a = action(
        &h.repo,
        "schedule",
        serde_json::json!({}),
        &[("baseline", baseline.to_str().unwrap())],
    );
    assert_eq!((a.code, a.count()), (0, 0), "{}", a.all());
    assert!(
        a.summary.contains("No findings (2 suppressed"),
        "{}",
        a.summary
    );

    // A config that allows config/: the old key only. (Its paths are
    // relative to its directory, in the repository.)
    let config = h.repo.join("ci-tradesecrets.toml");
    write(&config, "[allow]\nvalues = []\npaths = []\n");
    let a = action(
        &h.repo,
        "schedule",
        serde_json::json!({}),
        &[("config", config.to_str().unwrap())],
    );
    assert_eq!(a.count(), 2, "{}", a.all());
    write(&config, "[allow]\npaths = [\"config/\"]\n");
    let a = action(
        &h.repo,
        "schedule",
        serde_json::json!({}),
        &[
            ("config", config.to_str().unwrap()),
            ("args", "--threads 1 --min-confidence low"),
        ],
    );
    assert_eq!((a.code, a.count()), (1, 1), "{}", a.all());
    h.old.assert_reported_redacted(&a.all());
}

#[test]
fn action_refuses_bad_inputs() {
    let h = history();
    for (inputs, msg) in [
        (
            vec![("args", "--show-secrets")],
            "--show-secrets is not allowed",
        ),
        (vec![("args", "--format json")], "--format is not allowed"),
        (
            vec![("fail-on-findings", "yes")],
            "fail-on-findings must be true or false",
        ),
        (
            vec![("config", "/nonexistent/ts.toml")],
            "tradesecrets failed",
        ),
    ] {
        let a = action(&h.repo, "schedule", serde_json::json!({}), &inputs);
        assert_eq!(a.code, 2, "{inputs:?}: {}", a.all());
        assert!(a.all().contains(msg), "{inputs:?}: {}", a.all());
        assert!(
            a.stdout.contains("::error title=tradesecrets::"),
            "{}",
            a.stdout
        );
        for v in h.new.values.iter().chain(&h.old.values) {
            assert!(!a.all().contains(v.as_str()));
        }
    }
    // A pull request whose base is not in the clone (and no remote to fetch it).
    let payload = serde_json::json!({"pull_request": {"base": {"sha": "1".repeat(40)}}});
    let a = action(&h.repo, "pull_request", payload, &[]);
    assert_eq!(a.code, 2, "{}", a.all());
    assert!(a.all().contains("fetch-depth: 0"), "{}", a.all());
}

// --- action.yml and the README's workflow --------------------------------

/// The top-level keys of the mapping under `key:` (two-space indentation).
fn yaml_keys(doc: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for l in doc.lines() {
        if l == format!("{key}:") {
            inside = true;
        } else if inside && !l.starts_with(' ') && !l.is_empty() {
            break;
        } else if inside
            && let Some(k) = l.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
            && !k.starts_with(' ')
        {
            out.push(k.to_string());
        }
    }
    out
}

#[test]
fn action_yml_passes_every_input_to_the_script() {
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let script = std::fs::read_to_string(root().join("scripts/action.sh")).unwrap()
        + &std::fs::read_to_string(root().join("scripts/action-install.sh")).unwrap();
    let inputs = yaml_keys(&yml, "inputs");
    assert_eq!(
        inputs,
        [
            "args",
            "config",
            "baseline",
            "fail-on-findings",
            "sarif-file",
            "install"
        ]
    );
    for i in &inputs {
        let var = format!("INPUT_{}", i.to_uppercase().replace('-', "_"));
        assert!(
            yml.contains(&format!("{var}: ${{{{ inputs.{i} }}}}")),
            "action.yml does not pass {i} as {var}"
        );
        assert!(script.contains(&var), "scripts/action.sh ignores {var}");
    }
    for o in yaml_keys(&yml, "outputs") {
        assert!(yml.contains(&format!("${{{{ steps.scan.outputs.{o} }}}}")));
        assert!(
            script.contains(&format!("echo \"{o}=")),
            "the script never sets {o}"
        );
    }
    assert!(yml.contains("cargo install --path \"$ACTION_PATH\" --locked"));
    assert!(yml.contains("uses: actions/cache@"));
}

#[test]
fn readme_workflow_uses_the_action_as_it_is() {
    let wf = readme_block("github-actions");
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let inputs = yaml_keys(&yml, "inputs");
    for needed in [
        "security-events: write",
        "contents: read",
        "fetch-depth: 0",
        "uses: github/codeql-action/upload-sarif@",
        "uses: tradesecrets/tradesecrets@",
        "pull_request:",
        "push:",
        "schedule:",
    ] {
        assert!(
            wf.contains(needed),
            "README workflow lacks `{needed}`:\n{wf}"
        );
    }
    // The step that uses the action, its id, and its `with:` keys.
    let lines: Vec<&str> = wf.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("uses: tradesecrets/tradesecrets@"))
        .unwrap();
    let id = lines[at.saturating_sub(2)..at + 3]
        .iter()
        .find_map(|l| l.trim().trim_start_matches("- ").strip_prefix("id: "))
        .expect("the tradesecrets step has an id");
    assert!(
        wf.contains(&format!(
            "sarif_file: ${{{{ steps.{id}.outputs.sarif-file }}}}"
        )),
        "upload-sarif does not take the action's sarif-file output:\n{wf}"
    );
    let indent = |l: &str| l.len() - l.trim_start().len();
    let with = lines[at..]
        .iter()
        .position(|l| l.trim() == "with:")
        .map(|p| at + p)
        .unwrap();
    for l in lines[with + 1..]
        .iter()
        .take_while(|l| indent(l) > indent(lines[with]))
    {
        let key = l.trim().split(':').next().unwrap();
        assert!(
            inputs.iter().any(|i| i == key),
            "README passes unknown input `{key}`"
        );
    }

    // Against SchemaStore's schemas (bundled with check-jsonschema): the
    // README workflow, the project's CI workflow, action.yml and the
    // example audit workflow.
    let Some(check) = tool("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let readme_wf = dir.path().join("readme-workflow.yml");
    write(&readme_wf, &wf);
    for (schema, file) in [
        ("vendor.github-workflows", readme_wf),
        (
            "vendor.github-workflows",
            root().join(".github/workflows/ci.yml"),
        ),
        ("vendor.github-actions", root().join("action.yml")),
        (
            "vendor.github-workflows",
            root().join("examples/org-audit.yml"),
        ),
    ] {
        let out = Command::new(&check)
            .args(["--builtin-schema", schema])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", file.display(), text(&out));
    }
}

/// Every fenced YAML block of README.md that is a workflow (`jobs:`).
fn readme_workflows() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    let mut rest = readme.as_str();
    while let Some(at) = rest.find("```yaml\n") {
        let body = &rest[at + 8..];
        let end = body.find("\n```").unwrap();
        if body[..end].lines().any(|l| l == "jobs:") {
            out.push(body[..end + 1].to_string());
        }
        rest = &body[end + 4..];
    }
    out
}

#[test]
fn actionlint_passes_the_workflows_and_the_readme_s() {
    let Some(actionlint) = tool("actionlint") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "ci.yml and release.yml: {files:?}");
    let examples = root().join("examples/org-audit.yml");
    assert!(examples.is_file(), "{}", examples.display());
    files.push(examples);
    let readme = readme_workflows();
    assert!(
        readme.len() >= 2,
        "the README's workflows: {}",
        readme.len()
    );
    for (i, wf) in readme.iter().enumerate() {
        let f = dir.path().join(format!("readme-{i}.yml"));
        write(&f, wf);
        files.push(f);
    }
    // A deprecated action major is reported: the check can fail.
    let old = dir.path().join("old.yml");
    write(
        &old,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
    );
    let out = Command::new(&actionlint)
        .args(["-oneline", "-no-color"])
        .arg(&old)
        .output()
        .unwrap();
    assert!(
        !out.status.success() && text(&out).contains("node20"),
        "{}",
        text(&out)
    );
    let out = Command::new(&actionlint)
        .args(["-oneline", "-no-color"])
        .args(&files)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    // action.yml's own steps use current majors too.
    let yml = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for l in yml.lines().filter_map(|l| l.trim().strip_prefix("uses: ")) {
        let f = dir.path().join("action-steps.yml");
        write(
            &f,
            &format!(
                "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: {l}\n        with:\n          path: x\n          key: y\n"
            ),
        );
        let out = Command::new(&actionlint)
            .arg("-oneline")
            .arg(&f)
            .output()
            .unwrap();
        assert!(out.status.success(), "action.yml: {l}: {}", text(&out));
    }
}

#[test]
fn readme_ad_hoc_quick_start_works_as_written() {
    // Each `tradesecrets ...` line of the ad hoc quick start, run in a
    // repository holding a key in its history and one staged.
    let h = history();
    let c = creds("integrations/ad-hoc/staged");
    write(&h.repo.join("staged.env"), &c.env);
    git(&h.repo, &["add", "staged.env"]);
    let block = readme_block("ad-hoc");
    let mut ran = 0;
    for line in block.lines() {
        let line = line.split(" #").next().unwrap().trim();
        let Some(rest) = line.strip_prefix("tradesecrets ") else {
            continue;
        };
        let args: Vec<&str> = rest.split_whitespace().collect();
        let out = ts_cmd().current_dir(&h.repo).args(&args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "`{line}`: {}",
            text(&out)
        );
        ran += 1;
    }
    assert!(
        ran >= 3,
        "the ad hoc quick start runs fewer than 3 commands:\n{block}"
    );
}
