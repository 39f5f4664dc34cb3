//! Unit tests of dissolving a clearing scheme: what it waits for, what goes back to the
//! operator, and the room it frees under `MaxSchemes`.

use super::schemes::{cash_of, fund, pay, scheme, CYCLE, OPERATOR};
use crate::{
	mock::*, CycleCloses, Error, Event, LastSettled, SchemeCount, SchemeMembers, Schemes, Unclaimed,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Mutate as _},
	sp_runtime::DispatchError,
};

type Settlement = crate::Pallet<Test>;

fn dissolve(by: AccountId, id: u32) -> polkadot_sdk::sp_runtime::DispatchResult {
	Settlement::dissolve_scheme(RuntimeOrigin::signed(by), id)
}

#[test]
fn the_operator_dissolves_a_scheme_once_its_members_are_gone() {
	test(|| {
		let id = scheme(&[10, 11], 500, 1_000);
		pay(id, 10, 11, 100);
		run_to(CYCLE + 1);
		assert!(LastSettled::<Test>::contains_key(id));
		let account = Settlement::scheme_account(id);
		let closes_at = Schemes::<Test>::get(id).unwrap().closes_at;

		assert_noop!(dissolve(10, id), Error::<Test>::NotOperator);
		assert_noop!(dissolve(OPERATOR, id), Error::<Test>::SchemeHasMembers);
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 10));
		assert_noop!(dissolve(OPERATOR, id), Error::<Test>::SchemeHasMembers);
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 11));
		// Units someone sent the scheme account go back with the float.
		fund(account, 7);
		let operator_cash = cash_of(OPERATOR);

		assert_ok!(dissolve(OPERATOR, id));
		assert_eq!(
			events().last(),
			Some(&Event::SchemeDissolved { scheme: id, operator: OPERATOR, returned: 12 })
		);
		assert_eq!(cash_of(OPERATOR), operator_cash + 12);
		assert_eq!(cash_of(account), 0);
		assert!(!Schemes::<Test>::contains_key(id));
		assert!(!LastSettled::<Test>::contains_key(id));
		assert!(!SchemeMembers::<Test>::contains_key(id));
		assert!(!CycleCloses::<Test>::contains_key(closes_at));
		assert_eq!(SchemeCount::<Test>::get(), 0);
		// Nothing of it is left to act on, and its close no longer comes.
		assert_noop!(dissolve(OPERATOR, id), Error::<Test>::UnknownScheme);
		assert_noop!(
			Settlement::add_member(RuntimeOrigin::signed(OPERATOR), id, 10, 1),
			Error::<Test>::UnknownScheme
		);
		let before = events().len();
		run_to(closes_at + 1);
		assert_eq!(events().len(), before);
	});
}

/// (The mock's accounts are `u64`, so all scheme accounts are one: each case runs alone.)
#[test]
fn the_scheme_account_is_reaped_unless_something_else_keeps_it() {
	// With nothing else in it, the account goes.
	test(|| {
		let id = scheme(&[], 0, 0);
		let account = Settlement::scheme_account(id);
		assert_ok!(dissolve(OPERATOR, id));
		assert!(!System::account_exists(&account));
	});
	// Native funds someone sent it stay there, and keep it.
	test(|| {
		let id = scheme(&[], 0, 0);
		let account = Settlement::scheme_account(id);
		assert_ok!(Balances::mint_into(&account, 50));
		assert_ok!(dissolve(OPERATOR, id));
		assert_eq!(cash_of(account), 0);
		assert_eq!(Balances::free_balance(account), 50);
		assert_eq!(System::providers(&account), 1);
	});
	// Another asset that needs the account to exist does not block the dissolution: the account
	// stays, holding it.
	test(|| {
		let id = scheme(&[], 0, 0);
		let account = Settlement::scheme_account(id);
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), SECURITY_ID.into(), account, 3));
		assert_ok!(dissolve(OPERATOR, id));
		assert_eq!(cash_of(account), 0);
		assert_eq!(Assets::balance(SECURITY_ID, account), 3);
		assert!(System::account_exists(&account));
	});
}

#[test]
fn dissolving_frees_room_for_another_scheme_and_ids_are_not_reused() {
	test(|| {
		// The mock allows 3 schemes at once.
		for _ in 0..3 {
			assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		}
		assert_noop!(
			Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE),
			Error::<Test>::TooManySchemes
		);
		// Governance dissolves a scheme never opened: nothing was paid into it.
		assert_noop!(
			Settlement::dissolve_scheme(RuntimeOrigin::none(), 1),
			DispatchError::BadOrigin
		);
		assert_ok!(Settlement::dissolve_scheme(RuntimeOrigin::root(), 1));
		assert_eq!(
			events().last(),
			Some(&Event::SchemeDissolved { scheme: 1, operator: OPERATOR, returned: 0 })
		);
		assert_eq!(SchemeCount::<Test>::get(), 2);
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		assert!(Schemes::<Test>::contains_key(3));
		assert!(!Schemes::<Test>::contains_key(1));
		assert_eq!(SchemeCount::<Test>::get(), 3);
	});
}

#[test]
fn a_scheme_is_not_dissolved_while_a_payout_waits_to_be_claimed() {
	test(|| {
		let id = scheme(&[10, 11], 500, 1_000);
		pay(id, 10, 11, 100);
		assert_ok!(Assets::block(RuntimeOrigin::signed(ALICE), CASH_ID.into(), 11));
		run_to(CYCLE + 1);
		assert_eq!(Unclaimed::<Test>::get(id, 11), 100);
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 10));
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 11));
		assert_noop!(dissolve(OPERATOR, id), Error::<Test>::PayoutsUnclaimed);
		// A member that left still claims what was kept for it.
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ALICE), CASH_ID.into(), 11));
		assert_ok!(Settlement::claim_payout(RuntimeOrigin::signed(11), id));
		assert_eq!(cash_of(11), 600);
		assert_ok!(dissolve(OPERATOR, id));
	});
}

#[test]
fn nothing_changes_when_the_float_cannot_go_back() {
	test(|| {
		let id = scheme(&[], 0, 0);
		assert_ok!(Assets::block(RuntimeOrigin::signed(ALICE), CASH_ID.into(), OPERATOR));
		assert_noop!(dissolve(OPERATOR, id), Error::<Test>::FloatNotReturned);
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ALICE), CASH_ID.into(), OPERATOR));
		assert_ok!(dissolve(OPERATOR, id));
	});
}

#[test]
fn migration_to_v1_counts_the_schemes() {
	use crate::migrations::v1::MigrateV0ToV1;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	test(|| {
		scheme(&[10], 0, 10);
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		// As version 0 left it: schemes, no count.
		StorageVersion::new(0).put::<Settlement>();
		SchemeCount::<Test>::kill();

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(SchemeCount::<Test>::get(), 2);
		assert_eq!(Settlement::on_chain_storage_version(), 1);
		// Run again, it changes nothing: the version gate holds.
		SchemeCount::<Test>::put(5);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(SchemeCount::<Test>::get(), 5);
		SchemeCount::<Test>::put(2);
	});
}
