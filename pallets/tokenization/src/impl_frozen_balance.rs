//! Lock-ups, freezes and the pause, enforced by the ledger itself: `pallet-assets` asks this
//! pallet how much of an account is frozen before every debit, whatever path the debit comes from.

use super::*;
use frame_support::traits::fungibles::InspectHold as _;
use polkadot_sdk::pallet_assets::FrozenBalance;
use sp_runtime::traits::{Bounded, Saturating, Zero};

impl<T: Config> FrozenBalance<T::TokenId, T::AccountId, T::Balance> for Pallet<T> {
	fn frozen_balance(token: T::TokenId, who: &T::AccountId) -> Option<T::Balance> {
		let details = Tokens::<T>::get(&token)?;
		// A token being destroyed has no units; its emptied accounts must be free to go.
		if details.status == TokenStatus::Destroying {
			return None;
		}
		let frozen = if details.paused || Self::account_state(&token, who).frozen.is_some() {
			T::Balance::max_value()
		} else {
			let locked = Self::locked_balance(&token, who);
			if locked.is_zero() {
				return None;
			}
			// `pallet-assets` lets holds use frozen units (untouchable = frozen - held); units
			// held for a compliance review are unlocked ones, so add them to keep the locked
			// units untouchable.
			locked.saturating_add(T::Holds::total_balance_on_hold(token.clone(), who))
		};
		// Read last: a clawback is rare, and most debits have nothing frozen.
		if ForcedDebit::<T>::get().is_some_and(|(t, account)| t == token && &account == who) {
			return None;
		}
		Some(frozen)
	}

	fn died(token: T::TokenId, who: &T::AccountId) {
		// An account with live lock-ups cannot die (its frozen balance keeps it); what is left are
		// fully unlocked schedules.
		Lockups::<T>::remove(token, who);
	}

	fn contains_freezes(token: T::TokenId) -> bool {
		// A managed token is destroyed only through this pallet, which marks it first.
		Tokens::<T>::get(token).is_some_and(|details| details.status == TokenStatus::Live)
	}
}
