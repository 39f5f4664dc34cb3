#!/usr/bin/env bash
# Generates the runtime's weights on this machine, the standard way, into runtime/src/weights/:
#   scripts/benchmark.sh pallet_htlc [pallet_x ...]   FRAME pallet benchmarks -> <pallet>.rs
#   EXTRINSICS="a b" scripts/benchmark.sh pallet_x    only those calls, spliced into <pallet>.rs
#                                                     (a new call, without moving the others)
#   scripts/benchmark.sh overhead                     block and extrinsic base weights
#                                                     -> block_weights.rs, extrinsic_weights.rs
#   scripts/benchmark.sh storage                      read/write weights of the node's database
#                                                     (ParityDb) -> paritydb_weights.rs
# Builds a node with `--features runtime-benchmarks` (kept as tpwallet-node-benchmarks), then
# the normal node: `overhead` measures the production runtime, and the tests keep running it.
# NO_BUILD=1 reuses both nodes as built.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ $# -gt 0 ] || { log "usage: scripts/benchmark.sh <pallet|overhead|storage> [...]"; exit 2; }
bash "$REPO_ROOT/scripts/setup.sh"

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
BENCH_BIN="$CARGO_TARGET_DIR/release/tpwallet-node-benchmarks"
WEIGHTS="$REPO_ROOT/runtime/src/weights"
HEADER="$REPO_ROOT/scripts/weights-header.txt"
LOAD_BIN="$CARGO_TARGET_DIR/release/tpw-load"

if [ "${NO_BUILD:-0}" != 1 ]; then
	log "building tpwallet-node with runtime benchmarks"
	cargo build --locked --release --manifest-path "$CARGO_MANIFEST" -p tpwallet-node --features runtime-benchmarks
	cp "$NODE_BIN" "$BENCH_BIN"
	# The normal node last: `overhead` measures it, and the tests run it.
	bash "$REPO_ROOT/scripts/build.sh"
fi

# The runtime reaches FRAME through the polkadot-sdk umbrella crate.
umbrella_paths() {
	# `sp_weights` is reached as `frame_support::weights` (the umbrella crate does not export it).
	sed -i -E -e 's/^(\s*)use sp_weights::/\1use frame_support::weights::/' \
		-e 's/^(\s*)use (sp_[a-z_]+|frame_[a-z_]+)::/\1use polkadot_sdk::\2::/' \
		-e 's/<T: frame_system::Config>/<T: polkadot_sdk::frame_system::Config>/' "$@"
}

for target in "$@"; do
	case "$target" in
	overhead)
		# Executes empty blocks and blocks full of remarks on the dev chain with the production
		# runtime (the normal node); the base weights are the averages (upstream's file layout).
		log "benchmarking block and extrinsic overhead"
		"$NODE_BIN" benchmark overhead \
			--chain dev \
			--wasm-execution compiled \
			--warmup "${OVERHEAD_WARMUP:-10}" \
			--repeat "${OVERHEAD_REPEAT:-100}" \
			--header "$HEADER" \
			--weight-path "$WEIGHTS"
		umbrella_paths "$WEIGHTS/block_weights.rs" "$WEIGHTS/extrinsic_weights.rs"
		;;
	storage)
		# Reads and writes the keys of a ParityDb database (what tpwallet-node runs on) holding a
		# dev chain whose state has STORAGE_ACCOUNTS funded accounts (a chain in use, not an
		# almost empty genesis), with the trie cache off: the cost of a cold access. Writes are
		# committed in batches, as block import commits them.
		log "benchmarking storage (ParityDb)"
		db_dir="$(mktemp -d "${TMPDIR:-/tmp}/tpw-storage-bench.XXXXXX")"
		"$NODE_BIN" --dev --base-path "$db_dir" --database paritydb --rpc-port 9977 \
			--port 30377 --no-prometheus >"$db_dir.log" 2>&1 &
		node_pid=$!
		trap 'kill $node_pid 2>/dev/null || true' EXIT
		wait_for_rpc 9977
		"$LOAD_BIN" --url ws://127.0.0.1:9977 --accounts "${STORAGE_ACCOUNTS:-20000}" --setup-only
		kill "$node_pid"
		wait "$node_pid" || true
		trap - EXIT
		"$BENCH_BIN" benchmark storage \
			--chain dev \
			--base-path "$db_dir" \
			--database paritydb \
			--state-version 1 \
			--batch-size "${STORAGE_BATCH:-1000}" \
			--warmups "${STORAGE_WARMUPS:-2}" \
			--header "$HEADER" \
			--weight-path "$WEIGHTS"
		rm -rf "$db_dir" "$db_dir.log"
		umbrella_paths "$WEIGHTS/paritydb_weights.rs"
		;;
	*)
		log "benchmarking $target (steps $STEPS, repeat $REPEAT) ${EXTRINSICS:-}"
		output="$WEIGHTS/$target.rs"
		[ -z "${EXTRINSICS:-}" ] || output="$(mktemp "${TMPDIR:-/tmp}/$target.XXXXXX.rs")"
		"$BENCH_BIN" benchmark pallet \
			--chain dev \
			--pallet "$target" \
			--extrinsic "$(tr ' ' ',' <<<"${EXTRINSICS:-*}")" \
			--steps "$STEPS" \
			--repeat "$REPEAT" \
			--wasm-execution compiled \
			--heap-pages 4096 \
			--header "$HEADER" \
			--output "$output"
		umbrella_paths "$output"
		if [ -n "${EXTRINSICS:-}" ]; then
			python3 "$REPO_ROOT/scripts/splice-weights.py" "$WEIGHTS/$target.rs" "$output"
			rm -f "$output"
		fi
		# A polkadot-sdk pallet (not one of pallets/) is reached through the umbrella crate as well.
		crate_dir="$REPO_ROOT/pallets/$(sed -e 's/^pallet_//' -e 's/_/-/g' <<<"$target")"
		if [ ! -d "$crate_dir" ]; then
			sed -i -E -e "s/> ($target)::WeightInfo/> polkadot_sdk::\1::WeightInfo/" \
				-e "s/> frame_system::ExtensionsWeightInfo/> polkadot_sdk::frame_system::ExtensionsWeightInfo/" \
				"$WEIGHTS/$target.rs"
		fi
		;;
	esac
done
