#!/usr/bin/env bash
# End to end: tpw-ledger against a fresh `--dev` node and a real PostgreSQL (scripts/postgres.sh).
# A channel opened and settled (holds, releases, payouts) and fees move native units; the books
# must match the chain after every block (no reconciliation alert), be the same journal, byte
# for byte, whether ingest was killed (SIGKILL) and resumed or rebuilt from genesis, verify, and
# stop verifying once a row is rewritten; a corrupted row is reported by reconciliation. The
# service (`tpw-ledger run`) serves the REST API (balances equal the chain's, hostile requests get
# a 4xx problem), delivers each webhook once after a forced failure, dead-letters and redrives,
# and publishes every entry to a real NATS JetStream exactly once across a SIGKILL.
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
# NATS of this run's own (its own ports and store).
export TPW_NATS_DIR="$WORK/nats"
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	bash scripts/nats.sh stop || true
	for db in "${dbs[@]}"; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true; done
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

step "the service starts before the activity: REST API, webhooks (one receiver fails each first attempt), NATS"
TPW_NATS_PORT=$(port) TPW_NATS_MONITOR_PORT=$(port)
export TPW_NATS_PORT TPW_NATS_MONITOR_PORT
bash scripts/nats.sh start
NATS=$(bash scripts/nats.sh url)
MONITOR=$(bash scripts/nats.sh monitor)
DB3=$(new_db service)
OPS_KEY=$("$LEDGER" --db "$DB3" api-key create --name ops | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
ALICE_KEY=$("$LEDGER" --db "$DB3" api-key create --name alice --account "$ALICE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
API_PORT=$(port) HOOK_PORT=$(port)
API="http://127.0.0.1:$API_PORT"
start_service() {
	"$LEDGER" --url "$URL" --db "$DB3" run --listen "127.0.0.1:$API_PORT" --nats "$NATS" \
		--webhook-retry-ms 300 --webhook-attempts 3 >>"$WORK/service.log" 2>&1 &
	service=$!
	pids+=("$service")
	for _ in $(seq 60); do curl -sf "$API/health" >/dev/null && return; sleep 0.5; done
	echo "FAIL: the API did not come up"; cat "$WORK/service.log"; exit 1
}
start_service
# The receiver: checks every signature and timestamp, answers 500 to the first attempt of each
# webhook-id on /flaky and to everything on /dead, and records what it accepted.
cat >"$WORK/receiver.py" <<'PY'
import base64, hashlib, hmac, http.server, json, sys, time
port, secrets_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = set()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        secret = json.load(open(secrets_file))[self.path]
        wid, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        key = base64.b64decode(secret.removeprefix("whsec_"))
        expected = "v1," + base64.b64encode(hmac.new(key, f"{wid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        ok = hmac.compare_digest(expected, self.headers["webhook-signature"]) and abs(time.time() - int(ts)) < 300
        status = 401 if not ok else 500 if self.path == "/dead" or (wid, self.path) not in seen else 200
        seen.add((wid, self.path))
        with open(log_file, "a") as f:
            f.write(json.dumps({"path": self.path, "id": wid, "status": status, "seq": json.loads(body)["data"]["seq"]}) + "\n")
        self.send_response(status); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
api() { curl -s -H "Authorization: Bearer $1" "${@:3}" "$API$2"; }
flaky=$(api "$ALICE_KEY" /v1/webhooks -H 'content-type: application/json' -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/flaky\"}")
dead=$(api "$OPS_KEY" /v1/webhooks -H 'content-type: application/json' -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/dead\",\"kinds\":[\"Balances.Held\"]}")
python3 - "$flaky" "$dead" >"$WORK/secrets.json" <<'PY'
import json, sys
print(json.dumps({"/flaky": json.loads(sys.argv[1])["secret"], "/dead": json.loads(sys.argv[2])["secret"]}))
PY
FLAKY_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$flaky")
DEAD_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$dead")
python3 "$WORK/receiver.py" "$HOOK_PORT" "$WORK/secrets.json" "$WORK/received.jsonl" &
pids+=($!)

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

step "the service's books: the API's balances equal the chain's; its journal equals the rebuilt one"
for _ in $(seq 120); do
	b=$(api "$OPS_KEY" /v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"] or 0)')
	[ "$b" -ge "$target" ] && break
	sleep 0.5
done
[ "$b" -ge "$target" ] || { echo "FAIL: the service booked up to $b, not $target"; cat "$WORK/service.log"; exit 1; }
for who in "$ALICE" "$BOB"; do
	chain=$(tpw balance --account "$who")
	free=$(api "$OPS_KEY" "/v1/accounts/$who/balances" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["free"])')
	expect "$chain" "free $free "
done
api "$OPS_KEY" "/v1/audit/export?from=1&to=$entries" >"$WORK/service.jsonl"
cmp <(head -n "$entries" "$WORK/rebuilt.jsonl") "$WORK/service.jsonl" || { echo "FAIL: the service's journal differs"; exit 1; }
[ -z "$("$LEDGER" --db "$DB3" alerts)" ] || { echo "FAIL: the service raised alerts"; exit 1; }
# Paging walks the whole of Alice's journal, a page of 2 at a time, in order, without repeats.
python3 - "$API" "$ALICE_KEY" "$ALICE" <<'PY'
import json, sys, urllib.request
api, key, alice = sys.argv[1:]
def get(path):
    req = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(req))
seqs, after = [], ""
while True:
    page = get(f"/v1/accounts/{alice}/journal?limit=2" + (f"&after={after}" if after else ""))
    seqs += [e["seq"] for e in page["items"]]
    assert all(any(alice in l["account"] for l in e["lines"]) for e in page["items"])
    if not page["next"]: break
    after = page["next"]
full = [e["seq"] for e in get(f"/v1/accounts/{alice}/journal?limit=1000")["items"]]
assert seqs == full and seqs == sorted(set(seqs)) and len(seqs) > 4, (seqs, full)
print("  paged", len(seqs), "entries of Alice")
PY

step "hostile and wrong requests get a clear 4xx problem, never a 500"
problem() { # expected status, then curl arguments
	local want=$1; shift
	local out; out=$(curl -s -o "$WORK/body" -w '%{http_code} %{content_type}' "$@")
	[ "${out%% *}" = "$want" ] || { echo "FAIL: $* answered $out, not $want"; cat "$WORK/body"; exit 1; }
	[ "$want" = 204 ] || expect "$out" "application/problem+json"
}
problem 401 "$API/v1/status"
problem 401 -H "Authorization: Bearer tpwl_$(printf '0%.0s' $(seq 64))" "$API/v1/status"
problem 401 -H "Authorization: Bearer not-a-key" "$API/v1/status"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/accounts/not-an-address/balances"
problem 404 -H "X-API-Key: $OPS_KEY" "$API/v1/accounts/$(tpw --suri //NobodyAtAll account)/balances"
problem 403 -H "X-API-Key: $ALICE_KEY" "$API/v1/accounts/$BOB/balances"
problem 403 -H "X-API-Key: $ALICE_KEY" "$API/v1/journal"
problem 403 -H "X-API-Key: $ALICE_KEY" "$API/v1/audit/export"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/journal?limit=100000"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/journal?limit=-1"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/journal?after=x"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/audit/export?from=1&to=20000"
problem 400 -H "X-API-Key: $OPS_KEY" "$API/v1/audit/export?format=xml"
problem 404 -H "X-API-Key: $OPS_KEY" "$API/v1/nothing"
problem 405 -X DELETE -H "X-API-Key: $OPS_KEY" "$API/v1/journal"
problem 404 -H "X-API-Key: $ALICE_KEY" "$API/v1/webhooks/$DEAD_ID/deliveries"
problem 400 -H "X-API-Key: $OPS_KEY" -H 'content-type: application/json' -d '{"url":"ftp://x/y"}' "$API/v1/webhooks"
problem 400 -H "X-API-Key: $OPS_KEY" -H 'content-type: application/json' -d '{"url":"http://x/y","kinds":["no kind"]}' "$API/v1/webhooks"
problem 400 -H "X-API-Key: $OPS_KEY" -H 'content-type: application/json' -d '{"url":"http://x/y","extra":1}' "$API/v1/webhooks"
problem 400 -H "X-API-Key: $OPS_KEY" -H 'content-type: application/json' -d '{"url":' "$API/v1/webhooks"
problem 403 -H "X-API-Key: $ALICE_KEY" -H 'content-type: application/json' -d "{\"url\":\"http://x/y\",\"accounts\":[\"$BOB\"]}" "$API/v1/webhooks"
problem 415 -H "X-API-Key: $OPS_KEY" -d 'url=x' "$API/v1/webhooks"
python3 -c 'import json; print(json.dumps({"url": "http://x/" + "a" * 20000}))' >"$WORK/big.json"
problem 413 -H "X-API-Key: $OPS_KEY" -H 'content-type: application/json' --data-binary @"$WORK/big.json" "$API/v1/webhooks"
# The OpenAPI document is served and names every route.
curl -sf "$API/openapi.json" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert doc["openapi"].startswith("3."), doc["openapi"]
for p in ["/v1/accounts/{account}/balances", "/v1/accounts/{account}/journal", "/v1/journal", "/v1/audit/export", "/v1/webhooks", "/v1/webhooks/{id}/deliveries"]:
    assert p in doc["paths"], p
'

step "webhooks: every entry of Alice delivered once after a forced failure; dead letters listed and redriven"
for _ in $(seq 120); do
	pending=$(api "$ALICE_KEY" "/v1/webhooks/$FLAKY_ID/deliveries?status=pending" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
	dead_n=$(api "$OPS_KEY" "/v1/webhooks/$DEAD_ID/deliveries?status=dead" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
	[ "$pending" = 0 ] && [ "$dead_n" -gt 0 ] && break
	sleep 0.5
done
# Alice's entries, read once the queue is empty: all since the subscription, which came before
# the activity (her opening at genesis too if the books opened after it).
alice_entries=$(api "$ALICE_KEY" "/v1/accounts/$ALICE/journal?limit=1000")
python3 - "$WORK/received.jsonl" "$alice_entries" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1])]
entries = json.loads(sys.argv[2])["items"]
opening = {e["seq"] for e in entries if e["block"] == 0}
assert all(g["status"] != 401 for g in got), "a bad signature"
flaky = [g for g in got if g["path"] == "/flaky"]
accepted = [g["seq"] for g in flaky if g["status"] == 200]
failed = [g["seq"] for g in flaky if g["status"] == 500]
want = sorted({e["seq"] for e in entries if e["block"] > 0} | (opening & set(accepted)))
assert len(want) > 10 and sorted(accepted) == want, ("accepted", sorted(accepted), "want", want)
assert len(set(accepted)) == len(accepted), "an entry accepted twice"
assert sorted(failed) == want, "each first attempt failed"
print("  delivered", len(accepted), "entries of Alice, each once, after one failure each")
PY
deliveries=$(api "$ALICE_KEY" "/v1/webhooks/$FLAKY_ID/deliveries?status=delivered&limit=1000")
python3 -c '
import json, sys
items = json.loads(sys.argv[1])["items"]
assert items and all(d["attempts"] == 2 for d in items), items
' "$deliveries"
dead_list=$(api "$OPS_KEY" "/v1/webhooks/$DEAD_ID/deliveries?status=dead")
expect "$dead_list" '"attempts":3'
expect "$dead_list" 'the receiver answered 500'
expect "$(api "$OPS_KEY" "/v1/webhooks/$DEAD_ID/deliveries/redrive" -X POST)" '"redriven":'
expect "$(api "$OPS_KEY" "/v1/webhooks/$DEAD_ID/deliveries?status=dead")" '"items":\[\]'
problem 204 -X DELETE -H "X-API-Key: $OPS_KEY" "$API/v1/webhooks/$DEAD_ID"

step "the event stream holds every entry once, in order, also after the service is killed (SIGKILL) and restarted"
stream_count() { curl -s "$MONITOR/jsz?streams=true" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(s["state"]["messages"] for a in d.get("account_details", []) for s in a.get("stream_detail", []) if s["name"] == "TPW_LEDGER"))'; }
seq_now() { "$LEDGER" --db "$DB3" status | python3 -c 'import json,sys; print(json.load(sys.stdin)["seq"])'; }
for _ in $(seq 60); do [ "$(stream_count)" = "$(seq_now)" ] && break; sleep 0.5; done
kill -9 "$service"; wait "$service" 2>/dev/null || true
# Forget what the database says was published: the publisher must learn it from the stream.
psql "$DB3" -qc "UPDATE stream_cursor SET seq = 0"
tpw --suri //Alice dev-challenge-period --blocks 6 >/dev/null
start_service
after=$(( $(finalized) + 1 ))
for _ in $(seq 60); do [ "$(finalized)" -gt "$after" ] && break; sleep 1; done
for _ in $(seq 60); do
	b=$(api "$OPS_KEY" /v1/status | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"] or 0)')
	[ "$b" -gt "$after" ] && [ "$(stream_count)" = "$(seq_now)" ] && break
	sleep 0.5
done
total=$(seq_now)
[ "$(stream_count)" = "$total" ] || { echo "FAIL: $(stream_count) messages for $total entries"; exit 1; }
"$LEDGER" --db "$DB3" stream-read --nats "$NATS" --count 100000 2>/dev/null >"$WORK/stream.jsonl"
"$LEDGER" --db "$DB3" audit export --format jsonl >"$WORK/service-all.jsonl"
python3 - "$WORK/stream.jsonl" "$WORK/service-all.jsonl" <<'PY'
import json, sys
stream = [json.loads(l) for l in open(sys.argv[1])]
journal = [json.loads(l) for l in open(sys.argv[2])]
assert [m["entry"] for m in stream] == journal, "the stream differs from the journal"
assert all(m["subject"] == "tpw.ledger.entry." + m["entry"]["kind"] for m in stream)
print("  ", len(stream), "messages, one per entry, in order")
PY
# Another ledger (another database) is refused the stream instead of skipping or repeating entries.
"$LEDGER" --url "$URL" --db "$DB1" run --listen "127.0.0.1:$(port)" --nats "$NATS" >"$WORK/other.log" 2>&1 &
other=$!
pids+=("$other")
for _ in $(seq 40); do grep -qs "holds another ledger's entries" "$WORK/other.log" && break; sleep 0.5; done
kill "$other"
expect "$(cat "$WORK/other.log")" "holds another ledger's entries"
[ "$(stream_count)" = "$total" ] || { echo "FAIL: another ledger published"; exit 1; }

step "all passed"
