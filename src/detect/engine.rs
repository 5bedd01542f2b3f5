//! The compiled engine: rule and venue tables, the anchor automaton
//! (prefilter) and the per-blob scan loop.

use super::lexicon::{CREDENTIAL_WORDS, MNEMONIC_WORDS, OTHER_EXCHANGES, misspelt_part_words};
use super::syntax::{self};
use crate::rules::{Context, Part, RuleSet};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Where an anchor must stand apart from surrounding letters. A camelCase
/// step (`okxApiKey`, `OkxSettings`) counts as a boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Boundary {
    None,
    Start,
    Both,
}

impl Boundary {
    pub(super) fn holds(self, data: &[u8], start: usize, end: usize) -> bool {
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
pub(super) enum Anchor {
    Venue(u16),
    Word,
    /// A self-identifying prefix of a venue's rule (also names the venue).
    Prefix(u16),
    Pem,
    Mnemonic,
    /// An exchange without rules (its keys are generic credentials).
    Exchange,
}

pub(super) struct VenueInfo {
    pub(super) id: String,
    /// display name
    pub(super) name: String,
    /// lowercase aliases
    pub(super) aliases: Vec<String>,
    /// rules of this venue, by part
    pub(super) by_part: HashMap<Part, Vec<usize>>,
    /// normalized call name -> parts by position (`None`: not a credential)
    pub(super) calls: HashMap<String, Vec<Option<Part>>>,
}

/// The compiled detection engine. Build once, share between threads.
pub struct Engine {
    pub rules: RuleSet,
    pub(super) ac: AhoCorasick,
    pub(super) anchors: Vec<(Anchor, Boundary)>,
    pub(super) anchor_patterns: Vec<String>,
    pub(super) venues: Vec<VenueInfo>,
    /// Normalized aliases (3+ characters), longest first, and their automaton.
    pub(super) aliases: Vec<(String, u16)>,
    pub(super) alias_ac: AhoCorasick,
    pub(super) path_ac: AhoCorasick,
    pub(super) headers: HashMap<String, (u16, Part)>,
    /// Extra names venue rules declare (normalized) -> (venue, part),
    /// matched as substrings of a name's last segment.
    pub(super) extra_names: Vec<(String, Vec<(u16, Part)>)>,
    /// Rules that need no venue: self-identifying and name-bound ones.
    pub(super) free_rules: Vec<usize>,
    /// First bytes of self-identifying prefixes (a cheap gate for free rules).
    pub(super) free_first: Vec<u8>,
    pub(super) generic_rules: Vec<usize>,
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
                name: spec.name.clone(),
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
        for r in &rules.rules {
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
        // Seed-phrase words first: `wallet` is also a credential word, and a
        // seed-phrase anchor examines its own line as a word anchor does.
        for w in MNEMONIC_WORDS {
            push(w, Anchor::Mnemonic, Boundary::None);
        }
        for w in CREDENTIAL_WORDS
            .iter()
            .copied()
            .chain(misspelt_part_words())
        {
            push(w, Anchor::Word, Boundary::None);
        }
        for r in &rules.rules {
            // A name a rule knows (`projectId`) is a word; one that spells
            // a venue (`infuraId`) is anchored by the venue's name, which a
            // longer word would hide.
            for n in &r.spec.names {
                let spells_venue = rules.venues.values().any(|v| {
                    v.aliases
                        .iter()
                        .any(|a| n.contains(a.to_ascii_lowercase().as_str()))
                });
                if !spells_venue {
                    push(n, Anchor::Word, Boundary::Both);
                }
            }
        }
        for (w, _) in OTHER_EXCHANGES {
            push(w, Anchor::Exchange, Boundary::Both);
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
        // Every alias at every position, for paths (see `path_venue`).
        let path_ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(aliases.iter().map(|a| a.0.as_str()))
            .expect("path alias automaton");
        Engine {
            rules,
            ac,
            anchors,
            anchor_patterns,
            venues,
            aliases,
            alias_ac,
            path_ac,
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

    /// The venue a path names, word by word: `binance-bot/`, `kucoinbot.py`
    /// and `gate.io/` name a venue; `gateway/` does not name Gate (an alias
    /// of four letters or fewer must be a whole word).
    pub(super) fn path_venue(&self, path: &str) -> Option<u16> {
        let mut words: Vec<String> = Vec::new();
        let mut cur = String::new();
        let b = path.as_bytes();
        for (i, &c) in b.iter().enumerate() {
            let step = c.is_ascii_uppercase() && i > 0 && b[i - 1].is_ascii_lowercase();
            if (!c.is_ascii_alphanumeric() || step) && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            if c.is_ascii_alphanumeric() {
                cur.push(c.to_ascii_lowercase() as char);
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        // One automaton pass over the path's normalized text finds every
        // alias; a hit counts when it is a whole word, a word's start (an
        // alias of five letters or more), or two whole words (`gate.io`).
        let norm = syntax::normalize(path.as_bytes());
        // Word boundaries as offsets into `norm`.
        let mut starts = Vec::with_capacity(words.len());
        let mut ends = Vec::with_capacity(words.len());
        let mut at = 0;
        for w in &words {
            starts.push(at);
            at += w.len();
            ends.push(at);
        }
        let mut best: Option<(usize, u16)> = None;
        for m in self.path_ac.find_overlapping_iter(norm.as_str()) {
            let (a, z) = (m.start(), m.end());
            let (alias, v) = &self.aliases[m.pattern().as_usize()];
            let Ok(wi) = starts.binary_search(&a) else {
                continue;
            };
            let whole = ends[wi] == z || ends.get(wi + 1) == Some(&z);
            if (whole || alias.len() >= 5) && best.is_none_or(|b| alias.len() > b.0) {
                best = Some((alias.len(), *v));
            }
        }
        best.map(|b| b.1)
    }

    /// The venue a normalized string names, if any (used on names and paths).
    pub(super) fn venue_in(&self, norm: &str) -> Option<u16> {
        self.alias_ac
            .find(norm)
            .map(|m| self.aliases[m.pattern().as_usize()].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_stand_apart_from_letters_or_at_a_camel_case_step() {
        let holds = |b: Boundary, text: &str, anchor: &str| {
            let s = text.find(anchor).unwrap();
            b.holds(text.as_bytes(), s, s + anchor.len())
        };
        assert!(holds(Boundary::Both, "OKX_KEY", "OKX"));
        assert!(holds(Boundary::Both, "okxApiKey", "okx"));
        assert!(holds(Boundary::Both, "myOkxKey", "Okx"));
        assert!(!holds(Boundary::Both, "bokxy", "okx"));
        assert!(!holds(Boundary::Both, "okxy", "okx"));
        assert!(holds(Boundary::Start, "okxy", "okx"));
        assert!(!holds(Boundary::Start, "bokx", "okx"));
        assert!(holds(Boundary::None, "bokxy", "okx"));
    }

    #[test]
    fn the_engine_compiles_the_builtin_rules() {
        let e = Engine::new(RuleSet::builtin().unwrap());
        assert!(e.anchor_patterns().len() > 100);
        assert!(e.venues.iter().any(|v| v.id == "binance"));
        assert!(e.venue_in("myokxaccount").is_some());
        assert!(e.venue_in("nothingknown").is_none());
    }

    #[test]
    fn paths_name_venues_word_by_word() {
        let e = Engine::new(RuleSet::builtin().unwrap());
        let venue = |p: &str| e.path_venue(p).map(|v| e.venue_id(v).to_string());
        assert_eq!(
            venue("bots/binance-grid/config.py").as_deref(),
            Some("binance")
        );
        assert_eq!(venue("src/kucoinbot.py").as_deref(), Some("kucoin"));
        assert_eq!(
            venue("exchanges/gate.io/keys.env").as_deref(),
            Some("gateio")
        );
        assert_eq!(venue("src/OkxClient.ts").as_deref(), Some("okx"));
        assert_eq!(venue("gateway/conf/samples/ethereum.yml"), None);
        assert_eq!(venue("src/navigate/readme.md"), None);
    }
}
