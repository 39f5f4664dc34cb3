//! Unit tests of the HTLC pallet on the mock runtime.

use crate::{mock::*, Error, Event, HashAlgorithm, HoldReason, NextSwapId, Swaps};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::fungibles::{Inspect, InspectHold},
		BoundedVec,
	},
	sp_runtime::{DispatchError, TokenError},
};

const SECRET: &[u8] = b"tpwallet atomic swap secret";

fn sha256_lock() -> [u8; 32] {
	HashAlgorithm::Sha256.hash(SECRET)
}

fn preimage(bytes: &[u8]) -> BoundedVec<u8, polkadot_sdk::frame_support::traits::ConstU32<64>> {
	BoundedVec::try_from(bytes.to_vec()).expect("short enough")
}

fn held(asset: AssetKind, who: AccountId) -> Balance {
	NativeAndAssets::balance_on_hold(asset, &HoldReason::SwapLock.into(), &who)
}

fn balance(asset: AssetKind, who: AccountId) -> Balance {
	NativeAndAssets::balance(asset, &who)
}

/// Alice locks `amount` of `asset` for Bob under SHA-256 for 100 blocks; returns the swap id.
fn lock(asset: AssetKind, amount: Balance) -> u64 {
	let id = NextSwapId::<Test>::get();
	assert_ok!(Htlc::lock(
		RuntimeOrigin::signed(ALICE),
		BOB,
		asset,
		amount,
		sha256_lock(),
		HashAlgorithm::Sha256,
		100
	));
	id
}

/// The storage deposit swap `id` holds.
fn deposit_of(id: u64) -> Balance {
	Swaps::<Test>::get(id).expect("open swap").deposit.amount
}

/// Native held from `who` for swaps' storage.
fn deposit_held(who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &who)
}

fn check_invariants() {
	Htlc::do_try_state().expect("invariants hold");
}

#[test]
fn lock_holds_native_funds_and_emits_event() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		assert_eq!(id, 0);
		assert_eq!(held(NATIVE, ALICE), 300);
		assert_eq!(
			balance(NATIVE, ALICE),
			700 - deposit_of(0),
			"held funds and the deposit leave the free balance"
		);
		assert_eq!(balance(NATIVE, BOB), 1_000, "nothing moves before the claim");
		let swap = Swaps::<Test>::get(0).expect("stored");
		assert_eq!(swap.expires_at, 101);
		System::assert_last_event(
			Event::Locked {
				swap_id: 0,
				sender: ALICE,
				recipient: BOB,
				asset: NATIVE,
				amount: 300,
				hash_lock: sha256_lock(),
				hash_algorithm: HashAlgorithm::Sha256,
				expires_at: 101,
				deposit: deposit_of(0),
			}
			.into(),
		);
		assert_eq!(NextSwapId::<Test>::get(), 1);
		check_invariants();
	});
}

#[test]
fn locked_funds_cannot_be_spent() {
	new_test_ext().execute_with(|| {
		lock(token(), 900);
		// Alice has 100 free TOKEN left: she cannot move 200; she can move what is free while her
		// account, which still carries a hold, keeps the minimum balance (5).
		assert!(Assets::transfer(RuntimeOrigin::signed(ALICE), TOKEN.into(), CHARLIE, 200).is_err());
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(ALICE), TOKEN.into(), CHARLIE, 95));
		assert_eq!(balance(token(), CHARLIE), 95);
		assert_eq!(held(token(), ALICE), 900);
		check_invariants();
	});
}

#[test]
fn claim_with_sha256_preimage_pays_recipient() {
	new_test_ext().execute_with(|| {
		let id = lock(token(), 400);
		// Anyone may submit the preimage; the funds go to Bob.
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(CHARLIE), id, preimage(SECRET)));
		assert_eq!(balance(token(), BOB), 400);
		assert_eq!(balance(token(), ALICE), 600);
		assert_eq!(held(token(), ALICE), 0);
		assert!(Swaps::<Test>::get(id).is_none());
		System::assert_last_event(
			Event::Claimed { swap_id: id, recipient: BOB, amount: 400, preimage: preimage(SECRET) }
				.into(),
		);
		check_invariants();
	});
}

#[test]
fn claim_with_blake2_preimage_pays_recipient() {
	new_test_ext().execute_with(|| {
		assert_ok!(Htlc::lock(
			RuntimeOrigin::signed(ALICE),
			BOB,
			NATIVE,
			250,
			HashAlgorithm::Blake2_256.hash(SECRET),
			HashAlgorithm::Blake2_256,
			50
		));
		// The SHA-256 digest of the same secret is a different lock: algorithms don't mix.
		assert_ne!(HashAlgorithm::Blake2_256.hash(SECRET), sha256_lock());
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), 0, preimage(SECRET)));
		assert_eq!(balance(NATIVE, BOB), 1_250);
		assert_eq!(balance(NATIVE, ALICE), 750);
		check_invariants();
	});
}

#[test]
fn sha256_matches_the_standard_test_vector() {
	// SHA-256("abc"), FIPS 180-2: what Bitcoin/Ethereum HTLCs on the other side compute.
	let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	let digest = HashAlgorithm::Sha256.hash(b"abc");
	let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
	assert_eq!(hex, expected);
}

