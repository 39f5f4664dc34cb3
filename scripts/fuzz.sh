#!/usr/bin/env bash
# The runtime fuzzer (tools/runtime-fuzzer): replays the committed corpus (every input that once
# reached something new, and every input that once found a bug), then fuzzes for SECONDS more.
#   scripts/fuzz.sh [SECONDS]          default 60; FUZZ_SEED (default 1) fixes the generator
#   FUZZ_GROW=1 scripts/fuzz.sh 3600   a long run by hand, adding what it reaches to the corpus
# Inputs that break an invariant are saved to tests/.tmp/fuzz-crashes/ (replay one with
# `tpwallet-runtime-fuzzer replay FILE`); the script then fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$REPO_ROOT/scripts/setup.sh"
seconds="${1:-60}"
log "building tpwallet-runtime-fuzzer (the runtime natively, with try-runtime: tools/ workspace)"
SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path "$BUILD_ROOT/tools/Cargo.toml" \
	-p tpwallet-runtime-fuzzer
bin="$CARGO_TARGET_DIR/release/tpwallet-runtime-fuzzer"
# Its own tests first: each invariant check catches a deliberately broken state.
SKIP_WASM_BUILD=1 cargo test --locked --release --manifest-path "$BUILD_ROOT/tools/Cargo.toml" \
	-p tpwallet-runtime-fuzzer
corpus="$REPO_ROOT/tools/runtime-fuzzer/corpus"
crashes="$REPO_ROOT/tests/.tmp/fuzz-crashes"
if [ "${FUZZ_GROW:-0}" = 1 ]; then
	work="$corpus"
else
	work="$(mktemp -d "${TMPDIR:-/tmp}/tpw-fuzz.XXXXXX")"
	cp -r "$corpus/." "$work/"
fi
log "fuzzing the runtime for ${seconds} s (seed ${FUZZ_SEED:-1}; corpus $(ls "$corpus" | wc -l) inputs)"
"$bin" run --seconds "$seconds" --seed "${FUZZ_SEED:-1}" --corpus "$work" --crashes "$crashes"
