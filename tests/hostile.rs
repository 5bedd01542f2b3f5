//! Hostile inputs, end to end through the real binary: huge lines in
//! bounded memory, millions of anchors, 100k files, 10k-deep directories,
//! symlink loops, devices, sockets, files vanishing mid-scan, invalid UTF-8,
//! NULs, CRLF, UTF-16, damaged git repositories, and the tool's own safety
//! (a panic prints no content; errors never echo a secret).
//!
//! Everything credential-shaped is generated here, at test time. The
//! heaviest sizes (a 1 GB line, 10M anchors) run with
//! `TRADESECRETS_HEAVY=1` (use `--release`); the default sizes exercise the
//! same code paths in a few seconds.

mod common;

use common::{Commits, bin, git_as};
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use tradesecrets::rules::template;
use tradesecrets::scan::{TextLimits, TextStatus};
use tradesecrets::text::LineMap;
use tradesecrets::text::Windowing;
use tradesecrets::{RuleSet, ScanOptions, Scanner};

fn heavy() -> bool {
    std::env::var_os("TRADESECRETS_HEAVY").is_some_and(|v| v != "0")
}

/// A temporary directory on tmpfs when there is one (`/dev/shm`): creating
/// 100k files or 100k refs on a slow disk takes a minute; on tmpfs, a
/// second or two.
fn fast_tmp() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(t) = tempfile::tempdir_in(shm)
    {
        return t;
    }
    tempfile::tempdir().unwrap()
}

fn alnum64(seed: &str) -> String {
    template::expand("{{alnum:64}}", seed).unwrap()
}

/// A Binance pair on one line: (text, key, secret).
fn pair_inline(seed: &str) -> (String, String, String) {
    let (k, s) = (alnum64(&format!("{seed}-k")), alnum64(&format!("{seed}-s")));
    (
        format!(" BINANCE_API_KEY={k} BINANCE_SECRET_KEY={s} "),
        k,
        s,
    )
}

/// A Binance pair as two .env lines (LF): (text, key, secret).
fn pair_env(seed: &str) -> (String, String, String) {
    let (k, s) = (alnum64(&format!("{seed}-k")), alnum64(&format!("{seed}-s")));
    (
        format!("BINANCE_API_KEY={k}\nBINANCE_SECRET_KEY={s}\n"),
        k,
        s,
    )
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
    /// Peak RSS in KiB, when `/usr/bin/time` measured it.
    rss_kb: Option<u64>,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

/// Runs the binary in `dir`; with `measure`, under `/usr/bin/time` (when
/// there is one) for its peak RSS.
fn run_env(dir: &Path, args: &[&str], envs: &[(&str, &str)], measure: bool) -> Out {
    let exe = assert_cmd::cargo::cargo_bin("tradesecrets");
    let time = Path::new("/usr/bin/time");
    let rss_tmp = tempfile::NamedTempFile::new().unwrap();
    let rss_file = rss_tmp.path().to_path_buf();
    let mut c = if measure && time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    c.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("TRADESECRETS_WINDOW")
        .env_remove("TRADESECRETS_DEBUG_PANIC");
    for (k, v) in envs {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    let rss_kb = fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse().ok());
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        rss_kb,
    }
}

fn run(dir: &Path, args: &[&str]) -> Out {
    run_env(dir, args, &[], false)
}

