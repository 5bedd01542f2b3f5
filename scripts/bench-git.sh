#!/usr/bin/env bash
# Whole-process benchmark of git-history scanning: tradesecrets against peer
# secret scanners on one repository (a work tree or a bare repository).
#
# Usage: scripts/bench-git.sh REPO
#
# Environment: as for scripts/bench.sh (PEERS_BIN, TS_BIN, RUNS, WARMUP,
# TIME_BIN, JSON_OUT). The reference is `git cat-file --batch-all-objects
# --batch`: the cost of reading every object of the repository once.
#
# Peers read history through `git log -p` (gitleaks, betterleaks) or their own
# object walk (kingfisher); all of them fail or stop early on a repository with
# missing objects (a partial clone or a truncated snapshot), so check the
# exit column and `git -C REPO fsck --connectivity-only` before trusting a row.
set -euo pipefail

# shellcheck source=scripts/bench.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench.sh"

main_git() {
    [[ $# -eq 1 ]] || die "usage: $0 REPO   (see the header of scripts/bench.sh for the environment variables)"
    local repo=$1 q p gitdir
    gitdir=$(git -C "$repo" rev-parse --absolute-git-dir 2>/dev/null) || die "not a git repository: $repo"
    bench_setup
    resolve_tradesecrets
    q=$(printf '%q' "$repo")

    if [[ -n $TS ]]; then
        check_flags git --format --output --exit-zero
        bench_add tradesecrets 0 "$TS git $q --format json --output /dev/null --exit-zero"
    fi
    if p=$(peer gitleaks); then
        bench_add gitleaks 0 "$p git $q --no-banner --exit-code 0 --report-format json --report-path -"
    fi
    if p=$(peer betterleaks); then
        bench_add betterleaks 0 "$p git $q --no-banner --exit-code 0 -o -"
    fi
    if p=$(peer kingfisher); then
        bench_add kingfisher 0 "$p scan $q --git-history full --no-validate --no-update-check --no-dedup --format json --output /dev/null"
    fi
    bench_add "git cat-file (reference)" 0 "git -C $q cat-file --batch-all-objects --batch >/dev/null"

    note "warming the page cache: $gitdir"
    warm_cache "$gitdir"
    run_bench
}

main_git "$@"
