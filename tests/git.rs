//! `tradesecrets git` end to end, on real repositories: full history (every
//! blob once, attributed to the commit that introduced it), tags, merges,
//! renames, binary blobs, stashes, `--staged`, `--since-commit`, bare /
//! worktree / shallow layouts and damaged repositories.
//!
//! Repositories are built by `fixtures/git/*.sh` with the real `git` CLI (fixed
//! dates, local identity) or with the git2 crate; the credentials in them
//! are generated here, at test time, and handed to the scripts in
//! environment variables, so the source tree holds none.

mod common;

use common::{Creds, bin, creds, fixtures};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// No user or system git configuration, no inherited repository.
fn hermetic(c: &mut Command) -> &mut Command {
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_CEILING_DIRECTORIES")
}

fn git_cmd() -> Command {
    let mut c = Command::new("git");
    hermetic(&mut c);
    c
}

/// Runs `fixtures/git/NAME.sh TARGET` with `SECRET_X` variables set.
fn fixture(name: &str, target: &Path, secrets: &[(&str, &Creds)]) {
    let script = fixtures().join("git").join(format!("{name}.sh"));
    let out = hermetic(Command::new("bash").arg(&script).arg(target))
        .envs(secrets.iter().map(|(k, c)| (*k, c.env.as_str())))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `git -C dir ARGS`, trimmed stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd().arg("-C").arg(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The full id of the commit REV names.
fn sha(dir: &Path, rev: &str) -> String {
    git(
        dir,
        &["rev-parse", "--verify", &format!("{rev}^{{commit}}")],
    )
}

struct Run {
    code: i32,
    report: Value,
    stderr: String,
}

impl Run {
    fn findings(&self) -> &Vec<Value> {
        self.report["findings"].as_array().unwrap()
    }
    /// How many findings are this credential.
    fn count(&self, c: &Creds) -> usize {
        self.findings()
            .iter()
            .filter(|f| f["fingerprint"] == c.fingerprint.as_str())
            .count()
    }
    /// The one finding of this credential.
    fn the(&self, c: &Creds) -> &Value {
        let mut it = self
            .findings()
            .iter()
            .filter(|f| f["fingerprint"] == c.fingerprint.as_str());
        let f = it
            .next()
            .unwrap_or_else(|| panic!("not found: {}\nstderr: {}", self.report, self.stderr));
        assert!(it.next().is_none(), "reported twice: {}", self.report);
        f
    }
}

/// `tradesecrets git REPO ARGS --format json`, the report checked against
/// the schema.
fn scan(repo: &Path, args: &[&str]) -> Run {
    let out = bin()
        .arg("git")
        .arg(repo)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    // The schema has `present_at_head` (a boolean) on the finding.
    common::assert_report_schema(&report);
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
    }
}

/// The commit every location of `f` names (they must agree).
fn commit(f: &Value) -> &Value {
    let locs = f["locations"].as_array().unwrap();
    for l in locs {
        assert_eq!(l["commit"], locs[0]["commit"], "{f}");
    }
    assert!(locs[0]["commit"].is_object(), "no commit: {f}");
    &locs[0]["commit"]
}

/// (path, line, part) of every location of `f`.
fn places(f: &Value) -> Vec<(String, u64, String)> {
    f["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                l["part"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn at(path: &str, key_line: u64) -> Vec<(String, u64, String)> {
    vec![
        (path.to_string(), key_line, "key".to_string()),
        (path.to_string(), key_line + 1, "secret".to_string()),
    ]
}

/// The date lib.sh gives the N-th tick.
fn day(n: u32) -> String {
    format!("2024-01-{n:02}T12:00:00+00:00")
}

const FIXTURE_AUTHOR: &str = "Fixture Author <fixture@example.com>";

#[test]
fn secret_added_then_removed_is_reported_once_at_the_adding_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-removed-a"), creds("git-removed-b"));
    fixture(
        "added_removed",
        &repo,
        &[("SECRET_A", &a), ("SECRET_B", &b)],
    );
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    assert_eq!(r.report["errors"].as_array().unwrap().len(), 0);

    let f = r.the(&a);
    assert_eq!(f["present_at_head"], false);
    assert_eq!(places(f), at("config/.env", 1));
    let c = commit(f);
    assert_eq!(c["sha"], sha(&repo, "HEAD~3"));
    assert_eq!(c["summary"], "add exchange config");
    assert_eq!(c["author"], "Dana Dev <dana@example.com>");
    assert_eq!(c["date"], day(2));

    let f = r.the(&b);
    assert_eq!(f["present_at_head"], true);
    assert_eq!(places(f), at("deploy/prod.env", 1));
    let c = commit(f);
    assert_eq!(c["sha"], sha(&repo, "HEAD"));
    assert_eq!(c["summary"], "deploy config");
    assert_eq!(c["author"], FIXTURE_AUTHOR);
    assert_eq!(c["date"], day(5));

    // Redacted, as everywhere.
    let text = format!("{}{}", r.report, r.stderr);
    for v in a.values.iter().chain(&b.values) {
        assert!(!text.contains(v.as_str()), "printed a secret");
    }

    // From a subdirectory of the work tree: the same repository, the same report.
    let sub = scan(&repo.join("deploy"), &[]);
    assert_eq!(sub.code, 1);
    assert_eq!(sub.report["findings"], r.report["findings"]);
}

#[test]
fn one_blob_in_many_commits_and_branches_is_reported_once_at_its_first_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let a = creds("git-same-blob");
    fixture("same_blob", &repo, &[("SECRET_A", &a)]);
    // The blob really is in all those places.
    let blob = git(&repo, &["rev-parse", "main:keys.env"]);
    for rev in ["main~2", "aaa-copy", "picked", "feature"] {
        assert_eq!(git(&repo, &["rev-parse", &format!("{rev}:keys.env")]), blob);
    }
    assert_eq!(git(&repo, &["rev-parse", "aaa-copy:copy/keys.env"]), blob);

    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    let f = r.the(&a);
    assert_eq!(places(f), at("keys.env", 1));
    assert_eq!(f["present_at_head"], true);
    let c = commit(f);
    assert_eq!(
        c["sha"],
        sha(&repo, "main~2"),
        "the earliest commit holding the blob introduced it: {c}"
    );
    assert_eq!(c["summary"], "add keys");
    assert_eq!(c["date"], day(2));

    // Limited to one branch, the first commit on that branch.
    let r = scan(&repo, &["--branch", "aaa-copy"]);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(commit(r.the(&a))["sha"], sha(&repo, "aaa-copy"));
    assert_eq!(r.the(&a)["present_at_head"], true);
    let r = scan(&repo, &["--branch", "picked"]);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(commit(r.the(&a))["sha"], sha(&repo, "picked"));
}

