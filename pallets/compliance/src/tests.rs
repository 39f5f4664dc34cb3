//! Unit tests of the compliance pallet on the mock runtime, through the tokenization pallet's real
//! calls (every movement of a managed token passes the compliance checks there).
//!
//! Every test runs through [`run`], which checks [`Pallet::do_try_state`] once the test body is
//! done; tests with review cases also check it in between.

use crate::{mock::*, *};
use codec::{Encode, MaxEncodedLen};
use pallet_tokenization::{
	ComplianceVerdict, DocumentHash, LockupTerms, MoveKind, ReasonCode, Role, RoleSet, TemplateId,
	TemplateSpec, TokenClass, TransferPolicy,
};
use polkadot_sdk::{
	binary_merkle_tree::{merkle_proof, merkle_root},
	frame_support::{
		assert_noop, assert_ok,
		traits::{
			fungibles::{Inspect as _, InspectHold as _},
			ConstU32, Hooks,
		},
		BoundedVec,
	},
	pallet_assets,
	sp_runtime::{traits::BlakeTwo256, DispatchError, DispatchResult},
};

type TokenizationError = pallet_tokenization::Error<Test>;
type TokenizationEvent = pallet_tokenization::Event<Test>;
type Limits = TokenLimits<Balance, u64>;
type Codes = BoundedVec<Jurisdiction, <Test as Config>::MaxJurisdictions>;

// --- Fixtures ---

/// A security token (0 decimals, no cap, open transfers); the issuer holds every role.
const SEC: u32 = 10;
/// A stablecoin (0 decimals).
const STABLE: u32 = 20;
/// An NFT collection token.
const ART: u32 = 40;

/// The KYC provider: a claim issuer trusted for Germany, France and the United States.
const PROVIDER: AccountId = 10;
/// A claim issuer nobody trusts.
const ROGUE: AccountId = 11;
/// A registered risk oracle.
const ORACLE: AccountId = 12;
/// A holder with native funds (so that it can hold tokens), set up by the tests that need it.
const DAVE: AccountId = 13;

const DE: Jurisdiction = *b"DE";
const FR: Jurisdiction = *b"FR";
const US: Jurisdiction = *b"US";

const DOC: DocumentHash = [1; 32];
const TRAVEL: DocumentHash = [7; 32];
const REASON: ReasonCode = 42;
/// When the claims the tests attest expire.
const EXPIRY: u64 = 1_000;
/// Every holder starts with this many units of `SEC`.
const START: Balance = 1_000;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn codes(list: &[Jurisdiction]) -> Codes {
	list.to_vec().try_into().expect("few enough")
}

fn attribute(bytes: &[u8]) -> AttributeOf<Test> {
	bytes.to_vec().try_into().expect("short enough")
}

fn facts(tier: KycTier, jurisdiction: Jurisdiction) -> ClaimInput<u64> {
	ClaimInput {
		tier,
		jurisdiction,
		accredited: true,
		sanctions_screened: true,
		expires_at: EXPIRY,
		commitment: [0; 32],
	}
}

/// The provider attests `facts` on `who`.
fn attest(who: AccountId, facts: ClaimInput<u64>) {
	assert_ok!(Compliance::attest_claim(signed(PROVIDER), who, facts));
}

/// A tier-2, accredited, screened German claim on each of `who`.
fn kyc(who: &[AccountId]) {
	for who in who {
		attest(*who, facts(2, DE));
	}
}

/// A rule set that asks nothing: only the blocklist applies.
fn open_rules() -> RuleSetOf<Test> {
	RuleSet {
		jurisdiction: DE,
		sender: PartyRequirement::default(),
		receiver: PartyRequirement::default(),
		allowed_jurisdictions: codes(&[]),
		blocked_jurisdictions: codes(&[]),
		travel_rule_threshold: None,
		review_risk_score: None,
		reject_risk_score: None,
	}
}

/// A rule set that asks both sides for a valid claim.
fn kyc_rules() -> RuleSetOf<Test> {
	let claim = PartyRequirement { claim_required: true, ..Default::default() };
	RuleSet { sender: claim, receiver: claim, ..open_rules() }
}

fn no_limits() -> Limits {
	TokenLimits {
		max_holders: None,
		max_balance: None,
		max_transfer: None,
		velocity: None,
		review_threshold: None,
	}
}

/// Governance registers `rule_set`; returns its id.
fn register(rule_set: RuleSetOf<Test>) -> RuleSetId {
	let id = NextRuleSetId::<Test>::get();
	assert_ok!(Compliance::register_rule_set(root(), rule_set));
	id
}

/// Makes `token` regulated by a new rule set `rule_set` and `limits`.
fn regulate_token(token: u32, rule_set: RuleSetOf<Test>, limits: Limits) {
	let rule_set = register(rule_set);
	assert_ok!(Compliance::set_token_rules(signed(ISSUER), token, TokenRules { rule_set, limits }));
}

/// Makes `SEC` regulated by a new rule set `rule_set` and `limits`.
fn regulate(rule_set: RuleSetOf<Test>, limits: Limits) {
	regulate_token(SEC, rule_set, limits);
}

fn template(class: TokenClass, max_cap: Option<Balance>) -> TemplateId {
	let id = pallet_tokenization::NextTemplateId::<Test>::get();
	assert_ok!(Tokenization::register_template(
		root(),
		TemplateSpec {
			class,
			decimals: 0,
			max_cap,
			policy: TransferPolicy::Open,
			default_lockup: None,
			issuer_roles: RoleSet::all(),
		}
	));
	id
}

fn create(token: u32, class: TokenClass, max_cap: Option<Balance>) {
	let template = template(class, max_cap);
	assert_ok!(Tokenization::create_token(
		signed(ISSUER),
		token,
		template,
		b"Token".to_vec().try_into().expect("short"),
		b"TKN".to_vec().try_into().expect("short"),
		None,
		DOC
	));
}

/// The issuer (a minter) mints `amount` of `token` to `to`.
fn mint(token: u32, to: AccountId, amount: Balance) {
	assert_ok!(Tokenization::mint(signed(ISSUER), token, to, amount));
}

fn transfer(from: AccountId, to: AccountId, amount: Balance) -> DispatchResult {
	Tokenization::transfer(signed(from), SEC, to, amount).map(|_| ()).map_err(|e| e.error)
}

/// Free balance of `SEC` (not on hold).
fn free(who: AccountId) -> Balance {
	Assets::balance(SEC, who)
}

/// Free plus held balance of `SEC`.
fn total(who: AccountId) -> Balance {
	Assets::total_balance(SEC, &who)
}

/// `SEC` on hold for review on `who`.
fn on_hold(who: AccountId) -> Balance {
	AssetsHolder::balance_on_hold(SEC, &HoldReason::Review.into(), &who)
}

fn transferable(who: AccountId) -> Balance {
	Tokenization::transferable_balance(&SEC, &who)
}

fn blocklist(who: AccountId) {
	assert_ok!(Compliance::set_blocklisted(root(), who, Some(REASON)));
}

fn score(who: AccountId, score: RiskScore) {
	if !RiskOracles::<Test>::contains_key(ORACLE) {
		assert_ok!(Compliance::set_risk_oracle(root(), ORACLE, true));
	}
	assert_ok!(Compliance::set_risk_score(signed(ORACLE), who, score));
}

fn fund_native(who: AccountId) {
	assert_ok!(Balances::force_set_balance(root(), who, 10_000));
}

/// Moves to block `n`, running this pallet's `on_initialize` for each block on the way.
fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compliance::on_initialize(next);
	}
}

fn check_invariants() {
	Compliance::do_try_state().expect("invariants hold");
}

/// Runs `test` on a fresh mock chain with `SEC` created (unregulated), the provider trusted for
/// Germany, France and the United States, and Alice and Bob holding [`START`] units each; then
/// checks the invariants.
fn run(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		create(SEC, TokenClass::SecurityToken, None);
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[DE, FR, US])));
		mint(SEC, ALICE, START);
		mint(SEC, BOB, START);
		test();
		check_invariants();
	});
}

/// The attributes a holder's commitment covers in the disclosure tests, and the leaves.
fn attributes() -> Vec<(Vec<u8>, Vec<u8>)> {
	[
		(&b"name"[..], &b"Alice Example"[..]),
		(b"birth_year", b"1990"),
		(b"country", b"DE"),
		(b"over_18", b"true"),
		(b"tax_id", b"DE-123-456"),
	]
	.iter()
	.map(|(k, v)| (k.to_vec(), v.to_vec()))
	.collect()
}

fn leaves() -> Vec<Vec<u8>> {
	attributes().iter().map(|(key, value)| (key, value).encode()).collect()
}

fn commitment() -> Commitment {
	merkle_root::<BlakeTwo256, _>(leaves()).0
}

fn proof(index: u32) -> BoundedVec<[u8; 32], <Test as Config>::MaxProofDepth> {
	let proof = merkle_proof::<BlakeTwo256, _, _>(leaves(), index);
	proof.proof.iter().map(|node| node.0).collect::<Vec<_>>().try_into().expect("shallow")
}

// --- Issuers and claims ---

#[test]
fn add_and_remove_trusted_issuer() {
	run(|| {
		assert_ok!(Compliance::add_trusted_issuer(root(), ROGUE, codes(&[FR])));
		assert_eq!(TrustedIssuers::<Test>::get(ROGUE), Some(codes(&[FR])));
		System::assert_last_event(
			Event::TrustedIssuerAdded { issuer: ROGUE, jurisdictions: codes(&[FR]) }.into(),
		);
		// Adding again re-scopes.
		assert_ok!(Compliance::add_trusted_issuer(root(), ROGUE, codes(&[DE, US])));
		assert_eq!(TrustedIssuers::<Test>::get(ROGUE), Some(codes(&[DE, US])));

		assert_ok!(Compliance::remove_trusted_issuer(root(), ROGUE));
		assert!(TrustedIssuers::<Test>::get(ROGUE).is_none());
		System::assert_last_event(Event::TrustedIssuerRemoved { issuer: ROGUE }.into());
		assert_noop!(
			Compliance::remove_trusted_issuer(root(), ROGUE),
			Error::<Test>::NotTrustedIssuer
		);
	});
}

