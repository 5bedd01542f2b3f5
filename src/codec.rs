//! Checksums that make a value certain: BIP-39 mnemonics, base58check (WIF,
//! extended keys) and the secp256k1 scalar range. A value that fails its
//! checksum is not a key, whatever it looks like.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

const BIP39_ENGLISH: &str = include_str!("../data/bip39-english.txt");

/// FNV-1a: the word lookups are short keys on a hot path; SipHash's
/// DoS resistance buys nothing for a fixed, public word list.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf29ce484222325
        } else {
            self.0
        };
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
        self.0 = h;
    }
}

pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// The BIP-39 English word list, word -> index.
pub fn bip39_index() -> &'static HashMap<&'static str, u16, FnvBuild> {
    static INDEX: OnceLock<HashMap<&'static str, u16, FnvBuild>> = OnceLock::new();
    INDEX.get_or_init(|| {
        BIP39_ENGLISH
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(i, w)| (w, i as u16))
            .collect()
    })
}

pub fn bip39_words() -> Vec<&'static str> {
    BIP39_ENGLISH
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when `words` (12, 15, 18, 21 or 24 of them) is a BIP-39 mnemonic
/// whose checksum verifies.
pub fn bip39_valid(words: &[&str]) -> bool {
    let n = words.len();
    if !matches!(n, 12 | 15 | 18 | 21 | 24) {
        return false;
    }
    let index = bip39_index();
    let mut bits: Vec<bool> = Vec::with_capacity(n * 11);
    for w in words {
        let Some(&i) = index.get(w) else {
            return false;
        };
        for b in (0..11).rev() {
            bits.push((i >> b) & 1 == 1);
        }
    }
    let cs = n * 11 / 33;
    let ent = n * 11 - cs;
    let mut entropy = vec![0u8; ent / 8];
    for (i, bit) in bits[..ent].iter().enumerate() {
        if *bit {
            entropy[i / 8] |= 0x80 >> (i % 8);
        }
    }
    let hash = Sha256::digest(&entropy);
    (0..cs).all(|i| ((hash[i / 8] >> (7 - i % 8)) & 1 == 1) == bits[ent + i])
}

/// Builds the mnemonic for `entropy` (16..=32 bytes, a multiple of 4).
pub fn bip39_from_entropy(entropy: &[u8]) -> Vec<&'static str> {
    let words = bip39_words();
    let hash = Sha256::digest(entropy);
    let cs = entropy.len() * 8 / 32;
    let mut bits: Vec<bool> = Vec::new();
    for byte in entropy {
        for b in (0..8).rev() {
            bits.push((byte >> b) & 1 == 1);
        }
    }
    for i in 0..cs {
        bits.push((hash[i / 8] >> (7 - i % 8)) & 1 == 1);
    }
    bits.chunks(11)
        .map(|c| {
            let i = c.iter().fold(0usize, |acc, b| (acc << 1) | *b as usize);
            words[i]
        })
        .collect()
}

const B58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

pub fn is_base58_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l')
}

/// A Solana keypair: 64 bytes, an Ed25519 seed and then the public key that
/// seed derives. A random 64-byte string passes with probability 2^-256.
pub fn solana_keypair_valid(b: &[u8]) -> bool {
    let Ok(pair) = <[u8; 64]>::try_from(b) else {
        return false;
    };
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&pair[..32]);
    !seed.iter().all(|&x| x == seed[0])
        && ed25519_dalek::SigningKey::from_bytes(&seed)
            .verifying_key()
            .to_bytes()
            == pair[32..]
}

/// The 64-byte Solana keypair of an Ed25519 seed.
pub fn solana_keypair(seed: &[u8; 32]) -> Vec<u8> {
    let mut v = seed.to_vec();
    v.extend(
        ed25519_dalek::SigningKey::from_bytes(seed)
            .verifying_key()
            .to_bytes(),
    );
    v
}

pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    for c in s.bytes() {
        let mut carry = B58.iter().position(|&x| x == c)? as u32;
        for b in out.iter_mut().rev() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut v = vec![0u8; zeros];
    v.extend(out.into_iter().skip_while(|&b| b == 0));
    Some(v)
}

