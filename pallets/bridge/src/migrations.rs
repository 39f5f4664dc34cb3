//! Storage migrations of the bridge pallet, for the runtime's `Migrations`.

use super::*;
use frame_support::traits::{Get, OnRuntimeUpgrade};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::Zero;

/// Records `ThisChain` (the genesis hash) where it is missing: on a chain that gained the
/// bridge pallet by an upgrade after block 1, whose `on_initialize` records it on new chains.
/// Idempotent, so it may stay in `Migrations` for good.
pub struct RecordThisChain<T>(core::marker::PhantomData<T>);

impl<T: Config> OnRuntimeUpgrade for RecordThisChain<T> {
	fn on_runtime_upgrade() -> frame_support::weights::Weight {
		if ThisChain::<T>::exists() {
			return T::DbWeight::get().reads(1);
		}
		// `frame_system` keeps the genesis block's hash for good (it prunes the others).
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		ThisChain::<T>::put(genesis);
		T::DbWeight::get().reads_writes(2, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		frame_support::ensure!(
			ThisChain::<T>::get() == Some(genesis),
			"ThisChain is the genesis hash after the upgrade"
		);
		Ok(())
	}
}

/// Version 1: each pending transfer records its storage deposit.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
	};

	/// A pending transfer as version 0 stored it: no deposit.
	#[derive(Decode, Encode)]
	pub struct PendingTransferV0<AccountId, AssetKind, Balance> {
		pub kind: TransferKind,
		pub asset: AssetKind,
		pub amount: Balance,
		pub beneficiary: AccountId,
	}

	/// Transfers that waited before deposits existed record a zero deposit (in the
	/// beneficiary's name): nothing is held that crediting them could return.
	pub struct RecordDeposits<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordDeposits<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			PendingTransfers::<T>::translate::<
				PendingTransferV0<T::AccountId, AssetKindOf<T>, BalanceOf<T>>,
				_,
			>(|_, old| {
				count = count.saturating_add(1);
				Some(PendingTransfer {
					deposit: Deposit::none(old.beneficiary.clone()),
					kind: old.kind,
					asset: old.asset,
					amount: old.amount,
					beneficiary: old.beneficiary,
				})
			});
			T::DbWeight::get().reads_writes(count, count)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((PendingTransfers::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			// Every pending transfer decodes in the new layout: none was dropped.
			frame_support::ensure!(
				PendingTransfers::<T>::iter_values().count() as u64 == before,
				"every pending transfer survives the migration"
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

/// Version 2: the inbound lane records who delivered the messages the source has not confirmed
/// yet, so the source pays them. Both ends of a bridge upgrade together: a receipt in one
/// layout does not decode in the other.
pub mod v2 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::{
		migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade, weights::Weight,
	};

	/// The inbound lane as version 1 stored it.
	#[derive(Decode, Encode)]
	pub struct InboundLaneV1<ChainId> {
		pub source: ChainId,
		pub last_delivered: MessageNonce,
	}

	/// The lane keeps its source and last delivered nonce, with no relayer recorded: messages
	/// delivered before the upgrade pay their whole fee to the relayer that confirms them.
	pub struct RecordRelayers<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordRelayers<T> {
		fn on_runtime_upgrade() -> Weight {
			let _ = InboundLanes::<T>::translate::<InboundLaneV1<ChainIdOf<T>>, _>(|old| {
				old.map(|old| InboundLane {
					last_delivered: old.last_delivered,
					..InboundLane::new(old.source)
				})
			});
			T::DbWeight::get().reads_writes(1, 1)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			let raw = frame_support::storage::unhashed::get_raw(&InboundLanes::<T>::hashed_key());
			let old = raw.map(|raw| InboundLaneV1::<ChainIdOf<T>>::decode(&mut &raw[..]));
			let old = old.transpose().map_err(|_| "a version 1 inbound lane")?;
			Ok(old.map(|l| (l.source, l.last_delivered)).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = Option::<(ChainIdOf<T>, MessageNonce)>::decode(&mut &state[..])
				.map_err(|_| "pre-upgrade state")?;
			let after = InboundLanes::<T>::get().map(|l| (l.source, l.last_delivered));
			frame_support::ensure!(before == after, "the inbound lane keeps its source and nonce");
			Ok(())
		}
	}

	/// [`RecordRelayers`], run once: from storage version 1 to 2.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		RecordRelayers<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
