#!/usr/bin/env bash
# Writes chain-specs/tpwallet-local.json (plain) and chain-specs/tpwallet-local-raw.json (raw)
# from the built node. With --check, fails if the committed files differ from what it produces.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -x "$NODE_BIN" ] || bash "$REPO_ROOT/scripts/build.sh"

out="$REPO_ROOT/chain-specs"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$NODE_BIN" build-spec --chain local --disable-default-bootnode >"$tmp/tpwallet-local.json" 2>/dev/null
"$NODE_BIN" build-spec --chain "$tmp/tpwallet-local.json" --raw --disable-default-bootnode \
	>"$tmp/tpwallet-local-raw.json" 2>/dev/null

if [ "${1:-}" = "--check" ]; then
	status=0
	for f in tpwallet-local.json tpwallet-local-raw.json; do
		if ! cmp -s "$tmp/$f" "$out/$f"; then
			log "chain-specs/$f differs from what scripts/gen-chain-specs.sh produces:"
			diff <(tr ',' '\n' <"$out/$f" | cut -c1-120) <(tr ',' '\n' <"$tmp/$f" | cut -c1-120) | head -20 >&2 || true
			status=1
		fi
	done
	[ $status -eq 0 ] && log "committed chain specs are up to date"
	exit $status
fi

cp "$tmp/tpwallet-local.json" "$tmp/tpwallet-local-raw.json" "$out/"
log "wrote chain-specs/tpwallet-local.json and chain-specs/tpwallet-local-raw.json"
