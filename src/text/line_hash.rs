//! GitHub's `primaryLocationLineHash`: SARIF alert tracking across runs.

use std::collections::HashMap;

/// Characters hashed per line: the line's first 100 characters that are not
/// spaces or tabs, continuing into the following lines when it is shorter.
const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
/// `fingerprints.ts` appends this code unit at the end of the file.
const EOF: u32 = 65535;

/// GitHub's `primaryLocationLineHash` of the given 1-based lines of a file,
/// ported from `hash()` in github/codeql-action `src/fingerprints.ts`.
///
/// That function decodes the file as UTF-8 (invalid bytes become U+FFFD) and
/// walks its UTF-16 code units; it skips spaces and tabs, turns `\r` and
/// `\r\n` into `\n`, and keeps a rolling polynomial hash (base 37, wrapping
/// 64-bit arithmetic) over a window of the last 100 kept code units. A line's
/// hash is the hash of the window that starts at the line's first kept code
/// unit; the end of the file is a 65535 code unit followed by zeros. The value
/// is `<hash in lower-case hex>:<n>`, where `n` counts how many lines so far
/// had the same hash. The hash therefore depends on the line, on up to 100
/// characters after it and on earlier identical lines — never on the path.
///
/// Lines are counted as GitHub counts them (`\n`, `\r\n` and a lone `\r` end
/// a line). Returns the hashes of the `wanted` lines that exist.
pub fn line_hashes(data: &[u8], wanted: &[usize]) -> HashMap<usize, String> {
    let mut out = HashMap::new();
    let Some(&max) = wanted.iter().max() else {
        return out;
    };
    let wanted: std::collections::HashSet<usize> = wanted.iter().copied().collect();
    let text = String::from_utf8_lossy(data);
    let mut h = RollingHash::new();
    let mut counts: HashMap<u64, u32> = HashMap::new();
    let done = std::cell::Cell::new(false);
    let mut emit = |line: usize, hash: u64| {
        let n = counts.entry(hash).or_insert(0);
        *n += 1;
        if wanted.contains(&line) {
            out.insert(line, format!("{hash:x}:{n}"));
        }
        if line >= max {
            done.set(true);
        }
    };
    for unit in text.encode_utf16() {
        h.process(unit as u32, &mut emit);
        if done.get() {
            return out;
        }
    }
    h.process(EOF, &mut emit);
    h.flush(&mut emit);
    out
}

struct RollingHash {
    window: [u32; BLOCK_SIZE],
    line_numbers: [usize; BLOCK_SIZE],
    hash: u64,
    first_mod: u64,
    index: usize,
    line_number: usize,
    line_start: bool,
    prev_cr: bool,
}

const NO_LINE: usize = 0;

impl RollingHash {
    fn new() -> Self {
        RollingHash {
            window: [0; BLOCK_SIZE],
            line_numbers: [NO_LINE; BLOCK_SIZE],
            hash: 0,
            first_mod: (0..BLOCK_SIZE).fold(1u64, |m, _| m.wrapping_mul(MOD)),
            index: 0,
            line_number: 0,
            line_start: true,
            prev_cr: false,
        }
    }

    fn output(&mut self, emit: &mut impl FnMut(usize, u64)) {
        emit(self.line_numbers[self.index], self.hash);
        self.line_numbers[self.index] = NO_LINE;
    }

    fn update(&mut self, current: u32) {
        let begin = self.window[self.index];
        self.window[self.index] = current;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(current as u64)
            .wrapping_sub(self.first_mod.wrapping_mul(begin as u64));
        self.index = (self.index + 1) % BLOCK_SIZE;
    }

    fn process(&mut self, mut current: u32, emit: &mut impl FnMut(usize, u64)) {
        const TAB: u32 = b'\t' as u32;
        const SPACE: u32 = b' ' as u32;
        const LF: u32 = b'\n' as u32;
        const CR: u32 = b'\r' as u32;
        if current == SPACE || current == TAB || (self.prev_cr && current == LF) {
            self.prev_cr = false;
            return;
        }
        if current == CR {
            current = LF;
            self.prev_cr = true;
        } else {
            self.prev_cr = false;
        }
        if self.line_numbers[self.index] != NO_LINE {
            self.output(emit);
        }
        if self.line_start {
            self.line_start = false;
            self.line_number += 1;
            self.line_numbers[self.index] = self.line_number;
        }
        if current == LF {
            self.line_start = true;
        }
        self.update(current);
    }

