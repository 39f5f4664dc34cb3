//! Unit tests: two chains (two externalities) exchanging real storage proofs.

use crate::{mock::*, *};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{fungible::NativeOrWithId, fungibles::Inspect},
	},
	sp_core::H256,
	sp_io::TestExternalities,
	sp_runtime::DispatchError,
};

type Ext = TestExternalities;

fn lane(source: H256, destination: H256) -> LaneId<H256> {
	LaneId { source, destination }
}

/// The keys a delivery proves: the messages, and the source's lane (its confirmations).
fn message_keys(destination: H256, first: u64, last: u64) -> Vec<Vec<u8>> {
	(first..=last)
		.map(|n| OutboundMessages::<Test>::hashed_key_for(destination, n))
		.chain([OutboundLanes::<Test>::hashed_key_for(destination)])
		.collect()
}

/// Proves messages `first..=last` of `source`'s lane to `destination` and imports the state root
/// into `target`'s light client; returns the header hash and the proof.
fn proof_of_messages(
	source: &mut Ext,
	target: &mut Ext,
	destination: H256,
	first: u64,
	last: u64,
) -> (H256, Vec<Vec<u8>>) {
	let (root, proof) = prove(source, &message_keys(destination, first, last));
	let header = target.execute_with(|| import_header(root));
	(header, proof)
}

/// Relays messages `first..=last` from `source` (chain id `from`) to `target` (chain id `to`).
fn relay(
	source: &mut Ext,
	from: H256,
	target: &mut Ext,
	to: H256,
	first: u64,
	last: u64,
) -> Result<(), DispatchError> {
	relay_by(CHARLIE, source, from, target, to, first, last)
}

/// [`relay`], by `relayer`.
fn relay_by(
	relayer: AccountId,
	source: &mut Ext,
	from: H256,
	target: &mut Ext,
	to: H256,
	first: u64,
	last: u64,
) -> Result<(), DispatchError> {
	let (header, proof) = proof_of_messages(source, target, to, first, last);
	target.execute_with(|| {
		Bridge::deliver_messages(
			RuntimeOrigin::signed(relayer),
			header,
			lane(from, to),
			first,
			last,
			proof,
		)
	})
}

/// Charlie delivers messages `first..=last` of the lane from A to B, proven at `header`.
fn deliver_to_b(
	header: H256,
	first: u64,
	last: u64,
	proof: Vec<Vec<u8>>,
) -> sp_runtime::DispatchResult {
	Bridge::deliver_messages(
		RuntimeOrigin::signed(CHARLIE),
		header,
		lane(CHAIN_A, CHAIN_B),
		first,
		last,
		proof,
	)
}

/// Proves `target`'s inbound lane back to `source` and confirms delivery there.
fn confirm(source: &mut Ext, target: &mut Ext) -> Result<(), DispatchError> {
	confirm_by(CHARLIE, source, target)
}

/// [`confirm`], by `relayer`.
fn confirm_by(relayer: AccountId, source: &mut Ext, target: &mut Ext) -> Result<(), DispatchError> {
	let (root, proof) = prove(target, &[InboundLanes::<Test>::hashed_key().to_vec()]);
	source.execute_with(|| {
		let header = import_header(root);
		Bridge::confirm_delivery(RuntimeOrigin::signed(relayer), header, proof)
			.map(|_| ())
			.map_err(|e| e.error)
	})
}

fn balance(chain: &mut Ext, asset: AssetKind, who: AccountId) -> Balance {
	chain.execute_with(|| <NativeAndAssets as Inspect<_>>::balance(asset, &who))
}

fn check_invariants(chain: &mut Ext) {
	chain.execute_with(|| {
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn native_token_goes_to_the_other_chain_and_back_with_exact_balances() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 300, BOB));
		// The 300, and the message's delivery fee.
		assert_eq!(Balances::free_balance(ALICE), 700 - DeliveryFee::get());
		assert_eq!(Balances::free_balance(Bridge::vault()), 300);
		assert_eq!(ListedAssets::<Test>::get(NATIVE), Some(300));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	assert_eq!(balance(&mut b, wrapped_native(), BOB), 300);
	b.execute_with(|| {
		assert_eq!(WrappedAssets::<Test>::get(wrapped_native()).unwrap().supply, 300);
		assert!(bridge_events().contains(&Event::TransferCredited {
			nonce: 1,
			kind: TransferKind::Mint,
			asset: wrapped_native(),
			amount: 300,
			beneficiary: BOB,
		}));
	});

	// Back: Bob burns 120 wrapped on B; Charlie receives 120 native on A from the vault.
	b.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(BOB), wrapped_native(), 120, CHARLIE));
		assert_eq!(Assets::total_issuance(WRAPPED_NATIVE), 180);
	});
	assert_ok!(relay(&mut b, CHAIN_B, &mut a, CHAIN_A, 1, 1));
	a.execute_with(|| {
		assert_eq!(Balances::free_balance(CHARLIE), 1_120);
		assert_eq!(Balances::free_balance(Bridge::vault()), 180);
		assert_eq!(ListedAssets::<Test>::get(NATIVE), Some(180));
	});
	// Wrapped supply on B never exceeds what A locks.
	assert_eq!(b.execute_with(|| Assets::total_issuance(WRAPPED_NATIVE)), 180);
	check_invariants(&mut a);
	check_invariants(&mut b);
}

