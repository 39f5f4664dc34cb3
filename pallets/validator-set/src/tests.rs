//! Unit tests of the validator-set pallet on the mock runtime.

use crate::{mock::*, Error, Event, FullIdentificationOf, SetChanged, Validators};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{GetStorageVersion, Hooks, StorageVersion},
		weights::Weight,
		BoundedVec,
	},
	pallet_session::SessionManager,
	sp_runtime::{traits::Convert, DispatchError, Perbill},
	sp_staking::offence::{OffenceDetails, OnOffenceHandler},
};

fn set() -> Vec<AccountId> {
	ValidatorSet::validators()
}

fn check_invariants() {
	ValidatorSet::do_try_state().expect("invariants hold");
}

/// The session manager's answer for session `index`.
fn new_session(index: u32) -> Option<Vec<AccountId>> {
	<ValidatorSet as SessionManager<AccountId>>::new_session(index)
}

/// Reports `offenders` for an offence in `session` (with the full identification `()`).
fn report(offenders: &[AccountId], session: u32) -> Weight {
	let details: Vec<OffenceDetails<AccountId, (AccountId, ())>> = offenders
		.iter()
		.map(|who| OffenceDetails { offender: (*who, ()), reporters: vec![] })
		.collect();
	let fractions = vec![Perbill::from_percent(100); offenders.len()];
	<ValidatorSet as OnOffenceHandler<AccountId, (AccountId, ()), Weight>>::on_offence(
		&details, &fractions, session,
	)
}

/// `initialize`, its error as a `DispatchError` (pallet errors do not compare).
fn initialize(validators: &[AccountId]) -> Result<u32, DispatchError> {
	ValidatorSet::initialize(validators).map_err(Into::into)
}

/// Overwrites the approved set (no checks), to corrupt it.
fn put_raw(validators: Vec<AccountId>) {
	Validators::<Test>::put(BoundedVec::try_from(validators).expect("within the bound"));
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ValidatorSet(event) => Some(event),
			_ => None,
		})
		.collect()
}

// --- Genesis ---

#[test]
fn genesis_seeds_the_set_sorted_and_unchanged() {
	new_test_ext_with(vec![CHARLIE, ALICE, BOB]).execute_with(|| {
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
		assert!(!SetChanged::<Test>::get(), "the genesis set is not a change");
		assert_eq!(ValidatorSet::on_chain_storage_version(), StorageVersion::new(1));
		check_invariants();
	});
}

#[test]
fn genesis_may_be_smaller_than_the_minimum() {
	new_test_ext_with(vec![ALICE]).execute_with(|| {
		assert_eq!(set(), vec![ALICE]);
		check_invariants();
		// It cannot shrink further, only grow.
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE),
			Error::<Test>::TooFewValidators
		);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), BOB));
		check_invariants();
	});
}

#[test]
fn empty_genesis_leaves_the_pallet_unseeded() {
	new_test_ext_with(vec![]).execute_with(|| {
		assert!(set().is_empty());
		assert_eq!(<ValidatorSet as SessionManager<AccountId>>::new_session_genesis(0), None);
		assert_eq!(new_session(1), None);
		assert!(ValidatorSet::do_try_state().is_err(), "an unseeded set is not a valid state");
	});
}

#[test]
#[should_panic(expected = "initial validators are listed once each")]
fn genesis_panics_on_duplicates() {
	new_test_ext_with(vec![ALICE, BOB, ALICE]);
}

#[test]
#[should_panic(expected = "at most MaxValidators initial validators")]
fn genesis_panics_on_too_many() {
	new_test_ext_with((1..=MAX_VALIDATORS as u64 + 1).collect());
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<ValidatorSet as Hooks<u64>>::integrity_test();
	});
}

// --- add_validator ---

#[test]
fn add_validator_inserts_sorted_marks_the_set_and_emits_event() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), EVE));
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE, EVE]);
		assert!(SetChanged::<Test>::get());
		System::assert_last_event(Event::ValidatorAdded { who: EVE }.into());
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE, DAVE, EVE], "kept sorted");
		check_invariants();
	});
}

#[test]
fn add_validator_requires_the_governance_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::signed(ALICE), DAVE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::none(), DAVE),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn add_validator_refuses_a_member() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), BOB),
			Error::<Test>::AlreadyValidator
		);
	});
}

#[test]
fn add_validator_refuses_beyond_the_maximum() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), EVE));
		assert_eq!(set().len() as u32, MAX_VALIDATORS);
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), FERDIE),
			Error::<Test>::TooManyValidators
		);
		check_invariants();
	});
}

