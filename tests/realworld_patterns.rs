//! Regression fixtures for what a read of real repositories found
//! (`bench/realworld/notes/`): each pattern is written here in the project's
//! own words with generated values, and each case asserts the finding's
//! status, context, venue and confidence — or that there is none.

mod common;

use common::*;
use tradesecrets::finding::{CodeContext, Include, Status};
use tradesecrets::rules::template;
use tradesecrets::{Confidence, RuleSet, ScanOptions, Scanner};

fn scanner() -> Scanner {
    Scanner::new(
        RuleSet::builtin().unwrap(),
        ScanOptions {
            include: Include::ALL,
            ..ScanOptions::default()
        },
    )
}

/// What one finding must be: venue id, status, context, confidence at most.
struct Want {
    venue: &'static str,
    status: Status,
    context: CodeContext,
    at_most: Confidence,
}

const fn want(
    venue: &'static str,
    status: Status,
    context: CodeContext,
    at_most: Confidence,
) -> Want {
    Want {
        venue,
        status,
        context,
        at_most,
    }
}

/// Scans `text` (a template) as `path`; every finding must be one of
/// `wants` (in order), and there must be as many.
fn check(name: &str, path: &str, text: &str, wants: &[Want]) {
    let text = template::expand(text, name).unwrap();
    let found = scanner().scan_blob(text.as_bytes(), path);
    let got: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} {} {} {} at {}",
                f.venue_id,
                f.status.as_str(),
                f.primary().context.as_str(),
                f.confidence.as_str(),
                f.primary().line
            )
        })
        .collect();
    assert_eq!(found.len(), wants.len(), "{name}: {got:?}");
    for (f, w) in found.iter().zip(wants) {
        assert_eq!(f.venue_id, w.venue, "{name}: {got:?}");
        assert_eq!(f.status, w.status, "{name}: {got:?}");
        assert_eq!(f.primary().context, w.context, "{name}: {got:?}");
        assert!(f.confidence <= w.at_most, "{name}: {got:?}");
    }
}

use CodeContext as Ctx;
use Status as St;

#[test]
fn identifiers_are_not_values() {
    // A venue's client class whose base is the framework's exchange class.
    check(
        "class-name",
        "bot/exchange/deribit.py",
        "import ccxt\n\nclass Deribit(Exchange):\n    client_id = None\n    client_secret = None\n",
        &[],
    );
    // Base classes of order-book trackers, in files named for the venue.
    check(
        "base-class",
        "connectors/coinbase_pro/coinbase_pro_order_book_tracker.py",
        "from core.tracker import OrderBookTracker\n\nclass CoinbaseProOrderBookTracker(OrderBookTracker):\n    api_key: str\n",
        &[],
    );
    // A TypeScript cast and an equality test against a constant's name.
    check(
        "ts-cast",
        "src/bybit/websocket-client.ts",
        "const bybitKey = wsKey as WsKeyTopicRequests;\nif (this.apiKey === defaultApplicationId) { return; }\nconst apiKey: DefaultAPIKeySet = load();\n",
        &[],
    );
    // A repr dump of a settings object: class names after `=`.
    check(
        "repr-dump",
        "notes/dict.txt",
        "kucoin: ExchangeSettings(name=kucoin, config_keys=KucoinConfigMap, api_key=OrderBookDataSource)\n",
        &[],
    );
    // A method name in a minified React build (vendored code, no value).
    check(
        "minified-method",
        "web/build/static/js/main.3f2a.chunk.js",
        "var okx={};Object.keys(okx).forEach(function(apiKey){return {key:\"renderAccountSelector\",value:function(){}}});\n",
        &[],
    );
    // Image data: a letter run inside an embedded PNG is nobody's key.
    let png = format!(
        "{{\"outputs\": [{{\"data\": {{\"image/png\": \"{}\"}}}}], \"source\": [\"cryptocom_api_key = load()\"]}}\n",
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk".repeat(8)
    );
    check("png-run", "analysis/portfolio.ipynb", &png, &[]);
}

