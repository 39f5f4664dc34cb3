#!/usr/bin/env bash
# The ISO 20022 gateway's submitting side against the chain's ceiling: a dev node, PostgreSQL,
# tpw-ledger with the gateway on, the EUR stablecoin of gateway/e2e.sh; then
# tests/src/gateway-throughput.ts posts MESSAGES (default 4) pain.001 messages of TRANSFERS
# (default 250) transfers each and follows every transfer to settlement. Prints the rates and the
# ceiling measured in the same run, and a row for docs/performance.md. A benchmark, not a test.
#   scripts/bench-gateway.sh                      with the binaries as built
#   MESSAGES=8 TRANSFERS=100 scripts/bench-gateway.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
MESSAGES=${MESSAGES:-4}
TRANSFERS=${TRANSFERS:-250}
TARGET=$CARGO_TARGET_DIR/release
WORK=$(mktemp -d)
pids=()
db=""
started_pg=0
bash scripts/postgres.sh status >/dev/null 2>&1 || started_pg=1
bash scripts/postgres.sh start >/dev/null
PG="$(bash scripts/postgres.sh url)"
PG_ADMIN="${PG/dbname=tpwallet/dbname=postgres}"
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -z "$db" ] || psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
	rm -rf "$WORK"
	[ "$started_pg" = 0 ] || bash scripts/postgres.sh stop >/dev/null
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

RPC=$(port) P2P=$(port) API_PORT=$(port)
"$TARGET/tpwallet-node" --dev --tmp --no-mdns --rpc-port "$RPC" --port "$P2P" --no-prometheus \
	--pool-limit 100000 --pool-kbytes 400000 >"$WORK/node.log" 2>&1 &
pids+=($!)
URL="ws://127.0.0.1:$RPC"
for _ in $(seq 240); do "$TARGET/tpw" --url "$URL" channel --channel 999 >/dev/null 2>&1 && break; sleep 1; done
tpw() { "$TARGET/tpw" --url "$URL" "$@"; }
db="gateway_bench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
DB="${PG/dbname=tpwallet/dbname=$db}"
KEY=$("$TARGET/tpw-ledger" --db "$DB" api-key create --name ops | json 'd["key"]')
API="http://127.0.0.1:$API_PORT"
"$TARGET/tpw-ledger" --url "$URL" --db "$DB" run --listen "127.0.0.1:$API_PORT" \
	--gateway-suri //Ferdie --gateway-bic TPWLDEFFXXX >"$WORK/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do curl -sf "$API/health" >/dev/null && break; sleep 0.5; done
(cd tests && node --import tsx src/gateway-setup.ts "$URL" 77) >"$WORK/setup.log" 2>&1 ||
	{ cat "$WORK/setup.log"; exit 1; }
put() { curl -sf -X PUT -H "Authorization: Bearer $KEY" -H 'content-type: application/json' "$API$1" -d "$2" >/dev/null; }
put /v1/iso20022/currencies/EUR '{"asset": 77, "decimals": 6}'
put /v1/iso20022/directory/iban:DE89370400440532013000 "{\"account\": \"$(tpw --suri //Alice account)\", \"owner\": \"Alice Treasury GmbH\"}"
put /v1/iso20022/directory/iban:FR1420041010050500013M02606 "{\"account\": \"$(tpw --suri //Bob account)\", \"owner\": \"Bob SARL\"}"
log "gateway load: $MESSAGES messages of $TRANSFERS transfers"
(cd tests && node --import tsx src/gateway-throughput.ts "$API" "$KEY" "$URL" "$MESSAGES" "$TRANSFERS") ||
	{ tail -20 "$WORK/service.log"; exit 1; }
