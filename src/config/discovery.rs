//! Finding the config files that apply and the trust boundary: a config
//! may only name files inside its repository, symbolic links included.

use super::{
    boundary::canonical_dir,
    diagnostics::ConfigError,
    limits::{FILE_NAME, MAX_CONFIG_BYTES},
    merge::merge,
    parse::parse,
    schema::Config,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The repository root at or above `dir`: the first directory holding `.git`.
pub fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Config files for a scan of `start` (a file or directory), outermost
/// first, with the directory discovery stopped at (the bound paths must stay
/// inside).
pub fn discover_files(start: &Path) -> std::io::Result<(Vec<PathBuf>, PathBuf)> {
    let start = canonical_dir(start)?;
    let mut files = Vec::new();
    let mut bound = start.clone();
    for dir in start.ancestors() {
        bound = dir.to_path_buf();
        let f = dir.join(FILE_NAME);
        if std::fs::symlink_metadata(&f).is_ok() {
            files.push(f);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    files.reverse();
    Ok((files, bound))
}

/// Discovers and merges the configs of every path in `starts` (`-`, stdin,
/// counts as the current directory).
pub fn discover(starts: &[PathBuf]) -> Result<Config, ConfigError> {
    let mut seen = HashSet::new();
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    for s in starts {
        let s = if s.as_os_str() == "-" {
            Path::new(".")
        } else {
            s.as_path()
        };
        // A path that does not exist is reported by the scan itself.
        let Ok((files, bound)) = discover_files(s) else {
            continue;
        };
        for f in files {
            if seen.insert(f.clone()) {
                found.push((f, bound.clone()));
            }
        }
    }
    // Outermost first, so that nearer configs override.
    found.sort_by_key(|(f, _)| f.components().count());
    let mut configs = Vec::new();
    let mut errors = Vec::new();
    for (f, bound) in found {
        match load_file(&f, &bound, true) {
            Ok(c) => configs.push(c),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigError(errors));
    }
    Ok(merge(configs))
}

/// Loads the file named by `--config`. Paths in it must stay inside the
/// repository holding it (or its directory, outside any repository).
pub fn load_explicit(path: &Path) -> Result<Config, ConfigError> {
    let dir = canonical_dir(path)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let bound = repo_root(&dir).unwrap_or_else(|| dir.clone());
    load_file(path, &bound, false)
}

/// Parses and checks one config file. `bound`: the directory every path in
/// it must resolve inside. `discovered`: the file was found in the scanned
/// tree (not named by the user), so it must itself be inside `bound`.
pub fn load_file(path: &Path, bound: &Path, discovered: bool) -> Result<Config, ConfigError> {
    let real = std::fs::canonicalize(path)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let bound = std::fs::canonicalize(bound).unwrap_or_else(|_| bound.to_path_buf());
    if discovered && !real.starts_with(&bound) {
        return Err(ConfigError::file(
            path,
            format!(
                "is a link to {}, outside the repository {}; refused",
                real.display(),
                bound.display()
            ),
        ));
    }
    let meta = std::fs::metadata(&real)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    if !meta.is_file() {
        return Err(ConfigError::file(path, "not a regular file"));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::file(
            path,
            format!("larger than {MAX_CONFIG_BYTES} bytes; refused"),
        ));
    }
    let text = std::fs::read_to_string(&real)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, path, &dir, &bound)
}
