//! Custom rules and `[rules] disable`: what a config adds to and removes
//! from the rule set.

use super::{
    diagnostics::{ConfigError, Pos},
    parse::check_template_size,
    schema::{Config, VenueRef},
};
use crate::rules::{GENERIC, WALLET};
use crate::rules::{RuleSet, RulesFile};

impl Config {
    /// Adds the custom rules to `rules`, then disables what `[rules]
    /// disable` lists; returns the custom rules' ids with where each was
    /// defined, for [`crate::app::apply_config_rules`] to check their
    /// examples against the whole set.
    pub fn apply_rules(&self, rules: &mut RuleSet) -> Result<Vec<(String, Pos)>, ConfigError> {
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

        Ok(custom_ids)
    }
}
