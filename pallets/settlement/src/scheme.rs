//! Clearing schemes: members, collateral, caps, and payments cleared at once against net
//! positions (no units move until the cycle settles, [`crate::netting`]).

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect as _, InspectHold as _, Mutate as _, MutateHold as _},
		tokens::{Precision, Preservation},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, CheckedAdd, CheckedSub, One, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// The account a scheme's settlement passes through.
	pub fn scheme_account(scheme: SchemeId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(scheme)
	}

	/// Creates a scheme run by `operator`, settling in `asset` every `cycle_length` blocks.
	pub fn do_create_scheme(
		operator: T::AccountId,
		asset: AssetKindOf<T>,
		cycle_length: BlockNumberFor<T>,
	) -> Result<SchemeId, DispatchError> {
		ensure!(T::Assets::asset_exists(asset.clone()), Error::<T>::UnknownAsset);
		ensure!(
			!cycle_length.is_zero() && cycle_length <= T::MaxDuration::get(),
			Error::<T>::BadCycleLength
		);
		let count = SchemeCount::<T>::get();
		ensure!(count < T::MaxSchemes::get(), Error::<T>::TooManySchemes);
		let id = NextSchemeId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let scheme = Scheme {
			operator: operator.clone(),
			asset: asset.clone(),
			cycle_length,
			status: SchemeStatus::Created,
			cycle: 0,
			cycle_started: now,
			closes_at: now,
			guarded: T::LegGuard::guards(&asset),
			float: Zero::zero(),
		};
		NextSchemeId::<T>::put(next_id);
		SchemeCount::<T>::put(count.saturating_add(1));
		Schemes::<T>::insert(id, scheme);
		Self::deposit_event(Event::SchemeCreated { scheme: id, operator, asset, cycle_length });
		Ok(id)
	}

	/// The operator opens the scheme: it pays the float (the asset's minimum balance) into the
	/// scheme account, which can then receive any net debit, and the first cycle starts.
	pub fn do_open_scheme(operator: T::AccountId, id: SchemeId) -> DispatchResult {
		let mut scheme = Self::scheme_of_operator(id, &operator)?;
		ensure!(scheme.status == SchemeStatus::Created, Error::<T>::SchemeNotCreated);
		let float = T::Assets::minimum_balance(scheme.asset.clone()).max(One::one());
		let now = frame_system::Pallet::<T>::block_number();
		let closes_at = now.checked_add(&scheme.cycle_length).ok_or(Error::<T>::BadCycleLength)?;

		let account = Self::scheme_account(id);
		// The scheme account exists for as long as the scheme does, whatever the asset (an
		// asset that is not sufficient needs its holder to exist).
		frame_system::Pallet::<T>::inc_providers(&account);
		T::Transfers::transfer(
			scheme.asset.clone(),
			&operator,
			&account,
			float,
			Preservation::Preserve,
		)
		.map_err(|_| Error::<T>::InsufficientBalance)?;
		Self::schedule_close(id, closes_at)?;
		scheme.status = SchemeStatus::Active;
		scheme.float = float;
		scheme.cycle_started = now;
		scheme.closes_at = closes_at;
		Schemes::<T>::insert(id, scheme);
		Self::deposit_event(Event::SchemeOpened { scheme: id, float });
		Ok(())
	}

	/// The operator admits `member` with a net debit cap.
	pub fn do_add_member(
		operator: T::AccountId,
		id: SchemeId,
		member: T::AccountId,
		net_debit_cap: BalanceOf<T>,
	) -> DispatchResult {
		Self::scheme_of_operator(id, &operator)?;
		ensure!(!Members::<T>::contains_key(id, &member), Error::<T>::AlreadyMember);
		SchemeMembers::<T>::try_mutate(id, |list| list.try_push(member.clone()))
			.map_err(|_| Error::<T>::TooManyMembers)?;
		Members::<T>::insert(id, &member, SchemeMemberOf::<T>::new(net_debit_cap));
		Self::deposit_event(Event::MemberAdded { scheme: id, member, net_debit_cap });
		Ok(())
	}

	/// The operator changes `member`'s cap (a lower cap refuses new payments beyond it; what
	/// is already cleared stands).
	pub fn do_set_net_debit_cap(
		operator: T::AccountId,
		id: SchemeId,
		member: T::AccountId,
		net_debit_cap: BalanceOf<T>,
	) -> DispatchResult {
		Self::scheme_of_operator(id, &operator)?;
		Members::<T>::try_mutate(id, &member, |m| {
			let m = m.as_mut().ok_or(Error::<T>::NotMember)?;
			m.net_debit_cap = net_debit_cap;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::NetDebitCapSet { scheme: id, member, net_debit_cap });
		Ok(())
	}

	/// The operator lets a suspended (defaulted) member pay again.
	pub fn do_reinstate_member(
		operator: T::AccountId,
		id: SchemeId,
		member: T::AccountId,
	) -> DispatchResult {
		Self::scheme_of_operator(id, &operator)?;
		Members::<T>::try_mutate(id, &member, |m| {
			let m = m.as_mut().ok_or(Error::<T>::NotMember)?;
			ensure!(m.suspended, Error::<T>::NotSuspended);
			m.suspended = false;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::MemberReinstated { scheme: id, member });
		Ok(())
	}

	/// The operator removes a member with nothing cleared in the open cycle, outside a
	/// netting; its collateral is released to it and its credit limits dropped. Returns how
	/// many members the scheme had.
	pub fn do_remove_member(
		operator: T::AccountId,
		id: SchemeId,
		member: T::AccountId,
	) -> Result<u32, DispatchError> {
		let scheme = Self::scheme_of_operator(id, &operator)?;
		let record = Members::<T>::get(id, &member).ok_or(Error::<T>::NotMember)?;
		ensure!(!Nettings::<T>::contains_key(id), Error::<T>::NettingInProgress);
		ensure!(
			!Positions::<T>::contains_key((id, scheme.cycle), &member),
			Error::<T>::OpenPosition
		);

		if !record.collateral.is_zero() {
			Self::release_collateral(&scheme.asset, &member, record.collateral)?;
		}
		let members = Self::drop_credit_limits(id, &member, &record);
		SchemeMembers::<T>::mutate(id, |list| list.retain(|m| *m != member));
		Members::<T>::remove(id, &member);
		Self::deposit_event(Event::MemberRemoved {
			scheme: id,
			member,
			collateral_released: record.collateral,
		});
		Ok(members)
	}

	/// A member puts `amount` of the settlement asset on hold as collateral.
	pub fn do_post_collateral(
		member: T::AccountId,
		id: SchemeId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		let mut record = Members::<T>::get(id, &member).ok_or(Error::<T>::NotMember)?;
		record.collateral = record.collateral.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let reason = T::RuntimeHoldReason::from(HoldReason::Collateral);
		T::Assets::ensure_can_hold(scheme.asset.clone(), &reason, &member, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		T::Assets::hold(scheme.asset, &reason, &member, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		let total = record.collateral;
		Members::<T>::insert(id, &member, record);
		Self::deposit_event(Event::CollateralPosted { scheme: id, member, amount, total });
		Ok(())
	}

	/// A member takes back collateral it does not need: what stays must cover what it owes,
	/// net, in the open cycle, and nothing is released while a cycle is being settled.
	pub fn do_withdraw_collateral(
		member: T::AccountId,
		id: SchemeId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		let mut record = Members::<T>::get(id, &member).ok_or(Error::<T>::NotMember)?;
		ensure!(!Nettings::<T>::contains_key(id), Error::<T>::NettingInProgress);
		let left = record.collateral.checked_sub(&amount).ok_or(Error::<T>::NotEnoughCollateral)?;
		let position = Positions::<T>::get((id, scheme.cycle), &member);
		ensure!(left >= net_debit(&position), Error::<T>::CollateralInUse);

		Self::release_collateral(&scheme.asset, &member, amount)?;
		record.collateral = left;
		Members::<T>::insert(id, &member, record);
		Self::deposit_event(Event::CollateralWithdrawn { scheme: id, member, amount, total: left });
		Ok(())
	}

	/// Clears a payment of `amount` from member `from` to member `to` at once: final for the
	/// payee, if `from`'s net debit in the open cycle stays within its cap. No units move;
	/// two positions change. Returns what the payment cost beyond the least (see [`Cleared`]).
	pub fn do_pay(
		from: T::AccountId,
		id: SchemeId,
		to: T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<Cleared, DispatchError> {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(from != to, Error::<T>::SelfLeg);
		let scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		ensure!(scheme.status == SchemeStatus::Active, Error::<T>::SchemeNotActive);
		let payer = Members::<T>::get(id, &from).ok_or(Error::<T>::NotMember)?;
		ensure!(!payer.suspended, Error::<T>::Suspended);
		let payee = Members::<T>::get(id, &to).ok_or(Error::<T>::NotMember)?;
		let key = (id, scheme.cycle);
		let mut paying = Positions::<T>::get(key, &from);
		let mut receiving = Positions::<T>::get(key, &to);
		paying.paid = paying.paid.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		receiving.received = receiving.received.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		ensure!(net_debit(&paying) <= payer.net_debit_cap, Error::<T>::OverNetDebitCap);
		let credit_used =
			Self::check_credit_limit(id, scheme.cycle, (&from, &payer), (&to, &payee), amount)?;
		// A regulated settlement asset's rules judge the payment now, when it is final for the
		// payee; the netting transfers settle obligations already judged.
		if scheme.guarded {
			T::LegGuard::before_transfer(&scheme.asset, &from, &to, amount)?;
		}

		Positions::<T>::insert(key, &from, paying);
		Positions::<T>::insert(key, &to, receiving);
		if let Some(used) = credit_used {
			CreditUsage::<T>::insert((id, &from), &to, (scheme.cycle, used));
		}
		let outcome = Cleared { guarded: scheme.guarded, credit_counted: credit_used.is_some() };
		Self::deposit_event(Event::PaymentCleared {
			scheme: id,
			cycle: scheme.cycle,
			from,
			to,
			amount,
		});
		Ok(outcome)
	}

	/// Dissolves scheme `id` (`by` its operator, or `None` for governance) once it has no
	/// members, no cycle settling and no kept payout: its account's whole balance goes back to
	/// the operator (the float, and what rounding left in it at netting) and its records are
	/// removed. Returns what went back.
	pub fn do_dissolve_scheme(
		id: SchemeId,
		by: Option<T::AccountId>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let scheme = match &by {
			Some(who) => Self::scheme_of_operator(id, who)?,
			None => Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?,
		};
		// Members go first, each through `remove_member`: it releases their collateral and
		// credit limits, and refuses while they have payments in the open cycle, so no
		// position or credit usage outlives them.
		ensure!(
			SchemeMembers::<T>::decode_len(id).unwrap_or_default() == 0,
			Error::<T>::SchemeHasMembers
		);
		ensure!(!Nettings::<T>::contains_key(id), Error::<T>::NettingInProgress);
		ensure!(
			Unclaimed::<T>::iter_prefix_values(id).next().is_none(),
			Error::<T>::PayoutsUnclaimed
		);

		let mut returned = Zero::zero();
		if scheme.status == SchemeStatus::Active {
			let account = Self::scheme_account(id);
			returned = T::Assets::balance(scheme.asset.clone(), &account);
			if !returned.is_zero() {
				T::Transfers::transfer(
					scheme.asset.clone(),
					&account,
					&scheme.operator,
					returned,
					Preservation::Expendable,
				)
				.map_err(|_| Error::<T>::FloatNotReturned)?;
			}
			// The reference `open_scheme` took to keep the account in existence. Anyone can send
			// the account another asset, which then needs it to exist: then the account stays,
			// with what was sent, rather than that blocking the dissolution.
			if frame_system::Pallet::<T>::can_dec_provider(&account) {
				frame_system::Pallet::<T>::dec_providers(&account)?;
			}
			Self::unschedule_close(id, scheme.closes_at);
		}
		Schemes::<T>::remove(id);
		SchemeMembers::<T>::remove(id);
		LastSettled::<T>::remove(id);
		SchemeCount::<T>::mutate(|count| *count = count.saturating_sub(1));
		Self::deposit_event(Event::SchemeDissolved {
			scheme: id,
			operator: scheme.operator,
			returned,
		});
		Ok(returned)
	}

	/// The scheme, if `who` is its operator.
	fn scheme_of_operator(id: SchemeId, who: &T::AccountId) -> Result<SchemeOf<T>, DispatchError> {
		let scheme = Schemes::<T>::get(id).ok_or(Error::<T>::UnknownScheme)?;
		ensure!(&scheme.operator == who, Error::<T>::NotOperator);
		Ok(scheme)
	}

	/// Releases `amount` of `member`'s collateral.
	fn release_collateral(
		asset: &AssetKindOf<T>,
		member: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Assets::release(
			asset.clone(),
			&HoldReason::Collateral.into(),
			member,
			amount,
			Precision::Exact,
		)
		.map(|_| ())
	}

	/// Puts scheme `id` in the list of cycles that close at block `at`.
	pub(crate) fn schedule_close(id: SchemeId, at: BlockNumberFor<T>) -> DispatchResult {
		CycleCloses::<T>::try_mutate(at, |ids| ids.try_push(id))
			.map_err(|_| Error::<T>::TooManySchemes.into())
	}

	/// Takes scheme `id` out of the list of cycles that close at block `at`.
	pub(crate) fn unschedule_close(id: SchemeId, at: BlockNumberFor<T>) {
		CycleCloses::<T>::mutate_exists(at, |ids| {
			if let Some(list) = ids {
				list.retain(|x| *x != id);
				if list.is_empty() {
					*ids = None;
				}
			}
		});
	}
}

/// What a position owes, net: what it paid beyond what it received.
pub(crate) fn net_debit<B: Saturating + Copy>(position: &Position<B>) -> B {
	position.paid.saturating_sub(position.received)
}

/// What a position is owed, net.
pub(crate) fn net_credit<B: Saturating + Copy>(position: &Position<B>) -> B {
	position.received.saturating_sub(position.paid)
}
