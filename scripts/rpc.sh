# JSON-RPC helpers for the scripts and end-to-end scripts; source it (no side effects).
# shellcheck shell=bash

# The number of the finalized block of the node answering JSON-RPC on local port $1.
finalized_number() {
	python3 - "$1" <<-'PY'
	import json, sys, urllib.request
	def call(method, params):
	    req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}", json.dumps(
	        {"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).encode(),
	        {"Content-Type": "application/json"})
	    return json.load(urllib.request.urlopen(req))["result"]
	print(int(call("chain_getHeader", [call("chain_getFinalizedHead", [])])["number"], 16))
	PY
}