#[test]
fn attest_and_revoke_claim() {
	run(|| {
		let input = ClaimInput { tier: 3, accredited: false, ..facts(2, FR) };
		assert_ok!(Compliance::attest_claim(signed(PROVIDER), ALICE, input.clone()));
		let claim = Claim { issuer: PROVIDER, facts: input.clone() };
		assert_eq!(Compliance::standing(&ALICE).claim, Some(claim.clone()));
		assert_eq!(Compliance::valid_claim(&ALICE), Some(claim));
		System::assert_last_event(
			Event::ClaimAttested {
				who: ALICE,
				issuer: PROVIDER,
				tier: 3,
				jurisdiction: FR,
				expires_at: EXPIRY,
			}
			.into(),
		);
		// A new claim replaces the old one.
		attest(ALICE, facts(1, DE));
		assert_eq!(Compliance::standing(&ALICE).claim.map(|c| c.facts), Some(facts(1, DE)));

		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), ALICE));
		assert!(!Standings::<Test>::contains_key(ALICE));
		assert!(Compliance::valid_claim(&ALICE).is_none());
		System::assert_last_event(Event::ClaimRevoked { who: ALICE, issuer: PROVIDER }.into());
	});
}

#[test]
fn only_the_claims_issuer_revokes_it() {
	run(|| {
		assert_noop!(
			Compliance::revoke_claim(signed(PROVIDER), ALICE),
			Error::<Test>::UnknownClaim
		);
		kyc(&[ALICE]);
		assert_ok!(Compliance::add_trusted_issuer(root(), ROGUE, codes(&[DE])));
		assert_noop!(Compliance::revoke_claim(signed(ROGUE), ALICE), Error::<Test>::UnknownClaim);
		// An issuer no longer trusted may still revoke what it attested.
		assert_ok!(Compliance::remove_trusted_issuer(root(), PROVIDER));
		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), ALICE));
	});
}

#[test]
fn claims_need_a_trusted_issuer_for_the_jurisdiction() {
	run(|| {
		assert_noop!(
			Compliance::attest_claim(signed(ROGUE), ALICE, facts(2, DE)),
			Error::<Test>::NotTrustedIssuer
		);
		// Trusted, but not for Italy.
		assert_noop!(
			Compliance::attest_claim(signed(PROVIDER), ALICE, facts(2, *b"IT")),
			Error::<Test>::NotTrustedIssuer
		);
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[DE, FR, US, *b"IT"])));
		assert_ok!(Compliance::attest_claim(signed(PROVIDER), ALICE, facts(2, *b"IT")));
	});
}

#[test]
fn claim_expiry_must_be_in_the_future() {
	run(|| {
		System::set_block_number(50);
		for expires_at in [0, 49, 50] {
			assert_noop!(
				Compliance::attest_claim(
					signed(PROVIDER),
					ALICE,
					ClaimInput { expires_at, ..facts(2, DE) }
				),
				Error::<Test>::ClaimAlreadyExpired
			);
		}
		assert_ok!(Compliance::attest_claim(
			signed(PROVIDER),
			ALICE,
			ClaimInput { expires_at: 51, ..facts(2, DE) }
		));
	});
}

#[test]
fn jurisdictions_must_be_two_upper_case_letters() {
	run(|| {
		for bad in [*b"de", *b"De", *b"D1", [0, 0], *b"D "] {
			assert_noop!(
				Compliance::add_trusted_issuer(root(), ROGUE, codes(&[DE, bad])),
				Error::<Test>::InvalidJurisdiction
			);
			assert_noop!(
				Compliance::attest_claim(signed(PROVIDER), ALICE, facts(2, bad)),
				Error::<Test>::InvalidJurisdiction
			);
			let id = register(open_rules());
			let bad_sets = [
				RuleSet { jurisdiction: bad, ..open_rules() },
				RuleSet { allowed_jurisdictions: codes(&[FR, bad]), ..open_rules() },
				RuleSet { blocked_jurisdictions: codes(&[bad]), ..open_rules() },
			];
			for rule_set in bad_sets {
				assert_noop!(
					Compliance::register_rule_set(root(), rule_set.clone()),
					Error::<Test>::InvalidJurisdiction
				);
				assert_noop!(
					Compliance::update_rule_set(root(), id, rule_set),
					Error::<Test>::InvalidJurisdiction
				);
			}
		}
	});
}

#[test]
fn governance_calls_need_the_compliance_origin() {
	run(|| {
		let id = register(open_rules());
		let calls: [DispatchResult; 6] = [
			Compliance::add_trusted_issuer(signed(GOV), ROGUE, codes(&[DE])),
			Compliance::remove_trusted_issuer(signed(GOV), PROVIDER),
			Compliance::register_rule_set(signed(GOV), open_rules()),
			Compliance::update_rule_set(signed(GOV), id, open_rules()),
			Compliance::set_blocklisted(signed(GOV), ALICE, Some(REASON)),
			Compliance::set_risk_oracle(signed(GOV), ORACLE, true),
		];
		for result in calls {
			assert_eq!(result, Err(DispatchError::BadOrigin));
		}
		// Nothing changed.
		assert!(TrustedIssuers::<Test>::contains_key(PROVIDER));
		assert!(!TrustedIssuers::<Test>::contains_key(ROGUE));
		assert_eq!(NextRuleSetId::<Test>::get(), 1);
		assert!(Compliance::standing(&ALICE).sanctioned.is_none());
		assert!(!RiskOracles::<Test>::contains_key(ORACLE));
	});
}

// --- Selective disclosure ---

#[test]
fn disclose_attribute_proves_each_leaf_of_the_commitment() {
	run(|| {
		attest(ALICE, ClaimInput { commitment: commitment(), ..facts(2, DE) });
		let count = attributes().len() as u32;
		for (index, (key, value)) in attributes().into_iter().enumerate() {
			let index = index as u32;
			assert!(Compliance::verify_attribute(
				&ALICE,
				&key,
				&value,
				&proof(index),
				index,
				count
			));
			assert_ok!(Compliance::disclose_attribute(
				signed(ALICE),
				attribute(&key),
				attribute(&value),
				proof(index),
				index,
				count
			));
			let stored = DisclosedAttributes::<Test>::get(ALICE, attribute(&key)).expect("stored");
			assert_eq!((stored.commitment, &stored.value), (commitment(), &attribute(&value)));
			// The holder pays for the record: a base and its bytes (two hashed keys, the value).
			let bytes =
				32 + ALICE.encoded_size() + attribute(&key).encoded_size() + stored.encoded_size();
			assert_eq!(
				stored.deposit,
				Deposit {
					depositor: ALICE,
					amount: StorageDepositBase::get()
						+ StorageDepositPerByte::get() * bytes as Balance
				}
			);
			assert_eq!(
				Compliance::disclosed_attribute(&ALICE, &attribute(&key)),
				Some(attribute(&value))
			);
			System::assert_last_event(
				Event::AttributeDisclosed {
					who: ALICE,
					key: attribute(&key),
					value: attribute(&value),
					deposit: stored.deposit.amount,
				}
				.into(),
			);
		}
	});
}

#[test]
fn disclosed_attribute_counts_only_under_the_claim_it_was_proven_against() {
	run(|| {
		let count = attributes().len() as u32;
		let key = attribute(b"over_18");
		attest(ALICE, ClaimInput { commitment: commitment(), expires_at: 100, ..facts(2, DE) });
		assert_ok!(Compliance::disclose_attribute(
			signed(ALICE),
			key.clone(),
			attribute(b"true"),
			proof(3),
			3,
			count
		));
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), Some(attribute(b"true")));
		assert_eq!(Compliance::disclosed_attribute(&BOB, &key), None);
		// A replaced claim (another commitment) voids it; the same commitment again restores it.
		attest(ALICE, ClaimInput { commitment: [9; 32], expires_at: 100, ..facts(2, DE) });
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), None);
		attest(ALICE, ClaimInput { commitment: commitment(), expires_at: 100, ..facts(2, DE) });
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), Some(attribute(b"true")));
		// So do an untrusted issuer, a revocation and the expiry.
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[FR])));
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), None);
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[DE])));
		assert!(Compliance::disclosed_attribute(&ALICE, &key).is_some());
		System::set_block_number(100);
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), None);
		System::set_block_number(99);
		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), ALICE));
		assert_eq!(Compliance::disclosed_attribute(&ALICE, &key), None);
	});
}

/// Native held from `who` for disclosed attributes and velocity entries.
fn disclosure_deposits_held(who: AccountId) -> Balance {
	use polkadot_sdk::frame_support::traits::fungible::InspectHold as _;
	Balances::balance_on_hold(&HoldReason::StorageDeposit.into(), &who)
}

/// Alice, holding a claim with `commitment()`, discloses `over_18`.
fn disclose_over_18() -> AttributeOf<Test> {
	let key = attribute(b"over_18");
	assert_ok!(Compliance::disclose_attribute(
		signed(ALICE),
		key.clone(),
		attribute(b"true"),
		proof(3),
		3,
		attributes().len() as u32
	));
	key
}

#[test]
fn a_disclosure_holds_its_deposit_until_removed() {
	run(|| {
		attest(ALICE, ClaimInput { commitment: commitment(), ..facts(2, DE) });
		let free = Balances::free_balance(ALICE);
		let key = disclose_over_18();
		let deposit = DisclosedAttributes::<Test>::get(ALICE, &key).expect("stored").deposit;
		assert_eq!(disclosure_deposits_held(ALICE), deposit.amount);
		assert_eq!(Balances::free_balance(ALICE), free - deposit.amount);
		// Disclosing it again replaces it: one record, one deposit.
		disclose_over_18();
		assert_eq!(disclosure_deposits_held(ALICE), deposit.amount);
		Compliance::do_try_state().expect("deposits accounted for");

		// While it counts, only Alice may remove it.
		assert_noop!(
			Compliance::remove_attribute(signed(BOB), ALICE, key.clone()),
			Error::<Test>::AttributeStillValid
		);
		assert_ok!(Compliance::remove_attribute(signed(ALICE), ALICE, key.clone()));
		assert!(DisclosedAttributes::<Test>::get(ALICE, &key).is_none());
		assert_eq!(disclosure_deposits_held(ALICE), 0);
		assert_eq!(Balances::free_balance(ALICE), free);
		System::assert_last_event(
			Event::AttributeRemoved { who: ALICE, key: key.clone(), deposit: deposit.amount }
				.into(),
		);
		assert_noop!(
			Compliance::remove_attribute(signed(ALICE), ALICE, key),
			Error::<Test>::UnknownAttribute
		);
	});
}

