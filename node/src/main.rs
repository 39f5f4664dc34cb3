//! `tpwallet-node`: the validator and RPC node of the tpwallet appchain.
#![warn(missing_docs)]

mod aura_equivocation;
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() {
	// Bad input (an unknown `--chain`, a malformed chain-spec file, ...) ends with one line on
	// stderr and a non-zero exit, not a `Debug` dump.
	if let Err(error) = command::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
