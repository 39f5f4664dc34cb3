//! Unit tests of clearing schemes: membership, collateral, cleared payments, and netting
//! (across blocks, with defaulters).

use crate::{
	mock::*, CycleSummary, Error, Event, LastSettled, Members, NettingQueue, Nettings, Position,
	Positions, Unclaimed,
};
use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::Mutate as _,
			fungibles::{Inspect as _, InspectHold as _},
		},
	},
	sp_runtime::DispatchError,
};

type Settlement = crate::Pallet<Test>;

/// The operator.
pub(super) const OPERATOR: AccountId = DAVE;
/// Blocks per cycle.
pub(super) const CYCLE: u64 = 10;

pub(super) fn cash_of(who: AccountId) -> Balance {
	NativeAndAssets::balance(cash(), &who)
}

fn collateral_held(who: AccountId) -> Balance {
	NativeAndAssets::balance_on_hold(
		cash(),
		&RuntimeHoldReason::Settlement(crate::HoldReason::Collateral),
		&who,
	)
}

/// Gives `who` native funds and `amount` of cash.
pub(super) fn fund(who: AccountId, amount: Balance) {
	assert_ok!(Balances::mint_into(&who, 1_000));
	if amount > 0 {
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), CASH_ID.into(), who, amount));
	}
}

/// An open scheme in cash (cycle of `CYCLE` blocks) with `members`, each funded with `funds`
/// cash, capped at `cap` and holding no collateral.
pub(super) fn scheme(members: &[AccountId], funds: Balance, cap: Balance) -> u32 {
	fund(OPERATOR, 100);
	let id = crate::NextSchemeId::<Test>::get();
	assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
	assert_ok!(Settlement::open_scheme(RuntimeOrigin::signed(OPERATOR), id));
	for &m in members {
		fund(m, funds);
		assert_ok!(Settlement::add_member(RuntimeOrigin::signed(OPERATOR), id, m, cap));
	}
	id
}

pub(super) fn pay(scheme: u32, from: AccountId, to: AccountId, amount: Balance) {
	assert_ok!(Settlement::pay(RuntimeOrigin::signed(from), scheme, to, amount));
}

fn last_summary(scheme: u32) -> CycleSummary<Balance, u64> {
	LastSettled::<Test>::get(scheme).expect("a cycle settled")
}

#[test]
fn governance_creates_and_the_operator_opens_a_scheme() {
	test(|| {
		assert_noop!(
			Settlement::create_scheme(RuntimeOrigin::signed(OPERATOR), OPERATOR, cash(), CYCLE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Settlement::create_scheme(
				RuntimeOrigin::root(),
				OPERATOR,
				NativeOrWithId::WithId(77),
				CYCLE
			),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(
			Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), 0),
			Error::<Test>::BadCycleLength
		);
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(BOB), 0, ALICE, 1),
			Error::<Test>::SchemeNotActive
		);
		assert_noop!(
			Settlement::open_scheme(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotOperator
		);
		// The operator holds no cash for the float yet.
		assert_noop!(
			Settlement::open_scheme(RuntimeOrigin::signed(OPERATOR), 0),
			Error::<Test>::InsufficientBalance
		);
		fund(OPERATOR, 100);
		assert_ok!(Settlement::open_scheme(RuntimeOrigin::signed(OPERATOR), 0));
		assert_eq!(cash_of(Settlement::scheme_account(0)), 5);
		assert_noop!(
			Settlement::open_scheme(RuntimeOrigin::signed(OPERATOR), 0),
			Error::<Test>::SchemeNotCreated
		);
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE));
		assert_noop!(
			Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, cash(), CYCLE),
			Error::<Test>::TooManySchemes
		);
		assert_eq!(
			events()[..2],
			[
				Event::SchemeCreated {
					scheme: 0,
					operator: OPERATOR,
					asset: cash(),
					cycle_length: CYCLE
				},
				Event::SchemeOpened { scheme: 0, float: 5 },
			]
		);
	});
}

