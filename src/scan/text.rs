//! One text through the pipeline: decoded when UTF-16, skipped when binary
//! or over the limit, scanned whole or in overlapping windows when large.

use super::scanner::{Collector, Progress, Scanner};
use crate::finding::Finding;
use crate::source::{Content, Provenance};
use crate::text::decode::{self as text, Counted, Encoding, Utf16Reader};
use crate::text::{Origin, Windowing};
use std::collections::HashSet;
use std::io::{self, Read};
use std::sync::atomic::Ordering;

/// How one text (a file, stdin) is read.
#[derive(Debug, Clone, Copy)]
pub struct TextLimits {
    /// Raw bytes beyond which the text is not scanned (`--max-file-size`).
    pub max_bytes: u64,
    /// The raw size, when known beforehand (a file's metadata).
    pub size_hint: Option<u64>,
    /// Skip a text whose first 8 KiB (decoded) hold a NUL byte.
    pub skip_binary: bool,
    pub windowing: Windowing,
}

/// What reading and scanning one text gave.
#[derive(Debug)]
pub struct TextScan {
    /// Findings, at positions in the decoded text.
    pub findings: Vec<Finding>,
    /// Raw bytes read.
    pub bytes: u64,
    pub status: TextStatus,
    pub encoding: Encoding,
}

#[derive(Debug)]
pub enum TextStatus {
    Scanned,
    /// Not scanned: a NUL byte in the first 8 KiB.
    Binary,
    /// Not scanned: more than `max_bytes` (it grew while read).
    TooLarge,
    /// Reading failed after `bytes`; `findings` are those of what was read.
    Failed(io::Error),
}

/// Reads until `buf` holds `target` bytes; true at the end of the input.
fn fill(src: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    if buf.len() >= target {
        return Ok(false);
    }
    let want = (target - buf.len()) as u64;
    let n = src.take(want).read_to_end(buf)?;
    Ok((n as u64) < want)
}