#[test]
fn ids_are_not_keys() {
    // A transfer link id and a partner code under names that say key.
    check(
        "link-key",
        "bot/phemex_transfer.py",
        "PHEMEX_API = 'https://api.phemex.com'\nresult = {'linkKey': '{{uuid}}', 'partner_key': '{{uuid}}', 'orderId': '{{uuid}}'}\n",
        &[],
    );
    // A UUID a test compares against.
    check(
        "assert-uuid",
        "tests/test_okx_orders.py",
        "def test_order():\n    okx_api_key = place()\n    assert okx_api_key == '{{uuid}}'\n",
        &[],
    );
}

#[test]
fn the_venue_comes_from_real_context() {
    // A wallet key in a file under `gateway/`: Gate.io is not named.
    check(
        "gateway-wallet",
        "gateway/requests/add_key.json",
        "{\n  \"chain\": \"ethereum\",\n  \"privateKey\": \"{{evmkey}}\"\n}\n",
        &[want("wallet", St::Leak, Ctx::Config, Confidence::High)],
    );
    // A 0x private key in a Bitget bot's wallet module, Bitget named only
    // far above: the wallet's key, not a Bitget secret.
    check(
        "bitget-file-wallet",
        "bot/onchain.py",
        "# bitget grid bot, on-chain part\nimport web3\n\n\n\nPRIVATE_KEY = \"0x{{evmkey}}\"\n",
        &[want("wallet", St::Leak, Ctx::Code, Confidence::High)],
    );
    // A NodeReal RPC key in a config that also lists an Infura endpoint
    // with a reference: the key belongs to the URL's host.
    check(
        "nodereal-url",
        "config/networks.yml",
        "mainnet: https://mainnet.infura.io/v3/${INFURA_ID}\nbsc: https://bsc-mainnet.nodereal.io/v1/{{hex:32}}\n",
        &[],
    );
    // An Infura URL with its key in it is Infura's.
    check(
        "infura-url",
        "config/networks.yml",
        "mainnet: https://mainnet.infura.io/v3/{{hex:32}}\n",
        &[want("infura", St::Leak, Ctx::Config, Confidence::High)],
    );
    // Keys named for a venue without rules, in a file that names Binance.
    check(
        "ascendex-names",
        "conf/settings.py",
        "binance_enabled = False\nascend_ex_api_key = \"{{alnum:32}}\"\nascend_ex_secret_key = \"{{alnum:64}}\"\n",
        &[want("generic", St::Leak, Ctx::Code, Confidence::Low)],
    );
}

#[test]
fn vendored_code_is_vendored() {
    // A library's self-test inside a committed virtualenv.
    check(
        "venv-selftest",
        ".venv/lib/python3.11/site-packages/eclib/schnorr.py",
        "if __name__ == '__main__':\n    private_key = 0x{{evmkey}}\n",
        &[want(
            "wallet",
            St::Vendored,
            Ctx::Vendored,
            Confidence::Medium,
        )],
    );
    // A docs theme's search key inside node_modules.
    check(
        "node-modules",
        "docs/node_modules/some-theme/config.js",
        "module.exports = { okx_api_key: '{{uuid}}', okx_secret_key: '{{HEX:32}}' }\n",
        &[want("okx", St::Vendored, Ctx::Vendored, Confidence::Medium)],
    );
}

#[test]
fn test_values_that_say_so_are_fixtures() {
    // A mock marker on the line.
    check(
        "noqa-mock",
        "test/connector/test_kucoin_auth.py",
        "class TestAuth:\n    def setUp(self):\n        self.kucoin_api_key = \"{{hex:24}}\"  # noqa: mock\n        self.kucoin_api_secret = \"{{uuid}}\"  # noqa: mock\n",
        &[want("kucoin", St::Fixture, Ctx::Test, Confidence::Medium)],
    );
    // A dummy name beside the value.
    check(
        "dummy-name",
        "src/__tests__/bybit.spec.ts",
        "const someBybitApiKey = '{{alnum:18}}';\nconst someBybitSecret = '{{alnum:36}}';\n",
        &[want("bybit", St::Fixture, Ctx::Test, Confidence::Medium)],
    );
    // Published test vectors: many keys in one test data file.
    let vectors: String = (0..6)
        .map(|i| format!("  {{\"seed\": \"{i:02}\", \"xprv\": \"{{{{xprv}}}}\"}},\n"))
        .collect();
    check(
        "vectors",
        "tests/data/bip32_vectors.json",
        &format!("[\n{vectors}]\n"),
        &(0..6)
            .map(|_| want("wallet", St::Fixture, Ctx::Test, Confidence::Medium))
            .collect::<Vec<_>>(),
    );
    // A real-looking key in a test with no such signal stays a leak, at
    // medium at most (a test's key is less often live).
    check(
        "real-in-test",
        "test/AccountTest.py",
        "import okx.Account as Account\n\nclass AccountTest(unittest.TestCase):\n    def setUp(self):\n        api_key = '{{uuid}}'\n        api_secret_key = '{{HEX:32}}'\n        passphrase = 'Tr4d1ng-Desk'\n",
        &[want("okx", St::Leak, Ctx::Test, Confidence::Medium)],
    );
}

