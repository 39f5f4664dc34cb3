//! Unit tests of the payment-channels pallet on the mock runtime.
//!
//! Every test on the mock chain runs through [`run`], which checks [`Pallet::do_try_state`] once
//! the test body is done. Party A (Alice) signs with sr25519, party B (Bob) with ed25519.

use crate::{mock::*, *};
use codec::Encode;
use polkadot_sdk::{
	binary_merkle_tree::{merkle_proof, merkle_root},
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungibles::{Inspect as _, InspectHold as _},
			ConstU32,
		},
		BoundedVec,
	},
	sp_core::H256,
	sp_io::hashing::sha2_256,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::{traits::BlakeTwo256, DispatchResult, MultiSignature, TokenError},
};

// --- Fixtures ---

/// A key that signs states.
#[derive(Clone, Copy)]
enum Signer {
	Sr(Sr25519Keyring),
	Ed(Ed25519Keyring),
}

impl Signer {
	fn sign(self, message: &[u8]) -> MultiSignature {
		match self {
			Signer::Sr(key) => key.sign(message).into(),
			Signer::Ed(key) => key.sign(message).into(),
		}
	}
}

/// Alice's key (party A).
const A: Signer = Signer::Sr(Sr25519Keyring::Alice);
/// Bob's key (party B).
const B: Signer = Signer::Ed(Ed25519Keyring::Bob);
/// A key of neither party.
const EVE: Signer = Signer::Sr(Sr25519Keyring::Eve);
/// Dave's key (party B of the dust test).
const DAVE: Signer = Signer::Sr(Sr25519Keyring::Dave);

type Preimage = BoundedVec<u8, ConstU32<64>>;
type Proof = BoundedVec<[u8; 32], ConstU32<4>>;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn held(asset: AssetKind, who: &AccountId) -> Balance {
	NativeAndAssets::balance_on_hold(asset, &HoldReason::ChannelDeposit.into(), who)
}

fn free(asset: AssetKind, who: &AccountId) -> Balance {
	NativeAndAssets::balance(asset, who)
}

/// Native held from `who` for channels' storage.
fn storage_held(who: &AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), who)
}

/// The storage deposit channel `id` holds.
fn storage_deposit_of(id: ChannelId) -> Balance {
	Channels::<Test>::get(id).expect("open channel").storage_deposit
}

fn check_invariants() {
	PaymentChannels::do_try_state().expect("invariants hold");
}

/// Runs `test` on a fresh mock chain, then checks the invariants.
fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

fn advance_to(block: u64) {
	System::set_block_number(block);
}

/// Alice opens a channel with Bob, depositing `deposit`; returns its id.
fn open(asset: AssetKind, deposit: Balance) -> ChannelId {
	let id = NextChannelId::<Test>::get();
	assert_ok!(PaymentChannels::open(signed(alice()), bob(), asset, deposit));
	id
}

/// A channel where Alice deposited `a` and Bob `b`.
fn open_funded(asset: AssetKind, a: Balance, b: Balance) -> ChannelId {
	let id = open(asset, a);
	assert_ok!(PaymentChannels::top_up(signed(bob()), id, b));
	id
}

/// A state with no conditional payments.
fn state(
	channel: ChannelId,
	nonce: Nonce,
	balances: (Balance, Balance),
	deposits: (Balance, Balance),
) -> ChannelStateOf<Test> {
	ChannelState { channel, nonce, balances, deposits, pending: (0, 0), conditions_root: [0; 32] }
}

/// `signer_a` and `signer_b`'s signatures over `state`'s payload of `kind`.
fn sigs(
	kind: PayloadKind,
	state: &ChannelStateOf<Test>,
	signer_a: Signer,
	signer_b: Signer,
) -> (MultiSignature, MultiSignature) {
	let payload = PaymentChannels::state_payload(kind, state);
	(signer_a.sign(&payload), signer_b.sign(&payload))
}

/// `state` as an update signed by Alice and Bob.
fn update(state: ChannelStateOf<Test>) -> SignedStateOf<Test> {
	let (sig_a, sig_b) = sigs(PayloadKind::Update, &state, A, B);
	SignedState { state, sig_a, sig_b }
}

/// Charlie submits `state`, signed by Alice and Bob under the close tag.
fn cooperative_close(channel: ChannelId, state: ChannelStateOf<Test>) -> DispatchResult {
	let (sig_a, sig_b) = sigs(PayloadKind::Close, &state, A, B);
	PaymentChannels::cooperative_close(signed(charlie()), channel, state, sig_a, sig_b)
}

fn payment(
	direction: Direction,
	amount: Balance,
	secret: &[u8],
	expiry: u64,
) -> ConditionalPaymentOf<Test> {
	ConditionalPayment { direction, amount, hash_lock: sha2_256(secret), expiry }
}

fn leaves(payments: &[ConditionalPaymentOf<Test>]) -> Vec<Vec<u8>> {
	payments.iter().map(|p| p.encode()).collect()
}

fn root(payments: &[ConditionalPaymentOf<Test>]) -> [u8; 32] {
	merkle_root::<BlakeTwo256, _>(leaves(payments)).0
}

fn proof(payments: &[ConditionalPaymentOf<Test>], index: u32) -> Proof {
	let proof = merkle_proof::<BlakeTwo256, _, _>(leaves(payments), index);
	proof.proof.iter().map(|node| node.0).collect::<Vec<_>>().try_into().expect("shallow")
}

