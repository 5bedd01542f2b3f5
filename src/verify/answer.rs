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

/// What the `can*` flags of a Binance-style `GET /api/v3/account` answer
/// (Binance's Spot testnet, MEXC) say the key may do; `None` when the
/// answer has no `canTrade`. Every key that gets the answer may read.
pub fn account_flags(v: &serde_json::Value) -> Option<Vec<&'static str>> {
    use crate::finding::verification::perm;
    v.get("canTrade")?;
    let flag = |k: &str| v.get(k).and_then(|x| x.as_bool()).unwrap_or(false);
    let mut p = vec![perm::READ];
    for (field, name) in [
        ("canTrade", perm::TRADE),
        ("canWithdraw", perm::WITHDRAW),
        ("canDeposit", perm::DEPOSIT),
    ] {
        if flag(field) {
            p.push(name);
        }
    }
    Some(p)
}
