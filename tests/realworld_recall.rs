//! Regression fixtures for the shapes real committed files carry credentials
//! in (`bench/recall/`): each class is written here in the project's own
//! words with generated values, in several syntaxes, and each case asserts
//! the rule, part, venue and line of every location — or that there is none.

use tradesecrets::finding::Include;
use tradesecrets::rules::template;
use tradesecrets::{RuleSet, ScanOptions, Scanner};

/// The findings (every status) of `text` (a template) scanned as `path`.
fn scan(name: &str, path: &str, text: &str) -> Vec<tradesecrets::finding::Finding> {
    let text = template::expand(text, name).unwrap();
    let scanner = Scanner::new(
        RuleSet::builtin().unwrap(),
        ScanOptions {
            include: Include::ALL,
            ..ScanOptions::default()
        },
    );
    scanner.scan_blob(text.as_bytes(), path)
}

/// `rule part venue line` of every location of every finding of `text` (a
/// template) scanned as `path`, in order.
fn found(name: &str, path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in scan(name, path, text) {
        for l in &f.locations {
            out.push(format!(
                "{} {} {} {}",
                l.rule_id,
                l.part.as_str(),
                f.venue,
                l.line
            ));
        }
    }
    out
}

fn check(name: &str, path: &str, text: &str, want: &[&str]) {
    assert_eq!(found(name, path, text), want, "{name} ({path})");
}

#[test]
fn key_files_name_their_lines() {
    // A venue's key file: key on the first line, secret on the second.
    check(
        "two-line-key-file",
        "binance.key",
        "{{alnum:64}}\n{{alnum:64}}\n",
        &[
            "binance.api-key key Binance 1",
            "binance.secret-key secret Binance 2",
        ],
    );
    // The same with angle brackets and padding, the way krakenex reads it.
    check(
        "kraken-key-file",
        "kraken.key",
        "<{{b64:56}}>\n<{{b64:86}}==>\n",
        &[
            "kraken.api-key key Kraken 1",
            "kraken.private-key secret Kraken 2",
        ],
    );
    // Three lines for a venue with a passphrase.
    check(
        "three-line-key-file",
        "conf/kucoin.key",
        "{{hex:24}}\n{{uuid}}\n{{alnum:16}}\n",
        &[
            "kucoin.api-key key KuCoin 1",
            "kucoin.api-secret secret KuCoin 2",
            "kucoin.api-passphrase passphrase KuCoin 3",
        ],
    );
    // Hardhat and Truffle read a wallet key or a seed phrase from `.secret`.
    check(
        "dot-secret-key",
        "contracts/.secret",
        "{{evmkey}}\n",
        &["wallet.evm-private-key private_key Wallet 1"],
    );
    check(
        "dot-secret-phrase",
        ".secret",
        "{{mnemonic:12}}\n",
        &["wallet.bip39-mnemonic mnemonic Wallet 1"],
    );
    // A one-line file that names no part is no credential, however random.
    check("version-file", "dist/BUILD_ID", "{{alnum:40}}\n", &[]);
}

#[test]
fn solana_keypairs_verify_their_public_half() {
    check(
        "cli-keypair",
        "keypair.json",
        "{{solkeypair}}",
        &["wallet.solana-keypair private_key Wallet 1"],
    );
    check(
        "uint8array",
        "scripts/airdrop.ts",
        "import { Keypair } from \"@solana/web3.js\";\nconst payer = Keypair.fromSecretKey(\n  Uint8Array.from({{solkeypair}})\n);\n",
        &["wallet.solana-keypair private_key Wallet 3"],
    );
    check(
        "base58",
        ".env",
        "SOLANA_PRIVATE_KEY={{solb58}}\n",
        &["wallet.solana-keypair private_key Wallet 1"],
    );
    // A serialized Keypair object: index keys in order, one per line.
    let pair = template::expand("{{solkeypair}}", "index-object").unwrap();
    let nums: Vec<&str> = pair.trim_matches(['[', ']']).split(',').collect();
    let body: Vec<String> = nums
        .iter()
        .enumerate()
        .map(|(i, n)| format!("\"{i}\": {n}"))
        .collect();
    let text = format!(
        "{{\"_keypair\": {{\"secretKey\": {{\n  {}\n}}}}}}\n",
        body.join(",\n  ")
    );
    check(
        "index-object",
        "src/keypair.json",
        &text,
        &["wallet.solana-keypair private_key Wallet 1"],
    );
    // 64 numbers whose second half is not the first half's public key.
    let bytes: Vec<String> = (0..64).map(|i| ((i * 37 + 11) % 256).to_string()).collect();
    let text = format!("[{}]\n", bytes.join(","));
    check("random-bytes", "keypair.json", &text, &[]);
}

