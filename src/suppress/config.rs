//! `.tradesecrets.toml`: allowlists, rule selection and custom rules.
//!
//! Config files are discovered from each scanned path upward to the
//! repository root (the directory holding `.git`) or the filesystem root,
//! outermost first, and merged; `--config FILE` names one file instead.
//!
//! A config lives in the repository it describes, which may be hostile: it
//! can only narrow what is reported, never make the tool read a file outside
//! the repository or run anything. Paths it names (`baseline`) must resolve
//! inside the repository, symbolic links included; `allow.paths` globs are
//! matched against scanned paths only and may not climb out with `..`; a
//! discovered config that is a symbolic link to a file outside the
//! repository is refused; custom rule examples are size-limited.

use crate::rules::check::{self, Level};
use crate::rules::{Confidence, KnownExample, RuleSet, RulesFile, VenueSpec};
use crate::rules::{GENERIC, RuleSpec, WALLET};
use regex::Regex;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// The file name discovered in the scanned tree and its parents.
pub const FILE_NAME: &str = ".tradesecrets.toml";

/// Configs larger than this are refused (no one writes 1 MiB of allowlist).
const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// Longest generated value a custom rule example may ask for (`{{alnum:N}}`).
const MAX_TEMPLATE_LEN: usize = 4096;
/// Longest custom rule example text.
const MAX_EXAMPLE_BYTES: usize = 64 * 1024;

/// A place in a config file: `file:line:column` (1-based, columns count
/// characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// One problem in a config, with where it is when known.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and column, when the problem has a place.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Everything wrong with a config (or with the set of configs merged).
#[derive(Debug, Clone)]
pub struct ConfigError(pub Vec<Diagnostic>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn at(pos: &Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: pos.file.clone(),
            at: Some((pos.line, pos.column)),
            message: message.into(),
        }
    }
    fn file(file: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError(vec![Diagnostic {
            file: file.to_path_buf(),
            at: None,
            message: message.into(),
        }])
    }
}

/// What an allow regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Each value of the finding (key, secret, passphrase...). The default.
    #[default]
    Secret,
    /// The value with what precedes it on its line (its name, `=`, quotes),
    /// from the line's first non-blank character to the value's end.
    Match,
    /// The whole line holding the value.
    Line,
}

