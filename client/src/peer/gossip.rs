//! Gossip over channel sessions. At the start of a session each side sends its half of the
//! channel's announcement if it has none (`AnnounceSig`; the two halves make the
//! [`Announcement`]) and its own terms, and asks for what it lacks (`GossipSince` the newest
//! update it holds, less a margin for clocks; answered with `Gossip` messages and
//! `GossipSent`). Whatever a node accepts as new it passes on to its other sessions. Every
//! announcement is checked against the chain before it is taken or passed on.

use super::*;
use crate::{
	gossip::{Announcement, ChannelUpdate, Gossip, MAX_PER_MESSAGE},
	route::{liquidity_fee_ppm, Graph},
};
use codec::{DecodeAll, Encode};
use tpwallet_payment_channels_primitives::ChannelStatus;

/// The store's record of what gossip taught.
const RECORD: &str = "gossip.scale";
/// Announcements checked on chain per message, and channels per pruning, at most.
const MAX_CHAIN_CHECKS: usize = 100;
/// A session answers `GossipSince` at most this often.
const SINCE_EVERY: Duration = Duration::from_secs(60);
/// How far behind the newest update held a node asks from: serials are the signers' clocks.
const CLOCK_MARGIN: u64 = 600;

/// What gossip taught, as last stored (nothing, if it was for another chain or damaged).
pub(super) fn load(store: &Store, genesis: Hash32) -> Gossip {
	match store.load_record(RECORD) {
		Ok(Some(body)) => Gossip::decode_all(&mut &body[..])
			.ok()
			.filter(|g| *g.genesis() == genesis)
			.unwrap_or_else(|| Gossip::new(genesis)),
		Ok(None) => Gossip::new(genesis),
		Err(e) => {
			log::warn!("gossip: {e:#}; starting afresh");
			Gossip::new(genesis)
		}
	}
}

impl Node {
	/// The routing graph gossip taught (of channels in `asset`, if given).
	pub fn learned_graph(&self, asset: Option<&AssetKind>) -> Graph {
		guard(&self.inner.gossip).graph(asset)
	}

	/// The proportional fee this node asks to forward over `chan` now: its configured rate,
	/// rising as its side drains ([`liquidity_fee_ppm`]).
	pub(super) fn liquidity_ppm(&self, chan: &Channel) -> u32 {
		let capacity = chan.chain_deposits.0.saturating_add(chan.chain_deposits.1);
		liquidity_fee_ppm(self.inner.config.fee_ppm, chan.balance(chan.side), capacity)
	}

	/// The proportional fee this node charges to forward over `chan`: what it published, so
	/// that payers routing on its terms are not refused (it republishes as liquidity moves);
	/// the current rate if it published none.
	pub(super) fn forwarding_ppm(&self, chan: &Channel) -> u32 {
		let published =
			guard(&self.inner.gossip).update_of(chan.id, chan.side == Side::A).map(|u| u.fee_ppm);
		published.unwrap_or_else(|| self.liquidity_ppm(chan))
	}

	/// Publishes new terms for `chan` if its liquidity moved the fee by a tenth or more from
	/// what was published.
	pub(super) async fn republish_if_moved(&self, chan: &Channel) {
		let published = match guard(&self.inner.gossip).update_of(chan.id, chan.side == Side::A) {
			Some(u) => u.fee_ppm as u64,
			None => return,
		};
		let now = self.liquidity_ppm(chan) as u64;
		if now.abs_diff(published).saturating_mul(10) >= published.max(1) {
			self.take_gossip(None, Vec::new(), vec![self.own_update(chan)]).await;
		}
	}

	/// This node's terms for its direction of `chan`, signed now.
	pub(super) fn own_update(&self, chan: &Channel) -> ChannelUpdate {
		let c = &self.inner.config;
		let terms = (c.fee_base, self.liquidity_ppm(chan), c.expiry_delta);
		let from_a = chan.side == Side::A;
		let (keys, genesis) = (&self.inner.keys, &chan.genesis);
		// Newer than what was published, even within the same second.
		let published = guard(&self.inner.gossip).update_of(chan.id, from_a).map(|u| u.serial);
		let serial = crate::payment::now_secs().max(published.map_or(0, |s| s.saturating_add(1)));
		ChannelUpdate::signed(keys, genesis, chan.id, from_a, terms, chan.closed, serial)
	}