#[test]
fn pallet_assets_tokens_cross_too() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), token(), 50, BOB));
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), token(), 25, CHARLIE));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2));
	assert_eq!(balance(&mut b, NativeOrWithId::WithId(WRAPPED_TOKEN), BOB), 50);
	assert_eq!(balance(&mut b, NativeOrWithId::WithId(WRAPPED_TOKEN), CHARLIE), 25);
	assert_eq!(balance(&mut a, token(), ALICE), 925);
	check_invariants(&mut a);
	check_invariants(&mut b);
}

#[test]
fn a_replayed_delivery_is_rejected_and_a_gap_too() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	// Nonce 2 before nonce 1: out of order.
	assert_eq!(
		relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 2, 2),
		Err(Error::<Test>::MessageNonceGap.into())
	);
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	// The same message again, with a valid proof: a replay.
	assert_eq!(
		relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1),
		Err(Error::<Test>::MessageAlreadyDelivered.into())
	);
	// A range overlapping what was delivered is a replay as well.
	assert_eq!(
		relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2),
		Err(Error::<Test>::MessageAlreadyDelivered.into())
	);
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 2, 3));
	assert_eq!(balance(&mut b, wrapped_native(), BOB), 300);
	b.execute_with(|| assert_eq!(InboundLanes::<Test>::get().unwrap().last_delivered, 3));
	check_invariants(&mut b);
}

#[test]
fn a_forged_storage_proof_is_rejected() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	let (header, mut proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, 1, 1);
	// Change the amount inside the leaf: the node no longer hashes to its parent's reference.
	let leaf = proof.iter_mut().max_by_key(|node| node.len()).unwrap();
	let last = leaf.len() - 1;
	leaf[last] ^= 1;
	let deliver = |proof| deliver_to_b(header, 1, 1, proof);
	b.execute_with(|| {
		assert_noop!(deliver(proof.clone()), Error::<Test>::InvalidStorageProof);
	});
	// A message of B's own making (a proof against B's state, a header it never finalized).
	let (_, own_proof) = prove(&mut b, &message_keys(CHAIN_B, 1, 1));
	b.execute_with(|| {
		assert_noop!(
			Bridge::deliver_messages(
				RuntimeOrigin::signed(CHARLIE),
				H256::repeat_byte(9),
				lane(CHAIN_A, CHAIN_B),
				1,
				1,
				own_proof.clone()
			),
			Error::<Test>::UnknownBridgedHeader
		);
		// Against a real header, a proof of other state does not match its root.
		assert_noop!(deliver(own_proof), Error::<Test>::InvalidStorageProof);
		assert_eq!(Assets::total_issuance(WRAPPED_NATIVE), 0);
	});
}

#[test]
fn a_proof_without_the_message_or_with_extra_nodes_is_rejected() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	// A proof of nonce 1 claiming to carry 1..=2 (nonce 2 was never sent).
	let (header, proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, 1, 1);
	b.execute_with(|| {
		assert_noop!(deliver_to_b(header, 1, 2, proof), Error::<Test>::MessageMissingFromProof);
	});
	// A proof padded with another key's nodes.
	let mut keys = message_keys(CHAIN_B, 1, 1);
	keys.push(frame_system::Account::<Test>::hashed_key_for(ALICE));
	let (root, padded) = prove(&mut a, &keys);
	b.execute_with(|| {
		let header = import_header(root);
		assert_noop!(deliver_to_b(header, 1, 1, padded), Error::<Test>::InvalidStorageProof);
	});
}

/// Audit finding: proofs of any size were decoded, while the weights do not grow with it.
#[test]
fn a_proof_over_the_size_cap_is_rejected_before_it_is_read() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	let cap = <<Test as Config>::MaxProofSize as frame_support::traits::Get<u32>>::get() as usize;
	let padded = |mut proof: Vec<Vec<u8>>, to: usize| {
		let size: usize = proof.iter().map(Vec::len).sum();
		proof.push(vec![0; to - size]);
		proof
	};
	let (header, proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, 1, 1);
	let over = padded(proof.clone(), cap + 1);
	b.execute_with(|| {
		assert_noop!(deliver_to_b(header, 1, 1, over.clone()), Error::<Test>::ProofTooLarge);
		assert_noop!(
			Bridge::confirm_delivery(RuntimeOrigin::signed(CHARLIE), header, over),
			Error::<Test>::ProofTooLarge
		);
		// At the cap exactly, the proof is read (and refused for its unused node).
		assert_noop!(
			deliver_to_b(header, 1, 1, padded(proof, cap)),
			Error::<Test>::InvalidStorageProof
		);
	});
}

