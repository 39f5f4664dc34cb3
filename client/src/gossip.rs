//! Channel gossip: what a node learns of the network's channels from its peers, so that it
//! builds its own routing graph instead of reading a hand-written one.
//!
//! - An [`Announcement`] names a channel, its two parties and its asset, signed by both: nobody
//!   can announce a channel in someone else's name. A node accepts it only once the chain
//!   confirms it (the channel exists, is open, its parties and asset are the ones named); the
//!   chain also gives its capacity (the two deposits).
//! - A [`ChannelUpdate`] gives one direction's forwarding terms (fees, expiry delta, disabled),
//!   signed by the party that forwards over it; a higher `serial` replaces a lower one.
//!
//! This module is the pure part (checks and the graph); the peer sessions carry the messages
//! and ask the chain. Memory is bounded ([`MAX_CHANNELS`]).

use crate::{
	keys::{self, Keys},
	route::{Edge, Graph},
	AccountId, AssetKind, Balance, BlockNumber, ChannelId, ChannelInfo, Hash32, Signature,
};
use codec::{Decode, Encode};
use std::collections::BTreeMap;
use tpwallet_payment_channels_primitives::ChannelStatus;

/// Channels a node keeps gossip for at most.
pub const MAX_CHANNELS: usize = 100_000;
/// How far ahead of the receiver's clock a serial may be, in seconds.
pub const MAX_SKEW: u64 = 600;
/// Announcements and updates in one gossip message at most.
pub const MAX_PER_MESSAGE: usize = 1_000;

/// A channel, announced by both its parties.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Announcement {
	pub channel: ChannelId,
	pub party_a: AccountId,
	pub party_b: AccountId,
	pub asset: AssetKind,
	pub sig_a: Signature,
	pub sig_b: Signature,
}

/// One direction's forwarding terms, signed by the party that forwards over it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ChannelUpdate {
	pub channel: ChannelId,
	/// The direction: from party A to B (else from B to A).
	pub from_a: bool,
	pub fee_base: Balance,
	pub fee_ppm: u32,
	pub expiry_delta: BlockNumber,
	/// The party does not forward over it now.
	pub disabled: bool,
	/// Higher replaces lower (the signer's clock, say).
	pub serial: u64,
	pub sig: Signature,
}

/// Why gossip was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GossipError {
	/// The chain has no such channel.
	UnknownChannel,
	/// The channel is closing or closed.
	NotOpen,
	/// The chain names other parties, or another asset.
	WrongParties,
	/// A signature does not verify.
	BadSignature,
	/// An update for a channel not announced (yet).
	Unannounced,
	/// The node keeps no more channels.
	Full,
	/// A serial further ahead than any clock.
	FromTheFuture,
}

impl std::fmt::Display for GossipError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		let text = match self {
			Self::UnknownChannel => "no such channel on chain",
			Self::NotOpen => "the channel is not open",
			Self::WrongParties => "the chain names other parties or another asset",
			Self::BadSignature => "a signature does not verify",
			Self::Unannounced => "an update for a channel not announced",
			Self::Full => "no room for more channels",
			Self::FromTheFuture => "a serial from the future",
		};
		f.write_str(text)
	}
}

impl std::error::Error for GossipError {}

/// What a party signs to announce `channel` between `party_a` and `party_b` in `asset`.
pub fn announcement_payload(
	genesis: &Hash32,
	channel: ChannelId,
	(party_a, party_b): (&AccountId, &AccountId),
	asset: &AssetKind,
) -> Vec<u8> {
	(b"tpwallet/gossip/v1/announce", genesis, channel, party_a, party_b, asset).encode()
}

impl Announcement {
	/// The announcement of the channel `info` describes, from both parties' signatures.
	pub fn of(channel: ChannelId, info: &ChannelInfo, sig_a: Signature, sig_b: Signature) -> Self {
		Self {
			channel,
			party_a: info.party_a.clone(),
			party_b: info.party_b.clone(),
			asset: info.asset.clone(),
			sig_a,
			sig_b,
		}
	}

	fn payload(&self, genesis: &Hash32) -> Vec<u8> {
		announcement_payload(genesis, self.channel, (&self.party_a, &self.party_b), &self.asset)
	}
}

