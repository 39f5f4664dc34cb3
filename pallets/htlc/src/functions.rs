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
		let mut swap = Swap {
			sender: sender.clone(),
			recipient: recipient.clone(),
			asset: asset.clone(),
			amount,
			hash_lock,
			hash_algorithm,
			expires_at,
			deposit: Deposit::none(sender.clone()),
		};
		swap.deposit =
			Deposit::priced(sender.clone(), Self::deposit_prices(), swap_bytes::<T>(&swap));
		let deposit_reason = T::RuntimeHoldReason::from(HoldReason::StorageDeposit);
		swap.deposit
			.ensure_can_hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;

		T::Assets::hold(asset.clone(), &reason, &sender, amount)?;
		// Both holds are checked above; on the native asset they draw on one balance, so the
		// second may still fail, and the call then fails whole.
		swap.deposit
			.hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		let deposit = swap.deposit.amount;
		NextSwapId::<T>::put(next_id);
		Swaps::<T>::insert(swap_id, swap);
		Self::deposit_event(Event::Locked {
			swap_id,
			sender,
			recipient,
			asset,
			amount,
			hash_lock,
			hash_algorithm,
			expires_at,
			deposit,
		});
		Ok(swap_id)
	}

	/// The storage deposit's price now: (per swap, per byte).
	pub(crate) fn deposit_prices() -> (DepositBalanceOf<T>, DepositBalanceOf<T>) {
		(T::DepositBase::get(), T::DepositPerByte::get())
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
		swap.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
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
		swap.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
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
		for (_, swap) in Swaps::<T>::iter() {
			ensure!(swap.deposit.depositor == swap.sender, "swap deposit paid by another account");
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			Swaps::<T>::iter_values().map(|swap| swap.deposit),
		)?;
		Ok(())
	}
}

/// Bytes a swap occupies in storage: its key (a `Blake2_128Concat` hash and the id) and value.
pub(crate) fn swap_bytes<T: Config>(swap: &SwapOf<T>) -> usize {
	use codec::Encode;
	16 + core::mem::size_of::<SwapId>() + swap.encoded_size()
}
