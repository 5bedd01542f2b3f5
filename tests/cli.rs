//! The `scan` command end to end: exit codes, the JSON schema, redaction in
//! every format, stdin, ignore files, dotfiles, limits and hostile inputs.

mod common;

use common::*;
use serde_json::Value;
use std::fs;
use tradesecrets::rules::template;

/// A Binance key + secret pair, generated for this test.
fn binance_env(seed: &str) -> (String, String, String) {
    let key = template::expand("{{alnum:64}}", &format!("{seed}-k")).unwrap();
    let secret = template::expand("{{alnum:64}}", &format!("{seed}-s")).unwrap();
    (
        format!("BINANCE_API_KEY={key}\nBINANCE_API_SECRET={secret}\n"),
        key,
        secret,
    )
}

#[test]
fn exit_codes_clean_findings_exit_zero_and_bad_arguments() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "src/main.py",
        "print('hello')\napi_key = os.environ['API_KEY']\n",
    );
    assert_eq!(run(tmp.path(), &["scan", "."]).0, 0);
    let (env, _, _) = binance_env("exit");
    write(tmp.path(), ".env", &env);
    assert_eq!(run(tmp.path(), &["scan", "."]).0, 1);
    assert_eq!(run(tmp.path(), &["scan", ".", "--exit-zero"]).0, 0);
    let (code, _, err) = run(tmp.path(), &["scan", "--format", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("nope"), "{err}");
    let (code, out, err) = run(tmp.path(), &["scan", "does-not-exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("error: does-not-exist: no such file"), "{err}");
    assert!(out.is_empty(), "a usage error scans nothing: {out}");
    // Beside a path that exists, the scan goes on and the missing one is
    // an error of the scan: exit 2, named.
    let (code, out, err) = run(tmp.path(), &["scan", ".", "does-not-exist"]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("does-not-exist"), "{err}");
    assert!(out.contains("1 finding"), "{out}");
}

#[test]
fn json_report_matches_schema_and_documents_the_pair() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, key, secret) = binance_env("schema");
    write(tmp.path(), "deploy/.env", &env);
    let (code, report) = scan_json(tmp.path(), &["deploy"]);
    assert_eq!(code, 1);
    common::assert_report_schema(&report);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "key and secret pair into one finding");
    let f = &findings[0];
    assert_eq!(f["venue"], "Binance");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["confidence"], "high");
    assert_eq!(f["status"], "leak");
    let locs = f["locations"].as_array().unwrap();
    assert_eq!(locs.len(), 2);
    assert_eq!(locs[0]["part"], "key");
    assert_eq!(locs[0]["path"], "deploy/.env");
    assert_eq!(locs[0]["line"], 1);
    assert_eq!(locs[0]["column"], 17);
    assert_eq!(locs[0]["end_column"], 17 + 64);
    assert_eq!(locs[1]["part"], "secret");
    assert_eq!(locs[1]["line"], 2);
    assert!(locs[0].get("secret").is_none());
    let text = report.to_string();
    assert!(!text.contains(&key) && !text.contains(&secret));
    assert_eq!(report["stats"]["files_scanned"], 1);
    assert_eq!(report["stats"]["bytes_scanned"], env.len() as u64);
}

#[test]
fn no_format_prints_a_secret_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, key, secret) = binance_env("redact");
    // Both on one line too: an excerpt must not show the other part.
    let okx_key = template::expand("{{uuid}}", "redact-okx").unwrap();
    let okx_secret = template::expand("{{HEX:32}}", "redact-okx-s").unwrap();
    write(tmp.path(), ".env", &env);
    write(
        tmp.path(),
        "bot.py",
        format!(
            "okx = ccxt.okx({{'apiKey': '{okx_key}', 'secret': '{okx_secret}', 'password': 'Pa55-word!'}})\n"
        ),
    );
    let secrets = [
        key.as_str(),
        secret.as_str(),
        okx_key.as_str(),
        okx_secret.as_str(),
        "Pa55-word!",
    ];
    for format in ["human", "json", "jsonl"] {
        let (code, out, err) = run(
            tmp.path(),
            &["scan", ".", "--format", format, "--color", "always"],
        );
        assert_eq!(code, 1, "{format}");
        for s in secrets {
            assert!(
                !out.contains(s) && !err.contains(s),
                "{format} printed {s}:\n{out}"
            );
        }
        let (_, shown, _) = run(
            tmp.path(),
            &["scan", ".", "--format", format, "--show-secrets"],
        );
        for s in secrets {
            assert!(
                shown.contains(s),
                "{format} --show-secrets did not print {s}"
            );
        }
    }
}

