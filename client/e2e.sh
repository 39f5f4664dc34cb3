#!/usr/bin/env bash
# End to end on a fresh `--dev` node, through the `tpw` binary only: open, pay, top up, a
# two-hop payment with a forwarding fee (3 parties), a stale close defeated by a third-party
# watchtower, cooperative closes (one after 1,000 off-chain payments), a unilateral close
# settled after its challenge period, requests to a running listener through its control
# socket, payment links paid over a channel and on chain, and a remote watchtower defeating a
# stale close while the victim is offline. Prints one "[e2e]" line per story, "all passed" at the end.
# Usage: bash client/e2e.sh (NODE_BIN and TPW_BIN default to the release builds). Background
# processes are started directly (not through a shell function), so `$!` is theirs to stop.
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
step() { printf '\033[1m[e2e]\033[0m %s\n' "$*"; }

RPC=$(port) P2P=$(port) BOB_PORT=$(port) CHARLIE_PORT=$(port) TOWER_PORT=$(port)
"$NODE_BIN" --dev --tmp --no-mdns --rpc-port "$RPC" --port "$P2P" --no-prometheus >"$WORK/node.log" 2>&1 &
pids+=($!)
cd "$WORK"
TPW_RPC=("$TPW" --url "ws://127.0.0.1:$RPC")
tpw() { "${TPW_RPC[@]}" "$@"; }
# Up to four minutes: in CI, start-up compiles the runtime beside every other end-to-end suite.
for _ in $(seq 240); do tpw channel --channel 999 >/dev/null 2>&1 && break; sleep 1; done

