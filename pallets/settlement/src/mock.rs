//! A test runtime: native balances and `pallet-assets` (with holds) behind one `fungibles`
//! interface, as in the tpwallet runtime, and a leg guard standing for a regulated token's rules.

use crate as pallet_settlement;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			AsEnsureOriginWithArg, ConstU32, ConstU64, Hooks,
		},
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_assets, pallet_assets_holder, pallet_balances,
	sp_runtime::{BuildStorage, DispatchError, DispatchResult},
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
	pub type Settlement = pallet_settlement;
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
/// The same, for plain transfers.
pub type NativeAndAssetsTransfers = UnionOf<Balances, Assets, NativeFromLeft, AssetKind, AccountId>;

parameter_types! {
	/// Storage deposit per instruction and per byte.
	pub static DepositBase: Balance = 10;
	pub static DepositPerByte: Balance = 1;
	/// An account the guard refuses as a receiver of `SECURITY`, as a token's compliance rules
	/// would refuse one without KYC (none by default).
	pub storage GuardRefuses: Option<AccountId> = None;
	/// An account whose receipts of `SECURITY` the guard holds for review (none by default).
	pub storage GuardReviews: Option<AccountId> = None;
	/// Transfers the guard let through: (from, to, amount).
	pub storage GuardSeen: Vec<(AccountId, AccountId, Balance)> = Vec::new();
	pub const SettlementPalletId: polkadot_sdk::frame_support::PalletId =
		polkadot_sdk::frame_support::PalletId(*b"tpw/sett");
	/// Netting steps per block (tests lower it to spread a cycle over blocks).
	pub static NettingSteps: u32 = 100;
	/// The NFT ledger: (collection, item, owner, in escrow).
	pub storage NftLedger: Vec<(u32, u32, AccountId, bool)> = Vec::new();
}

/// The errors the guard refuses with, as a regulated token's would (module errors of a
/// compliance pallet at index 99: what events store and the report returns).
pub const NOT_KYC: DispatchError = DispatchError::Module(polkadot_sdk::sp_runtime::ModuleError {
	index: 99,
	error: [1, 0, 0, 0],
	message: None,
});
pub const REVIEW: DispatchError = DispatchError::Module(polkadot_sdk::sp_runtime::ModuleError {
	index: 99,
	error: [2, 0, 0, 0],
	message: None,
});

/// Stands for the rules of a regulated token (`SECURITY`): refuses `GuardRefuses` and
/// `GuardReviews` as receivers, and logs what it lets through.
pub struct Guard;
impl Guard {
	fn judge(asset: &AssetKind, to: &AccountId) -> DispatchResult {
		if *asset != security() {
			return Ok(());
		}
		if GuardRefuses::get().as_ref() == Some(to) {
			return Err(NOT_KYC);
		}
		if GuardReviews::get().as_ref() == Some(to) {
			return Err(REVIEW);
		}
		Ok(())
	}
}
impl crate::TransferRules<AssetKind, AccountId, Balance> for Guard {
	fn check(asset: &AssetKind, _: &AccountId, to: &AccountId, _: Balance) -> DispatchResult {
		Self::judge(asset, to)
	}
	fn before_transfer(
		asset: &AssetKind,
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
	) -> DispatchResult {
		Self::judge(asset, to)?;
		if *asset == security() {
			let mut seen = GuardSeen::get();
			seen.push((*from, *to, amount));
			GuardSeen::set(&seen);
		}
		Ok(())
	}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
	fn guards(asset: &AssetKind) -> bool {
		*asset == security()
	}
}

/// NFT errors of the mock ledger.
pub const NOT_OWNER: DispatchError = DispatchError::Other("not the owner");
pub const ESCROWED: DispatchError = DispatchError::Other("in escrow");
pub const NOT_ESCROWED: DispatchError = DispatchError::Other("not in escrow");

