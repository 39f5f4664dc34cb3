//! The validator set: sessions (`pallet-session`) over a set governance changes
//! (`pallet-validator-set`), with the historical proofs (`pallet-session::historical`) and the
//! offence reports (`pallet-offences`) that make GRANDPA equivocations reportable.
//!
//! Validators do not bond TPW: they are institutions the council admits. An offence (a GRANDPA
//! equivocation) disables the offender at once (`Session::report_offence`: Aura rejects its
//! blocks for the rest of the session, within the one-third limit) and removes it from the set
//! from the session after next. Slashing a bond would add nothing a removal and the member's
//! agreement with the network do not already give, and would need staking's economics.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Get},
	weights::Weight,
};
use pallet_session::{historical as session_historical, PeriodicSessions};
use sp_runtime::{traits::ConvertInto, Perbill};
use sp_staking::{
	offence::{OffenceDetails, OffenceSeverity, OnOffenceHandler},
	SessionIndex,
};

/// Historical sessions kept for equivocation proofs: as many as GRANDPA keeps set ids for.
pub const KEPT_SESSIONS: SessionIndex = 168;

parameter_types! {
	/// Session keys (an Aura and a GRANDPA key, 64 bytes) and their two owner entries.
	pub const SessionKeyDeposit: Balance = deposit(3, 64 + 2 * (8 + 32 + 32));
}

/// Most validators: what Aura and GRANDPA allow.
pub type MaxValidators = super::consensus::MaxAuthorities;

impl pallet_validator_set::Config for Runtime {
	type AddRemoveOrigin = super::governance::ValidatorSetOrigin;
	type MaxValidators = MaxValidators;
	type MinValidators = ConstU32<1>;
	type ValidatorRegistration = Session;
	type WeightInfo = weights::pallet_validator_set::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SessionKeysForBenchmarks;
}

/// Registers session keys for a validator in benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct SessionKeysForBenchmarks;

