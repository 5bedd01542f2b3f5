//! Example templates: rule examples say `{{alnum:64}}` instead of carrying a
//! credential-shaped literal. Expansion is deterministic (seeded by the rule id
//! and example index), so `rules check` is reproducible, the rule files stay
//! free of anything that looks like a live key, and the project scans itself
//! clean without allowlisting its own rules.
//!
//! Kinds: `alnum:N`, `hex:N`, `HEX:N`, `upper:N` (A-Z0-9), `lower:N`
//! (a-z0-9), `b64:N`, `b64url:N`, `b58:N`, `digits:N`, `uuid`, `mnemonic:N`
//! (valid checksum), `wif` (`wiftest`: testnet), `xprv`, `evmkey` (64 hex, valid scalar),
//! `solkeypair` (a Solana keypair as a JSON byte array), `solb58` (the same
//! in base58), `pem:LABEL` (a PEM block with real newlines), `pemjson:LABEL` (the same with
//! literal `\n`, as in JSON key files), `word:N` (N random letters, lowercase),
//! `LETTERS:N` (N random uppercase letters).

use crate::codec;

/// A small deterministic generator (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: &str) -> Rng {
        // FNV-1a of the seed.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in seed.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        Rng(h)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
    pub fn from_alphabet(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

pub const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &[u8] = b"0123456789abcdef";
pub const HEX_UP: &[u8] = b"0123456789ABCDEF";
pub const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Generates one value of `kind` (the text between `{{` and `}}`).
pub fn generate(kind: &str, rng: &mut Rng) -> Result<String, String> {
    let (name, arg) = match kind.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (kind.trim(), None),
    };
    let len = || -> Result<usize, String> {
        arg.ok_or_else(|| format!("`{name}` needs a length"))?
            .parse::<usize>()
            .map_err(|_| format!("bad length in `{kind}`"))
    };
    Ok(match name {
        "alnum" => rng.from_alphabet(ALNUM, len()?),
        "hex" => rng.from_alphabet(HEX, len()?),
        "HEX" => rng.from_alphabet(HEX_UP, len()?),
        "upper" => rng.from_alphabet(UPPER, len()?),
        "lower" => rng.from_alphabet(LOWER, len()?),
        "b64" => rng.from_alphabet(B64, len()?),
        "b64url" => rng.from_alphabet(B64URL, len()?),
        "b58" => rng.from_alphabet(B58, len()?),
        "digits" => rng.from_alphabet(b"0123456789", len()?),
        "word" => rng.from_alphabet(b"abcdefghijklmnopqrstuvwxyz", len()?),
        "LETTERS" => rng.from_alphabet(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", len()?),
        "uuid" => {
            let h = rng.from_alphabet(HEX, 32);
            format!(
                "{}-{}-4{}-{}{}-{}",
                &h[..8],
                &h[8..12],
                &h[13..16],
                ["8", "9", "a", "b"][rng.below(4)],
                &h[17..20],
                &h[20..32]
            )
        }
        "mnemonic" => {
            let n = len()?;
            if !matches!(n, 12 | 15 | 18 | 21 | 24) {
                return Err(format!("mnemonic length {n} is not 12/15/18/21/24"));
            }
            codec::bip39_from_entropy(&rng.bytes(n * 4 / 3)).join(" ")
        }
        "solkeypair" | "solb58" => {
            let mut seed = [0u8; 32];
            seed.copy_from_slice(&rng.bytes(32));
            let pair = codec::solana_keypair(&seed);
            if name == "solb58" {
                codec::base58_encode(&pair)
            } else {
                let nums: Vec<String> = pair.iter().map(|b| b.to_string()).collect();
                format!("[{}]", nums.join(","))
            }
        }
        "evmkey" => loop {
            let k = rng.bytes(32);
            if codec::scalar_valid(&k) {
                break k.iter().map(|b| format!("{b:02x}")).collect();
            }
        },
        "wif" | "wiftest" => {
            let mut p = vec![if name == "wif" { 0x80 } else { 0xef }];
            p.extend(rng.bytes(32));
            p.push(1);
            codec::base58check_encode(&p)
        }
        "xprv" => {
            let mut p = vec![0x04, 0x88, 0xad, 0xe4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            p.extend(rng.bytes(32));
            p.push(0);
            p.extend(rng.bytes(32));
            codec::base58check_encode(&p)
        }
        "pem" | "pemjson" => {
            let label = arg.unwrap_or("PRIVATE KEY");
            let nl = if name == "pem" { "\n" } else { "\\n" };
            let body = rng.from_alphabet(B64, 160);
            let lines: Vec<&str> = vec![&body[..64], &body[64..128], &body[128..]];
            format!(
                "-----BEGIN {label}-----{nl}{}=={nl}-----END {label}-----{nl}",
                lines.join(nl)
            )
        }
        _ => return Err(format!("unknown template kind `{name}`")),
    })
}

/// Expands every `{{…}}` in `text`.
pub fn expand(text: &str, seed: &str) -> Result<String, String> {
    expand_tagged(text, seed).map(|(s, _)| s)
}

/// A value planted by a tagged template: `{{alnum:64|binance.api-key}}`
/// expands to a value the scanner must report with that rule at exactly
/// this place. `{{lit:TEXT|rule}}` plants a literal (passphrases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    pub rule: String,
    pub value: String,
    /// Byte range in the expanded text.
    pub start: usize,
    pub end: usize,
}

/// Expands `text`, returning the planted (tagged) values with their places.
pub fn expand_tagged(text: &str, seed: &str) -> Result<(String, Vec<Planted>), String> {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(text.len() + 64);
    let mut planted = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + end];
        let (kind, tag) = match inner.rsplit_once('|') {
            Some((k, t)) => (k, Some(t.trim())),
            None => (inner, None),
        };
        let value = match kind.strip_prefix("lit:") {
            Some(l) => l.to_string(),
            None => generate(kind, &mut rng)?,
        };
        if let Some(rule) = tag {
            planted.push(Planted {
                rule: rule.to_string(),
                value: value.clone(),
                start: out.len(),
                end: out.len() + value.len(),
            });
        }
        out.push_str(&value);
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    Ok((out, planted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_is_deterministic_and_shaped() {
        let a = expand("K={{alnum:64}} S={{HEX:32}}", "seed").unwrap();
        let b = expand("K={{alnum:64}} S={{HEX:32}}", "seed").unwrap();
        assert_eq!(a, b);
        let c = expand("K={{alnum:64}} S={{HEX:32}}", "other").unwrap();
        assert_ne!(a, c);
        let k = a.split(' ').next().unwrap().strip_prefix("K=").unwrap();
        assert_eq!(k.len(), 64);
        assert!(k.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(expand("{{nope:3}}", "s").is_err());
    }

    #[test]
    fn tagged_values_are_located() {
        let (text, planted) =
            expand_tagged("a={{hex:8|x.key}}\nb={{lit:p@ss|x.pass}} {{hex:4}}", "t").unwrap();
        assert_eq!(planted.len(), 2);
        assert_eq!(&text[planted[0].start..planted[0].end], planted[0].value);
        assert_eq!(planted[1].value, "p@ss");
        assert_eq!(planted[1].rule, "x.pass");
    }

    #[test]
    fn generated_wallet_values_verify() {
        let mut rng = Rng::new("w");
        let m = generate("mnemonic:24", &mut rng).unwrap();
        assert!(codec::bip39_valid(&m.split(' ').collect::<Vec<_>>()));
        assert!(codec::wif_valid(&generate("wif", &mut rng).unwrap()));
        assert!(codec::xprv_valid(&generate("xprv", &mut rng).unwrap()));
        assert!(codec::evm_key_valid(&generate("evmkey", &mut rng).unwrap()));
    }
}