#[test]
fn a_message_for_another_chain_is_rejected() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::open_lane(RuntimeOrigin::root(), CHAIN_C));
		let remark: Remark = b"for C".to_vec().try_into().unwrap();
		assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_C, remark));
	});
	// A's message to C, relayed to B.
	assert_eq!(
		relay(&mut a, CHAIN_A, &mut b, CHAIN_C, 1, 1),
		Err(Error::<Test>::WrongDestination.into())
	);
	// A lane from a chain B's light client does not follow.
	let (header, proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, 1, 1);
	b.execute_with(|| {
		assert_noop!(
			Bridge::deliver_messages(
				RuntimeOrigin::signed(CHARLIE),
				header,
				lane(CHAIN_C, CHAIN_B),
				1,
				1,
				proof
			),
			Error::<Test>::UnknownSourceChain
		);
	});
}

#[test]
fn delivery_bounds_are_checked() {
	let (mut a, mut b) = bridged_pair();
	let (header, proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, 1, 1);
	b.execute_with(|| {
		let deliver = |first, last| deliver_to_b(header, first, last, proof.clone());
		assert_noop!(deliver(2, 1), Error::<Test>::EmptyDelivery);
		assert_noop!(deliver(1, 9), Error::<Test>::TooManyMessages);
		assert_noop!(deliver(1, 1), Error::<Test>::MessageMissingFromProof);
	});
}

#[test]
fn remarks_arrive_as_events() {
	let (mut a, mut b) = bridged_pair();
	let remark: Remark = b"hello B".to_vec().try_into().unwrap();
	a.execute_with(|| {
		assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark.clone()));
		assert!(bridge_events().contains(&Event::MessageQueued {
			destination: CHAIN_B,
			nonce: 1,
			sender: ALICE,
			delivery_fee: DeliveryFee::get(),
		}));
		assert_noop!(
			Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_C, remark.clone()),
			Error::<Test>::LaneNotOpen
		);
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	b.execute_with(|| {
		let events = bridge_events();
		assert!(events.contains(&Event::RemarkReceived { nonce: 1, sender: ALICE, remark }));
		assert!(events.contains(&Event::MessagesReceived {
			source: CHAIN_A,
			first: 1,
			last: 1,
			relayer: CHARLIE
		}));
	});
}

#[test]
fn receipts_drop_delivered_messages_once() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		for _ in 0..3 {
			assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 10, BOB));
		}
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2));
	assert_ok!(confirm(&mut a, &mut b));
	a.execute_with(|| {
		assert_eq!(
			OutboundLanes::<Test>::get(CHAIN_B),
			Some(OutboundLane { latest_generated: 3, latest_confirmed: 2 })
		);
		assert!(OutboundMessages::<Test>::get(CHAIN_B, 1).is_none());
		assert!(OutboundMessages::<Test>::get(CHAIN_B, 3).is_some());
		assert!(bridge_events().contains(&Event::DeliveryConfirmed {
			destination: CHAIN_B,
			first: 1,
			last: 2
		}));
	});
	// The same receipt again confirms nothing.
	assert_eq!(confirm(&mut a, &mut b), Err(Error::<Test>::ReceiptAlreadyConfirmed.into()));
	check_invariants(&mut a);
}

#[test]
fn a_receipt_beyond_what_was_sent_is_rejected() {
	let (mut a, mut b) = bridged_pair();
	// B claims to have received message 1 from A, which A never sent.
	b.execute_with(|| {
		InboundLanes::<Test>::put(InboundLane { last_delivered: 1, ..InboundLane::new(CHAIN_A) })
	});
	assert_eq!(confirm(&mut a, &mut b), Err(Error::<Test>::InvalidReceipt.into()));
	// A receipt from a chain whose inbound lane is from someone else.
	b.execute_with(|| {
		InboundLanes::<Test>::put(InboundLane { last_delivered: 1, ..InboundLane::new(CHAIN_C) })
	});
	assert_eq!(confirm(&mut a, &mut b), Err(Error::<Test>::WrongDestination.into()));
}

#[test]
fn the_outbound_queue_is_bounded_until_receipts_arrive() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		let remark: Remark = b"x".to_vec().try_into().unwrap();
		// No sender fills the lane alone: 8 each (`MaxUnconfirmedPerSender`) of 16.
		for _ in 0..8 {
			assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark.clone()));
		}
		assert_noop!(
			Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark.clone()),
			Error::<Test>::SenderQuotaFull
		);
		for _ in 0..8 {
			assert_ok!(Bridge::send_message(RuntimeOrigin::signed(BOB), CHAIN_B, remark.clone()));
		}
		assert_noop!(
			Bridge::send_message(RuntimeOrigin::signed(CHARLIE), CHAIN_B, remark),
			Error::<Test>::OutboundQueueFull
		);
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 8));
	assert_ok!(confirm(&mut a, &mut b));
	a.execute_with(|| {
		let remark: Remark = b"y".to_vec().try_into().unwrap();
		assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark));
	});
	check_invariants(&mut a);
}

#[test]
fn outbound_rate_limit_caps_each_window() {
	let (mut a, _) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 400, BOB));
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 101, BOB),
			Error::<Test>::RateLimitExceeded
		);
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
		// The next window starts 10 blocks after the first transfer.
		System::set_block_number(11);
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(BOB), NATIVE, 400, ALICE));
	});
}

