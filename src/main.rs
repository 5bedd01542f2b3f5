//! Thin: parse arguments, call the library, map the outcome to an exit code.

mod cli;

use clap::Parser;
use cli::{
    BaselineCommand, Cli, ColorChoice, Command, ConfigArgs, ConfigCommand, GitArgs, HookArgs,
    HookStage, InstallHookArgs, LimitArgs, MinConfidence, OutputArgs, RulesCommand, ScanArgs,
    SuppressArgs, UninstallHookArgs, VerifyArgs,
};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::report::{self, Format, RenderOptions};
use tradesecrets::rules::check::{self, Level};
use tradesecrets::scan::{Progress, ScanReport};
use tradesecrets::suppress::baseline::Baseline;
use tradesecrets::suppress::config::{self as ts_config, Config};
use tradesecrets::suppress::{self, Allowlist, PathBase, Suppressor};
use tradesecrets::{Confidence, RuleSet, ScanOptions, Scanner};

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// A panic is a bug, never a finding: report where it happened and exit 2,
/// but never the panic's message, which may quote what was being scanned
/// (a slicing panic prints the string it sliced).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            io::stderr().lock(),
            "tradesecrets: internal error{at}; this is a bug, please report it \
             (the message is withheld: it may quote scanned content)"
        );
        std::process::exit(EXIT_ERROR.into());
    }));
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("tradesecrets: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan(args),
        Command::Git(args) => git(args),
        Command::Rules { command } => rules(command),
        Command::Config { command } => config_cmd(command),
        Command::Baseline { command } => baseline_cmd(command),
        Command::Hook(args) => hook(args),
        Command::InstallHook(args) => install_hook(args),
        Command::UninstallHook(args) => uninstall_hook(args),
        Command::Verify(args) => verify_cmd(args),
    }
}

