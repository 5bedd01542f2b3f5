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

cargo test --locked "$@"

# Dogfood: the project scans itself clean with its own freshly built binary.
cargo build --locked --quiet
./target/debug/tradesecrets scan . --quiet --color never
