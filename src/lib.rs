//! tradesecrets: finds leaked exchange API credentials, wallet keys and seed
//! phrases.
//!
//! The library never prints; the binary (`src/main.rs`, `src/cli/`) maps
//! arguments to calls and outcomes to exit codes. Its modules are layered,
//! lowest first; a module names only modules of lower layers, modules of
//! one layer never name each other, and no two files name each other
//! (`tests/layers.rs` keeps it so):
//!
//! ```text
//!  cli (binary)     one file per command; the only code that prints
//!    |
//!  app              git hooks, the rules' self-test, a config's rules set up
//!    |
//!  scan             the pipeline: implements the sources' sinks, runs each
//!    |              text through decoding, detection, pairing, suppression;
//!    |              merges history findings (first commit, present at HEAD)
//!    |
//!  detect  source  suppress  verify  report        (peers)
//!    |       |        |        |       |
//!    |   bytes -> findings; where bytes come from (fs, git, stdin), pushed
//!    |   to a Sink with their Provenance; allow/inline/baseline; live
//!    |   checks; one renderer per format
//!    |
//!  finding  config  the data every peer shares (Finding, ScanReport,
//!    |              Verification); .tradesecrets.toml and its trust boundary
//!  rules            the rule model and the embedded rules
//!    |
//!  text  codec  util   line maps, line hashes, windows, UTF-16; checksums
//!                      and encodings; RFC 3339 time
//! ```
//!
//! `docs/ARCHITECTURE.md` says where a new venue, format, source or
//! verifier goes.
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
