//! Unit and property tests of the tokenization pallet on the mock runtime.
//!
//! Every test runs through [`run`], which checks [`Pallet::do_try_state`] once the test body is
//! done; tests that change state step by step also check it in between.

use crate::{mock::*, *};
use codec::Encode;
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungible::InspectHold as _,
			fungibles::{Inspect as _, InspectHold as _, Mutate as _},
			ConstU32, Get,
		},
		BoundedVec,
	},
	pallet_assets, pallet_nfts,
	sp_runtime::{DispatchError, TokenError},
};

// --- Fixtures ---

/// A security token: 2 decimals, cap limit 1_000_000, open transfers, no default lock-up.
const SEC: u32 = 10;
/// A stablecoin: 2 decimals, no cap.
const STABLE: u32 = 20;
/// A utility token: 0 decimals, no cap.
const UTIL: u32 = 30;
/// An NFT collection token, at most 3 items.
const ART: u32 = 40;
/// A security token whose mints are locked up (cliff 10, fully unlocked after 50 blocks).
const VEST: u32 = 50;
/// A security token only allowlisted accounts may hold.
const KYC: u32 = 60;
/// An account with no native balance (it cannot pay a deposit).
const NOBODY: AccountId = 7;

const DOC: DocumentHash = [1; 32];
const REPORT: DocumentHash = [2; 32];
const REASON: ReasonCode = 42;

const VEST_TERMS: LockupTerms<u64> = LockupTerms { cliff: 10, duration: 50 };

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn bounded<S: Get<u32>>(bytes: &[u8]) -> BoundedVec<u8, S> {
	bytes.to_vec().try_into().expect("short enough")
}

fn text(bytes: &[u8]) -> BoundedVec<u8, ConstU32<16>> {
	bounded(bytes)
}

fn spec(class: TokenClass, decimals: u8, max_cap: Option<Balance>) -> TemplateSpecOf<Test> {
	TemplateSpec {
		class,
		decimals,
		max_cap,
		policy: TransferPolicy::Open,
		default_lockup: None,
		issuer_roles: RoleSet::all(),
	}
}

fn security_spec() -> TemplateSpecOf<Test> {
	spec(TokenClass::SecurityToken, 2, Some(1_000_000))
}

fn nft_spec() -> TemplateSpecOf<Test> {
	spec(TokenClass::NftCollection, 0, Some(3))
}

/// Governance registers `spec`; returns the template id.
fn register(spec: TemplateSpecOf<Test>) -> TemplateId {
	let id = NextTemplateId::<Test>::get();
	assert_ok!(Tokenization::register_template(root(), spec));
	id
}

/// The issuer creates `token` from `template` with `cap`.
fn create(token: u32, template: TemplateId, cap: Option<Balance>) {
	assert_ok!(Tokenization::create_token(
		signed(ISSUER),
		token,
		template,
		text(b"Token"),
		text(b"TKN"),
		cap,
		DOC
	));
}

/// Registers `spec` and creates `token` from it (cap: the template's limit).
fn new_token(token: u32, spec: TemplateSpecOf<Test>) -> u32 {
	let template = register(spec);
	create(token, template, None);
	token
}

fn security_token() -> u32 {
	new_token(SEC, security_spec())
}

fn stablecoin() -> u32 {
	new_token(STABLE, spec(TokenClass::Stablecoin, 2, None))
}

fn utility_token() -> u32 {
	new_token(UTIL, spec(TokenClass::UtilityToken, 0, None))
}

fn nft_token() -> u32 {
	new_token(ART, nft_spec())
}

fn vesting_token() -> u32 {
	new_token(VEST, TemplateSpec { default_lockup: Some(VEST_TERMS), ..security_spec() })
}

fn kyc_token() -> u32 {
	new_token(KYC, TemplateSpec { policy: TransferPolicy::Allowlisted, ..security_spec() })
}

/// The issuer (a minter of every token made here) mints `amount` of `token` to `to`.
fn mint(token: u32, to: AccountId, amount: Balance) {
	assert_ok!(Tokenization::mint(signed(ISSUER), token, to, amount));
}

/// Stablecoin reserves attested by Charlie.
fn attest(token: u32, amount: Balance) {
	if ReserveAttestors::<Test>::get(token).is_none() {
		assert_ok!(Tokenization::set_reserve_attestor(root(), token, Some(CHARLIE)));
	}
	assert_ok!(Tokenization::attest_reserves(signed(CHARLIE), token, amount, REPORT));
}

fn lock(token: u32, holder: AccountId, amount: Balance, cliff: u64, duration: u64) {
	assert_ok!(Tokenization::add_lockup(
		signed(ISSUER),
		token,
		holder,
		amount,
		LockupTerms { cliff, duration },
		None
	));
}

fn balance(token: u32, who: AccountId) -> Balance {
	Assets::balance(token, who)
}

fn supply(token: u32) -> Balance {
	Assets::total_supply(token)
}

fn transferable(token: u32, who: AccountId) -> Balance {
	Tokenization::transferable_balance(&token, &who)
}

fn locked(token: u32, who: AccountId) -> Balance {
	Tokenization::locked_balance(&token, &who)
}

/// Free (not held) balance of a funds asset.
fn funds(asset: FundsAsset, who: AccountId) -> Balance {
	NativeAndAssets::balance(asset, &who)
}

fn held(reason: HoldReason, asset: FundsAsset, who: AccountId) -> Balance {
	NativeAndAssets::balance_on_hold(asset, &reason.into(), &who)
}

fn nft_owner(collection: u32, item: u32) -> Option<AccountId> {
	Nfts::owner(collection, item)
}

fn collection_of(token: u32) -> u32 {
	Tokens::<Test>::get(token).and_then(|d| d.collection).expect("an NFT collection token")
}

fn check_invariants() {
	Tokenization::do_try_state().expect("invariants hold");
}

/// Runs `test` on a fresh mock chain, then checks the invariants.
fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Runs `f` in a storage layer that is always rolled back.
fn rolled_back(f: impl FnOnce()) {
	use polkadot_sdk::frame_support::storage::{with_transaction, TransactionOutcome};
	with_transaction(|| -> TransactionOutcome<Result<(), DispatchError>> {
		f();
		TransactionOutcome::Rollback(Ok(()))
	})
	.expect("rolled back");
}

// --- Templates ---

#[test]
fn register_template_stores_it_under_the_next_id() {
	run(|| {
		let spec = security_spec();
		assert_ok!(Tokenization::register_template(root(), spec.clone()));
		assert_eq!(
			Templates::<Test>::get(0),
			Some(Template { spec: spec.clone(), live_tokens: 0 })
		);
		assert_eq!(NextTemplateId::<Test>::get(), 1);
		System::assert_last_event(Event::TemplateRegistered { template: 0, spec }.into());
		assert_eq!(register(nft_spec()), 1);
		assert_eq!(NextTemplateId::<Test>::get(), 2);
	});
}

#[test]
fn update_and_retire_template_without_live_tokens() {
	run(|| {
		let template = register(security_spec());
		let new_spec = TemplateSpec {
			decimals: 6,
			policy: TransferPolicy::Allowlisted,
			default_lockup: Some(LockupTerms { cliff: 5, duration: 5 }),
			issuer_roles: RoleSet::of(&[Role::Minter]),
			..security_spec()
		};
		assert_ok!(Tokenization::update_template(root(), template, new_spec.clone()));
		assert_eq!(Templates::<Test>::get(template).map(|t| t.spec), Some(new_spec.clone()));
		System::assert_last_event(Event::TemplateUpdated { template, spec: new_spec }.into());

		assert_ok!(Tokenization::retire_template(root(), template));
		assert!(Templates::<Test>::get(template).is_none());
		System::assert_last_event(Event::TemplateRetired { template }.into());
		// Ids are not reused.
		assert_eq!(register(security_spec()), template + 1);
	});
}

#[test]
fn template_calls_need_governance() {
	run(|| {
		let template = register(security_spec());
		assert_noop!(
			Tokenization::register_template(signed(ISSUER), security_spec()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Tokenization::update_template(signed(ISSUER), template, security_spec()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Tokenization::retire_template(signed(ISSUER), template),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn unknown_template_is_refused() {
	run(|| {
		assert_noop!(
			Tokenization::update_template(root(), 3, security_spec()),
			Error::<Test>::UnknownTemplate
		);
		assert_noop!(Tokenization::retire_template(root(), 3), Error::<Test>::UnknownTemplate);
		assert_noop!(
			Tokenization::create_token(
				signed(ISSUER),
				SEC,
				3,
				text(b"Token"),
				text(b"TKN"),
				None,
				DOC
			),
			Error::<Test>::UnknownTemplate
		);
	});
}

#[test]
fn inconsistent_templates_are_refused() {
	run(|| {
		let template = register(security_spec());
		let bad = [
			// An unknown role bit.
			TemplateSpec { issuer_roles: RoleSet(16), ..security_spec() },
			// A zero cap limit.
			TemplateSpec { max_cap: Some(0), ..security_spec() },
			// Decimals on an NFT collection.
			TemplateSpec { decimals: 2, ..nft_spec() },
			// A default lock-up on an NFT collection.
			TemplateSpec { default_lockup: Some(VEST_TERMS), ..nft_spec() },
			// A cliff after the end of the lock-up.
			TemplateSpec {
				default_lockup: Some(LockupTerms { cliff: 11, duration: 10 }),
				..security_spec()
			},
			// A lock-up of zero duration.
			TemplateSpec {
				default_lockup: Some(LockupTerms { cliff: 0, duration: 0 }),
				..security_spec()
			},
		];
		for spec in bad {
			assert_noop!(
				Tokenization::register_template(root(), spec.clone()),
				Error::<Test>::InvalidTemplate
			);
			assert_noop!(
				Tokenization::update_template(root(), template, spec),
				Error::<Test>::InvalidTemplate
			);
		}
	});
}

#[test]
fn template_with_live_tokens_cannot_change() {
	run(|| {
		let template = register(security_spec());
		create(SEC, template, None);
		assert_eq!(Templates::<Test>::get(template).map(|t| t.live_tokens), Some(1));
		assert_noop!(
			Tokenization::update_template(
				root(),
				template,
				TemplateSpec { max_cap: None, ..security_spec() }
			),
			Error::<Test>::TemplateInUse
		);
		assert_noop!(Tokenization::retire_template(root(), template), Error::<Test>::TemplateInUse);
	});
}

#[test]
fn template_ids_can_run_out() {
	run(|| {
		// Reachable only after 2^32 registrations; the storage is set to the last id.
		NextTemplateId::<Test>::put(u32::MAX);
		assert_noop!(
			Tokenization::register_template(root(), security_spec()),
			Error::<Test>::TemplateIdOverflow
		);
	});
}

// --- Tokens ---

#[test]
fn create_fungible_token_makes_an_asset_and_grants_the_issuer_roles() {
	run(|| {
		let template = register(security_spec());
		let free_before = Balances::free_balance(ISSUER);
		assert_ok!(Tokenization::create_token(
			signed(ISSUER),
			SEC,
			template,
			text(b"Acme Shares"),
			text(b"ACME"),
			Some(500_000),
			DOC
		));

		let details = Tokens::<Test>::get(SEC).expect("stored");
		assert_eq!(details.class, TokenClass::SecurityToken);
		assert_eq!(details.issuer, ISSUER);
		assert_eq!(details.template, template);
		assert_eq!(details.name.to_vec(), b"Acme Shares".to_vec());
		assert_eq!(details.symbol.to_vec(), b"ACME".to_vec());
		assert_eq!(details.decimals, 2);
		assert_eq!(details.cap, Some(500_000));
		assert_eq!(details.document_hash, DOC);
		assert_eq!(details.policy, TransferPolicy::Open);
		assert!(!details.paused);
		assert_eq!(details.collection, None);
		assert_eq!(details.deposit, TOKEN_DEPOSIT);
		assert_eq!(Templates::<Test>::get(template).map(|t| t.live_tokens), Some(1));
		assert_eq!(Roles::<Test>::get(SEC, ISSUER), RoleSet::all());
		assert!(Tokenization::is_managed_asset(&SEC));

		// The asset exists in `pallet-assets`, owned by this pallet, with the metadata.
		let asset = pallet_assets::Asset::<Test>::get(SEC).expect("asset created");
		assert_eq!(asset.owner, Tokenization::account_id());
		assert_eq!(asset.min_balance, 1);
		let metadata = pallet_assets::Metadata::<Test>::get(SEC);
		assert_eq!(metadata.name.to_vec(), b"Acme Shares".to_vec());
		assert_eq!(metadata.symbol.to_vec(), b"ACME".to_vec());
		assert_eq!(metadata.decimals, 2);

		// The deposit is held from the issuer.
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::TokenDeposit.into(), &ISSUER),
			TOKEN_DEPOSIT
		);
		assert_eq!(Balances::free_balance(ISSUER), free_before - TOKEN_DEPOSIT);

		System::assert_has_event(
			Event::TokenCreated {
				token: SEC,
				template,
				class: TokenClass::SecurityToken,
				issuer: ISSUER,
				cap: Some(500_000),
				document_hash: DOC,
			}
			.into(),
		);
		for role in [Role::Admin, Role::Minter, Role::Freezer, Role::Controller] {
			System::assert_has_event(
				Event::RoleGranted { token: SEC, who: ISSUER, role, by: ISSUER }.into(),
			);
		}
		System::assert_last_event(
			Event::RoleGranted { token: SEC, who: ISSUER, role: Role::Controller, by: ISSUER }
				.into(),
		);
	});
}

#[test]
fn create_token_without_cap_takes_the_template_limit() {
	run(|| {
		security_token();
		assert_eq!(Tokens::<Test>::get(SEC).and_then(|d| d.cap), Some(1_000_000));
		utility_token();
		assert_eq!(Tokens::<Test>::get(UTIL).and_then(|d| d.cap), None);
	});
}

#[test]
fn issuer_gets_the_template_roles_plus_admin() {
	run(|| {
		let template = register(TemplateSpec {
			issuer_roles: RoleSet::of(&[Role::Minter]),
			..security_spec()
		});
		create(SEC, template, None);
		assert_eq!(Roles::<Test>::get(SEC, ISSUER), RoleSet::of(&[Role::Admin, Role::Minter]));
		System::assert_has_event(
			Event::RoleGranted { token: SEC, who: ISSUER, role: Role::Admin, by: ISSUER }.into(),
		);
		System::assert_last_event(
			Event::RoleGranted { token: SEC, who: ISSUER, role: Role::Minter, by: ISSUER }.into(),
		);
		// Without the freezer role the issuer cannot pause.
		assert_noop!(Tokenization::pause(signed(ISSUER), SEC, REASON), Error::<Test>::MissingRole);
	});
}

#[test]
fn create_nft_collection_token_makes_a_collection() {
	run(|| {
		let template = register(nft_spec());
		create(ART, template, Some(2));
		let details = Tokens::<Test>::get(ART).expect("stored");
		assert_eq!(details.class, TokenClass::NftCollection);
		assert_eq!(details.cap, Some(2));
		assert_eq!(details.items, 0);
		let collection = details.collection.expect("a collection");
		assert_eq!(CollectionTokens::<Test>::get(collection), Some(ART));
		assert!(Tokenization::is_managed_collection(&collection));
		assert_eq!(Nfts::collection_owner(collection), Some(Tokenization::account_id()));
		// No `pallet-assets` asset is made for a collection.
		assert!(!Assets::asset_exists(ART));
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::TokenDeposit.into(), &ISSUER),
			TOKEN_DEPOSIT
		);
		System::assert_has_event(
			Event::TokenCreated {
				token: ART,
				template,
				class: TokenClass::NftCollection,
				issuer: ISSUER,
				cap: Some(2),
				document_hash: DOC,
			}
			.into(),
		);
		// A second collection token gets the next collection.
		create(ART + 1, template, None);
		assert_eq!(collection_of(ART + 1), collection + 1);
		assert_eq!(Templates::<Test>::get(template).map(|t| t.live_tokens), Some(2));
	});
}

#[test]
fn create_token_errors() {
	run(|| {
		let template = register(security_spec());
		let create_with = |who, token, name: &[u8], symbol: &[u8], cap| {
			Tokenization::create_token(
				signed(who),
				token,
				template,
				text(name),
				text(symbol),
				cap,
				DOC,
			)
		};
		assert_noop!(create_with(ISSUER, SEC, b"", b"TKN", None), Error::<Test>::BadMetadata);
		assert_noop!(create_with(ISSUER, SEC, b"Token", b"", None), Error::<Test>::BadMetadata);
		assert_noop!(
			create_with(ISSUER, SEC, b"Token", b"TKN", Some(0)),
			Error::<Test>::InvalidCap
		);
		assert_noop!(
			create_with(ISSUER, SEC, b"Token", b"TKN", Some(1_000_001)),
			Error::<Test>::InvalidCap
		);
		// The id of an unmanaged `pallet-assets` asset.
		assert_noop!(create_with(ISSUER, USD, b"Token", b"TKN", None), Error::<Test>::TokenIdInUse);
		// No native balance for the deposit.
		assert_noop!(
			create_with(NOBODY, SEC, b"Token", b"TKN", None),
			Error::<Test>::InsufficientFunds
		);
		assert_noop!(
			Tokenization::create_token(
				RuntimeOrigin::none(),
				SEC,
				template,
				text(b"Token"),
				text(b"TKN"),
				None,
				DOC
			),
			DispatchError::BadOrigin
		);
		assert_ok!(create_with(ISSUER, SEC, b"Token", b"TKN", Some(1_000_000)));
		// The id of a managed token, fungible or not.
		assert_noop!(create_with(ALICE, SEC, b"Token", b"TKN", None), Error::<Test>::TokenIdInUse);
		nft_token();
		assert_noop!(create_with(ALICE, ART, b"Token", b"TKN", None), Error::<Test>::TokenIdInUse);
	});
}

#[test]
fn live_token_count_overflow_is_refused() {
	run(|| {
		let template = register(security_spec());
		// Reachable only with 2^32 tokens from one template; the count is set to the last value.
		Templates::<Test>::mutate(template, |t| t.as_mut().expect("exists").live_tokens = u32::MAX);
		assert_noop!(
			Tokenization::create_token(
				signed(ISSUER),
				SEC,
				template,
				text(b"Token"),
				text(b"TKN"),
				None,
				DOC
			),
			Error::<Test>::Overflow
		);
		// Put back a consistent count for the invariant check.
		Templates::<Test>::mutate(template, |t| t.as_mut().expect("exists").live_tokens = 0);
	});
}

#[test]
fn set_document_replaces_the_digest() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::set_document(signed(ISSUER), SEC, REPORT));
		assert_eq!(Tokens::<Test>::get(SEC).map(|d| d.document_hash), Some(REPORT));
		System::assert_last_event(
			Event::DocumentUpdated { token: SEC, document_hash: REPORT }.into(),
		);
		assert_noop!(
			Tokenization::set_document(signed(ALICE), SEC, DOC),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::set_document(signed(ISSUER), SEC + 1, DOC),
			Error::<Test>::UnknownToken
		);
	});
}

