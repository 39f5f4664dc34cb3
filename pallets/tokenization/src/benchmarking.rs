//! Benchmarks of the tokenization pallet (FRAME v2), one per [`WeightInfo`] function, each in its
//! worst case:
//! - movements of a fungible token (`mint`, `burn`, `transfer`, `redeem`, `tender`,
//!   `force_transfer`): an allowlisted token with `MaxOpenDistributions` open distributions (each
//!   balance change records the balance of both sides for each of them), a default lock-up, and a
//!   sender holding `MaxLockups` schedules (read on every debit); the receiver is new to the token
//!   (and, for payments, to the payment asset);
//! - lock-ups: the most schedules (`add_lockup` also prunes an expired one);
//! - distributions: the most open (`close_distribution`), one short of the most
//!   (`create_distribution`);
//! - NFTs: the longest item metadata;
//! - renouncing a power: the token's first renunciation (its record is created and paid for);
//!   finishing a destruction: a token with renounced powers (their deposit is returned).

use super::*;
use crate::Pallet as Tokenization;
use alloc::vec;
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungibles::{Inspect as _, Unbalanced as _},
		tokens::{nonfungibles_v2::Inspect as _, Fortitude, Precision, Preservation},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use polkadot_sdk::{
	frame_benchmarking,
	sp_runtime::traits::{One, Saturating, StaticLookup, TrailingZeroInput, Zero},
};

/// Token ids are taken from here on ("TOKN"), past any the runtime is likely to hold.
const TOKEN_BASE: u32 = 0x544f_4b4e;
/// Units minted per default-lock-up schedule.
const PER_MINT: u32 = 1_000;
/// Template cap limit and attested stablecoin reserves.
const CAP: u32 = 1_000_000_000;
/// Blocks after which a default lock-up is fully unlocked.
const LOCKUP_DURATION: u32 = 100;
const SEED: u32 = 0;

fn units<T: Config>(n: u32) -> T::Balance {
	T::Balance::from(n)
}

fn advance<T: Config>(blocks: u32) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks.into()));
}

/// An id of any integer-like type (`TokenId`, `ItemId`) with the value `n`.
fn id_from<I: Decode>(n: u32) -> I {
	I::decode(&mut TrailingZeroInput::new(&n.encode())).expect("an id decodes from any bytes")
}

/// A token id neither this pallet nor `pallet-assets` uses.
fn free_token_id<T: Config>() -> T::TokenId {
	(TOKEN_BASE..TOKEN_BASE.saturating_add(1_000))
		.map(id_from::<T::TokenId>)
		.find(|id| !Tokens::<T>::contains_key(id) && !T::Assets::asset_exists(id.clone()))
		.expect("a free token id")
}

/// `n` times the funds asset's minimum balance.
fn funds<T: Config>(asset: &T::FundsAssetId, n: u32) -> T::Balance {
	T::Funds::minimum_balance(asset.clone()).max(One::one()).saturating_mul(n.into())
}

/// An account with plenty of the funds asset and of the native token.
fn funded<T: Config>(who: &T::AccountId) {
	let asset = T::BenchmarkHelper::funds_asset();
	T::BenchmarkHelper::fund(&asset, who, funds::<T>(&asset, 1_000_000));
}

/// An account with native balance (enough to hold a token) but no account in the funds asset, so
/// that a payment to it creates one.
fn native_only<T: Config>(who: &T::AccountId) -> Result<(), BenchmarkError> {
	let asset = T::BenchmarkHelper::funds_asset();
	let amount = funds::<T>(&asset, 1);
	T::BenchmarkHelper::fund(&asset, who, amount);
	T::Funds::decrease_balance(
		asset,
		who,
		amount,
		Precision::Exact,
		Preservation::Expendable,
		Fortitude::Force,
	)?;
	Ok(())
}

fn default_lockup<T: Config>() -> LockupTerms<BlockNumberFor<T>> {
	LockupTerms { cliff: 10u32.into(), duration: LOCKUP_DURATION.into() }
}

/// The costliest terms of `class`: a cap limit, an allowlist, a default lock-up (not for NFTs),
/// every role for the issuer.
fn spec<T: Config>(class: TokenClass) -> TemplateSpecOf<T> {
	let nft = class == TokenClass::NftCollection;
	TemplateSpec {
		class,
		decimals: 0,
		max_cap: Some(units::<T>(CAP)),
		policy: TransferPolicy::Allowlisted,
		default_lockup: (!nft).then(default_lockup::<T>),
		issuer_roles: RoleSet::all(),
	}
}

fn governance<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

fn longest<S: Get<u32>>(byte: u8) -> BoundedVec<u8, S> {
	BoundedVec::truncate_from(vec![byte; S::get() as usize])
}