#[test]
fn secrets_reachable_only_from_tags_are_found_but_not_with_branch_main() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-tag-light"), creds("git-tag-annotated"));
    fixture("tags", &repo, &[("SECRET_A", &a), ("SECRET_B", &b)]);
    assert_eq!(git(&repo, &["branch", "--format=%(refname:short)"]), "main");
    assert_eq!(git(&repo, &["cat-file", "-t", "v1.0"]), "tag");

    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    let f = r.the(&a);
    assert_eq!(places(f), at("light.env", 1));
    assert_eq!(commit(f)["sha"], sha(&repo, "light"));
    assert_eq!(commit(f)["summary"], "lightweight-tagged keys");
    assert_eq!(f["present_at_head"], false);
    let f = r.the(&b);
    assert_eq!(places(f), at("annotated.env", 1));
    assert_eq!(commit(f)["sha"], sha(&repo, "v1.0"));
    assert_eq!(f["present_at_head"], false);

    let r = scan(&repo, &["--branch", "main"]);
    assert_eq!(r.code, 0, "{}", r.report);
    assert!(r.findings().is_empty());

    // --branch takes any ref: an annotated tag is peeled to its commit.
    let r = scan(&repo, &["--branch", "v1.0"]);
    assert_eq!(r.code, 1);
    assert_eq!((r.count(&a), r.count(&b)), (0, 1), "{}", r.report);
    assert_eq!(r.the(&b)["present_at_head"], true);
}

#[test]
fn merged_side_branch_and_conflict_resolution() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-merge-side"), creds("git-merge-conflict"));
    fixture("merges", &repo, &[("SECRET_A", &a), ("SECRET_B", &b)]);
    assert_eq!(
        git(&repo, &["rev-list", "--merges", "--count", "HEAD"]),
        "2"
    );

    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    let f = r.the(&a);
    assert_eq!(places(f), at("side.env", 1));
    assert_eq!(f["present_at_head"], true);
    assert_eq!(
        commit(f)["sha"],
        sha(&repo, "side"),
        "the side commit, not the merge"
    );
    assert_eq!(commit(f)["summary"], "side adds keys");
    let f = r.the(&b);
    assert_eq!(places(f), at("conflict.env", 2));
    assert_eq!(f["present_at_head"], true);
    assert_eq!(commit(f)["sha"], sha(&repo, "HEAD"), "the merge commit");
    assert_eq!(commit(f)["summary"], "merge other, resolving the conflict");

    // As a range from the first commit: the merge's diff against its first
    // parent holds side.env too, but the side commit introduced it.
    let r = scan(&repo, &["--since-commit", "HEAD~4"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    assert_eq!(commit(r.the(&a))["sha"], sha(&repo, "side"));
    assert_eq!(commit(r.the(&b))["sha"], sha(&repo, "HEAD"));
    // Only the conflict resolution after the first merge.
    let r = scan(&repo, &["--since-commit", "HEAD^1"]);
    assert_eq!((r.count(&a), r.count(&b)), (0, 1), "{}", r.report);
    assert_eq!(places(r.the(&b)), at("conflict.env", 2));
}

#[test]
fn renamed_file_is_one_finding_at_the_original_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let a = creds("git-rename");
    fixture("rename", &repo, &[("SECRET_A", &a)]);
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    let f = r.the(&a);
    assert_eq!(places(f), at("old/keys.env", 1));
    assert_eq!(commit(f)["sha"], sha(&repo, "HEAD~2"));
    assert_eq!(commit(f)["summary"], "add keys");
    // The renamed and edited file at HEAD still holds it.
    assert_eq!(f["present_at_head"], true);

    // A range that only moves (and edits elsewhere) the file adds no secret.
    let r = scan(&repo, &["--since-commit", "HEAD~2"]);
    assert_eq!(r.code, 0, "a rename is not an addition: {}", r.report);
    assert!(r.findings().is_empty());
}

