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

/// A report format (see [`Format::about`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Github,
    Junit,
    Gitlab,
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Format; 7] = [
        Format::Human,
        Format::Json,
        Format::Jsonl,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Gitlab,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }

    /// What the format is for, in a few words.
    pub fn about(self) -> &'static str {
        match self {
            Format::Human => "For people: a block per finding, then a summary line",
            Format::Json => "One JSON document (report version 1)",
            Format::Jsonl => "One JSON finding per line",
            Format::Sarif => {
                "SARIF 2.1.0, for GitHub code scanning (`upload-sarif`) and other SARIF viewers"
            }
            Format::Github => "GitHub Actions workflow commands: one annotation per finding",
            Format::Junit => "JUnit XML: one test case per finding",
            Format::Gitlab => "GitLab secret-detection report (schema 15.0.7)",
        }
    }
}

pub fn render(
    format: Format,
    report: &ScanReport,
    opts: &RenderOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    let repos: std::collections::HashSet<&str> = report
        .findings
        .iter()
        .filter_map(|f| f.repository.as_deref())
        .collect();
    let several = RenderOptions {
        several_repositories: repos.len() > 1,
        ..opts.clone()
    };
    let opts = &several;
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