#[test]
fn the_operator_manages_members() {
	test(|| {
		let id = scheme(&[10, 11], 0, 100);
		assert_noop!(
			Settlement::add_member(RuntimeOrigin::signed(10), id, 12, 100),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Settlement::add_member(RuntimeOrigin::signed(OPERATOR), id, 10, 100),
			Error::<Test>::AlreadyMember
		);
		assert_ok!(Settlement::set_net_debit_cap(RuntimeOrigin::signed(OPERATOR), id, 10, 7));
		assert_eq!(Members::<Test>::get(id, 10).unwrap().net_debit_cap, 7);
		assert_noop!(
			Settlement::set_net_debit_cap(RuntimeOrigin::signed(OPERATOR), id, 12, 7),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Settlement::reinstate_member(RuntimeOrigin::signed(OPERATOR), id, 10),
			Error::<Test>::NotSuspended
		);
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 11));
		assert_eq!(crate::SchemeMembers::<Test>::get(id).to_vec(), vec![10]);
		// 25 members fit (the mock's `MaxMembers`), not 26.
		for m in 100..124 {
			assert_ok!(Settlement::add_member(RuntimeOrigin::signed(OPERATOR), id, m, 1));
		}
		assert_noop!(
			Settlement::add_member(RuntimeOrigin::signed(OPERATOR), id, 200, 1),
			Error::<Test>::TooManyMembers
		);
	});
}

#[test]
fn a_payment_clears_at_once_within_the_cap_and_moves_no_units() {
	test(|| {
		let id = scheme(&[10, 11, 12], 500, 100);
		pay(id, 10, 11, 60);
		pay(id, 11, 12, 30);
		// 10 owes 60 net: 41 more would pass its cap of 100.
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(10), id, 12, 41),
			Error::<Test>::OverNetDebitCap
		);
		// What it receives lowers its net debit.
		pay(id, 12, 10, 20);
		pay(id, 10, 12, 60);
		assert_eq!(Positions::<Test>::get((id, 0), 10), Position { paid: 120, received: 20 });
		assert_eq!((cash_of(10), cash_of(11), cash_of(12)), (500, 500, 500));
		let view = Settlement::open_cycle(id).unwrap();
		assert_eq!((view.cycle, view.gross, view.net), (0, 170, 100));
		assert_noop!(Settlement::pay(RuntimeOrigin::signed(10), id, 10, 1), Error::<Test>::SelfLeg);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(10), id, 11, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(10), id, 99, 1),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(99), id, 10, 1),
			Error::<Test>::NotMember
		);
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(10), 9, 11, 1),
			Error::<Test>::UnknownScheme
		);
		assert_eq!(
			events().last(),
			Some(&Event::PaymentCleared { scheme: id, cycle: 0, from: 10, to: 12, amount: 60 })
		);
	});
}

#[test]
fn a_cycle_settles_its_net_positions_at_its_end() {
	test(|| {
		let id = scheme(&[10, 11, 12], 500, 1_000);
		pay(id, 10, 11, 100);
		pay(id, 11, 12, 80);
		pay(id, 12, 10, 50);
		// Nets: 10 owes 50, 11 is owed 20, 12 is owed 30.
		run_to(CYCLE);
		assert_eq!((cash_of(10), cash_of(11), cash_of(12)), (500, 500, 500));
		run_to(CYCLE + 1);
		assert_eq!((cash_of(10), cash_of(11), cash_of(12)), (450, 520, 530));
		// Only the float is left in the scheme account.
		assert_eq!(cash_of(Settlement::scheme_account(id)), 5);
		assert_eq!(
			last_summary(id),
			CycleSummary {
				cycle: 0,
				gross: 230,
				net: 50,
				shortfall: 0,
				transfers: 3,
				settled_at: 11
			}
		);
		assert!(events().contains(&Event::CycleSettled {
			scheme: id,
			cycle: 0,
			gross: 230,
			net: 50,
			shortfall: 0,
			transfers: 3,
			residue: 0
		}));
		assert_eq!(Positions::<Test>::iter().count(), 0);
		// Opened at block 1, cycle 0 closed at 11; cycle 1 closes a cycle later.
		let scheme = crate::Schemes::<Test>::get(id).unwrap();
		assert_eq!((scheme.cycle, scheme.closes_at), (1, 1 + 2 * CYCLE));
	});
}

