#!/usr/bin/env bash
# The bridge end to end, through the `tpw-relayer` and `tpw` binaries only, between two dev
# chains: chain A (`--dev`) and chain B (the dev chain spec with another id and name, and one
# genesis balance changed, so that its genesis hash, its identity in the bridge, differs too).
# Set-up (dev governance, sudo): `tpw-relayer init` starts each chain's GRANDPA light client of
# the other and sets the bridged chain (twice: the second run changes nothing); TPW is listed on
# A and wrapped as asset 1000 on B. Then B's GRANDPA authority set change is started: sessions
# of 10 blocks (sudo), and Alice's keys rotated on B's node (`author_rotateKeysWithOwner`, then
# `session.setKeys`, through polkadot.js from tests/node_modules); two session boundaries later
# (about a minute, while the stories run) GRANDPA enacts the new set. Stories: (1) TPW goes A->B
# and partly back B->A with the relayer running, balances exact on both sides, receipts
# confirmed; (2) a forged justification, (3) a forged storage proof, (4) a replayed delivery and
# (5) a message for another chain are rejected with the named error (crafted by `tpw-relayer
# attack`, test tooling, while no relayer runs); (6) the relayer is killed (SIGKILL) twice while
# transfers are in flight and restarted: each transfer is credited exactly once; (7) two
# relayers at once deliver each message once; (8) B's new GRANDPA set is Alice's rotated key, A's
# light client of B follows it (the relayer relays the header that enacts it) and a transfer
# B->A proven under it is credited exactly once; (9) the same with a third chain C whose node
# has pruned the state around the change (a light client left idle), relayed to a fourth, D.
# After each story, B's wrapped supply is at most
# what A's vault locks. Prints one "[bridge-e2e]" line per story, "all passed" at the end.
# Usage: bash relayer/e2e.sh (NODE_BIN, TPW_BIN and RELAYER_BIN default to the release builds;
# Node.js and `npm ci` in tests/ are needed).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)

NODE_BIN=${NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release/tpwallet-node}
TPW=${TPW_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release/tpw}
RELAYER=${RELAYER_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release/tpw-relayer}
WORK=$(mktemp -d)
pids=()
cleanup() {
	status=$?
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ "$status" -ne 0 ]; then
		for f in "$WORK"/r*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 25 "$f"; }; done
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
expect() { grep -q -- "$2" <<<"$1" || { echo "FAIL: expected '$2' in:"; echo "$1"; exit 1; }; }
fail() { echo "FAIL: $*"; exit 1; }
step() { printf '\033[1m[bridge-e2e]\033[0m %s\n' "$*"; }
rpc() { curl -s -H 'Content-Type: application/json' -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[${3:-}]}" "http://127.0.0.1:$1" | jq -r .result; }
# Signs the extrinsic that the polkadot.js expression $2 (of `api`) builds with key $3, submits it
# to chain $1 (a ws URL) and waits until it is in a block; fails if it (or the call a sudo call
# dispatches) fails, or takes over a minute. For the calls no `tpw` or `tpw-relayer` subcommand
# makes.
submit_js() {
	NODE_PATH="$ROOT/tests/node_modules" timeout 60 node -e '
const { ApiPromise, WsProvider, Keyring } = require("@polkadot/api");
const [url, build, suri] = process.argv.slice(1);
(async () => {
	const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
	const tx = new Function("api", `return ${build}`)(api);
	const signer = new Keyring({ type: "sr25519" }).addFromUri(suri);
	const failure = await new Promise((resolve, reject) => {
		tx.signAndSend(signer, ({ status, dispatchError, events }) => {
			if (status.isInvalid || status.isDropped || status.isUsurped) return resolve(status.type);
			if (!status.isInBlock) return;
			const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
			const error = dispatchError ?? (sudid?.event.data[0].isErr ? sudid.event.data[0].asErr : undefined);
			if (!error?.isModule) return resolve(error?.toString());
			const { section, name } = api.registry.findMetaError(error.asModule);
			resolve(`${section}.${name}`);
		}).catch(reject);
	});
	await api.disconnect();
	if (failure) throw new Error(`dispatch failed: ${failure}`);
})().catch((e) => { console.error(`${build}: ${e.message}`); process.exit(1); });
' "$1" "$2" "$3" || fail "submitting $2 to $1"
}
# Prints, as JSON, what the polkadot.js expression $2 (of `api`, awaited) gives on chain $1 (a ws URL).
query_js() {
	NODE_PATH="$ROOT/tests/node_modules" timeout 60 node -e '
const { ApiPromise, WsProvider } = require("@polkadot/api");
const [url, expression] = process.argv.slice(1);
(async () => {
	const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
	const value = await new Function("api", `return ${expression}`)(api);
	console.log(JSON.stringify(value.toJSON()));
	await api.disconnect();
})().catch((e) => { console.error(`${expression}: ${e.message}`); process.exit(1); });
' "$1" "$2" || fail "querying $2 on $1"
}
# Waits (up to 3 minutes) until the shell condition $2 holds.
wait_for() {
	for _ in $(seq 90); do eval "$2" && return 0; sleep 2; done
	fail "timed out waiting for $1"
}