fn preimage(bytes: &[u8]) -> Preimage {
	bytes.to_vec().try_into().expect("short enough")
}

/// Charlie resolves payment `index` of `payments` with `secret`.
fn resolve(
	channel: ChannelId,
	payments: &[ConditionalPaymentOf<Test>],
	index: u32,
	secret: &[u8],
) -> DispatchResult {
	PaymentChannels::resolve_conditional(
		signed(charlie()),
		channel,
		payments[index as usize].clone(),
		proof(payments, index),
		index,
		payments.len() as u32,
		preimage(secret),
	)
}

/// Three payments, all expiring at block 50 except the second (block 5): 120 and 80 from A to B,
/// 100 from B to A.
fn three_payments() -> Vec<ConditionalPaymentOf<Test>> {
	vec![
		payment(Direction::AToB, 120, b"s0", 50),
		payment(Direction::AToB, 80, b"s1", 5),
		payment(Direction::BToA, 100, b"s2", 50),
	]
}

/// Nonce-5 state of a channel where A deposited 600 and B 400: A owns 400, B 300, with
/// `payments` pending (200 from A to B, 100 from B to A).
fn conditional_state(
	channel: ChannelId,
	payments: &[ConditionalPaymentOf<Test>],
) -> ChannelStateOf<Test> {
	ChannelState {
		channel,
		nonce: 5,
		balances: (400, 300),
		deposits: (600, 400),
		pending: (200, 100),
		conditions_root: root(payments),
	}
}

// --- The payout rule ---

fn pure_state(
	balances: (u64, u64),
	deposits: (u64, u64),
	pending: (u64, u64),
) -> ChannelState<u64> {
	ChannelState { channel: 0, nonce: 1, balances, deposits, pending, conditions_root: [0; 32] }
}

fn pure_payment(direction: Direction, amount: u64) -> ConditionalPayment<u64, u64> {
	ConditionalPayment { direction, amount, hash_lock: [0; 32], expiry: 0 }
}

#[test]
fn payouts_without_a_state_return_the_deposits() {
	assert_eq!(payouts::<u64, u64>((70, 30), None, &[]), Some((70, 30)));
}

#[test]
fn payouts_follow_the_balances() {
	let s = pure_state((40, 60), (70, 30), (0, 0));
	assert_eq!(payouts::<u64, u64>((70, 30), Some(&s), &[]), Some((40, 60)));
}

#[test]
fn payouts_return_later_top_ups_to_their_depositor() {
	// Signed when A had 70 and B 30 deposited; since then A added 5 and B 20.
	let s = pure_state((40, 60), (70, 30), (0, 0));
	assert_eq!(payouts::<u64, u64>((75, 50), Some(&s), &[]), Some((45, 80)));
}

#[test]
fn payouts_return_unresolved_payments_to_the_payer() {
	let s = pure_state((30, 40), (70, 30), (20, 10));
	assert_eq!(payouts::<u64, u64>((70, 30), Some(&s), &[]), Some((50, 50)));
}

#[test]
fn payouts_give_resolved_payments_to_the_payee() {
	let s = pure_state((30, 40), (70, 30), (20, 10));
	let resolved = [pure_payment(Direction::AToB, 15), pure_payment(Direction::BToA, 10)];
	// A: 30 + (20 - 15) + 10; B: 40 + (10 - 10) + 15.
	assert_eq!(payouts((70, 30), Some(&s), &resolved), Some((45, 55)));
}

#[test]
fn payouts_cap_resolved_payments_at_the_pending_total() {
	// The co-signed tree promises more than `pending`: the payee gets at most `pending`.
	let s = pure_state((30, 40), (70, 30), (20, 10));
	let resolved = [pure_payment(Direction::AToB, 15), pure_payment(Direction::AToB, u64::MAX)];
	// A: 30 + 0 (all 20 resolved); B: 40 + 10 (its own, unresolved) + 20.
	assert_eq!(payouts((70, 30), Some(&s), &resolved), Some((30, 70)));
}

#[test]
fn payouts_refuse_a_state_that_does_not_fit_the_deposits() {
	// Accounts for more than was deposited.
	let s = pure_state((40, 60), (80, 30), (0, 0));
	assert_eq!(payouts::<u64, u64>((70, 30), Some(&s), &[]), None);
	// Balances that do not add up to the state's deposits.
	let s = pure_state((40, 61), (70, 30), (0, 0));
	assert_eq!(payouts::<u64, u64>((70, 30), Some(&s), &[]), None);
	// Overflow.
	let s = pure_state((u64::MAX, 1), (70, 30), (0, 0));
	assert_eq!(payouts::<u64, u64>((70, 30), Some(&s), &[]), None);
}

// --- The signed payload ---

#[test]
fn payload_is_tag_genesis_pallet_channel_state() {
	run(|| {
		let s = state(7, 3, (1, 2), (3, 0));
		let payload = PaymentChannels::state_payload(PayloadKind::Update, &s);
		let mut expected = b"tpw/channel-state".to_vec();
		expected.extend_from_slice(&GENESIS.0);
		expected.extend_from_slice(b"payment-channels");
		expected.extend_from_slice(&7u64.to_le_bytes());
		expected.extend_from_slice(&s.encode());
		assert_eq!(payload, expected);

		let close = PaymentChannels::state_payload(PayloadKind::Close, &s);
		assert_eq!(&close[..17], b"tpw/channel-close");
		assert_eq!(close[17..], payload[17..]);
	});
}

// --- open ---

