//! # Validator-set pallet
//!
//! A permissioned validator set that governance changes, feeding `pallet-session` as its
//! [`SessionManager`](pallet_session::SessionManager). Validators are plain accounts (the
//! runtime's `pallet_session::Config::ValidatorId` is the `AccountId`, `ValidatorIdOf` is
//! `ConvertInto`); they bond nothing.
//!
//! - [`Pallet::add_validator`]: governance (`AddRemoveOrigin`) approves an account that has set
//!   its session keys (`session.setKeys`).
//! - [`Pallet::remove_validator`]: governance removes one, never going below `MinValidators`.
//! - An offence reported through `pallet-offences`
//!   ([`OnOffenceHandler`](sp_staking::offence::OnOffenceHandler)) removes the offender from the
//!   approved set, again never going below `MinValidators`: removal is the sanction, as there is
//!   no bond to slash.
//!
//! ## When a change takes effect
//!
//! The approved set is [`Validators`]. A change marks it ([`SetChanged`]). When session `N + 1`
//! starts, `pallet-session` asks for the set of session `N + 2`
//! ([`new_session`](pallet_session::SessionManager::new_session)`(N + 2)`) and queues it, so a
//! change made during session `N` is handed over at the end of session `N` and its validators
//! author from the start of session `N + 2`: the session after the next. Until then a removed
//! validator (or an offender) keeps validating; `pallet-session`'s disabling strategy is what
//! sidelines an offender at once.
//!
//! Only the approved validators that have session keys at hand-over time are handed over
//! (`pallet-session` could not use the others anyway); if none has keys, nothing is handed over
//! and the change stays pending, so the authority set is never empty. An approved validator left
//! out because it had no keys at hand-over (it purged them) comes back at the next change of the
//! set.
//!
//! ## Genesis and existing chains
//!
//! The runtime declares this pallet before `pallet-session`, so that `pallet-session`'s genesis
//! reads the initial set through
//! [`new_session_genesis`](pallet_session::SessionManager::new_session_genesis). A chain that ran
//! without this pallet seeds it in a runtime migration with [`Pallet::initialize`].
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
#[cfg(test)]
mod mock;
mod session;
#[cfg(test)]
mod session_tests;
#[cfg(test)]
mod tests;
pub mod weights;

pub use session::FullIdentificationOf;

use polkadot_sdk::{frame_support, frame_system, pallet_session, sp_runtime, sp_staking};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::ValidatorRegistration};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;
	use sp_staking::SessionIndex;

	/// The source of an account in calls (an address the runtime's lookup resolves).
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: the first layout.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who adds and removes validators (governance).
		type AddRemoveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most validators in the approved set.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// Fewest validators in the approved set (at least 1): removals, by governance or for an
		/// offence, never go below it.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Whether an account has session keys (`pallet_session::Pallet<Runtime>`: true once the
		/// account has called `session.setKeys`).
		type ValidatorRegistration: ValidatorRegistration<Self::AccountId>;

		/// Weights of the calls and of the offence handler.
		type WeightInfo: WeightInfo;

		/// Gives accounts session keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	/// The approved validator set, sorted by account and without duplicates.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether the approved set changed since `pallet-session` last took it.
	#[pallet::storage]
	pub type SetChanged<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// The initial approved set.
	///
	/// Building it panics (as genesis may) when an account is listed twice or when there are
	/// more than `MaxValidators`. The set is stored sorted, whatever the order given. An empty
	/// list leaves the pallet unseeded (then `pallet-session` takes its genesis keys' accounts).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub initial_validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut validators = self.initial_validators.clone();
			validators.sort();
			assert!(
				validators.windows(2).all(|pair| pair[0] != pair[1]),
				"initial validators are listed once each"
			);
			let validators: BoundedVec<_, T::MaxValidators> =
				validators.try_into().expect("at most MaxValidators initial validators");
			Validators::<T>::put(validators);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator was approved; it validates from the session after the next.
		ValidatorAdded { who: T::AccountId },
		/// A validator was removed; it stops validating from the session after the next.
		ValidatorRemoved { who: T::AccountId },
		/// A validator reported for an offence committed in `session` was removed.
		ValidatorRemovedForOffence { who: T::AccountId, session: SessionIndex },
		/// A validator reported for an offence committed in `session` was kept: removing it would
		/// have left fewer than `MinValidators`.
		OffenderKept { who: T::AccountId, session: SessionIndex },
		/// The approved set, `validators` of them with session keys, was handed to
		/// `pallet-session` for session `session` (from whose start they validate).
		NewSetQueued { session: SessionIndex, validators: u32 },
		/// The approved set changed but none of its validators has session keys: nothing was
		/// handed over for session `session`; the current validators carry on and the change
		/// stays pending.
		NewSetRefused { session: SessionIndex },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already an approved validator.
		AlreadyValidator,
		/// The account is not an approved validator.
		NotValidator,
		/// The set already has `MaxValidators` validators.
		TooManyValidators,
		/// Removing the validator would leave fewer than `MinValidators` (or, for
		/// [`Pallet::initialize`], no validators were given).
		TooFewValidators,
		/// The account has no session keys: it must call `session.setKeys` first.
		NoSessionKeys,
		/// The approved set is already seeded ([`Pallet::initialize`]).
		AlreadyInitialized,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() >= 1, "the set keeps at least one validator");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators is at most MaxValidators"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Approves `who` as a validator.
		///
		/// - Origin: `AddRemoveOrigin` (governance).
		/// - Checks: `who` is not approved yet ([`Error::AlreadyValidator`]), the set has fewer
		///   than `MaxValidators` ([`Error::TooManyValidators`]), and `who` has session keys
		///   ([`Error::NoSessionKeys`]: it must call `session.setKeys` first).
		/// - Effect: `who` joins the approved set and the set is marked changed. Session keys are
		///   handed to `pallet-session` at the end of the current session `N` and queued there, so
		///   `who` validates from the start of session `N + 2` (the session after the next).
		/// - Event: [`Event::ValidatorAdded`].
		/// - Weight: [`WeightInfo::add_validator`] at `MaxValidators`, the worst case.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_add_validator(who)
		}

		/// Removes `who` from the approved validators.
		///
		/// - Origin: `AddRemoveOrigin` (governance).
		/// - Checks: `who` is approved ([`Error::NotValidator`]) and the set keeps at least
		///   `MinValidators` without it ([`Error::TooFewValidators`]).
		/// - Effect: `who` leaves the approved set and the set is marked changed. `who` keeps
		///   validating until the end of session `N + 1`, `N` being the current session (the set
		///   without it is queued at the end of `N` and active from `N + 2`).
		/// - Event: [`Event::ValidatorRemoved`].
		/// - Weight: [`WeightInfo::remove_validator`] at `MaxValidators`, the worst case.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			T::AddRemoveOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_remove_validator(who)
		}
	}
}

/// Gives accounts session keys for the benchmarks: `add_validator` and the session hand-over
/// only take validators that `Config::ValidatorRegistration` knows.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` registered with `Config::ValidatorRegistration`. A runtime with
	/// `pallet-session` sets session keys for it (funding it first if keys need a deposit).
	fn register_keys(who: &AccountId);
}

/// For a runtime whose `ValidatorRegistration` accepts every account.
#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn register_keys(_who: &AccountId) {}
}
