//! Unit tests of NFT legs: escrow at affirmation, atomic settlement against fungible legs,
//! release on every way out, and what the report says when the item cannot move.

use super::instructions::{affirm, balance, create, deposit_held, held, leg};
use crate::{
	mock::*, Error, EscrowedNfts, ExecutionFailure, Instructions, Leg, LegAsset, LegOf,
	SettlementType,
};
use polkadot_sdk::frame_support::{assert_noop, assert_ok, BoundedVec};

type Settlement = crate::Pallet<Test>;

const DEEDS: u32 = 7;

fn nft(from: AccountId, to: AccountId, item: u32) -> LegOf<Test> {
	Leg { from, to, asset: LegAsset::Nft { collection: DEEDS, item }, hash_lock: None }
}

/// Alice delivers deed 1 to Bob against 100 cash.
fn deed_for_cash() -> Vec<LegOf<Test>> {
	Nfts::mint(DEEDS, 1, ALICE);
	vec![nft(ALICE, BOB, 1), leg(BOB, ALICE, cash(), 100)]
}

#[test]
fn an_nft_settles_against_cash_all_or_nothing() {
	test(|| {
		let id = create(CHARLIE, deed_for_cash(), SettlementType::OnAffirmation, false);
		affirm(ALICE, id);
		// In escrow for this instruction: the NFT ledger and ours agree.
		assert_eq!(Nfts::entry(DEEDS, 1), Some((ALICE, true)));
		assert_eq!(EscrowedNfts::<Test>::get(DEEDS, 1), Some(id));
		affirm(BOB, id);
		assert!(!Instructions::<Test>::contains_key(id));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((BOB, false)));
		assert!(!EscrowedNfts::<Test>::contains_key(DEEDS, 1));
		assert_eq!(balance(cash(), ALICE), 100);
		assert_eq!(held(cash(), BOB), 0);
		assert_eq!(deposit_held(CHARLIE), 0);
	});
}

#[test]
fn an_nft_leg_that_cannot_move_leaves_every_leg_in_place() {
	test(|| {
		let id = create(CHARLIE, deed_for_cash(), SettlementType::Manual, false);
		affirm(ALICE, id);
		affirm(BOB, id);
		GuardRefuses::set(&Some(BOB));
		assert_eq!(
			Settlement::execution_failures(id),
			vec![ExecutionFailure::Refused { leg: 0, error: NOT_KYC }]
		);
		assert_noop!(Settlement::execute(RuntimeOrigin::signed(BOB), id), NOT_KYC);
		assert_eq!(held(cash(), BOB), 100);
		assert_eq!(Nfts::entry(DEEDS, 1), Some((ALICE, true)));
		GuardRefuses::set(&None);
		assert_ok!(Settlement::execute(RuntimeOrigin::signed(BOB), id));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((BOB, false)));
	});
}

#[test]
fn every_way_out_releases_the_escrow() {
	test(|| {
		let id = create(CHARLIE, deed_for_cash(), SettlementType::Manual, false);
		affirm(ALICE, id);
		assert_ok!(Settlement::withdraw_affirmation(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((ALICE, false)));
		assert!(!EscrowedNfts::<Test>::contains_key(DEEDS, 1));
		affirm(ALICE, id);
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(BOB), id));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((ALICE, false)));
		let again = create(CHARLIE, vec![nft(ALICE, BOB, 1)], SettlementType::Manual, false);
		affirm(ALICE, again);
		run_to(100);
		assert_ok!(Settlement::release_expired(RuntimeOrigin::signed(DAVE), again));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((ALICE, false)));
		assert_eq!(deposit_held(CHARLIE), 0);
	});
}

#[test]
fn an_nft_is_in_escrow_for_one_instruction_at_a_time() {
	test(|| {
		let first = create(CHARLIE, deed_for_cash(), SettlementType::Manual, false);
		let second = create(CHARLIE, vec![nft(ALICE, DAVE, 1)], SettlementType::Manual, false);
		assert_eq!(
			Settlement::execution_failures(second),
			vec![ExecutionFailure::SenderNotAffirmed { leg: 0, sender: ALICE }]
		);
		affirm(ALICE, first);
		assert_noop!(
			Settlement::affirm(RuntimeOrigin::signed(ALICE), second),
			Error::<Test>::NftInEscrow
		);
		assert_eq!(
			Settlement::execution_failures(second),
			vec![
				ExecutionFailure::SenderNotAffirmed { leg: 0, sender: ALICE },
				ExecutionFailure::Refused { leg: 0, error: Error::<Test>::NftInEscrow.into() },
			]
		);
		// Bob does not own deed 2.
		Nfts::mint(DEEDS, 2, ALICE);
		let wrong = create(CHARLIE, vec![nft(BOB, DAVE, 2)], SettlementType::Manual, false);
		assert_noop!(Settlement::affirm(RuntimeOrigin::signed(BOB), wrong), NOT_OWNER);
	});
}

#[test]
fn an_item_an_authority_moved_fails_the_instruction_until_released() {
	test(|| {
		let id = create(CHARLIE, deed_for_cash(), SettlementType::Manual, false);
		affirm(ALICE, id);
		affirm(BOB, id);
		// A regulator moves the deed away: the NFT ledger ends its escrow.
		Nfts::force_move(DEEDS, 1, DAVE);
		assert_eq!(
			Settlement::execution_failures(id),
			vec![ExecutionFailure::Refused { leg: 0, error: NOT_OWNER }]
		);
		assert_noop!(Settlement::execute(RuntimeOrigin::signed(BOB), id), NOT_ESCROWED);
		// Withdrawing does not touch Dave's item; Bob's cash returns on rejection.
		assert_ok!(Settlement::withdraw_affirmation(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Nfts::entry(DEEDS, 1), Some((DAVE, false)));
		assert_ok!(Settlement::reject(RuntimeOrigin::signed(BOB), id));
		assert_eq!(held(cash(), BOB), 0);
	});
}

#[test]
fn creation_refuses_unknown_and_repeated_nfts() {
	test(|| {
		Nfts::mint(DEEDS, 1, ALICE);
		let c = |legs: Vec<LegOf<Test>>| {
			Settlement::create_instruction(
				RuntimeOrigin::signed(CHARLIE),
				None,
				BoundedVec::truncate_from(legs),
				SettlementType::Manual,
				false,
				10,
			)
		};
		assert_noop!(c(vec![nft(ALICE, BOB, 2)]), Error::<Test>::UnknownAsset);
		assert_noop!(c(vec![nft(ALICE, BOB, 1), nft(ALICE, DAVE, 1)]), Error::<Test>::DuplicateNft);
		assert_noop!(c(vec![nft(ALICE, ALICE, 1)]), Error::<Test>::SelfLeg);
	});
}

#[test]
fn an_nft_legs_escrow_records_are_in_the_deposit() {
	test(|| {
		Nfts::mint(DEEDS, 1, ALICE);
		let with_nft = create(CHARLIE, vec![nft(ALICE, BOB, 1)], SettlementType::Manual, false);
		let with_cash =
			create(CHARLIE, vec![leg(ALICE, BOB, cash(), 1)], SettlementType::Manual, false);
		let deposit = |id| Instructions::<Test>::get(id).unwrap().deposit.amount;
		// The NFT leg encodes in fewer bytes than the cash leg, yet pays for two escrow records.
		assert!(deposit(with_nft) > deposit(with_cash) + 2 * 32);
	});
}
