#!/usr/bin/env bash
# Whole-process benchmark: tradesecrets against peer secret scanners on one
# directory tree (working-tree mode, no git history).
#
# Usage: scripts/bench.sh TREE
#
# Environment:
#   PEERS_BIN   directory prepended to PATH before looking the peers up
#               (gitleaks, betterleaks, kingfisher, ripsecrets, detect-secrets, rg)
#   TS_BIN      tradesecrets binary; default target/release/tradesecrets of this
#               repository, built with `cargo build --release --locked` if missing.
#               TS_BIN=none times the peers only.
#   RUNS        timed runs per fast tool (default 5)
#   WARMUP      untimed hyperfine warm-up runs per fast tool (default 2)
#   RUNS_SLOW   timed runs per slow tool: ripsecrets, detect-secrets (default 1)
#   WITH_DETECT_SECRETS=1   also time detect-secrets (pure Python: minutes per 100 MB)
#   TIME_BIN    GNU time, used once per tool for peak RSS (default /usr/bin/time)
#   JSON_OUT    if set, the merged hyperfine results are copied there
#
# Every tool is run once first (check run, also measuring peak RSS), then timed
# with hyperfine (-i: exit codes are ignored, several peers exit non-zero when
# they find something; the check run's exit code is shown in the table).
# Ratio = tool mean / tradesecrets mean, so a ratio > 1 means tradesecrets is faster.
#
# Do not point any tool's report path at /dev/null unless it is known to open it
# in place: gitleaks 8.30 deletes and re-creates its report file, which as root
# replaces /dev/null with a regular file. Reports go to stdout instead, and
# hyperfine (--output pipe) discards them.
set -euo pipefail

die() {
    echo "error: $*" >&2
    exit 1
}

note() {
    echo "== $*" >&2
}

# --- shared machinery (bench-git.sh sources this file) ----------------------

BENCH_NAMES=()
BENCH_CMDS=()
BENCH_SLOW=()

# bench_add NAME SLOW(0|1) SHELL-COMMAND
bench_add() {
    BENCH_NAMES+=("$1")
    BENCH_SLOW+=("$2")
    BENCH_CMDS+=("$3")
}

# peer NAME: print the peer's quoted path, or report it missing and fail.
peer() {
    local path
    if path=$(command -v "$1" 2>/dev/null); then
        printf '%q' "$path"
    else
        note "skipping $1: not found on PATH${PEERS_BIN:+ (PEERS_BIN=$PEERS_BIN)}"
        return 1
    fi
}

bench_setup() {
    RUNS=${RUNS:-5}
    WARMUP=${WARMUP:-2}
    RUNS_SLOW=${RUNS_SLOW:-1}
    TIME_BIN=${TIME_BIN:-/usr/bin/time}
    if [[ -n ${PEERS_BIN:-} ]]; then
        [[ -d $PEERS_BIN ]] || die "PEERS_BIN=$PEERS_BIN is not a directory"
        PATH="$PEERS_BIN:$PATH"
        export PATH
    fi
    command -v hyperfine >/dev/null || die "hyperfine not found (Debian/Ubuntu: apt-get install hyperfine, or cargo install hyperfine)"
    command -v python3 >/dev/null || die "python3 is needed to summarise the results"
    [[ -c /dev/null ]] || die "/dev/null is not a character device; restore it first (rm /dev/null && mknod -m 666 /dev/null c 1 3)"

    REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tradesecrets-bench.XXXXXX")
    trap 'rm -rf "$BENCH_TMP"' EXIT

    HAVE_GNU_TIME=0
    if [[ -x $TIME_BIN ]] && "$TIME_BIN" --version 2>&1 | grep -q GNU; then
        HAVE_GNU_TIME=1
    else
        note "GNU time not found at $TIME_BIN: peak RSS will not be measured."
        note "Install it to get peak RSS (Debian/Ubuntu: apt-get install time), or set TIME_BIN."
    fi
}

