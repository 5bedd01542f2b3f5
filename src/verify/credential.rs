//! The parts of one credential, as found or as read from standard input.

use crate::finding::{Finding, Verdict, Verification};
use crate::rules::Part;
use crate::verify::sign;

/// The parts of one credential, as found or as read from standard input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credential {
    /// The rule that found the key (or the secret), which tells variants of
    /// one venue apart (Coinbase CDP key names from legacy keys).
    pub rule_id: String,
    pub key: Option<String>,
    pub secret: Option<String>,
    pub passphrase: Option<String>,
    pub private_key: Option<String>,
    /// The finding's context says testnet or sandbox (or `verify
    /// --testnet`): the venue's testnet is asked first.
    pub testnet: bool,
}

impl Credential {
    /// The parts of `f`, keyed by part; the first of each kind wins.
    pub fn from_finding(f: &Finding) -> Credential {
        let mut c = Credential {
            rule_id: f.rule_id.clone(),
            testnet: f.testnet,
            ..Credential::default()
        };
        for l in &f.locations {
            let slot = match l.part {
                Part::Key => &mut c.key,
                Part::Secret => &mut c.secret,
                Part::Passphrase => &mut c.passphrase,
                Part::PrivateKey => &mut c.private_key,
                Part::Mnemonic => continue,
            };
            if slot.is_none() {
                *slot = Some(l.secret.clone());
            }
        }
        if let Some(k) = f.locations.iter().find(|l| l.part == Part::Key) {
            c.rule_id = k.rule_id.clone();
        }
        c
    }

    /// Reads a credential from text: a JSON object with the parts' names
    /// (as exchanges and Coinbase's CDP key files hand them out:
    /// `{"name", "privateKey"}`, `{"id", "privateKey"}`, `{"apiKey",
    /// "secret"}`; other fields are ignored), `part: value` or `part=value`
    /// lines (`key`, `secret`, `passphrase`, `private_key`, with the usual
    /// spellings such as `api_key`, `apiSecret`), or bare lines taken as key,
    /// secret and passphrase in that order. Outside JSON, a PEM block
    /// anywhere is the private key.
    pub fn parse(rule_id: &str, text: &str) -> Result<Credential, String> {
        let mut c = Credential {
            rule_id: rule_id.to_string(),
            ..Credential::default()
        };
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.starts_with('{') {
            let v: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
            let obj = v.as_object().ok_or("expected a JSON object")?;
            for (k, v) in obj {
                if part_name(k).is_none() {
                    continue;
                }
                let value = v.as_str().ok_or_else(|| format!("`{k}` is not a string"))?;
                c.set(k, value)?;
            }
            if c.key.is_none()
                && c.secret.is_none()
                && c.passphrase.is_none()
                && c.private_key.is_none()
            {
                return Err(
                    "no credential part in the JSON object (expected names such as `apiKey`, `secret`, `passphrase`, `name`, `privateKey`)"
                        .into(),
                );
            }
            return Ok(c);
        }
        if let Some(start) = text.find("-----BEGIN ") {
            let end = text[start..]
                .find("-----END ")
                .and_then(|e| {
                    text[start + e + 9..]
                        .find("-----")
                        .map(|x| start + e + 9 + x + 5)
                })
                .ok_or("a PEM block without its END line")?;
            c.private_key = Some(text[start..end].to_string());
            let rest = format!("{}\n{}", &text[..start], &text[end..]);
            let mut other = Credential::parse(rule_id, &rest)?;
            other.private_key = c.private_key;
            return Ok(other);
        }
        let mut bare = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let pair = line.split_once('=').or_else(|| line.split_once(": "));
            match pair {
                Some((k, v)) if part_name(k).is_some() => c.set(k, v.trim().trim_matches('"'))?,
                _ => bare.push(line),
            }
        }
        for (value, part) in bare.into_iter().zip(["key", "secret", "passphrase"]) {
            c.set(part, value)?;
        }
        Ok(c)
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let slot = match part_name(name) {
            Some(Part::Key) => &mut self.key,
            Some(Part::Secret) => &mut self.secret,
            Some(Part::Passphrase) => &mut self.passphrase,
            Some(Part::PrivateKey) => &mut self.private_key,
            _ => return Err(format!("unknown credential part `{name}`")),
        };
        *slot = Some(value.to_string());
        Ok(())
    }

    /// A digest of every part, for the per-run cache (never printed).
    pub(crate) fn digest(&self, venue: &str) -> [u8; 32] {
        let mut text = format!("{venue}{}", if self.testnet { "\0testnet" } else { "" });
        for p in [&self.key, &self.secret, &self.passphrase, &self.private_key] {
            text.push('\0');
            text.push_str(p.as_deref().unwrap_or("\u{1}"));
        }
        sign::sha256(text.as_bytes())
    }

    /// The part `what` or the "unsupported" verification naming it.
    pub fn need<'a>(part: &'a Option<String>, what: &str) -> Result<&'a str, Verification> {
        part.as_deref().ok_or_else(|| {
            Verification::new(
                Verdict::Unsupported,
                format!("incomplete credential: no {what} was found with it"),
            )
        })
    }
}

fn part_name(name: &str) -> Option<Part> {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let n = n.strip_prefix("api").unwrap_or(&n);
    match n {
        "key" | "apikey" | "keyid" | "accesskey" | "keyname" | "clientid" | "id" | "name" => {
            Some(Part::Key)
        }
        "secret" | "secretkey" | "apisecret" | "keysecret" | "clientsecret" => Some(Part::Secret),
        "passphrase" | "password" | "pass" => Some(Part::Passphrase),
        "privatekey" | "pem" => Some(Part::PrivateKey),
        _ => None,
    }
}
