//! Unit tests of instructions: every call, every error, and the failure report.

use crate::{mock::*, Error, Event, ExecutionFailure, Instructions, LegOf, Scheduled};
use crate::{Leg, LegAsset, SettlementType};
use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::InspectHold as _,
			fungibles::{Inspect as _, InspectHold as _},
		},
		BoundedVec,
	},
	sp_runtime::{DispatchError, TokenError},
};

type Settlement = crate::Pallet<Test>;

pub(super) fn leg(
	from: AccountId,
	to: AccountId,
	asset: AssetKind,
	amount: Balance,
) -> LegOf<Test> {
	Leg { from, to, asset: LegAsset::Fungible { asset, amount }, hash_lock: None }
}

/// Alice delivers 10 `SECURITY` to Bob against 100 `CASH`, and Bob pays Charlie a fee of 5.
pub(super) fn dvp_legs() -> Vec<LegOf<Test>> {
	vec![
		leg(ALICE, BOB, security(), 10),
		leg(BOB, ALICE, cash(), 100),
		leg(BOB, CHARLIE, cash(), 5),
	]
}

pub(super) fn create(
	by: AccountId,
	legs: Vec<LegOf<Test>>,
	settlement: SettlementType<u64>,
	receivers_affirm: bool,
) -> u64 {
	let id = crate::NextInstructionId::<Test>::get();
	assert_ok!(Settlement::create_instruction(
		RuntimeOrigin::signed(by),
		None,
		BoundedVec::truncate_from(legs),
		settlement,
		receivers_affirm,
		100,
	));
	id
}

pub(super) fn balance(asset: AssetKind, who: AccountId) -> Balance {
	NativeAndAssets::balance(asset, &who)
}

pub(super) fn held(asset: AssetKind, who: AccountId) -> Balance {
	NativeAndAssets::balance_on_hold(
		asset,
		&RuntimeHoldReason::Settlement(crate::HoldReason::Instruction),
		&who,
	)
}

pub(super) fn deposit_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(
		&RuntimeHoldReason::Settlement(crate::HoldReason::StorageDeposit),
		&who,
	)
}

pub(super) fn affirm(who: AccountId, id: u64) {
	assert_ok!(Settlement::affirm(RuntimeOrigin::signed(who), id));
}

#[test]
fn three_leg_dvp_settles_atomically_on_the_last_affirmation() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::OnAffirmation, false);
		assert!(deposit_held(CHARLIE) > 0);
		affirm(ALICE, id);
		assert_eq!(held(security(), ALICE), 10);
		assert!(Instructions::<Test>::contains_key(id));
		affirm(BOB, id);
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(balance(security(), BOB), 10);
		assert_eq!(balance(security(), ALICE), 90);
		assert_eq!(balance(cash(), ALICE), 100);
		assert_eq!(balance(cash(), CHARLIE), 5);
		assert_eq!(balance(cash(), BOB), 895);
		assert_eq!(held(cash(), BOB), 0);
		assert_eq!(held(security(), ALICE), 0);
		assert_eq!(deposit_held(CHARLIE), 0);
		assert_eq!(GuardSeen::get(), vec![(ALICE, BOB, 10)]);
		let events = events();
		assert!(matches!(events[0], Event::InstructionCreated { id: 0, creator: CHARLIE, .. }));
		assert_eq!(
			events[1..],
			[
				Event::Affirmed { id, party: ALICE },
				Event::Affirmed { id, party: BOB },
				Event::Executed { id },
			]
		);
	});
}

#[test]
fn the_deposit_is_priced_by_the_bytes_stored_and_returned() {
	test(|| {
		DepositBase::set(7);
		DepositPerByte::set(2);
		let id = create(CHARLIE, dvp_legs(), SettlementType::Manual, false);
		let instruction = Instructions::<Test>::get(id).unwrap();
		let bytes = crate::instructions::instruction_bytes::<Test>(&instruction) as u64;
		assert_eq!(instruction.deposit.amount, 7 + 2 * bytes);
		assert_eq!(deposit_held(CHARLIE), 7 + 2 * bytes);
		// The price changes; the refund is what was held.
		DepositBase::set(1_000);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(deposit_held(CHARLIE), 0);
		assert_eq!(balance(NATIVE, CHARLIE), 1_000);
	});
}

