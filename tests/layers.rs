//! The library's layers point one way (see the diagram in `src/lib.rs`):
//! a module may name modules of lower layers only, modules of one layer
//! never name each other, and no file of `src/` is part of an import
//! circle. Read from the source text: every `use` tree and every inline
//! `crate::` / `super::` / `self::` path, resolved to the file of the
//! module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest layer first; modules on one
/// line are peers.
const LAYERS: &[&[&str]] = &[
    &["text", "codec", "util"],
    &["rules"],
    &["finding", "config"],
    &["detect", "source", "suppress", "verify", "report"],
    &["scan"],
    &["app"],
];

/// Module path -> its file.
type Modules = BTreeMap<Vec<String>, PathBuf>;
/// (from, to) module paths.
type Edges = BTreeSet<(Vec<String>, Vec<String>)>;

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// A module path (`["detect", "engine"]`) for every file of the library
/// (rooted at `lib.rs`) or, with `binary`, of the binary (rooted at
/// `main.rs`, its modules under `src/cli/`).
fn module_files(src: &Path, binary: bool) -> Modules {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(src).unwrap();
            let in_binary = rel.starts_with("cli") || rel == Path::new("main.rs");
            if p.is_dir() {
                if dir != src || in_binary == binary {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") || (dir == src && in_binary != binary) {
                continue;
            }
            let mut segs: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect();
            let last = segs.pop().unwrap();
            match last.as_str() {
                "lib.rs" | "main.rs" if segs.is_empty() => {}
                "mod.rs" => {}
                f => segs.push(f.trim_end_matches(".rs").to_string()),
            }
            out.insert(segs, p);
        }
    }
    out
}

