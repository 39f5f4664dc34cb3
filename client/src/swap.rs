//! Cross-chain atomic swaps between two tpwallet chains over the HTLC pallet (`pallet-htlc`).
//!
//! 1. The initiator (on chain A) draws a 32-byte secret, stores it durably, and locks funds for
//!    the participant under its SHA-256 hash for `T_A` blocks ([`initiate`]).
//! 2. The participant reads that swap on A, checks it (recipient, amount, hash, and the time-lock
//!    order of [`check_time_locks`]), and locks funds for the initiator on chain B under the same
//!    hash for `T_B` blocks ([`participate`]).
//! 3. The initiator claims on B, which publishes the secret in `Htlc::Claimed`; the participant
//!    reads it there ([`find_revealed`]) and claims on A.
//!
//! If the initiator never reveals, both refund once their locks expire: nobody loses anything.

use crate::{
	call::Call, chain::Chain, events, keys::Keys, runtime::find_in, storage, store::Store,
	AccountId, AssetKind, Balance, BlockNumber,
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use codec::{Decode, Encode};
use polkadot_sdk::sp_core::H256;
use tpwallet_htlc_primitives::{HashAlgorithm, HashLock};

pub use tpwallet_htlc_primitives::SwapId;
/// A swap as the chain stores it.
pub type Swap = tpwallet_htlc_primitives::Swap<AccountId, AssetKind, Balance, BlockNumber, Balance>;

/// Milliseconds per block of both chains (`MILLI_SECS_PER_BLOCK`, fixed for a chain's life).
pub const MS_PER_BLOCK: u64 = tpwallet_primitives::MILLI_SECS_PER_BLOCK;

/// The participant's time-lock rule: the initiator's lock on chain A must outlive the
/// participant's lock on chain B by a safety margin.
///
/// Why: the initiator learns nothing new when the participant locks, but the participant learns
/// the secret only when the initiator claims on B, which she can do until B's lock expires. If
/// A's lock expired first, she could claim on B at the last moment and refund on A too, taking
/// both sides. So A's lock must still be open for at least `margin` blocks (of B) after B's lock
/// expires, time for the participant to see the claim and have his own claim included on A.
///
/// Computed in wall-clock time, since the chains count blocks separately:
/// A's remaining time is `(a_expires_at - a_best - 1) * a_ms_per_block` (the blocks after the
/// best one in which a claim can still be included), and it must be at least
/// `(blocks + margin) * b_ms_per_block`. The margin also absorbs the few blocks between this
/// check and the inclusion of B's lock. A zero margin is refused.
pub fn check_time_locks(
	a_best: BlockNumber,
	a_expires_at: BlockNumber,
	a_ms_per_block: u64,
	blocks: BlockNumber,
	margin: BlockNumber,
	b_ms_per_block: u64,
) -> Result<()> {
	ensure!(margin > 0, "a zero --margin leaves no time to claim on the initiator's chain");
	let remaining = a_expires_at.saturating_sub(a_best.saturating_add(1));
	ensure!(remaining > 0, "the initiator's swap has expired (block {a_expires_at})");
	let remaining_ms = u64::from(remaining) * a_ms_per_block;
	let needed_ms = (u64::from(blocks) + u64::from(margin)) * b_ms_per_block;
	ensure!(
		remaining_ms >= needed_ms,
		"time locks in the wrong order: the initiator's lock has {remaining} blocks left \
		 ({} s), but this lock of {blocks} blocks plus a margin of {margin} needs {} s; lock for \
		 at most {} blocks, or ask for a longer initiator lock",
		remaining_ms / 1000,
		needed_ms / 1000,
		(remaining_ms / b_ms_per_block).saturating_sub(u64::from(margin)),
	);
	Ok(())
}

/// A swap secret kept in the store (record `swap-secret-<hash lock hex>`), written before the
/// lock is submitted so that a crash cannot leave funds locked under a forgotten secret.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Secret {
	pub preimage: Vec<u8>,
	/// The swap it opens, once known: (genesis hash of its chain, swap id).
	pub swap: Option<([u8; 32], SwapId)>,
}

fn secret_record(lock: &HashLock) -> String {
	format!("swap-secret-{}.scale", hex::encode(lock))
}

/// Saves `secret` under `lock`, durably.
pub fn save_secret(store: &Store, lock: &HashLock, secret: &Secret) -> Result<()> {
	store.save_record(&secret_record(lock), &secret.encode())
}

