//! The tower's watch: it follows the chain block by block, finds each close or challenge for
//! which its blobs hold a newer state, and pursues a challenge with it until the chain holds
//! that state or newer, the challenge period ends, or a bounded number of attempts failed.
//!
//! What it pursues and how far it has read are kept in its store, so a restart resumes where
//! it stopped, and a block that a reorg replaced is read again on its new fork.

use super::{
	blob::{hint_of, is_cosigned, open},
	keeper::Keeper,
	store::{BlobStore, Limits},
};
use crate::{
	chain::{calls, Chain},
	events,
	keys::Keys,
	store::Store,
	AccountId, BlockNumber, ChannelId, ChannelInfo, Hash32, Nonce, SignedState,
};
use anyhow::{Context, Result};
use codec::{Decode, DecodeAll, Encode};
use polkadot_sdk::sp_core::H256;
use std::{collections::BTreeMap, path::Path, sync::Arc, time::Duration};
use tpwallet_payment_channels_primitives::ChannelStatus;

/// Times a block that cannot be read is tried (once per poll) before it is passed over.
const MAX_BLOCK_TRIES: u32 = 30;
/// Challenges sent for one close at most.
const MAX_ATTEMPTS: u8 = 5;
/// Blocks to wait for a challenge to show on chain before sending it again.
const RESEND_AFTER: BlockNumber = 3;
/// Closes watched at most (each costs a read per poll until its period ends).
const MAX_PURSUITS: usize = 10_000;
/// Unfinalized blocks remembered to detect reorgs.
const MAX_UNFINALIZED: usize = 64;
/// The record of the watch's progress.
const PROGRESS: &str = "tower-progress.scale";

/// A close being watched, and answered once the blobs hold a newer state.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Pursuit {
	pub channel: ChannelId,
	/// The state submitted last (by the close, or a challenge since).
	pub closing: SignedState,
	/// The newest state the blobs hold beyond it (`None`: none yet; looked for again at each
	/// poll, as blobs may arrive after the close).
	pub newest: Option<SignedState>,
	/// Challenges sent so far, and the best block when the last was.
	pub attempts: u8,
	pub sent_at: Option<BlockNumber>,
}

/// What a restart resumes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
struct Progress {
	/// The next block to read (`None`: the best, when the watch starts).
	next: Option<BlockNumber>,
	pursuits: Vec<Pursuit>,
}

/// The tower: its chain connection (submissions return at inclusion), the key that pays for
/// challenges, and what keeps the blobs.
pub struct Tower {
	pub chain: Chain,
	pub keys: Keys,
	pub keeper: Arc<Keeper>,
	store: Store,
}

impl Tower {
	/// A tower keeping its blobs in `dir`, for every client or only the `allowed` ones.
	pub fn new(
		chain: Chain,
		keys: Keys,
		dir: &Path,
		limits: Limits,
		allowed: Option<Vec<AccountId>>,
	) -> Result<Self> {
		let mut keeper = Keeper::new(&keys, BlobStore::open(dir, limits)?);
		if let Some(allowed) = allowed {
			keeper = keeper.allowing(allowed);
		}
		let keeper = Arc::new(keeper);
		Ok(Self { chain, keys, keeper, store: Store::open(dir)? })
	}

	fn load(&self) -> Result<Progress> {
		match self.store.load_record(PROGRESS)? {
			Some(body) => Progress::decode_all(&mut &body[..]).context("decoding the progress"),
			None => Ok(Progress::default()),
		}
	}

	/// Follows the chain and answers stale closes; never returns unless the store fails.
	pub async fn watch(&self, poll: Duration) -> Result<()> {
		let mut progress = self.load()?;
		let mut saved = progress.encode();
		let mut read: BTreeMap<BlockNumber, H256> = BTreeMap::new();
		let mut failures = 0u32;
		loop {
			if let Err(e) = self.poll(&mut progress, &mut read, &mut failures).await {
				log::warn!("reading the chain: {e:#}");
			}
			let now = progress.encode();
			if now != saved {
				self.store.save_record(PROGRESS, &now)?;
				saved = now;
			}
			tokio::time::sleep(poll).await;
		}
	}

	async fn poll(
		&self,
		progress: &mut Progress,
		read: &mut BTreeMap<BlockNumber, H256>,
		failures: &mut u32,
	) -> Result<()> {
		let (best, _) = self.chain.best().await?;
		let (finalized, _) = self.chain.finalized().await?;
		// A block that a reorg replaced is read again, on its new fork.
		read.retain(|number, _| *number > finalized);
		while read.len() > MAX_UNFINALIZED {
			read.pop_first();
		}
		for (&number, &hash) in read.iter() {
			// A number above a best chain that got shorter reads as replaced too.
			if self.chain.block_hash(number).await.ok() != Some(hash) {
				log::info!("block {number} was replaced: reading again from there");
				progress.next = Some(progress.next.map_or(number, |next| next.min(number)));
				break;
			}
		}
		let from = progress.next.unwrap_or(best).min(best.saturating_add(1));
		read.retain(|number, _| *number < from);
		for number in from..=best {
			match self.read_block(number, &mut progress.pursuits).await {
				Ok(hash) => {
					read.insert(number, hash);
					*failures = 0;
				}
				Err(e) if *failures + 1 < MAX_BLOCK_TRIES => {
					*failures += 1;
					log::warn!("block {number}: {e:#}; trying again");
					break;
				}
				Err(e) => {
					*failures = 0;
					log::error!(
						"block {number}: {e:#}; tried {MAX_BLOCK_TRIES} times, passed over"
					);
				}
			}
			progress.next = Some(number + 1);
		}
		self.pursue(&mut progress.pursuits, best).await;
		Ok(())
	}

