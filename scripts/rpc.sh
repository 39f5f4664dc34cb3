# JSON-RPC helpers for the scripts and end-to-end scripts; source it (no side effects).
# shellcheck shell=bash

# The number of the finalized block (or, with `best` as $2, of the best block) of the node
# answering JSON-RPC on local port $1.
finalized_number() {
	python3 - "$1" "${2:-finalized}" <<-'PY'
	import json, sys, urllib.request
	def call(method, params):
	    req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}", json.dumps(
	        {"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).encode(),
	        {"Content-Type": "application/json"})
	    return json.load(urllib.request.urlopen(req))["result"]
	at = [] if sys.argv[2] == "best" else [call("chain_getFinalizedHead", [])]
	print(int(call("chain_getHeader", at)["number"], 16))
	PY
}

# The number of the best block of the node answering JSON-RPC on local port $1.
best_number() { finalized_number "$1" best; }
