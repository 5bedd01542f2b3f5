#!/usr/bin/env bash
# The GitHub Action's install step (action.yml), as a script so that it is
# tested outside GitHub (tests/integrations.rs).
#
# Puts a prebuilt tradesecrets release binary for this runner in $DEST/bin
# after checking its SHA-256 against the release's SHA256SUMS, or says that
# it must be built from the action's checkout (`build=true` on
# GITHUB_OUTPUT; action.yml then runs `cargo install --locked`, cached).
#
# Environment:
#   ACTION_PATH     the action's checkout (its Cargo.toml gives the version)
#   ACTION_REF      the ref the workflow used (`uses: …@REF`); a release tag
#                   `vX.Y.Z` equal to the checkout's version has binaries
#   INPUT_INSTALL   auto (default): the release binary when the ref is a
#                   release tag and the runner has one, else build;
#                   release: the binary or fail; build: always build
#   RUNNER_OS, RUNNER_ARCH   Linux/macOS/Windows, X64/ARM64
#   DEST            where to install (bin/tradesecrets below it)
#   TRADESECRETS_RELEASES    base URL of the release downloads (default
#                   the project's GitHub releases; tests use a file: URL)
#   GITHUB_OUTPUT   receives build=true|false and version=
# Exit status: 0, or 2 (a checksum that does not match is never ignored).
set -euo pipefail

# shellcheck source=scripts/action-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/action-lib.sh"
out() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi; }

: "${ACTION_PATH:?ACTION_PATH is not set}"
: "${DEST:?DEST is not set}"
mode=${INPUT_INSTALL:-auto}
case "$mode" in
    auto | release | build) ;;
    *) die "install must be auto, release or build, not '$mode'" ;;
esac
version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
[ -n "$version" ] || die "no version in $ACTION_PATH/Cargo.toml"
out "version=$version"

build() {
    note "$1: building tradesecrets $version from the action's checkout"
    out "build=true"
    exit 0
}
# fallback REASON: build (auto) or fail (release).
fallback() {
    if [ "$mode" = release ]; then die "install: release: $1"; fi
    build "$1"
}

[ "$mode" != build ] || build "install: build"
ref=${ACTION_REF:-}
[ "$ref" = "v$version" ] ||
    fallback "the action ref '${ref:-?}' is not the release tag v$version"

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    *) fallback "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}" ;;
esac
case "$target" in
    *windows*) archive=tradesecrets-$target.zip exe=tradesecrets.exe ;;
    *) archive=tradesecrets-$target.tar.gz exe=tradesecrets ;;
esac

command -v curl >/dev/null 2>&1 || fallback "curl was not found"
base=${TRADESECRETS_RELEASES:-https://github.com/tradesecrets/tradesecrets/releases/download}
url=$base/v$version
tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/tradesecrets-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fetch() { curl -fsSL --retry 3 --proto '=https,file' -o "$tmp/$1" "$url/$1" 2>"$tmp/curl.err"; }
fetch SHA256SUMS || fallback "no SHA256SUMS in the release v$version ($(head -c 200 "$tmp/curl.err"))"
fetch "$archive" || fallback "no $archive in the release v$version"

want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
[ -n "$want" ] || die "SHA256SUMS of v$version does not list $archive"
if command -v sha256sum >/dev/null 2>&1; then
    got=$(sha256sum "$tmp/$archive" | cut -d' ' -f1)
else
    got=$(shasum -a 256 "$tmp/$archive" | cut -d' ' -f1)
fi
[ "$got" = "$want" ] ||
    die "checksum mismatch for $archive of v$version: SHA256SUMS says $want, the download is $got; not installed"

mkdir -p "$tmp/x" "$DEST/bin"
case "$archive" in
    *.zip) unzip -q "$tmp/$archive" -d "$tmp/x" ;;
    *) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
esac
[ -f "$tmp/x/$exe" ] || die "$archive holds no $exe"
chmod +x "$tmp/x/$exe"
mv "$tmp/x/$exe" "$DEST/bin/$exe"
"$DEST/bin/$exe" --version >/dev/null 2>&1 || die "the downloaded $exe does not run on this runner"
note "installed the release binary v$version ($target, sha256 $got)"
out "build=false"
