//! Runtime integration tests of the compliance pallet: a transfer is charged what it did
//! (unregulated, regulated and allowed, held for review) by the runtime's generated weights, and
//! payment channels in a regulated token pass its rules when they open and settle.

mod common;

use common::TestChain;
use frame_support::dispatch::{GetDispatchInfo, PostDispatchInfo};
use frame_support::traits::fungible::NativeOrWithId;
use pallet_compliance::{TokenLimits, TokenRules, WeightInfo as ComplianceWeights};
use pallet_payment_channels::{ChannelState, PayloadKind};
use pallet_tokenization::{TransferCompliance as _, WeightInfo as TokenizationWeights};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::{traits::Dispatchable, MultiAddress};
use tpwallet_runtime::{
	AccountId, Assets, Compliance, PaymentChannels, Runtime, RuntimeCall, RuntimeOrigin,
};

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
	common::issue_security_token(alice, TOKEN, 10_000);
}

/// A rule set with no requirement, and `TOKEN` following it with a review threshold.
fn regulate(alice: &AccountId) {
	common::regulate_with_review(alice, TOKEN, Default::default(), REVIEW_THRESHOLD);
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

// --- Payment channels in a regulated token ---

fn open_channel(from: &AccountId, to: &AccountId, deposit: u128) -> sp_runtime::DispatchResult {
	PaymentChannels::open(
		signed(from),
		MultiAddress::Id(to.clone()),
		NativeOrWithId::WithId(TOKEN),
		deposit,
	)
}

/// Both parties' signatures over `state` as a cooperative close.
fn close_signatures(
	state: &ChannelState<u128>,
) -> (tpwallet_runtime::Signature, tpwallet_runtime::Signature) {
	let payload = PaymentChannels::state_payload(PayloadKind::Close, state);
	(Alice.sign(&payload).into(), Bob.sign(&payload).into())
}

#[test]
fn a_channel_in_a_regulated_token_passes_its_rules_on_open_and_settlement() {
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	TestChain::new().execute_with(|| {
		issue(&alice);
		regulate(&alice);
		let rules = pallet_compliance::TokenCompliance::<Runtime>::get(TOKEN).expect("regulated");
		Compliance::set_token_rules(
			signed(&alice),
			TOKEN,
			TokenRules { limits: TokenLimits { max_transfer: Some(300), ..rules.limits }, ..rules },
		)
		.expect("the admin sets a per-transfer limit");

		// A deposit is what the depositor may pay the counterparty: over the limit, refused.
		assert_eq!(
			open_channel(&alice, &bob, 301),
			Err(pallet_compliance::Error::<Runtime>::TransferLimitExceeded.into())
		);
		// A deposit the review threshold would hold cannot open a channel either.
		Compliance::set_token_rules(signed(&alice), TOKEN, rules).expect("limit lifted");
		assert_eq!(
			open_channel(&alice, &bob, REVIEW_THRESHOLD),
			Err(pallet_tokenization::Error::<Runtime>::ReviewRequired.into())
		);
		let channel = pallet_payment_channels::NextChannelId::<Runtime>::get();
		open_channel(&alice, &bob, 200).expect("an allowed deposit opens the channel");

		// Alice paid Bob 120 off chain. While Bob is sanctioned the payout is refused and the
		// deposit stays on hold; once he is cleared the same close settles.
		let state = ChannelState {
			channel,
			nonce: 7,
			balances: (80, 120),
			deposits: (200, 0),
			pending: (0, 0),
			conditions_root: [0; 32],
		};
		let (sig_a, sig_b) = close_signatures(&state);
		Compliance::set_blocklisted(RuntimeOrigin::root(), MultiAddress::Id(bob.clone()), Some(1))
			.expect("governance sanctions Bob");
		let refused = PaymentChannels::cooperative_close(
			signed(&bob),
			channel,
			state.clone(),
			sig_a.clone(),
			sig_b.clone(),
		);
		assert_eq!(refused, Err(pallet_compliance::Error::<Runtime>::Sanctioned.into()));
		assert!(pallet_payment_channels::Channels::<Runtime>::contains_key(channel));
		Compliance::set_blocklisted(RuntimeOrigin::root(), MultiAddress::Id(bob.clone()), None)
			.expect("governance clears Bob");
		let bob_before = Assets::balance(TOKEN, &bob);
		PaymentChannels::cooperative_close(signed(&bob), channel, state, sig_a, sig_b)
			.expect("the settlement pays Bob");
		assert_eq!(Assets::balance(TOKEN, &bob), bob_before + 120);
		assert!(!pallet_payment_channels::Channels::<Runtime>::contains_key(channel));
	});
}