impl ChannelUpdate {
	fn payload(&self, genesis: &Hash32) -> Vec<u8> {
		let terms = (self.fee_base, self.fee_ppm, self.expiry_delta, self.disabled, self.serial);
		(b"tpwallet/gossip/v1/update", genesis, self.channel, self.from_a, terms).encode()
	}

	/// The update for the direction `keys` forwards over in `channel`, signed.
	#[allow(clippy::too_many_arguments)]
	pub fn signed(
		keys: &Keys,
		genesis: &Hash32,
		channel: ChannelId,
		from_a: bool,
		(fee_base, fee_ppm, expiry_delta): (Balance, u32, BlockNumber),
		disabled: bool,
		serial: u64,
	) -> Self {
		let mut update = Self {
			channel,
			from_a,
			fee_base,
			fee_ppm,
			expiry_delta,
			disabled,
			serial,
			// Replaced by the signature over the rest.
			sig: Signature::Sr25519(polkadot_sdk::sp_core::sr25519::Signature::from_raw([0; 64])),
		};
		update.sig = keys.sign(&update.payload(genesis));
		update
	}
}

/// A channel as gossip knows it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
struct Known {
	announcement: Announcement,
	capacity: Balance,
	/// The updates from A and from B.
	updates: (Option<ChannelUpdate>, Option<ChannelUpdate>),
}

/// The channels a node learnt of, on the chain of `genesis`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Gossip {
	genesis: Hash32,
	channels: BTreeMap<ChannelId, Known>,
}

impl Gossip {
	pub fn new(genesis: Hash32) -> Self {
		Self { genesis, channels: BTreeMap::new() }
	}

	pub fn genesis(&self) -> &Hash32 {
		&self.genesis
	}

	/// Whether `channel` is announced.
	pub fn knows(&self, channel: ChannelId) -> bool {
		self.channels.contains_key(&channel)
	}

	/// Takes `a`, given what the chain reports of its channel (`info`); whether it is new.
	pub fn accept_announcement(
		&mut self,
		a: Announcement,
		info: Option<&ChannelInfo>,
	) -> Result<bool, GossipError> {
		let info = info.ok_or(GossipError::UnknownChannel)?;
		if !matches!(info.status, ChannelStatus::Open) {
			return Err(GossipError::NotOpen);
		}
		if info.party_a != a.party_a || info.party_b != a.party_b || info.asset != a.asset {
			return Err(GossipError::WrongParties);
		}
		if self.knows(a.channel) {
			return Ok(false);
		}
		if !self.is_signed(&a) {
			return Err(GossipError::BadSignature);
		}
		if self.channels.len() >= MAX_CHANNELS {
			return Err(GossipError::Full);
		}
		let capacity = info.deposits.0.saturating_add(info.deposits.1);
		let known = Known { announcement: a, capacity, updates: (None, None) };
		self.channels.insert(known.announcement.channel, known);
		Ok(true)
	}

	/// Whether both parties named signed `a` (for this chain): checked before the chain is
	/// asked about it.
	pub fn is_signed(&self, a: &Announcement) -> bool {
		let payload = a.payload(&self.genesis);
		keys::verify(&a.sig_a, &payload, &a.party_a) && keys::verify(&a.sig_b, &payload, &a.party_b)
	}

	/// Takes `u` at time `now` (seconds); whether it is newer than the update held for its
	/// direction. A serial from further than [`MAX_SKEW`] in the future is refused: it would
	/// shadow every later update of its direction, and stall what peers ask for.
	pub fn accept_update(&mut self, u: ChannelUpdate, now: u64) -> Result<bool, GossipError> {
		if u.serial > now.saturating_add(MAX_SKEW) {
			return Err(GossipError::FromTheFuture);
		}
		let genesis = self.genesis;
		let known = self.channels.get_mut(&u.channel).ok_or(GossipError::Unannounced)?;
		let a = &known.announcement;
		let (signer, slot) = if u.from_a {
			(&a.party_a, &mut known.updates.0)
		} else {
			(&a.party_b, &mut known.updates.1)
		};
		if slot.as_ref().is_some_and(|held| held.serial >= u.serial) {
			return Ok(false);
		}
		if !keys::verify(&u.sig, &u.payload(&genesis), signer) {
			return Err(GossipError::BadSignature);
		}
		*slot = Some(u);
		Ok(true)
	}

