//! The vocabulary the engine reads names with: credential words, part
//! words, names that are never credentials, and calls whose arguments are
//! credentials. Data-like tables; the functions only look words up.

use crate::rules::Part;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// Calls whose first argument names the value of the second:
/// `define('NAME', v)`, `os.getenv("NAME", v)`, `ENV.fetch("NAME", v)`.
pub(super) const NAME_FIRST_CALLS: &[&str] = &[
    "define",
    "setproperty",
    "getenv",
    "get",
    "fetch",
    "setdefault",
    "getproperty",
    "getordefault",
    "setenv",
    "putenv",
    "env",
    "set",
    "put",
    "setitem",
    "configure",
];

/// Calls that take a signing secret at a known position (normalized callee
/// suffix, argument index, part).
pub(super) const SIGNING_CALLS: &[(&str, usize, Part)] = &[
    ("jwtencode", 1, Part::Secret),
    ("hmacnew", 0, Part::Secret),
    ("createhmac", 1, Part::Secret),
    ("newfromslice", 0, Part::Secret),
    ("hmacsha256", 0, Part::Secret),
];

/// Calls whose first argument is a wallet private key.
pub(super) const WALLET_CALLS: &[&str] = &[
    "privatekeytoaccount",
    "hextoecdsa",
    "wallet",
    "fromkey",
    "signer",
    "account",
    "localaccount",
    "keypair",
    "fromwif",
    "fromprivatekey",
];

/// Words that make a line worth tokenising even without a venue.
pub(super) const CREDENTIAL_WORDS: &[&str] = &[
    "secret",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "access-key",
    "passphrase",
    "password",
    "private_key",
    "privatekey",
    "private key",
    "private-key",
    "priv_key",
    "privkey",
    "seckey",
    "key_id",
    "keyid",
    "client(",
    "wif",
    "signer",
    "wallet",
    "_pk",
    "accounts",
    "from_key",
    "fromkey",
    "privatekeytoaccount",
    "hextoecdsa",
    "fromwif",
    "fromprivatekey",
    "xprv",
    "tprv",
    "yprv",
    "zprv",
];
pub(super) const MNEMONIC_WORDS: &[&str] = &[
    "mnemonic", "seed", "phrase", "recovery", "bip39", "bip-39", "metamask", "wallet", "words",
];

/// Names (last segment, normalized) that are never credentials even when
/// they contain a credential word.
pub(super) fn excluded_name(seg: &str) -> bool {
    static BAD: OnceLock<AhoCorasick> = OnceLock::new();
    let bad = BAD.get_or_init(|| {
        AhoCorasick::new([
            "order",
            "hash",
            "sha1",
            "sha256",
            "sha512",
            "md5",
            "signature",
            "checksum",
            "digest",
            "nonce",
            "address",
            "public",
            "pubkey",
            "webhook",
            "url",
            "endpoint",
            "symbol",
            "timestamp",
            "txid",
            "requestid",
            "clientoid",
            "integrity",
            "path",
            "file",
            "env",
            "length",
            "len",
            "type",
            "name",
            "format",
            "header",
            "prefix",
            "example",
            "jwt",
            "idempotency",
            "cache",
            "lock",
            "dedup",
            "correlation",
            "trace",
            "cursor",
            "etag",
            "partition",
            "sortkey",
            "primarykey",
            "foreignkey",
            "keyword",
            "keyboard",
            "keycode",
            "keypress",
            "keydown",
            "keyup",
            "keystroke",
            "hotkey",
            "monkey",
            "turkey",
            "donkey",
            "whiskey",
            "hockey",
            "keyframe",
            "keyspace",
            "csrf",
            "xsrf",
            "tokenizer",
            "captcha",
            "encrypted",
            "hashed",
            "fingerprint",
            "listenkey",
        ])
        .expect("excluded-name automaton")
    });
    seg.is_empty()
        || bad.is_match(seg)
        || seg.ends_with("sign")
        || matches!(seg, "id" | "uuid" | "sig" | "salt")
}

