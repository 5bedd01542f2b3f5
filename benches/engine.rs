//! Engine throughput on in-memory data: a clean source file (the common
//! case: one prefilter pass), a config full of anchors, and a file with
//! planted credentials. Run with `cargo bench --bench engine`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use tradesecrets::rules::template;
use tradesecrets::{RuleSet, ScanOptions, Scanner};

fn corpus(kind: &str, size: usize) -> Vec<u8> {
    let mut rng = template::Rng::new(kind);
    let mut out = String::new();
    let mut i = 0;
    while out.len() < size {
        i += 1;
        match kind {
            "clean" => out.push_str(&format!(
                "fn handler_{i}(req: &Request) -> Result<Response> {{\n    let body = req.body().map(|b| b.len()).unwrap_or({i});\n    Ok(Response::new(body))\n}}\n"
            )),
            "anchors" => out.push_str(&format!(
                "secret_name_{i} = lookup(\"api_key\")  # binance okx passphrase\nvalue_{i} = {}\n",
                rng.from_alphabet(template::HEX, 12)
            )),
            _ => {
                out.push_str("def f():\n    return 1\n");
                if i % 50 == 0 {
                    out.push_str(&format!(
                        "BINANCE_API_KEY={}\nBINANCE_API_SECRET={}\n",
                        rng.from_alphabet(template::ALNUM, 64),
                        rng.from_alphabet(template::ALNUM, 64)
                    ));
                }
            }
        }
    }
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let scanner = Scanner::new(RuleSet::builtin().expect("rules"), ScanOptions::default());
    let mut g = c.benchmark_group("engine");
    for kind in ["clean", "anchors", "planted"] {
        let data = corpus(kind, 1 << 20);
        g.throughput(Throughput::Bytes(data.len() as u64));
        g.bench_function(kind, |b| {
            b.iter(|| black_box(scanner.scan_blob(black_box(&data), "bench.txt")))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
