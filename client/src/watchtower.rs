//! Watchtower: follows the chain block by block and protects the channels in a store. When one
//! is closing on a state older than the newest co-signed state in the store, it submits
//! `challenge` with the newer state before the challenge period ends. When the closing state
//! is the newest, it resolves the conditional payments the store can claim (preimage known),
//! and once the period is over it can settle.
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
use std::{collections::HashSet, time::Duration};
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

/// A watchtower over the channels of a store.
pub struct Watchtower {
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

impl Watchtower {
	/// Runs until an unrecoverable error (RPC errors are retried on the next block).
	pub async fn run(&self) -> Result<()> {
		let mut last = None;
		// Resolutions already accepted, by (channel, closing nonce, lock): not sent twice.
		let mut resolved: HashSet<(ChannelId, Option<Nonce>, Hash32)> = HashSet::new();
		loop {
			match self.chain.best().await {
				Ok((number, hash)) if Some(number) != last => {
					last = Some(number);
					if let Err(e) = self.check(number, hash, &mut resolved).await {
						log::warn!("block {number}: {e:#}");
					}
				}
				Ok(_) => {}
				Err(e) => log::warn!("reading the chain: {e:#}"),
			}
			tokio::time::sleep(self.poll).await;
		}
	}

	/// Checks every guarded channel at block `number`.
	async fn check(
		&self,
		number: BlockNumber,
		hash: polkadot_sdk::sp_core::H256,
		resolved: &mut HashSet<(ChannelId, Option<Nonce>, Hash32)>,
	) -> Result<()> {
		for mut ours in self.store.load_all()? {
			if !self.channels.is_empty() && !self.channels.contains(&ours.id) {
				continue;
			}
			let Some(info) = self.chain.channel_at(ours.id, Some(hash)).await? else {
				continue;
			};
			// Invoice preimages live beside the channel records.
			for c in ours.conditions.clone() {
				if let Some(p) = self.store.invoice(&c.hash_lock)?.map(|i| i.preimage) {
					ours.learn_preimage(&p);
				}
			}
			let closing_nonce = match &info.status {
				ChannelStatus::Closing { nonce, .. } => *nonce,
				ChannelStatus::Open => None,
			};
			for action in decide(&info, &ours, number, self.settle) {
				let id = ours.id;
				let (call, what): (Option<Call>, String) = match &action {
					Action::Challenge => (
						ours.signed().map(|s| calls::challenge(id, s)),
						format!("challenge with state {}", ours.state.nonce),
					),
					Action::Resolve { index, preimage } => {
						let lock = ours.conditions[*index].hash_lock;
						if resolved.contains(&(id, closing_nonce, lock)) {
							continue;
						}
						(
							calls::resolve(id, &ours.conditions, *index, preimage.clone()),
							format!("resolve payment {}", hex::encode(lock)),
						)
					}
					Action::Settle => (Some(calls::settle(id)), "settle".into()),
				};
				let Some(call) = call else { continue };
				log::info!("channel {id} at block {number}: {what}");
				match self.chain.submit(&self.keys, call).await {
					Ok(included) => {
						log::info!("channel {id}: {what}: included in {:?}", included.block);
						if let Action::Resolve { index, .. } = action {
							resolved.insert((id, closing_nonce, ours.conditions[index].hash_lock));
						}
					}
					Err(e) => log::warn!("channel {id}: {what}: {e:#}"),
				}
			}
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
