//! Where a finding lives: first-party code, configuration, tests,
//! documentation, or third-party code committed into the tree. Derived from
//! the path, and for bundles from the content (a minified file is vendored
//! wherever it sits).

use serde::{Deserialize, Serialize};

/// The kind of file a finding is in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum CodeContext {
    /// First-party source code.
    #[default]
    Code,
    /// Configuration: `.env`, YAML, JSON, TOML, INI, CI workflows, Dockerfiles.
    Config,
    /// Tests: test directories and test files of every language.
    Test,
    /// Documentation: Markdown/RST pages, docs trees, `examples/` and `samples/`.
    Docs,
    /// Third-party or generated trees: `node_modules`, `site-packages`,
    /// `.venv`, `vendor/`, bundles, source maps, minified files.
    Vendored,
}

impl CodeContext {
    pub const ALL: [CodeContext; 5] = [
        CodeContext::Code,
        CodeContext::Config,
        CodeContext::Test,
        CodeContext::Docs,
        CodeContext::Vendored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CodeContext::Code => "code",
            CodeContext::Config => "config",
            CodeContext::Test => "test",
            CodeContext::Docs => "docs",
            CodeContext::Vendored => "vendored",
        }
    }

    /// The context of `path` with `data` its content (a bundle or a minified
    /// file is vendored wherever it sits).
    pub fn of(path: &str, data: &[u8]) -> CodeContext {
        let c = CodeContext::of_path(path);
        if c == CodeContext::Vendored && built_output(path) && data.len() < 32 * 1024 {
            // A small script in `dist/` is the project's own compiled code
            // (a bot's `dist/constants.js`), not a bundle.
            let own = CodeContext::of_path(&path.replace("/dist/", "/").replace("/build/", "/"));
            if own != CodeContext::Vendored && !minified(path, data) {
                return own;
            }
        }
        if c != CodeContext::Vendored && minified(path, data) {
            return CodeContext::Vendored;
        }
        c
    }

    /// The context `path` alone tells.
    pub fn of_path(path: &str) -> CodeContext {
        let lower = path.replace('\\', "/").to_ascii_lowercase();
        let segs: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
        let Some((&file, dirs)) = segs.split_last() else {
            return CodeContext::Code;
        };
        let ext = file.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        // Third-party and generated trees.
        let vendored_dir = |d: &&str| {
            matches!(
                *d,
                "node_modules"
                    | "site-packages"
                    | "dist-packages"
                    | "bower_components"
                    | "jspm_packages"
                    | "vendor"
                    | "vendors"
                    | "third_party"
                    | "third-party"
                    | "thirdparty"
                    | ".venv"
                    | "venv"
                    | ".tox"
                    | ".nox"
                    | ".eggs"
                    | "pods"
                    | "carthage"
                    | ".yarn"
                    | ".pnpm-store"
                    | ".next"
                    | ".nuxt"
                    | ".docusaurus"
                    | "_site"
                    | ".vuepress"
                    | "page-data"
            ) || d.ends_with(".dist-info")
                || d.ends_with(".egg-info")
        };
        if dirs.iter().any(vendored_dir) {
            return CodeContext::Vendored;
        }
        let bundle_ext = matches!(ext, "js" | "mjs" | "cjs" | "css" | "map");
        if ext == "map"
            || file.contains(".min.")
            || file.ends_with(".chunk.js")
            || file.contains(".bundle.")
            || file.contains("-bundle.")
            || (bundle_ext
                && dirs
                    .iter()
                    .any(|d| matches!(*d, "dist" | "build" | "static" | "umd" | "bundles")))
        {
            return CodeContext::Vendored;
        }
        // Tests.
        let test_dir = |d: &&str| {
            matches!(
                *d,
                "test"
                    | "tests"
                    | "__tests__"
                    | "__test__"
                    | "testing"
                    | "spec"
                    | "specs"
                    | "testdata"
                    | "test_data"
                    | "test-data"
                    | "fixtures"
                    | "__fixtures__"
                    | "__mocks__"
                    | "mocks"
                    | "e2e"
                    | "unittest"
                    | "unittests"
                    | "unit_tests"
                    | "integration_tests"
                    | "integration-tests"
                    | "manual-tests"
                    | "test-vectors"
                    | "test_vectors"
            ) || d.ends_with("_tests")
                || d.ends_with("-tests")
                || d.ends_with("_testing")
                || d.starts_with("test_")
        };
        let stem = file.split('.').next().unwrap_or(file);
        // `BaseTest.java`, `ApiTests.cs`: a camel-case step before `Test`.
        let orig = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let orig_stem = orig.split('.').next().unwrap_or(orig);
        let camel_test = (orig_stem.ends_with("Test") || orig_stem.ends_with("Tests"))
            && orig_stem.len() > 5
            && ext_is_code(ext);
        let test_file = stem.starts_with("test_")
            || stem.ends_with("_test")
            || stem.ends_with("_tests")
            || stem.ends_with("_spec")
            || stem == "conftest"
            || camel_test
            || file.contains(".test.")
            || file.contains(".spec.")
            || file.contains("_test.")
            || file.contains("vectors");
        if dirs.iter().any(test_dir) || test_file {
            return CodeContext::Test;
        }
        // Documentation.
        let docs_ext = matches!(
            ext,
            "md" | "markdown"
                | "mdx"
                | "rst"
                | "adoc"
                | "asciidoc"
                | "txt"
                | "html"
                | "htm"
                | "wrm"
                | "tex"
                | "org"
        );
        let docs_dir = |d: &&str| {
            matches!(
                *d,
                "docs"
                    | "doc"
                    | "documentation"
                    | "examples"
                    | "example"
                    | "samples"
                    | "sample"
                    | "demo"
                    | "demos"
                    | "tutorial"
                    | "tutorials"
                    | "wiki"
                    | "site"
            )
        };
        let config_file = is_config_file(file, ext);
        if docs_ext && !config_file {
            return CodeContext::Docs;
        }
        if dirs.iter().any(docs_dir) {
            return CodeContext::Docs;
        }
        if config_file || dirs.iter().any(|d| matches!(*d, ".github" | ".circleci")) {
            return CodeContext::Config;
        }
        CodeContext::Code
    }
}

