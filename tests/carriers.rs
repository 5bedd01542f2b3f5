//! Realistic carrier files (`fixtures/carriers/`): credentials planted with
//! tagged templates in every syntax the engine supports, next to hard
//! negatives. Every planted value must be found with its rule at its exact
//! line and column, and nothing else may be reported.

mod common;

use common::*;

#[test]
fn every_planted_credential_is_found_exactly_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let expected = expand_tree(&fixtures().join("carriers"), tmp.path());
    assert!(expected.len() >= 20, "the carrier corpus is too small");
    let (code, report) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 1, "findings must exit 1");
    let found = locations(&report);

    let mut missed = Vec::new();
    for e in &expected {
        let hit = found
            .iter()
            .any(|f| f.0 == e.path && f.1 == e.line && f.2 == e.column && f.3 == e.rule);
        if !hit {
            let near: Vec<_> = found
                .iter()
                .filter(|f| f.0 == e.path && f.1 == e.line)
                .collect();
            missed.push(format!(
                "{}:{}:{} {} (on that line: {near:?})",
                e.path, e.line, e.column, e.rule
            ));
        }
    }
    let mut extra = Vec::new();
    for f in &found {
        if !expected
            .iter()
            .any(|e| e.path == f.0 && e.line == f.1 && e.column == f.2)
        {
            extra.push(format!("{}:{}:{} {} {}", f.0, f.1, f.2, f.3, f.4));
        }
    }
    let recall = 1.0 - missed.len() as f64 / expected.len() as f64;
    eprintln!(
        "carriers: {} planted, {} found, {} missed, {} unexpected (recall {:.3})",
        expected.len(),
        found.len(),
        missed.len(),
        extra.len(),
        recall
    );
    assert!(
        missed.is_empty(),
        "missed {} planted credentials:\n{}",
        missed.len(),
        missed.join("\n")
    );
    assert!(
        extra.is_empty(),
        "{} unexpected findings:\n{}",
        extra.len(),
        extra.join("\n")
    );
}
