//! What is built on the whole pipeline: git hooks ([`hooks`]), the rules'
//! self-test ([`rules_check`], which scans every rule's examples), and
//! setting a config's rules up with that self-test.

pub mod hooks;
pub mod rules_check;

use crate::config::{Config, ConfigError};
use crate::rules::RuleSet;

/// Adds a config's custom rules to `rules` and disables what it disables
/// (see [`Config::apply_rules`]), then checks the custom rules' examples
/// against the whole set, as `tradesecrets rules check` does: a custom rule
/// whose examples are not found is an error at the place it is defined.
pub fn apply_config_rules(config: &Config, rules: &mut RuleSet) -> Result<(), ConfigError> {
    let custom_ids = config.apply_rules(rules)?;
    let mut errors = Vec::new();
    if custom_ids.iter().any(|(id, _)| rules.rule(id).is_some()) {
        for p in rules_check::check(rules) {
            if p.level != rules_check::Level::Error {
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