# Resolve TS (quoted tradesecrets path) or leave it empty when skipped.
resolve_tradesecrets() {
    TS=""
    if [[ ${TS_BIN:-} == none ]]; then
        note "TS_BIN=none: timing the peers only"
        return 0
    fi
    local bin=${TS_BIN:-$REPO_ROOT/target/release/tradesecrets}
    if [[ ! -x $bin && -z ${TS_BIN:-} ]]; then
        note "building tradesecrets (cargo build --release --locked)"
        (cd "$REPO_ROOT" && cargo build --release --locked) ||
            die "cargo build failed; fix it, or run with TS_BIN=none to time the peers only"
    fi
    [[ -x $bin ]] || die "tradesecrets binary not found: $bin (TS_BIN=none times the peers only)"
    TS=$(printf '%q' "$bin")
}

# check_flags SUBCOMMAND FLAG...: warn when `tradesecrets SUBCOMMAND --help` lacks a flag.
check_flags() {
    local sub=$1 help flag
    shift
    help=$(eval "$TS $sub --help" 2>&1) || true
    for flag in "$@"; do
        grep -q -- "$flag" <<<"$help" ||
            note "warning: \`tradesecrets $sub --help\` does not mention $flag"
    done
}

# Load the page cache with every file under $1, so every tool sees a warm cache.
warm_cache() {
    local bytes
    note "warming the page cache: $1"
    bytes=$(find "$1" -type f -print0 | xargs -0 cat 2>/dev/null | wc -c)
    note "read $bytes bytes"
}

# One run of each tool under GNU time: checks that it runs, records exit code
# and peak RSS (KiB) in $BENCH_TMP/check.tsv.
check_runs() {
    local i name cmd rc rss
    : >"$BENCH_TMP/check.tsv"
    for i in "${!BENCH_NAMES[@]}"; do
        name=${BENCH_NAMES[$i]}
        cmd=${BENCH_CMDS[$i]}
        note "check run: $name"
        rc=0
        rss=""
        if ((HAVE_GNU_TIME)); then
            "$TIME_BIN" -v -o "$BENCH_TMP/time.$i" bash -c "$cmd" 2>"$BENCH_TMP/stderr.$i" | cat >/dev/null || rc=$?
            rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH_TMP/time.$i")
            # GNU time passes the command's exit status on.
        else
            bash -c "$cmd" 2>"$BENCH_TMP/stderr.$i" | cat >/dev/null || rc=$?
        fi
        # With --exit-zero, 2 still says that some objects could not be
        # read (a mirror lacking objects): the scan went on.
        if [[ $name == tradesecrets* && $rc -ne 0 && $rc -ne 2 ]]; then
            tail -n 20 "$BENCH_TMP/stderr.$i" >&2
            die "$name exited $rc in its check run (it is run with --exit-zero)"
        fi
        # gitleaks and betterleaks stop at the first unreadable object and
        # say so; such a run is fast and worthless.
        if grep -q "incomplete scan" "$BENCH_TMP/stderr.$i"; then
            note "warning: $name did not scan everything: $(grep -m1 'incomplete scan' "$BENCH_TMP/stderr.$i")"
            rc="$rc:incomplete"
        fi
        printf '%s\t%s\t%s\n' "$name" "$rc" "${rss:-}" >>"$BENCH_TMP/check.tsv"
        [[ -c /dev/null ]] || die "$name replaced /dev/null with a regular file; restore it (rm /dev/null && mknod -m 666 /dev/null c 1 3)"
    done
}

