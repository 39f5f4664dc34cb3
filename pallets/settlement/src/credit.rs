//! Bilateral credit limits within a clearing scheme: a member caps what another may owe it, net,
//! in a cycle, on top of the scheme's net debit cap. Usage is counted only between members with
//! a limit in either direction, so that payments between the others cost nothing more.

use super::*;
use frame_support::{ensure, pallet_prelude::*};
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// `creditor` sets (or removes, with `None`) the limit it grants `debtor`.
	pub fn do_set_credit_limit(
		creditor: T::AccountId,
		id: SchemeId,
		debtor: T::AccountId,
		limit: Option<BalanceOf<T>>,
	) -> DispatchResult {
		ensure!(Schemes::<T>::contains_key(id), Error::<T>::UnknownScheme);
		ensure!(creditor != debtor, Error::<T>::SelfCreditLimit);
		let granter = Members::<T>::get(id, &creditor).ok_or(Error::<T>::NotMember)?;
		let mut record = Members::<T>::get(id, &debtor).ok_or(Error::<T>::NotMember)?;
		let existing = record.credit_limits.iter().position(|(c, _)| c == &creditor);
		match (existing, limit) {
			(Some(index), Some(limit)) => {
				if let Some(entry) = record.credit_limits.get_mut(index) {
					entry.1 = limit;
				}
			}
			(None, Some(limit)) => record
				.credit_limits
				.try_push((creditor.clone(), limit))
				.map_err(|_| Error::<T>::TooManyCreditLimits)?,
			(Some(index), None) => {
				record.credit_limits.remove(index);
			}
			(None, None) => return Err(Error::<T>::NoCreditLimit.into()),
		}

		// Without a limit either way, the pair's usage is no longer kept.
		if limit.is_none() && granter.credit_limit(&debtor).is_none() {
			CreditUsage::<T>::remove((id, &debtor), &creditor);
			CreditUsage::<T>::remove((id, &creditor), &debtor);
		}
		Members::<T>::insert(id, &debtor, record);
		Self::deposit_event(Event::CreditLimitSet { scheme: id, creditor, debtor, limit });
		Ok(())
	}

	/// What `payer` paid `payee` in `cycle` of scheme `id`, as far as it is counted.
	pub(crate) fn credit_used(
		id: SchemeId,
		payer: &T::AccountId,
		payee: &T::AccountId,
		cycle: CycleNumber,
	) -> BalanceOf<T> {
		match CreditUsage::<T>::get((id, payer), payee) {
			Some((counted, amount)) if counted == cycle => amount,
			_ => Zero::zero(),
		}
	}

	/// Checks a payment of `amount` from `payer` to `payee` against the limit the payee granted
	/// the payer, if any; returns the payer's new counted sum to the payee if the pair's usage
	/// is kept (a limit in either direction). Changes nothing.
	pub(crate) fn check_credit_limit(
		id: SchemeId,
		cycle: CycleNumber,
		(payer, payer_record): (&T::AccountId, &SchemeMemberOf<T>),
		(payee, payee_record): (&T::AccountId, &SchemeMemberOf<T>),
		amount: BalanceOf<T>,
	) -> Result<Option<BalanceOf<T>>, DispatchError> {
		let limit = payer_record.credit_limit(payee);
		if limit.is_none() && payee_record.credit_limit(payer).is_none() {
			return Ok(None);
		}
		let paid = Self::credit_used(id, payer, payee, cycle)
			.checked_add(&amount)
			.ok_or(Error::<T>::Overflow)?;
		if let Some(limit) = limit {
			let owed = paid.saturating_sub(Self::credit_used(id, payee, payer, cycle));
			ensure!(owed <= limit, Error::<T>::OverCreditLimit);
		}
		Ok(Some(paid))
	}

	/// Drops every limit `member` granted or was granted in scheme `id`, and their usage: it
	/// is leaving. Returns how many members were looked at.
	pub(crate) fn drop_credit_limits(
		id: SchemeId,
		member: &T::AccountId,
		record: &SchemeMemberOf<T>,
	) -> u32 {
		let members = SchemeMembers::<T>::get(id);
		for other in members.iter().filter(|other| *other != member) {
			let mut granted = false;
			if let Some(mut entry) = Members::<T>::get(id, other) {
				if entry.credit_limit(member).is_some() {
					entry.credit_limits.retain(|(creditor, _)| creditor != member);
					Members::<T>::insert(id, other, entry);
					granted = true;
				}
			}
			if granted || record.credit_limit(other).is_some() {
				CreditUsage::<T>::remove((id, member), other);
				CreditUsage::<T>::remove((id, other), member);
			}
		}
		members.len() as u32
	}

	/// The limits `who` was granted in scheme `id`, with what it owes each creditor, net, in
	/// the open cycle.
	pub(crate) fn credit_lines(
		id: SchemeId,
		who: &T::AccountId,
		record: &SchemeMemberOf<T>,
		cycle: CycleNumber,
	) -> alloc::vec::Vec<CreditLineView<T::AccountId, BalanceOf<T>>> {
		record
			.credit_limits
			.iter()
			.map(|(creditor, limit)| CreditLineView {
				creditor: creditor.clone(),
				limit: *limit,
				used: Self::credit_used(id, who, creditor, cycle)
					.saturating_sub(Self::credit_used(id, creditor, who, cycle)),
			})
			.collect()
	}
}