#[test]
fn jsonl_is_one_finding_per_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, _, _) = binance_env("jsonl1");
    write(tmp.path(), "a/.env", &env);
    let (env, _, _) = binance_env("jsonl2");
    write(tmp.path(), "b/.env", &env);
    let (code, out, _) = run(tmp.path(), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(code, 1);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["locations"][0]["path"], "a/.env");
    assert_eq!(lines[1]["locations"][0]["path"], "b/.env");
}

#[test]
fn stdin_is_scanned() {
    let (env, _, _) = binance_env("stdin");
    let out = bin()
        .args(["scan", "-", "--format", "json"])
        .write_stdin(env)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["locations"][0]["path"], "-");
    assert_eq!(v["findings"][0]["locations"][0]["line"], 1);
}

#[test]
fn human_report_names_venue_place_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, key, _) = binance_env("human");
    write(tmp.path(), "config/.env", &env);
    let (code, out, _) = run(tmp.path(), &["scan", "config", "--color", "never"]);
    assert_eq!(code, 1);
    assert!(out.contains("CRITICAL"), "{out}");
    assert!(out.contains("Binance key + secret"), "{out}");
    assert!(out.contains("config/.env:1:17"), "{out}");
    assert!(out.contains("config/.env:2:20"), "{out}");
    assert!(
        out.contains(&format!("BINANCE_API_KEY={}…", &key[..4])),
        "{out}"
    );
    assert!(
        out.contains("binance.com/en/my/settings/api-management"),
        "{out}"
    );
    assert!(out.contains("does not make it safe"), "{out}");
    assert!(out.contains("1 finding (1 critical) in 1 files"), "{out}");
    assert!(!out.contains('\u{1b}'), "--color never must not emit ANSI");
    let (_, colored, _) = run(tmp.path(), &["scan", "config", "--color", "always"]);
    assert!(colored.contains('\u{1b}'));
    let (_, quiet, _) = run(tmp.path(), &["scan", "config", "-q"]);
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
}

#[test]
fn dotfiles_scanned_git_dir_never_ignore_files_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for (i, rel) in [
        ".env.production",
        ".git/config",
        "ignored/keys.env",
        "skipme/keys.env",
        "vendor/x.env",
    ]
    .iter()
    .enumerate()
    {
        let (env, _, _) = binance_env(&format!("ign{i}"));
        write(d, rel, env);
    }
    write(d, ".gitignore", "ignored/\n");
    write(d, ".tradesecretsignore", "skipme/\n");
    write(d, ".ignore", "vendor/\n");
    let (_, r) = scan_json(d, &["."]);
    let paths: Vec<String> = locations(&r).into_iter().map(|l| l.0).collect();
    assert!(paths.iter().all(|p| p == ".env.production"), "{paths:?}");
    assert!(!paths.is_empty());
    let (_, r) = scan_json(d, &[".", "--no-ignore", "--include-vendored"]);
    let mut paths: Vec<String> = locations(&r).into_iter().map(|l| l.0).collect();
    paths.dedup();
    assert_eq!(
        paths,
        vec![
            ".env.production",
            "ignored/keys.env",
            "skipme/keys.env",
            "vendor/x.env"
        ]
    );
    // An explicitly named file is scanned even when ignored.
    let (code, _) = scan_json(d, &["ignored/keys.env"]);
    assert_eq!(code, 1);
}

