//! Whether a credential's surroundings say it is a testnet or sandbox key:
//! a true-valued testnet/sandbox/paper-trading switch (`testnet=True`,
//! `sandbox: true`, `BINANCE_TESTNET=1`, `set_sandbox_mode(True)`), a
//! venue's testnet or sandbox host, a demo-trading header, or a part named
//! for a testnet (`TESTNET_API_KEY`, `bybitTestnetSecret`). Read within a few
//! lines of the credential's parts: a file with both a live and a testnet
//! account keeps them apart. `--verify` asks such a key's testnet first (and
//! production when the testnet does not know it).

use crate::text::LineMap;
use regex::bytes::Regex;
use std::sync::OnceLock;

/// How many lines above the first part and below the last one are read.
const WINDOW: usize = 8;

fn markers() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)",
            // Switches with a true value (`= True`, `: true`, `="1"`).
            r#"(?:testnet|test_net|sandbox|paper_?trading|demo_?trading)\w*['"]?\s*(?:=|:|=>)\s*['"]?(?:true|1|yes|on)\b"#,
            r"|set_?sandbox_?mode\s*\(\s*true\s*\)",
            // The venues' testnet and sandbox hosts, and demo headers.
            r"|testnet\.binance\.vision|testnet\.binancefuture\.com|api-testnet\.bybit\.com",
            r"|api-demo\.bybit\.com|testnet\.bitmex\.com|test\.deribit\.com",
            r"|openapi-sandbox\.kucoin\.com|api\.sandbox\.gemini\.com",
            r"|sandbox\.exchange\.coinbase\.com|api-sandbox\.coinbase\.com",
            r"|x-simulated-trading|\bpaptrading\b",
            // A part named for a testnet or sandbox.
            r"|(?:testnet|sandbox)[_-]?(?:api[_-]?)?(?:key|secret|pass)",
        ))
        .expect("testnet markers")
    })
}

/// Whether lines `first..=last` (1-based), widened by up to [`WINDOW`]
/// lines each way, say testnet or sandbox. In a configuration file
/// (`sections`) the widening stops at a blank line: the next section is
/// another account; code keeps blank lines inside one statement's
/// neighbourhood (a key assigned above the client built with it). A marker on a line
/// that `other_venue` says names another venue (`BINANCE_TESTNET=1` beside
/// a Bybit key) is that venue's.
pub fn says_testnet(
    map: &LineMap,
    data: &[u8],
    first: usize,
    last: usize,
    sections: bool,
    other_venue: &dyn Fn(&[u8]) -> bool,
) -> bool {
    // A line map always has a line (an empty text is one empty line).
    let lines = map.line_count();
    let blank = |l: usize| sections && map.line_text(l).iter().all(|b| b.is_ascii_whitespace());
    let first = first.clamp(1, lines);
    let last = last.clamp(first, lines);
    let mut a = first;
    while a > 1 && first - a < WINDOW && !blank(a - 1) {
        a -= 1;
    }
    let mut b = last;
    while b < lines && b - last < WINDOW && !blank(b + 1) {
        b += 1;
    }
    let (start, _) = map.line_bounds(a);
    let (_, end) = map.line_bounds(b);
    let text = &data[start..end.max(start)];
    markers().find_iter(text).any(|m| {
        let from = text[..m.start()]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let to = text[m.end()..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(text.len(), |i| m.end() + i);
        !other_venue(&text[from..to])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(text: &str, line: usize) -> bool {
        let map = LineMap::new(text.as_bytes());
        let sections = !text.contains("(");
        says_testnet(
            &map,
            text.as_bytes(),
            line,
            line,
            sections,
            &|l: &[u8]| String::from_utf8_lossy(l).to_lowercase().contains("kraken"),
        )
    }

    #[test]
    fn switches_hosts_headers_and_names_say_testnet() {
        for text in [
            "client = Client(KEY, SECRET, testnet=True)",
            "session = HTTP(\n  testnet = True,\n  api_key='k')",
            "exchange.set_sandbox_mode(True)",
            "  sandbox: true",
            "\"sandbox\": \"true\",",
            "BINANCE_TESTNET=1",
            "USE_TESTNET=yes",
            "PAPER_TRADING=on",
            "base_url = 'https://testnet.binance.vision'",
            "'urls': {'api': 'https://api-testnet.bybit.com'}",
            "headers['x-simulated-trading'] = '1'",
            "BINANCE_TESTNET_API_KEY=k",
            "bybitTestnetSecret: s",
            "sandbox_key = k",
            "      TEST_TESTNET: \"true\"",
        ] {
            assert!(near(text, 1), "{text}");
        }
    }

    #[test]
    fn off_switches_live_hosts_and_far_lines_do_not() {
        for text in [
            "client = Client(KEY, SECRET, testnet=False)",
            "sandbox: false",
            "USE_TESTNET=0",
            "base_url = 'https://api.binance.com'",
            "# see the testnet docs",
            "testnet = os.getenv('TESTNET')",
            "api_key = k",
            "    \"dry_run\": true,",
        ] {
            assert!(!near(text, 1), "{text}");
        }
        let far = format!("testnet=True\n{}api_key = k\n", "x = 1\n".repeat(12));
        assert!(!near(&far, 14));
        assert!(near(&far, 5));
        // Code: a blank line between the key and the client built with it.
        assert!(near(
            "api_key = 'k'\n\nsession = HTTP(\n    testnet=True,\n)\n",
            1
        ));
        // The next section of a config is another account.
        assert!(!near(
            "BYBIT_KEY=k\nBYBIT_SECRET=s\n\nexport CB_SANDBOX=1\n",
            1
        ));
        assert!(near("BYBIT_KEY=k\nBYBIT_SECRET=s\nBYBIT_SANDBOX=1\n", 1));
        // Another venue's switch is that venue's.
        assert!(!near("BYBIT_KEY=k\nKRAKEN_TESTNET=true\n", 1));
    }
}
