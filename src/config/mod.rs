//! `.tradesecrets.toml`: allowlists, rule selection and custom rules.
//!
//! `schema` says what a file may hold, `parse` reads one, `discovery`
//! finds the files that apply and keeps the trust boundary, `merge`
//! combines them, `custom` applies their rules and `show` prints the
//! result.
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

mod boundary;
mod custom;
mod diagnostics;
mod discovery;
mod limits;
mod merge;
mod parse;
mod schema;
mod show;

pub use boundary::normalize;
pub use diagnostics::{ConfigError, Diagnostic, Pos};
pub use discovery::{discover, discover_files, load_explicit, load_file, repo_root};
pub use limits::FILE_NAME;
pub use merge::{merge, reroot};
pub use parse::parse;
pub use schema::{AllowRegex, Config, CustomRules, Disabled, Target, VenueRef};

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
