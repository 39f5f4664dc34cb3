//! Benchmarks of the compliance pallet (FRAME v2), one per [`WeightInfo`] function, each in its
//! worst case:
//! - lists of jurisdictions are full (`MaxJurisdictions`), and a looked-up jurisdiction is the last
//!   one in every list it is found in (issuer scopes, allowed lists) and absent from the others
//!   (blocked lists), so every scan runs to the end;
//! - `disclose_attribute`: the longest key and value, a proof of `MaxProofDepth` nodes;
//! - `check_transfer` (the risk engine run on every transfer of a regulated token, plus the
//!   velocity update): every rule applies and passes, so none short-cuts the others (see
//!   `worst_checked_transfer`); `checked_transfer` is a whole transfer with that check inside;
//! - the review queue: the expiry bucket a case joins or leaves is full (`MaxCasesPerBlock`), the
//!   sender of a held transfer has `MaxLockups` lock-ups (read by the ledger on the hold), an
//!   approved transfer reaches an account new to the token while `MaxOpenDistributions`
//!   distributions are open (its balance and the sender's are recorded for each), and timed-out
//!   cases each return funds to a different sender.
//!
//! Tokens, roles and balances come from the tokenization pallet, through its calls (its
//! `pallet_tokenization::Config::BenchmarkHelper` funds accounts).

use super::*;
use crate::Pallet as Compliance;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungibles::{Inspect as _, InspectHold as _},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_tokenization::{
	BenchmarkHelper as _, ComplianceVerdict, LockupTerms, MoveKind, Role, RoleSet, TemplateSpec,
	TokenClass, TransferPolicy,
};
use polkadot_sdk::{
	binary_merkle_tree::{merkle_proof, merkle_root},
	frame_benchmarking,
	sp_runtime::traits::{BlakeTwo256, One, Saturating, StaticLookup, TrailingZeroInput},
};

type Tokenization<T> = pallet_tokenization::Pallet<T>;

/// Token ids are taken from here on ("CMPL"), past any the runtime is likely to hold.
const TOKEN_BASE: u32 = 0x434d_504c;
/// Units per mint; every mint adds a default lock-up schedule.
const PER_MINT: u32 = 1_000;
/// Default lock-up of the benchmark tokens: nothing unlocks for `LOCKUP_CLIFF` blocks, all by
/// `LOCKUP_DURATION`.
const LOCKUP_CLIFF: u32 = 10;
const LOCKUP_DURATION: u32 = 100;
/// Units of a checked transfer or of a review case.
const AMOUNT: u32 = 10;
/// Velocity window, in blocks.
const WINDOW: u32 = 10;
/// The parties' KYC tier, also every rule set's minimum.
const TIER: KycTier = 3;
/// Rule-set risk scores: parties score below both.
const REVIEW_SCORE: RiskScore = 200;
const REJECT_SCORE: RiskScore = 250;
/// Claims expire this many blocks after they are attested.
const CLAIM_LIFETIME: u32 = 1_000_000;
/// The jurisdiction of every party and issuer scope.
const HOME: Jurisdiction = *b"AA";
const SEED: u32 = 0;

fn units<T: Config>(n: u32) -> BalanceOf<T> {
	n.into()
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

fn advance<T: Config>(blocks: u32) {
	frame_system::Pallet::<T>::set_block_number(now::<T>().saturating_add(blocks.into()));
}

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::ComplianceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

fn signed<T: Config>(who: &T::AccountId) -> T::RuntimeOrigin {
	RawOrigin::Signed(who.clone()).into()
}

fn lookup<T: Config>(who: &T::AccountId) -> AccountIdLookupOf<T> {
	T::Lookup::unlookup(who.clone())
}

fn longest<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(alloc::vec![byte; S::get() as usize])
}

// --- Jurisdictions, claims and rules ---

/// A jurisdiction code other than `HOME` for each `i` (distinct for `i < 675`).
fn code(i: u32) -> Jurisdiction {
	let i = 1 + i % 675;
	[b'A' + (i / 26) as u8, b'A' + (i % 26) as u8]
}

