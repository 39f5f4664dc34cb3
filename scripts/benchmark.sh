#!/usr/bin/env bash
# Runs the FRAME benchmarks of the given pallets and writes their weights to
# runtime/src/weights/<pallet>.rs, e.g.  scripts/benchmark.sh pallet_htlc
# Builds a node with `--features runtime-benchmarks` (kept as tpwallet-node-benchmarks), then
# rebuilds the normal node so that tests keep running the production runtime.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ $# -gt 0 ] || { log "usage: scripts/benchmark.sh <pallet> [<pallet> ...]"; exit 2; }
bash "$REPO_ROOT/scripts/setup.sh"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
BENCH_BIN="$CARGO_TARGET_DIR/release/tpwallet-node-benchmarks"

log "building tpwallet-node with runtime benchmarks"
cargo build --locked --release --manifest-path "$CARGO_MANIFEST" -p tpwallet-node --features runtime-benchmarks
cp "$NODE_BIN" "$BENCH_BIN"

for pallet in "$@"; do
	log "benchmarking $pallet (steps $STEPS, repeat $REPEAT)"
	"$BENCH_BIN" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$STEPS" \
		--repeat "$REPEAT" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--header "$REPO_ROOT/scripts/weights-header.txt" \
		--output "$REPO_ROOT/runtime/src/weights/$pallet.rs"
	# The runtime reaches FRAME through the polkadot-sdk umbrella crate.
	sed -i -e 's/^use frame_support::/use polkadot_sdk::frame_support::/' \
		-e 's/<T: frame_system::Config>/<T: polkadot_sdk::frame_system::Config>/' \
		"$REPO_ROOT/runtime/src/weights/$pallet.rs"
	# A polkadot-sdk pallet (not one of pallets/) is reached through the umbrella crate as well.
	crate_dir="$REPO_ROOT/pallets/$(sed -e 's/^pallet_//' -e 's/_/-/g' <<<"$pallet")"
	if [ ! -d "$crate_dir" ]; then
		sed -i -E "s/> ($pallet)::WeightInfo/> polkadot_sdk::\1::WeightInfo/" \
			"$REPO_ROOT/runtime/src/weights/$pallet.rs"
	fi
done

log "rebuilding the normal node"
bash "$REPO_ROOT/scripts/build.sh"
