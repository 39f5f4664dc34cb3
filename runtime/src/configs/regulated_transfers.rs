//! The one answer other pallets get to "may these units of a regulated token move?": payment
//! channels (deposits and settlements) and settlement instructions (legs) move units themselves,
//! from holds, so they ask here first.

use crate::*;
use frame_support::{traits::fungible::NativeOrWithId, weights::Weight};
use pallet_tokenization::WeightInfo as _;
use sp_runtime::DispatchResult;

/// Movements of a token managed by the tokenization pallet pass its transfer gate and the
/// compliance rules (a hold for review refuses them: `Tokenization::ReviewRequired`), and are
/// recorded for distributions and velocity just before they happen. Other assets pass freely.
pub struct RegulatedTransfers;

impl RegulatedTransfers {
	fn managed(asset: &NativeOrWithId<AssetId>) -> Option<AssetId> {
		match asset {
			NativeOrWithId::WithId(id) if Tokenization::is_managed_asset(id) => Some(*id),
			_ => None,
		}
	}

	/// Whether `amount` of `asset` may move from `from` to `to` now. Changes nothing.
	fn check(
		asset: &NativeOrWithId<AssetId>,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		match Self::managed(asset) {
			Some(token) => Tokenization::check_external_transfer(&token, from, to, amount),
			None => Ok(()),
		}
	}

	/// The check, then the token's books, just before the units move.
	fn prepare(
		asset: &NativeOrWithId<AssetId>,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		match Self::managed(asset) {
			Some(token) => Tokenization::prepare_external_transfer(&token, from, to, amount),
			None => Ok(()),
		}
	}

	/// A managed token's worst-case transfer (gate, distribution records) and compliance
	/// check: a bound on what either call reads and writes.
	fn weight() -> Weight {
		<Runtime as pallet_tokenization::Config>::WeightInfo::transfer().saturating_add(
			<Compliance as pallet_tokenization::TransferCompliance<_, _, _>>::transfer_check_weight(
			),
		)
	}
}

/// A deposit is checked as a payment to the counterparty (the depositor may pay it up to the
/// deposit); a settlement as the net payment it makes.
impl pallet_payment_channels::TransferGuard<NativeOrWithId<AssetId>, AccountId, Balance>
	for RegulatedTransfers
{
	fn check_deposit(
		asset: &NativeOrWithId<AssetId>,
		depositor: &AccountId,
		counterparty: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::check(asset, depositor, counterparty, amount)
	}

	fn before_payout(
		asset: &NativeOrWithId<AssetId>,
		payer: &AccountId,
		payee: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::prepare(asset, payer, payee, amount)
	}

	fn weight() -> Weight {
		Self::weight()
	}
}

/// Each leg of a settlement instruction, at execution.
impl pallet_settlement::LegGuard<NativeOrWithId<AssetId>, AccountId, Balance>
	for RegulatedTransfers
{
	fn check(
		asset: &NativeOrWithId<AssetId>,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::check(asset, from, to, amount)
	}

	fn before_transfer(
		asset: &NativeOrWithId<AssetId>,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::prepare(asset, from, to, amount)
	}

	fn weight() -> Weight {
		Self::weight()
	}

	/// A managed token has rules. An asset that is not managed when a scheme is created never
	/// becomes one: the tokenization pallet creates the assets it manages.
	fn guards(asset: &NativeOrWithId<AssetId>) -> bool {
		Self::managed(asset).is_some()
	}
}
