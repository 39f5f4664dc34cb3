//! Hands a party's blobs to its tower. Blobs wait in an outbox file in the party's store
//! (written before the state they protect is stored, so a crash of the process loses none)
//! until the tower confirms them; then the file is cut back. The tower is checked to be the
//! account the party named.

use super::{blob::Blob, store::MAX_BATCH};
use crate::{
	keys::{self, Keys},
	transport::{self, Identity},
	wire::Message,
	AccountId,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{DecodeAll, Encode};
use std::{
	collections::VecDeque,
	fs::{File, OpenOptions},
	io::{Read, Write},
	path::Path,
	str::FromStr,
	sync::{Arc, Mutex, MutexGuard},
	time::Duration,
};
use tokio::sync::Notify;

/// Blobs held while the tower cannot be reached; beyond, the oldest are dropped.
const MAX_QUEUE: usize = 100_000;
/// The outbox file, in the party's store.
const OUTBOX: &str = "tower-outbox.log";

/// A tower: the account its transport key is bound to, and where it listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TowerAddr {
	pub account: AccountId,
	pub addr: String,
}

impl FromStr for TowerAddr {
	type Err = anyhow::Error;

	/// `<ss58 account>@<host:port>`.
	fn from_str(s: &str) -> Result<Self> {
		let (account, addr) = s.split_once('@').context("a tower is <account>@<host:port>")?;
		if addr.is_empty() {
			bail!("a tower is <account>@<host:port>");
		}
		Ok(Self { account: keys::parse_account(account)?, addr: addr.to_string() })
	}
}

struct Outbox {
	/// `None` if the file could not be opened: blobs are then kept in memory only.
	file: Option<File>,
	/// Blobs not yet confirmed, each with its sequence number.
	queue: VecDeque<(u64, Blob)>,
	next_seq: u64,
	/// Records in the file (confirmed ones included, until it is cut back).
	records: usize,
}

impl Outbox {
	fn open(dir: &Path) -> Self {
		let mut outbox = Self { file: None, queue: VecDeque::new(), next_seq: 0, records: 0 };
		let path = dir.join(OUTBOX);
		let mut bytes = Vec::new();
		if let Ok(mut file) = File::open(&path) {
			let _ = file.read_to_end(&mut bytes);
		}
		let mut at = 0usize;
		while let Some((blob, len)) = record_at(&bytes, at) {
			outbox.enqueue(blob);
			at += len;
		}
		// Rewritten whole: a record torn by a crash is cut off.
		match OpenOptions::new().create(true).append(true).open(&path) {
			Ok(file) => outbox.file = Some(file),
			Err(e) => log::error!("{}: {e}; blobs kept in memory only", path.display()),
		}
		outbox.rewrite();
		outbox
	}

	fn enqueue(&mut self, blob: Blob) {
		if self.queue.len() >= MAX_QUEUE {
			self.queue.pop_front();
			log::warn!("tower outbox full: an old state's blob dropped");
		}
		self.queue.push_back((self.next_seq, blob));
		self.next_seq += 1;
	}

	fn push(&mut self, blob: Blob) {
		if let Some(file) = &mut self.file {
			if let Err(e) = file.write_all(&record(&blob)) {
				log::warn!("tower outbox: {e}");
			}
			self.records += 1;
		}
		self.enqueue(blob);
	}

	/// Drops the blobs up to sequence `last`, confirmed; cuts the file back when it can.
	fn confirmed(&mut self, last: u64) {
		while self.queue.front().is_some_and(|(seq, _)| *seq <= last) {
			self.queue.pop_front();
		}
		if self.queue.is_empty() || self.records > 2 * self.queue.len() + MAX_BATCH {
			self.rewrite();
		}
	}

	fn rewrite(&mut self) {
		let Some(file) = &mut self.file else { return };
		let bytes: Vec<u8> = self.queue.iter().flat_map(|(_, blob)| record(blob)).collect();
		if let Err(e) = file.set_len(0).and_then(|()| file.write_all(&bytes)) {
			log::warn!("tower outbox: {e}");
		}
		self.records = self.queue.len();
	}
}

fn record(blob: &Blob) -> Vec<u8> {
	let body = blob.encode();
	let mut out = (body.len() as u32).to_le_bytes().to_vec();
	out.extend_from_slice(&body);
	out
}

