//! The bridge to another tpwallet chain: a GRANDPA light client of it (`pallet-bridge-grandpa`)
//! and messages and token transfers proven against that client's finalized state roots.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		fungibles::Create,
		ConstU32, Contains,
	},
	weights::Weight,
	PalletId,
};
use polkadot_sdk::{
	bp_header_chain::ChainWithGrandpa,
	bp_runtime::{Chain, ChainId},
};
use sp_runtime::{DispatchError, StateVersion};

/// The bridged chain: another chain running this runtime, so its types are this runtime's.
pub struct TpwalletChain;

impl Chain for TpwalletChain {
	const ID: ChainId = *b"tpwc";
	type BlockNumber = BlockNumber;
	type Hash = Hash;
	type Hasher = BlakeTwo256;
	type Header = Header;
	type AccountId = AccountId;
	type Balance = Balance;
	type Nonce = Nonce;
	type Signature = Signature;
	const STATE_VERSION: StateVersion = StateVersion::V1;

	fn max_extrinsic_size() -> u32 {
		*<Runtime as frame_system::Config>::BlockLength::get()
			.max
			.get(frame_support::dispatch::DispatchClass::Normal)
	}

	fn max_extrinsic_weight() -> Weight {
		configs::RuntimeBlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.max_extrinsic
			.unwrap_or(Weight::MAX)
	}
}

impl ChainWithGrandpa for TpwalletChain {
	const WITH_CHAIN_GRANDPA_PALLET_NAME: &'static str = "BridgeGrandpa";
	// As many as `pallet_grandpa` allows on the bridged chain.
	const MAX_AUTHORITIES_COUNT: u32 = 100;
	const REASONABLE_HEADERS_IN_JUSTIFICATION_ANCESTRY: u32 = 16;
	// A header announcing a set of 100 authorities (40 bytes each) plus the usual digests.
	const MAX_MANDATORY_HEADER_SIZE: u32 = 8 * 1024;
	const AVERAGE_HEADER_SIZE: u32 = 512;
}

impl pallet_bridge_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = TpwalletChain;
	// Relayers pay for every header: no free imports a compromised bridged chain could spam.
	type MaxFreeHeadersPerBlock = ConstU32<0>;
	type FreeHeadersInterval = ();
	// About 50 minutes of the bridged chain's headers if a header is imported every block.
	type HeadersToKeep = ConstU32<1024>;
	type WeightInfo = weights::pallet_bridge_grandpa::WeightInfo<Runtime>;
}

// No runtime extension refunds or adds to a header import: nothing to add to the benchmark.
impl pallet_bridge_grandpa::WeightInfoExt for weights::pallet_bridge_grandpa::WeightInfo<Runtime> {
	fn submit_finality_proof_overhead_from_runtime() -> Weight {
		Weight::zero()
	}
}

/// Creates wrapped assets as sufficient `pallet-assets` tokens owned by the bridge vault.
pub struct WrappedAssetFactory;

impl pallet_bridge::CreateWrapped<NativeOrWithId<AssetId>, AccountId, Balance>
	for WrappedAssetFactory
{
	fn create(
		asset: &NativeOrWithId<AssetId>,
		owner: &AccountId,
		min_balance: Balance,
	) -> Result<(), DispatchError> {
		match asset {
			NativeOrWithId::WithId(id) => {
				<Assets as Create<AccountId>>::create(*id, owner.clone(), true, min_balance)
			}
			NativeOrWithId::Native => Err(DispatchError::Other("the native token is not wrapped")),
		}
	}
}

/// Regulated (tokenization-managed) tokens stay home: the other chain cannot enforce their
/// compliance rules.
pub struct UnregulatedAssets;

impl Contains<NativeOrWithId<AssetId>> for UnregulatedAssets {
	fn contains(asset: &NativeOrWithId<AssetId>) -> bool {
		match asset {
			NativeOrWithId::Native => true,
			NativeOrWithId::WithId(id) => !Tokenization::is_managed_asset(id),
		}
	}
}

/// The native token and `pallet-assets` tokens behind one `fungibles` interface with minting
/// and burning (locks move funds into the vault; wrapped assets are minted and burned).
pub type BridgeAssets =
	UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<AssetId>, AccountId>;

parameter_types! {
	pub const BridgePalletId: PalletId = tpwallet_primitives::BRIDGE_PALLET_ID;
}

impl pallet_bridge::Config for Runtime {
	type BridgedChain = TpwalletChain;
	type BridgedHeaderChain = pallet_bridge_grandpa::GrandpaChainHeaders<Runtime, ()>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = BridgeAssets;
	type AdminOrigin = super::governance::BridgeAdminOrigin;
	type HaltOrigin = super::governance::BridgeHaltOrigin;
	type Currency = Balances;
	// Governance parameters (`parameters.rs`).
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	type DeliveryFee = configs::BridgeDeliveryFee;
	// A governance parameter (`parameters.rs`): 20% to the confirming relayer by default.
	type ConfirmationShare = configs::dynamic_params::bridge::ConfirmationShare;
	// An eighth of the lane (`MaxUnconfirmedMessages`): no sender fills it alone.
	type MaxUnconfirmedPerSender = ConstU32<16>;
	type WrappedAssets = WrappedAssetFactory;
	type BridgeableAssets = UnregulatedAssets;
	type PalletId = BridgePalletId;
	type MaxMessagesPerDelivery = ConstU32<16>;
	type MaxUnconfirmedMessages = ConstU32<128>;
	// A delivery of 16 messages proves in a few kilobytes; leave room for a deep trie.
	type MaxProofSize = ConstU32<{ 256 * 1024 }>;
	type WeightInfo = weights::pallet_bridge::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}
