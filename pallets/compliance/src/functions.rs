//! Claims, selective disclosure, rule sets, the blocklist and risk oracles.

use super::*;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_tokenization::{ManagedTokens as _, ReasonCode, Role};
use polkadot_sdk::{sp_core::H256, sp_runtime::traits::BlakeTwo256};

impl<T: Config> Pallet<T> {
	/// What the chain knows of `who` (all empty when nothing).
	pub fn standing(who: &T::AccountId) -> StandingOf<T> {
		Standings::<T>::get(who).unwrap_or_default()
	}

	/// Changes `who`'s standing with `f`; removes the record when nothing is left in it.
	fn mutate_standing(who: &T::AccountId, f: impl FnOnce(&mut StandingOf<T>)) {
		Standings::<T>::mutate_exists(who, |entry| {
			let mut standing = entry.take().unwrap_or_default();
			f(&mut standing);
			*entry = (!standing.is_empty()).then_some(standing);
		});
	}

	/// The claim on `who` if it counts now (see [`Self::counting_claim`]).
	pub fn valid_claim(who: &T::AccountId) -> Option<ClaimOf<T>> {
		Self::counting_claim(Standings::<T>::get(who)?.claim?)
	}

	/// `claim` if it counts now: not expired, and its issuer still trusted for its
	/// jurisdiction. Revoked claims are removed, so they are absent too.
	pub(crate) fn counting_claim(claim: ClaimOf<T>) -> Option<ClaimOf<T>> {
		if frame_system::Pallet::<T>::block_number() >= claim.facts.expires_at {
			return None;
		}
		let scope = TrustedIssuers::<T>::get(&claim.issuer)?;
		scope.contains(&claim.facts.jurisdiction).then_some(claim)
	}

	pub(crate) fn ensure_token_role(
		token: &TokenIdOf<T>,
		who: &T::AccountId,
		role: Role,
	) -> DispatchResult {
		ensure!(T::Tokens::is_managed(token), Error::<T>::UnknownToken);
		ensure!(T::Tokens::has_role(token, who, role), Error::<T>::MissingRole);
		Ok(())
	}

	fn ensure_jurisdictions(list: &[Jurisdiction]) -> DispatchResult {
		ensure!(list.iter().all(is_jurisdiction), Error::<T>::InvalidJurisdiction);
		Ok(())
	}

	// --- Issuers and claims ---

	pub(crate) fn do_add_trusted_issuer(
		issuer: T::AccountId,
		jurisdictions: BoundedVec<Jurisdiction, T::MaxJurisdictions>,
	) -> DispatchResult {
		Self::ensure_jurisdictions(&jurisdictions)?;
		TrustedIssuers::<T>::insert(&issuer, &jurisdictions);
		Self::deposit_event(Event::TrustedIssuerAdded { issuer, jurisdictions });
		Ok(())
	}

	pub(crate) fn do_remove_trusted_issuer(issuer: T::AccountId) -> DispatchResult {
		ensure!(TrustedIssuers::<T>::contains_key(&issuer), Error::<T>::NotTrustedIssuer);
		TrustedIssuers::<T>::remove(&issuer);
		Self::deposit_event(Event::TrustedIssuerRemoved { issuer });
		Ok(())
	}

	pub(crate) fn do_attest_claim(
		issuer: T::AccountId,
		who: T::AccountId,
		facts: ClaimInput<BlockNumberFor<T>>,
	) -> DispatchResult {
		ensure!(is_jurisdiction(&facts.jurisdiction), Error::<T>::InvalidJurisdiction);
		let scope = TrustedIssuers::<T>::get(&issuer).ok_or(Error::<T>::NotTrustedIssuer)?;
		ensure!(scope.contains(&facts.jurisdiction), Error::<T>::NotTrustedIssuer);
		ensure!(
			facts.expires_at > frame_system::Pallet::<T>::block_number(),
			Error::<T>::ClaimAlreadyExpired
		);
		let event = Event::ClaimAttested {
			who: who.clone(),
			issuer: issuer.clone(),
			tier: facts.tier,
			jurisdiction: facts.jurisdiction,
			expires_at: facts.expires_at,
		};
		Self::mutate_standing(&who, |standing| standing.claim = Some(Claim { issuer, facts }));
		Self::deposit_event(event);
		Ok(())
	}