#[test]
fn open_holds_the_deposit_and_emits_event() {
	run(|| {
		let id = open(NATIVE, 300);
		assert_eq!(id, 0);
		let storage_deposit = storage_deposit_of(0);
		assert_eq!(held(NATIVE, &alice()), 300);
		assert_eq!(free(NATIVE, &alice()), 700 - storage_deposit);
		assert_eq!(free(NATIVE, &bob()), 1_000);
		assert_eq!(
			Channels::<Test>::get(0),
			Some(Channel {
				party_a: alice(),
				party_b: bob(),
				asset: NATIVE,
				deposits: (300, 0),
				storage_deposit,
			})
		);
		assert_eq!(NextChannelId::<Test>::get(), 1);
		System::assert_last_event(
			Event::ChannelOpened {
				channel: 0,
				party_a: alice(),
				party_b: bob(),
				asset: NATIVE,
				deposit: 300,
				storage_deposit,
			}
			.into(),
		);
	});
}

#[test]
fn open_in_a_token_holds_the_token() {
	run(|| {
		let id = open(token(), 250);
		assert_eq!(held(token(), &alice()), 250);
		assert_eq!(free(token(), &alice()), 750);
		assert_eq!(
			free(NATIVE, &alice()),
			1_000 - storage_deposit_of(id),
			"native: only the storage deposit"
		);
		// A second channel adds to the same hold.
		let second = open(token(), 50);
		assert_eq!((id, second), (0, 1));
		assert_eq!(held(token(), &alice()), 300);
	});
}

#[test]
fn open_rejects_zero_self_and_unfunded_deposits() {
	run(|| {
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), NATIVE, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			PaymentChannels::open(signed(alice()), alice(), NATIVE, 10),
			Error::<Test>::SameParties
		);
		// Below the asset's minimum balance (native: 10; the token: 5): a channel that is only
		// storage.
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), NATIVE, 9),
			Error::<Test>::DepositBelowMinimum
		);
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), token(), 4),
			Error::<Test>::DepositBelowMinimum
		);
		// The ledger's own error propagates.
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), NATIVE, 5_000),
			TokenError::FundsUnavailable
		);
		assert_noop!(
			PaymentChannels::open(signed(charlie()), bob(), token(), 10),
			TokenError::FundsUnavailable
		);
	});
}

// --- top_up ---

#[test]
fn top_up_by_either_party_holds_more() {
	run(|| {
		let id = open(NATIVE, 300);
		assert_ok!(PaymentChannels::top_up(signed(bob()), id, 200));
		System::assert_last_event(
			Event::ToppedUp { channel: id, who: bob(), amount: 200, deposit: 200 }.into(),
		);
		assert_ok!(PaymentChannels::top_up(signed(alice()), id, 50));
		System::assert_last_event(
			Event::ToppedUp { channel: id, who: alice(), amount: 50, deposit: 350 }.into(),
		);
		assert_eq!(Channels::<Test>::get(id).unwrap().deposits, (350, 200));
		assert_eq!(held(NATIVE, &alice()), 350);
		assert_eq!(held(NATIVE, &bob()), 200);
		assert_eq!(free(NATIVE, &bob()), 800);
	});
}

#[test]
fn top_up_errors() {
	run(|| {
		let id = open(NATIVE, 300);
		assert_noop!(PaymentChannels::top_up(signed(bob()), id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(PaymentChannels::top_up(signed(bob()), 9, 10), Error::<Test>::UnknownChannel);
		assert_noop!(
			PaymentChannels::top_up(signed(charlie()), id, 10),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			PaymentChannels::top_up(signed(bob()), id, 5_000),
			TokenError::FundsUnavailable
		);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		assert_noop!(PaymentChannels::top_up(signed(bob()), id, 10), Error::<Test>::AlreadyClosing);
	});
}

// --- cooperative_close ---

#[test]
fn cooperative_close_settles_at_once() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		// Alice paid Bob 250 off chain.
		assert_ok!(cooperative_close(id, state(id, 9, (350, 650), (600, 400))));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 350, payout_b: 650 }.into(),
		);
		assert_eq!(free(NATIVE, &alice()), 1_000 - 250);
		assert_eq!(free(NATIVE, &bob()), 1_000 + 250);
		assert_eq!(held(NATIVE, &alice()), 0);
		assert_eq!(held(NATIVE, &bob()), 0);
		assert!(Channels::<Test>::get(id).is_none());
		// Settled: nothing more can happen to it.
		assert_noop!(PaymentChannels::settle(signed(bob()), id), Error::<Test>::UnknownChannel);
		assert_noop!(
			cooperative_close(id, state(id, 9, (350, 650), (600, 400))),
			Error::<Test>::UnknownChannel
		);
	});
}

#[test]
fn cooperative_close_in_a_token_with_b_paying_a() {
	run(|| {
		let id = open_funded(token(), 100, 300);
		assert_ok!(cooperative_close(id, state(id, 2, (180, 220), (100, 300))));
		assert_eq!(free(token(), &alice()), 1_000 + 80);
		assert_eq!(free(token(), &bob()), 1_000 - 80);
		assert_eq!(held(token(), &bob()), 0);
	});
}

#[test]
fn cooperative_close_while_closing_settles_and_ends_the_close() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		assert_ok!(cooperative_close(id, state(id, 3, (500, 500), (600, 400))));
		assert!(Closings::<Test>::get(id).is_none());
		assert_eq!(free(NATIVE, &alice()), 900);
		assert_eq!(free(NATIVE, &bob()), 1_100);
	});
}

