//! # Aura equivocation pallet
//!
//! Makes a validator that signs two different blocks for the same Aura slot accountable, the way
//! `pallet-grandpa` does for GRANDPA votes (`pallet-aura` has no such report). This is what a
//! validator running two nodes with the same keys does in every one of its slots, so it is the
//! double-signing that shows first.
//!
//! - [`Pallet::report_equivocation`]: anyone (signed, fee refunded when the report is valid) or
//!   a node (unsigned, from its own pool: [`Pallet::submit_unsigned_equivocation_report`], through
//!   the runtime API of `pallet-aura-equivocation-runtime-api`) submits the two headers and a
//!   proof that the signing key is a validator's in the current session (`pallet-session`'s
//!   historical proofs). The pallet checks the two seals and slots ([`check_equivocation_proof`]),
//!   the key's owner, and that the slot is recent ([`Config::ReportableSlots`]), then reports an
//!   [`AuraEquivocationOffence`] to `pallet-offences`, whose handler sanctions the offender (in
//!   tpwallet: disabled at once, removed from the validator set).
//! - The same offence (offender and slot) is reported once: `pallet-offences` refuses duplicates
//!   ([`Error::DuplicateOffenceReport`]), and the pool keeps one report per offender and slot.
//!
//! The node side (watching imported headers for two different blocks of one slot by one author)
//! is in `tpwallet-node`'s `aura_equivocation` module.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use proof::{check_equivocation_proof, sealed_header, AuraEquivocationOffence};
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
mod proof;
#[cfg(test)]
mod tests;
pub mod weights;

use polkadot_sdk::{
	frame_support, frame_system, sp_consensus_aura, sp_consensus_slots, sp_runtime, sp_session,
	sp_staking,
};

/// An Aura equivocation: the offender's key, the slot, and the two headers it sealed for it.
pub type EquivocationProofOf<T> = sp_consensus_slots::EquivocationProof<
	frame_system::pallet_prelude::HeaderFor<T>,
	<T as Config>::AuthorityId,
>;