#[test]
fn documentation_samples_are_examples() {
    // A signed WebSocket request sample in an API docs page.
    check(
        "ws-sample",
        "web-socket-api.md",
        "# Binance WebSocket API\n\nRequest\n\n```json\n{\n  \"id\": \"e2a85d9f\",\n  \"method\": \"account.status\",\n  \"params\": {\n    \"apiKey\": \"{{alnum:64}}\",\n    \"signature\": \"{{hex:64}}\",\n    \"timestamp\": 1660801839480\n  }\n}\n```\n",
        &[want("binance", St::Example, Ctx::Docs, Confidence::High)],
    );
    // A docstring's sample response in SDK code.
    check(
        "docstring-response",
        "kucoin/sub_account.py",
        "def create_sub_api_key(self):\n    \"\"\"Create a sub-account API key.\n\n    :return:\n        {\n            \"apiKey\": \"{{hex:24}}\",\n            \"apiSecret\": \"{{uuid}}\"\n        }\n    \"\"\"\n    return self._post('sub/api-key')\n",
        &[want("kucoin", St::Example, Ctx::Code, Confidence::High)],
    );
    // A well-known dev-chain phrase (Truffle's `develop` network).
    check(
        "truffle-develop",
        "test/provider.test.ts",
        "const mnemonic = \"candy maple cake sugar pudding cream honey rich smooth crumble sweet treat\";\n",
        &[want("wallet", St::Example, Ctx::Test, Confidence::Medium)],
    );
    // A real key in a README setup step stays a leak: docs alone say nothing.
    check(
        "readme-setup",
        "README.md",
        "## Setup\n\nPut your keys in the client:\n\n    g_api_key = \"{{hex:8}}-{{hex:8}}-{{hex:8}}-{{hex:5}}\"\n    g_secret_key = \"{{hex:8}}-{{hex:8}}-{{hex:8}}-{{hex:5}}\"\n    client = HuobiClient(g_api_key, g_secret_key)\n",
        &[want("htx", St::Leak, Ctx::Docs, Confidence::High)],
    );
}

#[test]
fn config_keys_stay_leaks_wherever_the_file_is_named_example() {
    check(
        "env-example",
        ".env.example",
        "BITGET_API_KEY=bg_{{hex:32}}\nBITGET_SECRET_KEY={{hex:64}}\nBITGET_PASSPHRASE=Gr1dB0t2024\n",
        &[want("bitget", St::Leak, Ctx::Config, Confidence::High)],
    );
}

#[test]
fn one_value_in_many_tests_is_a_fixture_and_in_many_configs_a_leak() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mock = template::expand(
        "binance_api_key = '{{alnum:64}}'\nbinance_api_secret = '{{alnum:64}}'\n",
        "shared-mock",
    )
    .unwrap();
    for name in ["orders", "wallet", "margin", "futures", "streams"] {
        write(d, &format!("tests/test_{name}.py"), &mock);
    }
    let real = template::expand(
        "BINANCE_API_KEY={{alnum:64}}\nBINANCE_API_SECRET={{alnum:64}}\n",
        "copied-real",
    )
    .unwrap();
    for name in ["prod", "staging", "dev"] {
        write(d, &format!("deploy/{name}.env"), &real);
    }
    let (code, r) = scan_json(d, &[".", "--include-all"]);
    assert_eq!(code, 1);
    let mut seen: Vec<(String, String)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let dir = f["locations"][0]["path"]
                .as_str()
                .unwrap()
                .split('/')
                .next()
                .unwrap()
                .to_string();
            (dir, f["status"].as_str().unwrap().to_string())
        })
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        vec![
            ("deploy".to_string(), "leak".to_string()),
            ("tests".to_string(), "fixture".to_string())
        ]
    );
    // Two test files are not many: the value stays a leak.
    let tmp = tempfile::tempdir().unwrap();
    for name in ["orders", "wallet"] {
        write(tmp.path(), &format!("tests/test_{name}.py"), &mock);
    }
    let (code, _) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 1);
}

