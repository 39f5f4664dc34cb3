//! A test runtime: `frame_system` and this pallet, with stand-ins for what the runtime wires in:
//! key owners (account `n` holds key `UintAuthorityId(n)` while it is a validator), the offence
//! reporter (recording offences, refusing duplicates), the current slot and session.

use crate as pallet_aura_equivocation;
use crate::AuraEquivocationOffence;
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU64, Get, KeyOwnerProofSystem},
	},
	sp_consensus_slots::Slot,
	sp_runtime::{testing::UintAuthorityId, BuildStorage, KeyTypeId},
	sp_session::{GetSessionNumber, GetValidatorCount},
	sp_staking::{
		offence::{OffenceError, ReportOffence},
		SessionIndex,
	},
	*,
};
use scale_info::TypeInfo;
use std::collections::BTreeSet;

pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type AuraEquivocation = pallet_aura_equivocation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Slots back a report may reach.
pub const REPORTABLE_SLOTS: u64 = 10;
/// The validators of the current session (by account, which is also their key).
pub const VALIDATORS: [AccountId; 4] = [1, 2, 3, 4];

parameter_types! {
	pub static CurrentSlotNumber: u64 = 100;
	pub static CurrentSessionIndex: SessionIndex = 7;
}

pub struct CurrentSlot;
impl Get<Slot> for CurrentSlot {
	fn get() -> Slot {
		Slot::from(CurrentSlotNumber::get())
	}
}

impl pallet_aura_equivocation::Config for Test {
	type AuthorityId = UintAuthorityId;
	type KeyOwnerProof = MockProof;
	type KeyOwnerProofSystem = MockKeyOwners;
	type ReportOffence = MockOffences;
	type CurrentSlot = CurrentSlot;
	type CurrentSession = CurrentSessionIndex;
	type ReportableSlots = ConstU64<REPORTABLE_SLOTS>;
	type ReportLongevity = ConstU64<5>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockKeyOwners;
}

/// A key-owner proof: the session it is for and that session's validator count.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MockProof {
	pub session: SessionIndex,
	pub validator_count: u32,
}

impl GetSessionNumber for MockProof {
	fn session(&self) -> SessionIndex {
		self.session
	}
}
impl GetValidatorCount for MockProof {
	fn validator_count(&self) -> u32 {
		self.validator_count
	}
}

thread_local! {
	/// The current validators (account `n` holds key `UintAuthorityId(n)`).
	static VALIDATOR_SET: RefCell<BTreeSet<AccountId>> = RefCell::new(VALIDATORS.into_iter().collect());
	/// The offences reported, with their reporters.
	pub static OFFENCES: RefCell<Vec<(Vec<AccountId>, AuraEquivocationOffence<(AccountId, ())>)>> =
		const { RefCell::new(Vec::new()) };
}

/// Stands for `pallet-session`'s historical proofs: a proof holds for a validator's key in the
/// current session with the right validator count.
pub struct MockKeyOwners;

impl MockKeyOwners {
	/// A proof for the current session.
	pub fn proof() -> MockProof {
		MockProof {
			session: CurrentSessionIndex::get(),
			validator_count: VALIDATOR_SET.with(|set| set.borrow().len() as u32),
		}
	}
}

impl KeyOwnerProofSystem<(KeyTypeId, UintAuthorityId)> for MockKeyOwners {
	type Proof = MockProof;
	type IdentificationTuple = (AccountId, ());

	fn prove(_key: (KeyTypeId, UintAuthorityId)) -> Option<MockProof> {
		Some(Self::proof())
	}

	fn check_proof(
		(_, key): (KeyTypeId, UintAuthorityId),
		proof: MockProof,
	) -> Option<(AccountId, ())> {
		let owner = key.0;
		(VALIDATOR_SET.with(|set| set.borrow().contains(&owner)) && proof == Self::proof())
			.then_some((owner, ()))
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<UintAuthorityId, MockProof> for MockKeyOwners {
	fn validator_with_key(key: &UintAuthorityId) -> MockProof {
		VALIDATOR_SET.with(|set| set.borrow_mut().insert(key.0));
		Self::proof()
	}
}

/// Stands for `pallet-offences`: records offences, refuses one reported twice.
pub struct MockOffences;

impl ReportOffence<AccountId, (AccountId, ()), AuraEquivocationOffence<(AccountId, ())>>
	for MockOffences
{
	fn report_offence(
		reporters: Vec<AccountId>,
		offence: AuraEquivocationOffence<(AccountId, ())>,
	) -> Result<(), OffenceError> {
		if Self::is_known_offence(&[offence.offender], &offence.slot) {
			return Err(OffenceError::DuplicateReport);
		}
		OFFENCES.with(|offences| offences.borrow_mut().push((reporters, offence)));
		Ok(())
	}

	fn is_known_offence(offenders: &[(AccountId, ())], slot: &Slot) -> bool {
		OFFENCES.with(|offences| {
			offenders.iter().all(|offender| {
				offences.borrow().iter().any(|(_, o)| o.offender == *offender && o.slot == *slot)
			})
		})
	}
}

/// Validators 1 to 4, slot 100, session 7, no offences; a keystore for the benchmarks' keys.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	VALIDATOR_SET.with(|set| *set.borrow_mut() = VALIDATORS.into_iter().collect());
	OFFENCES.with(|offences| offences.borrow_mut().clear());
	CurrentSlotNumber::set(100);
	CurrentSessionIndex::set(7);
	let storage = RuntimeGenesisConfig::default().build_storage().unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.register_extension(polkadot_sdk::sp_keystore::KeystoreExt::new(
		polkadot_sdk::sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The offences reported so far.
pub fn offences() -> Vec<(Vec<AccountId>, AuraEquivocationOffence<(AccountId, ())>)> {
	OFFENCES.with(|offences| offences.borrow().clone())
}
