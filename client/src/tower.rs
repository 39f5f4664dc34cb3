//! A watchtower that is really a third party: a service (`tpw tower`) that other users hand
//! their states to over an authenticated, encrypted connection, without giving it their store
//! or keys, and that learns nothing about a channel's balances until a stale close happens.
//!
//! The equivalent of Lightning's altruist towers (encrypted justice data keyed by a hint only
//! the breach reveals): each time a state `old` is superseded by `newer`, the party hands the
//! tower a [`Blob`]: `newer` (signed by both), encrypted under a key derived from `old`'s two
//! signatures, and filed under a hint derived from them too. Signatures are unpredictable, and
//! appear only when `old` is submitted on chain, in a `close` or `challenge` extrinsic. Then
//! the tower reads them from that extrinsic, finds the blob by its hint, decrypts `newer`,
//! follows the chain of blobs to the newest state it holds, and challenges with it. Before that,
//! it holds opaque bytes: it cannot tell whose channel they belong to, or what they say.
//!
//! Storage is bounded per client (a quota of blobs, each at most [`MAX_BLOB`] bytes), kept in
//! one append-only file, fsynced per batch.

use crate::{
	chain::{calls, Chain},
	events,
	keys::{self, Keys},
	protocol::payload,
	transport::{self, Identity},
	wire::Message,
	AccountId, BlockNumber, ChannelId, ChannelInfo, Hash32, Nonce, PayloadKind, SignedState,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, DecodeAll, Encode};
use polkadot_sdk::{sp_core::H256, sp_io::hashing::blake2_256};
use ring::aead::{Aad, LessSafeKey, Nonce as AeadNonce, UnboundKey, CHACHA20_POLY1305};
use std::{
	collections::{HashMap, VecDeque},
	fs::{File, OpenOptions},
	io::{Read, Seek, SeekFrom, Write},
	path::Path,
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::{net::TcpListener, sync::mpsc};

/// What a blob is filed under.
pub type Hint = [u8; 16];

/// A superseded state's successor, sealed for the tower.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Blob {
	pub hint: Hint,
	pub sealed: Vec<u8>,
}

/// Largest sealed blob, in bytes (a signed state and its tag take about 270).
pub const MAX_BLOB: usize = 1024;
/// Most blobs in one `TowerStore` message.
pub const MAX_BATCH: usize = 1024;
/// Blobs a client's uploader holds while the tower cannot be reached.
const MAX_QUEUE: usize = 100_000;
/// The tower's file of blobs, in its store directory.
const FILE: &str = "tower-blobs.log";

fn derive(tag: &[u8], old: &SignedState) -> [u8; 32] {
	blake2_256(&(tag, &old.sig_a, &old.sig_b).encode())
}

/// The hint `old`'s successor is filed under.
pub fn hint_of(old: &SignedState) -> Hint {
	let mut hint = [0u8; 16];
	hint.copy_from_slice(&derive(b"tpwallet/tower/v1/hint", old)[..16]);
	hint
}

fn cipher(old: &SignedState) -> Option<LessSafeKey> {
	let key = derive(b"tpwallet/tower/v1/key", old);
	UnboundKey::new(&CHACHA20_POLY1305, &key).ok().map(LessSafeKey::new)
}

/// The blob for `old`, superseded by `newer`. Each key seals one message, so a zero nonce is
/// safe.
pub fn seal(old: &SignedState, newer: &SignedState) -> Option<Blob> {
	let hint = hint_of(old);
	let mut sealed = newer.encode();
	cipher(old)?
		.seal_in_place_append_tag(
			AeadNonce::assume_unique_for_key([0; 12]),
			Aad::from(&hint[..]),
			&mut sealed,
		)
		.ok()?;
	Some(Blob { hint, sealed })
}

/// `old`'s successor from its blob: `None` unless it decrypts and is a newer state of the
/// same channel.
pub fn open(old: &SignedState, sealed: &[u8]) -> Option<SignedState> {
	let mut bytes = sealed.to_vec();
	let plain = cipher(old)?
		.open_in_place(
			AeadNonce::assume_unique_for_key([0; 12]),
			Aad::from(&hint_of(old)[..]),
			&mut bytes,
		)
		.ok()?;
	let newer = SignedState::decode_all(&mut &plain[..]).ok()?;
	(newer.state.channel == old.state.channel && newer.state.nonce > old.state.nonce)
		.then_some(newer)
}

