#!/usr/bin/env bash
# The runtime's `try-runtime` upgrade checks (tools/try-upgrade) against a snapshot of a running
# network: the migrations with their pre/post checks, every pallet's try_state, a higher
# spec_version, the weight within a block, idempotency. A release step (README, "How an upgrade is
# rolled out"); not part of CI, whose upgrade test applies the same migrations on a live chain.
#
#   scripts/try-runtime.sh                       the upgrade test's chain (the released runtime with
#                                                a channel, a bridge lane and a stablecoin with a
#                                                pending redemption), checked just before its upgrade
#   scripts/try-runtime.sh ws://host:9944 [file] a running network; the snapshot goes to `file`
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# The upgrade test needs the node and the tools (build.sh sets the machine up too); a check of a
# running network needs only the set-up.
if [ $# -gt 0 ]; then bash "$REPO_ROOT/scripts/setup.sh"; else bash "$REPO_ROOT/scripts/build.sh"; fi

log "building tpwallet-try-upgrade (the runtime natively, with its try-runtime feature)"
# Its own workspace (tools/try-upgrade), so the feature never reaches the node's build.
SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path "$BUILD_ROOT/tools/try-upgrade/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/tpwallet-try-upgrade"

if [ $# -gt 0 ]; then
	exec "$bin" "$1" "${2:-$CARGO_TARGET_DIR/try-upgrade-snapshot.bin}"
fi

cd "$REPO_ROOT/tests"
npm ci --no-audit --no-fund --silent
TRY_UPGRADE_BIN="$bin" node --import tsx --test --test-concurrency=1 --test-reporter=spec src/upgrade.test.ts
