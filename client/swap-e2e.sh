#!/usr/bin/env bash
# Cross-chain atomic swaps end to end, through the `tpw` binary only, between two dev chains:
# chain A (`--dev`) and chain B (the dev chain spec with another id and name, and one genesis
# balance changed so that its genesis hash differs too: with an identical genesis, a transaction
# signed for one chain would be valid on the other, and the two nodes could sync with each
# other). Stories: a swap that completes (Alice initiates on A, Bob participates on B, Alice's
# secret claims on B, Bob claims on A with the secret read from B's events); participations
# refused (time locks in the wrong order, wrong hash, unknown swap); a swap where Alice never
# reveals and both refund after expiry (a refund before expiry fails). Claims and refunds are
# submitted by Charlie (anyone may), so that Alice's and Bob's balances change by exactly the
# amounts swapped. Prints one "[swap-e2e]" line per story, "all passed" at the end.
# Usage: bash client/swap-e2e.sh (NODE_BIN and TPW_BIN default to the release builds).
set -euo pipefail

NODE_BIN=${NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release/tpwallet-node}
TPW=${TPW_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}/release/tpw}
WORK=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
expect() { grep -q -- "$2" <<<"$1" || { echo "FAIL: expected '$2' in:"; echo "$1"; exit 1; }; }
step() { printf '\033[1m[swap-e2e]\033[0m %s\n' "$*"; }
rpc() { curl -s -H 'Content-Type: application/json' -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[${3:-}]}" "http://127.0.0.1:$1" | jq -r .result; }

RPC_A=$(port) P2P_A=$(port) RPC_B=$(port) P2P_B=$(port)
# (Python, not jq: balances exceed a double's precision.)
"$NODE_BIN" build-spec --chain dev 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["id"], spec["name"] = "tpwallet_swap_b", "tpwallet Swap B"
spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"][-1][1] += 1
json.dump(spec, sys.stdout)' >"$WORK/chain-b.json"
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC_A" --port "$P2P_A" --no-prometheus >"$WORK/node-a.log" 2>&1 &
pids+=($!)
"$NODE_BIN" --dev --chain "$WORK/chain-b.json" --tmp --no-mdns --rpc-port "$RPC_B" --port "$P2P_B" \
	--no-prometheus >"$WORK/node-b.log" 2>&1 &
pids+=($!)
cd "$WORK"
A="ws://127.0.0.1:$RPC_A" B="ws://127.0.0.1:$RPC_B"
tpw_a() { "$TPW" --url "$A" "$@"; }
tpw_b() { "$TPW" --url "$B" "$@"; }
# Up to four minutes: in CI, start-up compiles the runtime beside every other end-to-end suite.
for _ in $(seq 240); do
	tpw_a swap status --swap 0 >/dev/null 2>&1 && tpw_b swap status --swap 0 >/dev/null 2>&1 && break
	sleep 1
