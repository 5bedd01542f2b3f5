//! Finding the config files that apply and the trust boundary: a config
//! may only name files inside its repository, symbolic links included.

use super::*;

/// Removes `.` and resolves `..` lexically (never above the root).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The repository root at or above `dir`: the first directory holding `.git`.
pub fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

pub(super) fn canonical_dir(p: &Path) -> std::io::Result<PathBuf> {
    let c = std::fs::canonicalize(p)?;
    Ok(if c.is_dir() {
        c
    } else {
        c.parent().map(Path::to_path_buf).unwrap_or(c)
    })
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

/// Resolves a relative path named in a config; it must stay inside `bound`,
/// following symbolic links.
pub(super) fn resolve_inside(p: &str, dir: &Path, bound: &Path) -> Result<PathBuf, String> {
    let given = Path::new(p);
    if p.trim().is_empty() {
        return Err("empty path".into());
    }
    if given.has_root() || given.is_absolute() {
        return Err(format!(
            "`{p}` is absolute; a config may only name files inside its repository, relative to its own directory"
        ));
    }
    let joined = normalize(&dir.join(given));
    if !joined.starts_with(bound) {
        return Err(format!(
            "`{p}` resolves to {}, outside the repository {}",
            joined.display(),
            bound.display()
        ));
    }
    if let Ok(real) = std::fs::canonicalize(&joined)
        && !real.starts_with(bound)
    {
        return Err(format!(
            "`{p}` is a link to {}, outside the repository {}",
            real.display(),
            bound.display()
        ));
    }
    Ok(joined)
}

/// An `allow.paths` glob may not climb out of its directory.
pub(super) fn check_glob(g: &str) -> Result<(), String> {
    let t = g.trim();
    if t.is_empty() || t == "!" {
        return Err("empty pattern".into());
    }
    if t.starts_with('#') {
        return Err(format!(
            "`{g}` is a comment in gitignore syntax; write `\\#` for a literal #"
        ));
    }
    let body = t.strip_prefix('!').unwrap_or(t);
    if body.replace('\\', "/").split('/').any(|seg| seg == "..") {
        return Err(format!(
            "`{g}` uses `..`; patterns are relative to the directory of this config and cannot leave it"
        ));
    }
    ignore::gitignore::GitignoreBuilder::new("/")
        .add_line(None, t)
        .map(|_| ())
        .map_err(|e| format!("`{g}`: {e}"))
}
