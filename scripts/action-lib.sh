# shellcheck shell=bash
# What the Action's scripts (action-install.sh, action.sh) share: messages
# on stderr, and a fatal error as a workflow error annotation (exit 2).
note() { echo "tradesecrets action: $*" >&2; }
die() {
    echo "::error title=tradesecrets::$*"
    note "$*"
    exit 2
}