	pub(crate) fn do_revoke_claim(issuer: T::AccountId, who: T::AccountId) -> DispatchResult {
		let claim = Self::standing(&who).claim.ok_or(Error::<T>::UnknownClaim)?;
		ensure!(claim.issuer == issuer, Error::<T>::UnknownClaim);
		Self::mutate_standing(&who, |standing| standing.claim = None);
		Self::deposit_event(Event::ClaimRevoked { who, issuer });
		Ok(())
	}

	/// Whether (`key`, `value`) is leaf `leaf_index` of `leaf_count` under `who`'s valid claim's
	/// commitment, by `proof`. For counterparties (runtime API) and `disclose_attribute`.
	pub fn verify_attribute(
		who: &T::AccountId,
		key: &[u8],
		value: &[u8],
		proof: &[[u8; 32]],
		leaf_index: u32,
		leaf_count: u32,
	) -> bool {
		let Some(claim) = Self::valid_claim(who) else { return false };
		if proof.len() > T::MaxProofDepth::get() as usize || leaf_index >= leaf_count {
			return false;
		}
		let leaf = (key, value).encode();
		polkadot_sdk::binary_merkle_tree::verify_proof::<BlakeTwo256, _, _>(
			&H256(claim.facts.commitment),
			proof.iter().map(|node| H256(*node)),
			leaf_count,
			leaf_index,
			&leaf,
		)
	}

	pub(crate) fn do_disclose_attribute(
		who: T::AccountId,
		key: AttributeOf<T>,
		value: AttributeOf<T>,
		proof: BoundedVec<[u8; 32], T::MaxProofDepth>,
		leaf_index: u32,
		leaf_count: u32,
	) -> DispatchResult {
		let claim = Self::valid_claim(&who).ok_or(Error::<T>::ClaimMissing)?;
		ensure!(
			Self::verify_attribute(&who, &key, &value, &proof, leaf_index, leaf_count),
			Error::<T>::InvalidProof
		);
		let mut disclosure = Disclosure {
			commitment: claim.facts.commitment,
			value: value.clone(),
			deposit: Deposit::none(who.clone()),
		};
		disclosure.deposit = Deposit::priced(
			who.clone(),
			(T::DepositBase::get(), T::DepositPerByte::get()),
			disclosure_bytes::<T>(&who, &key, &disclosure),
		);
		let reason =
			<T as pallet_tokenization::Config>::RuntimeHoldReason::from(HoldReason::StorageDeposit);
		let replaced = DisclosedAttributes::<T>::get(&who, &key);
		// A re-disclosure replaces the earlier one: its deposit returns first.
		if let Some(old) = &replaced {
			old.deposit.release::<T::Currency>(&reason)?;
		}
		disclosure
			.deposit
			.hold::<T::Currency>(&reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		let deposit = disclosure.deposit.amount;
		DisclosedAttributes::<T>::insert(&who, &key, disclosure);
		Self::deposit_event(Event::AttributeDisclosed { who, key, value, deposit });
		Ok(())
	}

	pub(crate) fn do_remove_attribute(
		caller: T::AccountId,
		who: T::AccountId,
		key: AttributeOf<T>,
	) -> DispatchResult {
		let disclosure =
			DisclosedAttributes::<T>::get(&who, &key).ok_or(Error::<T>::UnknownAttribute)?;
		let still_valid = Self::valid_claim(&who)
			.is_some_and(|claim| claim.facts.commitment == disclosure.commitment);
		ensure!(caller == who || !still_valid, Error::<T>::AttributeStillValid);

		let reason =
			<T as pallet_tokenization::Config>::RuntimeHoldReason::from(HoldReason::StorageDeposit);
		disclosure.deposit.release::<T::Currency>(&reason)?;
		DisclosedAttributes::<T>::remove(&who, &key);
		Self::deposit_event(Event::AttributeRemoved {
			who,
			key,
			deposit: disclosure.deposit.amount,
		});
		Ok(())
	}

	/// A disclosed attribute of `who`, if it was proven against the commitment of their claim
	/// that counts now (a revoked, expired or replaced claim voids it).
	pub fn disclosed_attribute(who: &T::AccountId, key: &AttributeOf<T>) -> Option<AttributeOf<T>> {
		let disclosure = DisclosedAttributes::<T>::get(who, key)?;
		let claim = Self::valid_claim(who)?;
		(claim.facts.commitment == disclosure.commitment).then_some(disclosure.value)
	}

	// --- Rules ---

	fn validate_rule_set(rule_set: &RuleSetOf<T>) -> DispatchResult {
		ensure!(is_jurisdiction(&rule_set.jurisdiction), Error::<T>::InvalidJurisdiction);
		Self::ensure_jurisdictions(&rule_set.allowed_jurisdictions)?;
		Self::ensure_jurisdictions(&rule_set.blocked_jurisdictions)?;
		// A score of 0 would hold or reject every movement: almost surely a mistake.
		ensure!(
			rule_set.review_risk_score != Some(0) && rule_set.reject_risk_score != Some(0),
			Error::<T>::InvalidLimits
		);
		Ok(())
	}

	pub(crate) fn do_register_rule_set(rule_set: RuleSetOf<T>) -> Result<RuleSetId, DispatchError> {
		Self::validate_rule_set(&rule_set)?;
		let id = NextRuleSetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::RuleSetIdOverflow)?;
		let jurisdiction = rule_set.jurisdiction;
		RuleSets::<T>::insert(id, rule_set);
		NextRuleSetId::<T>::put(next);
		Self::deposit_event(Event::RuleSetRegistered { rule_set: id, jurisdiction });
		Ok(id)
	}