#[test]
fn translated_copies_of_a_docs_page_are_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let page = template::expand(
        "## Authentication\n\nBINANCE_API_KEY={{alnum:64}}\n",
        "translated",
    )
    .unwrap();
    write(tmp.path(), "docs/auth.md", &page);
    write(tmp.path(), "docs/auth_CN.md", &page);
    let (code, r) = scan_json(tmp.path(), &["."]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["stats"]["hidden"]["example"], 2);
}

#[test]
fn doctests_and_literal_blocks_are_samples() {
    // A doctest continuation line deep inside a long library docstring.
    let filler: String = (0..45)
        .map(|i| format!("    line {i} of the prose.\n"))
        .collect();
    check(
        "doctest-continuation",
        "walletlib/accounts.py",
        &format!(
            "def from_phrase(phrase):\n    \"\"\"Derive an account.\n\n{filler}\n    >>> acct = from_phrase(\n    ...   \"{{{{mnemonic:12}}}}\")\n    >>> acct.address\n    \"\"\"\n"
        ),
        &[want("wallet", St::Example, Ctx::Code, Confidence::High)],
    );
    // The printed output right under a doctest line.
    check(
        "doctest-output",
        "walletlib/words.py",
        "def generate():\n    \"\"\"\n    >>> print(generate())  # doctest: +SKIP\n    '{{mnemonic:12}}'\n    \"\"\"\n",
        &[want("wallet", St::Example, Ctx::Code, Confidence::High)],
    );
    // One shell sample in four tabs of a reStructuredText page: every
    // copy is a sample.
    let tab = |shell: &str, line: &str| {
        format!(
            "   .. group-tab:: {shell}\n\n      .. code-block:: text\n\n         {line}\n         $ webapp run\n\n"
        )
    };
    let page = format!(
        "Settings\n========\n\nThe settings can come from the environment.\n\n.. tabs::\n\n{}{}{}",
        tab("Bash", "$ export WEBAPP_SECRET_KEY=\"{{hex:32}}\""),
        tab("CMD", "> set WEBAPP_SECRET_KEY=\"{{hex:32}}\""),
        tab("Powershell", "> $env:WEBAPP_SECRET_KEY = \"{{hex:32}}\""),
    );
    check(
        "rst-tabs",
        "docs/settings.rst",
        &page,
        &[
            want("generic", St::Example, Ctx::Docs, Confidence::Low),
            want("generic", St::Example, Ctx::Docs, Confidence::Low),
            want("generic", St::Example, Ctx::Docs, Confidence::Low),
        ],
    );
    // Hidden set-up code of a docs build runs with a real key: no sample.
    check(
        "rst-testsetup",
        "docs/contracts.rst",
        "Contracts\n=========\n\n.. testsetup::\n\n    import os\n    os.environ['INFURA_API_KEY'] = \"{{hex:32}}\"\n",
        &[want("infura", St::Leak, Ctx::Docs, Confidence::High)],
    );
    // The same assignment in a Markdown page with no sample around it is
    // still a leak: only the literal block says sample.
    check(
        "md-export",
        "docs/deploy.md",
        "Deploy\n\n    $ export WEBAPP_SECRET_KEY=\"{{hex:32}}\"\n",
        &[want("generic", St::Leak, Ctx::Docs, Confidence::Low)],
    );
}

