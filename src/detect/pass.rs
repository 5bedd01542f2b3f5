//! One pass over a blob: the prefilter, then only the lines near its hits
//! are tokenised, bound and classified; PEM blocks and seed phrases where
//! their anchors are.

use super::parts::PartHit;
use super::syntax::{self};
use super::{
    context::{Subject, bare_value_file, comment_line, exchange_in, is_code_path, is_prose_path},
    engine::{Anchor, Engine},
    pem::pem_block,
    verdict,
};
use crate::finding::CodeContext;
use memchr;

impl Engine {
    /// Finds every credential part in `data`. `path` gives context only.
    pub fn scan(&self, data: &[u8], path: &str) -> Vec<PartHit> {
        let mut out = Vec::new();
        let path_norm = syntax::normalize(path.as_bytes());
        let path_venue = self.path_venue(path);
        let path_mnemonic = ["seed", "mnemonic", "wallet", "phrase", "recovery", "secret"]
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
                Anchor::Word | Anchor::Exchange => {}
            }
            marks.push((m.start(), anchor));
        }
        let bare_file = bare_value_file(path, data);
        // A small JSON file may be a keypair array with no word in it.
        let keypair_file = path.ends_with(".json") && data.len() <= 64 * 1024;
        let path_exchange = exchange_in(path.as_bytes());
        // Notes and READMEs carry wallet keys with no word beside them
        // (`python sweep.py -wa 5J…`): their lines with a WIF-sized token
        // are examined too.
        let prose_path = is_prose_path(path);
        let prose = prose_path && data.len() <= PROSE_WIF_LIMIT;
        if marks.is_empty()
            && !prose
            && path_venue.is_none()
            && !path_mnemonic
            && bare_file.is_none()
            && !keypair_file
            && path_exchange.is_none()
        {
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
        let blob = Subject {
            data,
            lines,
            venue_hits,
            file_venues,
            code: is_code_path(path),
            prose: prose_path,
            path_venue,
            context: CodeContext::of(path, data),
            bare_file,
            path_exchange,
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
        if path_venue.is_some() || blob.bare_file.is_some() || path_exchange.is_some() {
            examine.iter_mut().for_each(|e| *e = true);
        } else {
            for &(off, a) in &marks {
                let l = blob.line_of(off);
                let (lo, hi) = match a {
                    Anchor::Venue(_) | Anchor::Prefix(_) | Anchor::Exchange => {
                        (l.saturating_sub(3), l + 25)
                    }
                    // A word names its line's value, or, in a comment
                    // (`# the sender's private key`) or a line that opens
                    // what follows (`def api_key():`, `apiKey =`), the next
                    // line's. Not in tests: they spread literals over lines,
                    // and what the real-repository sets found there was all
                    // fixtures.
                    Anchor::Word | Anchor::Mnemonic => {
                        let (a, b) = blob.line_range(l);
                        let t = &data[a..b];
                        let opens = blob.context != CodeContext::Test
                            && t.trim_ascii_end()
                                .last()
                                .is_some_and(|c| matches!(c, b':' | b'{' | b'=' | b'('));
                        (l, l + usize::from(comment_line(t) || opens))
                    }
                    Anchor::Pem => continue,
                };
                for e in examine.iter_mut().take((hi + 1).min(nlines)).skip(lo) {
                    *e = true;
                }
            }
        }
        if prose {
            for (l, e) in examine.iter_mut().enumerate() {
                if !*e {
                    let (ls, le) = blob.line_range(l);
                    *e = wif_sized_token(&data[ls..le]);
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
        // Keypair byte arrays: JSON files, and files that name a keypair or
        // secret key (anything with an anchor).
        if keypair_file || !marks.is_empty() {
            self.find_keypairs(&blob, &mut out);
        }
        verdict::judge_hits(&blob, path, &mut out);
        for h in &mut out {
            h.context = blob.context;
        }
        out
    }
}

/// Prose files up to this size have their WIF-sized tokens examined.
const PROSE_WIF_LIMIT: usize = 1 << 20;

/// Does `line` hold a token of a WIF's length and first character (`5`,
/// `K`, `L` on mainnet, `9`, `c` on testnet)? The rule then checks it.
fn wif_sized_token(line: &[u8]) -> bool {
    let mut found = false;
    syntax::tokens(line, |s, e| {
        found |= matches!(e - s, 51 | 52) && matches!(line[s], b'5' | b'K' | b'L' | b'9' | b'c');
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Part, RuleSet, template};

    fn engine() -> Engine {
        Engine::new(RuleSet::builtin().unwrap())
    }

    #[test]
    fn one_pass_finds_venue_parts_seed_phrases_and_pem_keys() {
        let e = engine();
        let env =
            template::expand("OKX_API_KEY={{uuid}}\nOKX_SECRET_KEY={{HEX:32}}\n", "pass").unwrap();
        let hits = e.scan(env.as_bytes(), "deploy/.env");
        let parts: Vec<(&str, Part)> = hits.iter().map(|h| (h.venue.as_str(), h.part)).collect();
        assert!(parts.contains(&("okx", Part::Key)), "{parts:?}");
        assert!(parts.contains(&("okx", Part::Secret)), "{parts:?}");
        // Each hit's range is its value.
        for h in &hits {
            assert_eq!(&env.as_bytes()[h.start..h.end], h.value.as_bytes());
        }
        let seed = template::expand("MNEMONIC=\"{{mnemonic:12}}\"\n", "pass").unwrap();
        let hits = e.scan(seed.as_bytes(), "wallet.env");
        assert!(hits.iter().any(|h| h.part == Part::Mnemonic), "{hits:?}");
        let pem = template::expand("key = \"{{pemjson:EC PRIVATE KEY}}\"\n", "pass").unwrap();
        let hits = e.scan(pem.as_bytes(), "coinbase.py");
        assert!(
            hits.iter()
                .any(|h| h.value.starts_with("-----BEGIN EC PRIVATE KEY")),
            "{hits:?}"
        );
    }

    #[test]
    fn a_blob_without_anchors_costs_one_pass_and_finds_nothing() {
        let e = engine();
        assert!(
            e.scan(b"just some prose about markets\n", "notes.txt")
                .is_empty()
        );
        // A random value with no name, venue or prefix is nobody's key.
        let v = template::expand("{{alnum:64}}\n", "pass").unwrap();
        assert!(e.scan(v.as_bytes(), "data.txt").is_empty());
    }
}
