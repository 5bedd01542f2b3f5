//! The file-system walker: parallel, honours `.gitignore`, `.ignore` and
//! `.tradesecretsignore`, scans dotfiles (`.env` is where keys leak most),
//! never descends into `.git/`, never opens anything but regular files, and
//! reuses one read buffer per thread. UTF-16 files are decoded (see
//! [`text`](super::text)); files larger than 64 MiB are scanned in
//! overlapping 16 MiB windows (see [`Windowing`]), so memory stays bounded
//! whatever `--max-file-size` allows.

use crate::scan::{Collector, Progress, Scanner, TextLimits, TextStatus};
use crate::text::Windowing;
use ignore::{WalkBuilder, WalkState};
use std::fs::File;
use std::path::Path;
use std::sync::atomic::Ordering;

pub const IGNORE_FILE: &str = ".tradesecretsignore";

/// How a path is shown: as the user gave it, without a leading `./`.
pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    s.replace('\\', "/")
}

pub(crate) fn walk(
    scanner: &Scanner,
    roots: &[String],
    out: &Collector,
    progress: Option<&Progress>,
) {
    let opts = &scanner.options;
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
            scan_file(scanner, path, &mut buf, out, progress);
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
                            out.skip(display_path(e.path()), "symbolic link (not followed)");
                            return WalkState::Continue;
                        }
                        scan_file(scanner, e.path(), &mut buf, out, progress);
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

fn scan_file(
    scanner: &Scanner,
    path: &Path,
    buf: &mut Vec<u8>,
    out: &Collector,
    progress: Option<&Progress>,
) {
    let shown = display_path(path);
    let opts = &scanner.options;
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
        out.skip(shown, "not a regular file (FIFO, socket or device)");
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
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            out.error(shown, format!("cannot read: {e}"));
            return;
        }
    };
    // UTF-16 is decoded; files larger than the windowing threshold are
    // scanned in overlapping windows, never held whole.
    let limits = TextLimits {
        max_bytes: opts.max_file_size,
        size_hint: Some(meta.len()),
        skip_binary: !opts.include_binary,
        windowing: Windowing::from_env(),
    };
    let r = scanner.scan_text(file, &shown, &limits, buf);
    // Do not let one huge file pin its buffer for the rest of the walk.
    if buf.capacity() > 8 * 1024 * 1024 {
        *buf = Vec::with_capacity(64 * 1024);
    }
    match r.status {
        TextStatus::Scanned => {}
        TextStatus::Binary => {
            out.skip(
                shown,
                "binary (NUL byte in the first 8 KiB; use --include-binary)",
            );
            return;
        }
        TextStatus::TooLarge => {
            out.skip(
                shown,
                format!(
                    "grew beyond --max-file-size ({} bytes) while read",
                    opts.max_file_size
                ),
            );
            return;
        }
        TextStatus::Failed(e) => {
            // What was read before the failure was scanned.
            out.error(shown, format!("cannot read: {e}"));
            if !r.findings.is_empty() {
                out.findings.lock().unwrap().extend(r.findings);
            }
            return;
        }
    }
    out.files.fetch_add(1, Ordering::Relaxed);
    out.bytes.fetch_add(r.bytes, Ordering::Relaxed);
    if let Some(p) = progress {
        p.files.fetch_add(1, Ordering::Relaxed);
        p.bytes.fetch_add(r.bytes, Ordering::Relaxed);
    }
    if !r.findings.is_empty() {
        out.findings.lock().unwrap().extend(r.findings);
    }
}