/// Whether both parties of `info` signed `signed` (on the chain of `genesis`).
pub fn is_cosigned(signed: &SignedState, info: &ChannelInfo, genesis: &Hash32) -> bool {
	let bytes = payload(PayloadKind::Update, genesis, &signed.state);
	keys::verify(&signed.sig_a, &bytes, &info.party_a)
		&& keys::verify(&signed.sig_b, &bytes, &info.party_b)
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

/// The tower's blobs: an append-only file of `(client, blob)` records (each a little-endian
/// `u32` length and the SCALE encoding), and an index in memory.
pub struct BlobStore {
	file: File,
	index: HashMap<Hint, Vec<u8>>,
	held: HashMap<AccountId, u64>,
	/// Blobs kept per client at most.
	quota: u64,
}

impl BlobStore {
	/// Opens (or creates) the file in `dir`; a record torn by a crash at the end is cut off.
	pub fn open(dir: &Path, quota: u64) -> Result<Self> {
		std::fs::create_dir_all(dir)?;
		let path = dir.join(FILE);
		let mut file = OpenOptions::new()
			.create(true)
			.truncate(false)
			.read(true)
			.append(true)
			.open(&path)
			.with_context(|| format!("opening {}", path.display()))?;
		let mut bytes = Vec::new();
		file.read_to_end(&mut bytes)?;
		let mut store = Self { file, index: HashMap::new(), held: HashMap::new(), quota };
		let mut at = 0usize;
		while let Some(record) = Self::record_at(&bytes, at) {
			let ((client, blob), len) = record;
			store.insert(client, blob);
			at += len;
		}
		if at < bytes.len() {
			log::warn!("{}: cutting off {} torn bytes", path.display(), bytes.len() - at);
			store.file.set_len(at as u64)?;
			store.file.seek(SeekFrom::End(0))?;
		}
		Ok(store)
	}

	fn record_at(bytes: &[u8], at: usize) -> Option<((AccountId, Blob), usize)> {
		let len = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
		let body = bytes.get(at + 4..at.checked_add(4)?.checked_add(len)?)?;
		let record = <(AccountId, Blob)>::decode_all(&mut &body[..]).ok()?;
		Some((record, 4 + len))
	}

	fn insert(&mut self, client: AccountId, blob: Blob) {
		if let std::collections::hash_map::Entry::Vacant(slot) = self.index.entry(blob.hint) {
			slot.insert(blob.sealed);
			*self.held.entry(client).or_default() += 1;
		}
	}

	/// Keeps `blobs` from `client`, durably, all or none; returns the room left for it.
	/// Refused: too many at once, one too large, or over the client's quota. A hint already
	/// held keeps its first blob (a client cannot overwrite another's).
	pub fn keep(&mut self, client: &AccountId, blobs: Vec<Blob>) -> Result<u64> {
		if blobs.len() > MAX_BATCH {
			bail!("more than {MAX_BATCH} blobs at once");
		}
		if blobs.iter().any(|b| b.sealed.len() > MAX_BLOB) {
			bail!("a blob larger than {MAX_BLOB} bytes");
		}
		let held = self.held.get(client).copied().unwrap_or(0);
		let after = held.saturating_add(blobs.len() as u64);
		if after > self.quota {
			bail!("over the quota of {} blobs ({held} held)", self.quota);
		}
		let mut out = Vec::new();
		for blob in &blobs {
			let body = (client, blob).encode();
			out.extend_from_slice(&(body.len() as u32).to_le_bytes());
			out.extend_from_slice(&body);
		}
		self.file.write_all(&out)?;
		self.file.sync_data()?;
		for blob in blobs {
			self.insert(client.clone(), blob);
		}
		Ok(self.quota.saturating_sub(self.held.get(client).copied().unwrap_or(0)))
	}

	/// The blob filed under `hint`.
	pub fn get(&self, hint: &Hint) -> Option<&[u8]> {
		self.index.get(hint).map(Vec::as_slice)
	}

	/// Blobs held in all.
	pub fn len(&self) -> usize {
		self.index.len()
	}

	pub fn is_empty(&self) -> bool {
		self.index.is_empty()
	}
}

/// Follows the blobs from `closing` to the newest state they hold (`None`: no blob for it).
pub fn newest_after(blobs: &BlobStore, closing: &SignedState) -> Option<SignedState> {
	let mut newest: Option<SignedState> = None;
	// Nonces only grow along the chain of blobs, so this ends; the bound is a second guard.
	for _ in 0..1_000_000 {
		let current = newest.as_ref().unwrap_or(closing);
		let Some(next) = blobs.get(&hint_of(current)).and_then(|sealed| open(current, sealed))
		else {
			break;
		};
		newest = Some(next);
	}
	newest
}

/// What takes blobs from clients: a network identity and the blobs.
pub struct Keeper {
	identity: Identity,
	blobs: Mutex<BlobStore>,
}

impl Keeper {
	pub fn new(keys: &Keys, blobs: BlobStore) -> Self {
		Self { identity: Identity::new(keys), blobs: Mutex::new(blobs) }
	}

	pub fn blobs(&self) -> std::sync::MutexGuard<'_, BlobStore> {
		self.blobs.lock().unwrap_or_else(|e| e.into_inner())
	}

	/// Takes blobs from clients on `listener`, one task per connection.
	pub async fn serve(self: Arc<Self>, listener: TcpListener) {
		loop {
			let Ok((stream, from)) = listener.accept().await else { continue };
			let keeper = self.clone();
			tokio::spawn(async move {
				if let Err(e) = keeper.client(stream).await {
					log::debug!("tower client {from}: {e:#}");
				}
			});
		}
	}

	async fn client(&self, stream: tokio::net::TcpStream) -> Result<()> {
		let handshake = transport::respond(stream, &self.identity);
		let mut conn = tokio::time::timeout(Duration::from_secs(10), handshake)
			.await
			.map_err(|_| anyhow!("handshake timed out"))??;
		loop {
			let message = conn.reader.recv().await?;
			let Message::TowerStore { blobs } = message else {
				bail!("not a tower request");
			};
			let count = blobs.len();
			let kept = self.blobs().keep(&conn.peer, blobs);
			let reply = match kept {
				Ok(room) => {
					let total = self.blobs().len();
					log::info!(
						"kept {count} blobs from {} ({total} held in all)",
						keys::ss58(&conn.peer)
					);
					Message::TowerStored { kept: count as u32, room }
				}
				Err(e) => Message::TowerRefused { reason: format!("{e:#}") },
			};
			conn.writer.send(&reply).await?;
		}
	}
}

