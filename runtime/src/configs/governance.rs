//! Who governs what: the runtime's whole map of governance origins, and the bodies behind them.
//!
//! - The **council** (`Council`, members kept by `CouncilMembership`): the member institutions.
//!   Two thirds of it decide everything a chain-wide authority decides: runtime upgrades (as
//!   root, through `Whitelist`), token templates, trusted KYC providers, rule sets and risk
//!   oracles, bridge set-up, parameters, the validator set, and the membership of every body.
//! - The **technical committee** (`TechnicalCommittee`, members kept by `TechnicalMembership`):
//!   the operators who must act within minutes. Half of it halts the bridge or pauses a call
//!   (`TxPause`); only the council resumes either. It can also whitelist a call (vet a runtime
//!   upgrade) for the council to dispatch.
//! - **Compliance officers** (`ComplianceOfficers`): any one of them keeps the sanctions list,
//!   which must follow a list change at once, not after a vote.
//!
//! Root (the `sudo` key, on the `dev` chain only, and a whitelisted call the council dispatches)
//! passes every origin here. Motions are council or committee proposals (`pallet-collective`);
//! enactment at a later block goes through `Scheduler`, large calls through `Preimage`.

use crate::*;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, ConstU32, EitherOfDiverse, EqualPrivilegeOnly,
		LinearStoragePrice,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::Perbill;

/// The council's collective.
pub type CouncilCollective = pallet_collective::Instance1;
/// The technical committee's collective.
pub type TechnicalCollective = pallet_collective::Instance2;
/// The council's membership.
pub type CouncilMembershipInstance = pallet_membership::Instance1;
/// The technical committee's membership.
pub type TechnicalMembershipInstance = pallet_membership::Instance2;
/// The compliance officers' membership.
pub type ComplianceOfficersInstance = pallet_membership::Instance3;

// ---- The origin map -------------------------------------------------------------------------

/// Two thirds of the council (or root).
pub type CouncilTwoThirds = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

/// Half of the technical committee (or root): fast, protective actions only.
pub type TechnicalHalf = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, TechnicalCollective, 1, 2>,
>;

/// Runtime upgrades and any other root-only call: the council dispatches, as root, a call it or
/// the technical committee whitelisted (`Whitelist`).
pub type UpgradeOrigin = CouncilTwoThirds;
/// Token templates (`pallet-tokenization`).
pub type TemplatesOrigin = CouncilTwoThirds;
/// Trusted KYC providers, rule sets and risk oracles (`pallet-compliance`).
pub type ComplianceGovernanceOrigin = CouncilTwoThirds;
/// The sanctions list (`pallet-compliance`'s blocklist): any one compliance officer.
pub type SanctionsOrigin =
	EitherOfDiverse<EnsureRoot<AccountId>, EnsureSignedBy<ComplianceOfficers, AccountId>>;
/// Bridge set-up and resuming it (`pallet-bridge`).
pub type BridgeAdminOrigin = CouncilTwoThirds;
/// Creates clearing schemes (settlement pallet).
pub type SchemeOrigin = CouncilTwoThirds;
/// Halting the bridge: the technical committee, or the council.
pub type BridgeHaltOrigin = EitherOfDiverse<TechnicalHalf, CouncilTwoThirds>;
/// Pausing a call or a whole pallet (`TxPause`): the technical committee, or the council.
pub type PauseOrigin = EitherOfDiverse<TechnicalHalf, CouncilTwoThirds>;
/// Resuming a paused call: the council.
pub type UnpauseOrigin = CouncilTwoThirds;
/// Runtime parameters (`pallet-parameters`).
pub type ParametersOrigin = CouncilTwoThirds;
/// Adding and removing validators (`pallet-validator-set`).
pub type ValidatorSetOrigin = CouncilTwoThirds;
/// Force calls of `pallet-assets` and `pallet-nfts` on unmanaged assets.
pub type AssetsForceOrigin = CouncilTwoThirds;
/// Membership of the council, the technical committee and the compliance officers.
pub type MembershipOrigin = CouncilTwoThirds;
/// Scheduling a call for later, and preimages the chain must keep.
pub type ScheduleOrigin = CouncilTwoThirds;
/// Whitelisting a call for dispatch as root: the technical committee vets, or the council.
pub type WhitelistOrigin = EitherOfDiverse<TechnicalHalf, CouncilTwoThirds>;

// ---- The bodies ------------------------------------------------------------------------------

