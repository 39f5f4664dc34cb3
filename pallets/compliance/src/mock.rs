//! A test runtime as the real one composes it: balances, `pallet-assets` (with holds, the
//! tokenization pallet as its freezer), `pallet-nfts`, the tokenization pallet, and this pallet as
//! its compliance checks.

use crate as pallet_compliance;
use pallet_tokenization::StockLedgers;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			AsEnsureOriginWithArg, ConstU32, ConstU64,
		},
		PalletId,
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_assets, pallet_assets_holder, pallet_balances, pallet_nfts,
	sp_runtime::{
		testing::{TestSignature, UintAuthorityId},
		BuildStorage,
	},
	*,
};

pub type AccountId = u64;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type AssetsHolder = pallet_assets_holder;
	#[runtime::pallet_index(4)]
	pub type Nfts = pallet_nfts;
	#[runtime::pallet_index(5)]
	pub type Tokenization = pallet_tokenization;
	#[runtime::pallet_index(6)]
	pub type Compliance = pallet_compliance;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<1>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = Tokenization;
	type Holder = AssetsHolder;
}

impl pallet_assets_holder::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeEvent = RuntimeEvent;
}

parameter_types! {
	pub NftsFeatures: pallet_nfts::PalletFeatures = pallet_nfts::PalletFeatures::all_enabled();
}

impl pallet_nfts::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type CollectionId = u32;
	type ItemId = u32;
	type Currency = Balances;
	type ForceOrigin = EnsureRoot<AccountId>;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type Locker = ();
	type CollectionDeposit = ConstU64<2>;
	type ItemDeposit = ConstU64<1>;
	type MetadataDepositBase = ConstU64<1>;
	type AttributeDepositBase = ConstU64<1>;
	type DepositPerByte = ConstU64<1>;
	type StringLimit = ConstU32<64>;
	type KeyLimit = ConstU32<32>;
	type ValueLimit = ConstU32<64>;
	type ApprovalsLimit = ConstU32<10>;
	type ItemAttributesApprovalsLimit = ConstU32<2>;
	type MaxTips = ConstU32<10>;
	type MaxDeadlineDuration = ConstU64<10_000>;
	type MaxAttributesPerCall = ConstU32<2>;
	type Features = NftsFeatures;
	type OffchainSignature = TestSignature;
	type OffchainPublic = UintAuthorityId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type Helper = NftsBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// `pallet-nfts` benchmark ids and signatures for the test signature scheme (the `()` helper
/// signs only with `MultiSignature`); needed to build the mock with `runtime-benchmarks`.
#[cfg(feature = "runtime-benchmarks")]
pub struct NftsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_nfts::BenchmarkHelper<u32, u32, UintAuthorityId, AccountId, TestSignature>
	for NftsBenchmarkHelper
{
	fn collection(i: u16) -> u32 {
		i.into()
	}
	fn item(i: u16) -> u32 {
		i.into()
	}
	fn signer() -> (UintAuthorityId, AccountId) {
		(UintAuthorityId(0), 0)
	}
	fn sign(signer: &UintAuthorityId, message: &[u8]) -> TestSignature {
		TestSignature(signer.0, message.to_vec())
	}
}

/// Native token or a `pallet-assets` id.
pub type FundsAsset = NativeOrWithId<u32>;
parameter_types! {
	/// Storage deposit per item and per byte (tests may change them).
	pub static StorageDepositBase: Balance = 10;
	pub static StorageDepositPerByte: Balance = 1;
}

pub type NativeAndAssets = UnionOf<Balances, AssetsHolder, NativeFromLeft, FundsAsset, AccountId>;

parameter_types! {
	pub const TokenizationPalletId: PalletId = PalletId(*b"tpw/tokn");
}

impl pallet_tokenization::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Balance = Balance;
	type TokenId = u32;
	type Assets = Assets;
	type FundsAssetId = FundsAsset;
	type Funds = NativeAndAssets;
	type Currency = Balances;
	type CollectionId = u32;
	type ItemId = u32;
	type ItemConfig = pallet_nfts::ItemConfig;
	type Nfts = Nfts;
	type Registry = StockLedgers<Test>;
	type Holders = StockLedgers<Test>;
	type Compliance = Compliance;
	type TokenRecords = Compliance;
	type Holds = AssetsHolder;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = TokenizationPalletId;
	type TokenDeposit = ConstU64<TOKEN_DEPOSIT>;
	type DepositBase = StorageDepositBase;
	type DepositPerByte = StorageDepositPerByte;
	type StringLimit = ConstU32<16>;
	type MaxItemMetadata = ConstU32<32>;
	type MaxLockups = ConstU32<3>;
	type MaxOpenDistributions = ConstU32<2>;
	type MinDistributionDuration = ConstU64<10>;
	type MaxDistributionDuration = ConstU64<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FundsBenchmarkHelper;
}

parameter_types! {
	/// 20 blocks; settable in tests (`ReviewTimeout::set(&0)`).
	pub storage ReviewTimeout: u64 = 20;
}

impl pallet_compliance::Config for Test {
	type Holder = AssetsHolder;
	type HolderCount = StockLedgers<Test>;
	type Tokens = Tokenization;
	type ComplianceOrigin = EnsureRoot<AccountId>;
	type SanctionsOrigin = EnsureRoot<AccountId>;
	type MaxJurisdictions = ConstU32<4>;
	type MaxAttributeLen = ConstU32<32>;
	type MaxProofDepth = ConstU32<8>;
	type ReviewTimeout = ReviewTimeout;
	type MaxCasesPerBlock = ConstU32<3>;
	type WeightInfo = ();
}

/// A `pallet-assets` payment asset for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct FundsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_tokenization::BenchmarkHelper<FundsAsset, AccountId, Balance> for FundsBenchmarkHelper {
	fn funds_asset() -> FundsAsset {
		NativeOrWithId::WithId(USD)
	}
	fn fund(asset: &FundsAsset, who: &AccountId, amount: Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate as _;
		assert!(Balances::mint_into(who, amount.saturating_add(1_000)).is_ok());
		if let NativeOrWithId::WithId(id) = asset {
			assert!(
				<Assets as polkadot_sdk::frame_support::traits::fungibles::Mutate<_>>::mint_into(
					*id, who, amount
				)
				.is_ok()
			);
		}
	}
}

pub const TOKEN_DEPOSIT: Balance = 100;
pub const GOV: AccountId = 99;
pub const ISSUER: AccountId = 1;
pub const ALICE: AccountId = 2;
pub const BOB: AccountId = 3;
pub const CHARLIE: AccountId = 4;
/// An unmanaged `pallet-assets` payment asset (a "USD" token): 1_000_000 held by the issuer.
pub const USD: u32 = 500;
pub const NATIVE: FundsAsset = NativeOrWithId::Native;
pub fn usd() -> FundsAsset {
	NativeOrWithId::WithId(USD)
}

/// The issuer, Alice, Bob and Charlie hold 10_000 native each; the issuer 1_000_000 `USD`.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(ISSUER, 10_000),
			(ALICE, 10_000),
			(BOB, 10_000),
			(CHARLIE, 10_000),
			(GOV, 10),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(USD, GOV, true, 1)],
		metadata: vec![],
		accounts: vec![(USD, ISSUER, 1_000_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