/// Whether transfer `nonce` waits for `reason`, its storage deposit held from the relayer
/// (Charlie).
fn waits_with_relayer_deposit(nonce: u64, reason: PendingReason) -> bool {
	let Some(pending) = PendingTransfers::<Test>::get(nonce) else { return false };
	pending.deposit.depositor == CHARLIE
		&& pending.deposit.amount > 0
		&& bridge_events().contains(&Event::TransferPending {
			nonce,
			reason,
			depositor: CHARLIE,
			deposit: pending.deposit.amount,
		})
}

/// Native held from `who` for pending transfers.
fn pending_deposits_held(who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &who)
}

#[test]
fn a_waiting_transfer_holds_the_relayers_deposit_until_credited() {
	use codec::Encode;
	let (mut a, mut b) = bridged_pair();
	b.execute_with(|| {
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), true));
	});
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	let charlie_before = b.execute_with(|| Balances::free_balance(CHARLIE));
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	b.execute_with(|| {
		let pending = PendingTransfers::<Test>::get(1).expect("waits");
		// Key: a `Twox64Concat` hash and the nonce; value: the record.
		let bytes = 16 + pending.encoded_size() as Balance;
		assert_eq!(pending.deposit.amount, DepositBase::get() + DepositPerByte::get() * bytes);
		assert_eq!(pending_deposits_held(CHARLIE), pending.deposit.amount);
		assert_eq!(Balances::free_balance(CHARLIE), charlie_before - pending.deposit.amount);
		assert_ok!(Bridge::do_try_state());

		// Whoever retries, the deposit returns to the relayer, whatever the price is now.
		DepositBase::set(300);
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), false));
		assert_ok!(Bridge::retry_transfer(RuntimeOrigin::signed(BOB), 1));
		assert_eq!(pending_deposits_held(CHARLIE), 0);
		assert_eq!(Balances::free_balance(CHARLIE), charlie_before);
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn a_relayer_who_cannot_pay_for_a_waiting_transfer_delivers_nothing() {
	let (mut a, mut b) = bridged_pair();
	b.execute_with(|| {
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), true));
	});
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	b.execute_with(|| DepositBase::set(Balances::free_balance(CHARLIE)));
	assert_eq!(
		relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1),
		Err(Error::<Test>::CannotPayDeposit.into())
	);
	b.execute_with(|| {
		assert!(PendingTransfers::<Test>::get(1).is_none());
		assert_eq!(InboundLanes::<Test>::get().map(|lane| lane.last_delivered), Some(0));
	});
}

#[test]
fn try_state_detects_a_pending_deposit_mismatch() {
	let (mut a, mut b) = bridged_pair();
	b.execute_with(|| {
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), true));
	});
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	b.execute_with(|| {
		assert_ok!(Bridge::do_try_state());
		PendingTransfers::<Test>::mutate(1, |p| p.as_mut().expect("waits").deposit.amount += 1);
		assert!(Bridge::do_try_state().is_err());
	});
}

#[test]
fn migration_to_v1_records_a_zero_deposit_for_old_pending_transfers() {
	use crate::migrations::v1::{MigrateV0ToV1, PendingTransferV0};
	use codec::Encode;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	let (_, mut b) = bridged_pair();
	b.execute_with(|| {
		StorageVersion::new(0).put::<Bridge>();
		let old = PendingTransferV0 {
			kind: TransferKind::Mint,
			asset: NATIVE,
			amount: 100u64,
			beneficiary: BOB,
		};
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&PendingTransfers::<Test>::hashed_key_for(5),
			&old.encode(),
		);
		assert!(PendingTransfers::<Test>::get(5).is_none(), "the old layout does not decode");

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let pending = PendingTransfers::<Test>::get(5).expect("migrated");
		assert_eq!((pending.amount, pending.beneficiary), (100, BOB));
		assert_eq!(pending.deposit, Deposit::none(BOB));
		assert_eq!(Bridge::on_chain_storage_version(), 1);
	});
}

