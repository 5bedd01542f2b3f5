//! Renderers. One file per output format; each takes the finished
//! [`ScanReport`] and writes it. Redaction is decided here, once, by
//! [`RenderOptions::show_secrets`].

pub mod human;
pub mod json;

use crate::scan::ScanReport;
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
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
    }
}