/// A token of `class` from a fresh [`spec`] template, issued by `issuer` (funded here), who is on
/// the allowlist. A stablecoin has `issuer` as attestor and reserves of `CAP`.
fn new_token<T: Config>(
	issuer: &T::AccountId,
	class: TokenClass,
) -> Result<T::TokenId, BenchmarkError> {
	funded::<T>(issuer);
	let template = Tokenization::<T>::do_register_template(spec::<T>(class))?;
	let token = free_token_id::<T>();
	Tokenization::<T>::do_create_token(
		issuer.clone(),
		token.clone(),
		template,
		longest::<T::StringLimit>(b'N'),
		longest::<T::StringLimit>(b'S'),
		None,
		[1u8; 32],
	)?;
	if class == TokenClass::Stablecoin {
		Tokenization::<T>::do_set_reserve_attestor(token.clone(), Some(issuer.clone()))?;
		Tokenization::<T>::do_attest_reserves(
			issuer.clone(),
			token.clone(),
			units::<T>(CAP),
			[2u8; 32],
		)?;
	}
	Tokenization::<T>::do_set_allowlisted(issuer.clone(), token.clone(), issuer.clone(), true)?;
	Ok(token)
}

/// `who` made able to hold `token`: native balance (no funds-asset account) and allowlisted.
fn holder<T: Config>(
	token: &T::TokenId,
	issuer: &T::AccountId,
	who: &T::AccountId,
) -> Result<(), BenchmarkError> {
	native_only::<T>(who)?;
	Tokenization::<T>::do_set_allowlisted(issuer.clone(), token.clone(), who.clone(), true)?;
	Ok(())
}

/// Gives `who` `live` default-lock-up schedules of `PER_MINT` units (minted by `issuer`), about
/// half unlocked, plus `expired` schedules that have fully unlocked by the block this returns at.
fn give_schedules<T: Config>(
	token: &T::TokenId,
	issuer: &T::AccountId,
	who: &T::AccountId,
	live: u32,
	expired: u32,
) -> Result<(), BenchmarkError> {
	for _ in 0..live {
		Tokenization::<T>::do_mint(
			issuer.clone(),
			token.clone(),
			who.clone(),
			units::<T>(PER_MINT),
		)?;
	}
	advance::<T>(LOCKUP_DURATION / 2);
	for _ in 0..expired {
		Tokenization::<T>::do_add_lockup(
			issuer.clone(),
			token.clone(),
			who.clone(),
			One::one(),
			LockupTerms { cliff: Zero::zero(), duration: One::one() },
			None,
		)?;
	}
	advance::<T>(1);
	Ok(())
}

/// Opens `n` distributions of `token`, paid by `payer` (an admin, funded).
fn open_distributions<T: Config>(
	token: &T::TokenId,
	payer: &T::AccountId,
	n: u32,
) -> Result<vec::Vec<DistributionId>, BenchmarkError> {
	let asset = T::BenchmarkHelper::funds_asset();
	(0..n)
		.map(|_| {
			Tokenization::<T>::do_create_distribution(
				payer.clone(),
				token.clone(),
				asset.clone(),
				funds::<T>(&asset, 1_000),
				T::MinDistributionDuration::get(),
			)
			.map_err(Into::into)
		})
		.collect()
}

/// The worst case for a movement of a fungible token of `class`: `sender` holds `MaxLockups`
/// half-unlocked schedules, `MaxOpenDistributions` distributions are open (with no balance
/// recorded yet) and a new holder, `receiver`, is allowlisted. Returns the token.
fn movement<T: Config>(
	class: TokenClass,
	issuer: &T::AccountId,
	sender: &T::AccountId,
	receiver: &T::AccountId,
) -> Result<T::TokenId, BenchmarkError> {
	let token = new_token::<T>(issuer, class)?;
	if sender != issuer {
		holder::<T>(&token, issuer, sender)?;
	}
	holder::<T>(&token, issuer, receiver)?;
	give_schedules::<T>(&token, issuer, sender, T::MaxLockups::get(), 0)?;
	open_distributions::<T>(&token, issuer, T::MaxOpenDistributions::get())?;
	Ok(token)
}

/// Whether a balance of `who` was recorded for every open distribution of `token`.
fn recorded_for_all<T: Config>(token: &T::TokenId, who: &T::AccountId) -> bool {
	let open = OpenDistributions::<T>::get(token);
	!open.is_empty() && open.iter().all(|id| RecordedBalances::<T>::contains_key(id, who))
}

