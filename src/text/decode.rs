//! Bytes -> the text the engine reads: UTF-16 (what Windows tools often
//! write config files in) is decoded to UTF-8, so its keys are found instead
//! of the file being skipped as binary; everything else is passed through.
//!
//! Positions in findings are then positions in the decoded text: lines, and
//! columns in characters (a BOM is not a character of the text).

use std::io::{self, Read};

/// How much of a text is looked at to tell its encoding (and, as before,
/// whether it is binary).
pub const SNIFF: usize = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 or anything else that is read as bytes.
    Bytes,
    /// UTF-16; `bom` when the text starts with a byte order mark.
    Utf16 { big_endian: bool, bom: bool },
}

/// The encoding of a text that starts with `head`: UTF-16 when it starts
/// with a UTF-16 byte order mark, or when its NUL bytes say so — every code
/// unit of ASCII-heavy UTF-16 has one zero byte, always on the same side,
/// and none has two.
pub fn sniff(head: &[u8]) -> Encoding {
    match head {
        // FF FE 00 00 is the UTF-32 LE mark: not UTF-16 (left to the
        // binary check).
        [0xFF, 0xFE, 0, 0, ..] => return Encoding::Bytes,
        [0xFF, 0xFE, ..] => {
            return Encoding::Utf16 {
                big_endian: false,
                bom: true,
            };
        }
        [0xFE, 0xFF, ..] => {
            return Encoding::Utf16 {
                big_endian: true,
                bom: true,
            };
        }
        _ => {}
    }
    let head = &head[..head.len().min(SNIFF)];
    if memchr::memchr(0, head).is_none() {
        return Encoding::Bytes;
    }
    let (mut le, mut be, mut pairs) = (0usize, 0usize, 0usize);
    for u in head.chunks_exact(2) {
        pairs += 1;
        match (u[0], u[1]) {
            (0, 0) => return Encoding::Bytes,
            (_, 0) => le += 1,
            (0, _) => be += 1,
            _ => {}
        }
    }
    // At least two code units, most of them ASCII-like, all on one side.
    if pairs >= 2 && be == 0 && le * 2 >= pairs {
        Encoding::Utf16 {
            big_endian: false,
            bom: false,
        }
    } else if pairs >= 2 && le == 0 && be * 2 >= pairs {
        Encoding::Utf16 {
            big_endian: true,
            bom: false,
        }
    } else {
        Encoding::Bytes
    }
}

/// Decodes a UTF-16 stream to UTF-8 as it is read. Unpaired surrogates and
/// an odd last byte become U+FFFD; a leading byte order mark is dropped.
pub struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// Raw bytes not decoded yet (an odd byte, a high surrogate awaiting its
    /// pair).
    raw: Vec<u8>,
    /// Decoded bytes not handed out yet, from `pos`.
    out: Vec<u8>,
    pos: usize,
    at_start: bool,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            raw: Vec::with_capacity(64 * 1024),
            out: Vec::with_capacity(96 * 1024),
            pos: 0,
            at_start: true,
            eof: false,
        }
    }

    fn unit(&self, i: usize) -> u16 {
        let b = [self.raw[i], self.raw[i + 1]];
        if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        }
    }

    /// Reads more raw bytes and decodes what can be decoded.
    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let have = self.raw.len();
            self.raw.resize(have + 64 * 1024, 0);
            let n = loop {
                match self.inner.read(&mut self.raw[have..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.raw.truncate(have);
                        return Err(e);
                    }
                }
            };
            self.raw.truncate(have + n);
            if n == 0 {
                self.eof = true;
            }
            self.decode();
        }
        Ok(())
    }

    fn decode(&mut self) {
        let mut i = 0;
        let n = self.raw.len();
        let mut buf = [0u8; 4];
        while i + 2 <= n {
            let u = self.unit(i);
            let (c, used) = match u {
                0xD800..=0xDBFF => {
                    if i + 4 > n && !self.eof {
                        break; // its pair may be in the next read
                    }
                    match (i + 4 <= n).then(|| self.unit(i + 2)) {
                        Some(lo @ 0xDC00..=0xDFFF) => {
                            let c = 0x10000 + ((u as u32 - 0xD800) << 10) + (lo as u32 - 0xDC00);
                            (char::from_u32(c).unwrap_or('\u{FFFD}'), 4)
                        }
                        _ => ('\u{FFFD}', 2),
                    }
                }
                0xDC00..=0xDFFF => ('\u{FFFD}', 2),
                _ => (char::from_u32(u as u32).unwrap_or('\u{FFFD}'), 2),
            };
            i += used;
            if self.at_start {
                self.at_start = false;
                if c == '\u{FEFF}' {
                    continue;
                }
            }
            self.out
                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        self.raw.drain(..i);
        if self.eof && !self.raw.is_empty() {
            // An odd last byte.
            self.raw.clear();
            self.out.extend_from_slice("\u{FFFD}".as_bytes());
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Decodes a whole in-memory UTF-16 text (tests, fuzzing, small blobs).
pub fn decode_utf16(data: &[u8], big_endian: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 * 3);
    Utf16Reader::new(data, big_endian)
        .read_to_end(&mut out)
        .expect("reading memory cannot fail");
    out
}

/// Counts the bytes read through it.
pub(crate) struct Counted<R> {
    pub inner: R,
    pub n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, be: bool, bom: bool) -> Vec<u8> {
        let mut v = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(s.encode_utf16());
        for u in units {
            v.extend_from_slice(&if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        v
    }

    #[test]
    fn sniffs_boms_and_nul_patterns() {
        let text = "KEY=value\r\nüñí €𝄞\n";
        for be in [false, true] {
            for bom in [false, true] {
                let data = utf16(text, be, bom);
                assert_eq!(
                    sniff(&data),
                    Encoding::Utf16 {
                        big_endian: be,
                        bom
                    },
                    "be={be} bom={bom}"
                );
                assert_eq!(decode_utf16(&data, be), text.as_bytes());
            }
        }
        assert_eq!(sniff(b"plain text"), Encoding::Bytes);
        assert_eq!(sniff(b"a\0\0\0b\0c\0"), Encoding::Bytes);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0"), Encoding::Bytes);
        assert_eq!(sniff(b"\xFF\xFE\0\0k\0\0\0"), Encoding::Bytes);
        assert_eq!(sniff(b"a\0"), Encoding::Bytes);
    }

    #[test]
    fn decodes_across_reads_and_replaces_garbage() {
        // A surrogate pair split by a tiny reader, unpaired surrogates, an
        // odd last byte.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(3);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let data = utf16("a𝄞b", false, true);
        let mut out = String::new();
        Utf16Reader::new(Trickle(&data), false)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a𝄞b");
        let bad = [0x00, 0xD8, b'x', 0, 0x00, 0xDC, b'y'];
        assert_eq!(
            String::from_utf8(decode_utf16(&bad, false)).unwrap(),
            "\u{FFFD}x\u{FFFD}\u{FFFD}"
        );
        let lone_high_at_end = [b'x', 0, 0x3D, 0xD8];
        assert_eq!(
            String::from_utf8(decode_utf16(&lone_high_at_end, false)).unwrap(),
            "x\u{FFFD}"
        );
    }
}
