//! The pallet with the real `pallet-session`, as in the tpwallet runtime (validator id = account,
//! `ConvertInto`, this pallet declared before `pallet-session`): genesis, key registration, and
//! when changes take effect.

use crate as pallet_validator_set;
use crate::{Error, Event};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok, derive_impl,
		traits::{ConstU32, ConstU64, Hooks},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	pallet_balances, pallet_session,
	sp_runtime::{testing::UintAuthorityId, traits::ConvertInto, BuildStorage, Perbill},
	sp_staking::offence::{OffenceDetails, OnOffenceHandler},
	*,
};

type AccountId = u64;
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(3)]
	pub type Session = pallet_session;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_validator_set::Config for Test {
	type AddRemoveOrigin = EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<10>;
	type MinValidators = ConstU32<2>;
	type ValidatorRegistration = Session;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Sessions of 10 blocks, starting at block 0.
type Sessions = pallet_session::PeriodicSessions<ConstU64<10>, ConstU64<0>>;

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	type SessionManager = ValidatorSet;
	type SessionHandler = pallet_session::TestSessionHandler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = ConstU64<0>;
}

/// Accounts 1 to 6 are funded; 1 to 4 have session keys at genesis; `validators` is this
/// pallet's genesis set.
fn new_test_ext(validators: Vec<AccountId>) -> polkadot_sdk::sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: (1..=6).map(|who| (who, 1_000)).collect(),
			..Default::default()
		},
		validator_set: pallet_validator_set::GenesisConfig { initial_validators: validators },
		session: pallet_session::GenesisConfig {
			keys: (1..=4).map(|who| (who, who, UintAuthorityId(who))).collect(),
			..Default::default()
		},
	}
	.build_storage()
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks until session `index` has started.
fn run_to_session(index: u32) {
	while Session::current_index() < index {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
	}
}

fn active() -> Vec<AccountId> {
	pallet_session::Validators::<Test>::get()
}

fn queued() -> Vec<AccountId> {
	pallet_session::QueuedKeys::<Test>::get().into_iter().map(|(who, _)| who).collect()
}

fn set_keys(who: AccountId) {
	assert_ok!(Session::set_keys(RuntimeOrigin::signed(who), UintAuthorityId(who), vec![]));
}

#[test]
fn session_genesis_takes_the_approved_set() {
	// Account 4 has keys at genesis but is not approved.
	new_test_ext(vec![3, 1, 2]).execute_with(|| {
		assert_eq!(active(), vec![1, 2, 3]);
		assert_eq!(queued(), vec![1, 2, 3]);
		ValidatorSet::do_try_state().expect("invariants hold");
	});
}

#[test]
fn without_an_approved_set_session_genesis_takes_its_keys() {
	new_test_ext(vec![]).execute_with(|| {
		assert_eq!(active(), vec![1, 2, 3, 4]);
		// A migration seeds the pallet; the set is taken at the next boundary.
		assert_eq!(ValidatorSet::initialize(&[1, 2]).ok(), Some(2));
		run_to_session(1);
		assert_eq!(queued(), vec![1, 2]);
		run_to_session(2);
		assert_eq!(active(), vec![1, 2]);
	});
}

#[test]
fn registration_is_session_keys() {
	new_test_ext(vec![1, 2, 3]).execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), 5),
			Error::<Test>::NoSessionKeys
		);
		set_keys(5);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
	});
}

#[test]
fn an_added_validator_validates_from_the_session_after_the_next() {
	new_test_ext(vec![1, 2, 3]).execute_with(|| {
		run_to_session(1);
		set_keys(5);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
		// Added during session 1: queued when session 2 starts, active from session 3.
		run_to_session(2);
		System::assert_has_event(Event::NewSetQueued { session: 3, validators: 4 }.into());
		assert_eq!(active(), vec![1, 2, 3]);
		assert_eq!(queued(), vec![1, 2, 3, 5]);
		run_to_session(3);
		assert_eq!(active(), vec![1, 2, 3, 5]);
		run_to_session(4);
		assert_eq!(active(), vec![1, 2, 3, 5], "and stays");
	});
}

#[test]
fn a_removed_validator_stops_from_the_session_after_the_next() {
	new_test_ext(vec![1, 2, 3]).execute_with(|| {
		run_to_session(1);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
		run_to_session(2);
		assert_eq!(active(), vec![1, 2, 3]);
		run_to_session(3);
		assert_eq!(active(), vec![1, 3]);
	});
}

#[test]
fn an_offender_leaves_and_the_minimum_stays() {
	new_test_ext(vec![1, 2, 3]).execute_with(|| {
		run_to_session(1);
		let details: Vec<OffenceDetails<AccountId, (AccountId, ())>> = [3, 1]
			.into_iter()
			.map(|who| OffenceDetails { offender: (who, ()), reporters: vec![] })
			.collect();
		<ValidatorSet as OnOffenceHandler<_, _, Weight>>::on_offence(
			&details,
			&[Perbill::from_percent(50), Perbill::from_percent(50)],
			1,
		);
		assert_eq!(ValidatorSet::validators(), vec![1, 2]);
		System::assert_has_event(Event::ValidatorRemovedForOffence { who: 3, session: 1 }.into());
		System::assert_has_event(Event::OffenderKept { who: 1, session: 1 }.into());
		run_to_session(3);
		assert_eq!(active(), vec![1, 2]);
	});
}

#[test]
fn a_validator_that_purged_its_keys_is_left_out() {
	new_test_ext(vec![1, 2, 3]).execute_with(|| {
		assert_ok!(Session::purge_keys(RuntimeOrigin::signed(3)));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 4));
		run_to_session(2);
		assert_eq!(active(), vec![1, 2, 4]);
		assert_eq!(ValidatorSet::validators(), vec![1, 2, 3, 4], "3 stays approved");
	});
}
