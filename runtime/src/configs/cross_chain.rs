//! Cross-chain value transfer: hash-time-locked contracts for atomic swaps.

use crate::*;
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// At least 10 minutes: time for the other chain's side of a swap to see a claim. Kept in
	/// storage (`twox128(":HtlcMinLockDuration:")`) so that governance can tune it without an
	/// upgrade, and test networks can shorten it (`tpw dev-htlc-min-lock`) so that a swap's
	/// refund path does not take 10 minutes to test.
	pub storage HtlcMinLockDuration: BlockNumber = 10 * MINUTES;
	/// At most 30 days.
	pub const HtlcMaxLockDuration: BlockNumber = 30 * DAYS;
}

impl pallet_htlc::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	// Bitcoin and Ethereum HTLCs use 32-byte preimages; leave room for longer secrets.
	type MaxPreimageLen = ConstU32<256>;
	type MinLockDuration = HtlcMinLockDuration;
	type MaxLockDuration = HtlcMaxLockDuration;
	type WeightInfo = weights::pallet_htlc::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}
