//! Living with findings: `.tradesecrets.toml` (allowlists, disabled rules,
//! custom rules), inline allow comments and baselines, each on its own and
//! together, through the real binary. Every credential is generated here from
//! a template: the repository holds none.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use tradesecrets::rules::template;

/// A Binance key + secret pair as a `.env` text, with both values.
fn creds(seed: &str) -> (String, String, String) {
    let text = template::expand(
        "BINANCE_API_KEY={{alnum:64}}\nBINANCE_API_SECRET={{alnum:64}}\n",
        seed,
    )
    .unwrap();
    let value = |line: &str| line.split_once('=').unwrap().1.to_string();
    let mut lines = text.lines();
    let key = value(lines.next().unwrap());
    let secret = value(lines.next().unwrap());
    (text, key, secret)
}

/// A directory that is a repository root, so config discovery stops there.
fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join(".git")).unwrap();
    tmp
}

fn assert_schema(report: &Value) {
    common::assert_report_schema(report)
}

/// Paths of the findings' primary locations, sorted.
fn finding_paths(report: &Value) -> Vec<String> {
    let mut v: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["locations"][0]["path"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn suppressed(report: &Value) -> (u64, u64, u64, u64) {
    let s = &report["stats"];
    (
        s["suppressed"].as_u64().unwrap(),
        s["suppressed_by"]["config"].as_u64().unwrap(),
        s["suppressed_by"]["inline"].as_u64().unwrap(),
        s["suppressed_by"]["baseline"].as_u64().unwrap(),
    )
}

#[test]
fn inline_allow_markers_and_audit() {
    let d = repo();
    let d = d.path();
    // On the value's line, in each tool's spelling.
    for (i, marker) in [
        "# tradesecrets:allow",
        "# gitleaks:allow",
        "# pragma: allowlist secret",
    ]
    .iter()
    .enumerate()
    {
        let (_, key, secret) = creds(&format!("inline-same-{i}"));
        write(
            d,
            &format!("same{i}.env"),
            format!("BINANCE_API_KEY={key}\nBINANCE_API_SECRET={secret}  {marker}\n"),
        );
    }
    // Alone in a comment on the line before, with a reason.
    let (text, _, _) = creds("inline-before");
    write(
        d,
        "before.py",
        format!("# tradesecrets:allow: revoked test account\n{text}"),
    );
    let (text, _, _) = creds("inline-before-js");
    write(d, "before.js", format!("// gitleaks:allow\n{text}"));
    // Not alone: code before the marker on the previous line does not count.
    let (_, key, secret) = creds("inline-not-alone");
    write(
        d,
        "notalone.env",
        format!(
            "OTHER=1 # tradesecrets:allow\nBINANCE_API_KEY={key}\nBINANCE_API_SECRET={secret}\n"
        ),
    );
    // Not adjacent: a blank line between comment and value.
    let (text, _, _) = creds("inline-gap");
    write(d, "gap.env", format!("# tradesecrets:allow\n\n{text}"));

    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1);
    assert_schema(&r);
    assert_eq!(finding_paths(&r), vec!["gap.env", "notalone.env"]);
    assert_eq!(suppressed(&r), (5, 0, 5, 0));

    let (_, out, _) = run(d, &["scan", ".", "--color", "never"]);
    assert!(
        out.contains("2 findings (2 critical) in 7 files") && out.contains(", 5 suppressed"),
        "{out}"
    );

    // --no-inline-allow audits them: everything is reported, nothing suppressed.
    let (code, r) = scan_json(d, &[".", "--no-inline-allow"]);
    assert_eq!(code, 1);
    assert_eq!(r["findings"].as_array().unwrap().len(), 7);
    assert_eq!(suppressed(&r), (0, 0, 0, 0));
    let (_, out, _) = run(d, &["scan", ".", "--color", "never", "--no-inline-allow"]);
    assert!(!out.contains("suppressed"), "{out}");

    // stdin has lines too.
    let (text, _, _) = creds("inline-stdin");
    let out = bin()
        .args(["scan", "-", "--format", "json"])
        .current_dir(d)
        .write_stdin(format!("# tradesecrets:allow\n{text}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(suppressed(&v), (1, 0, 1, 0));
}

#[test]
fn allowlists_paths_values_stopwords_and_regex_targets() {
    let d = repo();
    let d = d.path();
    let files = [
        "fixtures/a.env",
        "sub/fixtures/b.env",
        "snap/x.snap",
        "keep/values.env",
        "keep/regex-secret.env",
        "keep/regex-match.env",
        "keep/regex-line.env",
        "keep/stopword.env",
        "keep/reported.env",
    ];
    let mut secrets = Vec::new();
    for f in files {
        let (text, key, secret) = creds(&format!("allow-{f}"));
        let text = match f {
            "keep/regex-match.env" => {
                text.replace("BINANCE_API_SECRET=", "BINANCE_API_SECRET_TESTNET=")
            }
            "keep/regex-line.env" => text.replace('\n', "  # sandbox\n"),
            _ => text,
        };
        write(d, f, &text);
        secrets.push((key, secret));
    }
    let (values_key, _) = &secrets[3];
    let (_, regex_secret) = &secrets[4];
    let (_, stop_secret) = &secrets[7];
    // A stopword is a piece of the value (any case).
    let stopword = stop_secret[10..16].to_ascii_uppercase();
    let config = format!(
        r#"
[allow]
# gitignore-style, relative to this file's directory
paths = ["fixtures/", "*.snap"]
values = ["{values_key}"]
stopwords = ["{stopword}"]
regexes = [
  "^{regex_prefix}",
  {{ regex = '(?i)_testnet=', target = "match" }},
  {{ regex = '#\s*sandbox$', target = "line" }},
]
"#,
        regex_prefix = &regex_secret[..12],
    );
    write(d, ".tradesecrets.toml", &config);
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{r}");
    assert_schema(&r);
    assert_eq!(finding_paths(&r), vec!["keep/reported.env"]);
    assert_eq!(suppressed(&r), (8, 8, 0, 0));

    // The same through a subdirectory, and through an absolute path.
    let (_, r) = scan_json(&d.join("keep"), &["."]);
    assert_eq!(finding_paths(&r), vec!["reported.env"]);
    let abs = d.join("sub").to_string_lossy().into_owned();
    let (code, r) = scan_json(d, &[&abs]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(suppressed(&r).1, 1);

    // --no-config audits what the config hides (the files under
    // `fixtures/` are test fixtures: shown with --include-fixtures).
    let (_, r) = scan_json(d, &[".", "--no-config"]);
    assert_eq!(r["findings"].as_array().unwrap().len(), files.len() - 2);
    assert_eq!(r["stats"]["hidden"]["fixture"], 2);
    let (_, r) = scan_json(d, &[".", "--no-config", "--include-fixtures"]);
    assert_eq!(r["findings"].as_array().unwrap().len(), files.len());

    // `match` and `line` targets see the name and the line, not the secret alone.
    write(
        d,
        ".tradesecrets.toml",
        "[allow]\nregexes = ['(?i)_testnet=', '#\\s*sandbox$']\n",
    );
    let (_, r) = scan_json(d, &["keep"]);
    assert_eq!(suppressed(&r).1, 0, "target defaults to secret");
}

#[test]
fn disabled_rule_allowlisted_path_inline_allow_and_baseline_in_one_run() {
    let d = repo();
    let d = d.path();
    let (text, _, _) = creds("one-run-baseline");
    write(d, "old/legacy.env", &text);
    let (text, _, _) = creds("one-run-path");
    write(d, "tests/data/creds.env", &text);
    let (text, _, _) = creds("one-run-inline");
    write(
        d,
        "tools/inline.env",
        format!("# tradesecrets:allow\n{text}"),
    );
    let (text, _, _) = creds("one-run-new");
    write(d, "deploy/.env", &text);
    // Found only by a low-confidence generic rule, which the config disables.
    let generic = template::expand("API_SECRET={{alnum:40}}\n", "one-run-generic").unwrap();
    write(d, "app/settings.env", &generic);

    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1);
    assert_eq!(r["findings"].as_array().unwrap().len(), 4);
    assert_eq!(suppressed(&r), (1, 0, 1, 0));

    // Accept what is in old/ today.
    let (code, _, err) = run(d, &["baseline", "create", "old", "-o", "baseline.json"]);
    assert_eq!(code, 0, "{err}");
    write(
        d,
        ".tradesecrets.toml",
        "baseline = \"baseline.json\"\n\n[allow]\npaths = [\"tests/data/\"]\n\n[rules]\ndisable = [\"generic.api-secret\"]\n",
    );
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1);
    assert_schema(&r);
    assert_eq!(finding_paths(&r), vec!["deploy/.env"]);
    // The disabled rule finds nothing: it is not counted as suppressed.
    assert_eq!(suppressed(&r), (3, 1, 1, 1));
    let (_, out, _) = run(d, &["scan", ".", "--color", "never", "-q"]);
    assert!(
        out.contains("1 finding (1 critical)") && out.trim_end().ends_with("3 suppressed"),
        "{out}"
    );

    // --baseline on the command line replaces the config's.
    write(d, "empty.json", "{\"version\": 1, \"findings\": []}\n");
    let (_, r) = scan_json(d, &[".", "--baseline", "empty.json"]);
    assert_eq!(finding_paths(&r), vec!["deploy/.env", "old/legacy.env"]);
    assert_eq!(suppressed(&r), (2, 1, 1, 0));
}

#[test]
fn baseline_survives_moves_renames_and_reindenting_but_not_a_new_secret() {
    let d = repo();
    let d = d.path();
    let (text, key, secret) = creds("baseline-moves");
    write(d, "config/prod.env", &text);
    let (code, out, err) = run(d, &["baseline", "create"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("baseline of 1 finding"), "{err}");
    // The baseline never holds the secret, and does not look like one.
    assert!(!out.contains(&key) && !out.contains(&secret));
    let b: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"][0]["rule_id"], "binance.secret-key");
    assert_eq!(b["findings"][0]["paths"][0], "config/prod.env");
    assert!(b["findings"][0]["fingerprint"].as_str().unwrap().len() == 32);
    write(d, "baseline.json", &out);
    let base = ["--baseline", "baseline.json"];
    let scan = |extra: &[&str]| {
        let mut args = vec!["."];
        args.extend(base);
        args.extend(extra);
        scan_json(d, &args)
    };
    let (code, r) = scan(&[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        suppressed(&r),
        (1, 0, 0, 1),
        "the baseline file itself is clean"
    );

    // Lines moved down, file renamed, reindented into YAML: still accepted.
    fs::remove_file(d.join("config/prod.env")).unwrap();
    write(
        d,
        "deploy/settings.yaml",
        format!(
            "# moved\n\n\nexchange:\n  binance:\n      api_key: {key}\n      api_secret: {secret}\n"
        ),
    );
    let (code, r) = scan(&[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(suppressed(&r).3, 1);
    // Without the baseline it is there (so the check above means something).
    let (code, _) = scan_json(d, &["."]);
    assert_eq!(code, 1);

    // Same place, same names, new secret: reported.
    let (_, _, new_secret) = creds("baseline-rotated-but-leaked-again");
    write(
        d,
        "deploy/settings.yaml",
        format!(
            "# moved\n\n\nexchange:\n  binance:\n      api_key: {key}\n      api_secret: {new_secret}\n"
        ),
    );
    let (code, r) = scan(&[]);
    assert_eq!(code, 1);
    assert_eq!(finding_paths(&r), vec!["deploy/settings.yaml"]);
    assert_eq!(suppressed(&r).3, 0);

    // Prune drops the entry whose secret is gone, keeps the rest.
    let (text, _, _) = creds("baseline-kept");
    write(d, "kept/.env", &text);
    let (code, out, err) = run(d, &["baseline", "create", ".", "--no-config"]);
    assert_eq!(code, 0, "{err}");
    let two: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(two["findings"].as_array().unwrap().len(), 2);
    write(d, "baseline.json", &out);
    fs::remove_file(d.join("deploy/settings.yaml")).unwrap();
    let (code, _, err) = run(d, &["baseline", "prune", "--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("kept 1, dropped 1"), "{err}");
    let pruned: Value =
        serde_json::from_str(&fs::read_to_string(d.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(pruned["findings"].as_array().unwrap().len(), 1);
    assert_eq!(pruned["findings"][0]["paths"][0], "kept/.env");
    let (code, r) = scan(&[]);
    assert_eq!(code, 0, "{r}");

    // A broken baseline is an error naming the file and place.
    write(d, "bad.json", "{\"version\": 1,\n  \"findings\": [ }\n");
    let (code, _, err) = run(d, &["scan", ".", "--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json:2:"), "{err}");
}

#[test]
fn baseline_of_git_history() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let repo = git2::Repository::init(d).unwrap();
    let commit = |files: &[(&str, &str)], msg: &str| {
        for (p, t) in files {
            write(d, p, t);
        }
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now("T", "t@example.com").unwrap();
        let parents: Vec<git2::Commit> = repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, msg, &tree, &parents)
            .unwrap();
    };
    let (old, _, _) = creds("git-baseline-old");
    commit(&[("app/.env", &old)], "add keys");
    commit(&[("app/.env", "BINANCE_API_KEY=\n")], "remove keys");
    let (code, out, err) = run(d, &["baseline", "create", "--git", "-o", "accepted.json"]);
    assert_eq!(code, 0, "{err}{out}");
    let scan_against_baseline = || {
        let (code, out, _) = run(
            d,
            &[
                "git",
                ".",
                "--baseline",
                "accepted.json",
                "--format",
                "json",
            ],
        );
        (code, out)
    };
    let (code, out) = scan_against_baseline();
    assert_eq!(code, 0, "{out}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_schema(&r);
    assert_eq!(suppressed(&r), (1, 0, 0, 1));
    let (new, _, _) = creds("git-baseline-new");
    commit(&[("app/.env", &new)], "oops");
    let (code, out) = scan_against_baseline();
    assert_eq!(code, 1, "{out}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["findings"].as_array().unwrap().len(), 1);
    assert_eq!(suppressed(&r), (1, 0, 0, 1));
    // History paths are relative to the work tree: allow.paths applies.
    write(d, ".tradesecrets.toml", "[allow]\npaths = [\"app/\"]\n");
    let (code, out, _) = run(d, &["git", ".", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(suppressed(&r), (2, 2, 0, 0));
}

#[test]
fn malformed_config_is_exit_2_with_file_line_and_column() {
    let d = repo();
    let d = d.path();
    let (text, _, _) = creds("malformed");
    write(d, ".env", &text);
    for (config, place, words) in [
        (
            "[allow]\npaths = [\"a/\"]\npath = [\"b\"]\n",
            ":3:1: ",
            &["unknown field `path`"][..],
        ),
        (
            "[rules]\nmin_confidence = \"mid\"\n",
            ":2:18: ",
            &["mid", "medium"][..],
        ),
        (
            "[allow]\nregexes = [{ regex = 'a', target = \"word\" }]\n",
            ":2:",
            &["word", "secret"][..],
        ),
        (
            "[allow]\nregexes = ['(unclosed']\n",
            ":2:",
            &["does not compile"][..],
        ),
        ("[allow\npaths = []\n", ":1:", &[][..]),
        (
            "[rules]\ndisable = [\"binance.nope\"]\n",
            ":2:12: ",
            &["binance.nope"][..],
        ),
        (
            "[allow]\nstopwords = [\"a\"]\n",
            ":2:14: ",
            &["at least 3"][..],
        ),
    ] {
        write(d, ".tradesecrets.toml", config);
        let (code, out, err) = run(d, &["scan", "."]);
        assert_eq!(code, 2, "{config}: {out}{err}");
        assert!(out.is_empty(), "no report on a config error: {out}");
        assert!(
            err.contains(&format!(".tradesecrets.toml{place}")),
            "{config}: {err}"
        );
        for w in words {
            assert!(err.contains(w), "{config}: {err}");
        }
        // The same through --config, git and config show.
        write(d, "other.toml", config);
        let (code, _, err) = run(d, &["scan", ".", "--no-config", "--config", "other.toml"]);
        assert_eq!(code, 2, "{err}");
        let (code, _, err) = run(d, &["scan", ".", "--config", "other.toml"]);
        assert_eq!(code, 2);
        assert!(err.contains(&format!("other.toml{place}")), "{err}");
        let (code, _, _) = run(d, &["config", "show"]);
        assert_eq!(code, 2);
        let (code, _, _) = run(d, &["git", "."]);
        assert_eq!(code, 2);
    }
}

#[test]
fn a_config_cannot_reach_outside_its_repository() {
    let outer = tempfile::tempdir().unwrap();
    let d = outer.path().join("repo");
    fs::create_dir_all(d.join(".git")).unwrap();
    let d = d.as_path();
    let (text, _, _) = creds("escape");
    write(d, "app/.env", &text);
    // Something outside the repository a config would like to read.
    write(
        outer.path(),
        "outside.json",
        "{\"version\": 1, \"findings\": []}\n",
    );

    for (config, words) in [
        (
            "[allow]\npaths = [\"../../etc\"]\n",
            &["allow.paths", "..", ":2:10: "][..],
        ),
        ("[allow]\npaths = [\"app/../../x\"]\n", &["allow.paths"][..]),
        (
            "baseline = \"/etc/passwd\"\n",
            &["baseline", "absolute", ":1:12: "][..],
        ),
        (
            "baseline = \"../outside.json\"\n",
            &["baseline", "outside the repository"][..],
        ),
        (
            "baseline = \"app/../../outside.json\"\n",
            &["outside the repository"][..],
        ),
    ] {
        write(d, ".tradesecrets.toml", config);
        let (code, out, err) = run(d, &["scan", "."]);
        assert_eq!(code, 2, "{config}: {out}{err}");
        for w in words {
            assert!(err.contains(w), "{config}: {err}");
        }
    }

    #[cfg(unix)]
    {
        // A link inside the repository to a file outside it.
        std::os::unix::fs::symlink(outer.path().join("outside.json"), d.join("base.json")).unwrap();
        write(d, ".tradesecrets.toml", "baseline = \"base.json\"\n");
        let (code, _, err) = run(d, &["scan", "."]);
        assert_eq!(code, 2);
        assert!(err.contains("link") && err.contains("outside"), "{err}");
        fs::remove_file(d.join("base.json")).unwrap();
        // The config itself, a link to a file outside.
        fs::remove_file(d.join(".tradesecrets.toml")).unwrap();
        write(outer.path(), "evil.toml", "[allow]\npaths = [\"**\"]\n");
        std::os::unix::fs::symlink(outer.path().join("evil.toml"), d.join(".tradesecrets.toml"))
            .unwrap();
        let (code, _, err) = run(d, &["scan", "."]);
        assert_eq!(code, 2);
        assert!(err.contains("outside the repository"), "{err}");
        fs::remove_file(d.join(".tradesecrets.toml")).unwrap();
    }

    // A leading `/` anchors a glob at the config's directory (gitignore):
    // it never means a path outside, and allows nothing there.
    write(
        d,
        ".tradesecrets.toml",
        "[allow]\npaths = [\"/etc\", \"/tmp/\"]\n",
    );
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(suppressed(&r).0, 0);
    // A config above the repository root is never read.
    fs::remove_file(d.join(".tradesecrets.toml")).unwrap();
    write(
        outer.path(),
        ".tradesecrets.toml",
        "[allow]\npaths = [\"**\"]\n",
    );
    let (code, _) = scan_json(d, &["."]);
    assert_eq!(code, 1);
}

const ACMEX: &str = r#"
[[rules.custom]]
venue = { id = "acmex", name = "AcmeX", aliases = ["acmex"], revoke = "https://acmex.invalid/account/api" }

[[rules.custom.rule]]
id = "acmex.api-key"
part = "key"
shape = '[a-f0-9]{40}'
alphabet = "hex-lower"
confidence = "high"
severity = "high"
description = "An AcmeX API key."
examples = [{ text = "ACMEX_API_KEY={{hex:40}}\n", path = ".env" }]
negative_examples = ["ACMEX_API_KEY=changeme\n"]

[[rules.custom]]
venue = "binance"

[[rules.custom.rule]]
id = "binance.desk-token"
part = "secret"
prefix = "bdt_"
context = "self-identifying"
shape = 'bdt_[A-Za-z0-9]{32}'
alphabet = "alnum"
confidence = "high"
severity = "high"
description = "Our trading desk's Binance relay token."
examples = ["token = \"bdt_{{alnum:32}}\"\n"]
negative_examples = ["token = \"bdt_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n"]
"#;

#[test]
fn custom_rules_new_venue_and_existing_venue() {
    let d = repo();
    let d = d.path();
    write(d, ".tradesecrets.toml", ACMEX);
    let text = template::expand(
        "ACMEX_API_KEY={{hex:40}}\nrelay = connect(token=\"bdt_{{alnum:32}}\")\n",
        "custom-found",
    )
    .unwrap();
    write(d, "bot.env", &text);
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{r}");
    assert_schema(&r);
    let mut found: Vec<(String, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["venue"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("acmex.api-key".to_string(), "AcmeX".to_string()),
            ("binance.desk-token".to_string(), "Binance".to_string()),
        ]
    );
    assert!(r.to_string().contains("acmex.invalid/account/api"));
    // Disabling works on custom rules too, and `venue.*` takes a whole venue.
    write(
        d,
        ".tradesecrets.toml",
        format!("[rules]\ndisable = [\"acmex.*\"]\n{ACMEX}"),
    );
    let (_, r) = scan_json(d, &["."]);
    let mut rules: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    rules.sort();
    // Without its venue's rule the key is only a generic credential.
    assert_eq!(rules, vec!["binance.desk-token", "generic.api-key"]);
}

#[test]
fn custom_rule_with_a_failing_example_is_exit_2_naming_the_rule() {
    let d = repo();
    let d = d.path();
    write(d, "README", "nothing here\n");
    // The example's value is too short for the shape.
    write(
        d,
        ".tradesecrets.toml",
        ACMEX.replace("ACMEX_API_KEY={{hex:40}}", "ACMEX_API_KEY={{hex:12}}"),
    );
    let (code, out, err) = run(d, &["scan", "."]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("acmex.api-key") && err.contains("example #1 is not found"),
        "{err}"
    );
    assert!(
        err.contains(".tradesecrets.toml:5:1: "),
        "the rule's place: {err}"
    );
    // A negative example that is found.
    write(
        d,
        ".tradesecrets.toml",
        ACMEX.replace("ACMEX_API_KEY=changeme", "ACMEX_API_KEY={{hex:40}}"),
    );
    let (code, _, err) = run(d, &["scan", "."]);
    assert_eq!(code, 2);
    assert!(
        err.contains("acmex.api-key") && err.contains("negative #1 is found"),
        "{err}"
    );
    // Unknown venue, id outside its venue, id taken, huge template.
    for (from, to, words) in [
        (
            "venue = \"binance\"",
            "venue = \"binanse\"",
            &["no venue `binanse`"][..],
        ),
        (
            "id = \"binance.desk-token\"",
            "id = \"desk.token\"",
            &["must start with its venue"][..],
        ),
        (
            "id = \"binance.desk-token\"",
            "id = \"binance.api-key\"",
            &["already exists"][..],
        ),
        (
            "{{alnum:32}}\\\"\\n\"]",
            "{{alnum:99999999}}\\\"\\n\"]",
            &["more than 4096"][..],
        ),
    ] {
        assert!(ACMEX.contains(from), "{from}");
        write(d, ".tradesecrets.toml", ACMEX.replace(from, to));
        let (code, _, err) = run(d, &["scan", "."]);
        assert_eq!(code, 2, "{to}");
        for w in words {
            assert!(err.contains(w), "{to}: {err}");
        }
    }
}

#[test]
fn discovery_merging_min_confidence_and_config_show() {
    let d = repo();
    let d = d.path();
    write(
        d,
        ".tradesecrets.toml",
        "[allow]\npaths = [\"generated/\"]\nstopwords = [\"outerstop\"]\n\n[rules]\nmin_confidence = \"medium\"\n",
    );
    write(
        d,
        "svc/.tradesecrets.toml",
        "[allow]\npaths = [\"*.snap\", \"/local/\"]\n\n[rules]\nmin_confidence = \"low\"\n",
    );
    let (text, _, _) = creds("disc-generated");
    write(d, "svc/generated/a.env", &text);
    let (text, _, _) = creds("disc-snap");
    write(d, "svc/deep/er/x.snap", &text);
    let (text, _, _) = creds("disc-local");
    write(d, "svc/local/a.env", &text);
    let (text, _, _) = creds("disc-not-local");
    write(d, "svc/deep/local/a.env", &text);
    let (text, _, _) = creds("disc-snap-outside");
    write(d, "other/y.snap", &text);
    let generic = template::expand("API_SECRET={{alnum:40}}\n", "disc-generic").unwrap();
    write(d, "svc/app.env", &generic);
    write(d, "other/app.env", &generic);

    // From svc/: both configs apply, the nearer min_confidence wins.
    let (_, r) = scan_json(&d.join("svc"), &["."]);
    assert_eq!(finding_paths(&r), vec!["app.env", "deep/local/a.env"]);
    assert_eq!(suppressed(&r).1, 3);
    // From the root: configs are discovered upward from the scanned path,
    // so svc's does not apply; the root's medium floor hides the generic ones.
    let (_, r) = scan_json(d, &["."]);
    assert_eq!(
        finding_paths(&r),
        vec![
            "other/y.snap",
            "svc/deep/er/x.snap",
            "svc/deep/local/a.env",
            "svc/local/a.env"
        ]
    );
    // The command line wins over the config.
    let (_, r) = scan_json(d, &["other", "--min-confidence", "low"]);
    assert!(finding_paths(&r).contains(&"other/app.env".to_string()));
    // config show: the merged result, globs relative to the outer config.
    let (code, out, err) = run(&d.join("svc"), &["config", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("/local/") && out.contains("/svc/**/*.snap"),
        "{out}"
    );
    assert!(out.contains("\"/svc/local/\""), "{out}");
    assert!(out.contains("min_confidence = \"low\""), "{out}");
    assert!(out.contains("outerstop"), "{out}");
    // ... which is itself a config meaning the same, from the outer directory.
    write(d, "merged.toml", &out);
    let (_, r1) = scan_json(&d.join("svc"), &["."]);
    let (_, r2) = scan_json(&d.join("svc"), &[".", "--config", "../merged.toml"]);
    assert_eq!(finding_paths(&r1), finding_paths(&r2));
    assert_eq!(suppressed(&r1), suppressed(&r2));
    let (code, out, _) = run(d, &["config", "show", "--config", "merged.toml"]);
    assert_eq!(code, 0);
    assert!(out.contains("merged.toml"), "{out}");
    // No config at all.
    let empty = repo();
    let (code, out, _) = run(empty.path(), &["config", "show"]);
    assert_eq!(code, 0);
    assert!(out.contains("no config file found"), "{out}");
}

/// The README's full example config loads, and does what it says.
#[test]
fn readme_example_config_is_valid() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```toml\n# A file this config's scans filter with")
        .expect("README example config");
    let body = &readme[start + "```toml\n".len()..];
    let config = &body[..body.find("```").unwrap()];
    let d = repo();
    let d = d.path();
    write(d, ".tradesecrets.toml", config);
    write(
        d,
        ".tradesecrets-baseline.json",
        "{\"version\": 1, \"findings\": []}\n",
    );
    let (code, out, err) = run(d, &["config", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("binance.desk-relay-token") && out.contains("acmex.api-key"));
    let text = template::expand(
        "RELAY_TOKEN=\"bdr_{{alnum:32}}\"\nACMEX_API_KEY={{hex:40}}\n",
        "readme-example",
    )
    .unwrap();
    write(d, "src/app.env", &text);
    write(d, "tests/fixtures/app.env", &text);
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(finding_paths(&r), vec!["src/app.env", "src/app.env"]);
    assert_eq!(suppressed(&r), (2, 2, 0, 0));
}

#[test]
fn readme_documents_every_inline_allow_marker() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("### Inline allow comments")
        .expect("the section")..];
    let section = &section[..section[4..].find("\n### ").map_or(section.len(), |e| e + 4)];
    // Markers may wrap across lines.
    let section = section.split_whitespace().collect::<Vec<_>>().join(" ");
    for m in tradesecrets::suppress::inline::MARKERS {
        assert!(
            section.contains(&format!("`{m}")),
            "README does not document `{m}`"
        );
    }
}
