//! Classification: a bound token against the venues' rules, then the
//! wallet and generic rules; the placeholder and randomness judgement.

use super::judge;
use super::lexicon;
use super::parts::{PartHit, Strength};
use super::{
    binding::Bound,
    context::{
        Subject, camel_words, identifier_in_code, inside_blob_run, reference_around, string_extent,
        unescape_slashes, url_host,
    },
    engine::Engine,
};
use crate::codec;
use crate::finding::{CodeContext, Status};
use crate::rules::{Alphabet, Confidence, Context, Detector, Part, Rule};
use memchr;

impl Engine {
    /// Classifies the token `line[s..e]`; returns the end of what it consumed
    /// when a part was found.
    pub(super) fn classify_token(
        &self,
        blob: &Subject,
        line_no: usize,
        line: &[u8],
        s: usize,
        e: usize,
        out: &mut Vec<PartHit>,
    ) -> Option<usize> {
        // `scheme://value`: the slashes belong to the URL, not the value;
        // `\nVALUE` in a string literal: the escape is not the value's.
        let mut s = s;
        if s > 0 && line[s - 1] == b'\\' && matches!(line[s], b'n' | b'r' | b't') && e - s > 1 {
            s += 1;
        }
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
        } else if let core = bytes.strip_suffix(b"=").unwrap_or(bytes)
            && (core
                .iter()
                .all(|b| b.is_ascii_lowercase() || matches!(b, b'_' | b'-'))
                || (core
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'-'))
                    && core.iter().any(|b| matches!(b, b'_' | b'-'))))
        {
            // Words and snake/SCREAMING identifiers (`NAME=` of an empty
            // env line, too): no key is one letter case with separators
            // and no digit.
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
            && (self.free_first.contains(&first) || matches!(tok.len(), 51 | 52 | 86..=88 | 111));
        for &ri in self.free_rules.iter().filter(|_| maybe_free) {
            let r = &self.rules.rules[ri];
            let hit = match r.spec.detector {
                Detector::Wif => (51..=52).contains(&tok.len()) && codec::wif_valid(tok),
                Detector::ExtendedKey => tok.len() == 111 && codec::xprv_valid(tok),
                Detector::SolanaKeypair => {
                    (86..=88).contains(&tok.len())
                        && codec::base58_decode(tok)
                            .is_some_and(|b| codec::solana_keypair_valid(&b))
                }
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
        // An identifier in code, or a piece of embedded base64 data, is not
        // a value (tested only for bound tokens: the tests read the line).
        if identifier_in_code(blob.code, line, s, e) || inside_blob_run(line, s, e) {
            return None;
        }
        self.classify_bound(blob, line_no, line, s, e, tok, bound, out)
    }

    /// Classifies a bound token: venue rules, then wallet and generic rules.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn classify_bound(
        &self,
        blob: &Subject,
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
            let t = tok.strip_suffix('/').unwrap_or(tok);
            (s + t.rfind('/').map(|p| p + 1).unwrap_or(0), s + t.len())
        } else {
            (s, e)
        };
        let value = unescape_slashes(std::str::from_utf8(&line[vs..ve]).ok()?);
        let value: &str = &value;
        // A passphrase is never a link (`new Client(key, secret, "https://…")`).
        if value.is_empty() || (part == Part::Passphrase && value.contains("://")) {
            return None;
        }
        // Words in camel case are a name (`OrderBookTracker`), not a key;
        // a passphrase may well be words.
        if part != Part::Passphrase && camel_words(value) {
            return None;
        }
        // A UUID named as an id, a link or a partner code, or one a test
        // compares against, is not a key.
        if is_uuid(value) && (lexicon::id_name(&bound.seg) || super::verdict::assertion_line(line))
        {
            return None;
        }
        // A key in a URL belongs to the URL's host: no Infura key without
        // infura.io in the host.
        let host_venue = if bound.url {
            url_host(line, s)
                .and_then(|h| self.venue_in(&crate::detect::syntax::normalize(h.as_bytes())))
        } else {
            None
        };
        // A name that spells a venue without rules (`ASCENDEX_API_KEY`,
        // `OPENSEA_API_KEY`) is not another venue's key by proximity.
        let foreign = bound.name_venue.is_none() && lexicon::names_other_venue(&bound.seg);

        let venues = self.venues_for(blob, line_no, bound.name_venue);
        for &(v, strength) in &venues {
            if bound.url && (strength < Strength::Line || host_venue != Some(v)) {
                continue;
            }
            if foreign && strength < Strength::Named {
                break;
            }
            // A name or callee that names a venue (`hbdm(k, s, url)`,
            // `HTX_SECRET`) keeps other venues named further away out.
            if bound.name_venue.is_some_and(|n| n != v) && strength < Strength::Line {
                continue;
            }
            if bound.only_venues.as_ref().is_some_and(|o| !o.contains(&v)) {
                continue;
            }
            // A callee of the venue, or (for a passphrase) the venue's key or
            // secret just found on the lines above, binds as a block would.
            let beside_pair = || {
                part == Part::Passphrase
                    && out.iter().rev().take(3).any(|h| {
                        h.venue == self.venues[v as usize].id
                            && blob.line_of(h.start) + 3 >= line_no
                    })
            };
            let strength = if strength == Strength::File
                && (bound.call_venues.contains(&v) || beside_pair())
            {
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
        if !swapped.is_empty() && !bound.url && bound.only_venues.is_none() && !session && !foreign
        {
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
        // In the context of an exchange without rules (`ftx-bot/`, a
        // `ccxt.ascendex` client), any key or secret name is that
        // exchange's generic credential.
        let exchange = if matches!(part, Part::Key | Part::Secret) && value.len() >= 20 {
            blob.exchange_named(line_no, ls + vs)
        } else {
            None
        };
        // Else a venue with rules named close by whose shapes it does not
        // have (a testnet's hex key): its generic credential, by name.
        let venue_name = || {
            exchange.map(std::borrow::Cow::Borrowed).or_else(|| {
                venues
                    .iter()
                    .find(|(_, s)| *s >= Strength::Block)
                    .filter(|_| !foreign)
                    .map(|&(v, _)| std::borrow::Cow::Owned(self.venues[v as usize].name.clone()))
            })
        };
        for &ri in self.free_rules.iter().chain(&self.generic_rules) {
            let r = &self.rules.rules[ri];
            if r.spec.context != Context::Name {
                continue;
            }
            let part_ok = r.part() == part
                || (r.part() == Part::PrivateKey && part == Part::Secret)
                || (r.part() == Part::Secret && part == Part::PrivateKey);
            let generic = r.venue == crate::rules::GENERIC;
            // A `0x` key of 64 hex under a secret's name with no venue
            // around (`"secret_key": "0x…"`, a log's `secret_key=0x…`) is a
            // wallet key; without `0x` it may be any service's hex secret.
            let evm_secret = r.spec.detector == Detector::EvmKey
                && part == Part::Secret
                && value.starts_with("0x")
                && bound.seg.contains("secret");
            let named = bound.strong
                || evm_secret
                || (generic && exchange.is_some())
                || r.spec.names.iter().any(|n| bound.seg.contains(n.as_str()));
            if !part_ok || !named {
                continue;
            }
            let ok = match r.spec.detector {
                Detector::EvmKey => codec::evm_key_valid(value) && self.judge(r, value),
                Detector::Shape => r.shape_matches(value) && self.judge(r, value),
                _ => false,
            };
            if ok {
                let mut h = self.hit(ri, value, ls + vs, ls + ve, r.max_confidence());
                if generic {
                    h.venue_name = venue_name();
                }
                out.push(h);
                return Some(ve);
            }
        }
        None
    }

    /// Placeholder and randomness judgement for a value under a rule.
    pub(super) fn judge(&self, r: &Rule, value: &str) -> bool {
        if matches!(
            r.spec.detector,
            Detector::Wif | Detector::ExtendedKey | Detector::Mnemonic | Detector::SolanaKeypair
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
        // A JWT's header and claims are encoded JSON, not random: its
        // signature is.
        if let Some(sig) = jwt_signature(body) {
            return !judge::is_placeholder(sig) && judge::is_random(sig, Alphabet::Base64url);
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

    pub(super) fn hit(
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
            status: Status::Leak,
            context: CodeContext::Code,
            venue_name: None,
        }
    }
}

/// The signature of a JWT (`eyJ….eyJ….<signature>`).
fn jwt_signature(v: &str) -> Option<&str> {
    let mut it = v.split('.');
    let (h, c, sig) = (it.next()?, it.next()?, it.next()?);
    (it.next().is_none() && h.starts_with("eyJ") && c.starts_with("eyJ") && sig.len() >= 20)
        .then_some(sig)
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
