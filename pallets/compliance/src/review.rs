//! The review queue: transfers held for a compliance officer, with their funds on hold on the
//! sender's account until approved, rejected or timed out.

use super::*;
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungibles::MutateHold as _,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_tokenization::{ManagedTokens as _, MoveKind, ReasonCode, Role};
use sp_runtime::traits::{One, Saturating};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_open_review(
		token: TokenIdOf<T>,
		from: T::AccountId,
		to: T::AccountId,
		amount: BalanceOf<T>,
		rule: HoldRule,
	) -> DispatchResult {
		let id = NextCaseId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::CaseIdOverflow)?;
		// At least one block ahead: this block's bucket has already been processed.
		let timeout = T::ReviewTimeout::get().max(One::one());
		let expires_at = frame_system::Pallet::<T>::block_number().saturating_add(timeout);
		let mut bucket = CaseExpiries::<T>::get(expires_at);
		bucket.try_push(id).map_err(|_| Error::<T>::CaseQueueFull)?;

		T::Holder::hold(token.clone(), &HoldReason::Review.into(), &from, amount)?;
		Self::record_velocity(&token, &from, amount)?;
		CaseExpiries::<T>::insert(expires_at, bucket);
		ReviewCases::<T>::insert(
			id,
			ReviewCase {
				token: token.clone(),
				from: from.clone(),
				to: to.clone(),
				amount,
				rule,
				expires_at,
			},
		);
		NextCaseId::<T>::put(next);
		Self::deposit_event(Event::TransferHeld {
			case: id,
			token,
			from,
			to,
			amount,
			rule,
			expires_at,
		});
		Ok(())
	}

	fn close_case(id: CaseId, case: &ReviewCaseOf<T>) {
		ReviewCases::<T>::remove(id);
		CaseExpiries::<T>::mutate_exists(case.expires_at, |bucket| {
			if let Some(ids) = bucket {
				ids.retain(|c| *c != id);
				if ids.is_empty() {
					*bucket = None;
				}
			}
		});
	}

	fn release_case(case: &ReviewCaseOf<T>) -> DispatchResult {
		T::Holder::release(
			case.token.clone(),
			&HoldReason::Review.into(),
			&case.from,
			case.amount,
			Precision::Exact,
		)
		.map(|_| ())
	}

	pub(crate) fn do_approve_case(officer: T::AccountId, id: CaseId) -> DispatchResult {
		let case = ReviewCases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		Self::ensure_token_role(&case.token, &officer, Role::Controller)?;
		// The receiver must still be able to receive the token (not frozen, on the allowlist).
		T::Tokens::ensure_can_move(&case.token, Some(&case.from), Some(&case.to))?;
		// The rules as they stand now: the receiver may have been sanctioned, lost their claim or
		// reached a holding limit since the transfer was held.
		Self::evaluate(&case.token, MoveKind::Burn, Some(&case.from), None, case.amount, None)?;
		Self::evaluate(&case.token, MoveKind::Mint, None, Some(&case.to), case.amount, None)?;

		T::Tokens::before_balances_change(&case.token, &[&case.from, &case.to]);
		T::Holder::transfer_on_hold(
			case.token.clone(),
			&HoldReason::Review.into(),
			&case.from,
			&case.to,
			case.amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Self::close_case(id, &case);
		Self::deposit_event(Event::CaseApproved { case: id, officer });
		Ok(())
	}

	pub(crate) fn do_reject_case(
		officer: T::AccountId,
		id: CaseId,
		reason: ReasonCode,
	) -> DispatchResult {
		let case = ReviewCases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		Self::ensure_token_role(&case.token, &officer, Role::Controller)?;
		Self::release_case(&case)?;
		Self::close_case(id, &case);
		Self::deposit_event(Event::CaseRejected { case: id, officer, reason });
		Ok(())
	}

	/// Returns the funds of every case timing out at `now`; how many it closed.
	pub(crate) fn expire_cases(now: BlockNumberFor<T>) -> u32 {
		let ids = CaseExpiries::<T>::take(now);
		let mut closed = 0u32;
		for id in ids {
			let Some(case) = ReviewCases::<T>::get(id) else { continue };
			// Releasing the exact held amount cannot fail while the invariant (held equals open
			// cases) holds. If it ever did, the case stays open (its controller can still
			// approve or reject it) and the failure is reported, rather than the held units
			// being forgotten.
			match Self::release_case(&case) {
				Ok(()) => {
					ReviewCases::<T>::remove(id);
					closed = closed.saturating_add(1);
					Self::deposit_event(Event::CaseExpired { case: id });
				}
				Err(error) => {
					defensive!("a review case's held units could not be released at expiry");
					Self::deposit_event(Event::CaseExpiryFailed { case: id, error });
				}
			}
		}
		closed
	}
}
