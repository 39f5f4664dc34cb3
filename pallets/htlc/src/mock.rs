//! A test runtime: native balances and `pallet-assets` (with holds) behind one `fungibles`
//! interface, as in the tpwallet runtime.

use crate as pallet_htlc;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			AsEnsureOriginWithArg, ConstU32, ConstU64,
		},
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_assets, pallet_assets_holder, pallet_balances,
	sp_runtime::BuildStorage,
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
	pub type Htlc = pallet_htlc;
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
	type ExistentialDeposit = ConstU64<10>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = AssetsHolder;
}

impl pallet_assets_holder::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeEvent = RuntimeEvent;
}

/// Native token or a `pallet-assets` id.
pub type AssetKind = NativeOrWithId<u32>;
pub type NativeAndAssets = UnionOf<Balances, AssetsHolder, NativeFromLeft, AssetKind, AccountId>;

parameter_types! {
	pub const MinLockDuration: u64 = 10;
	pub const MaxLockDuration: u64 = 1_000;
	/// Storage deposit per swap and per byte (tests may change them).
	pub static DepositBase: Balance = 10;
	pub static DepositPerByte: Balance = 1;
}

impl pallet_htlc::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = NativeAndAssets;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxPreimageLen = ConstU32<64>;
	type MinLockDuration = MinLockDuration;
	type MaxLockDuration = MaxLockDuration;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AssetsBenchmarkHelper;
}

/// Creates a `pallet-assets` token for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct AssetsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetKind, AccountId, Balance> for AssetsBenchmarkHelper {
	fn create_asset() -> AssetKind {
		let id = 9_999;
		if !<Assets as polkadot_sdk::frame_support::traits::fungibles::Inspect<_>>::asset_exists(id)
		{
			assert!(Assets::force_create(RuntimeOrigin::root(), id.into(), ALICE, true, 1).is_ok());
		}
		NativeOrWithId::WithId(id)
	}
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate as _;
		assert!(Balances::mint_into(who, amount).is_ok());
		if let NativeOrWithId::WithId(id) = asset {
			assert!(Assets::mint(RuntimeOrigin::signed(ALICE), (*id).into(), *who, amount).is_ok());
		}
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// A `pallet-assets` token: id 1, minimum balance 5, 1_000 minted to Alice.
pub const TOKEN: u32 = 1;
pub const NATIVE: AssetKind = NativeOrWithId::Native;
pub fn token() -> AssetKind {
	NativeOrWithId::WithId(TOKEN)
}

/// Alice, Bob and Charlie hold 1_000 native each; Alice holds 1_000 `TOKEN`.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000), (BOB, 1_000), (CHARLIE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(TOKEN, ALICE, false, 5)],
		metadata: vec![],
		accounts: vec![(TOKEN, ALICE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