parameter_types! {
	/// A motion stays open for a week; it closes as soon as enough members voted.
	pub const MotionDuration: BlockNumber = 7 * DAYS;
	/// A motion may weigh at most half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * super::RuntimeBlockWeights::get().max_block;
	/// What a member holds while its motion is open: a proposal of up to 1 KiB (larger calls go
	/// through `Preimage`, which charges by the byte).
	pub const ProposalDeposit: Balance = deposit(2, 1024);
	pub const CouncilProposalHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Council(pallet_collective::HoldReason::ProposalSubmission);
	pub const TechnicalProposalHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::TechnicalCommittee(pallet_collective::HoldReason::ProposalSubmission);
}

/// Most members of the council.
pub type CouncilMaxMembers = ConstU32<32>;
/// Most members of the technical committee.
pub type TechnicalMaxMembers = ConstU32<16>;

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = MotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = CouncilMaxMembers;
	// A member who does not vote does not count as an aye or a nay.
	type DefaultVote = pallet_collective::MoreThanMajorityThenPrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Members come from `CouncilMembership`, never set directly.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = CouncilTwoThirds;
	type KillOrigin = CouncilTwoThirds;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		CouncilProposalHoldReason,
		pallet_collective::deposit::Constant<ProposalDeposit>,
		u32,
	>;
}

impl pallet_collective::Config<TechnicalCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = MotionDuration;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = TechnicalMaxMembers;
	type DefaultVote = pallet_collective::MoreThanMajorityThenPrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = CouncilTwoThirds;
	type KillOrigin = CouncilTwoThirds;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		TechnicalProposalHoldReason,
		pallet_collective::deposit::Constant<ProposalDeposit>,
		u32,
	>;
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = MembershipOrigin;
	type RemoveOrigin = MembershipOrigin;
	type SwapOrigin = MembershipOrigin;
	type ResetOrigin = MembershipOrigin;
	type PrimeOrigin = MembershipOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_membership::Config<TechnicalMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = MembershipOrigin;
	type RemoveOrigin = MembershipOrigin;
	type SwapOrigin = MembershipOrigin;
	type ResetOrigin = MembershipOrigin;
	type PrimeOrigin = MembershipOrigin;
	type MembershipInitialized = TechnicalCommittee;
	type MembershipChanged = TechnicalCommittee;
	type MaxMembers = TechnicalMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_membership::Config<ComplianceOfficersInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = MembershipOrigin;
	type RemoveOrigin = MembershipOrigin;
	type SwapOrigin = MembershipOrigin;
	type ResetOrigin = MembershipOrigin;
	type PrimeOrigin = MembershipOrigin;
	// Officers act alone; no collective follows this membership.
	type MembershipInitialized = ();
	type MembershipChanged = ();
	type MaxMembers = ConstU32<16>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

// ---- Enactment ---------------------------------------------------------------------------

parameter_types! {
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
	/// A preimage holds a base deposit plus its bytes, like every other stored item.
	pub const PreimageBaseDeposit: Balance = deposit(2, 64);
	pub const PreimageByteDeposit: Balance = deposit(0, 1);
	/// Scheduled calls may use most of a block.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * super::RuntimeBlockWeights::get().max_block;
	/// A call the council may dispatch after whitelisting, when it does not fit a block at once.
	pub const DeferredDispatchExpiration: BlockNumber = 7 * DAYS;
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = ScheduleOrigin;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = ScheduleOrigin;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = WhitelistOrigin;
	type DispatchWhitelistedOrigin = UpgradeOrigin;
	type Preimages = Preimage;
	type DeferredDispatchExpiration = DeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}

/// Calls `TxPause` can never pause: the ones governance needs to undo a pause, and the
/// chain's own machinery.
pub struct UnpausableCalls;

impl frame_support::traits::Contains<pallet_tx_pause::RuntimeCallNameOf<Runtime>>
	for UnpausableCalls
{
	fn contains(full_name: &pallet_tx_pause::RuntimeCallNameOf<Runtime>) -> bool {
		let pallet = full_name.0.as_slice();
		matches!(
			pallet,
			b"System"
				| b"Timestamp"
				| b"Grandpa" | b"Sudo"
				| b"Council" | b"TechnicalCommittee"
				| b"CouncilMembership"
				| b"TechnicalMembership"
				| b"Scheduler"
				| b"Preimage"
				| b"Whitelist"
				| b"TxPause" | b"Session"
		)
	}
}

impl pallet_tx_pause::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PauseOrigin = PauseOrigin;
	type UnpauseOrigin = UnpauseOrigin;
	type WhitelistedCalls = UnpausableCalls;
	type MaxNameLen = ConstU32<64>;
	type WeightInfo = pallet_tx_pause::weights::SubstrateWeight<Runtime>;
}
