//! Unit tests of venues: ownership, the receivers-affirm policy, and receivers' pre-approvals.

use super::instructions::{affirm, deposit_held, dvp_legs, leg};
use crate::{mock::*, Error, Event, Instructions, SettlementType, VenuePreapprovals, Venues};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, BoundedVec};

type Settlement = crate::Pallet<Test>;

fn venue(owner: AccountId, receivers_affirm: bool) -> u64 {
	let id = crate::NextVenueId::<Test>::get();
	assert_ok!(Settlement::create_venue(RuntimeOrigin::signed(owner), receivers_affirm));
	id
}

fn create_in(venue: Option<u64>, by: AccountId, receivers_affirm: bool) -> u64 {
	let id = crate::NextInstructionId::<Test>::get();
	assert_ok!(Settlement::create_instruction(
		RuntimeOrigin::signed(by),
		venue,
		BoundedVec::truncate_from(dvp_legs()),
		SettlementType::OnAffirmation,
		receivers_affirm,
		100,
	));
	id
}

#[test]
fn a_venue_is_paid_for_and_managed_by_its_owner() {
	test(|| {
		let v = venue(CHARLIE, false);
		let held = deposit_held(CHARLIE);
		assert!(held > 0);
		assert_eq!(
			events().last(),
			Some(&Event::VenueCreated {
				venue: v,
				owner: CHARLIE,
				receivers_affirm: false,
				deposit: held
			})
		);
		assert_noop!(
			Settlement::set_venue_policy(RuntimeOrigin::signed(ALICE), v, true),
			Error::<Test>::NotVenueOwner
		);
		assert_noop!(
			Settlement::set_venue_policy(RuntimeOrigin::signed(CHARLIE), 9, true),
			Error::<Test>::UnknownVenue
		);
		assert_ok!(Settlement::set_venue_policy(RuntimeOrigin::signed(CHARLIE), v, true));
		assert!(Venues::<Test>::get(v).unwrap().receivers_affirm);
		assert_noop!(
			Settlement::remove_venue(RuntimeOrigin::signed(ALICE), v),
			Error::<Test>::NotVenueOwner
		);
		assert_ok!(Settlement::remove_venue(RuntimeOrigin::signed(CHARLIE), v));
		assert_eq!(deposit_held(CHARLIE), 0);
		assert_eq!(events().last(), Some(&Event::VenueRemoved { venue: v }));
		assert_noop!(
			Settlement::remove_venue(RuntimeOrigin::signed(CHARLIE), v),
			Error::<Test>::UnknownVenue
		);
		assert_noop!(
			Settlement::create_venue(RuntimeOrigin::signed(NOBODY), true),
			Error::<Test>::CannotPayDeposit
		);
	});
}

#[test]
fn only_the_owner_creates_in_a_venue_and_its_policy_asks_receivers_to_affirm() {
	test(|| {
		let v = venue(CHARLIE, true);
		let c = |by, venue| {
			Settlement::create_instruction(
				RuntimeOrigin::signed(by),
				venue,
				BoundedVec::truncate_from(vec![leg(ALICE, BOB, security(), 1)]),
				SettlementType::Manual,
				false,
				10,
			)
		};
		assert_noop!(c(ALICE, Some(v)), Error::<Test>::NotVenueOwner);
		assert_noop!(c(CHARLIE, Some(v + 1)), Error::<Test>::UnknownVenue);
		// The venue's policy adds to the instruction's own `false`.
		let id = create_in(Some(v), CHARLIE, false);
		let instruction = Instructions::<Test>::get(id).unwrap();
		assert!(instruction.receivers_affirm);
		assert_eq!(instruction.venue, Some(v));
		affirm(ALICE, id);
		affirm(BOB, id);
		// Alice and Charlie receive: Alice affirmed as a sender too; Charlie has not.
		assert!(Instructions::<Test>::contains_key(id));
		affirm(CHARLIE, id);
		assert!(!Instructions::<Test>::contains_key(id));
	});
}

#[test]
fn a_receiver_that_preapproved_the_venue_need_not_affirm() {
	test(|| {
		let v = venue(DAVE, true);
		assert_noop!(
			Settlement::preapprove_venue(RuntimeOrigin::signed(CHARLIE), v + 1),
			Error::<Test>::UnknownVenue
		);
		assert_ok!(Settlement::preapprove_venue(RuntimeOrigin::signed(CHARLIE), v));
		assert!(deposit_held(CHARLIE) > 0);
		assert_noop!(
			Settlement::preapprove_venue(RuntimeOrigin::signed(CHARLIE), v),
			Error::<Test>::AlreadyPreapproved
		);
		let id = create_in(Some(v), DAVE, true);
		let legs = Instructions::<Test>::get(id).unwrap().legs;
		// Charlie's fee leg is approved; Bob's and Alice's receiving legs are not.
		assert!(legs[2].1.receiver_affirmed);
		assert!(!legs[0].1.receiver_affirmed && !legs[1].1.receiver_affirmed);
		affirm(ALICE, id);
		affirm(BOB, id);
		assert!(!Instructions::<Test>::contains_key(id));
		// Outside the venue, the pre-approval does not apply.
		let outside = create_in(None, DAVE, true);
		assert!(!Instructions::<Test>::get(outside).unwrap().legs[2].1.receiver_affirmed);
	});
}

#[test]
fn a_preapproval_is_withdrawn_even_after_its_venue_is_gone() {
	test(|| {
		let v = venue(DAVE, true);
		assert_ok!(Settlement::preapprove_venue(RuntimeOrigin::signed(CHARLIE), v));
		assert_ok!(Settlement::remove_venue(RuntimeOrigin::signed(DAVE), v));
		assert_ok!(Settlement::withdraw_venue_preapproval(RuntimeOrigin::signed(CHARLIE), v));
		assert_eq!(deposit_held(CHARLIE), 0);
		assert!(!VenuePreapprovals::<Test>::contains_key(CHARLIE, v));
		assert_eq!(
			events().last(),
			Some(&Event::VenuePreapprovalWithdrawn { receiver: CHARLIE, venue: v })
		);
		assert_noop!(
			Settlement::withdraw_venue_preapproval(RuntimeOrigin::signed(CHARLIE), v),
			Error::<Test>::NotPreapproved
		);
	});
}