	/// Takes gossip (from session `from`, if any): each announcement not known yet is checked
	/// against the chain. What is new is stored and passed on to the other sessions.
	pub(super) async fn take_gossip(
		&self,
		from: Option<u64>,
		announcements: Vec<Announcement>,
		updates: Vec<ChannelUpdate>,
	) {
		let (mut new_announcements, mut new_updates) = (Vec::new(), Vec::new());
		let mut asked = 0;
		for a in announcements.into_iter().take(MAX_PER_MESSAGE) {
			{
				let gossip = guard(&self.inner.gossip);
				// Signatures first: the chain is asked only about what both parties signed,
				// and about a bounded number per message.
				if gossip.knows(a.channel) || !gossip.is_signed(&a) || asked >= MAX_CHAIN_CHECKS {
					continue;
				}
			}
			asked += 1;
			let info = match self.inner.chain.channel(a.channel).await {
				Ok(info) => info,
				Err(e) => {
					log::debug!("gossip: channel {}: {e:#}", a.channel);
					continue;
				}
			};
			match guard(&self.inner.gossip).accept_announcement(a.clone(), info.as_ref()) {
				Ok(true) => new_announcements.push(a),
				Ok(false) => {}
				Err(e) => log::debug!("gossip: announcement of channel {} refused: {e}", a.channel),
			}
		}
		let now = crate::payment::now_secs();
		for u in updates.into_iter().take(MAX_PER_MESSAGE) {
			match guard(&self.inner.gossip).accept_update(u.clone(), now) {
				Ok(true) => new_updates.push(u),
				Ok(false) => {}
				Err(e) => log::debug!("gossip: update of channel {} refused: {e}", u.channel),
			}
		}
		if new_announcements.is_empty() && new_updates.is_empty() {
			return;
		}
		self.save_gossip().await;
		let sessions: Vec<SessionHandle> = guard(&self.inner.sessions).values().cloned().collect();
		for handle in sessions.into_iter().filter(|h| Some(h.id) != from) {
			let command = Command::Gossip {
				announcements: new_announcements.clone(),
				updates: new_updates.clone(),
			};
			if handle.commands.try_send(command).is_err() {
				log::debug!("gossip: a session's queue is full; it learns at its next start");
			}
		}
	}

	/// Stores what gossip taught (off the async threads: it fsyncs).
	async fn save_gossip(&self) {
		let body = guard(&self.inner.gossip).encode();
		let store = self.inner.store.clone();
		match tokio::task::spawn_blocking(move || store.save_record(RECORD, &body)).await {
			Ok(Ok(())) => {}
			Ok(Err(e)) => log::warn!("gossip: storing: {e:#}"),
			Err(e) => log::warn!("gossip: storing: {e}"),
		}
	}

	/// Forgets the channels the chain no longer shows open (at most [`MAX_CHAIN_CHECKS`]
	/// asked per call, from a rotating start), so that routes do not cross closed channels.
	pub async fn prune_gossip(&self) {
		let ids = guard(&self.inner.gossip).channel_ids();
		if ids.is_empty() {
			return;
		}
		let start = self.inner.next_session.load(Ordering::Relaxed) as usize % ids.len();
		let mut forgot = false;
		for id in ids.iter().cycle().skip(start).take(ids.len().min(MAX_CHAIN_CHECKS)) {
			let open = match self.inner.chain.channel(*id).await {
				Ok(info) => info.is_some_and(|i| matches!(i.status, ChannelStatus::Open)),
				Err(_) => continue,
			};
			if !open {
				forgot |= guard(&self.inner.gossip).forget(*id);
			}
		}
		if forgot {
			self.save_gossip().await;
		}
	}

	/// Brings what gossip taught up to date from the peers of this store's open channels (or
	/// of channel `only`), dialling them, waiting at most `wait` for their answers. A channel
	/// dialled for the first time is announced on the way.
	pub async fn refresh_gossip(&self, only: Option<ChannelId>, wait: Duration) {
		let mut answers = self.inner.gossip_sent.subscribe();
		let before = answers.borrow_and_update().clone();
		let mut asked = Vec::new();
		for chan in self.inner.store.load_all().unwrap_or_default() {
			if chan.closed || only.is_some_and(|id| id != chan.id) {
				continue;
			}
			if self.is_connected(chan.id) {
				// A running session asked at its start; ask again for what came since.
				let since = guard(&self.inner.gossip).newest_serial();
				if let Some(handle) = guard(&self.inner.sessions).get(&chan.id) {
					let serial = since.saturating_sub(CLOCK_MARGIN);
					if handle.commands.try_send(Command::AskGossip { serial }).is_ok() {
						asked.push(chan.id);
					}
				}
			} else if chan.peer_addr.is_some() && self.connect(chan.id).await.is_ok() {
				// A new session asks at its start.
				asked.push(chan.id);
			}
		}
		self.prune_gossip().await;
		let _ = tokio::time::timeout(wait, async {
			while !answered(&before, &answers.borrow_and_update(), &asked) {
				if answers.changed().await.is_err() {
					return;
				}
			}
		})
		.await;
	}
}