#[test]
fn large_and_binary_files_are_listed_as_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, _, _) = binance_env("big");
    let mut big = env.clone().into_bytes();
    big.extend(std::iter::repeat_n(b'a', 2000));
    write(tmp.path(), "big.env", &big);
    let mut binary = vec![0u8, 1, 2, 3];
    binary.extend(env.as_bytes());
    write(tmp.path(), "blob.bin", &binary);
    let (code, r) = scan_json(tmp.path(), &[".", "--max-file-size", "1000"]);
    assert_eq!(code, 0);
    let skipped = r["skipped"].as_array().unwrap();
    let reasons: Vec<String> = skipped
        .iter()
        .map(|s| format!("{} {}", s["path"], s["reason"]))
        .collect();
    assert_eq!(r["stats"]["files_skipped"], 2, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|s| s.contains("big.env") && s.contains("max-file-size")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|s| s.contains("blob.bin") && s.contains("binary")),
        "{reasons:?}"
    );
    let (code, r) = scan_json(tmp.path(), &[".", "--include-binary"]);
    assert_eq!(code, 1);
    let paths: Vec<String> = locations(&r).into_iter().map(|l| l.0).collect();
    assert!(
        paths.contains(&"blob.bin".to_string()) && paths.contains(&"big.env".to_string()),
        "{paths:?}"
    );
}

#[test]
fn documentation_examples_are_hidden_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    // Binance's own HMAC example from its API docs.
    write(
        tmp.path(),
        "docs.env",
        "BINANCE_API_KEY=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A\nBINANCE_API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j\n",
    );
    let (code, r) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 0);
    assert_eq!(r["findings"].as_array().unwrap().len(), 0);
    // Hidden, but counted.
    assert_eq!(r["stats"]["hidden"]["example"], 1);
    // Shown on request, and still not a leak: the exit code ignores it.
    let (code, r) = scan_json(tmp.path(), &[".", "--include-examples"]);
    assert_eq!(code, 0);
    assert_eq!(r["findings"][0]["status"], "example");
    assert_eq!(r["stats"]["hidden"]["example"], 0);
}

#[test]
fn fixtures_and_vendored_code_are_counted_not_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // One credential in first-party config, one in a committed virtualenv,
    // one in a test that says it is a mock.
    write(d, "deploy/.env", binance_env("vend-a").0);
    write(
        d,
        ".venv/lib/python3.12/site-packages/pkg/keys.env",
        binance_env("vend-b").0,
    );
    let mock = template::expand(
        "def test_sign():\n    # mock credentials for the signer\n    client = Client(api_key=\"{{alnum:64}}\", api_secret=\"{{alnum:64}}\")\n    assert client\n",
        "vend-mock",
    )
    .unwrap();
    write(d, "tests/test_binance_sign.py", &mock);
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1);
    let paths: Vec<String> = locations(&r).into_iter().map(|l| l.0).collect();
    assert!(paths.iter().all(|p| p == "deploy/.env"), "{paths:?}");
    assert_eq!(r["stats"]["hidden"]["vendored"], 1, "{}", r["stats"]);
    assert_eq!(r["stats"]["hidden"]["fixture"], 1, "{}", r["stats"]);
    let (code, r) = scan_json(d, &[".", "--include-all"]);
    assert_eq!(code, 1);
    let seen = path_status_context(&r);
    let want: Vec<(String, String, String)> = [
        (
            ".venv/lib/python3.12/site-packages/pkg/keys.env",
            "vendored",
            "vendored",
        ),
        ("deploy/.env", "leak", "config"),
        ("tests/test_binance_sign.py", "fixture", "test"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(seen, want);
    // The human summary counts the leak and names what it does not show.
    let (_, out, _) = run(d, &["scan", ".", "--color", "never"]);
    assert!(out.contains("1 finding"), "{out}");
    assert!(
        out.contains(
            "1 test fixture, 1 in vendored code not shown: --include-fixtures, --include-vendored"
        ),
        "{out}"
    );
}

#[test]
fn min_confidence_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let generic = template::expand("API_SECRET={{alnum:40}}\n", "minconf").unwrap();
    write(tmp.path(), "app.env", generic);
    let (code, r) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(r["findings"][0]["confidence"], "low");
    let (code, _) = scan_json(tmp.path(), &[".", "--min-confidence", "medium"]);
    assert_eq!(code, 0);
}

