//! A node: runs one session per channel over TCP, pays, receives, and forwards hash-locked
//! payments hop by hop.
//!
//! A connection is first authenticated and encrypted (`transport`): each side learns the
//! account at the other end before a byte of the channel protocol is exchanged, and talks only
//! to the channel's other party. A session starts with `Hello` both ways; the side with the older co-signed state is brought
//! up to date (`Sync`). Then either side proposes (`Propose`); the other checks the proposal,
//! stores the co-signed state durably and only then countersigns (`Countersign`); the proposer
//! checks the countersignature, stores, and acknowledges (`Ack`). A crash at any point thus
//! leaves each side with a state it signed, and the next `Hello` reconciles them.
//!
//! One proposal is in flight per channel. If both propose at once, party A's goes first: A
//! rejects B's, B abandons its own and retries after A's (see [`Node::propose`]).

use crate::{
	chain::ChainView,
	conditions,
	keys::Keys,
	limits::{Inbound, InboundLimits},
	protocol::{Channel, Context, HopInstruction, Pending, ProtocolError, Side, Update},
	route::Route,
	store::{ChannelLock, Store},
	tower::{self, TowerAddr, Uploader},
	transport::{self, Connection, Identity, SecureReader, SecureWriter},
	wire::{FrameError, Message},
	AccountId, AssetKind, Balance, BlockNumber, ChannelId, ChannelInfo, Condition, Hash32,
	Signature, State,
};
use anyhow::{anyhow, bail, Context as _, Result};
use futures::future::BoxFuture;
use std::{
	collections::{HashMap, VecDeque},
	net::SocketAddr,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc, Mutex,
	},
	time::Duration,
};
use tokio::{
	net::{TcpListener, TcpStream},
	sync::{mpsc, oneshot, Notify},
	time::{timeout, Instant},
};

/// A node's policy.
#[derive(Clone, Debug)]
pub struct Config {
	/// Fee this node charges to forward: `fee_base + amount * ppm / 10^6`, where `ppm` is
	/// `fee_ppm` while at least half of its side of the outgoing channel is available, rising
	/// to 4× as that side drains (`route::liquidity_fee_ppm`), as published in gossip.
	pub fee_base: Balance,
	pub fee_ppm: u32,
	/// Blocks this node keeps between an incoming and the forwarded outgoing expiry: the time
	/// it has to claim upstream (on chain if need be) once the preimage is revealed downstream.
	pub expiry_delta: BlockNumber,
	/// Blocks an incoming conditional payment must have left before it expires.
	pub min_expiry_delta: BlockNumber,
	/// How long to wait for the other party's answer.
	pub timeout: Duration,
	/// A session idle this long ends, releasing the channel (another `tpw` process may then
	/// use it); the next payment dials again.
	pub idle: Duration,
	/// A watchtower (`tpw tower`) handed a sealed blob for every superseded state.
	pub tower: Option<TowerAddr>,
	/// Connections dialled by others that are still in their handshake (not yet authenticated
	/// as the other party of one of our channels), in all and per remote network: a stranger
	/// needs no key to make us do a handshake's work. A connection over either cap is closed at
	/// once. Sessions past it are bounded by the channels themselves (one each).
	pub inbound: InboundLimits,
}

impl Default for Config {
	fn default() -> Self {
		Self {
			fee_base: 0,
			fee_ppm: 0,
			expiry_delta: 40,
			min_expiry_delta: 20,
			timeout: Duration::from_secs(20),
			idle: Duration::from_secs(30),
			tower: None,
			inbound: InboundLimits::default(),
		}
	}
}

/// Why a proposal did not go through, beyond the protocol's own errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerError {
	/// Both parties proposed at once and this proposal yielded; it can be retried.
	Conflict,
	/// The other party refused it.
	Rejected(String),
	/// The other party did not answer in time.
	Timeout,
	/// The session ended before an answer.
	Ended,
}

impl std::fmt::Display for PeerError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			PeerError::Conflict => write!(f, "conflicting proposals"),
			PeerError::Rejected(reason) => write!(f, "rejected by the peer: {reason}"),
			PeerError::Timeout => write!(f, "the peer did not answer in time"),
			PeerError::Ended => write!(f, "the session ended"),
		}
	}
}

impl std::error::Error for PeerError {}

/// How a conditional payment this node made ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// The payee revealed this preimage: the proof of payment.
	Fulfilled(Vec<u8>),
	/// It came back unpaid; `at` is where it stopped (see [`Update::Fail`]).
	Failed { at: Option<ChannelId> },
}

/// Close signatures of a final state: what `cooperative_close` takes.
pub type CloseSignatures = (State, Signature, Signature);

enum Command {
	Propose {
		update: Update,
		reply: oneshot::Sender<Result<Channel>>,
	},
	Close {
		reply: oneshot::Sender<Result<CloseSignatures>>,
	},
	/// Mark the channel closed (no newer state is signed) for a unilateral close.
	Seal {
		reply: oneshot::Sender<Result<Channel>>,
	},
	/// Ask the peer for gossip newer than `serial`.
	AskGossip {
		serial: u64,
	},
	/// Pass gossip on to the peer.
	Gossip {
		announcements: Vec<crate::gossip::Announcement>,
		updates: Vec<crate::gossip::ChannelUpdate>,
	},
}

#[derive(Clone)]
struct SessionHandle {
	id: u64,
	commands: mpsc::Sender<Command>,
	/// Ends a session the peer dialled when the peer dials again (its old connection is dead
	/// to it, though this side may not have read the end of it yet).
	superseded: Option<Arc<Notify>>,
}

/// A node: keys, a store and the sessions of its channels. Cheap to clone.
#[derive(Clone)]
pub struct Node {
	inner: Arc<Inner>,
}

