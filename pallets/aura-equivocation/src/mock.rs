//! A test runtime: `frame_system` and this pallet, with stand-ins for what the runtime wires in:
//! the authorities (account `n` holds key `UintAuthorityId(n)`; slot `s` is sealed by the
//! validator at `s % 4`), the offence reporter (recording offences, refusing duplicates), the
//! current slot and session.

use crate as pallet_aura_equivocation;
use crate::{AuraEquivocationOffence, SlotAuthor, SlotAuthorship};
use core::cell::RefCell;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU64, Get},
	},
	sp_consensus_slots::Slot,
	sp_runtime::{testing::UintAuthorityId, BuildStorage},
	sp_staking::{
		offence::{OffenceError, ReportOffence},
		SessionIndex,
	},
	*,
};

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

/// Slots back a report may reach (a multiple of the set's size: the oldest slot is the current
/// slot's author's too).
pub const REPORTABLE_SLOTS: u64 = 12;
/// The validators of the current session, in authority order (by account, which is also their
/// key).
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
	type Offender = (AccountId, ());
	type SlotAuthorship = MockAuthorities;
	type ReportOffence = MockOffences;
	type CurrentSlot = CurrentSlot;
	type ReportableSlots = ConstU64<REPORTABLE_SLOTS>;
	type ReportLongevity = ConstU64<5>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockAuthorities;
}

thread_local! {
	/// The current authorities, in order (account `n` holds key `UintAuthorityId(n)`).
	static AUTHORITIES: RefCell<Vec<AccountId>> = RefCell::new(VALIDATORS.to_vec());
	/// The offences reported, with their reporters.
	pub static OFFENCES: RefCell<Vec<(Vec<AccountId>, AuraEquivocationOffence<(AccountId, ())>)>> =
		const { RefCell::new(Vec::new()) };
}

/// Stands for Aura's authorities and the session's validators: slot `s` is sealed by the
/// authority at `s % len`.
pub struct MockAuthorities;

impl SlotAuthorship<UintAuthorityId, (AccountId, ())> for MockAuthorities {
	fn author_of(slot: Slot, key: &UintAuthorityId) -> Option<SlotAuthor<(AccountId, ())>> {
		AUTHORITIES.with(|authorities| {
			let authorities = authorities.borrow();
			let index = u64::from(slot).checked_rem(authorities.len() as u64)? as usize;
			(*authorities.get(index)? == key.0).then(|| SlotAuthor {
				offender: (key.0, ()),
				session: CurrentSessionIndex::get(),
				validator_count: authorities.len() as u32,
			})
		})
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<UintAuthorityId> for MockAuthorities {
	fn author_of_a_slot(key: &UintAuthorityId) -> Slot {
		AUTHORITIES.with(|authorities| {
			let mut authorities = authorities.borrow_mut();
			if !authorities.contains(&key.0) {
				authorities.push(key.0);
			}
			let len = authorities.len() as u64;
			let index = authorities.iter().position(|a| *a == key.0).unwrap() as u64;
			let now = CurrentSlotNumber::get();
			Slot::from(now - (now + len - index) % len)
		})
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

/// Validators 1 to 4 (slot 100 is 1's), slot 100, session 7, no offences; a keystore for the
/// benchmarks' keys.
pub fn new_test_ext() -> polkadot_sdk::sp_io::TestExternalities {
	AUTHORITIES.with(|authorities| *authorities.borrow_mut() = VALIDATORS.to_vec());
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
