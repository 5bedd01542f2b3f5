//! `tradesecrets rules check`: every example of every rule must be found by
//! that rule, no negative example may be, and the rule must carry what a
//! user needs (description, references, how to revoke).

use crate::finding::Status;
use crate::rules::{Example, RuleSet, template};
use crate::scan::{ScanOptions, Scanner};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub level: Level,
    pub rule: String,
    pub message: String,
}

/// Every rule wants this many examples, in this many syntaxes, and this many
/// negative examples (near misses); fewer is a warning (an error with
/// `--strict`).
pub const MIN_EXAMPLES: usize = 3;
pub const MIN_SYNTAXES: usize = 3;
pub const MIN_NEGATIVES: usize = 3;

/// The syntax an example is written in: its file format (from the path), and
/// for program code whether the value is a call argument or assigned.
pub fn syntax(ex: &Example) -> String {
    let path = ex.path().rsplit(['/', '\\']).next().unwrap_or("");
    let lower = path.to_ascii_lowercase();
    let format = if lower.starts_with(".env") || lower.ends_with(".env") {
        "env".to_string()
    } else {
        let ext = match lower.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => ext,
            _ => lower.as_str(),
        };
        match ext {
            "yml" => "yaml",
            "ts" | "tsx" | "jsx" | "mjs" | "cjs" => "js",
            "cfg" | "conf" | "properties" => "ini",
            "bash" | "zsh" => "sh",
            e => e,
        }
        .to_string()
    };
    const CODE: &[&str] = &[
        "py", "js", "go", "rs", "rb", "java", "kt", "cs", "php", "sh", "swift", "scala",
    ];
    if !CODE.contains(&format.as_str()) {
        return format;
    }
    let text = ex.text();
    let Some(at) = text.find("{{") else {
        return format;
    };
    let before = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
    if before.matches('(').count() > before.matches(')').count() {
        format!("{format} call")
    } else {
        format
    }
}

/// Expands an example's template with the rule's deterministic seed.
pub fn expand_example(
    rule_id: &str,
    kind: &str,
    index: usize,
    ex: &Example,
) -> Result<String, String> {
    template::expand(ex.text(), &format!("{rule_id}#{kind}{index}"))
}

