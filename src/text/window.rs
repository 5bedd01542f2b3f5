//! Windows over texts too large to hold at once, and where a window's
//! positions lie in the whole text.

/// Where a window of a larger text begins in that text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    /// Lines of the text before the window's first line.
    pub line: usize,
    /// Characters of the window's first line that lie before the window.
    pub column: usize,
}

impl Origin {
    /// The origin of what follows `consumed`, which starts at `self`.
    pub fn advance(self, consumed: &[u8]) -> Origin {
        let chars = |b: &[u8]| b.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        match memchr::memrchr(b'\n', consumed) {
            Some(last) => Origin {
                line: self.line + memchr::memchr_iter(b'\n', consumed).count(),
                column: chars(&consumed[last + 1..]),
            },
            None => Origin {
                line: self.line,
                column: self.column + chars(consumed),
            },
        }
    }

    /// A 1-based position in the window -> the same position in the text.
    pub fn shift(self, line: usize, column: usize) -> (usize, usize) {
        if line == 1 {
            (1 + self.line, column + self.column)
        } else {
            (line + self.line, column)
        }
    }
}

/// How texts too large to hold at once are scanned: in windows of `window`
/// bytes, each overlapping the next by `overlap` bytes (the next starts at a
/// line start in the overlap when there is one, and at a character boundary
/// otherwise). A finding belongs to the window in which it starts before the
/// middle of the overlap that follows, so that it is seen with at least
/// `overlap / 2` bytes of context on each side, and is reported once; a
/// finding whose parts straddle that middle is completed by the next window
/// rather than lost (its first part may then be reported twice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windowing {
    /// Texts of more bytes than this are scanned in windows.
    pub threshold: u64,
    pub window: usize,
    pub overlap: usize,
}

impl Default for Windowing {
    fn default() -> Self {
        Windowing {
            threshold: 64 << 20,
            window: 16 << 20,
            overlap: 64 << 10,
        }
    }
}

/// Hidden, for tests: `TRADESECRETS_WINDOW=BYTES` scans texts larger than
/// four windows of BYTES in windows of BYTES.
pub const WINDOW_ENV: &str = "TRADESECRETS_WINDOW";

impl Windowing {
    /// A consistent windowing: at least 4-byte windows, overlaps of at least
    /// 2 bytes and at most half a window.
    pub fn new(threshold: u64, window: usize, overlap: usize) -> Windowing {
        let window = window.max(4);
        Windowing {
            threshold,
            window,
            overlap: overlap.clamp(2, window / 2),
        }
    }

    /// The default, or what [`WINDOW_ENV`] asks for (read once).
    pub fn from_env() -> Windowing {
        static W: std::sync::OnceLock<Windowing> = std::sync::OnceLock::new();
        *W.get_or_init(|| {
            match std::env::var(WINDOW_ENV)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
            {
                Some(w) if w > 0 => Windowing::new(4 * w as u64, w, (w / 4).min(64 << 10)),
                _ => Windowing::default(),
            }
        })
    }

    /// Where the window `data` hands over to the next: the ownership cut
    /// and where the next window starts (`next <= cut`).
    pub fn split(&self, data: &[u8]) -> (usize, usize) {
        let len = data.len();
        let lo = len - self.overlap;
        let cut = len - self.overlap / 2;
        let next = match memchr::memchr(b'\n', &data[lo..cut]) {
            // The next window starts at a line start, and its first line
            // ends before `cut`: a finding it owns then has the line above
            // it (an inline allow comment there) in the same window.
            Some(p) => {
                let end = lo + p;
                if memchr::memchr(b'\n', &data[end + 1..cut]).is_some() {
                    end + 1
                } else {
                    let floor = lo - self.overlap / 2;
                    memchr::memrchr(b'\n', &data[floor..end]).map_or(end + 1, |q| floor + q + 1)
                }
            }
            None => {
                let mut next = lo;
                while next < cut && (data[next] & 0xC0) == 0x80 {
                    next += 1;
                }
                next
            }
        };
        (cut, next)
    }
}
