//! The file's schema: what `.tradesecrets.toml` may hold, as read by serde
//! (unknown fields are errors), and the parsed, validated [`Config`].

use super::diagnostics::Pos;
use crate::rules::RuleSpec;
use crate::rules::{Confidence, KnownExample, VenueSpec};
use regex::Regex;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::path::PathBuf;
use toml::Spanned;

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
pub(super) struct RawRegex {
    pub(super) regex: Spanned<String>,
    pub(super) target: Target,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRegexTable {
    pub(super) regex: Spanned<String>,
    #[serde(default)]
    pub(super) target: Target,
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
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) baseline: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) allow: RawAllow,
    #[serde(default)]
    pub(super) rules: RawRules,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAllow {
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) regexes: Vec<Spanned<RawRegex>>,
    #[serde(default)]
    pub(super) values: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) stopwords: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRules {
    #[serde(default)]
    pub(super) disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) min_confidence: Option<Confidence>,
    #[serde(default)]
    pub(super) custom: Vec<Spanned<RawCustom>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCustom {
    #[serde(default)]
    pub(super) venue: Option<Spanned<VenueRef>>,
    #[serde(default)]
    pub(super) rule: Vec<Spanned<RuleSpec>>,
    #[serde(default)]
    pub(super) example: Vec<KnownExample>,
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

impl Config {
    /// Whether any file was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
