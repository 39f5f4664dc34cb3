//! Durable storage of each channel's latest co-signed state, of invoice preimages, and of
//! swap secrets (`swap.rs`).
//!
//! One file per channel (`channel-<id>.scale`). A save writes a temporary file, fsyncs it,
//! renames it over the old file and fsyncs the directory: after a crash the file holds either
//! the old or the new record, whole. Each record carries a BLAKE2 checksum, so a damaged file
//! is reported rather than read as an older state. A session holds `channel-<id>.lock`
//! (an OS file lock) while it may change the channel, so two processes never fork it.

use crate::{protocol::Channel, AssetKind, Balance, ChannelId, Hash32};
use anyhow::{bail, Context, Result};
use codec::{Decode, DecodeAll, Encode};
use polkadot_sdk::sp_io::hashing::blake2_256;
use std::{
	fs::{self, File, OpenOptions},
	io::Write,
	path::{Path, PathBuf},
};

/// Start of every record file: format name and version.
const MAGIC: &[u8; 8] = b"tpwchan1";

/// A directory of channel records and invoices.
#[derive(Clone, Debug)]
pub struct Store {
	dir: PathBuf,
}

/// Exclusive right to change one channel, released on drop (the OS releases it on a crash).
#[derive(Debug)]
pub struct ChannelLock {
	_file: File,
}

/// A payment this client expects: `amount` against the preimage of its hash lock.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Invoice {
	pub preimage: Vec<u8>,
	pub amount: Balance,
	/// The asset it must be paid in (a payment link names one); `None`: any.
	pub asset: Option<AssetKind>,
}

impl Invoice {
	/// Whether a payment of `amount` in a channel of `asset` pays this invoice.
	pub fn paid_by(&self, amount: Balance, asset: &AssetKind) -> bool {
		amount >= self.amount && self.asset.as_ref().is_none_or(|wanted| wanted == asset)
	}
}

/// An invoice as stores written before invoices named an asset hold it.
#[derive(Decode)]
struct InvoiceWithoutAsset {
	preimage: Vec<u8>,
	amount: Balance,
}

impl Store {
	/// Opens (creating it if needed) the store in `dir`.
	pub fn open(dir: impl Into<PathBuf>) -> Result<Self> {
		let dir = dir.into();
		fs::create_dir_all(&dir).with_context(|| format!("creating store {}", dir.display()))?;
		Ok(Self { dir })
	}

