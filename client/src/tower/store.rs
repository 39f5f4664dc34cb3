//! The tower's blobs: one append-only file of `(client, blob)` records (each a little-endian
//! `u32` length and the SCALE encoding), fsynced per batch, and an index in memory.
//!
//! Anyone who knows a state's signature (its counterparty, say) can file blobs under its hint,
//! so a hint holds one blob per client, all of them tried when the hint is revealed: a blob
//! filed first cannot hide the honest one.

use super::{
	blob::{Blob, Hint, MAX_BLOB},
	record,
};
use crate::AccountId;
use anyhow::{bail, Context, Result};
use std::{
	collections::{hash_map::Entry, HashMap, HashSet},
	fs::{File, OpenOptions},
	io::{Read, Seek, SeekFrom, Write},
	path::Path,
};

/// Most blobs in one batch.
pub const MAX_BATCH: usize = 1024;
/// The largest record: its length, the client, the hint, the blob's length and the blob.
const MAX_RECORD: usize = 4 + 32 + 16 + 4 + MAX_BLOB;
/// The file of blobs, in the tower's store directory.
const FILE: &str = "tower-blobs.log";

/// How much the store holds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Blobs kept per client at most.
	pub quota: u64,
	/// Blobs kept in all at most.
	pub capacity: u64,
}

pub struct BlobStore {
	file: File,
	/// The file's length: what a failed write is cut back to.
	len: u64,
	index: HashMap<Hint, Vec<(AccountId, Vec<u8>)>>,
	held: HashMap<AccountId, u64>,
	total: u64,
	limits: Limits,
}

impl BlobStore {
	/// Opens (or creates) the file in `dir`. A record torn by a crash at the end is cut off;
	/// damage anywhere else is an error (cutting there would lose good records).
	pub fn open(dir: &Path, limits: Limits) -> Result<Self> {
		std::fs::create_dir_all(dir)?;
		let path = dir.join(FILE);
		let file = OpenOptions::new()
			.create(true)
			.truncate(false)
			.read(true)
			.append(true)
			.open(&path)
			.with_context(|| format!("opening {}", path.display()))?;
		let size = file.metadata()?.len();
		let mut reader = std::io::BufReader::new(file.try_clone()?);
		let mut store =
			Self { file, len: 0, index: HashMap::new(), held: HashMap::new(), total: 0, limits };
		// Record by record: the file is not held in memory whole.
		let mut at = 0u64;
		while let Some(((client, blob), len)) = read_record(&mut reader) {
			store.insert(client, blob);
			at += len as u64;
		}
		let rest = (size - at) as usize;
		if rest > MAX_RECORD {
			bail!("{} is damaged at byte {at}, {rest} bytes before its end", path.display());
		}
		if rest > 0 {
			log::warn!("{}: cutting off {rest} torn bytes", path.display());
			store.file.set_len(at)?;
			store.file.seek(SeekFrom::End(0))?;
		}
		store.len = at;
		Ok(store)
	}

	fn holds(&self, client: &AccountId, hint: &Hint) -> bool {
		self.index.get(hint).is_some_and(|held| held.iter().any(|(c, _)| c == client))
	}

	fn insert(&mut self, client: AccountId, blob: Blob) {
		if self.holds(&client, &blob.hint) {
			return;
		}
		*self.held.entry(client.clone()).or_default() += 1;
		self.total += 1;
		match self.index.entry(blob.hint) {
			Entry::Occupied(mut e) => e.get_mut().push((client, blob.sealed)),
			Entry::Vacant(e) => {
				e.insert(vec![(client, blob.sealed)]);
			}
		}
	}

	/// Keeps `blobs` from `client`, durably, in order, as many as its quota and the store's
	/// capacity leave room for; returns how many of the batch are kept (a prefix: those
	/// already held count as kept) and the room left. Refused whole: too many at once, or one
	/// too large.
	pub fn keep(&mut self, client: &AccountId, blobs: Vec<Blob>) -> Result<(usize, u64)> {
		if blobs.len() > MAX_BATCH {
			bail!("more than {MAX_BATCH} blobs at once");
		}
		if blobs.iter().any(|b| b.sealed.len() > MAX_BLOB) {
			bail!("a blob larger than {MAX_BLOB} bytes");
		}
		let room = self
			.limits
			.quota
			.saturating_sub(self.held(client))
			.min(self.limits.capacity.saturating_sub(self.total));
		let (mut kept, mut fresh, mut seen) = (0usize, Vec::new(), HashSet::new());
		for blob in blobs {
			if self.holds(client, &blob.hint) || seen.contains(&blob.hint) {
				kept += 1;
				continue;
			}
			if fresh.len() as u64 >= room {
				break;
			}
			seen.insert(blob.hint);
			fresh.push(blob);
			kept += 1;
		}
		let out: Vec<u8> = fresh.iter().flat_map(|blob| record::encode(&(client, blob))).collect();
		if let Err(e) = self.file.write_all(&out).and_then(|()| self.file.sync_data()) {
			// Leave no torn record in the middle of the file for the next batch to follow.
			let _ = self.file.set_len(self.len);
			return Err(e).context("writing blobs");
		}
		self.len += out.len() as u64;
		for blob in fresh {
			self.insert(client.clone(), blob);
		}
		Ok((kept, self.room(client)))
	}

	/// What `client` may still file.
	pub fn room(&self, client: &AccountId) -> u64 {
		let quota = self.limits.quota.saturating_sub(self.held(client));
		quota.min(self.limits.capacity.saturating_sub(self.total))
	}

	/// Blobs `client` filed.
	pub fn held(&self, client: &AccountId) -> u64 {
		self.held.get(client).copied().unwrap_or(0)
	}

	/// The blobs filed under `hint`, by whoever filed them.
	pub fn candidates(&self, hint: &Hint) -> impl Iterator<Item = &[u8]> {
		self.index.get(hint).into_iter().flatten().map(|(_, sealed)| sealed.as_slice())
	}

	/// Blobs held in all.
	pub fn len(&self) -> usize {
		self.total as usize
	}

	pub fn is_empty(&self) -> bool {
		self.total == 0
	}
}

/// The next whole record and its length, if there is one.
fn read_record(reader: &mut impl Read) -> Option<((AccountId, Blob), usize)> {
	let ((client, blob), len) = record::read::<(AccountId, Blob)>(reader, MAX_RECORD)?;
	(blob.sealed.len() <= MAX_BLOB).then_some(((client, blob), len))
}