/// The secret stored under `lock`, if any.
pub fn load_secret(store: &Store, lock: &HashLock) -> Result<Option<Secret>> {
	let Some(body) = store.load_record(&secret_record(lock))? else { return Ok(None) };
	Ok(Some(Secret::decode(&mut &body[..]).context("decoding a swap secret")?))
}

/// A new random 32-byte secret and its SHA-256 hash lock, stored before it is returned.
pub fn new_secret(store: &Store) -> Result<(Vec<u8>, HashLock)> {
	let preimage: [u8; 32] = rand::random();
	let lock = HashAlgorithm::Sha256.hash(&preimage);
	save_secret(store, &lock, &Secret { preimage: preimage.to_vec(), swap: None })?;
	Ok((preimage.to_vec(), lock))
}

/// Swap `id` at block `at` (best if `None`); `None` if never locked, claimed or refunded.
pub async fn swap_at(chain: &Chain, id: SwapId, at: Option<H256>) -> Result<Option<Swap>> {
	let key = storage::map_blake2("Htlc", "Swaps", &id);
	chain.storage(&key, at).await.with_context(|| format!("Htlc::Swaps({id})"))
}

/// An open swap on `chain`, or a clear error.
pub async fn open_swap(chain: &Chain, id: SwapId, url: &str) -> Result<Swap> {
	swap_at(chain, id, None)
		.await?
		.ok_or_else(|| anyhow!("unknown swap {id} on {url}: never locked, claimed or refunded"))
}

/// A lock included in a block.
pub struct Locked {
	pub swap_id: SwapId,
	pub hash_lock: HashLock,
	pub expires_at: BlockNumber,
	/// The storage deposit held from the sender (native) until the swap is claimed or refunded.
	pub deposit: Balance,
	pub block: H256,
}

/// Submits `lock`, a [`calls::lock`] under `hash_lock`, and reads the swap it created.
async fn lock(chain: &Chain, keys: &Keys, lock: Call, hash_lock: HashLock) -> Result<Locked> {
	let included = chain.submit(keys, lock).await?;
	let locked = included.events.expect::<events::Locked>("Htlc::Locked")?;
	Ok(Locked {
		swap_id: locked.swap_id,
		hash_lock,
		expires_at: locked.expires_at,
		deposit: locked.deposit,
		block: included.block,
	})
}

/// Step 1: a new secret (stored first), then the lock under its SHA-256 hash.
pub async fn initiate(
	chain: &Chain,
	keys: &Keys,
	store: &Store,
	to: AccountId,
	asset: AssetKind,
	amount: Balance,
	blocks: BlockNumber,
) -> Result<Locked> {
	let (preimage, hash_lock) = new_secret(store)?;
	let locked = lock(
		chain,
		keys,
		calls::lock(to, asset, amount, hash_lock, HashAlgorithm::Sha256, blocks),
		hash_lock,
	)
	.await?;
	let swap = Some((chain_genesis(chain), locked.swap_id));
	save_secret(store, &hash_lock, &Secret { preimage, swap })?;
	Ok(locked)
}

/// What the participant expects of the initiator's swap.
pub struct Expected {
	pub swap_id: SwapId,
	pub hash_lock: HashLock,
	pub asset: AssetKind,
	pub amount: Balance,
}