struct Inner {
	keys: Keys,
	/// The Noise key this process authenticates its connections with, bound to `keys`.
	identity: Identity,
	store: Store,
	chain: Arc<dyn ChainView>,
	config: Config,
	sessions: Mutex<HashMap<ChannelId, SessionHandle>>,
	waiters: Mutex<HashMap<Hash32, Vec<oneshot::Sender<Outcome>>>>,
	dialing: tokio::sync::Mutex<()>,
	next_session: AtomicU64,
	/// The link to the watchtower, if one is configured.
	tower: Option<Uploader>,
	/// What gossip taught of the network's channels.
	gossip: Mutex<crate::gossip::Gossip>,
	/// Answers to `GossipSince` received so far, per channel: a refresh waits for the channels
	/// it asked, not for any answer.
	gossip_sent: tokio::sync::watch::Sender<HashMap<ChannelId, u64>>,
}

/// Locks a std mutex, ignoring poisoning (no invariant spans a panic here).
fn guard<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
	m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Node {
	pub fn new(keys: Keys, store: Store, chain: Arc<dyn ChainView>, config: Config) -> Self {
		let tower = config.tower.clone().map(|t| Uploader::spawn(t, &keys, store.dir()));
		let gossip = Mutex::new(gossip::load(&store, chain.genesis()));
		Self {
			inner: Arc::new(Inner {
				tower,
				gossip,
				gossip_sent: tokio::sync::watch::Sender::new(HashMap::new()),
				identity: Identity::new(&keys),
				keys,
				store,
				chain,
				config,
				sessions: Mutex::new(HashMap::new()),
				waiters: Mutex::new(HashMap::new()),
				dialing: tokio::sync::Mutex::new(()),
				next_session: AtomicU64::new(0),
			}),
		}
	}

	/// This node's account.
	pub fn account(&self) -> &AccountId {
		self.inner.keys.account()
	}

	/// This node's store.
	pub fn store(&self) -> &Store {
		&self.inner.store
	}

	/// The channel as last stored.
	pub fn channel(&self, id: ChannelId) -> Result<Option<Channel>> {
		self.inner.store.load(id)
	}

	/// Waits until the watchtower confirmed every blob handed to it, or `timeout`; whether it
	/// did (true without a tower). Blobs not confirmed stay in the store's outbox for the next
	/// run.
	pub async fn flush_tower(&self, timeout: Duration) -> bool {
		match &self.inner.tower {
			Some(uploader) => uploader.flush(timeout).await,
			None => true,
		}
	}

	/// Whether a session of channel `id` is running.
	pub fn is_connected(&self, id: ChannelId) -> bool {
		guard(&self.inner.sessions).get(&id).is_some_and(|h| !h.commands.is_closed())
	}

	/// Accepts sessions on `addr`; returns the bound address.
	pub async fn listen(&self, addr: &str) -> Result<SocketAddr> {
		let listener = TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
		let local = listener.local_addr()?;
		let node = self.clone();
		let inbound = Inbound::new(self.inner.config.inbound);
		tokio::spawn(async move {
			loop {
				let (stream, from, slot) = inbound.accept(&listener, "channel listener").await;
				let node = node.clone();
				tokio::spawn(async move {
					if let Err(e) = node.accept(stream).await {
						log::warn!("session from {from} refused: {e:#}");
					}
					drop(slot);
				});
			}
		});
		Ok(local)
	}

	/// Opens the session of channel `id` by dialling the other party, unless one runs.
	// Boxed: dialling, reconciling and proposing call each other, and a named `Send` future
	// ends that cycle for the compiler.
	pub fn connect(&self, id: ChannelId) -> BoxFuture<'_, Result<()>> {
		Box::pin(self.dial(id))
	}

	async fn dial(&self, id: ChannelId) -> Result<()> {
		let _dialing = self.inner.dialing.lock().await;
		if self.is_connected(id) {
			return Ok(());
		}
		let channel_lock = self.inner.store.lock(id)?;
		let chan = self.inner.store.load(id)?.ok_or_else(|| anyhow!("no channel {id} in store"))?;
		let addr = chan
			.peer_addr
			.clone()
			.ok_or_else(|| anyhow!("channel {id}: the other party's address is unknown"))?;
		let stream = timeout(self.inner.config.timeout, TcpStream::connect(&addr))
			.await
			.map_err(|_| anyhow!("connecting to {addr}: timed out"))?
			.with_context(|| format!("connecting to {addr}"))?;
		stream.set_nodelay(true)?;
		let Connection { peer, reader: mut r, writer: mut w } =
			self.handshake(transport::initiate(stream, &self.inner.identity)).await?;
		// Nothing about the channel, not even its nonce, goes to anyone else.
		if peer != *chan.peer() {
			bail!("{addr} is account {peer}, not the other party of channel {id}");
		}
		w.send(&self.hello(&chan)).await?;
		let peer_nonce = match self.read(&mut r).await? {
			Message::Hello { channel, genesis, account, nonce }
				if channel == id && genesis == chan.genesis && account == peer =>
			{
				nonce
			}
			other => bail!("unexpected answer to Hello: {other:?}"),
		};
		self.start(chan, channel_lock, r, w, peer_nonce, false).await
	}

	/// Serves a session the other party dialled.
	async fn accept(&self, stream: TcpStream) -> Result<()> {
		stream.set_nodelay(true)?;
		let Connection { peer, reader: mut r, writer: mut w } =
			self.handshake(transport::respond(stream, &self.inner.identity)).await?;
		let Message::Hello { channel: id, genesis, account, nonce } = self.read(&mut r).await?
		else {
			bail!("a session must start with Hello");
		};
		if genesis != self.inner.chain.genesis() {
			bail!("Hello for another chain");
		}
		if account != peer {
			bail!("Hello claims account {account} on a connection authenticated as {peer}");
		}
		// Known here or on chain, and the connection authenticated as its other party, before
		// anything is written for it or its lock is taken.
		let view = match self.inner.store.load(id)? {
			Some(chan) => chan,
			None => self.join(id).await?,
		};
		if account != *view.peer() {
			bail!("Hello from an account that is not the other party of channel {id}");
		}
		// A peer that reconnects may find its last session still running here (its end of
		// file not read yet): the new connection, authenticated as the same peer, ends it. A
		// session this node dialled is left alone (both sides dialling at once would otherwise
		// end each other's), so a crossing dial waits a little and then gives up.
		if let Some(old) = guard(&self.inner.sessions).get(&id).and_then(|h| h.superseded.clone()) {
			old.notify_one();
		}
		let mut tries = 0;
		let channel_lock = loop {
			match self.inner.store.lock(id) {
				Ok(lock) => break lock,
				Err(_) if tries < 20 => {
					tries += 1;
					tokio::time::sleep(Duration::from_millis(50)).await;
				}
				Err(e) => return Err(e),
			}
		};
		let chan = match self.inner.store.load(id)? {
			Some(chan) => chan,
			None => {
				save(&self.inner.store, &view).await?;
				view
			}
		};
		w.send(&self.hello(&chan)).await?;
		self.start(chan, channel_lock, r, w, nonce, true).await
	}

	/// A handshake, bounded by the answer timeout.
	async fn handshake(
		&self,
		handshake: impl std::future::Future<Output = Result<Connection>>,
	) -> Result<Connection> {
		timeout(self.inner.config.timeout, handshake)
			.await
			.map_err(|_| anyhow!("handshake: timed out"))?
	}

	/// A channel first seen in a peer's Hello, from the chain (this node must be a party).
	async fn join(&self, id: ChannelId) -> Result<Channel> {
		let info = self.inner.chain.channel(id).await?.ok_or_else(|| anyhow!("no channel {id}"))?;
		let chan = Channel::new(
			id,
			self.inner.chain.genesis(),
			info.party_a,
			info.party_b,
			self.account(),
			info.deposits,
		)
		.ok_or_else(|| anyhow!("not a party of channel {id}"))?;
		Ok(chan)
	}

	fn hello(&self, chan: &Channel) -> Message {
		Message::Hello {
			channel: chan.id,
			genesis: chan.genesis,
			account: self.account().clone(),
			nonce: chan.state.nonce,
		}
	}

	async fn read(&self, r: &mut SecureReader) -> Result<Message> {
		Ok(timeout(self.inner.config.timeout, r.recv()).await.map_err(|_| PeerError::Timeout)??)
	}

	/// Brings the side behind up to date, then runs the session.
	async fn start(
		&self,
		mut chan: Channel,
		channel_lock: ChannelLock,
		mut r: SecureReader,
		mut w: SecureWriter,
		peer_nonce: u64,
		inbound: bool,
	) -> Result<()> {
		// Until a state is co-signed, both sides start from the deposits on chain now, so a
		// top-up made before the first payment (by any tool) cannot set them apart.
		if chan.sigs.is_none() && !chan.closed {
			if let Ok(Some(info)) = self.inner.chain.channel(chan.id).await {
				if let Some(next) = chan.with_opening_deposits(info.deposits) {
					save(&self.inner.store, &next).await?;
					chan = next;
				}
			}
		}
		if chan.state.nonce > peer_nonce {
			if let Some(signed) = chan.signed() {
				let sync = Message::Sync { signed, conditions: chan.conditions.clone() };
				w.send(&sync).await?;
			}
		} else if peer_nonce > chan.state.nonce {
			let Message::Sync { signed, conditions } = self.read(&mut r).await? else {
				bail!("the peer claims a newer state but did not send it");
			};
			let next = chan.adopt(&signed, conditions)?;
			save(&self.inner.store, &next).await?;
			log::info!("channel {}: adopted the peer's state {}", chan.id, next.state.nonce);
			chan = next;
		}

		let (commands_tx, commands) = mpsc::channel(MAX_COALESCED);
		let id = self.inner.next_session.fetch_add(1, Ordering::Relaxed);
		let channel_id = chan.id;
		let superseded = inbound.then(|| Arc::new(Notify::new()));
		guard(&self.inner.sessions).insert(
			channel_id,
			SessionHandle { id, commands: commands_tx, superseded: superseded.clone() },
		);
		let session = Session {
			id,
			announce_sig: None,
			answered_since: None,
			node: self.clone(),
			chan,
			_lock: channel_lock,
			writer: w,
			frames: spawn_reader(r),
			commands,
			superseded,
			outstanding: None,
			closing: None,
			deferred: VecDeque::new(),
		};
		let node = self.clone();
		tokio::spawn(async move {
			if let Err(e) = session.run().await {
				log::info!("channel {channel_id}: session ended: {e:#}");
			}
			let mut sessions = guard(&node.inner.sessions);
			if sessions.get(&channel_id).is_some_and(|h| h.id == id) {
				sessions.remove(&channel_id);
			}
		});
		// Settle what a crash or a lost connection left pending.
		let node = self.clone();
		tokio::spawn(async move { node.reconcile(channel_id).await });
		Ok(())
	}

	async fn handle(&self, id: ChannelId) -> Result<SessionHandle> {
		{
			let mut sessions = guard(&self.inner.sessions);
			match sessions.get(&id) {
				Some(h) if !h.commands.is_closed() => return Ok(h.clone()),
				// A session that just ended: dial anew.
				Some(_) => drop(sessions.remove(&id)),
				None => {}
			}
		}
		self.connect(id).await?;
		guard(&self.inner.sessions).get(&id).cloned().ok_or_else(|| PeerError::Ended.into())
	}

	/// The chain context the checks need now.
	async fn context(&self) -> Result<Context> {
		Ok(Context {
			now: self.inner.chain.best_number().await?,
			min_expiry_delta: self.inner.config.min_expiry_delta,
		})
	}

	/// Proposes `update` in channel `id` (dialling the other party if needed) and waits until
	/// both signed and stored it; yields and retries if the other party proposed at once.
	pub async fn propose(&self, id: ChannelId, update: Update) -> Result<Channel> {
		for attempt in 0..8u64 {
			let handle = self.handle(id).await?;
			let (reply, answer) = oneshot::channel();
			let command = Command::Propose { update: update.clone(), reply };
			handle.commands.send(command).await.map_err(|_| PeerError::Ended)?;
			match answer.await.map_err(|_| PeerError::Ended)? {
				Err(e) if e.downcast_ref::<PeerError>() == Some(&PeerError::Conflict) => {
					tokio::time::sleep(Duration::from_millis(1 + attempt * 3)).await;
				}
				other => return other,
			}
		}
		Err(PeerError::Conflict.into())
	}

	/// Pays `amount` outright in channel `id`.
	pub async fn pay(&self, id: ChannelId, amount: Balance) -> Result<Channel> {
		self.propose(id, Update::Pay { amount }).await
	}

	/// A new invoice for `amount`: a random preimage, stored durably; returns its hash lock.
	pub fn invoice(&self, amount: Balance) -> Result<Hash32> {
		self.inner.store.new_invoice(amount, None)
	}

	/// Pays along `route` (first hop from this node) under `lock`; returns the preimage the
	/// payee revealed, the proof of payment.
	pub async fn pay_route(&self, route: &Route, lock: Hash32) -> Result<Vec<u8>> {
		match self.try_route(route, lock).await? {
			Outcome::Fulfilled(preimage) => Ok(preimage),
			Outcome::Failed { .. } => bail!("the payment failed and was returned"),
		}
	}

	/// Tries `route` under `lock`: fulfilled, or failed and returned (and where it stopped);
	/// `Err` if it could not start, or has no outcome within the timeout (then it stays locked
	/// until it is fulfilled, failed or expires).
	pub async fn try_route(&self, route: &Route, lock: Hash32) -> Result<Outcome> {
		let first = route.hops.first().ok_or_else(|| anyhow!("empty route"))?;
		if first.from != *self.account() {
			bail!("the route does not start at this node");
		}
		let chan =
			self.channel(first.channel)?.ok_or_else(|| anyhow!("no channel {}", first.channel))?;
		let payment = Condition {
			direction: chan.side.pays(),
			amount: first.amount,
			hash_lock: lock,
			expiry: first.expiry,
		};
		let forward = route.hops[1..]
			.iter()
			.map(|h| HopInstruction { channel: h.channel, amount: h.amount, expiry: h.expiry })
			.collect();
		let (tx, outcome) = oneshot::channel();
		guard(&self.inner.waiters).entry(lock).or_default().push(tx);
		if let Err(e) = self.propose(first.channel, Update::AddHtlc { payment, forward }).await {
			guard(&self.inner.waiters).remove(&lock);
			return Err(e);
		}
		let wait = self.inner.config.timeout * (2 * route.hops.len() as u32 + 2);
		match timeout(wait, outcome).await {
			Ok(Ok(outcome)) => Ok(outcome),
			_ => bail!(
				"no outcome yet: the payment stays locked until it is fulfilled, failed or \
				 expires at block {}",
				first.expiry
			),
		}
	}

	/// Both parties' close signatures of the latest state of channel `id`. From here on the
	/// channel takes no update (a newer state could be undercut by this close).
	pub async fn close_signatures(&self, id: ChannelId) -> Result<CloseSignatures> {
		let handle = self.handle(id).await?;
		let (reply, answer) = oneshot::channel();
		handle.commands.send(Command::Close { reply }).await.map_err(|_| PeerError::Ended)?;
		answer.await.map_err(|_| PeerError::Ended)?
	}

	/// Marks channel `id` closed in the store, so that no newer state is signed, and returns its
	/// latest record: what a unilateral close submits. A running session of the channel does
	/// it (and signs nothing after); otherwise the store's lock is taken for it.
	pub async fn seal(&self, id: ChannelId) -> Result<Channel> {
		let running = guard(&self.inner.sessions).get(&id).cloned();
		if let Some(handle) = running.filter(|h| !h.commands.is_closed()) {
			let (reply, answer) = oneshot::channel();
			if handle.commands.send(Command::Seal { reply }).await.is_ok() {
				if let Ok(sealed) = answer.await {
					return sealed;
				}
			}
			// The session ended meanwhile: its lock is free.
		}
		let _lock = self.inner.store.lock(id)?;
		let mut chan = self
			.inner
			.store
			.load(id)?
			.ok_or_else(|| anyhow!("channel {id} is not in the store"))?;
		chan.closed = true;
		save(&self.inner.store, &chan).await?;
		Ok(chan)
	}

	/// Reacts to a co-signed update: claims or forwards incoming payments, passes preimages
	/// and failures back upstream, wakes a waiting payer.
	fn applied(&self, before: &Channel, after: &Channel, update: &Update, by_me: bool) {
		match update {
			Update::AddHtlc { payment, forward } if !by_me => {
				let (node, id) = (self.clone(), after.id);
				let (payment, forward) = (payment.clone(), forward.clone());
				tokio::spawn(async move { node.incoming(id, payment, forward).await });
			}
			Update::Fulfil { hash_lock, preimage } if !by_me => {
				self.wake(hash_lock, Outcome::Fulfilled(preimage.clone()));
				let (node, lock, preimage) = (self.clone(), *hash_lock, preimage.clone());
				tokio::spawn(async move { node.pass_fulfil(lock, preimage).await });
			}
			Update::Fail { hash_lock, at } => {
				let index = conditions::find(&before.conditions, hash_lock);
				let paid_by_me = index
					.is_some_and(|i| Side::payee(before.conditions[i].direction) != before.side);
				if paid_by_me {
					self.wake(hash_lock, Outcome::Failed { at: *at });
					let (node, lock, at) = (self.clone(), *hash_lock, *at);
					tokio::spawn(async move { node.pass_fail(lock, at).await });
				}
			}
			_ => {}
		}
	}

	fn wake(&self, lock: &Hash32, outcome: Outcome) {
		for waiter in guard(&self.inner.waiters).remove(lock).unwrap_or_default() {
			let _ = waiter.send(outcome.clone());
		}
	}

	/// An incoming conditional payment: claim it (we are the payee) or forward it; give it
	/// back if neither works.
	async fn incoming(&self, id: ChannelId, payment: Condition, forward: Vec<HopInstruction>) {
		let result = if forward.is_empty() {
			self.claim(id, &payment).await
		} else {
			self.forward(id, &payment, &forward).await
		};
		if let Err(e) = result {
			log::warn!("channel {id}: payment {} not taken: {e:#}", hex::encode(payment.hash_lock));
			// A forwarder names the channel it could not pass the payment on over.
			let at = forward.first().map(|hop| hop.channel);
			let fail = Update::Fail { hash_lock: payment.hash_lock, at };
			if let Err(e) = self.propose(id, fail).await {
				log::warn!("channel {id}: could not give the payment back: {e:#}");
			}
		}
	}

	async fn claim(&self, id: ChannelId, payment: &Condition) -> Result<()> {
		let invoice = self
			.inner
			.store
			.invoice(&payment.hash_lock)?
			.ok_or_else(|| anyhow!("no invoice for this hash lock"))?;
		// An invoice that names an asset is paid only in a channel of that asset.
		let paid = match &invoice.asset {
			None => payment.amount >= invoice.amount,
			Some(_) => invoice.paid_by(payment.amount, &self.channel_asset(id).await?),
		};
		if !paid {
			bail!("{} paid, invoice of {} in {:?}", payment.amount, invoice.amount, invoice.asset);
		}
		let fulfil = Update::Fulfil { hash_lock: payment.hash_lock, preimage: invoice.preimage };
		self.propose(id, fulfil).await.map(drop)
	}

	async fn forward(
		&self,
		id: ChannelId,
		incoming: &Condition,
		forward: &[HopInstruction],
	) -> Result<()> {
		let hop = &forward[0];
		if hop.channel == id {
			bail!("a route cannot go back over the channel it came in");
		}
		let next =
			self.channel(hop.channel)?.ok_or_else(|| anyhow!("no channel {}", hop.channel))?;
		let config = &self.inner.config;
		let fee = incoming.amount.checked_sub(hop.amount).ok_or_else(|| anyhow!("no fee"))?;
		let wanted = hop
			.amount
			.checked_mul(self.forwarding_ppm(&next) as Balance)
			.and_then(|p| config.fee_base.checked_add(p / 1_000_000))
			.ok_or_else(|| anyhow!("fee overflows"))?;
		if fee < wanted {
			bail!("fee {fee} below {wanted}");
		}
		if incoming.expiry < hop.expiry.saturating_add(config.expiry_delta) {
			bail!(
				"expiry {} leaves less than {} blocks after {}",
				incoming.expiry,
				config.expiry_delta,
				hop.expiry
			);
		}
		let payment = Condition {
			direction: next.side.pays(),
			amount: hop.amount,
			hash_lock: incoming.hash_lock,
			expiry: hop.expiry,
		};
		let update = Update::AddHtlc { payment, forward: forward[1..].to_vec() };
		self.propose(hop.channel, update).await.map(drop)
	}

	/// A preimage learnt downstream claims the matching payments upstream.
	async fn pass_fulfil(&self, lock: Hash32, preimage: Vec<u8>) {
		let Ok(channels) = self.inner.store.load_all() else { return };
		for chan in channels.iter().filter(|c| payee_of(c, &lock)) {
			let fulfil = Update::Fulfil { hash_lock: lock, preimage: preimage.clone() };
			if let Err(e) = self.propose(chan.id, fulfil).await {
				log::warn!("channel {}: could not claim with the preimage: {e:#}", chan.id);
			}
		}
	}

	/// A payment failed downstream (where: `at`): give back the matching payments upstream,
	/// unless another downstream payment under the same lock is still pending.
	async fn pass_fail(&self, lock: Hash32, at: Option<ChannelId>) {
		let Ok(channels) = self.inner.store.load_all() else { return };
		if channels.iter().any(|c| payer_of(c, &lock)) {
			return;
		}
		for chan in channels.iter().filter(|c| payee_of(c, &lock)) {
			if let Err(e) = self.propose(chan.id, Update::Fail { hash_lock: lock, at }).await {
				log::warn!("channel {}: could not give the payment back: {e:#}", chan.id);
			}
		}
	}

	/// Settles what is pending in channel `id` and can be settled now: claims payments whose
	/// preimage this node knows, takes back expired payments it made.
	pub async fn reconcile(&self, id: ChannelId) {
		let (Ok(Some(chan)), Ok(now)) = (self.channel(id), self.inner.chain.best_number().await)
		else {
			return;
		};
		// Read once: an invoice that names an asset is claimed only in a channel of that asset.
		let asset = self.channel_asset(id).await.ok();
		for c in &chan.conditions {
			let update = if Side::payee(c.direction) == chan.side {
				match self.preimage_for(c, asset.as_ref()) {
					Some(preimage) if now < c.expiry => {
						Update::Fulfil { hash_lock: c.hash_lock, preimage }
					}
					_ => continue,
				}
			} else if now >= c.expiry {
				Update::Fail { hash_lock: c.hash_lock, at: None }
			} else {
				continue;
			};
			if let Err(e) = self.propose(id, update).await {
				log::warn!("channel {id}: reconcile: {e:#}");
			}
		}
	}

	/// Reconciles every channel with a running session.
	pub async fn reconcile_all(&self) {
		let ids: Vec<_> = guard(&self.inner.sessions).keys().copied().collect();
		for id in ids {
			self.reconcile(id).await;
		}
	}

	/// The preimage of `c`, if this node may claim it: its own invoice (paid in full, in the
	/// asset it names) or one revealed downstream.
	fn preimage_for(&self, c: &Condition, asset: Option<&AssetKind>) -> Option<Vec<u8>> {
		let store = &self.inner.store;
		if let Ok(Some(invoice)) = store.invoice(&c.hash_lock) {
			let paid = match asset {
				Some(asset) => invoice.paid_by(c.amount, asset),
				None => invoice.asset.is_none() && c.amount >= invoice.amount,
			};
			return paid.then_some(invoice.preimage);
		}
		store.find_preimage(&c.hash_lock).ok().flatten()
	}

	/// The asset of channel `id`, as the chain records it.
	async fn channel_asset(&self, id: ChannelId) -> Result<AssetKind> {
		Ok(self
			.inner
			.chain
			.channel(id)
			.await?
			.ok_or_else(|| anyhow!("channel {id} is not on chain"))?
			.asset)
	}
}

