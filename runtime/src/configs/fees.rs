//! Transaction fees: what a payment costs, how the price follows congestion, where fees go.
//!
//! - **Target price.** The weight of a plain transfer (`balances.transferKeepAlive`, signed:
//!   base weight, call and transaction extensions) costs [`TRANSFER_WEIGHT_FEE`], one milli-TPW,
//!   at rest. The coefficient is derived from the transfer's benchmarked weight, so regenerated
//!   weights keep the price.
//! - **Bytes.** A block filled by bytes costs what a block filled by compute costs: the
//!   per-byte fee is the fee of the normal class's whole weight divided by its whole length
//!   ([`LengthToFee::fee_per_byte`], about 0.25 micro-TPW). A large extrinsic pays for the
//!   bandwidth and storage it takes from every node as it would for the same share of compute.
//! - **Congestion.** `TargetedFeeAdjustment` raises the multiplier while blocks are more than
//!   a quarter full and lowers it back, never below 1, so the target price is the floor: full
//!   blocks double fees in about an hour ([`AdjustmentVariable`]).
//! - **Destination.** Fees go to the treasury account ([`TreasuryAccount`]), tips to the block's
//!   author. A validator earns from inclusion priority, not from volume: were it paid a share of
//!   fees, filling its own blocks with its own transactions would cost it less than anyone else,
//!   and spam is what fees are for. The treasury, governed by the member institutions, pays for
//!   running the network.

use super::{RuntimeBlockLength, RuntimeBlockWeights};
use crate::*;
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		ConstU8, FindAuthor, Imbalance, OnUnbalanced,
	},
	weights::{
		Weight, WeightToFee as _, WeightToFeeCoefficient, WeightToFeeCoefficients,
		WeightToFeePolynomial,
	},
	PalletId,
};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_runtime::{
	generic::Era,
	traits::{AccountIdConversion, Bounded, TransactionExtension},
	FixedPointNumber, Perbill, Perquintill,
};

/// What the weight of a plain transfer costs at rest: one milli-TPW.
pub const TRANSFER_WEIGHT_FEE: Balance = MILLI_UNIT;

/// Weight to fee: linear, so that the whole weight of a plain transfer costs
/// [`TRANSFER_WEIGHT_FEE`].
pub struct WeightToFee;

impl WeightToFee {
	/// The reference: everything a signed, immortal `transfer_keep_alive` weighs (the base
	/// weight of any extrinsic, the call, and the transaction extensions).
	pub fn transfer_weight() -> u64 {
		let call: RuntimeCall = pallet_balances::Call::<Runtime>::transfer_keep_alive {
			dest: sp_runtime::MultiAddress::Id(AccountId::new([0; 32])),
			value: 0,
		}
		.into();
		let extensions = crate::tx_extension(0, Era::Immortal, 0);
		RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.base_extrinsic
			.saturating_add(call.get_dispatch_info().call_weight)
			.saturating_add(extensions.weight(&call))
			.ref_time()
	}
}

impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let fee = TRANSFER_WEIGHT_FEE;
		let weight = Balance::from(Self::transfer_weight().max(1));
		let mut polynomial = WeightToFeeCoefficients::new();
		polynomial.push(WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(fee % weight, weight),
			coeff_integer: fee / weight,
		});
		polynomial
	}
}

/// Length to fee: linear, at the price that makes the normal class's whole length cost what its
/// whole weight costs.
pub struct LengthToFee;

impl LengthToFee {
	/// Plancks per byte.
	pub fn fee_per_byte() -> Balance {
		let weight = RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(RuntimeBlockWeights::get().max_block);
		let length = *RuntimeBlockLength::get().max.get(DispatchClass::Normal);
		WeightToFee::weight_to_fee(&weight) / Balance::from(length.max(1))
	}
}

impl frame_support::weights::WeightToFee for LengthToFee {
	type Balance = Balance;
	/// `length` comes as a weight whose ref-time is the number of bytes.
	fn weight_to_fee(length: &Weight) -> Balance {
		Balance::from(length.ref_time()).saturating_mul(Self::fee_per_byte())
	}
}

parameter_types! {
	/// Fees start rising when blocks are more than a quarter full.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast: with full blocks (three quarters over the target) the multiplier grows by
	/// 0.075 % × 0.75 a block, about doubling in 1,200 blocks (one hour of 3 s blocks).
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 100_000);
	/// Never below the target price.
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_integer(1);
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
	/// The treasury's account (no pallet yet: governance will spend from it).
	pub TreasuryAccount: AccountId = PalletId(*b"tpw/trsy").into_account_truncating();
}

/// The congestion multiplier's update after each block.
pub type SlowAdjustingFeeUpdate<R> = TargetedFeeAdjustment<
	R,
	TargetBlockFullness,
	AdjustmentVariable,
	MinimumMultiplier,
	MaximumMultiplier,
>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = LengthToFee;
	type FeeMultiplierUpdate = SlowAdjustingFeeUpdate<Self>;
	type WeightInfo = weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

/// Sends fees to the treasury and tips to the block's author.
pub struct DealWithFees;

type NativeCredit = Credit<AccountId, Balances>;

impl OnUnbalanced<NativeCredit> for DealWithFees {
	fn on_unbalanceds(mut fees_then_tips: impl Iterator<Item = NativeCredit>) {
		let Some(mut to_treasury) = fees_then_tips.next() else { return };
		if let Some(tips) = fees_then_tips.next() {
			// With no known author, or one that cannot take the tip, it goes to the treasury.
			match pallet_authorship::Pallet::<Runtime>::author() {
				Some(author) => {
					if let Err(unpaid) = Balances::resolve(&author, tips) {
						unpaid.merge_into(&mut to_treasury);
					}
				}
				None => tips.merge_into(&mut to_treasury),
			}
		}
		// The treasury account exists from genesis (endowed with the existential deposit), so
		// this cannot fail; if it ever did, the credit would be burnt (`Rescinded` event).
		let _ = Balances::resolve(&TreasuryAccount::get(), to_treasury);
	}
}

/// The block's author as an account: its Aura key, whose bytes are an sr25519 account id.
pub struct AuraAuthorAccount;

impl FindAuthor<AccountId> for AuraAuthorAccount {
	fn find_author<'a, I>(digests: I) -> Option<AccountId>
	where
		I: 'a + IntoIterator<Item = (sp_runtime::ConsensusEngineId, &'a [u8])>,
	{
		let authority = pallet_aura::AuraAuthorId::<Runtime>::find_author(digests)?;
		let raw: &[u8] = authority.as_ref();
		AccountId::try_from(raw).ok()
	}
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = AuraAuthorAccount;
	type EventHandler = ();
}
