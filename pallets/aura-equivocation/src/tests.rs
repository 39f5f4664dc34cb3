//! Unit tests: what makes a report valid, what it does, and every way it is refused.
// The pool's checks are `ValidateUnsigned`'s (see the pallet).
#![allow(deprecated)]

use crate::{
	mock::*, sealed_header, AuraEquivocationOffence, Call, EquivocationProofOf, Error, Event,
};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::Pays, pallet_prelude::ValidateUnsigned},
	sp_consensus_aura::AURA_ENGINE_ID,
	sp_consensus_slots::{EquivocationProof, Slot},
	sp_runtime::{
		testing::{Header, TestSignature, UintAuthorityId},
		traits::{Hash, Header as _},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		DigestItem, DispatchError, RuntimeAppPublic,
	},
	*,
};

/// Slot 100's author (slots 96, 92, ... too).
const OFFENDER: AccountId = 1;
const REPORTER: AccountId = 9;

/// A block of `slot` sealed by `author`; `parent` tells two blocks apart.
fn header(slot: u64, author: AccountId, parent: &[u8]) -> Header {
	let key = UintAuthorityId(author);
	sealed_header(1, Slot::from(slot), <Test as frame_system::Config>::Hashing::hash(parent), |m| {
		key.sign(&m).unwrap()
	})
}

/// Two different blocks of `slot`, both sealed by `offender`.
fn equivocation(offender: AccountId, slot: u64) -> EquivocationProofOf<Test> {
	EquivocationProof {
		offender: UintAuthorityId(offender),
		slot: Slot::from(slot),
		first_header: header(slot, offender, b"first"),
		second_header: header(slot, offender, b"second"),
	}
}

fn report(
	origin: RuntimeOrigin,
	proof: EquivocationProofOf<Test>,
) -> polkadot_sdk::frame_support::dispatch::DispatchResultWithPostInfo {
	AuraEquivocation::report_equivocation(origin, Box::new(proof))
}

fn refused(proof: EquivocationProofOf<Test>, error: Error<Test>) {
	assert_noop!(report(RuntimeOrigin::signed(REPORTER), proof), error);
	assert!(offences().is_empty());
}

#[test]
fn a_signed_report_passes_the_offence_on_and_pays_no_fee() {
	new_test_ext().execute_with(|| {
		let info = report(RuntimeOrigin::signed(REPORTER), equivocation(OFFENDER, 100)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(
			offences(),
			vec![(
				vec![REPORTER],
				AuraEquivocationOffence {
					slot: Slot::from(100),
					session_index: 7,
					validator_set_count: 4,
					offender: (OFFENDER, ()),
				}
			)]
		);
		System::assert_last_event(
			Event::EquivocationReported {
				authority: UintAuthorityId(OFFENDER),
				slot: Slot::from(100),
				session: 7,
			}
			.into(),
		);
	});
}

#[test]
fn an_unsigned_report_has_no_reporter() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(RuntimeOrigin::none(), equivocation(OFFENDER, 96)));
		assert_eq!(offences()[0].0, Vec::<AccountId>::new());
	});
}

#[test]
fn root_is_not_a_reporter() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			report(RuntimeOrigin::root(), equivocation(OFFENDER, 100)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_same_offence_is_reported_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(report(RuntimeOrigin::signed(REPORTER), equivocation(OFFENDER, 100)));
		// Other headers, same offender and slot: the same offence.
		let mut again = equivocation(OFFENDER, 100);
		again.second_header = header(100, OFFENDER, b"third");
		assert_noop!(
			report(RuntimeOrigin::signed(1), again),
			Error::<Test>::DuplicateOffenceReport
		);
		// Another slot is another offence.
		assert_ok!(report(RuntimeOrigin::signed(REPORTER), equivocation(OFFENDER, 96)));
		assert_eq!(offences().len(), 2);
	});
}

#[test]
fn one_block_is_no_equivocation_even_sealed_twice() {
	new_test_ext().execute_with(|| {
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header = proof.first_header.clone();
		refused(proof.clone(), Error::<Test>::InvalidEquivocationProof);
		// The same block with another seal (a randomized signature would give one): the seal
		// differs, so the header hashes differ, but the block does not.
		let seal = proof.second_header.digest_mut().pop().unwrap();
		let DigestItem::Seal(engine, mut bytes) = seal else { panic!("a seal") };
		bytes.push(0);
		proof.second_header.digest_mut().push(DigestItem::Seal(engine, bytes));
		assert_ne!(proof.first_header.hash(), proof.second_header.hash());
		refused(proof, Error::<Test>::InvalidEquivocationProof);
	});
}