/// Whether this party is the payee of a pending payment under `lock` in `chan`.
fn payee_of(chan: &Channel, lock: &Hash32) -> bool {
	chan.conditions.iter().any(|c| c.hash_lock == *lock && Side::payee(c.direction) == chan.side)
}

/// Whether this party is the payer of a pending payment under `lock` in `chan`.
fn payer_of(chan: &Channel, lock: &Hash32) -> bool {
	chan.conditions.iter().any(|c| c.hash_lock == *lock && Side::payee(c.direction) != chan.side)
}

/// Saves off the async threads: the fsyncs block.
async fn save(store: &Store, chan: &Channel) -> Result<()> {
	let (store, chan) = (store.clone(), chan.clone());
	tokio::task::spawn_blocking(move || store.save(&chan)).await.context("store task")?
}

/// Reads frames into a queue, so the session can wait on frames and commands at once.
fn spawn_reader(mut r: SecureReader) -> mpsc::Receiver<Result<Message, FrameError>> {
	let (tx, rx) = mpsc::channel(64);
	tokio::spawn(async move {
		loop {
			let frame = r.recv().await;
			let end = frame.is_err();
			if tx.send(frame).await.is_err() || end {
				break;
			}
		}
	});
	rx
}

/// This party's proposal awaiting the countersignature.
struct Outstanding {
	pending: Pending,
	/// Whoever asked: one per payment when several were proposed as one.
	replies: Vec<oneshot::Sender<Result<Channel>>>,
	deadline: Instant,
}

