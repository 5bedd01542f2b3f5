//! Living with findings: what a project has decided not to be told about
//! again, and how much of it there was.
//!
//! - [`config`]: `.tradesecrets.toml` — allowlisted paths, values,
//!   stopwords and regexes; disabled rules, a confidence floor, custom rules.
//! - [`inline`]: `tradesecrets:allow` comments.
//! - [`baseline`]: accepted findings, by content fingerprint.
//!
//! A [`Suppressor`] applies the three to the findings of one blob (where the
//! line before a finding can be read); the [`crate::scan::Scanner`] counts
//! what it suppressed, by [`Reason`].

pub mod baseline;

pub mod inline;

use crate::config::{self, AllowRegex, Config, Target};
pub use crate::finding::Counts;
use crate::finding::Finding;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use crate::finding::SuppressReason as Reason;

/// One suppressed finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub reason: Reason,
    pub fingerprint: String,
    pub path: String,
    pub line: usize,
}

/// Counts `records`; with `one_per_secret`, a secret suppressed in many
/// blobs (history) counts once per reason, as history reports it once.
pub fn counts_of(records: &[Suppressed], one_per_secret: bool) -> Counts {
    Counts::of(
        records.iter().map(|r| (r.reason, r.fingerprint.as_str())),
        one_per_secret,
    )
}

/// How a finding's reported path maps to a file on disk, for `allow.paths`.
#[derive(Debug, Clone)]
pub enum PathBase {
    /// Paths as given on the command line, relative to this (canonical)
    /// working directory or absolute.
    Cwd(PathBuf),
    /// Paths relative to a repository's work tree (history scans).
    Repo(PathBuf),
}

/// The compiled `[allow]` section.
#[derive(Debug, Clone)]
pub struct Allowlist {
    base: PathBuf,
    paths: Option<Gitignore>,
    regexes: Vec<AllowRegex>,
    values: HashSet<String>,
    stopwords: Vec<String>,
}

impl Allowlist {
    pub fn new(c: &Config) -> Result<Allowlist, String> {
        let base = c.base.clone().unwrap_or_default();
        let paths = if c.allow_paths.is_empty() {
            None
        } else {
            let mut b = GitignoreBuilder::new(&base);
            for p in &c.allow_paths {
                b.add_line(None, p)
                    .map_err(|e| format!("allow.paths: {e}"))?;
            }
            Some(b.build().map_err(|e| format!("allow.paths: {e}"))?)
        };
        Ok(Allowlist {
            base,
            paths,
            regexes: c.allow_regexes.clone(),
            values: c.allow_values.iter().cloned().collect(),
            stopwords: c.stopwords.clone(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_none()
            && self.regexes.is_empty()
            && self.values.is_empty()
            && self.stopwords.is_empty()
    }

    fn path_allowed(&self, path: &str, base: &PathBase) -> bool {
        let Some(gi) = &self.paths else {
            return false;
        };
        if path == "-" {
            return false;
        }
        let p = Path::new(path);
        let abs = match base {
            PathBase::Cwd(cwd) => {
                let joined = if p.is_absolute() {
                    p.to_path_buf()
                } else {
                    cwd.join(p)
                };
                std::fs::canonicalize(&joined).unwrap_or_else(|_| config::normalize(&joined))
            }
            PathBase::Repo(root) => config::normalize(&root.join(p)),
        };
        match abs.strip_prefix(&self.base) {
            Ok(rel) if !rel.as_os_str().is_empty() => {
                gi.matched_path_or_any_parents(rel, false).is_ignore()
            }
            _ => false,
        }
    }

    fn value_allowed(&self, v: &str) -> bool {
        if self.values.contains(v) {
            return true;
        }
        if !self.stopwords.is_empty() {
            let lower = v.to_lowercase();
            if self.stopwords.iter().any(|s| lower.contains(s.as_str())) {
                return true;
            }
        }
        false
    }

    /// Whether the allowlist covers `f`: its path, or any of its parts.
    pub fn allows(&self, f: &Finding, base: &PathBase) -> bool {
        if self.path_allowed(&f.primary().path, base) {
            return true;
        }
        f.locations.iter().any(|l| {
            self.value_allowed(&l.secret)
                || self.regexes.iter().any(|r| match r.target {
                    Target::Secret => r.regex.is_match(&l.secret),
                    Target::Line => r.regex.is_match(&l.line_text),
                    Target::Match => r.regex.is_match(&match_text(l)),
                })
        })
    }
}

/// The `match` target: the line from its first non-blank character up to
/// the value's start, then the value.
fn match_text(l: &crate::finding::Location) -> String {
    let before: String = l
        .line_text
        .chars()
        .take(l.column.saturating_sub(1))
        .collect();
    format!("{}{}", before.trim_start(), l.secret)
}

/// Decides, per finding, whether it is reported.
#[derive(Debug, Clone)]
pub struct Suppressor {
    pub allow: Option<Allowlist>,
    /// Honour inline allow comments (off with `--no-inline-allow`).
    pub inline: bool,
    pub baseline: Option<HashSet<String>>,
    pub paths: PathBase,
}

impl Suppressor {
    pub fn new(paths: PathBase) -> Suppressor {
        Suppressor {
            allow: None,
            inline: true,
            baseline: None,
            paths,
        }
    }

    /// Why `f` (found in `data`) is not reported, if it is not.
    pub fn check(&self, f: &Finding, lines: &mut inline::Lines) -> Option<Reason> {
        if self
            .allow
            .as_ref()
            .is_some_and(|a| a.allows(f, &self.paths))
        {
            return Some(Reason::Config);
        }
        if self.inline && inline::allows(f, lines) {
            return Some(Reason::Inline);
        }
        if self
            .baseline
            .as_ref()
            .is_some_and(|b| b.contains(&f.fingerprint))
        {
            return Some(Reason::Baseline);
        }
        None
    }

    /// Removes what is suppressed from `findings` (of one blob) and returns
    /// it.
    pub fn filter(&self, findings: &mut Vec<Finding>, data: &[u8]) -> Vec<Suppressed> {
        let mut lines = inline::Lines::new(data);
        let mut gone = Vec::new();
        findings.retain(|f| match self.check(f, &mut lines) {
            Some(reason) => {
                gone.push(Suppressed {
                    reason,
                    fingerprint: f.fingerprint.clone(),
                    path: f.primary().path.clone(),
                    line: f.primary().line,
                });
                false
            }
            None => true,
        });
        gone
    }
}

/// The work tree of the repository at or above `path` (canonical), or the
/// repository itself when it is bare: what history paths are relative to.
pub fn git_work_tree(path: &str) -> Option<PathBuf> {
    let repo = git2::Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&str>(),
    )
    .ok()?;
    let dir = repo.workdir().unwrap_or_else(|| repo.path());
    Some(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
}
