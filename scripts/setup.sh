#!/usr/bin/env bash
# Installs what building and testing tpwallet needs, when it is missing:
# Debian packages (protoc, clang, libxml2, xmllint), the Rust Wasm target and rust-src, npm packages for tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

missing=()
command -v protoc >/dev/null || missing+=(protobuf-compiler)
command -v clang >/dev/null || missing+=(clang)
[ -n "$(ls /usr/lib/llvm-*/lib/libclang.so* 2>/dev/null)" ] || missing+=(libclang-dev)
# libxml2, the ISO 20022 gateway's schema validator (linked).
[ -n "$(ls /usr/lib/*/libxml2.so /usr/lib/libxml2.so 2>/dev/null)" ] || missing+=(libxml2-dev)
# xmllint: the gateway's end-to-end script checks every message it answers against its schema.
command -v xmllint >/dev/null || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing Debian packages: ${missing[*]}"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { log "cargo not found: install Rust with rustup first"; exit 1; }
if ! rustup target list --installed | grep -qx wasm32v1-none; then
	log "adding the wasm32v1-none target"
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	log "adding the rust-src component"
	rustup component add rust-src
fi