#[test]
fn anyone_may_clean_up_a_void_disclosure_and_the_holder_gets_the_deposit() {
	run(|| {
		attest(ALICE, ClaimInput { commitment: commitment(), ..facts(2, DE) });
		let free = Balances::free_balance(ALICE);
		let key = disclose_over_18();
		// A replaced claim voids the disclosure: Bob may remove it, the deposit goes to Alice.
		attest(ALICE, ClaimInput { commitment: [9; 32], ..facts(2, DE) });
		let bob_before = Balances::free_balance(BOB);
		assert_ok!(Compliance::remove_attribute(signed(BOB), ALICE, key));
		assert_eq!(Balances::free_balance(ALICE), free);
		assert_eq!(Balances::free_balance(BOB), bob_before);
	});
}

#[test]
fn a_holder_who_cannot_pay_the_deposit_discloses_nothing() {
	run(|| {
		attest(ALICE, ClaimInput { commitment: commitment(), ..facts(2, DE) });
		StorageDepositBase::set(Balances::free_balance(ALICE));
		assert_noop!(
			Compliance::disclose_attribute(
				signed(ALICE),
				attribute(b"over_18"),
				attribute(b"true"),
				proof(3),
				3,
				attributes().len() as u32
			),
			Error::<Test>::CannotPayDeposit
		);
	});
}

#[test]
fn try_state_detects_a_disclosure_deposit_mismatch() {
	run(|| {
		attest(ALICE, ClaimInput { commitment: commitment(), ..facts(2, DE) });
		let key = disclose_over_18();
		DisclosedAttributes::<Test>::mutate(ALICE, &key, |d| {
			d.as_mut().expect("stored").deposit.amount += 1
		});
		assert!(Compliance::do_try_state().is_err());
		DisclosedAttributes::<Test>::mutate(ALICE, &key, |d| {
			d.as_mut().expect("stored").deposit.amount -= 1
		});
	});
}

#[test]
fn migration_to_v1_records_a_zero_deposit_for_old_disclosures() {
	use crate::migrations::v1::MigrateV0ToV1;
	use polkadot_sdk::frame_support::traits::{
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};
	run(|| {
		StorageVersion::new(0).put::<Compliance>();
		let key = attribute(b"over_18");
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&DisclosedAttributes::<Test>::hashed_key_for(ALICE, &key),
			&(commitment(), attribute(b"true")).encode(),
		);
		assert!(DisclosedAttributes::<Test>::get(ALICE, &key).is_none(), "old layout");

		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let disclosure = DisclosedAttributes::<Test>::get(ALICE, &key).expect("migrated");
		assert_eq!((disclosure.commitment, disclosure.value), (commitment(), attribute(b"true")));
		assert_eq!(disclosure.deposit, Deposit::none(ALICE));
		assert_eq!(Compliance::on_chain_storage_version(), 1);
	});
}

#[test]
fn forged_disclosures_are_refused() {
	run(|| {
		let count = attributes().len() as u32;
		let (key, value) = (attribute(b"birth_year"), attribute(b"1990"));
		// No claim.
		assert_noop!(
			Compliance::disclose_attribute(
				signed(ALICE),
				key.clone(),
				value.clone(),
				proof(1),
				1,
				count
			),
			Error::<Test>::ClaimMissing
		);
		attest(ALICE, ClaimInput { commitment: commitment(), expires_at: 100, ..facts(2, DE) });
		let disclose = |value: &[u8], proof, index, count| {
			Compliance::disclose_attribute(
				signed(ALICE),
				key.clone(),
				attribute(value),
				proof,
				index,
				count,
			)
		};
		// Wrong value.
		assert_noop!(disclose(b"1991", proof(1), 1, count), Error::<Test>::InvalidProof);
		// Right value and proof, wrong index.
		assert_noop!(disclose(b"1990", proof(1), 2, count), Error::<Test>::InvalidProof);
		// Another leaf's proof.
		assert_noop!(disclose(b"1990", proof(2), 1, count), Error::<Test>::InvalidProof);
		// A leaf count that changes the path. (The count itself is not committed to: a count
		// whose path hashes the same leaves the same way, such as 8 here, verifies the same leaf.)
		assert_noop!(disclose(b"1990", proof(1), 1, 2), Error::<Test>::InvalidProof);
		// An index out of the tree.
		assert_noop!(disclose(b"1990", proof(1), count, count), Error::<Test>::InvalidProof);
		// No proof at all.
		assert_noop!(disclose(b"1990", BoundedVec::new(), 1, count), Error::<Test>::InvalidProof);
		// Wrong root: the claim now commits to other attributes.
		attest(ALICE, ClaimInput { commitment: [9; 32], expires_at: 100, ..facts(2, DE) });
		assert_noop!(disclose(b"1990", proof(1), 1, count), Error::<Test>::InvalidProof);
		// The right proof works against the right root...
		attest(ALICE, ClaimInput { commitment: commitment(), expires_at: 100, ..facts(2, DE) });
		assert_ok!(disclose(b"1990", proof(1), 1, count));
		// ...but not once the claim has expired.
		System::set_block_number(100);
		assert!(!Compliance::verify_attribute(&ALICE, &key, &value, &proof(1), 1, count));
		assert_noop!(disclose(b"1990", proof(1), 1, count), Error::<Test>::ClaimMissing);
	});
}

// --- Rule sets and token rules ---

#[test]
fn register_and_update_rule_set() {
	run(|| {
		let rule_set = kyc_rules();
		assert_ok!(Compliance::register_rule_set(root(), rule_set.clone()));
		assert_eq!(RuleSets::<Test>::get(0), Some(rule_set));
		assert_eq!(NextRuleSetId::<Test>::get(), 1);
		System::assert_last_event(
			Event::RuleSetRegistered { rule_set: 0, jurisdiction: DE }.into(),
		);
		assert_eq!(register(RuleSet { jurisdiction: US, ..open_rules() }), 1);

		let updated = RuleSet { blocked_jurisdictions: codes(&[US]), ..kyc_rules() };
		assert_ok!(Compliance::update_rule_set(root(), 0, updated.clone()));
		assert_eq!(RuleSets::<Test>::get(0), Some(updated));
		System::assert_last_event(Event::RuleSetUpdated { rule_set: 0 }.into());
		assert_noop!(
			Compliance::update_rule_set(root(), 2, open_rules()),
			Error::<Test>::UnknownRuleSet
		);
	});
}

#[test]
fn rule_set_ids_can_run_out() {
	run(|| {
		// Reachable only after 2^32 registrations; the storage is set to the last id.
		NextRuleSetId::<Test>::put(u32::MAX);
		assert_noop!(
			Compliance::register_rule_set(root(), open_rules()),
			Error::<Test>::RuleSetIdOverflow
		);
	});
}

#[test]
fn set_and_clear_token_rules() {
	run(|| {
		let id = register(open_rules());
		let rules = TokenRules {
			rule_set: id,
			limits: TokenLimits {
				max_holders: Some(10),
				max_balance: Some(5_000),
				max_transfer: Some(500),
				velocity: Some(VelocityLimit { window: 10, max_amount: 800, max_count: 3 }),
				review_threshold: Some(400),
			},
		};
		assert_ok!(Compliance::set_token_rules(signed(ISSUER), SEC, rules));
		assert_eq!(TokenCompliance::<Test>::get(SEC), Some(rules));
		System::assert_last_event(Event::TokenRulesSet { token: SEC, rules }.into());

		assert_ok!(Compliance::clear_token_rules(signed(ISSUER), SEC));
		assert!(TokenCompliance::<Test>::get(SEC).is_none());
		System::assert_last_event(Event::TokenRulesCleared { token: SEC }.into());
		assert_noop!(
			Compliance::clear_token_rules(signed(ISSUER), SEC),
			Error::<Test>::NotRegulated
		);

		// Any admin of the token may set its rules, not only the issuer.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, CHARLIE, Role::Admin));
		assert_ok!(Compliance::set_token_rules(signed(CHARLIE), SEC, rules));
		assert_ok!(Compliance::clear_token_rules(signed(CHARLIE), SEC));
	});
}

#[test]
fn token_rules_errors() {
	run(|| {
		let id = register(open_rules());
		let rules = TokenRules { rule_set: id, limits: no_limits() };
		assert_noop!(
			Compliance::set_token_rules(signed(ISSUER), SEC + 1, rules),
			Error::<Test>::UnknownToken
		);
		assert_noop!(
			Compliance::clear_token_rules(signed(ISSUER), SEC + 1),
			Error::<Test>::UnknownToken
		);
		assert_noop!(
			Compliance::set_token_rules(signed(ISSUER), SEC, TokenRules { rule_set: 7, ..rules }),
			Error::<Test>::UnknownRuleSet
		);
		// A holder, or a controller who is no admin, may not.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, CHARLIE, Role::Controller));
		for who in [ALICE, CHARLIE] {
			assert_noop!(
				Compliance::set_token_rules(signed(who), SEC, rules),
				Error::<Test>::MissingRole
			);
		}
		assert_ok!(Compliance::set_token_rules(signed(ISSUER), SEC, rules));
		assert_noop!(
			Compliance::clear_token_rules(signed(CHARLIE), SEC),
			Error::<Test>::MissingRole
		);
	});
}

#[test]
fn zero_limits_are_refused() {
	run(|| {
		let id = register(open_rules());
		let velocity = VelocityLimit { window: 10, max_amount: 100, max_count: 2 };
		let bad = [
			TokenLimits { max_holders: Some(0), ..no_limits() },
			TokenLimits { max_balance: Some(0), ..no_limits() },
			TokenLimits { max_transfer: Some(0), ..no_limits() },
			TokenLimits { review_threshold: Some(0), ..no_limits() },
			TokenLimits { velocity: Some(VelocityLimit { window: 0, ..velocity }), ..no_limits() },
			TokenLimits {
				velocity: Some(VelocityLimit { max_amount: 0, ..velocity }),
				..no_limits()
			},
			TokenLimits {
				velocity: Some(VelocityLimit { max_count: 0, ..velocity }),
				..no_limits()
			},
		];
		for limits in bad {
			assert_noop!(
				Compliance::set_token_rules(
					signed(ISSUER),
					SEC,
					TokenRules { rule_set: id, limits }
				),
				Error::<Test>::InvalidLimits
			);
		}
		let limits = TokenLimits {
			max_holders: Some(1),
			max_balance: Some(1),
			max_transfer: Some(1),
			velocity: Some(VelocityLimit { window: 1, max_amount: 1, max_count: 1 }),
			review_threshold: Some(1),
		};
		assert_ok!(Compliance::set_token_rules(
			signed(ISSUER),
			SEC,
			TokenRules { rule_set: id, limits }
		));
	});
}