#[test]
fn binary_blobs_are_skipped_unless_include_binary() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-binary"), creds("git-late-nul"));
    fixture("binary", &repo, &[("SECRET_A", &a), ("SECRET_B", &b)]);
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.count(&a),
        0,
        "NUL in the first 8 KiB: binary: {}",
        r.report
    );
    // A NUL past the first 8 KiB does not make a blob binary.
    assert_eq!(places(r.the(&b)), at("late-nul.env", 1));

    // Not scanned, so listed, with the object id and the reason.
    let oid = git(&repo, &["rev-parse", "HEAD:blob.bin"]);
    let listed = |r: &Run| {
        r.report["skipped"].as_array().unwrap().iter().any(|k| {
            k["path"] == format!("blob.bin ({oid})").as_str()
                && k["reason"].as_str().unwrap().starts_with("binary")
        })
    };
    assert!(listed(&r), "{}", r.report["skipped"]);
    assert_eq!(r.report["stats"]["files_skipped"], 1, "{}", r.report);

    let r = scan(&repo, &["--include-binary"]);
    assert_eq!(r.code, 1);
    assert_eq!(places(r.the(&a)), at("blob.bin", 2));
    assert!(!listed(&r), "{}", r.report["skipped"]);
    assert_eq!(r.count(&b), 1);

    // The same in a range, where git itself diffs no lines of a binary file.
    let r = scan(&repo, &["--since-commit", "HEAD~1"]);
    assert_eq!((r.count(&a), r.count(&b)), (0, 1), "{}", r.report);
    assert!(listed(&r), "{}", r.report["skipped"]);
    let r = scan(&repo, &["--since-commit", "HEAD~1", "--include-binary"]);
    assert_eq!((r.count(&a), r.count(&b)), (1, 1), "{}", r.report);
    assert_eq!(places(r.the(&a)), at("blob.bin", 2));

    // Larger than --max-file-size: listed as skipped, with the object id.
    let oid = git(&repo, &["rev-parse", "HEAD:late-nul.env"]);
    let r = scan(&repo, &["--max-file-size", "1000"]);
    assert_eq!(r.code, 0, "{}", r.report);
    let skipped = r.report["skipped"].to_string();
    assert!(
        skipped.contains("late-nul.env") && skipped.contains(&oid),
        "{skipped}"
    );
}

#[test]
fn staged_reports_added_lines_of_the_index_only() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b, c, d) = (
        creds("git-staged-a"),
        creds("git-staged-b"),
        creds("git-staged-c"),
        creds("git-staged-d"),
    );
    fixture(
        "staged",
        &repo,
        &[
            ("SECRET_A", &a),
            ("SECRET_B", &b),
            ("SECRET_C", &c),
            ("SECRET_D", &d),
        ],
    );
    let r = scan(&repo, &["--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    // Committed already, in the same file: not an added line.
    assert_eq!(r.count(&a), 0);
    // Working tree only (unstaged change, untracked file): not staged.
    assert_eq!(r.count(&d), 0);
    let f = r.the(&b);
    assert_eq!(places(f), at("app.env", 4));
    // Nothing is committed yet: no commit, no "present at HEAD".
    assert!(f["locations"][0].get("commit").is_none(), "{f}");
    assert!(f.get("present_at_head").is_none(), "{f}");
    assert_eq!(places(r.the(&c)), at("new.env", 1));

    // History does not see the index.
    let r = scan(&repo, &[]);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(r.count(&a), 1);
}

/// `git commit -a` and `git commit PATH` stage into a temporary index named
/// by GIT_INDEX_FILE: `--staged` scans that one when it is set.
#[test]
fn staged_honours_git_index_file() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let a = creds("git-index-file");
    git(tmp.path(), &["init", "-q", "repo"]);
    std::fs::write(repo.join("README.md"), "hello\n").unwrap();
    git(&repo, &["add", "README.md"]);
    git(
        &repo,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-q",
            "-m",
            "first",
        ],
    );
    std::fs::copy(repo.join(".git/index"), repo.join(".git/alt-index")).unwrap();
    std::fs::write(repo.join("app.env"), &a.env).unwrap();
    let alt = repo.join(".git/alt-index");
    let st = git_cmd()
        .current_dir(&repo)
        .env("GIT_INDEX_FILE", &alt)
        .args(["add", "app.env"])
        .status()
        .unwrap();
    assert!(st.success());
    // The default index holds nothing new.
    let r = scan(&repo, &["--staged"]);
    assert_eq!(r.code, 0, "{}", r.report);
    // The temporary index holds the key.
    let out = bin()
        .env("GIT_INDEX_FILE", &alt)
        .args(["git"])
        .arg(&repo)
        .args(["--staged", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["locations"][0]["path"], "app.env");
    assert_eq!(v["findings"][0]["fingerprint"], a.fingerprint.as_str());
}