RPC_A=$(port) P2P_A=$(port) RPC_B=$(port) P2P_B=$(port)
# (Python, not jq: balances exceed a double's precision.)
"$NODE_BIN" build-spec --chain dev 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["id"], spec["name"] = "tpwallet_bridge_b", "tpwallet Bridge B"
spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"][-1][1] += 1
json.dump(spec, sys.stdout)' >"$WORK/chain-b.json"
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC_A" --port "$P2P_A" --no-prometheus >"$WORK/node-a.log" 2>&1 &
pids+=($!)
"$NODE_BIN" --dev --chain "$WORK/chain-b.json" --tmp --no-mdns --rpc-port "$RPC_B" --port "$P2P_B" \
	--no-prometheus >"$WORK/node-b.log" 2>&1 &
pids+=($!)
# Story 9's pair: D (another dev chain) and C, whose node keeps the state of its last 4 blocks
# only, so that by the time D's light client needs C's set change, the state around it is gone.
RPC_C=$(port) P2P_C=$(port) RPC_D=$(port) P2P_D=$(port)
python3 -c '
import json, sys
spec = json.load(open(sys.argv[1]))
spec["id"], spec["name"] = "tpwallet_bridge_c", "tpwallet Bridge C"
spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"][-1][1] += 1
json.dump(spec, sys.stdout)' "$WORK/chain-b.json" >"$WORK/chain-c.json"
"$NODE_BIN" --dev --chain "$WORK/chain-c.json" --state-pruning 4 --tmp --no-mdns --rpc-port "$RPC_C" \
	--port "$P2P_C" --no-prometheus >"$WORK/node-c.log" 2>&1 &
pids+=($!)
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC_D" --port "$P2P_D" --no-prometheus >"$WORK/node-d.log" 2>&1 &
pids+=($!)
cd "$WORK"
A="ws://127.0.0.1:$RPC_A" B="ws://127.0.0.1:$RPC_B"
tpw_a() { "$TPW" --url "$A" "$@"; }
tpw_b() { "$TPW" --url "$B" "$@"; }
URL_C="ws://127.0.0.1:$RPC_C" URL_D="ws://127.0.0.1:$RPC_D"
# Up to four minutes: in CI, start-up compiles the runtime beside every other end-to-end suite.
for _ in $(seq 240); do
	tpw_a bridge status >/dev/null 2>&1 && tpw_b bridge status >/dev/null 2>&1 &&
		"$TPW" --url "$URL_C" bridge status >/dev/null 2>&1 && "$TPW" --url "$URL_D" bridge status >/dev/null 2>&1 && break
	sleep 1
