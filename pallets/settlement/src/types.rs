//! Types of the settlement pallet: instructions and their legs, and what the failure report
//! tells a party before it submits anything.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound},
	sp_runtime::DispatchError,
};
use scale_info::TypeInfo;
pub use tpwallet_htlc_primitives::HashLock;
pub use tpwallet_storage_deposit::Deposit;

/// Identifier of an instruction, assigned in order of creation.
pub type InstructionId = u64;

/// When an instruction settles.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SettlementType<BlockNumber> {
	/// In the call that completes it: the last affirmation or the last preimage.
	OnAffirmation,
	/// At the start of the given block (and, if it could not settle then, on a party's call
	/// afterwards).
	AtBlock(BlockNumber),
	/// When a party (or the creator) calls `execute`.
	Manual,
}

/// What a leg moves: units of a fungible asset, or one NFT.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum LegAsset<AssetKind, Balance, Collection, Item> {
	/// `amount` of `asset`: native, a `pallet-assets` token or a tokenization-managed token.
	/// The sender's units go on hold when it affirms.
	Fungible { asset: AssetKind, amount: Balance },
	/// NFT `item` of `collection` (a tokenization-managed NFT collection). It goes into escrow
	/// when the sender affirms: its owner can no longer move it but through the instruction.
	Nft { collection: Collection, item: Item },
}

impl<AssetKind, Balance, Collection, Item> LegAsset<AssetKind, Balance, Collection, Item> {
	/// The asset and amount of a fungible leg.
	pub fn fungible(&self) -> Option<(&AssetKind, &Balance)> {
		match self {
			Self::Fungible { asset, amount } => Some((asset, amount)),
			Self::Nft { .. } => None,
		}
	}

	/// The collection and item of an NFT leg.
	pub fn nft(&self) -> Option<(&Collection, &Item)> {
		match self {
			Self::Nft { collection, item } => Some((collection, item)),
			Self::Fungible { .. } => None,
		}
	}
}

/// One movement of an instruction: `asset` from `from` to `to`.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Leg<AccountId, Asset> {
	/// The sending party: its units go on hold (its NFT into escrow) when it affirms.
	pub from: AccountId,
	/// The receiving party.
	pub to: AccountId,
	/// What moves: an amount of a fungible asset, or an NFT ([`LegAsset`]).
	pub asset: Asset,
	/// A SHA-256 digest: the leg settles only once its preimage is revealed (cross-chain DvP,
	/// against an HTLC on another chain locked to the same digest).
	pub hash_lock: Option<HashLock>,
}

/// Where a leg stands.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct LegStatus {
	/// The sender affirmed: the leg's amount is on hold on its account.
	pub sender_affirmed: bool,
	/// The receiver affirmed (always true when the instruction does not ask receivers to).
	pub receiver_affirmed: bool,
	/// The hash lock's preimage was revealed (always true for a leg without one).
	pub unlocked: bool,
}

/// A pending instruction.
#[derive(CloneNoBound, DebugNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxLegs))]
#[codec(mel_bound(
	AccountId: MaxEncodedLen,
	Asset: MaxEncodedLen,
	BlockNumber: MaxEncodedLen,
	DepositBalance: MaxEncodedLen
))]
pub struct Instruction<AccountId, Asset, BlockNumber, DepositBalance, MaxLegs>
where
	AccountId: Clone + core::fmt::Debug + PartialEq,
	Asset: Clone + core::fmt::Debug + PartialEq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq,
	DepositBalance: Clone + core::fmt::Debug + PartialEq,
	MaxLegs: Get<u32>,
{
	/// Who created it (a party, or a venue's owner) and paid its storage deposit.
	pub creator: AccountId,
	/// The venue it was created in, if any.
	pub venue: Option<VenueId>,
	/// The legs, each with its status.
	pub legs: BoundedVec<(Leg<AccountId, Asset>, LegStatus), MaxLegs>,
	/// When it settles.
	pub settlement: SettlementType<BlockNumber>,
	/// Whether receivers must affirm (pre-approval).
	pub receivers_affirm: bool,
	/// First block at which it can no longer settle; from then on anyone releases it.
	pub expires_at: BlockNumber,
	/// The storage deposit held from the creator, in the native currency.
	pub deposit: Deposit<AccountId, DepositBalance>,
}

impl<AccountId, Asset, BlockNumber, DepositBalance, MaxLegs>
	Instruction<AccountId, Asset, BlockNumber, DepositBalance, MaxLegs>
