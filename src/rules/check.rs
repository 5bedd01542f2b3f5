//! `tradesecrets rules check`: every example of every rule must be found by
//! that rule, no negative example may be, and the rule must carry what a
//! user needs (description, references, how to revoke).

use super::{Example, RuleSet, template};
use crate::finding::Status;
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
            include_examples: true,
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
        }
        if r.spec.negative_examples.is_empty() {
            p(Level::Warning, "has no negative examples".into());
        }
        if r.venue != super::GENERIC && r.venue != super::WALLET {
            let v = &rules.venues[&r.venue];
            if v.references.is_empty() && r.spec.references.is_empty() {
                p(Level::Warning, "has no references".into());
            }
            if v.revoke.is_empty() && r.spec.revoke.is_none() {
                p(Level::Warning, "does not say how to revoke".into());
            }
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