// --- Roles ---

#[test]
fn grant_and_revoke_roles() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Minter));
		System::assert_last_event(
			Event::RoleGranted { token: SEC, who: ALICE, role: Role::Minter, by: ISSUER }.into(),
		);
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Admin));
		assert_eq!(Roles::<Test>::get(SEC, ALICE), RoleSet::of(&[Role::Minter, Role::Admin]));
		assert_eq!(Tokenization::roles_of(SEC, ALICE), RoleSet::of(&[Role::Minter, Role::Admin]));

		// Alice, now an admin, grants and revokes too.
		assert_ok!(Tokenization::grant_role(signed(ALICE), SEC, BOB, Role::Freezer));
		assert_ok!(Tokenization::revoke_role(signed(ALICE), SEC, BOB, Role::Freezer));
		System::assert_last_event(
			Event::RoleRevoked { token: SEC, who: BOB, role: Role::Freezer, by: ALICE }.into(),
		);
		assert!(!Roles::<Test>::contains_key(SEC, BOB), "an empty role set is removed");

		assert_ok!(Tokenization::revoke_role(signed(ISSUER), SEC, ALICE, Role::Admin));
		assert_eq!(Roles::<Test>::get(SEC, ALICE), RoleSet::of(&[Role::Minter]));
		// The issuer may revoke their own other roles, not their admin role.
		assert_ok!(Tokenization::revoke_role(signed(ISSUER), SEC, ISSUER, Role::Controller));
		assert!(!Roles::<Test>::get(SEC, ISSUER).contains(Role::Controller));
	});
}

#[test]
fn role_errors() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Minter));
		assert_noop!(
			Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Minter),
			Error::<Test>::RoleAlreadyHeld
		);
		assert_noop!(
			Tokenization::revoke_role(signed(ISSUER), SEC, ALICE, Role::Freezer),
			Error::<Test>::RoleNotHeld
		);
		assert_noop!(
			Tokenization::revoke_role(signed(ISSUER), SEC, ISSUER, Role::Admin),
			Error::<Test>::CannotRevokeIssuerAdmin
		);
		// A minter is not an admin.
		assert_noop!(
			Tokenization::grant_role(signed(ALICE), SEC, BOB, Role::Minter),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::revoke_role(signed(ALICE), SEC, ALICE, Role::Minter),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::grant_role(signed(ISSUER), SEC + 1, BOB, Role::Minter),
			Error::<Test>::UnknownToken
		);
		assert_noop!(
			Tokenization::grant_role(RuntimeOrigin::none(), SEC, BOB, Role::Minter),
			DispatchError::BadOrigin
		);
	});
}

// --- Mint, burn, transfer ---

#[test]
fn mint_credits_the_beneficiary() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::mint(signed(ISSUER), SEC, ALICE, 1_000));
		assert_eq!(balance(SEC, ALICE), 1_000);
		assert_eq!(supply(SEC), 1_000);
		System::assert_last_event(Event::Minted { token: SEC, to: ALICE, amount: 1_000 }.into());
		// A granted minter mints too, up to the cap exactly.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Minter));
		assert_ok!(Tokenization::mint(signed(BOB), SEC, CHARLIE, 999_000));
		assert_eq!(supply(SEC), 1_000_000);
		assert_eq!(
			Tokenization::token_info(SEC).map(|i| (i.supply, i.cap)),
			Some((1_000_000, Some(1_000_000)))
		);
	});
}

#[test]
fn mint_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 999_000);
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, ALICE, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Tokenization::mint(signed(ALICE), SEC, ALICE, 1), Error::<Test>::MissingRole);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC, ALICE, 1_001),
			Error::<Test>::CapExceeded
		);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC + 1, ALICE, 1),
			Error::<Test>::UnknownToken
		);
		assert_noop!(Tokenization::mint(signed(ISSUER), ART, ALICE, 1), Error::<Test>::WrongClass);
		// Past any cap: the supply would overflow the balance type.
		utility_token();
		mint(UTIL, ALICE, 1);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), UTIL, BOB, u64::MAX),
			Error::<Test>::Overflow
		);
		// A beneficiary without a native account cannot be given a non-sufficient asset.
		assert!(Tokenization::mint(signed(ISSUER), SEC, NOBODY, 1).is_err());
	});
}

#[test]
fn mint_is_refused_to_frozen_accounts_and_while_paused() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC, ALICE, 10),
			Error::<Test>::AccountFrozen
		);
		mint(SEC, BOB, 10);
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, BOB, 10), Error::<Test>::TokenPaused);
	});
}

#[test]
fn mint_applies_the_default_lockup() {
	run(|| {
		vesting_token();
		assert_ok!(Tokenization::mint(signed(ISSUER), VEST, ALICE, 500));
		let schedule = LockupSchedule { total: 500, start: 1, terms: VEST_TERMS };
		assert_eq!(Lockups::<Test>::get(VEST, ALICE).to_vec(), vec![schedule]);
		System::assert_has_event(Event::Minted { token: VEST, to: ALICE, amount: 500 }.into());
		System::assert_last_event(
			Event::LockupAdded { token: VEST, holder: ALICE, schedule }.into(),
		);
		assert_eq!(locked(VEST, ALICE), 500);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), VEST, BOB, 1),
			Error::<Test>::InsufficientTransferable
		);

		// Once fully unlocked, the schedule is dropped when the next mint adds one.
		System::set_block_number(51);
		assert_eq!(locked(VEST, ALICE), 0);
		mint(VEST, ALICE, 200);
		let second = LockupSchedule { total: 200, start: 51, terms: VEST_TERMS };
		assert_eq!(Lockups::<Test>::get(VEST, ALICE).to_vec(), vec![second]);
		System::assert_has_event(
			Event::LockupsPruned { token: VEST, holder: ALICE, removed: 1 }.into(),
		);
		System::assert_last_event(
			Event::LockupAdded { token: VEST, holder: ALICE, schedule: second }.into(),
		);
		assert_eq!(transferable(VEST, ALICE), 500);
	});
}

#[test]
fn mint_with_default_lockup_respects_the_schedule_limit() {
	run(|| {
		vesting_token();
		// MaxLockups is 3.
		for _ in 0..3 {
			mint(VEST, ALICE, 10);
		}
		assert_noop!(
			Tokenization::mint(signed(ISSUER), VEST, ALICE, 10),
			Error::<Test>::TooManyLockups
		);
	});
}

#[test]
fn burn_destroys_the_minters_own_units() {
	run(|| {
		security_token();
		mint(SEC, ISSUER, 1_000);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 400));
		assert_eq!(balance(SEC, ISSUER), 600);
		assert_eq!(supply(SEC), 600);
		System::assert_last_event(Event::Burned { token: SEC, from: ISSUER, amount: 400 }.into());
		// Burning everything reaps the account.
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 600));
		assert_eq!(supply(SEC), 0);
		assert!(!pallet_assets::Account::<Test>::contains_key(SEC, ISSUER));
	});
}

#[test]
fn burn_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ISSUER, 1_000);
		mint(SEC, ALICE, 1_000);
		assert_noop!(Tokenization::burn(signed(ISSUER), SEC, 0), Error::<Test>::ZeroAmount);
		assert_noop!(Tokenization::burn(signed(ALICE), SEC, 1), Error::<Test>::MissingRole);
		assert_noop!(
			Tokenization::burn(signed(ISSUER), SEC, 1_001),
			Error::<Test>::InsufficientTransferable
		);
		assert_noop!(Tokenization::burn(signed(ISSUER), ART, 1), Error::<Test>::WrongClass);
		assert_noop!(Tokenization::burn(signed(ISSUER), SEC + 1, 1), Error::<Test>::UnknownToken);
		// Locked units cannot be burned.
		lock(SEC, ISSUER, 300, 10, 20);
		assert_noop!(
			Tokenization::burn(signed(ISSUER), SEC, 701),
			Error::<Test>::InsufficientTransferable
		);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 700));
		mint(SEC, ISSUER, 100);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ISSUER, REASON));
		assert_noop!(Tokenization::burn(signed(ISSUER), SEC, 1), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, ISSUER, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(Tokenization::burn(signed(ISSUER), SEC, 1), Error::<Test>::TokenPaused);
	});
}

#[test]
fn transfer_moves_units() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 300));
		assert_eq!(balance(SEC, ALICE), 700);
		assert_eq!(balance(SEC, BOB), 300);
		assert_eq!(supply(SEC), 1_000);
		System::assert_last_event(
			Event::Transferred { token: SEC, from: ALICE, to: BOB, amount: 300 }.into(),
		);
		// Sending everything reaps the sender's account.
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 700));
		assert_eq!(balance(SEC, BOB), 1_000);
		assert!(!pallet_assets::Account::<Test>::contains_key(SEC, ALICE));
	});
}

#[test]
fn transfer_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		assert_noop!(Tokenization::transfer(signed(ALICE), SEC, BOB, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, ALICE, 1),
			Error::<Test>::SelfTransfer
		);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1_001),
			Error::<Test>::InsufficientTransferable
		);
		assert_noop!(
			Tokenization::transfer(signed(BOB), SEC, ALICE, 1),
			Error::<Test>::InsufficientTransferable
		);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC + 1, BOB, 1),
			Error::<Test>::UnknownToken
		);
		assert_noop!(Tokenization::transfer(signed(ALICE), ART, BOB, 1), Error::<Test>::WrongClass);
		assert_noop!(
			Tokenization::transfer(RuntimeOrigin::none(), SEC, BOB, 1),
			DispatchError::BadOrigin
		);

		// Frozen sender or receiver.
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, BOB, REASON));
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1),
			Error::<Test>::AccountFrozen
		);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, CHARLIE, 1),
			Error::<Test>::AccountFrozen
		);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, BOB, REASON));

		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1),
			Error::<Test>::TokenPaused
		);
		assert_ok!(Tokenization::unpause(signed(ISSUER), SEC, REASON));
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 1));
	});
}

// --- Allowlist ---

#[test]
fn set_allowlisted_adds_and_removes() {
	run(|| {
		kyc_token();
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ALICE, true));
		assert!(Tokenization::account_state(&KYC, &ALICE).allowlisted);
		System::assert_last_event(
			Event::AllowlistChanged { token: KYC, who: ALICE, allowed: true }.into(),
		);
		// A controller (not admin) may change the allowlist too.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), KYC, BOB, Role::Controller));
		assert_ok!(Tokenization::set_allowlisted(signed(BOB), KYC, ALICE, false));
		assert!(!Tokenization::account_state(&KYC, &ALICE).allowlisted);
		System::assert_last_event(
			Event::AllowlistChanged { token: KYC, who: ALICE, allowed: false }.into(),
		);

		// Neither admin nor controller: a minter only.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), KYC, CHARLIE, Role::Minter));
		assert_noop!(
			Tokenization::set_allowlisted(signed(CHARLIE), KYC, ALICE, true),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::set_allowlisted(signed(ALICE), KYC, ALICE, true),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::set_allowlisted(signed(ISSUER), KYC + 1, ALICE, true),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn allowlisted_policy_blocks_mints_and_transfers_to_others() {
	run(|| {
		kyc_token();
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ALICE, true));
		assert_noop!(
			Tokenization::mint(signed(ISSUER), KYC, BOB, 100),
			Error::<Test>::NotAllowlisted
		);
		mint(KYC, ALICE, 100);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), KYC, BOB, 10),
			Error::<Test>::NotAllowlisted
		);
		// A controller cannot claw back to a non-allowlisted account either.
		assert_noop!(
			Tokenization::force_transfer(signed(ISSUER), KYC, ALICE, BOB, 10, REASON),
			Error::<Test>::NotAllowlisted
		);
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, BOB, true));
		assert_ok!(Tokenization::transfer(signed(ALICE), KYC, BOB, 10));
		assert_eq!(balance(KYC, BOB), 10);
		// Removed from the allowlist, Alice can no longer send (nor receive).
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ALICE, false));
		assert_noop!(
			Tokenization::transfer(signed(ALICE), KYC, BOB, 10),
			Error::<Test>::NotAllowlisted
		);
		assert_noop!(
			Tokenization::transfer(signed(BOB), KYC, ALICE, 10),
			Error::<Test>::NotAllowlisted
		);
		// A minter burns from their own account, which must be allowlisted too.
		assert_noop!(Tokenization::burn(signed(ISSUER), KYC, 5), Error::<Test>::NotAllowlisted);
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ISSUER, true));
		mint(KYC, ISSUER, 5);
		assert_ok!(Tokenization::burn(signed(ISSUER), KYC, 5));
	});
}

// --- Lock-ups ---

