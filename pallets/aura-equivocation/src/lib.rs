//! # Aura equivocation pallet
//!
//! Makes a validator that signs two different blocks for the same Aura slot accountable, the way
//! `pallet-grandpa` does for GRANDPA votes (`pallet-aura` has no such report). This is what a
//! validator running two nodes with the same keys does in every one of its slots, so it is the
//! double-signing that shows first.
//!
//! - [`Pallet::report_equivocation`]: anyone (signed, fee refunded when the report is valid) or
//!   a node (unsigned, from its own pool: [`Pallet::submit_unsigned_equivocation_report`], through
//!   the runtime API of `pallet-aura-equivocation-runtime-api`) submits the two headers. The
//!   pallet checks that the slot is recent ([`Config::ReportableSlots`]), that the key is the
//!   slot's author among the authorities in force and whose it is ([`SlotAuthorship`]), and the
//!   two seals ([`check_equivocation_proof`]); then it reports an [`AuraEquivocationOffence`] to
//!   `pallet-offences`, whose handler sanctions the offender (in tpwallet: disabled at once,
//!   removed from the validator set).
//! - The holder is found from the keys Aura uses now, not from the keys registered for later
//!   sessions (as `pallet-session`'s key-ownership proofs of the current session are): a
//!   validator that rotates its keys after equivocating is still the one reported.
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
	frame_support, frame_system, sp_consensus_aura, sp_consensus_slots, sp_runtime, sp_staking,
};

/// An Aura equivocation: the offender's key, the slot, and the two headers it sealed for it.
pub type EquivocationProofOf<T> = sp_consensus_slots::EquivocationProof<
	frame_system::pallet_prelude::HeaderFor<T>,
	<T as Config>::AuthorityId,
>;

/// The author of a slot: who holds the key, the session, and how many validators it has.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SlotAuthor<Offender> {
	/// The key's holder, as offences name it.
	pub offender: Offender,
	/// The current session.
	pub session: sp_staking::SessionIndex,
	/// Its validator count.
	pub validator_count: u32,
}

/// Who seals which slot with which key, among the authorities in force (in tpwallet: Aura's
/// authorities, which are the session's validators' keys in the same order).
pub trait SlotAuthorship<AuthorityId, Offender> {
	/// The holder of `key` if `key` is the author of `slot` among the current authorities.
	fn author_of(slot: sp_consensus_slots::Slot, key: &AuthorityId)
		-> Option<SlotAuthor<Offender>>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{DispatchResultWithPostInfo, Pays},
		pallet_prelude::*,
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

		/// Who an offence names (`pallet-session` historical's `(validator, full identification)`).
		type Offender: Clone;

		/// Who authors which slot with which key (in tpwallet: Aura's authorities and the
		/// session's validators).
		type SlotAuthorship: SlotAuthorship<Self::AuthorityId, Self::Offender>;

		/// Where offences go (`pallet-offences`).
		type ReportOffence: ReportOffence<
			Self::AccountId,
			Self::Offender,
			AuraEquivocationOffence<Self::Offender>,
		>;

		/// The current slot (`pallet_aura::CurrentSlot`).
		type CurrentSlot: Get<Slot>;

		/// How many slots back an equivocation can still be reported. Nodes report one as soon
		/// as they import the second block; the authorities in force must be the slot's.
		#[pallet::constant]
		type ReportableSlots: Get<u64>;

		/// How many blocks an unsigned report stays valid in the pool.
		type ReportLongevity: Get<u64>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Makes a validator with a given Aura key, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AuthorityId>;
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
		/// The key is not the author of the slot among the authorities in force.
		NotSlotAuthor,
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
		/// - Checks: the slot is not in the future nor older than `ReportableSlots`
		///   ([`Error::EquivocationOutOfRange`]); the key is the slot's author among the
		///   authorities in force ([`Error::NotSlotAuthor`]); the headers are two different
		///   blocks, each sealed by the key for the slot ([`Error::InvalidEquivocationProof`]);
		///   the offence is new ([`Error::DuplicateOffenceReport`]).
		/// - Effect: an [`AuraEquivocationOffence`] naming the key's holder is reported to
		///   `Config::ReportOffence`, whose handler sanctions the offender.
		/// - Event: [`Event::EquivocationReported`] (and `pallet-offences`' `Offence`).
		/// - Weight: [`WeightInfo::report_equivocation`], measured with the runtime's offence
		///   handler and a full validator set.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			equivocation_proof: Box<EquivocationProofOf<T>>,
		) -> DispatchResultWithPostInfo {
			let reporter = match origin.into() {
				Ok(frame_system::RawOrigin::Signed(who)) => Some(who),
				Ok(frame_system::RawOrigin::None) => None,
				_ => return Err(DispatchError::BadOrigin.into()),
			};
			Self::do_report(reporter, *equivocation_proof)?;
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
			let Call::report_equivocation { equivocation_proof } = call else {
				return InvalidTransaction::Call.into();
			};
			if !matches!(source, TransactionSource::Local | TransactionSource::InBlock) {
				return InvalidTransaction::Call.into();
			}
			let author =
				Self::check_report(equivocation_proof).map_err(|_| InvalidTransaction::BadProof)?;
			if T::ReportOffence::is_known_offence(&[author.offender], &equivocation_proof.slot) {
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
		/// Checks a report, cheapest checks first: returns the slot's author if it proves an
		/// equivocation by the author of a recent slot.
		pub(crate) fn check_report(
			equivocation_proof: &EquivocationProofOf<T>,
		) -> Result<SlotAuthor<T::Offender>, Error<T>> {
			let now = T::CurrentSlot::get();
			let slot = equivocation_proof.slot;
			ensure!(
				slot <= now && now.saturating_sub(slot) <= T::ReportableSlots::get(),
				Error::<T>::EquivocationOutOfRange
			);
			let author = T::SlotAuthorship::author_of(slot, &equivocation_proof.offender)
				.ok_or(Error::<T>::NotSlotAuthor)?;
			ensure!(
				check_equivocation_proof(equivocation_proof),
				Error::<T>::InvalidEquivocationProof
			);
			Ok(author)
		}

		fn do_report(
			reporter: Option<T::AccountId>,
			equivocation_proof: EquivocationProofOf<T>,
		) -> DispatchResult {
			let author = Self::check_report(&equivocation_proof)?;
			let offence = AuraEquivocationOffence {
				slot: equivocation_proof.slot,
				session_index: author.session,
				validator_set_count: author.validator_count,
				offender: author.offender,
			};
			T::ReportOffence::report_offence(reporter.into_iter().collect(), offence)
				.map_err(|_| Error::<T>::DuplicateOffenceReport)?;
			Self::deposit_event(Event::EquivocationReported {
				authority: equivocation_proof.offender,
				slot: equivocation_proof.slot,
				session: author.session,
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
	) -> Result<(), ()> {
		use frame_system::offchain::SubmitTransaction;
		let call = Call::report_equivocation {
			equivocation_proof: alloc::boxed::Box::new(equivocation_proof),
		};
		let xt = T::create_bare(call.into());
		SubmitTransaction::<T, Call<T>>::submit_transaction(xt)
	}
}

/// Makes a validator the author of a slot, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AuthorityId> {
	/// Makes `key` the Aura key of a validator in the current session, in a full validator set,
	/// and returns a recent slot that `key` authors (setting the current slot if need be).
	fn author_of_a_slot(key: &AuthorityId) -> sp_consensus_slots::Slot;
}
