# Shared settings for the scripts; source it, don't run it.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# One target directory outside the clone, kept between builds and clones (a cache for CI too).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}"

# Cargo builds from a fixed path (a copy of this clone's files), so that crate hashes, and with
# them the runtime Wasm, do not depend on where the clone is: the committed chain specs (which
# embed the Wasm) are then reproduced byte for byte from any clone, and clones share the build
# cache. The copy rewrites only the files whose content differs, so that a new clone rebuilds
# only what changed (cargo judges by file times). Not while another clone's build runs: both
# build from this one copy.
BUILD_ROOT="${TPWALLET_BUILD_ROOT:-$HOME/.cache/tpwallet-src}"
mkdir -p "$(dirname "$BUILD_ROOT")"
python3 "$REPO_ROOT/scripts/sync-build-root.py" "$REPO_ROOT" "$BUILD_ROOT"
export BUILD_ROOT
# The copy has no `.git`: the node's version takes the commit from here (node/build.rs).
SUBSTRATE_CLI_GIT_COMMIT_HASH="$(git -C "$REPO_ROOT" rev-parse --short=11 HEAD 2>/dev/null || echo 00000000000)"
export SUBSTRATE_CLI_GIT_COMMIT_HASH
export CARGO_MANIFEST="$BUILD_ROOT/Cargo.toml"
# The Wasm build runs from inside the target directory: point it at our Cargo.lock, and keep the
# target directory's own path out of the Wasm.
export WASM_BUILD_WORKSPACE_HINT="$BUILD_ROOT"
export WASM_BUILD_RUSTFLAGS="--remap-path-prefix=$CARGO_TARGET_DIR=/target"
# frame-benchmarking-cli builds a parachain test runtime to Wasm, beside ours, for one mode of
# `benchmark storage` (`--mode validate-block`, a parachain's proof-of-validity check). A
# solochain never runs that mode (we benchmark import-block), and its Wasm build took 2 min 56 s
# of a cold build, sharing both cores with our runtime's. Skipped: the mode would report that
# the binary is missing.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1

NODE_BIN="$CARGO_TARGET_DIR/release/tpwallet-node"
export NODE_BIN
# Nodes started by the scripts and tests keep the runtime's compiled code here (the node's
# `--wasmtime-cache` default): each runtime is compiled once, not by every node that starts.
export TPWALLET_WASMTIME_CACHE="${TPWALLET_WASMTIME_CACHE:-$HOME/.cache/tpwallet-wasmtime}"

log() { printf '\033[1m[tpwallet]\033[0m %s\n' "$*" >&2; }

# Waits (up to four minutes: in CI start-up compiles the runtime beside every end-to-end suite)
# until a node answers JSON-RPC on local port $1.
wait_for_rpc() {
	for _ in $(seq 1 240); do
		curl -sf -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
			"http://127.0.0.1:$1" >/dev/null && return 0
		sleep 1
	done
	log "no node answers on port $1"
	return 1
}

# JSON-RPC helpers for scripts (finalized_number).
source "$REPO_ROOT/scripts/rpc.sh"
