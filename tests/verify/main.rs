//! Live verification against local mock servers, one per venue. Each mock
//! checks the request exactly as its venue documents (path, headers,
//! signature, timestamp window, passphrase) independently of the scanner's
//! signing code, and answers with the venue's documented shapes.

mod common {
    pub use super::mock::*;
    use tradesecrets::verify::{Credential, Verdict, Verification, Verifier};

    /// A verifier that sends `venue` to `mock`.
    pub fn verifier(venue: &str, mock: &Mock) -> Verifier {
        Verifier::for_tests(&[(venue, &mock.url)]).unwrap()
    }

    pub fn cred(rule: &str, key: &str, secret: &str, passphrase: Option<&str>) -> Credential {
        Credential {
            rule_id: rule.into(),
            key: Some(key.into()),
            secret: Some(secret.into()),
            passphrase: passphrase.map(Into::into),
            private_key: None,
            testnet: false,
        }
    }

    /// Asserts `v` is live with exactly `perms`, `ip` and `critical`.
    pub fn assert_live(v: &Verification, perms: &[&str], ip: Option<bool>, critical: bool) {
        assert_eq!(v.verdict, Verdict::Live, "{v:?}");
        let mut want: Vec<String> = perms.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(v.permissions, want, "{v:?}");
        assert_eq!(v.ip_restricted, ip, "{v:?}");
        assert_eq!(v.critical, critical, "{v:?}");
    }

    /// Asserts `v`'s verdict, and that its detail quotes the venue's `code`.
    pub fn assert_verdict(v: &Verification, want: Verdict, code: &str) {
        assert_eq!(v.verdict, want, "{v:?}");
        assert!(v.detail.contains(code), "{}", v.detail);
    }

    /// Verifies `c` of `venue` with a clock an hour behind: the mock rejects
    /// it, after exactly one request, with `want` and the venue's `code`.
    pub fn assert_stale_rejected(
        venue: &str,
        mock: &Mock,
        c: &Credential,
        want: Verdict,
        code: &str,
    ) -> Verification {
        let r = verifier(venue, mock)
            .with_clock(stale_clock)
            .verify(venue, c);
        assert_verdict(&r, want, code);
        assert_eq!(mock.requests(), 1);
        r
    }

    /// `c` lacks a part `venue` needs: unsupported, and the mock (fresh)
    /// saw no request.
    pub fn assert_not_sent(venue: &str, mock: &Mock, c: &Credential) {
        let r = verifier(venue, mock).verify(venue, c);
        assert_eq!(r.verdict, Verdict::Unsupported, "{r:?}");
        assert_eq!(mock.requests(), 0);
    }

    /// Runs the real binary in `dir` with the test endpoint settings `envs`
    /// and `stdin`: exit code, stdout, stderr.
    pub fn run_bin(
        dir: &std::path::Path,
        envs: &[(&str, &str)],
        args: &[&str],
        stdin: &str,
    ) -> (i32, String, String) {
        let out = crate::tcommon::bin()
            .current_dir(dir)
            .envs(envs.iter().copied())
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// A clock an hour behind.
    pub fn stale_clock() -> u64 {
        now_ms() - 3_600_000
    }
}

mod mock;

#[path = "../common/mod.rs"]
mod tcommon;

mod cli;

mod binance;
mod bitfinex;
mod bitget;
mod bitmex;
mod bybit;
mod coinbase;
mod deribit;
mod gateio;
mod gemini;
mod kraken;
mod kucoin;
mod mexc;
mod okx;
