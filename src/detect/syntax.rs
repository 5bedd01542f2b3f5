//! Syntax around a value: where value tokens start and end, and which name
//! (or which call and argument position) a value is assigned to.
//!
//! This is deliberately a small, forgiving scanner rather than a parser per
//! language: the same handful of shapes — `name = value`, `"name": value`,
//! `name => value`, `<name>value</name>`, `?name=value&`, `Name: value`,
//! `--name value`, `call("a", "b")` — covers JSON, YAML, TOML, INI, .env,
//! shell, Python, JS/TS, Go, Rust, Java/Kotlin, C#, PHP, Ruby, XML, SQL,
//! Dockerfiles, URLs and HTTP headers, and it never fails on broken input.

/// Bytes that can be part of a credential value.
#[inline]
pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-')
}

/// Splits `line` into value tokens: maximal runs of token bytes, where `=`
/// only counts as trailing base64 padding (so `KEY=value` is two tokens).
pub fn tokens(line: &[u8], mut f: impl FnMut(usize, usize)) {
    let n = line.len();
    let mut i = 0;
    while i < n {
        if !is_token_byte(line[i]) || line[i] == b'=' {
            i += 1;
            continue;
        }
        let s = i;
        // `\/` is a JSON-escaped slash inside a value (`organizations\/…`).
        // A JWT (`eyJ….eyJ….sig`) is one token, dots and all.
        let jwt = line[s..].starts_with(b"eyJ");
        while i < n
            && (is_token_byte(line[i])
                || (line[i] == b'\\' && line.get(i + 1) == Some(&b'/'))
                || (jwt && line[i] == b'.' && line.get(i + 1).is_some_and(|&b| is_token_byte(b))))
        {
            if line[i] == b'=' {
                let mut j = i;
                while j < n && line[j] == b'=' {
                    j += 1;
                }
                if j < n && is_token_byte(line[j]) {
                    // `=` inside: an assignment, not padding.
                    break;
                }
                i = j;
                break;
            }
            i += 1;
        }
        if i > s {
            f(s, i);
        }
        if i == s {
            i += 1;
        }
    }
}

/// How a value is attached to its surroundings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// `name <sep> value`; the name's byte range within the line.
    Named { start: usize, end: usize },
    /// A positional argument of a call; the callee's byte range and index.
    Positional {
        start: usize,
        end: usize,
        index: usize,
    },
    /// Nothing recognisable.
    None,
}