	pub(crate) fn do_update_rule_set(id: RuleSetId, rule_set: RuleSetOf<T>) -> DispatchResult {
		ensure!(RuleSets::<T>::contains_key(id), Error::<T>::UnknownRuleSet);
		Self::validate_rule_set(&rule_set)?;
		RuleSets::<T>::insert(id, rule_set);
		Self::deposit_event(Event::RuleSetUpdated { rule_set: id });
		Ok(())
	}

	pub(crate) fn do_set_token_rules(
		admin: T::AccountId,
		token: TokenIdOf<T>,
		rules: TokenRulesOf<T>,
	) -> DispatchResult {
		Self::ensure_token_role(&token, &admin, Role::Admin)?;
		ensure!(RuleSets::<T>::contains_key(rules.rule_set), Error::<T>::UnknownRuleSet);
		let limits = &rules.limits;
		let zero = |v: Option<BalanceOf<T>>| v.is_some_and(|v| v.is_zero());
		ensure!(
			limits.max_holders != Some(0)
				&& !zero(limits.max_balance)
				&& !zero(limits.max_transfer)
				&& !zero(limits.review_threshold)
				&& limits.velocity.is_none_or(|v| {
					!v.window.is_zero() && !v.max_amount.is_zero() && v.max_count > 0
				}),
			Error::<T>::InvalidLimits
		);
		TokenCompliance::<T>::insert(&token, rules);
		Self::deposit_event(Event::TokenRulesSet { token, rules });
		Ok(())
	}

	pub(crate) fn do_clear_token_rules(admin: T::AccountId, token: TokenIdOf<T>) -> DispatchResult {
		Self::ensure_token_role(&token, &admin, Role::Admin)?;
		ensure!(TokenCompliance::<T>::contains_key(&token), Error::<T>::NotRegulated);
		TokenCompliance::<T>::remove(&token);
		Self::deposit_event(Event::TokenRulesCleared { token });
		Ok(())
	}

	// --- Blocklist and risk ---

	pub(crate) fn do_set_blocklisted(
		who: T::AccountId,
		reason: Option<ReasonCode>,
	) -> DispatchResult {
		Self::mutate_standing(&who, |standing| standing.sanctioned = reason);
		Self::deposit_event(Event::BlocklistChanged { who, reason });
		Ok(())
	}

	pub(crate) fn do_set_risk_oracle(oracle: T::AccountId, registered: bool) -> DispatchResult {
		if registered {
			RiskOracles::<T>::insert(&oracle, ());
		} else {
			RiskOracles::<T>::remove(&oracle);
		}
		Self::deposit_event(Event::RiskOracleChanged { oracle, registered });
		Ok(())
	}

	pub(crate) fn do_set_risk_score(
		oracle: T::AccountId,
		who: T::AccountId,
		score: RiskScore,
	) -> DispatchResult {
		ensure!(RiskOracles::<T>::contains_key(&oracle), Error::<T>::NotRiskOracle);
		Self::mutate_standing(&who, |standing| standing.risk_score = score);
		Self::deposit_event(Event::RiskScoreSet { who, score, oracle });
		Ok(())
	}
}

/// Bytes a disclosed attribute occupies in storage: its two `Blake2_128Concat` keys (holder and
/// attribute key) and its value.
pub(crate) fn disclosure_bytes<T: Config>(
	who: &T::AccountId,
	key: &AttributeOf<T>,
	disclosure: &DisclosureOf<T>,
) -> usize {
	32usize
		.saturating_add(who.encoded_size())
		.saturating_add(key.encoded_size())
		.saturating_add(disclosure.encoded_size())
}