#[test]
fn web3_configs_name_their_services() {
    // Web3Modal's WalletConnect options, in JavaScript and TypeScript.
    check(
        "web3modal-js",
        "src/utils/web3Modal.js",
        "const providerOptions = {\n  walletconnect: {\n    package: WalletConnectProvider,\n    options: {\n      infuraId: \"{{hex:32}}\", // required\n    },\n  },\n};\n",
        &["infura.api-key key Infura 5"],
    );
    check(
        "web3modal-ts",
        "lib/useWeb3Modal.ts",
        "export const web3Modal = new Web3Modal({\n  providerOptions: {\n    walletconnect: { options: { infuraId: '{{hex:32}}' } },\n  },\n})\n",
        &["infura.api-key key Infura 3"],
    );
    // An Etherscan key under the explorer's own name.
    check(
        "etherscan-constant",
        "hardhat.config.ts",
        "const ETHERSCAN_API = \"{{upper:34}}\";\nexport default { etherscan: { apiKey: ETHERSCAN_API } };\n",
        &["etherscan.api-key key Etherscan 1"],
    );
    // QuickNode's token is the path right after its host.
    check(
        "quicknode-js",
        "src/xdai.js",
        "const provider = ethers.getDefaultProvider(\"https://rough-green-sky.xdai.quiknode.pro/{{hex:40}}/\");\n",
        &["quicknode.endpoint-token key QuickNode 1"],
    );
    check(
        "quicknode-env",
        "bots/.env",
        "XDAI_NODE=wss://rough-green-sky.xdai.quiknode.pro/{{hex:40}}/\n",
        &["quicknode.endpoint-token key QuickNode 1"],
    );
    // ...and no other host's path is QuickNode's.
    check(
        "other-host",
        "src/rpc.js",
        "// faster than quicknode\nconst rpc = \"https://rpc.example.org/{{hex:40}}\";\n",
        &[],
    );
    // Covalent keys say what they are.
    check(
        "covalent",
        "src/portfolio.js",
        "axios.get(url, { params: { 'key': 'ckey_{{hex:27}}' } })\n",
        &["covalent.api-key key Covalent (GoldRush) 1"],
    );
    // A header value on the line after its name.
    check(
        "moralis-continuation",
        "src/api/moralis.ts",
        "const base = \"https://deep-index.moralis.io/api/v2\";\nreturn fetch(base, {\n  headers: {\n    'X-API-Key':\n      '{{alnum:64}}',\n  },\n});\n",
        &["moralis.api-key key Moralis 5"],
    );
    check(
        "cryptocompare",
        "prices.py",
        "URL = \"https://min-api.cryptocompare.com/data/price?fsym=BTC&tsyms=USD&api_key={{hex:64}}\"\n",
        &["cryptocompare.api-key key CryptoCompare 1"],
    );
}

