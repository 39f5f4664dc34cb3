//! What this pallet keeps per token (its rules, its senders' velocity entries), removed in
//! bounded steps when the tokenization pallet destroys the token.

use super::*;
use alloc::vec::Vec;
use frame_support::{defensive, traits::Get, weights::Weight};
use pallet_tokenization::{Deposit, TokenRecords};

impl<T: Config> TokenRecords<TokenIdOf<T>> for Pallet<T> {
	fn purge_accounts(token: &TokenIdOf<T>, limit: u32) -> u32 {
		let entries: Vec<_> = Velocity::<T>::iter_prefix(token).take(limit as usize).collect();
		for (who, window) in entries.iter() {
			let deposit = Deposit { depositor: who.clone(), amount: window.deposit };
			// A best-effort release of what the entry holds; failing would mean the held
			// deposits and the entries disagree already (a `try_state` failure).
			if deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into()).is_err() {
				defensive!("a velocity entry's deposit could not be released");
			}
			Velocity::<T>::remove(token, who);
			Self::deposit_event(Event::VelocityEntryRemoved {
				token: token.clone(),
				who: who.clone(),
				deposit: window.deposit,
			});
		}
		entries.len() as u32
	}

	fn has_accounts(token: &TokenIdOf<T>) -> bool {
		Velocity::<T>::iter_key_prefix(token).next().is_some()
	}

	fn forget(token: &TokenIdOf<T>) {
		if TokenCompliance::<T>::take(token).is_some() {
			Self::deposit_event(Event::TokenRulesCleared { token: token.clone() });
		}
	}

	// Each entry is what `purge_velocity` removes.
	fn purge_accounts_weight(n: u32) -> Weight {
		<T as Config>::WeightInfo::purge_velocity().saturating_mul(n.into())
	}

	fn forget_weight() -> Weight {
		<T as Config>::WeightInfo::clear_token_rules().saturating_add(T::DbWeight::get().reads(1))
	}
}
