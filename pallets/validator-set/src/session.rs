//! What `pallet-session` and `pallet-offences` call: the session manager, the offence handler,
//! and the (trivial) full identification of a validator for `pallet-session`'s historical
//! proofs.

use super::*;
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight};
use sp_runtime::{traits::Convert, Perbill};
use sp_staking::{
	offence::{OffenceDetails, OnOffenceHandler},
	SessionIndex,
};

/// Hands the approved set to `pallet-session` when it changed.
impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	/// The set for session `new_index` (called when session `new_index - 1` starts): the
	/// approved validators that have session keys if the set changed since the last hand-over,
	/// else `None` (the current validators carry on). Never an empty set: if no approved
	/// validator has keys, `None`, and the change stays pending for the next session.
	///
	/// Bounded by `MaxValidators` (one registration check per approved validator).
	fn new_session(new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		if !SetChanged::<T>::get() {
			return None;
		}
		let validators = Self::registered_validators();
		if validators.is_empty() {
			Self::deposit_event(Event::NewSetRefused { session: new_index });
			return None;
		}
		SetChanged::<T>::put(false);
		Self::deposit_event(Event::NewSetQueued {
			session: new_index,
			validators: validators.len() as u32,
		});
		Some(validators)
	}

	/// The genesis sets of sessions 0 and 1: the approved validators that have session keys
	/// (`pallet-session`'s genesis has set its keys by then), or `None` if there are none (then
	/// `pallet-session` takes its genesis keys' accounts). Whether the set changed plays no
	/// part.
	fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
		let validators = Self::registered_validators();
		(!validators.is_empty()).then_some(validators)
	}

	fn end_session(_end_index: SessionIndex) {}

	fn start_session(_start_index: SessionIndex) {}
}

/// Removes reported offenders from the approved set.
///
/// Validators bond nothing, so there is nothing to slash and `slash_fraction` is ignored: the set
/// is permissioned, and losing one's place in it is the sanction (governance may approve the
/// validator again). An offender is removed unless that would leave fewer than `MinValidators`
/// (offenders are taken in the order reported); one kept for that reason is reported with
/// [`Event::OffenderKept`]. Offenders that are not approved validators (already removed, or never
/// approved) are ignored. The removal takes effect like [`Pallet::remove_validator`]'s, from the
/// session after the next; `pallet-session`'s disabling strategy sidelines the offender in the
/// meantime.
///
/// Generic over the full identification, so that it takes `pallet-session` historical's
/// `IdentificationTuple` (`(ValidatorId, FullIdentification)`) whatever `FullIdentification` is.
/// At most `MaxValidators` offenders are considered (more cannot be distinct members of the
/// active set, which this pallet chose).
impl<T: Config, FullId> OnOffenceHandler<T::AccountId, (T::AccountId, FullId), Weight>
	for Pallet<T>
{
	fn on_offence(
		offenders: &[OffenceDetails<T::AccountId, (T::AccountId, FullId)>],
		_slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		let considered = offenders.len().min(T::MaxValidators::get() as usize);
		let mut validators = Validators::<T>::get();
		let min = Self::min_validators();
		let mut removed = false;
		for details in &offenders[..considered] {
			let who = &details.offender.0;
			let Ok(position) = validators.binary_search(who) else { continue };
			if validators.len() > min {
				validators.remove(position);
				removed = true;
				Self::deposit_event(Event::ValidatorRemovedForOffence {
					who: who.clone(),
					session,
				});
			} else {
				Self::deposit_event(Event::OffenderKept { who: who.clone(), session });
			}
		}
		if removed {
			Self::put_changed_set(validators);
		}
		T::WeightInfo::on_offence(considered as u32)
	}
}

/// The full identification of a validator for `pallet-session`'s historical proofs
/// (`pallet_session::historical::Config::FullIdentificationOf`, with `FullIdentification = ()`):
/// validators bond nothing, so there is nothing to identify beyond the account. Every account
/// converts to `Some(())`, members or not: a validator removed from the approved set still
/// validates for up to two sessions, and its offences there must stay provable.
pub struct FullIdentificationOf<T>(core::marker::PhantomData<T>);

impl<T: Config> Convert<T::AccountId, Option<()>> for FullIdentificationOf<T> {
	fn convert(_who: T::AccountId) -> Option<()> {
		Some(())
	}
}
