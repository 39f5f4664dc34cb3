//! Tokenization: templated issuance and lifecycle of regulated and unregulated tokens, and the
//! call filter that makes its rules the only way a managed token moves.

use crate::*;
use codec::{Compact, Decode, Encode};
use frame_support::{
	parameter_types,
	traits::{fungible::NativeOrWithId, ConstU32, Contains},
	PalletId,
};

parameter_types! {
	pub const TokenizationPalletId: PalletId = PalletId(*b"tpw/tokn");
	/// Same as a `pallet-assets` asset deposit.
	pub const TokenDeposit: Balance = 10 * UNIT;
	/// Shortest claim window of a distribution (guards against typos, not a business rule).
	pub const MinDistributionDuration: BlockNumber = 10;
	pub const MaxDistributionDuration: BlockNumber = 365 * DAYS;
}

impl pallet_tokenization::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Balance = Balance;
	type TokenId = AssetId;
	type Assets = Assets;
	type FundsAssetId = NativeOrWithId<AssetId>;
	type Funds = configs::NativeAndAssets;
	type Currency = Balances;
	type CollectionId = CollectionId;
	type ItemId = ItemId;
	type ItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type Registry = pallet_tokenization::StockLedgers<Runtime>;
	type Holders = pallet_tokenization::StockLedgers<Runtime>;
	type Compliance = Compliance;
	type TokenRecords = Compliance;
	type Holds = AssetsHolder;
	type GovernanceOrigin = super::governance::TemplatesOrigin;
	type PalletId = TokenizationPalletId;
	type TokenDeposit = TokenDeposit;
	// Governance parameters (`parameters.rs`).
	type DepositBase = configs::StorageDepositBase;
	type DepositPerByte = configs::StorageDepositPerByte;
	// `pallet-assets` metadata takes at most 50 bytes.
	type StringLimit = ConstU32<50>;
	type MaxItemMetadata = ConstU32<256>;
	type MaxLockups = ConstU32<8>;
	type MaxOpenDistributions = ConstU32<4>;
	type MinDistributionDuration = MinDistributionDuration;
	type MaxDistributionDuration = MaxDistributionDuration;
	type WeightInfo = weights::pallet_tokenization::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = configs::BenchmarkAssets;
}

/// Refuses every direct `pallet-assets` call on a managed token, `pallet-nfts` burns of managed
/// items, and HTLC locks of managed tokens: they would move a token around its transfer rules.
/// As a base call filter it applies to nested calls too (`utility` batches, `proxy`, `multisig`).
/// Transfers of managed NFTs are also refused by `pallet-nfts` itself (items are minted with
/// transfers disabled), and lock-ups, freezes and pauses by `pallet-assets` (the tokenization
/// pallet is its freezer).
pub struct ManagedTokenFilter;

impl Contains<RuntimeCall> for ManagedTokenFilter {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Assets(call) => {
				asset_of(call).is_none_or(|id| !Tokenization::is_managed_asset(&id))
			}
			RuntimeCall::Nfts(pallet_nfts::Call::burn { collection, .. }) => {
				!Tokenization::is_managed_collection(collection)
			}
			RuntimeCall::Htlc(pallet_htlc::Call::lock {
				asset: NativeOrWithId::WithId(id),
				..
			}) => !Tokenization::is_managed_asset(id),
			_ => true,
		}
	}
}

/// The asset a `pallet-assets` call acts on. Every call of that pallet takes the asset id (a
/// compact integer) as its first argument, so it follows the call index in the encoding; reading
/// it there covers every call, including ones a future release adds.
fn asset_of(call: &pallet_assets::Call<Runtime>) -> Option<AssetId> {
	let encoded = call.encode();
	let args = encoded.get(1..)?;
	Compact::<AssetId>::decode(&mut &args[..]).ok().map(|id| id.0)
}
