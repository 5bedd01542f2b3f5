//! The engine on arbitrary bytes under an arbitrary path: `Scanner::scan_blob`,
//! and `Scanner::scan_text` (UTF-16 decoding, overlapping windows) with tiny
//! windows so that every input crosses window boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use std::sync::OnceLock;
use tradesecrets::scan::TextLimits;
use tradesecrets::text::Windowing;
use tradesecrets::{Finding, RuleSet, ScanOptions, Scanner};

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| {
        let opts = ScanOptions {
            include_examples: true,
            ..ScanOptions::default()
        };
        Scanner::new(RuleSet::builtin().expect("built-in rules"), opts)
    })
}

fn check(found: &[Finding], what: &str) {
    let mut places = HashSet::new();
    for f in found {
        for l in &f.locations {
            assert!(l.line >= 1 && l.column >= 1, "{what}: 0-based position");
            assert!(
                (l.end_line, l.end_column) > (l.line, l.column),
                "{what}: empty location"
            );
        }
        let key: Vec<_> = f
            .locations
            .iter()
            .map(|l| (l.line, l.column, l.end_line, l.end_column))
            .collect();
        assert!(places.insert(key), "{what}: one finding reported twice");
    }
}

fuzz_target!(|data: &[u8]| {
    // [path length][window shift][path][blob]
    let (n, shift, rest) = match data {
        [n, s, rest @ ..] => (*n as usize % 48, *s, rest),
        _ => return,
    };
    let (path, blob) = rest.split_at(n.min(rest.len()));
    let path = String::from_utf8_lossy(path);
    let s = scanner();
    check(&s.scan_blob(blob, &path), "scan_blob");

    let window = 32usize << (shift & 7);
    let limits = TextLimits {
        max_bytes: u64::MAX,
        size_hint: None,
        skip_binary: shift & 0x80 != 0,
        windowing: Windowing::new(window as u64, window, window >> (1 + (shift >> 3 & 3))),
    };
    let r = s.scan_text(blob, &path, &limits, &mut Vec::new());
    assert_eq!(r.bytes, blob.len() as u64);
    check(&r.findings, "scan_text");
});
