//! Parts -> findings. The key, secret and passphrase of one venue that sit
//! together in a file are one credential: one finding with several
//! locations, more severe when the set can sign requests on its own.

use super::PartHit;
use crate::finding::{Finding, Location, fingerprint, redact};
use crate::rules::{Part, RuleSet, Severity};
use crate::text::LineMap;

/// How far apart (in lines) parts of one credential may be.
const PAIR_LINES: usize = 40;

/// The excerpt `a..b` with every part found in the blob redacted, so that
/// an excerpt never shows another finding's secret. `all` is sorted by start.
fn redacted_excerpt(
    data: &[u8],
    a: usize,
    b: usize,
    all: &[(PartHit, usize)],
    rules: &RuleSet,
) -> String {
    let mut text = String::from_utf8_lossy(&data[a..b]).into_owned();
    // Parts that can overlap the excerpt start at most a PEM block before it.
    let from = all.partition_point(|(p, _)| p.start + 64 * 1024 < a);
    let to = all.partition_point(|(p, _)| p.start < b);
    for (p, _) in &all[from..to] {
        if p.end > a {
            let red = redact(&p.value, rules.rules[p.rule].spec.prefix.as_deref());
            text = crate::finding::redact_in(&text, &p.value, &red);
        }
    }
    text
}

/// Whether `line` names a venue other than `own` (by id or alias, as a
/// whole word) and not `own`.
fn names_other_venue(rules: &RuleSet, own: &str, line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line).to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let named = |v: &crate::rules::VenueSpec| {
        std::iter::once(&v.id)
            .chain(&v.aliases)
            .any(|a| words.contains(&a.to_ascii_lowercase().as_str()))
    };
    let own_named = rules.venues.get(own).is_some_and(named);
    !own_named && rules.venues.values().any(|v| v.id != own && named(v))
}

/// Groups the parts of one blob into findings.
pub fn findings(rules: &RuleSet, data: &[u8], path: &str, mut parts: Vec<PartHit>) -> Vec<Finding> {
    if parts.is_empty() {
        return Vec::new();
    }
    let map = LineMap::new(data);
    parts.sort_by_key(|p| (p.start, p.end));
    parts.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    let located: Vec<(PartHit, usize)> = parts
        .into_iter()
        .map(|p| {
            let line = map.position(p.start).0;
            (p, line)
        })
        .collect();

    // Greedy grouping per venue, in file order.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // (venue, exchange of a generic credential) -> group index
    let mut open: Vec<(String, Option<std::borrow::Cow<'static, str>>, usize)> = Vec::new();
    for (i, (p, line)) in located.iter().enumerate() {
        let slot = open
            .iter()
            .position(|(v, n, _)| *v == p.venue && *n == p.venue_name);
        // Wallet secrets are each a whole credential; a documentation
        // example never absorbs a real part (or the leak would be hidden).
        let joinable = p.venue != crate::rules::WALLET
            && slot.is_some_and(|s| {
                let g = &groups[open[s].2];
                let first_line = located[g[0]].1;
                !g.iter().any(|&j| located[j].0.part == p.part)
                    && g.iter().all(|&j| located[j].0.status == p.status)
                    && line.saturating_sub(first_line) <= PAIR_LINES
                    && p.part != Part::Mnemonic
            });
        if joinable {
            let gi = open[slot.unwrap()].2;
            groups[gi].push(i);
        } else {
            groups.push(vec![i]);
            match slot {
                Some(s) => open[s].2 = groups.len() - 1,
                None => open.push((p.venue.clone(), p.venue_name.clone(), groups.len() - 1)),
            }
        }
    }

    let wanted: Vec<usize> = located.iter().map(|(_, line)| *line).collect();
    let line_hashes = crate::text::line_hashes(data, &wanted);
    let mut out = Vec::new();
    for g in groups {
        let members: Vec<&PartHit> = g.iter().map(|&i| &located[i].0).collect();
        // A passphrase alone is not a credential.
        if members.iter().all(|m| m.part == Part::Passphrase) {
            continue;
        }
        let primary = members
            .iter()
            .max_by_key(|m| {
                (
                    match m.part {
                        Part::Secret | Part::PrivateKey => 3,
                        Part::Mnemonic => 2,
                        Part::Key => 1,
                        Part::Passphrase => 0,
                    },
                    m.confidence,
                )
            })
            .unwrap();
        let rule = &rules.rules[primary.rule];
        let venue_spec = rules.venues.get(&rule.venue);
        let mut severity = members
            .iter()
            .map(|m| rules.rules[m.rule].spec.severity)
            .max()
            .unwrap_or_default();
        let signing = members.iter().any(|m| m.part.is_signing());
        let complete = match venue_spec {
            Some(v) if !v.signing_set.is_empty() => v
                .signing_set
                .iter()
                .all(|need| members.iter().any(|m| m.part == *need)),
            _ => signing && members.iter().any(|m| m.part == Part::Key),
        };
        if complete && signing {
            severity = Severity::Critical;
        }
        let confidence = members
            .iter()
            .map(|m| m.confidence)
            .max()
            .unwrap_or_default();
        let lines = g.iter().map(|&i| located[i].1);
        let other_venue = |line: &[u8]| names_other_venue(rules, &rule.venue, line);
        let testnet = super::testnet::says_testnet(
            &map,
            data,
            lines.clone().min().unwrap_or(1),
            lines.max().unwrap_or(1),
            members
                .iter()
                .all(|m| m.context == crate::finding::CodeContext::Config),
            &other_venue,
        );
        let locations = members
            .iter()
            .map(|m| {
                let (line, column) = map.position(m.start);
                let (end_line, end_column) = map.position(m.end);
                let ex = map.excerpt(line, m.start, m.end);
                Location {
                    rule_id: rules.rules[m.rule].spec.id.clone(),
                    part: m.part,
                    path: path.to_string(),
                    line,
                    column,
                    end_line,
                    end_column,
                    redacted: redact(&m.value, rules.rules[m.rule].spec.prefix.as_deref()),
                    secret: m.value.clone(),
                    line_text: String::from_utf8_lossy(&data[ex.0..ex.1]).into_owned(),
                    line_redacted: redacted_excerpt(data, ex.0, ex.1, &located, rules),
                    commit: None,
                    context: m.context,
                    line_hash: line_hashes.get(&line).cloned(),
                }
            })
            .collect();
        out.push(Finding {
            rule_id: rule.spec.id.clone(),
            venue: primary
                .venue_name
                .as_deref()
                .map(str::to_string)
                .unwrap_or_else(|| rules.venue_name(&rule.venue)),
            venue_id: rule.venue.clone(),
            confidence,
            severity,
            status: primary.status,
            fingerprint: fingerprint(&rule.spec.id, &primary.value),
            description: rule.spec.description.trim().to_string(),
            revoke: rule.revoke(&rules.venues),
            locations,
            present_at_head: None,
            verification: None,
            testnet,
            repository: None,
        });
    }
    out
}