#[test]
fn inbound_over_the_rate_limit_waits_and_is_credited_later() {
	let (mut a, mut b) = bridged_pair();
	b.execute_with(|| {
		let tight = RateLimit { max_per_window: 150, window: 10 };
		assert_ok!(Bridge::set_rate_limit(RuntimeOrigin::root(), wrapped_native(), tight));
	});
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, CHARLIE));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2));
	b.execute_with(|| {
		assert_eq!(Assets::balance(WRAPPED_NATIVE, BOB), 100);
		assert_eq!(Assets::balance(WRAPPED_NATIVE, CHARLIE), 0);
		assert!(waits_with_relayer_deposit(2, PendingReason::RateLimited));
		assert_noop!(
			Bridge::retry_transfer(RuntimeOrigin::signed(ALICE), 2),
			Error::<Test>::RateLimitExceeded
		);
		assert_ok!(Bridge::do_try_state());
		System::set_block_number(11);
		assert_ok!(Bridge::retry_transfer(RuntimeOrigin::signed(ALICE), 2));
		assert_eq!(Assets::balance(WRAPPED_NATIVE, CHARLIE), 100);
		assert_noop!(
			Bridge::retry_transfer(RuntimeOrigin::signed(ALICE), 2),
			Error::<Test>::PendingTransferNotFound
		);
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn pause_stops_value_but_not_messages_and_loses_nothing() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| {
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB));
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), true));
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB),
			Error::<Test>::BridgePaused
		);
		assert_noop!(
			Bridge::set_paused(RuntimeOrigin::signed(ALICE), false),
			DispatchError::BadOrigin
		);
	});
	b.execute_with(|| {
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), true));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	b.execute_with(|| {
		assert_eq!(Assets::balance(WRAPPED_NATIVE, BOB), 0);
		assert!(PendingTransfers::<Test>::get(1).is_some());
		assert_noop!(
			Bridge::retry_transfer(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::BridgePaused
		);
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), false));
		assert!(bridge_events().contains(&Event::BridgeResumed));
		assert_ok!(Bridge::retry_transfer(RuntimeOrigin::signed(BOB), 1));
		assert_eq!(Assets::balance(WRAPPED_NATIVE, BOB), 100);
	});
}

#[test]
fn a_transfer_for_an_unregistered_asset_waits_for_governance() {
	let (mut a, mut b) = bridged_pair();
	// A lists a second token that B has not wrapped yet.
	a.execute_with(|| {
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), 7u32.into(), ALICE, true, 1));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(ALICE), 7u32.into(), ALICE, 100));
		let limit = RateLimit { max_per_window: 100, window: 10 };
		assert_ok!(Bridge::list_asset(RuntimeOrigin::root(), NativeOrWithId::WithId(7), limit));
		assert_ok!(Bridge::transfer(
			RuntimeOrigin::signed(ALICE),
			NativeOrWithId::WithId(7),
			40,
			BOB
		));
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	b.execute_with(|| {
		assert!(waits_with_relayer_deposit(1, PendingReason::UnknownAsset));
		assert_noop!(
			Bridge::retry_transfer(RuntimeOrigin::signed(BOB), 1),
			Error::<Test>::AssetNotBridgeable
		);
		let limit = RateLimit { max_per_window: 100, window: 10 };
		assert_ok!(Bridge::register_wrapped(
			RuntimeOrigin::root(),
			NativeOrWithId::WithId(7),
			NativeOrWithId::WithId(107),
			1,
			limit
		));
		assert_ok!(Bridge::retry_transfer(RuntimeOrigin::signed(BOB), 1));
		assert_eq!(Assets::balance(107, BOB), 40);
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn a_release_beyond_what_is_locked_is_refused() {
	let (mut a, mut b) = bridged_pair();
	// B (misbehaving, e.g. its validators compromised) asks A to release what A never locked.
	b.execute_with(|| {
		let message = Message {
			source: CHAIN_B,
			destination: CHAIN_A,
			sender: BOB,
			payload: Payload::Release { asset: NATIVE, amount: 500, beneficiary: BOB },
		};
		OutboundMessages::<Test>::insert(CHAIN_A, 1, message);
	});
	assert_ok!(relay(&mut b, CHAIN_B, &mut a, CHAIN_A, 1, 1));
	a.execute_with(|| {
		assert!(waits_with_relayer_deposit(1, PendingReason::ExceedsLocked));
		assert_eq!(Balances::free_balance(BOB), 1_000);
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn transfers_are_checked() {
	let (mut a, _) = bridged_pair();
	a.execute_with(|| {
		let send =
			|asset, amount| Bridge::transfer(RuntimeOrigin::signed(ALICE), asset, amount, BOB);
		assert_noop!(send(NATIVE, 0), Error::<Test>::AmountBelowMinimum);
		assert_noop!(send(token(), 4), Error::<Test>::AmountBelowMinimum);
		assert_noop!(
			send(NativeOrWithId::WithId(REGULATED), 10),
			Error::<Test>::AssetNotBridgeable
		);
		assert_noop!(send(token(), 1_001), Error::<Test>::RateLimitExceeded);
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(BOB), token(), 10, ALICE),
			Error::<Test>::InsufficientBalance
		);
		// Native: the sender must keep its existential deposit (10), and pay the delivery fee.
		let wide = RateLimit { max_per_window: 10_000, window: 10 };
		assert_ok!(Bridge::set_rate_limit(RuntimeOrigin::root(), NATIVE, wide));
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(CHARLIE), NATIVE, 995, ALICE),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(CHARLIE), NATIVE, 990, ALICE),
			Error::<Test>::CannotPayDeliveryFee
		);
		assert_ok!(Bridge::transfer(
			RuntimeOrigin::signed(CHARLIE),
			NATIVE,
			990 - DeliveryFee::get(),
			ALICE
		));
	});
	// Before governance configures the bridge nothing moves.
	chain(CHAIN_C).execute_with(|| {
		assert_noop!(
			Bridge::transfer(RuntimeOrigin::signed(ALICE), NATIVE, 100, BOB),
			Error::<Test>::NotConfigured
		);
	});
}

