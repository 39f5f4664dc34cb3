//! Deferred net settlement: a closed cycle is settled one member per step, at most
//! `NettingStepsPerBlock` steps in a block, in two passes over the member list.
//!
//! 1. **Collect**: each net debtor pays its net debit into the scheme account in one transfer,
//!    from its free balance and, for what that does not cover, from its collateral (released
//!    from hold first, so it is still one transfer). What neither covers is the member's
//!    *shortfall*: the member is suspended and the shortfall recorded.
//! 2. **Pay out**: each net creditor is paid in one transfer. With no shortfall, its net credit;
//!    otherwise the **default rule**: the shortfall is shared by the net creditors pro rata to
//!    their net credits, each payout `credit × (net − shortfall) / net`, rounded down. The units
//!    rounding leaves (fewer than the number of creditors) stay in the scheme account and are
//!    reported as the cycle's residue. A payout the asset refuses (a frozen account) is kept for
//!    the member to claim.
//!
//! Every member's outcome is thus known in advance from the positions, the balances and the
//! collateral; every step emits an event.

use super::*;
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungibles::{Inspect as _, Mutate as _, MutateHold as _},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, One, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
	Rounding,
};

impl<T: Config> Pallet<T> {
	/// Closes scheme `id`'s open cycle at block `now`: the next cycle opens at once, and the
	/// closed one, if anything cleared in it, is queued for netting.
	pub fn do_close_cycle(id: SchemeId, now: BlockNumberFor<T>) -> DispatchResult {
		let mut scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		ensure!(scheme.status == SchemeStatus::Active, Error::<T>::SchemeNotActive);
		ensure!(!Nettings::<T>::contains_key(id), Error::<T>::NettingInProgress);
		let closed = scheme.cycle;
		let next_cycle = closed.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let next_close = now.checked_add(&scheme.cycle_length).ok_or(Error::<T>::Overflow)?;
		// One read tells whether anything cleared in the cycle.
		let cleared = Positions::<T>::iter_prefix((id, closed)).next().is_some();

		if cleared {
			NettingQueue::<T>::try_mutate(|queue| queue.try_push(id))
				.map_err(|_| Error::<T>::TooManySchemes)?;
			Nettings::<T>::insert(id, Netting::new(closed));
		}
		Self::unschedule_close(id, scheme.closes_at);
		Self::schedule_close(id, next_close)?;
		scheme.cycle = next_cycle;
		scheme.cycle_started = now;
		scheme.closes_at = next_close;
		Schemes::<T>::insert(id, scheme);
		Self::deposit_event(Event::CycleClosed { scheme: id, cycle: closed });
		if !cleared {
			Self::finish(id, closed, &Netting::new(closed), now);
		}
		Ok(())
	}

	/// The hook's work at block `now`: the cycles due to close, then up to
	/// `NettingStepsPerBlock` netting steps. Returns the weight used.
	pub(crate) fn clear_and_settle(now: BlockNumberFor<T>) -> Weight {
		let db = T::DbWeight::get();
		let mut weight = db.reads_writes(2, 1);
		for id in CycleCloses::<T>::take(now) {
			weight.saturating_accrue(T::WeightInfo::close_cycle());
			if Nettings::<T>::contains_key(id) {
				// The previous cycle still settles: this one closes once it is done.
				let _ = with_storage_layer(|| Self::postpone_close(id, now));
				continue;
			}
			if let Err(error) = with_storage_layer(|| Self::do_close_cycle(id, now)) {
				Self::deposit_event(Event::CycleCloseFailed { scheme: id, error });
			}
		}
		let mut steps = T::NettingStepsPerBlock::get();
		while steps > 0 {
			let Some(id) = NettingQueue::<T>::get().first().copied() else { break };
			steps = steps.saturating_sub(1);
			weight.saturating_accrue(Self::netting_step_weight());
			if Self::netting_step(id, now) {
				NettingQueue::<T>::mutate(|queue| queue.retain(|x| *x != id));
			}
		}
		weight
	}

	/// Worst-case weight of [`Self::clear_and_settle`], for the block's budget.
	pub fn max_clear_and_settle_weight() -> Weight {
		T::DbWeight::get()
			.reads_writes(2, 1)
			.saturating_add(
				T::WeightInfo::close_cycle().saturating_mul(T::MaxSchemes::get().into()),
			)
			.saturating_add(
				Self::netting_step_weight().saturating_mul(T::NettingStepsPerBlock::get().into()),
			)
	}

