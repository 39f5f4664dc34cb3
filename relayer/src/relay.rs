//! Relaying between two chains, both ways. Per direction `src -> dst`, each round:
//! (a) the header of `src` that enacts an authority set newer than the one `dst`'s light client
//!     knows (the light client cannot verify later justifications without it);
//! (b) `src`'s latest justified finalized header, if its state has messages for `dst` or a
//!     receipt of `dst`'s messages that the header `dst` knows does not;
//! (c) the messages `dst` has not received, proven against the header `dst` knows;
//! (d) `dst`'s receipt, proven against the header of `dst` that `src` knows, back to `src`.
//! Nothing is kept between rounds: a restarted relayer resumes where the chains are, and
//! relayers running side by side only lose races, which the chains reject (`OldHeader`,
//! `MessageAlreadyDelivered`, `ReceiptAlreadyConfirmed`) and which are logged and forgotten.

use crate::{
	calls,
	finality::{self, Justification},
	plan::{self, Progress},
};
use anyhow::{anyhow, bail, Context, Result};
use log::{debug, info, warn};
use polkadot_sdk::sp_core::H256;
use std::time::Duration;
use tpw_client::{
	bridge::{self, AuthoritySet, ChainId, Header, HeaderId, LaneId},
	chain::Chain,
	keys::Keys,
	BlockNumber,
};

/// One end of the bridge.
pub struct Side {
	/// Name in the log (`A`, `B`).
	pub name: String,
	pub chain: Chain,
	/// Its genesis hash.
	pub id: ChainId,
}

impl Side {
	pub async fn connect(name: &str, url: &str) -> Result<Self> {
		let chain = Chain::connect(url).await.with_context(|| format!("chain {name}"))?;
		let id = chain.genesis_hash();
		Ok(Self { name: name.into(), chain, id })
	}

	/// The header of the other chain that this chain's light client knows best.
	pub async fn known_header(&self) -> Result<HeaderId> {
		bridge::light_client_best(&self.chain, None).await?.ok_or_else(|| {
			anyhow!("{}: the light client is not initialised (tpw-relayer init)", self.name)
		})
	}

	/// This chain's messages for `other` and receipt of `other`'s messages, at block `at`.
	pub async fn progress(&self, other: ChainId, at: H256) -> Result<Progress> {
		let lane = bridge::outbound_lane(&self.chain, other, Some(at)).await?;
		let inbound = bridge::inbound_lane(&self.chain, Some(at)).await?;
		Ok(Progress {
			generated: lane.map_or(0, |l| l.latest_generated),
			delivered: inbound.map_or(0, |l| l.last_delivered),
		})
	}
}

/// Relays between `a` and `b`, signing with `signer` (paying the fees on both chains).
pub struct Relayer {
	pub a: Side,
	pub b: Side,
	pub signer: Keys,
}

impl Relayer {
	/// Checks that the two chains bridge to each other and their light clients are running.
	pub async fn check(&self) -> Result<()> {
		for (side, other) in [(&self.a, &self.b), (&self.b, &self.a)] {
			match bridge::bridged_chain(&side.chain, None).await? {
				Some(id) if id == other.id => {}
				Some(id) => {
					bail!("{} bridges to {id:?}, not to {} ({:?})", side.name, other.name, other.id)
				}
				None => bail!("{}: no bridged chain set (tpw-relayer init)", side.name),
			}
			side.known_header().await?;
		}
		Ok(())
	}

	/// One round: both directions.
	pub async fn round(&self) {
		relay(&self.a, &self.b, &self.signer).await;
		relay(&self.b, &self.a, &self.signer).await;
	}

	/// Rounds forever, `poll` apart.
	pub async fn run(&self, poll: Duration) {
		loop {
			self.round().await;
			tokio::time::sleep(poll).await;
		}
	}
}

/// One round of `src -> dst`. Each step's failure is logged and the next step still runs: a
/// lost race or a node's hiccup must not stop the other work.
pub async fn relay(src: &Side, dst: &Side, signer: &Keys) {
	let route = format!("{}->{}", src.name, dst.name);
	let set_change_pending = match authority_set_change(src, dst, signer).await {
		Ok(pending) => pending,
		Err(e) => {
			warn!("{route}: authority set change: {e:#}");
			true
		}
	};
	// A header past a set change is signed by the new set: useless before the change.
	if !set_change_pending {
		if let Err(e) = new_header(src, dst, signer).await {
			warn!("{route}: header: {e:#}");
		}
	}
	if let Err(e) = deliver(src, dst, signer).await {
		warn!("{route}: {e:#}");
	}
	if let Err(e) = confirm(src, dst, signer).await {
		warn!("{route}: {e:#}");
	}
}

