//! Follows the node: every new best block (its extrinsics, matched with the run's transactions,
//! and its timestamp) and every finalized head (walking back over the blocks a notification
//! skipped). Frees in-flight slots as blocks include the run's transactions.

use crate::tracker::{BlockHash, Tracker, TxHash};
use anyhow::{anyhow, Context, Result};
use codec::Decode;
use jsonrpsee::{
	core::client::{ClientT, Subscription, SubscriptionClientT},
	rpc_params,
};
use jsonrpsee_ws_client::WsClient;
use polkadot_sdk::sp_io::hashing::blake2_256;
use serde_json::Value;
use std::{
	sync::Mutex,
	time::{Duration, Instant},
};
use tokio::sync::{watch, Semaphore};
use tpw_client::Header;

/// The chain's heights at one moment of the run.
#[derive(Clone, Copy, Debug)]
pub struct Heights {
	pub at: f64,
	pub best: u32,
	pub finalized: u32,
}

/// Follows heads until `stop` turns true; returns the heights seen along the way.
pub async fn run(
	client: &WsClient,
	tracker: &Mutex<Tracker>,
	window: &Semaphore,
	start: Instant,
	mut stop: watch::Receiver<bool>,
) -> Result<Vec<Heights>> {
	let mut best: Subscription<Header> = client
		.subscribe("chain_subscribeNewHeads", rpc_params![], "chain_unsubscribeNewHeads")
		.await
		.context("subscribing to new heads")?;
	let mut finalized: Subscription<Header> = client
		.subscribe(
			"chain_subscribeFinalizedHeads",
			rpc_params![],
			"chain_unsubscribeFinalizedHeads",
		)
		.await
		.context("subscribing to finalized heads")?;
	let mut heights = Vec::new();
	let (mut best_number, mut finalized_number) = (0, 0);
	loop {
		tokio::select! {
			_ = stop.changed() => break,
			header = best.next() => {
				let header = header.ok_or_else(|| anyhow!("new-heads subscription ended"))??;
				best_number = header.number;
				let hash = header.hash().0;
				let seen = start.elapsed().as_secs_f64();
				let block = fetch(client, hash).await?;
				let freed = tracker.lock().unwrap_or_else(|e| e.into_inner()).best_block(
					hash, header.number, header.parent_hash.0, block.timestamp_ms, &block.extrinsics, seen,
				);
				window.add_permits(freed);
			},
			header = finalized.next() => {
				let header = header.ok_or_else(|| anyhow!("finalized-heads subscription ended"))??;
				finalized_number = header.number;
				let head = header.hash().0;
				let at = start.elapsed().as_secs_f64();
				loop {
					let missing = tracker.lock().unwrap_or_else(|e| e.into_inner()).missing_ancestor(head);
					let Some(missing) = missing else { break };
					let block = fetch(client, missing).await?;
					tracker.lock().unwrap_or_else(|e| e.into_inner()).best_block(
						missing, block.number, block.parent, block.timestamp_ms, &block.extrinsics, at,
					);
				}
				let freed = tracker.lock().unwrap_or_else(|e| e.into_inner()).finalized(head, at);
				window.add_permits(freed);
			},
		}
		// Heights once both are known (the two subscriptions' first notifications race).
		if best_number > 0 && finalized_number > 0 {
			heights.push(Heights {
				at: start.elapsed().as_secs_f64(),
				best: best_number,
				finalized: finalized_number,
			});
		}
	}
	Ok(heights)
}

/// A block's number, parent, timestamp and extrinsic hashes.
pub struct Fetched {
	pub number: u32,
	pub parent: BlockHash,
	pub timestamp_ms: u64,
	pub extrinsics: Vec<TxHash>,
}

/// Block `hash` from the node: `chain_getBlock`, and `Timestamp::Now` in its state.
pub async fn fetch(client: &WsClient, hash: BlockHash) -> Result<Fetched> {
	let hash_hex = format!("0x{}", hex::encode(hash));
	let block: Value = tokio::time::timeout(
		Duration::from_secs(60),
		client.request("chain_getBlock", rpc_params![&hash_hex]),
	)
	.await
	.context("chain_getBlock timed out")?
	.context("chain_getBlock")?;
	let header: Header = serde_json::from_value(block["block"]["header"].clone())
		.with_context(|| format!("header of block {hash_hex}"))?;
	let extrinsics = block["block"]["extrinsics"]
		.as_array()
		.ok_or_else(|| anyhow!("block {hash_hex} without extrinsics"))?
		.iter()
		.map(|x| {
			let x = x.as_str().ok_or_else(|| anyhow!("extrinsic is not hex"))?;
			Ok(blake2_256(&hex::decode(x.trim_start_matches("0x")).context("extrinsic hex")?))
		})
		.collect::<Result<Vec<_>>>()?;
	let key = format!("0x{}", hex::encode(tpw_client::storage::value("Timestamp", "Now")));
	let now: Option<String> =
		client.request("state_getStorage", rpc_params![key, &hash_hex]).await?;
	let timestamp_ms = match now {
		Some(raw) => u64::decode(&mut &hex::decode(raw.trim_start_matches("0x"))?[..])?,
		None => 0,
	};
	Ok(Fetched { number: header.number, parent: header.parent_hash.0, timestamp_ms, extrinsics })
}