	/// Reads block `number` and takes up each close or challenge in it for which the blobs
	/// hold a newer state; returns the block's hash.
	async fn read_block(&self, number: BlockNumber, pursuits: &mut Vec<Pursuit>) -> Result<H256> {
		let hash = self.chain.block_hash(number).await?;
		let events = self.chain.events(hash).await?;
		let mut submitted: Vec<(ChannelId, Nonce)> = Vec::new();
		for event in events.find::<events::ChannelClosing>() {
			let e = event?;
			match e.nonce {
				Some(nonce) => submitted.push((e.channel, nonce)),
				// Nothing secret is revealed by a close on the deposits, so no blob can be
				// found for it; the parties' own watchtowers answer it.
				None => log::info!("channel {}: closed on its deposits", e.channel),
			}
		}
		for event in events.find::<events::ClosingChallenged>() {
			let e = event?;
			submitted.push((e.channel, e.nonce));
		}
		if submitted.is_empty() {
			return Ok(hash);
		}
		let body = self.chain.block_json(hash).await?;
		let extrinsics: Vec<Vec<u8>> = body["block"]["extrinsics"]
			.as_array()
			.map(|xs| {
				xs.iter()
					.filter_map(|x| hex::decode(x.as_str()?.trim_start_matches("0x")).ok())
					.collect()
			})
			.unwrap_or_default();
		let genesis = self.chain.genesis_hash().0;
		for (channel, nonce) in submitted {
			let Some(info) = self.chain.channel_at(channel, Some(hash)).await? else { continue };
			let Some(closing) = extrinsics
				.iter()
				.find_map(|ext| signed_state_in(ext, channel, nonce, &info, &genesis))
			else {
				log::warn!("channel {channel}: state {nonce} not found in its block");
				continue;
			};
			let newest = newest_after(&self.keeper.blobs(), &closing, &info, &genesis);
			if let Some(newest) = &newest {
				log::info!(
					"channel {channel}: closing on state {nonce}; challenge with state {}",
					newest.state.nonce
				);
			}
			let pursuit = Pursuit { channel, closing, newest, attempts: 0, sent_at: None };
			take_up(pursuits, pursuit);
		}
		Ok(hash)
	}

	/// Challenges where the chain still holds an older state than the blobs; drops what is
	/// resolved (settled, answered, or its period over).
	async fn pursue(&self, pursuits: &mut Vec<Pursuit>, best: BlockNumber) {
		let genesis = self.chain.genesis_hash().0;
		let mut kept = Vec::new();
		for mut p in std::mem::take(pursuits) {
			let channel = p.channel;
			let info = match self.chain.channel_at(channel, None).await {
				Ok(Some(info)) => info,
				Ok(None) => continue,
				Err(e) => {
					log::warn!("channel {channel}: {e:#}");
					kept.push(p);
					continue;
				}
			};
			let on_chain = match info.status {
				ChannelStatus::Closing { nonce, closes_at, .. } if best < closes_at => nonce,
				_ => continue,
			};
			if p.newest.is_none() {
				p.newest = newest_after(&self.keeper.blobs(), &p.closing, &info, &genesis);
				if let Some(newest) = &p.newest {
					log::info!(
						"channel {channel}: closing on state {}; challenge with state {}",
						p.closing.state.nonce,
						newest.state.nonce
					);
				}
			}
			let Some(newest) = p.newest.clone() else {
				kept.push(p);
				continue;
			};
			if on_chain.is_some_and(|n| n >= newest.state.nonce) {
				log::info!(
					"channel {channel}: answered (the chain holds state {})",
					newest.state.nonce
				);
				continue;
			}
			if p.sent_at.is_some_and(|at| best < at.saturating_add(RESEND_AFTER)) {
				kept.push(p);
				continue;
			}
			if p.attempts >= MAX_ATTEMPTS {
				log::error!("channel {channel}: {MAX_ATTEMPTS} challenges failed; giving up");
				continue;
			}
			p.attempts += 1;
			p.sent_at = Some(best);
			match self.chain.submit(&self.keys, calls::challenge(channel, newest)).await {
				Ok(included) => log::info!(
					"channel {channel}: challenge included in block #{}",
					included.number
				),
				Err(e) => {
					log::warn!("channel {channel}: challenge (attempt {}): {e:#}", p.attempts)
				}
			}
			kept.push(p);
		}
		*pursuits = kept;
	}
}

