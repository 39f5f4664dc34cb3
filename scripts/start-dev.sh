#!/usr/bin/env bash
# README command 1: builds what is missing, then runs a development chain (Alice validates)
# reachable by polkadot.js Apps at ws://127.0.0.1:9944, and the ledger (tpw-ledger) booking its
# finalized blocks into PostgreSQL (database `tpwallet_dev`, started by scripts/postgres.sh).
# Extra arguments go to the node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/build.sh"
bash "$REPO_ROOT/scripts/postgres.sh" start
pg="$(bash "$REPO_ROOT/scripts/postgres.sh" url)"
# The dev chain's state is temporary: so are its books.
psql "${pg/dbname=tpwallet/dbname=postgres}" -q -c "DROP DATABASE IF EXISTS tpwallet_dev" \
	-c "CREATE DATABASE tpwallet_dev"
ledger_db="${pg/dbname=tpwallet/dbname=tpwallet_dev}"
ledger_log="$HOME/.cache/tpwallet-ledger-dev.log"

log "starting a dev chain: ws://127.0.0.1:9944 (Ctrl-C stops it; state is temporary)"
"$NODE_BIN" --dev --rpc-port 9944 --rpc-cors all "$@" &
node=$!
# The ledger waits for the node, then follows it.
(
	for _ in $(seq 120); do
		"$CARGO_TARGET_DIR/release/tpw-ledger" --url ws://127.0.0.1:9944 --db "$ledger_db" \
			ingest --follow && break
		sleep 1
	done
) >"$ledger_log" 2>&1 &
ledger=$!
log "ledger: tpw-ledger --db \"$ledger_db\" balance|alerts|audit verify (log: $ledger_log)"
trap 'pkill -P "$ledger" 2>/dev/null; kill "$ledger" "$node" 2>/dev/null || true' EXIT INT TERM
wait "$node"