/// A stand-in for the NFT pallet: items with an owner and an escrow flag; the guard's refusals
/// apply to NFT receivers as to regulated legs.
pub struct Nfts;
impl Nfts {
	pub fn mint(collection: u32, item: u32, owner: AccountId) {
		let mut ledger = NftLedger::get();
		ledger.push((collection, item, owner, false));
		NftLedger::set(&ledger);
	}
	pub fn entry(collection: u32, item: u32) -> Option<(AccountId, bool)> {
		NftLedger::get()
			.into_iter()
			.find(|(c, i, _, _)| (*c, *i) == (collection, item))
			.map(|(_, _, owner, escrowed)| (owner, escrowed))
	}
	/// An authority moves the item, ending any escrow.
	pub fn force_move(collection: u32, item: u32, to: AccountId) {
		Self::update(collection, item, |entry| {
			entry.2 = to;
			entry.3 = false;
		});
	}
	fn update(collection: u32, item: u32, f: impl FnOnce(&mut (u32, u32, AccountId, bool))) {
		let mut ledger = NftLedger::get();
		if let Some(entry) = ledger.iter_mut().find(|(c, i, _, _)| (*c, *i) == (collection, item)) {
			f(entry);
		}
		NftLedger::set(&ledger);
	}
}
impl crate::NftEscrow<AccountId> for Nfts {
	type Collection = u32;
	type Item = u32;
	fn exists(collection: &u32, item: &u32) -> bool {
		Self::entry(*collection, *item).is_some()
	}
	fn check_escrow(collection: &u32, item: &u32, owner: &AccountId) -> DispatchResult {
		match Self::entry(*collection, *item) {
			Some((o, _)) if o != *owner => Err(NOT_OWNER),
			Some((_, true)) => Err(ESCROWED),
			Some(_) => Ok(()),
			None => Err(NOT_OWNER),
		}
	}
	fn escrow(collection: &u32, item: &u32, owner: &AccountId) -> DispatchResult {
		Self::check_escrow(collection, item, owner)?;
		Self::update(*collection, *item, |entry| entry.3 = true);
		Ok(())
	}
	fn release(collection: &u32, item: &u32, owner: &AccountId) {
		Self::update(*collection, *item, |entry| {
			if entry.2 == *owner {
				entry.3 = false;
			}
		});
	}
	fn check_transfer(
		collection: &u32,
		item: &u32,
		from: &AccountId,
		to: &AccountId,
	) -> DispatchResult {
		match Self::entry(*collection, *item) {
			Some((owner, _)) if owner == *from => {}
			_ => return Err(NOT_OWNER),
		}
		if GuardRefuses::get().as_ref() == Some(to) {
			return Err(NOT_KYC);
		}
		Ok(())
	}
	fn transfer_escrowed(
		collection: &u32,
		item: &u32,
		from: &AccountId,
		to: &AccountId,
	) -> DispatchResult {
		if Self::entry(*collection, *item) != Some((*from, true)) {
			return Err(NOT_ESCROWED);
		}
		Self::check_transfer(collection, item, from, to)?;
		Self::update(*collection, *item, |entry| {
			entry.2 = *to;
			entry.3 = false;
		});
		Ok(())
	}
	fn weight() -> polkadot_sdk::frame_support::weights::Weight {
		polkadot_sdk::frame_support::weights::Weight::zero()
	}
}

impl pallet_settlement::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = NativeAndAssets;
	type Transfers = NativeAndAssetsTransfers;
	type Currency = Balances;
	type LegGuard = Guard;
	type Nfts = Nfts;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type MaxLegs = ConstU32<4>;
	type MaxDuration = ConstU64<1_000>;
	type MaxScheduledPerBlock = ConstU32<2>;
	type MaxPreimageLen = ConstU32<64>;
	type SchemeOrigin = EnsureRoot<AccountId>;
	type PalletId = SettlementPalletId;
	type MaxSchemes = ConstU32<3>;
	type MaxMembers = ConstU32<25>;
	type MaxCreditLimits = ConstU32<3>;
	type NettingStepsPerBlock = NettingSteps;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AssetsBenchmarkHelper;
}

/// Creates a `pallet-assets` token for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct AssetsBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AssetKind, AccountId, Balance> for AssetsBenchmarkHelper {
	fn create_asset(index: u32) -> AssetKind {
		let id = 9_999 + index;
		if !<Assets as polkadot_sdk::frame_support::traits::fungibles::Inspect<_>>::asset_exists(id)
		{
			assert!(Assets::force_create(RuntimeOrigin::root(), id.into(), ALICE, true, 1).is_ok());
		}
		NativeOrWithId::WithId(id)
	}
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate as _;
		assert!(Balances::mint_into(who, amount.saturating_mul(10)).is_ok());
		if let NativeOrWithId::WithId(id) = asset {
			assert!(Assets::mint(RuntimeOrigin::signed(ALICE), (*id).into(), *who, amount).is_ok());
		}
	}
}

/// The seller: holds `SECURITY`.
pub const ALICE: AccountId = 1;
/// The buyer: holds `CASH`.
pub const BOB: AccountId = 2;
/// A venue that takes a fee.
pub const CHARLIE: AccountId = 3;
/// A bystander with native funds only.
pub const DAVE: AccountId = 4;
/// An account with nothing.
pub const NOBODY: AccountId = 99;
/// A stablecoin: id 1, minimum balance 5, 1_000 minted to Bob.
pub const CASH_ID: u32 = 1;
/// A security token: id 2, minimum balance 1, 100 minted to Alice.
pub const SECURITY_ID: u32 = 2;
pub const NATIVE: AssetKind = NativeOrWithId::Native;
pub fn cash() -> AssetKind {
	NativeOrWithId::WithId(CASH_ID)
}
pub fn security() -> AssetKind {
	NativeOrWithId::WithId(SECURITY_ID)
}

/// Alice, Bob, Charlie and Dave hold 1_000 native each; Bob holds 1_000 `CASH`, Alice 100
/// `SECURITY`.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000), (BOB, 1_000), (CHARLIE, 1_000), (DAVE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(CASH_ID, ALICE, false, 5), (SECURITY_ID, ALICE, false, 1)],
		metadata: vec![],
		accounts: vec![(CASH_ID, BOB, 1_000), (SECURITY_ID, ALICE, 100)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The settlement pallet's events so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Settlement(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// Runs `test`, then the pallet's invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("settlement invariants hold");
	});
}

/// Moves to block `n`, running the pallet's block start.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Settlement::on_initialize(next);
		crate::Pallet::<Test>::do_try_state().expect("settlement invariants hold");
	}
}