#[test]
fn add_validator_requires_session_keys() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::add_validator(RuntimeOrigin::root(), KEYLESS),
			Error::<Test>::NoSessionKeys
		);
		assert!(!SetChanged::<Test>::get());
		MockSessionKeys::set_keys(KEYLESS);
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), KEYLESS));
		assert!(set().contains(&KEYLESS));
	});
}

// --- remove_validator ---

#[test]
fn remove_validator_removes_marks_the_set_and_emits_event() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), BOB));
		assert_eq!(set(), vec![ALICE, CHARLIE]);
		assert!(SetChanged::<Test>::get());
		System::assert_last_event(Event::ValidatorRemoved { who: BOB }.into());
		check_invariants();
	});
}

#[test]
fn remove_validator_requires_the_governance_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(ALICE), BOB),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::signed(BOB), BOB),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn remove_validator_refuses_a_non_member() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), DAVE),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn remove_validator_keeps_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE));
		assert_eq!(set().len() as u32, MIN_VALIDATORS);
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), BOB),
			Error::<Test>::TooFewValidators
		);
		// A non-member is reported as such first.
		assert_noop!(
			ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE),
			Error::<Test>::NotValidator
		);
	});
}

#[test]
fn a_removed_validator_can_be_approved_again() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), BOB));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), BOB));
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
	});
}

// --- Session manager ---

#[test]
fn new_session_is_none_while_the_set_is_unchanged() {
	new_test_ext().execute_with(|| {
		assert_eq!(new_session(1), None);
		assert_eq!(new_session(2), None);
		assert!(events().is_empty());
	});
}

#[test]
fn new_session_hands_over_a_changed_set_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		assert_eq!(new_session(2), Some(vec![ALICE, BOB, CHARLIE, DAVE]));
		assert!(!SetChanged::<Test>::get());
		System::assert_last_event(Event::NewSetQueued { session: 2, validators: 4 }.into());
		assert_eq!(new_session(3), None, "handed over once");
		// Removal too.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE));
		assert_eq!(new_session(4), Some(vec![BOB, CHARLIE, DAVE]));
	});
}

#[test]
fn new_session_hands_over_only_validators_with_keys() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		MockSessionKeys::purge_keys(BOB);
		assert_eq!(new_session(2), Some(vec![ALICE, CHARLIE, DAVE]));
		System::assert_last_event(Event::NewSetQueued { session: 2, validators: 3 }.into());
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE, DAVE], "Bob stays approved");
		check_invariants();
	});
}

#[test]
fn new_session_never_hands_over_an_empty_set() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), CHARLIE));
		MockSessionKeys::purge_keys(ALICE);
		MockSessionKeys::purge_keys(BOB);
		assert_eq!(new_session(2), None);
		assert!(SetChanged::<Test>::get(), "the change stays pending");
		System::assert_last_event(Event::NewSetRefused { session: 2 }.into());
		// Once a validator has keys again, the change goes through.
		MockSessionKeys::set_keys(BOB);
		assert_eq!(new_session(3), Some(vec![BOB]));
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn new_session_genesis_gives_the_set_with_keys() {
	new_test_ext().execute_with(|| {
		let genesis =
			|index| <ValidatorSet as SessionManager<AccountId>>::new_session_genesis(index);
		assert_eq!(genesis(0), Some(vec![ALICE, BOB, CHARLIE]));
		assert_eq!(genesis(1), Some(vec![ALICE, BOB, CHARLIE]));
		MockSessionKeys::purge_keys(BOB);
		assert_eq!(genesis(0), Some(vec![ALICE, CHARLIE]));
		MockSessionKeys::purge_keys(ALICE);
		MockSessionKeys::purge_keys(CHARLIE);
		assert_eq!(genesis(0), None, "never an empty set");
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn start_and_end_session_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		<ValidatorSet as SessionManager<AccountId>>::end_session(1);
		<ValidatorSet as SessionManager<AccountId>>::start_session(2);
		assert!(SetChanged::<Test>::get());
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE, DAVE]);
	});
}

// --- Offences ---

#[test]
fn an_offender_is_removed() {
	new_test_ext().execute_with(|| {
		report(&[BOB], 7);
		assert_eq!(set(), vec![ALICE, CHARLIE]);
		assert!(SetChanged::<Test>::get());
		System::assert_last_event(
			Event::ValidatorRemovedForOffence { who: BOB, session: 7 }.into(),
		);
		assert_eq!(new_session(9), Some(vec![ALICE, CHARLIE]));
		check_invariants();
	});
}

#[test]
fn offenders_are_removed_down_to_the_minimum_then_kept() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		System::reset_events();
		report(&[DAVE, ALICE, BOB, CHARLIE], 3);
		assert_eq!(set(), vec![BOB, CHARLIE], "the first offenders reported go");
		assert_eq!(
			events(),
			vec![
				Event::ValidatorRemovedForOffence { who: DAVE, session: 3 },
				Event::ValidatorRemovedForOffence { who: ALICE, session: 3 },
				Event::OffenderKept { who: BOB, session: 3 },
				Event::OffenderKept { who: CHARLIE, session: 3 },
			]
		);
		check_invariants();
	});
}

