//! What a found part is: a leak, a documentation example, a test fixture or
//! third-party code. Decided from the file's context and from what the
//! value's surroundings say, never from the context alone (real keys do sit
//! in tests and READMEs): a test file's value is a fixture only when the
//! test says so, a docs page's value an example only when it stands in a
//! sample.

use super::context::Subject;
use super::parts::PartHit;
use crate::finding::{CodeContext, Status};
use crate::rules::{Confidence, Part};

/// Words that say a value is invented, on its line or the lines around it.
const MOCK_WORDS: &[&str] = &[
    "mock",
    "fake",
    "dummy",
    "stub",
    "fixture",
    "noqa",
    "not real",
    "not a real",
    "notreal",
    "placeholder",
    "fictional",
    "made up",
    "made-up",
    "sample",
    "bogus",
    "testing only",
    "for tests",
    // Local development chains' well-known accounts.
    "ganache",
    "hardhat node",
    "anvil",
];

/// Sibling fields of a signed request or response sample in API docs.
const SAMPLE_SIBLINGS: &[&str] = &[
    "\"signature\"",
    "\"timestamp\"",
    "\"recvwindow\"",
    "signature=",
    "timestamp=",
    "\"sign\"",
    "\"nonce\"",
    "\"subname\"",
    "\"createdat\"",
    "\"permissions\"",
    "\"permission\"",
    "\"ipwhitelist\"",
    "\"iplist\"",
];

/// Lines that introduce a sample in a docs page or docstring.
const SAMPLE_HEADINGS: &[&str] = &[
    "response", "example", "sample", ":return", "returns:", "e.g.",
];

/// Paths whose files are fixtures by name (`fixtures/`, `*_vectors.json`).
fn fixture_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.split(['/', '\\']).any(|s| {
        matches!(
            s,
            "fixtures" | "__fixtures__" | "__mocks__" | "mocks" | "testdata" | "test_data"
        ) || s.contains("vector")
            || s.contains("fixture")
            || s.starts_with("mock")
            || s.starts_with("fake")
    })
}

fn has_word(text: &[u8], words: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    words
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
}

impl Subject<'_> {
    /// The text of lines `from..=to` (clamped), bounded per line.
    fn lines_text(&self, from: usize, to: usize) -> Vec<&[u8]> {
        let last = self.lines.len() - 1;
        (from..=to.min(last))
            .map(|l| {
                let (a, b) = self.line_range(l);
                &self.data[a..b.min(a + 400)]
            })
            .collect()
    }

    /// The bounded text around `start..end` on its line (a minified or
    /// one-line JSON file holds everything on one line).
    fn around(&self, start: usize, end: usize, span: usize) -> &[u8] {
        let l = self.line_of(start);
        let (a, b) = self.line_range(l);
        &self.data[a.max(start.saturating_sub(span))..b.min(end + span).max(end.min(b))]
    }
}

/// Does the line holding `start` assert or compare (a test's expectation)?
pub(super) fn assertion_line(line: &[u8]) -> bool {
    let t = line.trim_ascii_start().to_ascii_lowercase();
    t.starts_with(b"assert")
        || t.starts_with(b"self.assert")
        || t.starts_with(b"expect(")
        || t.starts_with(b"expect.")
        || t.starts_with(b"assert_eq!")
        || t.starts_with(b"t.equal")
        || memchr::memmem::find(&t, b".to_equal(").is_some()
        || memchr::memmem::find(&t, b".toequal(").is_some()
        || memchr::memmem::find(&t, b".to.equal(").is_some()
}

/// Is line `l` inside an assertion opened on one of the three lines above
/// (`expect(` on its own line, the value's call under it)?
fn open_assertion_above(blob: &Subject, l: usize) -> bool {
    let mut depth = 0i32;
    for k in (l.saturating_sub(3)..l).rev() {
        let (a, b) = blob.line_range(k);
        let t = &blob.data[a..b.min(a + 400)];
        depth += t.iter().filter(|&&c| c == b'(').count() as i32
            - t.iter().filter(|&&c| c == b')').count() as i32;
        if depth > 0 && assertion_line(t) {
            return true;
        }
    }
    false
}

