//! Line and column lookups over a byte text.

/// Line/column lookups for one blob.
pub struct LineMap<'a> {
    data: &'a [u8],
    starts: Vec<usize>,
    /// The last column computed (line, byte offset, column): positions are
    /// asked in file order, so counting resumes there instead of at the
    /// start of the line (a minified line can hold thousands of values).
    last: std::cell::Cell<(usize, usize, usize)>,
}

/// How much of a long line an excerpt keeps on each side of a value.
const EXCERPT: usize = 4096;

impl<'a> LineMap<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', data).map(|p| p + 1));
        LineMap {
            data,
            starts,
            last: std::cell::Cell::new((usize::MAX, 0, 0)),
        }
    }
    /// 1-based line and 1-based character column of a byte offset.
    pub fn position(&self, off: usize) -> (usize, usize) {
        let off = off.min(self.data.len());
        let l = self.starts.partition_point(|&s| s <= off) - 1;
        let (cl, coff, ccol) = self.last.get();
        let (from, base) = if cl == l && coff <= off {
            (coff, ccol)
        } else {
            (self.starts[l], 0)
        };
        let col = base
            + self.data[from..off]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count();
        self.last.set((l, off, col));
        (l + 1, col + 1)
    }
    /// How many lines there are (a final line ending starts an empty line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
    /// Byte range of a 1-based line, without its line ending.
    pub fn line_bounds(&self, line: usize) -> (usize, usize) {
        let s = self.starts[line - 1];
        let mut e = self.starts.get(line).copied().unwrap_or(self.data.len());
        while e > s && matches!(self.data[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        (s, e)
    }
    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &'a [u8] {
        let (s, e) = self.line_bounds(line);
        &self.data[s..e]
    }
    /// The part of `line` shown around the value at `start..end`: the whole
    /// line, or EXCERPT bytes on each side of the value on a long line.
    pub fn excerpt(&self, line: usize, start: usize, end: usize) -> (usize, usize) {
        let (s, e) = self.line_bounds(line);
        let mut a = s.max(start.saturating_sub(EXCERPT));
        let mut b = e.min(end.saturating_add(EXCERPT)).max(a);
        while a > s && a < self.data.len() && (self.data[a] & 0xC0) == 0x80 {
            a -= 1;
        }
        while b < e && (self.data[b] & 0xC0) == 0x80 {
            b += 1;
        }
        (a, b)
    }
}