// --- Blocklist and risk oracles ---

#[test]
fn set_blocklisted_adds_and_removes() {
	run(|| {
		assert_ok!(Compliance::set_blocklisted(root(), ALICE, Some(REASON)));
		assert_eq!(Compliance::standing(&ALICE).sanctioned, Some(REASON));
		System::assert_last_event(
			Event::BlocklistChanged { who: ALICE, reason: Some(REASON) }.into(),
		);
		assert_ok!(Compliance::set_blocklisted(root(), ALICE, None));
		assert!(Compliance::standing(&ALICE).sanctioned.is_none());
		System::assert_last_event(Event::BlocklistChanged { who: ALICE, reason: None }.into());
	});
}

#[test]
fn risk_oracles_post_scores() {
	run(|| {
		assert_noop!(
			Compliance::set_risk_score(signed(ORACLE), ALICE, 10),
			Error::<Test>::NotRiskOracle
		);
		assert_ok!(Compliance::set_risk_oracle(root(), ORACLE, true));
		assert!(RiskOracles::<Test>::contains_key(ORACLE));
		System::assert_last_event(
			Event::RiskOracleChanged { oracle: ORACLE, registered: true }.into(),
		);

		assert_ok!(Compliance::set_risk_score(signed(ORACLE), ALICE, 80));
		assert_eq!(Compliance::standing(&ALICE).risk_score, 80);
		System::assert_last_event(
			Event::RiskScoreSet { who: ALICE, score: 80, oracle: ORACLE }.into(),
		);
		// A zero score is the default: the entry goes.
		assert_ok!(Compliance::set_risk_score(signed(ORACLE), ALICE, 0));
		assert!(!Standings::<Test>::contains_key(ALICE));

		// Another account, or a removed oracle, may not post.
		assert_noop!(
			Compliance::set_risk_score(signed(ALICE), ALICE, 0),
			Error::<Test>::NotRiskOracle
		);
		assert_ok!(Compliance::set_risk_oracle(root(), ORACLE, false));
		assert!(!RiskOracles::<Test>::contains_key(ORACLE));
		System::assert_last_event(
			Event::RiskOracleChanged { oracle: ORACLE, registered: false }.into(),
		);
		assert_noop!(
			Compliance::set_risk_score(signed(ORACLE), BOB, 10),
			Error::<Test>::NotRiskOracle
		);
	});
}

#[test]
fn standing_keeps_each_part_when_another_changes() {
	run(|| {
		assert_ok!(Compliance::set_risk_oracle(root(), ORACLE, true));
		attest(ALICE, facts(2, DE));
		assert_ok!(Compliance::set_blocklisted(root(), ALICE, Some(REASON)));
		assert_ok!(Compliance::set_risk_score(signed(ORACLE), ALICE, 40));
		let claim = Some(Claim { issuer: PROVIDER, facts: facts(2, DE) });
		assert_eq!(
			Compliance::standing(&ALICE),
			Standing { claim: claim.clone(), sanctioned: Some(REASON), risk_score: 40 }
		);
		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), ALICE));
		assert_eq!(
			Compliance::standing(&ALICE),
			Standing { claim: None, sanctioned: Some(REASON), risk_score: 40 }
		);
		assert_ok!(Compliance::set_blocklisted(root(), ALICE, None));
		assert_eq!(Compliance::standing(&ALICE), Standing { risk_score: 40, ..Default::default() });
		assert_ok!(Compliance::set_risk_score(signed(ORACLE), ALICE, 0));
		assert!(!Standings::<Test>::contains_key(ALICE));
	});
}

// --- The rules, through the tokenization pallet's calls ---

#[test]
fn unregulated_token_is_not_checked() {
	run(|| {
		// Sanctioned, no claims, high risk: nothing applies to a token without rules.
		blocklist(ALICE);
		blocklist(CHARLIE);
		score(ALICE, 255);
		assert_eq!(
			Compliance::evaluate(&SEC, MoveKind::Transfer, Some(&ALICE), Some(&CHARLIE), 10, None),
			Ok(ComplianceVerdict::Allow)
		);
		assert_ok!(transfer(ALICE, CHARLIE, 10));
		mint(SEC, CHARLIE, 10);
		mint(SEC, ISSUER, 10);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 10));
		// Velocity is not even recorded.
		assert_eq!(Velocity::<Test>::iter().count(), 0);

		// Regulated, then unregulated again.
		regulate(kyc_rules(), no_limits());
		assert_noop!(transfer(ALICE, CHARLIE, 10), Error::<Test>::Sanctioned);
		assert_ok!(Compliance::clear_token_rules(signed(ISSUER), SEC));
		assert_ok!(transfer(ALICE, CHARLIE, 10));
	});
}

#[test]
fn compliant_transfer_is_allowed() {
	run(|| {
		kyc(&[ALICE, BOB]);
		regulate(kyc_rules(), no_limits());
		assert_eq!(
			Tokenization::check_transfer(SEC, ALICE, BOB, 100, None),
			Ok(ComplianceVerdict::Allow)
		);
		assert_ok!(transfer(ALICE, BOB, 100));
		System::assert_last_event(
			TokenizationEvent::Transferred { token: SEC, from: ALICE, to: BOB, amount: 100 }.into(),
		);
		assert_eq!((free(ALICE), free(BOB)), (START - 100, START + 100));
		assert_eq!(ReviewCases::<Test>::iter().count(), 0);
	});
}

#[test]
fn sanctioned_parties_are_refused() {
	run(|| {
		// The blocklist applies even under a rule set that asks for nothing.
		regulate(open_rules(), no_limits());
		assert_ok!(transfer(ALICE, BOB, 1));
		blocklist(BOB);
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::Sanctioned);
		assert_noop!(transfer(BOB, ALICE, 1), Error::<Test>::Sanctioned);
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, BOB, 1), Error::<Test>::Sanctioned);
		assert_ok!(Compliance::set_blocklisted(root(), BOB, None));
		assert_ok!(transfer(BOB, ALICE, 1));
		// The check is the same from the pre-check API.
		blocklist(ALICE);
		assert_eq!(
			Tokenization::check_transfer(SEC, ALICE, BOB, 1, None),
			Err(Error::<Test>::Sanctioned.into())
		);
	});
}

#[test]
fn missing_claims_are_refused() {
	run(|| {
		kyc(&[ALICE]);
		regulate(kyc_rules(), no_limits());
		// Bob has no claim: he can neither receive nor send.
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::ClaimMissing);
		assert_noop!(transfer(BOB, ALICE, 1), Error::<Test>::ClaimMissing);
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, BOB, 1), Error::<Test>::ClaimMissing);
		kyc(&[BOB]);
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_ok!(transfer(BOB, ALICE, 1));
	});
}

#[test]
fn expired_claim_counts_as_missing_from_its_expiry_block() {
	run(|| {
		kyc(&[ALICE]);
		attest(BOB, ClaimInput { expires_at: 10, ..facts(2, DE) });
		regulate(kyc_rules(), no_limits());
		System::set_block_number(9);
		assert_ok!(transfer(ALICE, BOB, 1));
		System::set_block_number(10);
		assert!(Compliance::valid_claim(&BOB).is_none());
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::ClaimMissing);
		assert_noop!(transfer(BOB, ALICE, 1), Error::<Test>::ClaimMissing);
		check_invariants();
		// A fresh claim restores it.
		attest(BOB, ClaimInput { expires_at: 11, ..facts(2, DE) });
		assert_ok!(transfer(ALICE, BOB, 1));
	});
}

#[test]
fn revoked_claim_counts_as_missing() {
	run(|| {
		kyc(&[ALICE, BOB]);
		regulate(kyc_rules(), no_limits());
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), BOB));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::ClaimMissing);
	});
}

#[test]
fn claims_of_an_untrusted_issuer_count_as_missing() {
	run(|| {
		kyc(&[ALICE]);
		attest(BOB, facts(2, FR));
		regulate(kyc_rules(), no_limits());
		assert_ok!(transfer(ALICE, BOB, 1));
		// Re-scoped to Germany only: Bob's French claim no longer counts, Alice's still does.
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[DE])));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::ClaimMissing);
		// Removed altogether: no claim of the issuer counts.
		assert_ok!(Compliance::remove_trusted_issuer(root(), PROVIDER));
		assert!(Compliance::valid_claim(&ALICE).is_none());
		assert_noop!(
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1),
			Error::<Test>::ClaimMissing
		);
		// Trusted again: the stored claims count again.
		assert_ok!(Compliance::add_trusted_issuer(root(), PROVIDER, codes(&[DE, FR])));
		assert_ok!(transfer(ALICE, BOB, 1));
	});
}

#[test]
fn party_requirements_are_checked_on_each_side() {
	run(|| {
		let strict = PartyRequirement {
			claim_required: false,
			min_tier: 2,
			accredited_only: true,
			sanctions_screened: true,
		};
		// Each failing claim, and the error it meets.
		let cases: [(ClaimInput<u64>, DispatchError); 3] = [
			(ClaimInput { tier: 1, ..facts(2, DE) }, Error::<Test>::KycTierTooLow.into()),
			(ClaimInput { accredited: false, ..facts(2, DE) }, Error::<Test>::NotAccredited.into()),
			(
				ClaimInput { sanctions_screened: false, ..facts(2, DE) },
				Error::<Test>::NotSanctionsScreened.into(),
			),
		];
		let receiver_id = register(RuleSet { receiver: strict, ..open_rules() });
		let sender_id = register(RuleSet { sender: strict, ..open_rules() });
		for (claim, error) in cases {
			attest(ALICE, facts(2, DE));
			attest(BOB, claim);
			// Bob as the receiver.
			assert_ok!(Compliance::set_token_rules(
				signed(ISSUER),
				SEC,
				TokenRules { rule_set: receiver_id, limits: no_limits() }
			));
			assert_noop!(transfer(ALICE, BOB, 1), error);
			assert_noop!(Tokenization::mint(signed(ISSUER), SEC, BOB, 1), error);
			// Only the receiver's side is asked: Bob may send to Alice.
			assert_ok!(transfer(BOB, ALICE, 1));
			// Bob as the sender.
			assert_ok!(Compliance::set_token_rules(
				signed(ISSUER),
				SEC,
				TokenRules { rule_set: sender_id, limits: no_limits() }
			));
			assert_noop!(transfer(BOB, ALICE, 1), error);
			assert_ok!(transfer(ALICE, BOB, 1));
			// Upgraded, Bob passes.
			attest(BOB, facts(2, DE));
			assert_ok!(transfer(BOB, ALICE, 1));
		}
		// A higher tier than required is fine.
		attest(BOB, facts(5, DE));
		assert_ok!(transfer(BOB, ALICE, 1));
	});
}