#[test]
fn both_blocks_must_be_sealed_by_the_offender_for_the_slot() {
	new_test_ext().execute_with(|| {
		// The second block sealed by someone else.
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header = header(100, 3, b"second");
		refused(proof, Error::<Test>::InvalidEquivocationProof);
		// The second block for another slot.
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header = header(99, OFFENDER, b"second");
		refused(proof, Error::<Test>::InvalidEquivocationProof);
		// The proof naming another slot (also the offender's) than its blocks.
		let mut proof = equivocation(OFFENDER, 100);
		proof.slot = Slot::from(96);
		refused(proof, Error::<Test>::InvalidEquivocationProof);
		// A forged seal: the offender's signature of another message.
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header.digest_mut().pop();
		let forged = TestSignature(OFFENDER, b"something else".to_vec());
		proof.second_header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, forged.encode()));
		refused(proof, Error::<Test>::InvalidEquivocationProof);
		// No seal at all, or a seal of another engine.
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header.digest_mut().pop();
		refused(proof.clone(), Error::<Test>::InvalidEquivocationProof);
		proof.second_header.digest_mut().push(DigestItem::Seal(*b"BABE", vec![1, 2, 3]));
		refused(proof, Error::<Test>::InvalidEquivocationProof);
		// A seal that does not decode.
		let mut proof = equivocation(OFFENDER, 100);
		proof.second_header.digest_mut().pop();
		proof.second_header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, vec![7]));
		refused(proof, Error::<Test>::InvalidEquivocationProof);
	});
}

#[test]
fn only_recent_slots_are_reportable() {
	new_test_ext().execute_with(|| {
		// The current slot is 100; ten slots back is the limit.
		refused(equivocation(OFFENDER, 101), Error::<Test>::EquivocationOutOfRange);
		refused(
			equivocation(OFFENDER, 100 - REPORTABLE_SLOTS - 1),
			Error::<Test>::EquivocationOutOfRange,
		);
		assert_ok!(report(
			RuntimeOrigin::signed(REPORTER),
			equivocation(OFFENDER, 100 - REPORTABLE_SLOTS)
		));
	});
}

#[test]
fn only_the_author_of_the_slot_is_reported() {
	new_test_ext().execute_with(|| {
		// Account 9 is no validator; validator 2 does not author slot 100 (validator 1 does).
		refused(equivocation(9, 100), Error::<Test>::NotSlotAuthor);
		refused(equivocation(2, 100), Error::<Test>::NotSlotAuthor);
		// Slot 97 is validator 2's: its two blocks there are its equivocation.
		assert_ok!(report(RuntimeOrigin::signed(REPORTER), equivocation(2, 97)));
		assert_eq!(offences()[0].1.offender, (2, ()));
	});
}

fn unsigned(proof: EquivocationProofOf<Test>) -> Call<Test> {
	Call::report_equivocation { equivocation_proof: Box::new(proof) }
}

#[test]
fn the_pool_takes_an_unsigned_report_only_from_the_node_itself() {
	new_test_ext().execute_with(|| {
		let call = unsigned(equivocation(OFFENDER, 100));
		assert_eq!(
			AuraEquivocation::validate_unsigned(TransactionSource::External, &call),
			InvalidTransaction::Call.into()
		);
		let valid = AuraEquivocation::validate_unsigned(TransactionSource::Local, &call).unwrap();
		assert_eq!(
			valid.provides,
			vec![("AuraEquivocation", (UintAuthorityId(OFFENDER), 100u64)).encode()]
		);
		assert!(!valid.propagate);
		assert_eq!(valid.longevity, 5);
		assert!(AuraEquivocation::validate_unsigned(TransactionSource::InBlock, &call).is_ok());
	});
}

#[test]
fn the_pool_refuses_a_bad_or_known_unsigned_report() {
	new_test_ext().execute_with(|| {
		let mut bad = equivocation(OFFENDER, 100);
		bad.second_header = bad.first_header.clone();
		assert_eq!(
			AuraEquivocation::validate_unsigned(TransactionSource::Local, &unsigned(bad)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		assert_ok!(report(RuntimeOrigin::none(), equivocation(OFFENDER, 100)));
		assert_eq!(
			AuraEquivocation::validate_unsigned(
				TransactionSource::Local,
				&unsigned(equivocation(OFFENDER, 100))
			),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
	});
}

#[test]
fn the_offence_is_shaped_like_babes_and_grandpas() {
	use polkadot_sdk::sp_staking::offence::Offence;
	let offence = AuraEquivocationOffence {
		slot: Slot::from(1),
		session_index: 1,
		validator_set_count: 9,
		offender: 1u64,
	};
	// One of nine: (1/3)^2, about 11%.
	let one = offence.slash_fraction(1);
	assert!(
		one > polkadot_sdk::sp_runtime::Perbill::from_percent(11)
			&& one < polkadot_sdk::sp_runtime::Perbill::from_percent(12)
	);
	assert_eq!(offence.slash_fraction(3), polkadot_sdk::sp_runtime::Perbill::one());
	let empty = AuraEquivocationOffence { validator_set_count: 0, ..offence };
	assert_eq!(empty.slash_fraction(1), polkadot_sdk::sp_runtime::Perbill::zero());
	assert_eq!(<AuraEquivocationOffence<u64> as Offence<u64>>::ID, *b"aura:equivocatio");
}
