//! Benchmarks of the HTLC pallet (FRAME v2). Worst cases: a `pallet-assets` token (more storage
//! than the native token) and, for `claim`, the longest preimage.

use super::*;
use crate::Pallet as Htlc;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::traits::{One, Saturating, StaticLookup},
};

fn funded_sender<T: Config>(asset: AssetKindOf<T>) -> (T::AccountId, BalanceOf<T>) {
	let sender: T::AccountId = whitelisted_caller();
	let amount = Pallet::<T>::minimum_balance(asset.clone()).max(One::one());
	let funds = amount.saturating_mul(1_000u32.into());
	T::BenchmarkHelper::fund(&asset, &sender, funds);
	(sender, amount)
}

/// A swap from a funded sender to `recipient`, locked to the digest of `preimage`.
fn open_swap<T: Config>(preimage: &[u8]) -> (SwapId, T::AccountId) {
	let asset = T::BenchmarkHelper::create_asset();
	let (sender, amount) = funded_sender::<T>(asset.clone());
	let recipient: T::AccountId = account("recipient", 0, 0);
	let lock = HashAlgorithm::Sha256.hash(preimage);
	let id = Htlc::<T>::do_lock(
		sender.clone(),
		recipient,
		asset,
		amount,
		lock,
		HashAlgorithm::Sha256,
		T::MinLockDuration::get(),
	)
	.expect("benchmark swap locks");
	(id, sender)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn lock() {
		let asset = T::BenchmarkHelper::create_asset();
		let (sender, amount) = funded_sender::<T>(asset.clone());
		let recipient: T::AccountId = account("recipient", 0, 0);
		let lookup = T::Lookup::unlookup(recipient);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(sender.clone()),
			lookup,
			asset,
			amount,
			[7u8; 32],
			HashAlgorithm::Sha256,
			T::MinLockDuration::get(),
		);

		assert!(Swaps::<T>::contains_key(0));
	}

	#[benchmark]
	fn claim(n: Linear<1, { T::MaxPreimageLen::get() }>) {
		let preimage = alloc::vec![1u8; n as usize];
		let (id, _sender) = open_swap::<T>(&preimage);
		let caller: T::AccountId = whitelisted_caller();
		let preimage: BoundedVec<u8, T::MaxPreimageLen> =
			preimage.try_into().expect("n is at most MaxPreimageLen");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, preimage);

		assert!(!Swaps::<T>::contains_key(id));
	}

	#[benchmark]
	fn refund() {
		let (id, sender) = open_swap::<T>(b"secret");
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now + T::MaxLockDuration::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(sender), id);

		assert!(!Swaps::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Htlc, crate::mock::new_test_ext(), crate::mock::Test);
}
