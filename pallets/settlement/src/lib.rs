//! # Settlement pallet
//!
//! Multi-leg instructions that settle all or nothing: delivery versus payment (a security token
//! against a stablecoin), payment versus payment, with fee legs, on any fungible asset (native,
//! `pallet-assets`, or a token managed by the tokenization pallet) and on NFTs
//! ([`LegAsset::Nft`], through [`Config::Nfts`]).
//!
//! - [`Pallet::create_instruction`]: anyone (a party, or a venue's owner) proposes up to
//!   `MaxLegs` legs, when they settle ([`SettlementType`]) and when the proposal expires. The
//!   creator holds the instruction's storage deposit until it is gone.
//! - [`Pallet::affirm`]: a party agrees to its legs. A sender's units go on hold at once
//!   ([`HoldReason::Instruction`]) and its NFTs into escrow ([`NftEscrow`]), so that execution
//!   cannot fail for want of balance. Receivers affirm too when the instruction, or its venue,
//!   asks them to (pre-approval), unless they pre-approved the venue.
//! - Venues ([`Pallet::create_venue`]): who creates instructions for clients, with a policy on
//!   receivers' affirmations; receivers pre-approve a venue with [`Pallet::preapprove_venue`].
//! - [`Pallet::reveal_preimage`]: opens the legs locked to a SHA-256 digest (cross-chain DvP:
//!   the delivery here settles against an HTLC payment on another chain locked to the same
//!   digest).
//! - [`Pallet::execute`]: settles a manual instruction, or one whose scheduled attempt failed.
//! - [`Pallet::withdraw_affirmation`], [`Pallet::reject`], [`Pallet::release_expired`]: holds
//!   are released and nothing is lost.
//!
//! Execution moves every leg or none. Legs in a regulated token pass its transfer gate and its
//! compliance rules in the same block ([`Config::LegGuard`]); a leg the rules would hold for
//! review (or refuse) leaves the whole instruction pending, its holds in place, with an
//! [`Event::ExecutionFailed`] that names the error. The runtime API reports, before anything is
//! submitted, every reason an instruction would not settle now.
//!
//! ## Clearing schemes: instant credit, deferred net settlement
//!
//! Governance creates a scheme ([`Pallet::create_scheme`]) with a settlement asset (a
//! stablecoin), a cycle length and an operator, who opens it ([`Pallet::open_scheme`]) and admits
//! members with a **net debit cap** each. Members post collateral on hold
//! ([`Pallet::post_collateral`]). A member's payment to another ([`Pallet::pay`]) is **cleared at
//! once**, final for the payee, if the payer's net debit in the open cycle stays within its cap:
//! two positions change, no units move. When the cycle closes (every `cycle_length` blocks, or
//! on [`Pallet::close_cycle`]), the next one opens at once and the closed one is settled by
//! **multilateral netting** over the following blocks, a bounded number of members per block:
//! each net debtor pays its net debit into the scheme account in one transfer, then each net
//! creditor is paid out in one transfer. A debtor that cannot pay is covered by its collateral;
//! what that does not cover is shared by the creditors pro rata (the default rule, in
//! `netting.rs`), and the defaulter is suspended. Every step has an event. A member may also
//! grant another a bilateral credit limit ([`Pallet::set_credit_limit`]): the most the other may
//! owe it, net, in a cycle (`credit.rs`).
//!
//! ## Decisions
//!
//! - An instruction with a hash-locked leg is *committed* once every party has affirmed it: no
//!   affirmation can be withdrawn and no party can reject it until it expires. A counterparty may
//!   have paid on another chain against the digest; letting the sender back out after the
//!   preimage is out would rob it. Its expiry must therefore leave the receiver time to reveal
//!   here after the HTLC there is claimed: lock the HTLC for less time than the instruction.
//! - A settled, rejected or released instruction is removed (its events are its history), so
//!   storage holds only what is pending and every deposit returns.
//! - A scheme's payments in a regulated settlement asset pass its rules when they clear, the
//!   moment they are final for the payee; the netting transfers settle obligations already
//!   judged and do not pass them again.
//! - The scheme account keeps a float (the asset's minimum balance, paid by the operator when it
//!   opens the scheme), so that it can receive a net debit of any size.
//! - A leg is checked against the rules at execution, not at affirmation: a receiver that is
//!   KYC'd by then settles, and one that lost its standing meanwhile does not.
//! - An NFT is in escrow for one instruction at a time ([`EscrowedNfts`]): a second instruction
//!   cannot take it over, and releasing one never releases another's escrow. An authority that
//!   moves the item ends its escrow; the leg then fails until the instruction is released.
//! - A bilateral limit counts the pair's payments from when it is first set (earlier payments of
//!   the cycle were not recorded: keeping every pair's sums would make every payment dearer).
//! - A scheme's records (members, limits, usage) are admitted by its operator and bounded by
//!   `MaxMembers` and `MaxCreditLimits`; they hold no storage deposit.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use tpwallet_transfer_rules::TransferRules;
pub use traits::NftEscrow;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod credit;
mod instructions;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod netting;
mod report;
mod scheme;
#[cfg(test)]
mod tests;
mod traits;
pub mod types;
mod venues;
mod views;
pub mod weights;

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::PostDispatchInfo,
		pallet_prelude::*,
		traits::{fungible, fungibles},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// The asset kind (native or an asset id) of `T::Assets`.
	pub type AssetKindOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::AssetId;
	/// The balance type of `T::Assets`.
	pub type BalanceOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// The balance type of the native currency (storage deposits).
	pub type DepositBalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// An NFT collection of `T::Nfts`.
	pub type NftCollectionOf<T> =
		<<T as Config>::Nfts as NftEscrow<<T as frame_system::Config>::AccountId>>::Collection;
	/// An NFT item of `T::Nfts`.
	pub type NftItemOf<T> =
		<<T as Config>::Nfts as NftEscrow<<T as frame_system::Config>::AccountId>>::Item;
	/// What a leg moves.
	pub type LegAssetOf<T> =
		LegAsset<AssetKindOf<T>, BalanceOf<T>, NftCollectionOf<T>, NftItemOf<T>>;
	/// A leg as given to `create_instruction`.
	pub type LegOf<T> = Leg<<T as frame_system::Config>::AccountId, LegAssetOf<T>>;
	/// The legs of an instruction.
	pub type LegsOf<T> = BoundedVec<LegOf<T>, <T as Config>::MaxLegs>;
	/// An instruction as stored.
	pub type InstructionOf<T> = Instruction<
		<T as frame_system::Config>::AccountId,
		LegAssetOf<T>,
		BlockNumberFor<T>,
		DepositBalanceOf<T>,
		<T as Config>::MaxLegs,
	>;
	/// A clearing scheme as stored.
	pub type SchemeOf<T> = Scheme<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		BlockNumberFor<T>,
	>;
	/// A venue as stored.
	pub type VenueOf<T> = Venue<<T as frame_system::Config>::AccountId, DepositBalanceOf<T>>;
	/// A storage deposit in the native currency.
	pub type DepositOf<T> = Deposit<<T as frame_system::Config>::AccountId, DepositBalanceOf<T>>;
	/// A scheme member as stored.
	pub type SchemeMemberOf<T> = SchemeMember<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		<T as Config>::MaxCreditLimits,
	>;
	/// A member's standing as the runtime API reports it.
	pub type MemberViewOf<T> = MemberView<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// A cycle being settled.
	pub type NettingOf<T> = Netting<BalanceOf<T>>;
	/// A failure reason of the runtime API.
	pub type ExecutionFailureOf<T> =
		ExecutionFailure<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	/// The storage layout's version: bumped by each migration that changes the layout.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Every asset a leg can move, native included, behind one interface with holds.
		type Assets: fungibles::Inspect<Self::AccountId>
			+ fungibles::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The same assets, for plain transfers: a scheme's float and its netting.
		type Transfers: fungibles::Mutate<
			Self::AccountId,
			AssetId = AssetKindOf<Self>,
			Balance = BalanceOf<Self>,
		>;

		/// The native currency, in which storage deposits are held.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// The transfer gate and compliance rules of regulated assets, applied to every leg at
		/// execution.
		type LegGuard: TransferRules<AssetKindOf<Self>, Self::AccountId, BalanceOf<Self>>;

		/// The NFTs a leg can move, with their escrow and their collections' rules.
		type Nfts: NftEscrow<Self::AccountId>;

		/// Storage deposit per instruction. Not a metadata constant: a runtime may let governance
		/// change it (each instruction records what it held, so refunds stay exact).
		type DepositBase: Get<DepositBalanceOf<Self>>;

		/// Storage deposit per byte an instruction stores.
		type DepositPerByte: Get<DepositBalanceOf<Self>>;

		/// Most legs in one instruction.
		#[pallet::constant]
		type MaxLegs: Get<u32>;

		/// Longest an instruction may stay pending, in blocks.
		#[pallet::constant]
		type MaxDuration: Get<BlockNumberFor<Self>>;

		/// Most instructions scheduled to settle in one block.
		#[pallet::constant]
		type MaxScheduledPerBlock: Get<u32>;

		/// Longest preimage `reveal_preimage` accepts, in bytes.
		#[pallet::constant]
		type MaxPreimageLen: Get<u32>;

		/// Who creates clearing schemes (governance).
		type SchemeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Derives each scheme's settlement account.
		#[pallet::constant]
		type PalletId: Get<frame_support::PalletId>;

		/// Most clearing schemes at once (created and not dissolved).
		#[pallet::constant]
		type MaxSchemes: Get<u32>;

		/// Most members of one scheme.
		#[pallet::constant]
		type MaxMembers: Get<u32>;

		/// Most bilateral credit limits a member may be granted in a scheme.
		#[pallet::constant]
		type MaxCreditLimits: Get<u32>;

		/// Most members settled per block across the cycles being settled (each step is one
		/// member of one pass).
		#[pallet::constant]
		type NettingStepsPerBlock: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Creates assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<AssetKindOf<Self>, Self::AccountId, BalanceOf<Self>>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A sender's units affirmed into a pending instruction.
		#[codec(index = 0)]
		Instruction,
		/// The storage deposit of a pending instruction, in the native currency.
		#[codec(index = 1)]
		StorageDeposit,
		/// A clearing-scheme member's collateral, in the scheme's settlement asset.
		#[codec(index = 2)]
		Collateral,
	}

	/// Pending instructions by id.
	#[pallet::storage]
	pub type Instructions<T: Config> =
		StorageMap<_, Blake2_128Concat, InstructionId, InstructionOf<T>>;

	/// The id the next instruction gets.
	#[pallet::storage]
	pub type NextInstructionId<T: Config> = StorageValue<_, InstructionId, ValueQuery>;

	/// Instructions that settle at the start of a block, by block.
	#[pallet::storage]
	pub type Scheduled<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<InstructionId, T::MaxScheduledPerBlock>,
		ValueQuery,
	>;

	/// Clearing schemes by id.
	#[pallet::storage]
	pub type Schemes<T: Config> = StorageMap<_, Twox64Concat, SchemeId, SchemeOf<T>>;

	/// The id the next scheme gets (ids are not reused).
	#[pallet::storage]
	pub type NextSchemeId<T: Config> = StorageValue<_, SchemeId, ValueQuery>;

	/// How many schemes exist: created and not dissolved, at most `MaxSchemes`.
	#[pallet::storage]
	pub type SchemeCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// A scheme's members, in the order netting settles them.
	#[pallet::storage]
	pub type SchemeMembers<T: Config> =
		StorageMap<_, Twox64Concat, SchemeId, BoundedVec<T::AccountId, T::MaxMembers>, ValueQuery>;

	/// A member's cap, collateral and standing, by scheme.
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SchemeId,
		Blake2_128Concat,
		T::AccountId,
		SchemeMemberOf<T>,
	>;

	/// A member's payments in a cycle, by (scheme, cycle): the open cycle's, and a settling
	/// cycle's until netting reaches the member.
	#[pallet::storage]
	pub type Positions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(SchemeId, CycleNumber),
		Blake2_128Concat,
		T::AccountId,
		Position<BalanceOf<T>>,
		ValueQuery,
	>;

	/// The cycle each scheme is settling, if any.
	#[pallet::storage]
	pub type Nettings<T: Config> = StorageMap<_, Twox64Concat, SchemeId, NettingOf<T>>;

	/// Venues by id.
	#[pallet::storage]
	pub type Venues<T: Config> = StorageMap<_, Twox64Concat, VenueId, VenueOf<T>>;

	/// The id the next venue gets.
	#[pallet::storage]
	pub type NextVenueId<T: Config> = StorageValue<_, VenueId, ValueQuery>;

	/// Venues a receiver pre-approved: its legs in their instructions need no affirmation. The
	/// value is the deposit held from the receiver.
	#[pallet::storage]
	pub type VenuePreapprovals<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, VenueId, DepositOf<T>>;

	/// NFTs in escrow for an affirmed leg, with the instruction that holds them.
	#[pallet::storage]
	pub type EscrowedNfts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		NftCollectionOf<T>,
		Blake2_128Concat,
		NftItemOf<T>,
		InstructionId,
	>;

	/// What a member paid another in a cycle, by (scheme, payer) and payee, kept only for pairs
	/// with a bilateral credit limit in either direction: the cycle and the sum (a sum of an
	/// earlier cycle counts as zero).
	#[pallet::storage]
	pub type CreditUsage<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		(SchemeId, T::AccountId),
		Blake2_128Concat,
		T::AccountId,
		(CycleNumber, BalanceOf<T>),
	>;

	/// Schemes with a cycle to settle, in the order they are settled.
	#[pallet::storage]
	pub type NettingQueue<T: Config> =
		StorageValue<_, BoundedVec<SchemeId, T::MaxSchemes>, ValueQuery>;

	/// Schemes whose open cycle closes at a block, by block.
	#[pallet::storage]
	pub type CycleCloses<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<SchemeId, T::MaxSchemes>,
		ValueQuery,
	>;

	/// Each scheme's last settled cycle.
	#[pallet::storage]
	pub type LastSettled<T: Config> =
		StorageMap<_, Twox64Concat, SchemeId, CycleSummary<BalanceOf<T>, BlockNumberFor<T>>>;

	/// Payouts the settlement asset refused at netting (a frozen account), kept in the scheme
	/// account for the member to claim.
	#[pallet::storage]
	pub type Unclaimed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		SchemeId,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An instruction was created.
		InstructionCreated {
			id: InstructionId,
			creator: T::AccountId,
			venue: Option<VenueId>,
			legs: LegsOf<T>,
			settlement: SettlementType<BlockNumberFor<T>>,
			receivers_affirm: bool,
			expires_at: BlockNumberFor<T>,
			/// The storage deposit held from the creator, in the native currency.
			deposit: DepositBalanceOf<T>,
		},
		/// A party affirmed its legs; as a sender, its units are now on hold.
		Affirmed { id: InstructionId, party: T::AccountId },
		/// A party withdrew its affirmation; its units are released.
		AffirmationWithdrawn { id: InstructionId, party: T::AccountId },
		/// A preimage opened the hash lock of `legs` legs.
		PreimageRevealed {
			id: InstructionId,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
			legs: u32,
		},
		/// Every leg moved; the instruction is gone and its deposit returned.
		Executed { id: InstructionId },
		/// An attempt to settle failed; nothing moved and the instruction stays pending.
		ExecutionFailed { id: InstructionId, error: DispatchError },
		/// A party or the creator rejected it: holds and deposit released, instruction gone.
		Rejected { id: InstructionId, by: T::AccountId },
		/// It expired unsettled: holds and deposit released, instruction gone.
		Expired { id: InstructionId },
		/// Governance created a clearing scheme; it waits for its operator to open it.
		SchemeCreated {
			scheme: SchemeId,
			operator: T::AccountId,
			asset: AssetKindOf<T>,
			cycle_length: BlockNumberFor<T>,
		},
		/// The operator opened the scheme, paying `float` into its account; cycle 0 started.
		SchemeOpened { scheme: SchemeId, float: BalanceOf<T> },
		/// The scheme was dissolved: its account's balance, `returned` (the float and any
		/// rounding residue of its nettings), went to `operator`, and its records are gone.
		SchemeDissolved { scheme: SchemeId, operator: T::AccountId, returned: BalanceOf<T> },
		/// A member was admitted.
		MemberAdded { scheme: SchemeId, member: T::AccountId, net_debit_cap: BalanceOf<T> },
		/// A member's net debit cap changed.
		NetDebitCapSet { scheme: SchemeId, member: T::AccountId, net_debit_cap: BalanceOf<T> },
		/// A suspended member may pay again.
		MemberReinstated { scheme: SchemeId, member: T::AccountId },
		/// A member left; its collateral was released to it.
		MemberRemoved { scheme: SchemeId, member: T::AccountId, collateral_released: BalanceOf<T> },
		/// A member put collateral on hold; `total` is what it now holds.
		CollateralPosted {
			scheme: SchemeId,
			member: T::AccountId,
			amount: BalanceOf<T>,
			total: BalanceOf<T>,
		},
		/// A member took collateral back; `total` is what it still holds.
		CollateralWithdrawn {
			scheme: SchemeId,
			member: T::AccountId,
			amount: BalanceOf<T>,
			total: BalanceOf<T>,
		},
		/// A payment cleared: final for the payee, settled at the cycle's netting.
		PaymentCleared {
			scheme: SchemeId,
			cycle: CycleNumber,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A cycle closed; the next one is open. It settles in the following blocks.
		CycleClosed { scheme: SchemeId, cycle: CycleNumber },
		/// A due cycle could not close (it closes when retried); nothing changed.
		CycleCloseFailed { scheme: SchemeId, error: DispatchError },
		/// A net debtor paid `amount` in, `from_collateral` of it out of its collateral.
		NetDebitCollected {
			scheme: SchemeId,
			cycle: CycleNumber,
			member: T::AccountId,
			amount: BalanceOf<T>,
			from_collateral: BalanceOf<T>,
		},
		/// A net debtor could not pay all it owed, collateral included: it is suspended, and
		/// the net creditors share `shortfall` pro rata.
		MemberDefaulted {
			scheme: SchemeId,
			cycle: CycleNumber,
			member: T::AccountId,
			owed: BalanceOf<T>,
			shortfall: BalanceOf<T>,
		},
		/// Every net debtor has been through; pay-out starts.
		NetDebitsCollected {
			scheme: SchemeId,
			cycle: CycleNumber,
			collected: BalanceOf<T>,
			shortfall: BalanceOf<T>,
		},
		/// A net creditor was paid `amount`: its net credit less `haircut`, its share of the
		/// cycle's shortfall.
		NetCreditPaid {
			scheme: SchemeId,
			cycle: CycleNumber,
			member: T::AccountId,
			amount: BalanceOf<T>,
			haircut: BalanceOf<T>,
		},
		/// The asset refused a payout: it is kept for the member to claim.
		PayoutKept {
			scheme: SchemeId,
			cycle: CycleNumber,
			member: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A member claimed a kept payout.
		PayoutClaimed { scheme: SchemeId, member: T::AccountId, amount: BalanceOf<T> },
		/// A cycle is settled: `gross` cleared, `net` settled in `transfers` transfers,
		/// `shortfall` unpaid by defaulters, `residue` left by rounding in the scheme account.
		CycleSettled {
			scheme: SchemeId,
			cycle: CycleNumber,
			gross: BalanceOf<T>,
			net: BalanceOf<T>,
			shortfall: BalanceOf<T>,
			transfers: u32,
			residue: BalanceOf<T>,
		},
		/// A venue was created.
		VenueCreated {
			venue: VenueId,
			owner: T::AccountId,
			receivers_affirm: bool,
			deposit: DepositBalanceOf<T>,
		},
		/// A venue's policy changed (for instructions created from now on).
		VenuePolicySet { venue: VenueId, receivers_affirm: bool },
		/// A venue was removed; its deposit returned.
		VenueRemoved { venue: VenueId },
		/// A receiver pre-approved a venue: its legs in the venue's instructions need no
		/// affirmation.
		VenuePreapproved { receiver: T::AccountId, venue: VenueId, deposit: DepositBalanceOf<T> },
		/// A receiver withdrew its pre-approval of a venue; its deposit returned.
		VenuePreapprovalWithdrawn { receiver: T::AccountId, venue: VenueId },
		/// A member set (or, with `None`, removed) the credit limit it grants `debtor`.
		CreditLimitSet {
			scheme: SchemeId,
			creditor: T::AccountId,
			debtor: T::AccountId,
			limit: Option<BalanceOf<T>>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An instruction needs at least one leg.
		NoLegs,
		/// A leg moves nothing.
		ZeroAmount,
		/// A leg's sender and receiver are the same account.
		SelfLeg,
		/// A leg's asset does not exist.
		UnknownAsset,
		/// The expiry is not after the current block, or further than `MaxDuration`.
		BadExpiry,
		/// The settlement block is not after the current block, or not before the expiry.
		BadSettlementBlock,
		/// `MaxScheduledPerBlock` instructions already settle in that block.
		BlockFull,
		/// Instruction or scheme ids are exhausted.
		IdOverflow,
		/// The creator cannot pay the storage deposit (native balance too low).
		CannotPayDeposit,
		/// No pending instruction has this id.
		UnknownInstruction,
		/// The caller is not a party to the instruction (nor, for `reject`, its creator).
		NotParty,
		/// The caller has nothing left to affirm.
		AlreadyAffirmed,
		/// The caller has affirmed nothing to withdraw.
		NotAffirmed,
		/// A sender cannot put its legs' amounts on hold (balance too low, or frozen).
		InsufficientBalance,
		/// The instruction has expired: it can only be released.
		Expired,
		/// The instruction has not expired yet.
		NotExpired,
		/// Every party affirmed a hash-locked instruction: it stays until it settles or expires.
		Committed,
		/// The preimage opens no leg of the instruction still locked.
		WrongPreimage,
		/// Not every sender and required receiver has affirmed.
		NotAffirmedByAll,
		/// A hash-locked leg still waits for its preimage.
		PreimageMissing,
		/// The instruction settles at a later block.
		NotDue,
		/// No scheme has this id.
		UnknownScheme,
		/// `MaxSchemes` schemes exist.
		TooManySchemes,
		/// A cycle must last at least a block and at most `MaxDuration`.
		BadCycleLength,
		/// The caller is not the scheme's operator.
		NotOperator,
		/// The scheme is already open.
		SchemeNotCreated,
		/// The scheme is not open for payments yet.
		SchemeNotActive,
		/// The account is already a member.
		AlreadyMember,
		/// The account is not a member of the scheme.
		NotMember,
		/// `MaxMembers` members already.
		TooManyMembers,
		/// The member defaulted and may not pay until reinstated.
		Suspended,
		/// The member is not suspended.
		NotSuspended,
		/// The payment would take the payer's net debit beyond its cap.
		OverNetDebitCap,
		/// A cycle of the scheme is being settled: wait until it is.
		NettingInProgress,
		/// The member has payments in the open cycle.
		OpenPosition,
		/// The member does not hold that much collateral.
		NotEnoughCollateral,
		/// What would remain would not cover the member's net debit in the open cycle.
		CollateralInUse,
		/// The caller has no kept payout.
		NothingToClaim,
		/// An amount would overflow.
		Overflow,
		/// The caller may not close the scheme's cycle (neither governance, its operator nor a
		/// member).
		NotAllowedToClose,
		/// No venue has this id.
		UnknownVenue,
		/// The caller is not the venue's owner.
		NotVenueOwner,
		/// The receiver already pre-approved this venue.
		AlreadyPreapproved,
		/// The receiver has not pre-approved this venue.
		NotPreapproved,
		/// Two legs of the instruction move the same NFT.
		DuplicateNft,
		/// The NFT is in escrow for another pending instruction.
		NftInEscrow,
		/// The NFT of an affirmed leg is no longer in escrow for the instruction (an authority
		/// moved it): the sender must withdraw and affirm again, or the instruction be released.
		NftNotEscrowed,
		/// A member cannot grant itself a credit limit.
		SelfCreditLimit,
		/// The debtor holds `MaxCreditLimits` limits already.
		TooManyCreditLimits,
		/// The creditor grants the debtor no credit limit.
		NoCreditLimit,
		/// The payment would take the payer's net debt to the payee beyond the payee's credit
		/// limit.
		OverCreditLimit,
		/// The scheme still has members: the operator removes them first.
		SchemeHasMembers,
		/// Payouts kept for members are still unclaimed in the scheme account.
		PayoutsUnclaimed,
		/// The scheme account's balance could not go back to the operator (the asset refused
		/// the transfer: a frozen account, or the operator may not hold it).
		FloatNotReturned,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Settles the instructions scheduled for this block: at most `MaxScheduledPerBlock`,
		/// each of at most `MaxLegs` legs.
		/// Then closes the clearing cycles due, and runs up to `NettingStepsPerBlock` steps of
		/// the cycles being settled.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::execute_scheduled(now).saturating_add(Self::clear_and_settle(now))
		}

		fn integrity_test() {
			assert!(T::MaxLegs::get() > 0, "an instruction has a leg");
			assert!(T::MaxPreimageLen::get() >= 32, "preimages of 32 bytes fit");
			assert!(T::MaxScheduledPerBlock::get() > 0, "an instruction can be scheduled");
			assert!(T::NettingStepsPerBlock::get() > 0, "netting makes progress");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates an instruction of `legs`, pending until it settles, is rejected or expires.
		///
		/// - Origin: signed; the creator (a party, or the owner of `venue`), who pays the
		///   storage deposit.
		/// - `venue`: the venue it is created in, if any; its policy may ask receivers to
		///   affirm, and receivers that pre-approved it need not.
		/// - `legs`: each moves an amount of a fungible asset or one NFT; no NFT twice.
		/// - `settlement`: when it settles; `AtBlock(b)` needs `now < b < expires_at`.
		/// - `receivers_affirm`: whether receivers must affirm too (pre-approval); the venue's
		///   policy can only add to it.
		/// - `expires_at`: after now and at most `MaxDuration` blocks ahead.
		/// - Effect: a new instruction with the next id; nothing is held from the parties yet.
		/// - Event: [`Event::InstructionCreated`], with the id.
		/// - Weight: [`WeightInfo::create_instruction`], linear in the legs.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_instruction(legs.len() as u32))]
		pub fn create_instruction(
			origin: OriginFor<T>,
			venue: Option<VenueId>,
			legs: LegsOf<T>,
			settlement: SettlementType<BlockNumberFor<T>>,
			receivers_affirm: bool,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let creator = ensure_signed(origin)?;
			Self::do_create(creator, venue, legs, settlement, receivers_affirm, expires_at)
				.map(|_| ())
		}

		/// Affirms every leg of instruction `id` the caller sends or receives.
		///
		/// - Origin: signed; a party.
		/// - Effect: as a sender, the legs' amounts go on hold ([`HoldReason::Instruction`]) and
		///   its NFTs into escrow; as a receiver (when asked), its approval is recorded. If the instruction settles on
		///   affirmation and this was the last one missing, it settles in this call; should it
		///   fail (a leg the rules refuse now), the affirmation stands and the instruction stays
		///   pending.
		/// - Events: [`Event::Affirmed`], then [`Event::Executed`] or [`Event::ExecutionFailed`].
		/// - Weight: [`WeightInfo::affirm`] plus [`WeightInfo::execute`] and the guard's, for
		///   `MaxLegs` legs; the unused part is refunded.
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::affirm_weight(T::MaxLegs::get()))]
		pub fn affirm(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let party = ensure_signed(origin)?;
			let legs = Self::do_affirm(party, id)?;
			Ok(PostDispatchInfo::from(Some(Self::affirm_weight(legs))))
		}

		/// Withdraws the caller's affirmation of instruction `id`.
		///
		/// - Origin: signed; a party that affirmed.
		/// - Effect: its held units and escrowed NFTs are released; the instruction stays
		///   pending. Refused once a
		///   hash-locked instruction is committed ([`Error::Committed`]).
		/// - Event: [`Event::AffirmationWithdrawn`].
		/// - Weight: [`WeightInfo::withdraw_affirmation`] for `MaxLegs` legs; the rest refunded.
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::release_weight(T::WeightInfo::withdraw_affirmation, T::MaxLegs::get()))]
		pub fn withdraw_affirmation(
			origin: OriginFor<T>,
			id: InstructionId,
		) -> DispatchResultWithPostInfo {
			let party = ensure_signed(origin)?;
			let legs = Self::do_withdraw_affirmation(party, id)?;
			Ok(PostDispatchInfo::from(Some(Self::release_weight(
				T::WeightInfo::withdraw_affirmation,
				legs,
			))))
		}

		/// Rejects instruction `id`.
		///
		/// - Origin: signed; a party or the creator.
		/// - Effect: every hold released, the deposit returned, the instruction removed. Refused
		///   once a hash-locked instruction is committed ([`Error::Committed`]).
		/// - Event: [`Event::Rejected`].
		/// - Weight: [`WeightInfo::reject`] for `MaxLegs` legs; the rest refunded.
		#[pallet::call_index(3)]
		#[pallet::weight(Pallet::<T>::release_weight(T::WeightInfo::reject, T::MaxLegs::get()))]
		pub fn reject(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let by = ensure_signed(origin)?;
			let legs = Self::do_reject(by, id)?;
			Ok(PostDispatchInfo::from(Some(Self::release_weight(T::WeightInfo::reject, legs))))
		}

		/// Reveals `preimage`, opening every leg of instruction `id` locked to its SHA-256 digest.
		///
		/// - Origin: signed; anyone who knows it (typically the receiver, who learned it from
		///   the HTLC claim on the other chain).
		/// - Effect: before expiry, the matching legs are unlocked. If the instruction settles on
		///   affirmation and is now complete, it settles in this call (or stays pending on
		///   failure, as with [`Pallet::affirm`]).
		/// - Events: [`Event::PreimageRevealed`] (carrying the preimage), then
		///   [`Event::Executed`] or [`Event::ExecutionFailed`].
		/// - Weight: [`WeightInfo::reveal_preimage`] plus execution, for `MaxLegs` legs; the
		///   unused part is refunded.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::reveal_weight(T::MaxLegs::get()))]
		pub fn reveal_preimage(
			origin: OriginFor<T>,
			id: InstructionId,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let legs = Self::do_reveal(id, preimage)?;
			Ok(PostDispatchInfo::from(Some(Self::reveal_weight(legs))))
		}

		/// Settles instruction `id` now: every leg moves, or the call fails and nothing does.
		///
		/// - Origin: signed; a party or the creator.
		/// - Effect: for a `Manual` instruction, or an `AtBlock` one from its block on (its
		///   scheduled attempt failed), or an `OnAffirmation` one whose automatic attempt failed:
		///   all affirmed, all preimages revealed, not expired. The instruction is removed and
		///   its deposit returned.
		/// - Event: [`Event::Executed`]. On failure, the error of the leg that failed (the
		///   runtime API lists them all beforehand).
		/// - Weight: [`WeightInfo::execute`] and the guard's, for `MaxLegs` legs; the rest
		///   refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::execute_weight(T::MaxLegs::get()))]
		pub fn execute(origin: OriginFor<T>, id: InstructionId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let legs = Self::do_execute_call(who, id)?;
			Ok(PostDispatchInfo::from(Some(Self::execute_weight(legs))))
		}

		/// Releases instruction `id` once it has expired unsettled.
		///
		/// - Origin: signed; anyone.
		/// - Effect: from the expiry block on, every hold and the deposit are released and the
		///   instruction removed.
		/// - Event: [`Event::Expired`].
		/// - Weight: [`WeightInfo::release_expired`] for `MaxLegs` legs; the rest refunded.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::release_weight(T::WeightInfo::release_expired, T::MaxLegs::get()))]
		pub fn release_expired(
			origin: OriginFor<T>,
			id: InstructionId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let legs = Self::do_release_expired(id)?;
			Ok(PostDispatchInfo::from(Some(Self::release_weight(
				T::WeightInfo::release_expired,
				legs,
			))))
		}

		/// Creates a venue owned by the caller.
		///
		/// - Origin: signed; the owner, who pays the venue's storage deposit.
		/// - `receivers_affirm`: whether receivers of its instructions must affirm (unless they
		///   pre-approved the venue).
		/// - Event: [`Event::VenueCreated`], with the id.
		/// - Weight: [`WeightInfo::create_venue`], constant.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::create_venue())]
		pub fn create_venue(origin: OriginFor<T>, receivers_affirm: bool) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_create_venue(owner, receivers_affirm).map(|_| ())
		}

		/// Sets whether receivers of `venue`'s instructions must affirm.
		///
		/// - Origin: signed; the venue's owner.
		/// - Effect: for instructions created from now on; pending ones keep theirs.
		/// - Event: [`Event::VenuePolicySet`].
		/// - Weight: [`WeightInfo::set_venue_policy`], constant.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_venue_policy())]
		pub fn set_venue_policy(
			origin: OriginFor<T>,
			venue: VenueId,
			receivers_affirm: bool,
		) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_set_venue_policy(owner, venue, receivers_affirm)
		}

		/// Removes `venue`.
		///
		/// - Origin: signed; the venue's owner.
		/// - Effect: its deposit returns; no instruction can be created in it any more (pending
		///   ones are unaffected). Receivers withdraw their pre-approvals of it as they wish.
		/// - Event: [`Event::VenueRemoved`].
		/// - Weight: [`WeightInfo::remove_venue`], constant.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_venue())]
		pub fn remove_venue(origin: OriginFor<T>, venue: VenueId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::do_remove_venue(owner, venue)
		}

		/// Creates a clearing scheme settling in `asset` every `cycle_length` blocks, run by
		/// `operator`.
		///
		/// - Origin: `SchemeOrigin` (governance).
		/// - Effect: a scheme with the next id, waiting for its operator to open it.
		/// - Event: [`Event::SchemeCreated`].
		/// - Weight: [`WeightInfo::create_scheme`], constant.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::create_scheme())]
		pub fn create_scheme(
			origin: OriginFor<T>,
			operator: <T::Lookup as StaticLookup>::Source,
			asset: AssetKindOf<T>,
			cycle_length: BlockNumberFor<T>,
		) -> DispatchResult {
			T::SchemeOrigin::ensure_origin(origin)?;
			let operator = T::Lookup::lookup(operator)?;
			Self::do_create_scheme(operator, asset, cycle_length).map(|_| ())
		}

		/// Opens scheme `scheme` for payments.
		///
		/// - Origin: signed; the operator.
		/// - Effect: the operator pays the scheme account its float (the asset's minimum
		///   balance, so that it can receive any net debit); cycle 0 starts and closes
		///   `cycle_length` blocks later.
		/// - Event: [`Event::SchemeOpened`].
		/// - Weight: [`WeightInfo::open_scheme`], constant.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::open_scheme())]
		pub fn open_scheme(origin: OriginFor<T>, scheme: SchemeId) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_open_scheme(operator, scheme)
		}

		/// Admits `member` to `scheme` with a net debit cap.
		///
		/// - Origin: signed; the operator.
		/// - Effect: the member may post collateral, pay (within the cap) and be paid.
		/// - Event: [`Event::MemberAdded`].
		/// - Weight: [`WeightInfo::add_member`], constant (the member list is bounded).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::add_member())]
		pub fn add_member(
			origin: OriginFor<T>,
			scheme: SchemeId,
			member: <T::Lookup as StaticLookup>::Source,
			net_debit_cap: BalanceOf<T>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			Self::do_add_member(operator, scheme, member, net_debit_cap)
		}

		/// Sets `member`'s net debit cap.
		///
		/// - Origin: signed; the operator.
		/// - Effect: later payments are held to the new cap; what already cleared stands.
		/// - Event: [`Event::NetDebitCapSet`].
		/// - Weight: [`WeightInfo::set_net_debit_cap`], constant.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_net_debit_cap())]
		pub fn set_net_debit_cap(
			origin: OriginFor<T>,
			scheme: SchemeId,
			member: <T::Lookup as StaticLookup>::Source,
			net_debit_cap: BalanceOf<T>,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			Self::do_set_net_debit_cap(operator, scheme, member, net_debit_cap)
		}

		/// Lets a member that defaulted pay again.
		///
		/// - Origin: signed; the operator.
		/// - Event: [`Event::MemberReinstated`].
		/// - Weight: [`WeightInfo::reinstate_member`], constant.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::reinstate_member())]
		pub fn reinstate_member(
			origin: OriginFor<T>,
			scheme: SchemeId,
			member: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			Self::do_reinstate_member(operator, scheme, member)
		}

		/// Removes `member` from `scheme`.
		///
		/// - Origin: signed; the operator.
		/// - Effect: outside a netting, and only for a member with no payment in the open
		///   cycle; its collateral is released to it.
		/// - Event: [`Event::MemberRemoved`].
		/// - Effect: the credit limits it granted and was granted go with it.
		/// - Weight: [`WeightInfo::remove_member`], linear in the scheme's members (each may
		///   hold a limit it granted); the unused part is refunded.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_member(T::MaxMembers::get()))]
		pub fn remove_member(
			origin: OriginFor<T>,
			scheme: SchemeId,
			member: <T::Lookup as StaticLookup>::Source,
		) -> DispatchResultWithPostInfo {
			let operator = ensure_signed(origin)?;
			let member = T::Lookup::lookup(member)?;
			let members = Self::do_remove_member(operator, scheme, member)?;
			Ok(Some(T::WeightInfo::remove_member(members)).into())
		}

		/// Puts `amount` of the settlement asset on hold as collateral.
		///
		/// - Origin: signed; a member.
		/// - Effect: held under [`HoldReason::Collateral`]; it covers the member's net debit
		///   if its balance does not at netting.
		/// - Event: [`Event::CollateralPosted`].
		/// - Weight: [`WeightInfo::post_collateral`], constant.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::post_collateral())]
		pub fn post_collateral(
			origin: OriginFor<T>,
			scheme: SchemeId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_post_collateral(member, scheme, amount)
		}

		/// Releases `amount` of the caller's collateral.
		///
		/// - Origin: signed; a member.
		/// - Effect: outside a netting, and only down to its net debit in the open cycle.
		/// - Event: [`Event::CollateralWithdrawn`].
		/// - Weight: [`WeightInfo::withdraw_collateral`], constant.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::withdraw_collateral())]
		pub fn withdraw_collateral(
			origin: OriginFor<T>,
			scheme: SchemeId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_withdraw_collateral(member, scheme, amount)
		}

		/// Pays `amount` to member `to` through the scheme: cleared at once.
		///
		/// - Origin: signed; a member not suspended.
		/// - Effect: if the payer's net debit in the open cycle stays within its cap (and a
		///   regulated settlement asset's rules allow the payment), the payment is final for
		///   the payee: both positions change, no units move until the cycle settles.
		///   When the payee granted the payer a bilateral credit limit, the payer's net debt to
		///   the payee must stay within it too.
		/// - Event: [`Event::PaymentCleared`].
		/// - Weight: [`WeightInfo::pay`] (seven storage reads and three writes), and the
		///   guard's for a regulated settlement asset; refunded down to
		///   [`WeightInfo::pay_without_credit_limit`] (five reads, two writes) between members
		///   with no credit limit either way, and without the guard's for another asset.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::pay().saturating_add(T::LegGuard::weight()))]
		pub fn pay(
			origin: OriginFor<T>,
			scheme: SchemeId,
			to: <T::Lookup as StaticLookup>::Source,
			amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let to = T::Lookup::lookup(to)?;
			let cleared = Self::do_pay(from, scheme, to, amount)?;
			let weight = if cleared.credit_counted {
				T::WeightInfo::pay()
			} else {
				T::WeightInfo::pay_without_credit_limit()
			};
			let guard = if cleared.guarded { T::LegGuard::weight() } else { Weight::zero() };
			Ok(Some(weight.saturating_add(guard)).into())
		}

		/// Closes `scheme`'s open cycle now instead of at its end.
		///
		/// - Origin: `SchemeOrigin` (governance), or signed by the operator or a member.
		/// - Effect: the next cycle opens at once (and closes `cycle_length` blocks later); the
		///   closed one settles over the following blocks, `NettingStepsPerBlock` members per
		///   block. Refused while the previous cycle still settles.
		/// - Events: [`Event::CycleClosed`], then the netting's.
		/// - Weight: [`WeightInfo::close_cycle`], constant.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::close_cycle())]
		pub fn close_cycle(origin: OriginFor<T>, scheme: SchemeId) -> DispatchResult {
			if T::SchemeOrigin::try_origin(origin.clone()).is_err() {
				let who = ensure_signed(origin)?;
				let record = Schemes::<T>::get(scheme).ok_or(Error::<T>::UnknownScheme)?;
				ensure!(
					record.operator == who || Members::<T>::contains_key(scheme, &who),
					Error::<T>::NotAllowedToClose
				);
			}
			Self::do_close_cycle(scheme, frame_system::Pallet::<T>::block_number())
		}

		/// Takes a payout the settlement asset refused at netting.
		///
		/// - Origin: signed; the member it is kept for.
		/// - Event: [`Event::PayoutClaimed`].
		/// - Weight: [`WeightInfo::claim_payout`], constant.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::claim_payout())]
		pub fn claim_payout(origin: OriginFor<T>, scheme: SchemeId) -> DispatchResult {
			let member = ensure_signed(origin)?;
			Self::do_claim_payout(member, scheme)
		}

		/// Pre-approves `venue`: the caller's legs as a receiver in the venue's instructions
		/// created from now on need no affirmation.
		///
		/// - Origin: signed; the receiver, who pays the record's storage deposit.
		/// - Event: [`Event::VenuePreapproved`].
		/// - Weight: [`WeightInfo::preapprove_venue`], constant.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::preapprove_venue())]
		pub fn preapprove_venue(origin: OriginFor<T>, venue: VenueId) -> DispatchResult {
			let receiver = ensure_signed(origin)?;
			Self::do_preapprove_venue(receiver, venue)
		}

		/// Withdraws the caller's pre-approval of `venue` (also of a venue since removed).
		///
		/// - Origin: signed; the receiver.
		/// - Effect: its deposit returns; instructions created before keep their approvals.
		/// - Event: [`Event::VenuePreapprovalWithdrawn`].
		/// - Weight: [`WeightInfo::withdraw_venue_preapproval`], constant.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::withdraw_venue_preapproval())]
		pub fn withdraw_venue_preapproval(origin: OriginFor<T>, venue: VenueId) -> DispatchResult {
			let receiver = ensure_signed(origin)?;
			Self::do_withdraw_venue_preapproval(receiver, venue)
		}

		/// Grants member `debtor` a bilateral credit limit: the most it may owe the caller, net,
		/// within a cycle; `None` removes the limit.
		///
		/// - Origin: signed; a member of `scheme` (the creditor).
		/// - Effect: the debtor's later payments to the caller are refused beyond the limit
		///   ([`Error::OverCreditLimit`]), besides its net debit cap. A limit counts the pair's
		///   payments from when it is set; changing an existing one keeps the count.
		/// - Event: [`Event::CreditLimitSet`].
		/// - Weight: [`WeightInfo::set_credit_limit`], constant.
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::set_credit_limit())]
		pub fn set_credit_limit(
			origin: OriginFor<T>,
			scheme: SchemeId,
			debtor: <T::Lookup as StaticLookup>::Source,
			limit: Option<BalanceOf<T>>,
		) -> DispatchResult {
			let creditor = ensure_signed(origin)?;
			let debtor = T::Lookup::lookup(debtor)?;
			Self::do_set_credit_limit(creditor, scheme, debtor, limit)
		}

		/// Dissolves `scheme`, so that what it holds returns and another can take its place
		/// under `MaxSchemes`.
		///
		/// - Origin: `SchemeOrigin` (governance), or signed by the operator.
		/// - Effect: once the scheme has no members (the operator removes them, which releases
		///   their collateral), no cycle settling and no payout kept unclaimed, its account's
		///   whole balance (the float and any rounding residue of its nettings) goes to the
		///   operator, its close is unscheduled and its records are removed. Its id is not
		///   reused.
		/// - Event: [`Event::SchemeDissolved`].
		/// - Weight: [`WeightInfo::dissolve_scheme`], constant.
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::dissolve_scheme())]
		pub fn dissolve_scheme(origin: OriginFor<T>, scheme: SchemeId) -> DispatchResult {
			let by = match T::SchemeOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_dissolve_scheme(scheme, by).map(|_| ())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Weight of settling an instruction of `legs` legs, the guard included: each leg is
		/// bounded by the dearer of a regulated transfer and an NFT's escrowed transfer.
		pub fn execute_weight(legs: u32) -> Weight {
			let per_leg = T::LegGuard::weight().max(T::Nfts::weight());
			T::WeightInfo::execute(legs).saturating_add(per_leg.saturating_mul(legs.into()))
		}

		/// Weight of `affirm` on an instruction of `legs` legs (any of which may put an NFT in
		/// escrow), settling included.
		pub fn affirm_weight(legs: u32) -> Weight {
			T::WeightInfo::affirm(legs)
				.saturating_add(T::Nfts::weight().saturating_mul(legs.into()))
				.saturating_add(Self::execute_weight(legs))
		}

		/// Weight of a call that releases an instruction's holds (`benchmarked`, for `legs`
		/// legs), any of which may release an NFT from escrow.
		pub fn release_weight(benchmarked: fn(u32) -> Weight, legs: u32) -> Weight {
			benchmarked(legs).saturating_add(T::Nfts::weight().saturating_mul(legs.into()))
		}

		/// Weight of `reveal_preimage` on an instruction of `legs` legs, settling included.
		pub fn reveal_weight(legs: u32) -> Weight {
			T::WeightInfo::reveal_preimage(legs).saturating_add(Self::execute_weight(legs))
		}
	}
}

/// Sets up assets for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetKind, AccountId, Balance> {
	/// The `index`-th of distinct assets whose transfers cost the most (`pallet-assets`
	/// tokens), created if needed.
	fn create_asset(index: u32) -> AssetKind;
	/// Gives `who` `amount` of `asset` (and the native balance it needs for deposits).
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance);
}