#[test]
fn wallet_keys_by_the_call_or_name_that_takes_them() {
    check(
        "go-hextoecdsa",
        "deploy.go",
        "func main() {\n\tprivateKey, err := crypto.HexToECDSA(\"{{evmkey}}\")\n}\n",
        &["wallet.evm-private-key private_key Wallet 2"],
    );
    check(
        "python-seckey",
        "offchain/mint.py",
        "seckey = \"{{evmkey}}\"\nacct = Account.from_key(seckey)\n",
        &["wallet.evm-private-key private_key Wallet 1"],
    );
    // A testnet WIF under a `privkey` name.
    check(
        "testnet-wif",
        "app.js",
        "var btcPrivKey = \"{{wiftest}}\" // testnet\n",
        &["wallet.wif-private-key private_key Wallet 1"],
    );
}

#[test]
fn exchanges_without_rules_get_a_generic_credential_with_their_name() {
    check(
        "ccxt-constructor",
        "bot.py",
        "import ccxt\nexchange = ccxt.ascendex({\n    'apiKey': '{{alnum:32}}',\n    'secret': '{{alnum:64}}',\n})\n",
        &[
            "generic.api-key key AscendEX 3",
            "generic.api-secret secret AscendEX 4",
        ],
    );
    // A bot's config dict under a directory named for the venue.
    check(
        "ftx-dict",
        "ftx-bot/orders/manager.py",
        "cfg = {\n    'key': '{{alnum:40}}',\n    'secret': '{{alnum:40}}',\n    'subaccount': 'grid',\n}\n",
        &[
            "generic.api-key key FTX 2",
            "generic.api-secret secret FTX 3",
        ],
    );
    // Several venues in one file: the nearest name wins.
    check(
        "kotlin-constants",
        "app/src/main/java/tracker/Constants.kt",
        "object Constants {\n    const val FTX_URL = \"https://ftx.com/api\"\n    const val ASCENDEX_API_SECRET = \"{{alnum:64}}\"\n    const val ASCENDEX_API_KEY = \"{{alnum:32}}\"\n}\n",
        &[
            "generic.api-secret secret AscendEX 3",
            "generic.api-key key AscendEX 4",
        ],
    );
    // Names without a key word stay unbound, and a ticker is no value.
    check(
        "ticker",
        "ftx-bot/orders.py",
        "cfg = {\n    'key': 'BTC-PERP',\n    'market': '{{alnum:24}}',\n}\n",
        &[],
    );
    // A method whose name mentions the exchange is not its constructor.
    check(
        "log-call",
        "freqtrade/exchange/ftx.py",
        "order1 = self._api.fetch_order(order_id, pair)\nself._log_exchange_response('fetch_stoploss_order1', order1)\n",
        &[],
    );
}

#[test]
fn checksums_and_word_lists_decide_seed_phrases() {
    // Twelve wordlist words with a wrong checksum are no seed phrase.
    let good = template::expand("{{mnemonic:12}}", "bad-checksum").unwrap();
    let mut words: Vec<&str> = good.split(' ').collect();
    // One swap in 16 keeps a valid checksum: take the first that does not.
    words[11] = ["zoo", "abandon", "ability", "able", "about"]
        .into_iter()
        .find(|w| {
            let mut t = words.clone();
            t[11] = w;
            !tradesecrets::codec::bip39_valid(&t)
        })
        .unwrap();
    let bad = words.join(" ");
    check(
        "bad-checksum",
        ".env",
        &format!("MNEMONIC=\"{bad}\"\n"),
        &[],
    );
    // A long space-joined word text (a too-long-input test) is not a
    // phrase, even with a valid stretch inside it.
    let filler = template::expand("{{mnemonic:24}}", "filler").unwrap();
    let text = format!("const tooLong = \"{filler} {good} {filler}\";\n");
    check("long-text", "src/validate.ts", &text, &[]);
    // Short words and numbers joined by dashes are not a Deribit client id.
    check(
        "dashed-words",
        "notes/deribit.md",
        "Deribit client_id: 8-10-8-5\n",
        &[],
    );
}

/// `rule line status` of every location of `text` scanned as `path`.
fn statuses(name: &str, path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for f in scan(name, path, text) {
        for l in &f.locations {
            out.push(format!("{} {} {}", l.rule_id, l.line, f.status.as_str()));
        }
    }
    out
}

