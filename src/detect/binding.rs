//! Name binding: what a value token is assigned to (a name, a call and
//! argument position, an attribute of a neighbouring line, an SQL column),
//! resolved to the part it holds and the venue its name or callee names.

use super::syntax::{self, Binding};
use super::{
    context::{Subject, bare_value},
    engine::Engine,
    lexicon::{self, NAME_FIRST_CALLS, SIGNING_CALLS, WALLET_CALLS, excluded_name, part_from_name},
};
use crate::rules::Part;
use memchr;

/// A binding with absolute offsets into the blob.
pub(super) enum Abs {
    Named(usize, usize),
    Positional(usize, usize, usize),
    Indirect(String),
    None,
}

/// What a value is bound to, resolved.
#[derive(Default)]
pub(super) struct Bound {
    pub(super) part: Part,
    /// The venue named by the value's own name or callee.
    pub(super) name_venue: Option<u16>,
    /// The normalized last segment of the name (for name-bound rules).
    pub(super) seg: String,
    /// Venues whose SDK call this is.
    pub(super) call_venues: Vec<u16>,
    /// The part came from a venue rule's extra name: only these venues.
    pub(super) only_venues: Option<Vec<u16>>,
    /// Bound by a call that takes nothing but a key (`privateKeyToAccount`).
    pub(super) strong: bool,
    /// The last segment of a URL path: the venue must be on the line.
    pub(super) url: bool,
}