#[test]
fn creation_refuses_malformed_instructions() {
	test(|| {
		let c = |legs: Vec<LegOf<Test>>, settlement, expires_at| {
			Settlement::create_instruction(
				RuntimeOrigin::signed(CHARLIE),
				None,
				BoundedVec::truncate_from(legs),
				settlement,
				false,
				expires_at,
			)
		};
		let ok = || vec![leg(ALICE, BOB, security(), 1)];
		assert_noop!(c(vec![], SettlementType::Manual, 10), Error::<Test>::NoLegs);
		assert_noop!(
			c(vec![leg(ALICE, BOB, security(), 0)], SettlementType::Manual, 10),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			c(vec![leg(ALICE, ALICE, security(), 1)], SettlementType::Manual, 10),
			Error::<Test>::SelfLeg
		);
		assert_noop!(
			c(vec![leg(ALICE, BOB, NativeOrWithId::WithId(77), 1)], SettlementType::Manual, 10),
			Error::<Test>::UnknownAsset
		);
		assert_noop!(c(ok(), SettlementType::Manual, 1), Error::<Test>::BadExpiry);
		assert_noop!(c(ok(), SettlementType::Manual, 1_002), Error::<Test>::BadExpiry);
		assert_noop!(c(ok(), SettlementType::AtBlock(1), 10), Error::<Test>::BadSettlementBlock);
		assert_noop!(c(ok(), SettlementType::AtBlock(10), 10), Error::<Test>::BadSettlementBlock);
		// Two fit in a block (the mock's `MaxScheduledPerBlock`), not three.
		assert_ok!(c(ok(), SettlementType::AtBlock(5), 10));
		assert_ok!(c(ok(), SettlementType::AtBlock(5), 10));
		assert_noop!(c(ok(), SettlementType::AtBlock(5), 10), Error::<Test>::BlockFull);
		// A creator without the native balance for the deposit.
		assert_noop!(
			Settlement::create_instruction(
				RuntimeOrigin::signed(NOBODY),
				None,
				BoundedVec::truncate_from(ok()),
				SettlementType::Manual,
				false,
				10
			),
			Error::<Test>::CannotPayDeposit
		);
	});
}

#[test]
fn affirmation_holds_the_senders_units_and_refuses_what_it_cannot() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::Manual, false);
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::UnknownInstruction
		);
		assert_noop!(Settlement::affirm(RuntimeOrigin::signed(DAVE), id), Error::<Test>::NotParty);
		affirm(BOB, id);
		// Both of Bob's cash legs are held together.
		assert_eq!(held(cash(), BOB), 105);
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::AlreadyAffirmed
		);
		// Alice's 10 units on hold elsewhere leave 90: a second instruction of 95 is refused.
		affirm(ALICE, id);
		let big =
			create(CHARLIE, vec![leg(ALICE, DAVE, security(), 95)], SettlementType::Manual, false);
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(ALICE), big),
			Error::<Test>::InsufficientBalance
		);
		run_to(100);
		assert_noop!(Settlement::affirm(RuntimeOrigin::signed(ALICE), big), Error::<Test>::Expired);
	});
}

#[test]
fn a_sender_with_two_legs_of_one_asset_must_cover_both() {
	test(|| {
		let id = create(
			CHARLIE,
			vec![leg(BOB, ALICE, cash(), 600), leg(BOB, CHARLIE, cash(), 600)],
			SettlementType::Manual,
			false,
		);
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(
			Settlement::execution_failures(id)
				.into_iter()
				.filter(|f| matches!(f, ExecutionFailure::InsufficientBalance { .. }))
				.count(),
			2
		);
	});
}