#[test]
fn a_quoted_string_is_one_seed_phrase_or_none() {
    let good = template::expand("{{mnemonic:12}}", "quoted-phrase").unwrap();
    let words: Vec<&str> = good.split(' ').collect();
    // The whole string: a phrase.
    check(
        "whole-string",
        "src/wallet.ts",
        &format!("const phrase = '{good}';\n"),
        &["wallet.bip39-mnemonic mnemonic Wallet 1"],
    );
    // A valid stretch of a longer test phrase (a bad-word case) is none.
    check(
        "stretch",
        "src/checks.dart",
        &format!("const String withBadWord =\n    'zebra {good} goat';\n"),
        &[],
    );
    // Words on both sides of a closing quote (`f('w1 … w11', w12)`).
    let (head, last) = words.split_at(11);
    check(
        "across-quote",
        "src/validate.js",
        &format!("ok = isValid('{}', '{}')\n", head.join(" "), last[0]),
        &[],
    );
    // Every word quoted on its own is still one phrase.
    let items: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    check(
        "word-array",
        "seed.json",
        &format!("{{\"words\": [{}]}}\n", items.join(", ")),
        &["wallet.bip39-mnemonic mnemonic Wallet 1"],
    );
}

#[test]
fn tests_say_their_seed_phrases_are_invented() {
    // An assertion opened on the line above the call that takes the phrase.
    assert_eq!(
        statuses(
            "open-expect",
            "src/mnemonic/validate.spec.ts",
            "it('accepts', () => {\n  expect(\n    isValid('{{mnemonic:12}}')\n  ).toEqual(true);\n});\n",
        ),
        ["wallet.bip39-mnemonic 3 fixture"]
    );
    // `expect(x, equals(` over three lines in Dart.
    assert_eq!(
        statuses(
            "dart-equals",
            "test/bip39_test.dart",
            "    expect(\n        phrase,\n        equals(\n            '{{mnemonic:24}}'));\n",
        ),
        ["wallet.bip39-mnemonic 4 fixture"]
    );
    // A test name on the line above the value.
    assert_eq!(
        statuses(
            "test-name-above",
            "test/seed_test.dart",
            "  final testMnemonic1 =\n      \"{{mnemonic:24}}\";\n",
        ),
        ["wallet.bip39-mnemonic 2 fixture"]
    );
    // A table of test vectors with the reference vectors' passphrase.
    assert_eq!(
        statuses(
            "trezor-table",
            "walletseed/seed_test.go",
            "var cases = []struct{ m, pass string }{\n\t{\n\t\tm: \"{{mnemonic:18}}\",\n\t\tpass: \"TREZOR\",\n\t},\n}\n",
        ),
        ["wallet.bip39-mnemonic 3 fixture"]
    );
    // The same phrase in a program's own code stays a leak.
    assert_eq!(
        statuses(
            "code",
            "src/deploy.js",
            "const mnemonic =\n  \"{{mnemonic:12}}\";\n",
        ),
        ["wallet.bip39-mnemonic 2 leak"]
    );
}

#[test]
fn reference_vectors_are_documentation_examples() {
    // A BIP-39 reference vector and the BIP-85 master key are public.
    assert_eq!(
        statuses(
            "bip39-vector",
            "src/keys.py",
            "MNEMONIC = \"scheme spot photo card baby mountain device kick cradle pact join borrow\"\n",
        ),
        ["wallet.bip39-mnemonic 1 example"]
    );
    assert_eq!(
        statuses(
            "bip85-master",
            "bip85.py",
            "# MASTER BIP32 ROOT KEY: xprv9s21ZrQH143K2LBWUUQRFXhucrQqBpKdRRxNVq2zBqsx8HVqFk2uYo8kmbaLLHRdqtQpUm98uKfu3vca1LqdGhUtyoFnCNkfmXRyPXLjbKb\n",
        ),
        ["wallet.extended-private-key 1 example"]
    );
}