#[test]
fn staged_on_an_unborn_branch() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let a = creds("git-unborn");
    fixture("staged_unborn", &repo, &[("SECRET_A", &a)]);
    assert!(
        git_cmd()
            .arg("-C")
            .arg(&repo)
            .args(["rev-parse", "--verify", "-q", "HEAD"])
            .output()
            .unwrap()
            .stdout
            .is_empty()
    );
    let r = scan(&repo, &["--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(places(r.the(&a)), at("config/first.env", 2));
    // No commit at all: history is empty, and that is not an error.
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn since_commit_reports_what_the_range_added() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b, c, d, e) = (
        creds("git-since-a"),
        creds("git-since-b"),
        creds("git-since-c"),
        creds("git-since-d"),
        creds("git-since-e"),
    );
    fixture(
        "since",
        &repo,
        &[
            ("SECRET_A", &a),
            ("SECRET_B", &b),
            ("SECRET_C", &c),
            ("SECRET_D", &d),
            ("SECRET_E", &e),
        ],
    );
    let base = sha(&repo, "main");
    for rev in ["main", base.as_str(), "HEAD~6"] {
        let r = scan(&repo, &["--since-commit", rev]);
        assert_eq!(r.code, 1, "{rev}: {}", r.stderr);
        assert_eq!(r.findings().len(), 3, "{rev}: {}", r.report);
        // Before the range.
        assert_eq!(r.count(&b), 0, "{rev}");
        // app.env changed in the range, but not on the secret's lines.
        assert_eq!(r.count(&a), 0, "{rev}: {}", r.report);
        let f = r.the(&c);
        assert_eq!(places(f), at("new.env", 1));
        assert_eq!(commit(f)["sha"], sha(&repo, "HEAD~5"));
        assert_eq!(commit(f)["summary"], "pr: new keys");
        assert_eq!(commit(f)["date"], day(4));
        assert_eq!(f["present_at_head"], true);
        let f = r.the(&d);
        assert_eq!(places(f), at("old.env", 3));
        assert_eq!(commit(f)["sha"], sha(&repo, "HEAD~3"));
        // old.env changed again later (another line): still there at HEAD.
        assert_eq!(f["present_at_head"], true, "{f}");
        let f = r.the(&e);
        assert_eq!(commit(f)["summary"], "pr: temp keys");
        assert_eq!(f["present_at_head"], false);
    }
    let r = scan(&repo, &["--since-commit", "HEAD"]);
    assert_eq!(r.code, 0, "{}", r.report);
    // The whole history has all five.
    let r = scan(&repo, &[]);
    assert_eq!(r.findings().len(), 5, "{}", r.report);
    assert_eq!(r.the(&d)["present_at_head"], true);
}

#[test]
fn unknown_revisions_exit_2_naming_them() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let a = creds("git-unknown-rev");
    fixture("damaged", &repo, &[("SECRET_A", &a), ("SECRET_B", &a)]);
    for flag in ["--since-commit", "--branch"] {
        // A usage error: `error:`, exit 2, and no report at all.
        let out = bin()
            .arg("git")
            .arg(&repo)
            .args([flag, "no-such-rev-42", "--format", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("error:"), "{flag}: {stderr}");
        assert!(stderr.contains("no-such-rev-42"), "{flag}: {stderr}");
        assert!(out.stdout.is_empty(), "{flag}: nothing was scanned");
    }
}

#[test]
fn bare_repository_linked_worktree_and_shallow_clone() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("layouts");
    let (a, b, c) = (
        creds("git-layout-a"),
        creds("git-layout-b"),
        creds("git-layout-c"),
    );
    fixture(
        "layouts",
        &root,
        &[("SECRET_A", &a), ("SECRET_B", &b), ("SECRET_C", &c)],
    );
    let origin = root.join("origin");

    let r = scan(&root.join("bare.git"), &[]);
    assert_eq!(r.code, 1, "bare: {}", r.stderr);
    assert_eq!(r.findings().len(), 3, "bare: {}", r.report);
    assert_eq!(commit(r.the(&a))["sha"], sha(&origin, "main~1"));
    assert_eq!(r.the(&a)["present_at_head"], false);
    assert_eq!(r.the(&b)["present_at_head"], true);
    assert_eq!(
        r.the(&c)["present_at_head"],
        false,
        "HEAD of bare.git is main"
    );

    let wt = root.join("wt");
    let r = scan(&wt, &[]);
    assert_eq!(r.code, 1, "worktree: {}", r.stderr);
    assert_eq!(r.findings().len(), 3, "worktree: {}", r.report);
    assert_eq!(
        r.the(&c)["present_at_head"],
        true,
        "the worktree's HEAD is feature"
    );
    assert_eq!(commit(r.the(&c))["sha"], sha(&origin, "feature"));
    let r = scan(&wt, &["--since-commit", "main"]);
    assert_eq!(r.findings().len(), 1, "worktree range: {}", r.report);
    assert_eq!(r.count(&c), 1);
    std::fs::write(wt.join("staged.env"), &a.env).unwrap();
    git(&wt, &["add", "staged.env"]);
    let r = scan(&wt, &["--staged"]);
    assert_eq!(r.findings().len(), 1, "worktree staged: {}", r.report);
    assert_eq!(places(r.the(&a)), at("staged.env", 1));

    let shallow = root.join("shallow");
    assert_eq!(
        git(&shallow, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );
    let r = scan(&shallow, &[]);
    assert_eq!(r.code, 1, "shallow: {}", r.stderr);
    assert_eq!(r.report["errors"].as_array().unwrap().len(), 0);
    assert_eq!(r.findings().len(), 1, "shallow: {}", r.report);
    assert_eq!(commit(r.the(&b))["sha"], sha(&origin, "main"));
    assert_eq!(r.the(&b)["present_at_head"], true);
}

