//! `tradesecrets config show`: the merged configuration as TOML.

use super::schema::{Config, Target, VenueRef};
use crate::rules::RuleSpec;
use crate::rules::{Confidence, KnownExample};
use serde::Serialize;

impl Config {
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
