//! Where bytes come from. A source reads texts — files of a directory
//! tree ([`fs`]), blobs of a git history, range or index ([`git`], reading
//! packs with [`pack`]), standard input — and pushes each, with where it
//! came from, to a [`Sink`]. The scan layer implements the sink; no source
//! knows about detection, findings or reports.

pub mod fs;
pub mod git;
pub mod pack;

use std::io::Read;

/// Where one text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A file of the tree being scanned, by its displayed path.
    File { path: String },
    /// A git blob: where it was first seen (the commit is an index into the
    /// source's commit list; `usize::MAX` for the index) and, in ranges and
    /// staged changes, the added lines (1-based, sorted) findings must
    /// touch; `None` keeps every line.
    Git {
        path: String,
        blob: git2::Oid,
        commit: usize,
        added: Option<Vec<u32>>,
    },
    /// A stream, reported under `name` (`-`).
    Stdin { name: String },
}

impl Provenance {
    /// The path findings are reported under.
    pub fn path(&self) -> &str {
        match self {
            Provenance::File { path } | Provenance::Git { path, .. } => path,
            Provenance::Stdin { name } => name,
        }
    }

    /// How the text is named in a skip or error entry: a git blob carries
    /// its object id.
    pub fn label(&self) -> String {
        match self {
            Provenance::Git { path, blob, .. } => format!("{path} ({blob})"),
            p => p.path().to_string(),
        }
    }
}

/// The content of one text.
pub enum Content<'a> {
    /// Already in memory (a git blob).
    Bytes(&'a [u8]),
    /// To be read (a file, a stream); `size` when known beforehand.
    Reader {
        reader: &'a mut dyn Read,
        size: Option<u64>,
    },
}

/// What sources push to. Called from many worker threads at once: each
/// worker passes its own reusable `scratch` buffer.
pub trait Sink: Sync {
    /// One text to scan.
    fn text(&self, content: Content<'_>, provenance: &Provenance, scratch: &mut Vec<u8>);
    /// Something deliberately not scanned, and why.
    fn skip(&self, path: String, reason: String);
    /// Something that could not be read; the scan goes on.
    fn error(&self, path: String, message: String);
    /// `n` commits walked so far (for a progress line).
    fn commits_walked(&self, _n: usize) {}
}
