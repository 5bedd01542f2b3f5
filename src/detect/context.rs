//! Venue context: the per-blob view of where venues are named (name, line,
//! block, path, file) and which venue may own a value, plus the small
//! lexical tests on a value's surroundings (reference, string extent, code
//! file).

use super::engine::{Boundary, Engine};
use super::judge;
use super::lexicon;
use super::parts::Strength;
use crate::codec;
use crate::rules::{Confidence, Detector, Part};
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

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
    /// Notes and pages written by hand (see `is_prose_path`).
    pub(super) prose: bool,
    pub(super) path_venue: Option<u16>,
    /// What kind of file this is (code, config, test, docs, vendored).
    pub(super) context: crate::finding::CodeContext,
    /// A file of bare values, one per line: its normalized file name, which
    /// names the values (`binance.key`, `.secret`).
    pub(super) bare_file: Option<String>,
    /// The exchange without rules the blob's path names (`ftx-bot/`).
    pub(super) path_exchange: Option<&'static str>,
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
                let s = if owns_block(blob.data, block_start, h.0, ls) {
                    Strength::Enclosing
                } else {
                    Strength::Block
                };
                v.push((h.1, s));
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
                // A wallet-shaped value (64 hex) named as a private key is a
                // wallet key unless the venue is named on its line.
                let wallet_shaped = r.spec.detector == Detector::Shape
                    && strength < Strength::Line
                    && (named == Part::PrivateKey || value.starts_with("0x"))
                    && codec::evm_key_valid(value);
                if ok
                    && !wallet_shaped
                    && (named == Part::Passphrase || !self.names_own_venue(v, value))
                {
                    let conf = match strength {
                        Strength::Named | Strength::Line | Strength::Enclosing => {
                            r.max_confidence()
                        }
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

/// How far before a value's line [`owns_block`] looks for its owner.
const OWNER_REACH: usize = 8 * 1024;

/// Whether the venue named at `hit` owns the block holding the line that
/// starts at `line` (a later line): the innermost bracket open at `line`
/// is opened right after the name (`ccxt.okx({`, `"binance": {`,
/// `Binance(`), or the name is the value of a `name`/`exchange`/`id` key at
/// the block's own depth (freqtrade's `"exchange": {"name": "binance", …}`);
/// or, without brackets, the name is the YAML key the line is nested under
/// (`binance:`) or the TOML section it is in (`[exchanges.binance]`).
pub(super) fn owns_block(data: &[u8], floor: usize, hit: usize, line: usize) -> bool {
    // Looked at for every value with a venue named above it: never further
    // back than a few KiB, whatever the lines' length (minified files).
    let floor = floor.max(line.saturating_sub(OWNER_REACH));
    if hit >= line || line > data.len() || floor > hit {
        return false;
    }
    let hit_line = data[floor..hit]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(floor, |p| floor + p + 1);
    let hit_end = data[hit..line]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(line, |p| hit + p);
    // The innermost bracket still open where the line starts.
    let mut depth = 0usize;
    let mut open = None;
    for i in (floor..line).rev() {
        match data[i] {
            b'}' | b')' | b']' => depth += 1,
            b'{' | b'(' | b'[' if depth == 0 => {
                open = Some(i);
                break;
            }
            b'{' | b'(' | b'[' => depth -= 1,
            _ => {}
        }
    }
    if let Some(o) = open {
        if data[o] == b'[' && o >= hit_line && o < hit_end && data[o..hit_end].contains(&b']') {
            // `[section]` on the name's line: a TOML header, below.
        } else if o >= hit && o < hit_end {
            // Opened after the name, on its line, with only a callee's or a
            // key's characters between.
            return data[hit..o].iter().all(|&b| {
                b.is_ascii_alphanumeric()
                    || b.is_ascii_whitespace()
                    || matches!(
                        b,
                        b'_' | b'.' | b'$' | b'-' | b'\'' | b'"' | b':' | b'=' | b'(' | b'{' | b'['
                    )
            });
        } else if o < hit {
            // Inside the block, at its depth, as the value of a naming key.
            let mut d = 0i32;
            for &b in &data[o + 1..hit] {
                match b {
                    b'{' | b'(' | b'[' => d += 1,
                    b'}' | b')' | b']' => d -= 1,
                    _ => {}
                }
            }
            let before = data[hit_line.max(o + 1)..hit].to_ascii_lowercase();
            let naming = ["name", "exchange", "venue", "\"id\"", "'id'", "id:", "id ="]
                .iter()
                .any(|k| before.windows(k.len()).any(|w| w == k.as_bytes()));
            return d == 0 && naming;
        } else {
            return false;
        }
    }
    let name_line = data[hit_line..hit_end].trim_ascii();
    // A TOML section: no other header between it and the line.
    if name_line.starts_with(b"[") && name_line.ends_with(b"]") {
        return !data[hit_end.min(line)..line]
            .split(|&b| b == b'\n')
            .any(|l| l.trim_ascii_start().starts_with(b"["));
    }
    // A YAML key: `binance:` (quoted or not, maybe a list item), and every
    // line down to ours indented deeper than it (or blank or a comment).
    let key = name_line.strip_prefix(b"- ").unwrap_or(name_line);
    let Some(key) = key.strip_suffix(b":") else {
        return false;
    };
    let key = key.trim_ascii();
    let unquoted = key
        .strip_prefix(b"\"")
        .and_then(|k| k.strip_suffix(b"\""))
        .or_else(|| key.strip_prefix(b"'").and_then(|k| k.strip_suffix(b"'")))
        .unwrap_or(key);
    if unquoted.is_empty()
        || !unquoted
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' '))
    {
        return false;
    }
    let indent = |l: &[u8]| l.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let own = indent(&data[hit_line..hit_end]);
    let rest = &data[hit_end.min(line)..];
    let mut lines = rest.split(|&b| b == b'\n');
    lines.next(); // the rest of the name's line
    let mut at = hit_end + 1;
    for l in lines {
        if at >= line {
            // Our line: deeper than the key.
            return indent(l) > own;
        }
        let t = l.trim_ascii();
        if !t.is_empty() && !t.starts_with(b"#") && indent(l) <= own {
            return false;
        }
        at += l.len() + 1;
    }
    false
}

