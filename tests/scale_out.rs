//! Scaling out: `git --shard I/N`, several repositories in one run, and
//! `merge`, on repositories built with the real `git`. Shards run as
//! separate processes, as the jobs of a CI matrix do; merged, they must
//! give exactly what one unsharded run over every repository gives, in
//! every format. The organisation-audit workflow of `examples/` is run
//! here as GitHub would run it: its matrix, its steps' commands.
//!
//! Every credential is generated at test time from a seed; none is in the
//! source tree.

mod common;

use common::{Commits, assert_report_schema, bin, creds, git_as, valid_sarif, write};
use serde_json::Value;
use std::path::{Path, PathBuf};

const WHO: Commits = Commits {
    author: ("Shard Author", "author@example.invalid"),
    committer: ("Shard Author", "author@example.invalid"),
    date: "",
};

fn commit(dir: &Path, message: &str, day: u32) {
    let date = format!("2024-02-{day:02}T10:00:00+00:00");
    let who = Commits { date: &date, ..WHO };
    git_as(dir, &["add", "-A"], &who);
    git_as(dir, &["commit", "-q", "-m", message], &who);
}

/// A repository whose history holds what a merge must decide across
/// shards: a leak that moves between files, one value in five test files
/// (a fixture only when every copy is seen), a suppressed key, four keys
/// added in one commit whose message quotes one of them, a key on a side
/// branch, a key deleted from the tip, a key it shares with the other
/// repository, and enough plain files that every shard has blobs.
/// Returns every secret value planted.
fn build(dir: &Path, seed: &str) -> Vec<String> {
    std::fs::create_dir_all(dir).unwrap();
    let who = Commits {
        date: "2024-02-01T10:00:00+00:00",
        ..WHO
    };
    git_as(dir, &["init", "-q", "-b", "main"], &who);
    let mut secrets = Vec::new();
    let mut pair = |name: &str| {
        let c = creds(&format!("{seed}:{name}"));
        secrets.extend(c.values.clone());
        c.env
    };
    write(dir, "deploy/.env", pair("moved"));
    let shared = creds("both-repositories");
    write(dir, "deploy/shared.env", &shared.env);
    let fixture = pair("fixture");
    for i in 1..=5 {
        write(
            dir,
            &format!("tests/test_client_{i}.py"),
            format!("# client test {i}\n{fixture}"),
        );
    }
    for i in 0..24 {
        write(
            dir,
            &format!("src/module_{i}.py"),
            format!("def f{i}():\n    return {i}\n"),
        );
    }
    commit(dir, "first", 1);
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::rename(dir.join("deploy/.env"), dir.join("config/prod.env")).unwrap();
    write(dir, "src/module_1.py", "def f1():\n    return 'one'\n");
    let allowed = pair("allowed");
    let allowed = allowed
        .lines()
        .map(|l| format!("{l}  # tradesecrets:allow\n"))
        .collect::<String>();
    write(dir, "ops/allowed.env", allowed);
    commit(dir, "move the production config", 2);
    let quoted = creds(&format!("{seed}:quoted"));
    for i in 1..=4 {
        let env = if i == 2 {
            quoted.env.clone()
        } else {
            pair(&format!("rotated{i}"))
        };
        write(dir, &format!("keys/k{i}.env"), env);
    }
    commit(
        dir,
        &format!("rotate keys, the old one was {}", quoted.values[1]),
        3,
    );
    who_branch(dir, "feature");
    write(dir, "feature/cfg.env", pair("feature"));
    commit(dir, "feature keys", 4);
    git_as(dir, &["checkout", "-q", "main"], &who);
    std::fs::remove_file(dir.join("keys/k3.env")).unwrap();
    write(dir, "src/module_7.py", "def f7():\n    return 'seven'\n");
    commit(dir, "drop a key", 5);
    secrets.extend(quoted.values);
    secrets.extend(shared.values);
    secrets
}

