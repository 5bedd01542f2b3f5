//! The pipeline: a [`Scanner`] implements the sinks the sources push texts
//! to (`tree` for files and streams, `history` for git), runs each text
//! through one text pipeline (`text`: decoding, binary and size checks,
//! windows) into the detector, the pairing and the suppressors, and
//! collects a [`ScanReport`]. Nothing here prints; per-file problems are
//! collected as [`ScanError`]s and the scan goes on.

mod history;
mod scanner;
mod text;
mod tree;

pub use crate::finding::{ScanError, ScanReport, Skipped, Stats, sort_findings};
pub use scanner::{Progress, ScanOptions, Scanner};
pub use text::{TextLimits, TextScan, TextStatus};
