//! Bytes -> credential parts.
//!
//! The pipeline, per blob:
//! 1. **Prefilter**: one Aho–Corasick pass (ASCII case-insensitive) over all
//!    anchors: venue names, header names, SDK calls, self-identifying prefixes,
//!    credential words. A blob with no hit (and no telling path) costs that one
//!    pass and nothing more.
//! 2. **Candidates**: only lines near hits are tokenised; each value token is
//!    bound to its name (or call and argument position) by [`syntax`].
//! 3. **Classify**: the name gives the part, the name/line/block/path/file
//!    gives the venue, and the venue's rules give the exact shape.
//! 4. **Judge**: placeholders, references, randomness for the alphabet,
//!    checksums; known documentation values are marked as examples.
//!
//! Pairing parts into findings lives in [`pair`].

pub mod checks;
pub mod judge;
pub mod pair;
pub mod syntax;

use crate::rules::{Alphabet, Confidence, Context, Detector, Part, Rule, RuleSet};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;
use syntax::Binding;

/// How strongly the surroundings name a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    File,
    Path,
    Block,
    Line,
    Named,
}

/// Where an anchor must stand apart from surrounding letters. A camelCase
/// step (`okxApiKey`, `OkxSettings`) counts as a boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    None,
    Start,
    Both,
}

