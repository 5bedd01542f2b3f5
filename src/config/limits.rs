//! Limits on what a config may ask for.

/// The file name discovered in the scanned tree and its parents.
pub const FILE_NAME: &str = ".tradesecrets.toml";

/// Configs larger than this are refused (no one writes 1 MiB of allowlist).
pub(crate) const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Longest generated value a custom rule example may ask for (`{{alnum:N}}`).
pub(crate) const MAX_TEMPLATE_LEN: usize = 4096;

/// Longest custom rule example text.
pub(crate) const MAX_EXAMPLE_BYTES: usize = 64 * 1024;
