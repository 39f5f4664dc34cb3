//! Types of the compliance pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
pub use tpwallet_storage_deposit::Deposit;

/// An ISO 3166-1 alpha-2 country code, upper case (`*b"DE"`).
pub type Jurisdiction = [u8; 2];
/// Identifier of a rule set.
pub type RuleSetId = u32;
/// Identifier of a review case.
pub type CaseId = u64;
/// A KYC tier: 0 none, higher is stronger.
pub type KycTier = u8;
/// A risk score from the risk oracle: 0 (no risk) to 255.
pub type RiskScore = u8;
/// A 32-byte commitment (Merkle root) over a holder's attributes.
pub type Commitment = [u8; 32];

/// Whether `code` is two ASCII upper-case letters.
pub fn is_jurisdiction(code: &Jurisdiction) -> bool {
	code.iter().all(|c| c.is_ascii_uppercase())
}

/// A KYC claim as a trusted issuer attests it. No personal data: `commitment` is the Merkle root
/// of the holder's attributes, which the holder can disclose one at a time.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ClaimInput<BlockNumber> {
	/// KYC tier.
	pub tier: KycTier,
	/// The holder's jurisdiction.
	pub jurisdiction: Jurisdiction,
	/// Accredited (or professional) investor.
	pub accredited: bool,
	/// Screened against sanctions lists.
	pub sanctions_screened: bool,
	/// First block at which the claim no longer counts.
	pub expires_at: BlockNumber,
	/// Merkle root (BLAKE2-256 binary tree, leaves `SCALE((key, value))`) of the attributes.
	pub commitment: Commitment,
}

/// A claim on an account, with its issuer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Claim<AccountId, BlockNumber> {
	/// The trusted issuer who attested it (and alone may revoke it).
	pub issuer: AccountId,
	/// The attested facts.
	pub facts: ClaimInput<BlockNumber>,
}

/// What the chain knows of an account for compliance, in one record so that a check reads each
/// party once: its KYC claim, its sanctions listing, its risk score.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Standing<AccountId, BlockNumber> {
	/// The KYC claim (absent: none, or revoked).
	pub claim: Option<Claim<AccountId, BlockNumber>>,
	/// Sanctioned, with the governance's reason code.
	pub sanctioned: Option<pallet_tokenization::ReasonCode>,
	/// The risk oracle's score (0: no risk).
	pub risk_score: RiskScore,
}

impl<AccountId, BlockNumber> Default for Standing<AccountId, BlockNumber> {
	fn default() -> Self {
		Self { claim: None, sanctioned: None, risk_score: 0 }
	}
}

impl<AccountId, BlockNumber> Standing<AccountId, BlockNumber> {
	/// Nothing known: the record is removed rather than stored.
	pub fn is_empty(&self) -> bool {
		self.claim.is_none() && self.sanctioned.is_none() && self.risk_score == 0
	}
}

/// What one side of a movement must prove.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct PartyRequirement {
	/// A valid claim is needed (implied by any other requirement and by jurisdiction lists).
	pub claim_required: bool,
	/// Lowest KYC tier.
	pub min_tier: KycTier,
	/// Accredited investors only.
	pub accredited_only: bool,
	/// Sanctions-screened accounts only.
	pub sanctions_screened: bool,
}

/// A rule set for one jurisdiction's regime, registered by governance; tokens pick one.
#[derive(
	CloneNoBound,
	DebugNoBound,
	PartialEqNoBound,
	EqNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxJurisdictions))]
pub struct RuleSet<Balance: Clone + core::fmt::Debug + PartialEq + Eq, MaxJurisdictions: Get<u32>> {
	/// The regime (the jurisdiction whose law the set encodes).
	pub jurisdiction: Jurisdiction,
	/// What the sender must prove.
	pub sender: PartyRequirement,
	/// What the receiver must prove.
	pub receiver: PartyRequirement,
	/// Jurisdictions parties may be in; empty: any.
	pub allowed_jurisdictions: BoundedVec<Jurisdiction, MaxJurisdictions>,
	/// Jurisdictions parties may not be in.
	pub blocked_jurisdictions: BoundedVec<Jurisdiction, MaxJurisdictions>,
	/// Transfers of at least this amount must carry the travel-rule data digest.
	pub travel_rule_threshold: Option<Balance>,
	/// A party risk score at or above this holds a transfer for review.
	pub review_risk_score: Option<RiskScore>,
	/// A party risk score at or above this rejects a movement.
	pub reject_risk_score: Option<RiskScore>,
}

