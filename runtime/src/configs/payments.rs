//! Real-time payments: two-party payment channels, with regulated tokens held to their rules.

use crate::*;
use frame_support::traits::ConstU32;

impl pallet_payment_channels::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	type Currency = Balances;
	// Governance parameters (`parameters.rs`): about 0.2 TPW for a channel, whose largest
	// closing record (32 resolved payments) is most of its bytes.
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	type Signature = Signature;
	type TransferGuard = configs::RegulatedTransfers;
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
