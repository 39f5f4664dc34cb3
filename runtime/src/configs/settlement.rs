//! Settlement: multi-leg instructions (delivery versus payment) that settle all or nothing.

use crate::*;
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// An instruction may stay pending for at most 30 days (and a clearing cycle last as long).
	pub const SettlementMaxDuration: BlockNumber = 30 * DAYS;
	/// Scheme accounts are sub-accounts of this id.
	pub const SettlementPalletId: frame_support::PalletId = frame_support::PalletId(*b"tpw/sett");
}

impl pallet_settlement::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	type Transfers = configs::NativeAndAssetsTransfers;
	type Currency = Balances;
	type LegGuard = configs::RegulatedTransfers;
	// Governance parameters (`parameters.rs`).
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	// A delivery, its payment and a few fee or commission legs.
	type MaxLegs = ConstU32<10>;
	type MaxDuration = SettlementMaxDuration;
	// At most 10 × 10 regulated legs at a block's start: a few percent of the block.
	type MaxScheduledPerBlock = ConstU32<10>;
	// As the HTLC pallet: 32-byte preimages of Bitcoin and Ethereum HTLCs, and room for more.
	type MaxPreimageLen = ConstU32<256>;
	type SchemeOrigin = configs::SchemeOrigin;
	type PalletId = SettlementPalletId;
	type MaxSchemes = ConstU32<16>;
	// A clearing house of up to 100 institutions.
	type MaxMembers = ConstU32<100>;
	// Two passes over 100 members settle in 4 blocks; each step is one transfer at most.
	type NettingStepsPerBlock = ConstU32<50>;
	type WeightInfo = weights::pallet_settlement::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}