/// A script under a build-output directory, not named as a bundle.
fn built_output(path: &str) -> bool {
    let lower = format!("/{}", path.replace('\\', "/").to_ascii_lowercase());
    let file = lower.rsplit('/').next().unwrap_or("");
    (lower.contains("/dist/") || lower.contains("/build/"))
        && (file.ends_with(".js") || file.ends_with(".mjs") || file.ends_with(".cjs"))
        && !file.contains(".min.")
        && !file.contains("bundle")
        && !file.contains(".chunk.")
        && !lower.contains("/node_modules/")
}

fn ext_is_code(ext: &str) -> bool {
    is_code_path(&format!("x.{ext}"))
}

/// Prose: notes and pages people write by hand (Markdown, text, RST,
/// AsciiDoc, and files without an extension such as `NOTES`), where a
/// value's name is the words before it or the heading above it.
pub fn is_prose_path(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => matches!(
            ext.to_ascii_lowercase().as_str(),
            "md" | "markdown" | "mdx" | "txt" | "text" | "rst" | "adoc" | "org" | "notes"
        ),
        Some(_) => false,
        None => !file.is_empty(),
    }
}

/// Source files of programming languages (where an unquoted word is code).
pub fn is_code_path(path: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        ext.as_str(),
        "py" | "js"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "go"
            | "rs"
            | "java"
            | "kt"
            | "kts"
            | "cs"
            | "php"
            | "rb"
            | "swift"
            | "scala"
            | "c"
            | "cc"
            | "cpp"
            | "h"
            | "hpp"
            | "m"
            | "dart"
            | "lua"
            | "pl"
            | "r"
            | "ipynb"
            | "sol"
            | "vue"
            | "svelte"
            | "groovy"
    )
}

fn is_config_file(file: &str, ext: &str) -> bool {
    file.starts_with(".env")
        || file.ends_with(".env")
        || file.starts_with("dockerfile")
        || file.starts_with("docker-compose")
        || file == "requirements.txt"
        || file.ends_with(".tfvars")
        || matches!(
            ext,
            "json"
                | "jsonc"
                | "json5"
                | "yaml"
                | "yml"
                | "toml"
                | "ini"
                | "cfg"
                | "conf"
                | "config"
                | "properties"
                | "xml"
                | "plist"
                | "tf"
                | "hcl"
                | "env"
                | "secrets"
                | "credentials"
                | "pem"
                | "key"
        )
}

/// A minified script, stylesheet or JSON: few lines, very long ones. Read
/// off the first 64 KiB.
fn minified(path: &str, data: &[u8]) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "js" | "mjs" | "cjs" | "css" | "json" | "map") {
        return false;
    }
    let head = &data[..data.len().min(64 * 1024)];
    if head.len() < 4096 {
        return false;
    }
    let lines = memchr::memchr_iter(b'\n', head).count() + 1;
    head.len() / lines > 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_tell_the_context() {
        use CodeContext::*;
        for (p, want) in [
            ("bot/main.py", Code),
            ("src/exchange/deribit.rs", Code),
            (".env", Config),
            ("deploy/prod.env", Config),
            ("config/config.json", Config),
            (".github/workflows/ci.yml", Config),
            ("docker-compose.yml", Config),
            ("tests/test_auth.py", Test),
            ("pkg/client_test.go", Test),
            ("src/__tests__/api.ts", Test),
            ("web/api.spec.ts", Test),
            ("src/test/java/BaseTest.java", Test),
            ("src/main/java/ClientTest.java", Test),
            ("data/bip39_vectors.en.json", Test),
            ("test/fixtures/keys.json", Test),
            ("README.md", Docs),
            ("docs/api/auth.py", Docs),
            ("examples/place_order.py", Docs),
            ("node_modules/lib/index.js", Vendored),
            (".venv/lib/python3.11/site-packages/ccxt/okx.py", Vendored),
            ("vendor/github.com/x/y.go", Vendored),
            ("app/static/js/main.4f2a.chunk.js", Vendored),
            ("dist/bundle.js.map", Vendored),
            ("lib/jquery.min.js", Vendored),
            ("pkg/dist/index.js", Vendored),
        ] {
            assert_eq!(CodeContext::of_path(p), want, "{p}");
        }
        // `latest.py` and `contest.py` are not tests.
        assert_eq!(CodeContext::of_path("contest/latest.py"), Code);
    }

    #[test]
    fn a_minified_file_is_vendored_wherever_it_sits() {
        let long: Vec<u8> = "var a=1;".repeat(2000).into_bytes();
        assert_eq!(CodeContext::of("src/app.js", &long), CodeContext::Vendored);
        let normal: Vec<u8> = "var a = 1;\n".repeat(2000).into_bytes();
        assert_eq!(CodeContext::of("src/app.js", &normal), CodeContext::Code);
        // A small compiled script in `dist/` is the project's own code.
        assert_eq!(
            CodeContext::of("bot/dist/utils/constants.js", &normal[..2000]),
            CodeContext::Code
        );
        assert_eq!(
            CodeContext::of("dist/ethers.js", &normal),
            CodeContext::Vendored
        );
        // Only scripts, styles and JSON: a long Python line is code.
        assert_eq!(CodeContext::of("src/app.py", &long), CodeContext::Code);
    }
}
