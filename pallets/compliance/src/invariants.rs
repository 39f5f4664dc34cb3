//! `try_state` invariants, run after every block in try-runtime and after the unit tests.

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{ensure, traits::fungibles::InspectHold as _};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// - Funds on hold for review equal the sum of the open review cases, per sender and token.
	/// - Every open case is in the expiry bucket of its block, and every bucket entry is open.
	/// - No expired claim counts; no empty standing is stored.
	/// - Each holder holds the storage deposits of its disclosed attributes and velocity
	///   entries.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut held: BTreeMap<Vec<u8>, (TokenIdOf<T>, T::AccountId, BalanceOf<T>)> =
			BTreeMap::new();
		for (id, case) in ReviewCases::<T>::iter() {
			ensure!(
				CaseExpiries::<T>::get(case.expires_at).contains(&id),
				"open case missing from its expiry bucket"
			);
			let entry = held
				.entry((&case.token, &case.from).encode())
				.or_insert_with(|| (case.token.clone(), case.from.clone(), Zero::zero()));
			entry.2 = entry.2.saturating_add(case.amount);
		}
		for (token, from, amount) in held.into_values() {
			let on_hold = T::Holder::balance_on_hold(token, &HoldReason::Review.into(), &from);
			ensure!(on_hold == amount, "held funds differ from the open review cases");
		}
		for (_, ids) in CaseExpiries::<T>::iter() {
			for id in ids.iter() {
				ensure!(ReviewCases::<T>::contains_key(id), "expiry bucket names a closed case");
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (who, standing) in Standings::<T>::iter() {
			ensure!(!standing.is_empty(), "an empty standing is stored");
			if standing.claim.is_some_and(|claim| claim.facts.expires_at <= now) {
				ensure!(Self::valid_claim(&who).is_none(), "an expired claim counts");
			}
		}
		for (who, _, disclosure) in DisclosedAttributes::<T>::iter() {
			ensure!(
				disclosure.deposit.depositor == who,
				"disclosure deposit paid by another account"
			);
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			DisclosedAttributes::<T>::iter_values().map(|disclosure| disclosure.deposit).chain(
				Velocity::<T>::iter()
					.map(|(_, who, window)| Deposit { depositor: who, amount: window.deposit }),
			),
		)?;
		Ok(())
	}
}