	/// The terms published for `channel` in the direction from A (`from_a`) or from B.
	pub fn update_of(&self, channel: ChannelId, from_a: bool) -> Option<&ChannelUpdate> {
		let known = self.channels.get(&channel)?;
		if from_a {
			known.updates.0.as_ref()
		} else {
			known.updates.1.as_ref()
		}
	}

	/// The channels known.
	pub fn channel_ids(&self) -> Vec<ChannelId> {
		self.channels.keys().copied().collect()
	}

	/// Forgets `channel` (the chain says it closed).
	pub fn forget(&mut self, channel: ChannelId) -> bool {
		self.channels.remove(&channel).is_some()
	}

	/// The updates with a serial above `serial`, and the announcements of their channels: what
	/// a peer that holds gossip up to `serial` lacks.
	pub fn since(&self, serial: u64) -> (Vec<Announcement>, Vec<ChannelUpdate>) {
		let (mut announcements, mut updates) = (Vec::new(), Vec::new());
		for known in self.channels.values() {
			let newer: Vec<&ChannelUpdate> = [&known.updates.0, &known.updates.1]
				.into_iter()
				.flatten()
				.filter(|u| u.serial > serial)
				.collect();
			if !newer.is_empty() {
				announcements.push(known.announcement.clone());
				updates.extend(newer.into_iter().cloned());
			}
		}
		(announcements, updates)
	}

	/// The highest serial of the updates held (0: none).
	pub fn newest_serial(&self) -> u64 {
		let serials = self.channels.values().flat_map(|k| [&k.updates.0, &k.updates.1]);
		serials.flatten().map(|u| u.serial).max().unwrap_or(0)
	}