/// Decides the status of every hit of one blob and caps the confidence
/// the context allows.
pub(super) fn judge_hits(blob: &Subject, path: &str, hits: &mut [PartHit]) {
    if hits.is_empty() {
        return;
    }
    let ctx = blob.context;
    // A page whose other samples are known examples: its values are samples.
    let page_of_examples = ctx == CodeContext::Docs && hits.iter().any(|h| h.example);
    // Test vectors: many values of one rule in one test data file (or
    // very many in a test's code).
    let vectors = ctx == CodeContext::Test && {
        let mut rules: Vec<usize> = hits.iter().map(|h| h.rule).collect();
        rules.sort_unstable();
        let need = if blob.code { 10 } else { 5 };
        rules.chunk_by(|a, b| a == b).any(|c| c.len() >= need)
    };
    let fixture_file = ctx == CodeContext::Test && fixture_path(path);
    let rst = path.to_ascii_lowercase().ends_with(".rst");
    for h in hits.iter_mut() {
        h.status = status(blob, h, page_of_examples, vectors || fixture_file, rst);
        if matches!(ctx, CodeContext::Test | CodeContext::Vendored) {
            h.confidence = h.confidence.min(Confidence::Medium);
        }
    }
    // One value is one thing within a file: once a copy of it stands in a
    // sample or a test's invention (the first of four shell tabs, the
    // expected output under the input), its other copies there are too.
    for i in 0..hits.len() {
        if hits[i].status != Status::Leak {
            continue;
        }
        if let Some(s) = hits
            .iter()
            .find(|o| o.status != Status::Leak && o.value == hits[i].value)
            .map(|o| o.status)
        {
            hits[i].status = s;
        }
    }
}

