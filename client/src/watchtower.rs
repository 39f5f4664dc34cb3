//! Watchtower: follows the chain block by block and protects the channels in a store. When one
//! is closing on a state older than the newest co-signed state in the store, it submits
//! `challenge` with the newer state before the challenge period ends. When the closing state
//! is the newest, it resolves the conditional payments the store can claim (preimage known),
//! and once the period is over it can settle.
//!
//! It reacts to the best block, at once: a challenge or a resolution sent a few blocks late
//! may be too late, and one sent on a fork that loses is harmless (it fails, or is sent again
//! when the winning fork still needs it). It judges against the finalized block: a close is
//! reported defeated or accepted only once final, a resolution counts as done only once the
//! finalized chain holds it (a retracted one is sent again), and a channel is settled only when
//! the finalized state says its period is over.
//!
//! The store is read fresh every block and never locked, so a watchtower can run beside the
//! client that writes it (records are replaced atomically).

use crate::call::Call;
use crate::{
	chain::{calls, Chain},
	keys::Keys,
	protocol::Channel,
	store::Store,
	BlockNumber, ChannelId, ChannelInfo, Hash32, Nonce,
};
use anyhow::Result;
use polkadot_sdk::sp_core::H256;
use std::{collections::HashMap, time::Duration};
use tpwallet_payment_channels_primitives::ChannelStatus;

/// What to submit for one channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
	/// Replace the closing state with our newer one.
	Challenge,
	/// Resolve `conditions[index]` of our (closing) state with its preimage.
	Resolve { index: usize, preimage: Vec<u8> },
	/// Pay the channel out.
	Settle,
}

/// What to do about `ours` (the newest record in the store) given the chain's view `info` at
/// block `now`. Pure, so the rules are unit-tested without a chain.
pub fn decide(info: &ChannelInfo, ours: &Channel, now: BlockNumber, settle: bool) -> Vec<Action> {
	let ChannelStatus::Closing { nonce, closes_at, .. } = &info.status else {
		return Vec::new();
	};
	if now >= *closes_at {
		return if settle { vec![Action::Settle] } else { Vec::new() };
	}
	// A state that was never co-signed (nonce 0) cannot be submitted; `None` on chain (closed
	// without a state) is below every nonce.
	if ours.sigs.is_some() && *nonce < Some(ours.state.nonce) {
		return vec![Action::Challenge];
	}
	if *nonce != Some(ours.state.nonce) {
		return Vec::new();
	}
	ours.claimable()
		.into_iter()
		.filter(|(index, _)| now < ours.conditions[*index].expiry)
		.map(|(index, preimage)| Action::Resolve { index, preimage })
		.collect()
}

/// How a close stands in the finalized chain, against the newest state in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
	/// Closing on an older state than ours, and the period still runs: a challenge is due (or
	/// sent and not final yet).
	Stale { closing: Option<Nonce>, ours: Nonce },
	/// Closing on our newest state: the close stands.
	Current { nonce: Nonce },
	/// Closing on a state newer than any in the store: the store is behind (restored from an
	/// old backup?); nothing to challenge with.
	AheadOfStore { closing: Nonce, ours: Nonce },
	/// The period is over: the closing state is final, and the channel can be settled.
	Settleable { nonce: Option<Nonce> },
}

/// The verdict on `info` (the channel at the finalized block `finalized`), `None` while open.
pub fn judge(info: &ChannelInfo, ours: &Channel, finalized: BlockNumber) -> Option<Verdict> {
	let ChannelStatus::Closing { nonce, closes_at, .. } = &info.status else {
		return None;
	};
	let mine = ours.state.nonce;
	Some(match *nonce {
		_ if finalized >= *closes_at => Verdict::Settleable { nonce: *nonce },
		Some(closing) if closing == mine => Verdict::Current { nonce: closing },
		Some(closing) if closing > mine => Verdict::AheadOfStore { closing, ours: mine },
		closing => Verdict::Stale { closing, ours: mine },
	})
}

