//! Benchmarks of the payment-channels pallet (FRAME v2), one per [`WeightInfo`] function, each in
//! its worst case:
//! - a `pallet-assets` token (more storage than the native token);
//! - settlement (`cooperative_close`, `settle`) moves a net amount from one hold to the other
//!   party and releases both remaining holds;
//! - `close`, `challenge`, `cooperative_close` check two signatures (sr25519, from keys generated
//!   in the benchmark keystore);
//! - `challenge` and `settle` read a closing record with `MaxResolved` resolved payments;
//!   `resolve_conditional` adds the last one after `MaxResolved - 1`, with a proof of `d` nodes
//!   and a preimage of `n` bytes.

use super::*;
use crate::Pallet as PaymentChannels;
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungibles::Inspect as _, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use polkadot_sdk::{
	frame_benchmarking,
	sp_core::{crypto::KeyTypeId, sr25519},
	sp_io,
	sp_runtime::traits::{BlakeTwo256, Hash as _, One, Saturating, StaticLookup},
};

/// Key type of the benchmarks' signing keys.
const KEY: KeyTypeId = KeyTypeId(*b"bnch");

/// A party of a benchmark channel: its key and its account.
struct Party<T: Config> {
	public: sr25519::Public,
	account: T::AccountId,
}

fn party<T: Config>() -> Party<T> {
	let public = sp_io::crypto::sr25519_generate(KEY, None);
	Party { public, account: T::BenchmarkHelper::account(public) }
}

/// A channel in a token between two funded parties, each with `deposit` on hold.
struct Setup<T: Config> {
	id: ChannelId,
	a: Party<T>,
	b: Party<T>,
	unit: BalanceOf<T>,
	deposit: BalanceOf<T>,
}

/// The smallest amount any account can hold of `asset`.
fn unit<T: Config>(asset: &AssetKindOf<T>) -> BalanceOf<T> {
	T::Assets::minimum_balance(asset.clone()).max(One::one())
}

fn funded_channel<T: Config>() -> Setup<T> {
	let asset = T::BenchmarkHelper::create_asset();
	let unit = unit::<T>(&asset);
	let max_resolved: BalanceOf<T> = T::MaxResolved::get().into();
	// Room for `MaxResolved` pending payments of one unit each, and a margin.
	let deposit = unit
		.saturating_mul(max_resolved.saturating_mul(2u32.into()))
		.saturating_add(unit.saturating_mul(100u32.into()));
	let (a, b) = (party::<T>(), party::<T>());
	for who in [&a.account, &b.account] {
		T::BenchmarkHelper::fund(&asset, who, deposit.saturating_mul(3u32.into()));
	}
	let id = PaymentChannels::<T>::do_open(a.account.clone(), b.account.clone(), asset, deposit)
		.expect("benchmark channel opens");
	PaymentChannels::<T>::do_top_up(b.account.clone(), id, deposit).expect("B tops up");
	Setup { id, a, b, unit, deposit }
}

/// A state of `setup`'s channel: B owns `pending + unit` more than A, `pending` is locked from A
/// to B under `conditions_root`; both deposits are accounted for.
fn state<T: Config>(
	setup: &Setup<T>,
	nonce: Nonce,
	pending: BalanceOf<T>,
	conditions_root: [u8; 32],
) -> ChannelStateOf<T> {
	let shift = pending.saturating_add(setup.unit);
	ChannelState {
		channel: setup.id,
		nonce,
		balances: (
			setup.deposit.saturating_sub(shift).saturating_sub(pending),
			setup.deposit.saturating_add(shift),
		),
		deposits: (setup.deposit, setup.deposit),
		pending: (pending, Default::default()),
		conditions_root,
	}
}

fn sign<T: Config>(who: &Party<T>, kind: PayloadKind, state: &ChannelStateOf<T>) -> T::Signature {
	let payload = PaymentChannels::<T>::state_payload(kind, state);
	let signature =
		sp_io::crypto::sr25519_sign(KEY, &who.public, &payload).expect("key in the keystore");
	T::BenchmarkHelper::signature(signature)
}

fn signed_state<T: Config>(setup: &Setup<T>, state: ChannelStateOf<T>) -> SignedStateOf<T> {
	let sig_a = sign(&setup.a, PayloadKind::Update, &state);
	let sig_b = sign(&setup.b, PayloadKind::Update, &state);
	SignedState { state, sig_a, sig_b }
}

/// `count` distinct payments of one unit from A to B.
fn fillers<T: Config>(unit: BalanceOf<T>, count: u32) -> Vec<ConditionalPaymentOf<T>> {
	(0..count)
		.map(|i| {
			let mut hash_lock = [0xffu8; 32];
			hash_lock[..4].copy_from_slice(&i.to_le_bytes());
			ConditionalPayment {
				direction: Direction::AToB,
				amount: unit,
				hash_lock,
				expiry: 1_000u32.into(),
			}
		})
		.collect()
}

/// Marks `payments` resolved in the closing record of `id`.
fn set_resolved<T: Config>(id: ChannelId, payments: Vec<ConditionalPaymentOf<T>>) {
	Closings::<T>::mutate(id, |closing| {
		if let Some(closing) = closing {
			closing.resolved = BoundedVec::truncate_from(payments);
		}
	});
}