impl Outstanding {
	/// Gives each who asked the same answer.
	fn answer(self, result: impl Fn() -> Result<Channel>) {
		for reply in self.replies {
			let _ = reply.send(result());
		}
	}
}

/// Where a proposal's caller waits for the channel as stored, or why not.
type Reply = oneshot::Sender<Result<Channel>>;

/// Payments proposed as one state at most: those queued while the previous state was signed.
const MAX_COALESCED: usize = 1024;

/// This party's close request awaiting the other close signature.
struct Closing {
	mine: Signature,
	reply: oneshot::Sender<Result<CloseSignatures>>,
	deadline: Instant,
}

/// One channel's session: the only place its state changes while it runs.
struct Session {
	/// Which of the channel's sessions this is (gossip is not echoed to where it came from).
	id: u64,
	/// What the channel's announcement needs from us, once signed in this session.
	announce_sig: Option<(ChannelInfo, Signature)>,
	/// When this session last answered a `GossipSince`.
	answered_since: Option<Instant>,
	node: Node,
	chan: Channel,
	_lock: ChannelLock,
	writer: SecureWriter,
	frames: mpsc::Receiver<Result<Message, FrameError>>,
	commands: mpsc::Receiver<Command>,
	/// Set for a session the peer dialled: its new connection ends this one.
	superseded: Option<Arc<Notify>>,
	outstanding: Option<Outstanding>,
	closing: Option<Closing>,
	/// Commands taken off the queue but not yet carried out.
	deferred: VecDeque<Command>,
}

