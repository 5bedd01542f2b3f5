//! One module per venue: its read-only request, signed as its docs say,
//! and how its answer reads. Each module's header links the docs it follows.

use super::Venue;

mod binance;
mod bitfinex;
mod bitget;
mod bitmex;
mod bybit;
mod coinbase;
mod gateio;
mod gemini;
mod kraken;
mod kucoin;
mod mexc;
mod okx;

/// Every supported venue.
pub fn all() -> &'static [&'static dyn Venue] {
    &[
        &binance::Binance,
        &bitfinex::Bitfinex,
        &bitget::Bitget,
        &bitmex::Bitmex,
        &bybit::Bybit,
        &coinbase::Coinbase,
        &gateio::Gateio,
        &gemini::Gemini,
        &kraken::Kraken,
        &kucoin::Kucoin,
        &mexc::Mexc,
        &okx::Okx,
    ]
}

/// The venue with rules id `id`.
pub fn find(id: &str) -> Option<&'static dyn Venue> {
    all().iter().copied().find(|v| v.id() == id)
}

/// A JSON number or numeric string as i64 (venues send error codes both ways).
pub(crate) fn code_of(v: &serde_json::Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Shared by the venues' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::verify::{Credential, Response, Venue, Verdict, Verification};

    /// A credential of placeholder parts: key `K`, secret `S`, passphrase `P`.
    pub fn ksp() -> Credential {
        Credential {
            key: Some("K".into()),
            secret: Some("S".into()),
            passphrase: Some("P".into()),
            ..Default::default()
        }
    }

    /// How `venue` reads an answer to `c`'s request.
    pub fn read(venue: &dyn Venue, c: &Credential, status: u16, body: &str) -> Verification {
        let r = Response {
            status,
            body: body.into(),
        };
        venue.interpret(c, &r)
    }

    /// `venue` sends nothing for `c`, which lacks a part it needs.
    pub fn assert_not_sent(venue: &dyn Venue, c: &Credential) {
        let v = venue.request(c, 0).expect_err("nothing to send");
        assert_eq!(v.verdict, Verdict::Unsupported, "{v:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_venue_is_a_rules_venue_with_docs() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        for v in all() {
            assert!(
                rules.venues.contains_key(v.id()),
                "{} is not a rules venue",
                v.id()
            );
            assert!(v.docs().starts_with("https://"), "{}", v.id());
            assert!(!v.host().contains('/'), "{}", v.id());
        }
        assert!(all().len() >= 12);
    }
}
