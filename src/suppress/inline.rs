//! Inline allow comments: `tradesecrets:allow` (and `gitleaks:allow`,
//! detect-secrets' `pragma: allowlist secret`) on a finding's line, or alone
//! in a comment on the line just before it.

use crate::finding::{Finding, Location};
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Markers honoured on the line of a value.
pub const MARKERS: &[&str] = &[
    "tradesecrets:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
    // The marker of the `detect-wallet-private-key` pre-commit hook that
    // trading-bot projects (hummingbot) put on their test fixtures.
    "noqa: mock",
];

/// Markers honoured in a comment on the line before a value (detect-secrets
/// spells its own `pragma: allowlist nextline secret`).
const NEXT_LINE_MARKERS: &[&str] = &[
    "tradesecrets:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
    "pragma: allowlist nextline secret",
];

/// Lines longer than this (minified or generated files) are searched for a
/// marker only this far on either side of the value.
const LONG_LINE: usize = 64 * 1024;
const WINDOW: usize = 4 * 1024;

/// Whether `line` carries an allow marker anywhere (ASCII case-insensitive).
pub fn line_allows(line: &str) -> bool {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(MARKERS)
            .expect("markers compile")
    })
    .is_match(line)
}

/// The part of a location's line searched for a marker: all of it, or on a
/// very long line the window around the value.
fn searched(l: &Location) -> &str {
    let t = l.line_text.as_str();
    if t.len() <= LONG_LINE {
        return t;
    }
    let needle = l.secret.lines().next().unwrap_or_default();
    let Some(at) = (!needle.is_empty())
        .then(|| memchr::memmem::find(t.as_bytes(), needle.as_bytes()))
        .flatten()
    else {
        return t;
    };
    let mut start = at.saturating_sub(WINDOW);
    let mut end = (at + needle.len() + WINDOW).min(t.len());
    while !t.is_char_boundary(start) {
        start -= 1;
    }
    while !t.is_char_boundary(end) {
        end += 1;
    }
    &t[start..end]
}

/// Whether `line` is a comment whose text starts with an allow marker (a
/// reason may follow): `# tradesecrets:allow test key`, `// gitleaks:allow`,
/// `<!-- tradesecrets:allow -->`, `-- tradesecrets:allow`.
pub fn comment_allows(line: &str) -> bool {
    let t = line.trim_start();
    let text = t.trim_start_matches(['#', '/', '*', ';', '%', '-', '!', '<', '\'']);
    if text.len() == t.len() && !t.to_ascii_lowercase().starts_with("rem ") {
        return false; // not a comment
    }
    let text = if text.len() == t.len() { &t[4..] } else { text }.trim_start();
    NEXT_LINE_MARKERS.iter().any(|m| {
        text.len() >= m.len() && text.as_bytes()[..m.len()].eq_ignore_ascii_case(m.as_bytes())
    })
}

/// Text of each 1-based line of `data` (without its line ending), on demand.
pub struct Lines<'a> {
    data: &'a [u8],
    starts: Option<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Lines { data, starts: None }
    }
    pub fn get(&mut self, line: usize) -> Option<String> {
        let data = self.data;
        let starts = self.starts.get_or_insert_with(|| {
            let mut s = vec![0];
            s.extend(memchr::memchr_iter(b'\n', data).map(|p| p + 1));
            s
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let mut end = starts.get(line).copied().unwrap_or(data.len());
        while end > start && matches!(data[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Some(String::from_utf8_lossy(&data[start..end]).into_owned())
    }
}

/// Whether an inline marker allows `f`: any of its parts is on a line with a
/// marker or just below a comment that is one.
pub fn allows(f: &Finding, lines: &mut Lines) -> bool {
    f.locations.iter().any(|l| {
        line_allows(searched(l))
            || (l.line > 1 && lines.get(l.line - 1).is_some_and(|t| comment_allows(&t)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_on_the_line() {
        assert!(line_allows("KEY=abc # tradesecrets:allow"));
        assert!(line_allows("key: abc  # gitleaks:allow"));
        assert!(line_allows("x = 'abc'  # pragma: allowlist secret"));
        assert!(!line_allows("KEY=abc # tradesecrets"));
    }

    #[test]
    fn comments_before_the_line() {
        for c in [
            "# tradesecrets:allow",
            "  // tradesecrets:allow: test fixture",
            "/* gitleaks:allow */",
            "<!-- tradesecrets:allow -->",
            "-- tradesecrets:allow",
            "; tradesecrets:allow",
            "REM tradesecrets:allow",
            "# pragma: allowlist nextline secret",
        ] {
            assert!(comment_allows(c), "{c}");
        }
        for c in [
            "tradesecrets:allow",
            "x = 1 # tradesecrets:allow",
            "# see tradesecrets:allow",
            "",
        ] {
            assert!(!comment_allows(c), "{c}");
        }
    }

    #[test]
    fn lines_on_demand() {
        let mut l = Lines::new(b"a\r\nb\n\nc");
        assert_eq!(l.get(1).unwrap(), "a");
        assert_eq!(l.get(2).unwrap(), "b");
        assert_eq!(l.get(3).unwrap(), "");
        assert_eq!(l.get(4).unwrap(), "c");
        assert!(l.get(5).is_none());
        assert!(l.get(0).is_none());
    }
}
