//! Thin: parse arguments, call the library, map the outcome to an exit code.

mod cli;

use clap::Parser;
use cli::{
    Cli, ColorChoice, Command, GitArgs, LimitArgs, MinConfidence, OutputArgs, RulesCommand,
    ScanArgs,
};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tradesecrets::report::{self, Format, RenderOptions};
use tradesecrets::rules::check::{self, Level};
use tradesecrets::scan::{Progress, ScanReport};
use tradesecrets::{Confidence, RuleSet, ScanOptions, Scanner};

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
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

fn scanner(limits: &LimitArgs, output: &OutputArgs, no_ignore: bool) -> anyhow::Result<Scanner> {
    let opts = ScanOptions {
        max_file_size: limits.max_file_size,
        include_binary: limits.include_binary,
        no_ignore,
        threads: limits.threads,
        include_examples: output.include_examples,
        min_confidence: min_conf(output.min_confidence),
    };
    Ok(Scanner::new(load_rules()?, opts))
}

fn git(args: GitArgs) -> anyhow::Result<u8> {
    let scanner = scanner(&args.limits, &args.output, false)?;
    let opts = tradesecrets::source::git::GitOptions {
        branch: args.branch.clone(),
        since_commit: args.since_commit.clone(),
        staged: args.staged,
    };
    let report = tradesecrets::source::git::scan(&scanner, &args.repo, &opts);
    finish(&report, &args.output)
}

fn scan(args: ScanArgs) -> anyhow::Result<u8> {
    let scanner = scanner(&args.limits, &args.output, args.no_ignore)?;
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
    finish(&report, &args.output)
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
        RulesCommand::List { json } => {
            if json {
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
