//! Storage migrations of the settlement pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: schemes can be dissolved, so `MaxSchemes` bounds the schemes that exist, counted
/// in [`SchemeCount`], instead of the ids ever given.
pub mod v1 {
	use super::*;
	#[cfg(feature = "try-runtime")]
	use codec::{Decode, Encode};

	/// Counts the schemes that exist: before version 1 every scheme created still exists, and
	/// there are fewer than `MaxSchemes` (ids stopped there), so the count is bounded.
	pub struct CountSchemes<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountSchemes<T> {
		fn on_runtime_upgrade() -> Weight {
			let count = Schemes::<T>::iter_keys().count() as u32;
			SchemeCount::<T>::put(count);
			T::DbWeight::get().reads_writes(u64::from(count).saturating_add(1), 1)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Schemes::<T>::iter_keys().count() as u32).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			frame_support::ensure!(SchemeCount::<T>::get() == before, "every scheme is counted");
			frame_support::ensure!(
				before <= T::MaxSchemes::get(),
				"no more schemes than MaxSchemes"
			);
			Ok(())
		}
	}

	/// [`CountSchemes`], run once: from storage version 0 to 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, CountSchemes<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
