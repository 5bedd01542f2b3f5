//! Supported venues: the README's venue table is what `rules list --markdown`
//! prints, and the test strings other scanners use for the venues we cover
//! (`fixtures/peers/*.toml`, rewritten as templates) are found by our rules.

mod common;

use common::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use tradesecrets::rules::template;
use tradesecrets::{Finding, RuleSet, ScanOptions, Scanner};

const START: &str = "<!-- venues:start -->\n";
const END: &str = "<!-- venues:end -->";

#[test]
fn readme_venue_table_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let s = readme
        .find(START)
        .expect("README.md has no `<!-- venues:start -->` line")
        + START.len();
    let e = s + readme[s..]
        .find(END)
        .expect("README.md has no `<!-- venues:end -->` line");
    let in_readme = &readme[s..e];

    let out = bin()
        .args(["rules", "list", "--markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("| Venue |"), "{table}");
    if in_readme != table {
        let first = in_readme
            .lines()
            .zip(table.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(in_readme.lines().count().min(table.lines().count()));
        panic!(
            "README.md's \"Supported venues\" table is stale (first difference at table line {}:\n  README: {:?}\n  rules:  {:?}).\n\
             Regenerate it with `scripts/venue-table.sh` (it puts the output of \
             `cargo run -- rules list --markdown` between the venues:start / venues:end markers).",
            first + 1,
            in_readme.lines().nth(first).unwrap_or("<end>"),
            table.lines().nth(first).unwrap_or("<end>"),
        );
    }
}

#[test]
fn every_rule_is_in_the_markdown_table() {
    let out = bin()
        .args(["rules", "list", "--markdown"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    let rules = RuleSet::builtin().unwrap();
    for r in &rules.rules {
        let cell = format!("| `{}` |", r.spec.id);
        assert_eq!(
            table.matches(&cell).count(),
            1,
            "{} not in:\n{table}",
            r.spec.id
        );
    }
    // Every row has the same number of cells as the header (no stray `|`).
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    let header = cells(table.lines().next().unwrap());
    for l in table.lines() {
        assert_eq!(cells(l), header, "{l}");
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerFile {
    source: String,
    /// Why a test string is not a realistic credential, by key.
    #[serde(default)]
    unrealistic: BTreeMap<String, String>,
    /// Why the engine misses a realistic test string, by key.
    #[serde(default)]
    engine_gap: BTreeMap<String, String>,
    case: Vec<PeerCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeerCase {
    name: String,
    #[serde(default = "default_path")]
    path: String,
    /// Tagged templates (`{{hex:24|kucoin.api-key}}`) say which value which
    /// rule must find.
    text: String,
    /// Rules that must report something in the text (for values no single
    /// template spells, such as a CDP key name).
    #[serde(default)]
    expect: Vec<String>,
    /// A key of the file's `[unrealistic]` table: their test string is not
    /// what a real credential looks like in a real file.
    #[serde(default)]
    unrealistic: Option<String>,
    /// Keys of the file's `[engine_gap]` table: a realistic test string the
    /// engine misses today.
    #[serde(default)]
    engine_gap: Vec<String>,
}

fn default_path() -> String {
    "test.txt".into()
}

/// One expected value (or rule) of one case.
struct Check {
    source: String,
    case: String,
    rule: String,
    unrealistic: Option<String>,
    engine_gap: Vec<String>,
    /// Found by the expected rule (at this confidence).
    found: Option<String>,
    /// Found, but only by other rules.
    others: Vec<String>,
}

fn same_value(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a))
}

fn run_peers() -> Vec<Check> {
    let dir = fixtures().join("peers");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "no peer fixtures in {}", dir.display());
    let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
    let rules = scanner.rules().clone();
    let mut checks = Vec::new();
    for f in files {
        let file: PeerFile = toml::from_str(&std::fs::read_to_string(&f).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for c in &file.case {
            if let Some(u) = &c.unrealistic {
                assert!(
                    file.unrealistic.contains_key(u),
                    "{}: case {:?}: `{u}` is not in [unrealistic]",
                    f.display(),
                    c.name
                );
            }
            for g in &c.engine_gap {
                assert!(
                    file.engine_gap.contains_key(g),
                    "{}: case {:?}: `{g}` is not in [engine_gap]",
                    f.display(),
                    c.name
                );
            }
            assert!(
                c.unrealistic.is_none() || c.engine_gap.is_empty(),
                "{}: case {:?} is both unrealistic and an engine gap",
                f.display(),
                c.name
            );
            let seed = format!("{}/{}", file.source, c.name);
            let (text, planted) = template::expand_tagged(&c.text, &seed)
                .unwrap_or_else(|e| panic!("{}: {}: {e}", file.source, c.name));
            assert!(
                !planted.is_empty() || !c.expect.is_empty(),
                "{}: {:?} expects nothing",
                file.source,
                c.name
            );
            let findings: Vec<Finding> = scanner.scan_blob(text.as_bytes(), &c.path);
            let locations: Vec<_> = findings
                .iter()
                .flat_map(|f| f.locations.iter().map(move |l| (f.confidence, l)))
                .collect();
            let mut check = |rule: &str, value: Option<&str>| {
                assert!(
                    rules.rule(rule).is_some(),
                    "{}: {:?}: no rule `{rule}`",
                    file.source,
                    c.name
                );
                let hits: Vec<_> = locations
                    .iter()
                    .filter(|(_, l)| value.is_none_or(|v| same_value(v, &l.secret)))
                    .collect();
                checks.push(Check {
                    source: file.source.clone(),
                    case: c.name.clone(),
                    rule: rule.to_string(),
                    unrealistic: c.unrealistic.clone(),
                    engine_gap: c.engine_gap.clone(),
                    found: hits
                        .iter()
                        .find(|(_, l)| l.rule_id == rule)
                        .map(|(conf, _)| conf.as_str().to_string()),
                    others: hits
                        .iter()
                        .filter(|(_, l)| l.rule_id != rule)
                        .map(|(_, l)| l.rule_id.clone())
                        .collect(),
                });
            };
            for p in &planted {
                check(&p.rule, Some(&p.value));
            }
            for r in &c.expect {
                check(r, None);
            }
        }
    }
    checks
}

/// Recall on other scanners' own test strings. Realistic ones must all be
/// found, except the engine gaps listed in the fixtures (which must still be
/// missed, so that a fixed gap gets its marker removed); unrealistic ones (a
/// value no venue issues, or no binding at all) are measured, not required.
/// The target is 95% of the realistic ones.
#[test]
fn peer_scanners_test_strings_are_found() {
    let checks = run_peers();
    let kind = |c: &Check| match (&c.unrealistic, c.engine_gap.is_empty()) {
        (Some(_), _) => "unrealistic",
        (None, true) => "realistic",
        (None, false) => "engine gap",
    };
    let mut by_source: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for c in &checks {
        let e = by_source.entry((c.source.as_str(), kind(c))).or_default();
        e.0 += c.found.is_some() as usize;
        e.1 += 1;
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let total = checks.len();
    let found = checks.iter().filter(|c| c.found.is_some()).count();
    let realistic: Vec<_> = checks.iter().filter(|c| c.unrealistic.is_none()).collect();
    let realistic_found = realistic.iter().filter(|c| c.found.is_some()).count();
    let mut report = format!(
        "peer test strings: {found}/{total} found ({:.1}%); realistic {realistic_found}/{} ({:.1}%, target 95%)\n",
        pct(found, total),
        realistic.len(),
        pct(realistic_found, realistic.len()),
    );
    for ((source, kind), (f, n)) in &by_source {
        report.push_str(&format!("  {source:<11} {kind:<12} {f}/{n}\n"));
    }
    let mut unexpected = Vec::new();
    for c in &checks {
        let line = format!(
            "{} {}: {} -> {} (found by other rules: [{}])",
            kind(c),
            c.source,
            c.case,
            c.rule,
            c.others.join(", ")
        );
        match (&c.found, kind(c)) {
            (None, "realistic") => unexpected.push(format!("missed: {line}")),
            (Some(_), "engine gap") => unexpected.push(format!(
                "found, remove its engine_gap marker: {line} [{}]",
                c.engine_gap.join(", ")
            )),
            (None, _) => report.push_str(&format!("  missed {line}\n")),
            _ => {}
        }
    }
    eprintln!("{report}");
    assert!(
        unexpected.is_empty(),
        "{}\n\n{report}",
        unexpected.join("\n")
    );
}