#[test]
fn add_lockup_locks_part_of_the_balance() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		let terms = LockupTerms { cliff: 10, duration: 100 };
		assert_ok!(Tokenization::add_lockup(signed(ISSUER), SEC, ALICE, 600, terms, None));
		let schedule = LockupSchedule { total: 600, start: 1, terms };
		assert_eq!(Lockups::<Test>::get(SEC, ALICE).to_vec(), vec![schedule]);
		System::assert_last_event(
			Event::LockupAdded { token: SEC, holder: ALICE, schedule }.into(),
		);
		assert_eq!(locked(SEC, ALICE), 600);
		assert_eq!(transferable(SEC, ALICE), 400);
		assert_eq!(
			Tokenization::holder_balance(SEC, ALICE),
			Some(HolderBalance { total: 1_000, locked: 600, transferable: 400, frozen: false })
		);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 401),
			Error::<Test>::InsufficientTransferable
		);
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 400));
		// A second schedule may lock only what is still unlocked: nothing now.
		assert_noop!(
			Tokenization::add_lockup(signed(ISSUER), SEC, ALICE, 1, terms, None),
			Error::<Test>::LockupExceedsBalance
		);
	});
}

#[test]
fn add_lockup_with_a_backdated_start_is_partly_vested_already() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		System::set_block_number(101);
		let terms = LockupTerms { cliff: 20, duration: 200 };
		assert_ok!(Tokenization::add_lockup(signed(ISSUER), SEC, ALICE, 1_000, terms, Some(1)));
		let schedule = LockupSchedule { total: 1_000, start: 1, terms };
		System::assert_last_event(
			Event::LockupAdded { token: SEC, holder: ALICE, schedule }.into(),
		);
		// 100 of 200 blocks have passed: half is unlocked.
		assert_eq!(locked(SEC, ALICE), 500);
		assert_eq!(transferable(SEC, ALICE), 500);
		System::set_block_number(151);
		assert_eq!(locked(SEC, ALICE), 250);
		// A start in the future locks everything until then.
		mint(SEC, BOB, 100);
		assert_ok!(Tokenization::add_lockup(signed(ISSUER), SEC, BOB, 100, terms, Some(1_000)));
		assert_eq!(locked(SEC, BOB), 100);
	});
}

#[test]
fn add_lockup_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		System::set_block_number(101);
		let terms = LockupTerms { cliff: 10, duration: 100 };
		let add = |who, amount, terms, start| {
			Tokenization::add_lockup(signed(who), SEC, ALICE, amount, terms, start)
		};
		assert_noop!(add(ISSUER, 0, terms, None), Error::<Test>::ZeroAmount);
		assert_noop!(add(ALICE, 10, terms, None), Error::<Test>::MissingRole);
		assert_noop!(add(ISSUER, 1_001, terms, None), Error::<Test>::LockupExceedsBalance);
		assert_noop!(
			add(ISSUER, 10, LockupTerms { cliff: 0, duration: 0 }, None),
			Error::<Test>::InvalidLockup
		);
		assert_noop!(
			add(ISSUER, 10, LockupTerms { cliff: 11, duration: 10 }, None),
			Error::<Test>::InvalidLockup
		);
		// Started at block 1 and ran 100 blocks: fully unlocked by now (block 101).
		assert_noop!(add(ISSUER, 10, terms, Some(1)), Error::<Test>::LockupExpired);
		assert_ok!(add(ISSUER, 10, terms, Some(2)));
		assert_noop!(
			Tokenization::add_lockup(signed(ISSUER), ART, ALICE, 1, terms, None),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::add_lockup(signed(ISSUER), SEC + 1, ALICE, 1, terms, None),
			Error::<Test>::UnknownToken
		);
		// MaxLockups is 3.
		assert_ok!(add(ISSUER, 10, terms, None));
		assert_ok!(add(ISSUER, 10, terms, None));
		assert_noop!(add(ISSUER, 10, terms, None), Error::<Test>::TooManyLockups);
	});
}

#[test]
fn lockups_unlock_after_the_cliff_then_linearly_for_every_path() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_200);
		// 1_000 locked from block 1: nothing before block 21, then linear until block 121.
		lock(SEC, ALICE, 1_000, 20, 120);
		// At each block: what Alice may send. A direct `pallet-assets` transfer (bypassing this
		// pallet's calls) of one unit more fails; exactly that much succeeds.
		let steps: [(u64, Balance, Balance); 7] = [
			// (block, locked, newly transferable)
			(1, 1_000, 200),
			(20, 1_000, 0),
			// 100 of 120 blocks left: ⌈1_000 × 100 / 120⌉ = 834.
			(21, 834, 166),
			// ⌈1_000 × 60 / 120⌉ = 500.
			(61, 500, 334),
			// ⌈1_000 × 59 / 120⌉ = 492.
			(62, 492, 8),
			// ⌈1_000 × 20 / 120⌉ = 167.
			(101, 167, 325),
			(121, 0, 167),
		];
		let mut sent = 0;
		for (block, expected_locked, newly_free) in steps {
			System::set_block_number(block);
			assert_eq!(locked(SEC, ALICE), expected_locked, "locked at block {block}");
			assert_eq!(transferable(SEC, ALICE), newly_free, "transferable at block {block}");
			assert_noop!(
				Assets::transfer(signed(ALICE), SEC, BOB, newly_free + 1),
				pallet_assets::Error::<Test>::BalanceLow
			);
			assert_noop!(
				Tokenization::transfer(signed(ALICE), SEC, BOB, newly_free + 1),
				Error::<Test>::InsufficientTransferable
			);
			if newly_free > 0 {
				assert_ok!(Assets::transfer(signed(ALICE), SEC, BOB, newly_free));
			}
			sent += newly_free;
			assert_eq!(balance(SEC, BOB), sent);
			check_invariants();
		}
		// Everything moved; the emptied account was reaped and its schedules with it.
		assert_eq!(sent, 1_200);
		assert!(!pallet_assets::Account::<Test>::contains_key(SEC, ALICE));
		assert!(!Lockups::<Test>::contains_key(SEC, ALICE));
	});
}

#[test]
fn locked_units_cannot_leave_through_any_pallet_assets_call() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 100);
		lock(SEC, ALICE, 100, 10, 10);
		assert_noop!(
			Assets::transfer_keep_alive(signed(ALICE), SEC, BOB, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		// `transfer_all` moves what is reducible: nothing (too little to create Bob's account).
		assert_noop!(
			Assets::transfer_all(signed(ALICE), SEC, BOB, false),
			DispatchError::Token(TokenError::BelowMinimum)
		);
		// Nor can an approved delegate take them.
		assert_ok!(Assets::approve_transfer(signed(ALICE), SEC, BOB, 50));
		assert_noop!(
			Assets::transfer_approved(signed(BOB), SEC, ALICE, CHARLIE, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		// Once unlocked, they can.
		System::set_block_number(11);
		assert_ok!(Assets::transfer_approved(signed(BOB), SEC, ALICE, CHARLIE, 50));
		assert_eq!(balance(SEC, CHARLIE), 50);
	});
}

#[test]
fn release_lockups_frees_everything() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		lock(SEC, ALICE, 300, 10, 100);
		lock(SEC, ALICE, 300, 50, 100);
		assert_eq!(transferable(SEC, ALICE), 400);
		assert_ok!(Tokenization::release_lockups(signed(ISSUER), SEC, ALICE, REASON));
		assert!(!Lockups::<Test>::contains_key(SEC, ALICE));
		assert_eq!(transferable(SEC, ALICE), 1_000);
		System::assert_last_event(
			Event::LockupsReleased { token: SEC, holder: ALICE, reason: REASON }.into(),
		);
		assert_ok!(Assets::transfer(signed(ALICE), SEC, BOB, 1_000));
	});
}

#[test]
fn release_lockups_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		assert_noop!(
			Tokenization::release_lockups(signed(ISSUER), SEC, ALICE, REASON),
			Error::<Test>::NoLockups
		);
		lock(SEC, ALICE, 300, 10, 100);
		// An admin that is not a controller.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Admin));
		assert_noop!(
			Tokenization::release_lockups(signed(BOB), SEC, ALICE, REASON),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::release_lockups(signed(ISSUER), ART, ALICE, REASON),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::release_lockups(signed(ISSUER), SEC + 1, ALICE, REASON),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn prune_lockups_removes_only_fully_unlocked_schedules() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		lock(SEC, ALICE, 100, 0, 10);
		lock(SEC, ALICE, 100, 0, 20);
		lock(SEC, ALICE, 100, 0, 50);
		assert_noop!(
			Tokenization::prune_lockups(signed(BOB), SEC, ALICE),
			Error::<Test>::NoLockups
		);
		System::set_block_number(21);
		// Anyone may prune.
		assert_ok!(Tokenization::prune_lockups(signed(BOB), SEC, ALICE));
		System::assert_last_event(
			Event::LockupsPruned { token: SEC, holder: ALICE, removed: 2 }.into(),
		);
		let left = Lockups::<Test>::get(SEC, ALICE);
		assert_eq!(left.len(), 1);
		assert_eq!(left[0].terms.duration, 50);
		// Pruning changes no balance: ⌈100 × 30 / 50⌉ = 60 stay locked.
		assert_eq!(locked(SEC, ALICE), 60);
		assert_noop!(
			Tokenization::prune_lockups(signed(BOB), SEC, ALICE),
			Error::<Test>::NoLockups
		);
		System::set_block_number(51);
		assert_ok!(Tokenization::prune_lockups(signed(BOB), SEC, ALICE));
		assert!(!Lockups::<Test>::contains_key(SEC, ALICE));
		assert_noop!(
			Tokenization::prune_lockups(signed(BOB), ART, ALICE),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::prune_lockups(signed(BOB), SEC + 1, ALICE),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn add_lockup_drops_fully_unlocked_schedules_first() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		lock(SEC, ALICE, 100, 0, 10);
		lock(SEC, ALICE, 100, 0, 10);
		lock(SEC, ALICE, 100, 0, 10);
		System::set_block_number(11);
		// Three schedules stored, all fully unlocked: a fourth fits.
		lock(SEC, ALICE, 100, 0, 10);
		System::assert_has_event(
			Event::LockupsPruned { token: SEC, holder: ALICE, removed: 3 }.into(),
		);
		assert_eq!(Lockups::<Test>::get(SEC, ALICE).len(), 1);
	});
}

// --- Freeze, pause, clawback ---

#[test]
fn freeze_and_thaw_account() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_eq!(Tokenization::account_state(&SEC, &ALICE).frozen, Some(REASON));
		System::assert_last_event(
			Event::AccountFrozen { token: SEC, who: ALICE, reason: REASON }.into(),
		);
		assert_eq!(
			Tokenization::holder_balance(SEC, ALICE),
			Some(HolderBalance { total: 1_000, locked: 0, transferable: 0, frozen: true })
		);
		// The ledger itself refuses to debit a frozen account.
		assert_noop!(
			Assets::transfer(signed(ALICE), SEC, BOB, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1),
			Error::<Test>::AccountFrozen
		);
		// Other holders are not affected.
		mint(SEC, BOB, 10);
		assert_ok!(Assets::transfer(signed(BOB), SEC, CHARLIE, 5));

		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, ALICE, REASON + 1));
		assert!(!AccountStates::<Test>::contains_key(SEC, ALICE));
		System::assert_last_event(
			Event::AccountThawed { token: SEC, who: ALICE, reason: REASON + 1 }.into(),
		);
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 1));
	});
}

#[test]
fn freeze_errors() {
	run(|| {
		security_token();
		assert_noop!(
			Tokenization::thaw_account(signed(ISSUER), SEC, ALICE, REASON),
			Error::<Test>::AccountNotFrozen
		);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_noop!(
			Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON),
			Error::<Test>::AccountFrozen
		);
		assert_noop!(
			Tokenization::freeze_account(signed(BOB), SEC, CHARLIE, REASON),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::thaw_account(signed(BOB), SEC, ALICE, REASON),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::freeze_account(signed(ISSUER), SEC + 1, ALICE, REASON),
			Error::<Test>::UnknownToken
		);
		assert_noop!(
			Tokenization::thaw_account(signed(ISSUER), SEC + 1, ALICE, REASON),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn pause_and_unpause() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_eq!(Tokens::<Test>::get(SEC).map(|d| d.paused), Some(true));
		System::assert_last_event(Event::TokenPaused { token: SEC, reason: REASON }.into());
		assert_eq!(Tokenization::holder_balance(SEC, ALICE).map(|b| b.transferable), Some(0));
		assert_eq!(Tokenization::token_info(SEC).map(|i| i.paused), Some(true));
		// The ledger refuses every debit of a paused token.
		assert_noop!(
			Assets::transfer(signed(ALICE), SEC, BOB, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1),
			Error::<Test>::TokenPaused
		);

		assert_ok!(Tokenization::unpause(signed(ISSUER), SEC, REASON + 1));
		assert_eq!(Tokens::<Test>::get(SEC).map(|d| d.paused), Some(false));
		System::assert_last_event(Event::TokenUnpaused { token: SEC, reason: REASON + 1 }.into());
		assert_ok!(Assets::transfer(signed(ALICE), SEC, BOB, 1));
	});
}

#[test]
fn pause_errors() {
	run(|| {
		security_token();
		assert_noop!(
			Tokenization::unpause(signed(ISSUER), SEC, REASON),
			Error::<Test>::TokenNotPaused
		);
		assert_noop!(Tokenization::pause(signed(ALICE), SEC, REASON), Error::<Test>::MissingRole);
		assert_noop!(
			Tokenization::pause(signed(ISSUER), SEC + 1, REASON),
			Error::<Test>::UnknownToken
		);
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(Tokenization::pause(signed(ISSUER), SEC, REASON), Error::<Test>::TokenPaused);
		assert_noop!(Tokenization::unpause(signed(ALICE), SEC, REASON), Error::<Test>::MissingRole);
	});
}

#[test]
fn force_transfer_moves_units_without_consent() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, BOB, 250, REASON));
		assert_eq!(balance(SEC, ALICE), 750);
		assert_eq!(balance(SEC, BOB), 250);
		System::assert_last_event(
			Event::ForcedTransfer {
				token: SEC,
				from: ALICE,
				to: BOB,
				amount: 250,
				reason: REASON,
				controller: ISSUER,
			}
			.into(),
		);
		assert!(ForcedDebit::<Test>::get().is_none());
	});
}

#[test]
fn clawback_takes_locked_units_from_a_frozen_account_of_a_paused_token() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		lock(SEC, ALICE, 400, 50, 100);
		lock(SEC, ALICE, 200, 50, 100);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		// The 400 unlocked units go first, then 300 locked ones: the first schedule shrinks by
		// them.
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, BOB, 700, REASON));
		assert_eq!(balance(SEC, ALICE), 300);
		assert_eq!(balance(SEC, BOB), 700);
		let totals: Vec<Balance> =
			Lockups::<Test>::get(SEC, ALICE).iter().map(|s| s.total).collect();
		assert_eq!(totals, vec![100, 200]);
		assert_eq!(locked(SEC, ALICE), 300);
		System::assert_last_event(
			Event::ForcedTransfer {
				token: SEC,
				from: ALICE,
				to: BOB,
				amount: 700,
				reason: REASON,
				controller: ISSUER,
			}
			.into(),
		);
		// The freeze and the pause still hold for everyone else's paths.
		assert!(ForcedDebit::<Test>::get().is_none());
		assert_noop!(
			Assets::transfer(signed(ALICE), SEC, BOB, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		assert_noop!(
			Assets::transfer(signed(BOB), SEC, ALICE, 1),
			pallet_assets::Error::<Test>::BalanceLow
		);
		// Taking the rest empties the account; its schedules go with it.
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, BOB, 300, REASON));
		assert_eq!(balance(SEC, BOB), 1_000);
		assert!(!Lockups::<Test>::contains_key(SEC, ALICE));
	});
}

#[test]
fn clawback_during_linear_unlocking_leaves_exactly_the_rest_locked() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		// Everything locked from block 1, unlocking linearly over 100 blocks.
		lock(SEC, ALICE, 1_000, 0, 100);
		System::set_block_number(51);
		assert_eq!(locked(SEC, ALICE), 500);
		// 500 unlocked units go first, then 250 of the 500 locked ones.
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, BOB, 750, REASON));
		assert_eq!(balance(SEC, ALICE), 250);
		assert_eq!(locked(SEC, ALICE), 250, "locked drops by the locked units taken");
		// Units received later are not locked by the old schedule.
		mint(SEC, ALICE, 100);
		assert_eq!(transferable(SEC, ALICE), 100);
		// The rest keeps unlocking on the original dates: half of it by block 76, all by 101.
		System::set_block_number(76);
		assert_eq!(locked(SEC, ALICE), 125);
		System::set_block_number(101);
		assert_eq!(locked(SEC, ALICE), 0);
		assert_eq!(transferable(SEC, ALICE), 350);
	});
}

