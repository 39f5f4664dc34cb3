//! The pallet's logic behind the calls, and what the runtime calls directly.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{Get, ValidatorRegistration},
	BoundedVec,
};

impl<T: Config> Pallet<T> {
	/// The approved validator set, sorted by account.
	pub fn validators() -> Vec<T::AccountId> {
		Validators::<T>::get().into_inner()
	}

	/// The fewest validators removals leave: `MinValidators`, and never below 1.
	pub(crate) fn min_validators() -> usize {
		T::MinValidators::get().max(1) as usize
	}

	/// Seeds the approved set on a chain that ran without this pallet (for a runtime migration):
	/// `validators`, sorted and without duplicates, and marks the set changed so that
	/// `pallet-session` takes it at the next session boundary (it is active from the session
	/// after the next).
	///
	/// Never panics. Refuses, storing nothing, when the set is already seeded
	/// ([`Error::AlreadyInitialized`]), when `validators` is empty ([`Error::TooFewValidators`])
	/// or when it has more than `MaxValidators` distinct accounts ([`Error::TooManyValidators`]:
	/// dropping validators silently would be worse). A set smaller than `MinValidators` is
	/// accepted, as at genesis: removals then stay refused until the set has grown.
	///
	/// Returns the number of validators seeded. Reads and writes: one read, two writes.
	pub fn initialize(validators: &[T::AccountId]) -> Result<u32, Error<T>> {
		ensure!(Validators::<T>::get().is_empty(), Error::<T>::AlreadyInitialized);
		ensure!(!validators.is_empty(), Error::<T>::TooFewValidators);
		let mut sorted = validators.to_vec();
		sorted.sort();
		sorted.dedup();
		let count = sorted.len() as u32;
		let bounded: BoundedVec<_, T::MaxValidators> =
			sorted.try_into().map_err(|_| Error::<T>::TooManyValidators)?;
		Self::put_changed_set(bounded);
		Ok(count)
	}

	/// [`Pallet::add_validator`] once the origin is checked.
	pub(crate) fn do_add_validator(who: T::AccountId) -> DispatchResult {
		let mut validators = Validators::<T>::get();
		let position = match validators.binary_search(&who) {
			Ok(_) => return Err(Error::<T>::AlreadyValidator.into()),
			Err(position) => position,
		};
		ensure!((validators.len() as u32) < T::MaxValidators::get(), Error::<T>::TooManyValidators);
		ensure!(T::ValidatorRegistration::is_registered(&who), Error::<T>::NoSessionKeys);
		validators.try_insert(position, who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
		Self::put_changed_set(validators);
		Self::deposit_event(Event::ValidatorAdded { who });
		Ok(())
	}

	/// [`Pallet::remove_validator`] once the origin is checked.
	pub(crate) fn do_remove_validator(who: T::AccountId) -> DispatchResult {
		let mut validators = Validators::<T>::get();
		let position = validators.binary_search(&who).map_err(|_| Error::<T>::NotValidator)?;
		ensure!(validators.len() > Self::min_validators(), Error::<T>::TooFewValidators);
		validators.remove(position);
		Self::put_changed_set(validators);
		Self::deposit_event(Event::ValidatorRemoved { who });
		Ok(())
	}

	/// Stores a new approved set and marks it changed, for `pallet-session` to take at the next
	/// session boundary.
	pub(crate) fn put_changed_set(validators: BoundedVec<T::AccountId, T::MaxValidators>) {
		Validators::<T>::put(validators);
		SetChanged::<T>::put(true);
	}

	/// The approved validators that have session keys, sorted by account.
	pub(crate) fn registered_validators() -> Vec<T::AccountId> {
		Validators::<T>::get().into_iter().filter(T::ValidatorRegistration::is_registered).collect()
	}

	/// Invariants: the approved set is seeded (not empty), strictly sorted (so without
	/// duplicates) and has at most `MaxValidators`.
	///
	/// A set smaller than `MinValidators` is accepted: only genesis or [`Pallet::initialize`]
	/// can seed one (every removal keeps at least `MinValidators`), and it can only grow from
	/// there.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let validators = Validators::<T>::get();
		ensure!(!validators.is_empty(), "the approved validator set is empty");
		ensure!(
			validators.len() as u32 <= T::MaxValidators::get(),
			"more than MaxValidators approved validators"
		);
		ensure!(
			validators.windows(2).all(|pair| pair[0] < pair[1]),
			"approved validators are not sorted or are listed twice"
		);
		Ok(())
	}
}