/// The name of a `value:` / `default =` from its neighbourhood: the `key=`
/// attribute on its line (`<add key="X" value="…"/>`, `{"key":"X","value":"…"}`),
/// or `name: X` / `variable "X"` on one of the four lines above.
pub(super) fn indirect_name(blob: &Subject, name_start: usize) -> Option<String> {
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

pub(super) fn name_attribute(text: &[u8]) -> Option<String> {
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
pub(super) fn sql_column(data: &[u8], values_at: usize, index: usize) -> Option<String> {
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

/// The name of the value on line `line_no` of a file of bare values: the
/// file name says the part (`.secret`, `api_secret.txt`) or, for a key file
/// (`binance.key`, `keys.txt`, `kraken.key`), the line's place does: key,
/// secret (and passphrase, three lines), key, secret…. A `.secret` that names
/// no venue is the wallet key Hardhat and Truffle configs read from it.
pub(super) fn bare_name(blob: &Subject, name: &str, line_no: usize) -> Option<String> {
    let blank = |l: usize| {
        let (a, b) = blob.line_range(l);
        blob.data[a..b].iter().all(|c| c.is_ascii_whitespace())
    };
    let k = (0..line_no).filter(|&l| !blank(l)).count();
    let n = (0..blob.lines.len()).filter(|&l| !blank(l)).count();
    let ordinal = ordinal(k, n);
    let word = match lexicon::part_words(name) {
        Some(Part::Key) => ordinal,
        None if blob.path_venue.is_some() || name.contains("cred") => ordinal,
        Some(Part::Secret) if blob.path_venue.is_none() && blob.file_venues.is_empty() => {
            "privatekey"
        }
        Some(p) => p.as_str(),
        None => return None,
    };
    Some(format!("{name}_{word}"))
}

/// The part the `k`-th of `n` bare values holds: key, secret (and
/// passphrase, when there are three), key, secret….
fn ordinal(k: usize, n: usize) -> &'static str {
    if n == 3 {
        ["key", "secret", "passphrase"][k.min(2)]
    } else if k.is_multiple_of(2) {
        "key"
    } else {
        "secret"
    }
}

/// The function whose body returns the value at `line[s..]`: its name names
/// the value (`def api_key():` over `return '…'`, `getSecret() { return
/// "…"; }`). Absolute offsets of the function's name.
fn returning_function(
    blob: &Subject,
    line_no: usize,
    line: &[u8],
    s: usize,
) -> Option<(usize, usize)> {
    let mut e = s;
    while e > 0 && (line[e - 1].is_ascii_whitespace() || matches!(line[e - 1], b'"' | b'\'' | b'`'))
    {
        e -= 1;
    }
    // `b'…'`, `r"…"`: a string prefix.
    if e > 0 && e < s && matches!(line[e - 1], b'b' | b'r' | b'u' | b'B' | b'R') {
        e -= 1;
    }
    let before = line[..e].trim_ascii_end();
    let r = before.strip_suffix(b"return")?;
    if r.last()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        return None;
    }
    // The function's head: on the return's line or one of the three above.
    let ls = blob.lines[line_no];
    let ws = blob.lines[line_no.saturating_sub(3)];
    let window = &blob.data[ws..ls + r.len()];
    let mut at = window.len();
    while let Some(open) = memchr::memrchr(b'(', &window[..at]) {
        at = open;
        let close = open + memchr::memchr(b')', &window[open..])?;
        let rest = &window[close + 1..];
        let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let head = rest.trim_ascii_start();
        if !(head.starts_with(b":") || head.starts_with(b"{") || head.starts_with(b"->")) {
            continue;
        }
        let z = open;
        let a = window[..z]
            .iter()
            .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            .map_or(0, |p| p + 1);
        let name = &window[a..z];
        if name.is_empty()
            || matches!(
                name,
                b"if" | b"for" | b"while" | b"switch" | b"catch" | b"elif" | b"with" | b"return"
            )
        {
            continue;
        }
        return Some((ws + a, ws + z));
    }
    None
}

/// Words that stand between a name and its value in prose (`my api key is
/// X`) without naming anything.
const PROSE_FILLERS: &[&str] = &[
    "is", "are", "was", "my", "our", "your", "the", "a", "an", "and", "here", "its", "it", "this",
    "that", "new", "with", "of", "for", "=",
];

/// The name prose gives the value at `line[s..]`: the words before it, back
/// to the previous value or a sentence break, without fillers, when the
/// word nearest the value says a part (`API <v>`, `my kucoin api key is
/// `<v>` and secret `<v>``). `API` alone is a key.
fn prose_name(line: &[u8], s: usize) -> Option<String> {
    let floor = s.saturating_sub(80);
    let mut words: Vec<&[u8]> = Vec::new();
    let mut i = s;
    while i > floor && words.len() < 8 {
        let c = line[i - 1];
        if c.is_ascii_whitespace() || matches!(c, b'`' | b'"' | b'\'' | b':' | b'*' | b'=') {
            i -= 1;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
            break;
        }
        let z = i;
        while i > floor
            && (line[i - 1].is_ascii_alphanumeric() || matches!(line[i - 1], b'_' | b'-'))
        {
            i -= 1;
        }
        let w = &line[i..z];
        // The previous value ends the name.
        if w.len() >= 16 {
            break;
        }
        words.push(w);
    }
    let kept: Vec<String> = words
        .iter()
        .map(|w| String::from_utf8_lossy(w).to_ascii_lowercase())
        .filter(|w| !PROSE_FILLERS.contains(&w.as_str()))
        .take(3)
        .collect();
    let nearest = kept.first()?;
    if nearest == "api" {
        return Some(
            kept.iter()
                .rev()
                .cloned()
                .chain(["key".to_string()])
                .collect::<Vec<_>>()
                .join("_"),
        );
    }
    lexicon::part_words(&syntax::normalize(nearest.as_bytes()))?;
    Some(kept.iter().rev().cloned().collect::<Vec<_>>().join("_"))
}

impl Engine {
    /// A value alone on its line in a notes or README section whose heading
    /// names a venue (`## Binance` over two bare lines): named by its place
    /// in the section's run of values, as a key file's lines are.
    fn section_name(&self, blob: &Subject, line_no: usize) -> Option<String> {
        let text = |l: usize| {
            let (a, b) = blob.line_range(l);
            blob.data[a..b].trim_ascii()
        };
        let bare = |l: usize| bare_value(text(l)).is_some();
        let mut l = line_no;
        let mut k = 0;
        let heading = loop {
            l = l.checked_sub(1)?;
            if text(l).is_empty() {
                continue;
            }
            if bare(l) {
                k += 1;
                if k >= 6 {
                    return None;
                }
                continue;
            }
            break text(l);
        };
        let short = heading.len() <= 80
            && (heading.starts_with(b"#")
                || heading.ends_with(b":")
                || heading.starts_with(b"**")
                || heading.split(|c| c.is_ascii_whitespace()).count() <= 4);
        if !short {
            return None;
        }
        let venue = match self.path_venue(&String::from_utf8_lossy(heading)) {
            Some(v) => self.venue_id(v).to_string(),
            None => super::context::exchange_in(heading)?.to_ascii_lowercase(),
        };
        let mut n = k + 1;
        let mut m = line_no + 1;
        while m < blob.lines.len() && n <= 6 {
            if bare(m) {
                n += 1;
            } else if !text(m).is_empty() {
                break;
            }
            m += 1;
        }
        (n <= 6).then(|| format!("{venue}_{}", ordinal(k, n)))
    }

    /// What the value at `line[s..]` is bound to: its part and the venue its
    /// name or call names.
    pub(super) fn bind(
        &self,
        blob: &Subject,
        line_no: usize,
        line: &[u8],
        s: usize,
        tok: &str,
    ) -> Option<Bound> {
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
                .rposition(|c| !(c.is_ascii_whitespace() || matches!(c, b'"' | b'\'')))
                .filter(|&p| matches!(window[p], b':' | b'=') && p > 0)
                && let Some(z) = window[..p]
                    .iter()
                    .rposition(|c| !(c.is_ascii_whitespace() || matches!(c, b'"' | b'\'')))
                    .map(|z| z + 1)
                && let Some(a) = window[..z]
                    .iter()
                    .rposition(|c| {
                        !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$'))
                    })
                    .map(|a| a + 1)
                    .or(Some(0))
                    .filter(|&a| a < z)
            {
                // `'X-API-Key':` or `const apiKey =` with the value on the
                // next line.
                b = Abs::Named(ws + a, ws + z);
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
        // The first path segment after a host (`…quiknode.pro/<token>/`):
        // the token starts at the host's last label; the host must then be
        // the venue's (see classify).
        if matches!(b, Abs::None)
            && s > 0
            && line[s - 1] == b'.'
            && let Some((tld, rest)) = tok.split_once('/')
            && (2..=12).contains(&tld.len())
            && tld.bytes().all(|c| c.is_ascii_lowercase())
            && !rest.trim_end_matches('/').contains('/')
            && !rest.trim_end_matches('/').is_empty()
        {
            return Some(Bound {
                part: Part::Key,
                url: true,
                ..Bound::default()
            });
        }
        if matches!(b, Abs::None)
            && let Some(name) = &blob.bare_file
            && bare_value(line).is_some_and(|(vs, _)| vs == s)
        {
            b = Abs::Indirect(bare_name(blob, name, line_no)?);
        }
        if matches!(b, Abs::None)
            && let Some((a, z)) = returning_function(blob, line_no, line, s)
        {
            b = Abs::Named(a, z);
        }
        if matches!(b, Abs::None) && blob.prose {
            if bare_value(line).is_some_and(|(vs, _)| vs == s) {
                if let Some(n) = self.section_name(blob, line_no) {
                    b = Abs::Indirect(n);
                }
            } else if let Some(n) = prose_name(line, s) {
                b = Abs::Indirect(n);
            }
        }
        self.bound(blob, b, tok, 0)
    }

    pub(super) fn bound(&self, blob: &Subject, b: Abs, tok: &str, depth: u8) -> Option<Bound> {
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
                let seg = two_word_name(data, a, syntax::name_segment(name));
                if matches!(
                    seg.as_str(),
                    "value" | "default" | "val" | "defaultvalue" | "secretvalue"
                ) && let Some(n) = indirect_name(blob, a)
                {
                    return self.bound(blob, Abs::Indirect(n), tok, depth);
                }
                // Venues that call the key the public half (`"public":`
                // over `"private":`, `publicKey` beside `privateKey`): a key
                // of a venue the file names, in that venue's shape only.
                if matches!(
                    seg.as_str(),
                    "public" | "publickey" | "apipublic" | "apipublickey" | "publicapikey"
                ) && !blob.file_venues.is_empty()
                    && private_beside(blob, a)
                {
                    out.part = Part::Key;
                    out.only_venues = Some(blob.file_venues.clone());
                    out.name_venue = blob.venue_within(a, z);
                    out.seg = seg;
                    return Some(out);
                }
                self.part_for(&seg, &mut out)?;
                // A bare `key =` under a comment that says what it is
                // (`# Sender's private key`).
                if seg == "key" && comment_above_says_private_key(blob, a) {
                    out.part = Part::PrivateKey;
                    out.strong = true;
                }
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
                // A venue's constructor (`Kucoin(k, s, p)`, `ccxt.okx(…)`,
                // `TradingClient(…)`), not a method called on it
                // (`gdax.get_account(id)`, `log_exchange_response(…)`).
                if seg.contains("client")
                    || seg.ends_with("exchange")
                    || seg.contains("credential")
                    || seg.contains("auth")
                    || (named.is_some() && self.venue_in(&seg).is_some())
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
                let tok = tok.strip_suffix('/').unwrap_or(tok);
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
    pub(super) fn part_for(&self, seg: &str, out: &mut Bound) -> Option<()> {
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
}

/// A bare `key`/`secret`/`phrase` name that is the second of two words
/// (`private key: …`, `Secret Key = …`, `seed phrase: …`) takes the first.
fn two_word_name(data: &[u8], name_start: usize, seg: String) -> String {
    if !matches!(seg.as_str(), "key" | "secret" | "phrase") {
        return seg;
    }
    let mut i = name_start;
    while i > 0 && data[i - 1] == b' ' && name_start - i < 2 {
        i -= 1;
    }
    if i == name_start {
        return seg;
    }
    let z = i;
    while i > 0 && z - i < 12 && data[i - 1].is_ascii_alphabetic() {
        i -= 1;
    }
    let first = data[i..z].to_ascii_lowercase();
    let standalone = i == 0 || !data[i - 1].is_ascii_alphanumeric();
    if standalone
        && matches!(
            &first[..],
            b"private" | b"secret" | b"api" | b"seed" | b"recovery" | b"access" | b"signing"
        )
    {
        String::from_utf8_lossy(&first).into_owned() + &seg
    } else {
        seg
    }
}

/// Does a value named private or secret stand on the line above or below
/// the name at `at`?
fn private_beside(blob: &Subject, at: usize) -> bool {
    let l = blob.line_of(at);
    [l.checked_sub(1), Some(l + 1)]
        .into_iter()
        .flatten()
        .filter(|&n| n < blob.lines.len())
        .any(|n| {
            let (a, b) = blob.line_range(n);
            let t = &blob.data[a..b.min(a + 256)];
            let name_end = t.iter().position(|c| matches!(c, b'=' | b':')).unwrap_or(0);
            let name = syntax::normalize(syntax::last_segment(t[..name_end].trim_ascii()));
            name_end > 0 && (name.contains("private") || name.contains("secret")) && {
                let rest = name.replace("private", "");
                rest.is_empty() || !excluded_name(&rest)
            }
        })
}

/// Is the line above offset `at` a comment that names a private key?
fn comment_above_says_private_key(blob: &Subject, at: usize) -> bool {
    let l = blob.line_of(at);
    if l == 0 {
        return false;
    }
    let (a, b) = blob.line_range(l - 1);
    let t = blob.data[a..b].trim_ascii();
    super::context::comment_line(t)
        && t.len() <= 120
        && memchr::memmem::find(&t.to_ascii_lowercase(), b"private key").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_key_and_name_attributes() {
        assert_eq!(
            name_attribute(br#"<add key="BINANCE_SECRET" value=""#),
            Some("BINANCE_SECRET".into())
        );
        assert_eq!(
            name_attribute(br#"{"name": "okx.passphrase", "value": "#),
            Some("okx.passphrase".into())
        );
        assert_eq!(
            name_attribute(b"variable \"kraken_key\" {"),
            Some("kraken_key".into())
        );
        // `monkey=` is not `key=`.
        assert_eq!(name_attribute(b"monkey=x"), None);
        assert_eq!(name_attribute(b"no names here"), None);
    }

    #[test]
    fn sql_values_take_their_column_names() {
        let sql = b"INSERT INTO creds (exchange, api_key, api_secret) VALUES ('okx', 'k', 's')";
        let at = memchr::memmem::find(sql, b"VALUES").unwrap();
        assert_eq!(sql_column(sql, at, 1), Some("api_key".into()));
        assert_eq!(sql_column(sql, at, 2), Some("api_secret".into()));
        assert_eq!(sql_column(sql, at, 3), None);
        let not_sql = b"call(a) x VALUES";
        let at = memchr::memmem::find(not_sql, b"VALUES").unwrap();
        assert_eq!(sql_column(not_sql, at, 0), None);
    }
}