where
	AccountId: Clone + core::fmt::Debug + PartialEq,
	Asset: Clone + core::fmt::Debug + PartialEq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq,
	DepositBalance: Clone + core::fmt::Debug + PartialEq,
	MaxLegs: Get<u32>,
{
	/// Whether `who` sends or receives in any leg.
	pub fn is_party(&self, who: &AccountId) -> bool {
		self.legs.iter().any(|(leg, _)| &leg.from == who || &leg.to == who)
	}

	/// Whether every sender and every required receiver has affirmed.
	pub fn fully_affirmed(&self) -> bool {
		self.legs.iter().all(|(_, s)| s.sender_affirmed && s.receiver_affirmed)
	}

	/// Whether a leg is hash-locked.
	pub fn has_hash_lock(&self) -> bool {
		self.legs.iter().any(|(leg, _)| leg.hash_lock.is_some())
	}

	/// A hash-locked instruction that every party has affirmed is committed: a counterparty may
	/// already have paid on another chain against its digest, so no party can back out before
	/// it expires.
	pub fn committed(&self) -> bool {
		self.has_hash_lock() && self.fully_affirmed()
	}
}

/// Identifier of a venue, assigned in order of creation.
pub type VenueId = u64;

/// A venue: an exchange, a broker or a transfer agent that creates instructions for its
/// clients. Its policy may ask every receiver to affirm; a receiver may pre-approve it instead.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Venue<AccountId, DepositBalance> {
	/// Who creates its instructions and sets its policy.
	pub owner: AccountId,
	/// Whether receivers of its instructions must affirm (unless they pre-approved the venue).
	pub receivers_affirm: bool,
	/// The storage deposit held from the owner.
	pub deposit: Deposit<AccountId, DepositBalance>,
}

/// Why an instruction would not settle if executed now: the report of
/// `SettlementApi::execution_failures`, which lists every reason, not only the first.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum ExecutionFailure<AccountId, BlockNumber> {
	/// No pending instruction has this id (never created, or already settled, rejected or
	/// released).
	UnknownInstruction,
	/// It expired at this block: it can only be released.
	Expired { at: BlockNumber },
	/// It settles at this block, not before.
	NotDue { at: BlockNumber },
	/// Leg `leg`'s sender has not affirmed it.
	SenderNotAffirmed { leg: u32, sender: AccountId },
	/// Leg `leg`'s receiver has not affirmed it (the instruction asks receivers to).
	ReceiverNotAffirmed { leg: u32, receiver: AccountId },
	/// Leg `leg`'s hash lock has not been opened by its preimage.
	PreimageMissing { leg: u32 },
	/// Leg `leg`'s sender, which has not affirmed, could not put its legs' amounts of this
	/// asset on hold now. Units already on hold for this instruction count as available.
	InsufficientBalance { leg: u32, sender: AccountId },
	/// The leg would be refused at execution: the token's gate or its compliance rules (a
	/// hold for review is `Tokenization::ReviewRequired`), or a receiver that could not hold
	/// the amount. The error is the one execution would fail with.
	Refused { leg: u32, error: DispatchError },
}

/// Identifier of a clearing scheme.
pub type SchemeId = u32;

/// Number of a scheme's clearing cycle, from 0.
pub type CycleNumber = u32;

/// Where a clearing scheme stands.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum SchemeStatus {
	/// Created by governance; waits for its operator to open it (and fund its float).
	Created,
	/// Members clear payments.
	Active,
}

/// A clearing scheme: members clear payments in `asset` at once, and settle their net
/// positions at the end of each cycle.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Scheme<AccountId, AssetKind, Balance, BlockNumber> {
	/// Manages members and caps, and may close a cycle early.
	pub operator: AccountId,
	/// The settlement asset (a stablecoin).
	pub asset: AssetKind,
	/// Blocks per cycle.
	pub cycle_length: BlockNumber,
	/// Whether it is open for payments.
	pub status: SchemeStatus,
	/// The open cycle: the one payments clear into.
	pub cycle: CycleNumber,
	/// Block the open cycle started at.
	pub cycle_started: BlockNumber,
	/// Block the open cycle closes at, unless closed earlier.
	pub closes_at: BlockNumber,
	/// Whether the settlement asset has transfer rules ([`crate::TransferRules::guards`]): then
	/// each payment passes them.
	pub guarded: bool,
	/// Units the scheme account keeps so that it can receive any amount: the asset's minimum
	/// balance, paid by the operator when it opened the scheme.
	pub float: Balance,
}

/// A member of a clearing scheme.
#[derive(CloneNoBound, DebugNoBound, PartialEqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxCreditLimits))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen))]
pub struct SchemeMember<AccountId, Balance, MaxCreditLimits>
where
	AccountId: Clone + core::fmt::Debug + PartialEq,
	Balance: Clone + core::fmt::Debug + PartialEq,
	MaxCreditLimits: Get<u32>,
{
	/// Most the member may owe, net, within a cycle.
	pub net_debit_cap: Balance,
	/// Units of the settlement asset it holds as collateral (on hold on its account).
	pub collateral: Balance,
	/// It defaulted: it may receive but not pay until the operator reinstates it.
	pub suspended: bool,
	/// Bilateral credit limits other members granted it: the most it may owe each of them,
	/// net, within a cycle (counted from when the limit was set).
	pub credit_limits: BoundedVec<(AccountId, Balance), MaxCreditLimits>,
}

