//! BIP-39 seed phrases: runs of wordlist words with a valid checksum.

use super::parts::{PartHit, Strength};
use super::syntax::{self};
use super::{context::Subject, engine::Engine};
use crate::codec;
use crate::rules::{Confidence, Detector, Part};

impl Engine {
    pub(super) fn find_mnemonics(
        &self,
        blob: &Subject,
        from: usize,
        to: usize,
        out: &mut Vec<PartHit>,
    ) {
        let data = &blob.data[..to];
        let index = codec::bip39_index();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut i = from;
        let n = data.len();
        let flush = |run: &mut Vec<(usize, usize)>, out: &mut Vec<PartHit>| {
            // Over 36 words joined by nothing but spaces is one long text (a
            // word list, a too-long-phrase test), not a phrase with a few
            // words of prose around it: its valid stretches are chance or
            // test vectors quoted inside it.
            let one_text = run.len() > 36
                && run
                    .windows(2)
                    .all(|w| data[w[0].1..w[1].0].iter().all(|&b| b == b' '));
            if run.len() >= 12 && !one_text {
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

    pub(super) fn mnemonic_run(
        &self,
        blob: &Subject,
        run: &[(usize, usize)],
        out: &mut Vec<PartHit>,
    ) {
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
                if i + len <= words.len() && codec::bip39_valid(&words[i..i + len]) {
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
            // A quoted string is one phrase or none: the found words must
            // be the whole string (not a valid stretch of a longer test
            // phrase, nor words on both sides of a closing quote), unless
            // every word is its own quoted item (`["w1", "w2", …]`).
            if !whole_string(blob.data, &run[i..i + len]) {
                i += 1;
                continue;
            }
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

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// Do the words `run` (a valid phrase) stand as a whole string: each word
/// quoted on its own, or all inside one string with nothing else in it, or
/// outside quotes altogether?
fn whole_string(data: &[u8], run: &[(usize, usize)]) -> bool {
    let gaps: Vec<bool> = run
        .windows(2)
        .map(|w| data[w[0].1..w[1].0].iter().any(|&b| is_quote(b)))
        .collect();
    if gaps.iter().all(|&g| g) && !gaps.is_empty() {
        return true;
    }
    if gaps.iter().any(|&g| g) {
        return false;
    }
    let (start, end) = (run[0].0, run[run.len() - 1].1);
    // The text from the quote (or line start) before the first word to
    // the quote (or line end) after the last.
    let left = data[..start]
        .iter()
        .rposition(|&b| is_quote(b) || b == b'\n')
        .map_or(0, |p| p + 1);
    let right = data[end..]
        .iter()
        .position(|&b| is_quote(b) || b == b'\n')
        .map_or(data.len(), |p| end + p);
    let quoted = left > 0 && is_quote(data[left - 1]) && data.get(right) == Some(&data[left - 1]);
    if !quoted {
        return true;
    }
    // Only blanks, commas and `\n` escapes beside the words.
    let inside = |a: usize, b: usize| {
        let t = &data[a..b];
        let mut k = 0;
        while k < t.len() {
            if t[k] == b'\\' && t.get(k + 1) == Some(&b'n') {
                k += 2;
            } else if t[k].is_ascii_whitespace() || t[k] == b',' {
                k += 1;
            } else {
                return false;
            }
        }
        true
    };
    inside(left, start) && inside(end, right)
}