#[test]
fn cooperative_close_errors() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let other = open(NATIVE, 100);
		let good = state(id, 1, (500, 500), (600, 400));
		assert_noop!(
			cooperative_close(9, state(9, 1, (500, 500), (600, 400))),
			Error::<Test>::UnknownChannel
		);
		// A state of another channel, properly signed for it.
		assert_noop!(
			cooperative_close(id, state(other, 1, (50, 50), (100, 0))),
			Error::<Test>::WrongChannel
		);
		assert_noop!(
			cooperative_close(id, state(id, 1, (500, 501), (600, 400))),
			Error::<Test>::InvalidBalances
		);
		assert_noop!(
			cooperative_close(id, state(id, 1, (600, 500), (700, 400))),
			Error::<Test>::InvalidBalances
		);
		let mut pending = good.clone();
		pending.balances = (450, 500);
		pending.pending = (50, 0);
		assert_noop!(cooperative_close(id, pending), Error::<Test>::PendingPayments);

		// Signed under the update tag: not a close.
		let (sig_a, sig_b) = sigs(PayloadKind::Update, &good, A, B);
		assert_noop!(
			PaymentChannels::cooperative_close(signed(alice()), id, good.clone(), sig_a, sig_b),
			Error::<Test>::BadSignature
		);
		// Forged: B's signature made by a third key.
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &good, A, EVE);
		assert_noop!(
			PaymentChannels::cooperative_close(signed(alice()), id, good.clone(), sig_a, sig_b),
			Error::<Test>::BadSignature
		);
		// Signatures swapped between the parties.
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &good, A, B);
		assert_noop!(
			PaymentChannels::cooperative_close(signed(alice()), id, good.clone(), sig_b, sig_a),
			Error::<Test>::BadSignature
		);
		// Signed for another chain.
		frame_system::BlockHash::<Test>::insert(0, H256([1; 32]));
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &good, A, B);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		assert_noop!(
			PaymentChannels::cooperative_close(signed(alice()), id, good.clone(), sig_a, sig_b),
			Error::<Test>::BadSignature
		);
		assert_ok!(cooperative_close(id, good));
	});
}

// --- close and settle ---

#[test]
fn close_without_a_state_returns_the_deposits() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		assert_ok!(PaymentChannels::close(signed(bob()), id, None));
		System::assert_last_event(
			Event::ChannelClosing { channel: id, closer: bob(), nonce: None, closes_at: 11 }.into(),
		);
		assert_eq!(
			PaymentChannels::channel_info(id).unwrap().status,
			ChannelStatus::Closing { closer: bob(), nonce: None, closes_at: 11, resolved: 0 }
		);
		advance_to(10);
		assert_noop!(
			PaymentChannels::settle(signed(charlie()), id),
			Error::<Test>::ChallengePeriodNotOver
		);
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 600, payout_b: 400 }.into(),
		);
		assert_eq!(free(NATIVE, &alice()), 1_000);
		assert_eq!(free(NATIVE, &bob()), 1_000);
		assert!(Channels::<Test>::get(id).is_none());
		assert!(Closings::<Test>::get(id).is_none());
		assert!(PaymentChannels::channel_info(id).is_none());
	});
}

#[test]
fn close_with_a_state_settles_on_it() {
	run(|| {
		let id = open_funded(token(), 600, 400);
		assert_ok!(PaymentChannels::close(
			signed(alice()),
			id,
			Some(update(state(id, 4, (200, 800), (600, 400))))
		));
		System::assert_last_event(
			Event::ChannelClosing { channel: id, closer: alice(), nonce: Some(4), closes_at: 11 }
				.into(),
		);
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(bob()), id));
		assert_eq!(free(token(), &alice()), 1_000 - 400);
		assert_eq!(free(token(), &bob()), 1_000 + 400);
		assert_eq!(held(token(), &alice()), 0);
		assert_eq!(held(token(), &bob()), 0);
	});
}

#[test]
fn close_errors() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let other = open(NATIVE, 100);
		let good = state(id, 1, (500, 500), (600, 400));
		assert_noop!(
			PaymentChannels::close(signed(alice()), 9, None),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			PaymentChannels::close(signed(charlie()), id, None),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			PaymentChannels::close(
				signed(alice()),
				id,
				Some(update(state(other, 1, (50, 50), (100, 0))))
			),
			Error::<Test>::WrongChannel
		);
		assert_noop!(
			PaymentChannels::close(
				signed(alice()),
				id,
				Some(update(state(id, 1, (400, 500), (600, 400))))
			),
			Error::<Test>::InvalidBalances
		);
		// Forged by a third key.
		let (sig_a, _) = sigs(PayloadKind::Update, &good, A, B);
		let (_, forged) = sigs(PayloadKind::Update, &good, A, EVE);
		let bad = SignedState { state: good.clone(), sig_a, sig_b: forged };
		assert_noop!(
			PaymentChannels::close(signed(alice()), id, Some(bad)),
			Error::<Test>::BadSignature
		);
		// Signatures over another channel's state with the same amounts.
		let mut theirs = good.clone();
		theirs.channel = other;
		let (sig_a, sig_b) = sigs(PayloadKind::Update, &theirs, A, B);
		let bad = SignedState { state: good.clone(), sig_a, sig_b };
		assert_noop!(
			PaymentChannels::close(signed(alice()), id, Some(bad)),
			Error::<Test>::BadSignature
		);
		// Signed under the close tag: not an update.
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &good, A, B);
		let bad = SignedState { state: good.clone(), sig_a, sig_b };
		assert_noop!(
			PaymentChannels::close(signed(alice()), id, Some(bad)),
			Error::<Test>::BadSignature
		);
		// Signed for another chain.
		frame_system::BlockHash::<Test>::insert(0, H256([1; 32]));
		let foreign = update(good.clone());
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		assert_noop!(
			PaymentChannels::close(signed(alice()), id, Some(foreign)),
			Error::<Test>::BadSignature
		);

		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(update(good.clone()))));
		// Closing twice, by either party.
		assert_noop!(
			PaymentChannels::close(signed(alice()), id, None),
			Error::<Test>::AlreadyClosing
		);
		assert_noop!(
			PaymentChannels::close(signed(bob()), id, Some(update(good))),
			Error::<Test>::AlreadyClosing
		);
	});
}