// A value that lives for one turn of the session's loop, on the stack: boxing the frame would
// allocate once per message on the payment path, for nothing.
#[allow(clippy::large_enum_variant)]
enum Event {
	Command(Option<Command>),
	Frame(Option<Result<Message, FrameError>>),
	Timeout,
	Superseded,
}

impl Session {
	async fn run(mut self) -> Result<()> {
		let result = match self.open_gossip().await {
			Ok(()) => self.serve().await,
			Err(e) => Err(e),
		};
		// Whoever waits learns the session is gone.
		if let Some(out) = self.outstanding.take() {
			out.answer(|| Err(PeerError::Ended.into()));
		}
		if let Some(closing) = self.closing.take() {
			let _ = closing.reply.send(Err(PeerError::Ended.into()));
		}
		result
	}

	async fn serve(&mut self) -> Result<()> {
		let mut last_activity = Instant::now();
		let superseded = self.superseded.clone();
		let superseded = async {
			match &superseded {
				Some(notify) => notify.notified().await,
				None => std::future::pending().await,
			}
		};
		tokio::pin!(superseded);
		loop {
			let busy = self.outstanding.is_some() || self.closing.is_some();
			if !busy {
				if let Some(command) = self.deferred.pop_front() {
					self.on_command(command).await?;
					last_activity = Instant::now();
					continue;
				}
			}
			let deadline = self
				.outstanding
				.as_ref()
				.map(|o| o.deadline)
				.or(self.closing.as_ref().map(|c| c.deadline))
				.unwrap_or(last_activity + self.node.inner.config.idle);
			let event = tokio::select! {
				command = self.commands.recv(), if !busy => Event::Command(command),
				frame = self.frames.recv() => Event::Frame(frame),
				_ = tokio::time::sleep_until(deadline) => Event::Timeout,
				_ = &mut superseded => Event::Superseded,
			};
			last_activity = Instant::now();
			match event {
				Event::Command(Some(command)) => self.on_command(command).await?,
				// The node is gone: nothing more to do.
				Event::Command(None) => return Ok(()),
				Event::Frame(Some(Ok(message))) => self.on_message(message).await?,
				Event::Frame(Some(Err(FrameError::Io(e))))
					if e.kind() == std::io::ErrorKind::UnexpectedEof =>
				{
					log::debug!("channel {}: the peer disconnected", self.chan.id);
					return Ok(());
				}
				Event::Frame(Some(Err(e))) => return Err(e.into()),
				Event::Frame(None) => return Ok(()),
				// The other party may have stored the state; the next Hello reconciles.
				Event::Timeout if busy => return Err(PeerError::Timeout.into()),
				Event::Timeout => return Ok(()),
				Event::Superseded => bail!("the peer connected again"),
			}
		}
	}