BOB=$(tpw --suri //Bob account)
CHARLIE=$(tpw --suri //Charlie account)
ALICE=$(tpw --suri //Alice account)

step "a short challenge period (sudo), channel 0 Alice -> Bob"
tpw --suri //Alice dev-challenge-period --blocks 6 >/dev/null
out=$(tpw --suri //Alice --store alice open --to "$BOB" --deposit 1000000000000 --peer-addr "127.0.0.1:$BOB_PORT")
expect "$out" "opened channel 0"

step "Bob (fee 10) and Charlie listen"
# Bob hands every superseded state to a remote watchtower, Ferdie's (started in the last story;
# until then the sealed states wait in the outbox of Bob's store).
FERDIE=5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL
"${TPW_RPC[@]}" --suri //Bob --store bob --tower "$FERDIE@127.0.0.1:$TOWER_PORT" listen --addr "127.0.0.1:$BOB_PORT" --fee-base 10 --idle-secs 3 >bob.log 2>&1 &
BOB_PID=$!
pids+=($BOB_PID)
"${TPW_RPC[@]}" --suri //Charlie --store charlie listen --addr "127.0.0.1:$CHARLIE_PORT" --idle-secs 3 >charlie.log 2>&1 &
pids+=($!)
sleep 1

step "three payments; keep Alice's store as it is now (a stale backup); two more updates"
for _ in 1 2 3; do out=$(tpw --suri //Alice --store alice pay --channel 0 --amount 1000); done
expect "$out" "paid: state 3 balances (A 999999997000, B 3000)"
cp -r alice alice-old
rm -f alice-old/*.lock
tpw --suri //Alice --store alice pay --channel 0 --amount 5000 >/dev/null
out=$(tpw --suri //Alice --store alice top-up --channel 0 --amount 7000)
expect "$out" "co-signed: state 5 balances (A 999999999000, B 8000)"

step "channel 1 Bob -> Charlie, opened through Bob's running listener (its control socket); Alice pays Charlie 2500 over Bob"
out=$(tpw --suri //Bob --store bob open --to "$CHARLIE" --deposit 500000000000 --peer-addr "127.0.0.1:$CHARLIE_PORT" 2>&1)
expect "$out" "opened channel 1"
expect "$out" "carried out by the tpw listen running on bob"
expect "$(cat bob.log)" "finalized: block"
out=$(tpw --suri //Bob --store bob listen --addr 127.0.0.1:0 2>&1 || true)
expect "$out" "another tpw listen serves this store"
# No graph is written by hand: Alice learns channel 1 (announced by Bob and Charlie when Bob
# opened it, checked on chain, Bob's terms signed by Bob) from Bob, over channel 0.
hash=$(tpw --store charlie invoice --amount 2500)
out=$(tpw --suri //Alice --store alice pay-route --to "$CHARLIE" --amount 2500 --hash "$hash")
expect "$out" "fee: 10"
graph=$(tpw --suri //Alice --store alice graph)
expect "$graph" '"fee_base": 10'
expect "$graph" '"capacity": 500000000000'
expect "$out" "paid; proof of payment"
sleep 1
expect "$(tpw --store charlie channel --channel 1)" "B 2500), pending (0, 0)"
expect "$(tpw --store bob channel --channel 0)" "state 7 balances (A 999999996490, B 10510)"

step "Dave watches Bob's store; Alice closes with her stale state 3"
"${TPW_RPC[@]}" --suri //Dave --store bob watch --channel 0 --settle --poll-ms 500 >watch.log 2>&1 &
pids+=($!)
sleep 1
out=$(tpw --suri //Alice --store alice-old close --channel 0)
expect "$out" "closing on state Some(3)"
for _ in $(seq 40); do grep -q "settle: included" watch.log && break; sleep 1; done
expect "$(cat watch.log)" "challenge with state 7: included"
expect "$(cat watch.log)" "settle: included"
expect "$(tpw channel --channel 0)" "no channel 0"

step "cooperative close of channel 1 through Bob's listener, its forwarding session still running"
out=$(tpw --store bob cooperative-close --channel 1 2>&1)
expect "$out" "carried out by the tpw listen running on bob"
expect "$out" "settled: A gets 499999997500, B gets 2500"

step "channel 2 Eve -> Charlie: 1,000 off-chain payments, then a cooperative close"
expect "$(tpw --suri //Eve --store eve open --to "$CHARLIE" --deposit 1000000000000 --peer-addr "127.0.0.1:$CHARLIE_PORT")" "opened channel 2"
out=$(tpw --suri //Eve --store eve pay --channel 2 --amount 7 --count 1000)
expect "$out" "paid: state 1000 balances (A 999999993000, B 7000)"
sleep 4 # the session goes idle and frees the channel
out=$(tpw --suri //Eve --store eve cooperative-close --channel 2)
expect "$out" "settled: A gets 999999993000, B gets 7000"
expect "$(tpw channel --channel 2)" "no channel 2"

step "channel 3 Dave -> Charlie: pay, close, settle only after the challenge period"
expect "$(tpw --suri //Dave --store dave open --to "$CHARLIE" --deposit 3000000000000 --peer-addr "127.0.0.1:$CHARLIE_PORT")" "opened channel 3"
tpw --suri //Dave --store dave pay --channel 3 --amount 123 >/dev/null
expect "$(tpw --suri //Dave --store dave close --channel 3)" "closing on state Some(1)"
out=$(tpw --suri //Dave --store dave settle --channel 3 2>&1 || true)
expect "$out" "PaymentChannels::ChallengePeriodNotOver"
for _ in $(seq 40); do
	out=$(tpw --suri //Charlie --store charlie settle --channel 3 2>&1 || true)
	grep -q "settled" <<<"$out" && break
	sleep 2
done
expect "$out" "settled: A gets 2999999999877, B gets 123"

step "payment links: Charlie's invoice paid by Eve over a channel, an on-chain request, altered and expired links refused"
expect "$(tpw --suri //Eve --store eve open --to "$CHARLIE" --deposit 1000000000000 --peer-addr "127.0.0.1:$CHARLIE_PORT")" "opened channel 4"
link=$(tpw --suri //Charlie --store charlie link create --amount 4000 --memo "Order 42" --channel)
expect "$link" "tpwallet:$CHARLIE?v=1&"
expect "$(tpw link show "$link")" '"method": "channel"'
out=$(tpw --suri //Eve --store eve link pay "$link")
expect "$out" "paid; proof of payment"
sleep 1
expect "$(tpw --store charlie channel --channel 4)" "B 4000), pending (0, 0)"
link=$(tpw --suri //Charlie link create --amount 1000000000000 --memo "Order 43")
before=$(tpw balance --account "$CHARLIE")
expect "$(tpw --suri //Eve link pay "$link")" "paid in block"
after=$(tpw balance --account "$CHARLIE")
[ "$(python3 -c "import re,sys; f=lambda s: int(re.search(r'free (\d+)', s).group(1)); print(f(sys.argv[2]) - f(sys.argv[1]))" "$before" "$after")" = 1000000000000 ] || { echo "FAIL: $before -> $after"; exit 1; }
out=$(tpw --suri //Eve link pay "${link/amount=1000000000000/amount=9000000000000}" 2>&1 || true)
expect "$out" "refused: BadSignature"
out=$(tpw link show "${link/tpwallet:$CHARLIE/tpwallet:$BOB}" 2>&1 || true)
expect "$out" "refused: BadSignature"
short=$(tpw --suri //Charlie link create --amount 5 --expires-in 1)
sleep 2
out=$(tpw --suri //Eve link pay "$short" 2>&1 || true)
expect "$out" "refused: Expired"

step "a remote watchtower (its own process, key and store) defeats Eve's stale close of channel 5 while Bob is offline"
expect "$(tpw --suri //Eve --store eve open --to "$BOB" --deposit 1000000000000 --peer-addr "127.0.0.1:$BOB_PORT")" "opened channel 5"
tpw --suri //Eve --store eve pay --channel 5 --amount 100 >/dev/null
cp -r eve eve-old
rm -f eve-old/*.lock
expect "$(tpw --suri //Eve --store eve pay --channel 5 --amount 100 --count 2)" "paid: state 3 balances (A 999999999700, B 300)"
"${TPW_RPC[@]}" --suri //Ferdie --store tower tower --addr "127.0.0.1:$TOWER_PORT" --allow "$BOB" --poll-ms 500 >tower.log 2>&1 &
pids+=($!)
for _ in $(seq 30); do grep -q "kept .* blobs from" tower.log && break; sleep 1; done
expect "$(cat tower.log)" "kept"
# A restarted tower holds what it kept.
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
"${TPW_RPC[@]}" --suri //Ferdie --store tower tower --addr "127.0.0.1:$TOWER_PORT" --allow "$BOB" --poll-ms 500 >tower.log 2>&1 &
pids+=($!)
for _ in $(seq 20); do grep -q "blobs held" tower.log && break; sleep 0.5; done
grep -Eq "as $FERDIE, [1-9][0-9]* blobs held" tower.log || { echo "FAIL: the restarted tower holds nothing"; cat tower.log; exit 1; }
kill "$BOB_PID"
out=$(tpw --suri //Eve --store eve-old close --channel 5)
expect "$out" "closing on state Some(1)"
for _ in $(seq 40); do grep -q "challenge included" tower.log && break; sleep 1; done
expect "$(cat tower.log)" "channel 5: closing on state 1; challenge with state 3"
expect "$(tpw channel --channel 5)" "on state Some(3)"
# The tower never had Bob's store or keys: what it held was sealed.
[ ! -e tower/channel-5.scale ] || { echo "FAIL: the tower has a channel record"; exit 1; }

step "all passed"