/// Whether each channel in `asked` answered since `before` was taken; an answer on another
/// channel (a session's own periodic request, say) does not count for them.
fn answered(
	before: &HashMap<ChannelId, u64>,
	now: &HashMap<ChannelId, u64>,
	asked: &[ChannelId],
) -> bool {
	let count = |sent: &HashMap<ChannelId, u64>, id| sent.get(id).copied().unwrap_or(0);
	asked.iter().all(|id| count(now, id) > count(before, id))
}

impl Session {
	/// Sends our half of the channel's announcement (if gossip lacks it), what we know (if
	/// due) and our terms.
	pub(super) async fn open_gossip(&mut self) -> Result<()> {
		if self.chan.closed {
			return Ok(());
		}
		let node = self.node.clone();
		if guard(&node.inner.gossip).knows(self.chan.id) {
			// Our terms may have changed since: passed on to everyone, this peer included.
			node.take_gossip(None, Vec::new(), vec![node.own_update(&self.chan)]).await;
		} else {
			self.send_announce_sig().await?;
		}
		let since = guard(&node.inner.gossip).newest_serial().saturating_sub(CLOCK_MARGIN);
		self.send(Message::GossipSince { serial: since }).await
	}

	/// Our signature of the channel's announcement, sent once per session.
	async fn send_announce_sig(&mut self) -> Result<()> {
		if self.announce_sig.is_some() {
			return Ok(());
		}
		let info = match self.node.inner.chain.channel(self.chan.id).await {
			Ok(Some(info)) if matches!(info.status, ChannelStatus::Open) => info,
			// Not open (or not readable now): nothing to announce.
			_ => return Ok(()),
		};
		let payload = crate::gossip::announcement_payload(
			&self.chan.genesis,
			self.chan.id,
			(&info.party_a, &info.party_b),
			&info.asset,
		);
		let sig = self.keys().sign(&payload);
		self.announce_sig = Some((info, sig.clone()));
		self.send(Message::AnnounceSig { sig }).await
	}

	/// The other party's half of the announcement: with ours, the announcement, taken (and
	/// passed on, with our terms, to every session, this one included).
	pub(super) async fn on_announce_sig(&mut self, theirs: Signature) -> Result<()> {
		if guard(&self.node.inner.gossip).knows(self.chan.id) || self.chan.closed {
			return Ok(());
		}
		self.send_announce_sig().await?;
		let Some((info, ours)) = self.announce_sig.clone() else { return Ok(()) };
		let (sig_a, sig_b) = match self.chan.side {
			Side::A => (ours, theirs),
			Side::B => (theirs, ours),
		};
		let announcement = Announcement::of(self.chan.id, &info, sig_a, sig_b);
		let own = self.node.own_update(&self.chan);
		self.node.take_gossip(None, vec![announcement], vec![own]).await;
		Ok(())
	}

	/// Answers a `GossipSince`: what is newer than `serial`, then `GossipSent`. Once per
	/// [`SINCE_EVERY`] at most: a peer asking more is sent only `GossipSent`.
	pub(super) async fn on_gossip_since(&mut self, serial: u64) -> Result<()> {
		let now = Instant::now();
		if self.answered_since.is_some_and(|at| now < at + SINCE_EVERY) {
			return self.send(Message::GossipSent).await;
		}
		self.answered_since = Some(now);
		let (announcements, updates) = guard(&self.node.inner.gossip).since(serial);
		self.send_gossip(announcements, updates).await?;
		self.send(Message::GossipSent).await
	}

	/// Sends gossip in messages of at most [`MAX_PER_MESSAGE`] of each kind.
	pub(super) async fn send_gossip(
		&mut self,
		announcements: Vec<Announcement>,
		updates: Vec<ChannelUpdate>,
	) -> Result<()> {
		let (mut a, mut u) = (announcements.into_iter(), updates.into_iter());
		loop {
			let announcements: Vec<_> = a.by_ref().take(MAX_PER_MESSAGE).collect();
			let updates: Vec<_> = u.by_ref().take(MAX_PER_MESSAGE).collect();
			if announcements.is_empty() && updates.is_empty() {
				return Ok(());
			}
			self.send(Message::Gossip { announcements, updates }).await?;
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_refresh_waits_for_the_channels_it_asked() {
		let before = HashMap::from([(1, 3), (2, 5)]);
		// Channel 2 answered twice (its own requests), channel 1 not yet: still waiting.
		let now = HashMap::from([(1, 3), (2, 7)]);
		assert!(!answered(&before, &now, &[1, 2]));
		assert!(answered(&before, &now, &[2]));
		// Channel 3 had never answered before.
		let now = HashMap::from([(1, 4), (2, 7), (3, 1)]);
		assert!(answered(&before, &now, &[1, 2, 3]));
		assert!(!answered(&before, &HashMap::new(), &[1]));
		assert!(answered(&before, &before, &[]));
	}
}