#[test]
fn receivers_affirm_when_the_instruction_asks_them_to() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::OnAffirmation, true);
		affirm(ALICE, id);
		affirm(BOB, id);
		// Charlie receives the fee and has not affirmed; Alice's and Bob's receipts are affirmed.
		assert!(Instructions::<Test>::contains_key(id));
		assert_eq!(
			Settlement::execution_failures(id),
			vec![ExecutionFailure::ReceiverNotAffirmed { leg: 2, receiver: CHARLIE }]
		);
		affirm(CHARLIE, id);
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(balance(cash(), CHARLIE), 5);
	});
}

#[test]
fn a_leg_refused_by_the_rules_leaves_the_instruction_pending_not_half_settled() {
	test(|| {
		GuardRefuses::set(&Some(BOB));
		let id = create(CHARLIE, dvp_legs(), SettlementType::OnAffirmation, false);
		// The refusal is reported before anything is submitted.
		assert!(Settlement::execution_failures(id)
			.contains(&ExecutionFailure::Refused { leg: 0, error: NOT_KYC }));
		affirm(ALICE, id);
		affirm(BOB, id);
		assert!(events().contains(&Event::ExecutionFailed { id, error: NOT_KYC }));
		assert!(Instructions::<Test>::contains_key(id));
		// Nothing moved: the cash legs that came before or after did not settle either.
		assert_eq!(balance(cash(), ALICE), 0);
		assert_eq!(balance(cash(), CHARLIE), 0);
		assert_eq!(held(cash(), BOB), 105);
		assert_eq!(held(security(), ALICE), 10);
		assert_noop!(Settlement::execute(RuntimeOrigin::signed(BOB), id), NOT_KYC);
		// Bob passes KYC: any party settles it.
		GuardRefuses::set(&None);
		assert_eq!(Settlement::execution_failures(id), vec![]);
		assert_ok!(Settlement::execute(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(balance(security(), BOB), 10);
	});
}

#[test]
fn a_leg_held_for_review_keeps_the_instruction_pending() {
	test(|| {
		GuardReviews::set(&Some(BOB));
		let id = create(CHARLIE, dvp_legs(), SettlementType::OnAffirmation, false);
		affirm(ALICE, id);
		affirm(BOB, id);
		assert!(events().contains(&Event::ExecutionFailed { id, error: REVIEW }));
		assert_eq!(
			Settlement::execution_failures(id),
			vec![ExecutionFailure::Refused { leg: 0, error: REVIEW }]
		);
		assert_eq!(balance(security(), BOB), 0);
		assert_eq!((balance(cash(), BOB), held(cash(), BOB)), (895, 105));
		GuardReviews::set(&None);
		assert_ok!(Settlement::execute(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(balance(security(), BOB), 10);
	});
}

#[test]
fn withdrawing_releases_the_holds() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::OnAffirmation, true);
		assert_noop!(
			Settlement::withdraw_affirmation(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotAffirmed
		);
		assert_noop!(
			Settlement::withdraw_affirmation(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::NotParty
		);
		affirm(BOB, id);
		assert_eq!(held(cash(), BOB), 105);
		assert_ok!(Settlement::withdraw_affirmation(RuntimeOrigin::signed(BOB), id));
		assert_eq!(held(cash(), BOB), 0);
		assert_eq!(balance(cash(), BOB), 1_000);
		// Both Bob's sending legs and his receipt need affirming again.
		let failures = Settlement::execution_failures(id);
		assert!(failures.contains(&ExecutionFailure::SenderNotAffirmed { leg: 1, sender: BOB }));
		assert!(failures.contains(&ExecutionFailure::ReceiverNotAffirmed { leg: 0, receiver: BOB }));
		assert_eq!(events().last(), Some(&Event::AffirmationWithdrawn { id, party: BOB }));
	});
}

#[test]
fn a_party_or_the_creator_rejects_and_everything_is_released() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::Manual, false);
		affirm(ALICE, id);
		affirm(BOB, id);
		assert_noop!(Settlement::reject(RuntimeOrigin::signed(DAVE), id), Error::<Test>::NotParty);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(BOB), id));
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!((held(cash(), BOB), held(security(), ALICE)), (0, 0));
		assert_eq!((balance(cash(), BOB), balance(security(), ALICE)), (1_000, 100));
		assert_eq!(deposit_held(CHARLIE), 0);
		assert_eq!(events().last(), Some(&Event::Rejected { id, by: BOB }));
		// The creator may reject though it is no party.
		let id = create(DAVE, dvp_legs(), SettlementType::Manual, false);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(DAVE), id));
		assert_noop!(
			Settlement::reject(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::UnknownInstruction
		);
	});
}

