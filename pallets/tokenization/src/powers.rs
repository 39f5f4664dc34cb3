//! Powers an admin gives up for good (XRPL's `NoFreeze`): freezing, clawback, minting. The
//! renounced set of a token is one record, paid for by the admin who renounced first, checked by
//! [`Pallet::ensure_power`] in every call that uses one, and removed with the token.

use super::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The powers renounced on `token` (none for an unknown token).
	pub fn renounced_powers(token: &T::TokenId) -> PowerSet {
		RenouncedPowers::<T>::get(token).map(|record| record.powers).unwrap_or_default()
	}

	/// Fails with [`Error::PowerRenounced`] once `power` is renounced on `token`: the one check
	/// of every call that uses a power, whoever signs it.
	pub(crate) fn ensure_power(token: &T::TokenId, power: TokenPower) -> DispatchResult {
		ensure!(!Self::renounced_powers(token).contains(power), Error::<T>::PowerRenounced);
		Ok(())
	}

	pub(crate) fn do_renounce_power(
		admin: T::AccountId,
		token: T::TokenId,
		power: TokenPower,
	) -> DispatchResult {
		Self::token(&token)?;
		Self::ensure_role(&token, &admin, Role::Admin)?;
		let (record, first) = match RenouncedPowers::<T>::get(&token) {
			Some(record) => {
				ensure!(!record.powers.contains(power), Error::<T>::PowerAlreadyRenounced);
				(Renunciation { powers: record.powers.with(power), ..record }, false)
			}
			None => {
				let deposit = Self::storage_deposit(admin.clone(), renunciation_bytes::<T>())?;
				(Renunciation { powers: PowerSet::default().with(power), deposit }, true)
			}
		};

		// Checks done. Only the record's first renunciation pays for it.
		if first {
			record.deposit.hold::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		}
		RenouncedPowers::<T>::insert(&token, record);
		Self::deposit_event(Event::PowerRenounced { token, power, by: admin });
		Ok(())
	}

	/// Removes the token's renounced powers and returns their deposit (the token is going).
	pub(crate) fn forget_renounced_powers(token: &T::TokenId) -> DispatchResult {
		if let Some(record) = RenouncedPowers::<T>::take(token) {
			record.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		}
		Ok(())
	}
}

/// Bytes a token's renounced powers occupy: a `Blake2_128Concat` key and the record.
pub(crate) fn renunciation_bytes<T: Config>() -> usize {
	16usize
		.saturating_add(T::TokenId::max_encoded_len())
		.saturating_add(RenunciationOf::<T>::max_encoded_len())
}
