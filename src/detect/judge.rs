//! Is this value a live secret? Rejects placeholders, references and values
//! that are not random for their alphabet.
//!
//! Shannon entropy alone rates `ThisIsAReallyLongString` above many real
//! keys, so instead we ask, like ripsecrets, "how likely is a truly random
//! string of this alphabet to look like this?" Each test computes the tail
//! probability of one statistic under the uniform model (number of distinct
//! characters, size of each character class, repeated or sequential
//! neighbours, English bigrams) and rejects when it is below `P_REJECT`. A
//! real key fails a single test with probability below `P_REJECT`, so the
//! tests cost almost no recall while rejecting words, patterns and filler.

use crate::rules::Alphabet;

/// Tail probability below which a statistic says "not random".
const P_REJECT: f64 = 1e-5;

/// Classifies the alphabet of `v` when the rule leaves it to us.
pub fn detect_alphabet(v: &str) -> Alphabet {
    let b = v.as_bytes();
    if b.iter()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
    {
        Alphabet::HexLower
    } else if b
        .iter()
        .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c))
    {
        Alphabet::HexUpper
    } else if b
        .iter()
        .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
    {
        Alphabet::Upper
    } else if b
        .iter()
        .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
    {
        Alphabet::Lower
    } else if b.iter().all(|c| c.is_ascii_alphanumeric()) {
        Alphabet::Alnum
    } else if b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
    {
        Alphabet::Base64url
    } else {
        Alphabet::Base64
    }
}

/// Character classes of an alphabet with their probabilities.
type ClassList = Vec<(fn(u8) -> bool, f64)>;

fn classes(alpha: Alphabet) -> (f64, ClassList) {
    fn digit(c: u8) -> bool {
        c.is_ascii_digit()
    }
    fn upper(c: u8) -> bool {
        c.is_ascii_uppercase()
    }
    fn lower(c: u8) -> bool {
        c.is_ascii_lowercase()
    }
    fn letter(c: u8) -> bool {
        c.is_ascii_alphabetic()
    }
    match alpha {
        Alphabet::HexLower | Alphabet::HexUpper | Alphabet::Hex | Alphabet::Uuid => {
            (16.0, vec![(digit, 10.0 / 16.0), (letter, 6.0 / 16.0)])
        }
        Alphabet::Alnum => (
            62.0,
            vec![
                (digit, 10.0 / 62.0),
                (upper, 26.0 / 62.0),
                (lower, 26.0 / 62.0),
            ],
        ),
        Alphabet::Upper => (36.0, vec![(digit, 10.0 / 36.0), (letter, 26.0 / 36.0)]),
        Alphabet::Lower => (36.0, vec![(digit, 10.0 / 36.0), (letter, 26.0 / 36.0)]),
        Alphabet::Base58 => (
            58.0,
            vec![
                (digit, 9.0 / 58.0),
                (upper, 24.0 / 58.0),
                (lower, 25.0 / 58.0),
            ],
        ),
        Alphabet::Base64 | Alphabet::Base64url => (
            64.0,
            vec![
                (digit, 10.0 / 64.0),
                (upper, 26.0 / 64.0),
                (lower, 26.0 / 64.0),
            ],
        ),
        Alphabet::Auto | Alphabet::None => (62.0, vec![]),
    }
}

/// P(X <= k) and P(X >= k) for X ~ Binomial(n, p).
fn binomial_tails(n: usize, k: usize, p: f64) -> (f64, f64) {
    let q = 1.0 - p;
    let mut pmf = q.powi(n as i32);
    let mut cdf_le = 0.0;
    let mut total_ge = 0.0;
    for i in 0..=n {
        if i <= k {
            cdf_le += pmf;
        }
        if i >= k {
            total_ge += pmf;
        }
        if i < n {
            pmf *= (n - i) as f64 / (i + 1) as f64 * p / q;
        }
    }
    (cdf_le.min(1.0), total_ge.min(1.0))
}