#[test]
fn values_in_more_shapes_people_write() {
    // A JWT is one value (Moralis keys since 2023), on the line after its name.
    check(
        "moralis-jwt",
        "src/utils.js",
        "const origin = \"https://deep-index.moralis.io\";\nconst apiKey =\n  \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ{{b64url:120}}.{{b64url:43}}\";\n",
        &["moralis.api-key key Moralis 3"],
    );
    // A value wrapped in braces inside its string (C#).
    let hex = template::expand("{{hex:64}}", "braced").unwrap();
    check(
        "braced",
        "Services/CryptoCompare/Constants.cs",
        &format!(
            "public const string BaseUrl = @\"https://min-api.cryptocompare.com\";\npublic const string CryptoCompareApiKey = \"{{{hex}}}\";\n"
        ),
        &["cryptocompare.api-key key CryptoCompare 2"],
    );
    // Pinata's key pair, the secret under a plain `secret` name.
    check(
        "pinata",
        "scripts/mint.js",
        "const pinata_api_key = \"{{hex:20}}\";\nconst secret = \"{{hex:64}}\";\n",
        &[
            "pinata.api-key key Pinata 1",
            "pinata.api-secret secret Pinata 2",
        ],
    );
    // An Infura IPFS project id, the IPFS host further down.
    check(
        "ipfs-project",
        "hooks/useIPFS.js",
        "const ipfsClient = require(\"ipfs-http-client\");\nconst projectId = \"2{{alnum:26}}\";\nconst projectSecret = \"{{hex:32}}\";\nconst auth = projectId + \":\" + projectSecret;\n\nconst client = ipfsClient.create({\n  host: \"ipfs.infura.io\",\n});\n",
        &[
            "infura.ipfs-project-id key Infura 2",
            "infura.api-key-secret secret Infura 3",
        ],
    );
    // A bare `key =` under a comment that says it is a private key.
    check(
        "comment-named",
        "lab/raw_tx.py",
        "# the sender's private key\nkey = '{{evmkey}}'\nsender = Account.from_key(key)\n",
        &["wallet.evm-private-key private_key Wallet 2"],
    );
    // A seed phrase as the first argument of `HDWalletProvider`, on its own line.
    check(
        "hdwallet-arg",
        "truffle-config.js",
        &format!(
            "{}module.exports = {{\n  networks: {{ dev: {{ provider: () =>\n    new HDWalletProvider(\n      '{{{{mnemonic:12}}}}',\n      'http://127.0.0.1:7545'\n    ) }} }},\n}};\n",
            "// filler\n".repeat(40)
        ),
        &["wallet.bip39-mnemonic mnemonic Wallet 44"],
    );
    // A passphrase beside the key and secret it goes with, the venue far above.
    check(
        "vue-data",
        "src/views/Fund.vue",
        &format!(
            "<script>\n// OKX account\n{}export default {{\n  data() {{\n    return {{\n      APIKey: '{{{{uuid}}}}',\n      SecretKey: '{{{{HEX:32}}}}',\n      Passphrase: 'Vx9!trade#42',\n    }}\n  }}\n}}\n</script>\n",
            "// filler\n".repeat(30)
        ),
        &[
            "okx.api-key key OKX 36",
            "okx.secret-key secret OKX 37",
            "okx.passphrase passphrase OKX 38",
        ],
    );
    // A testnet's hex key beside a venue whose keys are not hex: the venue's
    // generic credential, by name.
    check(
        "testnet-hex",
        "api/deps.py",
        "from binance.client import Client\n\nTEST_API_KEY = \"{{hex:64}}\"\nTEST_API_SECRET = \"{{hex:64}}\"\nclient = Client(TEST_API_KEY, TEST_API_SECRET, testnet=True)\n",
        &[
            "generic.api-key key Binance 3",
            "generic.api-secret secret Binance 4",
        ],
    );
    // An empty env line is not the previous name's value.
    check(
        "empty-env",
        ".env.example",
        "MAGIC_SECRET_KEY=\nPROJECT_NAME_FOR_THE_APP=\n",
        &[],
    );
    // Nor in a string literal, after a `\n` escape.
    check(
        "escaped-env",
        "scripts/write_env.js",
        "fs.writeFileSync('.env', 'MAGIC_SECRET_KEY=\\nPROJECT_NAME_FOR_THE_APP=\\n');\n",
        &[],
    );
}

