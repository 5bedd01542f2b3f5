//! `tradesecrets verify`: one credential from stdin.

use super::{
    args::VerifyArgs,
    output::{EXIT_ERROR, EXIT_FINDINGS},
    setup::load_rules,
};
use std::io::{self, IsTerminal};

/// `tradesecrets verify --rule ID`: one credential from stdin.
pub(super) fn verify_cmd(args: VerifyArgs) -> anyhow::Result<u8> {
    use tradesecrets::verify::{Credential, Verdict, Verifier};
    let rules = load_rules()?;
    let Some(rule) = rules.rules.iter().find(|r| r.spec.id == args.rule) else {
        anyhow::bail!(
            "unknown rule `{}` (see `tradesecrets rules list`)",
            args.rule
        );
    };
    if io::stdin().is_terminal() {
        eprintln!(
            "tradesecrets: reading the credential from stdin (key, secret, passphrase: one per line; end with Ctrl-D)"
        );
    }
    let mut text = String::new();
    io::Read::read_to_string(&mut io::stdin().lock(), &mut text)
        .map_err(|e| anyhow::anyhow!("cannot read stdin: {e}"))?;
    let cred = Credential::parse(&args.rule, &text).map_err(|e| anyhow::anyhow!("stdin: {e}"))?;
    let verifier = Verifier::from_env().map_err(|e| anyhow::anyhow!(e))?;
    if let Some(host) = verifier.host_for(&rule.venue, &cred) {
        eprintln!("tradesecrets: verify: one read-only request to {host}");
    }
    let result = verifier.verify(&rule.venue, &cred);
    if args.json {
        let mut v = serde_json::json!({"rule_id": args.rule, "venue": rule.venue});
        if let serde_json::Value::Object(fields) = tradesecrets::report::verification_value(&result)
        {
            for (k, x) in fields {
                v[k] = x;
            }
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{}: {}", args.rule, result.summary());
        if !result.detail.is_empty() && result.verdict == Verdict::Live {
            println!("  {} says: {}", result.host, result.detail);
        }
    }
    Ok(match result.verdict {
        Verdict::Live => EXIT_FINDINGS,
        Verdict::Revoked | Verdict::Invalid => 0,
        Verdict::Unreachable | Verdict::Unsupported => EXIT_ERROR,
    })
}
