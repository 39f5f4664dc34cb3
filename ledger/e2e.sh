#!/usr/bin/env bash
# End to end: tpw-ledger against a fresh `--dev` node and a real PostgreSQL (scripts/postgres.sh).
# A channel opened and settled (holds, releases, payouts) and fees move native units; the books
# must match the chain after every block (no reconciliation alert), be the same journal, byte
# for byte, whether ingest was killed (SIGKILL) and resumed or rebuilt from genesis, verify, and
# stop verifying once a row is rewritten; a corrupted row is reported by reconciliation.
# Prints one "[ledger-e2e]" line per story, "all passed" at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release
NODE_BIN=${NODE_BIN:-$TARGET/tpwallet-node}
TPW=${TPW_BIN:-$TARGET/tpw}
LEDGER=${LEDGER_BIN:-$TARGET/tpw-ledger}
WORK=$(mktemp -d)
pids=()
dbs=()
# PostgreSQL stays up if it was (a developer's), and is stopped again if this run started it.
started_pg=0
bash scripts/postgres.sh status || started_pg=1
bash scripts/postgres.sh start
PG="$(bash scripts/postgres.sh url)"
PG_ADMIN="${PG/dbname=tpwallet/dbname=postgres}"
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for db in "${dbs[@]}"; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db" 2>/dev/null || true; done
	rm -rf "$WORK"
	[ "$started_pg" = 0 ] || bash scripts/postgres.sh stop
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
expect() { grep -q -- "$2" <<<"$1" || { echo "FAIL: expected '$2' in:"; echo "$1"; exit 1; }; }
step() { printf '\033[1m[ledger-e2e]\033[0m %s\n' "$*"; }
# A database of this run's own.
new_db() {
	local db="ledger_e2e_$$_$1"
	psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
	dbs+=("$db")
	echo "${PG/dbname=tpwallet/dbname=$db}"
}

