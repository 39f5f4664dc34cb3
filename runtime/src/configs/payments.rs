//! Real-time payments: two-party payment channels, with regulated tokens held to their rules.

use crate::*;
use frame_support::{
	traits::{fungible::NativeOrWithId, ConstU32},
	weights::Weight,
};
use pallet_tokenization::WeightInfo as _;
use sp_runtime::DispatchResult;

impl pallet_payment_channels::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	type Currency = Balances;
	// Governance parameters (`parameters.rs`): about 0.2 TPW for a channel, whose largest
	// closing record (32 resolved payments) is most of its bytes.
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	type Signature = Signature;
	type TransferGuard = RegulatedChannels;
	// A governance parameter (`parameters.rs`), a day by default.
	type ChallengePeriod = configs::ChannelChallengePeriod;
	// Shared with the channel client (`tpwallet-primitives`): up to 2^16 conditional payments
	// in one state, preimages of up to 64 bytes, 32 payments resolved per closing.
	type MaxProofDepth = ConstU32<{ tpwallet_primitives::channels::MAX_PROOF_DEPTH }>;
	type MaxPreimageLen = ConstU32<{ tpwallet_primitives::channels::MAX_PREIMAGE_LEN }>;
	type MaxResolved = ConstU32<{ tpwallet_primitives::channels::MAX_RESOLVED }>;
	type WeightInfo = weights::pallet_payment_channels::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}

/// Channels in a token managed by the tokenization pallet pass its transfer gate and the
/// compliance rules: a deposit as a payment to the counterparty, a settlement as the net payment
/// it makes (recorded for distributions and velocity first). Other assets pass freely.
pub struct RegulatedChannels;

impl RegulatedChannels {
	fn managed(asset: &NativeOrWithId<AssetId>) -> Option<AssetId> {
		match asset {
			NativeOrWithId::WithId(id) if Tokenization::is_managed_asset(id) => Some(*id),
			_ => None,
		}
	}
}

impl pallet_payment_channels::TransferGuard<NativeOrWithId<AssetId>, AccountId, Balance>
	for RegulatedChannels
{
	fn check_deposit(
		asset: &NativeOrWithId<AssetId>,
		depositor: &AccountId,
		counterparty: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		match Self::managed(asset) {
			Some(token) => {
				Tokenization::check_external_transfer(&token, depositor, counterparty, amount)
			}
			None => Ok(()),
		}
	}

	fn before_payout(
		asset: &NativeOrWithId<AssetId>,
		payer: &AccountId,
		payee: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		match Self::managed(asset) {
			Some(token) => Tokenization::prepare_external_transfer(&token, payer, payee, amount),
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