#[test]
fn a_value_in_two_notes_of_a_project_is_no_sample() {
    let text = "curl \"https://api.coingecko.com/api/v3/ping?x_cg_demo_api_key=CG-{{alnum:24}}\"\n";
    let text = template::expand(text, "coingecko-notes").unwrap();
    let scanner = Scanner::new(RuleSet::builtin().unwrap(), ScanOptions::default());
    let mut findings = scanner.scan_blob(text.as_bytes(), "SETUP.md");
    findings.extend(scanner.scan_blob(text.as_bytes(), "FIX_NOTES.md"));
    tradesecrets::finding::report::mark_repeated_samples(&mut findings);
    let st: Vec<&str> = findings.iter().map(|f| f.status.as_str()).collect();
    assert_eq!(st, ["leak", "leak"]);
    // Translated copies of one page are a sample.
    let mut findings = scanner.scan_blob(text.as_bytes(), "docs/en/auth.md");
    findings.extend(scanner.scan_blob(text.as_bytes(), "docs/zh/auth.md"));
    tradesecrets::finding::report::mark_repeated_samples(&mut findings);
    let st: Vec<&str> = findings.iter().map(|f| f.status.as_str()).collect();
    assert_eq!(st, ["example", "example"]);
    // So are two pages of one documentation tree (a site's templates).
    let mut findings = scanner.scan_blob(text.as_bytes(), "docs/_templates/sidebar.html");
    findings.extend(scanner.scan_blob(text.as_bytes(), "docs/_templates/layout.html"));
    tradesecrets::finding::report::mark_repeated_samples(&mut findings);
    let st: Vec<&str> = findings.iter().map(|f| f.status.as_str()).collect();
    assert_eq!(st, ["example", "example"]);
}

#[test]
fn names_from_short_aliases_functions_and_misspellings() {
    // A docker-compose `environment:` list under the venue's short name.
    check(
        "compose-cmc",
        "docker-compose.yml",
        "services:\n  quotes:\n    image: quotes:latest\n    environment:\n      - CMC_API_KEY={{uuid}}\n      - LOG_LEVEL=info\n",
        &["coinmarketcap.api-key key CoinMarketCap 5"],
    );
    check(
        "env-cmc",
        "deploy/.env",
        "CMC_PRO_KEY={{uuid}}\n",
        &["coinmarketcap.api-key key CoinMarketCap 1"],
    );
    // `cmc` is a whole word, not three letters inside another.
    check(
        "not-cmc",
        "deploy/.env",
        "XCMCONFIG_API_KEY={{uuid}}\n",
        &[],
    );
    // A value a small function returns is named by the function: Python
    // (a str and a bytes literal), JavaScript, Java on one line.
    check(
        "returned-py",
        "bot/keys.py",
        "def api_key():\n    return '{{alnum:64}}'\n\n\ndef api_secret():\n    return b'{{alnum:64}}'\n\n\nEXCHANGE = 'binance'\n",
        &[
            "binance.api-key key Binance 2",
            "binance.secret-key secret Binance 6",
        ],
    );
    check(
        "returned-js",
        "src/okxKeys.js",
        "export function okxApiKey() {\n  return \"{{uuid}}\";\n}\nexport function okxSecret() {\n  return \"{{HEX:32}}\";\n}\n",
        &["okx.api-key key OKX 2", "okx.secret-key secret OKX 5"],
    );
    check(
        "returned-java",
        "src/main/java/desk/BybitKeys.java",
        "class BybitKeys {\n  public String getApiSecret() { return \"{{alnum:36}}\"; }\n}\n",
        &["bybit.api-secret secret Bybit 2"],
    );
    // A call returned is not a function head: `return sign(payload)` names
    // nothing, and a value returned from a function named for nothing is
    // no credential.
    check(
        "returned-plain",
        "bot/util.py",
        "# binance\ndef checksum():\n    return '{{hex:64}}'\n",
        &[],
    );
    // Names people misspell still say their part.
    check(
        "misspelled-py",
        "kucoin_bot.py",
        "kucoin_api_key = '{{hex:24}}'\nkucoin_secert = '{{uuid}}'\nkucoin_passphares = 'Vx9!desk42'\n",
        &[
            "kucoin.api-key key KuCoin 1",
            "kucoin.api-secret secret KuCoin 2",
            "kucoin.api-passphrase passphrase KuCoin 3",
        ],
    );
    check(
        "misspelled-yaml",
        "config/okx.yaml",
        "okx:\n  api_key: {{uuid}}\n  api_secrect: {{HEX:32}}\n  pasphrase: \"Desk#7719x\"\n",
        &[
            "okx.api-key key OKX 2",
            "okx.secret-key secret OKX 3",
            "okx.passphrase passphrase OKX 4",
        ],
    );
}