#[test]
fn jurisdiction_lists_are_checked() {
	run(|| {
		fund_native(DAVE);
		mint(SEC, CHARLIE, 10);
		attest(ALICE, facts(2, DE));
		attest(BOB, facts(2, FR));
		attest(CHARLIE, facts(2, US));
		let id = register(RuleSet { allowed_jurisdictions: codes(&[DE, FR]), ..open_rules() });
		assert_ok!(Compliance::set_token_rules(
			signed(ISSUER),
			SEC,
			TokenRules { rule_set: id, limits: no_limits() }
		));
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_noop!(transfer(ALICE, CHARLIE, 1), Error::<Test>::JurisdictionNotAllowed);
		assert_noop!(transfer(CHARLIE, ALICE, 1), Error::<Test>::JurisdictionNotAllowed);
		// A jurisdiction list needs a claim even where the parties' requirements do not.
		assert_noop!(transfer(ALICE, DAVE, 1), Error::<Test>::ClaimMissing);

		assert_ok!(Compliance::update_rule_set(
			root(),
			id,
			RuleSet { blocked_jurisdictions: codes(&[US]), ..open_rules() }
		));
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_noop!(transfer(ALICE, CHARLIE, 1), Error::<Test>::JurisdictionBlocked);
		assert_noop!(transfer(CHARLIE, BOB, 1), Error::<Test>::JurisdictionBlocked);
		assert_noop!(Tokenization::mint(signed(ISSUER), SEC, DAVE, 1), Error::<Test>::ClaimMissing);
		// In both lists: allowed first, then blocked.
		assert_ok!(Compliance::update_rule_set(
			root(),
			id,
			RuleSet {
				allowed_jurisdictions: codes(&[DE, US]),
				blocked_jurisdictions: codes(&[US]),
				..open_rules()
			}
		));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::JurisdictionNotAllowed);
		assert_noop!(transfer(ALICE, CHARLIE, 1), Error::<Test>::JurisdictionBlocked);
	});
}

#[test]
fn transfer_limit_is_checked() {
	run(|| {
		regulate(open_rules(), TokenLimits { max_transfer: Some(100), ..no_limits() });
		assert_noop!(transfer(ALICE, BOB, 101), Error::<Test>::TransferLimitExceeded);
		assert_ok!(transfer(ALICE, BOB, 100));
		// It limits transfers, not mints or burns.
		mint(SEC, ISSUER, 500);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 500));
	});
}

#[test]
fn max_balance_is_checked() {
	run(|| {
		regulate(open_rules(), TokenLimits { max_balance: Some(1_500), ..no_limits() });
		assert_noop!(transfer(ALICE, BOB, 501), Error::<Test>::MaxBalanceExceeded);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC, BOB, 501),
			Error::<Test>::MaxBalanceExceeded
		);
		assert_ok!(transfer(ALICE, BOB, 400));
		mint(SEC, BOB, 100);
		assert_eq!(total(BOB), 1_500);
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::MaxBalanceExceeded);
	});
}

#[test]
fn max_holders_is_checked() {
	run(|| {
		// Alice and Bob hold the token.
		regulate(open_rules(), TokenLimits { max_holders: Some(2), ..no_limits() });
		assert_noop!(transfer(ALICE, CHARLIE, 1), Error::<Test>::MaxHoldersReached);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC, CHARLIE, 1),
			Error::<Test>::MaxHoldersReached
		);
		// Existing holders may receive.
		assert_ok!(transfer(ALICE, BOB, 10));
		mint(SEC, ALICE, 10);
		// Bob leaves: a place frees up.
		assert_ok!(transfer(BOB, ALICE, START + 10));
		assert_eq!(total(BOB), 0);
		assert_ok!(transfer(ALICE, CHARLIE, 1));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::MaxHoldersReached);
	});
}

#[test]
fn travel_rule_data_is_needed_from_the_threshold() {
	run(|| {
		regulate(RuleSet { travel_rule_threshold: Some(500), ..open_rules() }, no_limits());
		assert_ok!(transfer(ALICE, BOB, 499));
		assert_noop!(transfer(ALICE, BOB, 500), Error::<Test>::TravelRuleDataMissing);
		assert_ok!(Tokenization::transfer_with_travel_rule(signed(ALICE), SEC, BOB, 500, TRAVEL));
		System::assert_last_event(
			TokenizationEvent::Transferred { token: SEC, from: ALICE, to: BOB, amount: 500 }.into(),
		);
		assert_eq!(free(BOB), START + 999);
		// Mints carry no travel-rule data and need none.
		mint(SEC, CHARLIE, 500);
	});
}

#[test]
fn velocity_limits_the_amount_per_window() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 100, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		assert_ok!(transfer(ALICE, BOB, 60));
		assert_ok!(transfer(ALICE, CHARLIE, 40));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		// Alice's first transfer created her entry and held its storage deposit: the two keys
		// and the window.
		let bytes = 32
			+ SEC.encoded_size()
			+ ALICE.encoded_size()
			+ VelocityWindow::<Balance, u64>::max_encoded_len();
		let deposit = StorageDepositBase::get() + StorageDepositPerByte::get() * bytes as Balance;
		assert_eq!(
			Velocity::<Test>::get(SEC, ALICE),
			Some(VelocityWindow {
				start: 0,
				amount: 100,
				count: 2,
				previous_amount: 0,
				previous_count: 0,
				deposit,
			})
		);
		assert_eq!(disclosure_deposits_held(ALICE), deposit);
		// Per sender: Bob is not limited by Alice's transfers.
		assert_ok!(transfer(BOB, ALICE, 100));
		// Receiving does not count.
		assert_noop!(transfer(BOB, ALICE, 1), Error::<Test>::VelocityLimitExceeded);
		// Mints and burns are not transfers.
		mint(SEC, ALICE, 500);
		// Nothing frees up within the same window.
		System::set_block_number(9);
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
	});
}

#[test]
fn velocity_limits_the_count_per_window() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 10_000, max_count: 2 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		// The next window (from block 10) still counts the previous window's share of the last
		// 10 blocks, rounded up: at block 14, 2 × 5/10 = 1, so one more transfer fits.
		System::set_block_number(13);
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		System::set_block_number(14);
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		// At block 19 the last 10 blocks are the current window alone: 1 transfer of 2.
		System::set_block_number(18);
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		System::set_block_number(19);
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
	});
}

#[test]
fn velocity_window_rolls_at_exact_block_boundaries() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 100, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		// The whole limit, in the window of blocks 0..=9.
		assert_ok!(transfer(ALICE, BOB, 100));
		let check = |amount| Tokenization::check_transfer(SEC, ALICE, BOB, amount, None);
		System::set_block_number(9);
		assert_eq!(check(1), Err(Error::<Test>::VelocityLimitExceeded.into()));
		// In the window of blocks 10..=19, the last 10 blocks at block `10 + k` overlap the
		// previous window in `9 - k` blocks: that share of its 100 units (rounded up) still
		// counts, and frees up block by block.
		for k in 0..10u64 {
			System::set_block_number(10 + k);
			let still_counted = (100 * (9 - k)).div_ceil(10);
			let room = 100 - still_counted;
			assert_eq!(check(room), Ok(ComplianceVerdict::Allow), "block {}", 10 + k);
			assert_eq!(
				check(room + 1),
				Err(Error::<Test>::VelocityLimitExceeded.into()),
				"block {}",
				10 + k
			);
		}
		// In the last block of the next window, the sender can send the whole limit again.
		assert_eq!(System::block_number(), 19);
		assert_ok!(transfer(ALICE, BOB, 100));
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		// Two windows later, everything is free again.
		System::set_block_number(39);
		assert_ok!(transfer(ALICE, BOB, 100));
	});
}

#[test]
fn velocity_window_of_one_block_limits_each_block() {
	run(|| {
		let velocity = VelocityLimit { window: 1, max_amount: 100, max_count: 1 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		for block in 1..=4 {
			System::set_block_number(block);
			assert_ok!(transfer(ALICE, BOB, 100));
			assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::VelocityLimitExceeded);
		}
	});
}

#[test]
fn risk_score_at_the_rejection_score_is_refused() {
	run(|| {
		regulate(RuleSet { reject_risk_score: Some(200), ..open_rules() }, no_limits());
		score(BOB, 199);
		assert_ok!(transfer(ALICE, BOB, 1));
		score(BOB, 200);
		// Either side's score counts, for every kind of movement.
		assert_noop!(transfer(ALICE, BOB, 1), Error::<Test>::RiskScoreTooHigh);
		assert_noop!(transfer(BOB, ALICE, 1), Error::<Test>::RiskScoreTooHigh);
		assert_noop!(
			Tokenization::mint(signed(ISSUER), SEC, BOB, 1),
			Error::<Test>::RiskScoreTooHigh
		);
		score(BOB, 0);
		assert_ok!(transfer(BOB, ALICE, 1));
	});
}