#[test]
fn governance_calls_are_root_only_and_checked() {
	let (mut a, mut b) = bridged_pair();
	let limit = RateLimit { max_per_window: 10, window: 10 };
	a.execute_with(|| {
		let user = RuntimeOrigin::signed(ALICE);
		assert_noop!(Bridge::set_bridged_chain(user.clone(), CHAIN_C), DispatchError::BadOrigin);
		assert_noop!(Bridge::open_lane(user.clone(), CHAIN_C), DispatchError::BadOrigin);
		assert_noop!(Bridge::list_asset(user.clone(), token(), limit), DispatchError::BadOrigin);
		assert_noop!(Bridge::set_rate_limit(user, token(), limit), DispatchError::BadOrigin);
		assert_noop!(
			Bridge::set_bridged_chain(RuntimeOrigin::root(), CHAIN_C),
			Error::<Test>::AlreadyConfigured
		);
		assert_noop!(
			Bridge::open_lane(RuntimeOrigin::root(), CHAIN_B),
			Error::<Test>::LaneAlreadyOpen
		);
		assert_noop!(
			Bridge::list_asset(RuntimeOrigin::root(), token(), limit),
			Error::<Test>::AssetAlreadyBridged
		);
		assert_noop!(
			Bridge::list_asset(RuntimeOrigin::root(), NativeOrWithId::WithId(REGULATED), limit),
			Error::<Test>::AssetNotBridgeable
		);
		assert_noop!(
			Bridge::list_asset(
				RuntimeOrigin::root(),
				NativeOrWithId::WithId(5),
				RateLimit { max_per_window: 10, window: 0 }
			),
			Error::<Test>::InvalidRateLimit
		);
		assert_noop!(
			Bridge::set_rate_limit(RuntimeOrigin::root(), NativeOrWithId::WithId(5), limit),
			Error::<Test>::AssetNotBridgeable
		);
	});
	b.execute_with(|| {
		// The wrapped asset must not exist yet (nobody else may mint it).
		assert_noop!(
			Bridge::register_wrapped(
				RuntimeOrigin::root(),
				NativeOrWithId::WithId(8),
				token(),
				1,
				limit
			),
			Error::<Test>::WrappedAssetCreationFailed
		);
		assert_noop!(
			Bridge::register_wrapped(
				RuntimeOrigin::root(),
				NATIVE,
				NativeOrWithId::WithId(300),
				1,
				limit
			),
			Error::<Test>::AssetAlreadyBridged
		);
		assert_noop!(
			Bridge::register_wrapped(
				RuntimeOrigin::signed(ALICE),
				NativeOrWithId::WithId(9),
				NativeOrWithId::WithId(301),
				1,
				limit
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn this_chain_is_recorded_in_block_one() {
	let mut a = chain(CHAIN_A);
	a.execute_with(|| assert_eq!(ThisChain::<Test>::get(), Some(CHAIN_A)));
}

#[test]
fn an_upgrade_records_this_chain_where_block_one_did_not() {
	use frame_support::traits::OnRuntimeUpgrade;
	let mut a = chain(CHAIN_A);
	a.execute_with(|| {
		// As on a chain that gained the pallet after block 1.
		ThisChain::<Test>::kill();
		crate::migrations::RecordThisChain::<Test>::on_runtime_upgrade();
		assert_eq!(ThisChain::<Test>::get(), Some(CHAIN_A));
		// Once recorded, it stays as it is, whatever block 0's hash says.
		frame_system::BlockHash::<Test>::insert(0, CHAIN_B);
		crate::migrations::RecordThisChain::<Test>::on_runtime_upgrade();
		assert_eq!(ThisChain::<Test>::get(), Some(CHAIN_A));
	});
}

#[test]
fn senders_pay_delivery_fees_that_the_confirming_relayer_earns() {
	let (mut a, mut b) = bridged_pair();
	let fees_held = |who| {
		use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
		Balances::balance_on_hold(&HoldReason::DeliveryFee.into(), &who)
	};
	a.execute_with(|| {
		let remark: Remark = b"hello".to_vec().try_into().unwrap();
		assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark.clone()));
		assert!(bridge_events().contains(&Event::MessageQueued {
			destination: CHAIN_B,
			nonce: 1,
			sender: ALICE,
			delivery_fee: 5,
		}));
		// A later price applies to later messages; each keeps what it paid.
		DeliveryFee::set(7);
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(BOB), NATIVE, 100, CHARLIE));
		assert_eq!((fees_held(ALICE), fees_held(BOB)), (5, 7));
		assert_eq!(MessageFees::<Test>::get(CHAIN_B, 2), Some((BOB, 7)));
		assert_eq!(UnconfirmedBySender::<Test>::get(ALICE), 1);
		assert_ok!(Bridge::do_try_state());
	});
	assert_ok!(relay(&mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2));
	// Charlie proves delivery and receipt on A: paid both fees.
	let charlie_before = a.execute_with(|| Balances::free_balance(CHARLIE));
	assert_ok!(confirm(&mut a, &mut b));
	a.execute_with(|| {
		assert_eq!(Balances::free_balance(CHARLIE), charlie_before + 12);
		assert!(bridge_events().contains(&Event::RelayerRewarded { relayer: CHARLIE, amount: 12 }));
		assert_eq!(UnconfirmedBySender::<Test>::get(ALICE), 0);
		assert!(MessageFees::<Test>::iter().next().is_none());
		assert_eq!((fees_held(ALICE), fees_held(BOB)), (0, 0));
		assert_ok!(Bridge::do_try_state());
	});
}

#[test]
fn a_sender_who_cannot_pay_the_delivery_fee_sends_nothing() {
	let (mut a, _) = bridged_pair();
	a.execute_with(|| {
		DeliveryFee::set(Balances::free_balance(ALICE));
		let remark: Remark = b"x".to_vec().try_into().unwrap();
		assert_noop!(
			Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark),
			Error::<Test>::CannotPayDeliveryFee
		);
	});
}

