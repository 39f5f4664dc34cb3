//! Extrinsic builders for `benchmark overhead` and `benchmark extrinsic`.

use crate::service::FullClient;

use polkadot_sdk::*;
use sc_cli::Result;
use sc_client_api::BlockBackend;
use sp_inherents::{InherentData, InherentDataProvider};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::Era, OpaqueExtrinsic, SaturatedConversion};
use std::{sync::Arc, time::Duration};
use tpwallet_runtime::{self as runtime, AccountId, Balance, BalancesCall, SystemCall};

/// Builds `system.remark` extrinsics signed by Bob (dev key).
pub struct RemarkBuilder {
	client: Arc<FullClient>,
}

impl RemarkBuilder {
	/// A builder reading the chain through `client`.
	pub fn new(client: Arc<FullClient>) -> Self {
		Self { client }
	}
}

impl frame_benchmarking_cli::ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
		benchmark_extrinsic(&self.client, SystemCall::remark { remark: vec![] }.into(), nonce)
	}
}

/// Builds `balances.transfer_keep_alive` extrinsics signed by Bob (dev key).
pub struct TransferKeepAliveBuilder {
	client: Arc<FullClient>,
	dest: AccountId,
	value: Balance,
}

impl TransferKeepAliveBuilder {
	/// A builder of transfers of `value` to `dest`.
	pub fn new(client: Arc<FullClient>, dest: AccountId, value: Balance) -> Self {
		Self { client, dest, value }
	}
}

impl frame_benchmarking_cli::ExtrinsicBuilder for TransferKeepAliveBuilder {
	fn pallet(&self) -> &str {
		"balances"
	}

	fn extrinsic(&self) -> &str {
		"transfer_keep_alive"
	}

	fn build(&self, nonce: u32) -> std::result::Result<OpaqueExtrinsic, &'static str> {
		let call =
			BalancesCall::transfer_keep_alive { dest: self.dest.clone().into(), value: self.value };
		benchmark_extrinsic(&self.client, call.into(), nonce)
	}
}

/// `call` signed by Bob with `nonce`, mortal from the best block.
fn benchmark_extrinsic(
	client: &FullClient,
	call: runtime::RuntimeCall,
	nonce: u32,
) -> std::result::Result<OpaqueExtrinsic, &'static str> {
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or("the genesis block is missing from the database")?;
	let info = client.chain_info();
	let period = runtime::configs::BlockHashCount::get()
		.checked_next_power_of_two()
		.map(|c| c / 2)
		.unwrap_or(2) as u64;
	let era = Era::mortal(period, info.best_number.saturated_into());
	let extrinsic = runtime::signing::signed_extrinsic(
		&Sr25519Keyring::Bob.pair(),
		call,
		nonce,
		era,
		genesis_hash,
		info.best_hash,
	);
	Ok(extrinsic.into())
}

/// Inherent data (a timestamp) for benchmark blocks.
pub fn inherent_benchmark_data() -> Result<InherentData> {
	let mut inherent_data = InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(Duration::from_millis(0).into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut inherent_data))
		.map_err(|e| format!("creating inherent data: {e:?}"))?;
	Ok(inherent_data)
}
