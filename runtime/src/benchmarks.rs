//! The pallets whose benchmarks `tpwallet-node benchmark pallet` can run.

use crate::*;

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_multisig, Multisig]
	[pallet_proxy, Proxy]
	[pallet_assets, Assets]
	[pallet_nfts, Nfts]
	[pallet_htlc, Htlc]
	[pallet_bridge_grandpa, BridgeGrandpa]
	[pallet_bridge, Bridge]
	[pallet_tokenization, Tokenization]
	[pallet_compliance, Compliance]
	[pallet_payment_channels, PaymentChannels]
	[pallet_settlement, Settlement]
	[pallet_validator_set, ValidatorSet]
	[pallet_aura_equivocation, AuraEquivocation]
);