done
ALICE=$(tpw_a --suri //Alice account) BOB=$(tpw_a --suri //Bob account) DAVE=$(tpw_a --suri //Dave account)
TPW1=1000000000000

free() { tpw_"$1" balance --account "$2" | awk '{print $2}'; }
wrapped() { tpw_b balance --asset 1000 --account "$1" | awk '{print $2}'; }
# The last field of the `tpw bridge status` line of chain $1 that starts with $2.
sfield() { tpw_"$1" bridge status | awk -v k="$2" 'index($0, k) == 1 { print $NF }'; }
# "generated confirmed" of chain $1's lane to chain $2 (a genesis hash).
lane() { tpw_"$1" bridge status | awk -v c="$2" '$1 == "outbound" && $4 == c { print $6, $8 }'; }
delivered() { sfield "$1" "inbound lane from"; }
light_client() { tpw_"$1" bridge status | awk '/^light client best finalized/ { print $5 }'; }
# Wrapped TPW on B never exceeds what A locks, and A's vault holds what it locks.
invariant() {
	local locked supply vault
	locked=$(sfield a "listed native locked") supply=$(sfield b "wrapped 1000 of remote native supply")
	vault=$(sfield a "vault")
	[ "$supply" -le "$locked" ] || fail "wrapped supply $supply on B exceeds $locked locked on A"
	[ "$vault" -ge "$locked" ] || fail "A's vault holds $vault, less than the $locked locked"
}
start_relayer() {
	"$RELAYER" run --a "$A" --b "$B" --signer "$2" >"$WORK/$1.log" 2>&1 &
	RELAYER_PID=$!
	pids+=("$RELAYER_PID")
}
stop_relayer() { kill "${2:--TERM}" "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# Nonces of the successful deliverances from $1 to $2 in the relayer logs $3...
delivered_nonces() {
	local route="$1->$2"
	shift 2
	cat "$@" | grep -o "delivered $route messages [0-9]*\.\.=[0-9]*" |
		awk '{ split($4, r, /\.\.=/); for (n = r[1]; n <= r[2]; n++) print n }' | sort -n | tr '\n' ' '
}
# B's GRANDPA set id and authorities (SCALE, hex) at its best block, from its runtime API.
grandpa_b() { rpc "$RPC_B" state_call "\"GrandpaApi_$1\",\"0x\""; }
set_id_b() { python3 -c 'import sys; print(int.from_bytes(bytes.fromhex(sys.argv[1][2:]), "little"))' "$(grandpa_b current_set_id)"; }
# Sent amounts plus fees in the `tpw bridge transfer` outputs of file $1.
spent() { awk '/^sent / { total += $2 + $NF } END { printf "%.0f\n", total }' "$1"; }

step "two chains with different genesis hashes; init (twice), TPW listed on A, wrapped as asset 1000 on B (sudo)"
GA=$(rpc "$RPC_A" chain_getBlockHash 0) GB=$(rpc "$RPC_B" chain_getBlockHash 0)
[ "$GA" != "$GB" ] || fail "both chains have genesis $GA"
expect "$(rpc "$RPC_B" system_chain)" "tpwallet Bridge B"
out=$("$RELAYER" init --a "$A" --b "$B" --sudo //Alice)
expect "$out" "A: light client of B initialised at #"
expect "$out" "B: light client of A initialised at #"
expect "$out" "A: bridged chain set to B ($GB)"
expect "$out" "B: bridged chain set to A ($GA)"
out=$("$RELAYER" init --a "$A" --b "$B" --sudo //Alice)
expect "$out" "A: light client of B already initialised"
expect "$out" "B: bridged chain already A"
expect "$("$RELAYER" run --a "$A" --b "$GB" --signer //Charlie 2>&1 || true)" "connecting to"
expect "$("$RELAYER" dev --url "$A" --suri //Alice list-asset --asset native --max-per-window $((100 * TPW1)) --window 100)" "listed native"
expect "$("$RELAYER" dev --url "$B" --suri //Alice register-wrapped --remote native --local 1000 --min-balance 1 \
	--max-per-window $((100 * TPW1)) --window 100)" "registered asset 1000"
expect "$("$RELAYER" dev --url "$B" --suri //Bob list-asset --asset native --max-per-window 1 --window 1 2>&1 || true)" "dispatch failed"
status_a=$(tpw_a bridge status) status_b=$(tpw_b bridge status)
expect "$status_a" "bridged chain $GB"
expect "$status_a" "light client best finalized #"
expect "$status_a" "listed native locked 0"
expect "$status_b" "wrapped 1000 of remote native supply 0"
[ "$(lane a "$GB")" = "0 0" ] || fail "A's lane to B: $(lane a "$GB")"
invariant

step "B's GRANDPA set change started: sessions of 10 blocks (sudo), Alice's keys rotated (session.setKeys)"
[ "$(set_id_b)" = 0 ] || fail "B's GRANDPA set id is $(set_id_b) already"
# New keys in the keystore of B's node (an Aura then a GRANDPA key, 32 bytes each) and the proof
# that they are Alice's (her account's public key).
rotated=$(rpc "$RPC_B" author_rotateKeysWithOwner '"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"')
ROTATED_KEYS=$(jq -r .keys <<<"$rotated")
[[ "$ROTATED_KEYS" =~ ^0x[0-9a-f]{128}$ ]] || fail "author_rotateKeysWithOwner: $rotated"
# One extrinsic (one block to wait for): the session length through sudo, and Alice's new keys.
submit_js "$B" "api.tx.utility.batchAll([
	api.tx.sudo.sudo(api.tx.parameters.setParameter({ Validators: { SessionLength: [null, 10] } })),
	api.tx.session.setKeys('$ROTATED_KEYS', '$(jq -r .proof <<<"$rotated")'),
])" //Alice

# The same set change on C, whose light client on D is initialised now and then left alone.
out=$("$RELAYER" init --a "$URL_D" --b "$URL_C" --sudo //Alice)
expect "$out" "A: light client of B initialised at #[0-9]* (authority set 0)"
rotated_c=$(rpc "$RPC_C" author_rotateKeysWithOwner '"0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"')
submit_js "$URL_C" "api.tx.utility.batchAll([
	api.tx.sudo.sudo(api.tx.parameters.setParameter({ Validators: { SessionLength: [null, 10] } })),
	api.tx.session.setKeys('$(jq -r .keys <<<"$rotated_c")', '$(jq -r .proof <<<"$rotated_c")'),
])" //Alice

step "story 1: Alice sends 5 TPW A->B to Bob, Bob 2 back B->A to Dave (relayer running): exact balances"
start_relayer r1 //Charlie
alice=$(free a "$ALICE") dave=$(free a "$DAVE")
out=$(tpw_a --suri //Alice bridge transfer --amount $((5 * TPW1)) --to "$BOB")
expect "$out" "nonce 1 fee"
fee=$(awk '{ print $NF }' <<<"$out")
[ "$(free a "$ALICE")" = "$((alice - 5 * TPW1 - fee))" ] || fail "Alice paid other than 5 TPW + fee $fee"
[ "$(sfield a "listed native locked")" = "$((5 * TPW1))" ] || fail "A locks other than 5 TPW"
[ "$(sfield a "vault")" = "$((5 * TPW1))" ] || fail "A's vault holds other than 5 TPW"
invariant
wait_for "Bob's 5 wrapped TPW on B" '[ "$(wrapped "$BOB")" = "$((5 * TPW1))" ]'
invariant
out=$(tpw_b --suri //Bob bridge transfer --asset 1000 --amount $((2 * TPW1)) --to "$DAVE")
expect "$out" "nonce 1 fee"
[ "$(wrapped "$BOB")" = "$((3 * TPW1))" ] || fail "Bob's wrapped TPW after burning 2"
[ "$(sfield b "wrapped 1000 of remote native supply")" = "$((3 * TPW1))" ] || fail "B's wrapped supply"
invariant
wait_for "Dave's 2 TPW on A" '[ "$(free a "$DAVE")" = "$((dave + 2 * TPW1))" ]'
[ "$(sfield a "listed native locked")" = "$((3 * TPW1))" ] || fail "A locks other than 3 TPW"
[ "$(sfield a "vault")" = "$((3 * TPW1))" ] || fail "A's vault holds other than 3 TPW"
invariant
wait_for "receipts on both sides" '[ "$(lane a "$GB")" = "1 1" ] && [ "$(lane b "$GA")" = "1 1" ]'
log=$(cat "$WORK/r1.log")
expect "$log" "submitted header #[0-9]* of A to B"
expect "$log" "submitted header #[0-9]* of B to A"
expect "$log" "delivered A->B messages 1..=1"
expect "$log" "delivered B->A messages 1..=1"
expect "$log" "confirmed A->B messages 1..=1 on A"
expect "$log" "confirmed B->A messages 1..=1 on B"
stop_relayer "$RELAYER_PID"

step "story 2: a forged GRANDPA justification is rejected (BridgeGrandpa::InvalidJustification)"
best=$(light_client b)
out=$("$RELAYER" attack --src "$A" --dst "$B" --signer //Charlie forged-justification 2>&1 || true)
expect "$out" "rejected: .*BridgeGrandpa::InvalidJustification"
[ "$(light_client b)" = "$best" ] || fail "B's light client moved on a forged justification"

step "story 3: a forged storage proof is rejected (Bridge::InvalidStorageProof); nothing credited"
expect "$(tpw_a --suri //Alice bridge transfer --amount "$TPW1" --to "$BOB")" "nonce 2 fee"
out=$("$RELAYER" attack --src "$A" --dst "$B" --signer //Charlie forged-proof 2>&1 || true)
expect "$out" "rejected: .*Bridge::InvalidStorageProof"
[ "$(delivered b)" = 1 ] || fail "B delivered $(delivered b)"
[ "$(wrapped "$BOB")" = "$((3 * TPW1))" ] || fail "Bob credited on a forged proof"
invariant

step "story 4: a replayed delivery is rejected (Bridge::MessageAlreadyDelivered); credited once"
"$RELAYER" run --a "$A" --b "$B" --signer //Charlie --once >"$WORK/r4.log" 2>&1
out=$(cat "$WORK/r4.log")
expect "$out" "delivered A->B messages 2..=2"
[ "$(wrapped "$BOB")" = "$((4 * TPW1))" ] || fail "Bob's wrapped TPW after message 2"
out=$("$RELAYER" attack --src "$A" --dst "$B" --signer //Charlie replay 2>&1 || true)
expect "$out" "replaying message 2 with a proof of #[0-9]* that holds it"
expect "$out" "rejected: .*Bridge::MessageAlreadyDelivered"
[ "$(wrapped "$BOB")" = "$((4 * TPW1))" ] || fail "Bob credited twice"
invariant

step "story 5: A's message for another chain, delivered to B, is refused (Bridge::WrongDestination)"
C=0x$(python3 -c 'import os; print(os.urandom(32).hex())')
expect "$("$RELAYER" dev --url "$A" --suri //Alice open-lane --destination "$C")" "opened a lane"
expect "$("$RELAYER" dev --url "$A" --suri //Alice send-message --destination "$C" --remark "for chain C")" "sent a message"
[ "$(lane a "$C")" = "1 0" ] || fail "A's lane to C: $(lane a "$C")"
out=$("$RELAYER" attack --src "$A" --dst "$B" --signer //Charlie wrong-destination --destination "$C" 2>&1 || true)
expect "$out" "rejected: .*Bridge::WrongDestination"
[ "$(delivered b)" = 2 ] || fail "B delivered $(delivered b)"

step "story 6: the relayer is killed (SIGKILL) twice mid-flight and restarted: each transfer credited once"
bob=$(wrapped "$BOB") alice=$(free a "$ALICE")
start_relayer r6a //Charlie
(for n in 1 2 3; do tpw_a --suri //Alice bridge transfer --amount $((n * TPW1)) --to "$BOB"; done >"$WORK/sends6.out") &
senders=$!
wait_for "a header of A submitted" 'grep -q "submitted header #[0-9]* of A to B" "$WORK/r6a.log"'
stop_relayer "$RELAYER_PID" -KILL
start_relayer r6b //Charlie
wait_for "a delivery A->B" 'grep -q "delivered A->B messages" "$WORK/r6b.log" || [ "$(delivered b)" = 5 ]'
stop_relayer "$RELAYER_PID" -KILL
start_relayer r6c //Charlie
wait "$senders" || fail "a transfer failed: $(cat "$WORK/sends6.out")"
[ "$(grep -c '^sent ' "$WORK/sends6.out")" = 3 ] || fail "3 transfers expected: $(cat "$WORK/sends6.out")"
[ "$(free a "$ALICE")" = "$((alice - $(spent "$WORK/sends6.out")))" ] || fail "Alice paid other than 6 TPW + fees"
wait_for "Bob's 6 more wrapped TPW" '[ "$(wrapped "$BOB")" = "$((bob + 6 * TPW1))" ]'
wait_for "messages 3..=5 delivered and confirmed" '[ "$(delivered b)" = 5 ] && [ "$(lane a "$GB")" = "5 5" ]'
sleep 6
[ "$(wrapped "$BOB")" = "$((bob + 6 * TPW1))" ] || fail "Bob credited more than once"
[ "$(sfield b "wrapped 1000 of remote native supply")" = "$((10 * TPW1))" ] || fail "B's wrapped supply"
[ "$(sfield a "listed native locked")" = "$((10 * TPW1))" ] || fail "A's locked TPW"
invariant
stop_relayer "$RELAYER_PID"

step "story 7: two relayers at once (Charlie, Eve): each message delivered once, balances exact"
bob=$(wrapped "$BOB") dave=$(free a "$DAVE")
start_relayer r7c //Charlie
r7c=$RELAYER_PID
start_relayer r7e //Eve
r7e=$RELAYER_PID
expect "$(tpw_a --suri //Alice bridge transfer --amount "$TPW1" --to "$BOB")" "nonce 6 fee"
expect "$(tpw_a --suri //Alice bridge transfer --amount $((2 * TPW1)) --to "$BOB")" "nonce 7 fee"
expect "$(tpw_b --suri //Bob bridge transfer --asset 1000 --amount "$TPW1" --to "$DAVE")" "nonce 2 fee"
wait_for "Bob's wrapped TPW and Dave's TPW" \
	'[ "$(wrapped "$BOB")" = "$((bob + 2 * TPW1))" ] && [ "$(free a "$DAVE")" = "$((dave + TPW1))" ]'
wait_for "all delivered and confirmed" \
	'[ "$(lane a "$GB")" = "7 7" ] && [ "$(lane b "$GA")" = "2 2" ] && [ "$(delivered b)" = 7 ] && [ "$(delivered a)" = 2 ]'
stop_relayer "$r7c"
stop_relayer "$r7e"
[ "$(delivered_nonces A B "$WORK/r7c.log" "$WORK/r7e.log")" = "6 7 " ] ||
	fail "A->B deliveries: $(delivered_nonces A B "$WORK/r7c.log" "$WORK/r7e.log")"
[ "$(delivered_nonces B A "$WORK/r7c.log" "$WORK/r7e.log")" = "2 " ] ||
	fail "B->A deliveries: $(delivered_nonces B A "$WORK/r7c.log" "$WORK/r7e.log")"
[ "$(wrapped "$BOB")" = "$((bob + 2 * TPW1))" ] || fail "Bob's wrapped TPW"
[ "$(sfield b "wrapped 1000 of remote native supply")" = "$((12 * TPW1))" ] || fail "B's wrapped supply"
[ "$(sfield a "listed native locked")" = "$((12 * TPW1))" ] || fail "A's locked TPW"
invariant

step "story 8: chain B's GRANDPA authority set changes (Alice's keys rotated through session.setKeys): A's light client follows it, and a transfer B->A proven under the new set is credited"
wait_for "B's new GRANDPA authority set" '[ "$(set_id_b)" -gt 0 ]'
set_b=$(set_id_b)
# One authority, weight 1: Alice's rotated GRANDPA key.
[ "$(grandpa_b grandpa_authorities)" = "0x04${ROTATED_KEYS:66}0100000000000000" ] ||
	fail "B's GRANDPA authorities $(grandpa_b grandpa_authorities), not the rotated key ${ROTATED_KEYS:66}"
dave=$(free a "$DAVE") bob=$(wrapped "$BOB")
start_relayer r8 //Charlie
wait_for "A's light client of B in set $set_b" '[ "$(sfield a "light client best finalized")" = "$set_b" ]'
expect "$(tpw_b --suri //Bob bridge transfer --asset 1000 --amount "$TPW1" --to "$DAVE")" "nonce 3 fee"
wait_for "Dave's 1 TPW on A" '[ "$(free a "$DAVE")" = "$((dave + TPW1))" ]'
[ "$(delivered a)" = 3 ] || fail "A delivered $(delivered a)"
stop_relayer "$RELAYER_PID"
# The header that enacts the new set (the block B's node logs as scheduling it) was imported by
# A's light client, relayed by whichever relayer ran then (its log line may be lost: story 6 kills
# relayers mid-flight); the light client takes later headers only after it.
enacting=$(grep -o "Applying authority set change scheduled at block #[0-9]*" "$WORK/node-b.log" | grep -o "[0-9]*$") ||
	fail "B's node logged no authority set change"
for number in $enacting; do
	hash=$(rpc "$RPC_B" chain_getBlockHash "$number")
	[ "$(query_js "$A" "api.query.bridgeGrandpa.importedHeaders('$hash')")" != null ] ||
		fail "B's header #$number ($hash), which enacts a new set, not imported by A's light client"
done
[ "$(delivered_nonces B A "$WORK/r8.log")" = "3 " ] || fail "B->A deliveries: $(delivered_nonces B A "$WORK/r8.log")"
[ "$(free a "$DAVE")" = "$((dave + TPW1))" ] || fail "Dave credited more than once"
[ "$(wrapped "$BOB")" = "$((bob - TPW1))" ] || fail "Bob's wrapped TPW"
[ "$(sfield a "light client best finalized")" = "$set_b" ] || fail "A's light client left set $set_b"
[ "$(sfield b "wrapped 1000 of remote native supply")" = "$((11 * TPW1))" ] || fail "B's wrapped supply"
[ "$(sfield a "listed native locked")" = "$((11 * TPW1))" ] || fail "A's locked TPW"
invariant

step "story 9: C's node has pruned the state around its set change (it keeps 4 blocks): the relayer finds the enacting header from headers alone, and D's light client follows"
# C's GRANDPA set id, at block $1 (a hash) or its best block; empty once that block's state is pruned.
set_id_c() {
	local at=${1:+,\"$1\"}
	python3 -c 'import sys; print(int.from_bytes(bytes.fromhex(sys.argv[1][2:]), "little") if sys.argv[1].startswith("0x") else "")' \
		"$(rpc "$RPC_C" state_call "\"GrandpaApi_current_set_id\",\"0x\"$at")"
}
d_knows_set() { "$TPW" --url "$URL_D" bridge status | awk '/^light client best finalized/ { print $NF }'; }
wait_for "C's new GRANDPA authority set" '[ "$(set_id_c)" -gt 0 ]'
enacting=$(grep -o "Applying authority set change scheduled at block #[0-9]*" "$WORK/node-c.log" | grep -o "[0-9]*$")
enacting_hash=$(rpc "$RPC_C" chain_getBlockHash "$enacting")
# The state of the enacting block is gone: its set id cannot be read any more.
wait_for "C's state at #$enacting pruned" '[ -z "$(set_id_c "$enacting_hash")" ]'
[ "$(d_knows_set)" = 0 ] || fail "D's light client moved early"
"$RELAYER" run --a "$URL_D" --b "$URL_C" --signer //Charlie >"$WORK/r9.log" 2>&1 &
r9=$!
pids+=("$r9")
wait_for "D's light client of C in set $(set_id_c)" '[ "$(d_knows_set)" = "$(set_id_c)" ]'
stop_relayer "$r9"
grep -q "submitted header #$enacting of B to A" "$WORK/r9.log" || fail "C's header #$enacting not relayed to D"

step "all passed"
