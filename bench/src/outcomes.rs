//! What the run's included transactions did: a transaction in a block may still fail to dispatch
//! (`System.ExtrinsicFailed`: its fee was paid, nothing else happened), and such a transaction is
//! not throughput. Read once the run is over, from each finalized block's events, decoded with
//! the metadata of the runtime that emitted them.

use crate::tracker::{BlockHash, Tracker};
use anyhow::Result;
use futures::{stream, StreamExt, TryStreamExt};
use polkadot_sdk::sp_core::H256;
use std::collections::BTreeMap;
use tpw_client::chain::Chain;

/// Marks, per finalized block, how many of the run's transactions failed to dispatch; returns
/// the failures by error.
pub async fn count_failures(chain: &Chain, tracker: &mut Tracker) -> Result<BTreeMap<String, u64>> {
	let blocks: Vec<(BlockHash, Vec<u32>)> = tracker
		.blocks
		.iter()
		.filter(|(_, b)| b.finalized && !b.ours.is_empty())
		.map(|(hash, b)| (*hash, b.positions.clone()))
		.collect();
	let found: Vec<(BlockHash, Vec<String>)> = stream::iter(blocks)
		.map(|(hash, positions)| async move {
			let failed = chain.failed_extrinsics(H256(hash)).await?;
			let ours = failed.into_iter().filter(|(at, _)| positions.contains(at));
			anyhow::Ok((hash, ours.map(|(_, error)| error).collect()))
		})
		.buffer_unordered(4)
		.try_collect()
		.await?;
	let mut by_error = BTreeMap::new();
	for (hash, errors) in found {
		if let Some(block) = tracker.blocks.get_mut(&hash) {
			block.failed = errors.len();
		}
		for error in errors {
			*by_error.entry(error).or_default() += 1;
		}
	}
	Ok(by_error)
}