fn status(
    blob: &Subject,
    h: &PartHit,
    page_of_examples: bool,
    fixture_file: bool,
    rst: bool,
) -> Status {
    if h.example {
        return Status::Example;
    }
    let ctx = blob.context;
    if ctx == CodeContext::Vendored {
        return Status::Vendored;
    }
    let l = blob.line_of(h.start);
    let (ls, le) = blob.line_range(l);
    let line = &blob.data[ls..le];
    let near = blob.around(h.start, h.end, 160);
    // An explicit `noqa: mock` says so anywhere.
    if has_word(near, &["noqa: mock", "noqa:mock"]) {
        return Status::Fixture;
    }
    if ctx == CodeContext::Test {
        if fixture_file || assertion_line(line) || open_assertion_above(blob, l) {
            return Status::Fixture;
        }
        // The BIP-39 reference vectors' passphrase: a test copying them.
        if h.part == Part::Mnemonic
            && blob
                .lines_text(l.saturating_sub(6), l + 6)
                .iter()
                .any(|t| memchr::memmem::find(t, b"TREZOR").is_some())
        {
            return Status::Fixture;
        }
        let around = blob.lines_text(l.saturating_sub(2), l + 2);
        if has_word(near, MOCK_WORDS) || around.iter().any(|t| has_word(t, MOCK_WORDS)) {
            return Status::Fixture;
        }
        // `someApiKey`, `TEST_SECRET`, `exampleKey`: the name says invented
        // (on the line above when the value opens its line).
        let name_from = if blob.data[ls..h.start]
            .iter()
            .all(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`'))
            && l > 0
        {
            blob.lines[l - 1]
        } else {
            ls
        };
        let before = &blob.data[name_from.max(h.start.saturating_sub(48))..h.start];
        if has_word(
            before,
            &[
                "some",
                "test_",
                "test-",
                "testapi",
                "testsecret",
                "testkey",
                "testmnemonic",
                "testseed",
                "testphrase",
                "testprivate",
                "testwallet",
                "example",
            ],
        ) {
            return Status::Fixture;
        }
    }
    if page_of_examples {
        return Status::Example;
    }
    // An interactive session (`>>> f("…")`, or the output under it) is a
    // doctest: documentation, wherever it sits.
    if matches!(ctx, CodeContext::Code | CodeContext::Docs) && doctest(blob, l) {
        return Status::Example;
    }
    // So is what a shell session in a page prints under its `$ command`
    // (the command line itself is not: a key typed there is a key).
    if ctx == CodeContext::Docs && blob.prose && shell_output(blob, l) {
        return Status::Example;
    }
    // Code (an `examples/` script too): inside a docstring or comment run
    // that introduces a sample.
    if blob.code {
        if matches!(ctx, CodeContext::Code | CodeContext::Docs) && in_docstring_sample(blob, l) {
            return Status::Example;
        }
        return Status::Leak;
    }
    // Docs pages by structure.
    if ctx == CodeContext::Docs {
        // A reStructuredText literal block (`…::` or `.. code-block::`
        // above it) is a sample by construction.
        if rst && rst_literal(blob, l) {
            return Status::Example;
        }
        // Siblings of a signed request or response sample: two or more of
        // them (`"signature"` and `"timestamp"`), not one `recvWindow`.
        let around = blob.lines_text(l.saturating_sub(8), l + 8);
        let siblings = SAMPLE_SIBLINGS
            .iter()
            .filter(|w| has_word(near, &[w]) || around.iter().any(|t| has_word(t, &[w])))
            .count();
        if siblings >= 2 {
            return Status::Example;
        }
        // A heading that introduces a sample, a few lines above.
        let above = blob.lines_text(l.saturating_sub(12), l.saturating_sub(1));
        if l > 0 && above.iter().any(|t| heading(t)) {
            return Status::Example;
        }
        if h.part == Part::Passphrase {
            return Status::Example;
        }
    }
    Status::Leak
}

/// Is line `l` a doctest line (`>>> `, `... `) or the output right under one?
fn doctest(blob: &Subject, l: usize) -> bool {
    let prompt = |t: &[u8]| {
        let t = t.trim_ascii_start();
        t.starts_with(b">>> ") || t.starts_with(b"... ")
    };
    let lines = blob.lines_text(l.saturating_sub(1), l);
    match lines.as_slice() {
        [above, this] => prompt(this) || (prompt(above) && !this.trim_ascii().is_empty()),
        [this] => prompt(this),
        _ => false,
    }
}

/// Is line `l` the output of a shell session: under a `$ ` prompt line a
/// few lines above, with no code fence or heading between?
fn shell_output(blob: &Subject, l: usize) -> bool {
    let prompt = |t: &[u8]| t.trim_ascii_start().starts_with(b"$ ");
    let lines = blob.lines_text(l.saturating_sub(12), l);
    let Some((this, above)) = lines.split_last() else {
        return false;
    };
    if prompt(this) {
        return false;
    }
    for t in above.iter().rev() {
        if prompt(t) {
            return true;
        }
        let t = t.trim_ascii_start();
        if t.starts_with(b"```") || t.starts_with(b"~~~") || t.starts_with(b"#") {
            return false;
        }
    }
    false
}

/// Is line `l` of a reStructuredText page inside a literal block: indented
/// under a paragraph that ends with `::` or under a code directive?
fn rst_literal(blob: &Subject, l: usize) -> bool {
    let indent = |t: &[u8]| t.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    let this = blob.lines_text(l, l);
    let Some(own) = this.first().map(|t| indent(t)) else {
        return false;
    };
    if own == 0 {
        return false;
    }
    for t in blob
        .lines_text(l.saturating_sub(60), l.saturating_sub(1))
        .iter()
        .rev()
    {
        if t.trim_ascii().is_empty() || indent(t) >= own {
            continue;
        }
        let t = t.trim_ascii();
        // A directive shows a sample only when it is a code block (a
        // `.. testsetup::` block runs hidden, with what the docs really
        // use); a paragraph ending `::` introduces a literal block.
        if let Some(directive) = t.strip_prefix(b".. ") {
            return [
                &b"code"[..],
                b"sourcecode",
                b"prompt",
                b"doctest",
                b"testcode",
            ]
            .iter()
            .any(|d| directive.starts_with(d));
        }
        return t.ends_with(b"::");
    }
    false
}

