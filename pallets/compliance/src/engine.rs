//! The risk engine: every rule a movement of a regulated token must pass, evaluated in the block
//! of the movement. Implements the tokenization pallet's `TransferCompliance`.

use super::*;
use frame_support::{ensure, pallet_prelude::*, traits::fungibles::Inspect as _};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_tokenization::{ComplianceVerdict, DocumentHash, HolderCount as _, MoveKind};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{CheckedAdd, SaturatedConversion, Saturating, Zero},
	Rounding,
};

impl<T: Config> Pallet<T> {
	/// Checks what `requirement` and the rule set's jurisdiction lists ask of a party whose
	/// standing is `standing`.
	fn check_party(
		standing: &StandingOf<T>,
		requirement: &PartyRequirement,
		rule_set: &RuleSetOf<T>,
	) -> DispatchResult {
		ensure!(standing.sanctioned.is_none(), Error::<T>::Sanctioned);
		let needs_claim = requirement.claim_required
			|| requirement.min_tier > 0
			|| requirement.accredited_only
			|| requirement.sanctions_screened
			|| !rule_set.allowed_jurisdictions.is_empty()
			|| !rule_set.blocked_jurisdictions.is_empty();
		if !needs_claim {
			return Ok(());
		}
		let claim = standing
			.claim
			.clone()
			.and_then(Self::counting_claim)
			.ok_or(Error::<T>::ClaimMissing)?
			.facts;
		ensure!(claim.tier >= requirement.min_tier, Error::<T>::KycTierTooLow);
		ensure!(!requirement.accredited_only || claim.accredited, Error::<T>::NotAccredited);
		ensure!(
			!requirement.sanctions_screened || claim.sanctions_screened,
			Error::<T>::NotSanctionsScreened
		);
		ensure!(
			rule_set.allowed_jurisdictions.is_empty()
				|| rule_set.allowed_jurisdictions.contains(&claim.jurisdiction),
			Error::<T>::JurisdictionNotAllowed
		);
		ensure!(
			!rule_set.blocked_jurisdictions.contains(&claim.jurisdiction),
			Error::<T>::JurisdictionBlocked
		);
		Ok(())
	}

	/// `window` rolled forward to block `now`.
	fn rolled(
		mut window: VelocityWindow<BalanceOf<T>, BlockNumberFor<T>>,
		length: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
	) -> VelocityWindow<BalanceOf<T>, BlockNumberFor<T>> {
		let elapsed = now.saturating_sub(window.start);
		if elapsed >= length.saturating_add(length) {
			// Both windows are over.
			return VelocityWindow { start: now, deposit: window.deposit, ..Default::default() };
		}
		if elapsed >= length {
			window = VelocityWindow {
				start: window.start.saturating_add(length),
				amount: Zero::zero(),
				count: 0,
				previous_amount: window.amount,
				previous_count: window.count,
				deposit: window.deposit,
			};
		}
		window
	}

	/// The sender's rolling (amount, count) over the last `length` blocks, after rolling.
	fn rolling_usage(
		window: &VelocityWindow<BalanceOf<T>, BlockNumberFor<T>>,
		length: BlockNumberFor<T>,
		now: BlockNumberFor<T>,
	) -> (BalanceOf<T>, u32) {
		let into = now.saturating_sub(window.start);
		// The last `length` blocks (`now` included) reach `length - 1 - into` blocks back into
		// the previous window.
		let overlap: u128 = length.saturating_sub(into).saturated_into::<u128>().saturating_sub(1);
		let length: u128 = length.saturated_into();
		let previous_amount = multiply_by_rational_with_rounding(
			window.previous_amount.into(),
			overlap,
			length.max(1),
			Rounding::Up,
		)
		.and_then(|v| BalanceOf::<T>::try_from(v).ok())
		.unwrap_or(window.previous_amount);
		let previous_count = multiply_by_rational_with_rounding(
			window.previous_count.into(),
			overlap,
			length.max(1),
			Rounding::Up,
		)
		.map(|v| v.saturated_into::<u32>())
		.unwrap_or(window.previous_count);
		(window.amount.saturating_add(previous_amount), window.count.saturating_add(previous_count))
	}