fn record_at(bytes: &[u8], at: usize) -> Option<(Blob, usize)> {
	let len = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
	let body = bytes.get(at + 4..at.checked_add(4)?.checked_add(len)?)?;
	Some((Blob::decode_all(&mut &body[..]).ok()?, 4 + len))
}

/// A party's link to its tower.
#[derive(Clone)]
pub struct Uploader {
	outbox: Arc<Mutex<Outbox>>,
	wake: Arc<Notify>,
}

impl Uploader {
	/// Starts handing the blobs of the store in `dir` to `tower`, those left over from an
	/// earlier run first.
	pub fn spawn(tower: TowerAddr, keys: &Keys, dir: &Path) -> Self {
		let uploader =
			Self { outbox: Arc::new(Mutex::new(Outbox::open(dir))), wake: Arc::new(Notify::new()) };
		tokio::spawn(uploader.clone().run(tower, Identity::new(keys)));
		uploader
	}

	fn outbox(&self) -> MutexGuard<'_, Outbox> {
		self.outbox.lock().unwrap_or_else(|e| e.into_inner())
	}

	/// Queues `blob` (in the outbox file) for the tower.
	pub fn push(&self, blob: Blob) {
		self.outbox().push(blob);
		self.wake.notify_one();
	}

	/// Blobs not yet confirmed by the tower.
	pub fn waiting(&self) -> usize {
		self.outbox().queue.len()
	}

	/// Waits until the tower confirmed every blob, or `timeout`; whether it did.
	pub async fn flush(&self, timeout: Duration) -> bool {
		let deadline = tokio::time::Instant::now() + timeout;
		while self.waiting() > 0 {
			if tokio::time::Instant::now() >= deadline {
				return false;
			}
			tokio::time::sleep(Duration::from_millis(20)).await;
		}
		true
	}

	async fn run(self, tower: TowerAddr, identity: Identity) {
		let mut conn: Option<transport::Connection> = None;
		// An unreachable tower is reported once, until it is reached again.
		let mut reported = false;
		loop {
			let batch: Vec<(u64, Blob)> =
				self.outbox().queue.iter().take(MAX_BATCH).cloned().collect();
			let Some(&(last, _)) = batch.last() else {
				self.wake.notified().await;
				continue;
			};
			if conn.is_none() {
				match connect(&tower, &identity).await {
					Ok(c) => {
						conn = Some(c);
						reported = false;
					}
					Err(e) => {
						if !reported {
							log::warn!("tower {}: {e:#}; blobs wait in the outbox", tower.addr);
							reported = true;
						}
						tokio::time::sleep(Duration::from_secs(1)).await;
						continue;
					}
				}
			}
			let Some(c) = conn.as_mut() else { continue };
			let n = batch.len();
			let blobs = batch.into_iter().map(|(_, blob)| blob).collect();
			let reply = match c.writer.send(&Message::TowerStore { blobs }).await {
				Ok(()) => tokio::time::timeout(Duration::from_secs(10), c.reader.recv())
					.await
					.map_err(|_| anyhow!("no reply"))
					.and_then(|r| r.map_err(Into::into)),
				Err(e) => Err(e.into()),
			};
			match reply {
				Ok(Message::TowerStored { room, .. }) => {
					self.outbox().confirmed(last);
					log::debug!("tower {}: {n} blobs kept, room for {room}", tower.addr);
				}
				Ok(Message::TowerRefused { reason }) => {
					// Sending them again would be refused again (quota, size).
					self.outbox().confirmed(last);
					log::warn!("tower {} refused {n} blobs: {reason}", tower.addr);
				}
				other => {
					if let Err(e) = other {
						log::debug!("tower {}: {e:#}", tower.addr);
					}
					conn = None;
					tokio::time::sleep(Duration::from_secs(1)).await;
				}
			}
		}
	}
}

async fn connect(tower: &TowerAddr, identity: &Identity) -> Result<transport::Connection> {
	let dial = tokio::net::TcpStream::connect(&tower.addr);
	let stream = tokio::time::timeout(Duration::from_secs(5), dial)
		.await
		.map_err(|_| anyhow!("connect timed out"))??;
	let conn = tokio::time::timeout(Duration::from_secs(10), transport::initiate(stream, identity))
		.await
		.map_err(|_| anyhow!("handshake timed out"))??;
	if conn.peer != tower.account {
		bail!("it is {}, not the tower named", keys::ss58(&conn.peer));
	}
	Ok(conn)
}
