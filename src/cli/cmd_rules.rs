//! `tradesecrets rules list|check|explain`.

use super::{args::RulesCommand, output::EXIT_FINDINGS, setup::load_rules};
use std::io::{self, Write};
use tradesecrets::app::rules_check::{self as check, Level};
use tradesecrets::report::{self};

pub(super) fn rules(cmd: RulesCommand) -> anyhow::Result<u8> {
    let rules = load_rules()?;
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match cmd {
        RulesCommand::List { json, markdown } => {
            if markdown {
                w.write_all(report::venues::venue_table(&rules).as_bytes())?;
            } else if json {
                let v: Vec<_> = rules
                    .rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id, "venue": rules.venue_name(&r.venue), "part": r.part().as_str(),
                            "confidence": r.max_confidence().as_str(), "severity": r.spec.severity.as_str(),
                            "verified": r.spec.verified,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut w, &v)?;
                writeln!(w)?;
            } else {
                writeln!(
                    w,
                    "{:<34} {:<20} {:<12} {:<10} {:<8}",
                    "ID", "VENUE", "PART", "CONFIDENCE", "SEVERITY"
                )?;
                for r in &rules.rules {
                    writeln!(
                        w,
                        "{:<34} {:<20} {:<12} {:<10} {:<8}",
                        r.spec.id,
                        rules.venue_name(&r.venue),
                        r.part().as_str(),
                        r.max_confidence().as_str(),
                        r.spec.severity.as_str()
                    )?;
                }
            }
            w.flush()?;
            Ok(0)
        }
        RulesCommand::Check { strict } => {
            let problems = check::check(&rules);
            for p in &problems {
                let l = if p.level == Level::Error {
                    "error"
                } else {
                    "warning"
                };
                writeln!(w, "{l}: {}: {}", p.rule, p.message)?;
            }
            let errors = problems
                .iter()
                .filter(|p| p.level == Level::Error || strict)
                .count();
            let examples: usize = rules
                .rules
                .iter()
                .map(|r| r.spec.examples.len() + r.spec.negative_examples.len())
                .sum();
            writeln!(
                w,
                "{} rules, {} venues, {} examples checked: {} errors, {} warnings",
                rules.rules.len(),
                rules.venues.len(),
                examples,
                problems.iter().filter(|p| p.level == Level::Error).count(),
                problems
                    .iter()
                    .filter(|p| p.level == Level::Warning)
                    .count()
            )?;
            w.flush()?;
            Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
        }
        RulesCommand::Explain { id } => {
            let Some(r) = rules.rule(&id) else {
                anyhow::bail!("no rule `{id}` (see `tradesecrets rules list`)");
            };
            let venue = rules.venues.get(&r.venue);
            writeln!(
                w,
                "{} — {} {}",
                r.spec.id,
                rules.venue_name(&r.venue),
                r.part()
            )?;
            writeln!(w)?;
            writeln!(w, "{}", r.spec.description.trim())?;
            writeln!(w)?;
            writeln!(
                w,
                "Confidence: {} (at most)   Severity: {}",
                r.max_confidence().as_str(),
                r.spec.severity.as_str()
            )?;
            if let Some(s) = &r.spec.shape {
                writeln!(w, "Shape: {s}")?;
            }
            if let Some(p) = &r.spec.prefix {
                writeln!(w, "Prefix: {p}")?;
            }
            writeln!(
                w,
                "Format documented by the venue: {}",
                if r.spec.verified {
                    "yes"
                } else {
                    "no (caught through context, medium confidence at most)"
                }
            )?;
            if let Some(v) = venue {
                writeln!(w, "Found when named as: {}", v.aliases.join(", "))?;
                if !v.headers.is_empty() {
                    writeln!(
                        w,
                        "Headers: {}",
                        v.headers.keys().cloned().collect::<Vec<_>>().join(", ")
                    )?;
                }
            }
            let refs: Vec<&String> = r
                .spec
                .references
                .iter()
                .chain(venue.map(|v| &v.references).into_iter().flatten())
                .collect();
            if !refs.is_empty() {
                writeln!(w, "References:")?;
                for u in refs {
                    writeln!(w, "  {u}")?;
                }
            }
            let revoke = r.revoke(&rules.venues);
            if !revoke.is_empty() {
                writeln!(w, "How to revoke: {revoke}")?;
            }
            w.flush()?;
            Ok(0)
        }
    }
}