#[test]
fn missing_blob_is_a_warning_naming_it_and_the_rest_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-damaged-a"), creds("git-damaged-b"));
    fixture("damaged", &repo, &[("SECRET_A", &a), ("SECRET_B", &b)]);
    let oid = git(&repo, &["rev-parse", "HEAD:lost.env"]);
    let loose = repo.join(".git/objects").join(&oid[..2]).join(&oid[2..]);
    std::fs::remove_file(&loose).unwrap();

    let r = scan(&repo, &[]);
    assert_eq!(r.code, 2, "{}", r.report);
    assert!(r.stderr.contains(&oid), "{}", r.stderr);
    assert!(r.stderr.contains("lost.env"), "{}", r.stderr);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(places(r.the(&a)), at("good.env", 1));
    let errors = r.report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0]["path"].as_str().unwrap().contains(&oid));

    // The same in a range that adds the lost blob.
    let r = scan(&repo, &["--since-commit", "HEAD~1"]);
    assert_eq!(r.code, 2, "{}", r.report);
    assert!(r.stderr.contains(&oid), "{}", r.stderr);
}

#[test]
fn empty_repository_is_clean_and_a_non_repository_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    git(tmp.path(), &["init", "-q", "empty"]);
    for args in [&[][..], &["--staged"][..]] {
        let r = scan(&empty, args);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.findings().is_empty());
    }
    // An empty repository's HEAD names no commit yet: a usage error.
    let out = bin()
        .arg("git")
        .arg(&empty)
        .args(["--branch", "HEAD"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: --branch `HEAD`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let plain = tmp.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(plain.join(".env"), creds("git-plain").env).unwrap();
    let inside_a_repo = git_cmd()
        .arg("-C")
        .arg(&plain)
        .args(["rev-parse", "--git-dir"])
        .output()
        .unwrap()
        .status
        .success();
    let usage_error = |path: &Path, want: &str| {
        let out = bin().arg("git").arg(path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("error:"), "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
        assert!(!stderr.contains("everything else was scanned"), "{stderr}");
        assert!(out.stdout.is_empty(), "nothing was scanned");
    };
    if !inside_a_repo {
        usage_error(&plain, "not a git repository");
        usage_error(&plain, "plain");
    }
    usage_error(&tmp.path().join("does-not-exist"), "does-not-exist");
}

#[test]
fn secrets_only_in_stashes_are_found() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-stash-a"), creds("git-stash-b"));
    fixture("stash", &repo, &[("SECRET_A", &a), ("SECRET_B", &b)]);
    assert_eq!(git(&repo, &["stash", "list"]).lines().count(), 2);
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 2, "{}", r.report);
    // The older stash entry lives in refs/stash's reflog only.
    let f = r.the(&a);
    assert_eq!(places(f), at("app.env", 2));
    assert_eq!(commit(f)["sha"], sha(&repo, "stash@{1}"));
    assert_eq!(f["present_at_head"], false);
    // An untracked file stashed with -u: the stash's third parent.
    let f = r.the(&b);
    assert_eq!(places(f), at("scratch.env", 1));
    assert_eq!(commit(f)["sha"], sha(&repo, "stash@{0}^3"));
}

