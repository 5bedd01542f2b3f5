//! The trust boundary: a config lives in the repository it describes,
//! which may be hostile, so every path it names must resolve inside that
//! repository (symbolic links included) and no glob may climb out.

use std::path::{Component, Path, PathBuf};

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

pub(super) fn canonical_dir(p: &Path) -> std::io::Result<PathBuf> {
    let c = std::fs::canonicalize(p)?;
    Ok(if c.is_dir() {
        c
    } else {
        c.parent().map(Path::to_path_buf).unwrap_or(c)
    })
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