#[test]
fn try_state_detects_fee_books_that_do_not_add_up() {
	let (mut a, _) = bridged_pair();
	a.execute_with(|| {
		let remark: Remark = b"x".to_vec().try_into().unwrap();
		assert_ok!(Bridge::send_message(RuntimeOrigin::signed(ALICE), CHAIN_B, remark));
		assert_ok!(Bridge::do_try_state());
		UnconfirmedBySender::<Test>::insert(ALICE, 2);
		assert!(Bridge::do_try_state().is_err(), "a count without its fees");
		UnconfirmedBySender::<Test>::insert(ALICE, 1);
		MessageFees::<Test>::insert(CHAIN_B, 1, (ALICE, 1_000_000));
		assert!(Bridge::do_try_state().is_err(), "fees the sender does not hold");
	});
}

/// Alice, Bob and Charlie in turn send `count` remarks from A to B (within each one's quota of
/// unconfirmed messages), each paying the delivery fee.
fn send_remarks(a: &mut Ext, count: u32) {
	a.execute_with(|| {
		for i in 0..count {
			let sender = [ALICE, BOB, CHARLIE][i as usize % 3];
			let remark: Remark = b"hi".to_vec().try_into().unwrap();
			assert_ok!(Bridge::send_message(RuntimeOrigin::signed(sender), CHAIN_B, remark));
		}
	});
}

fn unrewarded(b: &mut Ext) -> Vec<(AccountId, u64)> {
	b.execute_with(|| {
		let lane = InboundLanes::<Test>::get().expect("configured");
		lane.relayers.iter().map(|d| (d.relayer, d.last)).collect()
	})
}

#[test]
fn the_delivering_and_the_confirming_relayer_share_each_fee() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| DeliveryFee::set(10));
	send_remarks(&mut a, 2);
	// Bob delivers both (his own message and Alice's); Charlie confirms on A.
	assert_ok!(relay_by(BOB, &mut a, CHAIN_A, &mut b, CHAIN_B, 1, 2));
	assert_eq!(unrewarded(&mut b), vec![(BOB, 2)]);
	let before = a.execute_with(|| (Balances::free_balance(BOB), Balances::free_balance(CHARLIE)));
	assert_ok!(confirm_by(CHARLIE, &mut a, &mut b));
	a.execute_with(|| {
		// 20% of each fee of 10 to the confirmer, the rest to the deliverer.
		assert_eq!(Balances::free_balance(BOB), before.0 + 16);
		assert_eq!(Balances::free_balance(CHARLIE), before.1 + 4);
		let events = bridge_events();
		assert!(events.contains(&Event::RelayerRewarded { relayer: CHARLIE, amount: 4 }));
		assert!(events.contains(&Event::RelayerRewarded { relayer: BOB, amount: 16 }));
		assert_ok!(Bridge::do_try_state());
	});
	// A relayer that delivers and confirms gets the whole fee.
	send_remarks(&mut a, 1);
	assert_ok!(relay_by(CHARLIE, &mut a, CHAIN_A, &mut b, CHAIN_B, 3, 3));
	let charlie = a.execute_with(|| Balances::free_balance(CHARLIE));
	assert_ok!(confirm_by(CHARLIE, &mut a, &mut b));
	a.execute_with(|| {
		assert_eq!(Balances::free_balance(CHARLIE), charlie + 10);
		assert!(bridge_events().contains(&Event::RelayerRewarded { relayer: CHARLIE, amount: 10 }));
	});
}