/// An NFT collection token issued by `issuer`, with item `0` minted to `owner`; both
/// allowlisted.
fn nft_with_item<T: Config>(
	issuer: &T::AccountId,
	owner: &T::AccountId,
) -> Result<(T::TokenId, T::CollectionId, T::ItemId), BenchmarkError> {
	let token = new_token::<T>(issuer, TokenClass::NftCollection)?;
	holder::<T>(&token, issuer, owner)?;
	let item = id_from::<T::ItemId>(0);
	Tokenization::<T>::do_mint_nft(
		issuer.clone(),
		token.clone(),
		item,
		owner.clone(),
		longest::<T::MaxItemMetadata>(b'M'),
	)?;
	let collection = Tokens::<T>::get(&token).and_then(|d| d.collection).ok_or("a collection")?;
	Ok((token, collection, item))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_template() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let id = NextTemplateId::<T>::get();
		let spec = spec::<T>(TokenClass::SecurityToken);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, spec.clone());

		assert_eq!(Templates::<T>::get(id).map(|t| t.spec), Some(spec));
		Ok(())
	}

	#[benchmark]
	fn update_template() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let id = Tokenization::<T>::do_register_template(spec::<T>(TokenClass::UtilityToken))?;
		let spec = spec::<T>(TokenClass::SecurityToken);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, spec.clone());

		assert_eq!(Templates::<T>::get(id).map(|t| t.spec), Some(spec));
		Ok(())
	}

	#[benchmark]
	fn retire_template() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let id = Tokenization::<T>::do_register_template(spec::<T>(TokenClass::SecurityToken))?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!Templates::<T>::contains_key(id));
		Ok(())
	}

	/// A fungible token: a `pallet-assets` asset with metadata of the longest name and symbol,
	/// every role for the issuer.
	#[benchmark]
	fn create_token() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = whitelisted_caller();
		funded::<T>(&issuer);
		let template = Tokenization::<T>::do_register_template(spec::<T>(TokenClass::Stablecoin))?;
		let token = free_token_id::<T>();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(issuer.clone()),
			token.clone(),
			template,
			longest::<T::StringLimit>(b'N'),
			longest::<T::StringLimit>(b'S'),
			Some(units::<T>(CAP)),
			[1u8; 32],
		);

		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.issuer == issuer));
		assert!(T::Assets::asset_exists(token.clone()));
		assert_eq!(Roles::<T>::get(&token, &issuer), RoleSet::all());
		Ok(())
	}

	/// `create_token` of an NFT collection token: a `pallet-nfts` collection.
	#[benchmark]
	fn create_collection_token() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = whitelisted_caller();
		funded::<T>(&issuer);
		let template =
			Tokenization::<T>::do_register_template(spec::<T>(TokenClass::NftCollection))?;
		let token = free_token_id::<T>();

		#[extrinsic_call]
		create_token(
			RawOrigin::Signed(issuer.clone()),
			token.clone(),
			template,
			longest::<T::StringLimit>(b'N'),
			longest::<T::StringLimit>(b'S'),
			Some(units::<T>(CAP)),
			[1u8; 32],
		);

		let collection = Tokens::<T>::get(&token).and_then(|d| d.collection);
		assert!(collection.is_some_and(|c| CollectionTokens::<T>::get(c) == Some(token.clone())));
		Ok(())
	}

	#[benchmark]
	fn set_document() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone(), [9u8; 32]);

		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.document_hash == [9u8; 32]));
		Ok(())
	}

	/// Grants a role to an account that already holds another.
	#[benchmark]
	fn grant_role() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("grantee", 0, SEED);
		Tokenization::<T>::do_set_role(
			admin.clone(),
			token.clone(),
			who.clone(),
			Role::Minter,
			true,
		)?;
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone(), lookup, Role::Controller);

		assert_eq!(Roles::<T>::get(&token, &who), RoleSet::of(&[Role::Minter, Role::Controller]));
		Ok(())
	}

	/// Revokes one of two roles (the set is rewritten, not removed).
	#[benchmark]
	fn revoke_role() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("grantee", 0, SEED);
		for role in [Role::Minter, Role::Controller] {
			Tokenization::<T>::do_set_role(admin.clone(), token.clone(), who.clone(), role, true)?;
		}
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone(), lookup, Role::Controller);

		assert_eq!(Roles::<T>::get(&token, &who), RoleSet::of(&[Role::Minter]));
		Ok(())
	}

	/// A stablecoin (reserves checked) with a default lock-up, minted to an allowlisted holder
	/// with `MaxLockups` schedules, one of them expired (pruned to make room), while
	/// `MaxOpenDistributions` distributions are open.
	#[benchmark]
	fn mint() -> Result<(), BenchmarkError> {
		let minter: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&minter, TokenClass::Stablecoin)?;
		let beneficiary: T::AccountId = account("beneficiary", 0, SEED);
		holder::<T>(&token, &minter, &beneficiary)?;
		let max = T::MaxLockups::get();
		give_schedules::<T>(&token, &minter, &beneficiary, max.saturating_sub(1), 1)?;
		open_distributions::<T>(&token, &minter, T::MaxOpenDistributions::get())?;
		let before = T::Assets::balance(token.clone(), &beneficiary);
		let amount = units::<T>(PER_MINT);
		let lookup = T::Lookup::unlookup(beneficiary.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(minter), token.clone(), lookup, amount);

		assert_eq!(T::Assets::balance(token.clone(), &beneficiary), before.saturating_add(amount));
		let schedules = Lockups::<T>::get(&token, &beneficiary);
		assert_eq!(schedules.len() as u32, max);
		assert_eq!(
			schedules.last().map(|s| s.start),
			Some(frame_system::Pallet::<T>::block_number())
		);
		assert!(recorded_for_all::<T>(&token, &beneficiary));
		Ok(())
	}

	/// The minter burns from a balance with `MaxLockups` schedules while `MaxOpenDistributions`
	/// distributions are open.
	#[benchmark]
	fn burn() -> Result<(), BenchmarkError> {
		let minter: T::AccountId = whitelisted_caller();
		let receiver: T::AccountId = account("receiver", 0, SEED);
		let token = movement::<T>(TokenClass::SecurityToken, &minter, &minter, &receiver)?;
		let before = T::Assets::balance(token.clone(), &minter);
		let amount = units::<T>(PER_MINT / 10);

		#[extrinsic_call]
		_(RawOrigin::Signed(minter.clone()), token.clone(), amount);

		assert_eq!(T::Assets::balance(token.clone(), &minter), before.saturating_sub(amount));
		assert!(recorded_for_all::<T>(&token, &minter));
		Ok(())
	}

	/// From a holder with `MaxLockups` schedules to a new holder, both allowlisted, while
	/// `MaxOpenDistributions` distributions are open.
	#[benchmark]
	fn transfer() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let sender: T::AccountId = whitelisted_caller();
		let dest: T::AccountId = account("dest", 0, SEED);
		let token = movement::<T>(TokenClass::SecurityToken, &issuer, &sender, &dest)?;
		let amount = units::<T>(PER_MINT / 10);
		let lookup = T::Lookup::unlookup(dest.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(sender.clone()), token.clone(), lookup, amount);

		assert_eq!(T::Assets::balance(token.clone(), &dest), amount);
		assert!(recorded_for_all::<T>(&token, &sender));
		assert!(recorded_for_all::<T>(&token, &dest));
		Ok(())
	}

	/// A transfer that records nothing (no open distribution, no lock-up on the sender), between
	/// allowlisted holders to a new holder: what `transfer` charges after dispatch in that case.
	#[benchmark]
	fn transfer_without_records() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let sender: T::AccountId = whitelisted_caller();
		let dest: T::AccountId = account("dest", 0, SEED);
		funded::<T>(&issuer);
		let mut plain = spec::<T>(TokenClass::SecurityToken);
		plain.default_lockup = None;
		let template = Tokenization::<T>::do_register_template(plain)?;
		let token = free_token_id::<T>();
		Tokenization::<T>::do_create_token(
			issuer.clone(),
			token.clone(),
			template,
			longest::<T::StringLimit>(b'N'),
			longest::<T::StringLimit>(b'S'),
			None,
			[1u8; 32],
		)?;
		Tokenization::<T>::do_set_allowlisted(issuer.clone(), token.clone(), issuer.clone(), true)?;
		holder::<T>(&token, &issuer, &sender)?;
		holder::<T>(&token, &issuer, &dest)?;
		Tokenization::<T>::do_mint(issuer, token.clone(), sender.clone(), units::<T>(PER_MINT))?;
		let amount = units::<T>(PER_MINT / 10);
		let lookup = T::Lookup::unlookup(dest.clone());

		#[extrinsic_call]
		transfer(RawOrigin::Signed(sender.clone()), token.clone(), lookup, amount);

		assert_eq!(T::Assets::balance(token.clone(), &dest), amount);
		assert!(OpenDistributions::<T>::get(&token).is_empty());
		assert!(Lockups::<T>::get(&token, &sender).is_empty());
		Ok(())
	}

	#[benchmark]
	fn set_allowlisted() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("who", 0, SEED);
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone(), lookup, true);

		assert!(Tokenization::<T>::account_state(&token, &who).allowlisted);
		Ok(())
	}

	/// The holder has `MaxLockups` schedules, one of them expired: all are read and summed, the
	/// expired one is pruned and the new one takes its place.
	#[benchmark]
	fn add_lockup() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("holder", 0, SEED);
		holder::<T>(&token, &admin, &who)?;
		let max = T::MaxLockups::get();
		give_schedules::<T>(&token, &admin, &who, max.saturating_sub(1), 1)?;
		let terms = default_lockup::<T>();
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone(), lookup, units::<T>(PER_MINT / 10), terms, None);

		let schedules = Lockups::<T>::get(&token, &who);
		assert_eq!(schedules.len() as u32, max);
		assert_eq!(
			schedules.last().map(|s| (s.total, s.start)),
			Some((units::<T>(PER_MINT / 10), frame_system::Pallet::<T>::block_number()))
		);
		Ok(())
	}

	/// Releases `MaxLockups` schedules.
	#[benchmark]
	fn release_lockups() -> Result<(), BenchmarkError> {
		let controller: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&controller, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("holder", 0, SEED);
		holder::<T>(&token, &controller, &who)?;
		give_schedules::<T>(&token, &controller, &who, T::MaxLockups::get(), 0)?;
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), token.clone(), lookup, 7);

		assert!(!Lockups::<T>::contains_key(&token, &who));
		Ok(())
	}

	/// Prunes `MaxLockups` expired schedules.
	#[benchmark]
	fn prune_lockups() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("holder", 0, SEED);
		holder::<T>(&token, &issuer, &who)?;
		let max = T::MaxLockups::get();
		give_schedules::<T>(&token, &issuer, &who, max, 0)?;
		advance::<T>(LOCKUP_DURATION);
		assert_eq!(Lockups::<T>::get(&token, &who).len() as u32, max);
		let caller: T::AccountId = whitelisted_caller();
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), token.clone(), lookup);

		assert!(!Lockups::<T>::contains_key(&token, &who));
		Ok(())
	}

	#[benchmark]
	fn freeze_account() -> Result<(), BenchmarkError> {
		let freezer: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&freezer, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("who", 0, SEED);
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(freezer), token.clone(), lookup, 7);

		assert_eq!(Tokenization::<T>::account_state(&token, &who).frozen, Some(7));
		Ok(())
	}

	#[benchmark]
	fn thaw_account() -> Result<(), BenchmarkError> {
		let freezer: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&freezer, TokenClass::SecurityToken)?;
		let who: T::AccountId = account("who", 0, SEED);
		Tokenization::<T>::do_freeze_account(freezer.clone(), token.clone(), who.clone(), 7)?;
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(freezer), token.clone(), lookup, 8);

		assert!(!AccountStates::<T>::contains_key(&token, &who));
		Ok(())
	}

	#[benchmark]
	fn pause() -> Result<(), BenchmarkError> {
		let freezer: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&freezer, TokenClass::SecurityToken)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(freezer), token.clone(), 7);

		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.paused));
		Ok(())
	}

	#[benchmark]
	fn unpause() -> Result<(), BenchmarkError> {
		let freezer: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&freezer, TokenClass::SecurityToken)?;
		Tokenization::<T>::do_set_paused(freezer.clone(), token.clone(), true, 7)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(freezer), token.clone(), 8);

		assert!(Tokens::<T>::get(&token).is_some_and(|d| !d.paused));
		Ok(())
	}

	/// Takes every unlocked unit and one locked unit from a holder with `MaxLockups` schedules,
	/// all in their linear phase (all are walked, the first is scaled down, all are rewritten),
	/// to a new holder, while `MaxOpenDistributions` distributions are open.
	#[benchmark]
	fn force_transfer() -> Result<(), BenchmarkError> {
		let controller: T::AccountId = whitelisted_caller();
		let from: T::AccountId = account("from", 0, SEED);
		let to: T::AccountId = account("to", 0, SEED);
		let token = movement::<T>(TokenClass::SecurityToken, &controller, &from, &to)?;
		let balance = T::Assets::balance(token.clone(), &from);
		let locked = Tokenization::<T>::locked_balance(&token, &from);
		let amount = balance.saturating_sub(locked).saturating_add(One::one());
		let from_lookup = T::Lookup::unlookup(from.clone());
		let to_lookup = T::Lookup::unlookup(to.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), token.clone(), from_lookup, to_lookup, amount, 7);

		assert_eq!(T::Assets::balance(token.clone(), &to), amount);
		let schedules = Lockups::<T>::get(&token, &from);
		assert_eq!(schedules.len() as u32, T::MaxLockups::get());
		assert_eq!(
			Tokenization::<T>::locked_balance(&token, &from),
			locked.saturating_sub(One::one())
		);
		assert!(recorded_for_all::<T>(&token, &from));
		assert!(recorded_for_all::<T>(&token, &to));
		assert!(ForcedDebit::<T>::get().is_none());
		Ok(())
	}

	#[benchmark]
	fn set_reserve_attestor() -> Result<(), BenchmarkError> {
		let origin = governance::<T>()?;
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::Stablecoin)?;
		let attestor: T::AccountId = account("attestor", 0, SEED);
		let lookup = T::Lookup::unlookup(attestor.clone());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, token.clone(), Some(lookup));

		assert_eq!(ReserveAttestors::<T>::get(&token), Some(attestor));
		Ok(())
	}

	/// Reserves one unit below the supply: a shortfall (two events).
	#[benchmark]
	fn attest_reserves() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::Stablecoin)?;
		Tokenization::<T>::do_mint(
			issuer.clone(),
			token.clone(),
			issuer.clone(),
			units::<T>(PER_MINT),
		)?;
		let attestor: T::AccountId = whitelisted_caller();
		Tokenization::<T>::do_set_reserve_attestor(token.clone(), Some(attestor.clone()))?;
		let amount = T::Assets::total_issuance(token.clone()).saturating_sub(One::one());

		#[extrinsic_call]
		_(RawOrigin::Signed(attestor), token.clone(), amount, [3u8; 32]);

		assert!(Reserves::<T>::get(&token).is_some_and(|r| r.amount == amount && r.shortfall));
		Ok(())
	}

	/// A holder with `MaxLockups` schedules redeems while `MaxOpenDistributions` distributions
	/// are open.
	#[benchmark]
	fn redeem() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let redeemer: T::AccountId = whitelisted_caller();
		let receiver: T::AccountId = account("receiver", 0, SEED);
		let token = movement::<T>(TokenClass::Stablecoin, &issuer, &redeemer, &receiver)?;
		let id = NextRedemptionId::<T>::get();
		let before = T::Assets::balance(token.clone(), &redeemer);
		let amount = units::<T>(PER_MINT / 10);

		#[extrinsic_call]
		_(RawOrigin::Signed(redeemer.clone()), token.clone(), amount);

		assert!(
			Redemptions::<T>::get(id).is_some_and(|r| r.holder == redeemer && r.amount == amount)
		);
		assert_eq!(T::Assets::balance(token.clone(), &redeemer), before.saturating_sub(amount));
		assert!(recorded_for_all::<T>(&token, &redeemer));
		Ok(())
	}

	#[benchmark]
	fn confirm_redemption() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::Stablecoin)?;
		let redeemer: T::AccountId = account("redeemer", 0, SEED);
		holder::<T>(&token, &admin, &redeemer)?;
		give_schedules::<T>(&token, &admin, &redeemer, 1, 0)?;
		let id = NextRedemptionId::<T>::get();
		Tokenization::<T>::do_redeem(redeemer, token, units::<T>(PER_MINT / 10))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, [4u8; 32]);

		assert!(!Redemptions::<T>::contains_key(id));
		Ok(())
	}

	/// The token has `MaxOpenDistributions - 1` open (its open list is the longest that still
	/// takes one more); the payer (an admin, not the issuer) holds nothing yet.
	#[benchmark]
	fn create_distribution() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::SecurityToken)?;
		Tokenization::<T>::do_mint(
			issuer.clone(),
			token.clone(),
			issuer.clone(),
			units::<T>(PER_MINT),
		)?;
		let max = T::MaxOpenDistributions::get();
		open_distributions::<T>(&token, &issuer, max.saturating_sub(1))?;
		let payer: T::AccountId = whitelisted_caller();
		funded::<T>(&payer);
		Tokenization::<T>::do_set_role(issuer, token.clone(), payer.clone(), Role::Admin, true)?;
		let asset = T::BenchmarkHelper::funds_asset();
		let id = NextDistributionId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer.clone()),
			token.clone(),
			asset.clone(),
			funds::<T>(&asset, 1_000),
			T::MinDistributionDuration::get(),
		);

		assert!(Distributions::<T>::get(id).is_some_and(|d| d.payer == payer));
		assert_eq!(OpenDistributions::<T>::get(&token).len() as u32, max);
		Ok(())
	}

	/// A holder whose balance was not recorded (read from the ledger) claims, and has no account
	/// in the payout asset yet.
	#[benchmark]
	fn claim_distribution() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::SecurityToken)?;
		let claimant: T::AccountId = whitelisted_caller();
		holder::<T>(&token, &issuer, &claimant)?;
		for who in [&issuer, &claimant] {
			Tokenization::<T>::do_mint(
				issuer.clone(),
				token.clone(),
				who.clone(),
				units::<T>(PER_MINT),
			)?;
		}
		let id = open_distributions::<T>(&token, &issuer, 1)?[0];
		let asset = T::BenchmarkHelper::funds_asset();
		assert!(T::Funds::balance(asset.clone(), &claimant).is_zero());
		assert!(!RecordedBalances::<T>::contains_key(id, &claimant));

		#[extrinsic_call]
		_(RawOrigin::Signed(claimant.clone()), id);

		assert!(DistributionClaims::<T>::contains_key(id, &claimant));
		assert_eq!(T::Funds::balance(asset.clone(), &claimant), funds::<T>(&asset, 500));
		Ok(())
	}

	/// An expired distribution with an unclaimed rest, among `MaxOpenDistributions` open.
	#[benchmark]
	fn close_distribution() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let token = new_token::<T>(&issuer, TokenClass::SecurityToken)?;
		Tokenization::<T>::do_mint(
			issuer.clone(),
			token.clone(),
			issuer.clone(),
			units::<T>(PER_MINT),
		)?;
		let max = T::MaxOpenDistributions::get();
		let ids = open_distributions::<T>(&token, &issuer, max)?;
		let id = *ids.last().ok_or("a distribution")?;
		let expires_at = Distributions::<T>::get(id).ok_or("a distribution")?.expires_at;
		frame_system::Pallet::<T>::set_block_number(expires_at);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!Distributions::<T>::contains_key(id));
		assert_eq!(OpenDistributions::<T>::get(&token).len() as u32, max.saturating_sub(1));
		Ok(())
	}

	/// A closed distribution with `n` recorded balances, all deleted in one call.
	#[benchmark]
	fn purge_distribution_records(n: Linear<1, MAX_PURGE_PER_CALL>) -> Result<(), BenchmarkError> {
		let id = NextDistributionId::<T>::get();
		NextDistributionId::<T>::put(id.saturating_add(1));
		for i in 0..n {
			let holder: T::AccountId = account("holder", i, SEED);
			RecordedBalances::<T>::insert(id, holder, units::<T>(1));
		}
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, n);

		assert!(RecordedBalances::<T>::iter_key_prefix(id).next().is_none());
		Ok(())
	}

	#[benchmark]
	fn open_buyback() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let asset = T::BenchmarkHelper::funds_asset();
		let id = NextBuybackId::<T>::get();
		let budget = funds::<T>(&asset, 10_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token, asset.clone(), funds::<T>(&asset, 1), budget);

		assert!(Buybacks::<T>::get(id).is_some_and(|b| b.remaining_budget == budget));
		Ok(())
	}

	/// A holder with `MaxLockups` schedules and no account in the payment asset tenders while
	/// `MaxOpenDistributions` distributions are open.
	#[benchmark]
	fn tender() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let seller: T::AccountId = whitelisted_caller();
		let receiver: T::AccountId = account("receiver", 0, SEED);
		let token = movement::<T>(TokenClass::SecurityToken, &issuer, &seller, &receiver)?;
		let asset = T::BenchmarkHelper::funds_asset();
		let price = funds::<T>(&asset, 1);
		let id = Tokenization::<T>::do_open_buyback(
			issuer,
			token.clone(),
			asset.clone(),
			price,
			funds::<T>(&asset, 10_000),
		)?;
		let amount = units::<T>(PER_MINT / 10);
		let before = T::Assets::balance(token.clone(), &seller);
		assert!(T::Funds::balance(asset.clone(), &seller).is_zero());

		#[extrinsic_call]
		_(RawOrigin::Signed(seller.clone()), id, amount);

		assert_eq!(T::Assets::balance(token.clone(), &seller), before.saturating_sub(amount));
		assert_eq!(T::Funds::balance(asset.clone(), &seller), funds::<T>(&asset, PER_MINT / 10));
		assert!(Buybacks::<T>::get(id).is_some_and(|b| b.bought == amount));
		assert!(recorded_for_all::<T>(&token, &seller));
		Ok(())
	}

	/// Closed by an admin other than the buyer (roles read), with budget left to release.
	#[benchmark]
	fn close_buyback() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		let buyer: T::AccountId = account("buyer", 0, SEED);
		funded::<T>(&buyer);
		Tokenization::<T>::do_set_role(
			admin.clone(),
			token.clone(),
			buyer.clone(),
			Role::Admin,
			true,
		)?;
		let asset = T::BenchmarkHelper::funds_asset();
		let id = Tokenization::<T>::do_open_buyback(
			buyer,
			token,
			asset.clone(),
			funds::<T>(&asset, 1),
			funds::<T>(&asset, 10_000),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id);

		assert!(!Buybacks::<T>::contains_key(id));
		Ok(())
	}

	/// The longest metadata, to an allowlisted owner, under a cap.
	#[benchmark]
	fn mint_nft() -> Result<(), BenchmarkError> {
		let minter: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&minter, TokenClass::NftCollection)?;
		let owner: T::AccountId = account("owner", 0, SEED);
		holder::<T>(&token, &minter, &owner)?;
		let collection =
			Tokens::<T>::get(&token).and_then(|d| d.collection).ok_or("a collection")?;
		let item = id_from::<T::ItemId>(0);
		let lookup = T::Lookup::unlookup(owner.clone());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(minter),
			token.clone(),
			item,
			lookup,
			longest::<T::MaxItemMetadata>(b'M'),
		);

		assert_eq!(T::Nfts::owner(&collection, &item), Some(owner));
		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.items == 1));
		Ok(())
	}

	#[benchmark]
	fn transfer_nft() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let owner: T::AccountId = whitelisted_caller();
		let (token, collection, item) = nft_with_item::<T>(&issuer, &owner)?;
		let dest: T::AccountId = account("dest", 0, SEED);
		holder::<T>(&token, &issuer, &dest)?;
		let lookup = T::Lookup::unlookup(dest.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), token, item, lookup);

		assert_eq!(T::Nfts::owner(&collection, &item), Some(dest));
		Ok(())
	}

	#[benchmark]
	fn burn_nft() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let owner: T::AccountId = whitelisted_caller();
		let (token, collection, item) = nft_with_item::<T>(&issuer, &owner)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), token.clone(), item);

		assert!(T::Nfts::owner(&collection, &item).is_none());
		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.items == 0));
		Ok(())
	}

	#[benchmark]
	fn force_transfer_nft() -> Result<(), BenchmarkError> {
		let controller: T::AccountId = whitelisted_caller();
		let owner: T::AccountId = account("owner", 0, SEED);
		let (token, collection, item) = nft_with_item::<T>(&controller, &owner)?;
		let dest: T::AccountId = account("dest", 0, SEED);
		holder::<T>(&token, &controller, &dest)?;
		let lookup = T::Lookup::unlookup(dest.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(controller), token, item, lookup, 7);

		assert_eq!(T::Nfts::owner(&collection, &item), Some(dest));
		Ok(())
	}

	/// A fungible token (its `pallet-assets` asset starts destroying too) with no units left.
	#[benchmark]
	fn start_destroy() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), token.clone());

		assert!(Tokens::<T>::get(&token).is_some_and(|d| d.status == TokenStatus::Destroying));
		Ok(())
	}

	/// `n` records removed; more are left, so every kind of record is looked for afterwards.
	#[benchmark]
	fn destroy_accounts(n: Linear<1, MAX_PURGE_PER_CALL>) -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		for i in 0..n {
			let who: T::AccountId = account("holder", i, SEED);
			AccountStates::<T>::insert(&token, who, AccountState::default());
		}
		Tokenization::<T>::do_start_destroy(admin, token.clone())?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), token.clone(), n);

		// The issuer's role and allowlist entry, plus `n` entries: two are left.
		assert_eq!(AccountStates::<T>::iter_key_prefix(&token).count(), 2);
		Ok(())
	}

	/// A stablecoin: its asset, metadata, reserve attestor, reserves and renounced powers go.
	#[benchmark]
	fn finish_destroy() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let token = new_token::<T>(&admin, TokenClass::Stablecoin)?;
		Tokenization::<T>::do_renounce_power(admin.clone(), token.clone(), TokenPower::Mint)?;
		Tokenization::<T>::do_start_destroy(admin, token.clone())?;
		Tokenization::<T>::do_destroy_accounts(token.clone(), MAX_PURGE_PER_CALL)
			.map_err(|e| e.error)?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		finish_destroy(RawOrigin::Signed(caller), token.clone());

		assert!(!RenouncedPowers::<T>::contains_key(&token));
		assert!(!Tokens::<T>::contains_key(&token) && !T::Assets::asset_exists(token));
		Ok(())
	}

	/// An NFT collection token whose item was burned, with renounced powers: its collection
	/// goes.
	#[benchmark]
	fn finish_destroy_collection() -> Result<(), BenchmarkError> {
		let issuer: T::AccountId = account("issuer", 0, SEED);
		let (token, collection, item) = nft_with_item::<T>(&issuer, &issuer)?;
		Tokenization::<T>::do_burn_nft(issuer.clone(), token.clone(), item)?;
		Tokenization::<T>::do_renounce_power(issuer.clone(), token.clone(), TokenPower::Mint)?;
		Tokenization::<T>::do_start_destroy(issuer, token.clone())?;
		Tokenization::<T>::do_destroy_accounts(token.clone(), MAX_PURGE_PER_CALL)
			.map_err(|e| e.error)?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		finish_destroy(RawOrigin::Signed(caller), token.clone());

		assert!(
			!Tokens::<T>::contains_key(&token) && !CollectionTokens::<T>::contains_key(collection)
		);
		Ok(())
	}

	/// The token's first renunciation: its record is created and its deposit held.
	#[benchmark]
	fn renounce_power() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let token = new_token::<T>(&admin, TokenClass::SecurityToken)?;
		assert!(!RenouncedPowers::<T>::contains_key(&token));

		#[extrinsic_call]
		_(RawOrigin::Signed(admin.clone()), token.clone(), TokenPower::Freeze);

		let record = RenouncedPowers::<T>::get(&token).ok_or("a record")?;
		assert!(record.powers.contains(TokenPower::Freeze));
		assert_eq!(record.deposit.depositor, admin);
		Ok(())
	}

	impl_benchmark_test_suite!(Tokenization, crate::mock::new_test_ext(), crate::mock::Test);
}
