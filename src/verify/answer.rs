//! The verifications venues' error codes map to, with the same words for
//! every venue (`detail` is the venue's code and message).

use crate::finding::{Verdict, Verification};

/// The secret found with the key does not sign for it.
pub fn wrong_secret(detail: &str) -> Verification {
    Verification::new(
        Verdict::Invalid,
        format!("{detail} (the secret found does not sign for this key)"),
    )
}

/// The passphrase found with the key is not the key's.
pub fn wrong_passphrase(detail: &str) -> Verification {
    Verification::new(
        Verdict::Invalid,
        format!("{detail} (the passphrase found is not this key's)"),
    )
}

/// The venue rejected the request's time.
pub fn clock(detail: &str) -> Verification {
    Verification::new(
        Verdict::Unreachable,
        format!("{detail} (check this machine's clock)"),
    )
}

/// The key exists but only works from its listed IP addresses.
pub fn ip_bound(detail: &str) -> Verification {
    Verification::live(
        &[],
        Some(true),
        &format!("{detail} (the key exists but only works from its listed IP addresses)"),
    )
}

/// The key signs but may not read `what`: live, permissions unknown.
pub fn cannot_read(detail: &str, what: &str) -> Verification {
    Verification::live(
        &[],
        None,
        &format!("{detail} (the key exists but may not read {what})"),
    )
}