#[test]
fn settle_errors() {
	run(|| {
		let id = open(NATIVE, 100);
		assert_noop!(PaymentChannels::settle(signed(alice()), 9), Error::<Test>::UnknownChannel);
		assert_noop!(PaymentChannels::settle(signed(alice()), id), Error::<Test>::NotClosing);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		assert_noop!(
			PaymentChannels::settle(signed(alice()), id),
			Error::<Test>::ChallengePeriodNotOver
		);
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(alice()), id));
		assert_noop!(PaymentChannels::settle(signed(alice()), id), Error::<Test>::UnknownChannel);
	});
}

#[test]
fn top_up_after_the_state_goes_back_to_its_depositor() {
	run(|| {
		let id = open(NATIVE, 500);
		// Signed before any top-up: Alice paid Bob 200.
		let signed_state = update(state(id, 1, (300, 200), (500, 0)));
		assert_ok!(PaymentChannels::top_up(signed(bob()), id, 100));
		assert_ok!(PaymentChannels::top_up(signed(alice()), id, 50));
		assert_ok!(PaymentChannels::close(signed(bob()), id, Some(signed_state)));
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(bob()), id));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 350, payout_b: 300 }.into(),
		);
		assert_eq!(free(NATIVE, &alice()), 1_000 - 200);
		assert_eq!(free(NATIVE, &bob()), 1_000 + 200);
	});
}

#[test]
fn net_below_the_minimum_for_a_new_account_stays_with_the_payer() {
	run(|| {
		// Dave has no TOKEN account; TOKEN's minimum balance is 5.
		assert_ok!(PaymentChannels::open(signed(alice()), dave(), token(), 100));
		let dust = state(0, 1, (97, 3), (100, 0));
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &dust, A, DAVE);
		assert_ok!(PaymentChannels::cooperative_close(signed(dave()), 0, dust, sig_a, sig_b));
		System::assert_last_event(
			Event::ChannelSettled { channel: 0, payout_a: 100, payout_b: 0 }.into(),
		);
		assert_eq!(free(token(), &alice()), 1_000);
		assert_eq!(free(token(), &dave()), 0);

		// Enough for an account: paid.
		assert_ok!(PaymentChannels::open(signed(alice()), dave(), token(), 100));
		let paid = state(1, 1, (95, 5), (100, 0));
		let (sig_a, sig_b) = sigs(PayloadKind::Close, &paid, A, DAVE);
		assert_ok!(PaymentChannels::cooperative_close(signed(dave()), 1, paid, sig_a, sig_b));
		assert_eq!(free(token(), &alice()), 995);
		assert_eq!(free(token(), &dave()), 5);
	});
}

// --- challenge ---

#[test]
fn watchtower_challenge_replaces_a_stale_close() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let stale = update(state(id, 1, (900, 100), (600, 400)));
		let newest = update(state(id, 2, (100, 900), (600, 400)));
		// Alice closes with the state that suits her.
		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(stale)));
		advance_to(6);
		// Charlie, Bob's watchtower, submits the newest state.
		assert_ok!(PaymentChannels::challenge(signed(charlie()), id, newest));
		System::assert_last_event(
			Event::ClosingChallenged {
				channel: id,
				challenger: charlie(),
				nonce: 2,
				closes_at: 16,
			}
			.into(),
		);
		assert_eq!(
			PaymentChannels::channel_info(id).unwrap().status,
			ChannelStatus::Closing { closer: alice(), nonce: Some(2), closes_at: 16, resolved: 0 }
		);
		advance_to(11);
		assert_noop!(
			PaymentChannels::settle(signed(alice()), id),
			Error::<Test>::ChallengePeriodNotOver
		);
		advance_to(16);
		assert_ok!(PaymentChannels::settle(signed(alice()), id));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 100, payout_b: 900 }.into(),
		);
		// No penalty beyond losing the challenge.
		assert_eq!(free(NATIVE, &alice()), 500);
		assert_eq!(free(NATIVE, &bob()), 1_500);
	});
}

#[test]
fn challenge_of_a_close_without_state() {
	run(|| {
		let id = open(NATIVE, 600);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		// Any signed state, even nonce 0, beats "no state".
		assert_ok!(PaymentChannels::challenge(
			signed(bob()),
			id,
			update(state(id, 0, (550, 50), (600, 0)))
		));
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(bob()), id));
		assert_eq!(free(NATIVE, &bob()), 1_050);
	});
}