#[test]
fn every_movement_kind_is_checked() {
	run(|| {
		// A stablecoin and an NFT collection, both regulated.
		create(STABLE, TokenClass::Stablecoin, None);
		assert_ok!(Tokenization::set_reserve_attestor(root(), STABLE, Some(CHARLIE)));
		assert_ok!(Tokenization::attest_reserves(signed(CHARLIE), STABLE, 10_000, DOC));
		mint(STABLE, ALICE, 100);
		create(ART, TokenClass::NftCollection, Some(3));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 1, ALICE, BoundedVec::new()));
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, usd(), 1, 1_000));
		assert_ok!(Tokenization::open_buyback(signed(ISSUER), SEC, NATIVE, 1, 1_000));
		mint(SEC, ISSUER, 100);
		regulate(open_rules(), no_limits());
		regulate_token(STABLE, open_rules(), no_limits());
		regulate_token(ART, open_rules(), no_limits());

		blocklist(ALICE);
		blocklist(ISSUER);
		let sanctioned: [DispatchResult; 10] = [
			Tokenization::mint(signed(ISSUER), SEC, ALICE, 1),
			Tokenization::transfer(signed(ALICE), SEC, BOB, 1).map(|_| ()).map_err(|e| e.error),
			Tokenization::transfer_with_travel_rule(signed(ALICE), SEC, BOB, 1, TRAVEL)
				.map(|_| ())
				.map_err(|e| e.error),
			Tokenization::burn(signed(ISSUER), SEC, 1),
			Tokenization::redeem(signed(ALICE), STABLE, 1),
			Tokenization::tender(signed(ALICE), 0, 1),
			Tokenization::tender(signed(ALICE), 1, 1),
			Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, BoundedVec::new()),
			Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB),
			Tokenization::burn_nft(signed(ALICE), ART, 1),
		];
		for result in sanctioned {
			assert_eq!(result, Err(Error::<Test>::Sanctioned.into()));
		}

		assert_ok!(Compliance::set_blocklisted(root(), ALICE, None));
		assert_ok!(Compliance::set_blocklisted(root(), ISSUER, None));
		assert_ok!(Tokenization::mint(signed(ISSUER), SEC, ALICE, 1));
		assert_ok!(Tokenization::transfer(signed(ALICE), SEC, BOB, 1));
		assert_ok!(Tokenization::transfer_with_travel_rule(signed(ALICE), SEC, BOB, 1, TRAVEL));
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 1));
		assert_ok!(Tokenization::redeem(signed(ALICE), STABLE, 1));
		assert_ok!(Tokenization::tender(signed(ALICE), 0, 1));
		assert_ok!(Tokenization::tender(signed(ALICE), 1, 1));
		assert_ok!(Tokenization::mint_nft(signed(ISSUER), ART, 2, ALICE, BoundedVec::new()));
		assert_ok!(Tokenization::transfer_nft(signed(ALICE), ART, 1, BOB));
		assert_ok!(Tokenization::burn_nft(signed(ALICE), ART, 2));
	});
}

#[test]
fn only_transfers_are_held_for_review() {
	run(|| {
		regulate(
			RuleSet { review_risk_score: Some(100), ..open_rules() },
			TokenLimits { review_threshold: Some(10), ..no_limits() },
		);
		score(ALICE, 100);
		score(ISSUER, 100);
		// Mints and burns above the threshold, by high-risk parties, go ahead.
		mint(SEC, ALICE, 50);
		mint(SEC, ISSUER, 50);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, 50));
		assert_eq!(
			Compliance::evaluate(&SEC, MoveKind::Burn, Some(&ALICE), None, 50, None),
			Ok(ComplianceVerdict::Allow)
		);
		assert_eq!(
			Compliance::evaluate(&SEC, MoveKind::NftTransfer, Some(&ALICE), Some(&BOB), 1, None),
			Ok(ComplianceVerdict::Allow)
		);
		assert_eq!(ReviewCases::<Test>::iter().count(), 0);
		// A transfer is.
		assert_eq!(
			Compliance::evaluate(&SEC, MoveKind::Transfer, Some(&ALICE), Some(&BOB), 1, None),
			Ok(ComplianceVerdict::Hold { rule: HoldRule::RiskScore.code() })
		);
	});
}

// --- Review cases ---

/// `SEC` with transfers of 500 or more held for review; Alice and Bob need no claim.
fn review_at_500() {
	regulate(open_rules(), TokenLimits { review_threshold: Some(500), ..no_limits() });
}

#[test]
fn transfer_at_the_review_threshold_is_held() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 499));
		assert_eq!(
			Tokenization::check_transfer(SEC, ALICE, BOB, 500, None),
			Ok(ComplianceVerdict::Hold { rule: HoldRule::ReviewThreshold.code() })
		);
		assert_ok!(transfer(ALICE, BOB, 500));
		System::assert_last_event(
			Event::TransferHeld {
				case: 0,
				token: SEC,
				from: ALICE,
				to: BOB,
				amount: 500,
				rule: HoldRule::ReviewThreshold,
				expires_at: 1 + ReviewTimeout::get(),
			}
			.into(),
		);
		assert_eq!(
			ReviewCases::<Test>::get(0),
			Some(ReviewCase {
				token: SEC,
				from: ALICE,
				to: BOB,
				amount: 500,
				rule: HoldRule::ReviewThreshold,
				expires_at: 21,
			})
		);
		assert_eq!(CaseExpiries::<Test>::get(21).to_vec(), vec![0]);
		assert_eq!(NextCaseId::<Test>::get(), 1);
		// The units stay with Alice, on hold; Bob has nothing yet.
		assert_eq!((free(ALICE), on_hold(ALICE), total(ALICE)), (1, 500, 501));
		assert_eq!(total(BOB), START + 499);
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Tokenization(TokenizationEvent::Transferred { amount: 500, .. })
		)));
		check_invariants();
	});
}

#[test]
fn held_funds_cannot_be_spent() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_eq!((free(ALICE), on_hold(ALICE)), (400, 600));
		// While units are on hold the ledger keeps the minimum balance free: 399 of 400 can move.
		assert_eq!(transferable(ALICE), 399);
		assert_noop!(transfer(ALICE, BOB, 400), TokenizationError::InsufficientTransferable);
		assert_ok!(transfer(ALICE, CHARLIE, 399));
		assert_eq!((free(ALICE), on_hold(ALICE)), (1, 600));
		check_invariants();
	});
}

#[test]
fn approve_case_completes_the_transfer() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_ok!(Compliance::approve_case(signed(ISSUER), 0));
		System::assert_last_event(Event::CaseApproved { case: 0, officer: ISSUER }.into());
		assert_eq!((total(ALICE), on_hold(ALICE)), (400, 0));
		assert_eq!(total(BOB), START + 600);
		assert!(ReviewCases::<Test>::get(0).is_none());
		assert!(!CaseExpiries::<Test>::contains_key(21));
		assert_eq!(transferable(ALICE), 400);
		// Closed: neither approved again nor rejected, nor returned at the timeout.
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), Error::<Test>::UnknownCase);
		assert_noop!(
			Compliance::reject_case(signed(ISSUER), 0, REASON),
			Error::<Test>::UnknownCase
		);
		run_to_block(21);
		assert_eq!((total(ALICE), total(BOB)), (400, START + 600));
	});
}

#[test]
fn reject_case_returns_the_funds() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		System::assert_last_event(
			Event::CaseRejected { case: 0, officer: ISSUER, reason: REASON }.into(),
		);
		assert_eq!((free(ALICE), on_hold(ALICE)), (START, 0));
		assert_eq!(total(BOB), START);
		assert!(ReviewCases::<Test>::get(0).is_none());
		assert!(!CaseExpiries::<Test>::contains_key(21));
		assert_eq!(transferable(ALICE), START);
		assert_ok!(transfer(ALICE, BOB, 499));
	});
}

#[test]
fn case_times_out_and_returns_the_funds() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		System::set_block_number(5);
		assert_ok!(transfer(BOB, CHARLIE, 500));
		assert_eq!(ReviewCases::<Test>::get(1).map(|c| c.expires_at), Some(25));
		run_to_block(20);
		assert_eq!((on_hold(ALICE), on_hold(BOB)), (600, 500));
		check_invariants();
		// The first case times out in block 21, the second in block 25.
		run_to_block(21);
		System::assert_last_event(Event::CaseExpired { case: 0 }.into());
		assert!(ReviewCases::<Test>::get(0).is_none());
		assert!(!CaseExpiries::<Test>::contains_key(21));
		assert_eq!((free(ALICE), on_hold(ALICE)), (START, 0));
		assert_eq!((free(BOB), on_hold(BOB)), (START - 500, 500));
		check_invariants();
		run_to_block(24);
		assert_eq!(on_hold(BOB), 500);
		run_to_block(25);
		System::assert_last_event(Event::CaseExpired { case: 1 }.into());
		assert_eq!((free(BOB), on_hold(BOB)), (START, 0));
		assert_eq!(total(CHARLIE), 0);
		assert_eq!(ReviewCases::<Test>::iter().count(), 0);
		// A timed-out case can no longer be decided.
		assert_noop!(Compliance::approve_case(signed(ISSUER), 1), Error::<Test>::UnknownCase);
	});
}

#[test]
fn expire_cases_reports_how_many_it_closed() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 500));
		assert_ok!(transfer(BOB, ALICE, 500));
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		assert_eq!(Compliance::expire_cases(20), 0);
		assert_eq!(Compliance::expire_cases(21), 1);
		assert_eq!(Compliance::expire_cases(21), 0);
		assert_eq!((free(ALICE), free(BOB)), (START, START));
	});
}

#[test]
fn risk_score_holds_a_transfer_for_review() {
	run(|| {
		regulate(
			RuleSet { review_risk_score: Some(100), reject_risk_score: Some(200), ..open_rules() },
			TokenLimits { review_threshold: Some(500), ..no_limits() },
		);
		score(BOB, 99);
		assert_ok!(transfer(ALICE, BOB, 10));
		score(BOB, 150);
		// The receiver's score holds even a small transfer; the risk rule is named first.
		assert_ok!(transfer(ALICE, BOB, 600));
		System::assert_last_event(
			Event::TransferHeld {
				case: 0,
				token: SEC,
				from: ALICE,
				to: BOB,
				amount: 600,
				rule: HoldRule::RiskScore,
				expires_at: 21,
			}
			.into(),
		);
		// So does the sender's.
		assert_ok!(transfer(BOB, CHARLIE, 10));
		assert_eq!(ReviewCases::<Test>::get(1).map(|c| c.rule), Some(HoldRule::RiskScore));
		assert_eq!((on_hold(ALICE), on_hold(BOB)), (600, 10));
		assert_eq!(transferable(ALICE), START - 10 - 600 - 1);
		assert_noop!(
			transfer(ALICE, CHARLIE, START - 10 - 600),
			TokenizationError::InsufficientTransferable
		);
		check_invariants();

		assert_ok!(Compliance::approve_case(signed(ISSUER), 0));
		assert_eq!(total(ALICE), START - 10 - 600);
		assert_eq!(total(BOB), START + 10 + 600);
		assert_ok!(Compliance::reject_case(signed(ISSUER), 1, REASON));
		assert_eq!((free(BOB), on_hold(BOB)), (START + 610, 0));
		assert_eq!(total(CHARLIE), 0);
	});
}

