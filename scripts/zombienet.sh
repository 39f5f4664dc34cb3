#!/usr/bin/env bash
# Runs the 3-validator local network with zombienet's native provider.
#   scripts/zombienet.sh spawn   start the network and keep it running (Ctrl-C stops it)
#   scripts/zombienet.sh test    start it, check blocks are authored and finalized, stop it
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$NODE_BIN" ] || bash "$REPO_ROOT/scripts/build.sh"

cd "$REPO_ROOT/zombienet"
[ -x node_modules/.bin/zombienet ] || npm ci --no-audit --no-fund --silent
export NODE_BIN
case "${1:-spawn}" in
	spawn) exec node_modules/.bin/zombienet spawn local-3-validators.toml -p native ;;
	test) exec node_modules/.bin/zombienet test local-3-validators.zndsl -p native ;;
	*) log "usage: scripts/zombienet.sh [spawn|test]"; exit 2 ;;
esac