/// Checks every rule in `rules` against its own examples.
pub fn check(rules: &RuleSet) -> Vec<Problem> {
    let scanner = Scanner::new(
        rules.clone(),
        ScanOptions {
            include: crate::finding::Include::ALL,
            ..ScanOptions::default()
        },
    );
    let mut problems = Vec::new();
    for r in &rules.rules {
        let id = r.spec.id.clone();
        let mut p = |level, message: String| {
            problems.push(Problem {
                level,
                rule: id.clone(),
                message,
            })
        };
        if r.spec.description.trim().is_empty() {
            p(Level::Error, "has no description".into());
        }
        if r.spec.examples.is_empty() {
            p(Level::Error, "has no examples".into());
        } else if r.spec.examples.len() < MIN_EXAMPLES {
            p(
                Level::Warning,
                format!(
                    "has {} examples; at least {MIN_EXAMPLES} wanted",
                    r.spec.examples.len()
                ),
            );
        }
        let mut syntaxes: Vec<String> = r.spec.examples.iter().map(syntax).collect();
        syntaxes.sort();
        syntaxes.dedup();
        if !r.spec.examples.is_empty() && syntaxes.len() < MIN_SYNTAXES {
            p(
                Level::Warning,
                format!(
                    "examples cover {} syntaxes ({}); at least {MIN_SYNTAXES} wanted (another file format, or a call instead of an assignment)",
                    syntaxes.len(),
                    syntaxes.join(", ")
                ),
            );
        }
        if r.spec.negative_examples.len() < MIN_NEGATIVES {
            p(
                Level::Warning,
                format!(
                    "has {} negative examples; at least {MIN_NEGATIVES} near misses wanted",
                    r.spec.negative_examples.len()
                ),
            );
        }
        let venue = rules.venues.get(&r.venue);
        if r.spec.references.is_empty() && venue.is_none_or(|v| v.references.is_empty()) {
            p(Level::Warning, "has no references".into());
        }
        if r.spec.revoke.as_deref().is_none_or(|s| s.trim().is_empty())
            && venue.is_none_or(|v| v.revoke.trim().is_empty())
        {
            p(Level::Warning, "does not say how to revoke".into());
        }
        for (kind, list, want) in [
            ("example", &r.spec.examples, true),
            ("negative", &r.spec.negative_examples, false),
        ] {
            for (i, ex) in list.iter().enumerate() {
                let text = match expand_example(&r.spec.id, kind, i, ex) {
                    Ok(t) => t,
                    Err(e) => {
                        p(Level::Error, format!("{kind} #{}: {e}", i + 1));
                        continue;
                    }
                };
                let findings = scanner.scan_blob(text.as_bytes(), ex.path());
                // A negative example may be a known documentation value:
                // reported as `example`, it is not a leak.
                let found = findings
                    .iter()
                    .filter(|f| want || f.status == Status::Leak)
                    .flat_map(|f| &f.locations)
                    .any(|l| l.rule_id == r.spec.id);
                if found != want {
                    let what = if want { "is not found" } else { "is found" };
                    let others: Vec<&str> = findings
                        .iter()
                        .flat_map(|f| &f.locations)
                        .map(|l| l.rule_id.as_str())
                        .collect();
                    p(
                        Level::Error,
                        format!(
                            "{kind} #{} {what} (path {}; rules that matched: [{}]):\n    {}",
                            i + 1,
                            ex.path(),
                            others.join(", "),
                            ex.text().trim()
                        ),
                    );
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const THIN: &str = r#"
[venue]
id = "acmex"
name = "AcmeX"
aliases = ["acmex"]
signing_set = ["key", "secret"]

[[rule]]
id = "acmex.api-key"
part = "key"
shape = '[a-f0-9]{40}'
alphabet = "hex-lower"
confidence = "high"
severity = "medium"
description = "An AcmeX API key."
examples = [
  { text = "ACMEX_API_KEY={{hex:40}}\n", path = ".env" },
  { text = "ACMEX_KEY={{hex:40}}\n", path = ".env.local" },
]
negative_examples = ["ACMEX_API_KEY=changeme\n"]
"#;

    #[test]
    fn thin_rules_are_warned_about() {
        let mut set = RuleSet::default();
        set.add_toml("acmex.toml", THIN).unwrap();
        let problems = check(&set);
        let warnings: Vec<&str> = problems
            .iter()
            .filter(|p| p.level == Level::Warning)
            .map(|p| p.message.as_str())
            .collect();
        assert!(
            problems.iter().all(|p| p.level == Level::Warning),
            "{problems:?}"
        );
        for want in [
            "has 2 examples; at least 3",
            "examples cover 1 syntaxes (env)",
            "has 1 negative examples; at least 3",
            "has no references",
            "does not say how to revoke",
        ] {
            assert!(
                warnings.iter().any(|w| w.starts_with(want)),
                "no warning `{want}…` in {warnings:?}"
            );
        }
    }

    #[test]
    fn syntaxes_are_formats_and_calls() {
        let ex = |text: &str, path: &str| Example::WithPath {
            text: text.into(),
            path: path.into(),
        };
        assert_eq!(syntax(&ex("K={{hex:8}}", ".env.production")), "env");
        assert_eq!(syntax(&ex("k: {{hex:8}}", "deploy/config.yml")), "yaml");
        assert_eq!(syntax(&ex("k = \"{{hex:8}}\"", "bot.py")), "py");
        assert_eq!(
            syntax(&ex("c = Client(\"{{hex:8}}\", s)", "bot.py")),
            "py call"
        );
        assert_eq!(syntax(&ex("x = f(a)\nk = \"{{hex:8}}\"", "bot.py")), "py");
        assert_eq!(syntax(&ex("{apiKey: '{{hex:8}}'}", "index.ts")), "js");
        assert_eq!(syntax(&Example::Text("K={{hex:8}}".into())), "txt");
        assert_eq!(syntax(&ex("X ?= {{hex:8}}", "Makefile")), "makefile");
    }

    #[test]
    fn builtin_rules_meet_the_minimums() {
        let set = RuleSet::builtin().unwrap();
        let problems = check(&set);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