/// The tower: its chain connection (submissions return at inclusion), the key that pays for
/// challenges, and what keeps the blobs.
pub struct Tower {
	pub chain: Chain,
	pub keys: Keys,
	pub keeper: Arc<Keeper>,
}

impl Tower {
	pub fn new(chain: Chain, keys: Keys, dir: &Path, quota: u64) -> Result<Self> {
		let keeper = Arc::new(Keeper::new(&keys, BlobStore::open(dir, quota)?));
		Ok(Self { chain, keys, keeper })
	}

	/// Follows the chain block by block (every block, none skipped) and answers each close or
	/// challenge for which it holds a newer state. It reacts at the best chain, at once: a
	/// challenge sent on a fork that loses fails harmlessly, and a close that a reorg moves to a
	/// later block is read again there.
	pub async fn watch(&self, poll: Duration) -> Result<()> {
		let mut next: Option<BlockNumber> = None;
		loop {
			match self.chain.best().await {
				Ok((best, _)) => {
					let from = next.unwrap_or(best);
					for number in from..=best {
						// A block not read is read again at the next poll, never skipped.
						if let Err(e) = self.check_block(number).await {
							log::warn!("block {number}: {e:#}; trying again");
							next = Some(number);
							break;
						}
						next = Some(number + 1);
					}
				}
				Err(e) => log::warn!("reading the chain: {e:#}"),
			}
			tokio::time::sleep(poll).await;
		}
	}

