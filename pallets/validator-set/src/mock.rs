//! A test runtime: `frame_system` and this pallet, with root as governance and a mock of
//! `pallet-session`'s key registration that tests can change.

use crate as pallet_validator_set;
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		traits::{ConstU32, ValidatorRegistration},
	},
	frame_system::EnsureRoot,
	sp_runtime::BuildStorage,
	*,
};
use std::collections::BTreeSet;

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ValidatorSet = pallet_validator_set;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

pub const MIN_VALIDATORS: u32 = 2;
pub const MAX_VALIDATORS: u32 = 5;

impl pallet_validator_set::Config for Test {
	type AddRemoveOrigin = EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type ValidatorRegistration = MockSessionKeys;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockSessionKeys;
}

thread_local! {
	/// The accounts with session keys.
	static KEYS: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
}

/// Stands for `pallet-session`: an account is registered once it has "set its keys".
pub struct MockSessionKeys;

impl MockSessionKeys {
	/// `who` sets session keys.
	pub fn set_keys(who: AccountId) {
		KEYS.with(|keys| keys.borrow_mut().insert(who));
	}
	/// `who` purges its session keys.
	pub fn purge_keys(who: AccountId) {
		KEYS.with(|keys| keys.borrow_mut().remove(&who));
	}
}

impl ValidatorRegistration<AccountId> for MockSessionKeys {
	fn is_registered(who: &AccountId) -> bool {
		KEYS.with(|keys| keys.borrow().contains(who))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockSessionKeys {
	fn register_keys(who: &AccountId) {
		Self::set_keys(*who);
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
pub const FERDIE: AccountId = 6;
/// An account without session keys.
pub const KEYLESS: AccountId = 99;

/// Accounts 1 to 10 have session keys; `validators` is the genesis set.
pub fn new_test_ext_with(validators: Vec<AccountId>) -> polkadot_sdk::sp_io::TestExternalities {
	KEYS.with(|keys| *keys.borrow_mut() = (1..=10).collect());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		validator_set: pallet_validator_set::GenesisConfig { initial_validators: validators },
	}
	.build_storage()
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Alice, Bob and Charlie are the genesis validators; accounts 1 to 10 have session keys.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	new_test_ext_with(vec![ALICE, BOB, CHARLIE])
}
