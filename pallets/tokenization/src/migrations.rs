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

/// Version 2: each token records its status (live, or being destroyed) and how many of its
/// redemptions await payout and of its buybacks are open, which bar its destruction.
pub mod v2 {
	use super::*;
	use codec::{Decode, Encode};
	use frame_support::BoundedVec;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// A token as version 1 stored it.
	#[derive(Decode, Encode)]
	pub struct TokenDetailsV1<AccountId, Balance, BlockNumber, CollectionId, StringLimit>
	where
		StringLimit: Get<u32>,
	{
		pub class: TokenClass,
		pub issuer: AccountId,
		pub template: TemplateId,
		pub name: BoundedVec<u8, StringLimit>,
		pub symbol: BoundedVec<u8, StringLimit>,
		pub decimals: u8,
		pub cap: Option<Balance>,
		pub document_hash: DocumentHash,
		pub policy: TransferPolicy,
		pub default_lockup: Option<LockupTerms<BlockNumber>>,
		pub paused: bool,
		pub collection: Option<CollectionId>,
		pub items: u32,
		pub deposit: Balance,
	}

	type TokenDetailsV1Of<T> = TokenDetailsV1<
		<T as frame_system::Config>::AccountId,
		<T as Config>::Balance,
		BlockNumberFor<T>,
		<T as Config>::CollectionId,
		<T as Config>::StringLimit,
	>;

	/// Every token is live (none could be destroyed before), with its pending redemptions and
	/// open buybacks counted from their records.
	pub struct RecordStatus<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for RecordStatus<T> {
		fn on_runtime_upgrade() -> Weight {
			let counts = Pallet::<T>::obligations_by_token();
			// Each redemption and buyback was read once to count it.
			let mut reads = counts
				.values()
				.fold(0u64, |sum, (r, b)| sum.saturating_add(u64::from(*r) + u64::from(*b)));
			let mut writes = 0u64;
			Tokens::<T>::translate::<TokenDetailsV1Of<T>, _>(|token, old| {
				reads = reads.saturating_add(1);
				writes = writes.saturating_add(1);
				let (pending_redemptions, open_buybacks) =
					counts.get(&token).copied().unwrap_or_default();
				Some(TokenDetails {
					class: old.class,
					issuer: old.issuer,
					template: old.template,
					name: old.name,
					symbol: old.symbol,
					decimals: old.decimals,
					cap: old.cap,
					document_hash: old.document_hash,
					policy: old.policy,
					default_lockup: old.default_lockup,
					paused: old.paused,
					collection: old.collection,
					items: old.items,
					deposit: old.deposit,
					status: TokenStatus::Live,
					pending_redemptions,
					open_buybacks,
				})
			});
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			Ok((Tokens::<T>::iter_keys().count() as u64).encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before = u64::decode(&mut &state[..]).map_err(|_| "pre-upgrade state")?;
			let counts = Pallet::<T>::obligations_by_token();
			let mut after = 0u64;
			for (token, details) in Tokens::<T>::iter() {
				after = after.saturating_add(1);
				frame_support::ensure!(
					details.status == TokenStatus::Live,
					"every migrated token is live"
				);
				frame_support::ensure!(
					(details.pending_redemptions, details.open_buybacks)
						== counts.get(&token).copied().unwrap_or_default(),
					"a token's counts match its redemptions and buybacks"
				);
			}
			frame_support::ensure!(after == before, "every token survives the migration");
			Ok(())
		}
	}

	/// [`RecordStatus`], run once: from storage version 1 to 2.
	pub type MigrateV1ToV2<T> =
		VersionedMigration<1, 2, RecordStatus<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
