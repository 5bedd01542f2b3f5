//! Test data shared by the renderers' unit tests: one paired Binance finding
//! and one history finding, with values generated (never literals).

use super::options::RenderOptions;
use crate::finding::{CommitInfo, Finding, Location, Status, fingerprint, redact};
use crate::finding::{ScanError, ScanReport, Skipped, Stats};
use crate::rules::{Confidence, Part, Severity, template};

pub fn secret(kind: &str, seed: &str) -> String {
    template::expand(&format!("{{{{{kind}}}}}"), seed).unwrap()
}

#[allow(clippy::too_many_arguments)]
pub fn location(
    rule: &str,
    part: Part,
    path: &str,
    line: usize,
    column: usize,
    name: &str,
    value: &str,
) -> Location {
    let text = format!("{name}={value}");
    let red = redact(value, None);
    Location {
        rule_id: rule.into(),
        part,
        path: path.into(),
        line,
        column,
        end_line: line,
        end_column: column + value.chars().count(),
        redacted: red.clone(),
        secret: value.into(),
        line_redacted: text.replace(value, &red),
        line_text: text,
        commit: None,
        context: crate::finding::CodeContext::of_path(path),
        line_hash: Some(format!("{:x}:1", 0x1234_5678_9abc_u64 + line as u64)),
    }
}

pub fn report() -> (ScanReport, Vec<String>) {
    let key = secret("alnum:64", "testdata-key");
    let sec = secret("alnum:64", "testdata-secret");
    let wallet = secret("evmkey", "testdata-wallet");
    let pair = Finding {
        rule_id: "binance.secret-key".into(),
        venue: "Binance".into(),
        venue_id: "binance".into(),
        confidence: Confidence::High,
        severity: Severity::Critical,
        status: Status::Leak,
        fingerprint: fingerprint("binance.secret-key", &sec),
        description: "A Binance API secret.".into(),
        revoke: "https://www.binance.com/en/my/settings/api-management".into(),
        locations: vec![
            location(
                "binance.api-key",
                Part::Key,
                "deploy/my app/.env",
                1,
                17,
                "BINANCE_API_KEY",
                &key,
            ),
            location(
                "binance.secret-key",
                Part::Secret,
                "deploy/my app/.env",
                2,
                20,
                "BINANCE_API_SECRET",
                &sec,
            ),
        ],
        present_at_head: None,
        verification: None,
        testnet: false,
        repository: None,
    };
    let mut old = location(
        "wallet.evm-private-key",
        Part::PrivateKey,
        "scripts/deploy,old.js",
        3,
        13,
        "PRIVATE_KEY",
        &wallet,
    );
    old.commit = Some(CommitInfo {
        sha: "0123456789abcdef0123456789abcdef01234567".into(),
        author: "Dev <dev@example.com>".into(),
        date: "2024-01-02T03:04:05Z".into(),
        summary: "add deploy script".into(),
    });
    let history = Finding {
        rule_id: "wallet.evm-private-key".into(),
        venue: "Wallet".into(),
        venue_id: "wallet".into(),
        confidence: Confidence::Medium,
        severity: Severity::Critical,
        status: Status::Leak,
        fingerprint: fingerprint("wallet.evm-private-key", &wallet),
        description: "An EVM private key.".into(),
        revoke: String::new(),
        locations: vec![old],
        present_at_head: Some(false),
        verification: None,
        testnet: false,
        repository: None,
    };
    let report = ScanReport {
        findings: vec![pair, history],
        errors: vec![ScanError {
            path: "secrets/locked.env".into(),
            message: "cannot read: permission denied".into(),
            repository: None,
        }],
        skipped: vec![Skipped {
            path: "big.bin".into(),
            reason: "larger than --max-file-size".into(),
            repository: None,
        }],
        stats: Stats {
            files_scanned: 2,
            bytes_scanned: 300,
            files_skipped: 1,
            errors: 1,
            elapsed_ms: 12,
            ..Default::default()
        },
        shards: Vec::new(),
    };
    (report, vec![key, sec, wallet])
}

/// The test report rendered by `render` (one renderer's own function).
pub fn render(
    render: fn(&ScanReport, &RenderOptions, &mut dyn std::io::Write) -> std::io::Result<()>,
    show_secrets: bool,
) -> String {
    let (report, _) = report();
    let mut out = Vec::new();
    let opts = RenderOptions {
        show_secrets,
        rules: crate::rules::RuleSet::builtin()
            .ok()
            .map(std::sync::Arc::new),
        cwd: std::env::current_dir().ok(),
        ..Default::default()
    };
    render(&report, &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