/// A history written with git2: an author with a time zone and a committer
/// who differs, a nested tree, a symbolic link whose target looks like a
/// credential (never content), and a submodule entry whose commit is not in
/// the repository (normal: it lives in another one), moved by the second
/// commit.
#[test]
fn history_built_with_git2() {
    use git2::{Oid, Repository, Signature, Time};
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (creds("git2-deep"), creds("git2-link"));
    let repo = Repository::init(tmp.path()).unwrap();
    let blob = repo.blob(a.env.as_bytes()).unwrap();
    let link = repo.blob(b.env.as_bytes()).unwrap();
    let tree_with = |keys: bool, gitlink: &str| {
        let gitlink = Oid::from_str(gitlink).unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        if keys {
            let mut inner = repo.treebuilder(None).unwrap();
            inner.insert("keys.env", blob, 0o100644).unwrap();
            let inner = inner.write().unwrap();
            let mut deep = repo.treebuilder(None).unwrap();
            deep.insert("inner", inner, 0o040000).unwrap();
            root.insert("deep", deep.write().unwrap(), 0o040000)
                .unwrap();
        }
        root.insert("link.env", link, 0o120000).unwrap();
        root.insert("vendor-sub", gitlink, 0o160000).unwrap();
        repo.find_tree(root.write().unwrap()).unwrap()
    };
    let author = Signature::new(
        "Ana Analyst",
        "ana@example.com",
        &Time::new(1_700_000_000, -300),
    )
    .unwrap();
    let committer = Signature::new(
        "Release Bot",
        "bot@example.com",
        &Time::new(1_700_090_000, 60),
    )
    .unwrap();
    let first = repo
        .commit(
            Some("HEAD"),
            &author,
            &committer,
            "Add deep keys\n\nA body that is not the summary.\n",
            &tree_with(true, "1234567890abcdef1234567890abcdef12345678"),
            &[],
        )
        .unwrap();
    let parent = repo.find_commit(first).unwrap();
    repo.commit(
        Some("HEAD"),
        &committer,
        &committer,
        "Remove keys\n",
        &tree_with(false, "abcdef1234567890abcdef1234567890abcdef12"),
        &[&parent],
    )
    .unwrap();

    let r = scan(tmp.path(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.report["errors"].as_array().unwrap().len(),
        0,
        "{}",
        r.report
    );
    assert_eq!(r.count(&b), 0, "a symbolic link's target is not content");
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    let f = r.the(&a);
    assert_eq!(places(f), at("deep/inner/keys.env", 1));
    assert_eq!(f["present_at_head"], false);
    let c = commit(f);
    assert_eq!(c["sha"], first.to_string());
    assert_eq!(c["author"], "Ana Analyst <ana@example.com>");
    assert_eq!(c["date"], "2023-11-14T17:13:20-05:00");
    assert_eq!(c["summary"], "Add deep keys");

    // As a range: the submodule moved, the keys went; nothing added, no error.
    let r = scan(tmp.path(), &["--since-commit", &first.to_string()]);
    assert_eq!(r.code, 0, "{}\n{}", r.report, r.stderr);
}

/// Every blob of a packed history, as the pack reader delivers it and as
/// libgit2 reads it: `(delivered, objects left to libgit2, deltas in the pack)`.
fn compare_pack_reader(repo: &Path) -> (usize, usize, usize) {
    use std::collections::{HashMap, HashSet};
    use std::sync::Mutex;
    let r = git2::Repository::open(repo).unwrap();
    let odb = r.odb().unwrap();
    let mut blobs = HashSet::new();
    let mut trees = HashSet::new();
    odb.foreach(|oid| {
        match odb.read_header(*oid).unwrap().1 {
            git2::ObjectType::Blob => blobs.insert(*oid),
            git2::ObjectType::Tree => trees.insert(*oid),
            _ => false,
        };
        true
    })
    .unwrap();
    use tradesecrets::source::pack::{Packs, Target};
    let packs = Packs::open(&repo.join(".git/objects"));
    let number = |oid: &git2::Oid| packs.locate(oid.as_bytes()).expect("packed");
    let mut wanted: Vec<u32> = blobs.iter().map(number).collect();
    wanted.sort_unstable();
    let got = Mutex::new(HashMap::new());
    let left = packs.blobs(&wanted, 2, &|n, oid, data| {
        assert_eq!(packs.oid(n), oid, "object number {n}");
        assert!(
            got.lock().unwrap().insert(oid, data.to_vec()).is_none(),
            "{oid} twice"
        );
    });
    let got = got.into_inner().unwrap();
    for (oid, data) in &got {
        assert_eq!(odb.read(*oid).unwrap().data(), &data[..], "blob {oid}");
    }
    // The trees a history walk reads ahead: every one, entry by entry as
    // libgit2 reads it (symbolic links and submodules left out); with a
    // budget of nothing, none.
    let read = packs.trees(2, usize::MAX);
    assert_eq!(read.count(), trees.len());
    for oid in &trees {
        let tree = r.find_tree(*oid).unwrap();
        let expected: Vec<(Vec<u8>, bool, git2::Oid)> = tree
            .iter()
            .filter(|e| !matches!(e.filemode(), 0o120000 | 0o160000))
            .map(|e| (e.name_bytes().to_vec(), e.filemode() == 0o40000, e.id()))
            .collect();
        let held: Vec<(Vec<u8>, bool, git2::Oid)> = read
            .entries(number(oid))
            .expect("held")
            .map(|(name, is_tree, t)| {
                let Target::Packed(m) = t else {
                    panic!("{oid}: an entry outside the pack")
                };
                (name.to_vec(), is_tree, packs.oid(m))
            })
            .collect();
        assert_eq!(held, expected, "tree {oid}");
    }
    // Each commit's tree, as libgit2 parses the commit; also with no trees
    // held.
    let none = packs.trees(2, 0);
    let mut commits = 0;
    odb.foreach(|oid| {
        if odb.read_header(*oid).unwrap().1 == git2::ObjectType::Commit {
            let expected = r.find_commit(*oid).unwrap().tree_id();
            for t in [&read, &none] {
                let tree = t.tree_of(number(oid)).expect("a packed commit's tree");
                assert_eq!(packs.oid(tree), expected, "commit {oid}");
            }
            commits += 1;
        }
        true
    })
    .unwrap();
    assert!(commits >= 60, "{commits} commits");
    assert_eq!(none.count(), 0);
    assert!(trees.iter().all(|t| none.entries(number(t)).is_none()));
    // Past the budget nothing more is held.
    assert_eq!(packs.trees(2, 1).count(), 1);
    // `git verify-pack -v`: a delta's line has its chain depth and base.
    let idx = std::fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .unwrap();
    let listing = git(repo, &["verify-pack", "-v", idx.to_str().unwrap()]);
    let deltas = listing
        .lines()
        .filter(|l| l.split_whitespace().count() == 7)
        .count();
    (got.len(), left.len(), deltas)
}

#[test]
fn packed_history_is_read_from_the_packs_like_libgit2_reads_it() {
    let a = creds("git-packed-a");
    for (script, ref_delta) in [("packed", false), ("packed_ref", true)] {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        fixture(script, &repo, &[("SECRET_A", &a)]);
        let (delivered, left, deltas) = compare_pack_reader(&repo);
        // 60 versions of each of the two files, all in the one pack.
        assert_eq!((delivered, left), (120, 0), "{script}");
        assert!(deltas >= 40, "{script}: only {deltas} deltas");
        let listing = git(&repo, &["count-objects", "-v"]);
        assert!(
            listing.contains("count: 0"),
            "{script}: loose objects: {listing}"
        );

        // End to end: the secret is found once, at the commit that added it.
        let run = scan(&repo, &[]);
        assert_eq!(run.code, 1, "{script}: {}", run.stderr);
        let f = run.the(&a);
        assert_eq!(
            commit(f)["summary"],
            "revision 30",
            "{script} (ref deltas: {ref_delta})"
        );
        assert_eq!(f["present_at_head"], false);
        assert_eq!(run.report["stats"]["files_scanned"], 120);
    }
}

/// `text` in UTF-16, with a byte order mark.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// A UTF-16 file (as Windows tools write configs) is found in history, in a
/// range and in the index exactly as on disk: same lines, same columns.
#[test]
fn utf16_files_are_found_in_history_ranges_and_staged_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b, c) = (
        creds("git-utf16-a"),
        creds("git-utf16-b"),
        creds("git-utf16-c"),
    );
    git(tmp.path(), &["init", "-q", "-b", "main", "repo"]);
    git(&repo, &["config", "user.name", "Fixture Author"]);
    git(&repo, &["config", "user.email", "fixture@example.com"]);
    common::write(&repo, "README.md", "# app\n");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "initial"]);
    let base = sha(&repo, "HEAD");
    common::write(&repo, "win/keys.env", utf16(&a.env, false));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "utf16 keys"]);
    // A later commit keeps A and adds C below it.
    let both = format!("{}# rotated\n{}", a.env, c.env);
    common::write(&repo, "win/keys.env", utf16(&both, false));
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "more keys"]);
    // Staged, not committed: big-endian this time.
    common::write(&repo, "win/staged.env", utf16(&b.env, true));
    git(&repo, &["add", "win/staged.env"]);

    // On disk, for comparison.
    let (_, disk) = common::scan_json(&repo, &["win"]);
    let disk_places: Vec<_> = common::locations(&disk)
        .into_iter()
        .map(|l| (l.0, l.1, l.2))
        .collect();
    assert!(
        disk_places.contains(&("win/keys.env".into(), 1, 17)),
        "{disk}"
    );

    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = r.the(&a);
    assert_eq!(places(f), at("win/keys.env", 1));
    assert_eq!(commit(f)["summary"], "utf16 keys");
    assert_eq!(f["present_at_head"], true);
    assert_eq!(places(r.the(&c)), at("win/keys.env", 4));
    for f in r.findings() {
        for l in f["locations"].as_array().unwrap() {
            let p = (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap() as usize,
                l["column"].as_u64().unwrap() as usize,
            );
            assert!(
                disk_places.contains(&p),
                "{p:?} is not where a file scan puts it"
            );
        }
    }
    assert_eq!(r.count(&b), 0, "history does not see the index");

    // The whole range, and only its last commit: A is not added there.
    let r = scan(&repo, &["--since-commit", &base]);
    assert_eq!((r.count(&a), r.count(&c)), (1, 1), "{}", r.report);
    let r = scan(&repo, &["--since-commit", "HEAD~1"]);
    assert_eq!((r.count(&a), r.count(&c)), (0, 1), "{}", r.report);
    assert_eq!(places(r.the(&c)), at("win/keys.env", 4));
    assert_eq!(commit(r.the(&c))["summary"], "more keys");

    let r = scan(&repo, &["--staged"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.findings().len(), 1, "{}", r.report);
    assert_eq!(places(r.the(&b)), at("win/staged.env", 1));
}