/// Common English letter pairs: identifiers and words are full of them.
const BIGRAMS: [&[u8; 2]; 40] = [
    b"th", b"he", b"in", b"er", b"an", b"re", b"on", b"at", b"en", b"nd", b"ti", b"es", b"or",
    b"te", b"of", b"ed", b"is", b"it", b"al", b"ar", b"st", b"to", b"nt", b"ng", b"se", b"ha",
    b"ou", b"io", b"le", b"ve", b"co", b"me", b"de", b"hi", b"ri", b"ro", b"ic", b"ne", b"ea",
    b"ra",
];

/// A short value of words or numbers joined by `-` / `_` (`8-10-8-5`,
/// `X-filled`, `my_key`): prose and ranges, not a random string.
fn separated_words(v: &str) -> bool {
    let chunks: Vec<&str> = v.split(['-', '_']).filter(|c| !c.is_empty()).collect();
    chunks.len() >= 2
        && chunks.iter().all(|c| {
            let rest = &c.as_bytes()[1..];
            c.bytes().all(|b| b.is_ascii_digit())
                || rest.iter().all(|b| b.is_ascii_lowercase())
                || c.bytes().all(|b| b.is_ascii_uppercase())
        })
}

/// Does `v` look like a uniformly random string of `alpha`?
pub fn is_random(v: &str, alpha: Alphabet) -> bool {
    let alpha = match alpha {
        Alphabet::None => return true,
        Alphabet::Auto => detect_alphabet(v),
        Alphabet::Uuid => {
            let h: String = v.chars().filter(|c| *c != '-').collect();
            return is_random(&h, Alphabet::Hex);
        }
        a => a,
    };
    let b: Vec<u8> = v.bytes().filter(|c| *c != b'=').collect();
    let n = b.len();
    if n < 8 {
        return true;
    }
    if n < 16 && separated_words(v) {
        return false;
    }
    let (k, class_list) = classes(alpha);

    // 1. Distinct characters: m of the k characters missing has probability
    //    at most C(k, m) * ((k - m) / k)^n (union bound).
    let mut seen = [false; 256];
    let mut distinct = 0usize;
    for &c in &b {
        if !seen[c as usize] {
            seen[c as usize] = true;
            distinct += 1;
        }
    }
    let nf = n as f64;
    let missing = (k as usize).saturating_sub(distinct);
    if missing > 0 {
        let mut ln_choose = 0.0;
        for i in 0..missing {
            ln_choose += ((k as usize - i) as f64).ln() - ((i + 1) as f64).ln();
        }
        let ln_p = ln_choose + nf * ((k - missing as f64) / k).ln();
        if ln_p < P_REJECT.ln() {
            return false;
        }
    }

    // 2. Class balance (digits vs letters, upper vs lower).
    for (is_class, p) in &class_list {
        let count = b.iter().filter(|c| is_class(**c)).count();
        let (le, ge) = binomial_tails(n, count, *p);
        if le < P_REJECT || ge < P_REJECT {
            return false;
        }
    }

    // 3. Repeated or sequential neighbours (aaaa, abcd, 1234).
    let runs = b
        .windows(2)
        .filter(|w| w[0] == w[1] || w[1] == w[0].wrapping_add(1))
        .count();
    let (_, ge) = binomial_tails(n - 1, runs, (2.0 / k).min(0.5));
    if ge < P_REJECT {
        return false;
    }

    // 4. English-likeness of letter pairs.
    if !matches!(
        alpha,
        Alphabet::HexLower | Alphabet::HexUpper | Alphabet::Hex
    ) {
        let pairs = b.windows(2).count();
        let english = b
            .windows(2)
            .filter(|w| {
                let p = [w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase()];
                BIGRAMS.iter().any(|bg| **bg == p)
            })
            .count();
        // Probability a random pair of this alphabet is one of the bigrams.
        let letters = class_list
            .iter()
            .skip(1)
            .map(|(_, p)| *p)
            .sum::<f64>()
            .max(6.0 / 16.0);
        let p = letters * letters * (BIGRAMS.len() as f64) / (26.0 * 26.0);
        let (_, ge) = binomial_tails(pairs, english, p.min(0.9));
        if ge < P_REJECT {
            return false;
        }
    }
    true
}

