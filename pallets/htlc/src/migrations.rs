//! Storage migrations of the HTLC pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: each swap records its storage deposit.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_system::pallet_prelude::BlockNumberFor;

	/// A swap as version 0 stored it: no deposit.
	#[derive(Decode, Encode)]
	pub struct SwapV0<AccountId, AssetKind, Balance, BlockNumber> {
		pub sender: AccountId,
		pub recipient: AccountId,
		pub asset: AssetKind,
		pub amount: Balance,
		pub hash_lock: HashLock,
		pub hash_algorithm: HashAlgorithm,
		pub expires_at: BlockNumber,
	}

	/// Swaps opened before deposits existed record a zero deposit from their sender: they were
	/// opened for free, and nothing is held that a refund could return.
	pub struct RecordDeposits<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Swaps::<T>::translate::<
				SwapV0<T::AccountId, AssetKindOf<T>, BalanceOf<T>, BlockNumberFor<T>>,
				_,
			>(|_, old| {
				count = count.saturating_add(1);
				Some(Swap {
					deposit: Deposit::none(old.sender.clone()),
					sender: old.sender,
					recipient: old.recipient,
					asset: old.asset,
					amount: old.amount,
					hash_lock: old.hash_lock,
					hash_algorithm: old.hash_algorithm,
					expires_at: old.expires_at,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Swaps::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every swap decodes in the new layout: none was dropped.
			frame_support::ensure!(
				Swaps::<T>::iter_values().count() as u64 == before,
				"every swap survives the migration"
			);
			Ok(())
		}
	}

	/// [`RecordDeposits`], run once: from storage version 0 to 1.
	pub type MigrateV0ToV1<T> = VersionedMigration<
		0,
		1,
		RecordDeposits<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
