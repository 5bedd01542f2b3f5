//! Command-line definitions (clap) and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use tradesecrets::report::Format;

#[derive(Parser, Debug)]
#[command(
    name = "tradesecrets",
    version,
    about = "Find leaked exchange API keys, secrets, passphrases, wallet keys and seed phrases",
    long_about = None,
    after_help = "Exit codes: 0 no findings, 1 findings, 2 error (bad arguments or config, or a file that could not be read)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files, directories, or stdin (`-`) for credentials.
    Scan(ScanArgs),
    /// Scan git history (every blob reachable from every ref, once), a
    /// pull-request range (`--since-commit`) or staged changes (`--staged`).
    Git(GitArgs),
    /// List, check and explain the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Show the configuration (`.tradesecrets.toml`) that applies.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Accept the current findings (a baseline), so that scans report only
    /// new ones; drop entries that are gone.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Run as a git hook: `hook pre-commit` scans the staged changes, `hook
    /// pre-push` each pushed range; plain `hook` is the pre-commit
    /// framework's entry.
    Hook(HookArgs),
    /// Write a plain git hook (pre-commit, or pre-push) into a repository.
    InstallHook(InstallHookArgs),
    /// Remove a hook that `install-hook` wrote (and nothing else).
    UninstallHook(UninstallHookArgs),
    /// Check one credential, read from stdin, against its venue: live,
    /// revoked or invalid, and what it may do. Exit 1 when it is live, 0
    /// when it is not, 2 when it could not be checked.
    Verify(VerifyArgs),
    /// Merge JSON reports (`--format json`) of shards (`git --shard`) and
    /// of repositories into one report, in any format: exactly what one
    /// unsharded scan of them all gives.
    Merge(MergeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct MergeArgs {
    /// The JSON reports: every shard of a sharded scan, and reports of
    /// other repositories or scans.
    #[arg(value_name = "REPORT.json", required = true)]
    pub reports: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::HUMAN)]
    pub format: FormatArg,
    /// Write the report to FILE instead of stdout; `FORMAT=FILE` (repeatable)
    /// writes one more report in that format.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    pub output: Vec<OutputTarget>,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only the summary line (human format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// List every file not scanned, with its reason (human format).
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
}

