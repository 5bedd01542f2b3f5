//! The progress line on a terminal.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::report::{self};
use tradesecrets::scan::Progress;

pub(super) fn spawn_progress(
    p: Arc<Progress>,
    done: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let start = std::time::Instant::now();
        let mut shown = false;
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if start.elapsed().as_millis() < 750 {
                continue;
            }
            let f = p.files.load(Ordering::Relaxed);
            let b = p.bytes.load(Ordering::Relaxed);
            eprint!(
                "\r\x1b[2Kscanning: {f} files, {}",
                report::human::human_bytes(b)
            );
            shown = true;
        }
        if shown {
            eprint!("\r\x1b[2K");
        }
    })
}
