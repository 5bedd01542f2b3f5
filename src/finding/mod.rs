//! The data the layers above share: a [`Finding`] and its locations, what a
//! scan gives ([`ScanReport`]), and what a venue said of a credential
//! ([`Verification`]).

pub mod context;
mod model;
pub mod report;
pub mod verification;

pub use context::CodeContext;
pub use model::{CommitInfo, Finding, Location, Status, fingerprint, redact, redact_in};
pub use report::{
    Counts, Hidden, Include, ScanError, ScanReport, Skipped, Stats, VersionControl,
    mark_repeated_samples, sort_findings,
};
pub use verification::{Verdict, Verification};