/// A full list of jurisdictions ending with `HOME`.
fn ending_with_home<T: Config>() -> BoundedVec<Jurisdiction, T::MaxJurisdictions> {
	let max = T::MaxJurisdictions::get();
	let mut list: Vec<Jurisdiction> = (0..max.saturating_sub(1)).map(code).collect();
	list.push(HOME);
	BoundedVec::truncate_from(list)
}

/// A full list of jurisdictions without `HOME` (nor any of [`ending_with_home`]'s).
fn without_home<T: Config>() -> BoundedVec<Jurisdiction, T::MaxJurisdictions> {
	let max = T::MaxJurisdictions::get();
	BoundedVec::truncate_from((max..max.saturating_mul(2)).map(code).collect())
}

/// Governance trusts issuer `i` for a full list of jurisdictions, `HOME` last.
fn trusted_issuer<T: Config>(i: u32) -> Result<T::AccountId, BenchmarkError> {
	let issuer: T::AccountId = account("claim issuer", i, SEED);
	Compliance::<T>::do_add_trusted_issuer(issuer.clone(), ending_with_home::<T>())?;
	Ok(issuer)
}

/// Claim facts meeting every requirement of [`strictest`], in `HOME`.
fn facts<T: Config>(commitment: Commitment) -> ClaimInput<BlockNumberFor<T>> {
	ClaimInput {
		tier: TIER,
		jurisdiction: HOME,
		accredited: true,
		sanctions_screened: true,
		expires_at: now::<T>().saturating_add(CLAIM_LIFETIME.into()),
		commitment,
	}
}

fn attest<T: Config>(
	issuer: &T::AccountId,
	who: &T::AccountId,
	commitment: Commitment,
) -> Result<(), BenchmarkError> {
	Compliance::<T>::do_attest_claim(issuer.clone(), who.clone(), facts::<T>(commitment))?;
	Ok(())
}

/// Every requirement on a party.
fn strictest() -> PartyRequirement {
	PartyRequirement {
		claim_required: true,
		min_tier: TIER,
		accredited_only: true,
		sanctions_screened: true,
	}
}

/// A rule set with every requirement on both parties, full jurisdiction lists (`HOME` allowed,
/// last), a travel-rule threshold that `AMOUNT` reaches, and review and reject risk scores.
fn full_rule_set<T: Config>() -> RuleSetOf<T> {
	RuleSet {
		jurisdiction: HOME,
		sender: strictest(),
		receiver: strictest(),
		allowed_jurisdictions: ending_with_home::<T>(),
		blocked_jurisdictions: without_home::<T>(),
		travel_rule_threshold: Some(units::<T>(AMOUNT)),
		review_risk_score: Some(REVIEW_SCORE),
		reject_risk_score: Some(REJECT_SCORE),
	}
}

/// A rule set with no requirement.
fn empty_rule_set<T: Config>() -> RuleSetOf<T> {
	RuleSet {
		jurisdiction: HOME,
		sender: Default::default(),
		receiver: Default::default(),
		allowed_jurisdictions: Default::default(),
		blocked_jurisdictions: Default::default(),
		travel_rule_threshold: None,
		review_risk_score: None,
		reject_risk_score: None,
	}
}

/// Rule set `rule_set` and every token limit, none of which a transfer of `AMOUNT` (by a sender
/// with two earlier ones in the velocity window) reaches.
fn full_rules<T: Config>(rule_set: RuleSetId) -> TokenRulesOf<T> {
	TokenRules {
		rule_set,
		limits: TokenLimits {
			max_holders: Some(1_000_000),
			max_balance: Some(units::<T>(PER_MINT.saturating_mul(1_000))),
			max_transfer: Some(units::<T>(AMOUNT.saturating_mul(10))),
			velocity: Some(VelocityLimit {
				window: WINDOW.into(),
				max_amount: units::<T>(AMOUNT.saturating_mul(100)),
				max_count: 100,
			}),
			review_threshold: Some(units::<T>(AMOUNT.saturating_mul(2))),
		},
	}
}