fn who_branch(dir: &Path, name: &str) {
    let who = Commits {
        date: "2024-02-01T10:00:00+00:00",
        ..WHO
    };
    git_as(dir, &["checkout", "-q", "-b", name], &who);
}

/// Runs the binary in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A JSON report without what differs between runs (elapsed time).
fn normalized(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    v["stats"]["elapsed_ms"] = Value::from(0);
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

struct World {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    secrets: Vec<String>,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let mut secrets = build(&dir.join("alpha"), "alpha");
    secrets.extend(build(&dir.join("beta"), "beta"));
    World {
        _tmp: tmp,
        dir,
        secrets,
    }
}

/// Every shard of both repositories as its own process, then `merge`.
fn sharded(w: &World, n: u32, extra: &[&str], tag: &str) -> (Vec<PathBuf>, String) {
    let mut files = Vec::new();
    for repo in ["alpha", "beta"] {
        for i in 1..=n {
            let out = w.dir.join(format!("{tag}-{repo}-{i}of{n}.json"));
            let shard = format!("{i}/{n}");
            let mut args = vec!["git", repo, "--shard", &shard, "--format", "json", "-o"];
            let o = out.to_string_lossy().into_owned();
            args.push(&o);
            args.extend(extra);
            let (code, _, err) = run(&w.dir, &args);
            assert!(
                code == 0 || code == 1,
                "shard {shard} of {repo}: {code} {err}"
            );
            files.push(out);
        }
    }
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    args.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, merged, err) = run(&w.dir, &args);
    assert_eq!(code, 1, "merge: {err}");
    (files, merged)
}

fn assert_no_secret(w: &World, what: &str, text: &str) {
    for s in &w.secrets {
        assert!(!text.contains(s.as_str()), "{what} holds a secret value");
    }
}

