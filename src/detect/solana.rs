//! Solana keypairs written as byte arrays: `[n, n, …]` (the CLI's
//! `keypair.json`, `Uint8Array.from([…])`, one line or many) and index
//! objects `{"0": n, "1": n, …}` (a serialized `Keypair`). Only 64 bytes
//! whose second half is the Ed25519 public key of the first count; base58
//! keypairs are tokens, found by the self-identifying rules.

use super::parts::PartHit;
use super::{context::Subject, engine::Engine};
use crate::codec;
use crate::rules::Detector;

/// The 64 bytes of an array or index object starting at `data[at]` (`[` or
/// `{`), and where it ends; `None` for anything else.
pub(super) fn byte_array_at(data: &[u8], at: usize) -> Option<(Vec<u8>, usize)> {
    let object = data[at] == b'{';
    let close = if object { b'}' } else { b']' };
    let mut i = at + 1;
    let mut out = Vec::with_capacity(64);
    let skip = |i: &mut usize| {
        while *i < data.len() && data[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    let number = |i: &mut usize| -> Option<u32> {
        let s = *i;
        while *i < data.len() && data[*i].is_ascii_digit() && *i - s < 4 {
            *i += 1;
        }
        if *i == s || *i - s > 3 {
            return None;
        }
        std::str::from_utf8(&data[s..*i]).ok()?.parse().ok()
    };
    loop {
        skip(&mut i);
        if object {
            // `"<index>": n`, the index in order.
            if data.get(i) != Some(&b'"') {
                return None;
            }
            i += 1;
            if number(&mut i)? as usize != out.len() || data.get(i) != Some(&b'"') {
                return None;
            }
            i += 1;
            skip(&mut i);
            if data.get(i) != Some(&b':') {
                return None;
            }
            i += 1;
            skip(&mut i);
        }
        let n = number(&mut i)?;
        if n > 255 || out.len() == 64 {
            return None;
        }
        out.push(n as u8);
        skip(&mut i);
        match data.get(i) {
            Some(b',') => i += 1,
            Some(&c) if c == close => return (out.len() == 64).then_some((out, i + 1)),
            _ => return None,
        }
    }
}

impl Engine {
    /// Every verified keypair array in the blob.
    pub(super) fn find_keypairs(&self, blob: &Subject, out: &mut Vec<PartHit>) {
        let Some(&ri) = self
            .free_rules
            .iter()
            .find(|&&r| self.rules.rules[r].spec.detector == Detector::SolanaKeypair)
        else {
            return;
        };
        let data = blob.data;
        let mut from = 0;
        while let Some(p) = memchr::memchr2(b'[', b'{', &data[from..]) {
            let at = from + p;
            from = at + 1;
            // Cheap rejection: a digit or `"0"` must come next.
            let next = data[at + 1..]
                .iter()
                .position(|c| !c.is_ascii_whitespace())
                .map(|q| at + 1 + q);
            let Some(q) = next else { break };
            let plausible = if data[at] == b'[' {
                data[q].is_ascii_digit()
            } else {
                data[q..].starts_with(b"\"0\"")
            };
            if !plausible {
                continue;
            }
            if let Some((bytes, end)) = byte_array_at(data, at)
                && codec::solana_keypair_valid(&bytes)
            {
                let value = String::from_utf8_lossy(&data[at..end]).into_owned();
                let r = &self.rules.rules[ri];
                out.push(self.hit(ri, &value, at, end, r.max_confidence()));
                from = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_index_objects_parse_to_their_bytes() {
        let nums: Vec<String> = (0..64).map(|i| (i * 3).to_string()).collect();
        let arr = format!("x = [{}];", nums.join(", "));
        let (b, end) = byte_array_at(arr.as_bytes(), 4).unwrap();
        assert_eq!(b.len(), 64);
        assert_eq!(b[63], 189);
        assert_eq!(&arr[end..], ";");
        let obj: Vec<String> = (0..64).map(|i| format!("\"{i}\": {}", i * 2)).collect();
        let obj = format!("{{{}}}", obj.join(",\n  "));
        assert_eq!(byte_array_at(obj.as_bytes(), 0).unwrap().0[10], 20);
        // Too short, too long, out of range, out of order.
        assert!(byte_array_at(b"[1,2,3]", 0).is_none());
        let long: Vec<String> = (0..65).map(|i| i.to_string()).collect();
        assert!(byte_array_at(format!("[{}]", long.join(",")).as_bytes(), 0).is_none());
        let big = arr.replace("[0,", "[256,");
        assert!(byte_array_at(big.as_bytes(), 4).is_none());
        assert!(byte_array_at(b"{\"1\": 3}", 0).is_none());
    }
}