#[test]
fn netting_runs_across_blocks_while_the_next_cycle_clears() {
	test(|| {
		NettingSteps::set(2);
		let members = [10, 11, 12, 13, 14];
		let id = scheme(&members, 500, 1_000);
		for (i, &from) in members.iter().enumerate() {
			pay(id, from, members[(i + 1) % 5], 10 * (i as u64 + 1));
		}
		assert_ok!(Settlement::close_cycle(RuntimeOrigin::signed(12), id));
		assert_eq!(NettingQueue::<Test>::get().to_vec(), vec![id]);
		// Payments clear into cycle 1 while cycle 0 settles.
		pay(id, 10, 14, 5);
		assert_eq!(Positions::<Test>::get((id, 1), 10).paid, 5);
		assert_noop!(
			Settlement::close_cycle(RuntimeOrigin::signed(12), id),
			Error::<Test>::NettingInProgress
		);
		assert_noop!(
			Settlement::withdraw_collateral(RuntimeOrigin::signed(12), id, 1),
			Error::<Test>::NettingInProgress
		);
		// Two passes over five members, plus a step to end each pass: 12 steps, 2 per block.
		run_to(6);
		assert!(Nettings::<Test>::contains_key(id));
		run_to(7);
		assert!(!Nettings::<Test>::contains_key(id));
		assert_eq!(last_summary(id).settled_at, 7);
		// Nets: 10 is owed 40 (paid 10, received 50), 11..14 owe 10 each.
		assert_eq!(cash_of(10), 540);
		assert_eq!((cash_of(11), cash_of(14)), (490, 490));
		assert_eq!(last_summary(id).transfers, 5);
		assert_eq!(Positions::<Test>::get((id, 1), 10).paid, 5);
	});
}

#[test]
fn a_due_close_waits_for_the_previous_netting() {
	test(|| {
		NettingSteps::set(1);
		let id = scheme(&[10, 11, 12, 13, 14], 500, 1_000);
		pay(id, 10, 11, 10);
		// Closed early at block 8: its netting (12 steps, one per block) runs until block 20,
		// past block 18, when cycle 1 is due to close, so that close waits.
		run_to(8);
		assert_ok!(Settlement::close_cycle(RuntimeOrigin::signed(OPERATOR), id));
		pay(id, 11, 12, 10);
		run_to(8 + CYCLE);
		assert_eq!(crate::Schemes::<Test>::get(id).unwrap().cycle, 1);
		// Block 20 checks the close before its netting step: cycle 1 closes at 21.
		run_to(20);
		assert_eq!(crate::Schemes::<Test>::get(id).unwrap().cycle, 1);
		run_to(21);
		assert_eq!(crate::Schemes::<Test>::get(id).unwrap().cycle, 2);
		// Its netting starts in the block that closed it: done at 32.
		run_to(31);
		assert!(Nettings::<Test>::contains_key(id));
		run_to(32);
		assert_eq!(last_summary(id).cycle, 1);
		assert_eq!((cash_of(11), cash_of(12)), (500, 510));
	});
}