#[test]
fn shards_merged_are_the_unsharded_multi_repository_scan() {
    let w = world();
    let (code, whole, err) = run(&w.dir, &["git", "alpha", "beta", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let whole_v = normalized(&whole);
    assert_report_schema(&whole_v);
    assert_no_secret(&w, "the unsharded report", &whole);
    let findings = whole_v["findings"].as_array().unwrap();
    // Every finding names its repository; the key both share is one
    // finding in each.
    let repos: Vec<&str> = findings
        .iter()
        .map(|f| f["repository"].as_str().unwrap())
        .collect();
    let alpha = w.dir.join("alpha").to_string_lossy().into_owned();
    let beta = w.dir.join("beta").to_string_lossy().into_owned();
    assert!(
        repos.contains(&alpha.as_str()) && repos.contains(&beta.as_str()),
        "{repos:?}"
    );
    let shared = creds("both-repositories").fingerprint;
    let both: Vec<&str> = findings
        .iter()
        .filter(|f| f["fingerprint"] == shared.as_str())
        .map(|f| f["repository"].as_str().unwrap())
        .collect();
    assert_eq!(both, [alpha.as_str(), beta.as_str()]);
    // The fixture is decided over all five copies, the allowed key is
    // suppressed once, the moved leak keeps its first commit.
    assert_eq!(whole_v["stats"]["hidden"]["fixture"], 2, "{whole_v:#}");
    assert_eq!(whole_v["stats"]["suppressed_by"]["inline"], 2);
    let moved = creds("alpha:moved").fingerprint;
    let f = findings
        .iter()
        .find(|f| f["fingerprint"] == moved.as_str())
        .unwrap();
    assert_eq!(f["locations"][0]["path"], "deploy/.env");
    assert_eq!(f["locations"][0]["commit"]["summary"], "first");
    assert_eq!(f["present_at_head"], true);
    // The commit message that quotes a key shows it redacted, whichever
    // shard scanned the blob a finding of that commit is in.
    let rotated: Vec<&Value> = findings
        .iter()
        .filter(|f| {
            f["locations"][0]["path"]
                .as_str()
                .unwrap()
                .starts_with("keys/")
        })
        .collect();
    assert_eq!(rotated.len(), 8, "four keys in each repository");
    for f in &rotated {
        let summary = f["locations"][0]["commit"]["summary"].as_str().unwrap();
        assert!(
            summary.starts_with("rotate keys, the old one was ") && summary.ends_with('…'),
            "{summary}"
        );
    }

    // The same repositories from a list.
    write(&w.dir, "repos.txt", "# the audit\nalpha\n\nbeta\n");
    let (_, listed, _) = run(
        &w.dir,
        &["git", "--repos-file", "repos.txt", "--format", "json"],
    );
    assert_eq!(normalized(&listed), whole_v);

    for n in [1, 2, 3] {
        let (files, merged) = sharded(&w, n, &[], "full");
        assert_eq!(normalized(&merged), whole_v, "{n} shards merged");
        // Each blob once: the shards' numbers add up to the whole's, and
        // with more than one shard each scanned a part.
        let mut scanned = 0;
        for f in &files {
            let text = read(f);
            assert_no_secret(&w, &f.display().to_string(), &text);
            let v = normalized(&text);
            assert_report_schema(&v);
            let s = v["shards"][0]["files_scanned"].as_u64().unwrap();
            if n > 1 {
                assert!(
                    s > 0 && s < whole_v["stats"]["files_scanned"].as_u64().unwrap() / 2 + 10,
                    "{s}"
                );
            }
            scanned += s;
        }
        assert_eq!(scanned, whole_v["stats"]["files_scanned"].as_u64().unwrap());
    }

    // Ranges and one branch shard the same way.
    for extra in [
        &["--branch", "feature"][..],
        &["--since-commit", "HEAD~2"][..],
    ] {
        let mut args = vec!["git", "alpha", "beta", "--format", "json"];
        args.extend(extra);
        let (_, whole, _) = run(&w.dir, &args);
        let (_, merged) = sharded(&w, 2, extra, "opts");
        assert_eq!(normalized(&merged), normalized(&whole), "{extra:?}");
    }
}

/// Applies the golden tests' filters: what differs between two runs.
fn steady(text: &str) -> String {
    let mut t = text.to_string();
    for (re, with) in [
        (r#""elapsed_ms": ?\d+"#, r#""elapsed_ms":0"#),
        (r"in \d+(\.\d+)? ?m?s\b", "in [TIME]"),
        (r#""(start|end)_time": "[^"]+""#, r#""$1_time": "[TIME]""#),
        (r#" (time|timestamp)="[^"]+""#, r#" $1="[TIME]""#),
    ] {
        t = regex::Regex::new(re)
            .unwrap()
            .replace_all(&t, with)
            .into_owned();
    }
    t
}

#[test]
fn a_merged_report_renders_every_format_as_the_scan_did() {
    let w = world();
    let whole = w.dir.join("whole.json");
    let (code, _, err) = run(
        &w.dir,
        &[
            "git",
            "alpha",
            "beta",
            "--format",
            "json",
            "-o",
            "whole.json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let whole = whole.to_string_lossy().into_owned();
    for format in [
        "human", "json", "jsonl", "sarif", "github", "junit", "gitlab",
    ] {
        let (c1, scanned, _) = run(
            &w.dir,
            &[
                "git", "alpha", "beta", "--format", format, "--color", "never",
            ],
        );
        let (c2, merged, err) = run(
            &w.dir,
            &["merge", &whole, "--format", format, "--color", "never"],
        );
        assert_eq!((c1, c2), (1, 1), "{format}: {err}");
        assert_eq!(steady(&merged), steady(&scanned), "{format}");
        assert_no_secret(&w, format, &merged);
        if format == "sarif" {
            let v = valid_sarif(&merged);
            let results = v["runs"][0]["results"].as_array().unwrap();
            assert!(
                results
                    .iter()
                    .all(|r| r["properties"]["repository"].is_string())
            );
            assert_eq!(
                v["runs"][0]["versionControlProvenance"]
                    .as_array()
                    .unwrap()
                    .len(),
                2
            );
        }
        if format == "human" {
            // Findings of several repositories come under a heading each.
            assert!(scanned.contains(&format!("── {}", w.dir.join("alpha").display())));
            assert!(scanned.contains(&format!("── {}", w.dir.join("beta").display())));
        }
    }
    // A merged report merges to itself.
    let (_, once, _) = run(&w.dir, &["merge", &whole, "--format", "json"]);
    write(&w.dir, "once.json", &once);
    let (_, twice, _) = run(&w.dir, &["merge", "once.json", "--format", "json"]);
    assert_eq!(normalized(&twice), normalized(&once));
}

#[test]
fn merge_refuses_what_it_cannot_merge_losslessly() {
    let w = world();
    let (files, _) = sharded(&w, 2, &[], "r");
    let f: Vec<String> = files
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .collect();
    let refuse = |args: &[&str], says: &[&str]| {
        let mut a = vec!["merge"];
        a.extend(args);
        let (code, out, err) = run(&w.dir, &a);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        for s in says {
            assert!(err.contains(s), "{args:?}: {err}");
        }
        assert!(out.is_empty(), "{out}");
    };
    // A shard missing, a shard twice.
    refuse(&[&f[0], &f[2], &f[3]], &["shard 2/2", "missing", &f[0]]);
    refuse(&[&f[0], &f[0], &f[1]], &["shard 1/2", "also in"]);
    // Shards of two different partitions of one history.
    let three = w.dir.join("three.json");
    let t = three.to_string_lossy().into_owned();
    run(
        &w.dir,
        &[
            "git", "alpha", "--shard", "2/3", "--format", "json", "-o", &t,
        ],
    );
    refuse(&[&f[0], &t], &["2/3", "1/2"]);
    // A truncated file, another version, JSON Lines, not a report.
    let text = read(&files[0]);
    write(&w.dir, "cut.json", &text[..text.len() / 2]);
    refuse(&["cut.json"], &["cut.json", "truncated"]);
    write(
        &w.dir,
        "old.json",
        text.replacen(env!("CARGO_PKG_VERSION"), "0.0.1", 1),
    );
    refuse(&["old.json"], &["old.json", "0.0.1"]);
    let (_, lines, _) = run(&w.dir, &["git", "alpha", "--format", "jsonl"]);
    write(&w.dir, "lines.jsonl", lines);
    refuse(&["lines.jsonl"], &["lines.jsonl", "JSON Lines"]);
    write(&w.dir, "other.json", "{\"runs\": []}");
    refuse(&["other.json"], &["other.json", "not a tradesecrets"]);
    refuse(&["no-such.json"], &["no-such.json"]);
}

#[test]
fn bad_shards_are_usage_errors() {
    let w = world();
    for bad in ["0/2", "3/2", "x", "1/0", "2", "1/2/3", "-1/2"] {
        let (code, out, err) = run(&w.dir, &["git", "alpha", &format!("--shard={bad}")]);
        assert_eq!(code, 2, "{bad}: {out}");
        assert!(
            err.contains("I/N") || err.contains("--shard"),
            "{bad}: {err}"
        );
        assert!(out.is_empty());
    }
    let (code, _, err) = run(&w.dir, &["git", "alpha", "--shard", "1/2", "--staged"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&w.dir, &["git", "alpha", "--shard", "1/2", "--verify"]);
    assert_eq!(code, 2);
    assert!(err.contains("--verify with --shard"), "{err}");
    let (code, _, err) = run(&w.dir, &["git", "alpha", "no-such-repo"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-repo"), "{err}");
}

/// The values after `key: [` on the line that holds it.
fn list_of(wf: &str, key: &str) -> Vec<String> {
    let line = wf
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{key}: [")))
        .unwrap_or_else(|| panic!("no `{key}: [` in the workflow"));
    line.split_once('[')
        .unwrap()
        .1
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().to_string())
        .collect()
}

#[test]
fn the_example_audit_workflow_run_locally_equals_one_unsharded_run() {
    let wf = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/org-audit.yml"));
    // The README shows the same workflow.
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    assert!(
        readme.contains(&format!("```yaml\n{wf}```")),
        "README's copy of examples/org-audit.yml differs"
    );
    // The version it installs is this one.
    assert!(wf.contains(&format!("tradesecrets=={}", env!("CARGO_PKG_VERSION"))));
    let shards: Vec<String> = list_of(&wf, "shard");
    let count: usize = wf
        .lines()
        .find_map(|l| l.trim().strip_prefix("SHARDS: "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        shards,
        (1..=count).map(|i| i.to_string()).collect::<Vec<_>>()
    );
    let repositories = list_of(&wf, "repository");
    assert_eq!(repositories.len(), 2);
    // The steps' commands, in order: the shard scan, then the merge job's.
    let commands: Vec<&str> = wf
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: tradesecrets "))
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");

    let w = world();
    let fixtures = [w.dir.join("alpha"), w.dir.join("beta")];
    let binary = assert_cmd::cargo::cargo_bin("tradesecrets");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let step = |dir: &Path, command: &str, env: &[(&str, String)]| {
        let out = std::process::Command::new("bash")
            .args(["-eo", "pipefail", "-c", &format!("tradesecrets {command}")])
            .current_dir(dir)
            .env("PATH", &path)
            .env("SHARDS", count.to_string())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The matrix, job index by job index (repository-major, as GitHub
    // expands it); each job checks its repository out into `repo`.
    let merge_dir = w.dir.join("merge-job");
    let mut clones = Vec::new();
    let mut job = 0;
    for (r, _) in repositories.iter().enumerate() {
        for shard in &shards {
            let dir = w.dir.join(format!("job-{job}"));
            std::fs::create_dir_all(&dir).unwrap();
            git_as(
                &dir,
                &["clone", "-q", &fixtures[r].to_string_lossy(), "repo"],
                &WHO,
            );
            let (code, _, err) = step(&dir, commands[0], &[("SHARD", shard.clone())]);
            assert_eq!(code, 0, "scan job {job}: {err}");
            let artifact = merge_dir.join(format!("shards/shard-{job}"));
            std::fs::create_dir_all(&artifact).unwrap();
            std::fs::copy(dir.join("shard.json"), artifact.join("shard.json")).unwrap();
            if shard == "1" {
                clones.push(dir.join("repo"));
            }
            job += 1;
        }
    }
    let (code, _, err) = step(&merge_dir, commands[1], &[]);
    assert_eq!(code, 0, "merge: {err}");
    let sarif = read(&merge_dir.join("audit.sarif"));
    valid_sarif(&sarif);
    let merged = read(&merge_dir.join("audit.json"));
    assert_no_secret(&w, "audit.json", &merged);
    assert_no_secret(&w, "audit.sarif", &sarif);
    let (code, out, _) = step(&merge_dir, commands[2], &[]);
    assert_eq!(code, 1, "the last step fails the audit on leaks: {out}");
    assert!(out.contains("findings"), "{out}");

    // One unsharded run over the same checkouts.
    let mut args = vec!["git".to_string()];
    args.extend(clones.iter().map(|c| c.to_string_lossy().into_owned()));
    args.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, whole, _) = run(&w.dir, &args);
    let whole = normalized(&whole);
    assert_eq!(normalized(&merged), whole);
    // Named by where they were cloned from, as `origin` says.
    let first = &whole["findings"][0]["repository"];
    assert!(first.as_str().unwrap().starts_with("file://"), "{first}");
}
