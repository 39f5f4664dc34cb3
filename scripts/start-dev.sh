#!/usr/bin/env bash
# README command 1: builds what is missing, then runs a development chain (Alice validates)
# reachable by polkadot.js Apps at ws://127.0.0.1:9944, and the ledger service (tpw-ledger run)
# booking its finalized blocks into PostgreSQL (database `tpwallet_dev`, scripts/postgres.sh),
# serving its REST API at http://127.0.0.1:8780 and publishing to NATS JetStream
# (scripts/nats.sh). Extra arguments go to the node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/build.sh"
bash "$REPO_ROOT/scripts/postgres.sh" start
bash "$REPO_ROOT/scripts/nats.sh" start
pg="$(bash "$REPO_ROOT/scripts/postgres.sh" url)"
# The dev chain's state is temporary: so are its books.
psql "${pg/dbname=tpwallet/dbname=postgres}" -q -c "DROP DATABASE IF EXISTS tpwallet_dev" \
	-c "CREATE DATABASE tpwallet_dev"
ledger_db="${pg/dbname=tpwallet/dbname=tpwallet_dev}"
ledger_log="$HOME/.cache/tpwallet-ledger-dev.log"
ledger="$CARGO_TARGET_DIR/release/tpw-ledger"
# The REST API's operator key for the dev chain. DEV ONLY: well known, like //Alice.
dev_key=tpwl_000000000000000000000000000000000000000000000000000000000000dead
"$ledger" --db "$ledger_db" api-key create --name dev-operator --key "$dev_key" >/dev/null
nats="$(bash "$REPO_ROOT/scripts/nats.sh" url)"
"$ledger" --db "$ledger_db" stream-delete --nats "$nats" 2>/dev/null || true

log "starting a dev chain: ws://127.0.0.1:9944 (Ctrl-C stops it; state is temporary)"
"$NODE_BIN" --dev --rpc-port 9944 --rpc-cors all "$@" &
node=$!
# The service retries until the node answers, then follows it.
# Anchors are signed by //Dave, a DEV-ONLY key.
"$ledger" --url ws://127.0.0.1:9944 --db "$ledger_db" run --listen 127.0.0.1:8780 \
	--nats "$nats" --anchor-suri //Dave --anchor-every 100 \
	--gateway-suri //Ferdie --gateway-bic TPWLDEFFXXX --gateway-inbox "$HOME/.cache/tpwallet-gateway-inbox" \
	>"$ledger_log" 2>&1 &
service=$!
log "ledger: REST API http://127.0.0.1:8780 (OpenAPI /openapi.json; dev-only key: Authorization: Bearer $dev_key)"
log "ledger: tpw-ledger --db \"$ledger_db\" balance|alerts|audit verify; stream subjects tpw.ledger.entry.> (log: $ledger_log)"
log "ISO 20022 gateway (dev-only institution //Ferdie, BIC TPWLDEFFXXX): POST /v1/iso20022/messages or drop *.xml in ~/.cache/tpwallet-gateway-inbox (docs/iso20022.md)"
trap 'kill "$service" "$node" 2>/dev/null || true' EXIT INT TERM
wait "$node"