#[test]
fn force_transfer_errors() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		let force = |who, from, to, amount| {
			Tokenization::force_transfer(signed(who), SEC, from, to, amount, REASON)
		};
		assert_noop!(force(ISSUER, ALICE, BOB, 0), Error::<Test>::ZeroAmount);
		assert_noop!(force(ISSUER, ALICE, ALICE, 1), Error::<Test>::SelfTransfer);
		assert_noop!(force(ISSUER, ALICE, BOB, 1_001), Error::<Test>::InsufficientBalance);
		// An admin that is not a controller.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Admin));
		assert_noop!(force(BOB, ALICE, BOB, 1), Error::<Test>::MissingRole);
		assert_noop!(
			Tokenization::force_transfer(signed(ISSUER), ART, ALICE, BOB, 1, REASON),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::force_transfer(signed(ISSUER), SEC + 1, ALICE, BOB, 1, REASON),
			Error::<Test>::UnknownToken
		);
	});
}

// --- Stablecoins ---

#[test]
fn set_reserve_attestor_sets_and_removes() {
	run(|| {
		stablecoin();
		assert_ok!(Tokenization::set_reserve_attestor(root(), STABLE, Some(CHARLIE)));
		assert_eq!(ReserveAttestors::<Test>::get(STABLE), Some(CHARLIE));
		System::assert_last_event(
			Event::ReserveAttestorSet { token: STABLE, attestor: Some(CHARLIE) }.into(),
		);
		assert_ok!(Tokenization::set_reserve_attestor(root(), STABLE, None));
		assert_eq!(ReserveAttestors::<Test>::get(STABLE), None);
		System::assert_last_event(
			Event::ReserveAttestorSet { token: STABLE, attestor: None }.into(),
		);
		assert_noop!(
			Tokenization::attest_reserves(signed(CHARLIE), STABLE, 1, REPORT),
			Error::<Test>::NotAttestor
		);
	});
}

#[test]
fn set_reserve_attestor_errors() {
	run(|| {
		stablecoin();
		security_token();
		assert_noop!(
			Tokenization::set_reserve_attestor(signed(ISSUER), STABLE, Some(CHARLIE)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Tokenization::set_reserve_attestor(root(), SEC, Some(CHARLIE)),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::set_reserve_attestor(root(), STABLE + 1, Some(CHARLIE)),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn attest_reserves_records_and_flags_a_shortfall() {
	run(|| {
		stablecoin();
		assert_ok!(Tokenization::set_reserve_attestor(root(), STABLE, Some(CHARLIE)));
		assert_ok!(Tokenization::attest_reserves(signed(CHARLIE), STABLE, 1_000, REPORT));
		assert_eq!(
			Reserves::<Test>::get(STABLE),
			Some(ReserveAttestation {
				amount: 1_000,
				report_hash: REPORT,
				attested_at: 1,
				shortfall: false
			})
		);
		System::assert_last_event(
			Event::ReservesAttested {
				token: STABLE,
				amount: 1_000,
				report_hash: REPORT,
				supply: 0,
			}
			.into(),
		);
		mint(STABLE, ALICE, 1_000);

		// Reserves fall below the supply: recorded as a shortfall, minting stops.
		System::set_block_number(5);
		assert_ok!(Tokenization::attest_reserves(signed(CHARLIE), STABLE, 900, DOC));
		System::assert_has_event(
			Event::ReservesAttested { token: STABLE, amount: 900, report_hash: DOC, supply: 1_000 }
				.into(),
		);
		System::assert_last_event(
			Event::ReserveShortfall { token: STABLE, reserves: 900, supply: 1_000 }.into(),
		);
		let reserves = Reserves::<Test>::get(STABLE).expect("attested");
		assert!(reserves.shortfall);
		assert_eq!(reserves.attested_at, 5);
		assert_eq!(Tokenization::token_info(STABLE).and_then(|i| i.reserves), Some(900));
		// Redemptions bring the supply under the reserves, but minting waits for a new report.
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 200));
		assert_noop!(
			Tokenization::mint(signed(ISSUER), STABLE, ALICE, 1),
			Error::<Test>::InsufficientReserves
		);
		assert_ok!(Tokenization::attest_reserves(signed(CHARLIE), STABLE, 900, REPORT));
		assert!(!Reserves::<Test>::get(STABLE).expect("attested").shortfall);
		mint(STABLE, ALICE, 100);
	});
}

#[test]
fn attest_reserves_errors() {
	run(|| {
		stablecoin();
		security_token();
		assert_noop!(
			Tokenization::attest_reserves(signed(CHARLIE), STABLE, 1, REPORT),
			Error::<Test>::NotAttestor
		);
		assert_ok!(Tokenization::set_reserve_attestor(root(), STABLE, Some(CHARLIE)));
		assert_noop!(
			Tokenization::attest_reserves(signed(ISSUER), STABLE, 1, REPORT),
			Error::<Test>::NotAttestor
		);
		assert_noop!(
			Tokenization::attest_reserves(signed(CHARLIE), SEC, 1, REPORT),
			Error::<Test>::WrongClass
		);
		assert_noop!(
			Tokenization::attest_reserves(signed(CHARLIE), STABLE + 1, 1, REPORT),
			Error::<Test>::UnknownToken
		);
	});
}

#[test]
fn stablecoin_mint_is_capped_by_attested_reserves() {
	run(|| {
		stablecoin();
		// No attestation yet: no minting at all.
		assert_noop!(
			Tokenization::mint(signed(ISSUER), STABLE, ALICE, 1),
			Error::<Test>::InsufficientReserves
		);
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 600);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), STABLE, BOB, 401),
			Error::<Test>::InsufficientReserves
		);
		mint(STABLE, BOB, 400);
		assert_eq!(supply(STABLE), 1_000);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), STABLE, BOB, 1),
			Error::<Test>::InsufficientReserves
		);
	});
}

#[test]
fn redeem_burns_and_records_a_redemption() {
	run(|| {
		stablecoin();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 1_000);
		System::set_block_number(3);
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 300));
		assert_eq!(balance(STABLE, ALICE), 700);
		assert_eq!(supply(STABLE), 700);
		// The holder pays for the record: a base and its bytes (a `Twox64Concat` key and the
		// value), native, until the issuer confirms.
		let mut redemption = Redemption {
			token: STABLE,
			holder: ALICE,
			amount: 300,
			requested_at: 3,
			deposit: Deposit::none(ALICE),
		};
		let bytes = 16 + redemption.encoded_size() as Balance;
		redemption.deposit.amount =
			StorageDepositBase::get() + StorageDepositPerByte::get() * bytes;
		let deposit = redemption.deposit.amount;
		assert_eq!(Redemptions::<Test>::get(0), Some(redemption));
		assert_eq!(storage_deposit_held(ALICE), deposit);
		assert_eq!(NextRedemptionId::<Test>::get(), 1);
		System::assert_last_event(
			Event::RedemptionRequested {
				redemption: 0,
				token: STABLE,
				holder: ALICE,
				amount: 300,
				deposit,
			}
			.into(),
		);
		Tokenization::do_try_state().expect("deposits accounted for");

		// A price change does not change what the redemption returns.
		StorageDepositBase::set(500);
		assert_ok!(Tokenization::confirm_redemption(signed(ISSUER), 0, DOC));
		assert!(Redemptions::<Test>::get(0).is_none());
		assert_eq!(storage_deposit_held(ALICE), 0, "the confirmation returns the deposit");
		System::assert_last_event(
			Event::RedemptionPaid { redemption: 0, payment_reference: DOC }.into(),
		);
	});
}

#[test]
fn redeem_and_confirm_errors() {
	run(|| {
		stablecoin();
		security_token();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 1_000);
		assert_noop!(Tokenization::redeem(signed(ALICE), STABLE, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Tokenization::redeem(signed(ALICE), STABLE, 1_001),
			Error::<Test>::InsufficientTransferable
		);
		mint(SEC, ALICE, 10);
		assert_noop!(Tokenization::redeem(signed(ALICE), SEC, 1), Error::<Test>::WrongClass);
		assert_noop!(
			Tokenization::redeem(signed(ALICE), STABLE + 1, 1),
			Error::<Test>::UnknownToken
		);
		lock(STABLE, ALICE, 500, 10, 10);
		assert_noop!(
			Tokenization::redeem(signed(ALICE), STABLE, 501),
			Error::<Test>::InsufficientTransferable
		);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), STABLE, ALICE, REASON));
		assert_noop!(Tokenization::redeem(signed(ALICE), STABLE, 1), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), STABLE, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), STABLE, REASON));
		assert_noop!(Tokenization::redeem(signed(ALICE), STABLE, 1), Error::<Test>::TokenPaused);
		assert_ok!(Tokenization::unpause(signed(ISSUER), STABLE, REASON));
		// Redemption ids run out only after 2^64 redemptions; the storage is set to the last.
		NextRedemptionId::<Test>::put(u64::MAX);
		assert_noop!(Tokenization::redeem(signed(ALICE), STABLE, 1), Error::<Test>::Overflow);
		NextRedemptionId::<Test>::put(0);

		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 1));
		assert_noop!(
			Tokenization::confirm_redemption(signed(ALICE), 0, DOC),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::confirm_redemption(signed(ISSUER), 1, DOC),
			Error::<Test>::UnknownRedemption
		);
		assert_ok!(Tokenization::confirm_redemption(signed(ISSUER), 0, DOC));
		assert_noop!(
			Tokenization::confirm_redemption(signed(ISSUER), 0, DOC),
			Error::<Test>::UnknownRedemption
		);
	});
}

// --- Distributions ---

/// Security token held 600 / 300 / 100 by Alice, Bob and Charlie.
fn held_600_300_100() {
	security_token();
	mint(SEC, ALICE, 600);
	mint(SEC, BOB, 300);
	mint(SEC, CHARLIE, 100);
}

/// The issuer distributes `amount` USD over `SEC` for 100 blocks; returns the id.
fn distribute(amount: Balance) -> DistributionId {
	let id = NextDistributionId::<Test>::get();
	assert_ok!(Tokenization::create_distribution(signed(ISSUER), SEC, usd(), amount, 100));
	id
}

#[test]
fn create_distribution_holds_the_payout() {
	run(|| {
		held_600_300_100();
		assert_ok!(Tokenization::create_distribution(signed(ISSUER), SEC, usd(), 10_000, 100));
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 10_000);
		assert_eq!(funds(usd(), ISSUER), 990_000);
		assert_eq!(
			Distributions::<Test>::get(0),
			Some(Distribution {
				token: SEC,
				payout_asset: usd(),
				payer: ISSUER,
				amount: 10_000,
				paid: 0,
				record_supply: 1_000,
				record_block: 1,
				expires_at: 101,
			})
		);
		assert_eq!(OpenDistributions::<Test>::get(SEC).to_vec(), vec![0]);
		assert_eq!(NextDistributionId::<Test>::get(), 1);
		System::assert_last_event(
			Event::DistributionCreated {
				distribution: 0,
				token: SEC,
				payout_asset: usd(),
				amount: 10_000,
				record_supply: 1_000,
				expires_at: 101,
			}
			.into(),
		);
		assert_eq!(
			Tokenization::claimable(SEC, ALICE),
			vec![Claimable { distribution: 0, payout_asset: usd(), amount: 6_000 }]
		);
	});
}

#[test]
fn create_distribution_errors() {
	run(|| {
		security_token();
		nft_token();
		let create = |who, token, asset, amount, duration| {
			Tokenization::create_distribution(signed(who), token, asset, amount, duration)
		};
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 100), Error::<Test>::NoSupply);
		mint(SEC, ALICE, 100);
		assert_noop!(create(ISSUER, SEC, usd(), 0, 100), Error::<Test>::ZeroAmount);
		assert_noop!(create(ALICE, SEC, usd(), 1_000, 100), Error::<Test>::MissingRole);
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 9), Error::<Test>::InvalidDuration);
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 1_001), Error::<Test>::InvalidDuration);
		assert_noop!(create(ISSUER, SEC, usd(), 1_000_001, 100), Error::<Test>::InsufficientFunds);
		// The issuer's native balance is 10_000 less the token deposits, and must stay alive.
		assert_noop!(create(ISSUER, SEC, NATIVE, 9_800, 100), Error::<Test>::InsufficientFunds);
		assert_noop!(create(ISSUER, ART, usd(), 1_000, 100), Error::<Test>::WrongClass);
		assert_noop!(create(ISSUER, SEC + 1, usd(), 1_000, 100), Error::<Test>::UnknownToken);
		// Ids run out only after 2^64 distributions; the storage is set to the last one.
		NextDistributionId::<Test>::put(u64::MAX);
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 100), Error::<Test>::Overflow);
		NextDistributionId::<Test>::put(0);
		// The expiry block would overflow the block number.
		System::set_block_number(u64::MAX - 50);
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 100), Error::<Test>::Overflow);
		System::set_block_number(1);
		// MaxOpenDistributions is 2.
		assert_ok!(create(ISSUER, SEC, usd(), 1_000, 100));
		assert_ok!(create(ISSUER, SEC, NATIVE, 1_000, 100));
		assert_noop!(create(ISSUER, SEC, usd(), 1_000, 100), Error::<Test>::TooManyDistributions);
	});
}

#[test]
fn claims_pay_pro_rata_to_balances_at_the_record_point() {
	run(|| {
		held_600_300_100();
		let id = distribute(10_000);
		// Changes after the record point do not change the shares.
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 600));
		mint(SEC, CHARLIE, 5_000);
		mint(SEC, ISSUER, 1_000);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 500));
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, BOB, ISSUER, 100, REASON));
		assert_eq!(RecordedBalances::<Test>::get(id, ALICE), Some(600));
		assert_eq!(RecordedBalances::<Test>::get(id, BOB), Some(300));
		assert_eq!(RecordedBalances::<Test>::get(id, CHARLIE), Some(100));
		assert_eq!(RecordedBalances::<Test>::get(id, ISSUER), Some(0));

		// Alice holds nothing now, but held 600 of 1_000.
		assert_ok!(Tokenization::claim_distribution(signed(ALICE), id));
		assert_eq!(funds(usd(), ALICE), 6_000);
		System::assert_last_event(
			Event::DistributionClaimed { distribution: id, holder: ALICE, amount: 6_000 }.into(),
		);
		assert!(DistributionClaims::<Test>::contains_key(id, ALICE));
		assert_ok!(Tokenization::claim_distribution(signed(BOB), id));
		assert_eq!(funds(usd(), BOB), 3_000);
		assert_ok!(Tokenization::claim_distribution(signed(CHARLIE), id));
		assert_eq!(funds(usd(), CHARLIE), 1_000);
		// The issuer held nothing at the record point.
		assert_noop!(
			Tokenization::claim_distribution(signed(ISSUER), id),
			Error::<Test>::NothingToClaim
		);
		let distribution = Distributions::<Test>::get(id).expect("open");
		assert_eq!(distribution.paid, 10_000);
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 0);
		assert_eq!(funds(usd(), ISSUER), 990_000);
		assert!(Tokenization::claimable(SEC, ALICE).is_empty());
	});
}

#[test]
fn holders_unchanged_since_the_record_point_claim_on_their_current_balance() {
	run(|| {
		held_600_300_100();
		let first = distribute(1_000);
		// A second distribution after a transfer records the new balances.
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 100));
		let second = distribute(1_000);
		assert_ok!(Tokenization::transfer(signed(BOB), SEC, CHARLIE, 400));
		// First record point: 600 / 300 / 100. Second: 500 / 400 / 100.
		for (who, first_share, second_share) in
			[(ALICE, 600, 500), (BOB, 300, 400), (CHARLIE, 100, 100)]
		{
			assert_ok!(Tokenization::claim_distribution(signed(who), first));
			assert_ok!(Tokenization::claim_distribution(signed(who), second));
			assert_eq!(funds(usd(), who), first_share + second_share);
		}
		// Alice's balance never changed after the second record point: nothing recorded there.
		assert_eq!(RecordedBalances::<Test>::get(second, ALICE), None);
	});
}