#[test]
fn challenge_errors() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let other = open(NATIVE, 100);
		let s = |nonce| state(id, nonce, (500, 500), (600, 400));
		assert_noop!(
			PaymentChannels::challenge(
				signed(charlie()),
				9,
				update(state(9, 1, (500, 500), (600, 400)))
			),
			Error::<Test>::UnknownChannel
		);
		assert_noop!(
			PaymentChannels::challenge(signed(charlie()), id, update(s(3))),
			Error::<Test>::NotClosing
		);
		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(update(s(3)))));
		// Replays: the same nonce, a lower one.
		assert_noop!(
			PaymentChannels::challenge(signed(charlie()), id, update(s(3))),
			Error::<Test>::StaleState
		);
		assert_noop!(
			PaymentChannels::challenge(signed(charlie()), id, update(s(2))),
			Error::<Test>::StaleState
		);
		assert_noop!(
			PaymentChannels::challenge(
				signed(charlie()),
				id,
				update(state(other, 4, (50, 50), (100, 0)))
			),
			Error::<Test>::WrongChannel
		);
		assert_noop!(
			PaymentChannels::challenge(
				signed(charlie()),
				id,
				update(state(id, 4, (50, 50), (600, 400)))
			),
			Error::<Test>::InvalidBalances
		);
		let (sig_a, sig_b) = sigs(PayloadKind::Update, &s(4), EVE, B);
		assert_noop!(
			PaymentChannels::challenge(
				signed(charlie()),
				id,
				SignedState { state: s(4), sig_a, sig_b }
			),
			Error::<Test>::BadSignature
		);
		frame_system::BlockHash::<Test>::insert(0, H256([1; 32]));
		let foreign = update(s(4));
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		assert_noop!(
			PaymentChannels::challenge(signed(charlie()), id, foreign),
			Error::<Test>::BadSignature
		);
		advance_to(11);
		assert_noop!(
			PaymentChannels::challenge(signed(charlie()), id, update(s(4))),
			Error::<Test>::ChallengePeriodOver
		);
	});
}

// --- conditional payments ---

#[test]
fn resolved_payments_go_to_the_payee_unresolved_back_to_the_payer() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let payments = three_payments();
		let s = conditional_state(id, &payments);
		assert_ok!(PaymentChannels::close(signed(bob()), id, Some(update(s))));
		assert_ok!(resolve(id, &payments, 0, b"s0"));
		System::assert_last_event(
			Event::ConditionalResolved {
				channel: id,
				payment: payments[0].clone(),
				preimage: preimage(b"s0"),
			}
			.into(),
		);
		assert_ok!(resolve(id, &payments, 2, b"s2"));
		assert_eq!(Closings::<Test>::get(id).unwrap().resolved.len(), 2);
		// Payment 1 expires at block 5 unresolved.
		advance_to(5);
		assert_noop!(resolve(id, &payments, 1, b"s1"), Error::<Test>::ConditionExpired);
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		// A: 400 + 80 (expired, back) + 100 (resolved from B); B: 300 + 120 (resolved from A).
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 580, payout_b: 420 }.into(),
		);
		assert_eq!(free(NATIVE, &alice()), 980);
		assert_eq!(free(NATIVE, &bob()), 1_020);
	});
}

#[test]
fn resolutions_are_dropped_when_a_challenge_replaces_the_state() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let payments = three_payments();
		let old = conditional_state(id, &payments);
		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(update(old.clone()))));
		assert_ok!(resolve(id, &payments, 0, b"s0"));
		// The newer state carries the same payments.
		let mut newer = old;
		newer.nonce = 6;
		assert_ok!(PaymentChannels::challenge(signed(bob()), id, update(newer)));
		assert!(Closings::<Test>::get(id).unwrap().resolved.is_empty());
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		// Nothing resolved under the newer state: every pending payment returns to its payer.
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 600, payout_b: 400 }.into(),
		);
	});
}

#[test]
fn a_payment_can_be_resolved_again_under_the_newer_state() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let payments = three_payments();
		let old = conditional_state(id, &payments);
		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(update(old.clone()))));
		assert_ok!(resolve(id, &payments, 0, b"s0"));
		let mut newer = old;
		newer.nonce = 6;
		assert_ok!(PaymentChannels::challenge(signed(bob()), id, update(newer)));
		assert_ok!(resolve(id, &payments, 0, b"s0"));
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 480, payout_b: 520 }.into(),
		);
	});
}

#[test]
fn resolve_errors() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		let payments = three_payments();
		assert_noop!(resolve(9, &payments, 0, b"s0"), Error::<Test>::UnknownChannel);
		assert_noop!(resolve(id, &payments, 0, b"s0"), Error::<Test>::NotClosing);
		assert_ok!(PaymentChannels::close(
			signed(alice()),
			id,
			Some(update(conditional_state(id, &payments)))
		));
		assert_noop!(resolve(id, &payments, 0, b"s1"), Error::<Test>::WrongPreimage);
		// A payment not in the tree (amount changed).
		let mut tampered = payments.clone();
		tampered[0].amount = 200;
		assert_noop!(resolve(id, &tampered, 0, b"s0"), Error::<Test>::InvalidProof);
		// Right payment, proof of another leaf.
		assert_noop!(
			PaymentChannels::resolve_conditional(
				signed(charlie()),
				id,
				payments[0].clone(),
				proof(&payments, 2),
				0,
				3,
				preimage(b"s0"),
			),
			Error::<Test>::InvalidProof
		);
		// Index out of range.
		assert_noop!(
			PaymentChannels::resolve_conditional(
				signed(charlie()),
				id,
				payments[0].clone(),
				proof(&payments, 0),
				3,
				3,
				preimage(b"s0"),
			),
			Error::<Test>::InvalidProof
		);
		assert_ok!(resolve(id, &payments, 0, b"s0"));
		assert_noop!(resolve(id, &payments, 0, b"s0"), Error::<Test>::AlreadyResolved);
		advance_to(50);
		assert_noop!(resolve(id, &payments, 2, b"s2"), Error::<Test>::ConditionExpired);
	});
}