/// Sets `who`'s session keys in benchmarks: `aura`, and a GRANDPA key made of its account bytes.
#[cfg(feature = "runtime-benchmarks")]
fn set_benchmark_keys(who: &AccountId, aura: sp_consensus_aura::sr25519::AuthorityId) {
	use pallet_session::SessionInterface;
	let grandpa = sp_consensus_grandpa::AuthorityId::from(sp_core::ed25519::Public::from_raw(
		who.clone().into(),
	));
	let _ = <Session as SessionInterface>::set_keys(who, SessionKeys { aura, grandpa });
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_validator_set::BenchmarkHelper<AccountId> for SessionKeysForBenchmarks {
	fn register_keys(who: &AccountId) {
		let aura = sp_consensus_aura::sr25519::AuthorityId::from(
			sp_core::sr25519::Public::from_raw(who.clone().into()),
		);
		set_benchmark_keys(who, aura);
	}
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = PeriodicSessions<super::SessionLength, ConstU32<0>>;
	type NextSessionRotation = PeriodicSessions<super::SessionLength, ConstU32<0>>;
	type SessionManager = session_historical::NoteHistoricalRoot<Self, ValidatorSetWithHistory>;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// At most a third of the set disabled at once, so that GRANDPA keeps its supermajority.
	type DisablingStrategy = pallet_session::disabling::UpToLimitDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl session_historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// No bond, so nothing beyond the account identifies a validator.
	type FullIdentification = ();
	type FullIdentificationOf = pallet_validator_set::FullIdentificationOf<Runtime>;
}

/// The validator set, as the historical session pallet wants it (with a full identification
/// per validator), pruning historical sessions older than [`KEPT_SESSIONS`] as sessions start.
pub struct ValidatorSetWithHistory;

impl pallet_session::SessionManager<AccountId> for ValidatorSetWithHistory {
	fn new_session(index: SessionIndex) -> Option<Vec<AccountId>> {
		<ValidatorSet as pallet_session::SessionManager<_>>::new_session(index)
	}
	fn new_session_genesis(index: SessionIndex) -> Option<Vec<AccountId>> {
		<ValidatorSet as pallet_session::SessionManager<_>>::new_session_genesis(index)
	}
	fn end_session(index: SessionIndex) {
		<ValidatorSet as pallet_session::SessionManager<_>>::end_session(index)
	}
	fn start_session(index: SessionIndex) {
		<ValidatorSet as pallet_session::SessionManager<_>>::start_session(index);
		Historical::prune_up_to(index.saturating_sub(KEPT_SESSIONS));
	}
}

impl session_historical::SessionManager<AccountId, ()> for ValidatorSetWithHistory {
	fn new_session(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session(index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn new_session_genesis(index: SessionIndex) -> Option<Vec<(AccountId, ())>> {
		<Self as pallet_session::SessionManager<_>>::new_session_genesis(index)
			.map(|set| set.into_iter().map(|v| (v, ())).collect())
	}
	fn start_session(index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::start_session(index)
	}
	fn end_session(index: SessionIndex) {
		<Self as pallet_session::SessionManager<_>>::end_session(index)
	}
}

/// An offence disables the offender now (session) and removes it from the set (validator set).
pub struct DisableAndRemove;

impl OnOffenceHandler<AccountId, session_historical::IdentificationTuple<Runtime>, Weight>
	for DisableAndRemove
{
	fn on_offence(
		offenders: &[OffenceDetails<AccountId, session_historical::IdentificationTuple<Runtime>>],
		slash_fraction: &[Perbill],
		session: SessionIndex,
	) -> Weight {
		for (details, fraction) in offenders.iter().zip(slash_fraction.iter()) {
			Session::report_offence(details.offender.0.clone(), OffenceSeverity(*fraction));
		}
		let disabling = <Runtime as frame_system::Config>::DbWeight::get()
			.reads_writes(2, 1)
			.saturating_mul(offenders.len() as u64);
		<ValidatorSet as OnOffenceHandler<_, _, Weight>>::on_offence(
			offenders,
			slash_fraction,
			session,
		)
		.saturating_add(disabling)
	}
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = session_historical::IdentificationTuple<Runtime>;
	type OnOffenceHandler = DisableAndRemove;
}

parameter_types! {
	/// An unsigned equivocation report stays valid in the pool for a session.
	pub ReportLongevity: u64 = u64::from(super::SessionLength::get());
}

/// GRANDPA keeps the session of this many past set ids (for equivocation proofs).
pub type MaxSetIdSessionEntries = ConstU64<{ KEPT_SESSIONS as u64 }>;

parameter_types! {
	/// An Aura equivocation stays reportable for ten minutes of slots (nodes report one as soon
	/// as they import the second block).
	pub const ReportableSlots: u64 = 10 * MINUTES as u64;
}

/// Aura's current slot, for the equivocation reports.
pub struct CurrentSlot;
impl Get<sp_consensus_aura::Slot> for CurrentSlot {
	fn get() -> sp_consensus_aura::Slot {
		pallet_aura::CurrentSlot::<Runtime>::get()
	}
}

/// Who authors a slot: Aura's authorities are the session validators' Aura keys, in the same
/// order (both are set from the session's queued keys), so the key at `slot % n` is the
/// validator's at that index. These are the keys in use, whatever keys a validator has
/// registered since for later sessions.
pub struct AuraSlotAuthors;

impl
	pallet_aura_equivocation::SlotAuthorship<
		sp_consensus_aura::sr25519::AuthorityId,
		session_historical::IdentificationTuple<Runtime>,
	> for AuraSlotAuthors
{
	fn author_of(
		slot: sp_consensus_aura::Slot,
		key: &sp_consensus_aura::sr25519::AuthorityId,
	) -> Option<
		pallet_aura_equivocation::SlotAuthor<session_historical::IdentificationTuple<Runtime>>,
	> {
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let validators = pallet_session::Validators::<Runtime>::get();
		if authorities.len() != validators.len() {
			return None;
		}
		let index = u64::from(slot).checked_rem(authorities.len() as u64)? as usize;
		if authorities.get(index)? != key {
			return None;
		}
		let owner = validators.get(index)?.clone();
		Some(pallet_aura_equivocation::SlotAuthor {
			offender: (owner, ()),
			session: Session::current_index(),
			validator_count: validators.len() as u32,
		})
	}
}

/// Aura equivocations (two blocks for one slot by one key: a validator running two nodes with
/// its keys) are reported like GRANDPA's, to the same offence handler.
impl pallet_aura_equivocation::Config for Runtime {
	type AuthorityId = sp_consensus_aura::sr25519::AuthorityId;
	type Offender = session_historical::IdentificationTuple<Runtime>;
	type SlotAuthorship = AuraSlotAuthors;
	type ReportOffence = Offences;
	type CurrentSlot = CurrentSlot;
	type ReportableSlots = ReportableSlots;
	type ReportLongevity = ReportLongevity;
	type WeightInfo = weights::pallet_aura_equivocation::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuraSlotAuthorForBenchmarks;
}

/// Makes a validator of the current session the author of a recent slot, in benchmarks: in a
/// full set (the authority lists read are then their longest), approved by root, keys set, two
/// sessions rotated.
#[cfg(feature = "runtime-benchmarks")]
pub struct AuraSlotAuthorForBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_aura_equivocation::BenchmarkHelper<sp_consensus_aura::sr25519::AuthorityId>
	for AuraSlotAuthorForBenchmarks
{
	fn author_of_a_slot(key: &sp_consensus_aura::sr25519::AuthorityId) -> sp_consensus_aura::Slot {
		let offender = AccountId::from(sp_core::sr25519::Public::from(key.clone()));
		set_benchmark_keys(&offender, key.clone());
		let _ = ValidatorSet::add_validator(RuntimeOrigin::root(), offender.into());
		let max = <MaxValidators as Get<u32>>::get();
		for i in pallet_validator_set::Validators::<Runtime>::get().len() as u32..max {
			let who = AccountId::from([i as u8; 32]);
			let aura = sp_consensus_aura::sr25519::AuthorityId::from(
				sp_core::sr25519::Public::from_raw(who.clone().into()),
			);
			set_benchmark_keys(&who, aura);
			let _ = ValidatorSet::add_validator(RuntimeOrigin::root(), who.into());
		}
		Session::rotate_session();
		Session::rotate_session();
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let index = authorities.iter().position(|a| a == key).unwrap_or_default() as u64;
		let n = (authorities.len() as u64).max(1);
		// A slot of the key's, well after genesis, made the current one.
		let slot = sp_consensus_aura::Slot::from(1_000 * n + index);
		pallet_aura::CurrentSlot::<Runtime>::put(slot);
		slot
	}
}
