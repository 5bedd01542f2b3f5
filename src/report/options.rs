//! What a report is rendered with.

use crate::finding::VersionControl;
use crate::rules::RuleSet;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
    /// The human report lists every skipped file with its reason.
    pub verbose: bool,
    /// The rules reports describe findings with (references, part, the
    /// most a rule can be trusted); without them a report describes each
    /// rule from what its findings carry.
    pub rules: Option<Arc<RuleSet>>,
    /// Where the scan ran: absolute paths below it are written relative to
    /// it by the machine formats.
    pub cwd: Option<PathBuf>,
    /// What kind of scan this was (`scan`, `git`, `hook`): SARIF's
    /// `automationDetails.id` is `tradesecrets/KIND/`, the category
    /// GitHub code scanning files the run under.
    pub kind: Option<&'static str>,
    /// The repositories and commits scanned, when the scan ran in them.
    pub provenance: Vec<VersionControl>,
    /// The report's findings live in more than one repository: each says
    /// which (set by [`super::render`]).
    pub several_repositories: bool,
}

impl RenderOptions {
    /// The repository to name beside a finding or entry of it: only when
    /// the report spans several.
    pub fn shown_repository<'a>(&self, repository: &'a Option<String>) -> Option<&'a str> {
        repository.as_deref().filter(|_| self.several_repositories)
    }
}
