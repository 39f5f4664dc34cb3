#!/usr/bin/env bash
# README command 2: runs every test.
#   1. builds the node (installing what is missing),
#   2. Rust tests (runtime integration tests, pallet tests) in the same release profile,
#   3. checks the committed chain specs against the generator,
#   4. end-to-end tests through polkadot.js against real nodes (a dev node, a 4-validator net),
#   5. the zombienet 3-validator network test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
start=$SECONDS

bash scripts/build.sh

log "cargo tests (release profile, shared with the node build)"
cargo test --locked --release --workspace

log "chain specs"
bash scripts/gen-chain-specs.sh --check

log "end-to-end tests (tests/)"
command -v node >/dev/null || { log "Node.js is required for the end-to-end tests"; exit 1; }
(cd tests && npm ci --no-audit --no-fund --silent && npm test)

log "zombienet: 3-validator network"
bash scripts/zombienet.sh test

log "all tests passed in $((SECONDS - start)) s"