/// Who an offence names: what the key-owner proof system identifies (in tpwallet, `pallet-session`
/// historical's `(validator account, ())`).
pub type IdentificationOf<T> =
	<<T as Config>::KeyOwnerProofSystem as frame_support::traits::KeyOwnerProofSystem<(
		sp_runtime::KeyTypeId,
		<T as Config>::AuthorityId,
	)>>::IdentificationTuple;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
		traits::KeyOwnerProofSystem,
	};
	use frame_system::pallet_prelude::*;
	use sp_consensus_slots::Slot;
	use sp_runtime::{
		transaction_validity::{
			InvalidTransaction, TransactionPriority, TransactionSource, TransactionValidity,
			ValidTransaction,
		},
		RuntimeAppPublic,
	};
	use sp_session::{GetSessionNumber, GetValidatorCount};
	use sp_staking::{offence::ReportOffence, SessionIndex};

	/// The storage layout's version. 1: the first (the pallet stores nothing of its own).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The Aura authority key (`sp_consensus_aura::sr25519::AuthorityId`).
		type AuthorityId: Member + Parameter + RuntimeAppPublic + MaxEncodedLen;

		/// A proof that a key was a validator's in a session (`pallet-session` historical's
		/// `MembershipProof`).
		type KeyOwnerProof: Parameter + GetSessionNumber + GetValidatorCount;

		/// Checks key-owner proofs (`pallet_session::historical::Pallet`).
		type KeyOwnerProofSystem: KeyOwnerProofSystem<
			(sp_runtime::KeyTypeId, Self::AuthorityId),
			Proof = Self::KeyOwnerProof,
			IdentificationTuple: Clone,
		>;

		/// Where offences go (`pallet-offences`).
		type ReportOffence: ReportOffence<
			Self::AccountId,
			IdentificationOf<Self>,
			AuraEquivocationOffence<IdentificationOf<Self>>,
		>;

		/// The current slot (`pallet_aura::CurrentSlot`).
		type CurrentSlot: Get<Slot>;

		/// The current session (`pallet_session::CurrentIndex`): key-owner proofs must be for it.
		type CurrentSession: Get<SessionIndex>;

		/// How many slots back an equivocation can still be reported. Nodes report one as soon
		/// as they import the second block; an older one proves less about who holds the key now.
		#[pallet::constant]
		type ReportableSlots: Get<u64>;

		/// How many blocks an unsigned report stays valid in the pool.
		type ReportLongevity: Get<u64>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Makes a validator with a given Aura key, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AuthorityId, Self::KeyOwnerProof>;
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The holder of Aura key `authority`, a validator in session `session`, signed two
		/// different blocks for `slot`; the offence went to `pallet-offences`.
		EquivocationReported { authority: T::AuthorityId, slot: Slot, session: SessionIndex },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The two headers are the same block, are not both for the proof's slot, or are not
		/// both sealed by the offender's key.
		InvalidEquivocationProof,
		/// The key-owner proof does not show the key as a validator's in the current session.
		InvalidKeyOwnershipProof,
		/// The slot is in the future, or more than `ReportableSlots` slots old.
		EquivocationOutOfRange,
		/// This offence (offender and slot) was already reported.
		DuplicateOffenceReport,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reports an Aura equivocation: `equivocation_proof` holds two different headers for
		/// one slot, both sealed by `equivocation_proof.offender`.
		///
		/// - Origin: signed (anyone; the fee is refunded when the report is valid) or none (an
		///   unsigned report, accepted only from the node's own pool: see
		///   [`Pallet::submit_unsigned_equivocation_report`]).
		/// - Checks: the headers are two different blocks, each sealed by the offender for the
		///   proof's slot ([`Error::InvalidEquivocationProof`]); the slot is not in the future nor
		///   older than `ReportableSlots` ([`Error::EquivocationOutOfRange`]); `key_owner_proof`
		///   shows the key as a validator's in the current session
		///   ([`Error::InvalidKeyOwnershipProof`]); the offence is new
		///   ([`Error::DuplicateOffenceReport`]).
		/// - Effect: an [`AuraEquivocationOffence`] is reported to `Config::ReportOffence`, whose
		///   handler sanctions the offender.
		/// - Event: [`Event::EquivocationReported`] (and `pallet-offences`' `Offence`).
		/// - Weight: [`WeightInfo::report_equivocation`], measured with the runtime's offence
		///   handler.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			equivocation_proof: Box<EquivocationProofOf<T>>,
			key_owner_proof: T::KeyOwnerProof,
		) -> DispatchResultWithPostInfo {
			let reporter = match origin.into() {
				Ok(frame_system::RawOrigin::Signed(who)) => Some(who),
				Ok(frame_system::RawOrigin::None) => None,
				_ => return Err(DispatchError::BadOrigin.into()),
			};
			Self::do_report(reporter, *equivocation_proof, key_owner_proof)?;
			Ok(Pays::No.into())
		}
	}

	// `ValidateUnsigned`, as `pallet-grandpa` in this release: its replacement (`pallet::authorize`)
	// needs the `AuthorizeCall` transaction extension, which the runtime does not have yet.
	#[allow(deprecated)]
	#[pallet::validate_unsigned]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// Unsigned reports come from the node that saw the equivocation (its own pool), never
		/// from the network: each is checked as it would be dispatched, and the pool keeps one
		/// per offender and slot.
		fn validate_unsigned(source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			let Call::report_equivocation { equivocation_proof, key_owner_proof } = call else {
				return InvalidTransaction::Call.into();
			};
			if !matches!(source, TransactionSource::Local | TransactionSource::InBlock) {
				return InvalidTransaction::Call.into();
			}
			let offender = Self::check_report(equivocation_proof, key_owner_proof)
				.map_err(|_| InvalidTransaction::BadProof)?;
			if T::ReportOffence::is_known_offence(&[offender], &equivocation_proof.slot) {
				return InvalidTransaction::Stale.into();
			}
			ValidTransaction::with_tag_prefix("AuraEquivocation")
				.priority(TransactionPriority::MAX)
				.and_provides((equivocation_proof.offender.clone(), *equivocation_proof.slot))
				.longevity(T::ReportLongevity::get())
				.propagate(false)
				.build()
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks a report: returns the offender's identification if it proves an equivocation
		/// by a validator of the current session in a reportable slot.
		pub(crate) fn check_report(
			equivocation_proof: &EquivocationProofOf<T>,
			key_owner_proof: &T::KeyOwnerProof,
		) -> Result<IdentificationOf<T>, Error<T>> {
			ensure!(
				check_equivocation_proof(equivocation_proof),
				Error::<T>::InvalidEquivocationProof
			);
			let now = T::CurrentSlot::get();
			ensure!(
				equivocation_proof.slot <= now
					&& now.saturating_sub(equivocation_proof.slot) <= T::ReportableSlots::get(),
				Error::<T>::EquivocationOutOfRange
			);
			ensure!(
				key_owner_proof.session() == T::CurrentSession::get(),
				Error::<T>::InvalidKeyOwnershipProof
			);
			let key = (T::AuthorityId::ID, equivocation_proof.offender.clone());
			T::KeyOwnerProofSystem::check_proof(key, key_owner_proof.clone())
				.ok_or(Error::<T>::InvalidKeyOwnershipProof)
		}

		fn do_report(
			reporter: Option<T::AccountId>,
			equivocation_proof: EquivocationProofOf<T>,
			key_owner_proof: T::KeyOwnerProof,
		) -> DispatchResult {
			let offender = Self::check_report(&equivocation_proof, &key_owner_proof)?;
			let session = key_owner_proof.session();
			let offence = AuraEquivocationOffence {
				slot: equivocation_proof.slot,
				session_index: session,
				validator_set_count: key_owner_proof.validator_count(),
				offender,
			};
			T::ReportOffence::report_offence(reporter.into_iter().collect(), offence)
				.map_err(|_| Error::<T>::DuplicateOffenceReport)?;
			Self::deposit_event(Event::EquivocationReported {
				authority: equivocation_proof.offender,
				slot: equivocation_proof.slot,
				session,
			});
			Ok(())
		}
	}
}

impl<T: Config + frame_system::offchain::CreateBare<Call<T>>> Pallet<T> {
	/// Puts an unsigned report into the node's pool (called by the runtime API, in an offchain
	/// context). `Err` if the pool refused it (for example, already reported).
	pub fn submit_unsigned_equivocation_report(
		equivocation_proof: EquivocationProofOf<T>,
		key_owner_proof: T::KeyOwnerProof,
	) -> Result<(), ()> {
		use frame_system::offchain::SubmitTransaction;
		let call = Call::report_equivocation {
			equivocation_proof: alloc::boxed::Box::new(equivocation_proof),
			key_owner_proof,
		};
		let xt = T::create_bare(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(xt)
	}
}

/// Makes a validator hold an Aura key, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AuthorityId, KeyOwnerProof> {
	/// Makes `key` the Aura key of a validator in the current session, and returns the proof of
	/// it that a report carries. A runtime with `pallet-session` sets the keys and rotates the
	/// session.
	fn validator_with_key(key: &AuthorityId) -> KeyOwnerProof;
}