#[test]
fn offences_of_non_members_are_ignored() {
	new_test_ext().execute_with(|| {
		report(&[DAVE, KEYLESS], 1);
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
		assert!(!SetChanged::<Test>::get());
		assert!(events().is_empty());
		// An offender reported again (offences report all concurrent offenders) is not removed
		// twice.
		report(&[BOB], 1);
		report(&[BOB, CHARLIE], 1);
		assert_eq!(set(), vec![ALICE, CHARLIE]);
		assert_eq!(
			events(),
			vec![
				Event::ValidatorRemovedForOffence { who: BOB, session: 1 },
				Event::OffenderKept { who: CHARLIE, session: 1 },
			]
		);
	});
}

#[test]
fn an_offence_at_the_minimum_keeps_the_offender() {
	new_test_ext_with(vec![ALICE, BOB]).execute_with(|| {
		report(&[ALICE], 0);
		assert_eq!(set(), vec![ALICE, BOB]);
		assert!(!SetChanged::<Test>::get(), "nothing changed");
		System::assert_last_event(Event::OffenderKept { who: ALICE, session: 0 }.into());
	});
}

#[test]
fn an_offence_with_a_full_identification_of_any_type() {
	new_test_ext().execute_with(|| {
		let details = vec![OffenceDetails { offender: (CHARLIE, 42u128), reporters: vec![ALICE] }];
		<ValidatorSet as OnOffenceHandler<AccountId, (AccountId, u128), Weight>>::on_offence(
			&details,
			&[Perbill::zero()],
			5,
		);
		assert_eq!(set(), vec![ALICE, BOB]);
	});
}

#[test]
fn full_identification_is_unit_for_every_account() {
	assert_eq!(FullIdentificationOf::<Test>::convert(ALICE), Some(()));
	assert_eq!(FullIdentificationOf::<Test>::convert(KEYLESS), Some(()));
}

// --- initialize (migration) ---

#[test]
fn initialize_seeds_an_empty_pallet() {
	new_test_ext_with(vec![]).execute_with(|| {
		assert_eq!(initialize(&[CHARLIE, ALICE, CHARLIE, BOB]), Ok(3));
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE], "sorted, without duplicates");
		assert!(SetChanged::<Test>::get(), "handed to pallet-session at the next boundary");
		check_invariants();
		assert_eq!(new_session(5), Some(vec![ALICE, BOB, CHARLIE]));
	});
}

#[test]
fn initialize_refuses_a_seeded_pallet() {
	new_test_ext().execute_with(|| {
		assert_eq!(initialize(&[DAVE, EVE]), Err(Error::<Test>::AlreadyInitialized.into()));
		assert_eq!(set(), vec![ALICE, BOB, CHARLIE]);
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn initialize_refuses_an_empty_or_oversized_set_without_panicking() {
	new_test_ext_with(vec![]).execute_with(|| {
		assert_eq!(initialize(&[]), Err(Error::<Test>::TooFewValidators.into()));
		let too_many: Vec<AccountId> = (1..=MAX_VALIDATORS as u64 + 1).collect();
		assert_eq!(initialize(&too_many), Err(Error::<Test>::TooManyValidators.into()));
		assert!(set().is_empty());
		assert!(!SetChanged::<Test>::get());
		// Duplicates do not count towards the bound.
		let mut at_bound: Vec<AccountId> = (1..=MAX_VALIDATORS as u64).collect();
		at_bound.extend_from_slice(&[1, 2]);
		assert_eq!(initialize(&at_bound), Ok(MAX_VALIDATORS));
		check_invariants();
	});
}

// --- try_state ---

#[test]
fn try_state_accepts_changes_made_through_the_pallet() {
	new_test_ext().execute_with(|| {
		check_invariants();
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), EVE));
		assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), DAVE));
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), ALICE));
		report(&[CHARLIE, EVE, BOB], 0);
		check_invariants();
	});
}

#[test]
fn try_state_detects_a_corrupted_set() {
	new_test_ext().execute_with(|| {
		put_raw(vec![ALICE, ALICE, BOB]);
		assert!(ValidatorSet::do_try_state().is_err(), "duplicates");
		put_raw(vec![BOB, ALICE]);
		assert!(ValidatorSet::do_try_state().is_err(), "unsorted");
		put_raw(vec![]);
		assert!(ValidatorSet::do_try_state().is_err(), "empty");
		put_raw(vec![ALICE]);
		assert!(ValidatorSet::do_try_state().is_ok(), "below the minimum is tolerated");
	});
}