	/// The store's directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	fn channel_path(&self, id: ChannelId) -> PathBuf {
		self.dir.join(format!("channel-{id}.scale"))
	}

	fn invoice_path(&self, lock: &Hash32) -> PathBuf {
		self.dir.join(format!("invoice-{}.scale", hex::encode(lock)))
	}

	/// Takes the lock of channel `id`; fails at once if another session or process holds it.
	pub fn lock(&self, id: ChannelId) -> Result<ChannelLock> {
		let path = self.dir.join(format!("channel-{id}.lock"));
		let file = OpenOptions::new()
			.create(true)
			.truncate(false)
			.write(true)
			.open(&path)
			.with_context(|| format!("opening {}", path.display()))?;
		match file.try_lock() {
			Ok(()) => Ok(ChannelLock { _file: file }),
			Err(fs::TryLockError::WouldBlock) => {
				bail!("channel {id} is in use by another session or tpw process")
			}
			Err(fs::TryLockError::Error(e)) => Err(e).context("locking channel"),
		}
	}

	/// Saves `channel` durably, replacing its previous record atomically.
	pub fn save(&self, channel: &Channel) -> Result<()> {
		write_atomic(&self.channel_path(channel.id), &seal(&channel.encode()))
	}

	/// The record of channel `id`, if any.
	pub fn load(&self, id: ChannelId) -> Result<Option<Channel>> {
		let path = self.channel_path(id);
		let bytes = match fs::read(&path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
			Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
		};
		let body = unseal(&bytes).with_context(|| format!("record {}", path.display()))?;
		let channel = Channel::decode_all(&mut &body[..])
			.with_context(|| format!("decoding {}", path.display()))?;
		if channel.id != id {
			bail!("{} holds channel {}", path.display(), channel.id);
		}
		Ok(Some(channel))
	}

	/// Every channel record, by id.
	pub fn load_all(&self) -> Result<Vec<Channel>> {
		let mut ids = Vec::new();
		for entry in fs::read_dir(&self.dir)? {
			let name = entry?.file_name();
			let name = name.to_string_lossy();
			if let Some(id) = name.strip_prefix("channel-").and_then(|n| n.strip_suffix(".scale")) {
				if let Ok(id) = id.parse::<ChannelId>() {
					ids.push(id);
				}
			}
		}
		ids.sort_unstable();
		let mut channels = Vec::with_capacity(ids.len());
		for id in ids {
			channels.extend(self.load(id)?);
		}
		Ok(channels)
	}

	/// Saves an invoice under its hash lock, durably (the preimage must outlive a crash: it is
	/// what claims the payment, on chain if need be).
	pub fn save_invoice(&self, lock: &Hash32, invoice: &Invoice) -> Result<()> {
		write_atomic(&self.invoice_path(lock), &seal(&invoice.encode()))
	}

	/// A new invoice for `amount` (in `asset`, if given) under a random 32-byte preimage;
	/// returns its hash lock.
	pub fn new_invoice(&self, amount: Balance, asset: Option<AssetKind>) -> Result<Hash32> {
		let preimage: [u8; 32] = rand::random();
		let lock = crate::conditions::hash_lock(&preimage);
		self.save_invoice(&lock, &Invoice { preimage: preimage.to_vec(), amount, asset })?;
		Ok(lock)
	}

	/// The invoice under `lock`, if any.
	pub fn invoice(&self, lock: &Hash32) -> Result<Option<Invoice>> {
		let path = self.invoice_path(lock);
		match fs::read(&path) {
			Ok(bytes) => {
				let body = unseal(&bytes)?;
				let invoice = Invoice::decode_all(&mut &body[..]).or_else(|_| {
					InvoiceWithoutAsset::decode_all(&mut &body[..]).map(|old| Invoice {
						preimage: old.preimage,
						amount: old.amount,
						asset: None,
					})
				});
				Ok(Some(invoice.context("decoding invoice")?))
			}
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
		}
	}

	/// Saves `body` durably as record `name` (sealed with a checksum, replaced atomically).
	pub(crate) fn save_record(&self, name: &str, body: &[u8]) -> Result<()> {
		write_atomic(&self.dir.join(name), &seal(body))
	}

	/// The body of record `name`, if there is one; an error if it is damaged.
	pub(crate) fn load_record(&self, name: &str) -> Result<Option<Vec<u8>>> {
		let path = self.dir.join(name);
		match fs::read(&path) {
			Ok(bytes) => Ok(Some(
				unseal(&bytes).with_context(|| format!("record {}", path.display()))?.to_vec(),
			)),
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
			Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
		}
	}

	/// A preimage of `lock` known anywhere in the store: an invoice, or revealed in a channel.
	pub fn find_preimage(&self, lock: &Hash32) -> Result<Option<Vec<u8>>> {
		if let Some(invoice) = self.invoice(lock)? {
			return Ok(Some(invoice.preimage));
		}
		Ok(self.load_all()?.iter().find_map(|c| c.preimage(lock).map(<[u8]>::to_vec)))
	}
}

/// Magic, body, checksum of magic and body.
fn seal(body: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(MAGIC.len() + body.len() + 32);
	out.extend_from_slice(MAGIC);
	out.extend_from_slice(body);
	let sum = blake2_256(&out);
	out.extend_from_slice(&sum);
	out
}

/// The body of a sealed record, if its magic and checksum hold.
fn unseal(bytes: &[u8]) -> Result<&[u8]> {
	if bytes.len() < MAGIC.len() + 32 || &bytes[..MAGIC.len()] != MAGIC {
		bail!("not a tpw record");
	}
	let (sealed, sum) = bytes.split_at(bytes.len() - 32);
	if blake2_256(sealed) != sum {
		bail!("checksum mismatch: the record is damaged");
	}
	Ok(&sealed[MAGIC.len()..])
}

