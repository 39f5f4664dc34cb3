#!/usr/bin/env bash
# Throughput benchmark: runs tpw-load (bench/) against a dev node and against a local network of
# three validators (Alice, Bob, Charlie on the `local` chain), and writes the table of results
# into docs/performance.md and a plot of each run (TPS and finality lag over time) to docs/.
#   scripts/bench-tps.sh                 everything, DURATION (60) seconds of load per run
#   DURATION=30 scripts/bench-tps.sh     shorter
#   NO_BUILD=1 scripts/bench-tps.sh      with the binaries as built
#   NODE_EXTRA="--pool-type single-state" scripts/bench-tps.sh   extra flags for every node
#   RUNS=net scripts/bench-tps.sh        only the network's run (or RUNS=dev); the table keeps
#                                        the other runs' last rows (docs/tps-data/*.row.md)
#   WORKLOADS="native regulated-token" RUNS=dev scripts/bench-tps.sh   some of the dev workloads
#                                        (keep `native` in: it is the baseline of the ratios)
#   RUNS=sweep RATES="1500 1700" scripts/bench-tps.sh   native transfers on a dev node at fixed
#                                        offered loads (transactions per second; by default
#                                        1750 1800 1850 1900 2000), SWEEP_WINDOW in flight at most
# A benchmark, not a test: it asserts nothing about speed (tpw-load fails only if a transaction
# the node accepted was never finalized). Traffic stays on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ "${NO_BUILD:-0}" = 1 ] || bash "$REPO_ROOT/scripts/build.sh"
if ! command -v gnuplot >/dev/null; then
	log "installing gnuplot (for the plots)"
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gnuplot-nox >/dev/null
fi

DURATION="${DURATION:-60}"
ACCOUNTS="${ACCOUNTS:-8000}"
LOAD_BIN="$CARGO_TARGET_DIR/release/tpw-load"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/tpw-bench-tps.XXXXXX")"
DOCS="$REPO_ROOT/docs"
DATA="$DOCS/tps-data"
mkdir -p "$DATA"
RUNS="${RUNS:-dev sweep net}"
# A load test fills the pool well beyond its defaults (8,192 ready transactions, 20 MiB).
NODE_ARGS=(--pool-limit 100000 --pool-kbytes 400000 --rpc-max-connections 1000
	--no-prometheus --no-mdns --no-telemetry ${NODE_EXTRA:-})
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# start_node <name> <rpc port> <p2p port> <args...>
start_node() {
	local name=$1 rpc=$2 p2p=$3
	shift 3
	"$NODE_BIN" --base-path "$OUT/$name" --rpc-port "$rpc" --port "$p2p" "${NODE_ARGS[@]}" "$@" \
		>"$OUT/$name.log" 2>&1 &
	PIDS+=($!)
	wait_for_rpc "$rpc"
}

stop_nodes() { cleanup; PIDS=(); }

# run_load <slug> <label> <workload> <extra tpw-load args...>; WINDOW: transactions in flight
run_load() {
	local slug=$1 label=$2 workload=$3
	shift 3
	log "load: $label, $workload, ${DURATION}s"
	local pid_args=()
	for pid in "${PIDS[@]}"; do pid_args+=(--node-pid "$pid"); done
	# 8,000 in flight by default: 1.3 blocks of native transfers at the ceiling. The pool
	# re-validates every ready transaction after each block, beside the block being built on
	# the same two cores, so a deeper backlog (14,000 until 2026-12-05) costs blocks more than it
	# feeds them (docs/performance.md, "How much to keep in flight").
	"$LOAD_BIN" --workload "$workload" --accounts "$ACCOUNTS" --duration "$DURATION" \
		--window "${WINDOW:-8000}" \
		--seed "//tpw-load//$workload" --label "$label" "${pid_args[@]}" \
		--json "$DATA/$slug.json" --csv "$DATA/$slug.csv" --markdown-row "$OUT/$slug.row.md" "$@"
	# Each row carries its date: a partial run (RUNS, WORKLOADS) keeps the other rows' last runs.
	sed "s/^| /| $(date -u +%Y-%m-%d) | /" "$OUT/$slug.row.md" >"$DATA/$slug.row.md"
	plot "$slug" "$label, $workload"
}

