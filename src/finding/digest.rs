//! Secrets named by digest: what a shard's report carries instead of a
//! value, so that a merge can tell values apart and keep them out of the
//! commit messages it shows, without ever holding one.

/// Leads a secret's stand-in in a report read back.
pub const DIGESTED: char = '\u{1}';
/// Lines of a multi-line secret shorter than this are not named by digest:
/// a short piece could be guessed from its digest.
const MIN_PIECE: usize = 16;

fn form_digest(form: &str) -> String {
    let h = crate::codec::sha256_hex(format!("tradesecrets:v1:form\0{form}").as_bytes());
    h[..32].to_string()
}

/// The stand-in for `secret` a shard's report carries: digests of the
/// forms `redact_in` looks for in a text (the value, its JSON-escaped
/// form, the lines of a multi-line value, a seed phrase's words in order),
/// each with its length. Never the value, never a short piece of it.
pub fn digested(secret: &str) -> String {
    if secret.starts_with(DIGESTED) {
        return secret.to_string();
    }
    let mut forms = vec![format!("f{}:{}", secret.len(), form_digest(secret))];
    let escaped = secret.replace('/', "\\/");
    if escaped != secret {
        forms.push(format!("e{}:{}", escaped.len(), form_digest(&escaped)));
    }
    if secret.contains('\n') || secret.contains("\\n") {
        for piece in secret.split(['\n']).flat_map(|l| l.split("\\n")) {
            let piece = piece.trim();
            if piece.len() >= MIN_PIECE {
                forms.push(format!("p{}:{}", piece.len(), form_digest(piece)));
            }
        }
    }
    if secret.contains(' ') && secret.bytes().all(|b| b == b' ' || b.is_ascii_lowercase()) {
        let words: Vec<&str> = secret.split(' ').filter(|w| !w.is_empty()).collect();
        forms.push(format!(
            "w{}:{}",
            words.len(),
            form_digest(&words.join(" "))
        ));
    }
    format!("{DIGESTED}{}", forms.join(";"))
}

/// `redact_in` for a stand-in made by [`digested`]: every stretch of
/// `text` whose digest is one of the secret's forms is replaced.
pub fn redact_digested(text: &str, stand_in: &str, redacted: &str) -> String {
    let forms: Vec<(u8, usize, &str)> = stand_in
        .trim_start_matches(DIGESTED)
        .split(';')
        .filter_map(|f| {
            let kind = *f.as_bytes().first()?;
            let (n, d) = f[1..].split_once(':')?;
            Some((kind, n.parse().ok()?, d))
        })
        .collect();
    for kind in [b'f', b'e'] {
        for &(_, len, d) in forms.iter().filter(|f| f.0 == kind) {
            if let Some(out) = replace_stretches(text, len, d, redacted) {
                return out;
            }
        }
    }
    let mut out = text.to_string();
    for &(_, len, d) in forms.iter().filter(|f| f.0 == b'p') {
        if let Some(r) = replace_stretches(&out, len, d, redacted) {
            out = r;
        }
    }
    for &(_, n, d) in forms.iter().filter(|f| f.0 == b'w') {
        out = hide_phrase(&out, n, d);
    }
    out
}

/// `text` with each stretch of `len` bytes whose digest is `digest`
/// replaced by `with`; `None` when there is none.
fn replace_stretches(text: &str, len: usize, digest: &str, with: &str) -> Option<String> {
    if len == 0 || len > text.len() {
        return None;
    }
    let mut out = String::new();
    let (mut last, mut i, mut any) = (0, 0, false);
    while i + len <= text.len() {
        if text.is_char_boundary(i)
            && text.is_char_boundary(i + len)
            && form_digest(&text[i..i + len]) == digest
        {
            out.push_str(&text[last..i]);
            out.push_str(with);
            i += len;
            last = i;
            any = true;
        } else {
            i += 1;
        }
    }
    any.then(|| {
        out.push_str(&text[last..]);
        out
    })
}

/// `text` with the words of a seed phrase (`n` lowercase words in order,
/// whatever stands between them) hidden word by word.
fn hide_phrase(text: &str, n: usize, digest: &str) -> String {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_lowercase() {
            let s = i;
            while i < b.len() && b[i].is_ascii_lowercase() {
                i += 1;
            }
            words.push((s, i));
        } else {
            i += 1;
        }
    }
    if n == 0 || words.len() < n {
        return text.to_string();
    }
    let mut hidden = vec![false; words.len()];
    for j in 0..=words.len() - n {
        let phrase: Vec<&str> = words[j..j + n].iter().map(|&(s, e)| &text[s..e]).collect();
        if form_digest(&phrase.join(" ")) == digest {
            hidden[j..j + n].iter_mut().for_each(|h| *h = true);
        }
    }
    let mut out = String::new();
    let mut last = 0;
    for (k, &(s, e)) in words.iter().enumerate() {
        if hidden[k] && e - s >= 3 {
            out.push_str(&text[last..s]);
            out.push_str("***");
            last = e;
        }
    }
    out.push_str(&text[last..]);
    out
}
