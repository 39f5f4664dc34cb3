//! The one answer other pallets get to "may these units of a regulated token move?": payment
//! channels (deposits and settlements) and settlement instructions (legs) move units themselves,
//! from holds, so they ask here first.

use crate::*;
use frame_support::{traits::fungible::NativeOrWithId, weights::Weight};
use pallet_tokenization::WeightInfo as _;
use sp_runtime::DispatchResult;
// The one trait both pallets name (`tpwallet-transfer-rules`), re-exported by each.
use pallet_settlement::TransferRules;

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
}

/// Channels ask it of a deposit (the depositor may pay the counterparty up to the deposit) and
/// of a payout (the net payment it makes); settlement of each leg at execution and of each
/// cleared payment.
impl TransferRules<NativeOrWithId<AssetId>, AccountId, Balance> for RegulatedTransfers {
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

	fn before_transfer(
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

	/// A managed token has rules. An asset that is not managed when a scheme is created never
	/// becomes one: the tokenization pallet creates the assets it manages.
	fn guards(asset: &NativeOrWithId<AssetId>) -> bool {
		Self::managed(asset).is_some()
	}
}