#[test]
fn notes_name_values_by_their_heading_or_the_words_before_them() {
    // Bare lines under a heading that names the venue: key, then secret.
    check(
        "readme-section",
        "README.md",
        "# grid bot\n\nRun `python bot.py`.\n\n## Binance\n\n{{alnum:64}}\n{{alnum:64}}\n\n## Usage\n\nSee above.\n",
        &[
            "binance.api-key key Binance 7",
            "binance.secret-key secret Binance 8",
        ],
    );
    // Backticked values under a bold heading, in a text file.
    check(
        "notes-section",
        "NOTES.txt",
        "**Bybit keys**\n`{{alnum:18}}`\n`{{alnum:36}}`\n",
        &[
            "bybit.api-key key Bybit 2",
            "bybit.api-secret secret Bybit 3",
        ],
    );
    // A heading naming nothing leaves bare lines unnamed.
    check(
        "other-section",
        "RELEASES.md",
        "binance-grid releases\n\n## Checksums\n\n{{alnum:64}}\n{{alnum:64}}\n",
        &[],
    );
    // Words before a value in prose: a label, or a sentence.
    check(
        "labels",
        "bybit.txt",
        "main account\n\nAPI {{alnum:18}}\nSecret {{alnum:36}}\n",
        &[
            "bybit.api-key key Bybit 3",
            "bybit.api-secret secret Bybit 4",
        ],
    );
    check(
        "sentence",
        "docs/notes.md",
        "Note to self: my kucoin api key is `{{hex:24}}` and the secret is `{{uuid}}`.\n",
        &[
            "kucoin.api-key key KuCoin 1",
            "kucoin.api-secret secret KuCoin 1",
        ],
    );
    // Words that say nothing of a part name nothing.
    check(
        "sentence-plain",
        "docs/notes.md",
        "The binance build hash is `{{alnum:64}}` for this release.\n",
        &[],
    );
    // Prose rules stay in prose: code keeps its own syntax.
    check(
        "code-words",
        "src/binance_client.py",
        "print('api key', {{alnum:64}})\n",
        &[],
    );
}

