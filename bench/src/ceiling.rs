//! The runtime's own ceiling: how many transactions like one sample its blocks can hold per
//! second of slot, by weight and by length, from the limits the chain reports (its metadata
//! constants) and the weight it declares for the sample (`TransactionPaymentApi_query_info`).

use anyhow::{anyhow, Context, Result};
use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::{dispatch::DispatchClass, weights::Weight},
	frame_system::limits::{BlockLength, BlockWeights},
};
use serde::Serialize;
use tpw_client::{chain::Chain, runtime::RuntimeAt};

/// The ceiling and what it was computed from.
#[derive(Clone, Debug, Serialize)]
pub struct Ceiling {
	/// Ref time, picoseconds: the normal class's share of a block, the block's base, and one
	/// transaction (extrinsic base included).
	pub normal_block_ref_time: u64,
	pub base_block_ref_time: u64,
	pub tx_ref_time: u64,
	/// Bytes: the normal class's share of a block, one transaction.
	pub normal_block_length: u32,
	pub tx_length: u32,
	pub slot_ms: u64,
	/// Transactions per block by weight and by length, and per second of slot (the lower).
	pub per_block_by_weight: u64,
	pub per_block_by_length: u64,
	pub per_second: f64,
}

/// `(normal − base block) ÷ tx` by weight and `normal length ÷ tx length`, per second of slot.
pub fn compute(
	weights: &BlockWeights,
	length: &BlockLength,
	tx_weight: Weight,
	tx_length: u32,
	slot_ms: u64,
) -> Ceiling {
	let normal = weights.get(DispatchClass::Normal);
	let normal_block = normal.max_total.unwrap_or(weights.max_block);
	let tx = normal.base_extrinsic.saturating_add(tx_weight);
	let budget = normal_block.ref_time().saturating_sub(weights.base_block.ref_time());
	let per_block_by_weight = budget.checked_div(tx.ref_time()).unwrap_or(0);
	let normal_length = *length.max.get(DispatchClass::Normal);
	let per_block_by_length = u64::from(normal_length).checked_div(tx_length.into()).unwrap_or(0);
	let per_block = per_block_by_weight.min(per_block_by_length);
	Ceiling {
		normal_block_ref_time: normal_block.ref_time(),
		base_block_ref_time: weights.base_block.ref_time(),
		tx_ref_time: tx.ref_time(),
		normal_block_length: normal_length,
		tx_length,
		slot_ms,
		per_block_by_weight,
		per_block_by_length,
		per_second: if slot_ms == 0 { 0.0 } else { per_block as f64 * 1000.0 / slot_ms as f64 },
	}
}

/// The chain's ceiling for transactions like `sample` (a signed extrinsic's bytes).
pub async fn measure(chain: &Chain, runtime: &RuntimeAt, sample: &[u8]) -> Result<Ceiling> {
	let weights: BlockWeights = runtime.constant("System", "BlockWeights")?;
	let length: BlockLength = runtime.constant("System", "BlockLength")?;
	let slot_ms: u64 = state_call(chain, "AuraApi_slot_duration", &[]).await?;
	let tx_length = u32::try_from(sample.len()).context("sample length")?;
	let mut args = sample.to_vec();
	tx_length.encode_to(&mut args);
	// `RuntimeDispatchInfo`: the weight, the class, the fee.
	let (tx_weight, _class, _fee): (Weight, DispatchClass, u128) =
		state_call(chain, "TransactionPaymentApi_query_info", &args).await?;
	Ok(compute(&weights, &length, tx_weight, tx_length, slot_ms))
}

async fn state_call<R: Decode>(chain: &Chain, method: &str, args: &[u8]) -> Result<R> {
	let hex_args = format!("0x{}", hex::encode(args));
	let out: String = chain
		.rpc("state_call", jsonrpsee::rpc_params![method, hex_args, Option::<String>::None])
		.await?;
	let bytes = hex::decode(out.trim_start_matches("0x")).context("state_call result")?;
	R::decode(&mut &bytes[..]).map_err(|e| anyhow!("decoding {method}: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::Perbill;

	#[test]
	fn the_lower_of_weight_and_length_per_second_of_slot() {
		// Proof sizes only so that the limits validate; the ceiling is by ref time.
		let weights = BlockWeights::builder()
			.base_block(Weight::from_parts(100, 1))
			.for_class(DispatchClass::all(), |c| c.base_extrinsic = Weight::from_parts(10, 1))
			.for_class(DispatchClass::Normal, |c| {
				c.max_total = Some(Weight::from_parts(1_100, 100))
			})
			.for_class(DispatchClass::Operational, |c| {
				c.max_total = Some(Weight::from_parts(2_000, 100))
			})
			.avg_block_initialization(Perbill::zero())
			.build_or_panic();
		let length = BlockLength::builder()
			.max_length(1_000)
			.modify_max_length_for_class(DispatchClass::Normal, |max| *max = 500)
			.build();
		// (1100 − 100) ÷ (10 + 40) = 20 by weight; 500 ÷ 100 = 5 by length.
		let c = compute(&weights, &length, Weight::from_parts(40, 0), 100, 2_000);
		assert_eq!((c.per_block_by_weight, c.per_block_by_length), (20, 5));
		assert_eq!(c.per_second, 2.5);
		let c = compute(&weights, &length, Weight::from_parts(40, 0), 10, 2_000);
		assert_eq!(c.per_second, 10.0);
	}
}
