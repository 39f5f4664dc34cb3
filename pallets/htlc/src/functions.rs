//! The logic behind the calls. Each function checks everything before it changes storage.

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Zero};

impl<T: Config> Pallet<T> {
	/// Opens a swap; returns its id.
	pub fn do_lock(
		sender: T::AccountId,
		recipient: T::AccountId,
		asset: AssetKindOf<T>,
		amount: BalanceOf<T>,
		hash_lock: HashLock,
		hash_algorithm: HashAlgorithm,
		duration: BlockNumberFor<T>,
	) -> Result<SwapId, DispatchError> {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(sender != recipient, Error::<T>::SelfSwap);
		ensure!(amount >= Self::minimum_balance(asset.clone()), Error::<T>::AmountBelowMinimum);
		ensure!(duration >= T::MinLockDuration::get(), Error::<T>::DurationTooShort);
		ensure!(duration <= T::MaxLockDuration::get(), Error::<T>::DurationTooLong);
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = now.checked_add(&duration).ok_or(Error::<T>::DurationTooLong)?;
		let swap_id = NextSwapId::<T>::get();
		let next_id = swap_id.checked_add(1).ok_or(Error::<T>::SwapIdOverflow)?;
		let reason = T::RuntimeHoldReason::from(HoldReason::SwapLock);
		T::Assets::ensure_can_hold(asset.clone(), &reason, &sender, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		T::Assets::hold(asset.clone(), &reason, &sender, amount)?;
		NextSwapId::<T>::put(next_id);
		Swaps::<T>::insert(
			swap_id,
			Swap {
				sender: sender.clone(),
				recipient: recipient.clone(),
				asset: asset.clone(),
				amount,
				hash_lock,
				hash_algorithm,
				expires_at,
			},
		);
		Self::deposit_event(Event::Locked {
			swap_id,
			sender,
			recipient,
			asset,
			amount,
			hash_lock,
			hash_algorithm,
			expires_at,
		});
		Ok(swap_id)
	}

	/// Pays swap `swap_id` to its recipient if `preimage` opens it before expiry.
	pub fn do_claim(
		swap_id: SwapId,
		preimage: BoundedVec<u8, T::MaxPreimageLen>,
	) -> DispatchResult {
		let swap = Swaps::<T>::get(swap_id).ok_or(Error::<T>::SwapNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < swap.expires_at, Error::<T>::SwapExpired);
		ensure!(swap.hash_algorithm.hash(&preimage) == swap.hash_lock, Error::<T>::WrongPreimage);

		T::Assets::transfer_on_hold(
			swap.asset.clone(),
			&HoldReason::SwapLock.into(),
			&swap.sender,
			&swap.recipient,
			swap.amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Swaps::<T>::remove(swap_id);
		Self::deposit_event(Event::Claimed {
			swap_id,
			recipient: swap.recipient,
			amount: swap.amount,
			preimage,
		});
		Ok(())
	}

	/// Returns swap `swap_id` to its sender once expired.
	pub fn do_refund(swap_id: SwapId) -> DispatchResult {
		let swap = Swaps::<T>::get(swap_id).ok_or(Error::<T>::SwapNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= swap.expires_at, Error::<T>::SwapNotExpired);

		T::Assets::release(
			swap.asset.clone(),
			&HoldReason::SwapLock.into(),
			&swap.sender,
			swap.amount,
			Precision::Exact,
		)?;
		Swaps::<T>::remove(swap_id);
		Self::deposit_event(Event::Refunded { swap_id, sender: swap.sender, amount: swap.amount });
		Ok(())
	}

	/// Invariants: every (sender, asset) pair holds under `SwapLock` exactly the sum of its open
	/// swaps; every open swap's id is below `NextSwapId`.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::{collections::btree_map::BTreeMap, vec::Vec};
		use codec::Encode;
		use sp_runtime::traits::Saturating;

		let next_id = NextSwapId::<T>::get();
		let mut locked: BTreeMap<(Vec<u8>, Vec<u8>), (T::AccountId, AssetKindOf<T>, BalanceOf<T>)> =
			BTreeMap::new();
		for (id, swap) in Swaps::<T>::iter() {
			ensure!(id < next_id, "swap id at or above NextSwapId");
			ensure!(!swap.amount.is_zero(), "swap with zero amount");
			let key = (swap.sender.encode(), swap.asset.encode());
			let entry = locked.entry(key).or_insert((
				swap.sender.clone(),
				swap.asset.clone(),
				Zero::zero(),
			));
			entry.2 = entry.2.saturating_add(swap.amount);
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::SwapLock);
		for (_, (sender, asset, total)) in locked {
			ensure!(
				T::Assets::balance_on_hold(asset, &reason, &sender) == total,
				"held balance differs from the sum of open swaps"
			);
		}
		Ok(())
	}
}