#[test]
fn output_file_is_written_and_private_with_secrets() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, key, _) = binance_env("outfile");
    write(tmp.path(), ".env", &env);
    let (code, stdout, _) = run(
        tmp.path(),
        &["scan", ".", "--format", "json", "--output", "r.json"],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    let r: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(r["findings"].as_array().unwrap().len(), 1);
    run(
        tmp.path(),
        &[
            "scan",
            ".env",
            "--format",
            "json",
            "--output",
            "s.json",
            "--show-secrets",
        ],
    );
    let text = fs::read_to_string(tmp.path().join("s.json")).unwrap();
    assert!(text.contains(&key));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(tmp.path().join("s.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn odd_files_do_not_stop_the_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, _, _) = binance_env("odd");
    write(d, "good/.env", &env);
    write(d, "empty.txt", "");
    let mut bad = b"binance secret = \xff\xfe\xfd not utf-8\r\n".to_vec();
    bad.extend(env.replace('\n', "\r\n").as_bytes());
    write(d, "crlf-invalid.env", &bad);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("nowhere"), d.join("broken-link")).unwrap();
        let fifo = d.join("pipe");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "mkfifo failed");
    }
    let (code, r) = scan_json(d, &["."]);
    assert_eq!(code, 1, "{r}");
    let locs = locations(&r);
    assert!(locs.iter().any(|l| l.0 == "good/.env"));
    // CRLF and invalid UTF-8 before it: still found at the right line.
    assert!(
        locs.iter()
            .any(|l| l.0 == "crlf-invalid.env" && l.1 == 2 && l.2 == 17),
        "{locs:?}"
    );
    let skipped = r["skipped"].to_string();
    assert!(
        skipped.contains("pipe") && skipped.contains("not a regular file"),
        "{skipped}"
    );
    assert!(skipped.contains("broken-link"), "{skipped}");
    // Explicitly named FIFO: skipped, never opened (opening would block).
    let (code, r) = scan_json(d, &["pipe"]);
    assert_eq!(code, 0, "{r}");
}

#[test]
fn a_200_mb_single_line_file_is_scanned_without_trouble() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, _, _) = binance_env("huge");
    let mut data = Vec::with_capacity(200 * 1024 * 1024 + env.len());
    data.extend(env.replace('\n', " ").as_bytes());
    data.resize(200 * 1024 * 1024, b'x');
    write(tmp.path(), "huge.txt", &data);
    drop(data);
    let (code, r) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 0);
    assert!(r["skipped"].to_string().contains("huge.txt"));
    let (code, r) = scan_json(tmp.path(), &[".", "--max-file-size", "300000000"]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["findings"][0]["locations"][0]["line"], 1);
}

/// Runs the binary as an unprivileged user (root reads everything), so that
/// a permission-denied file is real.
#[cfg(unix)]
#[test]
fn unreadable_file_is_a_warning_exit_2_and_the_rest_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    let (env, _, _) = binance_env("perm");
    write(d, "ok/.env", &env);
    write(d, "secret.txt", "nothing");
    fs::set_permissions(d.join("secret.txt"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(d.join("ok"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(d.join("ok/.env"), fs::Permissions::from_mode(0o644)).unwrap();
    let exe = assert_cmd::cargo::cargo_bin("tradesecrets");
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&exe);
        c
    } else {
        std::process::Command::new(&exe)
    };
    // The binary must be reachable for the unprivileged user.
    let out = cmd
        .current_dir(d)
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("Permission denied") && out.stdout.is_empty() {
        // The test binary itself is not readable for the unprivileged user
        // (e.g. a private target dir); nothing meaningful to check.
        eprintln!("skipping: binary not executable as an unprivileged user: {stderr}");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("secret.txt") && stderr.contains("ermission denied"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        1,
        "the readable file is still reported"
    );
    assert_eq!(v["stats"]["errors"], 1);
    assert_eq!(v["errors"][0]["path"], "secret.txt");
}

#[test]
fn rules_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, _) = run(tmp.path(), &["rules", "check", "--strict"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(" 0 errors, 0 warnings"), "{out}");
    let (code, out, _) = run(tmp.path(), &["rules", "list"]);
    assert_eq!(code, 0);
    assert!(out.contains("binance.secret-key") && out.contains("wallet.bip39-mnemonic"));
    let (code, out, _) = run(tmp.path(), &["rules", "explain", "okx.passphrase"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("OK-ACCESS-PASSPHRASE") && out.contains("How to revoke"),
        "{out}"
    );
    let (code, _, err) = run(tmp.path(), &["rules", "explain", "nope.nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.nope"));
}

/// A symlinked release directory named on the command line is followed (as
/// ripgrep does), with or without a trailing slash; links inside it are
/// still not followed, so a loop back to the root is listed, not walked.
#[cfg(unix)]
#[test]
fn a_symlinked_directory_root_is_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, _, _) = binance_env("symlinked-root");
    write(tmp.path(), "releases/v2/.env", &env);
    std::os::unix::fs::symlink("releases/v2", tmp.path().join("current")).unwrap();
    std::os::unix::fs::symlink("..", tmp.path().join("releases/v2/up")).unwrap();
    for root in ["current", "current/"] {
        let (code, out, err) = run(tmp.path(), &["scan", root, "--format", "json"]);
        assert_eq!(code, 1, "{root}: {out}{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let paths: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["locations"][0]["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["current/.env"], "{root}");
        let skipped = report["skipped"].to_string();
        assert!(skipped.contains("current/up"), "{root}: {skipped}");
        assert!(
            skipped.contains("symbolic link (not followed)"),
            "{root}: {skipped}"
        );
    }
    // `-v` names skipped files in the human report; without it, a count.
    let (_, out, _) = run(tmp.path(), &["scan", "current", "-v"]);
    assert!(
        out.contains("skipped current/up: symbolic link (not followed)"),
        "{out}"
    );
    let (_, out, _) = run(tmp.path(), &["scan", "current"]);
    assert!(!out.contains("skipped current/up"), "{out}");
}