/// A line that introduces a sample: a Markdown heading or label, a
/// docstring field (`:return:`, `Response:`), a comment (`// Example`).
fn heading(t: &[u8]) -> bool {
    let trimmed = t.trim_ascii();
    let lower = trimmed.to_ascii_lowercase();
    // A heading, a label line, a docstring field; a sentence that ends
    // with a colon only when it is short.
    let labelled = lower.starts_with(b"#")
        || lower.starts_with(b">")
        || lower.starts_with(b"**")
        || lower.starts_with(b"//")
        || lower.starts_with(b":")
        || (lower.ends_with(b":") && lower.len() <= 40);
    // reStructuredText introduces a literal block with `::`.
    let literal = lower.ends_with(b"::") && lower.len() < 120;
    ((labelled && lower.len() < 80) || literal) && has_word(&lower, SAMPLE_HEADINGS)
}

/// Is line `l` of a code file inside a docstring or comment block that
/// holds a sample (`:return:`, `Response:` a few lines above, in the same
/// triple-quoted string or comment run)?
fn in_docstring_sample(blob: &Subject, l: usize) -> bool {
    let lines = blob.lines_text(l.saturating_sub(40), l);
    let mut field = false;
    // Still inside the run of comment lines that holds line `l`.
    let mut comment_run = true;
    for t in lines.iter().rev() {
        let quotes = memchr::memmem::find_iter(t, b"\"\"\"").count()
            + memchr::memmem::find_iter(t, b"'''").count();
        let trimmed = t.trim_ascii_start();
        let comment = trimmed.starts_with(b"#")
            || trimmed.starts_with(b"//")
            || trimmed.starts_with(b"*")
            || trimmed.starts_with(b"/*");
        comment_run &= comment;
        field |= heading_or_field(t);
        if comment_run && field {
            return true;
        }
        if quotes > 0 {
            // The docstring's opening (or a one-line string): the sample
            // field must be inside it, below this line or on it.
            return field && quotes % 2 == 1;
        }
    }
    false
}

fn heading_or_field(t: &[u8]) -> bool {
    let lower = t.trim_ascii().to_ascii_lowercase();
    lower.len() < 100
        && has_word(
            &lower,
            &[
                ":return",
                "returns:",
                "response:",
                "response example",
                "example response",
                "sample response",
                "response sample",
                "example:",
                "examples:",
                "e.g.",
                "sample:",
                ">>> ",
                "following format",
                "as follows:",
                "like this:",
            ],
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_paths_and_assertions() {
        assert!(fixture_path("test/fixtures/ecpair.json"));
        assert!(fixture_path("tests/bip39_vectors.en.json"));
        assert!(fixture_path("src/__mocks__/client.ts"));
        assert!(!fixture_path("tests/test_okx.py"));
        assert!(assertion_line(b"    self.assertEqual(key, 'x')"));
        assert!(assertion_line(b"  expect(client.key).toEqual('x')"));
        assert!(!assertion_line(b"  api_key = 'x'"));
    }

    #[test]
    fn headings_introduce_samples() {
        assert!(heading(b"> Response"));
        assert!(heading(b"### Example request"));
        assert!(heading(b"    :return: the new key"));
        assert!(heading(
            b"Here is an example of a configuration file written for the app::"
        ));
        assert!(!heading(b"## Configuration"));
        assert!(!heading(b"api_key = 'x'  # the response is slow"));
        // A sentence that happens to end with a colon is not a heading.
        assert!(!heading(
            b"1. 09:12 a trader pasted the output of the sample env into the ticket:"
        ));
    }
}