/// A submission that is not repeated while the block that included it may become final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Sent {
	/// The resolution of a payment (by hash lock) of a channel's closing state (by nonce).
	Resolve(ChannelId, Option<Nonce>, Hash32),
	Settle(ChannelId),
}

impl Sent {
	fn channel(&self) -> ChannelId {
		match self {
			Sent::Resolve(id, ..) | Sent::Settle(id) => *id,
		}
	}
}

/// A watchtower over the channels of a store.
pub struct Watchtower {
	/// Its submissions should return at inclusion ([`crate::chain::Wait::Inclusion`]): the
	/// tower follows finality itself, and a wait would delay its other channels.
	pub chain: Chain,
	/// The account that pays for challenges (any funded account: the state's signatures make
	/// the challenge valid, not who submits it).
	pub keys: Keys,
	pub store: Store,
	/// Only these channels (all in the store if empty).
	pub channels: Vec<ChannelId>,
	/// Settle channels whose challenge period is over.
	pub settle: bool,
	/// How often to look for a new block.
	pub poll: Duration,
}

/// The block that included a submission.
#[derive(Clone, Copy, Debug)]
struct Inclusion {
	number: BlockNumber,
	hash: H256,
	/// Seen in the finalized chain: no need to look again.
	is_final: bool,
}

/// What the tower remembers between blocks.
#[derive(Default)]
struct Memory {
	/// What was included, and in which block.
	sent: HashMap<Sent, Inclusion>,
	/// The last verdict logged per channel: each is reported once.
	verdicts: HashMap<ChannelId, Verdict>,
}

impl Watchtower {
	/// Runs until an unrecoverable error (RPC errors are retried on the next block).
	pub async fn run(&self) -> Result<()> {
		let mut last = None;
		let mut memory = Memory::default();
		loop {
			match self.heads().await {
				Ok(heads) if Some(heads) != last => {
					last = Some(heads);
					if let Err(e) = self.check(heads.0, heads.1, &mut memory).await {
						log::warn!("block {}: {e:#}", heads.0 .0);
					}
				}
				Ok(_) => {}
				Err(e) => log::warn!("reading the chain: {e:#}"),
			}
			tokio::time::sleep(self.poll).await;
		}
	}

	/// The best and the finalized block.
	async fn heads(&self) -> Result<((BlockNumber, H256), (BlockNumber, H256))> {
		Ok((self.chain.best().await?, self.chain.finalized().await?))
	}

	/// Checks every guarded channel: reacts at `best`, judges and settles at `finalized`.
	async fn check(
		&self,
		(number, hash): (BlockNumber, H256),
		(final_number, final_hash): (BlockNumber, H256),
		memory: &mut Memory,
	) -> Result<()> {
		self.forget_retracted(final_number, &mut memory.sent).await?;
		for mut ours in self.store.load_all()? {
			if !self.channels.is_empty() && !self.channels.contains(&ours.id) {
				continue;
			}
			let id = ours.id;
			// Invoice preimages live beside the channel records.
			for c in ours.conditions.clone() {
				if let Some(p) = self.store.invoice(&c.hash_lock)?.map(|i| i.preimage) {
					ours.learn_preimage(&p);
				}
			}
			if let Some(info) = self.chain.channel_at(id, Some(hash)).await? {
				let closing_nonce = match &info.status {
					ChannelStatus::Closing { nonce, .. } => *nonce,
					ChannelStatus::Open => None,
				};
				for action in decide(&info, &ours, number, false) {
					let key = match &action {
						Action::Resolve { index, .. } => Some(Sent::Resolve(
							id,
							closing_nonce,
							ours.conditions[*index].hash_lock,
						)),
						_ => None,
					};
					self.act_once(&ours, &action, key, number, &mut memory.sent).await;
				}
			}
			let Some(final_info) = self.chain.channel_at(id, Some(final_hash)).await? else {
				// Settled for good (or never opened): nothing more to remember.
				memory.verdicts.remove(&id);
				memory.sent.retain(|key, _| key.channel() != id);
				continue;
			};
			if let Some(verdict) = judge(&final_info, &ours, final_number) {
				if memory.verdicts.insert(id, verdict) != Some(verdict) {
					log::info!("channel {id}, finalized at block {final_number}: {verdict:?}");
				}
			}
			for action in decide(&final_info, &ours, final_number, self.settle) {
				// Only settling waits for finality; the rest was done at the best block.
				if action == Action::Settle {
					let key = Some(Sent::Settle(id));
					self.act_once(&ours, &action, key, number, &mut memory.sent).await;
				}
			}
		}
		Ok(())
	}