#[test]
fn resolve_without_a_closing_state_has_nothing_to_prove() {
	run(|| {
		let id = open(NATIVE, 600);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		let payments = three_payments();
		assert_noop!(resolve(id, &payments, 0, b"s0"), Error::<Test>::InvalidProof);
	});
}

#[test]
fn at_most_max_resolved_payments() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		// Four payments of 50 from A to B; MaxResolved is 3.
		let payments: Vec<_> = (0..4u8).map(|i| payment(Direction::AToB, 50, &[i], 50)).collect();
		let s = ChannelState {
			channel: id,
			nonce: 1,
			balances: (400, 400),
			deposits: (600, 400),
			pending: (200, 0),
			conditions_root: root(&payments),
		};
		assert_ok!(PaymentChannels::close(signed(alice()), id, Some(update(s))));
		for i in 0..3u8 {
			assert_ok!(resolve(id, &payments, i.into(), &[i]));
		}
		assert_noop!(resolve(id, &payments, 3, &[3]), Error::<Test>::TooManyResolved);
		advance_to(11);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		System::assert_last_event(
			Event::ChannelSettled { channel: id, payout_a: 450, payout_b: 550 }.into(),
		);
	});
}

// --- Runtime API and invariants ---

#[test]
fn channel_info_reports_parties_deposits_and_status() {
	run(|| {
		let id = open_funded(token(), 70, 30);
		assert_eq!(
			PaymentChannels::channel_info(id),
			Some(ChannelInfo {
				party_a: alice(),
				party_b: bob(),
				asset: token(),
				deposits: (70, 30),
				status: ChannelStatus::Open,
			})
		);
		assert_eq!(PaymentChannels::channel_info(id + 1), None);
	});
}

#[test]
fn try_state_detects_a_hold_without_its_channel() {
	new_test_ext().execute_with(|| {
		open_funded(NATIVE, 600, 400);
		open(NATIVE, 100);
		check_invariants();
		Channels::<Test>::remove(1);
		assert!(PaymentChannels::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_closing_without_its_channel() {
	new_test_ext().execute_with(|| {
		let id = open(NATIVE, 100);
		assert_ok!(PaymentChannels::close(signed(alice()), id, None));
		let closing = Closings::<Test>::get(id).unwrap();
		Closings::<Test>::insert(id + 1, closing);
		assert!(PaymentChannels::do_try_state().is_err());
	});
}

// --- Transfer guard (regulated assets) ---

#[test]
fn the_guard_sees_deposits_and_payouts() {
	run(|| {
		// A refused depositor can neither open nor top up; nothing is held.
		GuardRefuses::set(&Some(alice()));
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), NATIVE, 100),
			sp_runtime::DispatchError::Other("guard refuses the depositor")
		);
		GuardRefuses::set(&None);
		let id = open(NATIVE, 600);
		GuardRefuses::set(&Some(bob()));
		assert_noop!(
			PaymentChannels::top_up(signed(bob()), id, 400),
			sp_runtime::DispatchError::Other("guard refuses the depositor")
		);
		GuardRefuses::set(&None);
		assert_ok!(PaymentChannels::top_up(signed(bob()), id, 400));

		// A refused payout fails the settlement: the funds stay on hold, the channel stays.
		let final_state = state(id, 3, (350, 650), (600, 400));
		GuardRefuses::set(&Some(bob()));
		assert_noop!(
			cooperative_close(id, final_state.clone()),
			sp_runtime::DispatchError::Other("guard refuses the payee")
		);
		assert_eq!((held(NATIVE, &alice()), held(NATIVE, &bob())), (600, 400));
		assert!(GuardPayouts::get().is_empty());

		// Once allowed, the guard sees the one net movement before it happens.
		GuardRefuses::set(&None);
		assert_ok!(cooperative_close(id, final_state));
		assert_eq!(GuardPayouts::get(), vec![(alice(), bob(), 250)]);
		assert_eq!(free(NATIVE, &bob()), 1_000 + 250);
	});
}

#[test]
fn a_refused_unilateral_settlement_can_be_retried() {
	run(|| {
		let id = open_funded(NATIVE, 600, 400);
		// Bob paid Alice 100 off chain.
		assert_ok!(PaymentChannels::close(
			signed(alice()),
			id,
			Some(update(state(id, 1, (700, 300), (600, 400))))
		));
		advance_to(1 + ChallengePeriod::get());
		GuardRefuses::set(&Some(alice()));
		assert_noop!(
			PaymentChannels::settle(signed(charlie()), id),
			sp_runtime::DispatchError::Other("guard refuses the payee")
		);
		GuardRefuses::set(&None);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		assert_eq!(GuardPayouts::get(), vec![(bob(), alice(), 100)]);
		assert_eq!(free(NATIVE, &alice()), 1_000 + 100);
	});
}

// --- storage deposits ---

#[test]
fn a_channel_holds_a_storage_deposit_priced_by_its_bytes_until_it_settles() {
	use codec::MaxEncodedLen;
	run(|| {
		DepositPerByte::set(1);
		let id = open_funded(token(), 300, 200);
		let channel = Channels::<Test>::get(id).expect("open");
		// Two keys (channel and closing record: a hash and the id each), the channel, and the
		// largest closing record it may get.
		let bytes = 2 * (16 + 8)
			+ channel.encoded_size() as Balance
			+ ClosingOf::<Test>::max_encoded_len() as Balance;
		let expected = DepositBase::get() + DepositPerByte::get() * bytes;
		assert_eq!(channel.deposit(), Deposit { depositor: alice(), amount: expected });
		assert_eq!(storage_held(&alice()), expected);
		assert_eq!(storage_held(&bob()), 0, "the counterparty pays no storage");
		check_invariants();

		// A price change does not change what the channel returns.
		DepositBase::set(300);
		assert_ok!(cooperative_close(id, state(id, 1, (250, 250), (300, 200))));
		assert_eq!(storage_held(&alice()), 0);
		assert_eq!(free(NATIVE, &alice()), 1_000, "the whole deposit returns");
	});
}

#[test]
fn a_unilateral_settlement_returns_the_storage_deposit() {
	run(|| {
		let id = open(NATIVE, 300);
		assert_ok!(PaymentChannels::close(signed(bob()), id, None));
		advance_to(System::block_number() + 10);
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		assert_eq!(storage_held(&alice()), 0);
		assert_eq!(free(NATIVE, &alice()), 1_000);
	});
}

#[test]
fn an_opener_who_cannot_pay_the_storage_deposit_opens_nothing() {
	run(|| {
		DepositBase::set(1_000);
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), token(), 100),
			Error::<Test>::CannotPayDeposit
		);
		// On the native token the channel deposit and the storage deposit draw on one balance.
		// Each fits in Alice's 1_000; together they would leave her less than the minimum (10).
		DepositBase::set(400);
		assert_noop!(
			PaymentChannels::open(signed(alice()), bob(), NATIVE, 595),
			Error::<Test>::CannotPayDeposit
		);
		assert_eq!(NextChannelId::<Test>::get(), 0);
	});
}

