#!/usr/bin/env bash
# README command 2: runs every test.
#   1. builds the node (installing what is missing),
#   2. Rust tests (runtime integration tests, pallet tests) in the same release profile, and each
#      pallet's benchmarks run as tests,
#   3. checks the committed chain specs against the generator,
#   4. side by side: end-to-end tests through polkadot.js against real nodes (dev nodes, a
#      5-node network governed by its council, validator faults, the load generator's smoke run;
#      two test files at a time), the runtime fuzzer's smoke run (scripts/fuzz.sh), the channel
#      client's, the cross-chain swaps', the bridge's, the ledger's and the ISO 20022 gateway's
#      scripts (client/e2e.sh, swap-e2e.sh, relayer/e2e.sh, ledger/e2e.sh, gateway/e2e.sh), the
#      TypeScript SDK's suite (sdk/) and the zombienet 3-validator network test.
# Ends with one summary line: "tests: N passed, M failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
start=$SECONDS
logs="$REPO_ROOT/tests/.tmp/logs"
rm -rf "$REPO_ROOT/tests/.tmp"
mkdir -p "$logs"

passed=0
failed=0
summary() { log "tests: $passed passed, $failed failed ($((SECONDS - start)) s)"; echo "tests: $passed passed, $failed failed"; }
trap 'summary' EXIT
# A stage's heading, with the time since the start (where CI's minutes go).
stage() { log "$* (at $((SECONDS - start)) s)"; }

bash scripts/build.sh

stage "cargo tests (release profile, shared with the node build)"
set +e
cargo test --locked --release --manifest-path "$CARGO_MANIFEST" --workspace 2>&1 | tee "$logs/cargo-test.log"
cargo_status=${PIPESTATUS[0]}
set -e
read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$logs/cargo-test.log")
passed=$((passed + p)); failed=$((failed + f))
[ "$cargo_status" -eq 0 ] || { [ "$f" -gt 0 ] || failed=$((failed + 1)); exit 1; }