#[test]
fn a_public_and_private_pair_is_a_venues_key_and_secret() {
    // A key file that calls the key public and the secret private.
    check(
        "public-private-json",
        "kucoin.key",
        "{\n  \"exchange\": \"kucoin\",\n  \"label\": \"arb\",\n  \"public\": \"{{hex:24}}\",\n  \"private\": \"{{uuid}}\"\n}\n",
        &[
            "kucoin.api-key key KuCoin 4",
            "kucoin.api-secret secret KuCoin 5",
        ],
    );
    check(
        "public-private-ts",
        "src/services/poloniex.ts",
        "const privateKey = '{{hex:128}}';\nconst publicKey = '{{upper:8}}-{{upper:8}}-{{upper:8}}-{{upper:8}}';\nconst url = 'https://poloniex.com/tradingApi';\n",
        &[
            "poloniex.api-secret secret Poloniex 1",
            "poloniex.api-key key Poloniex 2",
        ],
    );
    // A wallet's public key beside its private key is no exchange key,
    // whatever venue the file names.
    check(
        "wallet-public",
        "scripts/fund_binance.js",
        "const privateKey = '{{evmkey}}';\nconst publicKey = '04{{hex:128}}';\n",
        &["wallet.evm-private-key private_key Wallet 1"],
    );
    // Without a private half, a public key is public.
    check(
        "public-alone",
        "kucoin.json",
        "{\"exchange\": \"kucoin\", \"public\": \"{{hex:24}}\"}\n",
        &[],
    );
}

#[test]
fn wallet_keys_in_notes_logs_and_command_lines() {
    // Two words name a value: `private key:` in notes.
    check(
        "notes-private-key",
        "NOTES.md",
        "deployer\n\nprivate key: 0x{{evmkey}}\n",
        &["wallet.evm-private-key private_key Wallet 3"],
    );
    check(
        "runbook-secret-key",
        "ops/runbook.txt",
        "Secret Key = 0x{{evmkey}}\n",
        &["wallet.evm-private-key private_key Wallet 1"],
    );
    // A `0x` key under a secret's name, with no venue around: a log line
    // and a JSON config beside the account's address.
    check(
        "log-secret",
        "logs/run.log",
        "2024-05-01 12:00:01 INFO signer ready secret_key=0x{{evmkey}} chain=1\n",
        &["wallet.evm-private-key private_key Wallet 1"],
    );
    check(
        "json-secret",
        "config/account.json",
        "{\n  \"address\": \"0x{{hex:40}}\",\n  \"secret_key\": \"0x{{evmkey}}\"\n}\n",
        &["wallet.evm-private-key private_key Wallet 3"],
    );
    // Without `0x` a secret of 64 hex is nobody's wallet key.
    check(
        "session-secret",
        "config/app.json",
        "{\n  \"session_secret\": \"{{hex:64}}\"\n}\n",
        &[],
    );
    // A WIF with no word beside it, in a README's command line; a bare
    // base58 token of the same size that fails the checksum is nothing.
    check(
        "readme-wif",
        "README.md",
        "## Sweep\n\n    python sweep.py -wa {{wif}} --to bc1qdest\n",
        &["wallet.wif-private-key private_key Wallet 3"],
    );
    check(
        "readme-not-wif",
        "README.md",
        "## Build id\n\n    5{{b58:50}}\n",
        &[],
    );
    // Go's `crypto.HexToECDSA` names its argument whatever the variable.
    check(
        "go-hextoecdsa-any-name",
        "cmd/transfer/main.go",
        "func main() {\n\tk, _ := crypto.HexToECDSA(\"{{evmkey}}\")\n\t_ = k\n}\n",
        &["wallet.evm-private-key private_key Wallet 2"],
    );
}

#[test]
fn a_shell_sessions_output_in_a_page_is_a_sample_its_command_line_is_not() {
    let page = "## Derive\n\n```\n$ ./derive --count 2\n\n| path | key |\n| m/0  | {{wif}} |\n| m/1  | {{wif}} |\n```\n\n## Sweep\n\n```\n$ python sweep.py -wa {{wif}}\n```\n";
    assert_eq!(
        statuses("shell-session", "docs/usage.md", page),
        [
            "wallet.wif-private-key 7 example",
            "wallet.wif-private-key 8 example",
            "wallet.wif-private-key 14 leak",
        ]
    );
}