#[test]
fn wrong_preimage_is_rejected_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), id, preimage(b"not the secret")),
			Error::<Test>::WrongPreimage
		);
		check_invariants();
	});
}

#[test]
fn claim_is_refused_from_the_expiry_block_on() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		// Locked at block 1 for 100 blocks: expires at 101. A second swap, locked at block 100,
		// expires at 200 and stays claimable at block 101.
		System::set_block_number(100);
		let id2 = lock(NATIVE, 100);
		System::set_block_number(101);
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), id, preimage(SECRET)),
			Error::<Test>::SwapExpired
		);
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), id2, preimage(SECRET)));
		check_invariants();
	});
}

#[test]
fn refund_before_expiry_is_refused_and_after_returns_funds() {
	new_test_ext().execute_with(|| {
		let id = lock(token(), 500);
		System::set_block_number(100);
		assert_noop!(Htlc::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::SwapNotExpired);
		System::set_block_number(101);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(CHARLIE), id));
		assert_eq!(balance(token(), ALICE), 1_000);
		assert_eq!(held(token(), ALICE), 0);
		assert_eq!(balance(token(), BOB), 0);
		System::assert_last_event(
			Event::Refunded { swap_id: id, sender: ALICE, amount: 500 }.into(),
		);
		check_invariants();
	});
}

#[test]
fn a_swap_settles_once() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), id, preimage(SECRET)));
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), id, preimage(SECRET)),
			Error::<Test>::SwapNotFound
		);
		System::set_block_number(1_000);
		assert_noop!(Htlc::refund(RuntimeOrigin::signed(ALICE), id), Error::<Test>::SwapNotFound);

		let refunded = lock(NATIVE, 300);
		System::set_block_number(2_000);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), refunded));
		assert_noop!(
			Htlc::refund(RuntimeOrigin::signed(ALICE), refunded),
			Error::<Test>::SwapNotFound
		);
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), refunded, preimage(SECRET)),
			Error::<Test>::SwapNotFound
		);
		check_invariants();
	});
}

#[test]
fn bad_lock_inputs_get_their_errors_and_change_nothing() {
	new_test_ext().execute_with(|| {
		let lock_with = |who, to, asset, amount, duration| {
			Htlc::lock(
				RuntimeOrigin::signed(who),
				to,
				asset,
				amount,
				sha256_lock(),
				HashAlgorithm::Sha256,
				duration,
			)
		};
		assert_noop!(lock_with(ALICE, BOB, NATIVE, 0, 100), Error::<Test>::ZeroAmount);
		assert_noop!(lock_with(ALICE, ALICE, NATIVE, 100, 100), Error::<Test>::SelfSwap);
		// Below the native existential deposit (10) and the token's minimum balance (5).
		assert_noop!(lock_with(ALICE, BOB, NATIVE, 9, 100), Error::<Test>::AmountBelowMinimum);
		assert_noop!(lock_with(ALICE, BOB, token(), 4, 100), Error::<Test>::AmountBelowMinimum);
		assert_noop!(lock_with(ALICE, BOB, NATIVE, 100, 9), Error::<Test>::DurationTooShort);
		assert_noop!(lock_with(ALICE, BOB, NATIVE, 100, 1_001), Error::<Test>::DurationTooLong);
		// More than Alice has, of the native token and of the asset; Bob has no TOKEN at all.
		assert_noop!(lock_with(ALICE, BOB, NATIVE, 5_000, 100), Error::<Test>::InsufficientBalance);
		assert_noop!(
			lock_with(ALICE, BOB, token(), 1_001, 100),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(lock_with(BOB, ALICE, token(), 10, 100), Error::<Test>::InsufficientBalance);
		// An asset that does not exist.
		assert_noop!(
			lock_with(ALICE, BOB, AssetKind::WithId(42), 10, 100),
			Error::<Test>::InsufficientBalance
		);
		// Unsigned origins are refused.
		assert_noop!(
			Htlc::lock(
				RuntimeOrigin::none(),
				BOB,
				NATIVE,
				100,
				sha256_lock(),
				HashAlgorithm::Sha256,
				100
			),
			DispatchError::BadOrigin
		);
		assert_noop!(Htlc::refund(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), 7, preimage(SECRET)),
			Error::<Test>::SwapNotFound
		);
		assert_eq!(NextSwapId::<Test>::get(), 0);
		check_invariants();
	});
}

#[test]
fn several_swaps_of_one_sender_are_accounted_separately() {
	new_test_ext().execute_with(|| {
		let a = lock(NATIVE, 100);
		let b = lock(NATIVE, 200);
		let c = lock(token(), 300);
		assert_eq!(held(NATIVE, ALICE), 300);
		check_invariants();
		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), b, preimage(SECRET)));
		assert_eq!(held(NATIVE, ALICE), 100);
		check_invariants();
		System::set_block_number(500);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), a));
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), c));
		assert_eq!(balance(NATIVE, ALICE), 800);
		assert_eq!(balance(NATIVE, BOB), 1_200);
		assert_eq!(balance(token(), ALICE), 1_000);
		check_invariants();
	});
}