#[test]
fn an_expired_instruction_is_released_by_anyone() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::Manual, false);
		affirm(ALICE, id);
		assert_noop!(
			Settlement::release_expired(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::NotExpired
		);
		run_to(100);
		assert_eq!(Settlement::execution_failures(id)[0], ExecutionFailure::Expired { at: 100 });
		affirm_fails_expired(BOB, id);
		assert_ok!(Settlement::release_expired(RuntimeOrigin::signed(DAVE), id));
		assert_eq!(held(security(), ALICE), 0);
		assert_eq!(deposit_held(CHARLIE), 0);
		assert_eq!(events().last(), Some(&Event::Expired { id }));
		assert_eq!(Settlement::execution_failures(id), vec![ExecutionFailure::UnknownInstruction]);
	});
}

fn affirm_fails_expired(who: AccountId, id: u64) {
	assert_noop!(Settlement::affirm(RuntimeOrigin::signed(who), id), Error::<Test>::Expired);
}

#[test]
fn a_manual_instruction_settles_on_a_partys_call_only_when_ready() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::Manual, false);
		affirm(ALICE, id);
		assert_noop!(
			Settlement::execute(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::NotAffirmedByAll
		);
		affirm(BOB, id);
		assert!(Instructions::<Test>::contains_key(id));
		assert_noop!(Settlement::execute(RuntimeOrigin::signed(DAVE), id), Error::<Test>::NotParty);
		assert_ok!(Settlement::execute(RuntimeOrigin::signed(BOB), id));
		assert_eq!(balance(cash(), ALICE), 100);
		assert_eq!(events().last(), Some(&Event::Executed { id }));
	});
}

#[test]
fn a_scheduled_instruction_settles_at_its_block() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::AtBlock(5), false);
		assert_eq!(Scheduled::<Test>::get(5).to_vec(), vec![id]);
		affirm(ALICE, id);
		affirm(BOB, id);
		assert!(Instructions::<Test>::contains_key(id));
		assert_noop!(Settlement::execute(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotDue);
		assert!(Settlement::execution_failures(id).contains(&ExecutionFailure::NotDue { at: 5 }));
		run_to(4);
		assert!(Instructions::<Test>::contains_key(id));
		run_to(5);
		assert!(!Instructions::<Test>::contains_key(id));
		assert!(!Scheduled::<Test>::contains_key(5));
		assert_eq!(balance(security(), BOB), 10);
	});
}

#[test]
fn a_failed_scheduled_attempt_leaves_it_to_the_parties() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::AtBlock(5), false);
		affirm(ALICE, id);
		run_to(5);
		assert!(events().contains(&Event::ExecutionFailed {
			id,
			error: Error::<Test>::NotAffirmedByAll.into()
		}));
		assert!(Instructions::<Test>::contains_key(id));
		// Bob's affirmation does not settle it by itself (it is not `OnAffirmation`)...
		affirm(BOB, id);
		assert!(Instructions::<Test>::contains_key(id));
		// ...a party's call does.
		assert_ok!(Settlement::execute(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(balance(security(), BOB), 10);
	});
}