impl Boundary {
    fn holds(self, data: &[u8], start: usize, end: usize) -> bool {
        if self == Boundary::None {
            return true;
        }
        let (first, last) = (data[start], data[end - 1]);
        let before_ok = start == 0 || {
            let b = data[start - 1];
            !b.is_ascii_alphabetic() || (b.is_ascii_lowercase() && first.is_ascii_uppercase())
        };
        if self == Boundary::Start {
            return before_ok;
        }
        before_ok
            && (end == data.len() || {
                let a = data[end];
                !a.is_ascii_alphabetic() || (a.is_ascii_uppercase() && last.is_ascii_lowercase())
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Venue(u16),
    Word,
    /// A self-identifying prefix of a venue's rule (also names the venue).
    Prefix(u16),
    Pem,
    Mnemonic,
}

/// One credential part found in a blob.
#[derive(Debug, Clone)]
pub struct PartHit {
    pub rule: usize,
    pub part: Part,
    pub venue: String,
    pub confidence: Confidence,
    pub value: String,
    /// Byte range of the value in the blob.
    pub start: usize,
    pub end: usize,
    pub example: bool,
}

/// A binding with absolute offsets into the blob.
enum Abs {
    Named(usize, usize),
    Positional(usize, usize, usize),
    Indirect(String),
    None,
}

/// What a value is bound to, resolved.
#[derive(Default)]
struct Bound {
    part: Part,
    /// The venue named by the value's own name or callee.
    name_venue: Option<u16>,
    /// The normalized last segment of the name (for name-bound rules).
    seg: String,
    /// Venues whose SDK call this is.
    call_venues: Vec<u16>,
    /// The part came from a venue rule's extra name: only these venues.
    only_venues: Option<Vec<u16>>,
    /// Bound by a call that takes nothing but a key (`privateKeyToAccount`).
    strong: bool,
    /// The last segment of a URL path: the venue must be on the line.
    url: bool,
}

/// Calls whose first argument names the value of the second:
/// `define('NAME', v)`, `os.getenv("NAME", v)`, `ENV.fetch("NAME", v)`.
const NAME_FIRST_CALLS: &[&str] = &[
    "define",
    "setproperty",
    "getenv",
    "get",
    "fetch",
    "setdefault",
    "getproperty",
    "getordefault",
    "setenv",
    "putenv",
    "env",
    "set",
    "put",
    "setitem",
    "configure",
];

/// Calls that take a signing secret at a known position (normalized callee
/// suffix, argument index, part).
const SIGNING_CALLS: &[(&str, usize, Part)] = &[
    ("jwtencode", 1, Part::Secret),
    ("hmacnew", 0, Part::Secret),
    ("createhmac", 1, Part::Secret),
    ("newfromslice", 0, Part::Secret),
    ("hmacsha256", 0, Part::Secret),
];

/// Calls whose first argument is a wallet private key.
const WALLET_CALLS: &[&str] = &[
    "privatekeytoaccount",
    "wallet",
    "fromkey",
    "signer",
    "account",
    "localaccount",
    "keypair",
    "fromwif",
    "fromprivatekey",
];

/// The name of a `value:` / `default =` from its neighbourhood: the `key=`
/// attribute on its line (`<add key="X" value="…"/>`, `{"key":"X","value":"…"}`),
/// or `name: X` / `variable "X"` on one of the four lines above.
fn indirect_name(blob: &Blob, name_start: usize) -> Option<String> {
    let line_no = blob.line_of(name_start);
    let (ls, _) = blob.line_range(line_no);
    // Bounded: on a huge line only the neighbourhood of the name counts.
    let mut texts = vec![&blob.data[ls.max(name_start.saturating_sub(512))..name_start]];
    for up in 1..=4 {
        if let Some(l) = line_no.checked_sub(up) {
            let (a, b) = blob.line_range(l);
            texts.push(&blob.data[a..b.min(a + 512)]);
        }
    }
    texts.into_iter().find_map(name_attribute)
}

fn name_attribute(text: &[u8]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    for word in [&b"key"[..], b"name", b"variable", b"env"] {
        let mut from = 0;
        while let Some(p) = memchr::memmem::find(&lower[from..], word) {
            let at = from + p;
            from = at + word.len();
            if at > 0 && lower[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let mut i = at + word.len();
            while i < text.len() && matches!(text[i], b'"' | b'\'') {
                i += 1;
            }
            let sep_start = i;
            while i < text.len() && matches!(text[i], b' ' | b'\t' | b'=' | b':') {
                i += 1;
            }
            if i == sep_start {
                continue;
            }
            while i < text.len() && matches!(text[i], b'"' | b'\'' | b' ') {
                i += 1;
            }
            let s = i;
            while i < text.len()
                && (text[i].is_ascii_alphanumeric() || matches!(text[i], b'_' | b'-' | b'.'))
            {
                i += 1;
            }
            if i - s >= 2 && best.as_ref().is_none_or(|b| at >= b.0) {
                best = Some((at, String::from_utf8_lossy(&text[s..i]).into_owned()));
            }
        }
    }
    best.map(|b| b.1)
}

/// The column named at `index` in the `INSERT INTO t (a, b, c) VALUES (…)`
/// whose `VALUES` keyword starts at `values_at`.
fn sql_column(data: &[u8], values_at: usize, index: usize) -> Option<String> {
    let floor = values_at.saturating_sub(2000);
    let close = floor + memchr::memrchr(b')', &data[floor..values_at])?;
    if !data[close + 1..values_at]
        .iter()
        .all(|b| b.is_ascii_whitespace())
    {
        return None;
    }
    let open = floor + memchr::memrchr(b'(', &data[floor..close])?;
    let cols: Vec<&[u8]> = data[open + 1..close].split(|&b| b == b',').collect();
    let col = cols.get(index)?;
    let name: Vec<u8> = col
        .iter()
        .copied()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .collect();
    (!name.is_empty()).then(|| String::from_utf8_lossy(&name).into_owned())
}

struct VenueInfo {
    id: String,
    /// lowercase aliases
    aliases: Vec<String>,
    /// rules of this venue, by part
    by_part: HashMap<Part, Vec<usize>>,
    /// normalized call name -> parts by position (`None`: not a credential)
    calls: HashMap<String, Vec<Option<Part>>>,
}

/// The compiled detection engine. Build once, share between threads.
pub struct Engine {
    pub rules: RuleSet,
    ac: AhoCorasick,
    anchors: Vec<(Anchor, Boundary)>,
    anchor_patterns: Vec<String>,
    venues: Vec<VenueInfo>,
    /// Normalized aliases (3+ characters), longest first, and their automaton.
    aliases: Vec<(String, u16)>,
    alias_ac: AhoCorasick,
    headers: HashMap<String, (u16, Part)>,
    /// Extra names venue rules declare (normalized) -> (venue, part),
    /// matched as substrings of a name's last segment.
    extra_names: Vec<(String, Vec<(u16, Part)>)>,
    /// Rules that need no venue: self-identifying and name-bound ones.
    free_rules: Vec<usize>,
    /// First bytes of self-identifying prefixes (a cheap gate for free rules).
    free_first: Vec<u8>,
    generic_rules: Vec<usize>,
}

/// Words that make a line worth tokenising even without a venue.
const CREDENTIAL_WORDS: &[&str] = &[
    "secret",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "access-key",
    "passphrase",
    "password",
    "private_key",
    "privatekey",
    "private-key",
    "priv_key",
    "key_id",
    "keyid",
    "client(",
    "wif",
    "signer",
    "wallet",
    "_pk",
    "accounts",
    "from_key",
    "fromkey",
    "privatekeytoaccount",
    "xprv",
    "tprv",
    "yprv",
    "zprv",
];
const MNEMONIC_WORDS: &[&str] = &[
    "mnemonic", "seed", "phrase", "recovery", "bip39", "bip-39", "metamask", "wallet", "words",
];

/// Names (last segment, normalized) that are never credentials even when
/// they contain a credential word.
fn excluded_name(seg: &str) -> bool {
    static BAD: OnceLock<AhoCorasick> = OnceLock::new();
    let bad = BAD.get_or_init(|| {
        AhoCorasick::new([
            "order",
            "hash",
            "sha1",
            "sha256",
            "sha512",
            "md5",
            "signature",
            "checksum",
            "digest",
            "nonce",
            "address",
            "public",
            "pubkey",
            "webhook",
            "url",
            "endpoint",
            "symbol",
            "timestamp",
            "txid",
            "requestid",
            "clientoid",
            "integrity",
            "path",
            "file",
            "env",
            "length",
            "len",
            "type",
            "name",
            "format",
            "header",
            "prefix",
            "example",
            "jwt",
            "idempotency",
            "cache",
            "lock",
            "dedup",
            "correlation",
            "trace",
            "cursor",
            "etag",
            "partition",
            "sortkey",
            "primarykey",
            "foreignkey",
            "keyword",
            "keyboard",
            "keycode",
            "keypress",
            "keydown",
            "keyup",
            "keystroke",
            "hotkey",
            "monkey",
            "turkey",
            "donkey",
            "whiskey",
            "hockey",
            "keyframe",
            "keyspace",
            "csrf",
            "xsrf",
            "tokenizer",
            "captcha",
            "encrypted",
            "hashed",
            "fingerprint",
            "listenkey",
        ])
        .expect("excluded-name automaton")
    });
    seg.is_empty()
        || bad.is_match(seg)
        || seg.ends_with("sign")
        || matches!(seg, "id" | "uuid" | "sig" | "salt")
}

/// The part a (normalized, last-segment) name says a value is.
pub fn part_from_name(seg: &str) -> Option<Part> {
    let part = part_words(seg)?;
    if excluded_name(seg) {
        return None;
    }
    Some(part)
}

/// Words in a name that say which part it holds, strongest part first.
const PART_WORDS: &[(&str, Part)] = &[
    ("passphrase", Part::Passphrase),
    ("password", Part::Passphrase),
    ("passwd", Part::Passphrase),
    ("mnemonic", Part::Mnemonic),
    ("seedphrase", Part::Mnemonic),
    ("seedwords", Part::Mnemonic),
    ("recoveryphrase", Part::Mnemonic),
    ("secretphrase", Part::Mnemonic),
    ("secret", Part::Secret),
    ("private", Part::Secret),
    ("privkey", Part::Secret),
    ("hmac", Part::Secret),
    ("key", Part::Key),
    ("token", Part::Key),
];

fn part_words(seg: &str) -> Option<Part> {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        AhoCorasick::new(PART_WORDS.iter().map(|w| w.0)).expect("part-word automaton")
    });
    // Rank: passphrase < mnemonic < secret < key in PART_WORDS order.
    let rank = |p: Part| match p {
        Part::Passphrase => 0,
        Part::Mnemonic => 1,
        Part::Secret | Part::PrivateKey => 2,
        Part::Key => 3,
    };
    let mut best: Option<Part> = None;
    for m in ac.find_overlapping_iter(seg) {
        let p = PART_WORDS[m.pattern().as_usize()].1;
        if best.is_none_or(|b| rank(p) < rank(b)) {
            best = Some(p);
        }
    }
    let suffix = if seg == "pass" || seg.ends_with("pass") || seg.ends_with("pwd") {
        Some(Part::Passphrase)
    } else if seg == "seed" {
        Some(Part::Mnemonic)
    } else if seg.ends_with("pk") || seg == "sk" || seg == "accounts" {
        Some(Part::Secret)
    } else {
        None
    };
    match (best, suffix) {
        (Some(b), Some(x)) => Some(if rank(x) < rank(b) { x } else { b }),
        (b, x) => b.or(x),
    }
}

/// Per-blob context for the venue lookups.
struct Blob<'a> {
    data: &'a [u8],
    lines: Vec<usize>,
    /// (offset, venue) sorted by offset
    venue_hits: Vec<(usize, u16)>,
    /// distinct venues named anywhere in the blob
    file_venues: Vec<u16>,
    /// A programming-language file: unquoted words are code, not values.
    code: bool,
    path_venue: Option<u16>,
}

impl Blob<'_> {
    /// The venue named by an anchor hit inside `start..end` (a name or callee).
    fn venue_within(&self, start: usize, end: usize) -> Option<u16> {
        let i = self.venue_hits.partition_point(|h| h.0 < start);
        self.venue_hits.get(i).filter(|h| h.0 < end).map(|h| h.1)
    }