/// A file git tracks although `.gitignore` matches it (force-added, or
/// committed before it was ignored) is scanned; an untracked ignored file
/// is not, unless `--no-ignore`; the root's `.tradesecretsignore` still
/// excludes a tracked file; a real repository built with real git.
#[test]
fn tracked_files_are_scanned_whatever_gitignore_says() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let who = Commits {
        author: ("T", "t@example.com"),
        committer: ("T", "t@example.com"),
        date: "1704110400 +0000",
    };
    let git = |args: &[&str]| git_as(dir, args, &who);
    git(&["init", "-q", "-b", "main"]);
    let (tracked, _, _) = binance_env("tracked-ignored");
    let (untracked, _, _) = binance_env("untracked-ignored");
    let (vendored, _, _) = binance_env("tracked-own-ignore");
    write(dir, ".gitignore", "*.env\nbuild/\n");
    write(dir, "app/prod.env", &tracked);
    write(dir, "build/keys.env", &vendored);
    write(dir, "local.env", &untracked);
    write(dir, ".tradesecretsignore", "build/\n");
    git(&["add", ".gitignore", ".tradesecretsignore"]);
    git(&["add", "-f", "app/prod.env", "build/keys.env"]);
    git(&["commit", "-q", "-m", "config"]);
    let paths = |args: &[&str]| {
        let (code, out, err) = run(dir, args);
        let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
        let mut p: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["locations"][0]["path"].as_str().unwrap().to_string())
            .collect();
        p.sort();
        p.dedup();
        (code, p)
    };
    assert_eq!(
        paths(&["scan", ".", "--format", "json"]),
        (1, vec!["app/prod.env".to_string()])
    );
    // From a subdirectory root too.
    assert_eq!(
        paths(&["scan", "app", "--format", "json"]),
        (1, vec!["app/prod.env".to_string()])
    );
    let (_, all) = paths(&["scan", ".", "--format", "json", "--no-ignore"]);
    assert_eq!(all, ["app/prod.env", "build/keys.env", "local.env"]);
}

/// GitHub annotations on stdout, JSON and SARIF files from the same scan.
const MULTI: &[&str] = &[
    "scan",
    ".",
    "--format",
    "github",
    "-o",
    "json=r.json",
    "--output",
    "sarif=out/r.sarif",
];

