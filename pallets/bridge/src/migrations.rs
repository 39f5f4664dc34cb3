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
