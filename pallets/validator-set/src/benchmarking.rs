//! Benchmarks of the validator-set pallet (FRAME v2), by the size `n` of the approved set (or,
//! for the offence handler, the number of offenders on a full set). Every validator has session
//! keys (`Config::BenchmarkHelper`), the worst case for the registration check.

use super::*;
use crate::Pallet as ValidatorSet;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	weights::Weight,
	BoundedVec,
};
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::{traits::StaticLookup, Perbill},
	sp_staking::offence::{OffenceDetails, OnOffenceHandler},
};

const SEED: u32 = 0;

/// An offence report's offender: a validator with the full identification `()`.
type Offender<T> = OffenceDetails<
	<T as frame_system::Config>::AccountId,
	(<T as frame_system::Config>::AccountId, ()),
>;

/// An account with session keys.
fn registered<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::BenchmarkHelper::register_keys(&who);
	who
}

/// Replaces the approved set with `n` validators with session keys; returns them, sorted.
fn seed<T: Config>(n: u32) -> Vec<T::AccountId> {
	let mut validators: Vec<_> = (0..n).map(|i| registered::<T>("validator", i)).collect();
	validators.sort();
	let bounded: BoundedVec<_, T::MaxValidators> =
		validators.clone().try_into().expect("n is at most MaxValidators");
	Validators::<T>::put(bounded);
	SetChanged::<T>::put(false);
	validators
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_validator(
		n: Linear<0, { T::MaxValidators::get().saturating_sub(1) }>,
	) -> Result<(), BenchmarkError> {
		seed::<T>(n);
		let who = registered::<T>("candidate", 0);
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(Validators::<T>::get().contains(&who));
		assert!(SetChanged::<T>::get());
		Ok(())
	}

	#[benchmark]
	fn remove_validator(
		n: Linear<{ T::MinValidators::get().max(1) + 1 }, { T::MaxValidators::get() }>,
	) -> Result<(), BenchmarkError> {
		let validators = seed::<T>(n);
		// The first one: every other validator moves.
		let who = validators[0].clone();
		let origin =
			T::AddRemoveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup);

		assert!(!Validators::<T>::get().contains(&who));
		assert_eq!(Validators::<T>::get().len() as u32, n - 1);
		Ok(())
	}

	/// `n` offenders, all in a full set: as many removed as `MinValidators` allows, the others
	/// kept (each an event either way).
	#[benchmark]
	fn on_offence(n: Linear<1, { T::MaxValidators::get() }>) {
		let max = T::MaxValidators::get();
		let validators = seed::<T>(max);
		let offenders: Vec<Offender<T>> = validators
			.iter()
			.take(n as usize)
			.map(|who| OffenceDetails { offender: (who.clone(), ()), reporters: Vec::new() })
			.collect();
		let fractions = alloc::vec![Perbill::from_percent(10); n as usize];

		#[block]
		{
			<ValidatorSet<T> as OnOffenceHandler<_, _, Weight>>::on_offence(
				&offenders, &fractions, 0,
			);
		}

		let removable = max.saturating_sub(T::MinValidators::get().max(1));
		assert_eq!(Validators::<T>::get().len() as u32, max - n.min(removable));
	}

	impl_benchmark_test_suite!(ValidatorSet, crate::mock::new_test_ext(), crate::mock::Test);
}
