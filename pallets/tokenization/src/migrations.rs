//! Storage migrations of the tokenization pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: each redemption records its storage deposit.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_system::pallet_prelude::BlockNumberFor;

	/// A redemption as version 0 stored it: no deposit.
	#[derive(Decode, Encode)]
	pub struct RedemptionV0<TokenId, AccountId, Balance, BlockNumber> {
		pub token: TokenId,
		pub holder: AccountId,
		pub amount: Balance,
		pub requested_at: BlockNumber,
	}

	/// Redemptions requested before deposits existed record a zero deposit from their holder:
	/// nothing is held that the confirmation could return.
	pub struct RecordDeposits<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Redemptions::<T>::translate::<
				RedemptionV0<T::TokenId, T::AccountId, T::Balance, BlockNumberFor<T>>,
				_,
			>(|_, old| {
				count = count.saturating_add(1);
				Some(Redemption {
					deposit: Deposit::none(old.holder.clone()),
					token: old.token,
					holder: old.holder,
					amount: old.amount,
					requested_at: old.requested_at,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Redemptions::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every redemption decodes in the new layout: none was dropped.
			frame_support::ensure!(
				Redemptions::<T>::iter_values().count() as u64 == before,
				"every redemption survives the migration"
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
