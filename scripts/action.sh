#!/usr/bin/env bash
# The GitHub Action (action.yml) as one script, so that it runs, and is
# tested (tests/integrations.rs), outside GitHub too.
#
# What it scans, from GITHUB_EVENT_NAME and the event payload at
# GITHUB_EVENT_PATH:
#   pull_request, pull_request_target: the pull request's commits
#       (`--since-commit` pull_request.base.sha, from pull_request.head.sha
#       when that commit is here, else HEAD);
#   push: the pushed range before..after; a new ref (`before` all zeros, or
#       not here): its commits on no other branch or tag (the whole history
#       when they reach a root commit);
#   merge_group: merge_group.base_sha..merge_group.head_sha;
#   anything else (schedule, workflow_dispatch, ...): the full history,
#       every ref.
#
# Environment (action.yml maps its inputs to these):
#   TRADESECRETS            the binary (default: tradesecrets on PATH)
#   INPUT_ARGS              more arguments for `tradesecrets git`, split on
#                           whitespace (not --format, --output, --show-secrets
#                           or --exit-zero: the action writes the reports)
#   INPUT_CONFIG            --config FILE
#   INPUT_BASELINE          --baseline FILE
#   INPUT_FAIL_ON_FINDINGS  true (default): exit 1 when there are findings
#   INPUT_SARIF_FILE        where to write SARIF (default tradesecrets.sarif)
#   GITHUB_WORKSPACE        the repository (default: the current directory)
#   GITHUB_OUTPUT           receives findings-count= and sarif-file=
#   GITHUB_STEP_SUMMARY     receives a markdown table of findings (redacted)
#
# Writes workflow annotations (`--format github`) on stdout. Exit status:
# 0, 1 findings (with fail-on-findings), 2 error. Needs bash, git and jq
# (all on GitHub's hosted runners).
set -euo pipefail

# shellcheck source=scripts/action-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/action-lib.sh"

ts=${TRADESECRETS:-tradesecrets}
command -v "$ts" >/dev/null 2>&1 || die "the tradesecrets binary ($ts) was not found"
command -v jq >/dev/null 2>&1 || die "jq was not found (it is on GitHub's hosted runners)"
command -v git >/dev/null 2>&1 || die "git was not found"

cd "${GITHUB_WORKSPACE:-.}" || die "cannot enter GITHUB_WORKSPACE ($GITHUB_WORKSPACE)"
git rev-parse --git-dir >/dev/null 2>&1 ||
    die "$(pwd) is not a git repository: check it out first (actions/checkout with fetch-depth: 0)"

fail_on=${INPUT_FAIL_ON_FINDINGS:-true}
case "$fail_on" in
    true | false) ;;
    *) die "fail-on-findings must be true or false, not '$fail_on'" ;;
esac
sarif=${INPUT_SARIF_FILE:-tradesecrets.sarif}
[ -n "$sarif" ] || sarif=tradesecrets.sarif

extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
    read -r -a extra <<<"$INPUT_ARGS"
fi
for a in ${extra[@]+"${extra[@]}"}; do
    case "$a" in
        -f | -f* | --format | --format=* | -o | -o* | --output | --output=* | --show-secrets | --exit-zero)
            die "args: $a is not allowed here: the action chooses the formats, writes the reports, and never shows secrets"
            ;;
    esac
done
common=()
if [ -n "${INPUT_CONFIG:-}" ]; then common+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_BASELINE:-}" ]; then common+=(--baseline "$INPUT_BASELINE"); fi

# --- what to scan ----------------------------------------------------------

event=${GITHUB_EVENT_NAME:-}
payload=${GITHUB_EVENT_PATH:-}
field() {
    if [ -n "$payload" ] && [ -f "$payload" ]; then
        jq -r "$1 // empty" "$payload"
    fi
}
have() { git cat-file -e "$1^{commit}" 2>/dev/null; }
# have_or_fetch SHA: the commit is here, or can be fetched from origin.
have_or_fetch() {
    [ -n "$1" ] || return 1
    have "$1" && return 0
    git remote get-url origin >/dev/null 2>&1 &&
        git fetch --quiet --no-tags origin "$1" >/dev/null 2>&1
    have "$1"
}

if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ] &&
    git remote get-url origin >/dev/null 2>&1; then
    echo "::notice title=tradesecrets::shallow clone: fetching the history (use actions/checkout with fetch-depth: 0)"
    git fetch --quiet --unshallow --no-tags origin || die "cannot fetch the history of this shallow clone"
fi