pub fn base58_encode(data: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new();
    for &byte in data {
        let mut carry = byte as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = data.iter().take_while(|&&b| b == 0).count();
    let mut s = String::with_capacity(zeros + digits.len());
    s.extend(std::iter::repeat_n('1', zeros));
    s.extend(digits.iter().rev().map(|&d| B58[d as usize] as char));
    s
}

fn double_sha(data: &[u8]) -> [u8; 32] {
    let first = Sha256::digest(data);
    let second = Sha256::digest(first);
    let mut out = [0u8; 32];
    out.copy_from_slice(&second);
    out
}

/// Decodes base58check; returns the payload when the checksum verifies.
pub fn base58check_decode(s: &str) -> Option<Vec<u8>> {
    let raw = base58_decode(s)?;
    if raw.len() < 5 {
        return None;
    }
    let (payload, check) = raw.split_at(raw.len() - 4);
    (double_sha(payload)[..4] == *check).then(|| payload.to_vec())
}

pub fn base58check_encode(payload: &[u8]) -> String {
    let mut v = payload.to_vec();
    v.extend_from_slice(&double_sha(payload)[..4]);
    base58_encode(&v)
}

/// A Bitcoin WIF private key: version 0x80 (mainnet) or 0xef (testnet),
/// 32 key bytes, an optional 0x01 compression flag, valid checksum.
pub fn wif_valid(s: &str) -> bool {
    if !(51..=52).contains(&s.len()) {
        return false;
    }
    match base58check_decode(s) {
        Some(p) => {
            (p[0] == 0x80 || p[0] == 0xef)
                && (p.len() == 33 || (p.len() == 34 && p[33] == 1))
                && scalar_valid(&p[1..33])
        }
        None => false,
    }
}

/// Extended private key versions (xprv, tprv, yprv, zprv, uprv, vprv, Yprv, Zprv, Uprv, Vprv).
const XPRV_VERSIONS: [[u8; 4]; 10] = [
    [0x04, 0x88, 0xad, 0xe4],
    [0x04, 0x35, 0x83, 0x94],
    [0x04, 0x9d, 0x78, 0x78],
    [0x04, 0xb2, 0x43, 0x0c],
    [0x04, 0x4a, 0x4e, 0x28],
    [0x04, 0x5f, 0x18, 0xbc],
    [0x02, 0x95, 0xb0, 0x05],
    [0x02, 0xaa, 0x7a, 0x99],
    [0x02, 0x42, 0x85, 0xb5],
    [0x02, 0x57, 0x50, 0x48],
];

/// A BIP-32 extended private key: 78-byte payload, private version, key byte 0.
pub fn xprv_valid(s: &str) -> bool {
    if s.len() != 111 {
        return false;
    }
    match base58check_decode(s) {
        Some(p) => {
            p.len() == 78
                && XPRV_VERSIONS.iter().any(|v| p[..4] == v[..])
                && p[45] == 0
                && scalar_valid(&p[46..78])
        }
        None => false,
    }
}

/// The secp256k1 group order.
const SECP256K1_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// 0 < k < n for 32 big-endian bytes.
pub fn scalar_valid(k: &[u8]) -> bool {
    k.len() == 32 && k.iter().any(|&b| b != 0) && k < &SECP256K1_N[..]
}

pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `(0x)?` + 64 hex that is a valid secp256k1 private key.
pub fn evm_key_valid(s: &str) -> bool {
    let h = s.strip_prefix("0x").unwrap_or(s);
    h.len() == 64
        && h.bytes().all(|b| b.is_ascii_hexdigit())
        && hex_decode(h).is_some_and(|k| scalar_valid(&k))
}

pub fn sha256_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bip39_vectors() {
        let abandon: Vec<&str> = std::iter::repeat_n("abandon", 11)
            .chain(["about"])
            .collect();
        assert!(bip39_valid(&abandon));
        let bad: Vec<&str> = std::iter::repeat_n("abandon", 12).collect();
        assert!(!bip39_valid(&bad));
        let junk: Vec<&str> = std::iter::repeat_n("test", 11).chain(["junk"]).collect();
        assert!(bip39_valid(&junk));
        let made = bip39_from_entropy(&[7u8; 32]);
        assert_eq!(made.len(), 24);
        assert!(bip39_valid(&made));
        let mut broken = made.clone();
        broken.swap(0, 1);
        assert!(!bip39_valid(&broken) || made[0] == made[1]);
    }

    #[test]
    fn base58_round_trip_and_vectors() {
        let payload = [0u8, 0, 1, 2, 3, 250];
        assert_eq!(base58_decode(&base58_encode(&payload)).unwrap(), payload);
        // BIP-32 test vector 1 master key.
        assert!(xprv_valid(
            "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"
        ));
        assert!(!xprv_valid(
            "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHj"
        ));
        let mut p = vec![0x80];
        p.extend_from_slice(&[0x11; 32]);
        p.push(1);
        let wif = base58check_encode(&p);
        assert_eq!(wif.len(), 52);
        assert!(wif_valid(&wif));
    }

    #[test]
    fn scalar_range() {
        assert!(!evm_key_valid(&"0".repeat(64)));
        assert!(!evm_key_valid(&"f".repeat(64)));
        assert!(evm_key_valid(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
        ));
        assert!(!evm_key_valid("0x1234"));
    }
}
