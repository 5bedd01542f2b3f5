#!/usr/bin/env bash
# Whole-process benchmark of git-history scanning: tradesecrets against peer
# secret scanners on the full histories of one or more repositories (work
# trees or bare repositories), every command in one hyperfine run.
#
# Usage: scripts/bench-git.sh REPO...
#
# Environment: as for scripts/bench.sh (PEERS_BIN, TS_BIN, RUNS, WARMUP,
# TIME_BIN, JSON_OUT). Rows are named `TOOL @ REPO`; each ratio is against
# tradesecrets on the same repository. The reference is `git cat-file
# --batch-all-objects --batch`: the cost of reading every object once.
#
# The same history for every tool. Public mirrors and partial clones can
# lack objects (`git rev-list --objects --all --missing=print` lists them).
# tradesecrets and kingfisher report each missing object and go on;
# gitleaks and betterleaks read history through `git log -p`, which dies at
# the first missing blob: they then stop ("incomplete scan", a few MB read)
# and look fast. For such a repository this script finds the paths of the
# missing blobs (`git log --raw`, which reads trees only) and gives those
# two `--log-opts="--all --full-history --no-renames -- . :(exclude)…"`, so
# they scan everything else (rename detection off: it would read the
# missing blobs too). A tool that still says it stopped early is marked
# `:incomplete` in the exit column; missing commits or trees cannot be
# excluded, and the script says so.
set -euo pipefail

# shellcheck source=scripts/bench.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench.sh"

# missing_blob_paths REPO: the paths (one per line) under which any commit
# holds a blob (or tree) the repository lacks; warns about missing objects
# on no path (commits).
missing_blob_paths() {
    local repo=$1 missing
    missing=$(git -C "$repo" rev-list --objects --all --missing=print 2>/dev/null | sed -n 's/^?//p')
    [[ -n $missing ]] || return 0
    note "$repo lacks $(wc -l <<<"$missing") objects"
    local paths
    printf '%s\n' "$missing" >"$BENCH_TMP/missing"
    # Raw diff lines: `:OLDMODE NEWMODE OLDID NEWID STATUS<TAB>PATH`.
    paths=$(git -C "$repo" -c core.quotePath=false log --all --raw -t --no-abbrev --no-renames --format= 2>/dev/null |
        awk -F'\t' 'FNR == NR { want[$1] = 1; next }
            { split($1, m, " "); if (m[4] in want) { print $2; seen[m[4]] = 1 } }
            END { for (k in want) if (!(k in seen)) print k > "/dev/stderr" }' \
            "$BENCH_TMP/missing" - 2>"$BENCH_TMP/unplaced" | sort -u)
    if [[ -s $BENCH_TMP/unplaced ]]; then
        note "warning: $(wc -l <"$BENCH_TMP/unplaced") missing objects are no blob on any path (commits or trees): gitleaks and betterleaks may still stop early"
    fi
    printf '%s\n' "$paths"
}

# peer_log_opts REPO: the --log-opts argument (quoted) for gitleaks and
# betterleaks, empty when nothing is missing.
peer_log_opts() {
    local repo=$1 paths spec="" p
    paths=$(missing_blob_paths "$repo")
    [[ -n $paths ]] || return 0
    while IFS= read -r p; do
        # Both tools split --log-opts at spaces: every character that is no
        # plain path character becomes a one-character glob wildcard.
        spec+=" :(exclude,glob)$(sed 's/[^A-Za-z0-9._/+-]/?/g' <<<"$p")"
    done <<<"$paths"
    note "$repo: gitleaks and betterleaks skip $(wc -l <<<"$paths") paths of missing blobs"
    printf -- '--log-opts=%q' "--all --full-history --no-renames -- .$spec"
}

main_git() {
    [[ $# -ge 1 ]] || die "usage: $0 REPO...   (see the header of scripts/bench.sh for the environment variables)"
    local repo q p gitdir name opts
    bench_setup
    resolve_tradesecrets
    [[ -z $TS ]] || check_flags git --format --output --exit-zero
    for repo in "$@"; do
        gitdir=$(git -C "$repo" rev-parse --absolute-git-dir 2>/dev/null) || die "not a git repository: $repo"
        name=$(basename "$(cd "$repo" && pwd)")
        [[ $name != repo && $name != .git ]] || name=$(basename "$(dirname "$gitdir")")
        q=$(printf '%q' "$repo")
        opts=$(peer_log_opts "$repo")

        if [[ -n $TS ]]; then
            bench_add "tradesecrets @ $name" 0 "$TS git $q --format json --output /dev/null --exit-zero"
        fi
        if p=$(peer gitleaks); then
            bench_add "gitleaks @ $name" 0 "$p git $q $opts --no-banner --exit-code 0 --report-format json --report-path -"
        fi
        if p=$(peer betterleaks); then
            bench_add "betterleaks @ $name" 0 "$p git $q $opts --no-banner --exit-code 0 -o -"
        fi
        if p=$(peer kingfisher); then
            bench_add "kingfisher @ $name" 0 "$p scan $q --git-history full --no-validate --no-update-check --no-dedup --format json --output /dev/null"
        fi
        bench_add "git cat-file (reference) @ $name" 0 "git -C $q cat-file --batch-all-objects --batch >/dev/null"
        warm_cache "$gitdir"
    done
    run_bench
}

main_git "$@"
