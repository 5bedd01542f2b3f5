//! Several config files (outermost first) into one, re-rooting what is
//! relative to each file's directory.

use super::schema::Config;
use std::path::{Path, PathBuf};

/// Rewrites a gitignore-style pattern written relative to `prefix` (a
/// `/`-separated path below the new root) so that it means the same thing
/// relative to the new root.
pub fn reroot(pattern: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return pattern.to_string();
    }
    let (neg, rest) = match pattern.strip_prefix('!') {
        Some(r) => ("!", r),
        None => ("", pattern),
    };
    let (body, dir_only) = match rest.strip_suffix('/') {
        Some(b) => (b, "/"),
        None => (rest, ""),
    };
    let prefix = prefix.trim_matches('/');
    let out = if let Some(anchored) = body.strip_prefix('/') {
        format!("/{prefix}/{anchored}")
    } else if body.contains('/') {
        format!("/{prefix}/{body}")
    } else {
        format!("/{prefix}/**/{body}")
    };
    format!("{neg}{out}{dir_only}")
}

/// Merges configs given outermost first: lists are concatenated, scalars
/// from the nearest config win, and path globs are rewritten relative to the
/// common ancestor of the configs' directories.
pub fn merge(configs: Vec<Config>) -> Config {
    let mut configs = configs.into_iter();
    let Some(mut out) = configs.next() else {
        return Config::default();
    };
    for c in configs {
        let (Some(a), Some(b)) = (out.base.clone(), c.base.clone()) else {
            continue;
        };
        let common = common_ancestor(&a, &b);
        let rebase = |globs: Vec<String>, from: &Path| -> Vec<String> {
            let prefix = from
                .strip_prefix(&common)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            globs.into_iter().map(|g| reroot(&g, &prefix)).collect()
        };
        let mut paths = rebase(std::mem::take(&mut out.allow_paths), &a);
        paths.extend(rebase(c.allow_paths, &b));
        out.allow_paths = paths;
        out.base = Some(common);
        out.files.extend(c.files);
        out.allow_regexes.extend(c.allow_regexes);
        out.allow_values.extend(c.allow_values);
        out.stopwords.extend(c.stopwords);
        out.disable.extend(c.disable);
        out.custom.extend(c.custom);
        if c.min_confidence.is_some() {
            out.min_confidence = c.min_confidence;
        }
        if c.baseline.is_some() {
            out.baseline = c.baseline;
        }
    }
    out
}

pub(super) fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for (x, y) in a.components().zip(b.components()) {
        if x != y {
            break;
        }
        out.push(x.as_os_str());
    }
    out
}