/// Step 2: checks the initiator's swap on `counter` in a finalized block (it exists, pays this party `expected`
/// under the same hash, and outlives this lock by `margin`: [`check_time_locks`]), then locks
/// `amount` of `asset` for `to` on `chain` for `blocks` blocks.
#[allow(clippy::too_many_arguments)]
pub async fn participate(
	chain: &Chain,
	counter: &Chain,
	counter_url: &str,
	keys: &Keys,
	expected: &Expected,
	to: AccountId,
	asset: AssetKind,
	amount: Balance,
	blocks: BlockNumber,
	margin: BlockNumber,
) -> Result<Locked> {
	// Time runs on the best chain; the lock must be in a finalized block, or a reorg could
	// undo it after ours is made.
	let (a_best, _) = counter.best().await?;
	let theirs = finalized_swap(counter, expected.swap_id, counter_url).await?;
	ensure!(
		theirs.hash_lock == expected.hash_lock,
		"wrong hash: swap {} on {counter_url} is locked under 0x{}, not 0x{}",
		expected.swap_id,
		hex::encode(theirs.hash_lock),
		hex::encode(expected.hash_lock)
	);
	ensure!(
		theirs.recipient == *keys.account(),
		"swap {} on {counter_url} pays {}, not this key ({})",
		expected.swap_id,
		crate::keys::ss58(&theirs.recipient),
		crate::keys::ss58(keys.account())
	);
	ensure!(
		theirs.sender == to,
		"swap {} on {counter_url} was locked by {}, not by --to",
		expected.swap_id,
		crate::keys::ss58(&theirs.sender)
	);
	ensure!(
		theirs.asset == expected.asset && theirs.amount == expected.amount,
		"swap {} on {counter_url} locks {} of {:?}, not the expected {} of {:?}",
		expected.swap_id,
		theirs.amount,
		theirs.asset,
		expected.amount,
		expected.asset
	);
	check_time_locks(a_best, theirs.expires_at, MS_PER_BLOCK, blocks, margin, MS_PER_BLOCK)?;
	let call = calls::lock(to, asset, amount, theirs.hash_lock, theirs.hash_algorithm, blocks);
	lock(chain, keys, call, theirs.hash_lock).await
}

/// How long [`participate`] waits for the counter-party's lock to be finalized.
const FINALITY_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Swap `id` on `chain` as its finalized state holds it, waiting (up to [`FINALITY_WAIT`]) while
/// it is only in best blocks.
async fn finalized_swap(chain: &Chain, id: SwapId, url: &str) -> Result<Swap> {
	let deadline = tokio::time::Instant::now() + FINALITY_WAIT;
	loop {
		let finalized = chain.finalized_head().await?;
		if let Some(swap) = swap_at(chain, id, Some(finalized)).await? {
			return Ok(swap);
		}
		let at_best = swap_at(chain, id, None).await?.is_some();
		if !at_best {
			bail!("unknown swap {id} on {url}: nothing to participate in");
		}
		if tokio::time::Instant::now() >= deadline {
			bail!("swap {id} on {url} is not finalized after {FINALITY_WAIT:?}: not relying on it");
		}
		log::info!("swap {id} on {url}: in a best block, waiting for finality");
		tokio::time::sleep(std::time::Duration::from_millis(500)).await;
	}
}

/// Step 3: claims swap `id` with `preimage`, checked against its hash lock first.
pub async fn claim(
	chain: &Chain,
	url: &str,
	keys: &Keys,
	id: SwapId,
	preimage: Vec<u8>,
) -> Result<H256> {
	let swap = open_swap(chain, id, url).await?;
	ensure!(
		swap.hash_algorithm.hash(&preimage) == swap.hash_lock,
		"wrong secret: it does not hash to swap {id}'s lock 0x{}",
		hex::encode(swap.hash_lock)
	);
	Ok(chain.submit(keys, calls::claim(id, preimage)).await?.block)
}

/// The secret of swap `id` on `chain` revealed by its claim: `Htlc::Claimed` in the last
/// `depth` blocks. An error if the swap is still open (nothing is revealed yet).
pub async fn find_revealed(
	chain: &Chain,
	url: &str,
	id: SwapId,
	depth: BlockNumber,
) -> Result<Vec<u8>> {
	let (best, best_hash) = chain.best().await?;
	if swap_at(chain, id, Some(best_hash)).await?.is_some() {
		bail!("swap {id} on {url} is still open: its secret has not been revealed yet");
	}
	for number in (best.saturating_sub(depth)..=best).rev() {
		let hash = chain.block_hash(number).await?;
		for claimed in find_in::<events::Claimed>(&chain.events(hash).await?, None)? {
			if claimed.swap_id == id {
				return Ok(claimed.preimage);
			}
		}
	}
	bail!("no claim of swap {id} on {url} in the last {depth} blocks (refunded, or older)")
}

/// Returns swap `id` to its sender; the chain refuses before expiry (`Htlc::SwapNotExpired`).
pub async fn refund(chain: &Chain, url: &str, keys: &Keys, id: SwapId) -> Result<H256> {
	let swap = open_swap(chain, id, url).await?;
	let best = chain.best().await?.0;
	let included = chain.submit(keys, calls::refund(id)).await;
	included.map(|i| i.block).with_context(|| {
		format!(
			"refunding swap {id}: refundable from block {} (best block was {best})",
			swap.expires_at
		)
	})
}

