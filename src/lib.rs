//! tradesecrets: finds leaked exchange API credentials, wallet keys and seed
//! phrases.
//!
//! The library never prints: sources produce blobs, the [`detect`] engine
//! turns blobs into findings, and [`report`] renders them. `main.rs` only maps
//! arguments to calls and outcomes to exit codes.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod codec;
pub mod config;
pub mod detect;
pub mod finding;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod suppress;
pub mod text;
pub mod util;
pub mod verify;

pub use finding::{Finding, Location, Status};
pub use rules::{Confidence, Part, Rule, RuleSet, Severity};
pub use scan::{ScanOptions, ScanReport, Scanner};
