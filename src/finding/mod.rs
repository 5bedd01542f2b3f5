//! The data the layers above share: a [`Finding`] and its locations, what a
//! scan gives ([`ScanReport`]), and what a venue said of a credential
//! ([`Verification`]).

pub mod context;
pub mod digest;
pub mod merge;
mod model;
pub mod report;
pub mod verification;

pub use context::CodeContext;
pub use digest::digested;
pub use merge::{Piece, combine, merge_hits, redact_commit};
pub use model::{CommitInfo, Finding, Location, Status, fingerprint, redact, redact_in};
pub use report::{
    Counts, Hidden, Hit, Include, ScanError, ScanReport, Shard, Skipped, Stats, SuppressReason,
    VersionControl, mark_repeated_samples, sort_findings,
};
pub use verification::{Verdict, Verification};
