//! What a venue said about a credential (`--verify`): the verdict, what the
//! key may do, and whether it is critical. Data only; [`crate::verify`]
//! asks the venues.

/// What the venue said about a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The venue accepted the signed request: the key works.
    Live,
    /// The venue does not know the key (deleted, expired, or never issued).
    Revoked,
    /// The key exists but the secret or passphrase found with it does not
    /// sign for it, or the credential cannot be used to sign at all.
    Invalid,
    /// No answer that settles it: network error, timeout, rate limit,
    /// server error, clock skew, or an answer this version cannot read.
    Unreachable,
    /// Not checked: the venue or this kind of key is not supported, or the
    /// finding lacks a part the venue needs.
    Unsupported,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Live => "live",
            Verdict::Revoked => "revoked",
            Verdict::Invalid => "invalid",
            Verdict::Unreachable => "unreachable",
            Verdict::Unsupported => "unsupported",
        }
    }

    pub fn parse(s: &str) -> Option<Verdict> {
        [
            Verdict::Live,
            Verdict::Revoked,
            Verdict::Invalid,
            Verdict::Unreachable,
            Verdict::Unsupported,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// Permission names every venue's answer is mapped to.
pub mod perm {
    pub const READ: &str = "read";
    pub const TRADE: &str = "trade";
    pub const WITHDRAW: &str = "withdraw";
    /// Moves between the user's own accounts or sub-accounts.
    pub const TRANSFER: &str = "transfer";
    pub const MARGIN: &str = "margin";
    pub const FUTURES: &str = "futures";
    pub const OPTIONS: &str = "options";
    pub const DEPOSIT: &str = "deposit";
    pub const EARN: &str = "earn";
    /// Manages sub-accounts or other keys.
    pub const ADMIN: &str = "admin";
}

/// The result of verifying one credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub verdict: Verdict,
    /// What the key may do, in the names of [`perm`], sorted; empty when the
    /// venue did not say.
    pub permissions: Vec<String>,
    /// Whether the key only works from listed IP addresses, when the venue
    /// says.
    pub ip_restricted: Option<bool>,
    /// Live, may withdraw, and not restricted to listed IP addresses (or the
    /// venue did not say): whoever holds it can empty the account.
    pub critical: bool,
    /// The host asked; empty when none was.
    pub host: String,
    /// The venue's own words or why it was not checked; never a secret.
    pub detail: String,
    /// The answer came from the venue's testnet or sandbox (the finding's
    /// context says it is a testnet key): a live testnet key holds no real
    /// funds and is never critical.
    pub testnet: bool,
}

impl Verification {
    pub fn new(verdict: Verdict, detail: impl Into<String>) -> Verification {
        Verification {
            verdict,
            permissions: Vec::new(),
            ip_restricted: None,
            critical: false,
            host: String::new(),
            detail: detail.into(),
            testnet: false,
        }
    }

    /// A live key with these permissions.
    pub fn live(permissions: &[&str], ip_restricted: Option<bool>, detail: &str) -> Verification {
        let mut p: Vec<String> = permissions.iter().map(|s| s.to_string()).collect();
        p.sort();
        p.dedup();
        Verification {
            permissions: p,
            ip_restricted,
            ..Verification::new(Verdict::Live, detail)
        }
    }

    pub fn finish(mut self, host: &str) -> Verification {
        self.host = host.to_string();
        self.critical = self.verdict == Verdict::Live
            && self.permissions.iter().any(|p| p == perm::WITHDRAW)
            && self.ip_restricted != Some(true)
            && !self.testnet;
        self
    }

    /// The same answer, marked as the testnet's (never critical).
    pub fn on_testnet(mut self) -> Verification {
        self.testnet = true;
        self.critical = false;
        self
    }

    /// One line for people: `live (read, trade, withdraw; not IP-restricted)`,
    /// `live (testnet; read, trade)`.
    pub fn summary(&self) -> String {
        let mut s = self.verdict.as_str().to_string();
        if self.verdict == Verdict::Live {
            let mut bits = Vec::new();
            if self.testnet {
                bits.push("testnet".into());
            }
            if !self.permissions.is_empty() {
                bits.push(self.permissions.join(", "));
            }
            match self.ip_restricted {
                Some(true) => bits.push("IP-restricted".into()),
                Some(false) => bits.push("not IP-restricted".into()),
                None => {}
            }
            if !bits.is_empty() {
                s = format!("{s} ({})", bits.join("; "));
            }
        } else {
            if self.testnet {
                s = format!("{s} (testnet)");
            }
            if !self.detail.is_empty() {
                s = format!("{s}: {}", self.detail);
            }
        }
        if self.critical {
            s = format!("CRITICAL: {s}: can withdraw from any address, revoke it now");
        }
        s
    }
}