fn load_rules() -> anyhow::Result<RuleSet> {
    RuleSet::builtin().map_err(|errs| {
        anyhow::anyhow!(
            "built-in rules are invalid:\n{}",
            errs.iter()
                .map(|e| format!("  {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn min_conf(m: MinConfidence) -> Confidence {
    match m {
        MinConfidence::Low => Confidence::Low,
        MinConfidence::Medium => Confidence::Medium,
        MinConfidence::High => Confidence::High,
    }
}

/// The config for a scan starting at `starts`: `--config FILE`, nothing
/// with `--no-config`, else every `.tradesecrets.toml` discovered.
fn load_config(args: &ConfigArgs, starts: &[PathBuf]) -> anyhow::Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    Ok(match &args.config {
        Some(f) => ts_config::load_explicit(f)?,
        None => ts_config::discover(starts)?,
    })
}

fn path_starts(paths: &[String]) -> Vec<PathBuf> {
    paths.iter().map(PathBuf::from).collect()
}

fn cwd_base() -> anyhow::Result<PathBase> {
    let cwd = std::env::current_dir()?;
    Ok(PathBase::Cwd(std::fs::canonicalize(&cwd).unwrap_or(cwd)))
}

/// Allowlist (when `allow`), inline comments (when `inline`) and baseline.
fn suppressor(
    config: &Config,
    allow: bool,
    inline: bool,
    baseline: Option<&Path>,
    paths: PathBase,
) -> anyhow::Result<Suppressor> {
    let mut s = Suppressor::new(paths);
    s.inline = inline;
    if allow {
        let a = Allowlist::new(config).map_err(anyhow::Error::msg)?;
        if !a.is_empty() {
            s.allow = Some(a);
        }
    }
    if let Some(b) = baseline {
        s.baseline = Some(
            Baseline::load(b)
                .map_err(anyhow::Error::msg)?
                .fingerprints(),
        );
    }
    Ok(s)
}

/// The baseline a scan filters with: `--baseline`, else the config's.
fn scan_baseline(args: &SuppressArgs, config: &Config) -> Option<PathBuf> {
    args.baseline.clone().or_else(|| {
        (!args.config.no_config)
            .then(|| config.baseline.clone())
            .flatten()
    })
}

fn scanner(
    limits: &LimitArgs,
    include_examples: bool,
    min_confidence: Option<MinConfidence>,
    no_ignore: bool,
    config: &Config,
) -> anyhow::Result<Scanner> {
    let mut rules = load_rules()?;
    config.apply_rules(&mut rules)?;
    let opts = ScanOptions {
        max_file_size: limits.max_file_size,
        include_binary: limits.include_binary,
        no_ignore,
        threads: limits.threads,
        include_examples,
        min_confidence: min_confidence
            .map(min_conf)
            .or(config.min_confidence)
            .unwrap_or(Confidence::Low),
    };
    Ok(Scanner::new(rules, opts))
}

/// The scanner for a repository's history or index, with its config's
/// suppressions (paths relative to the work tree).
fn repo_scanner(
    repo: &str,
    limits: &LimitArgs,
    output: &OutputArgs,
    sup: &SuppressArgs,
) -> anyhow::Result<Scanner> {
    let config = load_config(&sup.config, &[PathBuf::from(repo)])?;
    let config = &config;
    let base = match suppress::git_work_tree(repo) {
        Some(root) => PathBase::Repo(root),
        None => cwd_base()?,
    };
    Ok(scanner(
        limits,
        output.include_examples,
        output.min_confidence,
        false,
        config,
    )?
    .with_suppressor(suppressor(
        config,
        true,
        !sup.no_inline_allow,
        scan_baseline(sup, config).as_deref(),
        base,
    )?))
}

fn git(args: GitArgs) -> anyhow::Result<u8> {
    let scanner = repo_scanner(&args.repo, &args.limits, &args.output, &args.suppress)?;
    let opts = tradesecrets::source::git::GitOptions {
        branch: args.branch.clone(),
        since_commit: args.since_commit.clone(),
        staged: args.staged,
    };
    let mut report = scanner.scan_git(&args.repo, &opts);
    scanner.count_suppressed(&mut report, true);
    if args.verify.verify {
        verify_findings(&mut report)?;
    }
    finish(&report, &args.output)
}

/// `tradesecrets hook`: what a git hook scans (the staged changes, or each
/// pushed range), as one report.
fn hook(args: HookArgs) -> anyhow::Result<u8> {
    use tradesecrets::hooks;
    let targets = match args.stage {
        Some(HookStage::PreCommit) => {
            vec![hooks::staged_target(&args.repo).map_err(anyhow::Error::msg)?]
        }
        Some(HookStage::PrePush) => {
            let mut stdin = String::new();
            io::Read::read_to_string(&mut io::stdin().lock(), &mut stdin)?;
            hooks::pre_push_targets(
                &args.repo,
                args.git_args.first().map(String::as_str),
                &stdin,
            )
            .map_err(anyhow::Error::msg)?
        }
        None => hooks::framework_targets(&args.repo, &|k| std::env::var(k).ok())
            .map_err(anyhow::Error::msg)?,
    };
    let scanner = repo_scanner(&args.repo, &args.limits, &args.output, &args.suppress)?;
    let mut report = ScanReport::default();
    for t in &targets {
        let mut r = scanner.scan_git(&args.repo, &t.opts);
        if t.as_staged {
            hooks::as_staged(&mut r);
        }
        merge(&mut report, r);
    }
    // A commit pushed on two refs is one finding.
    let mut seen = std::collections::HashSet::new();
    report
        .findings
        .retain(|f| seen.insert(f.fingerprint.clone()));
    tradesecrets::scan::sort_findings(&mut report.findings);
    scanner.count_suppressed(&mut report, true);
    let code = finish(&report, &args.output)?;
    if code == EXIT_FINDINGS {
        let commits = targets.iter().any(|t| !t.as_staged && !t.opts.staged);
        let (what, fix, skip) = if commits {
            (
                "push",
                "rewrite those commits without it (`git rebase -i`) and revoke it",
                "git push --no-verify",
            )
        } else {
            (
                "commit",
                "remove it from the staged files (and revoke it if it ever left this machine)",
                "git commit --no-verify",
            )
        };
        let n = report.findings.len();
        eprintln!(
            "tradesecrets: {what} blocked: {n} credential{} in {}. Either {fix}, or accept it \
             with an inline `tradesecrets:allow` comment or a baseline; `{skip}` skips the \
             check once.",
            if n == 1 { "" } else { "s" },
            targets
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    Ok(code)
}

fn install_hook(args: InstallHookArgs) -> anyhow::Result<u8> {
    use tradesecrets::hooks::{self, HookKind};
    let kind = if args.pre_push {
        HookKind::PrePush
    } else {
        HookKind::PreCommit
    };
    let exe = std::env::current_exe().ok();
    let done = hooks::install(&args.repo, kind, args.force, exe.as_deref())?;
    eprintln!(
        "tradesecrets: {} {} hook: {}",
        if done.replaced {
            "replaced the"
        } else {
            "installed a"
        },
        kind.file_name(),
        done.path.display()
    );
    Ok(0)
}

fn uninstall_hook(args: UninstallHookArgs) -> anyhow::Result<u8> {
    use tradesecrets::hooks::{self, HookKind, Uninstalled};
    let kind = if args.pre_push {
        HookKind::PrePush
    } else {
        HookKind::PreCommit
    };
    match hooks::uninstall(&args.repo, kind)? {
        Uninstalled::Removed(p) => eprintln!("tradesecrets: removed {}", p.display()),
        Uninstalled::Absent(p) => eprintln!(
            "tradesecrets: no {} hook at {}",
            kind.file_name(),
            p.display()
        ),
    }
    Ok(0)
}

fn scan(args: ScanArgs) -> anyhow::Result<u8> {
    let config = load_config(&args.suppress.config, &path_starts(&args.paths))?;
    let scanner = scanner(
        &args.limits,
        args.output.include_examples,
        args.output.min_confidence,
        args.no_ignore,
        &config,
    )?
    .with_suppressor(suppressor(
        &config,
        true,
        !args.suppress.no_inline_allow,
        scan_baseline(&args.suppress, &config).as_deref(),
        cwd_base()?,
    )?);
    let stdin_only = args.paths.len() == 1 && args.paths[0] == "-";
    let report = if stdin_only {
        scanner.scan_reader(io::stdin().lock(), "-")
    } else {
        let progress = Arc::new(Progress::default());
        let done = Arc::new(AtomicBool::new(false));
        let show = !args.output.quiet && io::stderr().is_terminal();
        let ticker = show.then(|| spawn_progress(progress.clone(), done.clone()));
        let mut paths: Vec<String> = Vec::new();
        let mut report = ScanReport::default();
        for p in &args.paths {
            if p == "-" {
                let r = scanner.scan_reader(io::stdin().lock(), "-");
                merge(&mut report, r);
            } else {
                paths.push(p.clone());
            }
        }
        if !paths.is_empty() {
            let r = scanner.scan_paths(&paths, Some(&progress));
            merge(&mut report, r);
        }
        done.store(true, Ordering::Relaxed);
        if let Some(t) = ticker {
            let _ = t.join();
        }
        report
    };
    let mut report = report;
    if args.verify.verify {
        verify_findings(&mut report)?;
    }
    finish(&report, &args.output)
}

/// `--verify`: names the hosts it will contact, verifies every finding of a
/// supported venue, and puts the critical ones first.
fn verify_findings(report: &mut ScanReport) -> anyhow::Result<()> {
    let verifier = tradesecrets::verify::Verifier::from_env().map_err(|e| anyhow::anyhow!(e))?;
    let hosts = verifier.hosts(&report.findings);
    if hosts.is_empty() {
        eprintln!("tradesecrets: --verify: no complete credential of a supported venue to check");
    } else {
        eprintln!(
            "tradesecrets: --verify: one read-only request per credential to {}",
            hosts.join(", ")
        );
    }
    verifier.annotate(&mut report.findings);
    report
        .findings
        .sort_by_key(|f| !f.verification.as_ref().is_some_and(|v| v.critical));
    Ok(())
}

/// `tradesecrets verify --rule ID`: one credential from stdin.
fn verify_cmd(args: VerifyArgs) -> anyhow::Result<u8> {
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

fn merge(into: &mut ScanReport, r: ScanReport) {
    into.findings.extend(r.findings);
    into.errors.extend(r.errors);
    into.skipped.extend(r.skipped);
    into.stats.files_scanned += r.stats.files_scanned;
    into.stats.bytes_scanned += r.stats.bytes_scanned;
    into.stats.files_skipped += r.stats.files_skipped;
    into.stats.errors += r.stats.errors;
    into.stats.elapsed_ms += r.stats.elapsed_ms;
    into.stats.suppressed += r.stats.suppressed;
    into.stats.suppressed_by.add(&r.stats.suppressed_by);
}

fn spawn_progress(p: Arc<Progress>, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
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

/// Writes the report, lists errors on stderr, and picks the exit code.
fn finish(report: &ScanReport, out: &OutputArgs) -> anyhow::Result<u8> {
    let to_terminal = out.output.is_none() && io::stdout().is_terminal();
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    colored::control::set_override(color);
    let ropts = RenderOptions {
        show_secrets: out.show_secrets,
        color,
        quiet: out.quiet,
    };
    match &out.output {
        Some(path) => {
            let mut f = create_report_file(path, out.show_secrets)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            report::render(out.format, report, &ropts, &mut f)?;
            f.flush()?;
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            report::render(out.format, report, &ropts, &mut w)?;
            w.flush()?;
        }
    }
    if !report.errors.is_empty() && !out.quiet
        || !report.errors.is_empty() && out.format != Format::Human
    {
        for e in &report.errors {
            eprintln!("tradesecrets: warning: {}: {}", e.path, e.message);
        }
    }
    if !report.errors.is_empty() {
        eprintln!(
            "tradesecrets: {} file{} could not be read; everything else was scanned",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
        return Ok(EXIT_ERROR);
    }
    Ok(if report.findings.is_empty() || out.exit_zero {
        0
    } else {
        EXIT_FINDINGS
    })
}

/// Report files that may hold secrets are private to the user.
fn create_report_file(path: &std::path::Path, private: bool) -> io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let _ = private;
    o.open(path)
}

fn rules(cmd: RulesCommand) -> anyhow::Result<u8> {
    let rules = load_rules()?;
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    match cmd {
        RulesCommand::List { json, markdown } => {
            if markdown {
                w.write_all(venue_table(&rules).as_bytes())?;
            } else if json {
                let v: Vec<_> = rules
                    .rules
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.spec.id, "venue": rules.venue_name(&r.venue), "part": r.part().as_str(),
                            "confidence": r.max_confidence().as_str(), "severity": r.spec.severity.as_str(),
                            "verified": r.spec.verified,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut w, &v)?;
                writeln!(w)?;
            } else {
                writeln!(
                    w,
                    "{:<34} {:<20} {:<12} {:<10} {:<8}",
                    "ID", "VENUE", "PART", "CONFIDENCE", "SEVERITY"
                )?;
                for r in &rules.rules {
                    writeln!(
                        w,
                        "{:<34} {:<20} {:<12} {:<10} {:<8}",
                        r.spec.id,
                        rules.venue_name(&r.venue),
                        r.part().as_str(),
                        r.max_confidence().as_str(),
                        r.spec.severity.as_str()
                    )?;
                }
            }
            w.flush()?;
            Ok(0)
        }
        RulesCommand::Check { strict } => {
            let problems = check::check(&rules);
            for p in &problems {
                let l = if p.level == Level::Error {
                    "error"
                } else {
                    "warning"
                };
                writeln!(w, "{l}: {}: {}", p.rule, p.message)?;
            }
            let errors = problems
                .iter()
                .filter(|p| p.level == Level::Error || strict)
                .count();
            let examples: usize = rules
                .rules
                .iter()
                .map(|r| r.spec.examples.len() + r.spec.negative_examples.len())
                .sum();
            writeln!(
                w,
                "{} rules, {} venues, {} examples checked: {} errors, {} warnings",
                rules.rules.len(),
                rules.venues.len(),
                examples,
                problems.iter().filter(|p| p.level == Level::Error).count(),
                problems
                    .iter()
                    .filter(|p| p.level == Level::Warning)
                    .count()
            )?;
            w.flush()?;
            Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
        }
        RulesCommand::Explain { id } => {
            let Some(r) = rules.rule(&id) else {
                anyhow::bail!("no rule `{id}` (see `tradesecrets rules list`)");
            };
            let venue = rules.venues.get(&r.venue);
            writeln!(
                w,
                "{} — {} {}",
                r.spec.id,
                rules.venue_name(&r.venue),
                r.part()
            )?;
            writeln!(w)?;
            writeln!(w, "{}", r.spec.description.trim())?;
            writeln!(w)?;
            writeln!(
                w,
                "Confidence: {} (at most)   Severity: {}",
                r.max_confidence().as_str(),
                r.spec.severity.as_str()
            )?;
            if let Some(s) = &r.spec.shape {
                writeln!(w, "Shape: {s}")?;
            }
            if let Some(p) = &r.spec.prefix {
                writeln!(w, "Prefix: {p}")?;
            }
            writeln!(
                w,
                "Format documented by the venue: {}",
                if r.spec.verified {
                    "yes"
                } else {
                    "no (caught through context, medium confidence at most)"
                }
            )?;
            if let Some(v) = venue {
                writeln!(w, "Found when named as: {}", v.aliases.join(", "))?;
                if !v.headers.is_empty() {
                    writeln!(
                        w,
                        "Headers: {}",
                        v.headers.keys().cloned().collect::<Vec<_>>().join(", ")
                    )?;
                }
            }
            let refs: Vec<&String> = r
                .spec
                .references
                .iter()
                .chain(venue.map(|v| &v.references).into_iter().flatten())
                .collect();
            if !refs.is_empty() {
                writeln!(w, "References:")?;
                for u in refs {
                    writeln!(w, "  {u}")?;
                }
            }
            let revoke = r.revoke(&rules.venues);
            if !revoke.is_empty() {
                writeln!(w, "How to revoke: {revoke}")?;
            }
            w.flush()?;
            Ok(0)
        }
    }
}

/// The README's "Supported venues" table: one row per rule, venues in rule
/// file order with wallets and generic rules last. Regenerate the README
/// section with `tradesecrets rules list --markdown`.
fn venue_table(rules: &RuleSet) -> String {
    use tradesecrets::rules::{Context, Detector};
    let cell = |s: &str| s.replace('|', "\\|");
    let mut order: Vec<&str> = Vec::new();
    for r in &rules.rules {
        if !order.contains(&r.venue.as_str()) {
            order.push(&r.venue);
        }
    }
    order.sort_by_key(|v| match *v {
        tradesecrets::rules::WALLET => 1,
        tradesecrets::rules::GENERIC => 2,
        _ => 0,
    });
    let mut out = String::from(
        "| Venue | Part | Rule | Shape | Found by | Max confidence | Format verified |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for venue in order {
        for r in rules.rules.iter().filter(|r| r.venue == venue) {
            let shape = r.spec.shape.as_deref().unwrap_or("");
            let shape = match r.spec.detector {
                Detector::Shape => format!("`{}`", cell(shape)),
                Detector::EvmKey => format!("`{}`, a valid secp256k1 scalar", cell(shape)),
                Detector::Pem => format!("PEM block: `{}`", cell(shape)),
                Detector::Mnemonic => "BIP-39 words (12–24), checksum verified".into(),
                Detector::Wif => "WIF (base58check verified)".into(),
                Detector::ExtendedKey => "BIP-32 `xprv`… (base58check verified)".into(),
                Detector::Passphrase => "user-chosen".into(),
            };
            let context = match r.spec.context {
                Context::Venue => "venue named nearby",
                Context::SelfIdentifying => "its own shape",
                Context::Name => "credential name",
            };
            out.push_str(&format!(
                "| {} | {} | `{}` | {} | {} | {} | {} |\n",
                cell(&rules.venue_name(&r.venue)),
                r.part().as_str().replace('_', " "),
                r.spec.id,
                shape,
                context,
                r.max_confidence().as_str(),
                if r.spec.verified { "yes" } else { "no" },
            ));
        }
    }
    out
}

fn config_cmd(cmd: ConfigCommand) -> anyhow::Result<u8> {
    match cmd {
        ConfigCommand::Show { config, path } => {
            let args = ConfigArgs {
                config,
                no_config: false,
            };
            let config = load_config(&args, &[path])?;
            // Custom rules and disabled ids are checked as a scan would.
            let mut rules = load_rules()?;
            config.apply_rules(&mut rules)?;
            let stdout = io::stdout();
            let mut w = stdout.lock();
            w.write_all(config.to_toml().as_bytes())?;
            w.flush()?;
            Ok(0)
        }
    }
}

/// Scans `paths` (files, directories, `-`), or with `git` the one
/// repository named, for a baseline.
fn baseline_scan(scanner: &Scanner, paths: &[String], git: bool) -> anyhow::Result<ScanReport> {
    if git {
        let [repo] = paths else {
            anyhow::bail!("--git scans one repository; {} paths given", paths.len());
        };
        let opts = tradesecrets::source::git::GitOptions::default();
        return Ok(scanner.scan_git(repo, &opts));
    }
    let mut report = ScanReport::default();
    let files: Vec<String> = paths.iter().filter(|p| *p != "-").cloned().collect();
    if paths.iter().any(|p| p == "-") {
        merge(&mut report, scanner.scan_reader(io::stdin().lock(), "-"));
    }
    if !files.is_empty() {
        merge(&mut report, scanner.scan_paths(&files, None));
    }
    Ok(report)
}

fn warn_errors(report: &ScanReport) {
    for e in &report.errors {
        eprintln!("tradesecrets: warning: {}: {}", e.path, e.message);
    }
}

fn git_or_cwd_base(paths: &[String], git: bool) -> anyhow::Result<PathBase> {
    if git && let Some(root) = paths.first().and_then(|p| suppress::git_work_tree(p)) {
        return Ok(PathBase::Repo(root));
    }
    cwd_base()
}

fn baseline_cmd(cmd: BaselineCommand) -> anyhow::Result<u8> {
    match cmd {
        BaselineCommand::Create {
            paths,
            git,
            output,
            config,
            no_inline_allow,
            limits,
        } => {
            let cfg = load_config(&config, &path_starts(&paths))?;
            // What a scan would report, before any baseline.
            let scanner = scanner(&limits, false, None, false, &cfg)?.with_suppressor(suppressor(
                &cfg,
                true,
                !no_inline_allow,
                None,
                git_or_cwd_base(&paths, git)?,
            )?);
            let report = baseline_scan(&scanner, &paths, git)?;
            warn_errors(&report);
            let b = Baseline::from_findings(&report.findings);
            let text = b.to_json();
            match &output {
                Some(f) => std::fs::write(f, &text)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", f.display()))?,
                None => {
                    let stdout = io::stdout();
                    let mut w = stdout.lock();
                    w.write_all(text.as_bytes())?;
                    w.flush()?;
                }
            }
            eprintln!(
                "tradesecrets: baseline of {} finding{}{}",
                b.findings.len(),
                if b.findings.len() == 1 { "" } else { "s" },
                output
                    .as_ref()
                    .map(|f| format!(" written to {}", f.display()))
                    .unwrap_or_default()
            );
            Ok(if report.errors.is_empty() {
                0
            } else {
                EXIT_ERROR
            })
        }
        BaselineCommand::Prune {
            baseline,
            paths,
            git,
            config,
            limits,
        } => {
            let cfg = load_config(&config, &path_starts(&paths))?;
            let Some(file) = baseline.or_else(|| cfg.baseline.clone()) else {
                anyhow::bail!("no baseline: give --baseline FILE (or name one in the config)");
            };
            let mut b = Baseline::load(&file).map_err(anyhow::Error::msg)?;
            // Everything still detected, whatever else would suppress it.
            let scanner = scanner(&limits, false, None, false, &cfg)?;
            let report = baseline_scan(&scanner, &paths, git)?;
            if !report.errors.is_empty() {
                warn_errors(&report);
                anyhow::bail!(
                    "{} not pruned: {} file{} could not be read, and may hold what the baseline lists",
                    file.display(),
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" }
                );
            }
            let found = report
                .findings
                .iter()
                .map(|f| f.fingerprint.clone())
                .collect();
            let dropped = b.prune(&found);
            let tmp = file.with_extension("json.tmp");
            std::fs::write(&tmp, b.to_json())
                .and_then(|_| std::fs::rename(&tmp, &file))
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            eprintln!(
                "tradesecrets: {}: kept {}, dropped {} no longer found",
                file.display(),
                b.findings.len(),
                dropped
            );
            Ok(0)
        }
    }
}