#[inline]
fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`' | b'\\')
}

#[inline]
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'-' | b'.' | b'[' | b']' | b'"' | b'\'' | b'$' | b'@'
        )
}

const TYPE_WORDS: &[&[u8]] = &[
    b"str",
    b"String",
    b"string",
    b"&str",
    b"&'static",
    b"const",
    b"char",
    b"val",
    b"var",
    b"let",
    b"final",
    b"static",
    b"readonly",
    b"private",
    b"public",
];

/// How far back from a value the binding is looked for. Names, calls and
/// separators sit right before the value; bounding the walk keeps minified
/// files (one huge line, thousands of tokens) linear.
const LOOKBACK: usize = 256;

fn skip_back(line: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    let floor = i.saturating_sub(LOOKBACK);
    while i > floor && pred(line[i - 1]) {
        i -= 1;
    }
    i
}

fn read_name_back(line: &[u8], end: usize) -> (usize, usize) {
    let start = skip_back(line, end, is_name_byte);
    // Trim quotes/brackets at the ends: `"apiKey"` -> `apiKey`.
    let mut s = start;
    let mut e = end;
    while s < e && matches!(line[s], b'"' | b'\'' | b'[' | b'$' | b'@' | b'.' | b'-') {
        s += 1;
    }
    while e > s && matches!(line[e - 1], b'"' | b'\'' | b']' | b'.' | b'-') {
        e -= 1;
    }
    (s, e)
}

/// Finds what the value starting at `tok` in `line` is bound to.
pub fn binding(line: &[u8], tok: usize) -> Binding {
    let mut i = skip_back(line, tok, |b| matches!(b, b' ' | b'\t') || is_quote(b));
    // A value wrapped in braces inside its string (`"{…}"`, as GUIDs are
    // written): the braces belong to the string.
    if i >= 2 && i == tok && line[i - 1] == b'{' && is_quote(line[i - 2]) {
        i = skip_back(line, i - 1, |b| matches!(b, b' ' | b'\t') || is_quote(b));
    }
    // Python/Rust byte or raw string prefixes: b"..", r"..", f"..".
    if i > 0 && i < tok && matches!(line[i - 1], b'b' | b'r' | b'f' | b'u' | b'B' | b'R') {
        let j = i - 1;
        if j == 0 || !line[j - 1].is_ascii_alphanumeric() {
            i = skip_back(line, j, |b| matches!(b, b' ' | b'\t'));
        }
    }
    if i == 0 {
        return Binding::None;
    }
    match line[i - 1] {
        b'=' => {
            i -= 1;
            // `:=`, `+=`, `==`, `?=`, Ruby `||=`, `&&=`, PHP `.=`, Make `::=`/`:::=`.
            let mut k = 0;
            while k < 3
                && i > 0
                && matches!(
                    line[i - 1],
                    b':' | b'+' | b'!' | b'=' | b'?' | b'|' | b'&' | b'.'
                )
            {
                i -= 1;
                k += 1;
            }
        }
        b':' => {
            i -= 1;
            if i > 0 && line[i - 1] == b':' {
                return Binding::None;
            }
        }
        b'>' => {
            if i >= 2 && matches!(line[i - 2], b'=' | b'-') {
                i -= 2;
            } else {
                // XML: <name attr="..">value
                let gt = i - 1;
                let floor = gt.saturating_sub(LOOKBACK);
                let lt = match memchr::memrchr(b'<', &line[floor..gt]) {
                    Some(p) => floor + p,
                    None => return Binding::None,
                };
                let s = lt + 1;
                let e = s + line[s..gt]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'/')
                    .unwrap_or(gt - s);
                return if e > s {
                    Binding::Named { start: s, end: e }
                } else {
                    Binding::None
                };
            }
        }
        b'(' | b',' => return positional(line, i - 1),
        b'[' => {
            // An array element: `accounts: ["0x…"]`.
            let j = skip_back(line, i - 1, |b| matches!(b, b' ' | b'\t' | b'=' | b':'));
            return named_before(line, j);
        }
        b'|' | b'?' if i >= 2 && line[i - 2] == line[i - 1] => {
            // `process.env.X || "…"`, `env.X ?? "…"`: the default of X.
            let j = skip_back(line, i - 2, |b| {
                matches!(b, b' ' | b'\t' | b')') || is_quote(b)
            });
            return named_before(line, j);
        }
        _ => {
            let e = i;
            let s = skip_back(line, e, |b| {
                b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
            });
            // `--api-key value`, `-hmac value` (shell flags).
            if e > s && line[s] == b'-' {
                return named_before(line, e);
            }
            // `os.getenv("X") or "…"` (Python default).
            if &line[s..e] == b"or" {
                let j = skip_back(line, s, |b| matches!(b, b' ' | b'\t' | b')') || is_quote(b));
                return named_before(line, j);
            }
            let before = skip_back(line, s, |b| b == b' ' || b == b'\t');
            // Dockerfile `ENV NAME value`.
            if e > s
                && before >= 3
                && &line[before - 3..before] == b"ENV"
                && (before == 3 || line[before - 4] == b' ')
            {
                return Binding::Named { start: s, end: e };
            }
            // `X-Auth: BITSTAMP <key>`, `Authorization: Bearer <key>`: one
            // word between the separator and the value.
            if e > s
                && before > 0
                && before < s
                && matches!(line[before - 1], b':' | b'=')
                && line[s..e].iter().all(|b| b.is_ascii_alphabetic())
            {
                return binding(line, s);
            }
            return Binding::None;
        }
    }
    let i = skip_back(line, i, |b| matches!(b, b' ' | b'\t') || is_quote(b));
    let (mut s, mut e) = read_name_back(line, i);
    // `api_key: str = "…"`, `var apiKey string = "…"`: step over the type.
    if e > s && (TYPE_WORDS.contains(&&line[s..e]) || line[s..e].starts_with(b"Option<")) {
        let j = skip_back(line, s, |b| matches!(b, b' ' | b'\t' | b':' | b'&'));
        let (s2, e2) = read_name_back(line, j);
        if e2 > s2 {
            s = s2;
            e = e2;
        }
    }
    if e > s {
        Binding::Named { start: s, end: e }
    } else {
        Binding::None
    }
}

fn named_before(line: &[u8], end: usize) -> Binding {
    let (s, e) = read_name_back(line, end);
    if e > s {
        Binding::Named { start: s, end: e }
    } else {
        Binding::None
    }
}

/// The first argument of the call whose callee ends at `callee_end`, when
/// it is a string literal or bare identifier: `define('NAME', …)` -> NAME.
pub fn first_argument(line: &[u8], callee_end: usize) -> Option<&[u8]> {
    let open = callee_end + line[callee_end..].iter().position(|&b| b == b'(')?;
    let mut s = open + 1;
    while s < line.len() && (line[s] == b' ' || is_quote(line[s])) {
        s += 1;
    }
    let e = s + line[s..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .unwrap_or(line.len() - s);
    (e > s).then(|| &line[s..e])
}

/// The binding of an argument whose separator (`(` or `,`) is at `sep`.
pub fn positional_at(buf: &[u8], sep: usize) -> Binding {
    positional(buf, sep)
}

/// The value is an argument: find the opening `(` and count commas.
fn positional(line: &[u8], sep: usize) -> Binding {
    let mut depth = 0usize;
    let mut index = 0usize;
    let mut in_str: Option<u8> = None;
    let mut j = sep + 1;
    let floor = sep.saturating_sub(LOOKBACK);
    while j > floor {
        j -= 1;
        let b = line[j];
        if let Some(q) = in_str {
            if b == q {
                in_str = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' | b'`' if j != sep => in_str = Some(b),
            b')' | b']' | b'}' => depth += 1,
            b'(' | b'[' | b'{' => {
                if depth == 0 {
                    if b == b'[' {
                        let k = skip_back(line, j, |b| matches!(b, b' ' | b'\t' | b'=' | b':'));
                        return named_before(line, k);
                    }
                    if b != b'(' {
                        return Binding::None;
                    }
                    let e = skip_back(line, j, |b| b.is_ascii_whitespace());
                    let s = skip_back(line, e, |b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':')
                    });
                    // An empty callee (`(…)` alone) is reported too: it may
                    // be a row of an SQL `VALUES` list.
                    return Binding::Positional {
                        start: s,
                        end: e,
                        index,
                    };
                }
                depth -= 1;
            }
            b',' if depth == 0 => index += 1,
            _ => {}
        }
    }
    Binding::None
}

