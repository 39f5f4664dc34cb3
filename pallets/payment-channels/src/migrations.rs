//! Storage migrations of the payment-channels pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 1: each channel records its storage deposit.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};

	/// A channel as version 0 stored it: no storage deposit.
	#[derive(Decode, Encode)]
	pub struct ChannelV0<AccountId, AssetKind, Balance> {
		pub party_a: AccountId,
		pub party_b: AccountId,
		pub asset: AssetKind,
		pub deposits: (Balance, Balance),
	}

	/// Channels opened before deposits existed record a zero storage deposit from their opener:
	/// they were opened for free, and nothing is held that settlement could return.
	pub struct RecordDeposits<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Channels::<T>::translate::<ChannelV0<T::AccountId, AssetKindOf<T>, BalanceOf<T>>, _>(
				|_, old| {
					count = count.saturating_add(1);
					Some(Channel {
						storage_deposit: Deposit::none(old.party_a.clone()),
						party_a: old.party_a,
						party_b: old.party_b,
						asset: old.asset,
						deposits: old.deposits,
					})
				},
			);
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Channels::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every channel decodes in the new layout: none was dropped.
			frame_support::ensure!(
				Channels::<T>::iter_values().count() as u64 == before,
				"every channel survives the migration"
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
