//! `tradesecrets merge`: the JSON reports of shards and repositories as
//! one report.

use super::{
    args::MergeArgs,
    output::{Scanned, finish},
};
use tradesecrets::finding::{Piece, VersionControl, combine};
use tradesecrets::report::json;

pub(super) fn merge(args: MergeArgs) -> anyhow::Result<u8> {
    let mut pieces = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    let mut vcs: Vec<VersionControl> = Vec::new();
    for path in &args.reports {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let parsed = json::parse(&text).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let mut report = parsed.report;
        if let Some(k) = parsed.kind
            && !kinds.contains(&k)
        {
            kinds.push(k);
        }
        for v in parsed.version_control {
            if !vcs.contains(&v) {
                vcs.push(v);
            }
        }
        // A shard's own findings are a part; its hits make the whole.
        if report.shards.is_empty() {
            pieces.push(Piece::Report { report, from: name });
        } else {
            for shard in std::mem::take(&mut report.shards) {
                pieces.push(Piece::Shard {
                    shard,
                    from: name.clone(),
                });
            }
        }
    }
    let report = combine(pieces).map_err(anyhow::Error::msg)?;
    // One kind of scan keeps its SARIF category; a mix has none of its own.
    let kind = match kinds.as_slice() {
        [k] => ["scan", "git", "hook"].into_iter().find(|x| x == k),
        _ => None,
    };
    let out = args.output_args();
    finish(
        &report,
        &out,
        Scanned {
            kind: kind.unwrap_or("merge"),
            vcs: &|| vcs.clone(),
        },
    )
}
