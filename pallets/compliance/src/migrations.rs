//! Storage migrations of the compliance pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: each disclosed attribute and each velocity entry records its storage deposit.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::traits::Zero;

	/// A velocity entry as version 0 stored it: no deposit.
	#[derive(Decode, Encode)]
	pub struct VelocityWindowV0<Balance, BlockNumber> {
		pub start: BlockNumber,
		pub amount: Balance,
		pub count: u32,
		pub previous_amount: Balance,
		pub previous_count: u32,
	}

	/// Disclosed attributes and velocity entries stored before deposits existed record a zero
	/// deposit from their holder or sender: nothing is held that a removal could return.
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
			Velocity::<T>::translate::<VelocityWindowV0<BalanceOf<T>, BlockNumberFor<T>>, _>(
				|_, _, old| {
					count = count.saturating_add(1);
					Some(VelocityWindow {
						start: old.start,
						amount: old.amount,
						count: old.count,
						previous_amount: old.previous_amount,
						previous_count: old.previous_count,
						deposit: Zero::zero(),
					})
				},
			);
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let disclosures = DisclosedAttributes::<T>::iter_keys().count() as u64;
			let windows = Velocity::<T>::iter_keys().count() as u64;
			Ok((disclosures, windows).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let (disclosures, windows) =
				<(u64, u64)>::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every record decodes in the new layout: none was dropped.
			frame_support::ensure!(
				DisclosedAttributes::<T>::iter_values().count() as u64 == disclosures,
				"every disclosed attribute survives the migration"
			);
			frame_support::ensure!(
				Velocity::<T>::iter_values().count() as u64 == windows,
				"every velocity entry survives the migration"
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
