//! The logic behind the calls: templates, tokens, roles, supply, transfers, lock-ups, freezes,
//! stablecoin reserves and NFTs. Distributions and buybacks are in `distributions.rs`.

use super::*;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold as _,
		fungibles::{Create as _, Inspect as _, Mutate as _},
		tokens::{
			nonfungibles_v2::{Inspect as _, Mutate as _, Transfer as _},
			Fortitude, Precision, Preservation,
		},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{AccountIdConversion, CheckedAdd, One, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// This pallet's account: owner of every managed asset and collection.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Whether `asset` is a token managed by this pallet. The runtime's call filter refuses
	/// direct `pallet-assets` movements of managed tokens, so they move only through this pallet.
	pub fn is_managed_asset(asset: &T::TokenId) -> bool {
		Tokens::<T>::contains_key(asset)
	}

	/// Whether `collection` is a `pallet-nfts` collection managed by this pallet.
	pub fn is_managed_collection(collection: &T::CollectionId) -> bool {
		CollectionTokens::<T>::contains_key(collection)
	}

	pub(crate) fn token(token: &T::TokenId) -> Result<TokenDetailsOf<T>, DispatchError> {
		let details = Tokens::<T>::get(token).ok_or(Error::<T>::UnknownToken)?;
		ensure!(details.status == TokenStatus::Live, Error::<T>::TokenDestroying);
		Ok(details)
	}

	pub(crate) fn fungible_token(token: &T::TokenId) -> Result<TokenDetailsOf<T>, DispatchError> {
		let details = Self::token(token)?;
		ensure!(details.class != TokenClass::NftCollection, Error::<T>::WrongClass);
		Ok(details)
	}

	pub(crate) fn ensure_role(
		token: &T::TokenId,
		who: &T::AccountId,
		role: Role,
	) -> DispatchResult {
		ensure!(Roles::<T>::get(token, who).contains(role), Error::<T>::MissingRole);
		Ok(())
	}

	/// `who`'s standing with `token` (not allowlisted, not frozen when nothing is stored).
	pub fn account_state(token: &T::TokenId, who: &T::AccountId) -> AccountState {
		AccountStates::<T>::get(token, who).unwrap_or_default()
	}

	/// Changes `who`'s standing with `token` by `f`; removes the record when it is left default.
	fn mutate_account_state(
		token: &T::TokenId,
		who: &T::AccountId,
		f: impl FnOnce(&mut AccountState),
	) {
		AccountStates::<T>::mutate_exists(token, who, |entry| {
			let mut state = entry.take().unwrap_or_default();
			f(&mut state);
			*entry = (state != AccountState::default()).then_some(state);
		});
	}

	/// Whether an account in `state` may hold the token under its transfer policy.
	fn policy_admits(details: &TokenDetailsOf<T>, state: &AccountState) -> bool {
		match details.policy {
			TransferPolicy::Open => true,
			TransferPolicy::Allowlisted => state.allowlisted,
		}
	}

	/// Whether `who` may hold the token under its transfer policy.
	pub fn may_hold(token: &T::TokenId, details: &TokenDetailsOf<T>, who: &T::AccountId) -> bool {
		details.policy == TransferPolicy::Open
			|| Self::policy_admits(details, &Self::account_state(token, who))
	}

	/// The one gate every movement of a managed token passes (transfer, mint, burn, redeem,
	/// tender, NFT moves): the token is not paused, neither side is frozen, and both sides may
	/// hold the token. `from: None` is a mint, `to: None` a burn.
	pub fn ensure_can_move(
		token: &T::TokenId,
		details: &TokenDetailsOf<T>,
		from: Option<&T::AccountId>,
		to: Option<&T::AccountId>,
	) -> DispatchResult {
		ensure!(!details.paused, Error::<T>::TokenPaused);
		for who in [from, to].into_iter().flatten() {
			let state = Self::account_state(token, who);
			ensure!(state.frozen.is_none(), Error::<T>::AccountFrozen);
			ensure!(Self::policy_admits(details, &state), Error::<T>::NotAllowlisted);
		}
		Ok(())
	}

	/// The compliance checks of a movement other than a holder-to-holder transfer: only a
	/// rejection matters (such movements are never held for review).
	pub(crate) fn ensure_compliant(
		token: &T::TokenId,
		kind: MoveKind,
		from: Option<&T::AccountId>,
		to: Option<&T::AccountId>,
		amount: T::Balance,
	) -> DispatchResult {
		T::Compliance::check(token, kind, from, to, amount, None).map(|_| ())
	}

	/// What a transfer of `amount` from `from` to `to` would meet now: `Ok(Allow)`, `Ok(Hold)`
	/// or the error that refuses it. Changes nothing; for wallets' pre-checks.
	pub fn check_transfer(
		token: T::TokenId,
		from: T::AccountId,
		to: T::AccountId,
		amount: T::Balance,
		travel_rule: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, DispatchError> {
		let details = Self::fungible_token(&token)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(from != to, Error::<T>::SelfTransfer);
		Self::ensure_can_move(&token, &details, Some(&from), Some(&to))?;
		Self::ensure_transferable(&token, &from, amount)?;
		let verdict = T::Compliance::check(
			&token,
			MoveKind::Transfer,
			Some(&from),
			Some(&to),
			amount,
			travel_rule,
		)?;
		if verdict != ComplianceVerdict::Allow {
			// A hold must leave the account alive (the ledger keeps its minimum balance free).
			let holdable = T::Assets::reducible_balance(
				token.clone(),
				&from,
				Preservation::Preserve,
				Fortitude::Polite,
			);
			ensure!(holdable >= amount, Error::<T>::InsufficientTransferable);
		}
		Ok(verdict)
	}

	/// [`Self::do_transfer`] for the two transfer calls. An allowed transfer that records no
	/// balance for a distribution and reads no lock-up schedule is charged after dispatch
	/// [`WeightInfo::transfer_without_records`], or for a regulated token the compliance
	/// pallet's benchmark of the whole checked transfer; other transfers keep the worst case.
	pub(crate) fn do_transfer_with_refund(
		token: T::TokenId,
		from: T::AccountId,
		to: T::AccountId,
		amount: T::Balance,
		travel_rule: Option<DocumentHash>,
	) -> DispatchResultWithPostInfo {
		let records_nothing = OpenDistributions::<T>::decode_len(&token).unwrap_or(0) == 0
			&& Lockups::<T>::decode_len(&token, &from).unwrap_or(0) == 0;
		let verdict = Self::do_transfer(token.clone(), from, to, amount, travel_rule)?;
		// A held transfer, or one that recorded balances, keeps its worst-case charge.
		let used = (records_nothing && verdict == ComplianceVerdict::Allow).then(|| {
			T::Compliance::checked_transfer_weight(&token)
				.unwrap_or_else(T::WeightInfo::transfer_without_records)
		});
		Ok(used.into())
	}

	/// Units of `who` locked by lock-up schedules at the current block.
	pub fn locked_balance(token: &T::TokenId, who: &T::AccountId) -> T::Balance {
		let now = frame_system::Pallet::<T>::block_number();
		Lockups::<T>::get(token, who)
			.iter()
			.fold(Zero::zero(), |sum: T::Balance, s| sum.saturating_add(s.locked_at(now)))
	}

	/// What `who` can send now: the ledger's reducible balance (which subtracts lock-ups,
	/// freezes and the pause, see the `FrozenBalance` implementation).
	pub fn transferable_balance(token: &T::TokenId, who: &T::AccountId) -> T::Balance {
		T::Assets::reducible_balance(
			token.clone(),
			who,
			Preservation::Expendable,
			Fortitude::Polite,
		)
	}

	pub(crate) fn ensure_transferable(
		token: &T::TokenId,
		who: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		ensure!(
			Self::transferable_balance(token, who) >= amount,
			Error::<T>::InsufficientTransferable
		);
		Ok(())
	}

	// --- Templates ---

	fn validate_spec(spec: &TemplateSpecOf<T>) -> DispatchResult {
		ensure!(spec.issuer_roles.is_valid(), Error::<T>::InvalidTemplate);
		ensure!(spec.max_cap != Some(Zero::zero()), Error::<T>::InvalidTemplate);
		if spec.class == TokenClass::NftCollection {
			ensure!(
				spec.decimals == 0 && spec.default_lockup.is_none(),
				Error::<T>::InvalidTemplate
			);
		}
		if let Some(terms) = &spec.default_lockup {
			ensure!(Self::lockup_terms_valid(terms), Error::<T>::InvalidTemplate);
		}
		Ok(())
	}

	pub(crate) fn do_register_template(
		spec: TemplateSpecOf<T>,
	) -> Result<TemplateId, DispatchError> {
		Self::validate_spec(&spec)?;
		let id = NextTemplateId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::TemplateIdOverflow)?;
		Templates::<T>::insert(id, Template { spec: spec.clone(), live_tokens: 0 });
		NextTemplateId::<T>::put(next);
		Self::deposit_event(Event::TemplateRegistered { template: id, spec });
		Ok(id)
	}

	pub(crate) fn do_update_template(id: TemplateId, spec: TemplateSpecOf<T>) -> DispatchResult {
		let template = Templates::<T>::get(id).ok_or(Error::<T>::UnknownTemplate)?;
		ensure!(template.live_tokens == 0, Error::<T>::TemplateInUse);
		Self::validate_spec(&spec)?;
		Templates::<T>::insert(id, Template { spec: spec.clone(), live_tokens: 0 });
		Self::deposit_event(Event::TemplateUpdated { template: id, spec });
		Ok(())
	}

	pub(crate) fn do_retire_template(id: TemplateId) -> DispatchResult {
		let template = Templates::<T>::get(id).ok_or(Error::<T>::UnknownTemplate)?;
		ensure!(template.live_tokens == 0, Error::<T>::TemplateInUse);
		Templates::<T>::remove(id);
		Self::deposit_event(Event::TemplateRetired { template: id });
		Ok(())
	}

	// --- Tokens and roles ---

	pub(crate) fn do_create_token(
		issuer: T::AccountId,
		token: T::TokenId,
		template_id: TemplateId,
		name: BoundedVec<u8, T::StringLimit>,
		symbol: BoundedVec<u8, T::StringLimit>,
		cap: Option<T::Balance>,
		document_hash: DocumentHash,
	) -> DispatchResult {
		let mut template = Templates::<T>::get(template_id).ok_or(Error::<T>::UnknownTemplate)?;
		let spec = template.spec.clone();
		ensure!(
			!Tokens::<T>::contains_key(&token) && !T::Assets::asset_exists(token.clone()),
			Error::<T>::TokenIdInUse
		);
		ensure!(!name.is_empty() && !symbol.is_empty(), Error::<T>::BadMetadata);
		let cap = match (cap, spec.max_cap) {
			(None, limit) => limit,
			(Some(c), _) if c.is_zero() => return Err(Error::<T>::InvalidCap.into()),
			(Some(c), Some(limit)) if c > limit => return Err(Error::<T>::InvalidCap.into()),
			(Some(c), _) => Some(c),
		};
		template.live_tokens = template.live_tokens.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::TokenDeposit::get();

		// Checks done; from here on, state changes (reverted together if one fails).
		T::Currency::hold(&HoldReason::TokenDeposit.into(), &issuer, deposit)
			.map_err(|_| Error::<T>::InsufficientFunds)?;
		let owner = Self::account_id();
		let collection = if spec.class == TokenClass::NftCollection {
			let collection = T::Registry::create_collection(&owner)?;
			CollectionTokens::<T>::insert(collection, token.clone());
			Some(collection)
		} else {
			T::Assets::create(token.clone(), owner, false, One::one())?;
			T::Registry::set_metadata(
				token.clone(),
				name.to_vec(),
				symbol.to_vec(),
				spec.decimals,
			)?;
			None
		};
		Templates::<T>::insert(template_id, template);
		let roles = spec.issuer_roles.with(Role::Admin);
		Roles::<T>::insert(&token, &issuer, roles);
		Tokens::<T>::insert(
			&token,
			TokenDetails {
				class: spec.class,
				issuer: issuer.clone(),
				template: template_id,
				name,
				symbol,
				decimals: spec.decimals,
				cap,
				document_hash,
				policy: spec.policy,
				default_lockup: spec.default_lockup,
				paused: false,
				collection,
				items: 0,
				deposit,
				status: TokenStatus::Live,
				pending_redemptions: 0,
				open_buybacks: 0,
			},
		);
		Self::deposit_event(Event::TokenCreated {
			token: token.clone(),
			template: template_id,
			class: spec.class,
			issuer: issuer.clone(),
			cap,
			document_hash,
		});
		for role in [Role::Admin, Role::Minter, Role::Freezer, Role::Controller] {
			if roles.contains(role) {
				Self::deposit_event(Event::RoleGranted {
					token: token.clone(),
					who: issuer.clone(),
					role,
					by: issuer.clone(),
				});
			}
		}
		Ok(())
	}

	pub(crate) fn do_set_document(
		who: T::AccountId,
		token: T::TokenId,
		document_hash: DocumentHash,
	) -> DispatchResult {
		let mut details = Self::token(&token)?;
		Self::ensure_role(&token, &who, Role::Admin)?;
		details.document_hash = document_hash;
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(Event::DocumentUpdated { token, document_hash });
		Ok(())
	}

	pub(crate) fn do_set_role(
		admin: T::AccountId,
		token: T::TokenId,
		who: T::AccountId,
		role: Role,
		grant: bool,
	) -> DispatchResult {
		let details = Self::token(&token)?;
		Self::ensure_role(&token, &admin, Role::Admin)?;
		let roles = Roles::<T>::get(&token, &who);
		if grant {
			ensure!(!roles.contains(role), Error::<T>::RoleAlreadyHeld);
			Roles::<T>::insert(&token, &who, roles.with(role));
			Self::deposit_event(Event::RoleGranted { token, who, role, by: admin });
		} else {
			ensure!(roles.contains(role), Error::<T>::RoleNotHeld);
			ensure!(
				!(role == Role::Admin && who == details.issuer),
				Error::<T>::CannotRevokeIssuerAdmin
			);
			let rest = roles.without(role);
			if rest.is_empty() {
				Roles::<T>::remove(&token, &who);
			} else {
				Roles::<T>::insert(&token, &who, rest);
			}
			Self::deposit_event(Event::RoleRevoked { token, who, role, by: admin });
		}
		Ok(())
	}

	// --- Supply and transfers ---

	pub(crate) fn do_mint(
		minter: T::AccountId,
		token: T::TokenId,
		beneficiary: T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		let details = Self::fungible_token(&token)?;
		Self::ensure_power(&token, TokenPower::Mint)?;
		Self::ensure_role(&token, &minter, Role::Minter)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::ensure_can_move(&token, &details, None, Some(&beneficiary))?;
		Self::ensure_compliant(&token, MoveKind::Mint, None, Some(&beneficiary), amount)?;
		let supply = T::Assets::total_issuance(token.clone())
			.checked_add(&amount)
			.ok_or(Error::<T>::Overflow)?;
		if let Some(cap) = details.cap {
			ensure!(supply <= cap, Error::<T>::CapExceeded);
		}
		if details.class == TokenClass::Stablecoin {
			let reserves = Reserves::<T>::get(&token).ok_or(Error::<T>::InsufficientReserves)?;
			ensure!(
				!reserves.shortfall && supply <= reserves.amount,
				Error::<T>::InsufficientReserves
			);
		}
		let lockup = match details.default_lockup {
			Some(terms) => Some(Self::prepare_lockup(
				&token,
				&beneficiary,
				amount,
				terms,
				frame_system::Pallet::<T>::block_number(),
			)?),
			None => None,
		};

		Self::record_balances(&token, &[&beneficiary]);
		T::Assets::mint_into(token.clone(), &beneficiary, amount)?;
		Self::deposit_event(Event::Minted {
			token: token.clone(),
			to: beneficiary.clone(),
			amount,
		});
		if let Some((schedules, pruned)) = lockup {
			Self::store_lockups(token, beneficiary, schedules, pruned);
		}
		Ok(())
	}

	pub(crate) fn do_burn(
		minter: T::AccountId,
		token: T::TokenId,
		amount: T::Balance,
	) -> DispatchResult {
		let details = Self::fungible_token(&token)?;
		Self::ensure_role(&token, &minter, Role::Minter)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::ensure_can_move(&token, &details, Some(&minter), None)?;
		Self::ensure_transferable(&token, &minter, amount)?;
		Self::ensure_compliant(&token, MoveKind::Burn, Some(&minter), None, amount)?;
		Self::burn_units(&token, &minter, amount)?;
		Self::deposit_event(Event::Burned { token, from: minter, amount });
		Ok(())
	}

	/// Burns `amount` of `who`'s transferable units, recording balances for open distributions.
	pub(crate) fn burn_units(
		token: &T::TokenId,
		who: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		Self::record_balances(token, &[who]);
		T::Assets::burn_from(
			token.clone(),
			who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Ok(())
	}

	pub(crate) fn do_transfer(
		token: T::TokenId,
		from: T::AccountId,
		to: T::AccountId,
		amount: T::Balance,
		travel_rule: Option<DocumentHash>,
	) -> Result<ComplianceVerdict, DispatchError> {
		let verdict =
			Self::check_transfer(token.clone(), from.clone(), to.clone(), amount, travel_rule)?;
		if let ComplianceVerdict::Hold { rule } = verdict {
			// The funds stay with the sender, on hold, until the review case is decided.
			T::Compliance::open_review(&token, &from, &to, amount, rule)?;
			return Ok(verdict);
		}
		T::Compliance::record_transfer(&token, &from, amount)?;
		Self::record_balances(&token, &[&from, &to]);
		T::Assets::transfer(token.clone(), &from, &to, amount, Preservation::Expendable)?;
		Self::deposit_event(Event::Transferred { token, from, to, amount });
		Ok(verdict)
	}

	/// Whether another pallet may move `amount` of `token` from `from` to `to` now (a payment
	/// channel opening or settling): the transfer gate and the compliance rules must allow it
	/// (a hold for review refuses it). Changes nothing.
	pub fn check_external_transfer(
		token: &T::TokenId,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		let details = Self::fungible_token(token)?;
		Self::ensure_can_move(token, &details, Some(from), Some(to))?;
		match T::Compliance::check(token, MoveKind::Transfer, Some(from), Some(to), amount, None)? {
			ComplianceVerdict::Allow => Ok(()),
			ComplianceVerdict::Hold { .. } => Err(Error::<T>::ReviewRequired.into()),
		}
	}

	/// [`Self::check_external_transfer`], then what the token's books need before another
	/// pallet moves the units itself: the velocity window and the balances of open
	/// distributions.
	pub fn prepare_external_transfer(
		token: &T::TokenId,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: T::Balance,
	) -> DispatchResult {
		Self::check_external_transfer(token, from, to, amount)?;
		T::Compliance::record_transfer(token, from, amount)?;
		Self::record_balances(token, &[from, to]);
		Ok(())
	}

	pub(crate) fn do_set_allowlisted(
		by: T::AccountId,
		token: T::TokenId,
		who: T::AccountId,
		allowed: bool,
	) -> DispatchResult {
		Self::token(&token)?;
		let roles = Roles::<T>::get(&token, &by);
		ensure!(
			roles.contains(Role::Admin) || roles.contains(Role::Controller),
			Error::<T>::MissingRole
		);
		Self::mutate_account_state(&token, &who, |state| state.allowlisted = allowed);
		Self::deposit_event(Event::AllowlistChanged { token, who, allowed });
		Ok(())
	}

	// --- Lock-ups ---

	pub(crate) fn lockup_terms_valid(terms: &LockupTerms<BlockNumberFor<T>>) -> bool {
		!terms.duration.is_zero() && terms.cliff <= terms.duration
	}

	/// The holder's schedules with a new one of `amount` from `start` appended (fully unlocked
	/// ones dropped first), and how many were dropped. Changes nothing.
	fn prepare_lockup(
		token: &T::TokenId,
		holder: &T::AccountId,
		amount: T::Balance,
		terms: LockupTerms<BlockNumberFor<T>>,
		start: BlockNumberFor<T>,
	) -> Result<(BoundedVec<LockupScheduleOf<T>, T::MaxLockups>, u32), DispatchError> {
		ensure!(Self::lockup_terms_valid(&terms), Error::<T>::InvalidLockup);
		let now = frame_system::Pallet::<T>::block_number();
		let schedule = LockupSchedule { total: amount, start, terms };
		ensure!(!schedule.is_expired_at(now), Error::<T>::LockupExpired);
		let mut schedules = Lockups::<T>::get(token, holder);
		let before = schedules.len();
		schedules.retain(|s| !s.is_expired_at(now));
		let pruned = before.saturating_sub(schedules.len()) as u32;
		schedules.try_push(schedule).map_err(|_| Error::<T>::TooManyLockups)?;
		Ok((schedules, pruned))
	}

	fn store_lockups(
		token: T::TokenId,
		holder: T::AccountId,
		schedules: BoundedVec<LockupScheduleOf<T>, T::MaxLockups>,
		pruned: u32,
	) {
		let added = schedules.last().copied();
		Lockups::<T>::insert(&token, &holder, schedules);
		if pruned > 0 {
			Self::deposit_event(Event::LockupsPruned {
				token: token.clone(),
				holder: holder.clone(),
				removed: pruned,
			});
		}
		if let Some(schedule) = added {
			Self::deposit_event(Event::LockupAdded { token, holder, schedule });
		}
	}

	pub(crate) fn do_add_lockup(
		admin: T::AccountId,
		token: T::TokenId,
		holder: T::AccountId,
		amount: T::Balance,
		terms: LockupTerms<BlockNumberFor<T>>,
		start: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		Self::fungible_token(&token)?;
		// Locking units a holder already has freezes them.
		Self::ensure_power(&token, TokenPower::Freeze)?;
		Self::ensure_role(&token, &admin, Role::Admin)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let start = start.unwrap_or_else(frame_system::Pallet::<T>::block_number);
		// Units on hold (a transfer under review) are not the holder's to lock.
		let unlocked = T::Assets::balance(token.clone(), &holder)
			.saturating_sub(Self::locked_balance(&token, &holder));
		ensure!(amount <= unlocked, Error::<T>::LockupExceedsBalance);
		let (schedules, pruned) = Self::prepare_lockup(&token, &holder, amount, terms, start)?;
		Self::store_lockups(token, holder, schedules, pruned);
		Ok(())
	}

	pub(crate) fn do_release_lockups(
		controller: T::AccountId,
		token: T::TokenId,
		holder: T::AccountId,
		reason: ReasonCode,
	) -> DispatchResult {
		Self::fungible_token(&token)?;
		Self::ensure_role(&token, &controller, Role::Controller)?;
		ensure!(Lockups::<T>::contains_key(&token, &holder), Error::<T>::NoLockups);
		Lockups::<T>::remove(&token, &holder);
		Self::deposit_event(Event::LockupsReleased { token, holder, reason });
		Ok(())
	}

	pub(crate) fn do_prune_lockups(token: T::TokenId, holder: T::AccountId) -> DispatchResult {
		Self::fungible_token(&token)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut schedules = Lockups::<T>::get(&token, &holder);
		let before = schedules.len();
		schedules.retain(|s| !s.is_expired_at(now));
		let removed = before.saturating_sub(schedules.len()) as u32;
		ensure!(removed > 0, Error::<T>::NoLockups);
		if schedules.is_empty() {
			Lockups::<T>::remove(&token, &holder);
		} else {
			Lockups::<T>::insert(&token, &holder, schedules);
		}
		Self::deposit_event(Event::LockupsPruned { token, holder, removed });
		Ok(())
	}

	// --- Freeze, pause, clawback ---

	pub(crate) fn do_freeze_account(
		freezer: T::AccountId,
		token: T::TokenId,
		who: T::AccountId,
		reason: ReasonCode,
	) -> DispatchResult {
		Self::token(&token)?;
		Self::ensure_power(&token, TokenPower::Freeze)?;
		Self::ensure_role(&token, &freezer, Role::Freezer)?;
		ensure!(Self::account_state(&token, &who).frozen.is_none(), Error::<T>::AccountFrozen);
		Self::mutate_account_state(&token, &who, |state| state.frozen = Some(reason));
		Self::deposit_event(Event::AccountFrozen { token, who, reason });
		Ok(())
	}

	pub(crate) fn do_thaw_account(
		freezer: T::AccountId,
		token: T::TokenId,
		who: T::AccountId,
		reason: ReasonCode,
	) -> DispatchResult {
		Self::token(&token)?;
		Self::ensure_role(&token, &freezer, Role::Freezer)?;
		ensure!(Self::account_state(&token, &who).frozen.is_some(), Error::<T>::AccountNotFrozen);
		Self::mutate_account_state(&token, &who, |state| state.frozen = None);
		Self::deposit_event(Event::AccountThawed { token, who, reason });
		Ok(())
	}

	pub(crate) fn do_set_paused(
		freezer: T::AccountId,
		token: T::TokenId,
		paused: bool,
		reason: ReasonCode,
	) -> DispatchResult {
		let mut details = Self::token(&token)?;
		// Unpausing stays allowed once freezing is renounced: nothing is left stuck.
		if paused {
			Self::ensure_power(&token, TokenPower::Freeze)?;
		}
		Self::ensure_role(&token, &freezer, Role::Freezer)?;
		if paused {
			ensure!(!details.paused, Error::<T>::TokenPaused);
		} else {
			ensure!(details.paused, Error::<T>::TokenNotPaused);
		}
		details.paused = paused;
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(if paused {
			Event::TokenPaused { token, reason }
		} else {
			Event::TokenUnpaused { token, reason }
		});
		Ok(())
	}

	pub(crate) fn do_force_transfer(
		controller: T::AccountId,
		token: T::TokenId,
		from: T::AccountId,
		to: T::AccountId,
		amount: T::Balance,
		reason: ReasonCode,
	) -> DispatchResult {
		let details = Self::fungible_token(&token)?;
		Self::ensure_power(&token, TokenPower::Clawback)?;
		Self::ensure_role(&token, &controller, Role::Controller)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(from != to, Error::<T>::SelfTransfer);
		ensure!(Self::may_hold(&token, &details, &to), Error::<T>::NotAllowlisted);
		let balance = T::Assets::balance(token.clone(), &from);
		ensure!(balance >= amount, Error::<T>::InsufficientBalance);

		// Unlocked units go first; locked units taken shrink the schedules by as much.
		let unlocked = balance.saturating_sub(Self::locked_balance(&token, &from));
		let mut from_locked = amount.saturating_sub(unlocked);
		if !from_locked.is_zero() {
			let now = frame_system::Pallet::<T>::block_number();
			let mut schedules = Lockups::<T>::get(&token, &from);
			for schedule in schedules.iter_mut() {
				let cut = schedule.reduce_locked_at(now, from_locked);
				from_locked = from_locked.saturating_sub(cut);
			}
			schedules.retain(|s| !s.total.is_zero());
			if schedules.is_empty() {
				Lockups::<T>::remove(&token, &from);
			} else {
				Lockups::<T>::insert(&token, &from, schedules);
			}
		}

		Self::record_balances(&token, &[&from, &to]);
		ForcedDebit::<T>::put((token.clone(), from.clone()));
		let moved =
			T::Assets::transfer(token.clone(), &from, &to, amount, Preservation::Expendable);
		ForcedDebit::<T>::kill();
		moved?;
		Self::deposit_event(Event::ForcedTransfer { token, from, to, amount, reason, controller });
		Ok(())
	}

	// --- Stablecoin reserves and redemptions ---

	pub(crate) fn do_set_reserve_attestor(
		token: T::TokenId,
		attestor: Option<T::AccountId>,
	) -> DispatchResult {
		let details = Self::token(&token)?;
		ensure!(details.class == TokenClass::Stablecoin, Error::<T>::WrongClass);
		match &attestor {
			Some(who) => ReserveAttestors::<T>::insert(&token, who),
			None => ReserveAttestors::<T>::remove(&token),
		}
		Self::deposit_event(Event::ReserveAttestorSet { token, attestor });
		Ok(())
	}

	pub(crate) fn do_attest_reserves(
		attestor: T::AccountId,
		token: T::TokenId,
		amount: T::Balance,
		report_hash: DocumentHash,
	) -> DispatchResult {
		let details = Self::token(&token)?;
		ensure!(details.class == TokenClass::Stablecoin, Error::<T>::WrongClass);
		ensure!(
			ReserveAttestors::<T>::get(&token).as_ref() == Some(&attestor),
			Error::<T>::NotAttestor
		);
		let supply = T::Assets::total_issuance(token.clone());
		let shortfall = amount < supply;
		Reserves::<T>::insert(
			&token,
			ReserveAttestation {
				amount,
				report_hash,
				attested_at: frame_system::Pallet::<T>::block_number(),
				shortfall,
			},
		);
		Self::deposit_event(Event::ReservesAttested {
			token: token.clone(),
			amount,
			report_hash,
			supply,
		});
		if shortfall {
			Self::deposit_event(Event::ReserveShortfall { token, reserves: amount, supply });
		}
		Ok(())
	}

	/// The storage deposit `depositor` owes for an item of `bytes` bytes, checked payable.
	pub fn storage_deposit(
		depositor: T::AccountId,
		bytes: usize,
	) -> Result<DepositOf<T>, DispatchError> {
		let deposit =
			Deposit::priced(depositor, (T::DepositBase::get(), T::DepositPerByte::get()), bytes);
		deposit
			.ensure_can_hold::<T::Currency>(&HoldReason::StorageDeposit.into())
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		Ok(deposit)
	}

	pub(crate) fn do_redeem(
		holder: T::AccountId,
		token: T::TokenId,
		amount: T::Balance,
	) -> DispatchResult {
		let mut details = Self::token(&token)?;
		ensure!(details.class == TokenClass::Stablecoin, Error::<T>::WrongClass);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::ensure_can_move(&token, &details, Some(&holder), None)?;
		Self::ensure_transferable(&token, &holder, amount)?;
		Self::ensure_compliant(&token, MoveKind::Burn, Some(&holder), None, amount)?;
		let id = NextRedemptionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		details.pending_redemptions =
			details.pending_redemptions.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let mut redemption = Redemption {
			token: token.clone(),
			holder: holder.clone(),
			amount,
			requested_at: frame_system::Pallet::<T>::block_number(),
			deposit: Deposit::none(holder.clone()),
		};
		// Key: a `Twox64Concat` hash and the id.
		let bytes = 8usize.saturating_add(8).saturating_add(redemption.encoded_size());
		redemption.deposit = Self::storage_deposit(holder.clone(), bytes)?;

		Self::burn_units(&token, &holder, amount)?;
		redemption.deposit.hold::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		let deposit = redemption.deposit.amount;
		Redemptions::<T>::insert(id, redemption);
		NextRedemptionId::<T>::put(next);
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(Event::RedemptionRequested {
			redemption: id,
			token,
			holder,
			amount,
			deposit,
		});
		Ok(())
	}

	pub(crate) fn do_confirm_redemption(
		admin: T::AccountId,
		id: RedemptionId,
		payment_reference: DocumentHash,
	) -> DispatchResult {
		let redemption = Redemptions::<T>::get(id).ok_or(Error::<T>::UnknownRedemption)?;
		Self::ensure_role(&redemption.token, &admin, Role::Admin)?;
		redemption.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		Redemptions::<T>::remove(id);
		Tokens::<T>::mutate(&redemption.token, |details| {
			if let Some(details) = details {
				details.pending_redemptions = details.pending_redemptions.saturating_sub(1);
			}
		});
		Self::deposit_event(Event::RedemptionPaid { redemption: id, payment_reference });
		Ok(())
	}

	// --- NFTs ---

	fn nft_token(
		token: &T::TokenId,
	) -> Result<(TokenDetailsOf<T>, T::CollectionId), DispatchError> {
		let details = Self::token(token)?;
		let collection = details.collection.ok_or(Error::<T>::WrongClass)?;
		Ok((details, collection))
	}

	fn item_owner(
		collection: &T::CollectionId,
		item: &T::ItemId,
	) -> Result<T::AccountId, DispatchError> {
		T::Nfts::owner(collection, item).ok_or_else(|| Error::<T>::UnknownItem.into())
	}

	/// Moves an item whose transfers `pallet-nfts` keeps disabled: enable, move, disable again.
	fn move_item(
		collection: &T::CollectionId,
		item: &T::ItemId,
		dest: &T::AccountId,
	) -> DispatchResult {
		T::Nfts::enable_transfer(collection, item)?;
		T::Nfts::transfer(collection, item, dest)?;
		T::Nfts::disable_transfer(collection, item)
	}

	pub(crate) fn do_mint_nft(
		minter: T::AccountId,
		token: T::TokenId,
		item: T::ItemId,
		owner: T::AccountId,
		metadata: ItemMetadataOf<T>,
	) -> DispatchResult {
		let (mut details, collection) = Self::nft_token(&token)?;
		Self::ensure_power(&token, TokenPower::Mint)?;
		Self::ensure_role(&token, &minter, Role::Minter)?;
		Self::ensure_can_move(&token, &details, None, Some(&owner))?;
		Self::ensure_compliant(&token, MoveKind::Mint, None, Some(&owner), One::one())?;
		let items = details.items.checked_add(1).ok_or(Error::<T>::Overflow)?;
		if let Some(cap) = details.cap {
			ensure!(T::Balance::from(items) <= cap, Error::<T>::CapExceeded);
		}
		ensure!(T::Nfts::owner(&collection, &item).is_none(), Error::<T>::ItemExists);
		let deposit = Self::storage_deposit(minter.clone(), nft_item_bytes::<T>(&item, &metadata))?;

		T::Nfts::mint_into(&collection, &item, &owner, &T::ItemConfig::default(), true)?;
		deposit.hold::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		let deposit_amount = deposit.amount;
		ItemDeposits::<T>::insert(&token, &item, deposit);
		if !metadata.is_empty() {
			T::Nfts::set_item_metadata(None, &collection, &item, &metadata)?;
		}
		T::Nfts::disable_transfer(&collection, &item)?;
		details.items = items;
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(Event::NftMinted { token, item, owner, deposit: deposit_amount });
		Ok(())
	}

	pub(crate) fn do_transfer_nft(
		owner: T::AccountId,
		token: T::TokenId,
		item: T::ItemId,
		dest: T::AccountId,
	) -> DispatchResult {
		let (details, collection) = Self::nft_token(&token)?;
		ensure!(Self::item_owner(&collection, &item)? == owner, Error::<T>::NotItemOwner);
		ensure!(!EscrowedItems::<T>::contains_key(&token, &item), Error::<T>::ItemEscrowed);
		ensure!(owner != dest, Error::<T>::SelfTransfer);
		Self::ensure_can_move(&token, &details, Some(&owner), Some(&dest))?;
		Self::ensure_compliant(
			&token,
			MoveKind::NftTransfer,
			Some(&owner),
			Some(&dest),
			One::one(),
		)?;
		Self::move_item(&collection, &item, &dest)?;
		Self::deposit_event(Event::NftTransferred { token, item, from: owner, to: dest });
		Ok(())
	}

	pub(crate) fn do_burn_nft(
		owner: T::AccountId,
		token: T::TokenId,
		item: T::ItemId,
	) -> DispatchResult {
		let (mut details, collection) = Self::nft_token(&token)?;
		ensure!(Self::item_owner(&collection, &item)? == owner, Error::<T>::NotItemOwner);
		ensure!(!EscrowedItems::<T>::contains_key(&token, &item), Error::<T>::ItemEscrowed);
		Self::ensure_can_move(&token, &details, Some(&owner), None)?;
		Self::ensure_compliant(&token, MoveKind::Burn, Some(&owner), None, One::one())?;
		// `pallet-nfts` refuses to burn an item whose transfers are disabled (as all of ours are).
		T::Nfts::enable_transfer(&collection, &item)?;
		T::Nfts::burn(&collection, &item, Some(&owner))?;
		if let Some(deposit) = ItemDeposits::<T>::take(&token, &item) {
			deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		}
		details.items = details.items.saturating_sub(1);
		Tokens::<T>::insert(&token, details);
		Self::deposit_event(Event::NftBurned { token, item, owner });
		Ok(())
	}

	pub(crate) fn do_force_transfer_nft(
		controller: T::AccountId,
		token: T::TokenId,
		item: T::ItemId,
		dest: T::AccountId,
		reason: ReasonCode,
	) -> DispatchResult {
		let (details, collection) = Self::nft_token(&token)?;
		Self::ensure_power(&token, TokenPower::Clawback)?;
		Self::ensure_role(&token, &controller, Role::Controller)?;
		let from = Self::item_owner(&collection, &item)?;
		ensure!(from != dest, Error::<T>::SelfTransfer);
		ensure!(Self::may_hold(&token, &details, &dest), Error::<T>::NotAllowlisted);
		Self::move_item(&collection, &item, &dest)?;
		// The controller's order overrides a pending movement: the escrow ends, and the
		// movement (a settlement leg) can no longer settle.
		if let Some(owner) = EscrowedItems::<T>::take(&token, &item) {
			Self::deposit_event(Event::NftEscrowReleased { token: token.clone(), item, owner });
		}
		Self::deposit_event(Event::NftForcedTransfer {
			token,
			item,
			from,
			to: dest,
			reason,
			controller,
		});
		Ok(())
	}

	// --- NFT escrow (for other pallets: settlement legs) ---

	/// Whether `owner` may put NFT `item` of `token` in escrow now: it owns the item, the item
	/// is not in escrow already, and the token lets the owner move it. Changes nothing.
	pub fn check_escrow_nft(
		token: &T::TokenId,
		item: &T::ItemId,
		owner: &T::AccountId,
	) -> DispatchResult {
		let (details, collection) = Self::nft_token(token)?;
		ensure!(&Self::item_owner(&collection, item)? == owner, Error::<T>::NotItemOwner);
		ensure!(!EscrowedItems::<T>::contains_key(token, item), Error::<T>::ItemEscrowed);
		Self::ensure_can_move(token, &details, Some(owner), None)
	}

	/// Puts `owner`'s NFT in escrow: until released, it moves only through
	/// [`Self::transfer_escrowed_nft`] (its owner can neither transfer nor burn it).
	pub fn escrow_nft(
		token: &T::TokenId,
		item: &T::ItemId,
		owner: &T::AccountId,
	) -> DispatchResult {
		Self::check_escrow_nft(token, item, owner)?;
		EscrowedItems::<T>::insert(token, item, owner);
		Self::deposit_event(Event::NftEscrowed {
			token: token.clone(),
			item: item.clone(),
			owner: owner.clone(),
		});
		Ok(())
	}

	/// Ends `owner`'s escrow of the NFT, if it is in escrow for `owner`; returns whether it was.
	pub fn release_escrowed_nft(
		token: &T::TokenId,
		item: &T::ItemId,
		owner: &T::AccountId,
	) -> bool {
		if EscrowedItems::<T>::get(token, item).as_ref() != Some(owner) {
			return false;
		}
		EscrowedItems::<T>::remove(token, item);
		Self::deposit_event(Event::NftEscrowReleased {
			token: token.clone(),
			item: item.clone(),
			owner: owner.clone(),
		});
		true
	}

	/// Whether NFT `item` of collection token `token` exists.
	pub fn nft_exists(token: &T::TokenId, item: &T::ItemId) -> bool {
		Self::nft_token(token)
			.is_ok_and(|(_, collection)| T::Nfts::owner(&collection, item).is_some())
	}

	/// The owner the NFT is in escrow for, if any.
	pub fn nft_escrowed_by(token: &T::TokenId, item: &T::ItemId) -> Option<T::AccountId> {
		EscrowedItems::<T>::get(token, item)
	}

	/// Whether the NFT may move from `from` (its owner) to `to` now, escrow aside: the token's
	/// transfer gate and compliance rules (a hold for review refuses it). Changes nothing.
	pub fn check_nft_transfer(
		token: &T::TokenId,
		item: &T::ItemId,
		from: &T::AccountId,
		to: &T::AccountId,
	) -> DispatchResult {
		let (details, collection) = Self::nft_token(token)?;
		ensure!(&Self::item_owner(&collection, item)? == from, Error::<T>::NotItemOwner);
		ensure!(from != to, Error::<T>::SelfTransfer);
		Self::ensure_can_move(token, &details, Some(from), Some(to))?;
		match T::Compliance::check(
			token,
			MoveKind::NftTransfer,
			Some(from),
			Some(to),
			One::one(),
			None,
		)? {
			ComplianceVerdict::Allow => Ok(()),
			ComplianceVerdict::Hold { .. } => Err(Error::<T>::ReviewRequired.into()),
		}
	}

	/// Moves an NFT that `from` put in escrow to `to`, through the token's rules; the escrow
	/// ends with it.
	pub fn transfer_escrowed_nft(
		token: &T::TokenId,
		item: &T::ItemId,
		from: &T::AccountId,
		to: &T::AccountId,
	) -> DispatchResult {
		ensure!(
			EscrowedItems::<T>::get(token, item).as_ref() == Some(from),
			Error::<T>::ItemNotEscrowed
		);
		Self::check_nft_transfer(token, item, from, to)?;
		let (_, collection) = Self::nft_token(token)?;
		Self::move_item(&collection, item, to)?;
		EscrowedItems::<T>::remove(token, item);
		Self::deposit_event(Event::NftTransferred {
			token: token.clone(),
			item: item.clone(),
			from: from.clone(),
			to: to.clone(),
		});
		Ok(())
	}

	// --- Reading (runtime API) ---

	/// A holder's total, locked and transferable balance.
	pub fn holder_balance(
		token: T::TokenId,
		who: T::AccountId,
	) -> Option<HolderBalance<T::Balance>> {
		let details = Self::fungible_token(&token).ok()?;
		let frozen = Self::account_state(&token, &who).frozen.is_some();
		let transferable = if details.paused || frozen {
			Zero::zero()
		} else {
			Self::transferable_balance(&token, &who)
		};
		Some(HolderBalance {
			total: T::Assets::total_balance(token.clone(), &who),
			locked: Self::locked_balance(&token, &who),
			transferable,
			frozen,
		})
	}

	/// A token's class, issuer, cap, supply, policy and reserves.
	pub fn token_info(token: T::TokenId) -> Option<TokenInfo<T::AccountId, T::Balance>> {
		let details = Tokens::<T>::get(&token)?;
		let supply = match details.class {
			TokenClass::NftCollection => T::Balance::from(details.items),
			_ => T::Assets::total_issuance(token.clone()),
		};
		Some(TokenInfo {
			class: details.class,
			issuer: details.issuer,
			template: details.template,
			name: details.name.into_inner(),
			symbol: details.symbol.into_inner(),
			decimals: details.decimals,
			cap: details.cap,
			supply,
			policy: details.policy,
			paused: details.paused,
			document_hash: details.document_hash,
			reserves: Reserves::<T>::get(&token).map(|r| r.amount),
		})
	}

	/// The roles `who` holds on `token`.
	pub fn roles_of(token: T::TokenId, who: T::AccountId) -> RoleSet {
		Roles::<T>::get(token, who)
	}
}

impl<T: Config> ManagedTokens<T::TokenId, T::AccountId> for Pallet<T> {
	fn is_managed(token: &T::TokenId) -> bool {
		Self::is_managed_asset(token)
	}

	fn has_role(token: &T::TokenId, who: &T::AccountId, role: Role) -> bool {
		Roles::<T>::get(token, who).contains(role)
	}

	fn ensure_can_move(
		token: &T::TokenId,
		from: Option<&T::AccountId>,
		to: Option<&T::AccountId>,
	) -> DispatchResult {
		let details = Self::token(token)?;
		Self::ensure_can_move(token, &details, from, to)
	}

	fn before_balances_change(token: &T::TokenId, accounts: &[&T::AccountId]) {
		Self::record_balances(token, accounts)
	}
}

/// What `pallet-nfts` stores for one of our items besides its metadata (the item, its config and
/// the metadata record's own fields), rounded up: the deposit prices it with the rest.
const STOCK_ITEM_BYTES: usize = 200;

/// Bytes an NFT item occupies in storage: the stock records, its metadata, and our deposit
/// record (two `Blake2_128Concat` keys and the deposit).
pub(crate) fn nft_item_bytes<T: Config>(item: &T::ItemId, metadata: &ItemMetadataOf<T>) -> usize {
	STOCK_ITEM_BYTES
		.saturating_add(metadata.len())
		.saturating_add(32)
		.saturating_add(T::TokenId::max_encoded_len())
		.saturating_add(item.encoded_size())
		.saturating_add(DepositOf::<T>::max_encoded_len())
}
