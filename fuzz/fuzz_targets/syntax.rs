//! The line-level parsers every value goes through: tokenising, binding a
//! value to its name or call (`detect::syntax`), inline allow comments and
//! fixture templates. (Git diffs and the index are parsed by libgit2, in C;
//! the `git` source sees only its structured output.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use tradesecrets::detect::syntax;
use tradesecrets::suppress::inline;

fuzz_target!(|data: &[u8]| {
    let mut toks = Vec::new();
    syntax::tokens(data, |s, e| {
        assert!(s <= e && e <= data.len(), "token {s}..{e} outside the line");
        toks.push((s, e));
    });
    for (s, e) in toks.iter().copied().take(256) {
        let _ = syntax::binding(data, s);
        let _ = syntax::first_argument(data, e);
        let _ = syntax::normalize(&data[s..e]);
        let _ = syntax::last_segment(&data[s..e]);
    }
    for sep in (0..data.len()).step_by(1 + data.len() / 64) {
        let _ = syntax::positional_at(data, sep);
        let _ = syntax::binding(data, sep);
        let _ = syntax::first_argument(data, sep);
    }
    let _ = syntax::first_argument(data, data.len());
    let _ = syntax::normalize(data);
    let _ = syntax::last_segment(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = inline::line_allows(text);
        let _ = inline::comment_allows(text);
        // Fixture templates (a config bounds their sizes before expanding;
        // here: no number of more than four digits).
        let long_number = text
            .as_bytes()
            .windows(5)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        if !long_number {
            let _ = tradesecrets::rules::template::expand_tagged(text, "fuzz");
        }
    }
});
