//! Where in which config file something is wrong, said the way compilers
//! say it (`file:line:column: message`).

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a config file: `file:line:column` (1-based, columns count
/// characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in a config, with where it is when known.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Everything wrong with a config (or with the set of configs merged).
#[derive(Debug, Clone)]
pub struct ConfigError(pub Vec<Diagnostic>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(crate) fn at(pos: &Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: pos.file.clone(),
            at: Some((pos.line, pos.column)),
            message: message.into(),
        }
    }
    pub(crate) fn file(file: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError(vec![Diagnostic {
            file: file.to_path_buf(),
            at: None,
            message: message.into(),
        }])
    }
}

/// 1-based line and character column of byte `off` in `text`.
pub(super) fn line_col(text: &str, off: usize) -> (usize, usize) {
    let off = off.min(text.len());
    let before = &text[..floor_char_boundary(text, off)];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

pub(super) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