/// A velocity limit per sender and token over a rolling window.
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
pub struct VelocityLimit<Balance, BlockNumber> {
	/// Window length in blocks.
	pub window: BlockNumber,
	/// Most units sent in a window.
	pub max_amount: Balance,
	/// Most transfers sent in a window.
	pub max_count: u32,
}

/// A token's own limits, set by its admin on top of its rule set.
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
pub struct TokenLimits<Balance, BlockNumber> {
	/// Most accounts holding the token.
	pub max_holders: Option<u32>,
	/// Most units one account may hold.
	pub max_balance: Option<Balance>,
	/// Most units in one transfer.
	pub max_transfer: Option<Balance>,
	/// Velocity limit per sender.
	pub velocity: Option<VelocityLimit<Balance, BlockNumber>>,
	/// Transfers of at least this amount are held for review.
	pub review_threshold: Option<Balance>,
}

/// A regulated token's compliance configuration.
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
pub struct TokenRules<Balance, BlockNumber> {
	/// The rule set it follows.
	pub rule_set: RuleSetId,
	/// Its own limits.
	pub limits: TokenLimits<Balance, BlockNumber>,
}

/// A sender's use of a token in the current and previous velocity windows. The rolling usage is
/// the current window's plus the previous window's share that still overlaps the last
/// `window` blocks (a sliding-window estimate, O(1) to keep).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct VelocityWindow<Balance, BlockNumber> {
	/// First block of the current window.
	pub start: BlockNumber,
	/// Units sent in the current window.
	pub amount: Balance,
	/// Transfers in the current window.
	pub count: u32,
	/// Units sent in the previous window.
	pub previous_amount: Balance,
	/// Transfers in the previous window.
	pub previous_count: u32,
	/// The storage deposit held from the sender (the entry's key), native.
	pub deposit: Balance,
}

/// Why a transfer was held for review.
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
pub enum HoldRule {
	/// A party's risk score reached the rule set's review score.
	RiskScore,
	/// The amount reached the token's review threshold.
	ReviewThreshold,
}

impl HoldRule {
	/// The code carried in the tokenization pallet's verdict.
	pub fn code(self) -> u8 {
		match self {
			HoldRule::RiskScore => 0,
			HoldRule::ReviewThreshold => 1,
		}
	}
	/// The rule's name, as wallets show it.
	pub fn name(self) -> &'static str {
		match self {
			HoldRule::RiskScore => "RiskScore",
			HoldRule::ReviewThreshold => "ReviewThreshold",
		}
	}
	/// The rule of a code.
	pub fn from_code(code: u8) -> Option<Self> {
		match code {
			0 => Some(HoldRule::RiskScore),
			1 => Some(HoldRule::ReviewThreshold),
			_ => None,
		}
	}
}

/// A transfer held for review: the funds are on hold on the sender's account.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ReviewCase<TokenId, AccountId, Balance, BlockNumber> {
	/// The token.
	pub token: TokenId,
	/// The sender, whose units are held.
	pub from: AccountId,
	/// The intended receiver.
	pub to: AccountId,
	/// Units held.
	pub amount: Balance,
	/// The rule that fired.
	pub rule: HoldRule,
	/// When the case times out and the funds return.
	pub expires_at: BlockNumber,
}

/// A disclosed attribute: its value, the commitment it was proven against, and the storage
/// deposit its holder holds for it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Disclosure<AccountId, Balance, Attribute> {
	/// The claim commitment the attribute was proven against.
	pub commitment: Commitment,
	/// The attribute's value.
	pub value: Attribute,
	/// The storage deposit held from the holder, native.
	pub deposit: Deposit<AccountId, Balance>,
}
