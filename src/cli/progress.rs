//! The progress line on a terminal.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::report::{self};
use tradesecrets::scan::Progress;

/// What is being scanned, for the words of the line.
#[derive(Clone, Copy)]
pub(super) enum Scanning {
    Files,
    History,
}

/// Shows `p` on stderr every 100 ms, from 750 ms on (a quick scan shows
/// nothing), until `done`; then clears the line.
pub(super) fn spawn_progress(
    p: Arc<Progress>,
    done: Arc<AtomicBool>,
    what: Scanning,
) -> std::thread::JoinHandle<()> {
    // The tests of the line set the wait to 0: a first line at once.
    let wait = std::env::var("TRADESECRETS_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse::<u128>().ok())
        .unwrap_or(750);
    let start = std::time::Instant::now();
    let draw = move |p: &Progress| {
        let elapsed = start.elapsed().as_secs_f64().max(1e-3);
        let f = p.files.load(Ordering::Relaxed);
        let b = p.bytes.load(Ordering::Relaxed);
        let rate = report::human::human_bytes((b as f64 / elapsed) as u64);
        let bytes = report::human::human_bytes(b);
        match what {
            Scanning::Files => eprint!("\r\x1b[2Kscanning: {f} files, {bytes} ({rate}/s)"),
            Scanning::History => {
                let c = p.commits.load(Ordering::Relaxed);
                eprint!(
                    "\r\x1b[2Kscanning history: {c} commits walked, {f} blobs, {bytes} scanned ({rate}/s)"
                )
            }
        }
    };
    let mut shown = wait == 0;
    if shown {
        draw(&p);
    }
    std::thread::spawn(move || {
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if start.elapsed().as_millis() >= wait && !done.load(Ordering::Relaxed) {
                draw(&p);
                shown = true;
            }
        }
        if shown {
            eprint!("\r\x1b[2K");
        }
    })
}