# hyperfine over the tools whose SLOW flag is $1, results in $2.
run_group() {
    local want=$1 out=$2 runs warmup i
    local names=() cmds=()
    for i in "${!BENCH_NAMES[@]}"; do
        if [[ ${BENCH_SLOW[$i]} == "$want" ]]; then
            names+=(--command-name "${BENCH_NAMES[$i]}")
            cmds+=("${BENCH_CMDS[$i]}")
        fi
    done
    ((${#cmds[@]})) || return 0
    if [[ $want == 1 ]]; then
        runs=$RUNS_SLOW
        warmup=0
    else
        runs=$RUNS
        warmup=$WARMUP
    fi
    hyperfine --ignore-failure --output pipe --style basic \
        --runs "$runs" --warmup "$warmup" --export-json "$out" \
        "${names[@]}" "${cmds[@]}"
}

summarise() {
    python3 - "$BENCH_TMP/check.tsv" "$@" <<'PY'
import json, sys

check_path, *result_paths = sys.argv[1:]
check = {}
with open(check_path) as f:
    for line in f:
        name, rc, rss = line.rstrip("\n").split("\t")
        check[name] = (rc, rss)
results = []
for p in result_paths:
    try:
        with open(p) as f:
            results += json.load(f)["results"]
    except FileNotFoundError:
        pass
# A command named `TOOL @ INPUT` is compared with `tradesecrets @ INPUT`.
def group(name):
    return name.split(" @ ", 1)[1] if " @ " in name else ""
ts = {group(r["command"]): r["mean"] for r in results if r["command"].split(" @ ")[0] == "tradesecrets"}
width = max([26] + [len(r["command"]) + 2 for r in results])
print()
print(f"{'tool':<{width}}{'mean s':>10}{'stddev s':>10}{'runs':>6}{'ratio':>9}{'peak RSS MiB':>14}{'exit':>6}")
for r in sorted(results, key=lambda r: (group(r["command"]), r["mean"])):
    name = r["command"]
    sd = f"{r['stddev']:.3f}" if r.get("stddev") is not None else "-"
    base = ts.get(group(name))
    ratio = f"{r['mean'] / base:.2f}" if base else "n/a"
    rc, rss = check.get(name, ("?", ""))
    rss = f"{int(rss) / 1024:.0f}" if rss else "n/a"
    print(f"{name:<{width}}{r['mean']:>10.3f}{sd:>10}{len(r['times']):>6}{ratio:>9}{rss:>14}{rc:>6}")
print("\nratio = tool mean / tradesecrets mean on the same input (> 1: tradesecrets is faster);")
print("exit = exit code of the check run (`:incomplete`: the tool said it stopped early)")
PY
}

# Run everything registered with bench_add.
run_bench() {
    ((${#BENCH_NAMES[@]})) || die "nothing to benchmark"
    check_runs
    run_group 0 "$BENCH_TMP/fast.json"
    run_group 1 "$BENCH_TMP/slow.json"
    summarise "$BENCH_TMP/fast.json" "$BENCH_TMP/slow.json"
    if [[ -n ${JSON_OUT:-} ]]; then
        python3 - "$BENCH_TMP/fast.json" "$BENCH_TMP/slow.json" >"$JSON_OUT" <<'PY'
import json, sys
out = []
for p in sys.argv[1:]:
    try:
        with open(p) as f:
            out += json.load(f)["results"]
    except FileNotFoundError:
        pass
json.dump({"results": out}, sys.stdout, indent=1)
PY
        note "hyperfine results written to $JSON_OUT"
    fi
}

# --- working-tree benchmark ---------------------------------------------------

main() {
    [[ $# -eq 1 ]] || die "usage: $0 TREE   (see the header of this script for the environment variables)"
    local tree=$1 q p
    [[ -d $tree ]] || die "not a directory: $tree"
    bench_setup
    resolve_tradesecrets
    q=$(printf '%q' "$tree")

    if [[ -n $TS ]]; then
        check_flags scan --format --output --exit-zero
        bench_add tradesecrets 0 "$TS scan $q --format json --output /dev/null --exit-zero"
    fi
    if p=$(peer gitleaks); then
        bench_add gitleaks 0 "$p dir $q --no-banner --exit-code 0 --report-format json --report-path -"
    fi
    if p=$(peer betterleaks); then
        bench_add betterleaks 0 "$p fs $q --no-banner --exit-code 0 -o -"
    fi
    if p=$(peer kingfisher); then
        bench_add kingfisher 0 "$p scan $q --git-history none --no-validate --no-update-check --no-dedup --format json --output /dev/null"
    fi
    if p=$(peer rg); then
        bench_add "rg (reference)" 0 "$p -c '[A-Za-z0-9]{64}' $q"
    fi
    if p=$(peer ripsecrets); then
        bench_add ripsecrets 1 "$p $q"
    fi
    if [[ ${WITH_DETECT_SECRETS:-0} == 1 ]] && p=$(peer detect-secrets); then
        bench_add detect-secrets 1 "cd $q && $p scan --all-files -n"
    fi

    warm_cache "$tree"
    run_bench
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