	async fn send(&mut self, message: Message) -> Result<()> {
		self.writer.send(&message).await.context("sending")
	}

	fn keys(&self) -> &Keys {
		&self.node.inner.keys
	}

	fn deadline(&self) -> Instant {
		Instant::now() + self.node.inner.config.timeout
	}

	/// Stores `next` durably and makes it the session's state; returns the previous one. A
	/// co-signed state it supersedes is handed to the watchtower first, sealed under our own
	/// signature on it (so no state is stored that the tower could not learn of).
	async fn commit(&mut self, next: Channel) -> Result<Channel> {
		if let (Some(uploader), Some(old), Some(newer)) =
			(&self.node.inner.tower, self.chan.signed(), next.signed())
		{
			if newer.state.nonce > old.state.nonce {
				let own = match self.chan.side {
					Side::A => &old.sig_a,
					Side::B => &old.sig_b,
				};
				if let Some(blob) = tower::seal(own, &newer) {
					uploader.push(blob);
				}
			}
		}
		save(&self.node.inner.store, &next).await?;
		let before = std::mem::replace(&mut self.chan, next);
		if before.state.balances != self.chan.state.balances {
			self.node.republish_if_moved(&self.chan).await;
		}
		Ok(before)
	}

	/// With `update` a payment and nothing deferred, the payments queued behind it, proposed as
	/// one: Lightning's batching of updates under one commitment. Each payment is acknowledged,
	/// as a single one is, once the state holding it is co-signed and stored on both sides.
	/// The first other command waits its turn. Returns the update and each part's amount (0
	/// for anything but a payment) and reply.
	fn coalesce(
		&mut self,
		update: Update,
		reply: oneshot::Sender<Result<Channel>>,
	) -> (Update, Vec<(Balance, Reply)>) {
		let Update::Pay { amount } = update else { return (update, vec![(0, reply)]) };
		let (mut total, mut parts) = (amount, vec![(amount, reply)]);
		while parts.len() < MAX_COALESCED && self.deferred.is_empty() {
			match self.commands.try_recv() {
				Ok(Command::Propose { update: Update::Pay { amount }, reply }) => {
					match total.checked_add(amount) {
						Some(sum) => {
							total = sum;
							parts.push((amount, reply));
						}
						None => self
							.deferred
							.push_back(Command::Propose { update: Update::Pay { amount }, reply }),
					}
				}
				Ok(other) => self.deferred.push_back(other),
				Err(_) => break,
			}
		}
		(Update::Pay { amount: total }, parts)
	}