/// The HTLC pallet's calls.
pub mod calls {
	use super::*;

	/// Locks `amount` of `asset` for `to` under `hash_lock` for `blocks` blocks.
	pub fn lock(
		to: AccountId,
		asset: AssetKind,
		amount: Balance,
		hash_lock: HashLock,
		algorithm: HashAlgorithm,
		blocks: BlockNumber,
	) -> Call {
		Call::new("Htlc", "lock")
			.arg("recipient", crate::Address::from(to))
			.arg("asset", asset)
			.arg("amount", amount)
			.arg("hash_lock", hash_lock)
			.arg("hash_algorithm", algorithm)
			.arg("duration", blocks)
	}

	pub fn claim(swap_id: SwapId, preimage: Vec<u8>) -> Call {
		Call::new("Htlc", "claim").arg("swap_id", swap_id).arg("preimage", preimage)
	}

	pub fn refund(swap_id: SwapId) -> Call {
		Call::new("Htlc", "refund").arg("swap_id", swap_id)
	}
}

fn chain_genesis(chain: &Chain) -> [u8; 32] {
	crate::chain::ChainView::genesis(chain)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::tests::TempDir;

	#[test]
	fn the_initiators_lock_must_outlive_the_participants_by_the_margin() {
		// A expires at 100, best 29: blocks 30..=99 can still claim, 70 blocks.
		assert!(check_time_locks(29, 100, 3000, 60, 10, 3000).is_ok());
		let e = check_time_locks(29, 100, 3000, 61, 10, 3000).unwrap_err().to_string();
		assert!(e.contains("wrong order"), "{e}");
		assert!(e.contains("at most 60 blocks"), "{e}");
		// The lock equal to the remaining time, without margin: refused.
		assert!(check_time_locks(29, 100, 3000, 70, 0, 3000).is_err());
		// Expired, or about to: refused.
		assert!(check_time_locks(99, 100, 3000, 1, 1, 3000).is_err());
		assert!(check_time_locks(200, 100, 3000, 1, 1, 3000).is_err());
		// In wall-clock time: A's 6 s blocks give 140 of B's 3 s blocks.
		assert!(check_time_locks(29, 100, 6000, 130, 10, 3000).is_ok());
		assert!(check_time_locks(29, 100, 6000, 131, 10, 3000).is_err());
		// No overflow at the extremes.
		assert!(check_time_locks(0, BlockNumber::MAX, 3000, BlockNumber::MAX, 1, 3000).is_err());
	}

	#[test]
	fn secrets_are_stored_before_use_and_survive_a_restart() {
		let tmp = TempDir::new("swap-secret");
		let store = Store::open(&tmp.0).unwrap();
		let (preimage, lock) = new_secret(&store).unwrap();
		assert_eq!(preimage.len(), 32);
		assert_eq!(lock, polkadot_sdk::sp_io::hashing::sha2_256(&preimage));
		let reopened = Store::open(&tmp.0).unwrap();
		assert_eq!(
			load_secret(&reopened, &lock).unwrap(),
			Some(Secret { preimage: preimage.clone(), swap: None })
		);
		save_secret(
			&store,
			&lock,
			&Secret { preimage: preimage.clone(), swap: Some(([7; 32], 4)) },
		)
		.unwrap();
		assert_eq!(load_secret(&reopened, &lock).unwrap().unwrap().swap, Some(([7; 32], 4)));
		assert_eq!(load_secret(&store, &[0; 32]).unwrap(), None);
		// Two secrets differ; a damaged record is an error, not a wrong secret.
		let (other, other_lock) = new_secret(&store).unwrap();
		assert_ne!(other, preimage);
		let path = tmp.0.join(secret_record(&other_lock));
		let mut bytes = std::fs::read(&path).unwrap();
		bytes[10] ^= 1;
		std::fs::write(&path, bytes).unwrap();
		assert!(load_secret(&store, &other_lock).is_err());
	}

	#[test]
	fn swap_storage_key_is_the_pallets() {
		use polkadot_sdk::sp_io::hashing::{blake2_128, twox_128};
		let key = storage::map_blake2("Htlc", "Swaps", &5u64);
		let expected = [
			&twox_128(b"Htlc")[..],
			&twox_128(b"Swaps"),
			&blake2_128(&5u64.encode()),
			&5u64.encode(),
		]
		.concat();
		assert_eq!(key, expected);
	}
}