#[test]
fn one_scan_writes_every_report_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, key, _) = binance_env("multi-output");
    write(tmp.path(), ".env", &env);
    let (code, stdout, stderr) = run(tmp.path(), MULTI);
    assert_eq!(code, 2, "the SARIF directory does not exist: {stderr}");
    assert!(stderr.contains("out/r.sarif"), "{stderr}");
    fs::create_dir(tmp.path().join("out")).unwrap();
    let (code, stdout2, stderr) = run(tmp.path(), MULTI);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, stdout2, "stdout keeps the --format report");
    assert!(stdout2.starts_with("::error file=.env,"), "{stdout2}");
    let json: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("r.json")).unwrap()).unwrap();
    let sarif: Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("out/r.sarif")).unwrap()).unwrap();
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        json["findings"][0]["fingerprint"],
        sarif["runs"][0]["results"][0]["fingerprints"]["tradesecrets/v1"]
    );
    for f in ["r.json", "out/r.sarif"] {
        assert!(
            !fs::read_to_string(tmp.path().join(f))
                .unwrap()
                .contains(&key)
        );
    }
    // A plain FILE still takes the --format report; FORMAT=FILE adds one.
    let (code, stdout, _) = run(
        tmp.path(),
        &[
            "scan",
            ".",
            "-f",
            "jsonl",
            "-o",
            "a.jsonl",
            "-o",
            "junit=a.xml",
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert_eq!(
        fs::read_to_string(tmp.path().join("a.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );
    assert!(
        fs::read_to_string(tmp.path().join("a.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    // A file name holding `=` that names no format is a file.
    let (code, _, _) = run(tmp.path(), &["scan", ".", "-f", "json", "-o", "x=y.json"]);
    assert_eq!(code, 1);
    assert!(tmp.path().join("x=y.json").is_file());
}

#[test]
fn contradictory_outputs_are_usage_errors_before_scanning() {
    let tmp = tempfile::tempdir().unwrap();
    let (env, _, _) = binance_env("bad-outputs");
    write(tmp.path(), ".env", &env);
    for (args, says) in [
        (
            &["-o", "a", "-o", "b"][..],
            "2 files for the `--format` report",
        ),
        (
            &["-o", "r.json", "-o", "sarif=r.json"][..],
            "r.json is named twice",
        ),
        (&["-o", "sarif=-"][..], "use `--format sarif`"),
        (&["-o", "json="][..], "names no file"),
    ] {
        let mut a = vec!["scan", "."];
        a.extend_from_slice(args);
        let (code, stdout, stderr) = run(tmp.path(), &a);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} scanned: {stdout}");
    }
    assert!(!tmp.path().join("a").exists() && !tmp.path().join("r.json").exists());
}

#[test]
fn sarif_names_its_category_and_the_commit_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    fs::create_dir(&repo).unwrap();
    let (env, _, _) = binance_env("provenance");
    write(&repo, "prod.env", &env);
    // Outside a repository: the category, no provenance.
    let (_, stdout, _) = run(&repo, &["scan", ".", "-f", "sarif"]);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc["runs"][0]["automationDetails"]["id"],
        "tradesecrets/scan/"
    );
    assert!(doc["runs"][0].get("versionControlProvenance").is_none());
    let who = Commits {
        author: ("Prov Author", "prov@example.com"),
        committer: ("Prov Author", "prov@example.com"),
        date: "1704110400 +0000",
    };
    git_as(&repo, &["init", "-q", "-b", "trunk"], &who);
    git_as(&repo, &["add", "."], &who);
    git_as(&repo, &["commit", "-q", "-m", "one"], &who);
    // A CI token in the remote URL never reaches the report.
    git_as(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            "https://x-access-token:not-a-real-token@example.com/acme/bot.git",
        ],
        &who,
    );
    let head = git_as(&repo, &["rev-parse", "HEAD"], &who);
    for (cmd, kind) in [("scan", "scan"), ("git", "git")] {
        let (code, stdout, _) = run(&repo, &[cmd, ".", "-f", "sarif"]);
        assert_eq!(code, 1);
        assert!(!stdout.contains("not-a-real-token"));
        let doc = valid_sarif(&stdout);
        let run = &doc["runs"][0];
        assert_eq!(
            run["automationDetails"]["id"],
            format!("tradesecrets/{kind}/")
        );
        let vc = &run["versionControlProvenance"][0];
        assert_eq!(
            vc["repositoryUri"], "https://example.com/acme/bot.git",
            "{cmd}"
        );
        assert_eq!(vc["revisionId"], head.trim(), "{cmd}");
        assert_eq!(vc["branch"], "trunk", "{cmd}");
    }
    // scp-like remotes become ssh URIs without the user.
    git_as(
        &repo,
        &[
            "remote",
            "set-url",
            "origin",
            "git@example.com:acme/bot.git",
        ],
        &who,
    );
    let (_, stdout, _) = run(&repo, &["git", ".", "-f", "sarif"]);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
        "ssh://example.com/acme/bot.git"
    );
}

#[test]
fn venue_named_parts_in_a_venue_named_block_are_high_confidence() {
    let key = template::expand("{{alnum:64}}", "block-k").unwrap();
    let secret = template::expand("{{alnum:64}}", "block-s").unwrap();
    let okx_key = template::expand("{{uuid}}", "block-okx-k").unwrap();
    let okx_secret = template::expand("{{HEX:32}}", "block-okx-s").unwrap();
    let owned = [
        (
            "bot.py",
            format!(
                "import ccxt\nexchange = ccxt.okx({{\n    'apiKey': '{okx_key}',\n    'secret': '{okx_secret}',\n    'password': 'Hedge-Desk-77',\n}})\n"
            ),
        ),
        (
            "config.json",
            format!(
                "{{\n  \"dry_run\": false,\n  \"exchange\": {{\n    \"name\": \"binance\",\n    \"key\": \"{key}\",\n    \"secret\": \"{secret}\",\n    \"ccxt_config\": {{}}\n  }}\n}}\n"
            ),
        ),
        (
            "settings.yaml",
            format!(
                "exchanges:\n  binance:\n    # the main account\n    api_key: {key}\n    api_secret: {secret}\n"
            ),
        ),
        (
            "bot.toml",
            format!("[exchanges.binance]\napi_key = \"{key}\"\napi_secret = \"{secret}\"\n"),
        ),
        (
            "client.js",
            format!(
                "const ex = new ccxt.binance({{\n  apiKey: \"{key}\",\n  secret: \"{secret}\",\n}});\n"
            ),
        ),
    ];
    let near = [
        // The venue only named in a comment above, or as some other
        // key's value: close by, not the block's owner.
        (
            "near.yaml",
            format!("# binance\naccount:\n  api_key: {key}\n  api_secret: {secret}\n"),
        ),
        (
            "near.json",
            format!(
                "{{\n  \"note\": \"binance\",\n  \"key\": \"{key}\",\n  \"secret\": \"{secret}\"\n}}\n"
            ),
        ),
    ];
    for (name, text) in owned.iter().chain(&near) {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), name, text);
        let (code, r) = scan_json(tmp.path(), &["."]);
        assert_eq!(code, 1, "{name}");
        let f = &r["findings"][0];
        let want = if owned.iter().any(|(n, _)| n == name) {
            "high"
        } else {
            "medium"
        };
        assert_eq!(f["confidence"], want, "{name}: {f}");
        assert!(f["locations"].as_array().unwrap().len() >= 2, "{name}: {f}");
        let (code, _) = scan_json(tmp.path(), &[".", "--min-confidence", "high"]);
        assert_eq!(code, if want == "high" { 1 } else { 0 }, "{name}");
    }
}

