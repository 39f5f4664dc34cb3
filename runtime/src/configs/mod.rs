//! Configuration of every pallet in the runtime, grouped by concern.

mod accounts;
#[cfg(feature = "runtime-benchmarks")]
mod benchmark_assets;
mod bridge;
mod call_kinds;
mod compliance;
mod consensus;
mod cross_chain;
mod fees;
mod governance;
mod parameters;
mod payments;
mod regulated_transfers;
mod settlement;
mod system;
mod tokenization;
mod tokens;
mod validators;

pub use accounts::ProxyType;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmark_assets::BenchmarkAssets;
pub use bridge::TpwalletChain;
pub use call_kinds::{call_kind, CallKind};
pub use compliance::transfer_check;
pub use fees::{DealWithFees, LengthToFee, TreasuryAccount, WeightToFee, TRANSFER_WEIGHT_FEE};
pub use governance::*;
pub use parameters::{
	dynamic_params, BridgeDeliveryFee, ChannelChallengePeriod, HtlcMinLockDuration,
	RuntimeParameters, RuntimeParametersKey, RuntimeParametersValue, SessionLength,
	StorageDepositBase, StorageDepositPerByte, CHALLENGE_PERIOD_BOUNDS, HTLC_MIN_LOCK_BOUNDS,
};
pub use regulated_transfers::RegulatedTransfers;
pub use system::{BlockHashCount, RuntimeBlockLength, RuntimeBlockWeights};
pub use tokenization::ManagedTokenFilter;
pub use tokens::{NativeAndAssets, NativeAndAssetsTransfers};
pub use validators::{MaxValidators, KEPT_SESSIONS};
