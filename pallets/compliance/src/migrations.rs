//! Storage migrations of the compliance pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: each disclosed attribute records its storage deposit.
pub mod v1 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use codec::{Decode, Encode};

	/// Disclosed attributes stored before deposits existed record a zero deposit from their
	/// holder: nothing is held that a removal could return.
	pub struct RecordDeposits<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			// Version 0 stored `(commitment, value)`.
			DisclosedAttributes::<T>::translate::<(Commitment, AttributeOf<T>), _>(
				|who, _, (commitment, value)| {
					count = count.saturating_add(1);
					Some(Disclosure { commitment, value, deposit: Deposit::none(who) })
				},
			);
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((DisclosedAttributes::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every disclosure decodes in the new layout: none was dropped.
			frame_support::ensure!(
				DisclosedAttributes::<T>::iter_values().count() as u64 == before,
				"every disclosed attribute survives the migration"
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