/// The part a (normalized, last-segment) name says a value is.
pub fn part_from_name(seg: &str) -> Option<Part> {
    let part = part_words(seg)?;
    if excluded_name(seg) {
        return None;
    }
    Some(part)
}

/// Words in a name that say which part it holds, strongest part first.
pub(super) const PART_WORDS: &[(&str, Part)] = &[
    ("passphrase", Part::Passphrase),
    ("password", Part::Passphrase),
    ("passwd", Part::Passphrase),
    ("mnemonic", Part::Mnemonic),
    ("seedphrase", Part::Mnemonic),
    ("seedwords", Part::Mnemonic),
    ("recoveryphrase", Part::Mnemonic),
    ("secretphrase", Part::Mnemonic),
    ("secret", Part::Secret),
    ("private", Part::Secret),
    ("privkey", Part::Secret),
    ("seckey", Part::Secret),
    ("hmac", Part::Secret),
    ("key", Part::Key),
    ("token", Part::Key),
];

/// Misspellings of part words people commit (`kucoin_passphares`,
/// `api_secert`): they say their part, and anchor their lines as the right
/// spellings do.
pub(super) const MISSPELT_PART_WORDS: &[(&[&str], Part)] = &[
    (
        &[
            "passphare",
            "passpharse",
            "passphase",
            "pasphrase",
            "passprase",
            "passhrase",
        ],
        Part::Passphrase,
    ),
    (&["secert", "secrect", "sercet"], Part::Secret),
];

/// Every misspelt part word, for the anchors.
pub(super) fn misspelt_part_words() -> impl Iterator<Item = &'static str> {
    MISSPELT_PART_WORDS.iter().flat_map(|w| w.0.iter().copied())
}

pub(super) fn part_words(seg: &str) -> Option<Part> {
    static AC: OnceLock<(AhoCorasick, Vec<Part>)> = OnceLock::new();
    let (ac, parts) = AC.get_or_init(|| {
        let misspelt = MISSPELT_PART_WORDS
            .iter()
            .flat_map(|(ws, p)| ws.iter().map(move |w| (*w, *p)));
        let words: Vec<(&str, Part)> = PART_WORDS.iter().copied().chain(misspelt).collect();
        let ac = AhoCorasick::new(words.iter().map(|w| w.0)).expect("part-word automaton");
        (ac, words.iter().map(|w| w.1).collect())
    });
    // Rank: passphrase < mnemonic < secret < key in PART_WORDS order.
    let rank = |p: Part| match p {
        Part::Passphrase => 0,
        Part::Mnemonic => 1,
        Part::Secret | Part::PrivateKey => 2,
        Part::Key => 3,
    };
    let mut best: Option<Part> = None;
    for m in ac.find_overlapping_iter(seg) {
        let p = parts[m.pattern().as_usize()];
        if best.is_none_or(|b| rank(p) < rank(b)) {
            best = Some(p);
        }
    }
    let suffix = if seg == "pass" || seg.ends_with("pass") || seg.ends_with("pwd") {
        Some(Part::Passphrase)
    } else if seg == "seed" {
        Some(Part::Mnemonic)
    } else if seg.ends_with("pk") || seg == "sk" || seg == "accounts" {
        Some(Part::Secret)
    } else {
        None
    };
    match (best, suffix) {
        (Some(b), Some(x)) => Some(if rank(x) < rank(b) { x } else { b }),
        (b, x) => b.or(x),
    }
}

/// Venues and services without rules of their own, as they appear in
/// variable names. A key named for one of them is not another venue's key
/// because that venue is named nearby.
const OTHER_VENUES: &[&str] = &[
    "ascend",
    "idex",
    "fmfw",
    "bitroyal",
    "openware",
    "opensea",
    "pinata",
    "posthog",
    "quandl",
    "plaid",
    "nodereal",
    "ankr",
    "pimlico",
    "algolia",
    "gasstation",
    "blocknative",
    "tenderly",
    "walletconnect",
    "nftstorage",
    "web3storage",
    "telegram",
    "discord",
    "slack",
    "sendgrid",
    "mailgun",
    "twilio",
    "stripe",
    "openai",
    "firebase",
    "mapbox",
    "sentry",
    "github",
    "aws",
];