	/// Submits `action` for `ours` unless `key` says it was included already (and not retracted).
	async fn act_once(
		&self,
		ours: &Channel,
		action: &Action,
		key: Option<Sent>,
		now: BlockNumber,
		sent: &mut HashMap<Sent, Inclusion>,
	) {
		if key.is_some_and(|key| sent.contains_key(&key)) {
			return;
		}
		if let (Some((number, hash)), Some(key)) = (self.act(ours, action, now).await, key) {
			sent.insert(key, Inclusion { number, hash, is_final: false });
		}
	}

	/// Submits `action` for `ours`; the block that included it, or `None` (logged) if it was not.
	async fn act(
		&self,
		ours: &Channel,
		action: &Action,
		now: BlockNumber,
	) -> Option<(BlockNumber, H256)> {
		let id = ours.id;
		let (call, what): (Option<Call>, String) = match action {
			Action::Challenge => (
				ours.signed().map(|s| calls::challenge(id, s)),
				format!("challenge with state {}", ours.state.nonce),
			),
			Action::Resolve { index, preimage } => (
				calls::resolve(id, &ours.conditions, *index, preimage.clone()),
				format!("resolve payment {}", hex::encode(ours.conditions[*index].hash_lock)),
			),
			Action::Settle => (Some(calls::settle(id)), "settle".into()),
		};
		let call = call?;
		log::info!("channel {id} at block {now}: {what}");
		match self.chain.submit(&self.keys, call).await {
			Ok(included) => {
				log::info!("channel {id}: {what}: included in {:?}", included.block);
				Some((included.number, included.block))
			}
			Err(e) => {
				log::warn!("channel {id}: {what}: {e:#}");
				None
			}
		}
	}