#[test]
fn try_state_detects_a_storage_deposit_mismatch() {
	new_test_ext().execute_with(|| {
		let id = open(NATIVE, 100);
		check_invariants();
		Channels::<Test>::mutate(id, |c| c.as_mut().expect("open").storage_deposit -= 1);
		assert!(PaymentChannels::do_try_state().is_err());
	});
}

#[test]
fn migration_to_v1_records_a_zero_storage_deposit_for_old_channels() {
	use crate::migrations::v1::{ChannelV0, MigrateV0ToV1};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	new_test_ext().execute_with(|| {
		StorageVersion::new(0).put::<PaymentChannels>();
		let old =
			ChannelV0 { party_a: alice(), party_b: bob(), asset: NATIVE, deposits: (300u64, 0u64) };
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&Channels::<Test>::hashed_key_for(4),
			&old.encode(),
		);
		assert!(
			Channels::<Test>::get(4).is_none(),
			"the old layout does not decode as the new one"
		);

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let (id, channel) = crate::migrations::v2::channels_v1::<Test>().next().expect("migrated");
		assert_eq!((id, channel.party_a, channel.deposits), (4, alice(), (300, 0)));
		assert_eq!(channel.storage_deposit, Deposit::none(alice()));
		assert_eq!(PaymentChannels::on_chain_storage_version(), 1);
	});
}

#[test]
fn migration_to_v2_keeps_each_deposit_amount_and_refunds_it_to_the_opener() {
	use crate::migrations::v2::{ChannelV1, MigrateV1ToV2};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		// A version 1 channel with its deposits on hold, as version 1 opened it.
		let id = open(NATIVE, 300);
		let amount = storage_deposit_of(id);
		assert!(amount > 0);
		let channel = Channels::<Test>::get(id).expect("open");
		let v1 = ChannelV1 {
			party_a: channel.party_a,
			party_b: channel.party_b,
			asset: channel.asset,
			deposits: channel.deposits,
			storage_deposit: Deposit { depositor: alice(), amount },
		};
		let key = Channels::<Test>::hashed_key_for(id);
		polkadot_sdk::frame_support::storage::unhashed::put_raw(&key, &v1.encode());
		StorageVersion::new(1).put::<PaymentChannels>();
		assert_ne!(
			Channels::<Test>::get(id).map(|c| c.storage_deposit),
			Some(amount),
			"read as the new layout, the old one gives a wrong deposit"
		);

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(PaymentChannels::on_chain_storage_version(), 2);
		let migrated = Channels::<Test>::get(id).expect("migrated");
		assert_eq!(migrated.storage_deposit, amount);
		assert_eq!(migrated.deposit(), Deposit { depositor: alice(), amount });
		assert_eq!(v1.encode().len() - migrated.encode().len(), 32, "the payer's bytes are gone");
		assert_ok!(PaymentChannels::do_try_state());
		// Run again, it changes nothing (the version says it ran).
		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Channels::<Test>::get(id), Some(migrated));

		// Settling returns the recorded amount to the opener.
		assert_ok!(PaymentChannels::close(signed(bob()), id, None));
		advance_to(System::block_number() + ChallengePeriod::get());
		assert_ok!(PaymentChannels::settle(signed(charlie()), id));
		assert_eq!(storage_held(&alice()), 0);
		assert_eq!(free(NATIVE, &alice()), 1_000);
	});
}