	/// Weight of one netting step, whichever pass.
	pub fn netting_step_weight() -> Weight {
		T::WeightInfo::netting_collect().max(T::WeightInfo::netting_pay_out())
	}

	/// Moves scheme `id`'s due close to the next block.
	fn postpone_close(id: SchemeId, now: BlockNumberFor<T>) -> DispatchResult {
		let next = now.saturating_add(One::one());
		Self::schedule_close(id, next)?;
		Schemes::<T>::mutate(id, |scheme| {
			if let Some(scheme) = scheme {
				scheme.closes_at = next;
			}
		});
		Ok(())
	}

	/// Settles one member of scheme `id`'s netting; returns whether the netting is over.
	pub(crate) fn netting_step(id: SchemeId, now: BlockNumberFor<T>) -> bool {
		let (Some(mut netting), Some(scheme)) = (Nettings::<T>::get(id), Schemes::<T>::get(id))
		else {
			Nettings::<T>::remove(id);
			return true;
		};
		let member = SchemeMembers::<T>::get(id).get(netting.cursor as usize).cloned();
		match (member, netting.phase) {
			(Some(member), NettingPhase::Collect) => {
				Self::collect(id, &scheme, &mut netting, member);
			}
			(Some(member), NettingPhase::PayOut) => {
				Self::pay_out(id, &scheme, &mut netting, member);
			}
			(None, NettingPhase::Collect) => {
				netting.phase = NettingPhase::PayOut;
				netting.cursor = 0;
				Self::deposit_event(Event::NetDebitsCollected {
					scheme: id,
					cycle: netting.cycle,
					collected: netting.collected,
					shortfall: netting.shortfall,
				});
				Nettings::<T>::insert(id, netting);
				return false;
			}
			(None, NettingPhase::PayOut) => {
				Nettings::<T>::remove(id);
				Self::finish(id, netting.cycle, &netting, now);
				return true;
			}
		}
		netting.cursor = netting.cursor.saturating_add(1);
		Nettings::<T>::insert(id, netting);
		false
	}

	/// The collect pass for one member: a net debtor pays its net debit in.
	fn collect(
		id: SchemeId,
		scheme: &SchemeOf<T>,
		netting: &mut NettingOf<T>,
		member: T::AccountId,
	) {
		let key = (id, netting.cycle);
		let position = Positions::<T>::get(key, &member);
		// Every payment counts once, on its payer's side.
		netting.gross.saturating_accrue(position.paid);
		let debit = scheme::net_debit(&position);
		if debit.is_zero() {
			// A creditor waits for the pay-out pass; a member with nothing net is done.
			let credit = scheme::net_credit(&position);
			netting.net.saturating_accrue(credit);
			if credit.is_zero() {
				Positions::<T>::remove(key, &member);
			}
			return;
		}
		Positions::<T>::remove(key, &member);
		let mut record = Members::<T>::get(id, &member)
			.unwrap_or_else(|| SchemeMemberOf::<T>::new(Zero::zero()));
		let asset = scheme.asset.clone();
		let free = Self::payable(&asset, &member);
		let from_collateral = debit.saturating_sub(free).min(record.collateral);
		// One transfer: what the collateral covers is released first. Should the transfer fail
		// (the asset frozen for the member), neither happens and the whole debit is a shortfall.
		let paid = with_storage_layer(|| {
			if !from_collateral.is_zero() {
				T::Assets::release(
					asset.clone(),
					&HoldReason::Collateral.into(),
					&member,
					from_collateral,
					Precision::Exact,
				)?;
			}
			let amount = debit.min(Self::payable(&asset, &member));
			if !amount.is_zero() {
				T::Transfers::transfer(
					asset.clone(),
					&member,
					&Self::scheme_account(id),
					amount,
					Preservation::Expendable,
				)?;
			}
			Ok::<_, DispatchError>(amount)
		});
		let (paid, from_collateral) = match paid {
			Ok(paid) => (paid, from_collateral),
			Err(_) => (Zero::zero(), Zero::zero()),
		};
		record.collateral.saturating_reduce(from_collateral);
		let shortfall = debit.saturating_sub(paid);
		netting.collected.saturating_accrue(paid);
		if !paid.is_zero() {
			netting.transfers = netting.transfers.saturating_add(1);
		}
		Self::deposit_event(Event::NetDebitCollected {
			scheme: id,
			cycle: netting.cycle,
			member: member.clone(),
			amount: paid,
			from_collateral,
		});
		if !shortfall.is_zero() {
			record.suspended = true;
			netting.shortfall.saturating_accrue(shortfall);
			Self::deposit_event(Event::MemberDefaulted {
				scheme: id,
				cycle: netting.cycle,
				member: member.clone(),
				owed: debit,
				shortfall,
			});
		}
		Members::<T>::insert(id, &member, record);
	}