zero=0000000000000000000000000000000000000000
range=()
case "$event" in
    pull_request | pull_request_target)
        base=$(field .pull_request.base.sha)
        [ -n "$base" ] || die "no pull_request.base.sha in the event payload ($payload)"
        have_or_fetch "$base" || die "the base commit $base is not in this clone: check out with fetch-depth: 0"
        head=$(field .pull_request.head.sha)
        if have_or_fetch "$head"; then
            range=(--branch "$head" --since-commit "$base")
            what="the pull request's commits (${base:0:12}..${head:0:12})"
        else
            range=(--since-commit "$base")
            what="the pull request's commits (${base:0:12}..HEAD)"
        fi
        ;;
    merge_group)
        base=$(field .merge_group.base_sha)
        head=$(field .merge_group.head_sha)
        have_or_fetch "$base" || die "the merge group's base commit ($base) is not in this clone"
        have_or_fetch "$head" || head=$(git rev-parse HEAD)
        range=(--branch "$head" --since-commit "$base")
        what="the merge group (${base:0:12}..${head:0:12})"
        ;;
    push)
        before=$(field .before)
        after=$(field .after)
        [ -n "$after" ] || after=$(git rev-parse HEAD)
        ref=${GITHUB_REF:-$(field .ref)}
        if [ "$after" = "$zero" ]; then
            range=(--branch HEAD --since-commit HEAD)
            what="the deletion of ${ref:-a ref}: nothing to scan"
        elif ! have_or_fetch "$after"; then
            die "the pushed commit $after is not in this clone"
        elif [ -n "$before" ] && [ "$before" != "$zero" ] && have_or_fetch "$before"; then
            range=(--branch "$after" --since-commit "$before")
            what="the push ${before:0:12}..${after:0:12}"
        else
            # A new ref: its commits that no other branch or tag holds.
            name=${ref#refs/heads/}
            others=()
            while read -r r sym; do
                [ -z "$sym" ] || continue # origin/HEAD and other symbolic refs
                case "$r" in "$ref" | "refs/remotes/origin/$name") continue ;; esac
                others+=("$r")
            done < <(git for-each-ref --format='%(refname) %(symref)' refs/heads refs/remotes refs/tags)
            new=$(git rev-list --topo-order --reverse "$after" --not ${others[@]+"${others[@]}"} --)
            first=${new%%$'\n'*}
            if [ -z "$first" ]; then
                range=(--branch "$after" --since-commit "$after") # nothing new
                what="the new ref ${ref:-$after}: no commits that other refs lack"
            elif git rev-parse -q --verify "$first^" >/dev/null; then
                range=(--branch "$after" --since-commit "$first^")
                what="the new ref ${ref:-$after}: its commits since ${first:0:12}^"
            else
                range=(--branch "$after")
                what="the new ref ${ref:-$after}: its whole history"
            fi
        fi
        ;;
    *)
        what="the full history (every branch and tag)"
        ;;
esac
note "scanning $what"

# --- scan --------------------------------------------------------------------

tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tradesecrets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
json=$tmp/report.json
errors=0

# scan ARGS...: `tradesecrets git` over the range; sets $rc.
scan() {
    set +e
    "$ts" git . ${range[@]+"${range[@]}"} ${common[@]+"${common[@]}"} \
        ${extra[@]+"${extra[@]}"} --color never --quiet "$@"
    rc=$?
    set -e
    if [ "$rc" -ge 2 ]; then errors=1; fi
}

# One scan writes every report: annotations on stdout, JSON for the count
# and the summary, SARIF for code scanning.
mkdir -p "$(dirname "$sarif")"
scan --format github --output "json=$json" --output "sarif=$sarif"
if [ "$rc" -ge 2 ] && ! jq -e '.findings' "$json" >/dev/null 2>&1; then
    die "tradesecrets failed (exit $rc): see the messages above"
fi
count=$(jq '.findings | length' "$json")

# --- outputs and job summary ------------------------------------------------

if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "findings-count=$count"
        echo "sarif-file=$sarif"
    } >>"$GITHUB_OUTPUT"
fi

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    {
        echo "### tradesecrets"
        echo
        echo "Scanned $what."
        echo
        jq -r --arg max 100 '
            def cell: tostring | gsub("[\r\n]+"; " ") | gsub("\\|"; "\\|");
            def code: "`" + (cell | gsub("`"; "'\''")) + "`";
            (.stats.suppressed // 0) as $s
            | (if $s > 0 then " (\($s) suppressed by the config, inline comments or the baseline)" else "" end) as $sup
            | if (.findings | length) == 0 then
                "No findings\($sup)."
              else
                "**\(.findings | length) finding\(if (.findings | length) == 1 then "" else "s" end)**\($sup). Revoke each credential at its venue: removing it from the code does not make it safe.",
                "",
                "| Severity | Credential | Rule | Where | Commit | Still at HEAD | Value (redacted) |",
                "|---|---|---|---|---|---|---|",
                (.findings[:($max | tonumber)][]
                  | . as $f
                  | ([$f.locations[] | select(.rule_id == $f.rule_id)][0] // $f.locations[0]) as $p
                  | "| \($f.severity) | \($f.venue | cell) \(reduce $f.locations[].part as $x ([]; if index([$x]) then . else . + [$x] end) | join(" + ") | cell) | \($f.rule_id | code) | \("\($p.path):\($p.line)" | code) | \(if $p.commit then ($p.commit.sha[0:12] | code) else "-" end) | \(if $f.present_at_head == null then "-" elif $f.present_at_head then "yes" else "no" end) | \([$f.locations[] | "\(.part): \(.redacted | code)"] | join("<br>")) |"),
                (if (.findings | length) > ($max | tonumber) then
                  "", "… and \((.findings | length) - ($max | tonumber)) more: see the SARIF file or the annotations."
                 else empty end)
              end' "$json"
        echo
    } >>"$GITHUB_STEP_SUMMARY"
fi

if [ "$errors" -ne 0 ]; then
    echo "::error title=tradesecrets::some objects could not be read; see the messages above"
    exit 2
fi
if [ "$count" -gt 0 ]; then
    plural=s
    [ "$count" -ne 1 ] || plural=
    if [ "$fail_on" = true ]; then
        echo "::error title=tradesecrets::$count credential$plural found in $what"
        exit 1
    fi
    echo "::warning title=tradesecrets::$count credential$plural found in $what (fail-on-findings: false)"
fi
exit 0
