//! One module per venue: its read-only request, signed as its docs say,
//! and how its answer reads. Each module's header links the docs it follows.

use super::venue::Venue;

mod binance;
mod bitfinex;
mod bitget;
mod bitmex;
mod bybit;
mod coinbase;
mod deribit;
mod gateio;
mod gemini;
mod kraken;
mod kucoin;
mod mexc;
mod okx;
#[cfg(test)]
pub(crate) mod testing;

/// Every supported venue.
pub fn all() -> &'static [&'static dyn Venue] {
    &[
        &binance::Binance,
        &bitfinex::Bitfinex,
        &bitget::Bitget,
        &bitmex::Bitmex,
        &bybit::Bybit,
        &coinbase::Coinbase,
        &deribit::Deribit,
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
        assert!(all().len() >= 13);
    }
}
