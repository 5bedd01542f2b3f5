//! The data the layers above share: a [`Finding`] and its locations, what a
//! scan gives ([`ScanReport`]), and what a venue said of a credential
//! ([`Verification`]).

mod model;
pub mod report;
pub mod verification;

pub use model::{CommitInfo, Finding, Location, Status, fingerprint, redact, redact_in};
pub use report::{Counts, ScanError, ScanReport, Skipped, Stats, sort_findings};
pub use verification::{Verdict, Verification};