/// Makes `token` regulated by [`full_rule_set`] and [`full_rules`] (`admin` is its admin).
fn regulate<T: Config>(
	admin: &T::AccountId,
	token: &TokenIdOf<T>,
) -> Result<RuleSetId, BenchmarkError> {
	let rule_set = Compliance::<T>::do_register_rule_set(full_rule_set::<T>())?;
	Compliance::<T>::do_set_token_rules(admin.clone(), *token, full_rules::<T>(rule_set))?;
	Ok(rule_set)
}

// --- Tokens and balances (through the tokenization pallet) ---

/// An id of any integer-like type with the value `n`.
fn id_from<I: Decode>(n: u32) -> I {
	I::decode(&mut TrailingZeroInput::new(&n.encode())).expect("an id decodes from any bytes")
}

/// A token id neither the tokenization pallet nor `pallet-assets` uses.
fn free_token_id<T: Config>() -> Result<TokenIdOf<T>, BenchmarkError> {
	(TOKEN_BASE..TOKEN_BASE.saturating_add(1_000))
		.map(id_from::<TokenIdOf<T>>)
		.find(|id| {
			!pallet_tokenization::Tokens::<T>::contains_key(id) && !T::Assets::asset_exists(*id)
		})
		.ok_or(BenchmarkError::Stop("no free token id"))
}

/// Plenty of the funds asset and of the native token (deposits, account existence).
fn funded<T: Config>(who: &T::AccountId) {
	let asset = T::BenchmarkHelper::funds_asset();
	let amount = T::Funds::minimum_balance(asset.clone())
		.max(One::one())
		.saturating_mul(1_000_000u32.into());
	T::BenchmarkHelper::fund(&asset, who, amount);
}

/// An allowlisted security token with a default lock-up, issued by `issuer` (funded here, with
/// every role).
fn new_token<T: Config>(issuer: &T::AccountId) -> Result<TokenIdOf<T>, BenchmarkError> {
	token_with::<T>(
		issuer,
		Some(LockupTerms { cliff: LOCKUP_CLIFF.into(), duration: LOCKUP_DURATION.into() }),
	)
}

/// [`new_token`] with `default_lockup` instead.
fn token_with<T: Config>(
	issuer: &T::AccountId,
	default_lockup: Option<LockupTerms<BlockNumberFor<T>>>,
) -> Result<TokenIdOf<T>, BenchmarkError> {
	funded::<T>(issuer);
	let governance = <T as pallet_tokenization::Config>::GovernanceOrigin::try_successful_origin()
		.map_err(|_| BenchmarkError::Weightless)?;
	let template = pallet_tokenization::NextTemplateId::<T>::get();
	Tokenization::<T>::register_template(
		governance,
		TemplateSpec {
			class: TokenClass::SecurityToken,
			decimals: 0,
			max_cap: None,
			policy: TransferPolicy::Allowlisted,
			default_lockup,
			issuer_roles: RoleSet::all(),
		},
	)?;
	let token = free_token_id::<T>()?;
	Tokenization::<T>::create_token(
		signed::<T>(issuer),
		token,
		template,
		BoundedVec::truncate_from(b"Compliance".to_vec()),
		BoundedVec::truncate_from(b"CMPL".to_vec()),
		None,
		[1u8; 32],
	)?;
	Tokenization::<T>::set_allowlisted(signed::<T>(issuer), token, lookup::<T>(issuer), true)?;
	Ok(token)
}

/// `who` made able to hold `token`: funded and allowlisted.
fn holder<T: Config>(
	token: &TokenIdOf<T>,
	issuer: &T::AccountId,
	who: &T::AccountId,
) -> Result<(), BenchmarkError> {
	funded::<T>(who);
	Tokenization::<T>::set_allowlisted(signed::<T>(issuer), *token, lookup::<T>(who), true)?;
	Ok(())
}

/// Mints `amount` to `who` (one more lock-up schedule).
fn mint<T: Config>(
	token: &TokenIdOf<T>,
	issuer: &T::AccountId,
	who: &T::AccountId,
	amount: BalanceOf<T>,
) -> Result<(), BenchmarkError> {
	Tokenization::<T>::mint(signed::<T>(issuer), *token, lookup::<T>(who), amount)?;
	Ok(())
}

