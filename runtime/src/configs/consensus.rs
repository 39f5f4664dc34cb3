//! Block authoring (Aura), finality (GRANDPA) and time.

use crate::*;
use frame_support::traits::{ConstBool, ConstU32, ConstU64};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// Upper bound on the validator set, for bounded authority storage.
pub type MaxAuthorities = ConstU32<100>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	// An offender disabled by `Session` authors no valid block until the set changes.
	type DisabledValidators = Session;
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = super::validators::MaxSetIdSessionEntries;
	// A GRANDPA key is tied to its validator through the historical session it belonged to.
	type KeyOwnerProof = sp_session::MembershipProof;
	// Verified reports go to `Offences`, which disables and removes the offender.
	type EquivocationReportSystem = pallet_grandpa::EquivocationReportSystem<
		Self,
		Offences,
		Historical,
		super::validators::ReportLongevity,
	>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}