    fn line_of(&self, off: usize) -> usize {
        self.lines.partition_point(|&s| s <= off) - 1
    }
    fn line_range(&self, l: usize) -> (usize, usize) {
        let s = self.lines[l];
        let mut e = self.lines.get(l + 1).copied().unwrap_or(self.data.len());
        while e > s && matches!(self.data[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        (s, e)
    }
}

impl Engine {
    pub fn new(rules: RuleSet) -> Engine {
        let mut venue_ids: Vec<&String> = rules.venues.keys().collect();
        venue_ids.sort();
        let mut venues: Vec<VenueInfo> = Vec::new();
        let mut venue_index = HashMap::new();
        for id in venue_ids {
            venue_index.insert(id.clone(), venues.len() as u16);
            let spec = &rules.venues[id];
            venues.push(VenueInfo {
                id: id.clone(),
                aliases: spec
                    .aliases
                    .iter()
                    .map(|a| a.to_ascii_lowercase())
                    .collect(),
                by_part: HashMap::new(),
                calls: spec
                    .calls
                    .iter()
                    .map(|(k, v)| {
                        (
                            syntax::normalize(k.as_bytes()),
                            v.iter().map(|p| Part::parse(p)).collect(),
                        )
                    })
                    .collect(),
            });
        }
        let mut free_rules = Vec::new();
        let mut generic_rules = Vec::new();
        let mut extra: HashMap<String, Vec<(u16, Part)>> = HashMap::new();
        for (i, r) in rules.rules.iter().enumerate() {
            match venue_index.get(&r.venue) {
                Some(&v) => {
                    venues[v as usize]
                        .by_part
                        .entry(r.part())
                        .or_default()
                        .push(i);
                    for n in &r.spec.names {
                        extra
                            .entry(syntax::normalize(n.as_bytes()))
                            .or_default()
                            .push((v, r.part()));
                    }
                }
                None if r.venue == crate::rules::GENERIC => generic_rules.push(i),
                None => free_rules.push(i),
            }
            if r.spec.context == Context::SelfIdentifying && venue_index.contains_key(&r.venue) {
                free_rules.push(i);
            }
        }

        let mut extra_names: Vec<(String, Vec<(u16, Part)>)> = extra.into_iter().collect();
        extra_names.sort();
        let mut patterns: Vec<String> = Vec::new();
        let mut anchors: Vec<(Anchor, Boundary)> = Vec::new();
        let mut aliases = Vec::new();
        let mut headers = HashMap::new();
        let mut push = |p: &str, a: Anchor, boundary: Boundary| {
            let p = p.to_ascii_lowercase();
            if !patterns.contains(&p) {
                patterns.push(p);
                anchors.push((a, boundary));
            }
        };
        for (id, &v) in &venue_index {
            let spec = &rules.venues[id];
            for a in &spec.aliases {
                let b = if a.len() <= 4 {
                    Boundary::Both
                } else {
                    Boundary::Start
                };
                push(a, Anchor::Venue(v), b);
                aliases.push((syntax::normalize(a.as_bytes()), v));
            }
            for (h, part) in &spec.headers {
                let n = syntax::normalize(h.as_bytes());
                if n.len() >= 6 {
                    push(h, Anchor::Venue(v), Boundary::None);
                    headers.insert(n, (v, *part));
                }
            }
            for c in spec.calls.keys() {
                // A call that spells the venue (`PhemexClient(`) names it.
                let lc = c.to_ascii_lowercase();
                let anchor = if spec
                    .aliases
                    .iter()
                    .any(|a| a.len() >= 4 && lc.contains(&a.to_ascii_lowercase()))
                {
                    Anchor::Venue(v)
                } else {
                    Anchor::Word
                };
                push(&format!("{c}("), anchor, Boundary::None);
            }
        }
        for (i, r) in rules.rules.iter().enumerate() {
            let _ = i;
            if let Some(p) = &r.spec.prefix {
                let a = match venue_index.get(&r.venue) {
                    Some(&v) => Anchor::Prefix(v),
                    None => Anchor::Word,
                };
                push(p, a, Boundary::None);
                if p.contains('/') {
                    push(&p.replace('/', "\\/"), a, Boundary::None);
                }
            }
        }
        for w in CREDENTIAL_WORDS {
            push(w, Anchor::Word, Boundary::None);
        }
        for w in MNEMONIC_WORDS {
            push(w, Anchor::Mnemonic, Boundary::None);
        }
        push("-----begin", Anchor::Pem, Boundary::None);
        let anchor_patterns = patterns.clone();
        let mut free_first: Vec<u8> = free_rules
            .iter()
            .filter_map(|&i| {
                rules.rules[i]
                    .spec
                    .prefix
                    .as_ref()
                    .and_then(|p| p.bytes().next())
            })
            .collect();
        free_first.sort_unstable();
        free_first.dedup();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("anchor automaton");
        // Longest aliases first, so `binanceus` wins over `binance` in names.
        aliases.retain(|a: &(String, u16)| a.0.len() >= 3);
        aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        aliases.dedup_by(|a, b| a.0 == b.0);
        let alias_ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(aliases.iter().map(|a| a.0.as_str()))
            .expect("alias automaton");
        Engine {
            rules,
            ac,
            anchors,
            anchor_patterns,
            venues,
            aliases,
            alias_ac,
            headers,
            extra_names,
            free_rules,
            free_first,
            generic_rules,
        }
    }

    /// The prefilter's anchors (lowercase), for benchmarks and docs.
    pub fn anchor_patterns(&self) -> &[String] {
        &self.anchor_patterns
    }

    pub fn venue_id(&self, v: u16) -> &str {
        &self.venues[v as usize].id
    }

    /// The venue a normalized string names, if any (used on names and paths).
    fn venue_in(&self, norm: &str) -> Option<u16> {
        self.alias_ac
            .find(norm)
            .map(|m| self.aliases[m.pattern().as_usize()].1)
    }

    /// Finds every credential part in `data`. `path` gives context only.
    pub fn scan(&self, data: &[u8], path: &str) -> Vec<PartHit> {
        let mut out = Vec::new();
        let path_norm = syntax::normalize(path.as_bytes());
        let path_venue = self.venue_in(&path_norm);
        let path_mnemonic = ["seed", "mnemonic", "wallet", "phrase", "recovery"]
            .iter()
            .any(|w| path_norm.contains(w));

        let mut venue_hits: Vec<(usize, u16)> = Vec::new();
        let mut marks: Vec<(usize, Anchor)> = Vec::new();
        let mut mnemonic_hits: Vec<usize> = Vec::new();
        let mut pem_hits: Vec<usize> = Vec::new();
        for m in self.ac.find_iter(data) {
            let (anchor, boundary) = self.anchors[m.pattern().as_usize()];
            if !boundary.holds(data, m.start(), m.end()) {
                continue;
            }
            match anchor {
                Anchor::Venue(v) | Anchor::Prefix(v) => venue_hits.push((m.start(), v)),
                Anchor::Mnemonic => mnemonic_hits.push(m.start()),
                Anchor::Pem => pem_hits.push(m.start()),
                Anchor::Word => {}
            }
            marks.push((m.start(), anchor));
        }
        if marks.is_empty() && path_venue.is_none() && !path_mnemonic {
            return out;
        }
        let mut lines = vec![0usize];
        lines.extend(memchr::memchr_iter(b'\n', data).map(|p| p + 1));
        if lines.last() == Some(&data.len()) && !data.is_empty() {
            lines.pop();
        }
        let mut file_venues: Vec<u16> = venue_hits.iter().map(|h| h.1).collect();
        file_venues.sort_unstable();
        file_venues.dedup();
        let blob = Blob {
            data,
            lines,
            venue_hits,
            file_venues,
            code: is_code_path(path),
            path_venue,
        };
        let nlines = blob.lines.len();

        // PEM blocks first: their body lines must not be read as tokens.
        let mut pem_spans: Vec<(usize, usize)> = Vec::new();
        for &p in &pem_hits {
            if pem_spans.last().is_some_and(|s| p < s.1) {
                continue;
            }
            if let Some((end, label)) = pem_block(data, p) {
                pem_spans.push((p, end));
                self.classify_pem(&blob, p, end, &label, &mut out);
            }
        }

        // Lines to examine.
        let mut examine = vec![false; nlines];
        if path_venue.is_some() {
            examine.iter_mut().for_each(|e| *e = true);
        } else {
            for &(off, a) in &marks {
                let l = blob.line_of(off);
                let (lo, hi) = match a {
                    Anchor::Venue(_) | Anchor::Prefix(_) => (l.saturating_sub(3), l + 25),
                    Anchor::Word => (l, l),
                    Anchor::Pem | Anchor::Mnemonic => continue,
                };
                for e in examine.iter_mut().take((hi + 1).min(nlines)).skip(lo) {
                    *e = true;
                }
            }
        }
        for (l, _) in examine.iter().enumerate().filter(|(_, e)| **e) {
            let (ls, le) = blob.line_range(l);
            let line = &data[ls..le];
            let mut consumed = 0usize;
            syntax::tokens(line, |s, e| {
                if s < consumed || e - s > 1024 {
                    return;
                }
                let abs = ls + s;
                if pem_spans.iter().any(|&(a, b)| abs >= a && abs < b) {
                    return;
                }
                if let Some(end) = self.classify_token(&blob, l, line, s, e, &mut out) {
                    consumed = end;
                }
            });
        }

        // Seed phrases: the whole file when its name says wallet/seed or it
        // is small, else the lines around each seed-ish word.
        if path_mnemonic || (!mnemonic_hits.is_empty() && data.len() <= 4096) {
            self.find_mnemonics(&blob, 0, data.len(), &mut out);
        } else {
            let mut last_end = 0;
            for &h in &mnemonic_hits {
                let l = blob.line_of(h);
                let lo = blob.lines[l.saturating_sub(3)].max(last_end);
                let hi = blob.line_range((l + 8).min(nlines - 1)).1;
                if lo < hi {
                    self.find_mnemonics(&blob, lo, hi, &mut out);
                    last_end = hi;
                }
            }
        }
        out
    }

    /// Venues that could own a value, strongest first.
    fn venues_for(
        &self,
        blob: &Blob,
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

    /// Classifies the token `line[s..e]`; returns the end of what it consumed
    /// when a part was found.
    fn classify_token(
        &self,
        blob: &Blob,
        line_no: usize,
        line: &[u8],
        s: usize,
        e: usize,
        out: &mut Vec<PartHit>,
    ) -> Option<usize> {
        // `scheme://value`: the slashes belong to the URL, not the value.
        let mut s = s;
        if s > 0 && line[s - 1] == b':' && line[s..e].starts_with(b"//") {
            s += 2;
            if s >= e {
                return None;
            }
        }
        let bytes = &line[s..e];
        if bytes.len() < 6 {
            // A short token matters only as the start of a passphrase that
            // goes on with a character outside the token alphabet (`Tr@de`).
            match line.get(e) {
                None => return None,
                Some(b)
                    if b.is_ascii_whitespace()
                        || matches!(b, b'"' | b'\'' | b'`' | b',' | b';' | b')' | b']' | b'}') =>
                {
                    return None;
                }
                _ => {}
            }
        } else if bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-'))
            || (bytes
                .iter()
                .all(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-'))
                && bytes.iter().any(|b| matches!(b, b'_' | b'-')))
        {
            // Words and snake/SCREAMING identifiers: no key is one letter
            // case with separators and no digit.
            return None;
        }
        // `https://<key>:<secret>@host`: credentials in a URL's userinfo.
        let userinfo = if s >= 3 && &line[s - 3..s] == b"://" && line.get(e) == Some(&b':') {
            Some(Part::Key)
        } else if s >= 1
            && line[s - 1] == b':'
            && line.get(e) == Some(&b'@')
            && memchr::memmem::rfind(&line[..s], b"://").is_some()
        {
            Some(Part::Secret)
        } else {
            None
        };
        if let Some(part) = userinfo
            && e - s >= 6
        {
            let tok = std::str::from_utf8(bytes).ok()?;
            return self.classify_bound(
                blob,
                line_no,
                line,
                s,
                e,
                tok,
                Bound {
                    part,
                    url: true,
                    ..Bound::default()
                },
                out,
            );
        }
        // A name (`key=`, `name:`) or a reference (`f(`, `$X`, `cfg.x`) is
        // not a value.
        match line.get(e) {
            Some(b'=') => return None,
            Some(b':') if line.get(e + 1) != Some(&b'/') && e - s >= 6 => return None,
            _ => {}
        }
        if reference_around(line, s, e, blob.code) {
            return None;
        }
        // Token bytes are ASCII, so this never fails; JSON-escaped slashes
        // are read as slashes.
        let tok = unescape_slashes(std::str::from_utf8(bytes).ok()?);
        let tok: &str = &tok;
        let ls = blob.lines[line_no];

        // Self-identifying values need no name.
        let first = bytes[0];
        let maybe_free = tok.len() >= 6
            && (self.free_first.contains(&first) || matches!(tok.len(), 51 | 52 | 111));
        for &ri in self.free_rules.iter().filter(|_| maybe_free) {
            let r = &self.rules.rules[ri];
            let hit = match r.spec.detector {
                Detector::Wif => (51..=52).contains(&tok.len()) && checks::wif_valid(tok),
                Detector::ExtendedKey => tok.len() == 111 && checks::xprv_valid(tok),
                Detector::Shape if r.spec.context == Context::SelfIdentifying => {
                    r.shape_matches(tok) && self.judge(r, tok)
                }
                _ => false,
            };
            if hit {
                out.push(self.hit(ri, tok, ls + s, ls + e, r.max_confidence()));
                return Some(e);
            }
        }

        let bound = self.bind(blob, line_no, line, s, tok)?;
        self.classify_bound(blob, line_no, line, s, e, tok, bound, out)
    }

    /// Classifies a bound token: venue rules, then wallet and generic rules.
    #[allow(clippy::too_many_arguments)]
    fn classify_bound(
        &self,
        blob: &Blob,
        line_no: usize,
        line: &[u8],
        s: usize,
        e: usize,
        tok: &str,
        bound: Bound,
        out: &mut Vec<PartHit>,
    ) -> Option<usize> {
        let ls = blob.lines[line_no];
        let part = bound.part;
        // Short tokens can only start a passphrase.
        if e - s < 6 && part != Part::Passphrase {
            return None;
        }

        // Passphrases are whatever the string holds, not a token shape; a
        // key in a URL path is the last path segment.
        let (vs, ve) = if part == Part::Passphrase {
            string_extent(line, s, e)
        } else if bound.url && tok.contains('/') {
            (s + tok.rfind('/').map(|p| p + 1).unwrap_or(0), e)
        } else {
            (s, e)
        };
        let value = unescape_slashes(std::str::from_utf8(&line[vs..ve]).ok()?);
        let value: &str = &value;
        if value.is_empty() {
            return None;
        }

        let venues = self.venues_for(blob, line_no, bound.name_venue);
        for (v, strength) in venues {
            if bound.url && strength < Strength::Line {
                break;
            }
            if bound.only_venues.as_ref().is_some_and(|o| !o.contains(&v)) {
                continue;
            }
            let strength = if bound.call_venues.contains(&v) && strength == Strength::File {
                Strength::Block
            } else {
                strength
            };
            let parts: &[Part] = match part {
                Part::Secret | Part::PrivateKey => &[Part::Secret, Part::PrivateKey],
                Part::Key => &[Part::Key],
                Part::Passphrase => &[Part::Passphrase],
                Part::Mnemonic => &[Part::Mnemonic],
            };
            if let Some((ri, conf)) = self.venue_rule(v, strength, parts, part, value) {
                out.push(self.hit(ri, value, ls + vs, ls + ve, conf));
                return Some(ve);
            }
        }
        // The name says key but the value has the exact shape of the venue's
        // secret (`kucoin_token = "<uuid>"`), or the other way round: trust
        // the shape when the venue is named close by, at medium at most.
        let swapped: &[Part] = match part {
            Part::Key => &[Part::Secret, Part::PrivateKey],
            Part::Secret => &[Part::Key],
            _ => &[],
        };
        // Session tokens (`access_token`, `refresh_token`) are not the key.
        let session = ["accesstoken", "refresh", "session", "bearer", "jwt"]
            .iter()
            .any(|w| bound.seg.contains(w));
        if !swapped.is_empty() && !bound.url && bound.only_venues.is_none() && !session {
            for (v, strength) in self.venues_for(blob, line_no, bound.name_venue) {
                if strength < Strength::Block {
                    break;
                }
                if let Some((ri, conf)) = self.venue_rule(v, strength, swapped, part, value) {
                    out.push(self.hit(ri, value, ls + vs, ls + ve, conf.min(Confidence::Medium)));
                    return Some(ve);
                }
            }
        }
        if bound.url {
            return None;
        }

        // No venue claims it: wallet keys bound to a key name, then generic.
        for &ri in self.free_rules.iter().chain(&self.generic_rules) {
            let r = &self.rules.rules[ri];
            if r.spec.context != Context::Name {
                continue;
            }
            let part_ok = r.part() == part
                || (r.part() == Part::PrivateKey && part == Part::Secret)
                || (r.part() == Part::Secret && part == Part::PrivateKey);
            if !part_ok
                || (!bound.strong && !r.spec.names.iter().any(|n| bound.seg.contains(n.as_str())))
            {
                continue;
            }
            let ok = match r.spec.detector {
                Detector::EvmKey => checks::evm_key_valid(value) && self.judge(r, value),
                Detector::Shape => r.shape_matches(value) && self.judge(r, value),
                _ => false,
            };
            if ok {
                out.push(self.hit(ri, value, ls + vs, ls + ve, r.max_confidence()));
                return Some(ve);
            }
        }
        None
    }

    /// The first rule of venue `v` among `parts` that `value` satisfies, with
    /// the confidence `strength` allows.
    fn venue_rule(
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
                    Detector::EvmKey => checks::evm_key_valid(value) && self.judge(r, value),
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
    fn names_own_venue(&self, v: u16, value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        self.venues[v as usize]
            .aliases
            .iter()
            .any(|a| a.len() >= 4 && lower.contains(a.as_str()))
    }

    /// What the value at `line[s..]` is bound to: its part and the venue its
    /// name or call names.
    fn bind(&self, blob: &Blob, line_no: usize, line: &[u8], s: usize, tok: &str) -> Option<Bound> {
        let ls = blob.lines[line_no];
        let mut b = match syntax::binding(line, s) {
            Binding::Named { start, end } => Abs::Named(ls + start, ls + end),
            Binding::Positional { start, end, index } => {
                Abs::Positional(ls + start, ls + end, index)
            }
            Binding::None => Abs::None,
        };
        if matches!(b, Abs::None)
            && line[..s]
                .iter()
                .all(|c| c.is_ascii_whitespace() || matches!(c, b'"' | b'\''))
        {
            // An argument on a line of its own: look at the lines above.
            let ws = blob.lines[line_no.saturating_sub(8)];
            let window = &blob.data[ws..ls + s];
            if let Some(p) = window
                .iter()
                .rposition(|c| !(c.is_ascii_whitespace() || matches!(c, b'"' | b'\'')))
                && matches!(window[p], b'(' | b',')
                && let Binding::Positional { start, end, index } = syntax::positional_at(window, p)
            {
                b = Abs::Positional(ws + start, ws + end, index);
            } else if let Some(p) = window
                .iter()
                .rposition(|c| !c.is_ascii_whitespace())
                .filter(|&p| window[p] == b'>' && p > 0 && window[p - 1] != b'/')
                && let Some(lt) = memchr::memrchr(b'<', &window[..p])
                && window.get(lt + 1).is_some_and(|c| c.is_ascii_alphabetic())
            {
                // `<apiKey>` on the line above the value.
                let e = lt
                    + 1
                    + window[lt + 1..p]
                        .iter()
                        .position(|c| c.is_ascii_whitespace())
                        .unwrap_or(p - lt - 1);
                b = Abs::Named(ws + lt + 1, ws + e);
            }
        }
        self.bound(blob, b, tok, 0)
    }

    fn bound(&self, blob: &Blob, b: Abs, tok: &str, depth: u8) -> Option<Bound> {
        let data = blob.data;
        let mut out = Bound::default();
        match b {
            Abs::Named(a, z) => {
                let name = &data[a..z];
                let full = syntax::normalize(name);
                if let Some(&(v, p)) = self.headers.get(&full) {
                    out.part = p;
                    out.name_venue = Some(v);
                    out.seg = full;
                    return Some(out);
                }
                let seg = syntax::name_segment(name);
                if matches!(
                    seg.as_str(),
                    "value" | "default" | "val" | "defaultvalue" | "secretvalue"
                ) && let Some(n) = indirect_name(blob, a)
                {
                    return self.bound(blob, Abs::Indirect(n), tok, depth);
                }
                self.part_for(&seg, &mut out)?;
                out.name_venue = blob.venue_within(a, z);
                out.seg = seg;
            }
            Abs::Indirect(n) => {
                let full = syntax::normalize(n.as_bytes());
                let seg = syntax::name_segment(n.as_bytes());
                self.part_for(&seg, &mut out)?;
                out.name_venue = self.venue_in(&full);
                out.seg = seg;
            }
            Abs::Positional(a, z, index) => {
                let callee = &data[a..z];
                let seg = syntax::normalize(syntax::last_segment(callee));
                let full = syntax::normalize(callee);
                let named = blob.venue_within(a, z);
                out.name_venue = named;
                out.seg = seg.clone();
                let mut part = None;
                for (vi, v) in self.venues.iter().enumerate() {
                    if let Some(parts) = v.calls.get(&seg)
                        && named.is_none_or(|n| n as usize == vi)
                        && let Some(Some(p)) = parts.get(index)
                    {
                        part = part.or(Some(*p));
                        out.call_venues.push(vi as u16);
                    }
                }
                if let Some(p) = part {
                    out.part = p;
                    return Some(out);
                }
                // `define('NAME', v)`, `os.getenv("NAME", v)`, `ENV.fetch("NAME", v)`.
                if index >= 1
                    && NAME_FIRST_CALLS.contains(&seg.as_str())
                    && let Some(n) = syntax::first_argument(data, z)
                {
                    return self.bound(
                        blob,
                        Abs::Indirect(String::from_utf8_lossy(n).into_owned()),
                        tok,
                        depth,
                    );
                }
                // `jwt.encode(payload, SECRET)`, `hmac.new(SECRET, …)`.
                if let Some(&(_, _, p)) = SIGNING_CALLS
                    .iter()
                    .find(|(c, i, _)| *i == index && full.ends_with(c))
                {
                    out.part = p;
                    return Some(out);
                }
                if WALLET_CALLS.contains(&seg.as_str()) && index == 0 {
                    out.part = Part::PrivateKey;
                    out.strong = true;
                    return Some(out);
                }
                // `.withApiKey(k, s, p)`, `setSecret(v)`.
                if let Some(p) = part_from_name(&seg) {
                    out.part = if index == 0 {
                        p
                    } else if seg.contains("apikey") || seg.contains("credential") {
                        *[Part::Key, Part::Secret, Part::Passphrase].get(index)?
                    } else {
                        return None;
                    };
                    return Some(out);
                }
                if seg.contains("client")
                    || seg.contains("exchange")
                    || seg.contains("credential")
                    || seg.contains("auth")
                    || named.is_some()
                {
                    out.part = *[Part::Key, Part::Secret, Part::Passphrase].get(index)?;
                    return Some(out);
                }
                if seg == "values" {
                    let col = sql_column(data, a, index)?;
                    return self.bound(blob, Abs::Indirect(col), tok, depth);
                }
                if callee.is_empty() {
                    // A later row of `INSERT … VALUES (…), (…)`.
                    let floor = a.saturating_sub(4000);
                    let lower = data[floor..a].to_ascii_lowercase();
                    let at = floor + memchr::memmem::rfind(&lower, b"values")?;
                    let after = &data[at + 6..a];
                    if !after.iter().all(|b| {
                        b.is_ascii_whitespace() || matches!(b, b'(' | b')' | b',' | b'\'' | b'"')
                    }) && !after.contains(&b'(')
                    {
                        return None;
                    }
                    let col = sql_column(data, at, index)?;
                    return self.bound(blob, Abs::Indirect(col), tok, depth);
                }
                // A wrapper (`String::from("…")`, `SecretStr("…")`): what is
                // the call itself bound to?
                if index == 0 && depth == 0 {
                    let line_no = blob.line_of(a);
                    let ls = blob.lines[line_no];
                    let (_, le) = blob.line_range(line_no);
                    let line = &data[ls..le];
                    let inner = match syntax::binding(line, a - ls) {
                        Binding::Named { start, end } => Abs::Named(ls + start, ls + end),
                        Binding::Positional { start, end, index } => {
                            Abs::Positional(ls + start, ls + end, index)
                        }
                        Binding::None => return None,
                    };
                    return self.bound(blob, inner, tok, depth + 1);
                }
                return None;
            }
            Abs::None => {
                // A key in a URL path right after a version or key segment:
                // `https://mainnet.infura.io/v3/<key>`, `/v2/<key>`. An id
                // after `/orders/` is not a key.
                let mut segs = tok.rsplit('/');
                let _last = segs.next();
                let prev = segs.next().unwrap_or("").to_ascii_lowercase();
                let versioned = prev.len() >= 2
                    && prev.starts_with('v')
                    && prev[1..].bytes().all(|b| b.is_ascii_digit());
                if tok.contains('/') && !tok.ends_with('/') && (versioned || prev.contains("key")) {
                    out.part = Part::Key;
                    out.url = true;
                    return Some(out);
                }
                return None;
            }
        }
        Some(out)
    }

    /// The part a name says, from the usual words or from a venue rule's
    /// own extra names (then only that venue may claim it).
    fn part_for(&self, seg: &str, out: &mut Bound) -> Option<()> {
        if let Some(p) = part_from_name(seg) {
            out.part = p;
            return Some(());
        }
        let mut venues = Vec::new();
        for (name, owners) in &self.extra_names {
            if seg.contains(name.as_str()) {
                out.part = owners[0].1;
                venues.extend(owners.iter().map(|o| o.0));
            }
        }
        if venues.is_empty() || excluded_name(seg) {
            return None;
        }
        out.only_venues = Some(venues);
        Some(())
    }

    /// Placeholder and randomness judgement for a value under a rule.
    fn judge(&self, r: &Rule, value: &str) -> bool {
        if matches!(
            r.spec.detector,
            Detector::Wif | Detector::ExtendedKey | Detector::Mnemonic
        ) {
            return true;
        }
        let body = match &r.spec.prefix {
            Some(p) => value.strip_prefix(p.as_str()).unwrap_or(value),
            None => value,
        };
        let body = body
            .strip_prefix("0x")
            .filter(|_| r.spec.detector == Detector::EvmKey)
            .unwrap_or(body);
        if self.rules.known_examples.contains_key(value) {
            return true;
        }
        let alpha = match r.spec.alphabet {
            Alphabet::Auto => judge::detect_alphabet(body),
            a => a,
        };
        if alpha == Alphabet::Uuid {
            // Structured values (`organizations/<uuid>/apiKeys/<uuid>`):
            // judge the hex digits only.
            let hex: String = body.chars().filter(|c| c.is_ascii_hexdigit()).collect();
            return !judge::is_placeholder(&hex)
                && !judge::is_placeholder(&body.replace("apiKeys", ""))
                && judge::is_random(&hex, Alphabet::Hex);
        }
        if judge::is_placeholder(body) {
            return false;
        }
        judge::is_random(body, alpha)
    }

    fn hit(
        &self,
        ri: usize,
        value: &str,
        start: usize,
        end: usize,
        confidence: Confidence,
    ) -> PartHit {
        let r = &self.rules.rules[ri];
        PartHit {
            rule: ri,
            part: r.part(),
            venue: r.venue.clone(),
            confidence,
            value: value.to_string(),
            start,
            end,
            example: self.rules.known_examples.contains_key(value),
        }
    }

    fn classify_pem(
        &self,
        blob: &Blob,
        start: usize,
        end: usize,
        label: &str,
        out: &mut Vec<PartHit>,
    ) {
        if !label.contains("PRIVATE KEY") {
            return;
        }
        let line_no = blob.line_of(start);
        let (ls, _) = blob.line_range(line_no);
        // The name: on the BEGIN line, or on the line above (`KEY = """`).
        let mut name_venue = None;
        let mut named = false;
        for l in [Some(line_no), line_no.checked_sub(1)]
            .into_iter()
            .flatten()
        {
            let (a, b) = blob.line_range(l);
            let upto = if l == line_no { start.max(a) } else { b };
            let text = syntax::normalize(&blob.data[a..upto]);
            if text.contains("key") || text.contains("secret") || text.contains("private") {
                named = true;
            }
            if name_venue.is_none() {
                name_venue = self.venue_in(&text);
            }
        }
        let _ = ls;
        let value = String::from_utf8_lossy(&blob.data[start..end]).into_owned();
        for (v, strength) in self.venues_for(blob, line_no, name_venue) {
            let info = &self.venues[v as usize];
            for part in [Part::Secret, Part::PrivateKey] {
                for &ri in info.by_part.get(&part).into_iter().flatten() {
                    let r = &self.rules.rules[ri];
                    if r.spec.detector != Detector::Pem || !r.shape_matches(label) {
                        continue;
                    }
                    let body = pem_body(&value);
                    // A real key body is at least 64 base64 characters
                    // (Ed25519 PKCS#8); shorter is an excerpt or a stub.
                    if body.len() < 64 || judge::is_placeholder(&body) {
                        return;
                    }
                    let conf = match strength {
                        Strength::Named | Strength::Line => r.max_confidence(),
                        Strength::Block | Strength::Path => {
                            r.max_confidence().min(Confidence::Medium)
                        }
                        Strength::File if named => Confidence::Medium,
                        Strength::File => Confidence::Low,
                    };
                    out.push(self.hit(ri, &value, start, end, conf));
                    return;
                }
            }
        }
    }

    fn find_mnemonics(&self, blob: &Blob, from: usize, to: usize, out: &mut Vec<PartHit>) {
        let data = &blob.data[..to];
        let index = checks::bip39_index();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut i = from;
        let n = data.len();
        let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<PartHit>| {
            if run.len() >= 12 {
                self.mnemonic_run(blob, run, out);
            }
            run.clear();
        };
        while i < n {
            let b = data[i];
            if b.is_ascii_lowercase() {
                let s = i;
                while i < n && data[i].is_ascii_lowercase() {
                    i += 1;
                }
                let before_ok = s == 0
                    || !data[s - 1].is_ascii_alphanumeric()
                    || (s >= 2 && data[s - 2] == b'\\' && data[s - 1] == b'n');
                let after_ok = i == n || !data[i].is_ascii_alphanumeric();
                // BIP-39 English words are 3 to 8 letters.
                let word_ok = before_ok
                    && after_ok
                    && (3..=8).contains(&(i - s))
                    && std::str::from_utf8(&data[s..i]).is_ok_and(|w| index.contains_key(w));
                if word_ok {
                    run.push((s, i));
                } else {
                    flush(&mut run, out);
                }
            } else if matches!(b, b' ' | b'\t' | b',' | b'"' | b'\'' | b'\r' | b'\n') {
                i += 1;
            } else if b == b'\\'
                && data.get(i + 1) == Some(&b'n')
                && run.last().is_some_and(|r| r.1 == i)
            {
                i += 2;
            } else {
                flush(&mut run, out);
                i += 1;
            }
        }
        flush(&mut run, out);
    }

    fn mnemonic_run(&self, blob: &Blob, run: &[(usize, usize)], out: &mut Vec<PartHit>) {
        let words: Vec<&str> = run
            .iter()
            .map(|&(s, e)| std::str::from_utf8(&blob.data[s..e]).unwrap_or(""))
            .collect();
        // A run of exactly a mnemonic's length is judged whole: a 24-word
        // phrase with a bad checksum must not yield a 12-word sub-phrase that
        // passes by chance (1 in 16). Longer runs (a word of the sentence
        // around the phrase is also a BIP-39 word) are searched.
        let exact = matches!(words.len(), 12 | 15 | 18 | 21 | 24);
        let mut i = 0;
        while i + 12 <= words.len() {
            let mut found = None;
            for len in [24, 21, 18, 15, 12] {
                if exact && (i != 0 || len != words.len()) {
                    continue;
                }
                if i + len <= words.len() && checks::bip39_valid(&words[i..i + len]) {
                    found = Some(len);
                    break;
                }
            }
            if exact && found.is_none() {
                return;
            }
            let Some(len) = found else {
                i += 1;
                continue;
            };
            // A sorted run is a word list (like BIP-39's own), not a seed:
            // a random phrase is sorted with probability 1/12!.
            if words[i..i + len].windows(2).all(|w| w[0] <= w[1]) {
                i += len;
                continue;
            }
            let start = run[i].0;
            let end = run[i + len - 1].1;
            let value = words[i..i + len].join(" ");
            let line_no = blob.line_of(start);
            let (ls, _) = blob.line_range(line_no);
            let prefix = syntax::normalize(&blob.data[ls..start]);
            let prev = line_no
                .checked_sub(1)
                .map(|l| {
                    let (a, b) = blob.line_range(l);
                    syntax::normalize(&blob.data[a..b])
                })
                .unwrap_or_default();
            let named = ["mnemonic", "seed", "phrase", "words", "recovery", "secret"]
                .iter()
                .any(|w| prefix.contains(w) || prev.contains(w));
            // A venue that uses mnemonics (dYdX) owns it when named nearby.
            let mut rule = None;
            for (v, strength) in self.venues_for(blob, line_no, self.venue_in(&prefix)) {
                if strength >= Strength::Path
                    && let Some(rs) = self.venues[v as usize].by_part.get(&Part::Mnemonic)
                {
                    rule = rs.first().map(|&r| (r, strength));
                    break;
                }
            }
            let (ri, conf) = match rule {
                Some((r, s)) => (
                    r,
                    if s >= Strength::Line {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    },
                ),
                None => match self
                    .free_rules
                    .iter()
                    .find(|&&r| self.rules.rules[r].spec.detector == Detector::Mnemonic)
                {
                    Some(&r) => (
                        r,
                        if named {
                            Confidence::High
                        } else {
                            Confidence::Medium
                        },
                    ),
                    None => return,
                },
            };
            out.push(self.hit(ri, &value, start, end, conf));
            i += len;
        }
    }
}

/// A value as it stands in a JSON string reads `\/` for `/`.
fn unescape_slashes(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.contains("\\/") {
        std::borrow::Cow::Owned(raw.replace("\\/", "/"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// Source files of programming languages (where an unquoted word is code).
fn is_code_path(path: &str) -> bool {
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
fn reference_around(line: &[u8], s: usize, e: usize, code: bool) -> bool {
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
fn string_extent(line: &[u8], s: usize, e: usize) -> (usize, usize) {
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

/// Finds the end of the PEM block starting at `start` (`-----BEGIN`),
/// accepting real or escaped (`\n`) newlines; returns (end, label).
fn pem_block(data: &[u8], start: usize) -> Option<(usize, String)> {
    let head = &data[start..(start + 100).min(data.len())];
    let rest = head.get(11..)?;
    let label_end = memchr::memmem::find(rest, b"-----")?;
    let label = std::str::from_utf8(&rest[..label_end])
        .ok()?
        .trim()
        .to_ascii_uppercase();
    let end_marker = format!("-----END {label}-----");
    let window = &data[start..(start + 16 * 1024).min(data.len())];
    let p = memchr::memmem::find(window, end_marker.as_bytes())?;
    Some((start + p + end_marker.len(), label))
}

fn pem_body(pem: &str) -> String {
    pem.lines()
        .flat_map(|l| l.split("\\n"))
        .filter(|l| !l.starts_with("-----") && !l.contains("-----"))
        .collect()
}