/// Every location: (path, line, column, rule, secret) — needs `--show-secrets`.
fn places(r: &Value) -> Vec<(String, u64, u64, String, String)> {
    let mut v: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap())
        .map(|l| {
            (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                l["column"].as_u64().unwrap(),
                l["rule_id"].as_str().unwrap().to_string(),
                l["secret"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Where `value` is in `text`: (line, column), 1-based, columns in characters.
fn pos_of(text: &[u8], value: &str) -> (u64, u64) {
    let at = memchr::memmem::find(text, value.as_bytes()).expect("value in text");
    let (l, c) = LineMap::new(text).position(at);
    (l as u64, c as u64)
}

fn write(dir: &Path, rel: &str, data: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

/// Writes `len` bytes of `fill` (repeated) then `tail`, fast.
fn write_big(path: &Path, fill: &[u8], len: usize, tail: &[u8]) {
    let mut f = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    let chunk: Vec<u8> = fill.iter().copied().cycle().take(1 << 20).collect();
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        f.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    f.write_all(tail).unwrap();
    f.flush().unwrap();
}

// ---------------------------------------------------------------------------
// Huge inputs

#[test]
fn windowed_scan_reports_true_positions_once() {
    // Windows of 128 KiB (32 KiB overlap) over 2.5 MB: a 1.5 MB first line
    // with a pair every ~37 KB (non-ASCII characters before each, so columns
    // count characters), then CRLF lines with a pair every 97 lines. The
    // windowed scan must report exactly what the whole-file scan reports.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut text = String::new();
    let mut values = Vec::new();
    let mut n = 0;
    while text.len() < 1_500_000 {
        text.push_str(&"lorem é ipsum 𝄞 ".repeat(2000));
        let (p, k, s) = pair_inline(&format!("line-{n}"));
        text.push_str(&p);
        values.push((k, "binance.api-key"));
        values.push((s, "binance.secret-key"));
        n += 1;
    }
    text.push_str("\r\n");
    for i in 0..12_000 {
        if i % 97 == 0 {
            let (k, s) = (
                alnum64(&format!("crlf-{i}-k")),
                alnum64(&format!("crlf-{i}-s")),
            );
            text.push_str(&format!(
                "binance_api_key = \"{k}\"\r\nbinance_secret_key = \"{s}\"\r\n"
            ));
            values.push((k, "binance.api-key"));
            values.push((s, "binance.secret-key"));
        } else {
            text.push_str(&format!("x{i} = \"é{i}\" # ünïcödé\r\n"));
        }
    }
    write(d, "big.txt", &text);
    let mut want: Vec<_> = values
        .iter()
        .map(|(v, rule)| {
            let (l, c) = pos_of(text.as_bytes(), v);
            ("big.txt".to_string(), l, c, rule.to_string(), v.clone())
        })
        .collect();
    want.sort();

    let args = ["scan", "big.txt", "--format", "json", "--show-secrets"];
    let whole = run(d, &args);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    let whole = whole.json();
    assert_eq!(places(&whole), want);

    let windowed = run_env(d, &args, &[("TRADESECRETS_WINDOW", "131072")], false);
    assert_eq!(windowed.code, 1, "{}", windowed.stderr);
    let windowed = windowed.json();
    assert_eq!(places(&windowed), want, "windowed positions");
    assert_eq!(
        windowed["findings"].as_array().unwrap().len(),
        values.len() / 2,
        "each pair once, as one finding"
    );
    assert_eq!(
        windowed["stats"]["bytes_scanned"].as_u64(),
        Some(text.len() as u64)
    );
}

#[test]
fn windows_cut_everywhere_in_the_library() {
    // The same guarantee at the library level, with window boundaries
    // falling at every offset around a pair: windows of 4 KiB (1 KiB
    // overlap), the pair moved byte by byte across two boundaries.
    let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
    let (p, k, s) = pair_inline("cut");
    let limits = TextLimits {
        max_bytes: u64::MAX,
        size_hint: None,
        skip_binary: true,
        windowing: Windowing::new(4096, 4096, 1024),
    };
    for lead in (2900..3300).chain(5900..6300) {
        let text = format!("{}{p}{}\n", "é".repeat(lead / 2), "x".repeat(5000));
        let whole = scanner.scan_blob(text.as_bytes(), "a.txt");
        let r = scanner.scan_text(text.as_bytes(), "a.txt", &limits, &mut Vec::new());
        assert!(matches!(r.status, TextStatus::Scanned));
        let got: Vec<_> = r
            .findings
            .iter()
            .flat_map(|f| &f.locations)
            .map(|l| (l.line, l.column, l.end_column, l.secret.clone()))
            .collect();
        let want: Vec<_> = whole
            .iter()
            .flat_map(|f| &f.locations)
            .map(|l| (l.line, l.column, l.end_column, l.secret.clone()))
            .collect();
        assert_eq!(got, want, "lead {lead}");
        assert_eq!(want.len(), 2);
        assert_eq!(want[0].3, k);
        assert_eq!(want[1].3, s);
    }
}

#[test]
fn inline_allow_comments_hold_across_window_boundaries() {
    // A pair below an allow comment, a pair without, lines of every length
    // between: with 4 KiB windows, the boundaries fall between comment and
    // pair many times. The windowed scan reports and suppresses exactly what
    // the whole scan does, each once.
    use tradesecrets::suppress::{PathBase, Suppressor};
    let scanner = || {
        Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default())
            .with_suppressor(Suppressor::new(PathBase::Cwd("/".into())))
    };
    let plain = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
    let mut text = String::new();
    for i in 0..400 {
        if i % 2 == 0 {
            text.push_str("# tradesecrets:allow\n");
        }
        // A pair the judge accepts (a rare generated value is rejected,
        // which would pair the blocks after it differently).
        let pair = (0..)
            .map(|a| pair_inline(&format!("allow-{i}-{a}")).0)
            .find(|p| {
                let f = plain.scan_blob(p.as_bytes(), "a.env");
                f.len() == 1 && f[0].locations.len() == 2
            })
            .unwrap();
        text.push_str(&pair);
        text.push('\n');
        text.push_str(&"filler é ".repeat(i * 7 % 97));
        text.push('\n');
    }
    let whole_scanner = scanner();
    let whole = whole_scanner.scan_blob(text.as_bytes(), "a.env");
    let whole_suppressed = whole_scanner.take_suppressed().len();
    assert_eq!((whole.len(), whole_suppressed), (200, 200));
    let limits = TextLimits {
        max_bytes: u64::MAX,
        size_hint: None,
        skip_binary: true,
        windowing: Windowing::new(4096, 4096, 1024),
    };
    let windowed_scanner = scanner();
    let r = windowed_scanner.scan_text(text.as_bytes(), "a.env", &limits, &mut Vec::new());
    let key = |f: &tradesecrets::Finding| {
        f.locations
            .iter()
            .map(|l| (l.line, l.column, l.secret.clone()))
            .collect::<Vec<_>>()
    };
    let got: Vec<_> = r.findings.iter().map(key).collect();
    let want: Vec<_> = whole.iter().map(key).collect();
    let extra: Vec<_> = got.iter().filter(|f| !want.contains(f)).collect();
    let missing: Vec<_> = want.iter().filter(|f| !got.contains(f)).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "windowed reports {extra:?} more and {missing:?} less"
    );
    assert_eq!(got.len(), want.len());
    assert_eq!(windowed_scanner.take_suppressed().len(), whole_suppressed);
}

#[test]
fn a_huge_single_line_is_scanned_in_bounded_memory() {
    // Larger than the 64 MiB windowing threshold: scanned in 16 MiB windows.
    // 100 MB by default; 1 GB with TRADESECRETS_HEAVY=1 (as the report's
    // figures were measured).
    let size: usize = if heavy() { 1 << 30 } else { 100_000_000 };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (p, k, s) = pair_inline("huge-line");
    let tail = format!("{p}{}\n", "a".repeat(1000));
    write_big(&d.join("huge.txt"), b"a", size, tail.as_bytes());
    let out = run_env(
        d,
        &[
            "scan",
            "huge.txt",
            "--max-file-size",
            "2000000000",
            "--format",
            "json",
            "--show-secrets",
        ],
        &[],
        true,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    let key_col = size as u64 + " BINANCE_API_KEY=".len() as u64 + 1;
    let secret_col = key_col + 64 + " BINANCE_SECRET_KEY=".len() as u64;
    assert_eq!(
        places(&r),
        vec![
            ("huge.txt".into(), 1, key_col, "binance.api-key".into(), k),
            (
                "huge.txt".into(),
                1,
                secret_col,
                "binance.secret-key".into(),
                s
            ),
        ]
    );
    assert_eq!(
        r["stats"]["bytes_scanned"].as_u64(),
        Some((size + tail.len()) as u64)
    );
    if let Some(kb) = out.rss_kb {
        eprintln!("{size}-byte line: peak RSS {kb} KiB");
        // Whole, the file alone would take its size; in windows, a few
        // windows' worth at most.
        assert!(
            kb * 1024 < 96 << 20,
            "peak RSS {kb} KiB for a {size}-byte file"
        );
    }
}

#[test]
fn millions_of_anchor_hits_on_one_line() {
    // `binance ` a million times (ten million with TRADESECRETS_HEAVY=1),
    // then `binance_api_key=...` assignments with short values, then a real
    // pair: every anchor is a venue name the engine must consider, and the
    // line is its context. Completes, finds the pair, in memory that does
    // not grow with the hits (the file is windowed above 64 MiB).
    let n: usize = if heavy() { 10_000_000 } else { 1_000_000 };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (p, k, s) = pair_inline("anchors");
    let assignments = "binance_api_key=AAAAAAAB ".repeat(n / 10);
    let tail = format!("{assignments}{p}\n");
    write_big(&d.join("anchors.txt"), b"binance ", n * 8, tail.as_bytes());
    let out = run_env(
        d,
        &[
            "scan",
            "anchors.txt",
            "--format",
            "json",
            "--show-secrets",
            "--max-file-size",
            "2000000000",
        ],
        &[],
        true,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = places(&out.json());
    let secrets: Vec<&str> = found.iter().map(|l| l.4.as_str()).collect();
    assert_eq!(secrets, vec![k.as_str(), s.as_str()], "{found:?}");
    let col = (n * 8 + assignments.len() + " BINANCE_API_KEY=".len() + 1) as u64;
    assert_eq!((found[0].1, found[0].2), (1, col));
    if let Some(kb) = out.rss_kb {
        eprintln!("{n} anchors: peak RSS {kb} KiB");
    }
}

#[test]
fn a_hundred_thousand_tiny_files() {
    let tmp = fast_tmp();
    let d = tmp.path();
    let n = 100_000;
    for i in 0..n {
        let dir = d.join(format!("d{:03}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir(&dir).unwrap();
        }
        fs::write(dir.join(format!("f{i}.txt")), b"x = 1\n").unwrap();
    }
    let mut want = Vec::new();
    for i in [0, 50_000, 99_999] {
        let (env, k, _) = pair_env(&format!("tiny-{i}"));
        let rel = format!("d{:03}/f{i}.env", i / 1000);
        write(d, &rel, env);
        want.push((rel, k));
    }
    let out = run_env(
        d,
        &["scan", ".", "--format", "json", "--show-secrets"],
        &[],
        true,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    assert_eq!(r["stats"]["files_scanned"], n as u64 + 3);
    assert_eq!(r["stats"]["errors"], 0);
    let keys: Vec<(String, String)> = places(&r)
        .into_iter()
        .filter(|l| l.3 == "binance.api-key")
        .map(|l| (l.0, l.4))
        .collect();
    assert_eq!(keys, want);
    if let Some(kb) = out.rss_kb {
        eprintln!("100k files: peak RSS {kb} KiB");
    }
}

/// Creates `depth` nested directories `a/a/…` below `dir` with a shell that
/// walks down (a path longer than PATH_MAX cannot be created in one call;
/// `set -P` makes `cd` relative, not a too-long logical path), and writes
/// `file` with `content` at the bottom.
fn nest(dir: &Path, depth: usize, file: &str, content: &str) {
    let script = "set -eP; mkdir -p \"$1\"; cd \"$1\"; n=$2; \
                  while [ \"$n\" -gt 0 ]; do s=$(( n < 2000 ? n : 2000 )); \
                  p=$(printf 'a/%.0s' $(seq \"$s\")); mkdir -p \"$p\"; cd \"$p\"; \
                  n=$(( n - s )); done; printf '%s' \"$4\" > \"$3\"";
    let st = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg("bash")
        .arg(dir)
        .arg(depth.to_string())
        .arg(file)
        .arg(content)
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn ten_thousand_nested_directories() {
    let tmp = fast_tmp();
    let d = tmp.path();
    let (shallow, k1, _) = pair_env("nest-shallow");
    let (deep, _, _) = pair_env("nest-deep");
    nest(&d.join("shallow"), 100, ".env", &shallow);
    nest(&d.join("deep"), 10_000, ".env", &deep);
    let out = run_env(
        d,
        &["scan", ".", "--format", "json", "--show-secrets"],
        &[],
        true,
    );
    // Paths deeper than PATH_MAX (4096 bytes) cannot be opened by name: a
    // clear error naming the path, exit 2; everything else is scanned.
    assert!(
        !out.stderr.contains("internal error") && !out.stderr.contains("panicked"),
        "{}",
        out.stderr
    );
    let r = out.json();
    let found = places(&r);
    assert!(
        found.iter().any(|l| l.4 == k1 && l.0.ends_with("/a/.env")),
        "{found:?}"
    );
    match out.code {
        2 => {
            // The error is on the first directory too deep to open, by its
            // full path.
            let errors = r["errors"].as_array().unwrap();
            assert_eq!(errors.len(), 1, "{errors:?}");
            let p = errors[0]["path"].as_str().unwrap();
            assert!(p.starts_with("deep/a/a/") && p.len() > 4000, "{p}");
            assert!(
                errors[0]["message"].as_str().unwrap().contains("too long"),
                "{errors:?}"
            );
        }
        1 => assert_eq!(found.len(), 4, "both found: {found:?}"),
        c => panic!("exit {c}: {}", out.stderr),
    }
    if let Some(kb) = out.rss_kb {
        eprintln!("10k-deep nesting: exit {}, peak RSS {kb} KiB", out.code);
    }
}

// ---------------------------------------------------------------------------
// Odd files

#[cfg(unix)]
#[test]
fn symlink_loops_are_never_followed() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, k, _) = pair_env("loops");
    write(d, "tree/real.env", &env);
    symlink(".", d.join("tree/self")).unwrap();
    symlink("..", d.join("tree/up")).unwrap();
    symlink("b", d.join("tree/a")).unwrap();
    symlink("a", d.join("tree/b")).unwrap();
    symlink("real.env", d.join("tree/alias.env")).unwrap();
    let out = run(d, &["scan", "tree", "--format", "json", "--show-secrets"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    let found = places(&r);
    assert_eq!(found.len(), 2, "found once, through no link: {found:?}");
    assert_eq!(found[0].0, "tree/real.env");
    assert_eq!(found[0].4, k);
    let skipped = r["skipped"].to_string();
    for l in ["self", "up", "tree/a", "tree/b", "alias.env"] {
        assert!(skipped.contains(l), "{l} not listed: {skipped}");
    }
    // Named explicitly: a loop is a link that leads nowhere.
    let out = run(d, &["scan", "tree/a", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let skipped = out.json()["skipped"].to_string();
    assert!(skipped.contains("symbolic link"), "{skipped}");
}

#[cfg(unix)]
#[test]
fn devices_sockets_and_fifos_are_skipped_never_opened() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, _, _) = pair_env("devices");
    write(d, "tree/.env", &env);
    symlink("/dev/zero", d.join("tree/zero")).unwrap();
    symlink("/dev/zero", d.join("zero-link")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(d.join("tree/sock")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(d.join("tree/fifo"))
            .status()
            .unwrap()
            .success()
    );
    let out = run(d, &["scan", "tree", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let skipped = out.json()["skipped"].to_string();
    assert!(
        skipped.contains("tree/sock") && skipped.contains("not a regular file"),
        "{skipped}"
    );
    assert!(skipped.contains("tree/fifo"), "{skipped}");
    assert!(skipped.contains("tree/zero"), "{skipped}");
    // Named explicitly, a device (even through a link) is skipped, never
    // read: /dev/zero would never end.
    let out = run(
        d,
        &[
            "scan",
            "/dev/zero",
            "zero-link",
            "/dev/null",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let r = out.json();
    assert_eq!(r["stats"]["files_skipped"], 3, "{r}");
    assert_eq!(r["stats"]["bytes_scanned"], 0);
    assert!(r["skipped"].to_string().contains("not a regular file"));
}

#[test]
fn a_file_that_vanishes_is_an_error_and_the_rest_is_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, k, _) = pair_env("vanish");
    write(d, "ok.env", &env);
    let out = run(
        d,
        &[
            "scan",
            "ok.env",
            "gone.env",
            "--format",
            "json",
            "--show-secrets",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("gone.env"), "{}", out.stderr);
    assert!(
        out.stderr.contains("everything else was scanned"),
        "{}",
        out.stderr
    );
    let r = out.json();
    assert_eq!(places(&r)[0].4, k);
    assert_eq!(r["errors"][0]["path"], "gone.env");
}

#[cfg(unix)]
#[test]
fn files_deleted_and_truncated_while_the_walk_runs() {
    // A thread deletes, truncates and rewrites files while the binary walks
    // them: each file is either scanned, an error naming it, or missing —
    // never a crash, never a garbled report.
    let tmp = fast_tmp();
    let d = tmp.path().to_path_buf();
    let (env, _, _) = pair_env("race");
    for i in 0..3000 {
        write(&d, &format!("r/{}/{i}.env", i % 30), &env);
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (d, stop, env) = (d.clone(), stop.clone(), env.clone());
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let p = d.join(format!("r/{}/{}.env", i % 30, i % 3000));
                match i % 3 {
                    0 => drop(fs::remove_file(&p)),
                    1 => drop(
                        fs::OpenOptions::new()
                            .write(true)
                            .open(&p)
                            .and_then(|f| f.set_len(7)),
                    ),
                    _ => drop(fs::write(&p, &env)),
                }
                i += 1;
            }
        })
    };
    for _ in 0..3 {
        let out = run(&d, &["scan", "r", "--format", "json"]);
        assert!(matches!(out.code, 0..=2), "{}", out.stderr);
        assert!(!out.stderr.contains("internal error"), "{}", out.stderr);
        let r = out.json();
        for e in r["errors"].as_array().unwrap() {
            let m = e["message"].as_str().unwrap();
            assert!(
                m.contains("No such file") || m.contains("cannot read"),
                "{m}"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
}

#[test]
fn a_reader_that_fails_or_shrinks_mid_text() {
    // What a file deleted (on a network file system) or truncated between
    // the size check and the last read looks like to the reader.
    struct Failing<'a> {
        data: &'a [u8],
        fail_at: usize,
    }
    impl std::io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.fail_at == 0 {
                return Err(std::io::Error::other("stale file handle"));
            }
            let n = buf.len().min(self.data.len()).min(self.fail_at);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            self.fail_at -= n;
            Ok(n)
        }
    }
    let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
    let (env, k, _) = pair_env("reader");
    let mut text = env.clone();
    text.push_str(&"filler line\n".repeat(40_000));
    let limits = TextLimits {
        max_bytes: u64::MAX,
        size_hint: Some(10 << 20),
        skip_binary: true,
        windowing: Windowing::new(64 << 10, 64 << 10, 8 << 10),
    };
    // Fails after the first windows: what was read is reported, with the
    // error.
    let r = scanner.scan_text(
        Failing {
            data: text.as_bytes(),
            fail_at: 300_000,
        },
        "f.env",
        &limits,
        &mut Vec::new(),
    );
    assert!(matches!(r.status, TextStatus::Failed(_)), "{:?}", r.status);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].locations[0].secret, k);
    // Shorter than its size said (truncated): scanned as it is.
    let r = scanner.scan_text(env.as_bytes(), "f.env", &limits, &mut Vec::new());
    assert!(matches!(r.status, TextStatus::Scanned));
    assert_eq!(r.findings.len(), 1);
    // Longer than the limit (grew): not scanned.
    let small = TextLimits {
        max_bytes: 1000,
        size_hint: Some(10),
        ..limits
    };
    let r = scanner.scan_text(text.as_bytes(), "f.env", &small, &mut Vec::new());
    assert!(matches!(r.status, TextStatus::TooLarge), "{:?}", r.status);
    assert!(r.findings.is_empty());
    // Failing at once.
    let r = scanner.scan_text(
        Failing {
            data: b"",
            fail_at: 0,
        },
        "f.env",
        &limits,
        &mut Vec::new(),
    );
    assert!(matches!(r.status, TextStatus::Failed(_)));
}

// ---------------------------------------------------------------------------
// Encodings and bytes

#[test]
fn invalid_utf8_nul_bytes_and_crlf() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (k1, s1) = (alnum64("bytes-k1"), alnum64("bytes-s1"));
    // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an
    // overlong encoding) before the value on its line; CRLF endings.
    let mut a = b"\x80\xC3( \xE2\x82 \xC0\xAF BINANCE_API_KEY=".to_vec();
    a.extend(k1.as_bytes());
    a.extend(b"\r\nBINANCE_SECRET_KEY=");
    a.extend(s1.as_bytes());
    a.extend(b"\r\n");
    write(d, "invalid.env", &a);
    // A NUL past the first 8 KiB, and NULs on the key's own line.
    let (k2, s2) = (alnum64("bytes-k2"), alnum64("bytes-s2"));
    let mut b = "# padding\n".repeat(900).into_bytes();
    b.extend(b"\0\0\0\n");
    b.extend(format!("BINANCE_API_KEY={k2}\0\0 trailing\nBINANCE_SECRET_KEY={s2}\n").as_bytes());
    write(d, "late-nul.env", &b);
    // A NUL in the first 8 KiB: binary, skipped unless asked.
    let (env3, k3, _) = pair_env("bytes-3");
    let mut c = b"\0".to_vec();
    c.extend(env3.as_bytes());
    write(d, "early-nul.env", &c);

    let out = run(d, &["scan", ".", "--format", "json", "--show-secrets"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    let found = places(&r);
    let at = |v: &str| {
        found
            .iter()
            .find(|l| l.4 == v)
            .map(|l| (l.0.as_str(), l.1, l.2))
    };
    assert_eq!(at(&k1), Some(("invalid.env", 1, pos_of(&a, &k1).1)));
    assert_eq!(at(&s1), Some(("invalid.env", 2, 20)));
    assert_eq!(at(&k2), Some(("late-nul.env", 902, 17)));
    assert_eq!(at(&s2), Some(("late-nul.env", 903, 20)));
    assert_eq!(at(&k3), None);
    assert!(r["skipped"].to_string().contains("early-nul.env"));
    let out = run(
        d,
        &[
            "scan",
            "early-nul.env",
            "--include-binary",
            "--format",
            "json",
            "--show-secrets",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(places(&out.json())[0].4, k3);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut v = Vec::new();
    for u in bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16()) {
        v.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    v
}

#[test]
fn utf16_files_are_decoded_and_scanned() {
    // Windows tools (PowerShell's `>`, Notepad, regedit exports) write
    // config files as UTF-16: LE or BE, with or without a BOM.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut want = Vec::new();
    for (i, (be, bom)) in [(false, true), (true, true), (false, false), (true, false)]
        .into_iter()
        .enumerate()
    {
        let (k, s) = (
            alnum64(&format!("u16-{i}-k")),
            alnum64(&format!("u16-{i}-s")),
        );
        // Non-BMP and accented characters before the values: columns count
        // characters of the decoded text.
        let text =
            format!("; réglages 𝄞\r\n[binance]\r\napi_key = \"{k}\"\r\n🔑 secret = \"{s}\"\r\n");
        let name = format!(
            "cfg-{}-{}.ini",
            if be { "be" } else { "le" },
            if bom { "bom" } else { "nobom" }
        );
        write(d, &name, utf16(&text, be, bom));
        for v in [&k, &s] {
            let (l, c) = pos_of(text.as_bytes(), v);
            want.push((name.clone(), l, c, v.clone()));
        }
    }
    // A binary file whose NULs follow no UTF-16 pattern is still binary.
    let mut binary = vec![0u8, 0, 1, 0, 0, 0, 2, 0];
    binary.extend(pair_env("u16-binary").0.as_bytes());
    write(d, "data.bin", &binary);
    let out = run(d, &["scan", ".", "--format", "json", "--show-secrets"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    let mut got: Vec<_> = places(&r)
        .into_iter()
        .map(|l| (l.0, l.1, l.2, l.4))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        r["findings"].as_array().unwrap().len(),
        4,
        "one pair per file"
    );
    assert!(r["skipped"].to_string().contains("data.bin"));

    // A large UTF-16 file, decoded as it is read, in windows.
    let (p, k, _) = pair_inline("u16-big");
    let text = format!("{}{p}\r\n", "x=é\r\n".repeat(300_000));
    write(d, "big/huge.txt", utf16(&text, false, true));
    let out = run_env(
        d,
        &["scan", "big", "--format", "json", "--show-secrets"],
        &[("TRADESECRETS_WINDOW", "65536")],
        false,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = places(&out.json());
    let (l, c) = pos_of(text.as_bytes(), &k);
    assert_eq!(
        (found[0].1, found[0].2, found[0].4.as_str()),
        (l, c, k.as_str())
    );

    // Through stdin too.
    let out = bin()
        .args(["scan", "-", "--format", "json", "--show-secrets"])
        .write_stdin(utf16(&pair_env("u16-stdin").0, true, true))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

// ---------------------------------------------------------------------------
// The tool's own safety

#[test]
fn a_panic_prints_no_content_and_exits_2() {
    // Debug builds panic on purpose, with the scanned text in the panic
    // message (as a slicing bug would), when it holds the marker.
    if !cfg!(debug_assertions) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, k, s) = pair_env("panic");
    write(d, "a.env", format!("PANIC_MARK\n{env}"));
    let out = run_env(
        d,
        &["scan", ".", "--format", "json"],
        &[("TRADESECRETS_DEBUG_PANIC", "PANIC_MARK")],
        false,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("internal error"), "{}", out.stderr);
    assert!(
        out.stderr.contains("src/"),
        "location shown: {}",
        out.stderr
    );
    for secret in [&k, &s] {
        assert!(!out.stderr.contains(secret.as_str()), "{}", out.stderr);
        assert!(!out.stdout.contains(secret.as_str()), "{}", out.stdout);
    }
    assert!(!out.stderr.contains("PANIC_MARK"), "{}", out.stderr);
}

#[test]
fn errors_never_echo_a_secret() {
    // A secret file handed where a config, a baseline or an output file is
    // expected: the error names the file and the place, never the content.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (env, k, s) = pair_env("echo");
    write(d, "keys.env", &env);
    write(d, "sub/.tradesecrets.toml", &env);
    write(d, "sub/x.txt", "x");
    let (named, _, _) = pair_env("named");
    let secret_name = named.lines().next().unwrap().to_string();
    write(d, &format!("{secret_name}.txt"), "nothing here");
    let cases: Vec<Vec<&str>> = vec![
        vec!["scan", ".", "--config", "keys.env"],
        vec!["scan", ".", "--baseline", "keys.env"],
        vec!["scan", "sub"],
        vec!["config", "show", "--config", "keys.env"],
        vec!["baseline", "prune", "--baseline", "keys.env", "."],
        vec!["git", "keys.env"],
    ];
    for args in cases {
        let out = run(d, &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?}");
        for secret in [&k, &s] {
            assert!(
                !out.stderr.contains(secret.as_str()) && !out.stdout.contains(secret.as_str()),
                "{args:?} echoed a secret: {}",
                out.stderr
            );
        }
    }
    // Findings are redacted; a file *named* like a secret is shown as named.
    let out = run(d, &["scan", ".", "--no-config", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(&k) && !out.stdout.contains(&s));
}

// ---------------------------------------------------------------------------
// Damaged and unusual git repositories

fn git(dir: &Path, args: &[&str]) -> String {
    let t = ("t", "t@example.invalid");
    let who = Commits {
        author: t,
        committer: t,
        date: "2024-01-01T00:00:00Z",
    };
    git_as(dir, args, &who)
}

fn git_stdin(dir: &Path, args: &[&str], input: &[u8]) {
    let mut c = Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(input).unwrap();
    assert!(c.wait().unwrap().success());
}

/// A repository with `good.env` (a pair) and a large `bulk.txt` in one
/// commit, everything in one pack; returns (dir, key of good.env).
fn packed_repo(root: &Path) -> (std::path::PathBuf, String) {
    let dir = root.join("packed");
    fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    let (env, k, _) = pair_env("packed");
    fs::write(dir.join("good.env"), env).unwrap();
    // Incompressible-ish bulk, so that most of the pack is this blob.
    let bulk = template::expand(&"{{b64:76}}\n".repeat(4000), "bulk").unwrap();
    fs::write(dir.join("bulk.txt"), bulk).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "one"]);
    git(&dir, &["repack", "-adq"]);
    git(&dir, &["prune-packed"]);
    (dir, k)
}

fn git_scan(repo: &Path) -> Out {
    run(repo, &["git", ".", "--format", "json", "--show-secrets"])
}

#[test]
fn corrupt_pack_names_the_damage_and_scans_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, k) = packed_repo(tmp.path());
    let bulk = git(&repo, &["rev-parse", "HEAD:bulk.txt"]);
    let pack = fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    // Flip bytes inside the bulk blob's compressed data: find its offset
    // from the index (`git verify-pack -v` lists offset per object).
    let idx = pack.with_extension("idx");
    let listing = git(&repo, &["verify-pack", "-v", idx.to_str().unwrap()]);
    let line = listing.lines().find(|l| l.starts_with(&bulk)).unwrap();
    let f: Vec<&str> = line.split_whitespace().collect();
    let (size_in_pack, offset): (usize, usize) = (f[3].parse().unwrap(), f[4].parse().unwrap());
    let mut bytes = fs::read(&pack).unwrap();
    let mid = offset + size_in_pack / 2;
    for b in &mut bytes[mid..mid + 16] {
        *b ^= 0x5A;
    }
    fs::set_permissions(&pack, fs::Permissions::from_mode(0o644)).unwrap();
    fs::write(&pack, bytes).unwrap();

    let out = git_scan(&repo);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("internal error"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&bulk),
        "names the object: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("bulk.txt"),
        "and its path: {}",
        out.stderr
    );
    let found = places(&out.json());
    assert!(
        found.iter().any(|l| l.4 == k),
        "the rest is scanned: {found:?}"
    );
}

#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;

#[test]
fn truncated_pack_and_missing_tree_are_errors_not_crashes() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _) = packed_repo(tmp.path());
    let pack = fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let len = fs::metadata(&pack).unwrap().len();
    fs::set_permissions(&pack, fs::Permissions::from_mode(0o644)).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .open(&pack)
        .unwrap()
        .set_len(len / 3)
        .unwrap();
    let out = git_scan(&repo);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("internal error"), "{}", out.stderr);
    let _ = out.json();

    // Loose objects: a second commit whose tree is lost.
    let dir = tmp.path().join("loose");
    fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    let (env_a, ka, _) = pair_env("tree-a");
    fs::write(dir.join("a.env"), env_a).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "a"]);
    fs::create_dir(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/b.env"), pair_env("tree-b").0).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "b"]);
    let tree = git(&dir, &["rev-parse", "HEAD:sub"]);
    fs::remove_file(dir.join(".git/objects").join(&tree[..2]).join(&tree[2..])).unwrap();
    let out = git_scan(&dir);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(&tree), "names the tree: {}", out.stderr);
    let found = places(&out.json());
    assert!(found.iter().any(|l| l.4 == ka), "{found:?}");

    // A lost commit object (the tip): no history is reachable any more; an
    // error naming the ref and the commit, not a clean report.
    let tip = git(&dir, &["rev-parse", "HEAD"]);
    fs::remove_file(dir.join(".git/objects").join(&tip[..2]).join(&tip[2..])).unwrap();
    let out = git_scan(&dir);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("internal error"), "{}", out.stderr);
    assert!(
        out.stderr.contains(&tip[..7]),
        "names the commit: {}",
        out.stderr
    );
}

#[test]
fn unborn_head_dangling_ref_and_a_hundred_thousand_refs() {
    let tmp = fast_tmp();
    let dir = tmp.path().join("refs");
    fs::create_dir_all(&dir).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    let (env, k, _) = pair_env("refs");
    fs::write(dir.join("a.env"), env).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "a"]);
    let head = git(&dir, &["rev-parse", "HEAD"]);

    // HEAD names a branch that does not exist; main still does.
    git(&dir, &["symbolic-ref", "HEAD", "refs/heads/unborn"]);
    let out = git_scan(&dir);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(places(&out.json())[0].4, k);

    // 100k refs to the one commit (created in one transaction).
    let mut input = String::new();
    for i in 0..100_000 {
        input.push_str(&format!("create refs/tags/t{i} {head}\n"));
    }
    git_stdin(&dir, &["update-ref", "--stdin"], input.as_bytes());
    git(&dir, &["pack-refs", "--all"]);
    let out = run_env(
        &dir,
        &["git", ".", "--format", "json", "--show-secrets"],
        &[],
        true,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let r = out.json();
    assert_eq!(r["findings"].as_array().unwrap().len(), 1, "once: {r}");
    if let Some(kb) = out.rss_kb {
        eprintln!("100k refs: peak RSS {kb} KiB");
    }

    // A ref to an object that does not exist.
    fs::write(
        dir.join(".git/refs/heads/ghost"),
        "0123456789abcdef0123456789abcdef01234567\n",
    )
    .unwrap();
    let out = git_scan(&dir);
    assert!(matches!(out.code, 1 | 2), "{}", out.stderr);
    assert!(!out.stderr.contains("internal error"), "{}", out.stderr);
    assert_eq!(places(&out.json())[0].4, k);
}

// ---------------------------------------------------------------------------
// Regressions

#[test]
fn a_tagged_template_cannot_ask_for_gigabytes() {
    // `{{hex:N|rule}}` in a custom rule's example: the size check read
    // `N|rule` as no number and let `expand` generate N characters (3 GB
    // here: minutes and gigabytes before the scan even started).
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        ".tradesecrets.toml",
        r#"
[[rules.custom]]
venue = { id = "acmex", name = "AcmeX", aliases = ["acmex"] }

[[rules.custom.rule]]
id = "acmex.api-key"
part = "key"
shape = '[a-f0-9]{40}'
alphabet = "hex-lower"
confidence = "high"
severity = "high"
description = "An AcmeX API key."
examples = [{ text = "ACMEX_API_KEY={{hex:3000000000|acmex.api-key}}\n", path = ".env" }]
"#,
    );
    let out = run(d, &["scan", "."]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("asks for more than"), "{}", out.stderr);
}
