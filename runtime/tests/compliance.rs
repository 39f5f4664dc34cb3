//! Runtime integration tests of the compliance pallet with the runtime's generated weights: a
//! transfer is charged what it did (unregulated, regulated and allowed, held for review).

mod common;

use common::TestChain;
use frame_support::dispatch::{GetDispatchInfo, PostDispatchInfo};
use pallet_compliance::{
	PartyRequirement, RuleSet, TokenLimits, TokenRules, WeightInfo as ComplianceWeights,
};
use pallet_tokenization::{
	TemplateSpec, TokenClass, TransferCompliance as _, TransferPolicy,
	WeightInfo as TokenizationWeights,
};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::{traits::Dispatchable, MultiAddress};
use tpwallet_runtime::{AccountId, Compliance, Runtime, RuntimeCall, RuntimeOrigin, Tokenization};

/// The security token of these tests.
const TOKEN: u32 = 91;
/// Transfers of this many units or more are held for review once the token is regulated.
const REVIEW_THRESHOLD: u128 = 500;

type TokenizationWeightsOf = <Runtime as pallet_tokenization::Config>::WeightInfo;
type ComplianceWeightsOf = <Runtime as pallet_compliance::Config>::WeightInfo;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn transfer(to: &AccountId, amount: u128) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::transfer {
		token: TOKEN,
		dest: MultiAddress::Id(to.clone()),
		amount,
	}
	.into()
}

/// Alice issues `TOKEN` (open policy, no lock-up) and holds 10_000 units.
fn issue(alice: &AccountId) {
	Tokenization::register_template(
		RuntimeOrigin::root(),
		TemplateSpec {
			class: TokenClass::SecurityToken,
			decimals: 0,
			max_cap: None,
			policy: TransferPolicy::Open,
			default_lockup: None,
			issuer_roles: pallet_tokenization::RoleSet::all(),
		},
	)
	.expect("governance registers a template");
	let template = pallet_tokenization::NextTemplateId::<Runtime>::get() - 1;
	Tokenization::create_token(
		signed(alice),
		TOKEN,
		template,
		b"Acme Shares".to_vec().try_into().expect("short"),
		b"ACME".to_vec().try_into().expect("short"),
		None,
		[1; 32],
	)
	.expect("the issuer creates the token");
	Tokenization::mint(signed(alice), TOKEN, MultiAddress::Id(alice.clone()), 10_000)
		.expect("the issuer mints");
}

/// A rule set with no requirement, and `TOKEN` following it with a review threshold.
fn regulate(alice: &AccountId) {
	let rule_set = pallet_compliance::NextRuleSetId::<Runtime>::get();
	Compliance::register_rule_set(
		RuntimeOrigin::root(),
		RuleSet {
			jurisdiction: *b"DE",
			sender: PartyRequirement::default(),
			receiver: PartyRequirement::default(),
			allowed_jurisdictions: Default::default(),
			blocked_jurisdictions: Default::default(),
			travel_rule_threshold: None,
			review_risk_score: None,
			reject_risk_score: None,
		},
	)
	.expect("governance registers a rule set");
	Compliance::set_token_rules(
		signed(alice),
		TOKEN,
		TokenRules {
			rule_set,
			limits: TokenLimits {
				max_holders: None,
				max_balance: None,
				max_transfer: None,
				velocity: None,
				review_threshold: Some(REVIEW_THRESHOLD),
			},
		},
	)
	.expect("the admin regulates the token");
}

fn dispatch(from: &AccountId, call: RuntimeCall) -> PostDispatchInfo {
	call.dispatch(signed(from)).expect("the transfer is dispatched")
}

#[test]
fn a_transfer_is_charged_what_it_did() {
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	TestChain::new().execute_with(|| {
		issue(&alice);
		// Declared: the worst case, with the check and a review.
		let worst = TokenizationWeightsOf::transfer().saturating_add(
			ComplianceWeightsOf::check_transfer()
				.saturating_add(ComplianceWeightsOf::open_review()),
		);
		assert_eq!(transfer(&bob, 10).get_dispatch_info().call_weight, worst);

		// Unregulated, recording nothing: the transfer's own lighter weight, no check.
		let unregulated = dispatch(&alice, transfer(&bob, 10));
		assert_eq!(
			unregulated.actual_weight,
			Some(TokenizationWeightsOf::transfer_without_records())
		);
		assert_eq!(
			<Runtime as pallet_tokenization::Config>::Compliance::checked_transfer_weight(&TOKEN),
			None
		);

		// Regulated and allowed: the benchmark of the whole checked transfer.
		regulate(&alice);
		let checked = dispatch(&alice, transfer(&bob, REVIEW_THRESHOLD - 1));
		assert_eq!(checked.actual_weight, Some(ComplianceWeightsOf::checked_transfer()));
		assert!(ComplianceWeightsOf::checked_transfer().all_lt(worst));

		// Held for review: the worst case stands (it includes the review).
		let held = dispatch(&alice, transfer(&bob, REVIEW_THRESHOLD));
		assert_eq!(held.actual_weight, None);
		assert_eq!(pallet_compliance::ReviewCases::<Runtime>::iter().count(), 1);
	});
}
