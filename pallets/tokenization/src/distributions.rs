//! Distributions (dividends) and buybacks: payouts held on the payer's account and paid pro rata
//! or at a fixed price, plus the record-point bookkeeping that keeps claims O(1).

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect as _, MutateHold as _},
		tokens::{Fortitude, Precision, Preservation, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, Saturating, Zero},
	Rounding,
};

impl<T: Config> Pallet<T> {
	/// Records, for every open distribution of `token`, the balance each of `accounts` has now,
	/// unless one is already recorded. Called before every balance change of a managed token, so
	/// that a recorded balance is the balance at the record point. At most
	/// `MaxOpenDistributions` entries per account.
	pub fn record_balances(token: &T::TokenId, accounts: &[&T::AccountId]) {
		let open = OpenDistributions::<T>::get(token);
		if open.is_empty() {
			return;
		}
		for who in accounts {
			let balance = T::Assets::total_balance(token.clone(), who);
			for id in open.iter() {
				if !RecordedBalances::<T>::contains_key(id, who) {
					RecordedBalances::<T>::insert(id, who, balance);
				}
			}
		}
	}

	/// `amount × numerator ÷ denominator`, rounded down; `None` on overflow or a zero denominator.
	pub(crate) fn pro_rata(
		amount: T::Balance,
		numerator: T::Balance,
		denominator: T::Balance,
	) -> Option<T::Balance> {
		if denominator.is_zero() {
			return None;
		}
		multiply_by_rational_with_rounding(
			amount.into(),
			numerator.into(),
			denominator.into(),
			Rounding::Down,
		)
		.and_then(|v| T::Balance::try_from(v).ok())
	}

	/// Puts `amount` of `asset` on hold on `who`'s account for `reason`.
	fn hold_funds(
		reason: HoldReason,
		asset: T::FundsAssetId,
		who: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		let spendable = T::Funds::reducible_balance(
			asset.clone(),
			who,
			Preservation::Preserve,
			Fortitude::Polite,
		);
		ensure!(spendable >= amount, Error::<T>::InsufficientFunds);
		T::Funds::hold(asset, &reason.into(), who, amount)
	}

	/// Pays `amount` held for `reason` on `payer`'s account to `payee` (released if the same).
	fn pay_from_hold(
		reason: HoldReason,
		asset: T::FundsAssetId,
		payer: &T::AccountId,
		payee: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		if payer == payee {
			T::Funds::release(asset, &reason.into(), payer, amount, Precision::Exact)?;
		} else {
			T::Funds::transfer_on_hold(
				asset,
				&reason.into(),
				payer,
				payee,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Polite,
			)?;
		}
		Ok(())
	}

	// --- Distributions ---

	pub(crate) fn do_create_distribution(
		payer: T::AccountId,
		token: T::TokenId,
		payout_asset: T::FundsAssetId,
		amount: T::Balance,
		duration: BlockNumberFor<T>,
	) -> Result<DistributionId, DispatchError> {
		Self::fungible_token(&token)?;
		Self::ensure_role(&token, &payer, Role::Admin)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			duration >= T::MinDistributionDuration::get()
				&& duration <= T::MaxDistributionDuration::get(),
			Error::<T>::InvalidDuration
		);
		let record_supply = T::Assets::total_issuance(token.clone());
		ensure!(!record_supply.is_zero(), Error::<T>::NoSupply);
		let id = NextDistributionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let mut open = OpenDistributions::<T>::get(&token);
		open.try_push(id).map_err(|_| Error::<T>::TooManyDistributions)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = now.checked_add(&duration).ok_or(Error::<T>::Overflow)?;

