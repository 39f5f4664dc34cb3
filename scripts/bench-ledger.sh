#!/usr/bin/env bash
# Ledger ingest benchmark: a dev node (archive state) under tpw-load's native-transfer load, with
# the ledger service (`tpw-ledger run`) following it into a fresh PostgreSQL database. Reports:
# - the chain's event rate during the load (events of the load's blocks per second of slot);
# - the ledger's lag behind finality during and after the load (blocks, sampled every second);
# - its ingest rate replaying the same blocks into another fresh database (events booked per
#   second of wall time), as a ratio to the chain's rate: above 1, it keeps up.
# Writes the table between the `ledger-ingest` markers of docs/performance.md.
#   scripts/bench-ledger.sh               60 s of load, 4,000 senders
#   DURATION=30 NO_BUILD=1 scripts/bench-ledger.sh
# A benchmark, not a test: it asserts nothing about speed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ "${NO_BUILD:-0}" = 1 ] || bash "$REPO_ROOT/scripts/build.sh"
DURATION="${DURATION:-60}"
ACCOUNTS="${ACCOUNTS:-4000}"
BIN="$CARGO_TARGET_DIR/release"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/tpw-bench-ledger.XXXXXX")"
bash "$REPO_ROOT/scripts/postgres.sh" start
PG="$(bash "$REPO_ROOT/scripts/postgres.sh" url)"
ADMIN="${PG/dbname=tpwallet/dbname=postgres}"
LIVE="${PG/dbname=tpwallet/dbname=bench_ledger_live}"
REPLAY="${PG/dbname=tpwallet/dbname=bench_ledger_replay}"
for db in bench_ledger_live bench_ledger_replay; do
	psql "$ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

RPC=9977
"$NODE_BIN" --dev --base-path "$OUT/node" --state-pruning archive --rpc-port "$RPC" --port 30377 \
	--pool-limit 100000 --pool-kbytes 400000 --rpc-max-connections 1000 --rpc-max-response-size 64 \
	--no-prometheus --no-mdns --no-telemetry >"$OUT/node.log" 2>&1 &
PIDS+=($!)
wait_for_rpc "$RPC"
URL="ws://127.0.0.1:$RPC"
"$BIN/tpw-ledger" --url "$URL" --db "$LIVE" run --listen 127.0.0.1:18799 >"$OUT/ledger.log" 2>&1 &
PIDS+=($!)

finalized() { finalized_number "$RPC"; }
booked() { psql "$LIVE" -tAc "SELECT coalesce(max(block), 0) FROM ledger_cursor"; }
# Lag samples: seconds, finalized, booked.
(
	start=$(date +%s)
	while true; do
		echo "$(($(date +%s) - start)) $(finalized) $(booked)" >>"$OUT/lag.txt"
		sleep 1
	done
) &
PIDS+=($!)

log "load: native transfers, ${DURATION}s, $ACCOUNTS senders"
"$BIN/tpw-load" --url "$URL" --workload native --accounts "$ACCOUNTS" --duration "$DURATION" \
	--window 14000 >"$OUT/load.log" 2>&1 || { tail -20 "$OUT/load.log"; exit 1; }
load_end=$(finalized)
log "waiting for the ledger to book block $load_end"
for _ in $(seq 600); do [ "$(booked)" -ge "$load_end" ] && break; sleep 1; done
caught_up=$(( $(tail -1 "$OUT/lag.txt" | cut -d' ' -f1) ))

# The load's blocks: those with at least 100 transfers.
read -r first last blocks events transfers < <(psql "$LIVE" -tAF' ' -c "
	WITH per AS (SELECT block, count(*) AS events,
		count(*) FILTER (WHERE pallet = 'Balances' AND name = 'Transfer') AS transfers
		FROM chain_event GROUP BY block)
	SELECT min(block), max(block), count(*), sum(events), sum(transfers) FROM per WHERE transfers >= 100")
chain_rate=$(python3 -c "print(round($events / ($blocks * 3.0)))")

log "replaying blocks 0..$last into a fresh database"
t0=$(date +%s.%N)
"$BIN/tpw-ledger" --url "$URL" --db "$REPLAY" ingest --until "$last" >"$OUT/replay.log" 2>&1
t1=$(date +%s.%N)
replayed=$(psql "$REPLAY" -tAc "SELECT count(*) FROM chain_event")
ingest_rate=$(python3 -c "print(round($replayed / ($t1 - $t0)))")
entries=$(psql "$REPLAY" -tAc "SELECT count(*) FROM journal_entry")
alerts=$(psql "$LIVE" -tAc "SELECT count(*) FROM reconciliation_alert")
read -r lag_max lag_p50 < <(python3 - "$OUT/lag.txt" "$first" "$last" <<-'PY'
	import statistics, sys
	rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
	first, last = int(sys.argv[2]), int(sys.argv[3])
	lags = [f - b for _, f, b in rows if first <= f <= last]
	print(max(lags) if lags else 0, int(statistics.median(lags)) if lags else 0)
	PY
)
ratio=$(python3 -c "print(f'{$ingest_rate / $chain_rate:.2f}')")
row="| $(date +%F) | native transfers, ${DURATION} s, $ACCOUNTS senders | $blocks blocks ($first–$last), $transfers transfers, $events events | $chain_rate events/s | $ingest_rate events/s ($entries entries) | **$ratio** | $lag_p50 / $lag_max | $caught_up s | $alerts |"
log "$row"
table="$OUT/table.md"
{
	echo "Measured by \`scripts/bench-ledger.sh\`: the dev node under \`tpw-load\`, \`tpw-ledger run\` following it (PostgreSQL on the same two cores). Chain rate: the events of the load's blocks per second of slot (3 s). Ingest rate: the same blocks replayed into a fresh database (\`ingest --until\`), events booked per second of wall time, with reconciliation against storage after every block. Ratio = ingest ÷ chain, measured in the same run: above 1, the ledger keeps up."
	echo
	echo "| date | load | load's blocks | chain rate | ingest rate (replay) | ingest ÷ chain | lag behind finality during the load, p50 / max (blocks) | caught up after (s from start) | alerts |"
	echo "|---|---|---|---|---|---|---|---|---|"
	echo "$row"
} >"$table"
python3 "$REPO_ROOT/scripts/doc-section.py" "$REPO_ROOT/docs/performance.md" ledger-ingest "$table" "### Ledger ingest"
log "results in docs/performance.md; logs in $OUT"