	/// Every rule for a movement; `Err` names the rule that rejects it. Changes nothing.
	pub fn evaluate(
		token: &TokenIdOf<T>,
		kind: MoveKind,
		from: Option<&T::AccountId>,
		to: Option<&T::AccountId>,
		amount: BalanceOf<T>,
		travel_rule: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, DispatchError> {
		let Some(rules) = TokenCompliance::<T>::get(token) else {
			return Ok(ComplianceVerdict::Allow);
		};
		let rule_set = RuleSets::<T>::get(rules.rule_set).ok_or(Error::<T>::UnknownRuleSet)?;
		let limits = rules.limits;
		// Each party's standing is read once, for its claim, sanctions and risk score.
		let from_standing = from.map(Self::standing);
		let to_standing = to.map(Self::standing);
		if let Some(standing) = &from_standing {
			Self::check_party(standing, &rule_set.sender, &rule_set)?;
		}
		if let Some(standing) = &to_standing {
			Self::check_party(standing, &rule_set.receiver, &rule_set)?;
		}
		let score = from_standing
			.iter()
			.chain(to_standing.iter())
			.map(|standing| standing.risk_score)
			.max()
			.unwrap_or(0);
		ensure!(
			rule_set.reject_risk_score.is_none_or(|reject| score < reject),
			Error::<T>::RiskScoreTooHigh
		);

		// Holdings limits apply to fungible units arriving at an account.
		if let (Some(to), MoveKind::Transfer | MoveKind::Mint) = (to, kind) {
			let held = <T as pallet_tokenization::Config>::Assets::total_balance(token.clone(), to);
			if let Some(max) = limits.max_balance {
				let after = held.checked_add(&amount).ok_or(Error::<T>::MaxBalanceExceeded)?;
				ensure!(after <= max, Error::<T>::MaxBalanceExceeded);
			}
			if let Some(max) = limits.max_holders {
				ensure!(
					!held.is_zero() || T::HolderCount::holder_count(token) < max,
					Error::<T>::MaxHoldersReached
				);
			}
		}
		if kind != MoveKind::Transfer {
			return Ok(ComplianceVerdict::Allow);
		}

		ensure!(
			limits.max_transfer.is_none_or(|max| amount <= max),
			Error::<T>::TransferLimitExceeded
		);
		ensure!(
			travel_rule.is_some()
				|| rule_set.travel_rule_threshold.is_none_or(|threshold| amount < threshold),
			Error::<T>::TravelRuleDataMissing
		);
		if let (Some(velocity), Some(from)) = (limits.velocity, from) {
			let now = frame_system::Pallet::<T>::block_number();
			let window = Self::rolled(
				Velocity::<T>::get(token, from).unwrap_or_default(),
				velocity.window,
				now,
			);
			let (used, count) = Self::rolling_usage(&window, velocity.window, now);
			ensure!(
				used.saturating_add(amount) <= velocity.max_amount
					&& count.saturating_add(1) <= velocity.max_count,
				Error::<T>::VelocityLimitExceeded
			);
		}
		if rule_set.review_risk_score.is_some_and(|review| score >= review) {
			return Ok(ComplianceVerdict::Hold { rule: HoldRule::RiskScore.code() });
		}
		if limits.review_threshold.is_some_and(|threshold| amount >= threshold) {
			return Ok(ComplianceVerdict::Hold { rule: HoldRule::ReviewThreshold.code() });
		}
		Ok(ComplianceVerdict::Allow)
	}

	/// Adds a transfer to the sender's velocity window (only for tokens with a velocity limit).
	/// A new entry holds its storage deposit from the sender, until it is purged
	/// ([`Pallet::purge_velocity`]) after both its windows are over.
	pub(crate) fn record_velocity(
		token: &TokenIdOf<T>,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		let Some(velocity) = TokenCompliance::<T>::get(token).and_then(|r| r.limits.velocity)
		else {
			return Ok(());
		};
		let now = frame_system::Pallet::<T>::block_number();
		let mut window = match Velocity::<T>::get(token, from) {
			Some(window) => Self::rolled(window, velocity.window, now),
			None => {
				let deposit = Deposit::priced(
					from.clone(),
					(T::DepositBase::get(), T::DepositPerByte::get()),
					velocity_entry_bytes::<T>(token, from),
				);
				deposit
					.hold::<T::Currency>(&HoldReason::StorageDeposit.into())
					.map_err(|_| Error::<T>::CannotPayDeposit)?;
				// Rolled from the empty window, as the check reads an absent entry.
				let empty = VelocityWindow { deposit: deposit.amount, ..Default::default() };
				Self::rolled(empty, velocity.window, now)
			}
		};
		window.amount = window.amount.saturating_add(amount);
		window.count = window.count.saturating_add(1);
		Velocity::<T>::insert(token, from, window);
		Ok(())
	}

	pub(crate) fn do_purge_velocity(token: TokenIdOf<T>, who: T::AccountId) -> DispatchResult {
		let window = Velocity::<T>::get(&token, &who).ok_or(Error::<T>::UnknownVelocityEntry)?;
		// The entry still counts while the token has a limit and either window is not over.
		if let Some(velocity) = TokenCompliance::<T>::get(&token).and_then(|r| r.limits.velocity) {
			let now = frame_system::Pallet::<T>::block_number();
			let over =
				now.saturating_sub(window.start) >= velocity.window.saturating_add(velocity.window);
			ensure!(over, Error::<T>::VelocityWindowOpen);
		}

		Deposit { depositor: who.clone(), amount: window.deposit }
			.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		Velocity::<T>::remove(&token, &who);
		Self::deposit_event(Event::VelocityEntryRemoved { token, who, deposit: window.deposit });
		Ok(())
	}
}

impl<T: Config> pallet_tokenization::TransferCompliance<TokenIdOf<T>, T::AccountId, BalanceOf<T>>
	for Pallet<T>
{
	fn check(
		token: &TokenIdOf<T>,
		kind: MoveKind,
		from: Option<&T::AccountId>,
		to: Option<&T::AccountId>,
		amount: BalanceOf<T>,
		travel_rule: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, DispatchError> {
		Self::evaluate(token, kind, from, to, amount, travel_rule)
	}

	fn record_transfer(
		token: &TokenIdOf<T>,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::record_velocity(token, from, amount)
	}

	fn open_review(
		token: &TokenIdOf<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		rule: u8,
	) -> DispatchResult {
		let rule = HoldRule::from_code(rule).unwrap_or(HoldRule::ReviewThreshold);
		Self::do_open_review(token.clone(), from.clone(), to.clone(), amount, rule)
	}

	fn transfer_check_weight() -> Weight {
		<T as Config>::WeightInfo::check_transfer()
			.saturating_add(<T as Config>::WeightInfo::open_review())
	}

	fn checked_transfer_weight(token: &TokenIdOf<T>) -> Option<Weight> {
		TokenCompliance::<T>::contains_key(token).then(<T as Config>::WeightInfo::checked_transfer)
	}
}

/// Bytes a velocity entry occupies in storage: its two `Blake2_128Concat` keys (token, sender)
/// and the window.
pub(crate) fn velocity_entry_bytes<T: Config>(token: &TokenIdOf<T>, from: &T::AccountId) -> usize {
	use codec::{Encode, MaxEncodedLen};
	32usize
		.saturating_add(token.encoded_size())
		.saturating_add(from.encoded_size())
		.saturating_add(VelocityWindow::<BalanceOf<T>, BlockNumberFor<T>>::max_encoded_len())
}
