//! A test runtime: native balances and `pallet-assets` (with holds) behind one `fungibles`
//! interface, as in the tpwallet runtime; `AccountId32` accounts and `MultiSignature`s, so the
//! parties sign with real sr25519 and ed25519 keys.

use crate as pallet_payment_channels;
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
	sp_core::H256,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_keystore::{testing::MemoryKeystore, KeystoreExt},
	sp_runtime::{traits::IdentityLookup, AccountId32, BuildStorage, MultiSignature},
	*,
};

pub type AccountId = AccountId32;
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
	pub type PaymentChannels = pallet_payment_channels;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
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
	pub const ChallengePeriod: u64 = 10;
	/// Storage deposit per channel and per byte (tests may change them). Free bytes by default:
	/// a channel's bytes cost more than the 1_000 units the tests' accounts hold.
	pub static DepositBase: Balance = 10;
	pub static DepositPerByte: Balance = 0;
	/// An account the test guard refuses as depositor or payee (none by default).
	pub storage GuardRefuses: Option<AccountId> = None;
	/// Payouts the test guard saw: (payer, payee, amount).
	pub storage GuardPayouts: Vec<(AccountId, AccountId, Balance)> = Vec::new();
}

/// A transfer guard standing for a regulated token's rules: refuses `GuardRefuses` as depositor
/// or payee and logs the payouts it lets through.
pub struct Guard;
impl crate::TransferRules<AssetKind, AccountId, Balance> for Guard {
	fn check(
		_: &AssetKind,
		depositor: &AccountId,
		_: &AccountId,
		_: Balance,
	) -> sp_runtime::DispatchResult {
		if GuardRefuses::get().as_ref() == Some(depositor) {
			return Err(sp_runtime::DispatchError::Other("guard refuses the depositor"));
		}
		Ok(())
	}
	fn before_transfer(
		_: &AssetKind,
		payer: &AccountId,
		payee: &AccountId,
		amount: Balance,
	) -> sp_runtime::DispatchResult {
		if GuardRefuses::get().as_ref() == Some(payee) {
			return Err(sp_runtime::DispatchError::Other("guard refuses the payee"));
		}
		let mut seen = GuardPayouts::get();
		seen.push((payer.clone(), payee.clone(), amount));
		GuardPayouts::set(&seen);
		Ok(())
	}
	fn guards(_: &AssetKind) -> bool {
		true
	}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

impl pallet_payment_channels::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = NativeAndAssets;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type Signature = MultiSignature;
	type TransferGuard = Guard;
	type ChallengePeriod = ChallengePeriod;
	type MaxProofDepth = ConstU32<4>;
	type MaxPreimageLen = ConstU32<64>;
	type MaxResolved = ConstU32<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// Creates a `pallet-assets` token and converts sr25519 keys for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetKind, AccountId, Balance, MultiSignature> for BenchmarkHelper {
	fn create_asset() -> AssetKind {
		let id = 9_999;
		if !<Assets as polkadot_sdk::frame_support::traits::fungibles::Inspect<_>>::asset_exists(id)
		{
			assert!(Assets::force_create(RuntimeOrigin::root(), id, alice(), true, 1).is_ok());
		}
		NativeOrWithId::WithId(id)
	}
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate as _;
		assert!(Balances::mint_into(who, amount).is_ok());
		if let NativeOrWithId::WithId(id) = asset {
			assert!(Assets::mint(RuntimeOrigin::signed(alice()), *id, who.clone(), amount).is_ok());
		}
	}
	fn account(public: sp_core::sr25519::Public) -> AccountId {
		public.into()
	}
	fn signature(signature: sp_core::sr25519::Signature) -> MultiSignature {
		signature.into()
	}
}

/// Party A in most tests: an sr25519 key.
pub fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
/// Party B in most tests: an ed25519 key.
pub fn bob() -> AccountId {
	Ed25519Keyring::Bob.to_account_id()
}
/// A third party (a watchtower, or a stranger).
pub fn charlie() -> AccountId {
	Sr25519Keyring::Charlie.to_account_id()
}
/// Holds native funds but no `TOKEN` account.
pub fn dave() -> AccountId {
	Sr25519Keyring::Dave.to_account_id()
}

/// A `pallet-assets` token: id 1, minimum balance 5, 1_000 minted to Alice and to Bob.
pub const TOKEN: u32 = 1;
pub const NATIVE: AssetKind = NativeOrWithId::Native;
pub fn token() -> AssetKind {
	NativeOrWithId::WithId(TOKEN)
}
/// This chain's genesis hash (block 0), part of every signed payload.
pub const GENESIS: H256 = H256([0x47; 32]);

/// Alice, Bob, Charlie and Dave hold 1_000 native each; Alice and Bob hold 1_000 `TOKEN`. A
/// keystore is registered for the benchmarks' keys.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(alice(), 1_000), (bob(), 1_000), (charlie(), 1_000), (dave(), 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(TOKEN, alice(), false, 5)],
		metadata: vec![],
		accounts: vec![(TOKEN, alice(), 1_000), (TOKEN, bob(), 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| {
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		System::set_block_number(1);
	});
	ext
}