/// Watches the close in `p`, or, for a channel already watched, moves its watch to the newer
/// of the two submitted states (what the blobs found, and the attempts made, stand unless the
/// submitted state caught up with them). Beyond [`MAX_PURSUITS`], a close for which no blob
/// was found is not watched.
fn take_up(pursuits: &mut Vec<Pursuit>, p: Pursuit) {
	let room = pursuits.len() < MAX_PURSUITS;
	match pursuits.iter_mut().find(|q| q.channel == p.channel) {
		Some(q) => {
			if p.closing.state.nonce > q.closing.state.nonce {
				q.closing = p.closing;
			}
			let found = [q.newest.take(), p.newest].into_iter().flatten();
			q.newest = found.max_by_key(|s| s.state.nonce);
			if q.newest.as_ref().is_some_and(|n| n.state.nonce <= q.closing.state.nonce) {
				q.newest = None;
				(q.attempts, q.sent_at) = (0, None);
			}
		}
		None if room || p.newest.is_some() => pursuits.push(p),
		None => log::warn!("channel {}: too many closes watched; not this one", p.channel),
	}
}

/// The newest state the blobs lead to from `closing` (`None`: no blob for it). At each step
/// every blob filed under either signature's hint is opened, and the newest that both parties
/// signed is followed: a forged blob is passed over, and one filed first hides nothing.
pub fn newest_after(
	blobs: &BlobStore,
	closing: &SignedState,
	info: &ChannelInfo,
	genesis: &Hash32,
) -> Option<SignedState> {
	let mut newest: Option<SignedState> = None;
	// Nonces only grow along the way, so this ends; the bound is a second guard.
	for _ in 0..=blobs.len() {
		let current = newest.as_ref().unwrap_or(closing);
		let mut opened: Vec<SignedState> = [&current.sig_a, &current.sig_b]
			.into_iter()
			.flat_map(|sig| {
				blobs.candidates(&hint_of(sig)).filter_map(move |sealed| open(sig, current, sealed))
			})
			.collect();
		opened.sort_by_key(|s| std::cmp::Reverse(s.state.nonce));
		let Some(next) = opened.into_iter().find(|s| is_cosigned(s, info, genesis)) else {
			break;
		};
		newest = Some(next);
	}
	newest
}

/// The state of `channel` at `nonce`, with its signatures, as extrinsic `ext` submitted it (a
/// `close` or a `challenge`, possibly inside a batch or a proxy): found by its encoding, which
/// starts with the channel id, and kept only if both parties' signatures verify.
pub fn signed_state_in(
	ext: &[u8],
	channel: ChannelId,
	nonce: Nonce,
	info: &ChannelInfo,
	genesis: &Hash32,
) -> Option<SignedState> {
	let needle = channel.to_le_bytes();
	(0..=ext.len().saturating_sub(needle.len())).find_map(|i| {
		if ext[i..].starts_with(&needle) {
			let signed = SignedState::decode(&mut &ext[i..]).ok()?;
			let matches = signed.state.channel == channel && signed.state.nonce == nonce;
			(matches && is_cosigned(&signed, info, genesis)).then_some(signed)
		} else {
			None
		}
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::protocol::{
		tests::{pair, step, CTX},
		Update,
	};

	#[test]
	fn a_channel_is_pursued_once_with_its_newest_state() {
		let (alice, mut ca, bob, mut cb) = pair();
		let mut s = Vec::new();
		for _ in 0..3 {
			step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 1 }, &CTX).unwrap();
			s.push(cb.signed().unwrap());
		}
		let pursuit = |closing: &SignedState, newest: Option<&SignedState>, attempts| Pursuit {
			channel: closing.state.channel,
			closing: closing.clone(),
			newest: newest.cloned(),
			attempts,
			sent_at: None,
		};
		// A close on state 1 with nothing found yet, then blobs lead to state 2.
		let mut pursuits = vec![pursuit(&s[0], None, 0)];
		take_up(&mut pursuits, pursuit(&s[0], Some(&s[1]), 0));
		assert_eq!(pursuits, vec![pursuit(&s[0], Some(&s[1]), 0)]);
		pursuits[0].attempts = 2;
		// A challenge with state 1 again changes nothing; the newest found stands.
		take_up(&mut pursuits, pursuit(&s[0], None, 0));
		assert_eq!(pursuits, vec![pursuit(&s[0], Some(&s[1]), 2)]);
		// Someone challenged with state 3: nothing newer is known, the watch goes on from it.
		take_up(&mut pursuits, pursuit(&s[2], None, 0));
		assert_eq!(pursuits, vec![pursuit(&s[2], None, 0)]);
		// And what a restart resumes from survives its encoding.
		let progress = Progress { next: Some(7), pursuits };
		assert_eq!(Progress::decode_all(&mut &progress.encode()[..]).unwrap(), progress);
	}
}
