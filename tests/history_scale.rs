//! A history scan's memory follows the number of objects, not the size of
//! the packs: a synthetic history (built by `scripts/gen-history.py` with
//! real `git fast-import`) whose pack is larger than the bound is scanned
//! in less than the bound, and every planted key pair is found.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// The peak resident memory of `cmd`, in bytes, with its output.
#[cfg(target_os = "linux")]
// `wait4` below reaps the child: `Child::wait` would not give its usage.
#[allow(clippy::zombie_processes)]
fn peak_rss(cmd: &mut Command) -> (u64, Vec<u8>) {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain out-parameters; `child` is ours and not waited for yet.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    let status = std::process::ExitStatus::from_raw(status);
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "{status}: {}",
        String::from_utf8_lossy(&out)
    );
    // `ru_maxrss` is in KiB on Linux.
    (usage.ru_maxrss as u64 * 1024, out)
}

fn pack_bytes(repo: &Path) -> u64 {
    std::fs::read_dir(repo.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum()
}

#[test]
#[cfg(target_os = "linux")]
fn a_large_history_is_scanned_in_bounded_memory() {
    const BOUND: u64 = 96 << 20;
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("big");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-history.py");
    // 20,000 commits (about 120,000 objects) and 300 binaries of 384 KiB.
    let made = Command::new("python3")
        .arg(&script)
        .arg(&repo)
        .args(["--commits", "20000", "--files", "300", "--secrets", "12"])
        .args(["--noise-files", "300", "--noise-kib", "384"])
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs scripts/gen-history.py");
    assert!(made.success());
    let pack = pack_bytes(&repo);
    assert!(
        pack > BOUND,
        "the pack ({pack} bytes) must not fit the bound"
    );

    let (peak, out) = peak_rss(
        Command::new(env!("CARGO_BIN_EXE_tradesecrets"))
            .arg("git")
            .arg(&repo)
            .args(["--format", "json", "--threads", "2"]),
    );
    let report: Value = serde_json::from_slice(&out).unwrap();
    let findings = report["findings"].as_array().unwrap();
    // Each planted pair is one finding, at the commit that planted it.
    assert_eq!(findings.len(), 12, "{report:#}");
    assert_eq!(report["stats"]["files_skipped"], 300, "the binaries");
    assert_eq!(report["stats"]["errors"], 0);
    assert!(
        peak < BOUND,
        "peak RSS {} MiB for a {} MiB pack",
        peak >> 20,
        pack >> 20
    );
}
