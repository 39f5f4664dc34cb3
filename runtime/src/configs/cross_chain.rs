//! Cross-chain value transfer: hash-time-locked contracts for atomic swaps.

use crate::*;
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// At most 30 days.
	pub const HtlcMaxLockDuration: BlockNumber = 30 * DAYS;
}

impl pallet_htlc::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	type Currency = Balances;
	// Governance parameters (`parameters.rs`).
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	// Bitcoin and Ethereum HTLCs use 32-byte preimages; leave room for longer secrets.
	type MaxPreimageLen = ConstU32<256>;
	// A governance parameter (`parameters.rs`), 10 minutes by default.
	type MinLockDuration = configs::HtlcMinLockDuration;
	type MaxLockDuration = HtlcMaxLockDuration;
	type WeightInfo = weights::pallet_htlc::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}