		Self::hold_funds(HoldReason::DistributionFunds, payout_asset.clone(), &payer, amount)?;
		Distributions::<T>::insert(
			id,
			Distribution {
				token: token.clone(),
				payout_asset: payout_asset.clone(),
				payer,
				amount,
				paid: Zero::zero(),
				record_supply,
				record_block: now,
				expires_at,
			},
		);
		OpenDistributions::<T>::insert(&token, open);
		NextDistributionId::<T>::put(next);
		Self::deposit_event(Event::DistributionCreated {
			distribution: id,
			token,
			payout_asset,
			amount,
			record_supply,
			expires_at,
		});
		Ok(id)
	}

	/// `holder`'s unclaimed share of distribution `id` (zero once claimed).
	pub(crate) fn share_of(
		id: DistributionId,
		distribution: &DistributionOf<T>,
		holder: &T::AccountId,
	) -> Option<T::Balance> {
		if DistributionClaims::<T>::contains_key(id, holder) {
			return Some(Zero::zero());
		}
		let balance = RecordedBalances::<T>::get(id, holder)
			.unwrap_or_else(|| T::Assets::total_balance(distribution.token.clone(), holder));
		Self::pro_rata(distribution.amount, balance, distribution.record_supply)
	}

	pub(crate) fn do_claim_distribution(
		holder: T::AccountId,
		id: DistributionId,
	) -> DispatchResult {
		let mut distribution =
			Distributions::<T>::get(id).ok_or(Error::<T>::UnknownDistribution)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < distribution.expires_at, Error::<T>::DistributionExpired);
		ensure!(!DistributionClaims::<T>::contains_key(id, &holder), Error::<T>::AlreadyClaimed);
		let share = Self::share_of(id, &distribution, &holder).ok_or(Error::<T>::Overflow)?;
		ensure!(!share.is_zero(), Error::<T>::NothingToClaim);
		let paid = distribution.paid.checked_add(&share).ok_or(Error::<T>::Overflow)?;
		// Shares round down and balances at the record point sum to the record supply, so this
		// cannot fire; it guards the invariant should either ever be false.
		ensure!(paid <= distribution.amount, Error::<T>::Overflow);

		Self::pay_from_hold(
			HoldReason::DistributionFunds,
			distribution.payout_asset.clone(),
			&distribution.payer,
			&holder,
			share,
		)?;
		DistributionClaims::<T>::insert(id, &holder, ());
		distribution.paid = paid;
		Distributions::<T>::insert(id, distribution);
		Self::deposit_event(Event::DistributionClaimed { distribution: id, holder, amount: share });
		Ok(())
	}

	pub(crate) fn do_close_distribution(id: DistributionId) -> DispatchResult {
		let distribution = Distributions::<T>::get(id).ok_or(Error::<T>::UnknownDistribution)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= distribution.expires_at, Error::<T>::DistributionNotExpired);
		let returned = distribution.amount.saturating_sub(distribution.paid);

		if !returned.is_zero() {
			T::Funds::release(
				distribution.payout_asset.clone(),
				&HoldReason::DistributionFunds.into(),
				&distribution.payer,
				returned,
				Precision::Exact,
			)?;
		}
		OpenDistributions::<T>::mutate(&distribution.token, |open| open.retain(|d| *d != id));
		Distributions::<T>::remove(id);
		Self::deposit_event(Event::DistributionClosed { distribution: id, returned });
		Ok(())
	}

	/// Deletes up to `limit` records of closed distribution `id`: recorded balances first, then
	/// claims.
	pub(crate) fn do_purge_distribution_records(id: DistributionId, limit: u32) -> DispatchResult {
		ensure!((1..=MAX_PURGE_PER_CALL).contains(&limit), Error::<T>::InvalidLimit);
		ensure!(id < NextDistributionId::<T>::get(), Error::<T>::UnknownDistribution);
		ensure!(!Distributions::<T>::contains_key(id), Error::<T>::DistributionStillOpen);

		let balances: alloc::vec::Vec<T::AccountId> =
			RecordedBalances::<T>::iter_key_prefix(id).take(limit as usize).collect();
		for who in &balances {
			RecordedBalances::<T>::remove(id, who);
		}
		let room = (limit as usize).saturating_sub(balances.len());
		let claims: alloc::vec::Vec<T::AccountId> =
			DistributionClaims::<T>::iter_key_prefix(id).take(room).collect();
		for who in &claims {
			DistributionClaims::<T>::remove(id, who);
		}
		let removed = balances.len().saturating_add(claims.len()) as u32;
		let complete = RecordedBalances::<T>::iter_key_prefix(id).next().is_none()
			&& DistributionClaims::<T>::iter_key_prefix(id).next().is_none();
		Self::deposit_event(Event::DistributionRecordsPurged {
			distribution: id,
			removed,
			complete,
		});
		Ok(())
	}

	/// What `holder` can claim now from the token's open distributions.
	pub fn claimable(
		token: T::TokenId,
		holder: T::AccountId,
	) -> alloc::vec::Vec<Claimable<T::FundsAssetId, T::Balance>> {
		let now = frame_system::Pallet::<T>::block_number();
		OpenDistributions::<T>::get(&token)
			.into_iter()
			.filter_map(|id| {
				let distribution = Distributions::<T>::get(id)?;
				if now >= distribution.expires_at {
					return None;
				}
				let amount = Self::share_of(id, &distribution, &holder)?;
				(!amount.is_zero()).then(|| Claimable {
					distribution: id,
					payout_asset: distribution.payout_asset,
					amount,
				})
			})
			.collect()
	}

	// --- Buybacks ---

	pub(crate) fn do_open_buyback(
		buyer: T::AccountId,
		token: T::TokenId,
		payment_asset: T::FundsAssetId,
		price: T::Balance,
		budget: T::Balance,
	) -> Result<BuybackId, DispatchError> {
		let mut details = Self::fungible_token(&token)?;
		Self::ensure_role(&token, &buyer, Role::Admin)?;
		ensure!(!price.is_zero() && !budget.is_zero(), Error::<T>::ZeroAmount);
		let id = NextBuybackId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		details.open_buybacks = details.open_buybacks.checked_add(1).ok_or(Error::<T>::Overflow)?;

		Self::hold_funds(HoldReason::BuybackBudget, payment_asset.clone(), &buyer, budget)?;
		Buybacks::<T>::insert(
			id,
			Buyback {
				token: token.clone(),
				buyer,
				payment_asset: payment_asset.clone(),
				price,
				remaining_budget: budget,
				bought: Zero::zero(),
			},
		);
		NextBuybackId::<T>::put(next);
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(Event::BuybackOpened {
			buyback: id,
			token,
			payment_asset,
			price,
			budget,
		});
		Ok(id)
	}

	/// What `amount` units fetch in buyback `buyback`: `amount × price ÷ 10^decimals`, rounded
	/// down.
	pub(crate) fn tender_value(
		buyback: &BuybackOf<T>,
		decimals: u8,
		amount: T::Balance,
	) -> Option<T::Balance> {
		let unit = 10u128.checked_pow(decimals.into())?;
		let unit = T::Balance::try_from(unit).ok()?;
		Self::pro_rata(amount, buyback.price, unit)
	}

	pub(crate) fn do_tender(
		holder: T::AccountId,
		id: BuybackId,
		amount: T::Balance,
	) -> DispatchResult {
		let mut buyback = Buybacks::<T>::get(id).ok_or(Error::<T>::UnknownBuyback)?;
		let details = Self::fungible_token(&buyback.token)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::ensure_can_move(&buyback.token, &details, Some(&holder), None)?;
		Self::ensure_transferable(&buyback.token, &holder, amount)?;
		Self::ensure_compliant(&buyback.token, MoveKind::Burn, Some(&holder), None, amount)?;
		let payment =
			Self::tender_value(&buyback, details.decimals, amount).ok_or(Error::<T>::Overflow)?;
		ensure!(!payment.is_zero(), Error::<T>::TenderTooSmall);
		ensure!(payment <= buyback.remaining_budget, Error::<T>::BudgetExhausted);
		let bought = buyback.bought.checked_add(&amount).ok_or(Error::<T>::Overflow)?;

		Self::burn_units(&buyback.token, &holder, amount)?;
		Self::pay_from_hold(
			HoldReason::BuybackBudget,
			buyback.payment_asset.clone(),
			&buyback.buyer,
			&holder,
			payment,
		)?;
		buyback.remaining_budget = buyback.remaining_budget.saturating_sub(payment);
		buyback.bought = bought;
		let token = buyback.token.clone();
		Buybacks::<T>::insert(id, buyback);
		Self::deposit_event(Event::Burned { token, from: holder.clone(), amount });
		Self::deposit_event(Event::Tendered { buyback: id, holder, amount, paid: payment });
		Ok(())
	}

	pub(crate) fn do_close_buyback(who: T::AccountId, id: BuybackId) -> DispatchResult {
		let buyback = Buybacks::<T>::get(id).ok_or(Error::<T>::UnknownBuyback)?;
		ensure!(
			who == buyback.buyer || Roles::<T>::get(&buyback.token, &who).contains(Role::Admin),
			Error::<T>::MissingRole
		);
		if !buyback.remaining_budget.is_zero() {
			T::Funds::release(
				buyback.payment_asset.clone(),
				&HoldReason::BuybackBudget.into(),
				&buyback.buyer,
				buyback.remaining_budget,
				Precision::Exact,
			)?;
		}
		Buybacks::<T>::remove(id);
		Tokens::<T>::mutate(&buyback.token, |details| {
			if let Some(details) = details {
				details.open_buybacks = details.open_buybacks.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::BuybackClosed {
			buyback: id,
			bought: buyback.bought,
			returned: buyback.remaining_budget,
		});
		Ok(())
	}
}
