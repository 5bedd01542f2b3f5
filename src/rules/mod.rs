//! The rule model: venues, their credential parts and the shapes those parts
//! take. Rules are data (`rules/*.toml`, embedded at build time) so that a
//! venue is added by adding a file, and so that a user's config can add rules
//! in exactly the same format.

pub mod template;

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// Which part of a credential a value is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The public half: API key, key id, access key, key name.
    #[default]
    Key,
    /// The signing half: API secret, HMAC key, venue "private key".
    Secret,
    /// A user-chosen passphrase some venues add to key + secret.
    Passphrase,
    /// An asymmetric private key (PEM, wallet scalar, WIF, xprv).
    PrivateKey,
    /// A BIP-39 seed phrase.
    Mnemonic,
}

impl Part {
    pub fn parse(s: &str) -> Option<Part> {
        Some(match s {
            "key" => Part::Key,
            "secret" => Part::Secret,
            "passphrase" => Part::Passphrase,
            "private_key" => Part::PrivateKey,
            "mnemonic" => Part::Mnemonic,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Key => "key",
            Part::Secret => "secret",
            Part::Passphrase => "passphrase",
            Part::PrivateKey => "private_key",
            Part::Mnemonic => "mnemonic",
        }
    }
    /// Parts that let someone sign requests on their own.
    pub fn is_signing(self) -> bool {
        matches!(self, Part::Secret | Part::PrivateKey | Part::Mnemonic)
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    #[default]
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// The alphabet a value is drawn from, for the randomness judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Alphabet {
    /// Pick from the value itself (hex if all hex, alnum if all alnum, ...).
    #[default]
    Auto,
    HexLower,
    HexUpper,
    Hex,
    Alnum,
    Base64,
    Base64url,
    Base58,
    /// `[A-Z0-9]`
    Upper,
    /// `[a-z0-9]`
    Lower,
    Uuid,
    /// Not judged for randomness (passphrases, checksummed values).
    None,
}

/// How a rule finds and validates its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Detector {
    /// `shape` must match the whole candidate value.
    #[default]
    Shape,
    /// A PEM private-key block.
    Pem,
    /// A BIP-39 mnemonic whose checksum verifies.
    Mnemonic,
    /// A Bitcoin WIF private key (base58check).
    Wif,
    /// A BIP-32 extended private key (base58check, 78-byte payload).
    ExtendedKey,
    /// A secp256k1 private key: 64 hex, a valid scalar.
    EvmKey,
    /// A Solana keypair (64 bytes: an Ed25519 seed and the public key it
    /// derives), as a byte array or in base58.
    SolanaKeypair,
    /// A user-chosen passphrase (no shape, no randomness test).
    Passphrase,
}

/// What context a rule needs before a value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Context {
    /// The venue must be named nearby (name, line, block, path or file).
    #[default]
    Venue,
    /// The value identifies itself (a prefix, a checksum): no context needed.
    SelfIdentifying,
    /// A credential name (or known call) must carry it; no venue needed.
    Name,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    WithPath { text: String, path: String },
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::WithPath { text, .. } => text,
        }
    }
    pub fn path(&self) -> &str {
        match self {
            Example::Text(_) => "example.txt",
            Example::WithPath { path, .. } => path,
        }
    }
}

/// A rule as written in TOML.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub part: Part,
    #[serde(default)]
    pub detector: Detector,
    #[serde(default)]
    pub context: Context,
    /// Regex the whole value must match (anchored for you).
    #[serde(default)]
    pub shape: Option<String>,
    /// A literal the value starts with; it is also an anchor of the prefilter.
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub alphabet: Alphabet,
    /// Extra names that identify this part beyond the usual ones.
    #[serde(default)]
    pub names: Vec<String>,
    pub confidence: Confidence,
    pub severity: Severity,
    pub description: String,
    /// False when the format is not documented by the venue: the rule then
    /// needs venue context and reports at most medium confidence.
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub revoke: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub negative_examples: Vec<Example>,
}

fn yes() -> bool {
    true
}

/// A venue as written in TOML.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueSpec {
    pub id: String,
    pub name: String,
    /// Words that name the venue in code, config and paths (case-insensitive).
    pub aliases: Vec<String>,
    /// Header / parameter names that carry one part for this venue only.
    #[serde(default)]
    pub headers: BTreeMap<String, Part>,
    /// SDK callables whose positional arguments are credential parts, in
    /// order; `"-"` marks an argument that is not one.
    #[serde(default)]
    pub calls: BTreeMap<String, Vec<String>>,
    /// The parts that together can sign requests.
    #[serde(default)]
    pub signing_set: Vec<Part>,
    #[serde(default)]
    pub references: Vec<String>,
    #[serde(default)]
    pub revoke: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownExample {
    pub value: String,
    pub venue: String,
    #[serde(default)]
    pub source: String,
}

/// One rules file.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(default)]
    pub venue: Option<VenueSpec>,
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
    /// Public documentation keys (only in examples.toml, but allowed anywhere).
    #[serde(default)]
    pub example: Vec<KnownExample>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub venue: String,
    pub venue_name: String,
    pub shape: Option<Regex>,
    /// Where the rule was loaded from (file name or config path).
    pub origin: String,
}