RPC=$(port) P2P=$(port) BOB_PORT=$(port)
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC" --port "$P2P" --no-prometheus >"$WORK/node.log" 2>&1 &
pids+=($!)
URL="ws://127.0.0.1:$RPC"
tpw() { (cd "$WORK" && "$TPW" --url "$URL" "$@"); }
for _ in $(seq 240); do tpw channel --channel 999 >/dev/null 2>&1 && break; sleep 1; done
ALICE=$(tpw --suri //Alice account)
BOB=$(tpw --suri //Bob account)
finalized() {
	python3 - "$RPC" <<'PY'
import json, sys, urllib.request
def call(method, params):
    req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}", json.dumps(
        {"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).encode(),
        {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["result"]
print(int(call("chain_getHeader", [call("chain_getFinalizedHead", [])])["number"], 16))
PY
}

step "activity: a channel Alice -> Bob opened (deposit held), closed and settled; fees"
tpw --suri //Alice dev-challenge-period --blocks 4 >/dev/null
expect "$(tpw --suri //Alice --store alice open --to "$BOB" --deposit 1000000000000 --peer-addr "127.0.0.1:$BOB_PORT")" "opened channel 0"
expect "$(tpw --suri //Alice --store alice close --channel 0)" "closing on state"
for _ in $(seq 60); do
	out=$(tpw --suri //Alice --store alice settle --channel 0 2>&1 || true)
	grep -q "settled" <<<"$out" && break
	sleep 1
done
expect "$out" "settled"

step "ingest, killed (SIGKILL) while it follows the chain, then resumed"
DB1=$(new_db killed)
"$LEDGER" --url "$URL" --db "$DB1" ingest --follow >"$WORK/ingest1.log" 2>&1 &
ingest=$!
sleep 3
kill -9 "$ingest"; wait "$ingest" 2>/dev/null || true
# The activity is over once the settle is final: book up to a finalized block past it.
target=$(( $(finalized) ))
for _ in $(seq 60); do [ "$(finalized)" -gt "$target" ] && break; sleep 1; done
target=$(finalized)
"$LEDGER" --url "$URL" --db "$DB1" ingest --until "$target" 2>>"$WORK/ingest1.log"
status=$("$LEDGER" --db "$DB1" status)
expect "$status" "\"block\":$target,"

step "the books match the chain: no reconciliation alert, Alice's and Bob's balances as on chain"
alerts=$("$LEDGER" --db "$DB1" alerts)
[ -z "$alerts" ] || { echo "FAIL: reconciliation alerts:"; echo "$alerts"; cat "$WORK/ingest1.log"; exit 1; }
for who in "$ALICE" "$BOB"; do
	chain=$(tpw balance --account "$who")
	books=$("$LEDGER" --db "$DB1" balance "$who")
	free=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["free"])' "$books")
	expect "$chain" "free $free "
done
# The channel's deposit was held and released: the hold account is back to zero.
expect "$("$LEDGER" --db "$DB1" balance "$ALICE")" '"PaymentChannels'

step "rebuilt from genesis, the journal is the same, byte for byte"
DB2=$(new_db rebuilt)
"$LEDGER" --url "$URL" --db "$DB2" ingest --until "$target"
"$LEDGER" --db "$DB1" audit export --format jsonl >"$WORK/killed.jsonl"
"$LEDGER" --db "$DB2" audit export --format jsonl >"$WORK/rebuilt.jsonl"
cmp "$WORK/killed.jsonl" "$WORK/rebuilt.jsonl" || { echo "FAIL: the journals differ"; exit 1; }
entries=$(wc -l <"$WORK/killed.jsonl")
# What the story booked: the openings, fees (withdrawn and deposited), the deposit held and
# released or paid out.
for kind in Opening Balances.Withdraw Balances.Deposit Balances.Held; do
	grep -q "\"kind\":\"$kind\"" "$WORK/killed.jsonl" || { echo "FAIL: no $kind entry"; exit 1; }
done
grep -Eq '"kind":"Balances.(Released|TransferOnHold)"' "$WORK/killed.jsonl" || { echo "FAIL: no release"; exit 1; }
grep -o '"kind":"[A-Za-z.]*"' "$WORK/killed.jsonl" | sort | uniq -c
[ "$entries" -gt 10 ] || { echo "FAIL: only $entries entries"; exit 1; }
"$LEDGER" --db "$DB1" audit export --format csv --from 1 --to 3 | head -1 | grep -q '^seq,block,phase' ||
	{ echo "FAIL: CSV export"; exit 1; }

step "the audit trail verifies ($entries entries); the journal refuses changes"
expect "$("$LEDGER" --db "$DB1" audit verify)" "\"verified\":$entries"
if psql "$DB1" -qc "UPDATE journal_line SET debit = debit + 1 WHERE seq = 2" 2>"$WORK/update.err"; then
	echo "FAIL: the journal accepted an UPDATE"; exit 1
fi
expect "$(cat "$WORK/update.err")" "append-only"

step "a row rewritten behind the ledger's back (trigger disabled) breaks verification"
psql "$DB2" -q <<SQL
ALTER TABLE journal_line DISABLE TRIGGER journal_line_append_only;
UPDATE journal_line SET debit = debit + 1 WHERE seq = (SELECT max(seq) FROM journal_line WHERE debit > 0) AND debit > 0;
ALTER TABLE journal_line ENABLE TRIGGER journal_line_append_only;
SQL
if out=$("$LEDGER" --db "$DB2" audit verify 2>&1); then echo "FAIL: a rewritten journal verified: $out"; exit 1; fi
expect "$out" "does not verify"

step "a corrupted balance row is reported by reconciliation at the next block that touches it"
psql "$DB1" -q <<SQL
ALTER TABLE journal_line DISABLE TRIGGER journal_line_append_only;
UPDATE journal_line SET debit = debit + 5 WHERE seq = (SELECT min(seq) FROM journal_line WHERE account = 'holder/$ALICE/free' AND debit > 0) AND account = 'holder/$ALICE/free';
ALTER TABLE journal_line ENABLE TRIGGER journal_line_append_only;
SQL
tpw --suri //Alice dev-challenge-period --blocks 5 >/dev/null
for _ in $(seq 60); do [ "$(finalized)" -gt "$((target + 3))" ] && break; sleep 1; done
"$LEDGER" --url "$URL" --db "$DB1" ingest --until "$(finalized)" 2>/dev/null
expect "$("$LEDGER" --db "$DB1" alerts)" "\"account\":\"holder/$ALICE/free\""

step "all passed"