done
# `balance` prints "free F reserved R" (holds count as reserved).
free() { tpw_"$1" balance --account "$2" | awk '{print $2}'; }
reserved() { tpw_"$1" balance --account "$2" | awk '{print $4}'; }
field() { awk -v k="$1" '$0 ~ "^"k" " { print $NF }' <<<"$2"; }
ALICE=$(tpw_a --suri //Alice account) BOB=$(tpw_a --suri //Bob account)

step "two chains: different names and genesis hashes; short minimum time locks (sudo)"
ga=$(rpc "$RPC_A" chain_getBlockHash 0) gb=$(rpc "$RPC_B" chain_getBlockHash 0)
[ "$ga" != "$gb" ] || { echo "FAIL: both chains have genesis $ga"; exit 1; }
expect "$(rpc "$RPC_A" system_chain)" "Development"
expect "$(rpc "$RPC_B" system_chain)" "tpwallet Swap B"
expect "$(tpw_a --suri //Alice dev-htlc-min-lock --blocks 5)" "set to 5 blocks"
expect "$(tpw_b --suri //Alice dev-htlc-min-lock --blocks 5)" "set to 5 blocks"
out=$(tpw_a --suri //Alice --store alice swap initiate --to "$BOB" --amount 5000000000000 --blocks 4 2>&1 || true)
expect "$out" "Htlc::DurationTooShort"

step "Alice initiates on A (5 TPW for Bob, 40 blocks); Bob's participations refused"
alice_res_a=$(reserved a "$ALICE") bob_free_a=$(free a "$BOB")
out=$(tpw_a --suri //Alice --store alice swap initiate --to "$BOB" --amount 5000000000000 --blocks 40)
SA=$(field swap "$out") HASH=$(field "hash lock" "$out") DEPOSIT_SA=$(field "storage deposit" "$out")
expect "$out" "expires at block"
# The 5 TPW, and the swap's storage deposit (returned when it closes).
[ "$DEPOSIT_SA" -gt 0 ] || { echo "FAIL: a swap without a storage deposit"; exit 1; }
[ "$(reserved a "$ALICE")" = "$((alice_res_a + 5000000000000 + DEPOSIT_SA))" ] || { echo "FAIL: Alice's hold on A"; exit 1; }
expect "$(tpw_a --store alice swap status --swap "$SA")" "secret: in alice"
participate() {
	tpw_b --suri //Bob --store bob swap participate --to "$ALICE" --amount 7000000000000 \
		--counter-url "$A" --counter-amount 5000000000000 "$@" 2>&1 || true
}
expect "$(participate --hash "$HASH" --counter-swap "$SA" --blocks 40)" "time locks in the wrong order"
expect "$(participate --hash "$HASH" --counter-swap "$SA" --blocks 20 --margin 25)" "time locks in the wrong order"
expect "$(participate --hash "0x$(printf '%064d' 0)" --counter-swap "$SA" --blocks 20)" "wrong hash"
expect "$(participate --hash "$HASH" --counter-swap 99 --blocks 20)" "unknown swap 99"
expect "$(tpw_b swap status --swap 0)" "no open swap 0"

step "Bob participates on B (7 TPW for Alice, 20 blocks, margin 10); Alice's secret claims on B"
bob_res_b=$(reserved b "$BOB") alice_free_b=$(free b "$ALICE")
out=$(participate --hash "$HASH" --counter-swap "$SA" --blocks 20)
SB=$(field swap "$out")
expect "$out" "hash lock $HASH"
[ "$(reserved b "$BOB")" = "$((bob_res_b + 7000000000000 + $(field "storage deposit" "$out")))" ] ||
	{ echo "FAIL: Bob's hold on B"; exit 1; }
expect "$(tpw_b swap claim --swap "$SB" --secret 0x00 --suri //Charlie 2>&1 || true)" "wrong secret"
expect "$(tpw_b --suri //Charlie --store alice swap claim --swap "$SB")" "claimed swap $SB: 7000000000000 to $ALICE"
[ "$(free b "$ALICE")" = "$((alice_free_b + 7000000000000))" ] || { echo "FAIL: Alice's payment on B"; exit 1; }
[ "$(reserved b "$BOB")" = "$bob_res_b" ] || { echo "FAIL: Bob's hold on B after the claim"; exit 1; }

step "Bob claims on A with the secret revealed on B"
expect "$(tpw_a --suri //Charlie --store bob swap claim --swap "$SA" 2>&1 || true)" "no secret for swap $SA"
out=$(tpw_a --suri //Charlie --store bob swap claim --swap "$SA" --from-url "$B" --from-swap "$SB")
expect "$out" "secret revealed on $B"
expect "$out" "claimed swap $SA: 5000000000000 to $BOB"
[ "$(free a "$BOB")" = "$((bob_free_a + 5000000000000))" ] || { echo "FAIL: Bob's payment on A"; exit 1; }
[ "$(reserved a "$ALICE")" = "$alice_res_a" ] || { echo "FAIL: Alice's hold on A after the claim"; exit 1; }
expect "$(tpw_a swap status --swap "$SA")" "no open swap $SA"

step "Alice never reveals: Bob's refund before expiry fails, then both refund exactly"
out=$(tpw_a --suri //Alice --store alice swap initiate --to "$BOB" --amount 3000000000000 --blocks 16)
SA2=$(field swap "$out") HASH2=$(field "hash lock" "$out") DEPOSIT_SA2=$(field "storage deposit" "$out")
alice_free_a=$(free a "$ALICE")
out=$(tpw_b --suri //Bob --store bob swap participate --to "$ALICE" --amount 4000000000000 --hash "$HASH2" \
	--blocks 6 --margin 3 --counter-url "$A" --counter-swap "$SA2" --counter-amount 3000000000000)
SB2=$(field swap "$out") DEPOSIT_SB2=$(field "storage deposit" "$out")
bob_free_b=$(free b "$BOB")
expect "$(tpw_b --suri //Charlie swap refund --swap "$SB2" 2>&1 || true)" "Htlc::SwapNotExpired"
expect "$(tpw_b --suri //Charlie swap refund --swap 99 2>&1 || true)" "unknown swap 99"
for _ in $(seq 60); do grep -q expired <<<"$(tpw_b swap status --swap "$SB2")" && break; sleep 1; done
expect "$(tpw_b --suri //Charlie swap refund --swap "$SB2")" "refunded swap $SB2: 4000000000000 to $BOB"
[ "$(free b "$BOB")" = "$((bob_free_b + 4000000000000 + DEPOSIT_SB2))" ] || { echo "FAIL: Bob's refund on B"; exit 1; }
[ "$(reserved b "$BOB")" = "$bob_res_b" ] || { echo "FAIL: Bob's hold on B after the refund"; exit 1; }
expect "$(tpw_a --suri //Charlie swap refund --swap "$SA2" 2>&1 || true)" "Htlc::SwapNotExpired"
for _ in $(seq 60); do grep -q expired <<<"$(tpw_a swap status --swap "$SA2")" && break; sleep 1; done
expect "$(tpw_a --suri //Charlie swap refund --swap "$SA2")" "refunded swap $SA2: 3000000000000 to $ALICE"
[ "$(free a "$ALICE")" = "$((alice_free_a + 3000000000000 + DEPOSIT_SA2))" ] || { echo "FAIL: Alice's refund on A"; exit 1; }
[ "$(reserved a "$ALICE")" = "$alice_res_a" ] || { echo "FAIL: Alice's hold on A after the refund"; exit 1; }

step "all passed"