/// Closes `setup`'s channel (by A) on a state with `MaxResolved` units pending from A to B.
fn close_with_pending<T: Config>(setup: &Setup<T>, root: [u8; 32]) {
	let pending = setup.unit.saturating_mul(T::MaxResolved::get().into());
	let signed = signed_state(setup, state(setup, 1, pending, root));
	PaymentChannels::<T>::do_close(setup.a.account.clone(), setup.id, Some(signed))
		.expect("benchmark channel closes");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn open() {
		let asset = T::BenchmarkHelper::create_asset();
		let deposit = unit::<T>(&asset);
		let caller: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::fund(&asset, &caller, deposit.saturating_mul(1_000u32.into()));
		let counterparty: T::AccountId = account("counterparty", 0, 0);
		let id = NextChannelId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(counterparty), asset, deposit);

		assert!(Channels::<T>::contains_key(id));
	}

	/// B's first deposit (its first hold of the asset).
	#[benchmark]
	fn top_up() {
		let asset = T::BenchmarkHelper::create_asset();
		let amount = unit::<T>(&asset);
		let (a, b): (T::AccountId, T::AccountId) = (account("a", 0, 0), whitelisted_caller());
		for who in [&a, &b] {
			T::BenchmarkHelper::fund(&asset, who, amount.saturating_mul(1_000u32.into()));
		}
		let id = PaymentChannels::<T>::do_open(a, b.clone(), asset, amount).expect("opens");

		#[extrinsic_call]
		_(RawOrigin::Signed(b), id, amount);

		assert_eq!(Channels::<T>::get(id).map(|c| c.deposits.1), Some(amount));
	}

	/// Ends a unilateral close too.
	#[benchmark]
	fn cooperative_close() {
		let setup = funded_channel::<T>();
		PaymentChannels::<T>::do_close(setup.a.account.clone(), setup.id, None).expect("closes");
		let final_state = state(&setup, 7, Default::default(), [0; 32]);
		let sig_a = sign(&setup.a, PayloadKind::Close, &final_state);
		let sig_b = sign(&setup.b, PayloadKind::Close, &final_state);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), setup.id, final_state, sig_a, sig_b);

		assert!(!Channels::<T>::contains_key(setup.id));
		assert!(!Closings::<T>::contains_key(setup.id));
	}

	#[benchmark]
	fn close() {
		let setup = funded_channel::<T>();
		let pending = setup.unit.saturating_mul(T::MaxResolved::get().into());
		let signed = signed_state(&setup, state(&setup, 1, pending, [7; 32]));

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.a.account.clone()), setup.id, Some(signed));

		assert!(Closings::<T>::contains_key(setup.id));
	}

	#[benchmark]
	fn challenge() {
		let setup = funded_channel::<T>();
		close_with_pending(&setup, [7; 32]);
		set_resolved::<T>(setup.id, fillers::<T>(setup.unit, T::MaxResolved::get()));
		let pending = setup.unit.saturating_mul(T::MaxResolved::get().into());
		let newer = signed_state(&setup, state(&setup, 2, pending, [8; 32]));
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), setup.id, newer);

		assert_eq!(Closings::<T>::get(setup.id).and_then(|c| c.nonce()), Some(2));
	}

	/// The payment is leaf 0 of `2^d`, proven by `d` nodes.
	#[benchmark]
	fn resolve_conditional(
		d: Linear<0, { T::MaxProofDepth::get() }>,
		n: Linear<1, { T::MaxPreimageLen::get() }>,
	) -> Result<(), BenchmarkError> {
		let setup = funded_channel::<T>();
		let preimage = alloc::vec![1u8; n as usize];
		let expiry = frame_system::Pallet::<T>::block_number().saturating_add(1_000u32.into());
		let payment = ConditionalPayment {
			direction: Direction::AToB,
			amount: setup.unit,
			hash_lock: sp_io::hashing::sha2_256(&preimage),
			expiry,
		};
		let proof: Vec<[u8; 32]> = (0..d).map(|i| [i as u8; 32]).collect();
		// Leaf 0 is always the left child: the root is the leaf hash folded with each node.
		let root = proof.iter().fold(BlakeTwo256::hash(&payment.encode()), |node, sibling| {
			BlakeTwo256::hash(&[node.as_ref(), &sibling[..]].concat())
		});
		let leaf_count = 1u32.checked_shl(d).ok_or("MaxProofDepth must be below 32")?;
		close_with_pending(&setup, root.into());
		let already = T::MaxResolved::get().saturating_sub(1);
		set_resolved::<T>(setup.id, fillers::<T>(setup.unit, already));
		let proof: BoundedVec<[u8; 32], T::MaxProofDepth> = BoundedVec::truncate_from(proof);
		let preimage: BoundedVec<u8, T::MaxPreimageLen> = BoundedVec::truncate_from(preimage);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), setup.id, payment, proof, 0, leaf_count, preimage);

		assert_eq!(
			Closings::<T>::get(setup.id).map(|c| c.resolved.len() as u32),
			Some(already.saturating_add(1))
		);
		Ok(())
	}

	#[benchmark]
	fn settle() {
		let setup = funded_channel::<T>();
		close_with_pending(&setup, [7; 32]);
		set_resolved::<T>(setup.id, fillers::<T>(setup.unit, T::MaxResolved::get()));
		let closes_at: BlockNumberFor<T> =
			Closings::<T>::get(setup.id).map(|c| c.closes_at).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(closes_at);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), setup.id);

		assert!(!Channels::<T>::contains_key(setup.id));
	}

	impl_benchmark_test_suite!(PaymentChannels, crate::mock::new_test_ext(), crate::mock::Test);
}
