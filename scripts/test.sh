#!/usr/bin/env bash
# README command 2: runs every test.
#   1. builds the node (installing what is missing),
#   2. Rust tests (runtime integration tests, pallet tests) in the same release profile, and each
#      pallet's benchmarks run as tests,
#   3. checks the committed chain specs against the generator,
#   4. end-to-end tests through polkadot.js against real nodes (dev nodes, a 5-node network
#      governed by its council; two test files at a time),
#      and the channel client's, the cross-chain swaps' and the bridge's scripts (client/e2e.sh,
#      swap-e2e.sh, relayer/e2e.sh),
#   5. the zombienet 3-validator network test.
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

stage "chain specs"
if bash scripts/gen-chain-specs.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); exit 1; fi

stage "end-to-end tests (tests/)"
command -v node >/dev/null || { log "Node.js is required for the end-to-end tests"; failed=$((failed + 1)); exit 1; }
(cd tests && npm ci --no-audit --no-fund --silent)
set +e
(cd tests && npm test 2>&1) | tee "$logs/e2e.log"
e2e_status=${PIPESTATUS[0]}
set -e
p=$(awk '/^ℹ pass / { print $3 }' "$logs/e2e.log" | tail -1)
f=$(awk '/^ℹ fail / { print $3 }' "$logs/e2e.log" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$e2e_status" -eq 0 ] || { [ "${f:-0}" -gt 0 ] || failed=$((failed + 1)); exit 1; }

stage "end-to-end tests of the channel client (client/e2e.sh)"
set +e
bash client/e2e.sh 2>&1 | tee "$logs/client-e2e.log"
client_status=${PIPESTATUS[0]}
set -e
# Each story is a test: the ones completed pass; a failure fails the story it stopped in.
p=$(grep -c '\[e2e\]' "$logs/client-e2e.log" || true)
p=$((p - 1))
passed=$((passed + p))
[ "$client_status" -eq 0 ] || { failed=$((failed + 1)); exit 1; }

stage "end-to-end tests of cross-chain swaps between two dev chains (client/swap-e2e.sh)"
set +e
bash client/swap-e2e.sh 2>&1 | tee "$logs/swap-e2e.log"
swap_status=${PIPESTATUS[0]}
set -e
# Same counting: each story completed passes; a failure fails the story it stopped in.
p=$(grep -c '\[swap-e2e\]' "$logs/swap-e2e.log" || true)
p=$((p - 1))
passed=$((passed + p))
[ "$swap_status" -eq 0 ] || { failed=$((failed + 1)); exit 1; }

stage "end-to-end tests of the bridge and its relayer between two dev chains (relayer/e2e.sh)"
set +e
bash relayer/e2e.sh 2>&1 | tee "$logs/bridge-e2e.log"
bridge_status=${PIPESTATUS[0]}
set -e
# Same counting: each story completed passes; a failure fails the story it stopped in.
p=$(grep -c '\[bridge-e2e\]' "$logs/bridge-e2e.log" || true)
p=$((p - 1))
passed=$((passed + p))
[ "$bridge_status" -eq 0 ] || { failed=$((failed + 1)); exit 1; }

stage "zombienet: 3-validator network (full output: tests/.tmp/logs/zombienet.log)"
set +e
bash scripts/zombienet.sh test >"$logs/zombienet.log" 2>&1
zn_status=$?
set -e
sed 's/\x1b\[[0-9;]*m//g' "$logs/zombienet.log" | grep -oE '(✅|❌) .*\)' || true
p=$(grep -c '✅' "$logs/zombienet.log" || true)
f=$(grep -c '❌' "$logs/zombienet.log" || true)
passed=$((passed + p)); failed=$((failed + f))
[ "$zn_status" -eq 0 ] || { [ "$f" -gt 0 ] || failed=$((failed + 1)); tail -40 "$logs/zombienet.log"; exit 1; }