#[test]
fn shares_round_down_and_the_rest_returns_to_the_payer() {
	run(|| {
		security_token();
		for who in [ALICE, BOB, CHARLIE] {
			mint(SEC, who, 1);
		}
		let id = distribute(100);
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Tokenization::claim_distribution(signed(who), id));
			assert_eq!(funds(usd(), who), 33);
		}
		assert_eq!(Distributions::<Test>::get(id).map(|d| d.paid), Some(99));
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 1);
		System::set_block_number(101);
		assert_ok!(Tokenization::close_distribution(signed(ALICE), id));
		System::assert_last_event(
			Event::DistributionClosed { distribution: id, returned: 1 }.into(),
		);
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 0);
		assert_eq!(funds(usd(), ISSUER), 1_000_000 - 99);
	});
}

#[test]
fn native_payout_distribution() {
	run(|| {
		held_600_300_100();
		let free_before = Balances::free_balance(ISSUER);
		assert_ok!(Tokenization::create_distribution(signed(ISSUER), SEC, NATIVE, 1_000, 10));
		assert_eq!(held(HoldReason::DistributionFunds, NATIVE, ISSUER), 1_000);
		assert_ok!(Tokenization::claim_distribution(signed(BOB), 0));
		assert_eq!(Balances::free_balance(BOB), 10_000 + 300);
		System::set_block_number(11);
		assert_ok!(Tokenization::close_distribution(signed(BOB), 0));
		System::assert_last_event(
			Event::DistributionClosed { distribution: 0, returned: 700 }.into(),
		);
		assert_eq!(Balances::free_balance(ISSUER), free_before - 300);
	});
}

#[test]
fn a_payer_holding_the_token_claims_their_own_share() {
	run(|| {
		security_token();
		mint(SEC, ISSUER, 500);
		mint(SEC, ALICE, 500);
		let id = distribute(1_000);
		assert_ok!(Tokenization::claim_distribution(signed(ISSUER), id));
		// Released back to the free balance.
		assert_eq!(funds(usd(), ISSUER), 1_000_000 - 500);
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 500);
	});
}

#[test]
fn claim_errors() {
	run(|| {
		held_600_300_100();
		let id = distribute(1_000);
		assert_noop!(
			Tokenization::claim_distribution(signed(ALICE), id + 1),
			Error::<Test>::UnknownDistribution
		);
		assert_noop!(
			Tokenization::claim_distribution(signed(NOBODY), id),
			Error::<Test>::NothingToClaim
		);
		assert_ok!(Tokenization::claim_distribution(signed(ALICE), id));
		assert_noop!(
			Tokenization::claim_distribution(signed(ALICE), id),
			Error::<Test>::AlreadyClaimed
		);
		// The last block to claim is the one before expiry.
		System::set_block_number(100);
		assert_ok!(Tokenization::claim_distribution(signed(BOB), id));
		System::set_block_number(101);
		assert_noop!(
			Tokenization::claim_distribution(signed(CHARLIE), id),
			Error::<Test>::DistributionExpired
		);
		assert!(Tokenization::claimable(SEC, CHARLIE).is_empty());
		// Overflow in a claim (the share or the running total) cannot happen: a share is at most
		// the deposit (balance at the record point ≤ record supply), and balances at the record
		// point sum to the record supply, so shares sum to at most the deposit.
	});
}

#[test]
fn close_distribution_returns_the_unclaimed_rest() {
	run(|| {
		held_600_300_100();
		let id = distribute(1_000);
		assert_ok!(Tokenization::claim_distribution(signed(BOB), id));
		assert_noop!(
			Tokenization::close_distribution(signed(ALICE), id),
			Error::<Test>::DistributionNotExpired
		);
		System::set_block_number(100);
		assert_noop!(
			Tokenization::close_distribution(signed(ALICE), id),
			Error::<Test>::DistributionNotExpired
		);
		System::set_block_number(101);
		assert_ok!(Tokenization::close_distribution(signed(ALICE), id));
		System::assert_last_event(
			Event::DistributionClosed { distribution: id, returned: 700 }.into(),
		);
		assert!(Distributions::<Test>::get(id).is_none());
		assert!(OpenDistributions::<Test>::get(SEC).is_empty());
		assert_eq!(held(HoldReason::DistributionFunds, usd(), ISSUER), 0);
		assert_eq!(funds(usd(), ISSUER), 1_000_000 - 300);
		assert_noop!(
			Tokenization::close_distribution(signed(ALICE), id),
			Error::<Test>::UnknownDistribution
		);
		assert_noop!(
			Tokenization::claim_distribution(signed(ALICE), id),
			Error::<Test>::UnknownDistribution
		);
		// Closing frees a slot for a new distribution.
		distribute(10);
		distribute(10);
	});
}

#[test]
fn fully_claimed_distribution_closes_with_nothing_returned() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 10);
		let id = distribute(1_000);
		assert_ok!(Tokenization::claim_distribution(signed(ALICE), id));
		System::set_block_number(101);
		assert_ok!(Tokenization::close_distribution(signed(BOB), id));
		System::assert_last_event(
			Event::DistributionClosed { distribution: id, returned: 0 }.into(),
		);
	});
}

// --- Buybacks ---

#[test]
fn open_buyback_holds_the_budget() {
	run(|| {
		security_token();
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 150, 3_000));
		assert_eq!(
			Buybacks::<Test>::get(0),
			Some(Buyback {
				token: SEC,
				buyer: ISSUER,
				payment_asset: usd(),
				price: 150,
				remaining_budget: 3_000,
				bought: 0,
			})
		);
		assert_eq!(NextBuybackId::<Test>::get(), 1);
		assert_eq!(held(HoldReason::BuybackBudget, usd(), ISSUER), 3_000);
		System::assert_last_event(
			Event::BuybackOpened {
				buyback: 0,
				token: SEC,
				payment_asset: usd(),
				price: 150,
				budget: 3_000,
			}
			.into(),
		);
	});
}

#[test]
fn open_buyback_errors() {
	run(|| {
		security_token();
		nft_token();
		let open = |who, token, price, budget| {
			Tokenization::open_buyback(signed(who), token, usd(), price, budget)
		};
		assert_noop!(open(ISSUER, SEC, 0, 1_000), Error::<Test>::ZeroAmount);
		assert_noop!(open(ISSUER, SEC, 100, 0), Error::<Test>::ZeroAmount);
		assert_noop!(open(ALICE, SEC, 100, 1_000), Error::<Test>::MissingRole);
		assert_noop!(open(ISSUER, SEC, 100, 1_000_001), Error::<Test>::InsufficientFunds);
		assert_noop!(open(ISSUER, ART, 100, 1_000), Error::<Test>::WrongClass);
		assert_noop!(open(ISSUER, SEC + 1, 100, 1_000), Error::<Test>::UnknownToken);
		NextBuybackId::<Test>::put(u64::MAX);
		assert_noop!(open(ISSUER, SEC, 100, 1_000), Error::<Test>::Overflow);
	});
}

#[test]
fn tender_burns_and_pays_at_the_price() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 150, 3_000));
		// 1_000 units are 10 whole tokens (2 decimals), at 150 each.
		assert_ok!(Tokenization::tender(signed(ALICE), 0, 1_000));
		assert_eq!(balance(SEC, ALICE), 0);
		assert_eq!(supply(SEC), 0);
		assert_eq!(funds(usd(), ALICE), 1_500);
		assert_eq!(held(HoldReason::BuybackBudget, usd(), ISSUER), 1_500);
		let buyback = Buybacks::<Test>::get(0).expect("open");
		assert_eq!((buyback.remaining_budget, buyback.bought), (1_500, 1_000));
		System::assert_has_event(Event::Burned { token: SEC, from: ALICE, amount: 1_000 }.into());
		System::assert_last_event(
			Event::Tendered { buyback: 0, holder: ALICE, amount: 1_000, paid: 1_500 }.into(),
		);
		// Payments round down: 33 units are worth 49.5.
		mint(SEC, BOB, 33);
		assert_ok!(Tokenization::tender(signed(BOB), 0, 33));
		assert_eq!(funds(usd(), BOB), 49);
	});
}

#[test]
fn tender_errors() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 10_000);
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 50, 1_000));
		assert_noop!(Tokenization::tender(signed(ALICE), 1, 100), Error::<Test>::UnknownBuyback);
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 0), Error::<Test>::ZeroAmount);
		// One unit is worth half a payment unit.
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 1), Error::<Test>::TenderTooSmall);
		// 2_002 units are worth 1_001: more than the budget.
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 2_002), Error::<Test>::BudgetExhausted);
		assert_ok!(Tokenization::tender(signed(ALICE), 0, 2_000));
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 2), Error::<Test>::BudgetExhausted);
		assert_ok!(Tokenization::close_buyback(signed(ISSUER), 0));

		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 50, 1_000));
		assert_noop!(
			Tokenization::tender(signed(ALICE), 1, 8_001),
			Error::<Test>::InsufficientTransferable
		);
		lock(SEC, ALICE, 8_000, 10, 10);
		assert_noop!(
			Tokenization::tender(signed(ALICE), 1, 2),
			Error::<Test>::InsufficientTransferable
		);
		assert_ok!(Tokenization::release_lockups(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_noop!(Tokenization::tender(signed(ALICE), 1, 2), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(Tokenization::tender(signed(ALICE), 1, 2), Error::<Test>::TokenPaused);
	});
}

#[test]
fn tender_on_allowlisted_token_needs_the_allowlist() {
	run(|| {
		kyc_token();
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ALICE, true));
		mint(KYC, ALICE, 1_000);
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), KYC, ALICE, false));
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), KYC, usd(), 100, 1_000));
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 100), Error::<Test>::NotAllowlisted);
	});
}

#[test]
fn tender_value_overflow_is_refused() {
	run(|| {
		utility_token();
		mint(UTIL, ALICE, 10);
		// 0 decimals: 2 units at u64::MAX each overflow the balance type.
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), UTIL, usd(), u64::MAX, 1_000));
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 2), Error::<Test>::Overflow);
	});
}

#[test]
fn close_buyback_releases_the_unspent_budget() {
	run(|| {
		security_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 100, 5_000));
		assert_ok!(Tokenization::tender(signed(ALICE), 0, 1_000));
		assert_noop!(Tokenization::close_buyback(signed(ALICE), 0), Error::<Test>::MissingRole);
		assert_ok!(Tokenization::close_buyback(signed(ISSUER), 0));
		assert!(Buybacks::<Test>::get(0).is_none());
		assert_eq!(held(HoldReason::BuybackBudget, usd(), ISSUER), 0);
		assert_eq!(funds(usd(), ISSUER), 1_000_000 - 1_000);
		System::assert_last_event(
			Event::BuybackClosed { buyback: 0, bought: 1_000, returned: 4_000 }.into(),
		);
		assert_noop!(Tokenization::close_buyback(signed(ISSUER), 0), Error::<Test>::UnknownBuyback);
		assert_noop!(Tokenization::tender(signed(ALICE), 0, 1), Error::<Test>::UnknownBuyback);

		// Another admin may close a buyback the buyer opened.
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, NATIVE, 100, 500));
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Admin));
		assert_ok!(Tokenization::close_buyback(signed(BOB), 1));
		System::assert_last_event(
			Event::BuybackClosed { buyback: 1, bought: 0, returned: 500 }.into(),
		);
		assert_eq!(held(HoldReason::BuybackBudget, NATIVE, ISSUER), 0);
	});
}

// --- NFTs ---

#[test]
fn mint_nft_creates_a_locked_item() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(
			signed(ISSUER),
			ART,
			7,
			ALICE,
			bounded(b"ipfs://item-7")
		));
		assert_eq!(nft_owner(collection, 7), Some(ALICE));
		assert_eq!(Tokens::<Test>::get(ART).map(|d| d.items), Some(1));
		assert_eq!(
			pallet_nfts::ItemMetadataOf::<Test>::get(collection, 7).map(|m| m.data.to_vec()),
			Some(b"ipfs://item-7".to_vec())
		);
		// The minter pays for the item's storage: the stock records, the metadata, its own
		// record.
		let deposit = ItemDeposits::<Test>::get(ART, 7).expect("held");
		assert_eq!(deposit.depositor, ISSUER);
		assert_eq!(
			deposit.amount,
			StorageDepositBase::get()
				+ StorageDepositPerByte::get()
					* crate::functions::nft_item_bytes::<Test>(&7, &bounded(b"ipfs://item-7"))
						as Balance
		);
		System::assert_last_event(
			Event::NftMinted { token: ART, item: 7, owner: ALICE, deposit: deposit.amount }.into(),
		);
		// Transfers are disabled in `pallet-nfts`: the owner cannot move it directly.
		assert_noop!(
			Nfts::transfer(signed(ALICE), collection, 7, BOB),
			pallet_nfts::Error::<Test>::ItemLocked
		);
		// Empty metadata is not stored.
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 8, BOB, bounded(b"")));
		assert!(pallet_nfts::ItemMetadataOf::<Test>::get(collection, 8).is_none());
		assert_eq!(Tokenization::token_info(ART).map(|i| i.supply), Some(2));
	});
}

#[test]
fn mint_nft_errors() {
	run(|| {
		nft_token();
		security_token();
		let mint_nft = |who, token, item, owner| {
			Tokenization::mint_nft(signed(who), token, item, owner, bounded(b""))
		};
		assert_noop!(mint_nft(ALICE, ART, 1, ALICE), Error::<Test>::MissingRole);
		assert_noop!(mint_nft(ISSUER, SEC, 1, ALICE), Error::<Test>::WrongClass);
		assert_noop!(mint_nft(ISSUER, ART + 1, 1, ALICE), Error::<Test>::UnknownToken);
		assert_ok!(mint_nft(ISSUER, ART, 1, ALICE));
		assert_noop!(mint_nft(ISSUER, ART, 1, BOB), Error::<Test>::ItemExists);
		assert_ok!(mint_nft(ISSUER, ART, 2, ALICE));
		assert_ok!(mint_nft(ISSUER, ART, 3, ALICE));
		// The cap is 3 items.
		assert_noop!(mint_nft(ISSUER, ART, 4, ALICE), Error::<Test>::CapExceeded);
		assert_ok!(Tokenization::burn_nft(signed(ALICE), ART, 3));
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, BOB, REASON));
		assert_noop!(mint_nft(ISSUER, ART, 4, BOB), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_noop!(mint_nft(ISSUER, ART, 4, ALICE), Error::<Test>::TokenPaused);
	});
}

#[test]
fn mint_nft_on_allowlisted_collection_and_item_count_overflow() {
	run(|| {
		new_token(
			ART,
			TemplateSpec { max_cap: None, policy: TransferPolicy::Allowlisted, ..nft_spec() },
		);
		assert_noop!(
			Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")),
			Error::<Test>::NotAllowlisted
		);
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), ART, ALICE, true));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		// Only after 2^32 items: the count is set to the last value.
		Tokens::<Test>::mutate(ART, |d| d.as_mut().expect("exists").items = u32::MAX);
		assert_noop!(
			Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, bounded(b"")),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn transfer_nft_moves_the_item_and_keeps_it_locked() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_ok!(Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB));
		assert_eq!(nft_owner(collection, 1), Some(BOB));
		System::assert_last_event(
			Event::NftTransferred { token: ART, item: 1, from: ALICE, to: BOB }.into(),
		);
		assert_noop!(
			Nfts::transfer(signed(BOB), collection, 1, CHARLIE),
			pallet_nfts::Error::<Test>::ItemLocked
		);
		assert_ok!(Tokenization::transfer_nft(signed(BOB), ART, 1, CHARLIE));
		assert_eq!(nft_owner(collection, 1), Some(CHARLIE));
	});
}