	/// The routing graph (of channels in `asset`, if given): a directed edge for each
	/// direction whose party published terms and forwards now.
	pub fn graph(&self, asset: Option<&AssetKind>) -> Graph {
		let mut edges = Vec::new();
		let channels = self.channels.values();
		for known in channels.filter(|k| asset.is_none_or(|x| *x == k.announcement.asset)) {
			let a = &known.announcement;
			let directions = [
				(&known.updates.0, &a.party_a, &a.party_b),
				(&known.updates.1, &a.party_b, &a.party_a),
			];
			for (update, from, to) in directions {
				let Some(u) = update.as_ref().filter(|u| !u.disabled) else { continue };
				edges.push(Edge {
					channel: a.channel,
					from: from.clone(),
					to: to.clone(),
					capacity: known.capacity,
					fee_base: u.fee_base,
					fee_ppm: u.fee_ppm,
					expiry_delta: u.expiry_delta,
				});
			}
		}
		Graph { edges }
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;

	const GENESIS: Hash32 = [3; 32];

	fn keys(uri: &str) -> Keys {
		Keys::from_uri(uri).unwrap()
	}

	fn info(a: &Keys, b: &Keys, status: ChannelStatus<AccountId, BlockNumber>) -> ChannelInfo {
		ChannelInfo {
			party_a: a.account().clone(),
			party_b: b.account().clone(),
			asset: NativeOrWithId::Native,
			deposits: (700, 300),
			status,
		}
	}

	fn announce(channel: ChannelId, a: &Keys, b: &Keys) -> Announcement {
		let (pa, pb) = (a.account(), b.account());
		let payload = announcement_payload(&GENESIS, channel, (pa, pb), &NativeOrWithId::Native);
		let info = info(a, b, ChannelStatus::Open);
		Announcement::of(channel, &info, a.sign(&payload), b.sign(&payload))
	}

	#[test]
	fn an_announcement_needs_both_signatures_and_the_chain_to_agree() {
		let (alice, bob, eve) = (keys("//Alice"), keys("//Bob"), keys("//Eve"));
		let mut g = Gossip::new(GENESIS);
		let open = info(&alice, &bob, ChannelStatus::Open);
		// Eve announces Alice and Bob's channel, signing for both: refused.
		let mut forged = announce(1, &alice, &bob);
		forged.sig_b = eve.sign(&forged.payload(&GENESIS));
		assert_eq!(g.accept_announcement(forged, Some(&open)), Err(GossipError::BadSignature));
		// Signed on another chain: refused.
		let mut other = Gossip::new([4; 32]);
		assert_eq!(
			other.accept_announcement(announce(1, &alice, &bob), Some(&open)),
			Err(GossipError::BadSignature)
		);
		// The chain has no such channel, it is closing, or it names other parties: refused.
		let a = announce(1, &alice, &bob);
		assert_eq!(g.accept_announcement(a.clone(), None), Err(GossipError::UnknownChannel));
		let closing = ChannelStatus::Closing {
			closer: alice.account().clone(),
			nonce: None,
			closes_at: 9,
			resolved: 0,
		};
		let closing = info(&alice, &bob, closing);
		assert_eq!(g.accept_announcement(a.clone(), Some(&closing)), Err(GossipError::NotOpen));
		let with_eve = info(&alice, &eve, ChannelStatus::Open);
		assert_eq!(
			g.accept_announcement(a.clone(), Some(&with_eve)),
			Err(GossipError::WrongParties)
		);
		let mut in_asset_7 = open.clone();
		in_asset_7.asset = NativeOrWithId::WithId(7);
		assert_eq!(
			g.accept_announcement(a.clone(), Some(&in_asset_7)),
			Err(GossipError::WrongParties)
		);
		// Signed by both and confirmed: taken once.
		assert_eq!(g.accept_announcement(a.clone(), Some(&open)), Ok(true));
		assert_eq!(g.accept_announcement(a, Some(&open)), Ok(false));
		assert!(g.graph(None).edges.is_empty(), "no terms published yet");
	}

	#[test]
	fn updates_are_signed_by_their_side_and_newer_replaces_older() {
		let (alice, bob) = (keys("//Alice"), keys("//Bob"));
		let mut g = Gossip::new(GENESIS);
		let update = |k: &Keys, from_a, fee, disabled, serial| {
			ChannelUpdate::signed(k, &GENESIS, 1, from_a, (fee, 100, 40), disabled, serial)
		};
		assert_eq!(
			g.accept_update(update(&alice, true, 5, false, 1), 10),
			Err(GossipError::Unannounced)
		);
		let open = info(&alice, &bob, ChannelStatus::Open);
		g.accept_announcement(announce(1, &alice, &bob), Some(&open)).unwrap();
		// Bob cannot set the terms of Alice's direction.
		assert_eq!(
			g.accept_update(update(&bob, true, 0, false, 1), 10),
			Err(GossipError::BadSignature)
		);
		assert_eq!(g.accept_update(update(&alice, true, 5, false, 1), 10), Ok(true));
		assert_eq!(g.accept_update(update(&bob, false, 7, false, 1), 10), Ok(true));
		let edges = g.graph(None).edges;
		assert_eq!(edges.len(), 2);
		let from_alice = edges.iter().find(|e| e.from == *alice.account()).unwrap();
		assert_eq!(
			(from_alice.to.clone(), from_alice.capacity, from_alice.fee_base, from_alice.fee_ppm),
			(bob.account().clone(), 1000, 5, 100)
		);
		// An older or equal serial changes nothing; a newer one does, and disabling drops
		// the edge.
		assert_eq!(g.accept_update(update(&alice, true, 1, false, 1), 10), Ok(false));
		assert_eq!(g.accept_update(update(&alice, true, 1, true, 2), 10), Ok(true));
		let edges = g.graph(None).edges;
		assert_eq!((edges.len(), edges[0].from.clone()), (1, bob.account().clone()));
		// A tampered update: refused.
		let mut tampered = update(&bob, false, 7, false, 3);
		tampered.fee_base = 0;
		assert_eq!(g.accept_update(tampered, 10), Err(GossipError::BadSignature));
		assert!(g.graph(Some(&NativeOrWithId::WithId(7))).edges.is_empty());
		let (anns, ups) = g.since(0);
		assert_eq!((anns.len(), ups.len()), (1, 2));
		// Bob's update (serial 1) is older than what a peer holding serial 2 has.
		assert_eq!(g.newest_serial(), 2);
		let (anns, ups) = g.since(1);
		assert_eq!((anns.len(), ups.len(), ups[0].from_a), (1, 1, true));
		assert_eq!(g.since(2), (vec![], vec![]));
		// A serial far ahead of the clock is refused.
		let ahead = update(&alice, true, 1, false, 10 + MAX_SKEW + 1);
		assert_eq!(g.accept_update(ahead, 10), Err(GossipError::FromTheFuture));
		assert!(g.forget(1));
		assert!(g.graph(None).edges.is_empty());
	}
}