#[test]
fn only_a_controller_decides_cases() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, DAVE, Role::Admin));
		// The parties, an admin who is no controller, another token's controller: none may.
		create(STABLE, TokenClass::Stablecoin, None);
		assert_ok!(Tokenization::grant_role(signed(ISSUER), STABLE, CHARLIE, Role::Controller));
		for who in [ALICE, BOB, DAVE, CHARLIE] {
			assert_noop!(Compliance::approve_case(signed(who), 0), Error::<Test>::MissingRole);
			assert_noop!(
				Compliance::reject_case(signed(who), 0, REASON),
				Error::<Test>::MissingRole
			);
		}
		assert_noop!(Compliance::approve_case(signed(ISSUER), 1), Error::<Test>::UnknownCase);
		assert_noop!(
			Compliance::reject_case(signed(ISSUER), 1, REASON),
			Error::<Test>::UnknownCase
		);
		// A controller granted the role may.
		assert_ok!(Tokenization::grant_role(signed(ISSUER), SEC, CHARLIE, Role::Controller));
		assert_ok!(Compliance::approve_case(signed(CHARLIE), 0));
		System::assert_last_event(Event::CaseApproved { case: 0, officer: CHARLIE }.into());
	});
}

#[test]
fn approval_needs_a_receiver_still_able_to_receive() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_ok!(Tokenization::freeze_account(signed(ISSUER), SEC, BOB, REASON));
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), TokenizationError::AccountFrozen);
		assert_ok!(Tokenization::pause(signed(ISSUER), SEC, REASON));
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), TokenizationError::TokenPaused);
		// Rejecting works whatever the token's state.
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		assert_eq!((free(ALICE), on_hold(ALICE)), (START, 0));
	});
}

#[test]
fn approval_checks_the_rules_again() {
	run(|| {
		regulate(
			kyc_rules(),
			TokenLimits { review_threshold: Some(500), max_balance: Some(1_800), ..no_limits() },
		);
		kyc(&[ALICE, BOB, CHARLIE]);
		mint(SEC, CHARLIE, START);
		assert_ok!(transfer(ALICE, BOB, 600));
		// Bob was sanctioned while the case was open.
		blocklist(BOB);
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), Error::<Test>::Sanctioned);
		assert_ok!(Compliance::set_blocklisted(root(), BOB, None));
		// Bob's claim was revoked.
		assert_ok!(Compliance::revoke_claim(signed(PROVIDER), BOB));
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), Error::<Test>::ClaimMissing);
		kyc(&[BOB]);
		// Bob received other units meanwhile: the held ones no longer fit under his maximum.
		assert_ok!(transfer(CHARLIE, BOB, 201));
		assert_noop!(
			Compliance::approve_case(signed(ISSUER), 0),
			Error::<Test>::MaxBalanceExceeded
		);
		assert_ok!(transfer(BOB, CHARLIE, 1));
		assert_ok!(Compliance::approve_case(signed(ISSUER), 0));
		assert_eq!(total(BOB), 1_800);
	});
}

#[test]
fn approval_respects_the_holder_limit() {
	run(|| {
		fund_native(DAVE);
		// Alice and Bob hold; Charlie's held transfer was admitted with a place free.
		regulate(
			open_rules(),
			TokenLimits { review_threshold: Some(500), max_holders: Some(3), ..no_limits() },
		);
		assert_ok!(transfer(ALICE, CHARLIE, 500));
		// Meanwhile, Dave took the last place.
		assert_ok!(transfer(BOB, DAVE, 1));
		assert_noop!(Compliance::approve_case(signed(ISSUER), 0), Error::<Test>::MaxHoldersReached);
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
	});
}

#[test]
fn approval_after_the_rules_were_cleared_just_moves_the_funds() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_ok!(Compliance::clear_token_rules(signed(ISSUER), SEC));
		blocklist(BOB);
		assert_ok!(Compliance::approve_case(signed(ISSUER), 0));
		assert_eq!(total(BOB), START + 600);
	});
}

#[test]
fn held_transfers_count_towards_velocity() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 1_000, max_count: 10 };
		regulate(
			open_rules(),
			TokenLimits { review_threshold: Some(500), velocity: Some(velocity), ..no_limits() },
		);
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_eq!(Velocity::<Test>::get(SEC, ALICE).map(|w| w.amount), Some(600));
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		// Rejected, the attempt still counts.
		assert_noop!(transfer(ALICE, BOB, 401), Error::<Test>::VelocityLimitExceeded);
		assert_ok!(transfer(ALICE, BOB, 400));
	});
}

#[test]
fn case_queue_is_bounded_per_expiry_block() {
	run(|| {
		review_at_500();
		mint(SEC, ALICE, 2_000);
		for _ in 0..3 {
			assert_ok!(transfer(ALICE, BOB, 500));
		}
		assert_eq!(CaseExpiries::<Test>::get(21).len(), 3);
		assert_noop!(transfer(ALICE, BOB, 500), Error::<Test>::CaseQueueFull);
		// A case closed frees its place.
		assert_ok!(Compliance::reject_case(signed(ISSUER), 1, REASON));
		assert_ok!(transfer(ALICE, BOB, 500));
		assert_eq!(CaseExpiries::<Test>::get(21).to_vec(), vec![0, 2, 3]);
		assert_noop!(transfer(ALICE, BOB, 500), Error::<Test>::CaseQueueFull);
		// Next block, next bucket.
		System::set_block_number(2);
		assert_ok!(transfer(ALICE, BOB, 500));
		assert_eq!(CaseExpiries::<Test>::get(22).to_vec(), vec![4]);
		check_invariants();
		// Every case times out in its own block.
		run_to_block(22);
		assert_eq!(ReviewCases::<Test>::iter().count(), 0);
		assert_eq!((free(ALICE), on_hold(ALICE)), (START + 2_000, 0));
	});
}

#[test]
fn hold_rule_codes_round_trip() {
	run(|| {
		for rule in [HoldRule::RiskScore, HoldRule::ReviewThreshold] {
			assert_eq!(HoldRule::from_code(rule.code()), Some(rule));
		}
		assert_eq!(HoldRule::from_code(2), None);
		// An unknown code from the tokenization pallet opens a case under the review threshold.
		review_at_500();
		assert_ok!(<Compliance as pallet_tokenization::TransferCompliance<_, _, _>>::open_review(
			&SEC, &ALICE, &BOB, 500, 9
		));
		assert_eq!(ReviewCases::<Test>::get(0).map(|c| c.rule), Some(HoldRule::ReviewThreshold));
		assert_eq!(on_hold(ALICE), 500);
	});
}

#[test]
fn case_ids_can_run_out() {
	run(|| {
		review_at_500();
		// Reachable only after 2^64 cases; the storage is set to the last id.
		NextCaseId::<Test>::put(u64::MAX);
		assert_noop!(transfer(ALICE, BOB, 500), Error::<Test>::CaseIdOverflow);
		assert_ok!(transfer(ALICE, BOB, 499));
	});
}

#[test]
fn held_units_stay_counted_against_lockups() {
	run(|| {
		// Alice has 1_000, of which 600 are locked until block 101.
		assert_ok!(Tokenization::add_lockup(
			signed(ISSUER),
			SEC,
			ALICE,
			600,
			LockupTerms { cliff: 100, duration: 200 },
			None
		));
		review_at_500();
		assert_eq!(transferable(ALICE), 400);
		// Only unlocked units can be held: 500 of 400 cannot.
		assert_noop!(transfer(ALICE, BOB, 500), TokenizationError::InsufficientTransferable);
		regulate(open_rules(), TokenLimits { review_threshold: Some(300), ..no_limits() });
		assert_ok!(transfer(ALICE, BOB, 300));
		assert_eq!((free(ALICE), on_hold(ALICE), total(ALICE)), (700, 300, 1_000));
		// 700 free, 600 of them locked: 100 spendable (not 400, as if the held units were the
		// locked ones).
		assert_eq!(transferable(ALICE), 100);
		assert_noop!(transfer(ALICE, BOB, 101), TokenizationError::InsufficientTransferable);
		// Nor can the ledger itself be made to debit locked units.
		assert_noop!(
			Assets::transfer(signed(ALICE), SEC, BOB, 101),
			pallet_assets::Error::<Test>::BalanceLow
		);
		assert_ok!(transfer(ALICE, BOB, 100));
		assert_eq!(transferable(ALICE), 0);
		assert_noop!(transfer(ALICE, BOB, 1), TokenizationError::InsufficientTransferable);
		check_invariants();

		// Rejected: the 300 return, unlocked, and are spendable again.
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		assert_eq!((free(ALICE), on_hold(ALICE)), (900, 0));
		assert_eq!(transferable(ALICE), 300);
		// Held again and approved: the 600 locked units stay with Alice.
		assert_ok!(transfer(ALICE, BOB, 300));
		assert_ok!(Compliance::approve_case(signed(ISSUER), 1));
		assert_eq!(total(ALICE), 600);
		assert_eq!(Tokenization::locked_balance(&SEC, &ALICE), 600);
		assert_eq!(transferable(ALICE), 0);
	});
}

// --- Invariants ---

#[test]
fn try_state_detects_a_case_without_its_hold() {
	run(|| {
		let case = ReviewCase {
			token: SEC,
			from: ALICE,
			to: BOB,
			amount: 100,
			rule: HoldRule::ReviewThreshold,
			expires_at: 21,
		};
		ReviewCases::<Test>::insert(0, case.clone());
		CaseExpiries::<Test>::insert(21, BoundedVec::<_, ConstU32<3>>::truncate_from(vec![0]));
		assert_eq!(
			Compliance::do_try_state(),
			Err("held funds differ from the open review cases".into())
		);
		ReviewCases::<Test>::remove(0);
		CaseExpiries::<Test>::remove(21);

		// A real case, then the bookkeeping broken one piece at a time.
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 500));
		check_invariants();
		CaseExpiries::<Test>::remove(21);
		assert_eq!(
			Compliance::do_try_state(),
			Err("open case missing from its expiry bucket".into())
		);
		CaseExpiries::<Test>::insert(21, BoundedVec::<_, ConstU32<3>>::truncate_from(vec![0, 5]));
		assert_eq!(Compliance::do_try_state(), Err("expiry bucket names a closed case".into()));
		CaseExpiries::<Test>::insert(21, BoundedVec::<_, ConstU32<3>>::truncate_from(vec![0]));
		ReviewCases::<Test>::insert(0, ReviewCase { amount: 499, ..case.clone() });
		assert_eq!(
			Compliance::do_try_state(),
			Err("held funds differ from the open review cases".into())
		);
		ReviewCases::<Test>::insert(0, ReviewCase { amount: 500, ..case });
		check_invariants();
	});
}