#[test]
fn transfer_nft_errors() {
	run(|| {
		nft_token();
		security_token();
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		let send = |who, token, item, to| Tokenization::transfer_nft(signed(who), token, item, to);
		assert_noop!(send(BOB, ART, 1, CHARLIE), Error::<Test>::NotItemOwner);
		assert_noop!(send(ALICE, ART, 2, CHARLIE), Error::<Test>::UnknownItem);
		assert_noop!(send(ALICE, ART, 1, ALICE), Error::<Test>::SelfTransfer);
		assert_noop!(send(ALICE, SEC, 1, BOB), Error::<Test>::WrongClass);
		assert_noop!(send(ALICE, ART + 1, 1, BOB), Error::<Test>::UnknownToken);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, BOB, REASON));
		assert_noop!(send(ALICE, ART, 1, BOB), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, ALICE, REASON));
		assert_noop!(send(ALICE, ART, 1, CHARLIE), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), ART, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_noop!(send(ALICE, ART, 1, CHARLIE), Error::<Test>::TokenPaused);
	});
}

#[test]
fn transfer_nft_on_allowlisted_collection() {
	run(|| {
		new_token(ART, TemplateSpec { policy: TransferPolicy::Allowlisted, ..nft_spec() });
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), ART, ALICE, true));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_noop!(
			Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB),
			Error::<Test>::NotAllowlisted
		);
		assert_noop!(
			Tokenization::force_transfer_nft(signed(ISSUER), ART, 1, BOB, REASON),
			Error::<Test>::NotAllowlisted
		);
		assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), ART, BOB, true));
		assert_ok!(Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB));
	});
}

#[test]
fn burn_nft_destroys_the_item() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"meta")));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, bounded(b"")));
		assert_ok!(Tokenization::burn_nft(signed(ALICE), ART, 1));
		assert_eq!(nft_owner(collection, 1), None);
		assert_eq!(Tokens::<Test>::get(ART).map(|d| d.items), Some(1));
		System::assert_last_event(Event::NftBurned { token: ART, item: 1, owner: ALICE }.into());
		// The id may be minted again, locked like any new item.
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, BOB, bounded(b"")));
		assert_eq!(nft_owner(collection, 1), Some(BOB));
		assert_noop!(
			Nfts::transfer(signed(BOB), collection, 1, CHARLIE),
			pallet_nfts::Error::<Test>::ItemLocked
		);
	});
}

#[test]
fn burn_nft_errors() {
	run(|| {
		nft_token();
		security_token();
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_noop!(Tokenization::burn_nft(signed(BOB), ART, 1), Error::<Test>::NotItemOwner);
		assert_noop!(Tokenization::burn_nft(signed(ALICE), ART, 2), Error::<Test>::UnknownItem);
		assert_noop!(Tokenization::burn_nft(signed(ALICE), SEC, 1), Error::<Test>::WrongClass);
		assert_noop!(
			Tokenization::burn_nft(signed(ALICE), ART + 1, 1),
			Error::<Test>::UnknownToken
		);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, ALICE, REASON));
		assert_noop!(Tokenization::burn_nft(signed(ALICE), ART, 1), Error::<Test>::AccountFrozen);
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), ART, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_noop!(Tokenization::burn_nft(signed(ALICE), ART, 1), Error::<Test>::TokenPaused);
	});
}

#[test]
fn force_transfer_nft_ignores_freeze_and_pause() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_ok!(Tokenization::force_transfer_nft(signed(ISSUER), ART, 1, BOB, REASON));
		assert_eq!(nft_owner(collection, 1), Some(BOB));
		System::assert_last_event(
			Event::NftForcedTransfer {
				token: ART,
				item: 1,
				from: ALICE,
				to: BOB,
				reason: REASON,
				controller: ISSUER,
			}
			.into(),
		);
		assert_noop!(
			Nfts::transfer(signed(BOB), collection, 1, CHARLIE),
			pallet_nfts::Error::<Test>::ItemLocked
		);
	});
}

#[test]
fn force_transfer_nft_errors() {
	run(|| {
		nft_token();
		security_token();
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		let force = |who, token, item, to| {
			Tokenization::force_transfer_nft(signed(who), token, item, to, REASON)
		};
		// The owner is not a controller.
		assert_noop!(force(ALICE, ART, 1, BOB), Error::<Test>::MissingRole);
		assert_noop!(force(ISSUER, ART, 2, BOB), Error::<Test>::UnknownItem);
		assert_noop!(force(ISSUER, ART, 1, ALICE), Error::<Test>::SelfTransfer);
		assert_noop!(force(ISSUER, SEC, 1, BOB), Error::<Test>::WrongClass);
		assert_noop!(force(ISSUER, ART + 1, 1, BOB), Error::<Test>::UnknownToken);
	});
}

#[test]
fn an_escrowed_nft_moves_only_with_its_escrow() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_noop!(Tokenization::escrow_nft(&ART, &1, &BOB), Error::<Test>::NotItemOwner);
		assert_noop!(Tokenization::escrow_nft(&ART, &2, &ALICE), Error::<Test>::UnknownItem);
		assert_ok!(Tokenization::escrow_nft(&ART, &1, &ALICE));
		System::assert_last_event(Event::NftEscrowed { token: ART, item: 1, owner: ALICE }.into());
		assert_eq!(Tokenization::nft_escrowed_by(&ART, &1), Some(ALICE));
		assert_noop!(Tokenization::escrow_nft(&ART, &1, &ALICE), Error::<Test>::ItemEscrowed);
		// Its owner can neither send nor burn it meanwhile.
		assert_noop!(
			Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB),
			Error::<Test>::ItemEscrowed
		);
		assert_noop!(Tokenization::burn_nft(signed(ALICE), ART, 1), Error::<Test>::ItemEscrowed);
		// Only the escrow's owner moves it, through the rules.
		assert_noop!(
			Tokenization::transfer_escrowed_nft(&ART, &1, &BOB, &CHARLIE),
			Error::<Test>::ItemNotEscrowed
		);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), ART, BOB, REASON));
		assert_noop!(
			Tokenization::transfer_escrowed_nft(&ART, &1, &ALICE, &BOB),
			Error::<Test>::AccountFrozen
		);
		assert_ok!(Tokenization::transfer_escrowed_nft(&ART, &1, &ALICE, &CHARLIE));
		assert_eq!(nft_owner(collection, 1), Some(CHARLIE));
		assert_eq!(Tokenization::nft_escrowed_by(&ART, &1), None);
		System::assert_last_event(
			Event::NftTransferred { token: ART, item: 1, from: ALICE, to: CHARLIE }.into(),
		);
		// The new owner moves it freely again.
		assert_ok!(Tokenization::transfer_nft(signed(CHARLIE), ART, 1, ALICE));
	});
}

#[test]
fn an_nft_escrow_is_released_by_its_owner_or_ended_by_a_controller() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_ok!(Tokenization::escrow_nft(&ART, &1, &ALICE));
		// Releasing for another account does nothing.
		assert!(!Tokenization::release_escrowed_nft(&ART, &1, &BOB));
		assert_eq!(Tokenization::nft_escrowed_by(&ART, &1), Some(ALICE));
		assert!(Tokenization::release_escrowed_nft(&ART, &1, &ALICE));
		System::assert_last_event(
			Event::NftEscrowReleased { token: ART, item: 1, owner: ALICE }.into(),
		);
		assert_ok!(Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB));
		// A controller's forced transfer ends the escrow.
		assert_ok!(Tokenization::escrow_nft(&ART, &1, &BOB));
		assert_ok!(Tokenization::force_transfer_nft(signed(ISSUER), ART, 1, CHARLIE, REASON));
		assert_eq!(Tokenization::nft_escrowed_by(&ART, &1), None);
		assert_eq!(nft_owner(collection, 1), Some(CHARLIE));
		assert_noop!(
			Tokenization::transfer_escrowed_nft(&ART, &1, &BOB, &ALICE),
			Error::<Test>::ItemNotEscrowed
		);
		// A paused token's items cannot go into escrow.
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_noop!(Tokenization::escrow_nft(&ART, &1, &CHARLIE), Error::<Test>::TokenPaused);
	});
}

// --- Unreachable errors ---

// `Error::MetadataTooLong` is never returned: NFT item metadata is a `BoundedVec` bounded by
// `MaxItemMetadata` (32 here), so longer metadata does not even decode into a call, and
// `pallet-nfts` accepts up to its own, longer, `StringLimit` (64). Likewise the "too long" half of
// `Error::BadMetadata`: names and symbols are bounded by `StringLimit` in the call's type.
#[test]
fn longest_item_metadata_is_accepted() {
	run(|| {
		nft_token();
		let longest: ItemMetadataOf<Test> = bounded(&[b'x'; 32]);
		assert!(BoundedVec::<u8, ConstU32<32>>::try_from(vec![b'x'; 33]).is_err());
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, longest));
	});
}

// --- The invariant check can fail ---

#[test]
fn try_state_detects_a_distribution_paying_more_than_deposited() {
	run(|| {
		held_600_300_100();
		let id = distribute(1_000);
		check_invariants();
		Distributions::<Test>::mutate(id, |d| d.as_mut().expect("open").paid = 1_001);
		assert_eq!(
			Tokenization::do_try_state(),
			Err("distribution paid more than deposited".into())
		);
		Distributions::<Test>::mutate(id, |d| d.as_mut().expect("open").paid = 0);
	});
}

#[test]
fn try_state_detects_supply_above_the_cap_minted_around_the_pallet() {
	run(|| {
		let template = register(security_spec());
		create(SEC, template, Some(1_000));
		mint(SEC, ALICE, 1_000);
		check_invariants();
		// `pallet-assets` itself knows nothing of the cap.
		rolled_back(|| {
			assert_ok!(Assets::mint_into(SEC, &ALICE, 1));
			assert_eq!(Tokenization::do_try_state(), Err("supply above cap".into()));
		});
	});
}

#[test]
fn try_state_detects_other_broken_invariants() {
	new_test_ext().execute_with(|| {
		held_600_300_100();
		stablecoin();
		nft_token();
		let id = distribute(1_000);
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 100, 1_000));
		check_invariants();
		let broken = |expected: &'static str| {
			assert_eq!(Tokenization::do_try_state(), Err(expected.into()));
		};

		// Stablecoin units minted around the pallet, with no attestation.
		rolled_back(|| {
			assert_ok!(Assets::mint_into(STABLE, &ALICE, 1));
			broken("stablecoin supply without reserves");
		});
		// ... and above the attested reserves.
		rolled_back(|| {
			attest(STABLE, 10);
			assert_ok!(Assets::mint_into(STABLE, &ALICE, 11));
			broken("supply above reserves");
		});
		// A balance changed without the supply.
		rolled_back(|| {
			pallet_assets::Account::<Test>::mutate(SEC, ALICE, |a| {
				a.as_mut().expect("holder").balance += 1
			});
			broken("sum of holder balances differs from supply");
		});
		// More items than the cap.
		rolled_back(|| {
			Tokens::<Test>::mutate(ART, |d| d.as_mut().expect("exists").items = 4);
			broken("items above cap");
		});
		// A malformed schedule.
		rolled_back(|| {
			let schedule =
				LockupSchedule { total: 1, start: 1, terms: LockupTerms { cliff: 2, duration: 1 } };
			Lockups::<Test>::insert(SEC, ALICE, BoundedVec::truncate_from(vec![schedule]));
			broken("malformed lock-up schedule");
		});
		// Held funds that do not match what is owed.
		rolled_back(|| {
			Buybacks::<Test>::mutate(0, |b| b.as_mut().expect("open").remaining_budget = 999);
			broken("held funds differ from what distributions and buybacks owe");
		});
		// The open list and the distributions disagree, both ways.
		rolled_back(|| {
			OpenDistributions::<Test>::remove(SEC);
			broken("distribution missing from its token's open list");
		});
		rolled_back(|| {
			Distributions::<Test>::remove(id);
			broken("open list names a closed distribution");
		});
		// A forced-debit marker left behind.
		rolled_back(|| {
			ForcedDebit::<Test>::put((SEC, ALICE));
			broken("forced-debit marker left set");
		});
		check_invariants();
	});
}

// --- Property test ---

mod property {
	use super::*;
	use alloc::collections::BTreeMap;
	use proptest::prelude::*;

	const HOLDERS: [AccountId; 4] = [ISSUER, ALICE, BOB, CHARLIE];
	/// The property test's token: 0 decimals, cap 20_000.
	const PROP: u32 = 70;
	const CAP: Balance = 20_000;
	/// Buyback 0 pays 3 USD per unit from a budget of 30_000.
	const PRICE: Balance = 3;
	const BUDGET: Balance = 30_000;

	#[derive(Clone, Debug)]
	enum Op {
		Mint { to: usize, amount: Balance },
		Transfer { from: usize, to: usize, amount: Balance },
		AddLockup { holder: usize, amount: Balance, cliff: u64, duration: u64, backdate: u64 },
		CreateDistribution { amount: Balance, duration: u64 },
		Claim { who: usize, distribution: DistributionId },
		Close { distribution: DistributionId },
		Burn { amount: Balance },
		Tender { who: usize, amount: Balance },
		ForceTransfer { from: usize, to: usize, amount: Balance },
		Advance { blocks: u64 },
	}

	fn op() -> impl Strategy<Value = Op> {
		let who = 0..HOLDERS.len();
		prop_oneof![
			3 => (who.clone(), 1..6_000u64).prop_map(|(to, amount)| Op::Mint { to, amount }),
			3 => (who.clone(), who.clone(), 1..3_000u64)
				.prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
			2 => (who.clone(), 1..3_000u64, 0..30u64, 1..60u64, 0..40u64).prop_map(
				|(holder, amount, cliff, duration, backdate)| Op::AddLockup {
					holder,
					amount,
					cliff: cliff.min(duration),
					duration,
					backdate,
				}
			),
			2 => (1..100_000u64, 10..40u64)
				.prop_map(|(amount, duration)| Op::CreateDistribution { amount, duration }),
			4 => (who.clone(), 0..4u64)
				.prop_map(|(who, distribution)| Op::Claim { who, distribution }),
			2 => (0..4u64).prop_map(|distribution| Op::Close { distribution }),
			1 => (1..2_000u64).prop_map(|amount| Op::Burn { amount }),
			1 => (who.clone(), 1..2_000u64).prop_map(|(who, amount)| Op::Tender { who, amount }),
			1 => (who.clone(), who.clone(), 1..3_000u64)
				.prop_map(|(from, to, amount)| Op::ForceTransfer { from, to, amount }),
			3 => (1..30u64).prop_map(|blocks| Op::Advance { blocks }),
		]
	}

	/// What the test knows of each distribution: deposited, and paid according to the claimants'
	/// balances.
	#[derive(Default)]
	struct Model {
		distributions: BTreeMap<DistributionId, (Balance, Balance)>,
	}

