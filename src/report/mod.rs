//! Renderers. One file per output format; each takes the finished
//! [`ScanReport`] and writes it. Redaction is decided here, once, by
//! [`RenderOptions::show_secrets`].
//!
//! The machine formats (SARIF, GitHub workflow commands, JUnit, GitLab) share
//! the helpers below: one way to name a path portably, one description of a
//! rule, and one redacted headline per finding. None of them reads
//! `Location::secret` or `Location::line_text` unless `show_secrets` is set.

pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod venues;

mod common;
mod options;
#[cfg(test)]
mod testdata;

pub use common::{portable_path, verification_value};
pub use options::RenderOptions;

use crate::finding::ScanReport;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: a block per finding, then a summary line.
    Human,
    /// One JSON document (report version 1).
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning (`upload-sarif`) and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// JUnit XML: one test case per finding.
    Junit,
    /// GitLab secret-detection report (schema 15.0.7).
    Gitlab,
}

pub fn render(
    format: Format,
    report: &ScanReport,
    opts: &RenderOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, opts, w),
        Format::Json => json::render(report, opts, w),
        Format::Jsonl => json::render_lines(report, opts, w),
        Format::Sarif => sarif::render(report, opts, w),
        Format::Github => github::render(report, opts, w),
        Format::Junit => junit::render(report, opts, w),
        Format::Gitlab => gitlab::render(report, opts, w),
    }
}