/// A commit message that quotes the secret it adds never shows it: every
/// format prints the message with the secret redacted.
#[test]
fn a_secret_in_a_commit_message_is_redacted_there_too() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let (a, b) = (creds("git-message-a"), creds("git-message-b"));
    git(tmp.path(), &["init", "-q", "-b", "main", "repo"]);
    git(&repo, &["config", "user.name", "Fixture Author"]);
    git(&repo, &["config", "user.email", "fixture@example.com"]);
    common::write(&repo, "a.env", &a.env);
    git(&repo, &["add", "."]);
    let message = format!("add key {} for prod", a.values[1]);
    git(&repo, &["commit", "-q", "-m", &message]);
    // A later commit's message quotes the earlier secret.
    common::write(&repo, "b.env", &b.env);
    git(&repo, &["add", "."]);
    let message = format!("rotate {} to a new key", a.values[0]);
    git(&repo, &["commit", "-q", "-m", &message]);
    let r = scan(&repo, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let summary = commit(r.the(&a))["summary"].as_str().unwrap().to_string();
    assert!(
        summary.starts_with("add key ") && summary.ends_with(" for prod"),
        "{summary}"
    );
    assert!(summary.contains('…'), "{summary}");
    assert_eq!(
        commit(r.the(&b))["summary"]
            .as_str()
            .unwrap()
            .matches('…')
            .count(),
        1
    );
    for format in [
        "json", "human", "sarif", "github", "junit", "gitlab", "jsonl",
    ] {
        let out = bin()
            .arg("git")
            .arg(&repo)
            .args(["--format", format, "--color", "never"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("for prod") || format == "github",
            "{format}: {text}"
        );
        for secret in a.values.iter().chain(&b.values) {
            assert!(
                !text.contains(secret.as_str()),
                "{format} shows a secret: {text}"
            );
        }
    }
}

#[test]
fn one_secret_in_many_files_of_a_commit_is_placed_by_path_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let a = creds("git-many-files");
    // Sixteen different blobs holding the same pair, added in one commit;
    // the path that sorts first is `a/keys.env`.
    for i in 0..16 {
        let dir = repo.join(format!("svc{:02}", 15 - i));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("keys.env"), format!("# service {i}\n{}", a.env)).unwrap();
    }
    std::fs::create_dir_all(repo.join("a")).unwrap();
    std::fs::write(repo.join("a/keys.env"), format!("# first\n{}", a.env)).unwrap();
    git(&repo, &["add", "-A"]);
    git(
        &repo,
        &[
            "-c",
            "user.name=Fixture Author",
            "-c",
            "user.email=fixture@example.com",
            "commit",
            "-q",
            "-m",
            "add keys",
        ],
    );
    for threads in ["1", "2", "4", "8", "8", "8"] {
        let r = scan(&repo, &["--threads", threads]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(r.findings().len(), 1, "{}", r.report);
        assert_eq!(places(r.the(&a)), at("a/keys.env", 2), "threads {threads}");
    }
}