    fn flush(&mut self, emit: &mut impl FnMut(usize, u64)) {
        for _ in 0..BLOCK_SIZE {
            if self.line_numbers[self.index] != NO_LINE {
                self.output(emit);
            }
            self.update(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's hash, as GitHub counts lines (a lone `\r` ends one too).
    fn all_hashes(data: &[u8]) -> Vec<String> {
        let n = data.len() + 2;
        let wanted: Vec<usize> = (1..=n).collect();
        let h = line_hashes(data, &wanted);
        (1..=n).filter_map(|l| h.get(&l).cloned()).collect()
    }

    /// Expected values printed by a transcription of `hash()` from
    /// github/codeql-action `src/fingerprints.ts`, run under Node.js with the
    /// `long` package: CRLF, lone CR, tabs, repeated lines (the `:n` count),
    /// lines longer than the 100-character window, a BOM, invalid UTF-8,
    /// non-BMP characters and U+FFFF. No input holds a credential.
    #[test]
    fn line_hash_matches_codeql_action() {
        let long = [[b'y'; 250].as_slice(), b"\n"].concat().repeat(3);
        let long = [long.as_slice(), b"z\n"].concat();
        let vectors: Vec<(&[u8], Vec<&str>)> = vec![
        (
            b"hello\nworld\n".as_slice(),
            vec!["a2b8faa8c5a43ef3:1", "53f9e022cffbf0f1:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\n".as_slice(),
            vec!["3c5bef55b72b93c9:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"abc".as_slice(),
            vec!["cba6a0809d21a39d:1"],
        ),
        (
            b"one\r\ntwo\r\n\r\nthree".as_slice(),
            vec!["22e7ed6e68435b95:1", "b7f8f27b9f3c0ed1:1", "5ff58b2f1ce0cba9:1", "e65cf7c92d5cdd03:1"],
        ),
        (
            b"one\rtwo\r\rthree\n".as_slice(),
            vec!["3e75c7f1c585b24b:1", "c89fdac74a13c027:1", "8f49d77268a1cd9f:1", "bd8bfd8320422591:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"a\r \nb\n".as_slice(),
            vec!["818c3a85b988abe4:1", "bf4c4d48992e2ca5:1", "ade70578248be16f:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\t\tkey = value\n  \t  other\n".as_slice(),
            vec!["bc195d95aeab8fc4:1", "90d7f71d640f3bc3:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"same\nsame\nsame\n\nsame\nsame\n".as_slice(),
            vec!["3f777e061d0b80ed:1", "c6106fd57852e129:1", "a6d7ed9d62740b15:1", "c3cf7fc9cfa5e471:1", "54dd522503d971eb:1", "930af01a65e2307f:1", "c129715d7a2bc9a3:1"],
        ),
        (
            long.as_slice(),
            vec!["cadd4b5b9d92c51c:1", "cadd4b5b9d92c51c:2", "cadd4b5b9d92c51c:3", "95de0951c928fa27:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\xef\xbb\xbfhello\nworld\n".as_slice(),
            vec!["291af76e7ebb97da:1", "53f9e022cffbf0f1:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"ok\n\xff\xfe bad \xc3\n\xe2\x82 trunc\nend\n".as_slice(),
            vec!["91082d729686a5c3:1", "ec1607b51f0fc4bf:1", "813bd38b2ca7f26f:1", "fe2be582c6296f40:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"na\xc3\xafve \xf0\x9f\x98\x80 line\n\xe7\xac\xac\xe4\xba\x8c\xe8\xa1\x8c\n".as_slice(),
            vec!["7b30a4ec54128e99:1", "31daf85439f3bd81:1", "c129715d7a2bc9a3:1"],
        ),
        (
            b"\r\n:".as_slice(),
            vec!["53257668306b6a27:1", "c49f7090065c539:1"],
        ),
        (
            b":    a\xef\xbb\xbf\ta  \t  \xef\xbf\xbf b\xf0\x9f\x98\x80\xef\xbf\xbf b\r\n\n\rb \xef\xbb\xbfa=\xef\xbb\xbf\xf0\x9f\x98\x80\n\r\xef\xbb\xbf\xef\xbf\xbf\r\n\r\n\xef\xbb\xbf  : config\xef\xbb\xbf\xf0\x9f\x98\x80=\r\n:=\n\xc3\xa9   xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  \r  \xef\xbb\xbf\r\n config\xef\xbf\xbf\t\r\n\t:config\xf0\x9f\x98\x80:\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xf0\x9f\x98\x80=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxa\xf0\x9f\x98\x80\xef\xbb\xbf\xef\xbb\xbfaconfig\xf0\x9f\x98\x80\xc3\xa9= \r\n =\r\rb\t\r  :\rconfig  \xef\xbf\xbf\xf0\x9f\x98\x80=\rb\t:=\ra=\r=\r\n=\r \xef\xbb\xbfa\xf0\x9f\x98\x80:\r  b\r\n \t\rb\t\n\xc3\xa9\xc3\xa9\n\xc3\xa9\xef\xbb\xbf\t\rxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxa\rbaa\n\xef\xbf\xbf\r\n\xef\xbb\xbf :\xef\xbf\xbfconfig\xc3\xa9\n".as_slice(),
            vec!["82293a7270c8e3d6:1", "1ca2552414c625c7:1", "2b5628310183bb96:1", "4b53a90f38ea6844:1", "594e9c16ef43779b:1", "f03c694a959fb775:1", "e4f2b63de74ee9bd:1", "1ef430ec6f47365f:1", "569cc1397df5bb59:1", "8203d3dbe14eb428:1", "4a9bd8815a8dd853:1", "b6cfb23818f75f96:1", "2fde7e456bae50b3:1", "7a067ec0f3c0b4c2:1", "279feb87d712983e:1", "928743ea81e4eff2:1", "356caadec6f71b8f:1", "7adaf33809969f34:1", "3831d404cf7249c9:1", "edc304ab4e184804:1", "9dc4857066b73395:1", "dd40a8b5b26cb44d:1", "db1aee2486c4ee1a:1", "5f583bd21292075f:1", "3d0b48080f57b796:1", "3a1164fc16380032:1", "6c63726936f774d0:1", "688c0688fb72eb5c:1", "8300b98e983bb234:1", "3ce67c598ceb7b5e:1", "168a77fa2421598f:1", "aa9b18bf414f135d:1", "68a7f3dbec94b140:1", "c129715d7a2bc9a3:1"],
        ),
        ];
        for (input, expected) in vectors {
            assert_eq!(all_hashes(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn line_hash_ignores_path_and_early_exit_agrees() {
        let text = b"a = 1\nb = 2\n\n  key = x\nb = 2\n";
        let all = line_hashes(text, &[1, 2, 3, 4, 5]);
        let one = line_hashes(text, &[4]);
        assert_eq!(all[&4], one[&4]);
        // The same line content twice: the count tells them apart.
        assert!(all[&2].ends_with(":1"));
        assert_eq!(line_hashes(b"", &[]).len(), 0);
    }
}
