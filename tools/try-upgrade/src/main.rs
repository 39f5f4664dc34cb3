//! `tpwallet-try-upgrade`: the checks `try-runtime on-runtime-upgrade` makes, run against a
//! snapshot of a running network with the runtime this tree builds (compiled natively with its
//! `try-runtime` feature).
//!
//! On the snapshot, it runs the runtime's migrations with every `pre_upgrade` and `post_upgrade`
//! check and then every pallet's `try_state` (`Executive::try_runtime_upgrade`), and checks that
//! the new runtime's `spec_version` is higher than the network's, that the migrations fit in a
//! block, and that running them again changes nothing (they are idempotent).
//!
//! ```text
//! tpwallet-try-upgrade <ws-uri> <snapshot-file>   snapshot the network's finalized state, then check
//! tpwallet-try-upgrade --snapshot <snapshot-file> check a snapshot taken before
//! ```

use polkadot_sdk::{
	frame_remote_externalities::{
		Builder, Mode, OfflineConfig, OnlineConfig, RemoteExternalities, SnapshotConfig,
	},
	frame_system,
	frame_try_runtime::UpgradeCheckSelect,
	sp_runtime::traits::Header as _,
};
use std::process::ExitCode;
use tpwallet_runtime::{Block, Executive, Runtime};

/// Where the state comes from.
enum Source {
	/// A running network's finalized state, saved to a snapshot file on the way.
	Network { uri: String, snapshot: String },
	/// A snapshot file taken before.
	Snapshot(String),
}

fn parse_args() -> Result<Source, String> {
	let args: Vec<String> = std::env::args().skip(1).collect();
	match args.as_slice() {
		[flag, file] if flag == "--snapshot" => Ok(Source::Snapshot(file.clone())),
		[uri, file] if uri.starts_with("ws://") || uri.starts_with("wss://") => {
			Ok(Source::Network { uri: uri.clone(), snapshot: file.clone() })
		}
		_ => {
			Err("usage: tpwallet-try-upgrade <ws-uri> <snapshot-file> | --snapshot <snapshot-file>"
				.into())
		}
	}
}

async fn load(source: Source) -> Result<RemoteExternalities<Block>, String> {
	let mode = match source {
		Source::Network { uri, snapshot } => Mode::Online(OnlineConfig {
			transport_uris: vec![uri],
			state_snapshot: Some(SnapshotConfig::new(snapshot)),
			..Default::default()
		}),
		Source::Snapshot(file) => {
			Mode::Offline(OfflineConfig { state_snapshot: SnapshotConfig::new(file) })
		}
	};
	Builder::<Block>::new().mode(mode).build().await.map_err(|e| format!("loading the state: {e}"))
}

/// The checks, on `ext`; a line per finding.
fn check(ext: &mut RemoteExternalities<Block>) -> Result<Vec<String>, String> {
	let mut report = Vec::new();
	let at = *ext.header.number();
	let on_chain = ext.execute_with(|| frame_system::LastRuntimeUpgrade::<Runtime>::get());
	let on_chain_spec = on_chain.map(|info| info.spec_version.0).unwrap_or_default();
	let new_spec = tpwallet_runtime::VERSION.spec_version;
	report.push(format!(
		"state of block #{at}: spec_version {on_chain_spec} on chain, {new_spec} in this tree"
	));
	if new_spec <= on_chain_spec {
		return Err(format!("spec_version {new_spec} is not above the network's {on_chain_spec}"));
	}

	// Migrations with their pre/post checks, then every pallet's `try_state`.
	let weight = ext
		.execute_with(|| Executive::try_runtime_upgrade(UpgradeCheckSelect::All))
		.map_err(|e| format!("the upgrade's checks failed: {e:?}"))?;
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	report.push(format!(
		"migrations and checks passed; weight {} ps, {} bytes of proof ({:.2} % and {:.2} % of a block)",
		weight.ref_time(),
		weight.proof_size(),
		100.0 * weight.ref_time() as f64 / max.ref_time() as f64,
		100.0 * weight.proof_size() as f64 / max.proof_size().max(1) as f64,
	));
	if weight.any_gt(max) {
		return Err("the migrations do not fit in a block".into());
	}

	// Idempotent: a second run (as after a node restart mid-upgrade) changes nothing.
	ext.commit_all().map_err(|e| format!("committing the upgrade: {e}"))?;
	let migrated = *ext.backend.root();
	ext.execute_with(|| Executive::try_runtime_upgrade(UpgradeCheckSelect::None))
		.map_err(|e| format!("the second run failed: {e:?}"))?;
	ext.commit_all().map_err(|e| format!("committing the second run: {e}"))?;
	if *ext.backend.root() != migrated {
		return Err("running the migrations again changed the state: not idempotent".into());
	}
	report.push(format!("idempotent: a second run leaves the state root at {migrated:?}"));
	Ok(report)
}

#[tokio::main]
async fn main() -> ExitCode {
	let outcome = async {
		let mut ext = load(parse_args()?).await?;
		check(&mut ext)
	}
	.await;
	match outcome {
		Ok(report) => {
			report.iter().for_each(|line| println!("{line}"));
			println!("try-upgrade: ok");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("try-upgrade: {error}");
			ExitCode::FAILURE
		}
	}
}
