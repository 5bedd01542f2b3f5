//! Shared helpers for the integration tests: expanding templated fixture
//! trees into temporary directories (so the repository itself holds no
//! credential-shaped literals) and running the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tradesecrets::rules::template::{self, Planted};
use tradesecrets::text::LineMap;

/// Who makes a commit, and when (git's date formats).
pub struct Commits<'a> {
    pub author: (&'a str, &'a str),
    pub committer: (&'a str, &'a str),
    pub date: &'a str,
}

/// `git ARGS` in `dir`, hermetic (no system or user configuration, no
/// repository variables inherited from a hook), committing as `who` says;
/// asserts that it succeeds and returns its stdout, trimmed.
pub fn git_as(dir: &Path, args: &[&str], who: &Commits) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", who.author.0)
        .env("GIT_AUTHOR_EMAIL", who.author.1)
        .env("GIT_COMMITTER_NAME", who.committer.0)
        .env("GIT_COMMITTER_EMAIL", who.committer.1)
        .env("GIT_AUTHOR_DATE", who.date)
        .env("GIT_COMMITTER_DATE", who.date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

pub fn bin() -> Command {
    let mut c = Command::cargo_bin("tradesecrets").unwrap();
    // Tests run from inside a git hook must not scan the hook's index.
    c.env_remove("NO_COLOR").env_remove("GIT_INDEX_FILE");
    c
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A planted value with its expected 1-based position.
#[derive(Debug, Clone)]
pub struct Expected {
    pub path: String,
    pub rule: String,
    pub line: usize,
    pub column: usize,
    pub value: String,
}

/// Expands every file below `src` into `dst` (same relative paths); returns
/// what was planted where.
pub fn expand_tree(src: &Path, dst: &Path) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&p).unwrap();
            let (expanded, planted) =
                template::expand_tagged(&text, &rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let target = dst.join(&rel);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, &expanded).unwrap();
            out.extend(locate(&rel, &expanded, planted));
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    out
}

pub fn locate(path: &str, text: &str, planted: Vec<Planted>) -> Vec<Expected> {
    let map = LineMap::new(text.as_bytes());
    planted
        .into_iter()
        .map(|p| {
            let (line, column) = map.position(p.start);
            Expected {
                path: path.to_string(),
                rule: p.rule,
                line,
                column,
                value: p.value,
            }
        })
        .collect()
}

/// A generated Binance key + secret as the text of an .env file (two lines).
pub struct Creds {
    pub env: String,
    /// The content fingerprint of the pair (rule of its secret).
    pub fingerprint: String,
    /// The key and the secret.
    pub values: Vec<String>,
}

/// A Binance key + secret pair, generated for the test from `seed`.
pub fn creds(seed: &str) -> Creds {
    let env = template::expand(
        "BINANCE_API_KEY={{alnum:64}}\nBINANCE_API_SECRET={{alnum:64}}\n",
        seed,
    )
    .unwrap();
    let values: Vec<String> = env
        .lines()
        .map(|l| l.split_once('=').unwrap().1.to_string())
        .collect();
    Creds {
        fingerprint: tradesecrets::finding::fingerprint("binance.secret-key", &values[1]),
        values,
        env,
    }
}

/// Asserts that `report` is valid against the JSON report's schema.
pub fn assert_report_schema(report: &Value) {
    let schema: Value = serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:?}");
}

/// Compiles a JSON schema offline: `jsonschema` is built without its HTTP
/// and file resolvers and `offline()` refuses any reference not already
/// known; the draft-07 meta-schema is bundled, and every `$ref` in the
/// schemas the tests use points into the document itself. Formats are
/// checked too (`uri`, `uri-reference`: our percent-encoding).
pub fn compile_schema(schema: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(schema).unwrap();
    jsonschema::options()
        .offline()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("schema does not compile offline: {e}"))
}

/// The official SARIF 2.1.0 schema, with one fix in memory: its two
/// `language` patterns have an unescaped `]` (a literal in ECMA-262), which
/// the meta-schema's `regex` format check rejects once formats are checked.
/// Escaping it changes nothing it matches.
pub fn sarif_validator() -> &'static jsonschema::Validator {
    static V: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let schema = include_str!("../schema/sarif-schema-2.1.0.json");
        let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
        assert_eq!(
            schema.matches(bad).count(),
            2,
            "the vendored schema changed"
        );
        let schema = schema.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
        compile_schema(&schema)
    })
}

/// Valid SARIF 2.1.0: the document, parsed.
pub fn valid_sarif(text: &str) -> Value {
    let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e})"));
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    doc
}

/// Writes `text` to `dir/rel`, creating directories.
pub fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Runs the binary with `args` in `dir`: (exit code, stdout, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `tradesecrets scan` with `args` in `dir`; returns (exit code, JSON).
pub fn scan_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = bin()
        .current_dir(dir)
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

/// Each finding's first location and status, sorted: (path, status, context).
pub fn path_status_context(report: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let l = &f["locations"][0];
            (
                l["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                l["context"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Every location of every finding: (path, line, column, rule, part, status).
pub fn locations(report: &Value) -> Vec<(String, usize, usize, String, String, String)> {
    let mut v = Vec::new();
    for f in report["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            v.push((
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap() as usize,
                l["column"].as_u64().unwrap() as usize,
                l["rule_id"]
                    .as_str()
                    .unwrap_or(f["rule_id"].as_str().unwrap())
                    .to_string(),
                l["part"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            ));
        }
    }
    v
}
