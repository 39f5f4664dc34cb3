#!/usr/bin/env bash
# README command 1: builds what is missing, then runs a development chain (Alice validates)
# reachable by polkadot.js Apps at ws://127.0.0.1:9944. Extra arguments go to the node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/build.sh"
log "starting a dev chain: ws://127.0.0.1:9944 (Ctrl-C stops it; state is temporary)"
exec "$NODE_BIN" --dev --rpc-port 9944 --rpc-cors all "$@"