impl MergeArgs {
    /// The output flags a scan would have, for writing the merged report
    /// (never with secrets: reports hold none).
    pub fn output_args(&self) -> OutputArgs {
        OutputArgs {
            format: self.format,
            output: self.output.clone(),
            show_secrets: false,
            exit_zero: self.exit_zero,
            color: self.color,
            min_confidence: None,
            include_examples: false,
            include_fixtures: false,
            include_vendored: false,
            include_all: false,
            quiet: self.quiet,
            verbose: self.verbose,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct VerifyArgs {
    /// The rule whose credential this is (`tradesecrets rules list`), e.g.
    /// `binance.api-key`; it names the venue and the kind of key.
    #[arg(long, value_name = "ID")]
    pub rule: String,
    /// Read the credential from FILE instead of stdin: a key file as the
    /// venue hands it out (Coinbase's `cdp_api_key.json`, a JSON object, or
    /// `part: value` lines). It must be private to its owner (mode 0600 or
    /// stricter on Unix), as a key file should be; the secret never goes on
    /// the command line.
    #[arg(long, value_name = "FILE")]
    pub file: Option<std::path::PathBuf>,
    /// The key is a testnet or sandbox key: ask the venue's testnet first
    /// (and production when the testnet does not know it). A live testnet
    /// key is reported `live (testnet)` and is never critical.
    #[arg(long)]
    pub testnet: bool,
    /// Print JSON instead of a sentence.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookStage {
    PreCommit,
    PrePush,
}

#[derive(Args, Debug, Clone)]
pub struct HookArgs {
    /// `pre-commit`: the staged changes (the index git is about to commit,
    /// `GIT_INDEX_FILE` included). `pre-push`: each pushed range, read from
    /// stdin as git writes it; a new branch: its commits on none of the
    /// remote's tracking refs. Without it, as the pre-commit framework runs
    /// hooks: the range PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF when both are
    /// set, else the staged changes.
    #[arg(value_enum)]
    pub stage: Option<HookStage>,
    /// What git passes the hook (pre-push: the remote's name and URL).
    #[arg(value_name = "GIT_ARGS")]
    pub git_args: Vec<String>,
    /// The repository (default: the current directory, where git runs hooks).
    #[arg(long, default_value = ".")]
    pub repo: String,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub suppress: SuppressArgs,
}

#[derive(Args, Debug, Clone)]
pub struct InstallHookArgs {
    /// Install the pre-push hook (each pushed range) instead of the
    /// pre-commit hook (the staged changes).
    #[arg(long)]
    pub pre_push: bool,
    /// Replace a hook that tradesecrets did not write.
    #[arg(long)]
    pub force: bool,
    /// The repository (hooks go where git runs them: `core.hooksPath`, or
    /// the hooks directory shared by every worktree).
    #[arg(default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct UninstallHookArgs {
    /// Remove the pre-push hook instead of the pre-commit hook.
    #[arg(long)]
    pub pre_push: bool,
    /// The repository.
    #[arg(default_value = ".")]
    pub repo: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the merged configuration for PATH (TOML): every
    /// `.tradesecrets.toml` from PATH up to the repository root, or FILE.
    Show {
        /// Use this config file instead of discovering `.tradesecrets.toml`.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Where a scan would start (default `.`).
        #[arg(default_value = ".")]
        path: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum BaselineCommand {
    /// Scan and write every current finding to a baseline (JSON, keyed by
    /// content fingerprint: never the secret).
    Create {
        /// Files or directories to scan (with --git: the repository).
        #[arg(default_value = ".")]
        paths: Vec<String>,
        /// Scan git history (every blob reachable from every ref) instead.
        #[arg(long)]
        git: bool,
        /// Write the baseline to FILE (default: stdout).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
        /// Record findings marked with inline allow comments too.
        #[arg(long)]
        no_inline_allow: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Drop the entries of a baseline whose secret is no longer found (the
    /// file is rewritten in place).
    Prune {
        /// The baseline (default: the one the config names).
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Files or directories to scan (with --git: the repository).
        #[arg(default_value = ".")]
        paths: Vec<String>,
        /// Scan git history instead: keep what any commit still holds.
        #[arg(long)]
        git: bool,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// Which `.tradesecrets.toml` applies.
#[derive(Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Use this config file instead of discovering `.tradesecrets.toml` from
    /// the scanned path up to the repository root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every config file (audit what a repository's config hides).
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

/// Config, inline allow comments and baseline.
#[derive(Args, Debug, Clone)]
pub struct SuppressArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Report only findings not in this baseline (`tradesecrets baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report findings marked `tradesecrets:allow`, `gitleaks:allow` or
    /// `pragma: allowlist secret` too (audit them).
    #[arg(long)]
    pub no_inline_allow: bool,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// One line per rule: id, venue, part, confidence, severity.
    List {
        /// Print JSON instead of a table.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the README's table of supported venues (Markdown).
        #[arg(long)]
        markdown: bool,
    },
    /// Check every rule: examples found, negative examples not, ids unique,
    /// shapes compile. Exit 1 on any error (and on warnings with --strict).
    Check {
        /// Fail on warnings too: a rule with fewer than 3 examples in 3
        /// syntaxes or fewer than 3 negatives, no references, or no text
        /// on how to revoke (what the project's own tests require).
        #[arg(long)]
        strict: bool,
    },
    /// Explain one rule: what it finds, its shapes, references, how to revoke.
    Explain {
        /// The rule's id, as `rules list` shows it (e.g. `binance.api-key`).
        id: String,
    },
}

/// A report format as the command line names it (the formats, their names
/// and descriptions are the library's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub Format);

impl FormatArg {
    pub const HUMAN: FormatArg = FormatArg(Format::Human);
    const ALL: [FormatArg; Format::ALL.len()] = {
        let mut all = [FormatArg(Format::Human); Format::ALL.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = FormatArg(Format::ALL[i]);
            i += 1;
        }
        all
    };
}

impl ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.0.name()).help(self.0.about()))
    }
}

/// One `--output` value: the main report's file, or one more report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// `FILE`: the `--format` report goes there instead of stdout.
    Main(PathBuf),
    /// `FORMAT=FILE`: a report in that format, besides the main one.
    Extra(Format, PathBuf),
}

/// `FORMAT=FILE` when the text before the first `=` names a format,
/// otherwise a file name (which may itself hold `=`).
fn parse_output(s: &str) -> Result<OutputTarget, String> {
    if s.is_empty() {
        return Err("an empty file name".into());
    }
    if let Some((name, file)) = s.split_once('=')
        && let Some(format) = Format::ALL.into_iter().find(|f| f.name() == name)
    {
        if file.is_empty() {
            return Err(format!("`{name}=` names no file"));
        }
        if file == "-" {
            return Err(format!(
                "`{name}=-`: stdout gets the `--format` report; use `--format {name}`"
            ));
        }
        return Ok(OutputTarget::Extra(format, PathBuf::from(file)));
    }
    Ok(OutputTarget::Main(PathBuf::from(s)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinConfidence {
    Low,
    Medium,
    High,
}

#[derive(Args, Debug, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::HUMAN)]
    pub format: FormatArg,
    /// Write the report to FILE instead of stdout; `FORMAT=FILE` (repeatable)
    /// writes one more report in that format from the same scan, e.g.
    /// `-o sarif=r.sarif -o json=r.json` (stdout keeps `--format`).
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    pub output: Vec<OutputTarget>,
    /// Print full secret values (every output redacts by default).
    #[arg(long)]
    pub show_secrets: bool,
    /// Exit 0 even when there are findings (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Report findings of this confidence and above (default: the config's
    /// `rules.min_confidence`, else low).
    #[arg(long, value_enum)]
    pub min_confidence: Option<MinConfidence>,
    /// Also report documentation examples: known public keys and request or
    /// response samples of docs pages (status `example`).
    #[arg(long)]
    pub include_examples: bool,
    /// Also report test fixtures: invented values in tests that say so
    /// (status `fixture`).
    #[arg(long)]
    pub include_fixtures: bool,
    /// Also report values inside vendored or generated code
    /// (`node_modules`, `.venv`, bundles; status `vendored`).
    #[arg(long)]
    pub include_vendored: bool,
    /// Report every status: examples, fixtures and vendored code.
    #[arg(long)]
    pub include_all: bool,
    /// Print only the summary line (human format) and no progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// List every file not scanned, with its reason (human format; the
    /// machine formats always list them).
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
}

impl OutputArgs {
    /// The file the `--format` report goes to (none: stdout).
    pub fn main_file(&self) -> Option<&PathBuf> {
        self.output.iter().find_map(|o| match o {
            OutputTarget::Main(p) => Some(p),
            OutputTarget::Extra(..) => None,
        })
    }

    /// The hidden statuses the user asked to see.
    pub fn include(&self) -> tradesecrets::finding::Include {
        tradesecrets::finding::Include {
            examples: self.include_examples || self.include_all,
            fixtures: self.include_fixtures || self.include_all,
            vendored: self.include_vendored || self.include_all,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads stdin.
    #[arg(default_value = ".")]
    pub paths: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub suppress: SuppressArgs,
    /// Do not honour .gitignore, .ignore and .tradesecretsignore.
    #[arg(long)]
    pub no_ignore: bool,
    #[command(flatten)]
    pub verify: VerifyFlag,
}

/// `--verify` on `scan` and `git`.
#[derive(Args, Debug, Clone)]
pub struct VerifyFlag {
    /// Ask each venue whether each complete credential found is live and
    /// what it may do: one signed, read-only request per credential to the
    /// venue's own API (the hosts are printed first). Off by default.
    #[arg(long)]
    pub verify: bool,
}

#[derive(Args, Debug, Clone)]
pub struct GitArgs {
    /// The repositories (work trees, subdirectories of one, or bare
    /// repositories; default: `.`). Each finding names its `repository`.
    #[arg(value_name = "REPO")]
    pub repo: Vec<String>,
    /// Also scan the repositories listed in FILE, one path per line (blank
    /// lines and `#` comments ignored; paths as on the command line).
    #[arg(long, value_name = "FILE")]
    pub repos_file: Option<std::path::PathBuf>,
    /// Scan only shard I of N (1 <= I <= N): a fixed share of the distinct
    /// blobs, by object id, so that N jobs together scan each blob once.
    /// Every commit is still walked: introducing commits and
    /// `present_at_head` are those of the whole. Merge the shards' JSON
    /// reports with `tradesecrets merge`.
    #[arg(long, value_name = "I/N", conflicts_with = "staged", value_parser = parse_shard)]
    pub shard: Option<tradesecrets::source::git::ShardSpec>,
    /// Scan history reachable from REF only (default: every ref).
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,
    /// Scan only what commits reachable from HEAD (or --branch) but not from
    /// REV introduced: the pull-request range. Findings on added lines only.
    #[arg(long, value_name = "REV", conflicts_with = "staged")]
    pub since_commit: Option<String>,
    /// Scan the index against HEAD (what is about to be committed), added lines only.
    #[arg(long)]
    pub staged: bool,
    #[command(flatten)]
    pub verify: VerifyFlag,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub suppress: SuppressArgs,
}

fn parse_shard(s: &str) -> Result<tradesecrets::source::git::ShardSpec, String> {
    tradesecrets::source::git::ShardSpec::parse(s)
}

#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Skip (and list) files larger than this many bytes.
    #[arg(long, default_value_t = 25 * 1024 * 1024, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Scan files whose first 8 KiB contain a NUL byte.
    #[arg(long)]
    pub include_binary: bool,
}