/// The text with comments, string and character literals blanked out.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                j += 1;
            }
            out.push(b' ');
            i = j + close.len();
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push(b' ');
            i += 1;
        } else if b[i] == b'\'' && (b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\')))
        {
            // A character literal ('a', '\n', '\''), not a lifetime.
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            out.push(b' ');
            i += 1;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Every path a file names: the expanded leaves of its `use` trees and its
/// inline paths (`crate::…`, `super::…`, `self::…`, `child::…`), as
/// segment lists.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let word_start = i == 0 || !ident_char(b[i - 1]);
        if word_start && b[i..].starts_with(b"use ") {
            let end = i + code[i..].find(';').unwrap_or(code.len() - i);
            expand_use(&code[i + 4..end], &mut Vec::new(), &mut out);
            i = end;
            continue;
        }
        // An inline path: `crate::a::b`, `super::a`, or `child::f()` (a
        // relative path, kept when its first segment is a child module).
        let after_colons = i >= 2 && &b[i - 2..i] == b"::";
        if word_start && !after_colons && ident_char(b[i]) && !b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && (ident_char(b[j]) || b[j..].starts_with(b"::")) {
                j += if b[j] == b':' { 2 } else { 1 };
            }
            let p: Vec<String> = code[i..j]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if p.len() > 1 {
                out.push(p);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its leaf paths.
fn expand_use(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim().trim_start_matches("::");
    if tree.is_empty() {
        // After a trailing comma: `{a, b,}`.
        return;
    }
    let Some(open) = tree.find('{') else {
        let mut p = prefix.clone();
        let path = tree.split(" as ").next().unwrap_or("").trim();
        p.extend(
            path.split("::")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
        if !p.is_empty() {
            out.push(p);
        }
        return;
    };
    let head: Vec<String> = tree[..open]
        .split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let close = tree.rfind('}').unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let n = prefix.len();
    prefix.extend(head);
    let mut depth = 0;
    let mut start = 0;
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand_use(&inner[start..k], prefix, out);
                start = k + 1;
            }
            _ => {}
        }
    }
    expand_use(&inner[start..], prefix, out);
    prefix.truncate(n);
}

/// The module file a path names from module `at`, if it names one of the
/// library's: the longest prefix of the resolved path that is a module.
fn resolve(at: &[String], path: &[String], modules: &Modules) -> Option<Vec<String>> {
    let mut abs: Vec<String> = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => rest = &path[1..],
        Some("self") => {
            abs = at.to_vec();
            rest = &path[1..];
        }
        Some("super") => {
            abs = at.to_vec();
            while rest.first().map(String::as_str) == Some("super") {
                abs.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            // A relative path to a child module (`pub use engine::Engine;`).
            let mut child = at.to_vec();
            child.push(first.to_string());
            if !modules.contains_key(&child) {
                return None;
            }
            abs = at.to_vec();
        }
        None => return None,
    }
    abs.extend(rest.iter().filter(|s| *s != "*").cloned());
    (0..=abs.len())
        .rev()
        .map(|k| abs[..k].to_vec())
        .find(|m| modules.contains_key(m))
}

/// Edges between library files: (from, to) module paths.
fn edges(src: &Path, binary: bool) -> (Modules, Edges) {
    let modules = module_files(src, binary);
    let mut out = BTreeSet::new();
    for (m, file) in &modules {
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        let mut parts = Vec::new();
        inline_modules(&code, m.clone(), &mut parts);
        for (at, code) in parts {
            for p in named_paths(&code) {
                if let Some(to) = resolve(&at, &p, &modules)
                    && &to != m
                    && !to.is_empty()
                {
                    out.insert((m.clone(), to));
                }
            }
        }
    }
    (modules, out)
}

/// Splits a file's code into the code of its own module and that of each
/// inline `mod name { … }` (where `super::` means the file's module).
fn inline_modules(code: &str, at: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    let b = code.as_bytes();
    let mut own = String::new();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        let word_start = i == 0 || !ident_char(b[i - 1]);
        if word_start && b[i..].starts_with(b"mod ") {
            let mut j = i + 4;
            let name_start = j;
            while j < b.len() && ident_char(b[j]) {
                j += 1;
            }
            let name = code[name_start..j].to_string();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b'{') && !name.is_empty() {
                let mut depth = 0;
                let mut k = j;
                while k < b.len() {
                    match b[k] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    k += 1;
                }
                own.push_str(&code[last..i]);
                let mut inner = at.clone();
                inner.push(name);
                inline_modules(&code[j + 1..k.min(b.len())], inner, out);
                i = k + 1;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    own.push_str(&code[last.min(code.len())..]);
    out.push((at, own));
}

fn violations(edges: &Edges) -> Vec<String> {
    let mut bad = Vec::new();
    for (from, to) in edges {
        let (Some(f), Some(t)) = (from.first(), to.first()) else {
            continue;
        };
        if f == t {
            continue;
        }
        match (layer_of(f), layer_of(t)) {
            (Some(a), Some(b)) if b < a => {}
            (Some(a), Some(b)) if a == b => bad.push(format!(
                "{} names {}: peers of one layer never name each other",
                from.join("::"),
                to.join("::")
            )),
            (Some(_), Some(_)) => bad.push(format!(
                "{} names {}, a module of a higher layer",
                from.join("::"),
                to.join("::")
            )),
            _ => bad.push(format!(
                "{} names {}: a top-level module missing from LAYERS",
                from.join("::"),
                to.join("::")
            )),
        }
    }
    bad
}

/// The import circles among files (strongly connected components of more
/// than one file).
fn circles(edges: &Edges) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&Vec<String>> = edges.iter().flat_map(|(a, b)| [a, b]).collect();
    let nodes: Vec<&Vec<String>> = nodes.into_iter().collect();
    let index = |n: &Vec<String>| nodes.iter().position(|m| *m == n).unwrap();
    let mut adj = vec![Vec::new(); nodes.len()];
    for (a, b) in edges {
        adj[index(a)].push(index(b));
    }
    // Kosaraju: reachability both ways.
    let reach = |from: usize, adj: &Vec<Vec<usize>>| {
        let mut seen = vec![false; adj.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            if !std::mem::replace(&mut seen[n], true) {
                stack.extend(&adj[n]);
            }
        }
        seen
    };
    let mut rev = vec![Vec::new(); nodes.len()];
    for (a, list) in adj.iter().enumerate() {
        for &b in list {
            rev[b].push(a);
        }
    }
    let mut done = vec![false; nodes.len()];
    let mut out = Vec::new();
    for n in 0..nodes.len() {
        if done[n] {
            continue;
        }
        let (f, b) = (reach(n, &adj), reach(n, &rev));
        let scc: Vec<usize> = (0..nodes.len()).filter(|&k| f[k] && b[k]).collect();
        for &k in &scc {
            done[k] = true;
        }
        if scc.len() > 1 {
            out.push(scc.iter().map(|&k| nodes[k].join("::")).collect());
        }
    }
    out
}

#[test]
fn layers_point_down_and_files_form_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (modules, edges) = edges(&src, false);
    assert!(modules.len() > 40, "too few library files found");
    assert!(
        edges.len() > 60,
        "too few imports found: the parser is broken"
    );
    // Every top-level module has its place.
    for m in modules.keys() {
        if let Some(top) = m.first() {
            assert!(layer_of(top).is_some(), "`{top}` is missing from LAYERS");
        }
    }
    let bad = violations(&edges);
    assert!(
        bad.is_empty(),
        "upward or sideways imports:\n{}",
        bad.join("\n")
    );
    let c = circles(&edges);
    let within: Vec<String> = edges
        .iter()
        .filter(|(a, b)| {
            c.iter()
                .any(|scc| scc.contains(&a.join("::")) && scc.contains(&b.join("::")))
        })
        .map(|(a, b)| format!("{} -> {}", a.join("::"), b.join("::")))
        .collect();
    assert!(
        c.is_empty(),
        "import circles among files: {c:#?}\nedges inside them:\n{}",
        within.join("\n")
    );
}

#[test]
fn the_binary_s_files_form_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (modules, edges) = edges(&src, true);
    assert!(modules.len() > 8, "too few files of the binary found");
    assert!(edges.len() > 15, "too few imports found in the binary");
    assert!(
        modules.keys().all(|m| m.is_empty() || m[0] == "cli"),
        "{modules:?}"
    );
    let c = circles(&edges);
    assert!(
        c.is_empty(),
        "import circles among the binary's files: {c:#?}"
    );
}

#[test]
fn the_checker_catches_upward_imports_and_circles() {
    // A leaf that names the pipeline, and two files that name each other.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path();
    let put = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put("lib.rs", "pub mod text;\npub mod scan;\npub mod rules;\n");
    put(
        "text/mod.rs",
        "mod a;\nmod b;\n// use crate::scan::Scanner; (a comment: ignored)\nconst S: &str = \"crate::scan\";\n",
    );
    put("text/a.rs", "use super::b::B;\npub struct A;\n");
    put(
        "text/b.rs",
        "pub struct B;\nfn f() -> super::a::A { super::a::A }\n",
    );
    put(
        "rules/mod.rs",
        "use crate::{text::a::A, scan::{Scanner, self}};\n",
    );
    put("scan/mod.rs", "pub struct Scanner;\nuse crate::text;\n");
    let (_, e) = edges(src, false);
    let bad = violations(&e);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].starts_with("rules names scan, a module of a higher layer"));
    let c = circles(&e);
    assert_eq!(c, vec![vec!["text::a".to_string(), "text::b".to_string()]]);
}
