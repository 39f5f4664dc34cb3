//! Hands a party's blobs to its tower. Blobs wait in an outbox file in the party's store
//! (written and fsynced before the state they protect is stored, so a crash loses none) until
//! the tower confirms them; then the file is rewritten (atomically). What the tower has no
//! room for, or refuses, waits and is offered again: a gap in the chain of blobs would leave
//! the tower answering a stale close with a state that is stale too. One process owns a
//! store's outbox (a lock); another on the same store (a one-shot command beside `tpw
//! listen`) keeps its own, taken over when it is gone. The tower is checked to be the account
//! the party named.

use super::{blob::Blob, record, store::MAX_BATCH};
use crate::{
	keys::{self, Keys},
	transport::{self, Identity},
	wire::Message,
	AccountId,
};
use anyhow::{anyhow, bail, Context, Result};
use std::{
	collections::VecDeque,
	fs::{File, OpenOptions},
	io::Write,
	path::Path,
	str::FromStr,
	sync::{Arc, Mutex, MutexGuard},
	time::Duration,
};
use tokio::sync::Notify;

/// Blobs held while the tower cannot be reached; beyond, the oldest are dropped.
const MAX_QUEUE: usize = 100_000;
/// The outbox file, in the party's store, and the lock of the process that owns it.
const OUTBOX: &str = "tower-outbox.log";
const LOCK: &str = "tower-outbox.lock";
/// How long to wait before offering again what the tower had no room for, or refused.
const BACKOFF: Duration = Duration::from_secs(30);

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
	/// The file the blobs wait in, and its append handle (`None` if it could not be opened:
	/// blobs are then kept in memory only).
	path: std::path::PathBuf,
	file: Option<File>,
	/// Held while this process owns the store's outbox; the lock goes with the handle.
	_lock: Option<File>,
	/// Blobs not yet confirmed, each with its sequence number.
	queue: VecDeque<(u64, Blob)>,
	next_seq: u64,
	/// Records in the file (confirmed ones included, until it is rewritten).
	records: usize,
}

impl Outbox {
	/// The store's outbox, if no other process on the store holds it; else one of this
	/// process's own (`tower-outbox.<pid>.log`), which the owner of the store's outbox takes
	/// over once this process is gone.
	fn open(dir: &Path) -> Self {
		let lock = OpenOptions::new()
			.create(true)
			.truncate(false)
			.write(true)
			.open(dir.join(LOCK))
			.ok()
			.filter(|f| f.try_lock().is_ok());
		let path = match lock {
			Some(_) => dir.join(OUTBOX),
			None => dir.join(format!("tower-outbox.{}.log", std::process::id())),
		};
		let mut outbox =
			Self { path, file: None, _lock: lock, queue: VecDeque::new(), next_seq: 0, records: 0 };
		let mut sources = vec![outbox.path.clone()];
		if outbox._lock.is_some() {
			sources.extend(orphans(dir));
		}
		for source in &sources {
			let bytes = std::fs::read(source).unwrap_or_default();
			let mut reader = &bytes[..];
			while let Some((blob, _)) = record::read::<Blob>(&mut reader, MAX_OUTBOX_RECORD) {
				outbox.enqueue(blob);
			}
		}
		// Rewritten whole (a record torn by a crash is cut off), then the orphans go.
		outbox.rewrite();
		if outbox.file.is_some() {
			for orphan in &sources[1..] {
				let _ = std::fs::remove_file(orphan);
			}
		}
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

	/// Queues `blob`, on disk (fsynced) before it returns.
	fn push(&mut self, blob: Blob) {
		if let Some(file) = &mut self.file {
			if let Err(e) = file.write_all(&record::encode(&blob)).and_then(|()| file.sync_data()) {
				log::warn!("tower outbox: {e}");
			}
			self.records += 1;
		}
		self.enqueue(blob);
	}

	/// Drops the blobs up to sequence `last`, confirmed; rewrites the file when it can.
	fn confirmed(&mut self, last: u64) {
		while self.queue.front().is_some_and(|(seq, _)| *seq <= last) {
			self.queue.pop_front();
		}
		if self.queue.is_empty() || self.records > 2 * self.queue.len() + MAX_BATCH {
			self.rewrite();
		}
	}

	/// Replaces the file with the queue: a temporary file, fsynced, renamed over it, so that
	/// a crash leaves the old file or the new one, whole.
	fn rewrite(&mut self) {
		let bytes: Vec<u8> = self.queue.iter().flat_map(|(_, blob)| record::encode(blob)).collect();
		let mut tmp = self.path.clone().into_os_string();
		tmp.push(".tmp");
		let written = (|| -> std::io::Result<File> {
			let mut f = File::create(&tmp)?;
			f.write_all(&bytes)?;
			f.sync_all()?;
			std::fs::rename(&tmp, &self.path)?;
			if let Some(dir) = self.path.parent() {
				File::open(dir)?.sync_all()?;
			}
			OpenOptions::new().append(true).open(&self.path)
		})();
		match written {
			Ok(file) => {
				self.file = Some(file);
				self.records = self.queue.len();
			}
			Err(e) => log::warn!("tower outbox {}: {e}", self.path.display()),
		}
	}
}

/// Outboxes of processes that are gone (`tower-outbox.<pid>.log`, no `/proc/<pid>`).
fn orphans(dir: &Path) -> Vec<std::path::PathBuf> {
	let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
	entries
		.filter_map(|e| e.ok().map(|e| e.path()))
		.filter(|path| {
			let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
			let pid = name.strip_prefix("tower-outbox.").and_then(|r| r.strip_suffix(".log"));
			pid.and_then(|p| p.parse::<u32>().ok())
				.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
		})
		.collect()
}

/// A record of the outbox is at most this long: the party wrote it, but a damaged length
/// must not make it allocate without bound.
const MAX_OUTBOX_RECORD: usize = 64 * 1024;

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
			if batch.is_empty() {
				self.wake.notified().await;
				continue;
			}
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
			let batch_seqs: Vec<u64> = batch.iter().map(|(seq, _)| *seq).collect();
			let blobs = batch.into_iter().map(|(_, blob)| blob).collect();
			let reply = match c.writer.send(&Message::TowerStore { blobs }).await {
				Ok(()) => tokio::time::timeout(Duration::from_secs(10), c.reader.recv())
					.await
					.map_err(|_| anyhow!("no reply"))
					.and_then(|r| r.map_err(Into::into)),
				Err(e) => Err(e.into()),
			};
			match reply {
				Ok(Message::TowerStored { kept, room }) => {
					let kept = (kept as usize).min(n);
					if let Some(&seq) = kept.checked_sub(1).and_then(|k| batch_seqs.get(k)) {
						self.outbox().confirmed(seq);
					}
					log::debug!("tower {}: {kept} blobs kept, room for {room}", tower.addr);
					if kept < n {
						// Kept in the outbox, offered again later: a gap in a tower's chain
						// of blobs would leave it challenging with a stale state.
						log::warn!(
							"tower {} has no room for {} blobs (quota or capacity): they wait",
							tower.addr,
							n - kept
						);
						tokio::time::sleep(BACKOFF).await;
					}
				}
				Ok(Message::TowerRefused { reason }) => {
					log::warn!("tower {} refused {n} blobs: {reason}; they wait", tower.addr);
					conn = None;
					tokio::time::sleep(BACKOFF).await;
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
