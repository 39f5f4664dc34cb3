#!/usr/bin/env bash
# Builds every binary of the workspace (tpwallet-node, tpw, tpw-relayer, tpw-load, tpw-ledger) in
# the release profile, the one profile used for the node and the tests.
#
# One `cargo build --workspace`, never a list of `-p`: cargo resolves features per command, so a
# build of some members (or of the ledger alone) enables other features of shared crates (tokio,
# serde, hyper, …) than `cargo test --workspace` does, and the test stage then recompiles the
# node's whole stack. With the whole workspace both commands resolve the same features, but for
# the test-only crates (proptest): checked with `cargo +nightly build --unit-graph`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh"
log "building the workspace: tpwallet-node, tpw, tpw-relayer, tpw-load, tpw-ledger (target dir: $CARGO_TARGET_DIR)"
cargo build --locked --release --manifest-path "$CARGO_MANIFEST" --workspace "$@"
log "built $NODE_BIN"