# plot <slug> <title>: TPS (included and finalized, averaged over a slot) and finality lag.
plot() {
	gnuplot <<-GNUPLOT
		set terminal pngcairo size 1000,450 font ",10"
		set output "$DOCS/tps-$1.png"
		set title "tpw-load: $2"
		set datafile separator ","
		set key top right
		set xlabel "seconds since the load started"
		set ylabel "transactions per second"
		set y2label "finality lag (blocks)"
		set ytics nomirror
		set y2tics
		set yrange [0:*]
		set y2range [0:*]
		plot "$DATA/$1.csv" using 1:5 skip 1 with lines lw 2 title "included / s", \
			"" using 1:6 skip 1 with lines lw 2 title "finalized / s", \
			"" using 1:9 skip 1 axes x1y2 with steps title "finality lag (blocks)"
	GNUPLOT
}

if [[ " $RUNS " == *" dev "* ]]; then
	log "dev node"
	start_node dev 9960 30360 --dev
	for workload in ${WORKLOADS:-native assets regulated-token channel-open batched-native}; do
		run_load "dev-$workload" "dev node" "$workload" --url ws://127.0.0.1:9960
	done
	stop_nodes
fi

# The saturating run above keeps a window full, so the pool always holds a backlog, and the
# fork-aware pool re-validates every ready transaction after each block beside the block being
# built. An offered load below saturation is what a payment network sees: each run sends at a
# fixed rate (the window still caps what is in flight) and shows what the chain sustains at it,
# with its latency and finality lag.
# The window must not be what limits a paced load: at 8,000 (1.6 blocks) one short block fills
# it, and from then on the load generator refills it in a burst after every block, the closed
# loop of the saturating run, which a chain on two shared cores serves worse than a stream
# (docs/performance.md, "Offered load"). SWEEP_WINDOW (20,000, four blocks) absorbs such a block;
# enough transactions are signed for the whole DURATION at the rate.
if [[ " $RUNS " == *" sweep "* ]]; then
	rates="${RATES:-1750 1800 1850 1900 2000}"
	log "dev node, offered loads: $rates"
	# A sweep replaces the last one's rates, rows and plots.
	rm -f "$DATA"/dev-native-at-* "$DOCS"/tps-dev-native-at-*.png
	start_node sweep 9964 30364 --dev
	for rate in $rates; do
		WINDOW="${SWEEP_WINDOW:-20000}" run_load "dev-native-at-$rate" "dev node, $rate/s offered" \
			native --rate "$rate" --max-txs $((rate * DURATION + ACCOUNTS)) --url ws://127.0.0.1:9964
	done
	stop_nodes
fi

if [[ " $RUNS " == *" net "* ]]; then
	log "local network: three validators"
	# Fixed network identities (test-only node keys: 1, 2, 3).
	node_key() { printf '%064x' "$1"; }
	start_node alice 9961 30361 --chain local --alice --validator --node-key "$(node_key 1)"
	BOOT="/ip4/127.0.0.1/tcp/30361/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
	start_node bob 9962 30362 --chain local --bob --validator --node-key "$(node_key 2)" --bootnodes "$BOOT"
	start_node charlie 9963 30363 --chain local --charlie --validator --node-key "$(node_key 3)" \
		--bootnodes "$BOOT"
	# Paced, and fewer in flight than a peer's memory of the transactions it was sent (10,240):
	# each transaction a node imports goes to each peer as its own notification, a peer more
	# than 2,048 behind is disconnected, and every 2.9 s a node re-sends its ready transactions
	# that a peer's memory lost.
	WINDOW="${NET_WINDOW:-6000}" run_load net-native "3 validators" native --rate "${NET_RATE:-1200}" \
		--url ws://127.0.0.1:9961 --url ws://127.0.0.1:9962 --url ws://127.0.0.1:9963
	stop_nodes
fi

# The table between the markers in docs/performance.md.
table="$OUT/table.md"
{
	echo "Measured by \`scripts/bench-tps.sh\` (${DURATION} s of load per run, $ACCOUNTS senders). Compare rows of the same date only: the machine is shared, and its speed varies from day to day."
	echo
	echo "| run | setting | workload | sTPS | ceiling (tx/s) | of ceiling (median block) | inclusion p50 / p99 | finality p50 / p99 | max finality lag (blocks) | lost | node CPU | peak memory |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	sweep=$(find "$DATA" -name 'dev-native-at-*.row.md' -printf '%f\n' | sed 's/\.row\.md$//' | sort -t- -k4 -n)
	for slug in dev-native $sweep dev-assets dev-regulated-token dev-channel-open dev-batched-native net-native; do
		[ ! -f "$DATA/$slug.row.md" ] || cat "$DATA/$slug.row.md"
	done
} >"$table"
python3 "$REPO_ROOT/scripts/doc-section.py" "$DOCS/performance.md" tps "$table"
log "results in docs/performance.md, plots in docs/tps-*.png, raw data in docs/tps-data/"