/// Lets the lock-ups minted so far unlock about halfway.
fn unlock_half<T: Config>() {
	advance::<T>(LOCKUP_DURATION / 2 + 1);
}

/// Opens `MaxOpenDistributions` distributions of `token` (which has a supply), paid by `issuer`.
fn open_distributions<T: Config>(
	token: &TokenIdOf<T>,
	issuer: &T::AccountId,
) -> Result<(), BenchmarkError> {
	let asset = T::BenchmarkHelper::funds_asset();
	let amount =
		T::Funds::minimum_balance(asset.clone()).max(One::one()).saturating_mul(1_000u32.into());
	for _ in 0..<T as pallet_tokenization::Config>::MaxOpenDistributions::get() {
		Tokenization::<T>::create_distribution(
			signed::<T>(issuer),
			*token,
			asset.clone(),
			amount,
			<T as pallet_tokenization::Config>::MinDistributionDuration::get(),
		)?;
	}
	Ok(())
}

/// Opens `n` review cases of `AMOUNT` from `from` to `to`; they time out in the same block.
fn open_cases<T: Config>(
	token: &TokenIdOf<T>,
	from: &T::AccountId,
	to: &T::AccountId,
	n: u32,
) -> Result<(), BenchmarkError> {
	for _ in 0..n {
		Compliance::<T>::do_open_review(
			*token,
			from.clone(),
			to.clone(),
			units::<T>(AMOUNT),
			HoldRule::ReviewThreshold,
		)?;
	}
	Ok(())
}

fn on_hold<T: Config>(token: &TokenIdOf<T>, who: &T::AccountId) -> BalanceOf<T> {
	T::Holder::balance_on_hold(*token, &HoldReason::Review.into(), who)
}

/// A decided case and its surroundings.
struct Queue<T: Config> {
	token: TokenIdOf<T>,
	officer: T::AccountId,
	from: T::AccountId,
	to: T::AccountId,
	case: CaseId,
	expires_at: BlockNumberFor<T>,
}

/// Case `case`, from `from` (its only held funds) to `to` (allowlisted, new to the token), last
/// in a full expiry bucket (the others are a filler account's); `officer` (whitelisted) is a
/// controller of the token. With `distributions`, `MaxOpenDistributions` are open.
fn queue<T: Config>(distributions: bool) -> Result<Queue<T>, BenchmarkError> {
	let issuer: T::AccountId = account("issuer", 0, SEED);
	let token = new_token::<T>(&issuer)?;
	let officer: T::AccountId = whitelisted_caller();
	Tokenization::<T>::grant_role(
		signed::<T>(&issuer),
		token,
		lookup::<T>(&officer),
		Role::Controller,
	)?;
	let from: T::AccountId = account("sender", 0, SEED);
	let filler: T::AccountId = account("filler", 0, SEED);
	let to: T::AccountId = account("receiver", 0, SEED);
	for who in [&from, &filler, &to] {
		holder::<T>(&token, &issuer, who)?;
	}
	let max = T::MaxCasesPerBlock::get();
	mint::<T>(&token, &issuer, &from, units::<T>(PER_MINT))?;
	mint::<T>(&token, &issuer, &filler, units::<T>(AMOUNT.saturating_mul(max).saturating_mul(4)))?;
	unlock_half::<T>();
	if distributions {
		open_distributions::<T>(&token, &issuer)?;
	}
	open_cases::<T>(&token, &filler, &to, max.saturating_sub(1))?;
	let case = NextCaseId::<T>::get();
	open_cases::<T>(&token, &from, &to, 1)?;
	let expires_at = now::<T>().saturating_add(T::ReviewTimeout::get());
	assert_eq!(CaseExpiries::<T>::get(expires_at).len() as u32, max);
	assert_eq!(T::Assets::balance(token, &to), units::<T>(0));
	Ok(Queue { token, officer, from, to, case, expires_at })
}