	/// Forgets what was included in a block that lost to another at its height in the
	/// finalized chain, so that it is sent again while it is still needed.
	async fn forget_retracted(
		&self,
		finalized: BlockNumber,
		sent: &mut HashMap<Sent, Inclusion>,
	) -> Result<()> {
		let mut retracted = Vec::new();
		for (key, at) in sent.iter_mut() {
			if at.is_final || at.number > finalized {
				continue;
			}
			match self.chain.is_final(at.number, at.hash).await? {
				Some(false) => retracted.push(*key),
				Some(true) => at.is_final = true,
				None => {}
			}
		}
		for key in retracted {
			log::warn!("{key:?}: its block was retracted; sending it again if still needed");
			sent.remove(&key);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::protocol::{
		tests::{pair, step, CTX},
		Update,
	};
	use crate::{conditions, Condition, Direction};
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;

	fn info(status: ChannelStatus<crate::AccountId, BlockNumber>, ch: &Channel) -> ChannelInfo {
		ChannelInfo {
			party_a: ch.party_a.clone(),
			party_b: ch.party_b.clone(),
			asset: NativeOrWithId::Native,
			deposits: ch.chain_deposits,
			status,
		}
	}

	fn closing(ch: &Channel, nonce: Option<Nonce>, closes_at: BlockNumber) -> ChannelInfo {
		let closer = ch.party_a.clone();
		info(ChannelStatus::Closing { closer, nonce, closes_at, resolved: 0 }, ch)
	}

	#[test]
	fn challenges_a_stale_close_before_the_period_ends() {
		let (alice, mut ca, bob, mut cb) = pair();
		// Nothing co-signed yet: nothing to challenge with.
		assert!(decide(&closing(&cb, None, 50), &cb, 10, false).is_empty());
		for amount in [10, 20] {
			step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount }, &CTX).unwrap();
		}
		let open = info(ChannelStatus::Open, &cb);
		assert!(decide(&open, &cb, 10, true).is_empty());
		// Closed on nonce 1 or with no state, Bob holds nonce 2: challenge, in time only.
		for nonce in [None, Some(1)] {
			assert_eq!(decide(&closing(&cb, nonce, 50), &cb, 10, false), vec![Action::Challenge]);
			assert_eq!(decide(&closing(&cb, nonce, 50), &cb, 49, false), vec![Action::Challenge]);
			assert!(decide(&closing(&cb, nonce, 50), &cb, 50, false).is_empty());
		}
		// Closed on the newest state (or a newer one we lack): nothing to do but settle later.
		assert!(decide(&closing(&cb, Some(2), 50), &cb, 10, true).is_empty());
		assert!(decide(&closing(&cb, Some(3), 50), &cb, 10, true).is_empty());
		assert_eq!(decide(&closing(&cb, Some(2), 50), &cb, 50, true), vec![Action::Settle]);
		assert!(decide(&closing(&cb, Some(2), 50), &cb, 50, false).is_empty());
	}

	#[test]
	fn judges_a_close_by_the_finalized_state() {
		let (alice, mut ca, bob, mut cb) = pair();
		for amount in [10, 20] {
			step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount }, &CTX).unwrap();
		}
		assert_eq!(judge(&info(ChannelStatus::Open, &cb), &cb, 10), None);
		let at = |nonce, now| judge(&closing(&cb, nonce, 50), &cb, now);
		assert_eq!(at(Some(1), 10), Some(Verdict::Stale { closing: Some(1), ours: 2 }));
		assert_eq!(at(None, 49), Some(Verdict::Stale { closing: None, ours: 2 }));
		assert_eq!(at(Some(2), 10), Some(Verdict::Current { nonce: 2 }));
		assert_eq!(at(Some(3), 10), Some(Verdict::AheadOfStore { closing: 3, ours: 2 }));
		// Once the period is over at the finalized block, whatever closed stands.
		assert_eq!(at(Some(1), 50), Some(Verdict::Settleable { nonce: Some(1) }));
	}

	#[test]
	fn resolves_claimable_payments_of_the_closing_state() {
		let (alice, mut ca, bob, mut cb) = pair();
		for (pre, expiry) in [(&b"mine"[..], 100), (&b"late"[..], 30), (&b"unknown"[..], 100)] {
			let payment = Condition {
				direction: Direction::AToB,
				amount: 5,
				hash_lock: conditions::hash_lock(pre),
				expiry,
			};
			let update = Update::AddHtlc { payment, forward: Vec::new() };
			step(&alice, &mut ca, &bob, &mut cb, update, &CTX).unwrap();
		}
		cb.learn_preimage(b"mine");
		cb.learn_preimage(b"late");
		let at = |now| decide(&closing(&cb, Some(3), 200), &cb, now, false);
		assert_eq!(at(20).len(), 2);
		// Past its expiry a payment can no longer be resolved.
		assert_eq!(at(30), vec![Action::Resolve { index: 0, preimage: b"mine".to_vec() }]);
		// The payer (Alice) has nothing to claim: the payments go back to her unresolved.
		ca.learn_preimage(b"mine");
		assert!(decide(&closing(&ca, Some(3), 200), &ca, 20, false).is_empty());
		// And each call it produces is within the chain's bounds.
		assert!(calls::resolve(3, &cb.conditions, 0, b"mine".to_vec()).is_some());
	}
}
