//! What takes blobs from clients over the network: an authenticated, encrypted connection per
//! client (the client is the chain account its Noise key is bound to), bounded in number (in
//! all and per remote network) and dropped when idle.

use super::store::BlobStore;
use crate::{
	keys::{self, Keys},
	limits::{Inbound, InboundLimits},
	transport::{self, Identity},
	wire::Message,
	AccountId,
};
use anyhow::{anyhow, bail, Result};
use std::{
	collections::HashSet,
	sync::{Arc, Mutex, MutexGuard},
	time::Duration,
};
use tokio::net::TcpListener;

/// A connection with no request for this long is dropped.
const IDLE: Duration = Duration::from_secs(60);

pub struct Keeper {
	identity: Identity,
	blobs: Arc<Mutex<BlobStore>>,
	/// The only clients served, if set: a tower for known customers, whom no stranger with
	/// fresh keys can crowd out.
	allowed: Option<HashSet<AccountId>>,
	/// Connections served at once (256 in all, 16 per remote network by default); one over
	/// either cap is closed at once.
	limits: InboundLimits,
}

impl Keeper {
	pub fn new(keys: &Keys, blobs: BlobStore) -> Self {
		Self {
			identity: Identity::new(keys),
			blobs: Arc::new(Mutex::new(blobs)),
			allowed: None,
			limits: InboundLimits::default(),
		}
	}

	/// Serves only `clients`.
	pub fn allowing(mut self, clients: impl IntoIterator<Item = AccountId>) -> Self {
		self.allowed = Some(clients.into_iter().collect());
		self
	}

	/// Serves at most `limits` connections at once.
	pub fn limiting(mut self, limits: InboundLimits) -> Self {
		self.limits = limits;
		self
	}

	pub fn blobs(&self) -> MutexGuard<'_, BlobStore> {
		self.blobs.lock().unwrap_or_else(|e| e.into_inner())
	}

	/// Takes blobs from clients on `listener`, one task per connection.
	pub async fn serve(self: Arc<Self>, listener: TcpListener) {
		let inbound = Inbound::new(self.limits);
		loop {
			let (stream, from, slot) = inbound.accept(&listener, "tower").await;
			let keeper = self.clone();
			tokio::spawn(async move {
				if let Err(e) = keeper.client(stream).await {
					log::debug!("tower client {from}: {e:#}");
				}
				drop(slot);
			});
		}
	}

	async fn client(&self, stream: tokio::net::TcpStream) -> Result<()> {
		let handshake = transport::respond(stream, &self.identity);
		let mut conn = tokio::time::timeout(Duration::from_secs(10), handshake)
			.await
			.map_err(|_| anyhow!("handshake timed out"))??;
		if self.allowed.as_ref().is_some_and(|allowed| !allowed.contains(&conn.peer)) {
			let reason = "not a client of this tower".to_string();
			conn.writer.send(&Message::TowerRefused { reason }).await?;
			bail!("{} is not a client", keys::ss58(&conn.peer));
		}
		loop {
			let message = tokio::time::timeout(IDLE, conn.reader.recv())
				.await
				.map_err(|_| anyhow!("idle"))??;
			let Message::TowerStore { blobs } = message else {
				bail!("not a tower request");
			};
			let count = blobs.len();
			let (store, client) = (self.blobs.clone(), conn.peer.clone());
			// The fsync blocks: off the async threads, and other clients are served meanwhile.
			let kept = tokio::task::spawn_blocking(move || {
				let mut store = store.lock().unwrap_or_else(|e| e.into_inner());
				store.keep(&client, blobs).map(|(kept, room)| (kept, room, store.len()))
			})
			.await?;
			let reply = match kept {
				Ok((kept, room, total)) => {
					log::info!(
						"kept {kept} of {count} blobs from {} ({total} held in all)",
						keys::ss58(&conn.peer)
					);
					Message::TowerStored { kept: kept as u32, room }
				}
				Err(e) => Message::TowerRefused { reason: format!("{e:#}") },
			};
			conn.writer.send(&reply).await?;
		}
	}
}