/// `cmd` run on a pseudo-terminal (util-linux `script`): what the terminal
/// showed, stdout and stderr together.
fn on_a_terminal(cmd: &str) -> String {
    let out = Command::new("script")
        .args(["-qec", cmd, "/dev/null"])
        .env("TRADESECRETS_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("script (util-linux) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn history_progress_shows_on_a_terminal_only() {
    let a = creds("git-progress");
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fixture("packed", &repo, &[("SECRET_A", &a)]);
    let bin = env!("CARGO_BIN_EXE_tradesecrets");
    let q = |p: &Path| format!("'{}'", p.display());
    let run = |flags: &str| {
        on_a_terminal(&format!(
            "{bin} git {} --exit-zero --format json -o {} {flags}",
            q(&repo),
            q(&tmp.path().join("out.json"))
        ))
    };
    let shown = run("");
    assert!(
        shown.contains("scanning history: ") && shown.contains(" commits walked, "),
        "{shown}"
    );
    // The line is cleared at the end, and no secret is ever on it.
    assert!(shown.ends_with("\r\x1b[2K"), "{shown:?}");
    assert!(
        a.values.iter().all(|v| !shown.contains(v.as_str())),
        "{shown}"
    );
    // -q: nothing; not a terminal: nothing.
    assert!(!run("-q").contains("scanning"), "-q");
    let piped = bin_git_stderr(&repo);
    assert!(!piped.contains("scanning"), "{piped}");
}

fn bin_git_stderr(repo: &Path) -> String {
    let out = bin()
        .arg("git")
        .arg(repo)
        .args(["--exit-zero", "--format", "json"])
        .env("TRADESECRETS_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn several_packs_and_loose_objects_are_read_alike() {
    use tradesecrets::source::pack::Packs;
    let a = creds("git-packs-a");
    let b = creds("git-packs-b");
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fixture(
        "packs_several",
        &repo,
        &[("SECRET_A", &a), ("SECRET_B", &b)],
    );
    let counts = git(&repo, &["count-objects", "-v"]);
    assert!(counts.contains("packs: 2"), "{counts}");
    assert!(
        !counts.contains("count: 0\n"),
        "loose objects too: {counts}"
    );

    // Every packed blob comes out of the packs as libgit2 reads it, under
    // the number its pack gives it; loose ones have no number.
    let r = git2::Repository::open(&repo).unwrap();
    let odb = r.odb().unwrap();
    let packs = Packs::open(&repo.join(".git/objects"));
    let mut numbered = Vec::new();
    let mut loose = 0;
    odb.foreach(|oid| {
        if odb.read_header(*oid).unwrap().1 == git2::ObjectType::Blob {
            match packs.locate(oid.as_bytes()) {
                Some(n) => numbered.push(n),
                None => loose += 1,
            }
        }
        true
    })
    .unwrap();
    numbered.sort_unstable();
    numbered.dedup();
    assert!(loose > 0 && numbered.len() > 40, "{loose} loose");
    let got = std::sync::Mutex::new(Vec::new());
    let left = packs.blobs(&numbered, 2, &|n, oid, data| {
        assert_eq!(packs.oid(n), oid);
        assert_eq!(odb.read(oid).unwrap().data(), data, "blob {oid}");
        got.lock().unwrap().push(n);
    });
    let mut got = got.into_inner().unwrap();
    got.sort_unstable();
    assert_eq!((got, left), (numbered, vec![]));

    // End to end: each secret at the commit that added it.
    let run = scan(&repo, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(commit(run.the(&a))["summary"], "revision 25");
    assert_eq!(commit(run.the(&b))["summary"], "revision 45");
    assert_eq!(run.the(&a)["present_at_head"], true);
    assert_eq!(run.report["stats"]["errors"], 0);
}
