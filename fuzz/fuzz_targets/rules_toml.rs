//! Custom-rule TOML (`RuleSet::add_toml`), on top of the built-in rules and
//! alone, then compiled into an engine and run on the document itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tradesecrets::{RuleSet, Scanner};

fn builtin() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::builtin().expect("built-in rules"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut alone = RuleSet::default();
    if alone.add_toml("fuzz.toml", text).is_ok() {
        let s = Scanner::new(alone, Default::default());
        let _ = s.scan_blob(data, "fuzz.toml");
    }
    let mut all = builtin().clone();
    if all.add_toml("fuzz.toml", text).is_ok() {
        let s = Scanner::new(all, Default::default());
        let _ = s.scan_blob(data, "fuzz/binance.env");
    }
});
