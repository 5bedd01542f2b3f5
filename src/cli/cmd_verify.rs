//! `tradesecrets verify`: one credential from stdin or a key file.

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
    let (source, text) = match &args.file {
        Some(path) => (path.display().to_string(), read_key_file(path)?),
        None => {
            if io::stdin().is_terminal() {
                eprintln!(
                    "tradesecrets: reading the credential from stdin (key, secret, passphrase: one per line; end with Ctrl-D)"
                );
            }
            let mut text = String::new();
            io::Read::read_to_string(&mut io::stdin().lock(), &mut text)
                .map_err(|e| anyhow::anyhow!("cannot read stdin: {e}"))?;
            ("stdin".to_string(), text)
        }
    };
    let mut cred =
        Credential::parse(&args.rule, &text).map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
    cred.testnet = args.testnet;
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

/// The text of a key file, refused unless only its owner may read it.
fn read_key_file(path: &std::path::Path) -> anyhow::Result<String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    if !meta.is_file() {
        anyhow::bail!("{shown}: not a regular file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            anyhow::bail!(
                "{shown}: the key file is readable by others (mode {mode:04o}); restrict it with `chmod 600 {shown}` first"
            );
        }
    }
    std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{shown}: {e}"))
}
