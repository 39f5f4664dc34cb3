//! What the pallet needs from the runtime besides `fungibles` and the rules of regulated assets
//! (`tpwallet_transfer_rules::TransferRules`): an escrow for NFTs (whose transfers only their
//! token's pallet makes).

use polkadot_sdk::{frame_support, sp_runtime};

/// NFT items a leg can move, with an escrow: an affirmed leg's item cannot move but with the
/// instruction. Implemented in a runtime by the pallet that manages NFT collections.
pub trait NftEscrow<AccountId> {
	/// Identifies a collection.
	type Collection: codec::FullCodec
		+ codec::DecodeWithMemTracking
		+ codec::MaxEncodedLen
		+ scale_info::TypeInfo
		+ Clone
		+ core::fmt::Debug
		+ PartialEq
		+ Eq;
	/// Identifies an item within its collection.
	type Item: codec::FullCodec
		+ codec::DecodeWithMemTracking
		+ codec::MaxEncodedLen
		+ scale_info::TypeInfo
		+ Clone
		+ core::fmt::Debug
		+ PartialEq
		+ Eq;

	/// Whether the item exists.
	fn exists(collection: &Self::Collection, item: &Self::Item) -> bool;

	/// Whether `owner` could put the item in escrow now. Changes nothing.
	fn check_escrow(
		collection: &Self::Collection,
		item: &Self::Item,
		owner: &AccountId,
	) -> sp_runtime::DispatchResult;

	/// Puts `owner`'s item in escrow: it moves only through [`Self::transfer_escrowed`] until
	/// released.
	fn escrow(
		collection: &Self::Collection,
		item: &Self::Item,
		owner: &AccountId,
	) -> sp_runtime::DispatchResult;

	/// Ends `owner`'s escrow of the item, if it still holds one (an authority may have moved
	/// the item meanwhile).
	fn release(collection: &Self::Collection, item: &Self::Item, owner: &AccountId);

	/// Whether the item may move from `from` (its owner) to `to` now under its collection's
	/// rules, escrow aside. Changes nothing.
	fn check_transfer(
		collection: &Self::Collection,
		item: &Self::Item,
		from: &AccountId,
		to: &AccountId,
	) -> sp_runtime::DispatchResult;

	/// Moves the item `from` put in escrow to `to`, through its collection's rules.
	fn transfer_escrowed(
		collection: &Self::Collection,
		item: &Self::Item,
		from: &AccountId,
		to: &AccountId,
	) -> sp_runtime::DispatchResult;

	/// Worst-case weight of any one call.
	fn weight() -> frame_support::weights::Weight;
}

/// No NFTs: a leg naming one is refused as an unknown asset.
impl<AccountId> NftEscrow<AccountId> for () {
	type Collection = u32;
	type Item = u32;
	fn exists(_: &u32, _: &u32) -> bool {
		false
	}
	fn check_escrow(_: &u32, _: &u32, _: &AccountId) -> sp_runtime::DispatchResult {
		Err(sp_runtime::DispatchError::Unavailable)
	}
	fn escrow(_: &u32, _: &u32, _: &AccountId) -> sp_runtime::DispatchResult {
		Err(sp_runtime::DispatchError::Unavailable)
	}
	fn release(_: &u32, _: &u32, _: &AccountId) {}
	fn check_transfer(
		_: &u32,
		_: &u32,
		_: &AccountId,
		_: &AccountId,
	) -> sp_runtime::DispatchResult {
		Err(sp_runtime::DispatchError::Unavailable)
	}
	fn transfer_escrowed(
		_: &u32,
		_: &u32,
		_: &AccountId,
		_: &AccountId,
	) -> sp_runtime::DispatchResult {
		Err(sp_runtime::DispatchError::Unavailable)
	}
	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::zero()
	}
}