impl<AccountId, Balance, MaxCreditLimits> SchemeMember<AccountId, Balance, MaxCreditLimits>
where
	AccountId: Clone + core::fmt::Debug + PartialEq,
	Balance: Clone + core::fmt::Debug + PartialEq,
	MaxCreditLimits: Get<u32>,
{
	/// A member with `net_debit_cap`, no collateral and no bilateral limit.
	pub fn new(net_debit_cap: Balance) -> Self
	where
		Balance: polkadot_sdk::sp_runtime::traits::Zero,
	{
		Self {
			net_debit_cap,
			collateral: Balance::zero(),
			suspended: false,
			credit_limits: BoundedVec::new(),
		}
	}

	/// The limit `creditor` granted the member, if any.
	pub fn credit_limit(&self, creditor: &AccountId) -> Option<Balance> {
		self.credit_limits.iter().find(|(c, _)| c == creditor).map(|(_, l)| l.clone())
	}
}

/// A member's payments in one cycle.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Position<Balance> {
	/// Sum of what it paid.
	pub paid: Balance,
	/// Sum of what it received.
	pub received: Balance,
}

/// What a cleared payment involved beyond its two positions, for the weight it is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cleared {
	/// The settlement asset's rules judged it.
	pub guarded: bool,
	/// A bilateral credit limit applies between payer and payee: their usage was counted.
	pub credit_counted: bool,
}

/// A scheme's open cycle, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CycleView<Balance, BlockNumber> {
	/// The open cycle's number.
	pub cycle: CycleNumber,
	/// Block it started at.
	pub started_at: BlockNumber,
	/// Block it closes at, unless closed earlier.
	pub closes_at: BlockNumber,
	/// Gross value cleared in it so far.
	pub gross: Balance,
	/// Net value to settle if it closed now: the sum of net credit positions.
	pub net: Balance,
	/// The cycle being settled, if any, and its pass.
	pub settling: Option<(CycleNumber, NettingPhase)>,
	/// The last settled cycle.
	pub last_settled: Option<CycleSummary<Balance, BlockNumber>>,
}

/// A bilateral credit limit, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct CreditLineView<AccountId, Balance> {
	/// The member that granted it.
	pub creditor: AccountId,
	/// Most the member may owe the creditor, net, in a cycle.
	pub limit: Balance,
	/// What it owes the creditor, net, in the open cycle (since the limit was set).
	pub used: Balance,
}

/// A member's standing, as the runtime API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct MemberView<AccountId, Balance> {
	/// Most it may owe, net, in a cycle.
	pub net_debit_cap: Balance,
	/// Collateral it holds for the scheme.
	pub collateral: Balance,
	/// It defaulted and may not pay.
	pub suspended: bool,
	/// What it paid in the open cycle.
	pub paid: Balance,
	/// What it received in the open cycle.
	pub received: Balance,
	/// A payout kept for it to claim.
	pub unclaimed: Balance,
	/// The bilateral credit limits other members granted it, and their use.
	pub credit_limits: alloc::vec::Vec<CreditLineView<AccountId, Balance>>,
}

/// Which pass of the netting a settling cycle is in.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum NettingPhase {
	/// Net debtors pay into the scheme account (from free balance, then collateral).
	Collect,
	/// Net creditors are paid out of it.
	PayOut,
}

/// A cycle being settled, one member per step.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Netting<Balance> {
	/// The cycle settled.
	pub cycle: CycleNumber,
	/// The pass.
	pub phase: NettingPhase,
	/// Index in the member list of the next member to settle.
	pub cursor: u32,
	/// Gross value cleared in the cycle.
	pub gross: Balance,
	/// Sum of the net credit positions (equal to the sum of net debits).
	pub net: Balance,
	/// Units collected from net debtors so far.
	pub collected: Balance,
	/// Net debits that neither balance nor collateral covered.
	pub shortfall: Balance,
	/// Units paid out to net creditors so far.
	pub paid_out: Balance,
	/// Transfers made so far.
	pub transfers: u32,
}

impl<Balance: polkadot_sdk::sp_runtime::traits::Zero> Netting<Balance> {
	/// The netting of `cycle`, before its first step.
	pub fn new(cycle: CycleNumber) -> Self {
		Self {
			cycle,
			phase: NettingPhase::Collect,
			cursor: 0,
			gross: Balance::zero(),
			net: Balance::zero(),
			collected: Balance::zero(),
			shortfall: Balance::zero(),
			paid_out: Balance::zero(),
			transfers: 0,
		}
	}
}

/// A settled cycle, as the scheme remembers its last one.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct CycleSummary<Balance, BlockNumber> {
	/// Its number.
	pub cycle: CycleNumber,
	/// Gross value cleared.
	pub gross: Balance,
	/// Net value settled: the sum of net credit positions.
	pub net: Balance,
	/// Net debits no one paid (shared by the net creditors, pro rata).
	pub shortfall: Balance,
	/// Transfers it took.
	pub transfers: u32,
	/// Block it finished settling at.
	pub settled_at: BlockNumber,
}
