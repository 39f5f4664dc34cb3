# Shared settings for the scripts; source it, don't run it.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# One target directory outside the clone, kept between builds and clones (a cache for CI too).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tpwallet-target}"

# Build the runtime Wasm without machine-specific paths, so that the committed chain specs
# (which embed the Wasm) are reproduced byte for byte from any clone.
export WASM_BUILD_RUSTFLAGS="--remap-path-prefix=$REPO_ROOT=/tpwallet --remap-path-prefix=$CARGO_TARGET_DIR=/target ${WASM_BUILD_RUSTFLAGS:-}"

# The Wasm build runs from inside the target directory; point it at our Cargo.lock.
export WASM_BUILD_WORKSPACE_HINT="$REPO_ROOT"

NODE_BIN="$CARGO_TARGET_DIR/release/tpwallet-node"
export NODE_BIN

log() { printf '\033[1m[tpwallet]\033[0m %s\n' "$*" >&2; }
