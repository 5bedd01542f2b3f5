//! `.tradesecrets.toml` parsing: `config::parse`, then everything a scan does
//! with a parsed config (custom rules checked and compiled, the allowlist
//! built, `config show`'s TOML re-parsed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use tradesecrets::RuleSet;
use tradesecrets::suppress::Allowlist;
use tradesecrets::suppress::config;

fn builtin() -> &'static RuleSet {
    static R: OnceLock<RuleSet> = OnceLock::new();
    R.get_or_init(|| RuleSet::builtin().expect("built-in rules"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = Path::new("/nonexistent-fuzz/repo/sub");
    let bound = Path::new("/nonexistent-fuzz/repo");
    let Ok(c) = config::parse(text, Path::new("fuzz.toml"), dir, bound) else {
        return;
    };
    let _ = Allowlist::new(&c);
    // What `config show` prints must read back.
    let shown = c.to_toml();
    if let Err(e) = config::parse(&shown, Path::new("shown.toml"), dir, bound) {
        panic!("config show output does not parse: {e}\n---\n{shown}");
    }
    if !c.custom.is_empty() {
        let mut rules = builtin().clone();
        if c.apply_rules(&mut rules).is_ok() {
            let s = tradesecrets::Scanner::new(rules, Default::default());
            let _ = s.scan_blob(text.as_bytes(), "fuzz.toml");
        }
    }
});
