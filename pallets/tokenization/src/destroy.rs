//! Destroying a token in `pallet-assets`' three steps: start (nothing moves or changes any more),
//! remove the per-account records in bounded steps, finish (the ledger entry, the token and its
//! one-per-token records, the issuer's deposit and the renounced powers' deposit).

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::MutateHold as _,
		fungibles::{Destroy as _, Inspect as _},
		tokens::{nonfungibles_v2::Destroy as _, Precision},
	},
};
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_start_destroy(admin: T::AccountId, token: T::TokenId) -> DispatchResult {
		let mut details = Self::token(&token)?;
		Self::ensure_role(&token, &admin, Role::Admin)?;
		let supply_left = match details.collection {
			Some(_) => details.items > 0,
			None => !T::Assets::total_issuance(token.clone()).is_zero(),
		};
		ensure!(!supply_left, Error::<T>::SupplyOutstanding);
		ensure!(details.pending_redemptions == 0, Error::<T>::RedemptionsPending);
		ensure!(details.open_buybacks == 0, Error::<T>::BuybacksOpen);
		ensure!(
			OpenDistributions::<T>::decode_len(&token).unwrap_or(0) == 0,
			Error::<T>::DistributionsOpen
		);

		details.status = TokenStatus::Destroying;
		let fungible = details.collection.is_none();
		// Stored first: `pallet-assets` refuses to start while this pallet, its freezer, reports
		// freezes, which it does for live tokens only.
		Tokens::<T>::insert(&token, details);
		if fungible {
			T::Assets::start_destroy(token.clone(), None)?;
		}
		Self::deposit_event(Event::DestructionStarted { token, by: admin });
		Ok(())
	}

	pub(crate) fn do_destroy_accounts(token: T::TokenId, limit: u32) -> DispatchResultWithPostInfo {
		ensure!((1..=MAX_PURGE_PER_CALL).contains(&limit), Error::<T>::InvalidLimit);
		Self::destroying_token(&token)?;
		let own = Self::remove_account_records(&token, limit);
		let foreign = T::TokenRecords::purge_accounts(&token, limit.saturating_sub(own));
		let complete = !Self::has_account_records(&token) && !T::TokenRecords::has_accounts(&token);
		Self::deposit_event(Event::AccountsDestroyed {
			token,
			removed: own.saturating_add(foreign),
			complete,
		});
		Ok(Some(Self::destroy_accounts_weight(own, foreign)).into())
	}

	/// Weight of [`Pallet::destroy_accounts`] removing `own` records of this pallet and
	/// `foreign` of [`Config::TokenRecords`].
	pub fn destroy_accounts_weight(own: u32, foreign: u32) -> Weight {
		T::WeightInfo::destroy_accounts(own)
			.saturating_add(T::TokenRecords::purge_accounts_weight(foreign))
	}

	pub(crate) fn do_finish_destroy(token: T::TokenId) -> DispatchResult {
		let details = Self::destroying_token(&token)?;
		ensure!(
			!Self::has_account_records(&token) && !T::TokenRecords::has_accounts(&token),
			Error::<T>::AccountsRemain
		);

		match details.collection {
			Some(collection) => {
				// Every item is burned (the start needs none left), and a burn enables
				// transfers first, so no item config or metadata is left for the witness to
				// count; the witness is read anyway, and `pallet-nfts` checks it.
				let witness =
					T::Nfts::get_destroy_witness(&collection).ok_or(Error::<T>::UnknownToken)?;
				T::Nfts::destroy(collection, witness, None)?;
				CollectionTokens::<T>::remove(collection);
			}
			// Refuses (`InUse`) while any account or approval is left in `pallet-assets`: with
			// no supply and every direct call on the asset filtered, none can be.
			None => T::Assets::finish_destroy(token.clone())?,
		}
		T::TokenRecords::forget(&token);
		ReserveAttestors::<T>::remove(&token);
		Reserves::<T>::remove(&token);
		Self::forget_renounced_powers(&token)?;
		Templates::<T>::mutate(details.template, |template| {
			if let Some(template) = template {
				template.live_tokens = template.live_tokens.saturating_sub(1);
			}
		});
		T::Currency::release(
			&HoldReason::TokenDeposit.into(),
			&details.issuer,
			details.deposit,
			Precision::BestEffort,
		)?;
		Tokens::<T>::remove(&token);
		Self::deposit_event(Event::TokenDestroyed {
			token,
			issuer: details.issuer,
			deposit: details.deposit,
		});
		Ok(())
	}

	/// `(pending redemptions, open buybacks)` of each token that has any, counted from the
	/// records: what each token's counts must equal. Iterates both maps, so only for migrations
	/// and invariant checks.
	pub(crate) fn obligations_by_token() -> BTreeMap<T::TokenId, (u32, u32)> {
		let mut counts = BTreeMap::<T::TokenId, (u32, u32)>::new();
		for redemption in Redemptions::<T>::iter_values() {
			let entry = counts.entry(redemption.token).or_default();
			entry.0 = entry.0.saturating_add(1);
		}
		for buyback in Buybacks::<T>::iter_values() {
			let entry = counts.entry(buyback.token).or_default();
			entry.1 = entry.1.saturating_add(1);
		}
		counts
	}

	fn destroying_token(token: &T::TokenId) -> Result<TokenDetailsOf<T>, DispatchError> {
		let details = Tokens::<T>::get(token).ok_or(Error::<T>::UnknownToken)?;
		ensure!(details.status == TokenStatus::Destroying, Error::<T>::NotDestroying);
		Ok(details)
	}

	/// Removes up to `limit` of the token's roles, account states and lock-ups; how many.
	fn remove_account_records(token: &T::TokenId, limit: u32) -> u32 {
		let mut removed = take_keys(Roles::<T>::iter_key_prefix(token), limit, |who| {
			Roles::<T>::remove(token, who)
		});
		removed = removed.saturating_add(take_keys(
			AccountStates::<T>::iter_key_prefix(token),
			limit.saturating_sub(removed),
			|who| AccountStates::<T>::remove(token, who),
		));
		removed.saturating_add(take_keys(
			Lockups::<T>::iter_key_prefix(token),
			limit.saturating_sub(removed),
			|who| Lockups::<T>::remove(token, who),
		))
	}

	fn has_account_records(token: &T::TokenId) -> bool {
		Roles::<T>::iter_key_prefix(token).next().is_some()
			|| AccountStates::<T>::iter_key_prefix(token).next().is_some()
			|| Lockups::<T>::iter_key_prefix(token).next().is_some()
	}
}

/// Removes (by `remove`) the first `limit` of `keys`; how many. The keys are read before any is
/// removed, so removal never disturbs the iteration.
fn take_keys<K>(keys: impl Iterator<Item = K>, limit: u32, remove: impl Fn(&K)) -> u32 {
	if limit == 0 {
		return 0;
	}
	let keys: Vec<K> = keys.take(limit as usize).collect();
	keys.iter().for_each(remove);
	keys.len() as u32
}
