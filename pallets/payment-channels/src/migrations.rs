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
			use frame_support::{
				storage::{migration::storage_key_iter, unhashed},
				traits::PalletInfoAccess,
				Blake2_128Concat,
			};
			// Written in the version 1 layout, which version 2's migration reads.
			let old: alloc::vec::Vec<_> = storage_key_iter::<
				ChannelId,
				ChannelV0<T::AccountId, AssetKindOf<T>, BalanceOf<T>>,
				Blake2_128Concat,
			>(Pallet::<T>::name().as_bytes(), b"Channels")
			.collect();
			let count = old.len() as u64;
			for (id, old) in old {
				let v1: v2::ChannelV1<_, _, _, DepositBalanceOf<T>> = v2::ChannelV1 {
					storage_deposit: Deposit::none(old.party_a.clone()),
					party_a: old.party_a,
					party_b: old.party_b,
					asset: old.asset,
					deposits: old.deposits,
				};
				unhashed::put(&Channels::<T>::hashed_key_for(id), &v1);
			}
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Channels::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every channel decodes in the version 1 layout: none was dropped.
			frame_support::ensure!(
				v2::channels_v1::<T>().count() as u64 == before,
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

/// Version 2: a channel stores only the amount of its storage deposit, not the payer, who is
/// always the opener (party A): 32 bytes less per channel.
pub mod v2 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::{storage::migration::storage_key_iter, Blake2_128Concat};

	/// A channel as version 1 stored it: the deposit with its payer.
	#[derive(Decode, Encode)]
	pub struct ChannelV1<AccountId, AssetKind, Balance, DepositBalance> {
		pub party_a: AccountId,
		pub party_b: AccountId,
		pub asset: AssetKind,
		pub deposits: (Balance, Balance),
		pub storage_deposit: Deposit<AccountId, DepositBalance>,
	}

	type ChannelV1Of<T> = ChannelV1<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		DepositBalanceOf<T>,
	>;

	/// The channels in the version 1 layout (for the checks around a migration).
	pub fn channels_v1<T: Config>() -> impl Iterator<Item = (ChannelId, ChannelV1Of<T>)> {
		use frame_support::traits::PalletInfoAccess;
		storage_key_iter::<ChannelId, ChannelV1Of<T>, Blake2_128Concat>(
			Pallet::<T>::name().as_bytes(),
			b"Channels",
		)
	}

	/// Drops the payer from each channel's storage deposit. Version 1's `try_state` checked that
	/// the payer is the opener; one that is not (impossible through the pallet's calls) is kept
	/// with its amount, reported as a defensive failure, and refunded to the opener.
	pub struct DropDepositPayer<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for DropDepositPayer<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Channels::<T>::translate::<ChannelV1Of<T>, _>(|id, old| {
				count = count.saturating_add(1);
				if old.storage_deposit.depositor != old.party_a {
					frame_support::defensive!("channel deposit paid by another account", id);
				}
				Some(Channel {
					storage_deposit: old.storage_deposit.amount,
					party_a: old.party_a,
					party_b: old.party_b,
					asset: old.asset,
					deposits: old.deposits,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let deposits: alloc::vec::Vec<(ChannelId, DepositBalanceOf<T>)> =
				channels_v1::<T>().map(|(id, c)| (id, c.storage_deposit.amount)).collect();
			Ok(deposits.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before =
				alloc::vec::Vec::<(ChannelId, DepositBalanceOf<T>)>::decode(&mut &state[..])
					.map_err(|_| "pre-upgrade state")?;
			frame_support::ensure!(
				Channels::<T>::iter_keys().count() == before.len(),
				"every channel survives the migration"
			);
			for (id, amount) in before {
				let channel = Channels::<T>::get(id).ok_or("a channel was lost")?;
				frame_support::ensure!(channel.storage_deposit == amount, "deposit amount kept");
			}
			Ok(())
		}
	}

	/// [`DropDepositPayer`], run once: from storage version 1 to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		DropDepositPayer<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