/// Replaces `path` with `bytes` so that a crash leaves the old or the new content, whole.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
	let dir = path.parent().context("record path has no directory")?;
	let mut tmp_name = path.file_name().context("record path has no name")?.to_owned();
	tmp_name.push(".tmp");
	let tmp = dir.join(tmp_name);
	{
		let mut file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
		file.write_all(bytes)?;
		// The data must be on disk before the rename makes it the record.
		file.sync_all()?;
	}
	fs::rename(&tmp, path).with_context(|| format!("replacing {}", path.display()))?;
	// And the rename itself must be on disk before anyone is told the state is stored.
	File::open(dir)?.sync_all()?;
	Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use crate::protocol::tests::{pair, step, CTX};
	use crate::protocol::Update;

	/// A fresh directory under the system temp dir, removed on drop.
	pub struct TempDir(pub PathBuf);
	impl TempDir {
		pub fn new(name: &str) -> Self {
			let n: u64 = rand::random();
			let dir = std::env::temp_dir().join(format!("tpw-{name}-{}-{n:x}", std::process::id()));
			fs::create_dir_all(&dir).unwrap();
			Self(dir)
		}
	}
	impl Drop for TempDir {
		fn drop(&mut self) {
			let _ = fs::remove_dir_all(&self.0);
		}
	}

	#[test]
	fn saves_reloads_and_replaces() {
		let tmp = TempDir::new("store");
		let store = Store::open(&tmp.0).unwrap();
		let (alice, mut ca, bob, mut cb) = pair();
		assert_eq!(store.load(3).unwrap(), None);
		store.save(&ca).unwrap();
		assert_eq!(store.load(3).unwrap(), Some(ca.clone()));
		step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 5 }, &CTX).unwrap();
		store.save(&ca).unwrap();
		// A new handle (a restart) reads the newest record.
		let reopened = Store::open(&tmp.0).unwrap();
		assert_eq!(reopened.load(3).unwrap().unwrap().state.nonce, 1);
		assert_eq!(reopened.load_all().unwrap(), vec![ca]);
	}

	#[test]
	fn a_crash_mid_write_leaves_the_previous_record_and_damage_is_detected() {
		let tmp = TempDir::new("crash");
		let store = Store::open(&tmp.0).unwrap();
		let (alice, mut ca, bob, mut cb) = pair();
		step(&alice, &mut ca, &bob, &mut cb, Update::Pay { amount: 5 }, &CTX).unwrap();
		store.save(&ca).unwrap();
		// A crash after writing part of the next record to the temporary file.
		let mut newer = ca.clone();
		newer.state.nonce = 2;
		let sealed = seal(&newer.encode());
		fs::write(tmp.0.join("channel-3.scale.tmp"), &sealed[..sealed.len() / 2]).unwrap();
		assert_eq!(store.load(3).unwrap(), Some(ca.clone()));
		// The next save overwrites the leftover.
		store.save(&newer).unwrap();
		assert_eq!(store.load(3).unwrap().unwrap().state.nonce, 2);
		assert!(!tmp.0.join("channel-3.scale.tmp").exists());
		// A damaged record is an error, not an older state.
		let path = tmp.0.join("channel-3.scale");
		let mut bytes = fs::read(&path).unwrap();
		let middle = bytes.len() / 2;
		bytes[middle] ^= 1;
		fs::write(&path, &bytes).unwrap();
		assert!(store.load(3).is_err());
		fs::write(&path, &bytes[..10]).unwrap();
		assert!(store.load(3).is_err());
	}

	#[test]
	fn an_invoice_names_its_asset_and_older_invoices_still_read() {
		use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
		let tmp = TempDir::new("invoice-asset");
		let store = Store::open(&tmp.0).unwrap();
		let lock = store.new_invoice(100, Some(NativeOrWithId::WithId(7))).unwrap();
		let invoice = store.invoice(&lock).unwrap().unwrap();
		assert!(invoice.paid_by(100, &NativeOrWithId::WithId(7)));
		assert!(!invoice.paid_by(100, &NativeOrWithId::Native), "the same number in TPW");
		assert!(!invoice.paid_by(100, &NativeOrWithId::WithId(8)));
		assert!(!invoice.paid_by(99, &NativeOrWithId::WithId(7)));
		// Written before invoices named an asset: read back as payable in any asset.
		let old_lock = crate::conditions::hash_lock(b"old");
		let old = (b"old".to_vec(), 5u128).encode();
		write_atomic(&store.invoice_path(&old_lock), &seal(&old)).unwrap();
		let read = store.invoice(&old_lock).unwrap().unwrap();
		assert_eq!((read.amount, read.asset.clone()), (5, None));
		assert!(read.paid_by(5, &NativeOrWithId::Native));
	}

	#[test]
	fn channel_lock_is_exclusive_and_invoices_persist() {
		let tmp = TempDir::new("lock");
		let store = Store::open(&tmp.0).unwrap();
		let held = store.lock(3).unwrap();
		assert!(store.lock(3).is_err());
		assert!(store.lock(4).is_ok());
		drop(held);
		assert!(store.lock(3).is_ok());

		let invoice = Invoice { preimage: b"pre".to_vec(), amount: 9, asset: None };
		let lock = crate::conditions::hash_lock(b"pre");
		store.save_invoice(&lock, &invoice).unwrap();
		assert_eq!(Store::open(&tmp.0).unwrap().invoice(&lock).unwrap(), Some(invoice));
		assert_eq!(store.find_preimage(&lock).unwrap(), Some(b"pre".to_vec()));
		assert_eq!(store.find_preimage(&[0; 32]).unwrap(), None);
	}
}
