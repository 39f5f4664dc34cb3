//! Command-line interface: the standard Substrate node flags and subcommands.

use polkadot_sdk::*;
use sc_cli::RunCmd;
use std::path::PathBuf;

/// Where `--wasmtime-cache` defaults to when the flag is not given.
const WASMTIME_CACHE_ENV: &str = "TPWALLET_WASMTIME_CACHE";

/// `tpwallet-node [SUBCOMMAND] [FLAGS]`.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags for running the node (`--dev`, `--chain`, `--validator`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: RunCmd,

	/// A directory for the native code the node compiles the runtime into (wasmtime's cache),
	/// so that a node started again on a runtime compiled before, or another node of this
	/// machine, skips compiling it; safe to share between nodes. Default: the directory in
	/// `$TPWALLET_WASMTIME_CACHE`, if set; else nothing is kept.
	#[arg(long, value_name = "DIR", global = true)]
	pub wasmtime_cache: Option<PathBuf>,
}

impl Cli {
	/// The wasmtime cache directory: `--wasmtime-cache`, else `$TPWALLET_WASMTIME_CACHE`.
	pub fn wasmtime_cache(&self) -> Option<PathBuf> {
		self.wasmtime_cache.clone().or_else(|| {
			std::env::var_os(WASMTIME_CACHE_ENV).filter(|v| !v.is_empty()).map(PathBuf::from)
		})
	}
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallets, blocks, overhead, extrinsics, storage, machine.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
