#!/bin/sh
# Rewrites the README's "Supported venues" table (between the
# `<!-- venues:start -->` and `<!-- venues:end -->` markers) from the rules:
# the output of `tradesecrets rules list --markdown`.
set -eu
cd "$(dirname "$0")/.."
table=$(mktemp)
out=$(mktemp)
trap 'rm -f "$table" "$out"' EXIT
cargo run --quiet --locked -- rules list --markdown >"$table"
grep -q '^<!-- venues:start -->$' README.md && grep -q '^<!-- venues:end -->$' README.md || {
    echo "README.md has no venues:start / venues:end markers" >&2
    exit 1
}
awk -v table="$table" '
    /^<!-- venues:start -->$/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
    /^<!-- venues:end -->$/ { skip = 0 }
    !skip { print }
' README.md >"$out"
cat "$out" >README.md