	async fn check_block(&self, number: BlockNumber) -> Result<()> {
		let hash = self.chain.block_hash(number).await?;
		let events = self.chain.events(hash).await?;
		let mut submitted: Vec<(ChannelId, Nonce)> = Vec::new();
		for event in events.find::<events::ChannelClosing>() {
			let e = event?;
			if let Some(nonce) = e.nonce {
				submitted.push((e.channel, nonce));
			}
		}
		for event in events.find::<events::ClosingChallenged>() {
			let e = event?;
			submitted.push((e.channel, e.nonce));
		}
		if submitted.is_empty() {
			return Ok(());
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
		for (channel, nonce) in submitted {
			self.answer(channel, nonce, hash, &extrinsics).await?;
		}
		Ok(())
	}

	/// Challenges the close of `channel` on `nonce` (submitted in block `hash`) with the newest
	/// state the blobs hold, if newer.
	async fn answer(
		&self,
		channel: ChannelId,
		nonce: Nonce,
		hash: H256,
		extrinsics: &[Vec<u8>],
	) -> Result<()> {
		let Some(info) = self.chain.channel_at(channel, Some(hash)).await? else {
			return Ok(());
		};
		let genesis = self.chain.genesis_hash().0;
		let Some(closing) =
			extrinsics.iter().find_map(|ext| signed_state_in(ext, channel, nonce, &info, &genesis))
		else {
			log::warn!("channel {channel}: state {nonce} not found in its block");
			return Ok(());
		};
		let Some(newest) = newest_after(&self.keeper.blobs(), &closing) else {
			return Ok(());
		};
		// A blob could only hold a state both signed: checked again before paying for it.
		if !is_cosigned(&newest, &info, &genesis) {
			log::warn!("channel {channel}: a blob held a state without both signatures");
			return Ok(());
		}
		log::info!(
			"channel {channel}: closing on state {nonce}; challenge with state {}",
			newest.state.nonce
		);
		// Reading errors are retried with the block; a challenge that fails (another came
		// first, the period ended) is reported, not retried.
		match self.chain.submit(&self.keys, calls::challenge(channel, newest)).await {
			Ok(included) => {
				log::info!("channel {channel}: challenge included in block #{}", included.number)
			}
			Err(e) => log::warn!("channel {channel}: challenge: {e:#}"),
		}
		Ok(())
	}
}

/// Hands blobs to a tower at `addr` from a queue, in batches, reconnecting as needed; blobs
/// the tower refuses are dropped (logged), and the oldest are dropped beyond [`MAX_QUEUE`].
pub fn spawn_uploader(addr: String, keys: &Keys) -> mpsc::Sender<Blob> {
	let (tx, mut rx) = mpsc::channel::<Blob>(MAX_QUEUE);
	let identity = Identity::new(keys);
	tokio::spawn(async move {
		let mut queue: VecDeque<Blob> = VecDeque::new();
		let mut conn = None;
		loop {
			if queue.is_empty() {
				match rx.recv().await {
					Some(blob) => queue.push_back(blob),
					None => return,
				}
			}
			while let Ok(blob) = rx.try_recv() {
				queue.push_back(blob);
			}
			while queue.len() > MAX_QUEUE {
				queue.pop_front();
				log::warn!("tower {addr}: queue full, an old state's blob dropped");
			}
			if conn.is_none() {
				conn = connect(&addr, &identity)
					.await
					.map_err(|e| log::debug!("tower {addr}: {e:#}"))
					.ok();
				if conn.is_none() {
					tokio::time::sleep(Duration::from_secs(1)).await;
					continue;
				}
			}
			let Some(c) = conn.as_mut() else { continue };
			let batch: Vec<Blob> = queue.iter().take(MAX_BATCH).cloned().collect();
			let n = batch.len();
			let sent = c.writer.send(&Message::TowerStore { blobs: batch }).await;
			let reply = match sent {
				Ok(()) => tokio::time::timeout(Duration::from_secs(10), c.reader.recv()).await,
				Err(e) => Ok(Err(crate::wire::FrameError::Io(e))),
			};
			match reply {
				Ok(Ok(Message::TowerStored { room, .. })) => {
					queue.drain(..n);
					log::debug!("tower {addr}: {n} blobs kept, room for {room}");
				}
				Ok(Ok(Message::TowerRefused { reason })) => {
					queue.drain(..n);
					log::warn!("tower {addr} refused {n} blobs: {reason}");
				}
				_ => {
					conn = None;
					tokio::time::sleep(Duration::from_secs(1)).await;
				}
			}
		}
	});
	tx
}

async fn connect(addr: &str, identity: &Identity) -> Result<transport::Connection> {
	let stream = tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
		.await
		.map_err(|_| anyhow!("connect timed out"))??;
	tokio::time::timeout(Duration::from_secs(10), transport::initiate(stream, identity))
		.await
		.map_err(|_| anyhow!("handshake timed out"))?
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::protocol::{
		tests::{pair, step, CTX, GENESIS},
		Update,
	};
	use crate::store::tests::TempDir;
	use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
	use tpwallet_payment_channels_primitives::ChannelStatus;

	/// Co-signed states 1..=n of a channel between Alice and Bob, and its info.
	fn states(n: u64) -> (Vec<SignedState>, ChannelInfo) {
		let (alice, mut ca, bob, mut cb) = pair();
		let mut out = Vec::new();
		for _ in 0..n {
			step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 1 }, &CTX).unwrap();
			out.push(cb.signed().unwrap());
		}
		let info = ChannelInfo {
			party_a: ca.party_a.clone(),
			party_b: ca.party_b.clone(),
			asset: NativeOrWithId::Native,
			deposits: ca.chain_deposits,
			status: ChannelStatus::Open,
		};
		(out, info)
	}

	#[test]
	fn a_blob_opens_only_with_the_state_it_supersedes() {
		let (s, _) = states(3);
		let blob = seal(&s[0], &s[1]).unwrap();
		assert_eq!(blob.hint, hint_of(&s[0]));
		assert_eq!(open(&s[0], &blob.sealed), Some(s[1].clone()));
		// Another state's signatures neither find nor open it.
		assert_ne!(hint_of(&s[1]), blob.hint);
		assert_eq!(open(&s[1], &blob.sealed), None);
		// Tampered: refused.
		let mut bad = blob.sealed.clone();
		bad[3] ^= 1;
		assert_eq!(open(&s[0], &bad), None);
		// An older state dressed as a successor: refused.
		let backwards = seal(&s[2], &s[1]).unwrap();
		assert_eq!(open(&s[2], &backwards.sealed), None);
		// Nothing in the blob reads as the state: no balance or nonce in clear.
		assert!(!blob.sealed.windows(8).any(|w| w == s[1].state.channel.to_le_bytes()));
	}

	#[test]
	fn the_closing_state_is_found_in_an_extrinsic_and_checked() {
		let (s, info) = states(2);
		// Some bytes, then a call's arguments: the channel id and `Some(signed)`.
		let mut ext = vec![0x84, 7, 7, 7];
		ext.extend_from_slice(&(s[0].state.channel, Some(&s[0])).encode());
		ext.extend_from_slice(&[1, 2, 3]);
		let found = signed_state_in(&ext, s[0].state.channel, 1, &info, &GENESIS);
		assert_eq!(found, Some(s[0].clone()));
		// Another nonce, another chain, or a forged signature: not found.
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 2, &info, &GENESIS), None);
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 1, &info, &[9; 32]), None);
		let mut forged = s[0].clone();
		forged.sig_b = forged.sig_a.clone();
		let mut ext = vec![0x84];
		ext.extend_from_slice(&forged.encode());
		assert_eq!(signed_state_in(&ext, s[0].state.channel, 1, &info, &GENESIS), None);
		assert_eq!(signed_state_in(&[], 0, 1, &info, &GENESIS), None);
	}

	#[test]
	fn the_store_keeps_within_quota_survives_restart_and_follows_the_chain() {
		let dir = TempDir::new("tower");
		let (s, _) = states(4);
		let client = crate::keys::Keys::from_uri("//Bob").unwrap().account().clone();
		let other = crate::keys::Keys::from_uri("//Eve").unwrap().account().clone();
		let blobs: Vec<Blob> = s.windows(2).map(|w| seal(&w[0], &w[1]).unwrap()).collect();
		{
			let mut store = BlobStore::open(&dir.0, 3).unwrap();
			assert_eq!(store.keep(&client, blobs[..2].to_vec()).unwrap(), 1);
			// Over quota: nothing of the batch is kept.
			let err = store.keep(&client, vec![blobs[2].clone(), blobs[2].clone()]).unwrap_err();
			assert!(err.to_string().contains("quota"), "{err}");
			assert_eq!(store.len(), 2);
			// Too large, too many: refused.
			let big = Blob { hint: [1; 16], sealed: vec![0; MAX_BLOB + 1] };
			assert!(store.keep(&other, vec![big]).is_err());
			let many = vec![Blob { hint: [2; 16], sealed: vec![] }; MAX_BATCH + 1];
			assert!(store.keep(&other, many).is_err());
			// Another client cannot overwrite a hint already held.
			let squat = Blob { hint: blobs[0].hint, sealed: vec![0; 10] };
			store.keep(&other, vec![squat]).unwrap();
			assert_eq!(store.get(&blobs[0].hint), Some(&blobs[0].sealed[..]));
			store.keep(&client, vec![blobs[2].clone()]).unwrap();
		}
		// A torn record at the end (a crash mid-write) is cut off; the rest is back.
		let path = dir.0.join(FILE);
		let mut file = OpenOptions::new().append(true).open(&path).unwrap();
		file.write_all(&[200, 0, 0, 0, 1, 2]).unwrap();
		let store = BlobStore::open(&dir.0, 3).unwrap();
		assert_eq!(store.len(), 3);
		// From state 1, the blobs lead to state 4.
		assert_eq!(newest_after(&store, &s[0]), Some(s[3].clone()));
		assert_eq!(newest_after(&store, &s[2]), Some(s[3].clone()));
		assert_eq!(newest_after(&store, &s[3]), None);
	}
}