/// Markers that make any value a stand-in, wherever they appear.
const PLACEHOLDER_MARKS: &[&str] = &[
    "xxxx",
    "****",
    "....",
    "<",
    ">",
    "{",
    "}",
    "$",
    "your_",
    "your-",
    "_here",
    "-here",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "replace",
    "insert",
    "redacted",
];

/// Words that make a value a stand-in when they stand as words: at the start
/// or end, or next to a separator. Inside a random key they are chance.
const PLACEHOLDER_WORDS: &[&str] = &[
    "your",
    "here",
    "dummy",
    "sample",
    "fake",
    "todo",
    "fixme",
    "secret",
    "apikey",
    "api_key",
    "password",
    "passphrase",
    "null",
    "none",
    "undefined",
    "test",
    "mock",
    "notreal",
    "invalid",
    "abcdef",
    "123456",
    "qwerty",
    "key",
];

/// Is `v` a placeholder, a template or an obvious stand-in?
pub fn is_placeholder(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if PLACEHOLDER_MARKS.iter().any(|w| lower.contains(w)) {
        return true;
    }
    let b = lower.as_bytes();
    let sep = |i: usize| {
        i == 0 || i >= b.len() || !b[i].is_ascii_alphanumeric() || !b[i - 1].is_ascii_alphanumeric()
    };
    for w in PLACEHOLDER_WORDS {
        let mut from = 0;
        while let Some(p) = lower[from..].find(w) {
            let s = from + p;
            let e = s + w.len();
            if s == 0 || e == b.len() || sep(s) || sep(e) {
                return true;
            }
            from = s + 1;
        }
    }
    // One character repeated over most of the value: "aaaaaaaaaaaaaaa", "0000…".
    if let Some(&first) = b.first()
        && b.iter().filter(|&&c| c == first).count() * 2 > b.len()
    {
        return true;
    }
    false
}

/// Passphrases are user-chosen: no randomness test, but no placeholder or
/// reference either, and a plausible length.
pub fn passphrase_plausible(v: &str) -> bool {
    let l = v.len();
    (6..=64).contains(&l)
        && !is_placeholder(v)
        && !v.contains(char::is_whitespace)
        && !v.bytes().all(|c| c.is_ascii_lowercase() || c == b'_')
        && !v.bytes().all(|c| c.is_ascii_uppercase() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::template::{ALNUM, B64, HEX, Rng};

    #[test]
    fn random_values_pass() {
        let mut rng = Rng::new("judge");
        let mut rejected = 0;
        for i in 0..2000 {
            let (a, alpha, n) = match i % 3 {
                0 => (ALNUM, Alphabet::Alnum, 64),
                1 => (HEX, Alphabet::HexLower, 32),
                _ => (B64, Alphabet::Base64, 86),
            };
            if !is_random(&rng.from_alphabet(a, n), alpha) {
                rejected += 1;
            }
        }
        // A real key must essentially never be rejected.
        assert!(rejected <= 2, "rejected {rejected} of 2000 random values");
    }

    #[test]
    fn words_and_patterns_fail() {
        // Short values of words or numbers joined by separators.
        assert!(!is_random("8-10-8-5", Alphabet::Auto));
        assert!(!is_random("X-filled", Alphabet::Auto));
        assert!(is_random("aB3-x_Yz", Alphabet::Auto));
        for v in [
            "ThisIsAReallyLongStringThatIsNotASecretAtAllReally",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789AB",
            "0123456789012345678901234567890123456789012345678901234567890123",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "getExchangeConfigurationFromEnvironmentVariablesOrDefaultSettings",
        ] {
            assert!(!is_random(v, Alphabet::Alnum), "{v} judged random");
        }
        // 64 lowercase hex is not a 64-char mixed-case alnum key.
        assert!(!is_random(
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            Alphabet::Alnum
        ));
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("your_api_key_here"));
        assert!(is_placeholder("XXXXXXXXXXXXXXXXXXXXXXXX"));
        assert!(is_placeholder("<API_KEY>"));
        assert!(!is_placeholder("Zq3J9fK2mPx8Lr4Tn7Wc1Vb5Hy6Gd0Su"));
        assert!(passphrase_plausible("Tr4d1ng!Bot"));
        assert!(!passphrase_plausible("your_passphrase"));
    }
}