/// Exchanges without rules of their own, and the name a finding shows: a
/// key and secret in their context are a generic exchange credential of
/// that venue.
pub(super) const OTHER_EXCHANGES: &[(&str, &str)] = &[
    ("ascendex", "AscendEX"),
    ("bitmax", "AscendEX"),
    ("bitmart", "BitMart"),
    ("lbank", "LBank"),
    ("hotcoin", "Hotcoin"),
    ("ftx", "FTX"),
    ("coinex", "CoinEx"),
    ("probit", "ProBit"),
    ("bitrue", "Bitrue"),
    ("whitebit", "WhiteBIT"),
    ("okcoin", "OKCoin"),
    ("bitso", "Bitso"),
    ("bitbank", "bitbank"),
    ("hitbtc", "HitBTC"),
    ("exmo", "EXMO"),
    ("bitflyer", "bitFlyer"),
    ("bitpanda", "Bitpanda"),
    ("btcturk", "BtcTurk"),
    ("wazirx", "WazirX"),
    ("coindcx", "CoinDCX"),
    ("zaif", "Zaif"),
    ("bitkub", "Bitkub"),
    ("indodax", "Indodax"),
    ("digifinex", "DigiFinex"),
    ("pionex", "Pionex"),
    ("blofin", "BloFin"),
    ("bitunix", "Bitunix"),
    ("toobit", "Toobit"),
    ("coinw", "CoinW"),
    ("xtcom", "XT.COM"),
];

/// Does a normalized name spell a venue or service we have no rules for?
pub(super) fn names_other_venue(seg: &str) -> bool {
    let exchanges = OTHER_EXCHANGES.iter().map(|e| &e.0);
    OTHER_VENUES.iter().chain(exchanges).any(|v| {
        if v.len() <= 4 {
            seg.starts_with(v)
        } else {
            seg.contains(v)
        }
    })
}

/// Names of identifiers that hold UUIDs: ids, links and partner codes are
/// not keys even when the name says key (`linkKey`, `partner_key`).
pub(super) fn id_name(seg: &str) -> bool {
    (seg.ends_with("id") && !seg.contains("key") && !seg.contains("client"))
        || seg.ends_with("uuid")
        || [
            "link",
            "partner",
            "broker",
            "order",
            "request",
            "trace",
            "transfer",
            "referral",
            "affiliate",
            "device",
            "channel",
            "image",
            "logo",
            "icon",
            "template",
        ]
        .iter()
        .any(|w| seg.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_say_their_part() {
        assert_eq!(part_from_name("apisecret"), Some(Part::Secret));
        assert_eq!(part_from_name("okxpassphrase"), Some(Part::Passphrase));
        assert_eq!(part_from_name("binanceapikey"), Some(Part::Key));
        assert_eq!(part_from_name("walletpass"), Some(Part::Passphrase));
        assert_eq!(part_from_name("seed"), Some(Part::Mnemonic));
        assert_eq!(part_from_name("deployerpk"), Some(Part::Secret));
        // The strongest part wins: a secret key is a secret.
        assert_eq!(part_from_name("secretkey"), Some(Part::Secret));
        assert_eq!(part_from_name("seedphrase"), Some(Part::Mnemonic));
    }

    #[test]
    fn some_names_are_never_credentials() {
        assert!(excluded_name(""));
        assert!(excluded_name("id"));
        assert!(excluded_name("salt"));
        // A signature computed with the secret is not the secret.
        assert!(excluded_name("apikeysign"));
        assert_eq!(part_from_name("apikeysign"), None);
        assert_eq!(part_from_name("username"), None);
        assert!(!excluded_name("apisecret"));
    }
}
