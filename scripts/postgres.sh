#!/usr/bin/env bash
# PostgreSQL for the ledger (tpw-ledger), from Debian's package, in a data directory of our own:
# no system service, no system cluster.
#   scripts/postgres.sh start    installs `postgresql` if missing, creates the cluster, starts it
#   scripts/postgres.sh stop
#   scripts/postgres.sh url      prints the connection string (database `tpwallet`)
#   scripts/postgres.sh status   succeeds if it runs
# The data directory: $TPW_POSTGRES_DIR, else ~/.cache/tpwallet-postgres, or, as root (the
# server refuses to run as root and runs as the package's `postgres` user, who cannot enter
# /root), /var/cache/tpwallet/postgres. Port: $TPW_POSTGRES_PORT (default 55432), loopback only,
# trust authentication: a development and CI set-up, not a production one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
port="${TPW_POSTGRES_PORT:-55432}"
if [ "$(id -u)" = 0 ]; then
	data="${TPW_POSTGRES_DIR:-/var/cache/tpwallet/postgres}"
	as_server() { runuser -u postgres -- "$@"; }
else
	data="${TPW_POSTGRES_DIR:-$HOME/.cache/tpwallet-postgres}"
	as_server() { "$@"; }
fi
url="host=127.0.0.1 port=$port user=postgres dbname=tpwallet"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

case "${1:-}" in
start)
	if [ -z "$(bindir)" ]; then
		log "installing PostgreSQL (Debian package postgresql)"
		sudo_="$([ "$(id -u)" = 0 ] || echo sudo)"
		$sudo_ apt-get install -y -qq postgresql >/dev/null
	fi
	bin="$(bindir)"
	if [ ! -f "$data/PG_VERSION" ]; then
		mkdir -p "$data"
		[ "$(id -u)" = 0 ] && chown postgres:postgres "$data" && chmod 700 "$data"
		as_server "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
	fi
	if as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		log "PostgreSQL already running ($url)"
	else
		as_server "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
		log "PostgreSQL started ($url; log $data/server.log)"
	fi
	if ! psql "host=127.0.0.1 port=$port user=postgres dbname=postgres" -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'tpwallet'" | grep -q 1; then
		psql "host=127.0.0.1 port=$port user=postgres dbname=postgres" -qc "CREATE DATABASE tpwallet"
	fi
	;;
stop)
	bin="$(bindir)"
	[ -n "$bin" ] && [ -f "$data/PG_VERSION" ] && as_server "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
	;;
url) echo "$url" ;;
status)
	bin="$(bindir)"
	[ -n "$bin" ] && [ -f "$data/PG_VERSION" ] && as_server "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
	;;
*) log "usage: scripts/postgres.sh start|stop|status|url"; exit 2 ;;
esac
