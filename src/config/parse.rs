//! One config file's text to a validated [`Config`].

use super::{
    boundary::{check_glob, resolve_inside},
    diagnostics::{ConfigError, Diagnostic, Pos, line_col},
    limits::{MAX_EXAMPLE_BYTES, MAX_TEMPLATE_LEN},
    schema::{AllowRegex, Config, CustomRules, Disabled, RawConfig},
};
use regex::Regex;
use std::path::Path;

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

/// Checks a custom example's template before anything expands it.
pub(super) fn check_template_size(text: &str) -> Result<(), String> {
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