#[test]
fn rejecting_a_scheduled_instruction_drops_it_from_the_schedule() {
	test(|| {
		let id = create(CHARLIE, dvp_legs(), SettlementType::AtBlock(5), false);
		let other = create(CHARLIE, dvp_legs(), SettlementType::AtBlock(5), false);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Scheduled::<Test>::get(5).to_vec(), vec![other]);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(ALICE), other));
		assert!(!Scheduled::<Test>::contains_key(5));
		run_to(6);
	});
}

const SECRET: &[u8] = b"the payment on the other chain";

fn locked_delivery() -> Vec<LegOf<Test>> {
	let digest = polkadot_sdk::sp_io::hashing::sha2_256(SECRET);
	vec![Leg { hash_lock: Some(digest), ..leg(ALICE, BOB, security(), 10) }]
}

#[test]
fn a_hash_locked_delivery_settles_when_the_preimage_is_revealed() {
	test(|| {
		let id = create(CHARLIE, locked_delivery(), SettlementType::OnAffirmation, true);
		affirm(ALICE, id);
		affirm(BOB, id);
		// Committed: Alice cannot back out while Bob may have paid on the other chain.
		assert_noop!(
			Settlement::withdraw_affirmation(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::Committed
		);
		assert_noop!(
			Settlement::reject(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::Committed
		);
		assert_eq!(
			Settlement::execution_failures(id),
			vec![ExecutionFailure::PreimageMissing { leg: 0 }]
		);
		assert_noop!(
			Settlement::execute(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::PreimageMissing
		);
		assert_noop!(
			Settlement::reveal_preimage(
				RuntimeOrigin::signed(BOB),
				id,
				BoundedVec::truncate_from(b"wrong".to_vec())
			),
			Error::<Test>::WrongPreimage
		);
		let preimage = BoundedVec::truncate_from(SECRET.to_vec());
		// Anyone who learned it (from the HTLC claim on the other chain) reveals it.
		assert_ok!(Settlement::reveal_preimage(RuntimeOrigin::signed(DAVE), id, preimage.clone()));
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(balance(security(), BOB), 10);
		let events = events();
		assert_eq!(
			events[events.len() - 2..],
			[Event::PreimageRevealed { id, preimage, legs: 1 }, Event::Executed { id },]
		);
	});
}

#[test]
fn a_preimage_revealed_before_the_affirmations_settles_on_the_last_one() {
	test(|| {
		let id = create(CHARLIE, locked_delivery(), SettlementType::OnAffirmation, false);
		// Not committed yet: Alice has not affirmed, so she may still reject.
		assert_ok!(Settlement::reveal_preimage(
			RuntimeOrigin::signed(BOB),
			id,
			BoundedVec::truncate_from(SECRET.to_vec())
		));
		assert_noop!(
			Settlement::reveal_preimage(
				RuntimeOrigin::signed(BOB),
				id,
				BoundedVec::truncate_from(SECRET.to_vec())
			),
			Error::<Test>::WrongPreimage
		);
		affirm(ALICE, id);
		assert_eq!(balance(security(), BOB), 10);
	});
}

#[test]
fn a_committed_instruction_whose_preimage_never_came_is_released_at_expiry() {
	test(|| {
		let id = create(CHARLIE, locked_delivery(), SettlementType::OnAffirmation, false);
		affirm(ALICE, id);
		run_to(100);
		assert_noop!(
			Settlement::reveal_preimage(
				RuntimeOrigin::signed(BOB),
				id,
				BoundedVec::truncate_from(SECRET.to_vec())
			),
			Error::<Test>::Expired
		);
		assert_ok!(Settlement::release_expired(RuntimeOrigin::signed(BOB), id));
		assert_eq!(balance(security(), ALICE), 100);
		assert_eq!(held(security(), ALICE), 0);
	});
}

#[test]
fn the_report_lists_every_reason_at_once() {
	test(|| {
		GuardRefuses::set(&Some(BOB));
		let digest = polkadot_sdk::sp_io::hashing::sha2_256(SECRET);
		let legs = vec![
			Leg { hash_lock: Some(digest), ..leg(ALICE, BOB, security(), 10) },
			leg(DAVE, CHARLIE, cash(), 5),
			leg(CHARLIE, NOBODY, NATIVE, 5),
		];
		let id = create(CHARLIE, legs, SettlementType::AtBlock(50), true);
		assert_eq!(
			Settlement::execution_failures(id),
			vec![
				ExecutionFailure::NotDue { at: 50 },
				ExecutionFailure::SenderNotAffirmed { leg: 0, sender: ALICE },
				ExecutionFailure::ReceiverNotAffirmed { leg: 0, receiver: BOB },
				ExecutionFailure::PreimageMissing { leg: 0 },
				ExecutionFailure::SenderNotAffirmed { leg: 1, sender: DAVE },
				ExecutionFailure::ReceiverNotAffirmed { leg: 1, receiver: CHARLIE },
				ExecutionFailure::SenderNotAffirmed { leg: 2, sender: CHARLIE },
				ExecutionFailure::ReceiverNotAffirmed { leg: 2, receiver: NOBODY },
				// Dave holds no cash.
				ExecutionFailure::InsufficientBalance { leg: 1, sender: DAVE },
				ExecutionFailure::Refused { leg: 0, error: NOT_KYC },
				// 5 native is below the existential deposit of an account that does not exist.
				ExecutionFailure::Refused {
					leg: 2,
					error: DispatchError::Token(TokenError::BelowMinimum)
				},
			]
		);
	});
}

#[test]
fn units_held_for_the_instruction_itself_count_as_available() {
	// polymesh-sdk#889: a pre-check that counts an instruction's own held units as unavailable
	// reports a failure that would not happen.
	test(|| {
		// All Alice can hold: a holder keeps the asset's minimum balance (1) on a hold.
		let all =
			create(CHARLIE, vec![leg(ALICE, BOB, security(), 99)], SettlementType::Manual, false);
		affirm(ALICE, all);
		assert_eq!((balance(security(), ALICE), held(security(), ALICE)), (1, 99));
		assert_eq!(Settlement::execution_failures(all), vec![]);
		// The same units are not available to another instruction.
		let again =
			create(CHARLIE, vec![leg(ALICE, DAVE, security(), 50)], SettlementType::Manual, false);
		assert!(Settlement::execution_failures(again)
			.contains(&ExecutionFailure::InsufficientBalance { leg: 0, sender: ALICE }));
	});
}

#[test]
fn a_receiver_that_cannot_hold_the_amount_fails_the_whole_instruction() {
	test(|| {
		let id = create(
			CHARLIE,
			vec![leg(ALICE, BOB, security(), 10), leg(DAVE, NOBODY, NATIVE, 5)],
			SettlementType::Manual,
			false,
		);
		affirm(ALICE, id);
		affirm(DAVE, id);
		assert!(Settlement::execute(RuntimeOrigin::signed(ALICE), id).is_err());
		assert_eq!(balance(security(), BOB), 0);
		assert!(Instructions::<Test>::contains_key(id));
	});
}

#[test]
fn native_legs_settle_too() {
	test(|| {
		let id = create(
			CHARLIE,
			vec![leg(ALICE, DAVE, NATIVE, 300), leg(DAVE, ALICE, security(), 0 + 1)],
			SettlementType::OnAffirmation,
			false,
		);
		// Dave holds no security: he cannot affirm.
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(DAVE), id),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(DAVE), id));
		let id = create(
			CHARLIE,
			vec![leg(ALICE, DAVE, NATIVE, 300)],
			SettlementType::OnAffirmation,
			false,
		);
		affirm(ALICE, id);
		assert_eq!(balance(NATIVE, DAVE), 1_300);
		assert_eq!(balance(NATIVE, ALICE), 700);
	});
}