impl Rule {
    pub fn id(&self) -> &str {
        &self.spec.id
    }
    pub fn part(&self) -> Part {
        self.spec.part
    }
    /// Whether `value` has this rule's exact shape.
    pub fn shape_matches(&self, value: &str) -> bool {
        if let Some(p) = &self.spec.prefix
            && !value.starts_with(p.as_str())
        {
            return false;
        }
        match &self.shape {
            Some(re) => re.is_match(value),
            None => true,
        }
    }
    pub fn revoke(&self, venues: &HashMap<String, VenueSpec>) -> String {
        if let Some(r) = &self.spec.revoke {
            return r.clone();
        }
        venues
            .get(&self.venue)
            .map(|v| v.revoke.clone())
            .unwrap_or_default()
    }
    pub fn max_confidence(&self) -> Confidence {
        if self.spec.verified {
            self.spec.confidence
        } else {
            self.spec.confidence.min(Confidence::Medium)
        }
    }
}

/// Errors found while loading rules; each names where it came from.
#[derive(Debug, Clone)]
pub struct RuleError {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

/// All venues and rules, ready for the engine.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub venues: HashMap<String, VenueSpec>,
    pub rules: Vec<Rule>,
    /// Public documentation values -> venue id.
    pub known_examples: HashMap<String, String>,
}

/// The venue id used for rules that belong to no venue.
pub const WALLET: &str = "wallet";
pub const GENERIC: &str = "generic";

impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        for (name, text) in EMBEDDED_RULES {
            if let Err(e) = set.add_toml(name, text) {
                errors.extend(e);
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// Adds the venues, rules and examples of one TOML document.
    pub fn add_toml(&mut self, origin: &str, text: &str) -> Result<(), Vec<RuleError>> {
        let file: RulesFile = toml::from_str(text).map_err(|e| {
            vec![RuleError {
                origin: origin.to_string(),
                message: e.to_string(),
            }]
        })?;
        self.add_file(origin, file)
    }

    pub fn add_file(&mut self, origin: &str, file: RulesFile) -> Result<(), Vec<RuleError>> {
        let mut errors = Vec::new();
        let err = |m: String| RuleError {
            origin: origin.to_string(),
            message: m,
        };
        let (venue_id, venue_name) = match &file.venue {
            Some(v) => {
                if self.venues.contains_key(&v.id) {
                    errors.push(err(format!("venue `{}` is defined twice", v.id)));
                }
                if v.aliases.iter().any(|a| a.trim().len() < 2) {
                    errors.push(err(format!("venue `{}` has an alias shorter than 2", v.id)));
                }
                for (call, parts) in &v.calls {
                    for p in parts {
                        if p != "-" && Part::parse(p).is_none() {
                            errors.push(err(format!(
                                "venue `{}`: call `{call}` names `{p}`, not a part (key, secret, passphrase, private_key, mnemonic or -)",
                                v.id
                            )));
                        }
                    }
                }
                self.venues.insert(v.id.clone(), v.clone());
                (v.id.clone(), v.name.clone())
            }
            None => (String::new(), String::new()),
        };
        let existing: HashSet<String> = self.rules.iter().map(|r| r.spec.id.clone()).collect();
        for spec in file.rule {
            let (venue, vname) = if venue_id.is_empty() {
                match spec.id.split('.').next() {
                    Some(v) if v == WALLET => (WALLET.to_string(), "Wallet".to_string()),
                    _ => (GENERIC.to_string(), "Generic".to_string()),
                }
            } else {
                (venue_id.clone(), venue_name.clone())
            };
            if existing.contains(&spec.id) || self.rules.iter().any(|r| r.spec.id == spec.id) {
                errors.push(err(format!("rule id `{}` is defined twice", spec.id)));
                continue;
            }
            if !spec.id.contains('.') {
                errors.push(err(format!(
                    "rule id `{}` must be `<venue>.<name>`",
                    spec.id
                )));
            }
            let shape = match &spec.shape {
                Some(s) => match Regex::new(&format!("^(?:{s})$")) {
                    Ok(re) => Some(re),
                    Err(e) => {
                        errors.push(err(format!(
                            "rule `{}`: shape does not compile: {e}",
                            spec.id
                        )));
                        continue;
                    }
                },
                None => None,
            };
            if spec.detector == Detector::Shape && shape.is_none() {
                errors.push(err(format!(
                    "rule `{}`: a shape rule needs `shape`",
                    spec.id
                )));
                continue;
            }
            if spec.context == Context::SelfIdentifying
                && spec.prefix.is_none()
                && !matches!(
                    spec.detector,
                    Detector::Wif
                        | Detector::ExtendedKey
                        | Detector::Mnemonic
                        | Detector::Pem
                        | Detector::SolanaKeypair
                )
            {
                errors.push(err(format!(
                    "rule `{}`: a self-identifying rule needs a `prefix` or a checksum detector",
                    spec.id
                )));
            }
            self.rules.push(Rule {
                spec,
                venue,
                venue_name: vname,
                shape,
                origin: origin.to_string(),
            });
        }
        for ex in file.example {
            self.known_examples.insert(ex.value, ex.venue);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }

    pub fn venue_name(&self, id: &str) -> String {
        match id {
            WALLET => "Wallet".into(),
            GENERIC => "Generic".into(),
            _ => self
                .venues
                .get(id)
                .map(|v| v.name.clone())
                .unwrap_or_else(|| id.to_string()),
        }
    }

    /// Drops the rules whose ids are listed.
    pub fn disable(&mut self, ids: &[String]) {
        self.rules.retain(|r| !ids.iter().any(|d| d == &r.spec.id));
    }
}
