#!/usr/bin/env bash
# NATS with JetStream for the ledger's event stream (tpw-ledger run --nats), from Debian's
# package `nats-server`, with its store in a data directory of our own: no system service.
#   scripts/nats.sh start    installs `nats-server` if missing, starts it (JetStream on)
#   scripts/nats.sh stop
#   scripts/nats.sh url      prints the client URL
#   scripts/nats.sh status   succeeds if it runs
# The data directory: $TPW_NATS_DIR, else ~/.cache/tpwallet-nats. Ports: $TPW_NATS_PORT (client,
# default 54222) and $TPW_NATS_MONITOR_PORT (HTTP monitoring, default 58222), loopback only, no
# authentication: a development and CI set-up, not a production one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
port="${TPW_NATS_PORT:-54222}"
monitor="${TPW_NATS_MONITOR_PORT:-58222}"
data="${TPW_NATS_DIR:-$HOME/.cache/tpwallet-nats}"
url="nats://127.0.0.1:$port"
pidfile="$data/nats-server.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
	if ! command -v nats-server >/dev/null; then
		log "installing NATS (Debian package nats-server)"
		sudo_="$([ "$(id -u)" = 0 ] || echo sudo)"
		$sudo_ apt-get install -y -qq nats-server >/dev/null
	fi
	if running; then
		log "NATS already running ($url)"
		exit 0
	fi
	mkdir -p "$data"
	nats-server -js -sd "$data/jetstream" -a 127.0.0.1 -p "$port" -m "$monitor" \
		-P "$pidfile" -l "$data/nats-server.log" &
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$monitor/healthz?js-enabled-only=true" >/dev/null && break
		sleep 0.2
	done
	curl -sf "http://127.0.0.1:$monitor/healthz" >/dev/null || { log "NATS did not start: $data/nats-server.log"; exit 1; }
	log "NATS started ($url, JetStream in $data/jetstream; monitoring http://127.0.0.1:$monitor)"
	;;
stop)
	if running; then
		kill "$(cat "$pidfile")"
		for _ in $(seq 50); do running || break; sleep 0.1; done
	fi
	;;
url) echo "$url" ;;
monitor) echo "http://127.0.0.1:$monitor" ;;
status) running ;;
*) log "usage: scripts/nats.sh start|stop|status|url|monitor"; exit 2 ;;
esac
