//! Golden outputs of the main commands: exit code, stdout and stderr
//! together, on a corpus rendered from `fixtures/carriers` (deterministic:
//! every generated value is seeded by its file's path) and on a git
//! repository built from it with real `git` (fixed dates and names, so the
//! commit ids are fixed too). Timings and the temporary directory are
//! filtered; everything else must stay byte-identical unless a change means
//! to alter what users see (then review and accept the new snapshot).

mod common;

use common::*;
use std::path::Path;
use tradesecrets::rules::template;

/// Runs the binary in `dir` and formats what a user sees of it.
fn transcript(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(dir, args);
    format!(
        "$ tradesecrets {}\nexit: {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        args.join(" ")
    )
}

macro_rules! golden {
    ($name:expr, $dir:expr, $text:expr) => {
        insta::with_settings!({
            filters => vec![
                (regex::escape(&$dir.display().to_string()).as_str(), "[TMP]"),
                (regex::escape(env!("CARGO_PKG_VERSION")).as_str(), "[VERSION]"),
                (r#""elapsed_ms": \d+"#, r#""elapsed_ms": [MS]"#),
                (r#""elapsed_ms":\d+"#, r#""elapsed_ms":[MS]"#),
                (r"in \d+(\.\d+)? ?m?s\b", "in [TIME]"),
                (r#""(start|end)_time": "[^"]+""#, r#""$1_time": "[TIME]""#),
                (r#" (time|timestamp)="[^"]+""#, r#" $1="[TIME]""#),
                (r"\d+(\.\d+)?s elapsed", "[TIME] elapsed"),
            ],
            prepend_module_to_snapshot => false,
            snapshot_path => "snapshots/golden",
        }, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

fn git(dir: &Path, args: &[&str], tick: u32) {
    let date = format!("{} +0000", 1_704_110_400 + u64::from(tick) * 86_400);
    // The committer differs from the author: reports name the author.
    let who = Commits {
        author: ("Golden Author", "author@example.com"),
        committer: ("Golden Committer", "committer@example.com"),
        date: &date,
    };
    git_as(dir, args, &who);
}

/// The rendered carrier corpus in `dir`.
fn corpus(dir: &Path) -> usize {
    expand_tree(&fixtures().join("carriers"), dir).len()
}

#[test]
fn golden_scan_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    assert!(corpus(&dir) >= 20);
    for (name, args) in [
        ("scan_json", &["scan", ".", "--format", "json"][..]),
        ("scan_sarif", &["scan", ".", "--format", "sarif"][..]),
        ("scan_human", &["scan", ".", "--color", "never"][..]),
        ("scan_github", &["scan", ".", "--format", "github"][..]),
        ("scan_gitlab", &["scan", ".", "--format", "gitlab"][..]),
        ("scan_junit", &["scan", ".", "--format", "junit"][..]),
        ("scan_jsonl", &["scan", ".", "--format", "jsonl"][..]),
        (
            "scan_examples_high",
            &[
                "scan",
                ".",
                "--format",
                "json",
                "--include-examples",
                "--min-confidence",
                "high",
            ][..],
        ),
    ] {
        golden!(name, dir, transcript(&dir, args));
    }
}

#[test]
fn golden_git_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let repo = dir.join("repo");
    std::fs::create_dir(&repo).unwrap();
    corpus(&repo);
    git(&repo, &["init", "-q", "-b", "main"], 0);
    // First commit: everything but the JavaScript and Python carriers;
    // second: those; third: drop the env files; a branch adds a file.
    git(&repo, &["add", "--", ".", ":!js", ":!python"], 1);
    git(&repo, &["commit", "-q", "-m", "first"], 1);
    git(&repo, &["add", "js", "python"], 2);
    git(&repo, &["commit", "-q", "-m", "second"], 2);
    git(&repo, &["rm", "-q", "-r", "env"], 3);
    git(&repo, &["commit", "-q", "-m", "third"], 3);
    git(&repo, &["checkout", "-q", "-b", "feature"], 4);
    let extra = template::expand(
        "KRAKEN_API_KEY={{b64:56}}\nKRAKEN_API_SECRET={{b64:88}}\n",
        "golden-feature",
    )
    .unwrap();
    write(&repo, "feature/kraken.env", &extra);
    git(&repo, &["add", "feature"], 4);
    git(&repo, &["commit", "-q", "-m", "feature keys"], 4);
    git(&repo, &["checkout", "-q", "main"], 5);
    // Staged: a changed Go carrier.
    let go = std::fs::read_dir(repo.join("go"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read_to_string(&go).unwrap();
    text.push_str("\n// trailing comment\n");
    text.push_str(&extra);
    std::fs::write(&go, text).unwrap();
    git(&repo, &["add", "go"], 6);
    for (name, args) in [
        ("git_history_json", &["git", "repo", "--format", "json"][..]),
        (
            "git_history_human",
            &["git", "repo", "--color", "never"][..],
        ),
        (
            "git_branch_human",
            &["git", "repo", "--branch", "feature", "--color", "never"][..],
        ),
        (
            "git_range_json",
            &[
                "git",
                "repo",
                "--since-commit",
                "HEAD~1",
                "--format",
                "json",
            ][..],
        ),
        (
            "git_staged_json",
            &["git", "repo", "--staged", "--format", "json"][..],
        ),
    ] {
        golden!(name, dir, transcript(&dir, args));
    }
}

#[test]
fn golden_rules_and_config() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    write(
        &dir,
        ".tradesecrets.toml",
        "[allow]\npaths = [\"vendor/**\"]\nstopwords = [\"sandbox\"]\n\n[rules]\nmin_confidence = \"medium\"\n",
    );
    for (name, args) in [
        ("rules_list", &["rules", "list"][..]),
        ("rules_list_json", &["rules", "list", "--json"][..]),
        ("rules_list_markdown", &["rules", "list", "--markdown"][..]),
        ("rules_check", &["rules", "check"][..]),
        ("rules_explain", &["rules", "explain", "okx.api-key"][..]),
        ("config_show", &["config", "show"][..]),
    ] {
        golden!(name, dir, transcript(&dir, args));
    }
}

#[test]
fn golden_error_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    write(&dir, "bad/.tradesecrets.toml", "[allow\npaths = 3\n");
    write(&dir, "plain/readme.txt", "nothing here\n");
    for (name, args) in [
        ("err_missing_path", &["scan", "no-such-path"][..]),
        ("err_not_a_repo", &["git", "plain"][..]),
        ("err_bad_config", &["scan", "bad"][..]),
        ("err_bad_format", &["scan", ".", "--format", "xml"][..]),
        (
            "err_unknown_rule",
            &["rules", "explain", "no.such-rule"][..],
        ),
        ("err_no_command", &[][..]),
    ] {
        golden!(name, dir, transcript(&dir, args));
    }
}