#[test]
fn human_excerpt_of_a_long_line_shows_the_redacted_value() {
    let tmp = tempfile::tempdir().unwrap();
    let key = template::expand("{{alnum:64}}", "long-line-k").unwrap();
    let secret = template::expand("{{alnum:64}}", "long-line-s").unwrap();
    // A one-line JSON config: the credential past column 200.
    let filler: String = (0..30).map(|i| format!("\"opt{i}\": {i}, ")).collect();
    let line = format!(
        "{{{filler}\"exchange\": {{\"name\": \"binance\", \"key\": \"{key}\", \"secret\": \"{secret}\"}}}}\n"
    );
    assert!(line.find(&key).unwrap() > 200);
    write(tmp.path(), "config.json", &line);
    let (code, stdout, _) = run(tmp.path(), &["scan", ".", "--color", "never"]);
    assert_eq!(code, 1, "{stdout}");
    for (part, value) in [("key", &key), ("secret", &secret)] {
        let shown = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{part} ")))
            .unwrap_or_else(|| panic!("no {part} line:\n{stdout}"));
        assert!(shown.contains(&format!("\"{}…\"", &value[..4])), "{shown}");
        assert!(
            shown.contains('…') && !shown.contains(value.as_str()),
            "{shown}"
        );
        assert!(shown.chars().count() < 300, "{shown}");
    }
}