/// Audit finding: a release that fails at expiry used to be dropped silently, with the case
/// and the record of its held units gone. It now stays open and the failure is an event.
#[test]
#[cfg_attr(debug_assertions, should_panic(expected = "Defensive failure"))]
fn a_case_whose_release_fails_at_expiry_stays_open_and_is_reported() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 500));
		let case = ReviewCases::<Test>::get(0).expect("case opened");
		// Break the invariant: the case claims one unit more than is held.
		ReviewCases::<Test>::insert(0, ReviewCase { amount: 501, ..case.clone() });
		run_to_block(21);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Compliance(Event::CaseExpiryFailed { case: 0, .. })
		)));
		assert!(!System::events()
			.iter()
			.any(|r| r.event == RuntimeEvent::Compliance(Event::CaseExpired { case: 0 })));
		// Nothing is forgotten: the case is still open and the units still held, so the
		// controller can decide once the books are mended.
		assert!(ReviewCases::<Test>::get(0).is_some());
		assert_eq!(on_hold(ALICE), 500);
		ReviewCases::<Test>::insert(0, case);
		assert_ok!(Compliance::reject_case(signed(ISSUER), 0, REASON));
		assert_eq!((free(ALICE), on_hold(ALICE)), (START, 0));
	});
}

#[test]
fn held_transfer_needs_a_free_unit_left() {
	run(|| {
		review_at_500();
		// `pallet-assets` holds keep the account alive, so the whole balance cannot be held: the
		// pre-check says so, and the transfer fails with the same named error.
		assert_eq!(
			Tokenization::check_transfer(SEC, ALICE, BOB, START, None),
			Err(pallet_tokenization::Error::<Test>::InsufficientTransferable.into())
		);
		assert_noop!(
			transfer(ALICE, BOB, START),
			pallet_tokenization::Error::<Test>::InsufficientTransferable
		);
		assert_eq!(
			Tokenization::check_transfer(SEC, ALICE, BOB, START - 1, None),
			Ok(ComplianceVerdict::Hold { rule: HoldRule::ReviewThreshold.code() })
		);
		assert_ok!(transfer(ALICE, BOB, START - 1));
	});
}

#[test]
fn a_zero_timeout_still_expires_cases_in_the_next_block() {
	run(|| {
		ReviewTimeout::set(&0);
		review_at_500();
		run_to_block(5);
		assert_ok!(transfer(ALICE, BOB, 500));
		assert_eq!(ReviewCases::<Test>::get(0).map(|c| c.expires_at), Some(6));
		run_to_block(6);
		System::assert_last_event(Event::CaseExpired { case: 0 }.into());
		assert_eq!((free(ALICE), on_hold(ALICE)), (START, 0));
	});
}

#[test]
fn units_on_hold_cannot_be_locked_up() {
	run(|| {
		review_at_500();
		assert_ok!(transfer(ALICE, BOB, 600));
		assert_eq!((free(ALICE), on_hold(ALICE)), (START - 600, 600));
		let terms = pallet_tokenization::LockupTerms { cliff: 10, duration: 100 };
		assert_noop!(
			Tokenization::add_lockup(signed(ISSUER), SEC, ALICE, START - 599, terms, None),
			pallet_tokenization::Error::<Test>::LockupExceedsBalance
		);
		assert_ok!(Tokenization::add_lockup(signed(ISSUER), SEC, ALICE, START - 600, terms, None));
	});
}

#[test]
fn a_zero_risk_score_threshold_is_refused() {
	run(|| {
		for rule_set in [
			RuleSet { review_risk_score: Some(0), ..open_rules() },
			RuleSet { reject_risk_score: Some(0), ..open_rules() },
		] {
			assert_noop!(
				Compliance::register_rule_set(root(), rule_set),
				Error::<Test>::InvalidLimits
			);
		}
	});
}

#[test]
fn a_velocity_entry_is_purged_once_both_windows_are_over_and_its_deposit_returns() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 1_000, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		let free = Balances::free_balance(ALICE);
		assert_ok!(transfer(ALICE, BOB, 60));
		let deposit = Velocity::<Test>::get(SEC, ALICE).expect("recorded").deposit;
		assert_eq!(Balances::free_balance(ALICE), free - deposit);
		// A second transfer updates the entry: no second deposit.
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_eq!(disclosure_deposits_held(ALICE), deposit);
		Compliance::do_try_state().expect("deposits accounted for");

		// While a window still counts (the previous one until block 20), nobody may purge it.
		System::set_block_number(19);
		assert_noop!(
			Compliance::purge_velocity(signed(CHARLIE), SEC, ALICE),
			Error::<Test>::VelocityWindowOpen
		);
		System::set_block_number(20);
		assert_ok!(Compliance::purge_velocity(signed(CHARLIE), SEC, ALICE));
		System::assert_last_event(
			Event::VelocityEntryRemoved { token: SEC, who: ALICE, deposit }.into(),
		);
		assert!(Velocity::<Test>::get(SEC, ALICE).is_none());
		assert_eq!(Balances::free_balance(ALICE), free);
		assert_noop!(
			Compliance::purge_velocity(signed(CHARLIE), SEC, ALICE),
			Error::<Test>::UnknownVelocityEntry
		);
		// The next transfer starts a new entry, with a new deposit.
		assert_ok!(transfer(ALICE, BOB, 1));
		assert_eq!(
			Velocity::<Test>::get(SEC, ALICE).map(|w| (w.count, w.deposit)),
			Some((1, deposit))
		);
	});
}

#[test]
fn a_velocity_entry_of_a_token_without_a_limit_any_more_can_be_purged_at_once() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 1_000, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		assert_ok!(transfer(ALICE, BOB, 60));
		regulate(open_rules(), no_limits());
		assert_ok!(Compliance::purge_velocity(signed(CHARLIE), SEC, ALICE));
		assert_eq!(disclosure_deposits_held(ALICE), 0);
	});
}

#[test]
fn a_sender_who_cannot_pay_the_velocity_deposit_cannot_transfer() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 1_000, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		StorageDepositBase::set(Balances::free_balance(ALICE));
		assert_noop!(transfer(ALICE, BOB, 60), Error::<Test>::CannotPayDeposit);
	});
}

#[test]
fn migration_to_v1_records_a_zero_deposit_for_old_velocity_entries() {
	use crate::migrations::v1::{MigrateV0ToV1, VelocityWindowV0};
	use polkadot_sdk::frame_support::traits::{OnRuntimeUpgrade, StorageVersion};
	run(|| {
		StorageVersion::new(0).put::<Compliance>();
		let old = VelocityWindowV0 {
			start: 3u64,
			amount: 50 as Balance,
			count: 2,
			previous_amount: 7 as Balance,
			previous_count: 1,
		};
		polkadot_sdk::frame_support::storage::unhashed::put_raw(
			&Velocity::<Test>::hashed_key_for(SEC, ALICE),
			&old.encode(),
		);
		assert!(Velocity::<Test>::get(SEC, ALICE).is_none(), "the old layout does not decode");
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		let window = Velocity::<Test>::get(SEC, ALICE).expect("migrated");
		assert_eq!((window.start, window.amount, window.count, window.deposit), (3, 50, 2, 0));
		Velocity::<Test>::remove(SEC, ALICE);
	});
}

#[test]
fn destroying_a_token_removes_its_velocity_entries_and_rules() {
	run(|| {
		let velocity = VelocityLimit { window: 10, max_amount: 1_000, max_count: 100 };
		regulate(open_rules(), TokenLimits { velocity: Some(velocity), ..no_limits() });
		assert_ok!(transfer(ALICE, BOB, 60));
		assert_ok!(transfer(BOB, ALICE, 10));
		let alice_deposit = Velocity::<Test>::get(SEC, ALICE).expect("recorded").deposit;
		let bob_free = Balances::free_balance(BOB);
		// Every unit leaves: clawed back to the issuer and burned.
		for who in [ALICE, BOB] {
			let units = Assets::balance(SEC, who);
			assert_ok!(Tokenization::force_transfer(signed(ISSUER), SEC, who, ISSUER, units, 1));
		}
		let units = Assets::balance(SEC, ISSUER);
		assert_ok!(Tokenization::burn(signed(ISSUER), SEC, units));
		assert_ok!(Tokenization::start_destroy(signed(ISSUER), SEC));

		// The tokenization pallet's records first (the issuer's roles), then this pallet's
		// velocity entries, each returning its deposit; the window does not matter any more.
		assert_ok!(Tokenization::destroy_accounts(signed(CHARLIE), SEC, 2));
		assert_eq!(Velocity::<Test>::iter_prefix(SEC).count(), 1);
		assert_noop!(
			Tokenization::finish_destroy(signed(CHARLIE), SEC),
			pallet_tokenization::Error::<Test>::AccountsRemain
		);
		assert_ok!(Tokenization::destroy_accounts(signed(CHARLIE), SEC, 2));
		System::assert_has_event(
			pallet_tokenization::Event::AccountsDestroyed {
				token: SEC,
				removed: 1,
				complete: true,
			}
			.into(),
		);
		assert_eq!(Velocity::<Test>::iter_prefix(SEC).count(), 0);
		assert_eq!(disclosure_deposits_held(ALICE), 0);
		assert_eq!(disclosure_deposits_held(BOB), 0);
		assert!(Balances::free_balance(BOB) > bob_free);
		System::assert_has_event(
			Event::VelocityEntryRemoved { token: SEC, who: ALICE, deposit: alice_deposit }.into(),
		);

		// Finishing forgets the token's rules, so a new token under the same id starts
		// unregulated.
		assert_ok!(Tokenization::finish_destroy(signed(CHARLIE), SEC));
		assert!(TokenCompliance::<Test>::get(SEC).is_none());
		System::assert_has_event(Event::TokenRulesCleared { token: SEC }.into());
	});
}