/// The worst case of the risk engine for a transfer of the returned amount from `from` to `to`
/// (made holders of `token` here, `from` with a balance), when every rule passes so that none
/// short-cuts the others:
/// - a rule set with every requirement on both parties (claim, tier, accredited, sanctions
///   screening), full allowed and blocked jurisdiction lists (the parties' jurisdiction last in
///   the allowed one, absent from the blocked one), a travel-rule threshold the amount reaches
///   (the digest is given), and review and reject risk scores above the parties';
/// - both parties hold valid claims, each from a different trusted issuer (no cached read) whose
///   scope is full with the claim's jurisdiction last, and both have risk scores;
/// - every token limit is set and not reached: the receiver holds nothing yet (so the holder
///   count is read), the sender has no velocity entry yet (recording creates it and holds its
///   storage deposit), the review threshold is above the amount.
fn worst_checked_transfer<T: Config>(
	token: &TokenIdOf<T>,
	issuer: &T::AccountId,
	from: &T::AccountId,
	to: &T::AccountId,
) -> Result<BalanceOf<T>, BenchmarkError> {
	holder::<T>(token, issuer, from)?;
	holder::<T>(token, issuer, to)?;
	mint::<T>(token, issuer, from, units::<T>(PER_MINT))?;
	attest::<T>(&trusted_issuer::<T>(0)?, from, [1u8; 32])?;
	attest::<T>(&trusted_issuer::<T>(1)?, to, [2u8; 32])?;
	let oracle: T::AccountId = account("oracle", 0, SEED);
	Compliance::<T>::do_set_risk_oracle(oracle.clone(), true)?;
	Compliance::<T>::do_set_risk_score(oracle.clone(), from.clone(), REVIEW_SCORE - 2)?;
	Compliance::<T>::do_set_risk_score(oracle, to.clone(), REVIEW_SCORE - 1)?;
	regulate::<T>(issuer, token)?;
	let amount = units::<T>(AMOUNT);
	// No velocity entry yet: recording the transfer creates one and holds its deposit (more
	// work than updating one; the rolling estimate itself is a few additions).
	assert!(Velocity::<T>::get(token, from).is_none());
	assert_eq!(T::Assets::balance(*token, to), units::<T>(0));
	// Not an early rejection (nor a hold): every rule runs. Changes nothing.
	assert_eq!(
		Compliance::<T>::evaluate(
			token,
			MoveKind::Transfer,
			Some(from),
			Some(to),
			amount,
			Some([0; 32])
		),
		Ok(ComplianceVerdict::Allow)
	);
	Ok(amount)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// A full list of jurisdictions.
	#[benchmark]
	fn add_trusted_issuer() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let issuer: T::AccountId = account("claim issuer", 0, SEED);
		let jurisdictions = ending_with_home::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&issuer), jurisdictions.clone());

		assert_eq!(TrustedIssuers::<T>::get(&issuer), Some(jurisdictions));
		Ok(())
	}

	#[benchmark]
	fn remove_trusted_issuer() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let issuer = trusted_issuer::<T>(0)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&issuer));

		assert!(!TrustedIssuers::<T>::contains_key(&issuer));
		Ok(())
	}

	/// The issuer's scope is full, the claim's jurisdiction last in it.
	#[benchmark]
	fn attest_claim() -> Result<(), BenchmarkError> {
		let issuer = trusted_issuer::<T>(0)?;
		let who: T::AccountId = account("holder", 0, SEED);
		let claim = facts::<T>([7u8; 32]);

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer.clone()), lookup::<T>(&who), claim.clone());

		assert_eq!(Compliance::<T>::standing(&who).claim, Some(Claim { issuer, facts: claim }));
		Ok(())
	}

	#[benchmark]
	fn revoke_claim() -> Result<(), BenchmarkError> {
		let issuer = trusted_issuer::<T>(0)?;
		let who: T::AccountId = account("holder", 0, SEED);
		attest::<T>(&issuer, &who, [7u8; 32])?;

		#[extrinsic_call]
		_(RawOrigin::Signed(issuer), lookup::<T>(&who));

		assert!(!Standings::<T>::contains_key(&who));
		Ok(())
	}

	/// The longest key and value, leaf `2^MaxProofDepth - 1` of `2^MaxProofDepth` (a proof of
	/// `MaxProofDepth` nodes), under a claim whose issuer's scope is full (its jurisdiction last).
	#[benchmark]
	fn disclose_attribute() -> Result<(), BenchmarkError> {
		let issuer = trusted_issuer::<T>(0)?;
		let who: T::AccountId = whitelisted_caller();
		let depth = T::MaxProofDepth::get();
		let leaf_count = 1u32.checked_shl(depth).ok_or("MaxProofDepth must be below 32")?;
		let leaf_index = leaf_count - 1;
		let key = longest::<T::MaxAttributeLen>(b'k');
		let value = longest::<T::MaxAttributeLen>(b'v');
		let leaf = (&key, &value).encode();
		// The other leaves are any distinct bytes: the tree hashes every leaf.
		let leaves =
			|| (0..leaf_count).map(|i| if i == leaf_index { leaf.clone() } else { i.encode() });
		let root = merkle_root::<BlakeTwo256, _>(leaves());
		let proof = merkle_proof::<BlakeTwo256, _, _>(leaves(), leaf_index).proof;
		assert_eq!(proof.len() as u32, depth);
		let proof: BoundedVec<[u8; 32], T::MaxProofDepth> =
			BoundedVec::truncate_from(proof.into_iter().map(|node| node.0).collect());
		attest::<T>(&issuer, &who, root.0)?;
		funded::<T>(&who);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			key.clone(),
			value.clone(),
			proof,
			leaf_index,
			leaf_count,
		);

		assert_eq!(Pallet::<T>::disclosed_attribute(&who, &key), Some(value));
		Ok(())
	}

	/// A velocity entry whose windows are over, removed by a third party.
	#[benchmark]
	fn purge_velocity() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer)?;
		let from: T::AccountId = account("sender", 0, SEED);
		funded::<T>(&from);
		regulate::<T>(&issuer, &token)?;
		Compliance::<T>::record_velocity(&token, &from, units::<T>(AMOUNT))?;
		advance::<T>(WINDOW.saturating_mul(2));
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), token, lookup::<T>(&from));

		assert!(Velocity::<T>::get(token, &from).is_none());
		Ok(())
	}

	/// A void disclosure (its claim revoked), removed by a third party.
	#[benchmark]
	fn remove_attribute() -> Result<(), BenchmarkError> {
		let issuer = trusted_issuer::<T>(0)?;
		let who: T::AccountId = account("holder", 0, 0);
		let key = longest::<T::MaxAttributeLen>(b'k');
		let value = longest::<T::MaxAttributeLen>(b'v');
		let root = merkle_root::<BlakeTwo256, _>([(&key, &value).encode(), 1u32.encode()]);
		let proof =
			merkle_proof::<BlakeTwo256, _, _>([(&key, &value).encode(), 1u32.encode()], 0).proof;
		let proof: BoundedVec<[u8; 32], T::MaxProofDepth> =
			BoundedVec::truncate_from(proof.into_iter().map(|node| node.0).collect());
		attest::<T>(&issuer, &who, root.0)?;
		funded::<T>(&who);
		Pallet::<T>::do_disclose_attribute(who.clone(), key.clone(), value, proof, 0, 2)?;
		Pallet::<T>::do_revoke_claim(issuer, who.clone())?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(who.clone()), key.clone());

		assert!(!DisclosedAttributes::<T>::contains_key(&who, &key));
		Ok(())
	}

	/// Full jurisdiction lists (each code validated), every option set.
	#[benchmark]
	fn register_rule_set() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let id = NextRuleSetId::<T>::get();
		let rule_set = full_rule_set::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, rule_set.clone());

		assert_eq!(RuleSets::<T>::get(id), Some(rule_set));
		Ok(())
	}

	/// An empty rule set replaced by a full one.
	#[benchmark]
	fn update_rule_set() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let id = Compliance::<T>::do_register_rule_set(empty_rule_set::<T>())?;
		let rule_set = full_rule_set::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, rule_set.clone());

		assert_eq!(RuleSets::<T>::get(id), Some(rule_set));
		Ok(())
	}

	/// Every limit set (each validated).
	#[benchmark]
	fn set_token_rules() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin)?;
		let rule_set = Compliance::<T>::do_register_rule_set(full_rule_set::<T>())?;
		let rules = full_rules::<T>(rule_set);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token, rules);

		assert_eq!(TokenCompliance::<T>::get(token), Some(rules));
		Ok(())
	}

	#[benchmark]
	fn clear_token_rules() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin)?;
		regulate::<T>(&admin, &token)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token);

		assert!(!TokenCompliance::<T>::contains_key(token));
		Ok(())
	}

	#[benchmark]
	fn set_blocklisted() -> Result<(), BenchmarkError> {
		let origin =
			T::SanctionsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("sanctioned", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&who), Some(7));

		assert_eq!(Compliance::<T>::standing(&who).sanctioned, Some(7));
		Ok(())
	}

	#[benchmark]
	fn set_risk_oracle() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let oracle: T::AccountId = account("oracle", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lookup::<T>(&oracle), true);

		assert!(RiskOracles::<T>::contains_key(&oracle));
		Ok(())
	}

	/// A non-zero score (stored; zero removes).
	#[benchmark]
	fn set_risk_score() -> Result<(), BenchmarkError> {
		let oracle: T::AccountId = whitelisted_caller();
		Compliance::<T>::do_set_risk_oracle(oracle.clone(), true)?;
		let who: T::AccountId = account("scored", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(oracle), lookup::<T>(&who), 100);

		assert_eq!(Compliance::<T>::standing(&who).risk_score, 100);
		Ok(())
	}

	/// The held units move to an account new to the token, while `MaxOpenDistributions`
	/// distributions are open (both balances are recorded for each); the case leaves a full
	/// expiry bucket; the sender's hold ends.
	#[benchmark]
	fn approve_case() -> Result<(), BenchmarkError> {
		let Queue { token, officer, from, to, case, expires_at } = queue::<T>(true)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(officer), case);

		assert!(!ReviewCases::<T>::contains_key(case));
		assert_eq!(T::Assets::balance(token, &to), units::<T>(AMOUNT));
		assert_eq!(on_hold::<T>(&token, &from), units::<T>(0));
		let left = CaseExpiries::<T>::get(expires_at);
		assert!(left.len() as u32 == T::MaxCasesPerBlock::get() - 1 && !left.contains(&case));
		Ok(())
	}

	/// The held units return to the sender (its hold ends); the case leaves a full expiry bucket.
	#[benchmark]
	fn reject_case() -> Result<(), BenchmarkError> {
		let Queue { token, officer, from, case, expires_at, .. } = queue::<T>(false)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(officer), case, 3);

		assert!(!ReviewCases::<T>::contains_key(case));
		assert_eq!(on_hold::<T>(&token, &from), units::<T>(0));
		let left = CaseExpiries::<T>::get(expires_at);
		assert!(left.len() as u32 == T::MaxCasesPerBlock::get() - 1 && !left.contains(&case));
		Ok(())
	}

	/// The first hold on a sender with `MaxLockups` lock-ups (the ledger reads them to find the
	/// free balance), on a token with a velocity limit (the sender's window is updated), into an
	/// expiry bucket one short of full.
	#[benchmark]
	fn open_review() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer)?;
		let from: T::AccountId = account("sender", 0, SEED);
		let filler: T::AccountId = account("filler", 0, SEED);
		let to: T::AccountId = account("receiver", 0, SEED);
		for who in [&from, &filler, &to] {
			holder::<T>(&token, &issuer, who)?;
		}
		for _ in 0..<T as pallet_tokenization::Config>::MaxLockups::get() {
			mint::<T>(&token, &issuer, &from, units::<T>(PER_MINT))?;
		}
		let max = T::MaxCasesPerBlock::get();
		mint::<T>(
			&token,
			&issuer,
			&filler,
			units::<T>(AMOUNT.saturating_mul(max).saturating_mul(4)),
		)?;
		unlock_half::<T>();
		regulate::<T>(&issuer, &token)?;
		open_cases::<T>(&token, &filler, &to, max.saturating_sub(1))?;
		let case = NextCaseId::<T>::get();
		let expires_at = now::<T>().saturating_add(T::ReviewTimeout::get());
		let amount = units::<T>(AMOUNT);

		#[block]
		{
			Compliance::<T>::do_open_review(
				token,
				from.clone(),
				to.clone(),
				amount,
				HoldRule::ReviewThreshold,
			)?;
		}

		assert!(ReviewCases::<T>::get(case).is_some_and(|c| c.from == from && c.amount == amount));
		assert_eq!(CaseExpiries::<T>::get(expires_at).len() as u32, max);
		assert_eq!(on_hold::<T>(&token, &from), amount);
		assert_eq!(Velocity::<T>::get(token, &from).map(|w| w.count), Some(1));
		Ok(())
	}

	/// `n` cases time out in the block, each returning funds to a different sender (whose hold
	/// ends).
	#[benchmark]
	fn expire_cases(n: Linear<0, { T::MaxCasesPerBlock::get() }>) -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer)?;
		let to: T::AccountId = account("receiver", 0, SEED);
		holder::<T>(&token, &issuer, &to)?;
		let senders: Vec<T::AccountId> = (0..n).map(|i| account("sender", i, SEED)).collect();
		for from in &senders {
			holder::<T>(&token, &issuer, from)?;
			mint::<T>(&token, &issuer, from, units::<T>(PER_MINT))?;
		}
		unlock_half::<T>();
		for from in &senders {
			open_cases::<T>(&token, from, &to, 1)?;
		}
		let block = now::<T>().saturating_add(T::ReviewTimeout::get());
		assert_eq!(CaseExpiries::<T>::get(block).len() as u32, n);
		frame_system::Pallet::<T>::set_block_number(block);
		let closed;

		#[block]
		{
			closed = Compliance::<T>::expire_cases(block);
		}

		assert_eq!(closed, n);
		assert!(!CaseExpiries::<T>::contains_key(block));
		assert_eq!(ReviewCases::<T>::iter().count(), 0);
		assert!(senders.iter().all(|from| on_hold::<T>(&token, from) == units::<T>(0)));
		Ok(())
	}

	/// The risk engine on a transfer that passes every rule, then the velocity update, set up by
	/// [`worst_checked_transfer`].
	#[benchmark]
	fn check_transfer() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer)?;
		let from: T::AccountId = account("sender", 0, SEED);
		let to: T::AccountId = account("receiver", 0, SEED);
		let amount = worst_checked_transfer::<T>(&token, &issuer, &from, &to)?;
		let verdict;

		#[block]
		{
			verdict = Compliance::<T>::evaluate(
				&token,
				MoveKind::Transfer,
				Some(&from),
				Some(&to),
				amount,
				Some([0; 32]),
			);
			Compliance::<T>::record_velocity(&token, &from, amount)?;
		}

		assert_eq!(verdict, Ok(ComplianceVerdict::Allow));
		assert_eq!(Velocity::<T>::get(token, &from).map(|w| w.count), Some(1));
		Ok(())
	}

	/// A whole `tokenization.transfer_with_travel_rule` of a regulated token that records
	/// nothing (no open distribution, no lock-up on the sender), the check in its worst case
	/// ([`worst_checked_transfer`]), both parties allowlisted: what such a transfer is charged
	/// after dispatch (`TransferCompliance::checked_transfer_weight`). Reads that the transfer
	/// and the check share are counted once, as they are paid once.
	#[benchmark]
	fn checked_transfer() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = token_with::<T>(&issuer, None)?;
		let from: T::AccountId = whitelisted_caller();
		let to: T::AccountId = account("receiver", 0, SEED);
		let amount = worst_checked_transfer::<T>(&token, &issuer, &from, &to)?;
		assert!(pallet_tokenization::Lockups::<T>::get(token, &from).is_empty());
		assert!(pallet_tokenization::OpenDistributions::<T>::get(token).is_empty());
		let result;

		#[block]
		{
			result = Tokenization::<T>::transfer_with_travel_rule(
				signed::<T>(&from),
				token,
				lookup::<T>(&to),
				amount,
				[0; 32],
			);
		}

		assert!(result.is_ok());
		assert_eq!(T::Assets::balance(token, &to), amount);
		assert_eq!(Velocity::<T>::get(token, &from).map(|w| w.count), Some(1));
		Ok(())
	}

	impl_benchmark_test_suite!(Compliance, crate::mock::new_test_ext(), crate::mock::Test);
}
