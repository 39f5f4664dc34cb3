//! `tpwallet-node`: the validator and RPC node of the tpwallet appchain.
#![warn(missing_docs)]

fn main() {
	// Bad input (an unknown `--chain`, a malformed chain-spec file, ...) ends with one line on
	// stderr and a non-zero exit, not a `Debug` dump.
	if let Err(error) = tpwallet_node_cli::run(env!("SUBSTRATE_CLI_IMPL_VERSION")) {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
