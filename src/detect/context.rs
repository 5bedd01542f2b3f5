//! Venue context: the per-blob view of where venues are named (name, line,
//! block, path, file) and which venue may own a value, plus the small
//! lexical tests on a value's surroundings (reference, string extent, code
//! file).

use super::engine::Engine;
use super::judge;
use super::parts::Strength;
use crate::codec;
use crate::rules::{Confidence, Detector, Part};

/// Per-blob context for the venue lookups.
pub(super) struct Subject<'a> {
    pub(super) data: &'a [u8],
    pub(super) lines: Vec<usize>,
    /// (offset, venue) sorted by offset
    pub(super) venue_hits: Vec<(usize, u16)>,
    /// distinct venues named anywhere in the blob
    pub(super) file_venues: Vec<u16>,
    /// A programming-language file: unquoted words are code, not values.
    pub(super) code: bool,
    pub(super) path_venue: Option<u16>,
}

impl Subject<'_> {
    /// The venue named by an anchor hit inside `start..end` (a name or callee).
    pub(super) fn venue_within(&self, start: usize, end: usize) -> Option<u16> {
        let i = self.venue_hits.partition_point(|h| h.0 < start);
        self.venue_hits.get(i).filter(|h| h.0 < end).map(|h| h.1)
    }

    pub(super) fn line_of(&self, off: usize) -> usize {
        self.lines.partition_point(|&s| s <= off) - 1
    }
    pub(super) fn line_range(&self, l: usize) -> (usize, usize) {
        let s = self.lines[l];
        let mut e = self.lines.get(l + 1).copied().unwrap_or(self.data.len());
        while e > s && matches!(self.data[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        (s, e)
    }
}

impl Engine {
    /// Venues that could own a value, strongest first.
    pub(super) fn venues_for(
        &self,
        blob: &Subject,
        line_no: usize,
        name_venue: Option<u16>,
    ) -> Vec<(u16, Strength)> {
        let mut v: Vec<(u16, Strength)> = Vec::with_capacity(4);
        if let Some(n) = name_venue {
            v.push((n, Strength::Named));
        }
        let (ls, le) = blob.line_range(line_no);
        let hits = &blob.venue_hits;
        let first_on_line = hits.partition_point(|h| h.0 < ls);
        let after_line = hits.partition_point(|h| h.0 < le);
        // Line: the distinct venues named on the line, a bounded number of
        // them (a minified line can name a venue thousands of times; looking
        // at all of them for every value would be quadratic).
        for h in hits[first_on_line..after_line].iter().take(64) {
            if !v.iter().any(|x| x.0 == h.1 && x.1 == Strength::Line) {
                v.push((h.1, Strength::Line));
            }
        }
        // Block: the nearest venue named up to 25 lines above, or 3 below.
        let block_start = blob.lines[line_no.saturating_sub(25)];
        if first_on_line > 0 {
            let h = hits[first_on_line - 1];
            if h.0 >= block_start {
                v.push((h.1, Strength::Block));
            }
        }
        let below_end = blob.line_range((line_no + 3).min(blob.lines.len() - 1)).1;
        if let Some(h) = hits.get(after_line)
            && h.0 <= below_end
        {
            v.push((h.1, Strength::Block));
        }
        if let Some(p) = blob.path_venue {
            v.push((p, Strength::Path));
        }
        // File: nearest venue anywhere, then every other venue of the file.
        if let Some(h) = hits.get(first_on_line.saturating_sub(1)).or(hits.first()) {
            v.push((h.1, Strength::File));
        }
        if let Some(h) = hits.get(after_line) {
            v.push((h.1, Strength::File));
        }
        for &fv in &blob.file_venues {
            if !v.iter().any(|x| x.0 == fv) {
                v.push((fv, Strength::File));
            }
        }
        v
    }

    /// The first rule of venue `v` among `parts` that `value` satisfies, with
    /// the confidence `strength` allows.
    pub(super) fn venue_rule(
        &self,
        v: u16,
        strength: Strength,
        parts: &[Part],
        named: Part,
        value: &str,
    ) -> Option<(usize, Confidence)> {
        let info = &self.venues[v as usize];
        for p in parts {
            for &ri in info.by_part.get(p).into_iter().flatten() {
                let r = &self.rules.rules[ri];
                let ok = match r.spec.detector {
                    Detector::Pem | Detector::Mnemonic => false,
                    Detector::Passphrase => {
                        strength >= Strength::Block && judge::passphrase_plausible(value)
                    }
                    Detector::EvmKey => codec::evm_key_valid(value) && self.judge(r, value),
                    _ => r.shape_matches(value) && self.judge(r, value),
                };
                if ok && (named == Part::Passphrase || !self.names_own_venue(v, value)) {
                    let conf = match strength {
                        Strength::Named | Strength::Line => r.max_confidence(),
                        Strength::Block | Strength::Path => {
                            r.max_confidence().min(Confidence::Medium)
                        }
                        Strength::File => Confidence::Low,
                    };
                    return Some((ri, conf));
                }
            }
        }
        None
    }

    /// A value that spells its own venue's name (`BybitMainAccountV5`) is a
    /// label, not a key.
    pub(super) fn names_own_venue(&self, v: u16, value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        self.venues[v as usize]
            .aliases
            .iter()
            .any(|a| a.len() >= 4 && lower.contains(a.as_str()))
    }
}

/// A value as it stands in a JSON string reads `\/` for `/`.
pub(super) fn unescape_slashes(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains("\\/") {
        std::borrow::Cow::Owned(raw.replace("\\/", "/"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// Source files of programming languages (where an unquoted word is code).
pub(super) fn is_code_path(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "py" | "js"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "go"
            | "rs"
            | "java"
            | "kt"
            | "kts"
            | "cs"
            | "php"
            | "rb"
            | "swift"
            | "scala"
            | "c"
            | "cc"
            | "cpp"
            | "h"
            | "hpp"
            | "m"
            | "dart"
            | "lua"
            | "pl"
            | "r"
            | "ipynb"
            | "sol"
            | "vue"
            | "svelte"
            | "groovy"
    )
}

/// Is the token a reference (`$X`, `${X}`, `{{ x }}`, `%(x)s`, `env.X`, a
/// call, an index)? Inside a quoted string only templates count: `Sp0t.Desk`
/// is a passphrase, not a member access.
pub(super) fn reference_around(line: &[u8], s: usize, e: usize, code: bool) -> bool {
    let before = &line[s.saturating_sub(3)..s];
    if before.contains(&b'$')
        || before.ends_with(b"{{")
        || before.ends_with(b"{{ ")
        || before.ends_with(b"%(")
    {
        return true;
    }
    let quoted = s > 0 && matches!(line[s - 1], b'"' | b'\'' | b'`');
    if quoted || !code {
        // Config files (.env, INI, YAML) hold literals: `Sp0t.Desk` is a value.
        return false;
    }
    matches!(line.get(e), Some(b'(') | Some(b'}') | Some(b'['))
        || (line.get(e) == Some(&b'.') && line.get(e + 1).is_some_and(|b| b.is_ascii_alphabetic()))
}

/// The extent of the string literal holding `s..e` (for passphrases, whose
/// characters are not limited to a token alphabet).
pub(super) fn string_extent(line: &[u8], s: usize, e: usize) -> (usize, usize) {
    let mut q = s;
    while q > 0 && matches!(line[q - 1], b'\\') {
        q -= 1;
    }
    if q > 0 && matches!(line[q - 1], b'"' | b'\'' | b'`') {
        let quote = line[q - 1];
        let end = line[e..(e + 256).min(line.len())]
            .iter()
            .position(|&b| b == quote || b == b'\\')
            .map(|p| e + p)
            .unwrap_or(e);
        (s, end)
    } else {
        let end = line[e..(e + 256).min(line.len())]
            .iter()
            .position(|&b| {
                b.is_ascii_whitespace() || matches!(b, b',' | b';' | b'#' | b'&' | b'"' | b'\'')
            })
            .map(|p| e + p)
            .unwrap_or((e + 256).min(line.len()));
        (s, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_paths_are_programming_languages() {
        for p in ["bot.py", "src/main.RS", "deploy.ts", "App.kt", "a/b.ipynb"] {
            assert!(is_code_path(p), "{p}");
        }
        for p in [
            ".env",
            "config.yaml",
            "settings.json",
            "README.md",
            "Makefile",
        ] {
            assert!(!is_code_path(p), "{p}");
        }
    }

    #[test]
    fn references_are_not_values() {
        let at = |line: &str, tok: &str, code: bool| {
            let s = line.find(tok).unwrap();
            reference_around(line.as_bytes(), s, s + tok.len(), code)
        };
        assert!(at("KEY=${OKX_KEY}", "OKX_KEY", false));
        assert!(at("key: {{ okx_key }}", "okx_key", false));
        assert!(at("key = os.environ(KEY)", "environ", true));
        assert!(at("key = settings.okx", "settings", true));
        // Quoted, or in a config file: a literal.
        assert!(!at("key = \"Sp0t.Desk\"", "Sp0t", true));
        assert!(!at("PASSPHRASE=Sp0t.Desk", "Sp0t", false));
    }

    #[test]
    fn a_string_extends_to_its_closing_quote() {
        let line = br#"pass = "a b&c" # note"#;
        let s = 8;
        assert_eq!(string_extent(line, s, s + 1), (s, 13));
        // Unquoted: up to white space or a separator.
        let line = b"PASS=ab&cd rest";
        assert_eq!(string_extent(line, 5, 6), (5, 7));
    }

    #[test]
    fn json_slashes_are_unescaped() {
        assert_eq!(
            unescape_slashes("organizations\\/x\\/apiKeys"),
            "organizations/x/apiKeys"
        );
        assert!(matches!(
            unescape_slashes("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }
}
