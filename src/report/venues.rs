//! The README's table of supported venues, from the rules.

use crate::rules::RuleSet;

/// The README's "Supported venues" table: one row per rule, venues in rule
/// file order with wallets and generic rules last. Regenerate the README
/// section with `tradesecrets rules list --markdown`.
pub fn venue_table(rules: &RuleSet) -> String {
    use crate::rules::{Context, Detector};
    let cell = |s: &str| s.replace('|', "\\|");
    let mut order: Vec<&str> = Vec::new();
    for r in &rules.rules {
        if !order.contains(&r.venue.as_str()) {
            order.push(&r.venue);
        }
    }
    order.sort_by_key(|v| match *v {
        crate::rules::WALLET => 1,
        crate::rules::GENERIC => 2,
        _ => 0,
    });
    let mut out = String::from(
        "| Venue | Part | Rule | Shape | Found by | Max confidence | Format verified |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for venue in order {
        for r in rules.rules.iter().filter(|r| r.venue == venue) {
            let shape = r.spec.shape.as_deref().unwrap_or("");
            let shape = match r.spec.detector {
                Detector::Shape => format!("`{}`", cell(shape)),
                Detector::EvmKey => format!("`{}`, a valid secp256k1 scalar", cell(shape)),
                Detector::Pem => format!("PEM block: `{}`", cell(shape)),
                Detector::Mnemonic => "BIP-39 words (12–24), checksum verified".into(),
                Detector::Wif => "WIF (base58check verified)".into(),
                Detector::ExtendedKey => "BIP-32 `xprv`… (base58check verified)".into(),
                Detector::SolanaKeypair => {
                    "64-byte array or base58, Ed25519 public half verified".into()
                }
                Detector::Passphrase => "user-chosen".into(),
            };
            let context = match r.spec.context {
                Context::Venue => "venue named nearby",
                Context::SelfIdentifying => "its own shape",
                Context::Name => "credential name",
            };
            out.push_str(&format!(
                "| {} | {} | `{}` | {} | {} | {} | {} |\n",
                cell(&rules.venue_name(&r.venue)),
                r.part().as_str().replace('_', " "),
                r.spec.id,
                shape,
                context,
                r.max_confidence().as_str(),
                if r.spec.verified { "yes" } else { "no" },
            ));
        }
    }
    out
}
