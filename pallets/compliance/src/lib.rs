//! # Compliance pallet
//!
//! KYC claims from trusted issuers, per-jurisdiction rule sets, a real-time risk engine and a
//! review queue, applied to every movement of a regulated token. The tokenization pallet calls
//! [`TransferCompliance`](pallet_tokenization::TransferCompliance), implemented here, from its one
//! gate; direct `pallet-assets` calls on managed tokens are refused by the runtime's call filter.
//!
//! - **Claims**: governance registers trusted issuers and the jurisdictions each may attest
//!   ([`Pallet::add_trusted_issuer`]). An issuer attests a claim (KYC tier, jurisdiction,
//!   accredited, sanctions-screened, expiry, and a Merkle commitment over the holder's
//!   attributes) and may revoke it. Expired or revoked claims, or claims of an issuer no longer
//!   trusted for that jurisdiction, count as absent at once.
//! - **Selective disclosure**: [`Pallet::disclose_attribute`] proves one attribute against the
//!   claim's commitment with a Merkle proof, revealing nothing else.
//! - **Rules**: governance registers rule sets per jurisdiction ([`Pallet::register_rule_set`]);
//!   a token's admin picks one and adds the token's own limits ([`Pallet::set_token_rules`]).
//! - **Risk engine**, in the block of the transfer: sanctions blocklist, per-transfer limit,
//!   velocity per sender over a rolling window, holder count and balance caps, the travel rule,
//!   and risk scores posted by registered risk oracles. A rejection is an error naming the rule;
//!   a hold puts the funds on hold in a review case that the token's controller approves (the
//!   transfer completes) or rejects (the funds return), or that times out (the funds return).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod engine;
mod functions;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
mod review;
pub mod runtime_api;
#[cfg(test)]
mod tests;
mod token_records;
mod types;
pub mod weights;

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungibles};
	use frame_system::pallet_prelude::*;
	use pallet_tokenization::ReasonCode;
	use sp_runtime::traits::StaticLookup;

	/// Balance of a token.
	pub type BalanceOf<T> = <T as pallet_tokenization::Config>::Balance;
	/// A token id.
	pub type TokenIdOf<T> = <T as pallet_tokenization::Config>::TokenId;
	/// A rule set as stored.
	pub type RuleSetOf<T> = RuleSet<BalanceOf<T>, <T as Config>::MaxJurisdictions>;
	/// A token's rules as stored.
	pub type TokenRulesOf<T> = TokenRules<BalanceOf<T>, BlockNumberFor<T>>;
	/// A claim as stored.
	pub type ClaimOf<T> = Claim<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// An account's standing as stored.
	pub type StandingOf<T> = Standing<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A review case as stored.
	pub type ReviewCaseOf<T> = ReviewCase<
		TokenIdOf<T>,
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
	>;
	/// The lookup source of an account.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
	/// An attribute key or value.
	pub type AttributeOf<T> = BoundedVec<u8, <T as Config>::MaxAttributeLen>;
	/// A disclosed attribute as stored.
	pub type DisclosureOf<T> =
		Disclosure<<T as frame_system::Config>::AccountId, BalanceOf<T>, AttributeOf<T>>;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: disclosed attributes and velocity entries record their storage deposit
	/// ([`migrations::v1`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_tokenization::Config<RuntimeHoldReason: From<HoldReason>>
	{
		/// Holds on token balances, for review cases.
		type Holder: fungibles::MutateHold<
			Self::AccountId,
			AssetId = TokenIdOf<Self>,
			Balance = BalanceOf<Self>,
			Reason = <Self as pallet_tokenization::Config>::RuntimeHoldReason,
		>;

		/// How many accounts hold a token.
		type HolderCount: pallet_tokenization::HolderCount<TokenIdOf<Self>>;

		/// The managed tokens: whether a token is one, its roles and its transfer gate (the
		/// tokenization pallet).
		type Tokens: pallet_tokenization::ManagedTokens<TokenIdOf<Self>, Self::AccountId>;

		/// Registers trusted issuers, rule sets and risk oracles (governance).
		type ComplianceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Keeps the sanctions list (the blocklist): compliance officers, who must act at once
		/// when a list changes, without waiting for a governance vote.
		type SanctionsOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most jurisdictions per issuer or list.
		#[pallet::constant]
		type MaxJurisdictions: Get<u32>;

		/// Longest attribute key or value, in bytes.
		#[pallet::constant]
		type MaxAttributeLen: Get<u32>;

		/// Deepest Merkle proof (log2 of the most attributes in a commitment).
		#[pallet::constant]
		type MaxProofDepth: Get<u32>;

		/// Blocks a review case stays open before its funds return.
		#[pallet::constant]
		type ReviewTimeout: Get<BlockNumberFor<Self>>;

		/// Most review cases timing out in one block (bounds `on_initialize`).
		#[pallet::constant]
		type MaxCasesPerBlock: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Units of a transfer held for a compliance officer's review.
		#[codec(index = 0)]
		Review,
		/// The storage deposit of a disclosed attribute, native, held from its holder.
		#[codec(index = 1)]
		StorageDeposit,
	}

	/// Trusted claim issuers and the jurisdictions each may attest.
	#[pallet::storage]
	pub type TrustedIssuers<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Jurisdiction, T::MaxJurisdictions>,
	>;

	/// Each account's KYC claim, sanctions listing and risk score (absent: none of them).
	#[pallet::storage]
	pub type Standings<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, StandingOf<T>>;

	/// Attributes a holder disclosed, with the commitment they were proven against: a reader
	/// trusts a value only while that commitment is the one of the holder's valid claim (see
	/// [`Pallet::disclosed_attribute`]), so revoking or replacing the claim voids it at once.
	/// Each holds its storage deposit from the holder until removed ([`Pallet::remove_attribute`]).
	#[pallet::storage]
	pub type DisclosedAttributes<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Blake2_128Concat,
		AttributeOf<T>,
		DisclosureOf<T>,
	>;

	/// Rule sets.
	#[pallet::storage]
	pub type RuleSets<T: Config> = StorageMap<_, Twox64Concat, RuleSetId, RuleSetOf<T>>;

	/// The id the next rule set gets.
	#[pallet::storage]
	pub type NextRuleSetId<T: Config> = StorageValue<_, RuleSetId, ValueQuery>;

	/// Regulated tokens and their rules (absent: unregulated).
	#[pallet::storage]
	pub type TokenCompliance<T: Config> =
		StorageMap<_, Blake2_128Concat, TokenIdOf<T>, TokenRulesOf<T>>;

	/// Accounts allowed to post risk scores.
	#[pallet::storage]
	pub type RiskOracles<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// Each sender's use of each regulated token, for velocity limits. Each entry holds its
	/// storage deposit from the sender until it is purged ([`Pallet::purge_velocity`]).
	#[pallet::storage]
	pub type Velocity<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		TokenIdOf<T>,
		Blake2_128Concat,
		T::AccountId,
		VelocityWindow<BalanceOf<T>, BlockNumberFor<T>>,
	>;

	/// Open review cases.
	#[pallet::storage]
	pub type ReviewCases<T: Config> = StorageMap<_, Twox64Concat, CaseId, ReviewCaseOf<T>>;

	/// The id the next review case gets.
	#[pallet::storage]
	pub type NextCaseId<T: Config> = StorageValue<_, CaseId, ValueQuery>;

	/// Open cases by the block they time out.
	#[pallet::storage]
	pub type CaseExpiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<CaseId, T::MaxCasesPerBlock>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance trusted (or re-scoped) a claim issuer.
		TrustedIssuerAdded {
			issuer: T::AccountId,
			jurisdictions: BoundedVec<Jurisdiction, T::MaxJurisdictions>,
		},
		/// Governance stopped trusting a claim issuer; its claims count as absent.
		TrustedIssuerRemoved { issuer: T::AccountId },
		/// A claim was attested (replacing any previous claim on the account).
		ClaimAttested {
			who: T::AccountId,
			issuer: T::AccountId,
			tier: KycTier,
			jurisdiction: Jurisdiction,
			expires_at: BlockNumberFor<T>,
		},
		/// A claim was revoked by its issuer.
		ClaimRevoked { who: T::AccountId, issuer: T::AccountId },
		/// A holder proved one attribute of their claim; `deposit` (native) is held from them
		/// until the attribute is removed.
		AttributeDisclosed {
			who: T::AccountId,
			key: AttributeOf<T>,
			value: AttributeOf<T>,
			deposit: BalanceOf<T>,
		},
		/// A velocity entry whose windows are over was removed; its deposit returned to `who`.
		VelocityEntryRemoved { token: TokenIdOf<T>, who: T::AccountId, deposit: BalanceOf<T> },
		/// A disclosed attribute was removed and its deposit returned to its holder.
		AttributeRemoved { who: T::AccountId, key: AttributeOf<T>, deposit: BalanceOf<T> },
		/// Governance registered a rule set.
		RuleSetRegistered { rule_set: RuleSetId, jurisdiction: Jurisdiction },
		/// Governance replaced a rule set.
		RuleSetUpdated { rule_set: RuleSetId },
		/// A token's admin set its rules: the token is regulated.
		TokenRulesSet { token: TokenIdOf<T>, rules: TokenRulesOf<T> },
		/// A token's admin cleared its rules: the token is unregulated.
		TokenRulesCleared { token: TokenIdOf<T> },
		/// Governance added an account to (`Some`) or removed it from the blocklist.
		BlocklistChanged { who: T::AccountId, reason: Option<ReasonCode> },
		/// Governance registered or removed a risk oracle.
		RiskOracleChanged { oracle: T::AccountId, registered: bool },
		/// A risk oracle posted a score.
		RiskScoreSet { who: T::AccountId, score: RiskScore, oracle: T::AccountId },
		/// A transfer was held for review; its units are on hold on the sender's account.
		TransferHeld {
			case: CaseId,
			token: TokenIdOf<T>,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			rule: HoldRule,
			expires_at: BlockNumberFor<T>,
		},
		/// A compliance officer approved a held transfer: it completed.
		CaseApproved { case: CaseId, officer: T::AccountId },
		/// A compliance officer rejected a held transfer: the units returned to the sender.
		CaseRejected { case: CaseId, officer: T::AccountId, reason: ReasonCode },
		/// A review case timed out: the units returned to the sender.
		CaseExpired { case: CaseId },
		/// A review case timed out but its held units could not be released (an invariant
		/// broke): the case stays open for its controller to approve or reject.
		CaseExpiryFailed { case: CaseId, error: DispatchError },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a trusted issuer, or not for this jurisdiction.
		NotTrustedIssuer,
		/// A jurisdiction is not two upper-case letters.
		InvalidJurisdiction,
		/// The claim's expiry is not in the future.
		ClaimAlreadyExpired,
		/// The account has no claim (or not one this issuer attested).
		UnknownClaim,
		/// The Merkle proof does not match the claim's commitment.
		InvalidProof,
		/// No rule set has this id.
		UnknownRuleSet,
		/// Rule-set ids are exhausted.
		RuleSetIdOverflow,
		/// A limit is zero or a window is empty.
		InvalidLimits,
		/// The caller lacks the token role this needs (admin for rules, controller for cases).
		MissingRole,
		/// No managed token has this id.
		UnknownToken,
		/// The token has no compliance rules.
		NotRegulated,
		/// The caller is not a registered risk oracle.
		NotRiskOracle,
		/// No open review case has this id.
		UnknownCase,
		/// Too many review cases time out in the same block; try again in the next one.
		CaseQueueFull,
		/// Case ids are exhausted.
		CaseIdOverflow,
		// --- Rules that reject a movement (each names the rule that fired). ---
		/// A party is on the sanctions blocklist.
		Sanctioned,
		/// A party has no valid KYC claim (none, expired, revoked, or its issuer untrusted).
		ClaimMissing,
		/// A party's KYC tier is below the rule set's minimum.
		KycTierTooLow,
		/// The rule set admits accredited investors only.
		NotAccredited,
		/// The rule set requires sanctions screening.
		NotSanctionsScreened,
		/// A party's jurisdiction is not among the allowed ones.
		JurisdictionNotAllowed,
		/// A party's jurisdiction is blocked.
		JurisdictionBlocked,
		/// The transfer exceeds the token's per-transfer limit.
		TransferLimitExceeded,
		/// The receiver would hold more than the token's per-holder maximum.
		MaxBalanceExceeded,
		/// The token has its maximum number of holders.
		MaxHoldersReached,
		/// The transfer needs the travel-rule data digest (`transfer_with_travel_rule`).
		TravelRuleDataMissing,
		/// The sender's rolling amount or count exceeds the token's velocity limit.
		VelocityLimitExceeded,
		/// A party's risk score is at or above the rule set's rejection score.
		RiskScoreTooHigh,
		/// The holder cannot pay the attribute's storage deposit (native balance too low).
		CannotPayDeposit,
		/// No disclosed attribute of this holder has this key.
		UnknownAttribute,
		/// Only the holder may remove an attribute that still counts.
		AttributeStillValid,
		/// No velocity entry of this sender for this token.
		UnknownVelocityEntry,
		/// The velocity entry still counts: a window of it is not over.
		VelocityWindowOpen,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			assert!(T::MaxJurisdictions::get() > 0, "a trusted issuer covers a jurisdiction");
			assert!(T::MaxAttributeLen::get() > 0, "attributes have room for a value");
			// Leaf indices and counts are `u32`: deeper trees could not be addressed.
			assert!(
				(1..=32).contains(&T::MaxProofDepth::get()),
				"disclosure proofs are 1 to 32 levels deep"
			);
			assert!(!T::ReviewTimeout::get().is_zero(), "a review case lasts at least a block");
			assert!(T::MaxCasesPerBlock::get() > 0, "review cases can expire");
		}

		/// Returns the funds of review cases that time out in this block.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let expired = Self::expire_cases(now);
			<T as Config>::WeightInfo::expire_cases(expired)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Trusts `issuer` to attest claims in `jurisdictions` (replacing any earlier scope).
		///
		/// - Origin: `ComplianceOrigin`.
		/// - Event: [`Event::TrustedIssuerAdded`].
		/// - Weight: [`WeightInfo::add_trusted_issuer`], constant.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::add_trusted_issuer())]
		pub fn add_trusted_issuer(
			origin: OriginFor<T>,
			issuer: AccountIdLookupOf<T>,
			jurisdictions: BoundedVec<Jurisdiction, T::MaxJurisdictions>,
		) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			let issuer = T::Lookup::lookup(issuer)?;
			Self::do_add_trusted_issuer(issuer, jurisdictions)
		}

		/// Stops trusting `issuer`; its claims count as absent from now on.
		///
		/// - Origin: `ComplianceOrigin`.
		/// - Event: [`Event::TrustedIssuerRemoved`].
		/// - Weight: [`WeightInfo::remove_trusted_issuer`], constant.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_trusted_issuer())]
		pub fn remove_trusted_issuer(
			origin: OriginFor<T>,
			issuer: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			let issuer = T::Lookup::lookup(issuer)?;
			Self::do_remove_trusted_issuer(issuer)
		}

		/// Attests a claim on `who`, replacing any earlier claim.
		///
		/// - Origin: signed; a trusted issuer for the claim's jurisdiction.
		/// - Event: [`Event::ClaimAttested`].
		/// - Weight: [`WeightInfo::attest_claim`], constant.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::attest_claim())]
		pub fn attest_claim(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
			claim: ClaimInput<BlockNumberFor<T>>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_attest_claim(issuer, who, claim)
		}

		/// Revokes the claim on `who`; it counts as absent at once.
		///
		/// - Origin: signed; the claim's issuer.
		/// - Event: [`Event::ClaimRevoked`].
		/// - Weight: [`WeightInfo::revoke_claim`], constant.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::revoke_claim())]
		pub fn revoke_claim(origin: OriginFor<T>, who: AccountIdLookupOf<T>) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_revoke_claim(issuer, who)
		}

		/// Proves one attribute (`key` = `value`) of the caller's claim: `proof` is the Merkle
		/// path of leaf `leaf_index` of `leaf_count` (leaf `SCALE((key, value))`, BLAKE2-256
		/// binary tree) to the claim's commitment. Nothing else is revealed.
		///
		/// - Origin: signed; the holder of a valid claim.
		/// - Effect: the attribute is stored, replacing the same key's earlier disclosure; the
		///   holder holds its storage deposit (native, [`HoldReason::StorageDeposit`]) until it is
		///   removed ([`Pallet::remove_attribute`]).
		/// - Event: [`Event::AttributeDisclosed`].
		/// - Weight: [`WeightInfo::disclose_attribute`], worst case with the deepest proof.
		#[pallet::call_index(4)]
		#[pallet::weight(<T as Config>::WeightInfo::disclose_attribute())]
		pub fn disclose_attribute(
			origin: OriginFor<T>,
			key: AttributeOf<T>,
			value: AttributeOf<T>,
			proof: BoundedVec<[u8; 32], T::MaxProofDepth>,
			leaf_index: u32,
			leaf_count: u32,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_disclose_attribute(who, key, value, proof, leaf_index, leaf_count)
		}

		/// Registers a rule set under the next id.
		///
		/// - Origin: `ComplianceOrigin`.
		/// - Event: [`Event::RuleSetRegistered`].
		/// - Weight: [`WeightInfo::register_rule_set`], constant.
		#[pallet::call_index(5)]
		#[pallet::weight(<T as Config>::WeightInfo::register_rule_set())]
		pub fn register_rule_set(origin: OriginFor<T>, rule_set: RuleSetOf<T>) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			Self::do_register_rule_set(rule_set).map(|_| ())
		}

		/// Replaces a rule set; applies to every token that follows it from the next check.
		///
		/// - Origin: `ComplianceOrigin`.
		/// - Event: [`Event::RuleSetUpdated`].
		/// - Weight: [`WeightInfo::update_rule_set`], constant.
		#[pallet::call_index(6)]
		#[pallet::weight(<T as Config>::WeightInfo::update_rule_set())]
		pub fn update_rule_set(
			origin: OriginFor<T>,
			id: RuleSetId,
			rule_set: RuleSetOf<T>,
		) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			Self::do_update_rule_set(id, rule_set)
		}

		/// Makes `token` regulated under `rules` (a rule set plus the token's limits).
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::TokenRulesSet`].
		/// - Weight: [`WeightInfo::set_token_rules`], constant.
		#[pallet::call_index(7)]
		#[pallet::weight(<T as Config>::WeightInfo::set_token_rules())]
		pub fn set_token_rules(
			origin: OriginFor<T>,
			token: TokenIdOf<T>,
			rules: TokenRulesOf<T>,
		) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_set_token_rules(admin, token, rules)
		}

		/// Makes `token` unregulated.
		///
		/// - Origin: signed; an admin of the token.
		/// - Event: [`Event::TokenRulesCleared`].
		/// - Weight: [`WeightInfo::clear_token_rules`], constant.
		#[pallet::call_index(8)]
		#[pallet::weight(<T as Config>::WeightInfo::clear_token_rules())]
		pub fn clear_token_rules(origin: OriginFor<T>, token: TokenIdOf<T>) -> DispatchResult {
			let admin = ensure_signed(origin)?;
			Self::do_clear_token_rules(admin, token)
		}

		/// Adds `who` to the sanctions blocklist with `reason`, or (`None`) removes them.
		///
		/// - Origin: `SanctionsOrigin`.
		/// - Event: [`Event::BlocklistChanged`].
		/// - Weight: [`WeightInfo::set_blocklisted`], constant.
		#[pallet::call_index(9)]
		#[pallet::weight(<T as Config>::WeightInfo::set_blocklisted())]
		pub fn set_blocklisted(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
			reason: Option<ReasonCode>,
		) -> DispatchResult {
			T::SanctionsOrigin::ensure_origin(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_set_blocklisted(who, reason)
		}

		/// Registers (`registered`) or removes a risk oracle.
		///
		/// - Origin: `ComplianceOrigin`.
		/// - Event: [`Event::RiskOracleChanged`].
		/// - Weight: [`WeightInfo::set_risk_oracle`], constant.
		#[pallet::call_index(10)]
		#[pallet::weight(<T as Config>::WeightInfo::set_risk_oracle())]
		pub fn set_risk_oracle(
			origin: OriginFor<T>,
			oracle: AccountIdLookupOf<T>,
			registered: bool,
		) -> DispatchResult {
			T::ComplianceOrigin::ensure_origin(origin)?;
			let oracle = T::Lookup::lookup(oracle)?;
			Self::do_set_risk_oracle(oracle, registered)
		}

		/// Posts `who`'s risk score.
		///
		/// - Origin: signed; a registered risk oracle.
		/// - Event: [`Event::RiskScoreSet`].
		/// - Weight: [`WeightInfo::set_risk_score`], constant.
		#[pallet::call_index(11)]
		#[pallet::weight(<T as Config>::WeightInfo::set_risk_score())]
		pub fn set_risk_score(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
			score: RiskScore,
		) -> DispatchResult {
			let oracle = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_set_risk_score(oracle, who, score)
		}

		/// Approves held transfer `case`: the held units move to the receiver (who must still be
		/// able to receive them).
		///
		/// - Origin: signed; a controller (compliance officer) of the token.
		/// - Event: [`Event::CaseApproved`].
		/// - Weight: [`WeightInfo::approve_case`], worst case with a full expiry bucket.
		#[pallet::call_index(12)]
		#[pallet::weight(<T as Config>::WeightInfo::approve_case().saturating_add(<T as Config>::WeightInfo::check_transfer()))]
		pub fn approve_case(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let officer = ensure_signed(origin)?;
			Self::do_approve_case(officer, case)
		}

		/// Rejects held transfer `case`: the units return to the sender.
		///
		/// - Origin: signed; a controller (compliance officer) of the token.
		/// - Event: [`Event::CaseRejected`] with `reason`.
		/// - Weight: [`WeightInfo::reject_case`], worst case with a full expiry bucket.
		#[pallet::call_index(13)]
		#[pallet::weight(<T as Config>::WeightInfo::reject_case())]
		pub fn reject_case(
			origin: OriginFor<T>,
			case: CaseId,
			reason: ReasonCode,
		) -> DispatchResult {
			let officer = ensure_signed(origin)?;
			Self::do_reject_case(officer, case, reason)
		}

		/// Removes `who`'s velocity entry for `token` and returns its deposit to `who`.
		///
		/// - Origin: signed; anyone, once both windows of the entry are over (or the token has
		///   no velocity limit any more): it no longer counts.
		/// - Event: [`Event::VelocityEntryRemoved`].
		/// - Weight: [`WeightInfo::purge_velocity`], constant.
		#[pallet::call_index(15)]
		#[pallet::weight(<T as Config>::WeightInfo::purge_velocity())]
		pub fn purge_velocity(
			origin: OriginFor<T>,
			token: TokenIdOf<T>,
			who: AccountIdLookupOf<T>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_purge_velocity(token, who)
		}

		/// Removes `who`'s disclosed attribute `key` and returns its deposit to `who`.
		///
		/// - Origin: signed; `who` at any time, or anyone once the disclosure is void (its
		///   commitment is no longer the one of `who`'s valid claim: revoked, expired or replaced).
		/// - Event: [`Event::AttributeRemoved`].
		/// - Weight: [`WeightInfo::remove_attribute`], constant.
		#[pallet::call_index(14)]
		#[pallet::weight(<T as Config>::WeightInfo::remove_attribute())]
		pub fn remove_attribute(
			origin: OriginFor<T>,
			who: AccountIdLookupOf<T>,
			key: AttributeOf<T>,
		) -> DispatchResult {
			let caller = ensure_signed(origin)?;
			let who = T::Lookup::lookup(who)?;
			Self::do_remove_attribute(caller, who, key)
		}
	}
}
