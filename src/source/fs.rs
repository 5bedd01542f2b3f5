//! The file-system walker: parallel, honours `.gitignore`, `.ignore` and
//! `.tradesecretsignore` (but scans files git tracks whatever `.gitignore`
//! says: a committed `.env` is a leak), scans dotfiles (`.env` is where keys leak most),
//! never descends into `.git/`, never opens anything but regular files, and
//! hands each file, with its size, to the sink with one reused read buffer
//! per thread. The scan layer decodes UTF-16 and scans files larger than
//! 64 MiB in overlapping 16 MiB windows
//! ([`Windowing`](crate::text::Windowing)), so memory stays bounded
//! whatever `--max-file-size` allows.

use super::{Content, Provenance, Sink};
use ignore::{WalkBuilder, WalkState};
use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const IGNORE_FILE: &str = ".tradesecretsignore";

/// How a path is shown: as the user gave it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}

/// What the walk honours.
#[derive(Debug, Clone, Copy)]
pub struct WalkOptions {
    /// Ignore files (`.gitignore`, `.ignore`, [`IGNORE_FILE`]) are not read.
    pub no_ignore: bool,
    /// Walker threads (0: as many as cores).
    pub threads: usize,
    /// Files larger than this are skipped unopened.
    pub max_file_size: u64,
}

/// Walks `roots` (files or directories, symbolic links to either followed)
/// and pushes every regular file to `out`; symbolic links met in a walk,
/// special files and files over the size limit are skipped with their
/// reason.
pub fn walk(out: &dyn Sink, roots: &[String], opts: &WalkOptions) {
    for root in roots {
        let path = Path::new(root);
        let meta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.error(root.clone(), format!("cannot read: {e}"));
                continue;
            }
        };
        // A symbolic link named on the command line is followed, as
        // ripgrep does (a symlinked release directory); links met inside a
        // walk are not, so no loop can start.
        let target_dir = meta.is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if !meta.is_dir() && !target_dir {
            // An explicit file is scanned even if an ignore file lists it.
            let mut buf = Vec::new();
            scan_file(out, opts, path, &mut buf);
            continue;
        }
        // The walker starts inside the link's target when given `link/`.
        let with_slash;
        let path = if target_dir && !root.ends_with('/') {
            with_slash = format!("{root}/");
            Path::new(&with_slash)
        } else {
            path
        };
        let mut b = WalkBuilder::new(path);
        b.hidden(false)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false)
            .follow_links(false)
            .threads(opts.threads)
            .filter_entry(|e| e.file_name() != ".git");
        if !opts.no_ignore {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        // The files the walk sees, inside a git work tree: a tracked file
        // it does not see was skipped by an ignore rule.
        let work_tree = if opts.no_ignore {
            None
        } else {
            super::git::WorkTree::discover(path)
        };
        let in_repo = work_tree.is_some();
        let walked: Mutex<HashSet<PathBuf>> = Mutex::new(HashSet::new());
        let walked_ref = &walked;
        b.build_parallel().run(|| {
            let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
            Box::new(move |entry| {
                match entry {
                    Ok(e) => {
                        let ft = e.file_type();
                        if ft.is_some_and(|t| t.is_dir()) {
                            return WalkState::Continue;
                        }
                        if ft.is_some_and(|t| t.is_symlink()) {
                            out.skip(
                                display_path(e.path()),
                                "symbolic link (not followed)".into(),
                            );
                            return WalkState::Continue;
                        }
                        if in_repo {
                            walked_ref.lock().unwrap().insert(e.path().to_path_buf());
                        }
                        scan_file(out, opts, e.path(), &mut buf);
                    }
                    Err(err) => {
                        let (path, message) = walk_error(&err);
                        let path = path.map_or_else(|| root.clone(), display_path);
                        out.error(path, message);
                    }
                }
                WalkState::Continue
            })
        });
        if let Some(tree) = &work_tree {
            let walked = walked.into_inner().unwrap_or_default();
            let tracked = tree.tracked_but_ignored(path, &|p: &Path| walked.contains(p));
            scan_tracked_but_ignored(out, opts, path, tracked);
        }
    }
}

/// Files git tracks under `dir` although `.gitignore` matches them (the
/// force-added `.env`): the walk skipped them, but they are committed, so
/// they are scanned; the root's [`IGNORE_FILE`] still excludes them.
fn scan_tracked_but_ignored(out: &dyn Sink, opts: &WalkOptions, dir: &Path, tracked: Vec<PathBuf>) {
    if tracked.is_empty() {
        return;
    }
    let mut own = ignore::gitignore::GitignoreBuilder::new(dir);
    own.add(dir.join(IGNORE_FILE));
    let own = own.build().ok();
    let mut buf = Vec::new();
    for path in tracked {
        // A tracked file deleted from the work tree is not there to scan.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_symlink() {
            out.skip(display_path(&path), "symbolic link (not followed)".into());
            continue;
        }
        if own
            .as_ref()
            .is_some_and(|g| g.matched_path_or_any_parents(&path, false).is_ignore())
        {
            continue;
        }
        scan_file(out, opts, &path, &mut buf);
    }
}

/// The path a walk error is about (below any depth wrapper) and what went
/// wrong, without the path repeated: a directory too deep to open by name
/// (a path beyond PATH_MAX) is an error on that directory.
fn walk_error(err: &ignore::Error) -> (Option<&Path>, String) {
    match err {
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::WithPath { path, err } => (Some(path), format!("cannot read: {err}")),
        _ => (None, err.to_string()),
    }
}

fn scan_file(out: &dyn Sink, opts: &WalkOptions, path: &Path, buf: &mut Vec<u8>) {
    let shown = display_path(path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            if std::fs::symlink_metadata(path).is_ok() {
                out.skip(shown, format!("broken symbolic link ({e})"));
            } else {
                out.error(shown, format!("cannot read: {e}"));
            }
            return;
        }
    };
    if !meta.is_file() {
        out.skip(shown, "not a regular file (FIFO, socket or device)".into());
        return;
    }
    if meta.len() > opts.max_file_size {
        out.skip(
            shown,
            format!(
                "larger than --max-file-size ({} > {} bytes)",
                meta.len(),
                opts.max_file_size
            ),
        );
        return;
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.error(shown, format!("cannot read: {e}"));
            return;
        }
    };
    let content = Content::Reader {
        reader: &mut file,
        size: Some(meta.len()),
    };
    out.text(content, &Provenance::File { path: shown }, buf);
    // Do not let one huge file pin its buffer for the rest of the walk.
    if buf.capacity() > 8 * 1024 * 1024 {
        *buf = Vec::with_capacity(64 * 1024);
    }
}
