//! From arguments to a configured scanner: rules, configuration,
//! suppressions.

use super::args::{ConfigArgs, LimitArgs, MinConfidence, OutputArgs, SuppressArgs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tradesecrets::config::{self as ts_config, Config};
use tradesecrets::suppress::baseline::Baseline;
use tradesecrets::suppress::{self, Allowlist, PathBase, Suppressor};
use tradesecrets::{Confidence, RuleSet, ScanOptions, Scanner};

/// The built-in rules, parsed once per process: scanners start from them
/// and reports describe findings with them.
pub(super) fn builtin_rules() -> anyhow::Result<Arc<RuleSet>> {
    static RULES: OnceLock<Result<Arc<RuleSet>, String>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            RuleSet::builtin().map(Arc::new).map_err(|errs| {
                format!(
                    "built-in rules are invalid:\n{}",
                    errs.iter()
                        .map(|e| format!("  {e}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })
        })
        .clone()
        .map_err(anyhow::Error::msg)
}

/// A copy of the built-in rules, for a scanner to add a config's rules to.
pub(super) fn load_rules() -> anyhow::Result<RuleSet> {
    Ok(RuleSet::clone(&*builtin_rules()?))
}

pub(super) fn min_conf(m: MinConfidence) -> Confidence {
    match m {
        MinConfidence::Low => Confidence::Low,
        MinConfidence::Medium => Confidence::Medium,
        MinConfidence::High => Confidence::High,
    }
}

/// The config for a scan starting at `starts`: `--config FILE`, nothing
/// with `--no-config`, else every `.tradesecrets.toml` discovered.
pub(super) fn load_config(args: &ConfigArgs, starts: &[PathBuf]) -> anyhow::Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    Ok(match &args.config {
        Some(f) => ts_config::load_explicit(f)?,
        None => ts_config::discover(starts)?,
    })
}

pub(super) fn path_starts(paths: &[String]) -> Vec<PathBuf> {
    paths.iter().map(PathBuf::from).collect()
}

pub(super) fn cwd_base() -> anyhow::Result<PathBase> {
    let cwd = std::env::current_dir()?;
    Ok(PathBase::Cwd(std::fs::canonicalize(&cwd).unwrap_or(cwd)))
}

/// Allowlist (when `allow`), inline comments (when `inline`) and baseline.
pub(super) fn suppressor(
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
pub(super) fn scan_baseline(args: &SuppressArgs, config: &Config) -> Option<PathBuf> {
    args.baseline.clone().or_else(|| {
        (!args.config.no_config)
            .then(|| config.baseline.clone())
            .flatten()
    })
}

pub(super) fn scanner(
    limits: &LimitArgs,
    include: tradesecrets::finding::Include,
    min_confidence: Option<MinConfidence>,
    no_ignore: bool,
    config: &Config,
) -> anyhow::Result<Scanner> {
    let mut rules = load_rules()?;
    tradesecrets::app::apply_config_rules(config, &mut rules)?;
    let opts = ScanOptions {
        max_file_size: limits.max_file_size,
        include_binary: limits.include_binary,
        no_ignore,
        threads: limits.threads,
        include,
        min_confidence: min_confidence
            .map(min_conf)
            .or(config.min_confidence)
            .unwrap_or(Confidence::Low),
    };
    Ok(Scanner::new(rules, opts))
}

/// The scanner for a repository's history or index, with its config's
/// suppressions (paths relative to the work tree).
pub(super) fn repo_scanner(
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
        output.include(),
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
