//! The rules of assets that have rules of their own (regulated tokens: a transfer gate and
//! compliance checks), as seen by a pallet that moves units itself, from holds, instead of
//! through the asset's own transfer call: payment channels (deposits and payouts) and settlement
//! (legs and cleared payments). The runtime implements it once; `()` lets everything through.
#![cfg_attr(not(feature = "std"), no_std)]

use polkadot_sdk::{frame_support::weights::Weight, sp_runtime::DispatchResult};

/// Whether units of an asset may move between two accounts, by the asset's own rules.
pub trait TransferRules<AssetKind, AccountId, Balance> {
	/// Whether `amount` of `asset` may move from `from` to `to` now (a hold for review refuses
	/// it: the moving pallet cannot wait for one). Changes nothing.
	fn check(
		asset: &AssetKind,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult;

	/// Called just before the units move: the check again, then what the asset's books need
	/// (velocity windows, balances of open distributions).
	fn before_transfer(
		asset: &AssetKind,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult;

	/// Worst-case weight of either call.
	fn weight() -> Weight;

	/// Whether `asset` has rules at all: if not, the other calls let everything through and
	/// need not be made.
	fn guards(asset: &AssetKind) -> bool;
}

impl<AssetKind, AccountId, Balance> TransferRules<AssetKind, AccountId, Balance> for () {
	fn check(_: &AssetKind, _: &AccountId, _: &AccountId, _: Balance) -> DispatchResult {
		Ok(())
	}
	fn before_transfer(_: &AssetKind, _: &AccountId, _: &AccountId, _: Balance) -> DispatchResult {
		Ok(())
	}
	fn weight() -> Weight {
		Weight::zero()
	}
	fn guards(_: &AssetKind) -> bool {
		false
	}
}
