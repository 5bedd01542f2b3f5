//! The file-system walker: parallel, honours `.gitignore`, `.ignore` and
//! `.tradesecretsignore`, scans dotfiles (`.env` is where keys leak most),
//! never descends into `.git/`, never opens anything but regular files, and
//! hands each file, with its size, to the sink with one reused read buffer
//! per thread. The scan layer decodes UTF-16 and scans files larger than
//! 64 MiB in overlapping 16 MiB windows
//! ([`Windowing`](crate::text::Windowing)), so memory stays bounded
//! whatever `--max-file-size` allows.

use super::{Content, Provenance, Sink};
use ignore::{WalkBuilder, WalkState};
use std::fs::File;
use std::path::Path;

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

/// Walks `roots` (files or directories) and pushes every regular file to
/// `out`; symbolic links met in a walk, special files and files over the
/// size limit are skipped with their reason.
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
        if !meta.is_dir() {
            // An explicit file is scanned even if an ignore file lists it.
            let mut buf = Vec::new();
            scan_file(out, opts, path, &mut buf);
            continue;
        }
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
