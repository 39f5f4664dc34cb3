//! The types and constants every part of tpwallet shares: the runtime defines itself with them,
//! and the off-chain tools (`tpw`, `tpw-relayer`) use them instead of linking the runtime, so
//! that a runtime upgrade does not need a rebuild of the tools. What can change with an upgrade
//! (call and event indices, versions, transaction extensions) the tools read from the chain's
//! metadata; what is here changes only with a new chain.

#![cfg_attr(not(feature = "std"), no_std)]

use polkadot_sdk::{
	frame_support::{traits::fungible::NativeOrWithId, PalletId},
	sp_core::H256,
	sp_runtime::{
		generic,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
};

/// Signature of a transaction: sr25519, ed25519 or ECDSA.
pub type Signature = MultiSignature;
/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in plancks.
pub type Balance = u128;
/// Per-account transaction counter.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = H256;
/// A block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Id of a fungible asset in `pallet-assets`.
pub type AssetId = u32;
/// Id of an NFT collection in `pallet-nfts`.
pub type CollectionId = u32;
/// Id of an NFT item inside its collection.
pub type ItemId = u32;
/// An asset that channels, swaps and the bridge move: the native token or a `pallet-assets` id.
pub type AssetKind = NativeOrWithId<AssetId>;

/// Block time. Payments settle in seconds, so tpwallet targets 3 s blocks (half of a relay-chain
/// slot); the slot duration cannot change once a chain has started.
pub const MILLI_SECS_PER_BLOCK: u64 = 3000;

/// Native token: symbol and decimals, reported in the chain properties.
pub const TOKEN_SYMBOL: &str = "TPW";
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix: 42, the generic Substrate prefix, until a registered one is assigned.
pub const SS58_PREFIX: u16 = 42;

/// One TPW in plancks (10^12).
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = 1_000_000_000;
pub const MICRO_UNIT: Balance = 1_000_000;

/// The bridge's pallet id: its vault account (bridged-out native and `pallet-assets` units) is
/// derived from it.
pub const BRIDGE_PALLET_ID: PalletId = PalletId(*b"tpw/brdg");

/// The bridge's vault account.
pub fn bridge_vault() -> AccountId {
	use polkadot_sdk::sp_runtime::traits::AccountIdConversion;
	BRIDGE_PALLET_ID.into_account_truncating()
}

/// Bounds of the payment channels' conditional payments: the chain enforces them, and the peers
/// of a channel refuse states beyond them, so that every state stays resolvable on chain.
pub mod channels {
	/// Most nodes in a conditional payment's Merkle proof (trees of up to 2^16 payments).
	pub const MAX_PROOF_DEPTH: u32 = 16;
	/// Longest preimage `resolve_conditional` accepts (Lightning and Bitcoin use 32 bytes; room
	/// is left for longer secrets).
	pub const MAX_PREIMAGE_LEN: u32 = 64;
	/// Most conditional payments resolved in one closing.
	pub const MAX_RESOLVED: u32 = 32;
}
