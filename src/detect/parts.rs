//! What the detector hands on: credential parts found in a blob, and how
//! strongly the surroundings name a venue.

use crate::finding::{CodeContext, Status};
use crate::rules::{Confidence, Part};

/// How strongly the surroundings name a venue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    File,
    Path,
    Block,
    /// The venue owns the block the value is in: `ccxt.okx({` opens it,
    /// its `"name": "binance"` sits in it, or it is the YAML key or TOML
    /// section the value is under.
    Enclosing,
    Line,
    Named,
}

/// One credential part found in a blob.
#[derive(Debug, Clone)]
pub struct PartHit {
    pub rule: usize,
    pub part: Part,
    pub venue: String,
    pub confidence: Confidence,
    pub value: String,
    /// Byte range of the value in the blob.
    pub start: usize,
    pub end: usize,
    /// A known public example value (`rules/examples.toml`).
    pub example: bool,
    /// Leak, example, fixture or vendored: see `verdict`.
    pub status: Status,
    /// The kind of file the blob is.
    pub context: CodeContext,
    /// For a generic credential: the venue or exchange its context names.
    pub venue_name: Option<std::borrow::Cow<'static, str>>,
}