/// A value as it stands in a JSON string reads `\/` for `/`.
/// The bare value a line holds: the line without surrounding blanks,
/// quotes, angle brackets or a trailing `,`/`;`, when that is one token of at
/// least 16 characters; `None` for anything else.
pub(super) fn bare_value(line: &[u8]) -> Option<(usize, usize)> {
    let wrap = |b: &u8| {
        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>' | b',' | b';')
    };
    let s = line.iter().position(|b| !wrap(b))?;
    let e = line.iter().rposition(|b| !wrap(b))? + 1;
    let v = &line[s..e];
    (v.len() >= 16 && v.iter().all(|&b| super::syntax::is_token_byte(b))).then_some((s, e))
}

/// A small file of one to six bare values, one per line, whose name is not
/// one of a public or derived value: the file name is the values' name
/// (`binance.key` holds a key and a secret, `.secret` a wallet key).
pub(super) fn bare_value_file(path: &str, data: &[u8]) -> Option<String> {
    if data.len() > 2048 {
        return None;
    }
    let mut n = 0;
    for line in data.split(|&b| b == b'\n') {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        bare_value(line)?;
        n += 1;
    }
    let name = super::syntax::normalize(path.rsplit('/').next()?.as_bytes());
    ((1..=6).contains(&n) && !super::lexicon::excluded_name(&name)).then_some(name)
}