	fn setup() {
		let template = register(spec(TokenClass::SecurityToken, 0, Some(CAP)));
		create(PROP, template, None);
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), PROP, usd(), PRICE, BUDGET));
	}

	fn apply(op: &Op, model: &mut Model) {
		let now = System::block_number();
		match *op {
			Op::Mint { to, amount } => {
				let _ = Tokenization::mint(signed(ISSUER), PROP, HOLDERS[to], amount);
			}
			Op::Transfer { from, to, amount } => {
				let _ = Tokenization::transfer(signed(HOLDERS[from]), PROP, HOLDERS[to], amount);
			}
			Op::AddLockup { holder, amount, cliff, duration, backdate } => {
				let _ = Tokenization::add_lockup(
					signed(ISSUER),
					PROP,
					HOLDERS[holder],
					amount,
					LockupTerms { cliff, duration },
					Some(now.saturating_sub(backdate)),
				);
			}
			Op::CreateDistribution { amount, duration } => {
				let id = NextDistributionId::<Test>::get();
				if Tokenization::create_distribution(signed(ISSUER), PROP, usd(), amount, duration)
					.is_ok()
				{
					model.distributions.insert(id, (amount, 0));
				}
			}
			Op::Claim { who, distribution } => {
				let who = HOLDERS[who];
				let before = funds(usd(), who);
				if Tokenization::claim_distribution(signed(who), distribution).is_ok() {
					let got = funds(usd(), who) - before;
					let (deposited, paid) =
						model.distributions.get_mut(&distribution).expect("created here");
					*paid += got;
					assert!(*paid <= *deposited, "paid {paid} of {deposited}");
					let stored = Distributions::<Test>::get(distribution).expect("open");
					assert_eq!(stored.paid, *paid);
				}
			}
			Op::Close { distribution } => {
				let stored = Distributions::<Test>::get(distribution);
				if Tokenization::close_distribution(signed(ALICE), distribution).is_ok() {
					let stored = stored.expect("was open");
					let (deposited, paid) = model.distributions[&distribution];
					assert_eq!((stored.amount, stored.paid), (deposited, paid));
					System::assert_last_event(
						Event::DistributionClosed { distribution, returned: deposited - paid }
							.into(),
					);
				}
			}
			Op::Burn { amount } => {
				let _ = Tokenization::burn(signed(ISSUER), PROP, amount);
			}
			Op::Tender { who, amount } => {
				let _ = Tokenization::tender(signed(HOLDERS[who]), 0, amount);
			}
			Op::ForceTransfer { from, to, amount } => {
				let _ = Tokenization::force_transfer(
					signed(ISSUER),
					PROP,
					HOLDERS[from],
					HOLDERS[to],
					amount,
					REASON,
				);
			}
			Op::Advance { blocks } => System::set_block_number(now + blocks),
		}
	}

	fn check(model: &Model) {
		Tokenization::do_try_state().expect("invariants hold");
		let balances: Vec<Balance> = HOLDERS.iter().map(|who| balance(PROP, *who)).collect();
		assert_eq!(supply(PROP), balances.iter().sum::<Balance>(), "supply = sum of balances");
		assert!(supply(PROP) <= CAP);
		for (who, held) in HOLDERS.iter().zip(&balances) {
			assert!(locked(PROP, *who) <= *held, "locked above the balance of {who}");
		}
		for (id, (deposited, paid)) in &model.distributions {
			assert!(paid <= deposited);
			if let Some(d) = Distributions::<Test>::get(id) {
				assert_eq!((d.amount, d.paid), (*deposited, *paid));
				// What is paid plus what every holder could still claim fits in the deposit.
				let claimable: Balance = HOLDERS
					.iter()
					.map(|who| Tokenization::share_of(*id, &d, who).expect("no overflow"))
					.sum();
				assert!(d.paid + claimable <= d.amount, "shares exceed distribution {id}");
			}
		}
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]

		#[test]
		fn random_operations_keep_the_invariants(ops in prop::collection::vec(op(), 1..80)) {
			new_test_ext().execute_with(|| {
				setup();
				let mut model = Model::default();
				check(&model);
				for op in &ops {
					apply(op, &mut model);
					check(&model);
				}
			});
		}
	}
}

#[test]
fn a_transfer_that_records_nothing_is_refunded_to_its_lighter_weight() {
	use polkadot_sdk::frame_support::weights::Weight;
	run(|| {
		held_600_300_100();
		// No open distribution, no lock-up: charged `transfer_without_records` after dispatch.
		let plain = Tokenization::transfer(signed(ALICE), SEC, BOB, 10).expect("transfers");
		assert_eq!(plain.actual_weight, Some(Weight::zero()));
		// An open distribution records balances: the worst case stands.
		distribute(10_000);
		let recording = Tokenization::transfer(signed(ALICE), SEC, BOB, 10).expect("transfers");
		assert_eq!(recording.actual_weight, None);
		// So does a lock-up on the sender (whose schedules are read), distribution or not.
		lock(SEC, BOB, 100, 10, 100);
		let locked = Tokenization::transfer_with_travel_rule(signed(BOB), SEC, ALICE, 10, [0; 32])
			.expect("transfers");
		assert_eq!(locked.actual_weight, None);
	});
}

/// Native held from `who` for items' storage.
fn storage_deposit_held(who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &who)
}

#[test]
fn a_holder_who_cannot_pay_the_storage_deposit_redeems_nothing() {
	run(|| {
		stablecoin();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 1_000);
		StorageDepositBase::set(Balances::free_balance(ALICE));
		assert_noop!(
			Tokenization::redeem(signed(ALICE), STABLE, 300),
			Error::<Test>::CannotPayDeposit
		);
		assert_eq!(balance(STABLE, ALICE), 1_000, "nothing burned");
	});
}

#[test]
fn try_state_detects_deposit_mismatches() {
	run(|| {
		stablecoin();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 1_000);
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 300));
		Tokenization::do_try_state().expect("consistent");
		Redemptions::<Test>::mutate(0, |r| r.as_mut().expect("open").deposit.amount += 1);
		assert!(Tokenization::do_try_state().is_err(), "a redemption's deposit");
		Redemptions::<Test>::mutate(0, |r| r.as_mut().expect("open").deposit.amount -= 1);
		Tokens::<Test>::mutate(STABLE, |t| t.as_mut().expect("exists").deposit += 1);
		assert!(Tokenization::do_try_state().is_err(), "a token's deposit");
		Tokens::<Test>::mutate(STABLE, |t| t.as_mut().expect("exists").deposit -= 1);
	});
}

#[test]
fn migration_to_v1_records_a_zero_deposit_for_old_redemptions() {
	use crate::migrations::v1::{MigrateV0ToV1, RedemptionV0};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		StorageVersion::new(0).put::<Tokenization>();
		let old = RedemptionV0 { token: STABLE, holder: ALICE, amount: 300u64, requested_at: 3u64 };
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&Redemptions::<Test>::hashed_key_for(9),
			&old.encode(),
		);
		assert!(Redemptions::<Test>::get(9).is_none(), "the old layout does not decode");

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let redemption = Redemptions::<Test>::get(9).expect("migrated");
		assert_eq!((redemption.holder, redemption.amount), (ALICE, 300));
		assert_eq!(redemption.deposit, Deposit::none(ALICE));
		assert_eq!(Tokenization::on_chain_storage_version(), 1);
		Redemptions::<Test>::remove(9);
	});
}

#[test]
fn an_nft_item_holds_the_minters_deposit_until_burned() {
	run(|| {
		nft_token();
		let before = Balances::free_balance(ISSUER);
		let held_before = storage_deposit_held(ISSUER);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"ipfs://1")));
		let deposit = ItemDeposits::<Test>::get(ART, 1).expect("held").amount;
		assert_eq!(storage_deposit_held(ISSUER), held_before + deposit);
		assert_eq!(Balances::free_balance(ISSUER), before - deposit);
		Tokenization::do_try_state().expect("accounted for");
		// The owner burns it; the deposit returns to the minter.
		assert_ok!(Tokenization::burn_nft(signed(ALICE), ART, 1));
		assert!(ItemDeposits::<Test>::get(ART, 1).is_none());
		assert_eq!(Balances::free_balance(ISSUER), before);
		// A minter who cannot pay mints nothing.
		StorageDepositBase::set(Balances::free_balance(ISSUER));
		assert_noop!(
			Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, bounded(b"")),
			Error::<Test>::CannotPayDeposit
		);
	});
}

#[test]
fn closed_distribution_records_are_purged_in_bounded_steps() {
	run(|| {
		let id = NextDistributionId::<Test>::get();
		// Records of a distribution, as transfers and claims leave them.
		for who in 100..105u64 {
			RecordedBalances::<Test>::insert(id, who, 7);
		}
		for who in 200..203u64 {
			DistributionClaims::<Test>::insert(id, who, ());
		}
		assert_noop!(
			Tokenization::purge_distribution_records(signed(ALICE), id, 3),
			Error::<Test>::UnknownDistribution
		);
		NextDistributionId::<Test>::put(id + 1);
		assert_noop!(
			Tokenization::purge_distribution_records(signed(ALICE), id, 0),
			Error::<Test>::InvalidLimit
		);
		assert_noop!(
			Tokenization::purge_distribution_records(signed(ALICE), id, MAX_PURGE_PER_CALL + 1),
			Error::<Test>::InvalidLimit
		);

		// Anyone, in steps: 3, then 3 (2 balances, 1 claim), then the last 2 claims.
		assert_ok!(Tokenization::purge_distribution_records(signed(ALICE), id, 3));
		System::assert_last_event(
			Event::DistributionRecordsPurged { distribution: id, removed: 3, complete: false }
				.into(),
		);
		assert_eq!(RecordedBalances::<Test>::iter_prefix(id).count(), 2);
		assert_ok!(Tokenization::purge_distribution_records(signed(BOB), id, 3));
		assert_eq!(RecordedBalances::<Test>::iter_prefix(id).count(), 0);
		assert_eq!(DistributionClaims::<Test>::iter_prefix(id).count(), 2);
		assert_ok!(Tokenization::purge_distribution_records(signed(BOB), id, 10));
		System::assert_last_event(
			Event::DistributionRecordsPurged { distribution: id, removed: 2, complete: true }
				.into(),
		);
		assert_eq!(DistributionClaims::<Test>::iter_prefix(id).count(), 0);
	});
}

#[test]
fn an_open_distributions_records_cannot_be_purged() {
	run(|| {
		held_600_300_100();
		let id = NextDistributionId::<Test>::get();
		assert_ok!(Tokenization::create_distribution(signed(ISSUER), SEC, usd(), 10_000, 100));
		RecordedBalances::<Test>::insert(id, BOB, 5);
		assert_noop!(
			Tokenization::purge_distribution_records(signed(ALICE), id, 10),
			Error::<Test>::DistributionStillOpen
		);
		RecordedBalances::<Test>::remove(id, BOB);
	});
}

// --- Destruction ---

fn token_deposit_held(who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::TokenDeposit.into(), &who)
}

#[test]
fn a_fungible_token_is_destroyed_in_three_steps() {
	run(|| {
		let template =
			register(TemplateSpec { policy: TransferPolicy::Allowlisted, ..security_spec() });
		create(SEC, template, None);
		// Records a token gathers: roles, allowlist entries, a freeze, a lock-up record left
		// behind.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Minter));
		for who in [ISSUER, ALICE, BOB] {
			assert_ok!(Tokenization::set_allowlisted(signed(ISSUER), SEC, who, true));
		}
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, CHARLIE, REASON));
		Lockups::<Test>::insert(SEC, BOB, BoundedVec::default());
		mint(SEC, ISSUER, 500);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 500));
		assert_eq!(token_deposit_held(ISSUER), TOKEN_DEPOSIT);

		// Only an admin starts it.
		assert_noop!(Tokenization::start_destroy(signed(ALICE), SEC), Error::<Test>::MissingRole);
		assert_ok!(Tokenization::start_destroy(signed(ISSUER), SEC));
		System::assert_last_event(Event::DestructionStarted { token: SEC, by: ISSUER }.into());
		check_invariants();

		// From now on nothing about the token moves or changes.
		let destroying = || Error::<Test>::TokenDestroying;
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, ALICE, 1), destroying());
		assert_noop!(
			Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Freezer),
			destroying()
		);
		assert_noop!(Tokenization::set_allowlisted(signed(ISSUER), SEC, 9, true), destroying());
		assert_noop!(
			Tokenization::thaw_account(signed(ISSUER), SEC, CHARLIE, REASON),
			destroying()
		);
		assert_noop!(Tokenization::start_destroy(signed(ISSUER), SEC), destroying());
		assert_noop!(
			Tokenization::create_distribution(signed(ISSUER), SEC, usd(), 100, 100),
			destroying()
		);
		// Nor can it be finished while records are left.
		assert_noop!(Tokenization::finish_destroy(signed(BOB), SEC), Error::<Test>::AccountsRemain);

		// Anyone removes the records, `limit` at a time: 2 roles (issuer, Alice), 4 account
		// states (3 allowlisted, 1 frozen), 1 lock-up record.
		for limit in [0, MAX_PURGE_PER_CALL + 1] {
			assert_noop!(
				Tokenization::destroy_accounts(signed(BOB), SEC, limit),
				Error::<Test>::InvalidLimit
			);
		}
		assert_ok!(Tokenization::destroy_accounts(signed(BOB), SEC, 3));
		System::assert_last_event(
			Event::AccountsDestroyed { token: SEC, removed: 3, complete: false }.into(),
		);
		assert_eq!(Roles::<Test>::iter_prefix(SEC).count(), 0);
		assert_eq!(AccountStates::<Test>::iter_prefix(SEC).count(), 3);
		assert_ok!(Tokenization::destroy_accounts(signed(CHARLIE), SEC, 3));
		assert_ok!(Tokenization::destroy_accounts(signed(CHARLIE), SEC, 3));
		System::assert_last_event(
			Event::AccountsDestroyed { token: SEC, removed: 1, complete: true }.into(),
		);
		assert_eq!(Lockups::<Test>::iter_prefix(SEC).count(), 0);

		// Finish: the asset, the token and its deposit go; the id and the template are free.
		assert_ok!(Tokenization::finish_destroy(signed(BOB), SEC));
		System::assert_last_event(
			Event::TokenDestroyed { token: SEC, issuer: ISSUER, deposit: TOKEN_DEPOSIT }.into(),
		);
		assert!(!Tokens::<Test>::contains_key(SEC));
		assert!(!Assets::asset_exists(SEC));
		assert_eq!(token_deposit_held(ISSUER), 0);
		assert_eq!(Templates::<Test>::get(template).expect("kept").live_tokens, 0);
		assert_noop!(Tokenization::finish_destroy(signed(BOB), SEC), Error::<Test>::UnknownToken);
		check_invariants();
		create(SEC, template, None);
		assert_eq!(Roles::<Test>::get(SEC, ISSUER), RoleSet::all());
		assert_ok!(Tokenization::retire_template(root(), register(security_spec())));
	});
}

#[test]
fn destruction_waits_for_units_redemptions_buybacks_and_distributions() {
	run(|| {
		// Units in circulation: holders are never wiped.
		stablecoin();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 300);
		assert_noop!(
			Tokenization::start_destroy(signed(ISSUER), STABLE),
			Error::<Test>::SupplyOutstanding
		);
		// Redeemed units are gone, but the payout is still owed.
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 300));
		assert_eq!(Tokens::<Test>::get(STABLE).expect("live").pending_redemptions, 1);
		assert_noop!(
			Tokenization::start_destroy(signed(ISSUER), STABLE),
			Error::<Test>::RedemptionsPending
		);
		assert_ok!(Tokenization::confirm_redemption(signed(ISSUER), 0, DOC));
		assert_eq!(Tokens::<Test>::get(STABLE).expect("live").pending_redemptions, 0);

		// An open buyback holds its buyer's budget.
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), STABLE, usd(), 50, 1_000));
		assert_eq!(Tokens::<Test>::get(STABLE).expect("live").open_buybacks, 1);
		assert_noop!(
			Tokenization::start_destroy(signed(ISSUER), STABLE),
			Error::<Test>::BuybacksOpen
		);
		assert_ok!(Tokenization::close_buyback(signed(ISSUER), 0));
		assert_eq!(Tokens::<Test>::get(STABLE).expect("live").open_buybacks, 0);

		// An open distribution still owes its holders.
		mint(STABLE, ISSUER, 100);
		let id = NextDistributionId::<Test>::get();
		assert_ok!(Tokenization::create_distribution(signed(ISSUER), STABLE, usd(), 100, 10));
		assert_ok!(Tokenization::burn(signed(ISSUER), STABLE, 100));
		assert_noop!(
			Tokenization::start_destroy(signed(ISSUER), STABLE),
			Error::<Test>::DistributionsOpen
		);
		System::set_block_number(System::block_number() + 10);
		assert_ok!(Tokenization::close_distribution(signed(BOB), id));
		assert_ok!(Tokenization::start_destroy(signed(ISSUER), STABLE));
		// The attestor and the reserves go with the token.
		assert_ok!(Tokenization::destroy_accounts(signed(BOB), STABLE, 10));
		assert_ok!(Tokenization::finish_destroy(signed(BOB), STABLE));
		assert!(ReserveAttestors::<Test>::get(STABLE).is_none());
		assert!(Reserves::<Test>::get(STABLE).is_none());
	});
}