#[test]
fn only_governance_the_operator_or_a_member_closes_a_cycle() {
	test(|| {
		let id = scheme(&[10, 11], 500, 100);
		assert_noop!(
			Settlement::close_cycle(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotAllowedToClose
		);
		assert_ok!(Settlement::close_cycle(RuntimeOrigin::root(), id));
		// Nothing cleared: settled at once.
		assert_eq!(last_summary(id).transfers, 0);
		assert!(NettingQueue::<Test>::get().is_empty());
	});
}

#[test]
fn collateral_is_held_and_released_down_to_the_net_debit() {
	test(|| {
		let id = scheme(&[10, 11], 500, 1_000);
		assert_noop!(
			Settlement::post_collateral(RuntimeOrigin::signed(10), id, 501),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Settlement::post_collateral(RuntimeOrigin::signed(99), id, 1),
			Error::<Test>::NotMember
		);
		assert_ok!(Settlement::post_collateral(RuntimeOrigin::signed(10), id, 200));
		assert_eq!(collateral_held(10), 200);
		pay(id, 10, 11, 150);
		assert_noop!(
			Settlement::withdraw_collateral(RuntimeOrigin::signed(10), id, 51),
			Error::<Test>::CollateralInUse
		);
		assert_noop!(
			Settlement::withdraw_collateral(RuntimeOrigin::signed(10), id, 201),
			Error::<Test>::NotEnoughCollateral
		);
		assert_ok!(Settlement::withdraw_collateral(RuntimeOrigin::signed(10), id, 50));
		assert_eq!(collateral_held(10), 150);
		assert_eq!(
			events().last(),
			Some(&Event::CollateralWithdrawn { scheme: id, member: 10, amount: 50, total: 150 })
		);
		// Removal waits for the open position, then releases the collateral.
		assert_noop!(
			Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 10),
			Error::<Test>::OpenPosition
		);
		run_to(CYCLE + 1);
		assert_ok!(Settlement::remove_member(RuntimeOrigin::signed(OPERATOR), id, 10));
		assert_eq!(collateral_held(10), 0);
		assert_eq!(cash_of(10), 350);
	});
}

#[test]
fn a_defaulter_is_covered_by_its_collateral_then_by_the_creditors_pro_rata() {
	test(|| {
		let id = scheme(&[10, 11, 12], 0, 1_000);
		// 10 holds 100 cash: 40 free, 60 posted as collateral; it will owe 300 net.
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), CASH_ID.into(), 10, 100));
		assert_ok!(Settlement::post_collateral(RuntimeOrigin::signed(10), id, 60));
		pay(id, 10, 11, 200);
		pay(id, 10, 12, 100);
		run_to(CYCLE + 1);
		// 10 paid 100 (40 free, 60 collateral); the shortfall of 200 is shared 2:1.
		assert_eq!(cash_of(10), 0);
		assert_eq!(collateral_held(10), 0);
		assert_eq!(Members::<Test>::get(id, 10).unwrap().collateral, 0);
		assert!(Members::<Test>::get(id, 10).unwrap().suspended);
		assert_eq!((cash_of(11), cash_of(12)), (66, 33));
		let events = events();
		assert!(events.contains(&Event::NetDebitCollected {
			scheme: id,
			cycle: 0,
			member: 10,
			amount: 100,
			from_collateral: 60
		}));
		assert!(events.contains(&Event::MemberDefaulted {
			scheme: id,
			cycle: 0,
			member: 10,
			owed: 300,
			shortfall: 200
		}));
		assert!(events.contains(&Event::NetCreditPaid {
			scheme: id,
			cycle: 0,
			member: 11,
			amount: 66,
			haircut: 134
		}));
		assert!(events.contains(&Event::CycleSettled {
			scheme: id,
			cycle: 0,
			gross: 300,
			net: 300,
			shortfall: 200,
			transfers: 3,
			residue: 1
		}));
		// The rounding residue stays in the scheme account beside the float.
		assert_eq!(cash_of(Settlement::scheme_account(id)), 5 + 1);
		// Suspended: it may receive, not pay, until reinstated.
		assert_noop!(
			Settlement::pay(RuntimeOrigin::signed(10), id, 11, 1),
			Error::<Test>::Suspended
		);
		pay(id, 11, 10, 1);
		assert_ok!(Settlement::reinstate_member(RuntimeOrigin::signed(OPERATOR), id, 10));
		pay(id, 10, 11, 1);
	});
}