#[test]
fn deliverers_are_recorded_until_a_delivery_proves_the_source_confirmed_them() {
	let (mut a, mut b) = bridged_pair();
	send_remarks(&mut a, 4);
	assert_ok!(relay_by(BOB, &mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	// The same relayer again: one entry, extended.
	assert_ok!(relay_by(BOB, &mut a, CHAIN_A, &mut b, CHAIN_B, 2, 2));
	assert_ok!(relay_by(CHARLIE, &mut a, CHAIN_A, &mut b, CHAIN_B, 3, 3));
	assert_eq!(unrewarded(&mut b), vec![(BOB, 2), (CHARLIE, 3)]);
	// A confirms 1..=3; B learns it with the next delivery and forgets those relayers.
	assert_ok!(confirm(&mut a, &mut b));
	assert_ok!(relay_by(ALICE, &mut a, CHAIN_A, &mut b, CHAIN_B, 4, 4));
	assert_eq!(unrewarded(&mut b), vec![(ALICE, 4)]);
	check_invariants(&mut a);
	check_invariants(&mut b);
}

#[test]
fn a_new_relayer_waits_while_too_many_are_unrewarded() {
	let (mut a, mut b) = bridged_pair();
	let max = MAX_UNREWARDED_RELAYERS as u64;
	// A lane longer than the relayers that may wait (as in the runtime: 128 and 16).
	MaxUnconfirmedMessages::set(32);
	send_remarks(&mut a, max as u32 + 2);
	for nonce in 1..=max {
		assert_ok!(relay_by(100 + nonce, &mut a, CHAIN_A, &mut b, CHAIN_B, nonce, nonce));
	}
	let (header, proof) = proof_of_messages(&mut a, &mut b, CHAIN_B, max + 1, max + 1);
	b.execute_with(|| {
		assert_noop!(
			Bridge::deliver_messages(
				RuntimeOrigin::signed(7),
				header,
				lane(CHAIN_A, CHAIN_B),
				max + 1,
				max + 1,
				proof.clone()
			),
			Error::<Test>::TooManyUnrewardedRelayers
		);
		// The latest relayer may go on: its entry grows.
		assert_ok!(Bridge::deliver_messages(
			RuntimeOrigin::signed(100 + max),
			header,
			lane(CHAIN_A, CHAIN_B),
			max + 1,
			max + 1,
			proof
		));
	});
	assert_eq!(unrewarded(&mut b).last(), Some(&(100 + max, max + 1)));
	// Once A confirms and a delivery proves it, a new relayer delivers again.
	assert_ok!(confirm(&mut a, &mut b));
	assert_ok!(relay_by(7, &mut a, CHAIN_A, &mut b, CHAIN_B, max + 2, max + 2));
	assert_eq!(unrewarded(&mut b), vec![(7, max + 2)]);
}

#[test]
fn a_delivery_must_prove_the_source_lane() {
	let (mut a, mut b) = bridged_pair();
	send_remarks(&mut a, 1);
	// A proof cut short of the lane cannot answer for it.
	let (root, proof) = prove(&mut a, &[OutboundMessages::<Test>::hashed_key_for(CHAIN_B, 1)]);
	b.execute_with(|| {
		let header = import_header(root);
		assert_noop!(deliver_to_b(header, 1, 1, proof), Error::<Test>::InvalidStorageProof);
	});
	// A state where the lane is gone proves its absence.
	let keys = message_keys(CHAIN_B, 1, 1);
	a.execute_with(|| OutboundLanes::<Test>::remove(CHAIN_B));
	let (root, proof) = prove(&mut a, &keys);
	b.execute_with(|| {
		let header = import_header(root);
		assert_noop!(
			deliver_to_b(header, 1, 1, proof),
			Error::<Test>::OutboundLaneMissingFromProof
		);
	});
}

#[test]
fn migration_to_v2_keeps_the_inbound_lane_with_no_relayer_recorded() {
	use crate::migrations::v2::{InboundLaneV1, MigrateV1ToV2};
	use codec::Encode;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	let (_, mut b) = bridged_pair();
	b.execute_with(|| {
		StorageVersion::new(1).put::<Bridge>();
		let old = InboundLaneV1 { source: CHAIN_A, last_delivered: 9 };
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&InboundLanes::<Test>::hashed_key(),
			&old.encode(),
		);
		assert!(InboundLanes::<Test>::get().is_none(), "the old layout does not decode");

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(
			InboundLanes::<Test>::get(),
			Some(InboundLane { last_delivered: 9, ..InboundLane::new(CHAIN_A) })
		);
		assert_eq!(Bridge::on_chain_storage_version(), 2);
	});
}

#[test]
fn a_deliverers_share_it_cannot_take_goes_to_the_confirmer_and_nothing_stays_held() {
	let (mut a, mut b) = bridged_pair();
	a.execute_with(|| DeliveryFee::set(10));
	send_remarks(&mut a, 1);
	// Account 200 exists on B only: on A its share (8) is below the existential deposit (10).
	assert_ok!(relay_by(200, &mut a, CHAIN_A, &mut b, CHAIN_B, 1, 1));
	let charlie = a.execute_with(|| Balances::free_balance(CHARLIE));
	assert_ok!(confirm_by(CHARLIE, &mut a, &mut b));
	a.execute_with(|| {
		use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
		assert_eq!(Balances::free_balance(CHARLIE), charlie + 10);
		assert_eq!(Balances::free_balance(200), 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::DeliveryFee.into(), &ALICE), 0);
		assert!(bridge_events().contains(&Event::RelayerRewarded { relayer: CHARLIE, amount: 10 }));
		assert_ok!(Bridge::do_try_state());
	});
}
