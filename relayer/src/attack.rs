//! TEST TOOLING: crafted extrinsics an honest relayer never sends, to check that a chain rejects
//! them (`tpw-relayer attack ...`, run by `relayer/e2e.sh`). Each returns the error the chain
//! answered with; an attack the chain accepts is an error. Run them while no relayer runs, so
//! that no honest submission races them.

use crate::{
	calls, finality, plan,
	relay::{self, Side},
};
use anyhow::{anyhow, bail, ensure, Result};
use codec::{Decode, Encode};
use log::warn;
use std::time::Duration;
use tpw_client::{
	bridge::{self, ChainId, HeaderId, LaneId, MessageNonce},
	keys::Keys,
};
use tpw_client::{call::Call, AccountId, AssetKind, Balance};

type Message = tpwallet_bridge_primitives::Message<ChainId, AccountId, AssetKind, Balance>;

/// How long an attack waits for the chains to reach the state it needs (finality, headers).
const WAIT_ROUNDS: u32 = 30;
const WAIT: Duration = Duration::from_secs(2);

/// The chain's answer to a crafted extrinsic: `Ok(error)` if it was rejected.
async fn rejected(dst: &Side, signer: &Keys, call: Call) -> Result<String> {
	match dst.chain.submit(signer, call).await {
		Ok(included) => bail!("ACCEPTED by {} in block {:?}", dst.name, included.block),
		Err(e) => Ok(format!("{e:#}")),
	}
}

/// A genuine justification of `src`'s latest finalized header with one signature byte
/// changed, submitted to `dst`'s light client.
pub async fn forged_justification(src: &Side, dst: &Side, signer: &Keys) -> Result<String> {
	let set = bridge::light_client_set(&dst.chain, None).await?;
	let mut found = None;
	for _ in 0..WAIT_ROUNDS {
		let known = dst.known_header().await?;
		found = finality::latest_justified(&src.chain, known.number).await?;
		if found.is_some() {
			break;
		}
		tokio::time::sleep(WAIT).await;
	}
	let (header, mut justification) = found
		.ok_or_else(|| anyhow!("{} finalized nothing newer than {} knows", src.name, dst.name))?;
	// Optimized first: the optimizer would drop the forged vote as invalid.
	finality::optimize(&header, &set, &mut justification)?;
	let precommit = justification
		.commit
		.precommits
		.first_mut()
		.ok_or_else(|| anyhow!("a justification without precommits"))?;
	let mut signature = precommit.signature.encode();
	signature[0] ^= 1;
	precommit.signature = Decode::decode(&mut &signature[..])?;
	rejected(dst, signer, calls::submit_header(header, justification, set.set_id)).await
}

/// Waits until `dst` knows a header of `src` with messages `dst` has not received, relaying
/// headers honestly meanwhile; returns that header and the messages.
async fn undelivered(
	src: &Side,
	dst: &Side,
	signer: &Keys,
) -> Result<(HeaderId, MessageNonce, MessageNonce)> {
	for _ in 0..WAIT_ROUNDS {
		let known = dst.known_header().await?;
		let lane = bridge::outbound_lane(&src.chain, dst.id, Some(known.hash)).await?;
		let receipt = bridge::inbound_lane(&dst.chain, None).await?;
		let (generated, delivered) =
			(lane.map_or(0, |l| l.latest_generated), receipt.map_or(0, |l| l.last_delivered));
		if let Some((first, last)) =
			plan::delivery_range(delivered, generated, relay::max_messages(&dst.chain).await?)
		{
			return Ok((known, first, last));
		}
		if let Err(e) = relay::submit_latest_header(src, dst, signer, known.number).await {
			warn!("{e:#}");
		}
		tokio::time::sleep(WAIT).await;
	}
	bail!("no message of {} waits for {} (send one first)", src.name, dst.name)
}

/// A genuine storage proof of the next undelivered messages with one byte of the message node
/// changed: its hash no longer matches the reference in its parent.
pub async fn forged_proof(src: &Side, dst: &Side, signer: &Keys) -> Result<String> {
	let (known, first, last) = undelivered(src, dst, signer).await?;
	let keys = bridge::delivery_proof_keys(dst.id, first, last);
	let mut proof = src.chain.read_proof(&keys, known.hash).await?;
	// The largest node holds a message.
	let node =
		proof.iter_mut().max_by_key(|node| node.len()).ok_or_else(|| anyhow!("empty proof"))?;
	if let Some(byte) = node.last_mut() {
		*byte ^= 1;
	}
	let lane = LaneId { source: src.id, destination: dst.id };
	rejected(dst, signer, calls::deliver(known.hash, lane, first, last, proof)).await
}

/// The last message `dst` received, delivered again with a genuine proof against the header
/// `dst` knows (the message is still there until its receipt reaches `src`).
pub async fn replay(src: &Side, dst: &Side, signer: &Keys) -> Result<String> {
	let known = dst.known_header().await?;
	let delivered = bridge::inbound_lane(&dst.chain, None).await?.map_or(0, |l| l.last_delivered);
	ensure!(delivered > 0, "{} received nothing yet", dst.name);
	let key = bridge::outbound_message_key(dst.id, delivered);
	let stored = src.chain.storage::<Message>(&key, Some(known.hash)).await?.is_some();
	println!(
		"replaying message {delivered} with a proof of #{} that {} it",
		known.number,
		if stored { "holds" } else { "no longer holds" }
	);
	let proof = src.chain.read_proof(&[key], known.hash).await?;
	let lane = LaneId { source: src.id, destination: dst.id };
	rejected(dst, signer, calls::deliver(known.hash, lane, delivered, delivered, proof)).await
}

/// `src`'s genuine message to `destination` (another chain) delivered to `dst` as if the lane
/// ended there: `dst` must refuse what is not addressed to it.
pub async fn wrong_destination(
	src: &Side,
	dst: &Side,
	signer: &Keys,
	destination: ChainId,
) -> Result<String> {
	for _ in 0..WAIT_ROUNDS {
		let known = dst.known_header().await?;
		let lane = bridge::outbound_lane(&src.chain, destination, Some(known.hash)).await?;
		if let Some(lane) = lane.filter(|l| l.latest_generated > l.latest_confirmed) {
			let nonce = lane.latest_confirmed + 1;
			let key = bridge::outbound_message_key(destination, nonce);
			let proof = src.chain.read_proof(&[key], known.hash).await?;
			let lane = LaneId { source: src.id, destination };
			return rejected(dst, signer, calls::deliver(known.hash, lane, nonce, nonce, proof))
				.await;
		}
		if let Err(e) = relay::submit_latest_header(src, dst, signer, known.number).await {
			warn!("{e:#}");
		}
		tokio::time::sleep(WAIT).await;
	}
	bail!("{} has no message for {destination:?} (open a lane and send one first)", src.name)
}