pub(super) fn unescape_slashes(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains("\\/") {
        std::borrow::Cow::Owned(raw.replace("\\/", "/"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

pub(super) use crate::finding::context::{is_code_path, is_prose_path};

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
    // A whole string of one braced value (`"{…}"`, as GUIDs are written).
    let braced = s >= 2
        && line[s - 1] == b'{'
        && matches!(line[s - 2], b'"' | b'\'' | b'`')
        && line.get(e) == Some(&b'}')
        && line.get(e + 1) == Some(&line[s - 2]);
    if quoted || braced || !code {
        // Config files (.env, INI, YAML) hold literals: `Sp0t.Desk` is a value.
        return false;
    }
    matches!(line.get(e), Some(b'(') | Some(b'}') | Some(b'['))
        || (line.get(e) == Some(&b'.') && line.get(e + 1).is_some_and(|b| b.is_ascii_alphabetic()))
}

/// Beyond this offset in a line, the lexical tests look near the token only.
const LONG_LINE: usize = 1024;

/// Is `line[s..]` inside a string literal (an odd number of unescaped
/// quotes of one kind before it)?
pub(super) fn in_string(line: &[u8], s: usize) -> bool {
    // On a very long (minified) line, parity from the start would cost a
    // pass per token: look at the quote next to the token only.
    if s > LONG_LINE {
        return matches!(line.get(s - 1), Some(b'"' | b'\'' | b'`'));
    }
    let mut open: Option<u8> = None;
    let mut i = 0;
    while i < s.min(line.len()) {
        let b = line[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        match open {
            None if matches!(b, b'"' | b'\'' | b'`') => open = Some(b),
            Some(q) if b == q => open = None,
            _ => {}
        }
        i += 1;
    }
    open.is_some()
}

/// Is `line[s..]` in a comment (`#`, `//`, a `*` block line) of a code file?
/// Is the whole line a `#` or `//` comment?
pub(super) fn comment_line(line: &[u8]) -> bool {
    let t = line.trim_ascii_start();
    t.starts_with(b"#") || t.starts_with(b"//")
}

pub(super) fn in_comment(line: &[u8], s: usize) -> bool {
    let t = line.trim_ascii_start();
    if t.starts_with(b"*") || t.starts_with(b"/*") || t.starts_with(b"<!--") || t.starts_with(b"--")
    {
        return true;
    }
    let from = s.saturating_sub(LONG_LINE);
    let before = &line[from..s.min(line.len())];
    memchr::memmem::find(before, b"//").is_some_and(|p| !in_string(line, from + p))
        || memchr::memchr(b'#', before).is_some_and(|p| !in_string(line, from + p))
}

/// An unquoted identifier in code (`class Deribit(Exchange)`, `x as WsKey`,
/// `key: DefaultKeySet =`, `=== defaultApplicationId`) is a name, never a
/// value. Notebooks hold their code in JSON strings: their quotes count
/// from the first one.
pub(super) fn identifier_in_code(path_code: bool, line: &[u8], s: usize, e: usize) -> bool {
    if !path_code {
        return false;
    }
    let tok = &line[s..e];
    let ident = tok
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && tok.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_');
    if !ident || in_comment(line, s) {
        return false;
    }
    // `NAME=value` with nothing around `=`: an env line pasted into a
    // script (`export` or not) holds a value.
    let start = line.len() - line.trim_ascii_start().len();
    let head = line[start..s]
        .strip_prefix(b"export ")
        .unwrap_or(&line[start..s]);
    if let Some(name) = head.strip_suffix(b"=")
        && !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
    {
        return false;
    }
    if declaration_line(line) {
        return !matches!(line.get(s.wrapping_sub(1)), Some(b'"' | b'\'' | b'`'));
    }
    !in_string(line, s)
}

/// A declaration or import line: its words are names.
fn declaration_line(line: &[u8]) -> bool {
    let mut t = line.trim_ascii_start();
    // A notebook's source line is a JSON string.
    if let Some(rest) = t.strip_prefix(b"\"") {
        t = rest.trim_ascii_start();
    }
    for kw in [
        &b"export "[..],
        b"public ",
        b"private ",
        b"protected ",
        b"abstract ",
        b"final ",
        b"async ",
        b"pub ",
        b"data ",
        b"sealed ",
    ] {
        while let Some(rest) = t.strip_prefix(kw) {
            t = rest.trim_ascii_start();
        }
    }
    [
        &b"class "[..],
        b"interface ",
        b"struct ",
        b"enum ",
        b"trait ",
        b"impl ",
        b"type ",
        b"def ",
        b"fn ",
        b"function ",
        b"import ",
        b"from ",
        b"object ",
        b"extends ",
        b"implements ",
    ]
    .iter()
    .any(|kw| t.starts_with(kw))
}

/// Words joined in camel case (`OrderBookTracker`, `sourceSymbolKeys`,
/// `DefaultAPIKeySet`): an identifier, not a random key. A random string
/// of letters almost never splits into a few capitalised runs of two or
/// more lowercase letters each.
pub fn camel_words(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 8 || !b.iter().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let mut segs: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let step = b[i].is_ascii_uppercase()
            && (b[i - 1].is_ascii_lowercase()
                || b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if step {
            segs.push(&b[start..i]);
            start = i;
        }
    }
    segs.push(&b[start..]);
    if segs.len() > 6 {
        return false;
    }
    let vowel = |s: &[u8]| {
        s.iter().any(|c| {
            matches!(
                c.to_ascii_lowercase(),
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
            )
        })
    };
    segs.iter().all(|s| {
        let acronym = s.len() <= 4 && s.iter().all(|c| c.is_ascii_uppercase());
        let word = s.len() >= 2
            && s[1..].iter().all(|c| c.is_ascii_lowercase())
            && (s.len() < 3 || vowel(s));
        acronym || word
    }) && (segs.len() >= 2 || (b.len() <= 12 && b[0].is_ascii_uppercase()))
}

/// Is `line[s..e]` a piece of a longer base64 run (an embedded image, a
/// font, a data URI) rather than a value of its own?
pub(super) fn inside_blob_run(line: &[u8], s: usize, e: usize) -> bool {
    let b64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    let (floor, ceil) = (s.saturating_sub(256), (e + 256).min(line.len()));
    let mut a = s;
    while a > floor && b64(line[a - 1]) {
        a -= 1;
    }
    let mut z = e;
    while z < ceil && b64(line[z]) {
        z += 1;
    }
    z - a >= 200 && z - a > (e - s) + 40
}

/// The host of the URL whose authority holds or precedes `line[s..]`
/// (`https://key:secret@host/…`, `https://host/v3/<key>`), lowercase.
pub(super) fn url_host(line: &[u8], s: usize) -> Option<String> {
    let scheme = memchr::memmem::rfind(&line[..(s + 3).min(line.len())], b"://")?;
    let from = scheme + 3;
    let len = line[from..]
        .iter()
        .position(|&c| {
            c == b'/' || c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'?' | b'#')
        })
        .unwrap_or(line.len() - from);
    let authority = &line[from..from + len];
    let host = match memchr::memrchr(b'@', authority) {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    Some(String::from_utf8_lossy(host).to_ascii_lowercase())
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

/// The exchange without rules named in `text`, as a word (`ftx-bot`,
/// `FTX_KEY`, `ccxt.ascendex`, `AscendexClient`).
pub(super) fn exchange_in(text: &[u8]) -> Option<&'static str> {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(lexicon::OTHER_EXCHANGES.iter().map(|e| e.0))
            .expect("exchange automaton")
    });
    ac.find_overlapping_iter(text)
        .find(|m| Boundary::Both.holds(text, m.start(), m.end()))
        .map(|m| lexicon::OTHER_EXCHANGES[m.pattern().as_usize()].1)
}

impl Subject<'_> {
    /// The exchange without rules that a value's context names, nearest
    /// first: its own line, each of the 25 lines above, the 3 below, then
    /// the path. A key and secret there are that exchange's generic
    /// credential.
    /// Bounded: 512 bytes either side of the value at `at` on its line,
    /// the first 512 bytes of the others.
    pub(super) fn exchange_named(&self, line_no: usize, at: usize) -> Option<&'static str> {
        let last = self.lines.len() - 1;
        let above = (line_no.saturating_sub(25)..=line_no).rev();
        let below = (line_no + 1)..=(line_no + 3).min(last);
        above
            .chain(below)
            .find_map(|l| {
                let (a, b) = self.line_range(l);
                let (a, b) = if l == line_no {
                    (a.max(at.saturating_sub(512)), b.min(at + 512))
                } else {
                    (a, b.min(a + 512))
                };
                exchange_in(&self.data[a..b])
            })
            .or(self.path_exchange)
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
    fn identifiers_in_code_are_names() {
        let at = |line: &str, tok: &str| {
            let s = line.find(tok).unwrap();
            identifier_in_code(true, line.as_bytes(), s, s + tok.len())
        };
        assert!(at("class Deribit(Exchange):", "Exchange"));
        assert!(at(
            "  const ws = wsKey as WsKeyTopicRequests;",
            "WsKeyTopicRequests"
        ));
        assert!(at(
            "if (this.apiKey === defaultApplicationId) {",
            "defaultApplicationId"
        ));
        assert!(!at("api_key = \"SomeValueHereXyz\"", "SomeValueHereXyz"));
        assert!(!at("# api key: SomeValueHereXyz", "SomeValueHereXyz"));
        // A notebook line is a JSON string: quoted from its first quote.
        assert!(!at("\"key = 'SomeValueHereXyz'\\n\",", "SomeValueHereXyz"));
        assert!(at(
            "\"class Bot(ExchangeBaseClass):\\n\",",
            "ExchangeBaseClass"
        ));
        // An env line pasted into a script holds a value.
        assert!(!at("BINANCE_API_KEY=SomeValueHereXyz", "SomeValueHereXyz"));
        assert!(!at(
            "export OKX_SECRET=SomeValueHereXyz",
            "SomeValueHereXyz"
        ));
        assert!(at("const key = wsKeyTopicRequests;", "wsKeyTopicRequests"));
        // Not a code file: unquoted values are values.
        let line = b"API_KEY=SomeValueHereXyz";
        assert!(!identifier_in_code(false, line, 8, line.len()));
    }

    #[test]
    fn camel_case_words_are_identifiers() {
        for w in [
            "OrderBookTracker",
            "VolumeSourceBase",
            "sourceSymbolKeys",
            "DefaultAPIKeySet",
            "OrderBookTrackerDataSource",
            "wsKeyTopicRequests",
            // One capitalised word: `Ignoring`, `Exchange`.
            "Ignoring",
            "Exchange",
        ] {
            assert!(camel_words(w), "{w}");
        }
        for k in [
            "Zq3J9fK2mPx8Lr4T",
            "qXbTRzmWpLcvKdYa",
            "abcdefghijklmnop",
            "ABCDEFGHIJKL",
        ] {
            assert!(!camel_words(k), "{k}");
        }
    }

    #[test]
    fn base64_runs_and_url_hosts() {
        let run = format!(
            "data:image/png;base64,{}",
            "iVBORw0KGgoAAAANSUhEUgAA".repeat(12)
        );
        let s = run.find("AAAANSUh").unwrap();
        assert!(inside_blob_run(run.as_bytes(), s, s + 20));
        let line = b"KEY=SomeValueHereXyz";
        assert!(!inside_blob_run(line, 4, line.len()));
        let u = b"rpc: https://bsc-mainnet.nodereal.io/v1/0123abcd";
        assert_eq!(url_host(u, 40).as_deref(), Some("bsc-mainnet.nodereal.io"));
        let u = b"https://key:secret@api.example.com/x";
        assert_eq!(url_host(u, 8).as_deref(), Some("api.example.com"));
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

    /// `owns_block` on `text`: the venue word `venue`, the line `line`.
    fn owns(text: &str, venue: &str, line: usize) -> bool {
        let hit = text.find(venue).unwrap();
        let ls: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        owns_block(text.as_bytes(), 0, hit, ls)
    }

    #[test]
    fn a_block_is_owned_by_the_venue_that_opens_or_names_it() {
        assert!(owns("x = ccxt.okx({\n  'apiKey': 'v',\n", "okx", 1));
        assert!(owns(
            "ex = new Binance({\n  a,\n  apiKey: 'v'",
            "Binance",
            2
        ));
        assert!(owns("\"binance\": {\n  \"key\": \"v\"", "binance", 1));
        assert!(owns(
            "{\"exchange\": {\n \"name\": \"binance\",\n \"key\": 1",
            "binance",
            2
        ));
        assert!(owns("[exchanges.binance]\nkey = 1\n", "binance", 1));
        assert!(owns("binance:\n  # c\n\n  key: v\n", "binance", 3));
        assert!(owns("- 'okx':\n    key: v\n", "okx", 1));
        // Named close by, not the owner.
        assert!(!owns("# binance\nacct:\n  key: v\n", "binance", 2));
        assert!(!owns(
            "{\n \"note\": \"binance\",\n \"key\": 1",
            "binance",
            2
        ));
        assert!(!owns("binance.x = 1\nf({\n key: 1", "binance", 2));
        assert!(!owns("[binance]\n[other]\nkey = 1\n", "binance", 2));
        assert!(!owns("binance:\nother:\n  key: v\n", "binance", 2));
        assert!(!owns(
            "{\n \"name\": \"binance\", \"sub\": {\n \"key\": 1",
            "binance",
            2
        ));
        assert!(!owns("binance({})\nkey = 1\n", "binance", 1));
        // Out-of-range offsets are no owner, never a panic.
        assert!(!owns_block(b"okx({\n", 0, 9, 3));
        assert!(!owns_block(b"okx({\n", 0, 0, 99));
        assert!(!owns_block(b"a okx", 3, 2, 4));
    }
}
