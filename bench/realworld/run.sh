#!/usr/bin/env bash
# Real-code evaluation: runs tradesecrets over the repositories of repos.tsv
# (full history, and HEAD's tree) and scores the findings against the hand
# labels in labels.tsv (see realworld.py and README.md here).
#
# Usage: bench/realworld/run.sh CLONES [OUT] [SET]
#
#   CLONES  a directory with one clone per repository, named OWNER+NAME
#           (a bare repository or a work tree; OWNER+NAME/repo also works),
#           fetched by the developer; nothing fetched is ever committed
#   OUT     where the reports go (default bench/realworld/out, ignored by git)
#   SET     the labelled set: this directory (the development set, default)
#           or bench/realworld/heldout (repositories never used for tuning)
#
# Environment: TS_BIN, the binary (default target/release/tradesecrets, built
# if missing). Reports are JSON with default options: what a user sees.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[[ $# -ge 1 ]] || { sed -n '2,16p' "$0"; exit 2; }
clones=$(cd "$1" && pwd)
out=${2:-$here/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
set_dir=$(cd "${3:-$here}" && pwd)
mkdir -p "$out/trees"
ts=${TS_BIN:-$root/target/release/tradesecrets}
if [[ ! -x $ts ]]; then
    (cd "$root" && cargo build --release --locked --quiet)
fi
ts=$(cd "$(dirname "$ts")" && pwd)/$(basename "$ts")

tail -n +2 "$set_dir/repos.tsv" | while IFS=$'\t' read -r repo commit _kind; do
    slug=${repo/\//+}
    dir=$clones/$slug
    [[ -d $dir/repo ]] && dir=$dir/repo
    if [[ ! -d $dir ]]; then
        echo "skip $repo: no clone at $clones/$slug" >&2
        continue
    fi
    gitdir=$(git -C "$dir" rev-parse --absolute-git-dir)
    head=$(git --git-dir "$gitdir" rev-parse HEAD)
    if [[ $head != "$commit" ]]; then
        echo "note: $repo is at $head, labels are for $commit" >&2
    fi
    echo "== $repo" >&2
    "$ts" git "$gitdir" --format json --exit-zero --output "$out/$slug.history.json" 2>/dev/null || true
    rm -rf "${out:?}/trees/$slug"
    mkdir -p "$out/trees/$slug"
    python3 "$here/realworld.py" extract "$gitdir" "$out/trees/$slug"
    (cd "$out/trees" && "$ts" scan "$slug" --format json --exit-zero --output "$out/$slug.head.json" 2>/dev/null) || true
done
python3 "$here/realworld.py" score "$out" "$set_dir"