#[test]
fn an_nft_collection_token_is_destroyed_with_its_collection() {
	run(|| {
		nft_token();
		let collection = collection_of(ART);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"ipfs://1")));
		assert_noop!(
			Tokenization::start_destroy(signed(ISSUER), ART),
			Error::<Test>::SupplyOutstanding
		);
		assert_ok!(Tokenization::burn_nft(signed(ALICE), ART, 1));
		assert_ok!(Tokenization::start_destroy(signed(ISSUER), ART));
		assert_noop!(
			Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, bounded(b"")),
			Error::<Test>::TokenDestroying
		);
		assert_ok!(Tokenization::destroy_accounts(signed(BOB), ART, 10));
		assert_ok!(Tokenization::finish_destroy(signed(BOB), ART));
		assert!(Nfts::collection_owner(collection).is_none(), "the collection is gone");
		assert!(!CollectionTokens::<Test>::contains_key(collection));
		assert_eq!(token_deposit_held(ISSUER), 0);
	});
}

#[test]
fn destruction_steps_need_a_token_being_destroyed() {
	run(|| {
		security_token();
		assert_noop!(
			Tokenization::destroy_accounts(signed(BOB), SEC, 10),
			Error::<Test>::NotDestroying
		);
		assert_noop!(Tokenization::finish_destroy(signed(BOB), SEC), Error::<Test>::NotDestroying);
		assert_noop!(
			Tokenization::destroy_accounts(signed(BOB), 77, 10),
			Error::<Test>::UnknownToken
		);
		assert_noop!(Tokenization::start_destroy(signed(ISSUER), 77), Error::<Test>::UnknownToken);
	});
}

#[test]
fn try_state_catches_wrong_obligation_counts_and_units_of_a_destroyed_token() {
	run(|| {
		security_token();
		Tokens::<Test>::mutate(SEC, |t| t.as_mut().expect("exists").open_buybacks = 1);
		assert!(Tokenization::do_try_state().is_err(), "a buyback count without buybacks");
		Tokens::<Test>::mutate(SEC, |t| t.as_mut().expect("exists").open_buybacks = 0);
		mint(SEC, ALICE, 5);
		Tokens::<Test>::mutate(SEC, |t| {
			t.as_mut().expect("exists").status = TokenStatus::Destroying
		});
		assert!(Tokenization::do_try_state().is_err(), "units of a token being destroyed");
		Tokens::<Test>::mutate(SEC, |t| t.as_mut().expect("exists").status = TokenStatus::Live);
	});
}

#[test]
fn migration_to_v2_records_status_and_obligations() {
	use crate::migrations::v2::{MigrateV1ToV2, TokenDetailsV1};
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		stablecoin();
		attest(STABLE, 1_000);
		mint(STABLE, ALICE, 300);
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 100));
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 100));
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), STABLE, usd(), 50, 1_000));
		let now = Tokens::<Test>::get(STABLE).expect("exists");
		// The token as version 1 stored it: no status, no counts.
		let old = TokenDetailsV1 {
			class: now.class,
			issuer: now.issuer,
			template: now.template,
			name: now.name.clone(),
			symbol: now.symbol.clone(),
			decimals: now.decimals,
			cap: now.cap,
			document_hash: now.document_hash,
			policy: now.policy,
			default_lockup: now.default_lockup,
			paused: now.paused,
			collection: now.collection,
			items: now.items,
			deposit: now.deposit,
		};
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&Tokens::<Test>::hashed_key_for(STABLE),
			&old.encode(),
		);
		assert!(Tokens::<Test>::get(STABLE).is_none(), "the old layout does not decode");
		StorageVersion::new(1).put::<Tokenization>();

		MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Tokens::<Test>::get(STABLE).map(|d| d.encode()), Some(now.encode()));
		assert_eq!(Tokenization::on_chain_storage_version(), 2);
	});
}

// --- Renouncing powers ---

/// The deposit a token's renounced-powers record holds: a base and its bytes (a
/// `Blake2_128Concat` key of the token id and the record, at its largest).
fn renunciation_deposit() -> Balance {
	use codec::MaxEncodedLen;
	let bytes = 16 + 4 + RenunciationOf::<Test>::max_encoded_len() as Balance;
	StorageDepositBase::get() + StorageDepositPerByte::get() * bytes
}

fn renounce(token: u32, power: TokenPower) {
	assert_ok!(Tokenization::renounce_power(signed(ISSUER), token, power));
}

#[test]
fn renounce_power_records_it_holds_the_deposit_once_and_emits_an_event() {
	run(|| {
		security_token();
		assert!(Tokenization::renounced_powers(&SEC).is_empty());
		let free = Balances::free_balance(ISSUER);
		assert_ok!(Tokenization::renounce_power(signed(ISSUER), SEC, TokenPower::Freeze));
		System::assert_last_event(
			Event::PowerRenounced { token: SEC, power: TokenPower::Freeze, by: ISSUER }.into(),
		);
		let deposit = renunciation_deposit();
		assert_eq!(
			RenouncedPowers::<Test>::get(SEC),
			Some(Renunciation {
				powers: PowerSet { freeze: true, clawback: false, mint: false },
				deposit: Deposit { depositor: ISSUER, amount: deposit },
			})
		);
		assert_eq!(storage_deposit_held(ISSUER), deposit);
		assert_eq!(Balances::free_balance(ISSUER), free - deposit);
		check_invariants();

		// Another admin renounces more: the record exists, so nothing more is held.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Admin));
		assert_ok!(Tokenization::renounce_power(signed(ALICE), SEC, TokenPower::Mint));
		System::assert_last_event(
			Event::PowerRenounced { token: SEC, power: TokenPower::Mint, by: ALICE }.into(),
		);
		assert_ok!(Tokenization::renounce_power(signed(ISSUER), SEC, TokenPower::Clawback));
		assert_eq!(
			Tokenization::renounced_powers(&SEC),
			PowerSet { freeze: true, clawback: true, mint: true }
		);
		assert_eq!(storage_deposit_held(ALICE), 0);
		assert_eq!(storage_deposit_held(ISSUER), deposit);
		assert_eq!(RenouncedPowers::<Test>::get(SEC).map(|r| r.deposit.amount), Some(deposit));
	});
}

#[test]
fn a_power_is_renounced_only_once() {
	run(|| {
		security_token();
		for power in [TokenPower::Freeze, TokenPower::Clawback, TokenPower::Mint] {
			renounce(SEC, power);
			assert_noop!(
				Tokenization::renounce_power(signed(ISSUER), SEC, power),
				Error::<Test>::PowerAlreadyRenounced
			);
		}
	});
}

#[test]
fn renounce_power_errors() {
	run(|| {
		security_token();
		// Every role but admin is not enough.
		for role in [Role::Minter, Role::Freezer, Role::Controller] {
			assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, role));
		}
		assert_noop!(
			Tokenization::renounce_power(signed(ALICE), SEC, TokenPower::Freeze),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::renounce_power(signed(BOB), SEC, TokenPower::Mint),
			Error::<Test>::MissingRole
		);
		assert_noop!(
			Tokenization::renounce_power(signed(ISSUER), SEC + 1, TokenPower::Mint),
			Error::<Test>::UnknownToken
		);
		// An admin who cannot pay the record's deposit renounces nothing.
		StorageDepositBase::set(Balances::free_balance(ISSUER));
		assert_noop!(
			Tokenization::renounce_power(signed(ISSUER), SEC, TokenPower::Mint),
			Error::<Test>::CannotPayDeposit
		);
		StorageDepositBase::set(10);
		// Nothing changes about a token being destroyed.
		assert_ok!(Tokenization::start_destroy(signed(ISSUER), SEC));
		assert_noop!(
			Tokenization::renounce_power(signed(ISSUER), SEC, TokenPower::Mint),
			Error::<Test>::TokenDestroying
		);
	});
}

#[test]
fn renouncing_freeze_stops_freezing_pausing_and_lockups_but_not_releasing() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		// A freezer who is not an admin.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, BOB, Role::Freezer));
		// Frozen and paused before the renunciation.
		assert_ok!(Tokenization::freeze_account(signed(BOB), SEC, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(BOB), SEC, REASON));
		renounce(SEC, TokenPower::Freeze);
		renounce(ART, TokenPower::Freeze);

		for who in [ISSUER, BOB] {
			assert_noop!(
				Tokenization::freeze_account(signed(who), SEC, CHARLIE, REASON),
				Error::<Test>::PowerRenounced
			);
			assert_noop!(
				Tokenization::pause(signed(who), SEC, REASON),
				Error::<Test>::PowerRenounced
			);
		}
		assert_noop!(
			Tokenization::freeze_account(signed(ISSUER), ART, CHARLIE, REASON),
			Error::<Test>::PowerRenounced
		);
		assert_noop!(
			Tokenization::pause(signed(ISSUER), ART, REASON),
			Error::<Test>::PowerRenounced
		);
		// Locking units a holder already has freezes them.
		assert_noop!(
			Tokenization::add_lockup(
				signed(ISSUER),
				SEC,
				ALICE,
				1,
				LockupTerms { cliff: 0, duration: 10 },
				None
			),
			Error::<Test>::PowerRenounced
		);

		// Whoever was frozen or paused before is released.
		assert_ok!(Tokenization::unpause(signed(BOB), SEC, REASON));
		assert_ok!(Tokenization::thaw_account(signed(BOB), SEC, ALICE, REASON));
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 10));

		// The other powers are untouched.
		mint(SEC, CHARLIE, 100);
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, CHARLIE, BOB, 50, REASON));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		assert_ok!(Tokenization::force_transfer_nft(signed(ISSUER), ART, 1, BOB, REASON));
	});
}

#[test]
fn a_default_lockup_still_applies_once_freeze_is_renounced() {
	run(|| {
		vesting_token();
		renounce(VEST, TokenPower::Freeze);
		// The template's terms, known before anyone holds a unit, not a freeze of held units.
		mint(VEST, ALICE, 100);
		assert_eq!(locked(VEST, ALICE), 100);
		// A controller still releases lock-ups early.
		assert_ok!(Tokenization::release_lockups(signed(ISSUER), VEST, ALICE, REASON));
		assert_eq!(locked(VEST, ALICE), 0);
	});
}

#[test]
fn renouncing_clawback_stops_forced_transfers_only() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		// A controller who is not an admin.
		for token in [SEC, ART] {
			assert_ok!(Tokenization::grant_role(signed(ISSUER), token, BOB, Role::Controller));
			renounce(token, TokenPower::Clawback);
		}

		for who in [ISSUER, BOB] {
			assert_noop!(
				Tokenization::force_transfer(signed(who), SEC, ALICE, CHARLIE, 1, REASON),
				Error::<Test>::PowerRenounced
			);
			assert_noop!(
				Tokenization::force_transfer_nft(signed(who), ART, 1, CHARLIE, REASON),
				Error::<Test>::PowerRenounced
			);
		}
		// Even a frozen holder keeps their units.
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_noop!(
			Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, CHARLIE, 1, REASON),
			Error::<Test>::PowerRenounced
		);
		assert_eq!(balance(SEC, ALICE), 1_000);
		assert_eq!(nft_owner(collection_of(ART), 1), Some(ALICE));

		// The other powers are untouched; holders still move and burn their own.
		assert_ok!(Tokenization::thaw_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_ok!(Tokenization::unpause(signed(ISSUER), SEC, REASON));
		lock(SEC, ALICE, 100, 0, 10);
		mint(SEC, ISSUER, 100);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 100));
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, CHARLIE, 10));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, bounded(b"")));
		assert_ok!(Tokenization::transfer_nft(signed(ALICE), ART, 1, CHARLIE));
	});
}

#[test]
fn renouncing_mint_stops_minting_only() {
	run(|| {
		security_token();
		nft_token();
		mint(SEC, ALICE, 1_000);
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, bounded(b"")));
		// A minter who is not an admin.
		for token in [SEC, ART] {
			assert_ok!(Tokenization::grant_role(signed(ISSUER), token, BOB, Role::Minter));
			renounce(token, TokenPower::Mint);
		}

		for who in [ISSUER, BOB] {
			assert_noop!(
				Tokenization::mint(signed(who), SEC, ALICE, 1),
				Error::<Test>::PowerRenounced
			);
			assert_noop!(
				Tokenization::mint_nft(signed(who), ART, 2, ALICE, bounded(b"")),
				Error::<Test>::PowerRenounced
			);
		}
		// Refused whoever asks: the power is gone, not just the caller's role.
		assert_noop!(
			Tokenization::mint(signed(CHARLIE), SEC, ALICE, 1),
			Error::<Test>::PowerRenounced
		);
		assert_eq!(supply(SEC), 1_000);

		// The other powers are untouched; supply still shrinks.
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, ALICE, BOB, 100, REASON));
		assert_ok!(Tokenization::burn(signed(BOB), SEC, 100));
		assert_eq!(supply(SEC), 900);
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), ART, REASON));
		assert_ok!(Tokenization::unpause(signed(ISSUER), ART, REASON));
		assert_ok!(Tokenization::force_transfer_nft(signed(ISSUER), ART, 1, BOB, REASON));
		assert_ok!(Tokenization::burn_nft(signed(BOB), ART, 1));
	});
}

#[test]
fn renounced_powers_are_per_token() {
	run(|| {
		security_token();
		utility_token();
		for power in [TokenPower::Freeze, TokenPower::Clawback, TokenPower::Mint] {
			renounce(SEC, power);
		}
		mint(UTIL, ALICE, 100);
		assert_ok!(Tokenization::force_transfer(signed(ISSUER), UTIL, ALICE, BOB, 10, REASON));
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), UTIL, ALICE, REASON));
		assert_ok!(Tokenization::pause(signed(ISSUER), UTIL, REASON));
		assert!(Tokenization::renounced_powers(&UTIL).is_empty());
	});
}

#[test]
fn renounced_powers_and_their_deposit_go_with_the_token() {
	run(|| {
		let template = register(security_spec());
		create(SEC, template, None);
		// Alice, an admin, renounces first and pays; the issuer renounces more.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, ALICE, Role::Admin));
		assert_ok!(Tokenization::renounce_power(signed(ALICE), SEC, TokenPower::Clawback));
		renounce(SEC, TokenPower::Mint);
		let alice_free = Balances::free_balance(ALICE);
		assert_eq!(storage_deposit_held(ALICE), renunciation_deposit());
		assert_eq!(storage_deposit_held(ISSUER), 0);

		assert_ok!(Tokenization::start_destroy(signed(ISSUER), SEC));
		assert_ok!(Tokenization::destroy_accounts(signed(BOB), SEC, 10));
		// The record is the token's own, not an account's: it goes at the last step.
		assert!(RenouncedPowers::<Test>::contains_key(SEC));
		check_invariants();
		assert_ok!(Tokenization::finish_destroy(signed(BOB), SEC));
		assert!(!RenouncedPowers::<Test>::contains_key(SEC));
		assert_eq!(storage_deposit_held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), alice_free + renunciation_deposit());
		check_invariants();

		// A new token under the same id starts with every power.
		create(SEC, template, None);
		assert!(Tokenization::renounced_powers(&SEC).is_empty());
		mint(SEC, ALICE, 1);
	});
}

#[test]
fn try_state_detects_broken_renounced_powers() {
	run(|| {
		security_token();
		renounce(SEC, TokenPower::Mint);
		check_invariants();
		let broken = |expected: &'static str| {
			assert_eq!(Tokenization::do_try_state(), Err(expected.into()));
		};
		rolled_back(|| {
			let record = RenouncedPowers::<Test>::take(SEC).expect("renounced");
			RenouncedPowers::<Test>::insert(SEC + 1, record);
			broken("renounced powers of an unknown token");
		});
		rolled_back(|| {
			RenouncedPowers::<Test>::mutate(SEC, |r| {
				r.as_mut().expect("renounced").powers = PowerSet::default()
			});
			broken("a renounced-powers record renouncing nothing");
		});
		rolled_back(|| {
			RenouncedPowers::<Test>::mutate(SEC, |r| {
				r.as_mut().expect("renounced").deposit.amount += 1
			});
			broken("storage deposit held differs from the sum of the depositor's items");
		});
	});
}