	/// Reads the deposits on chain: a top-up must be there before a state counts it.
	async fn refresh_deposits(&mut self) {
		if let Ok(Some(info)) = self.node.inner.chain.channel(self.chan.id).await {
			let d = &mut self.chan.chain_deposits;
			*d = (d.0.max(info.deposits.0), d.1.max(info.deposits.1));
		}
	}

	async fn on_command(&mut self, command: Command) -> Result<()> {
		match command {
			Command::Propose { update, reply } => {
				if matches!(update, Update::TopUp { .. }) {
					self.refresh_deposits().await;
				}
				let ctx = match self.node.context().await {
					Ok(ctx) => ctx,
					Err(e) => {
						let _ = reply.send(Err(e));
						return Ok(());
					}
				};
				let (update, parts) = self.coalesce(update, reply);
				match self.chan.propose(self.keys(), update, &ctx) {
					Err(e) if parts.len() > 1 => {
						// Together they did not fit (the balance, say): one at a time, ahead
						// of anything else (the first, with others still deferred, alone).
						log::debug!(
							"channel {}: {} payments as one: {e}",
							self.chan.id,
							parts.len()
						);
						for (amount, reply) in parts.into_iter().rev() {
							let update = Update::Pay { amount };
							self.deferred.push_front(Command::Propose { update, reply });
						}
					}
					Err(e) => {
						for (_, reply) in parts {
							let _ = reply.send(Err(e.clone().into()));
						}
					}
					Ok(pending) => {
						self.send(Message::Propose(pending.proposal.clone())).await?;
						let deadline = self.deadline();
						let replies = parts.into_iter().map(|(_, reply)| reply).collect();
						self.outstanding = Some(Outstanding { pending, replies, deadline });
					}
				}
			}
			Command::Close { reply } => match self.chan.sign_close(self.keys()) {
				Err(e) => {
					let _ = reply.send(Err(e.into()));
				}
				Ok(mine) => {
					// Closed before our close signature leaves: no later state may exist
					// that this close could undercut.
					let mut next = self.chan.clone();
					next.closed = true;
					self.commit(next).await?;
					let nonce = self.chan.state.nonce;
					self.send(Message::CloseRequest { nonce, sig: mine.clone() }).await?;
					let deadline = self.deadline();
					self.closing = Some(Closing { mine, reply, deadline });
				}
			},
			Command::Seal { reply } => {
				let mut next = self.chan.clone();
				next.closed = true;
				self.commit(next).await?;
				let _ = reply.send(Ok(self.chan.clone()));
			}
			Command::Gossip { announcements, updates } => {
				self.send_gossip(announcements, updates).await?;
			}
			Command::AskGossip { serial } => self.send(Message::GossipSince { serial }).await?,
		}
		Ok(())
	}