#[test]
fn a_payout_the_asset_refuses_is_kept_for_the_member() {
	test(|| {
		let id = scheme(&[10, 11], 500, 1_000);
		pay(id, 10, 11, 100);
		assert_ok!(Assets::block(RuntimeOrigin::signed(ALICE), CASH_ID.into(), 11));
		run_to(CYCLE + 1);
		assert_eq!(cash_of(11), 500);
		assert_eq!(Unclaimed::<Test>::get(id, 11), 100);
		assert!(events().contains(&Event::PayoutKept {
			scheme: id,
			cycle: 0,
			member: 11,
			amount: 100
		}));
		assert!(Settlement::claim_payout(RuntimeOrigin::signed(11), id).is_err());
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ALICE), CASH_ID.into(), 11));
		assert_ok!(Settlement::claim_payout(RuntimeOrigin::signed(11), id));
		assert_eq!(cash_of(11), 600);
		assert_noop!(
			Settlement::claim_payout(RuntimeOrigin::signed(11), id),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn a_thousand_payments_among_twenty_members_settle_in_at_most_twenty_transfers() {
	test(|| {
		let members: Vec<AccountId> = (10..30).collect();
		let id = scheme(&members, 1_000_000, 1_000_000);
		let before: Vec<Balance> = members.iter().map(|&m| cash_of(m)).collect();
		// A fixed pseudo-random sequence: who pays whom how much.
		let mut seed: u64 = 7;
		let mut next = || {
			seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
			seed >> 33
		};
		let mut gross = 0;
		for _ in 0..1_000 {
			let from = members[(next() % 20) as usize];
			let mut to = members[(next() % 20) as usize];
			if to == from {
				to = members[((to - 10 + 1) % 20) as usize];
			}
			let amount = 100 + next() % 10_000;
			gross += amount;
			pay(id, from, to, amount);
		}
		run_to(CYCLE + 1);
		let summary = last_summary(id);
		assert_eq!(summary.gross, gross);
		assert!(summary.transfers <= 20, "{} transfers", summary.transfers);
		// Every member's balance moved by exactly its net position.
		let mut net_moved = 0;
		for (i, &m) in members.iter().enumerate() {
			net_moved += cash_of(m).abs_diff(before[i]);
		}
		assert_eq!(net_moved, 2 * summary.net);
		println!(
			"1,000 payments among 20 members: gross {}, net {}, liquidity needed {:.1}% of gross, {} transfers",
			summary.gross,
			summary.net,
			100.0 * summary.net as f64 / summary.gross as f64,
			summary.transfers
		);
	});
}

#[test]
fn payments_in_a_regulated_asset_pass_its_rules_when_they_clear() {
	test(|| {
		fund(OPERATOR, 0);
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), SECURITY_ID.into(), OPERATOR, 10));
		assert_ok!(Settlement::create_scheme(RuntimeOrigin::root(), OPERATOR, security(), CYCLE));
		assert_ok!(Settlement::open_scheme(RuntimeOrigin::signed(OPERATOR), 0));
		assert!(crate::Schemes::<Test>::get(0).unwrap().guarded);
		for m in [10, 11] {
			fund(m, 0);
			assert_ok!(Settlement::add_member(RuntimeOrigin::signed(OPERATOR), 0, m, 100));
		}
		GuardRefuses::set(&Some(11));
		assert_noop!(Settlement::pay(RuntimeOrigin::signed(10), 0, 11, 5), NOT_KYC);
		GuardRefuses::set(&None);
		assert_ok!(Settlement::pay(RuntimeOrigin::signed(10), 0, 11, 5));
		assert_eq!(GuardSeen::get(), vec![(10, 11, 5)]);
		let view = Settlement::member(0, 10).unwrap();
		assert_eq!((view.paid, view.received, view.net_debit_cap), (5, 0, 100));
		assert_eq!(Settlement::member(0, 99), None);
		// A scheme in an asset without rules never asks the guard.
		let cash_scheme = scheme(&[12, 13], 100, 100);
		assert!(!crate::Schemes::<Test>::get(cash_scheme).unwrap().guarded);
		pay(cash_scheme, 12, 13, 5);
		assert_eq!(GuardSeen::get().len(), 1);
	});
}