#[test]
fn recipient_unable_to_hold_an_asset_leaves_the_swap_refundable() {
	new_test_ext().execute_with(|| {
		// Account 99 has no native account, so it cannot be given a non-sufficient token.
		assert_ok!(Htlc::lock(
			RuntimeOrigin::signed(ALICE),
			99,
			token(),
			100,
			sha256_lock(),
			HashAlgorithm::Sha256,
			100
		));
		assert_noop!(
			Htlc::claim(RuntimeOrigin::signed(BOB), 0, preimage(SECRET)),
			DispatchError::Token(TokenError::CannotCreate)
		);
		System::set_block_number(101);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(balance(token(), ALICE), 1_000);
		check_invariants();
	});
}

#[test]
fn invariant_check_detects_a_mismatch() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		Swaps::<Test>::mutate(id, |s| s.as_mut().expect("exists").amount = 301);
		assert!(Htlc::do_try_state().is_err());
	});
}

#[test]
fn a_swap_holds_a_deposit_priced_by_its_bytes_until_it_closes() {
	use codec::Encode;
	new_test_ext().execute_with(|| {
		let claimed = lock(token(), 100);
		let swap = Swaps::<Test>::get(claimed).expect("open");
		// Key: a 16-byte hash and the 8-byte id; value: the swap as encoded.
		let bytes = 16 + 8 + swap.encoded_size() as Balance;
		assert_eq!(swap.deposit.amount, DepositBase::get() + DepositPerByte::get() * bytes);
		assert_eq!(swap.deposit.depositor, ALICE);
		let refunded = lock(NATIVE, 100);
		assert_eq!(deposit_held(ALICE), deposit_of(claimed) + deposit_of(refunded));
		check_invariants();

		assert_ok!(Htlc::claim(RuntimeOrigin::signed(BOB), claimed, preimage(SECRET)));
		assert_eq!(deposit_held(ALICE), deposit_of(refunded), "a claim returns the deposit");
		// A price change does not change what an open swap returns.
		let recorded = deposit_of(refunded);
		DepositBase::set(500);
		System::set_block_number(500);
		assert_ok!(Htlc::refund(RuntimeOrigin::signed(CHARLIE), refunded));
		assert_eq!(deposit_held(ALICE), 0, "a refund returns the deposit");
		assert_eq!(balance(NATIVE, ALICE), 1_000, "all of it: {recorded}");
		check_invariants();
	});
}

#[test]
fn a_sender_who_cannot_pay_the_deposit_locks_nothing() {
	new_test_ext().execute_with(|| {
		// Alice can lock her tokens but cannot hold a deposit of more than her native balance.
		DepositBase::set(1_000);
		assert_noop!(
			Htlc::lock(
				RuntimeOrigin::signed(ALICE),
				BOB,
				token(),
				100,
				sha256_lock(),
				HashAlgorithm::Sha256,
				100
			),
			Error::<Test>::CannotPayDeposit
		);
		// On the native token the lock and the deposit draw on one balance: together too much.
		DepositBase::set(400);
		assert_noop!(
			Htlc::lock(
				RuntimeOrigin::signed(ALICE),
				BOB,
				NATIVE,
				590,
				sha256_lock(),
				HashAlgorithm::Sha256,
				100
			),
			Error::<Test>::CannotPayDeposit
		);
		assert_eq!(held(token(), ALICE), 0);
		assert_eq!(deposit_held(ALICE), 0);
		check_invariants();
	});
}

#[test]
fn invariant_check_detects_a_deposit_mismatch() {
	new_test_ext().execute_with(|| {
		let id = lock(NATIVE, 300);
		Swaps::<Test>::mutate(id, |s| s.as_mut().expect("exists").deposit.amount += 1);
		assert!(Htlc::do_try_state().is_err());
	});
}

#[test]
fn migration_to_v1_records_a_zero_deposit_for_old_swaps() {
	use crate::migrations::v1::{MigrateV0ToV1, SwapV0};
	use codec::Encode;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	new_test_ext().execute_with(|| {
		StorageVersion::new(0).put::<Htlc>();
		let old = SwapV0 {
			sender: ALICE,
			recipient: BOB,
			asset: NATIVE,
			amount: 300u64,
			hash_lock: sha256_lock(),
			hash_algorithm: HashAlgorithm::Sha256,
			expires_at: 101u64,
		};
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&Swaps::<Test>::hashed_key_for(7),
			&old.encode(),
		);
		assert!(Swaps::<Test>::get(7).is_none(), "the old layout does not decode as the new one");

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let swap = Swaps::<Test>::get(7).expect("migrated");
		assert_eq!((swap.sender, swap.amount, swap.expires_at), (ALICE, 300, 101));
		assert_eq!(swap.deposit.amount, 0);
		assert_eq!(Htlc::on_chain_storage_version(), 1);
		// Run again, it changes nothing: the version gate holds.
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Swaps::<Test>::get(7).expect("still there").deposit.amount, 0);
	});
}