# With `try-runtime` too, so that the migrations' pre/post checks and the `try_state` hooks
# compile in CI (scripts/try-runtime.sh runs them against a snapshot).
stage "benchmark tests of tpwallet's pallets (each benchmark runs once on the pallet's mock; built with try-runtime)"
for manifest in pallets/*/Cargo.toml; do
	pallet="$(basename "$(dirname "$manifest")")"
	set +e
	cargo test --locked --release --manifest-path "$BUILD_ROOT/$manifest" --features runtime-benchmarks,try-runtime \
		benchmarking 2>&1 | tee "$logs/bench-test-$pallet.log"
	bench_status=${PIPESTATUS[0]}
	set -e
	read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$logs/bench-test-$pallet.log")
	passed=$((passed + p)); failed=$((failed + f))
	[ "$bench_status" -eq 0 ] || { [ "$f" -gt 0 ] || failed=$((failed + 1)); exit 1; }
done

stage "runtime fuzzer build (tools/: the runtime natively, with try-runtime)"
SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path "$BUILD_ROOT/tools/Cargo.toml" \
	-p tpwallet-runtime-fuzzer
SKIP_WASM_BUILD=1 cargo test --no-run --locked --release --manifest-path "$BUILD_ROOT/tools/Cargo.toml" \
	-p tpwallet-runtime-fuzzer

stage "chain specs"
if bash scripts/gen-chain-specs.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); exit 1; fi

# Everything end to end runs side by side: each suite starts its own nodes on free ports and
# mostly waits for blocks; the runtime fuzzer's smoke run (the committed corpus, then inputs
# from a fixed seed) takes the idle CPU.
stage "end-to-end, side by side: polkadot.js tests (tests/), runtime fuzzer smoke, channel client, cross-chain swaps, bridge and relayer, zombienet"
command -v node >/dev/null || { log "Node.js is required for the end-to-end tests"; failed=$((failed + 1)); exit 1; }
(cd tests && npm ci --no-audit --no-fund --silent)
# The suites' TypeScript, checked before they run (tsx runs them without checking types).
if (cd tests && npm run --silent typecheck); then passed=$((passed + 1)); else failed=$((failed + 1)); exit 1; fi
(cd zombienet && { [ -x node_modules/.bin/zombienet ] || npm ci --no-audit --no-fund --silent; })
# Beside the end-to-end suites a block can be slow in all three timed runs: reported, not failed.
FUZZ_TIMING=warn bash scripts/fuzz.sh "${FUZZ_SECONDS:-180}" >"$logs/fuzz.log" 2>&1 &
fuzz_pid=$!
bash client/e2e.sh >"$logs/client-e2e.log" 2>&1 &
client_pid=$!
bash client/swap-e2e.sh >"$logs/swap-e2e.log" 2>&1 &
swap_pid=$!
bash relayer/e2e.sh >"$logs/bridge-e2e.log" 2>&1 &
bridge_pid=$!
# PostgreSQL for the ledger's and the gateway's scripts, started once here: each script stops it
# at its end only if it started it, which must not be while the other still runs.
pg_started=0
bash scripts/postgres.sh status >/dev/null 2>&1 || pg_started=1
bash scripts/postgres.sh start >/dev/null
bash ledger/e2e.sh >"$logs/ledger-e2e.log" 2>&1 &
ledger_pid=$!
bash gateway/e2e.sh >"$logs/gateway-e2e.log" 2>&1 &
gateway_pid=$!
bash scripts/zombienet.sh test >"$logs/zombienet.log" 2>&1 &
zombienet_pid=$!
# The TypeScript SDK (sdk/): typechecked, built as it is published (`pretest`), and its suite run against
# a dev node of its own.
(cd sdk && npm ci --no-audit --no-fund --silent && npm run --silent typecheck && npm test) \
	>"$logs/sdk.log" 2>&1 &
sdk_pid=$!
set +e
(cd tests && npm test 2>&1) | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e
any_failed=0
p=$(awk '/^ℹ pass / { print $3 }' "$logs/e2e.log" | tail -1)
f=$(awk '/^ℹ fail / { print $3 }' "$logs/e2e.log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$e2e_status" -eq 0 ] || { [ "${f:-0}" -gt 0 ] || failed=$((failed + 1)); any_failed=1; }

stage "SDK: typecheck, build and its suite against a dev node (full output: tests/.tmp/logs/sdk.log)"
sdk_status=0
wait "$sdk_pid" || sdk_status=$?
grep -E '^(✔|✖) |^ℹ (pass|fail) ' "$logs/sdk.log" || true
p=$(awk '/^ℹ pass / { print $3 }' "$logs/sdk.log" | tail -1)
f=$(awk '/^ℹ fail / { print $3 }' "$logs/sdk.log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$sdk_status" -eq 0 ] || { [ "${f:-0}" -gt 0 ] || failed=$((failed + 1)); tail -40 "$logs/sdk.log"; any_failed=1; }

stage "runtime fuzzer smoke (full output: tests/.tmp/logs/fuzz.log)"
fuzz_status=0
wait "$fuzz_pid" || fuzz_status=$?
tail -3 "$logs/fuzz.log"
# The fuzzer's own tests, then the run itself as one test.
read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { print p + 0, f + 0 }' "$logs/fuzz.log")
passed=$((passed + p)); failed=$((failed + f))
if [ "$fuzz_status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); any_failed=1; fi

# collect <pid> <log> <tag>: each story a script completes (a "[tag]" line) is a test; a
# failure fails the story it stopped in.
collect() {
	local status=0 p
	wait "$1" || status=$?
	p=$(grep -c "\[$3\]" "$2" || true)
	passed=$((passed + (p > 0 ? p - 1 : 0)))
	if [ "$status" -ne 0 ]; then
		failed=$((failed + 1)); any_failed=1
		log "$3 failed; the end of $2:"; tail -30 "$2"
	else
		log "$3: $((p - 1)) stories passed"
	fi
}
stage "end-to-end scripts: channel client (client/e2e.sh), cross-chain swaps (client/swap-e2e.sh), bridge (relayer/e2e.sh), ledger with PostgreSQL (ledger/e2e.sh), ISO 20022 gateway (gateway/e2e.sh)"
collect "$client_pid" "$logs/client-e2e.log" e2e
collect "$swap_pid" "$logs/swap-e2e.log" swap-e2e
collect "$bridge_pid" "$logs/bridge-e2e.log" bridge-e2e
collect "$ledger_pid" "$logs/ledger-e2e.log" ledger-e2e
collect "$gateway_pid" "$logs/gateway-e2e.log" gateway-e2e
[ "$pg_started" = 0 ] || bash scripts/postgres.sh stop >/dev/null 2>&1 || true

stage "zombienet: 3-validator network (full output: tests/.tmp/logs/zombienet.log)"
zn_status=0
wait "$zombienet_pid" || zn_status=$?
sed 's/\x1b\[[0-9;]*m//g' "$logs/zombienet.log" | grep -oE '(✅|❌) .*\)' || true
p=$(grep -c '✅' "$logs/zombienet.log" || true)
f=$(grep -c '❌' "$logs/zombienet.log" || true)
passed=$((passed + p)); failed=$((failed + f))
[ "$zn_status" -eq 0 ] || { [ "$f" -gt 0 ] || failed=$((failed + 1)); tail -40 "$logs/zombienet.log"; any_failed=1; }
[ "$any_failed" -eq 0 ] || exit 1