/// (a) Submits the header that enacts `src`'s next authority set, if `dst`'s light client is
/// behind; returns whether it was (so that no later header is tried this round).
async fn authority_set_change(src: &Side, dst: &Side, signer: &Keys) -> Result<bool> {
	let set = bridge::light_client_set(&dst.chain, None).await?;
	let head = src.chain.finalized_head().await?;
	if bridge::grandpa_set_id(&src.chain, head).await? <= set.set_id {
		return Ok(false);
	}
	let known = dst.known_header().await?;
	let head_number = src.chain.header(head).await?.number;
	let number = match plan::first_block_above(known.number, head_number, set.set_id, |n| {
		finality::set_id_at(&src.chain, n)
	})
	.await
	{
		Ok(number) => number,
		// The state of blocks that old may be pruned (a light client left idle for longer than
		// the node keeps state); headers are kept, and the change's digest is in one.
		Err(e) => {
			debug!("{}: set ids unreadable ({e:#}); searching headers", src.name);
			plan::first_block_scheduling_change(known.number, head_number, |n| {
				finality::schedules_change(&src.chain, n)
			})
			.await?
		}
	};
	let hash = src.chain.block_hash(number).await?;
	let header = src.chain.header(hash).await?;
	let justification = finality::justification(&src.chain, hash).await?.ok_or_else(|| {
		anyhow!("{}'s node stores no justification of #{number}, which enacts a new set", src.name)
	})?;
	submit_header(src, dst, signer, header, justification, &set).await?;
	Ok(true)
}

/// (b) Submits `src`'s latest justified finalized header if `dst` needs it for messages or a
/// receipt.
async fn new_header(src: &Side, dst: &Side, signer: &Keys) -> Result<()> {
	let known = dst.known_header().await?;
	let head = src.chain.finalized_head().await?;
	let finalized = src.progress(dst.id, head).await?;
	let seen = match src.progress(dst.id, known.hash).await {
		Ok(seen) => seen,
		// The state of an old header may be pruned by now: any newer header is then welcome.
		Err(e) => {
			debug!("{}: state at #{} unreadable ({e:#})", src.name, known.number);
			Progress::default()
		}
	};
	if !plan::header_needed(seen, finalized) {
		return Ok(());
	}
	submit_latest_header(src, dst, signer, known.number).await
}

/// Submits `src`'s latest finalized header above block `above` that has a justification.
pub async fn submit_latest_header(
	src: &Side,
	dst: &Side,
	signer: &Keys,
	above: BlockNumber,
) -> Result<()> {
	let Some((header, justification)) = finality::latest_justified(&src.chain, above).await? else {
		debug!("{}: no justified header above #{above} yet", src.name);
		return Ok(());
	};
	let set = bridge::light_client_set(&dst.chain, None).await?;
	submit_header(src, dst, signer, header, justification, &set).await
}

/// Submits `header` of `src` to `dst`'s light client with its `justification`, trimmed to
/// what the light client accepts.
async fn submit_header(
	src: &Side,
	dst: &Side,
	signer: &Keys,
	header: Header,
	mut justification: Justification,
	set: &AuthoritySet,
) -> Result<()> {
	finality::optimize(&header, set, &mut justification)?;
	let number = header.number;
	let call = calls::submit_header(header, justification, set.set_id);
	dst.chain
		.submit(signer, call)
		.await
		.with_context(|| format!("header #{number} of {} to {}", src.name, dst.name))?;
	info!("submitted header #{number} of {} to {}", src.name, dst.name);
	Ok(())
}

/// Most messages `chain` accepts in one delivery (the runtime's constant).
pub async fn max_messages(chain: &Chain) -> Result<u32> {
	chain.runtime(None).await?.constant("Bridge", "MaxMessagesPerDelivery")
}

/// (c) Delivers to `dst` the messages it has not received, up to the header it knows.
async fn deliver(src: &Side, dst: &Side, signer: &Keys) -> Result<()> {
	let known = dst.known_header().await?;
	let Some(lane) = bridge::outbound_lane(&src.chain, dst.id, Some(known.hash)).await? else {
		return Ok(());
	};
	let receipt = bridge::inbound_lane(&dst.chain, None)
		.await?
		.ok_or_else(|| anyhow!("{}: no inbound lane (no bridged chain set)", dst.name))?;
	let Some((first, last)) = plan::delivery_range(
		receipt.last_delivered,
		lane.latest_generated,
		max_messages(&dst.chain).await?,
	) else {
		return Ok(());
	};
	let keys = bridge::delivery_proof_keys(dst.id, first, last);
	let proof = src.chain.read_proof(&keys, known.hash).await?;
	let lane = LaneId { source: src.id, destination: dst.id };
	dst.chain
		.submit(signer, calls::deliver(known.hash, lane, first, last, proof))
		.await
		.with_context(|| format!("delivery of messages {first}..={last}"))?;
	info!("delivered {}->{} messages {first}..={last}", src.name, dst.name);
	Ok(())
}

/// (d) Proves `dst`'s receipt to `src`, if it confirms messages `src` still keeps.
async fn confirm(src: &Side, dst: &Side, signer: &Keys) -> Result<()> {
	let known = src.known_header().await?;
	let Some(receipt) = bridge::inbound_lane(&dst.chain, Some(known.hash)).await? else {
		return Ok(());
	};
	let Some(lane) = bridge::outbound_lane(&src.chain, dst.id, None).await? else {
		return Ok(());
	};
	if receipt.source != src.id || !plan::receipt_due(receipt.last_delivered, lane.latest_confirmed)
	{
		return Ok(());
	}
	let (first, last) = (lane.latest_confirmed + 1, receipt.last_delivered);
	let proof = dst.chain.read_proof(&[bridge::inbound_lane_key()], known.hash).await?;
	src.chain
		.submit(signer, calls::confirm(known.hash, proof))
		.await
		.with_context(|| format!("receipt of messages {first}..={last}"))?;
	info!("confirmed {}->{} messages {first}..={last} on {}", src.name, dst.name, src.name);
	Ok(())
}
