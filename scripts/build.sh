#!/usr/bin/env bash
# Builds tpwallet-node (release profile, the one profile used for the node and the tests).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh"
log "building tpwallet-node, tpw (the channel client), tpw-relayer, tpw-load and tpw-ledger (target dir: $CARGO_TARGET_DIR)"
cargo build --locked --release --manifest-path "$CARGO_MANIFEST" -p tpwallet-node -p tpwallet-channel-client -p tpwallet-relayer -p tpwallet-load "$@"
# The ledger on its own: built with the others, its PostgreSQL client's dependency features would
# unify with the node's and rebuild half of it.
cargo build --locked --release --manifest-path "$CARGO_MANIFEST" -p tpwallet-ledger "$@"
log "built $NODE_BIN"