/// The normalized part of a name that says what it holds: its last
/// segment, or the last two when the last is a bare generic word
/// (`hyperliquid.private.key` -> `privatekey`, `cdp.api.key.id` -> `keyid`).
pub fn name_segment(name: &[u8]) -> String {
    let last = last_segment(name);
    let norm = normalize(last);
    if norm.len() > 6 {
        return norm;
    }
    let before = &name[..name.len() - last.len()];
    let before = before.strip_suffix(b".").unwrap_or(before);
    if before.len() == name.len() || before.is_empty() {
        return norm;
    }
    let prev = normalize(last_segment(before));
    if prev.is_empty() { norm } else { prev + &norm }
}

/// Lowercase alphanumerics only: `X-MBX-APIKEY` -> `xmbxapikey`.
pub fn normalize(name: &[u8]) -> String {
    name.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// The last segment of a dotted/bracketed name: `cfg["okx"]["apiKey"]` -> `apiKey`.
pub fn last_segment(name: &[u8]) -> &[u8] {
    let mut e = name.len();
    while e > 0 && matches!(name[e - 1], b'"' | b'\'' | b']') {
        e -= 1;
    }
    let s = name[..e]
        .iter()
        .rposition(|b| matches!(b, b'.' | b'[' | b'"' | b'\'' | b':'))
        .map(|p| p + 1)
        .unwrap_or(0);
    &name[s..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        tokens(s.as_bytes(), |a, b| v.push(&s[a..b]));
        v
    }

    fn name_of(line: &str, value: &str) -> String {
        let p = line.find(value).unwrap();
        match binding(line.as_bytes(), p) {
            Binding::Named { start, end } => line[start..end].to_string(),
            Binding::Positional { start, end, index } => format!("{}#{index}", &line[start..end]),
            Binding::None => "-".into(),
        }
    }

    #[test]
    fn tokenizer_splits_assignments_keeps_padding() {
        assert_eq!(toks("KEY=abc== x"), vec!["KEY", "abc==", "x"]);
        assert_eq!(toks("a=b&c=d"), vec!["a", "b", "c", "d"]);
        assert_eq!(toks("\"k\": \"v+/9==\","), vec!["k", "v+/9=="]);
    }

    #[test]
    fn bindings_in_many_syntaxes() {
        assert_eq!(name_of("BINANCE_API_KEY=VAL", "VAL"), "BINANCE_API_KEY");
        assert_eq!(name_of("export OKX_SECRET=\"VAL\"", "VAL"), "OKX_SECRET");
        assert_eq!(name_of("  \"apiKey\": \"VAL\",", "VAL"), "apiKey");
        assert_eq!(name_of("api_secret: VAL", "VAL"), "api_secret");
        assert_eq!(name_of("'secret' => 'VAL',", "VAL"), "secret");
        assert_eq!(name_of("<apiKey>VAL</apiKey>", "VAL"), "apiKey");
        assert_eq!(name_of("GET /x?apiKey=VAL&sig=1", "VAL"), "apiKey");
        assert_eq!(
            name_of("curl -H \"X-MBX-APIKEY: VAL\"", "VAL"),
            "X-MBX-APIKEY"
        );
        assert_eq!(
            name_of("cfg[\"okx\"][\"secret\"] = \"VAL\"", "VAL"),
            "cfg[\"okx\"][\"secret"
        );
        assert_eq!(name_of("api_key: str = \"VAL\"", "VAL"), "api_key");
        assert_eq!(name_of("const API_KEY: &str = \"VAL\";", "VAL"), "API_KEY");
        assert_eq!(name_of("var apiKey string = \"VAL\"", "VAL"), "apiKey");
        assert_eq!(name_of("apiKey := \"VAL\"", "VAL"), "apiKey");
        assert_eq!(
            name_of("client = Client(\"AAA\", \"VAL\")", "VAL"),
            "Client#1"
        );
        assert_eq!(name_of("Client(\"VAL\", x)", "VAL"), "Client#0");
        assert_eq!(name_of("f(g(1, 2), \"VAL\")", "VAL"), "f#1");
        assert_eq!(name_of("--api-secret VAL", "VAL"), "api-secret");
        assert_eq!(name_of("\"secret = \\\"VAL\\\"\\n\",", "VAL"), "secret");
        assert_eq!(name_of("just VAL", "VAL"), "-");
    }

    #[test]
    fn segments() {
        assert_eq!(last_segment(b"cfg[\"okx\"][\"apiKey\"]"), b"apiKey");
        assert_eq!(last_segment(b"self.api_key"), b"api_key");
        assert_eq!(normalize(b"X-MBX-APIKEY"), "xmbxapikey");
    }
}
