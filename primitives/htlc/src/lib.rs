//! Types of the HTLC pallet.
//!
//! In a crate of their own, with neither the pallet nor the runtime, so that the off-chain tools
//! (`tpw`, `tpw-relayer`) share them without linking either: the pallet re-exports them.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
pub use tpwallet_storage_deposit::Deposit;

/// Identifier of a swap, assigned in order of locking.
pub type SwapId = u64;

/// A 32-byte digest: the hash lock.
pub type HashLock = [u8; 32];

/// The hash function a lock uses. SHA-256 matches Bitcoin- and Ethereum-style HTLCs;
/// BLAKE2-256 is Substrate's native hash.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum HashAlgorithm {
	/// SHA-256.
	Sha256,
	/// BLAKE2b with a 256-bit output.
	Blake2_256,
}

impl HashAlgorithm {
	/// The digest of `preimage` under this algorithm.
	pub fn hash(&self, preimage: &[u8]) -> HashLock {
		match self {
			HashAlgorithm::Sha256 => polkadot_sdk::sp_io::hashing::sha2_256(preimage),
			HashAlgorithm::Blake2_256 => polkadot_sdk::sp_io::hashing::blake2_256(preimage),
		}
	}
}

/// An open swap: `amount` of `asset` held on `sender`'s account until `recipient` reveals the
/// preimage of `hash_lock` (before `expires_at`) or the lock expires (then it returns to `sender`).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Swap<AccountId, AssetKind, Balance, BlockNumber, DepositBalance> {
	/// Who locked the funds, and gets them back on refund.
	pub sender: AccountId,
	/// Who receives the funds on claim.
	pub recipient: AccountId,
	/// The asset locked.
	pub asset: AssetKind,
	/// The amount locked.
	pub amount: Balance,
	/// Digest the preimage must hash to.
	pub hash_lock: HashLock,
	/// Hash function of the lock.
	pub hash_algorithm: HashAlgorithm,
	/// First block at which the swap can no longer be claimed, and can be refunded.
	pub expires_at: BlockNumber,
	/// The storage deposit held from the sender, in the native currency.
	pub deposit: Deposit<AccountId, DepositBalance>,
}
