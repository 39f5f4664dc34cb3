#!/usr/bin/env bash
# End to end: the ISO 20022 gateway in tpw-ledger, against a fresh `--dev` node and a real
# PostgreSQL. A EUR stablecoin with KYC rules (tests/src/gateway-setup.ts); the operator's
# currency table and directory; a pain.001 of three transfers becomes three finalized token
# transfers with exact balances and a pain.002 of ACSC lines; the same message again pays
# nothing (AM05); a pacs.008 to a creditor without KYC (RR04) and a pain.001.001.09 beyond the
# debtor's funds (AM04) are refused and move nothing; the status reports (pain.002 for pain.001,
# pacs.002 for pacs.008) and Bob's
# notifications (camt.054) arrive by signed webhooks; hostile documents (XXE, billion laughs, a
# DTD, 5 MiB, a foreign namespace) get a 4xx and nothing is recorded as paid; a statement and an
# intraday report of the creditor's account equal the chain; a transfer held for review settles
# once approved; the open-banking API's consents, account information and payment initiation
# (tests/src/open-banking.ts). Every XML the gateway answers is
# checked against its official schema with xmllint.
# Prints one "[gateway-e2e]" line per story, "all passed" at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TARGET=${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release
NODE_BIN=${NODE_BIN:-$TARGET/tpwallet-node}
TPW=${TPW_BIN:-$TARGET/tpw}
LEDGER=${LEDGER_BIN:-$TARGET/tpw-ledger}
FIXTURES=gateway/tests/fixtures
XSD=gateway/xsd
TOKEN=77
WORK=$(mktemp -d)
pids=()
db=""
started_pg=0
bash scripts/postgres.sh status || started_pg=1
bash scripts/postgres.sh start
PG="$(bash scripts/postgres.sh url)"
PG_ADMIN="${PG/dbname=tpwallet/dbname=postgres}"
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -z "$db" ] || psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
	rm -rf "$WORK"
	[ "$started_pg" = 0 ] || bash scripts/postgres.sh stop
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() {
	echo "FAIL: $*"
	echo "--- the service's log, last lines:"; tail -30 "$WORK/service.log" || true
	exit 1
}
step() { printf '\033[1m[gateway-e2e]\033[0m %s\n' "$*"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

RPC=$(port) P2P=$(port) API_PORT=$(port)
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC" --port "$P2P" --no-prometheus >"$WORK/node.log" 2>&1 &
pids+=($!)
URL="ws://127.0.0.1:$RPC"
tpw() { (cd "$WORK" && "$TPW" --url "$URL" "$@"); }
for _ in $(seq 240); do tpw channel --channel 999 >/dev/null 2>&1 && break; sleep 1; done
ALICE=$(tpw --suri //Alice account)
BOB=$(tpw --suri //Bob account)
CHARLIE=$(tpw --suri //Charlie account)
EVE=$(tpw --suri //Eve account)
token() { tpw balance --account "$1" --asset "$TOKEN" | awk '{print $2}'; }

step "the service with the gateway on (Ferdie signs as each debtor's proxy); the chain's EUR stablecoin"
db="gateway_e2e_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $db"
DB="${PG/dbname=tpwallet/dbname=$db}"
OPS_KEY=$("$LEDGER" --db "$DB" api-key create --name ops | json 'd["key"]')
BOB_KEY=$("$LEDGER" --db "$DB" api-key create --name bob --account "$BOB" | json 'd["key"]')
API="http://127.0.0.1:$API_PORT"
"$LEDGER" --url "$URL" --db "$DB" run --listen "127.0.0.1:$API_PORT" \
	--gateway-suri //Ferdie --gateway-bic TPWLDEFFXXX --gateway-inbox "$WORK/inbox" >"$WORK/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do curl -sf "$API/health" >/dev/null && break; sleep 0.5; done
(cd tests && node --import tsx src/gateway-setup.ts "$URL" "$TOKEN") >"$WORK/setup.log" 2>&1 ||
	{ cat "$WORK/setup.log"; fail "the chain set-up"; }
ops() { curl -s -H "Authorization: Bearer $OPS_KEY" "$@"; }
put() { ops -X PUT -H 'content-type: application/json' "$API$1" -d "$2"; }
put /v1/iso20022/currencies/EUR "{\"asset\": $TOKEN, \"decimals\": 6}" | grep -q '"currency":"EUR"' || fail "currency"
put /v1/iso20022/directory/iban:DE89370400440532013000 "{\"account\": \"$ALICE\", \"owner\": \"Alice Treasury GmbH\"}" >/dev/null
put /v1/iso20022/directory/iban:FR1420041010050500013M02606 "{\"account\": \"$BOB\", \"owner\": \"Bob SARL\"}" >/dev/null
put /v1/iso20022/directory/acct::TPWALLET:CHARLIE-001 "{\"account\": \"$CHARLIE\", \"owner\": \"Charlie BV\"}" >/dev/null
put /v1/iso20022/directory/iban:NL91ABNA0417164300 "{\"account\": \"$EVE\", \"owner\": \"Eve Imports BV\"}" >/dev/null
# Hostile directory and currency writes are refused.
[ "$(put /v1/iso20022/directory/nonsense "{\"account\": \"$BOB\"}" | json 'd["status"]')" = 400 ] || fail "a bad directory key"
[ "$(put /v1/iso20022/currencies/eur '{"asset": 1, "decimals": 2}' | json 'd["status"]')" = 400 ] || fail "a bad currency"
[ "$(put /v1/iso20022/currencies/USD "{\"asset\": $TOKEN, \"decimals\": 6}" | json 'd["status"]')" = 409 ] || fail "a token for two currencies"
# Webhooks in ISO 20022: Bob's key gets a camt.054 per move of his account; the operator's key
# a status report per decided transfer. The receiver checks each signature and keeps each body.
HOOK_PORT=$(port)
mkdir -p "$WORK/hooks"
cat >"$WORK/receiver.py" <<'PY'
import base64, hashlib, hmac, http.server, json, sys, time
port, secrets_file, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        key = base64.b64decode(json.load(open(secrets_file))[self.path].removeprefix("whsec_"))
        wid, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        mac = base64.b64encode(hmac.new(key, f"{wid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        ok = hmac.compare_digest("v1," + mac, self.headers["webhook-signature"])
        ok = ok and self.headers["content-type"].startswith("application/xml")
        if ok:
            open(f"{out}/{self.path.strip('/')}-{wid}.xml", "wb").write(body)
        self.send_response(200 if ok else 401); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
subscribe() { # key, path
	curl -s -H "Authorization: Bearer $1" -H 'content-type: application/json' "$API/v1/webhooks" \
		-d "{\"url\": \"http://127.0.0.1:$HOOK_PORT/$2\", \"format\": \"iso20022\"}" | json 'd["secret"]'
}
python3 -c 'import json,sys; print(json.dumps({"/bob": sys.argv[1], "/ops": sys.argv[2]}))' \
	"$(subscribe "$BOB_KEY" bob)" "$(subscribe "$OPS_KEY" ops)" >"$WORK/secrets.json"
python3 "$WORK/receiver.py" "$HOOK_PORT" "$WORK/secrets.json" "$WORK/hooks" &
pids+=($!)
[ "$(curl -s -H "Authorization: Bearer $OPS_KEY" -H 'content-type: application/json' "$API/v1/webhooks" \
	-d "{\"url\": \"http://127.0.0.1:1/x\", \"format\": \"swift\"}" | json 'd["status"]')" = 400 ] || fail "a bad format"
alice0=$(token "$ALICE") bob0=$(token "$BOB") charlie0=$(token "$CHARLIE")
[ "$alice0" = 10000000000 ] || fail "Alice holds $alice0"
statement_from=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1

# post <file>: the message as the request body; the answer's JSON.
post() { ops -H 'content-type: application/xml' --data-binary "@$1" "$API/v1/iso20022/messages"; }
# settled <message> <n>: waits until the message's n transfers are decided (not `submitted`).
decided() {
	for _ in $(seq 120); do
		out=$(ops "$API/v1/iso20022/messages/$1")
		[ "$(json 'sum(t["status"] != "submitted" for t in d["transfers"])' <<<"$out")" = "$2" ] && return
		sleep 1
	done
	fail "message $1 not decided: $out"
}
# report <path> <xsd>: GETs an XML report and checks it against its schema.
report() {
	ops -o "$WORK/report.xml" -w '%{http_code}' "$API$1" >"$WORK/code"
	[ "$(cat "$WORK/code")" = 200 ] || fail "$1 answered $(cat "$WORK/code"): $(cat "$WORK/report.xml")"
	xmllint --noout --nonet --schema "$XSD/$2.xsd" "$WORK/report.xml" 2>"$WORK/xmllint.log" ||
		fail "$1 does not validate against $2: $(cat "$WORK/xmllint.log")"
}
# texts <element>: the texts of every element so named in the last report, space-separated.
texts() {
	python3 - "$WORK/report.xml" "$1" <<-'PY'
	import sys, xml.etree.ElementTree as ET
	print(" ".join((e.text or "") for e in ET.parse(sys.argv[1]).iter() if e.tag.split("}")[-1] == sys.argv[2]))
	PY
}

step "a pain.001 of three transfers: submitted, finalized, settled; balances exact; pain.002 ACSC per transfer"
out=$(post "$FIXTURES/pain.001.001.03.tpwallet.xml")
[ "$(json '[t["status"] for t in d["transfers"]]' <<<"$out")" = "['submitted', 'submitted', 'submitted']" ] || fail "intake: $out"
MSG1=$(json 'd["message"]' <<<"$out")
decided "$MSG1" 3
out=$(ops "$API/v1/iso20022/messages/$MSG1")
[ "$(json '[t["status"] for t in d["transfers"]]' <<<"$out")" = "['settled', 'settled', 'settled']" ] || fail "settlement: $out"
[ "$(token "$ALICE")" = $((alice0 - 1751250000)) ] || fail "Alice holds $(token "$ALICE")"
[ "$(token "$BOB")" = $((bob0 + 1251250000)) ] || fail "Bob holds $(token "$BOB")"
[ "$(token "$CHARLIE")" = $((charlie0 + 500000000)) ] || fail "Charlie holds $(token "$CHARLIE")"
report "/v1/iso20022/messages/$MSG1/status-report" pain.002.001.10
[ "$(texts TxSts)" = "ACSC ACSC ACSC" ] || fail "statuses $(texts TxSts)"
[ "$(texts OrgnlEndToEndId)" = "E2E-A-1 E2E-A-2 E2E-B-1" ] || fail "references $(texts OrgnlEndToEndId)"
refs=$(json '" ".join("%s-%s" % (t["block"], t["extrinsicIndex"]) for t in d["transfers"])' <<<"$out")
[ "$(texts AcctSvcrRef)" = "$refs" ] || fail "servicer references $(texts AcctSvcrRef), not $refs"
echo "   settled as $refs"
# hooks <regex> <n> <xsd>: waits for n delivered bodies whose file names match, each valid
# against its schema (a file is named after its path and webhook-id, which names its outbox).
hooks() {
	for _ in $(seq 60); do
		[ "$(ls "$WORK/hooks" | grep -c "$1")" -ge "$2" ] && break
		sleep 1
	done
	[ "$(ls "$WORK/hooks" | grep -c "$1")" -ge "$2" ] || fail "$1: $(ls "$WORK/hooks")"
	# Each body against the schema its namespace names, which must be one of $3.
	for f in $(ls "$WORK/hooks" | grep "$1"); do
		kind=$(grep -o 'urn:iso:std:iso:20022:tech:xsd:[a-z0-9.]*' "$WORK/hooks/$f" | head -1 | sed 's/.*xsd://')
		grep -qxE "$3" <<<"$kind" || fail "$f is a $kind, not one of $3"
		xmllint --noout --nonet --schema "$XSD/$kind.xsd" "$WORK/hooks/$f" 2>"$WORK/xmllint.log" ||
			fail "$f: $(cat "$WORK/xmllint.log")"
	done
}
hooks '^ops-.*-report_delivery-' 3 'pain.002.001.10'
[ "$(cat "$WORK"/hooks/ops-*-report_delivery-* | grep -c '<TxSts>ACSC</TxSts>')" = 3 ] ||
	fail "pain.002 by webhook: $(cat "$WORK"/hooks/ops-*-report_delivery-*)"
hooks '^bob-.*-webhook_delivery-' 2 camt.054.001.08
grep -h '<EndToEndId>' "$WORK"/hooks/bob-* | tr -d ' ' | sort | tr '\n' ' ' | grep -q 'E2E-A-1.*E2E-B-1' ||
	fail "camt.054 to Bob: $(cat "$WORK"/hooks/bob-*)"
grep -L 'FR1420041010050500013M02606' "$WORK"/hooks/bob-* | grep -q . && fail "a notification not about Bob's account"
echo "   by webhook: 3 pain.002 ACSC to the operator, 2 camt.054 credits to Bob"

step "the same message again pays nothing: each transfer refused as a duplicate (AM05)"
out=$(post "$FIXTURES/pain.001.001.03.tpwallet.xml")
[ "$(json '[t["reasonCode"] for t in d["transfers"]]' <<<"$out")" = "['AM05', 'AM05', 'AM05']" ] || fail "duplicates: $out"
MSG2=$(json 'd["message"]' <<<"$out")
report "/v1/iso20022/messages/$MSG2/status-report" pain.002.001.10
[ "$(texts TxSts)" = "RJCT RJCT RJCT" ] || fail "statuses $(texts TxSts)"

step "a pacs.008 to a creditor without KYC is refused (RR04), a pain.001.001.09 beyond the debtor's funds (AM04), by API and from the watched folder; nothing moves"
out=$(post "$FIXTURES/pacs.008.001.08.tpwallet-eve.xml")
[ "$(json 'd["transfers"][0]["reasonCode"]' <<<"$out")" = RR04 ] || fail "pacs.008 to Eve: $out"
MSG3=$(json 'd["message"]' <<<"$out")
report "/v1/iso20022/messages/$MSG3/status-report" pacs.002.001.10
[ "$(texts TxSts)" = RJCT ] && [ "$(texts Cd)" = RR04 ] || fail "pacs.002: $(texts TxSts) $(texts Cd)"
[ "$(texts OrgnlUETR)" = 0f1e2d3c-4b5a-4697-8877-665544332211 ] || fail "UETR $(texts OrgnlUETR)"
out=$(post "$FIXTURES/pain.001.001.09.tpwallet-overdraft.xml")
[ "$(json 'd["transfers"][0]["reasonCode"]' <<<"$out")" = AM04 ] || fail "overdraft: $out"
# The same from the watched folder: written elsewhere, renamed in; taken, moved beside its outcome.
cp "$FIXTURES/pain.001.001.09.tpwallet-overdraft.xml" "$WORK/inbox/.overdraft.part"
mv "$WORK/inbox/.overdraft.part" "$WORK/inbox/overdraft.xml"
printf '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><Nope/></Document>' >"$WORK/inbox/.bad.part"
mv "$WORK/inbox/.bad.part" "$WORK/inbox/bad.xml"
for _ in $(seq 30); do [ -f "$WORK/inbox/refused/bad.xml.outcome.json" ] && [ -f "$WORK/inbox/done/overdraft.xml.outcome.json" ] && break; sleep 0.5; done
[ "$(json 'd["transfers"][0]["reasonCode"]' <"$WORK/inbox/done/overdraft.xml.outcome.json")" = AM04 ] || fail "inbox: $(ls -R "$WORK/inbox")"
[ "$(json 'd["reasonCode"]' <"$WORK/inbox/refused/bad.xml.outcome.json")" = FF01 ] || fail "inbox: a bad file"
[ ! -e "$WORK/inbox/overdraft.xml" ] && [ -f "$WORK/inbox/done/overdraft.xml" ] || fail "the inbox file was not moved"
[ "$(token "$EVE")" = 0 ] && [ "$(token "$ALICE")" = $((alice0 - 1751250000)) ] || fail "something moved"

step "hostile documents: XXE, billion laughs, a DTD, 5 MiB, a foreign namespace, no key, a scoped key; nothing paid"
cat >"$WORK/xxe.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn>&x;</CstmrCdtTrfInitn></Document>
XML
python3 - "$WORK/laughs.xml" <<'PY'
import sys
lol = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
open(sys.argv[1], "w").write('<?xml version="1.0"?><!DOCTYPE d [' + "".join(lol) + ']><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">&l9;</Document>')
PY
head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$WORK/big.xml"
sed 's/pain.001.001.03/pain.001.001.02/' "$FIXTURES/pain.001.001.03.tpwallet.xml" >"$WORK/foreign.xml"
for f in xxe laughs foreign; do
	out=$(ops -w '\n%{http_code}' -H 'content-type: application/xml' --data-binary "@$WORK/$f.xml" "$API/v1/iso20022/messages")
	[ "$(tail -1 <<<"$out")" = 422 ] || fail "$f answered $out"
	[ "$(head -1 <<<"$out" | json 'd["reasonCode"]')" = FF01 ] || fail "$f: $out"
	grep -q root: <<<"$out" && fail "$f leaked a file"
done
code=$(ops -o /dev/null -w '%{http_code}' -H 'content-type: application/xml' --data-binary "@$WORK/big.xml" "$API/v1/iso20022/messages")
[ "$code" = 413 ] || fail "5 MiB answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$FIXTURES/pain.001.001.03.tpwallet.xml" "$API/v1/iso20022/messages")
[ "$code" = 401 ] || fail "no key answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $BOB_KEY" --data-binary "@$FIXTURES/pain.001.001.03.tpwallet.xml" "$API/v1/iso20022/messages")
[ "$code" = 403 ] || fail "a scoped key answered $code"
[ "$(psql "$DB" -tAc "SELECT count(*) FROM iso_payment WHERE status <> 'rejected'")" = 3 ] || fail "more than the three transfers paid"

step "Bob's statement on demand (camt.053) and intraday report (camt.052): balances and entries equal the chain"
# The statement's period must be over in the books: wait for a block booked after it.
statement_to=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 2
for _ in $(seq 60); do
	code=$(ops -o "$WORK/report.xml" -w '%{http_code}' "$API/v1/iso20022/accounts/$BOB/statement?currency=EUR&from=$statement_from&to=$statement_to")
	[ "$code" = 200 ] && break
	[ "$code" = 409 ] || fail "statement answered $code: $(cat "$WORK/report.xml")"
	sleep 1
done
report "/v1/iso20022/accounts/$BOB/statement?currency=EUR&from=$statement_from&to=$statement_to" camt.053.001.08
bob_now=$(token "$BOB")
python3 - "$WORK/report.xml" "$bob0" "$bob_now" <<'PY'
import sys, xml.etree.ElementTree as ET
from decimal import Decimal
doc, bob0, bob_now = ET.parse(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ns = {"c": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"}
units = lambda amount: int(Decimal(amount) * 10**6)
bal = {b.find("c:Tp/c:CdOrPrtry/c:Cd", ns).text: units(b.find("c:Amt", ns).text) for b in doc.iterfind(".//c:Bal", ns)}
entries = [(units(n.find("c:Amt", ns).text), n.find("c:CdtDbtInd", ns).text) for n in doc.iterfind(".//c:Ntry", ns)]
assert bal["OPBD"] == bob0, bal
assert bal["CLBD"] == bob_now, (bal, bob_now)
assert sorted(entries) == [(251_250_000, "CRDT"), (1_000_000_000, "CRDT")], entries
assert bal["OPBD"] + sum(a for a, _ in entries) == bal["CLBD"]
e2e = [e.text for e in doc.iterfind(".//c:Refs/c:EndToEndId", ns)]
assert sorted(e2e) == ["E2E-A-1", "E2E-B-1"], e2e
total = doc.find(".//c:TxsSummry/c:TtlNtries/c:Sum", ns).text
assert units(total) == 1_251_250_000, total
print("   opening", bal["OPBD"], "+ 2 credits =", bal["CLBD"], "units, as on chain")
PY
report "/v1/iso20022/accounts/$BOB/report?currency=EUR" camt.052.001.08
[ "$(texts Cd | tr ' ' '\n' | grep -c ITBD)" = 1 ] || fail "no interim balance"
python3 - "$WORK/report.xml" "$bob_now" <<'PY'
import sys, xml.etree.ElementTree as ET
from decimal import Decimal
ns = {"c": "urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"}
bal = ET.parse(sys.argv[1]).find(".//c:Bal/c:Amt", ns).text
assert int(Decimal(bal) * 10**6) == int(sys.argv[2]), (bal, sys.argv[2])
PY
# Bob's own key reads his reports; not Alice's.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $BOB_KEY" "$API/v1/iso20022/accounts/$ALICE/report?currency=EUR")
[ "$code" = 403 ] || fail "Bob read Alice's report ($code)"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $BOB_KEY" "$API/v1/iso20022/accounts/$BOB/report?currency=EUR")
[ "$code" = 200 ] || fail "Bob could not read his report ($code)"

step "a transfer held for review: pending (PDNG) until the compliance officer approves it, then settled (ACSC)"
sed -e 's/1000000.00/6000.00/g' -e 's/TPW-2026-12-03-0002/TPW-2026-12-03-0003/' -e 's/E2E-C-1/E2E-D-1/' \
	-e 's/5b7c1d2e-3f40-4a51-9c62-7d8e9fa0b1c2/6c8d2e3f-4051-4b62-8d73-8e9fa0b1c2d3/' \
	"$FIXTURES/pain.001.001.09.tpwallet-overdraft.xml" >"$WORK/review.xml"
bob_before=$(token "$BOB")
out=$(post "$WORK/review.xml")
[ "$(json 'd["transfers"][0]["status"]' <<<"$out")" = submitted ] || fail "the reviewed transfer: $out"
MSG4=$(json 'd["message"]' <<<"$out")
decided "$MSG4" 1
out=$(ops "$API/v1/iso20022/messages/$MSG4")
[ "$(json 'd["transfers"][0]["status"]' <<<"$out")" = pending ] || fail "not pending: $out"
case_id=$(json 'd["transfers"][0]["reviewCase"]' <<<"$out")
report "/v1/iso20022/messages/$MSG4/status-report" pain.002.001.10
[ "$(texts TxSts)" = PDNG ] || fail "status $(texts TxSts)"
[ "$(token "$BOB")" = "$bob_before" ] || fail "Bob was paid before the review"
(cd tests && node --import tsx src/gateway-review.ts "$URL" "$case_id") >"$WORK/review.log" 2>&1 ||
	{ cat "$WORK/review.log"; fail "approving case $case_id"; }
for _ in $(seq 60); do
	[ "$(ops "$API/v1/iso20022/messages/$MSG4" | json 'd["transfers"][0]["status"]')" = settled ] && break
	sleep 1
done
report "/v1/iso20022/messages/$MSG4/status-report" pain.002.001.10
[ "$(texts TxSts)" = ACSC ] || fail "after approval: $(texts TxSts)"
[ "$(token "$BOB")" = $((bob_before + 6000000000)) ] || fail "Bob holds $(token "$BOB")"
hooks '^ops-.*-report_delivery-' 11 'pain.002.001.10|pacs.002.001.10'
echo "   case $case_id approved; the transfer settled"

step "open banking (NextGenPSD2): TPPs, a consent Alice signs with her chain key, her account, balances and transactions; a payment she signs, settled"
(cd tests && node --import tsx src/open-banking.ts "$API" "$OPS_KEY" "$URL") >"$WORK/open-banking.log" 2>&1 ||
	{ cat "$WORK/open-banking.log"; fail "open banking"; }
cat "$WORK/open-banking.log"

step "all passed"