fn read_head(src: &mut dyn Read, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match src.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// How a text of `provenance` is read: files and blobs within the size
/// limit and skipped when binary; a stream is whatever the user pipes in,
/// with no limit and no binary skip.
fn text_limits(scanner: &Scanner, content: &Content<'_>, provenance: &Provenance) -> TextLimits {
    let opts = &scanner.options;
    let size_hint = match content {
        Content::Bytes(b) => Some(b.len() as u64),
        Content::Reader { size, .. } => *size,
    };
    match provenance {
        Provenance::Stdin { .. } => TextLimits {
            max_bytes: u64::MAX,
            size_hint,
            skip_binary: false,
            windowing: Windowing::from_env(),
        },
        _ => TextLimits {
            max_bytes: opts.max_file_size,
            size_hint,
            skip_binary: !opts.include_binary,
            windowing: Windowing::from_env(),
        },
    }
}

/// The skip reason of a binary text.
const BINARY: &str = "binary (NUL byte in the first 8 KiB; use --include-binary)";

impl Scanner {
    /// One text of any source through the pipeline, its outcome recorded
    /// in `out`: skipped (binary, over the limit) or unreadable, with the
    /// reason, under the provenance's label; or counted as scanned (in
    /// `progress` too). Returns its findings (of what was read, when
    /// reading failed midway).
    pub(super) fn scan_content(
        &self,
        content: Content<'_>,
        provenance: &Provenance,
        scratch: &mut Vec<u8>,
        out: &Collector,
        progress: Option<&Progress>,
    ) -> Vec<Finding> {
        let limits = text_limits(self, &content, provenance);
        let path = provenance.path();
        let r = match content {
            Content::Bytes(b) => self.scan_bytes(b, path, &limits, scratch),
            Content::Reader { reader, .. } => self.scan_text(reader, path, &limits, scratch),
        };
        match r.status {
            TextStatus::Scanned => {}
            TextStatus::Binary => {
                out.skip(provenance.label(), BINARY);
                return Vec::new();
            }
            TextStatus::TooLarge => {
                out.skip(
                    provenance.label(),
                    format!(
                        "grew beyond --max-file-size ({} bytes) while read",
                        self.options.max_file_size
                    ),
                );
                return Vec::new();
            }
            TextStatus::Failed(e) => {
                out.error(provenance.label(), format!("cannot read: {e}"));
                return r.findings;
            }
        }
        out.files.fetch_add(1, Ordering::Relaxed);
        out.bytes.fetch_add(r.bytes, Ordering::Relaxed);
        if let Some(p) = progress {
            p.files.fetch_add(1, Ordering::Relaxed);
            p.bytes.fetch_add(r.bytes, Ordering::Relaxed);
        }
        r.findings
    }

    /// Scans a text already in memory (a git blob) exactly as
    /// [`Scanner::scan_text`] would read it from a file — UTF-16 decoded,
    /// binary skipped, windows past the threshold — but without copying it
    /// when it is plain and small enough to scan whole.
    pub fn scan_bytes(
        &self,
        data: &[u8],
        path: &str,
        limits: &TextLimits,
        scratch: &mut Vec<u8>,
    ) -> TextScan {
        let bytes = data.len() as u64;
        let plain = text::sniff(&data[..data.len().min(text::SNIFF)]) == Encoding::Bytes;
        if !plain || bytes > limits.windowing.threshold || bytes > limits.max_bytes {
            return self.scan_text(data, path, limits, scratch);
        }
        let binary =
            limits.skip_binary && memchr::memchr(0, &data[..data.len().min(text::SNIFF)]).is_some();
        TextScan {
            findings: if binary {
                Vec::new()
            } else {
                self.scan_blob(data, path)
            },
            bytes,
            status: if binary {
                TextStatus::Binary
            } else {
                TextStatus::Scanned
            },
            encoding: Encoding::Bytes,
        }
    }

    /// Reads a text from `reader` and scans it: UTF-16 is decoded first,
    /// and a text larger than `limits.windowing.threshold` is scanned in
    /// overlapping windows, in bounded memory. `buf` is scratch space.
    pub fn scan_text(
        &self,
        reader: impl Read,
        path: &str,
        limits: &TextLimits,
        buf: &mut Vec<u8>,
    ) -> TextScan {
        let mut raw = Counted {
            inner: reader.take(limits.max_bytes.saturating_add(1)),
            n: 0,
        };
        let mut head = [0u8; text::SNIFF];
        let (findings, status, encoding) = match read_head(&mut raw, &mut head) {
            Err(e) => (Vec::new(), TextStatus::Failed(e), Encoding::Bytes),
            Ok(n) => {
                let encoding = text::sniff(&head[..n]);
                let chained = (&head[..n]).chain(&mut raw);
                let mut src: Box<dyn Read + '_> = match encoding {
                    Encoding::Utf16 { big_endian, .. } => {
                        Box::new(Utf16Reader::new(chained, big_endian))
                    }
                    Encoding::Bytes => Box::new(chained),
                };
                let (f, st) = self.scan_decoded(&mut *src, path, limits, buf);
                (f, st, encoding)
            }
        };
        let bytes = raw.n;
        let (findings, status) = match status {
            TextStatus::Scanned if bytes > limits.max_bytes => (Vec::new(), TextStatus::TooLarge),
            st => (findings, st),
        };
        TextScan {
            findings,
            bytes,
            status,
            encoding,
        }
    }

    fn scan_decoded(
        &self,
        src: &mut dyn Read,
        path: &str,
        limits: &TextLimits,
        buf: &mut Vec<u8>,
    ) -> (Vec<Finding>, TextStatus) {
        let w = limits.windowing;
        buf.clear();
        let whole = usize::try_from(w.threshold)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let windowed = limits.size_hint.is_some_and(|s| s > w.threshold);
        let mut eof = match fill(src, buf, if windowed { w.window } else { whole }) {
            Ok(e) => e,
            Err(e) => return (Vec::new(), TextStatus::Failed(e)),
        };
        if limits.skip_binary && memchr::memchr(0, &buf[..buf.len().min(text::SNIFF)]).is_some() {
            return (Vec::new(), TextStatus::Binary);
        }
        if eof && buf.len() < whole {
            return (self.scan_blob(buf, path), TextStatus::Scanned);
        }
        let mut findings = Vec::new();
        let mut origin = Origin::default();
        let mut own_from = 0;
        let mut seen = HashSet::new();
        loop {
            if !eof && buf.len() < w.window {
                eof = match fill(src, buf, w.window) {
                    Ok(e) => e,
                    Err(e) => return (findings, TextStatus::Failed(e)),
                };
            }
            let last = eof && buf.len() <= w.window;
            let data = &buf[..if last { buf.len() } else { w.window }];
            let (cut, next) = if last {
                (usize::MAX, data.len())
            } else {
                w.split(data)
            };
            findings.extend(self.scan_part(data, path, origin, own_from..cut, &mut seen));
            if last {
                return (findings, TextStatus::Scanned);
            }
            origin = origin.advance(&data[..next]);
            own_from = cut - next;
            buf.drain(..next);
        }
    }
}