	async fn on_message(&mut self, message: Message) -> Result<()> {
		match message {
			Message::Propose(proposal) => self.on_proposal(proposal).await?,
			Message::Countersign { nonce, sig } => {
				let Some(out) =
					self.outstanding.take_if(|o| o.pending.proposal.state.nonce == nonce)
				else {
					return Ok(());
				};
				match self.chan.complete(&out.pending, sig) {
					Ok(next) => {
						let update = out.pending.proposal.update.clone();
						let before = self.commit(next).await?;
						self.send(Message::Ack { nonce }).await?;
						out.answer(|| Ok(self.chan.clone()));
						self.node.applied(&before, &self.chan, &update, true);
					}
					Err(e) => {
						out.answer(|| Err(e.clone().into()));
						bail!("bad countersignature: {e}");
					}
				}
			}
			Message::Ack { .. } => {}
			Message::Reject { nonce, reason } => {
				if let Some(out) =
					self.outstanding.take_if(|o| o.pending.proposal.state.nonce == nonce)
				{
					out.answer(|| Err(PeerError::Rejected(reason.clone()).into()));
				} else if nonce == self.chan.state.nonce {
					if let Some(closing) = self.closing.take() {
						let _ = closing.reply.send(Err(PeerError::Rejected(reason).into()));
					}
				}
			}
			Message::Sync { signed, conditions } => match self.chan.adopt(&signed, conditions) {
				Ok(next) => {
					self.commit(next).await?;
					if let Some(out) = self.outstanding.take() {
						out.answer(|| Err(PeerError::Conflict.into()));
					}
				}
				Err(e) => log::warn!("channel {}: sync refused: {e}", self.chan.id),
			},
			Message::CloseRequest { nonce, sig } => self.on_close_request(nonce, sig).await?,
			Message::CloseSig { nonce, sig } => {
				if let Some(closing) = self.closing.take() {
					let other = self.chan.side.other();
					let answer =
						if nonce == self.chan.state.nonce && self.chan.verify_close(&sig, other) {
							let (a, b) = match self.chan.side {
								Side::A => (closing.mine, sig),
								Side::B => (sig, closing.mine),
							};
							Ok((self.chan.state.clone(), a, b))
						} else {
							Err(ProtocolError::BadSignature.into())
						};
					let _ = closing.reply.send(answer);
				}
			}
			Message::Hello { .. } => bail!("Hello in a running session"),
			Message::AnnounceSig { sig } => self.on_announce_sig(sig).await?,
			Message::Gossip { announcements, updates } => {
				// Checked here, in turn: a peer that floods gossip slows its own session only.
				self.node.take_gossip(Some(self.id), announcements, updates).await;
			}
			Message::GossipSince { serial } => self.on_gossip_since(serial).await?,
			Message::GossipSent => {
				let id = self.id;
				self.node.inner.gossip_sent.send_modify(|sent| *sent.entry(id).or_default() += 1);
			}
			Message::TowerStore { .. }
			| Message::TowerStored { .. }
			| Message::TowerRefused { .. } => bail!("a watchtower message in a channel session"),
		}
		Ok(())
	}

	async fn on_proposal(&mut self, proposal: crate::protocol::Proposal) -> Result<()> {
		let nonce = proposal.state.nonce;
		if self.outstanding.is_some() {
			if self.chan.side == Side::A {
				let reason = "conflict: party A's proposal goes first".to_owned();
				return self.send(Message::Reject { nonce, reason }).await;
			}
			if let Some(out) = self.outstanding.take() {
				out.answer(|| Err(PeerError::Conflict.into()));
			}
		}
		if matches!(proposal.update, Update::TopUp { .. }) {
			self.refresh_deposits().await;
		}
		let ctx = match self.node.context().await {
			Ok(ctx) => ctx,
			Err(e) => {
				let reason = format!("cannot check now: {e}");
				return self.send(Message::Reject { nonce, reason }).await;
			}
		};
		match self.chan.receive(self.keys(), &proposal, &ctx) {
			Err(e) => self.send(Message::Reject { nonce, reason: e.to_string() }).await?,
			Ok((next, sig)) => {
				// Stored before the countersignature leaves: what we signed, we keep.
				let before = self.commit(next).await?;
				self.send(Message::Countersign { nonce, sig }).await?;
				self.node.applied(&before, &self.chan, &proposal.update, false);
			}
		}
		Ok(())
	}

	async fn on_close_request(&mut self, nonce: u64, sig: Signature) -> Result<()> {
		let other = self.chan.side.other();
		let checked = if nonce != self.chan.state.nonce {
			Err(ProtocolError::WrongNonce { expected: self.chan.state.nonce, got: nonce })
		} else if !self.chan.verify_close(&sig, other) {
			Err(ProtocolError::BadSignature)
		} else {
			self.chan.sign_close(self.keys())
		};
		match checked {
			Err(e) => self.send(Message::Reject { nonce, reason: e.to_string() }).await,
			Ok(mine) => {
				if let Some(out) = self.outstanding.take() {
					out.answer(|| Err(ProtocolError::Closed.into()));
				}
				let mut next = self.chan.clone();
				next.closed = true;
				self.commit(next).await?;
				self.send(Message::CloseSig { nonce, sig: mine }).await
			}
		}
	}
}

mod gossip;
#[cfg(test)]
mod tests;