	/// What `member` can pay out of its free balance of `asset`.
	fn payable(asset: &AssetKindOf<T>, member: &T::AccountId) -> BalanceOf<T> {
		T::Assets::reducible_balance(
			asset.clone(),
			member,
			Preservation::Expendable,
			Fortitude::Polite,
		)
	}

	/// The pay-out pass for one member: a net creditor is paid its net credit, less its share
	/// of the cycle's shortfall.
	fn pay_out(
		id: SchemeId,
		scheme: &SchemeOf<T>,
		netting: &mut NettingOf<T>,
		member: T::AccountId,
	) {
		let position = Positions::<T>::take((id, netting.cycle), &member);
		let credit = scheme::net_credit(&position);
		if credit.is_zero() {
			return;
		}
		let amount = if netting.shortfall.is_zero() {
			credit
		} else {
			pro_rata(credit, netting.net.saturating_sub(netting.shortfall), netting.net)
		};
		let haircut = credit.saturating_sub(amount);
		if !amount.is_zero() {
			let paid = with_storage_layer(|| {
				T::Transfers::transfer(
					scheme.asset.clone(),
					&Self::scheme_account(id),
					&member,
					amount,
					Preservation::Preserve,
				)
			});
			if paid.is_ok() {
				netting.transfers = netting.transfers.saturating_add(1);
			} else {
				Unclaimed::<T>::mutate(id, &member, |owed| owed.saturating_accrue(amount));
				Self::deposit_event(Event::PayoutKept {
					scheme: id,
					cycle: netting.cycle,
					member: member.clone(),
					amount,
				});
			}
			netting.paid_out.saturating_accrue(amount);
		}
		Self::deposit_event(Event::NetCreditPaid {
			scheme: id,
			cycle: netting.cycle,
			member,
			amount,
			haircut,
		});
	}

	/// A member takes a payout the asset refused when the cycle settled.
	pub fn do_claim_payout(member: T::AccountId, id: SchemeId) -> DispatchResult {
		let scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		let amount = Unclaimed::<T>::get(id, &member);
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);

		T::Transfers::transfer(
			scheme.asset,
			&Self::scheme_account(id),
			&member,
			amount,
			Preservation::Preserve,
		)?;
		Unclaimed::<T>::remove(id, &member);
		Self::deposit_event(Event::PayoutClaimed { scheme: id, member, amount });
		Ok(())
	}

	/// Records a settled cycle.
	fn finish(id: SchemeId, cycle: CycleNumber, netting: &NettingOf<T>, now: BlockNumberFor<T>) {
		let summary = CycleSummary {
			cycle,
			gross: netting.gross,
			net: netting.net,
			shortfall: netting.shortfall,
			transfers: netting.transfers,
			settled_at: now,
		};
		LastSettled::<T>::insert(id, summary);
		Self::deposit_event(Event::CycleSettled {
			scheme: id,
			cycle,
			gross: netting.gross,
			net: netting.net,
			shortfall: netting.shortfall,
			transfers: netting.transfers,
			residue: netting.collected.saturating_sub(netting.paid_out),
		});
	}
}

/// `amount × numerator / denominator`, rounded down (`amount` if the denominator is zero).
pub(crate) fn pro_rata<B: UniqueSaturatedInto<u128> + UniqueSaturatedFrom<u128> + Copy>(
	amount: B,
	numerator: B,
	denominator: B,
) -> B {
	let (a, n, d): (u128, u128, u128) = (
		amount.unique_saturated_into(),
		numerator.unique_saturated_into(),
		denominator.unique_saturated_into(),
	);
	if d == 0 {
		return amount;
	}
	B::unique_saturated_from(
		multiply_by_rational_with_rounding(a, n, d, Rounding::Down).unwrap_or(a),
	)
}