/// An allow regex as written: a string (target `secret`) or
/// `{ regex = "...", target = "secret" | "match" | "line" }`.
#[derive(Debug, Clone)]
struct RawRegex {
    regex: Spanned<String>,
    target: Target,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegexTable {
    regex: Spanned<String>,
    #[serde(default)]
    target: Target,
}

impl<'de> Deserialize<'de> for RawRegex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRegex;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a regex string or a table { regex = \"...\", target = \"secret\" | \"match\" | \"line\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawRegex, E> {
                Ok(RawRegex {
                    regex: Spanned::new(0..0, v.to_string()),
                    target: Target::Secret,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawRegex, A::Error> {
                let t = RawRegexTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawRegex {
                    regex: t.regex,
                    target: t.target,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The venue of a `[[rules.custom]]` block: the id of an existing venue
/// (`venue = "binance"`, also `generic` or `wallet`), or a new venue table in
/// the schema of `rules/*.toml`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum VenueRef {
    Existing(String),
    New(VenueSpec),
}

impl<'de> Deserialize<'de> for VenueRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VenueRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "the id of an existing venue, or a venue table (id, name, aliases, ...)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<VenueRef, E> {
                Ok(VenueRef::Existing(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<VenueRef, A::Error> {
                VenueSpec::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(VenueRef::New)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    allow: RawAllow,
    #[serde(default)]
    rules: RawRules,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    regexes: Vec<Spanned<RawRegex>>,
    #[serde(default)]
    values: Vec<Spanned<String>>,
    #[serde(default)]
    stopwords: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    min_confidence: Option<Confidence>,
    #[serde(default)]
    custom: Vec<Spanned<RawCustom>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCustom {
    #[serde(default)]
    venue: Option<Spanned<VenueRef>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
    #[serde(default)]
    example: Vec<KnownExample>,
}

/// A compiled allow regex.
#[derive(Debug, Clone)]
pub struct AllowRegex {
    pub regex: Regex,
    pub target: Target,
}

/// One `[[rules.custom]]` block.
#[derive(Debug, Clone)]
pub struct CustomRules {
    pub at: Pos,
    pub venue: Option<(VenueRef, Pos)>,
    pub rules: Vec<(RuleSpec, Pos)>,
    pub examples: Vec<KnownExample>,
}

/// A rule id (or `venue.*`) to disable, with where it was written.
#[derive(Debug, Clone)]
pub struct Disabled {
    pub id: String,
    pub at: Pos,
}

/// The merged configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The files merged, outermost first.
    pub files: Vec<PathBuf>,
    /// The directory `allow_paths` are relative to.
    pub base: Option<PathBuf>,
    /// gitignore-style globs, relative to `base`.
    pub allow_paths: Vec<String>,
    pub allow_regexes: Vec<AllowRegex>,
    pub allow_values: Vec<String>,
    /// Lowercase; a value containing one is allowed.
    pub stopwords: Vec<String>,
    pub disable: Vec<Disabled>,
    pub min_confidence: Option<Confidence>,
    pub custom: Vec<CustomRules>,
    /// An absolute path inside the repository.
    pub baseline: Option<PathBuf>,
}

/// 1-based line and character column of byte `off` in `text`.
fn line_col(text: &str, off: usize) -> (usize, usize) {
    let off = off.min(text.len());
    let before = &text[..floor_char_boundary(text, off)];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Removes `.` and resolves `..` lexically (never above the root).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The repository root at or above `dir`: the first directory holding `.git`.
pub fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

fn canonical_dir(p: &Path) -> std::io::Result<PathBuf> {
    let c = std::fs::canonicalize(p)?;
    Ok(if c.is_dir() {
        c
    } else {
        c.parent().map(Path::to_path_buf).unwrap_or(c)
    })
}

/// Config files for a scan of `start` (a file or directory), outermost
/// first, with the directory discovery stopped at (the bound paths must stay
/// inside).
pub fn discover_files(start: &Path) -> std::io::Result<(Vec<PathBuf>, PathBuf)> {
    let start = canonical_dir(start)?;
    let mut files = Vec::new();
    let mut bound = start.clone();
    for dir in start.ancestors() {
        bound = dir.to_path_buf();
        let f = dir.join(FILE_NAME);
        if std::fs::symlink_metadata(&f).is_ok() {
            files.push(f);
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    files.reverse();
    Ok((files, bound))
}

/// Discovers and merges the configs of every path in `starts` (`-`, stdin,
/// counts as the current directory).
pub fn discover(starts: &[PathBuf]) -> Result<Config, ConfigError> {
    let mut seen = HashSet::new();
    let mut found: Vec<(PathBuf, PathBuf)> = Vec::new();
    for s in starts {
        let s = if s.as_os_str() == "-" {
            Path::new(".")
        } else {
            s.as_path()
        };
        // A path that does not exist is reported by the scan itself.
        let Ok((files, bound)) = discover_files(s) else {
            continue;
        };
        for f in files {
            if seen.insert(f.clone()) {
                found.push((f, bound.clone()));
            }
        }
    }
    // Outermost first, so that nearer configs override.
    found.sort_by_key(|(f, _)| f.components().count());
    let mut configs = Vec::new();
    let mut errors = Vec::new();
    for (f, bound) in found {
        match load_file(&f, &bound, true) {
            Ok(c) => configs.push(c),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigError(errors));
    }
    Ok(merge(configs))
}

/// Loads the file named by `--config`. Paths in it must stay inside the
/// repository holding it (or its directory, outside any repository).
pub fn load_explicit(path: &Path) -> Result<Config, ConfigError> {
    let dir = canonical_dir(path)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let bound = repo_root(&dir).unwrap_or_else(|| dir.clone());
    load_file(path, &bound, false)
}

/// Parses and checks one config file. `bound`: the directory every path in
/// it must resolve inside. `discovered`: the file was found in the scanned
/// tree (not named by the user), so it must itself be inside `bound`.
pub fn load_file(path: &Path, bound: &Path, discovered: bool) -> Result<Config, ConfigError> {
    let real = std::fs::canonicalize(path)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let bound = std::fs::canonicalize(bound).unwrap_or_else(|_| bound.to_path_buf());
    if discovered && !real.starts_with(&bound) {
        return Err(ConfigError::file(
            path,
            format!(
                "is a link to {}, outside the repository {}; refused",
                real.display(),
                bound.display()
            ),
        ));
    }
    let meta = std::fs::metadata(&real)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    if !meta.is_file() {
        return Err(ConfigError::file(path, "not a regular file"));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::file(
            path,
            format!("larger than {MAX_CONFIG_BYTES} bytes; refused"),
        ));
    }
    let text = std::fs::read_to_string(&real)
        .map_err(|e| ConfigError::file(path, format!("cannot read config: {e}")))?;
    let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, path, &dir, &bound)
}

/// Parses config `text` shown as `file`, whose paths are relative to `dir`
/// and must stay inside `bound`.
pub fn parse(text: &str, file: &Path, dir: &Path, bound: &Path) -> Result<Config, ConfigError> {
    let pos = |off: usize| {
        let (line, column) = line_col(text, off);
        Pos {
            file: file.to_path_buf(),
            line,
            column,
        }
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError(vec![Diagnostic {
            file: file.to_path_buf(),
            at: Some((line, column)),
            message: e.message().trim().to_string(),
        }])
    })?;
    let mut errors = Vec::new();
    let mut c = Config {
        files: vec![file.to_path_buf()],
        base: Some(dir.to_path_buf()),
        min_confidence: raw.rules.min_confidence,
        ..Config::default()
    };

    if let Some(b) = &raw.baseline {
        match resolve_inside(b.get_ref(), dir, bound) {
            Ok(p) => c.baseline = Some(p),
            Err(m) => errors.push(ConfigError::at(
                &pos(b.span().start),
                format!("baseline: {m}"),
            )),
        }
    }

    for p in &raw.allow.paths {
        match check_glob(p.get_ref()) {
            Ok(()) => c.allow_paths.push(p.get_ref().clone()),
            Err(m) => errors.push(ConfigError::at(
                &pos(p.span().start),
                format!("allow.paths: {m}"),
            )),
        }
    }
    for r in &raw.allow.regexes {
        // A plain string carries no span of its own: use the entry's.
        let span = if r.get_ref().regex.span().is_empty() {
            r.span()
        } else {
            r.get_ref().regex.span()
        };
        match Regex::new(r.get_ref().regex.get_ref()) {
            Ok(re) => c.allow_regexes.push(AllowRegex {
                regex: re,
                target: r.get_ref().target,
            }),
            Err(e) => errors.push(ConfigError::at(
                &pos(span.start),
                format!("allow.regexes: does not compile: {e}"),
            )),
        }
    }
    for v in &raw.allow.values {
        if v.get_ref().is_empty() {
            errors.push(ConfigError::at(
                &pos(v.span().start),
                "allow.values: empty value",
            ));
        } else {
            c.allow_values.push(v.get_ref().clone());
        }
    }
    for s in &raw.allow.stopwords {
        if s.get_ref().trim().chars().count() < 3 {
            errors.push(ConfigError::at(
                &pos(s.span().start),
                "allow.stopwords: a stopword needs at least 3 characters (a shorter one would allow almost anything)",
            ));
        } else {
            c.stopwords.push(s.get_ref().trim().to_lowercase());
        }
    }
    for d in &raw.rules.disable {
        c.disable.push(Disabled {
            id: d.get_ref().trim().to_string(),
            at: pos(d.span().start),
        });
    }
    for block in raw.rules.custom {
        let at = pos(block.span().start);
        let b = block.into_inner();
        c.custom.push(CustomRules {
            at,
            venue: b.venue.map(|v| {
                let p = pos(v.span().start);
                (v.into_inner(), p)
            }),
            rules: b
                .rule
                .into_iter()
                .map(|r| {
                    let p = pos(r.span().start);
                    (r.into_inner(), p)
                })
                .collect(),
            examples: b.example,
        });
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(ConfigError(errors))
    }
}

/// An `allow.paths` glob may not climb out of its directory.
fn check_glob(g: &str) -> Result<(), String> {
    let t = g.trim();
    if t.is_empty() || t == "!" {
        return Err("empty pattern".into());
    }
    if t.starts_with('#') {
        return Err(format!(
            "`{g}` is a comment in gitignore syntax; write `\\#` for a literal #"
        ));
    }
    let body = t.strip_prefix('!').unwrap_or(t);
    if body.replace('\\', "/").split('/').any(|seg| seg == "..") {
        return Err(format!(
            "`{g}` uses `..`; patterns are relative to the directory of this config and cannot leave it"
        ));
    }
    ignore::gitignore::GitignoreBuilder::new("/")
        .add_line(None, t)
        .map(|_| ())
        .map_err(|e| format!("`{g}`: {e}"))
}

/// Resolves a relative path named in a config; it must stay inside `bound`,
/// following symbolic links.
fn resolve_inside(p: &str, dir: &Path, bound: &Path) -> Result<PathBuf, String> {
    let given = Path::new(p);
    if p.trim().is_empty() {
        return Err("empty path".into());
    }
    if given.has_root() || given.is_absolute() {
        return Err(format!(
            "`{p}` is absolute; a config may only name files inside its repository, relative to its own directory"
        ));
    }
    let joined = normalize(&dir.join(given));
    if !joined.starts_with(bound) {
        return Err(format!(
            "`{p}` resolves to {}, outside the repository {}",
            joined.display(),
            bound.display()
        ));
    }
    if let Ok(real) = std::fs::canonicalize(&joined)
        && !real.starts_with(bound)
    {
        return Err(format!(
            "`{p}` is a link to {}, outside the repository {}",
            real.display(),
            bound.display()
        ));
    }
    Ok(joined)
}

/// Rewrites a gitignore-style pattern written relative to `prefix` (a
/// `/`-separated path below the new root) so that it means the same thing
/// relative to the new root.
pub fn reroot(pattern: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return pattern.to_string();
    }
    let (neg, rest) = match pattern.strip_prefix('!') {
        Some(r) => ("!", r),
        None => ("", pattern),
    };
    let (body, dir_only) = match rest.strip_suffix('/') {
        Some(b) => (b, "/"),
        None => (rest, ""),
    };
    let prefix = prefix.trim_matches('/');
    let out = if let Some(anchored) = body.strip_prefix('/') {
        format!("/{prefix}/{anchored}")
    } else if body.contains('/') {
        format!("/{prefix}/{body}")
    } else {
        format!("/{prefix}/**/{body}")
    };
    format!("{neg}{out}{dir_only}")
}

/// Merges configs given outermost first: lists are concatenated, scalars
/// from the nearest config win, and path globs are rewritten relative to the
/// common ancestor of the configs' directories.
pub fn merge(configs: Vec<Config>) -> Config {
    let mut configs = configs.into_iter();
    let Some(mut out) = configs.next() else {
        return Config::default();
    };
    for c in configs {
        let (Some(a), Some(b)) = (out.base.clone(), c.base.clone()) else {
            continue;
        };
        let common = common_ancestor(&a, &b);
        let rebase = |globs: Vec<String>, from: &Path| -> Vec<String> {
            let prefix = from
                .strip_prefix(&common)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            globs.into_iter().map(|g| reroot(&g, &prefix)).collect()
        };
        let mut paths = rebase(std::mem::take(&mut out.allow_paths), &a);
        paths.extend(rebase(c.allow_paths, &b));
        out.allow_paths = paths;
        out.base = Some(common);
        out.files.extend(c.files);
        out.allow_regexes.extend(c.allow_regexes);
        out.allow_values.extend(c.allow_values);
        out.stopwords.extend(c.stopwords);
        out.disable.extend(c.disable);
        out.custom.extend(c.custom);
        if c.min_confidence.is_some() {
            out.min_confidence = c.min_confidence;
        }
        if c.baseline.is_some() {
            out.baseline = c.baseline;
        }
    }
    out
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for (x, y) in a.components().zip(b.components()) {
        if x != y {
            break;
        }
        out.push(x.as_os_str());
    }
    out
}

/// Checks a custom example's template before anything expands it.
fn check_template_size(text: &str) -> Result<(), String> {
    if text.len() > MAX_EXAMPLE_BYTES {
        return Err(format!("longer than {MAX_EXAMPLE_BYTES} bytes"));
    }
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        rest = &rest[i + 2..];
        let Some(j) = rest.find("}}") else { break };
        let inner = &rest[..j];
        // `{{alnum:N|rule}}`: the length is before the tag, as `expand`
        // reads it.
        let kind = inner.rsplit_once('|').map_or(inner, |(k, _)| k);
        if let Some((_, n)) = kind.split_once(':')
            && let Ok(n) = n.trim().parse::<usize>()
            && n > MAX_TEMPLATE_LEN
        {
            return Err(format!(
                "`{{{{{inner}}}}}` asks for more than {MAX_TEMPLATE_LEN} characters"
            ));
        }
        rest = &rest[j + 2..];
    }
    Ok(())
}

impl Config {
    /// Whether any file was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds the custom rules to `rules`, checks their examples against the
    /// whole set (as `tradesecrets rules check` does), then disables what
    /// `[rules] disable` lists.
    pub fn apply_rules(&self, rules: &mut RuleSet) -> Result<(), ConfigError> {
        let mut errors = Vec::new();
        let mut custom_ids: Vec<(String, Pos)> = Vec::new();
        for block in &self.custom {
            let venue: Option<(String, String)> = match &block.venue {
                None => None,
                Some((VenueRef::Existing(id), at)) => {
                    if id == GENERIC || id == WALLET || rules.venues.contains_key(id) {
                        Some((id.clone(), rules.venue_name(id)))
                    } else {
                        errors.push(ConfigError::at(
                            at,
                            format!(
                                "no venue `{id}` (see `tradesecrets rules list`); define a new one with a venue table: venue = {{ id = \"{id}\", name = \"...\", aliases = [\"...\"] }}"
                            ),
                        ));
                        continue;
                    }
                }
                Some((VenueRef::New(spec), at)) => {
                    let file = RulesFile {
                        venue: Some(spec.clone()),
                        rule: Vec::new(),
                        example: Vec::new(),
                    };
                    if let Err(es) = rules.add_file(&at.to_string(), file) {
                        errors.extend(es.into_iter().map(|e| ConfigError::at(at, e.message)));
                        continue;
                    }
                    Some((spec.id.clone(), spec.name.clone()))
                }
            };
            for (spec, at) in &block.rules {
                if let Some((vid, _)) = &venue
                    && spec.id.split('.').next() != Some(vid.as_str())
                {
                    errors.push(ConfigError::at(
                        at,
                        format!(
                            "custom rule `{}`: its id must start with its venue: `{vid}.<name>`",
                            spec.id
                        ),
                    ));
                    continue;
                }
                if rules.rule(&spec.id).is_some() {
                    errors.push(ConfigError::at(
                        at,
                        format!(
                            "custom rule `{}`: a rule with this id already exists",
                            spec.id
                        ),
                    ));
                    continue;
                }
                let mut bad_example = false;
                for (kind, list) in [
                    ("example", &spec.examples),
                    ("negative example", &spec.negative_examples),
                ] {
                    for (i, ex) in list.iter().enumerate() {
                        if let Err(m) = check_template_size(ex.text()) {
                            errors.push(ConfigError::at(
                                at,
                                format!("custom rule `{}`: {kind} #{}: {m}", spec.id, i + 1),
                            ));
                            bad_example = true;
                        }
                    }
                }
                if bad_example {
                    continue;
                }
                // Compile it alone, so that errors point at this rule.
                let mut scratch = RuleSet::default();
                let file = RulesFile {
                    venue: None,
                    rule: vec![spec.clone()],
                    example: Vec::new(),
                };
                if let Err(es) = scratch.add_file(&at.to_string(), file) {
                    errors.extend(
                        es.into_iter()
                            .map(|e| ConfigError::at(at, format!("custom rule: {}", e.message))),
                    );
                    continue;
                }
                for mut r in scratch.rules {
                    if let Some((vid, vname)) = &venue {
                        r.venue = vid.clone();
                        r.venue_name = vname.clone();
                    }
                    custom_ids.push((r.spec.id.clone(), at.clone()));
                    rules.rules.push(r);
                }
            }
            for ex in &block.examples {
                rules
                    .known_examples
                    .insert(ex.value.clone(), ex.venue.clone());
            }
        }
        if !errors.is_empty() {
            return Err(ConfigError(errors));
        }

        let mut off: Vec<String> = Vec::new();
        for d in &self.disable {
            let ids: Vec<String> = match d.id.strip_suffix(".*") {
                Some(venue) => rules
                    .rules
                    .iter()
                    .filter(|r| r.venue == venue || r.spec.id.starts_with(&format!("{venue}.")))
                    .map(|r| r.spec.id.clone())
                    .collect(),
                None => rules
                    .rule(&d.id)
                    .map(|r| vec![r.spec.id.clone()])
                    .unwrap_or_default(),
            };
            if ids.is_empty() {
                errors.push(ConfigError::at(
                    &d.at,
                    format!(
                        "rules.disable: no rule `{}` (see `tradesecrets rules list`; `venue.*` disables a venue)",
                        d.id
                    ),
                ));
            }
            off.extend(ids);
        }
        if !errors.is_empty() {
            return Err(ConfigError(errors));
        }
        rules.disable(&off);

        if custom_ids.iter().any(|(id, _)| rules.rule(id).is_some()) {
            for p in check::check(rules) {
                if p.level != Level::Error {
                    continue;
                }
                if let Some((_, at)) = custom_ids.iter().find(|(id, _)| *id == p.rule) {
                    errors.push(ConfigError::at(
                        at,
                        format!("custom rule `{}`: {}", p.rule, p.message),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigError(errors))
        }
    }

    /// The merged configuration as TOML, loadable as a config placed in
    /// `base`.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct Out<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            baseline: Option<String>,
            allow: OutAllow<'a>,
            rules: OutRules<'a>,
        }
        #[derive(Serialize)]
        struct OutAllow<'a> {
            paths: &'a [String],
            regexes: Vec<OutRegex<'a>>,
            values: &'a [String],
            stopwords: &'a [String],
        }
        #[derive(Serialize)]
        struct OutRegex<'a> {
            regex: &'a str,
            target: Target,
        }
        #[derive(Serialize)]
        struct OutRules<'a> {
            disable: Vec<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            min_confidence: Option<Confidence>,
            custom: Vec<OutCustom<'a>>,
        }
        #[derive(Serialize)]
        struct OutCustom<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            venue: Option<&'a VenueRef>,
            rule: Vec<&'a RuleSpec>,
            #[serde(skip_serializing_if = "<[_]>::is_empty")]
            example: &'a [KnownExample],
        }
        let base = self.base.clone().unwrap_or_default();
        let out = Out {
            baseline: self.baseline.as_ref().map(|b| {
                b.strip_prefix(&base)
                    .unwrap_or(b)
                    .to_string_lossy()
                    .replace('\\', "/")
            }),
            allow: OutAllow {
                paths: &self.allow_paths,
                regexes: self
                    .allow_regexes
                    .iter()
                    .map(|r| OutRegex {
                        regex: r.regex.as_str(),
                        target: r.target,
                    })
                    .collect(),
                values: &self.allow_values,
                stopwords: &self.stopwords,
            },
            rules: OutRules {
                disable: self.disable.iter().map(|d| d.id.as_str()).collect(),
                min_confidence: self.min_confidence,
                custom: self
                    .custom
                    .iter()
                    .map(|c| OutCustom {
                        venue: c.venue.as_ref().map(|v| &v.0),
                        rule: c.rules.iter().map(|r| &r.0).collect(),
                        example: &c.examples,
                    })
                    .collect(),
            },
        };
        let mut s = String::new();
        if self.files.is_empty() {
            s.push_str("# no config file found: the defaults apply\n");
        } else {
            s.push_str("# merged from (outermost first):\n");
            for f in &self.files {
                s.push_str(&format!("#   {}\n", f.display()));
            }
            s.push_str(&format!(
                "# allow.paths and baseline are relative to {}\n",
                base.display()
            ));
        }
        s.push('\n');
        s.push_str(
            &toml::to_string_pretty(&out).unwrap_or_else(|e| format!("# cannot render: {e}\n")),
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("t.toml"), Path::new("/r"), Path::new("/r"))
    }

    #[test]
    fn reroot_keeps_meaning() {
        assert_eq!(reroot("*.snap", ""), "*.snap");
        assert_eq!(reroot("*.snap", "sub"), "/sub/**/*.snap");
        assert_eq!(reroot("/fixtures/", "a/b"), "/a/b/fixtures/");
        assert_eq!(reroot("tests/data/**", "sub"), "/sub/tests/data/**");
        assert_eq!(reroot("!keep.env", "sub"), "!/sub/**/keep.env");
        assert_eq!(reroot("**/x", "sub"), "/sub/**/x");
    }

    #[test]
    fn errors_carry_line_and_column() {
        let e = parse_str("[allow]\npaths = [\"a\"]\nbogus = 1\n").unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("t.toml:3:1: "), "{s}");
        assert!(s.contains("bogus"), "{s}");
        let e =
            parse_str("[allow]\nregexes = [{ regex = \"(\", target = \"line\" }]\n").unwrap_err();
        assert!(e.to_string().starts_with("t.toml:2:"), "{e}");
        let e =
            parse_str("[allow]\nregexes = [{ regex = \"a\", target = \"lines\" }]\n").unwrap_err();
        assert!(e.to_string().contains("lines"), "{e}");
        let e = parse_str("[rules]\nmin_confidence = \"mid\"\n").unwrap_err();
        assert!(e.to_string().starts_with("t.toml:2:18: "), "{e}");
    }

    #[test]
    fn globs_and_paths_cannot_escape() {
        let e = parse_str("[allow]\npaths = [\"ok/**\", \"../../etc\"]\n").unwrap_err();
        assert!(e.to_string().starts_with("t.toml:2:19: allow.paths"), "{e}");
        assert!(parse_str("baseline = \"/etc/passwd\"\n").is_err());
        assert!(parse_str("baseline = \"a/../../etc/passwd\"\n").is_err());
        let c = parse_str("baseline = \"ci/../base.json\"\n").unwrap();
        assert_eq!(c.baseline.unwrap(), Path::new("/r/base.json"));
    }

    #[test]
    fn regexes_take_strings_or_tables() {
        let c =
            parse_str("[allow]\nregexes = ['^test', { regex = 'x', target = 'match' }]\n").unwrap();
        assert_eq!(c.allow_regexes[0].target, Target::Secret);
        assert_eq!(c.allow_regexes[1].target, Target::Match);
    }
}