#[test]
fn samples_in_docstrings_and_comment_runs() {
    // The shell output of a docstring's example, far below the heading:
    // the same value as the sample's input is the same sample.
    let mid: String = (0..14).map(|i| format!("        > step {i}\n")).collect();
    check(
        "docstring-output",
        "webapp/config.py",
        &format!(
            "    def from_env(self, prefix):\n        \"\"\"Load the settings.\n\n        For example::\n\n            $ export APP_SECRET_KEY='{{{{hex:32}}}}'\n{mid}            SECRET_KEY:'{{{{hex:32}}}}'\n        \"\"\"\n"
        ),
        &[
            want("generic", St::Example, Ctx::Code, Confidence::Low),
            want("generic", St::Example, Ctx::Code, Confidence::Low),
        ],
    );
    // A comment run in a demo script that shows the configuration format.
    check(
        "comment-format",
        "examples/demo_bitmex.py",
        "from feeds import Bitmex\n\n# Two ways to give the key:\n#\n# 1. Environment variables in the following format:\n#\n#    FEED_BITMEX_KEY_ID={{alnum:24}}\n#    FEED_BITMEX_KEY_SECRET={{alnum:48}}\n#\n",
        &[want("bitmex", St::Example, Ctx::Docs, Confidence::High)],
    );
    // A heading comment far above, with code between: the key under it
    // is not in the comment's sample.
    check(
        "comment-then-code",
        "bot/run.py",
        "# Example: start the bot\nimport bitmex\n\nbitmex_api_key = '{{alnum:24}}'\nbitmex_api_secret = '{{alnum:48}}'\n",
        &[want("bitmex", St::Leak, Ctx::Code, Confidence::High)],
    );
}

#[test]
fn calls_bind_only_their_own_venues_parts() {
    // An account id passed to a method of a venue-named client.
    check(
        "get-account",
        "notebooks/coinbase_pro.ipynb",
        "{\"cells\": [{\"source\": [\"gdax.get_account('{{uuid}}')\"]}]}\n",
        &[],
    );
    // A venue's constructor with a base URL third: the URL is no
    // passphrase, and a venue named in a comment above claims nothing.
    check(
        "url-third",
        "app/model/Funds.php",
        "<?php\n// balances of the OKX and HTX accounts\nfunction balances() {\n    $rpc = new hbdm('{{hex:8}}-{{hex:8}}-{{hex:8}}-{{hex:5}}', '{{hex:8}}-{{hex:8}}-{{hex:8}}-{{hex:5}}', 'https://api.hbdm.com');\n}\n",
        &[want("htx", St::Leak, Ctx::Code, Confidence::High)],
    );
}

#[test]
fn a_built_bundle_of_a_leaked_key_is_that_leak() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let src = template::expand(
        "export const okx = { apiKey: '{{uuid}}', secretKey: '{{HEX:32}}', passphrase: 'Fund-Desk-77' };\n",
        "bundled",
    )
    .unwrap();
    write(d, "web/src/keys.js", &src);
    // The same values compiled into one minified line.
    let bundle = format!(
        "!function(e){{var t={{}};{}}}(window);\n",
        src.trim().replace('\n', ";")
    );
    write(d, "web/dist/static/js/3.a1b2c3.js", &bundle);
    // A library that ships the same key id with a secret of its own is
    // not the leak: only a copy of every part is.
    let key = src.split('\'').nth(1).unwrap();
    write(
        d,
        "web/node_modules/okx-lib/index.js",
        template::expand(
            &format!(
                "module.exports = {{ okx_api_key: '{key}', okx_secret_key: '{{{{HEX:32}}}}' }}\n"
            ),
            "library",
        )
        .unwrap(),
    );
    let (code, r) = scan_json(d, &[".", "--include-all"]);
    assert_eq!(code, 1, "{r}");
    let mut seen: Vec<(String, String, String)> = path_status_context(&r)
        .into_iter()
        .map(|(path, status, context)| (path, context, status))
        .collect();
    seen.sort();
    seen.dedup();
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        seen,
        vec![
            s("web/dist/static/js/3.a1b2c3.js", "vendored", "leak"),
            s("web/node_modules/okx-lib/index.js", "vendored", "vendored"),
            s("web/src/keys.js", "code", "leak"),
        ]
    );
}

#[test]
fn shared_module_testing_helpers_are_tests() {
    check(
        "module-testing",
        "weblib/_utils/module_testing/eth_module.py",
        "ACCOUNT_PRIVATE_KEY = '0x{{evmkey}}'\n",
        &[want("wallet", St::Leak, Ctx::Test, Confidence::Medium)],
    );
    // A script that builds the tests' fixtures names what its keys are.
    check(
        "fixture-builder",
        "tests/generate_chain_fixture.py",
        "COINBASE_PRIVATE_KEY = '0x{{evmkey}}'\n",
        &[want("wallet", St::Fixture, Ctx::Test, Confidence::Medium)],
    );
}
