//! Runtime integration tests of the settlement pallet: instructions in a regulated token pass
//! its gate and compliance rules at execution (refusals and holds for review leave them pending),
//! lock-ups cannot be delivered through a hold, and the clearing path is measured against plain
//! transfers with the runtime's generated weights.

mod common;

use common::TestChain;
use frame_support::{dispatch::GetDispatchInfo, traits::fungible::NativeOrWithId, BoundedVec};
use pallet_settlement::{ExecutionFailure, Leg, LegAsset, SettlementType, WeightInfo as _};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::{DispatchError, MultiAddress};
use tpwallet_runtime::{
	AccountId, Assets, Compliance, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Settlement,
	System,
};

/// The security token (managed, regulated) and the stablecoin (plain `pallet-assets`).
const SECURITY: u32 = 71;
const CASH: u32 = 72;

type Weights = <Runtime as pallet_settlement::Config>::WeightInfo;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn leg(
	from: &AccountId,
	to: &AccountId,
	asset: u32,
	amount: u128,
) -> pallet_settlement::LegOf<Runtime> {
	Leg {
		from: from.clone(),
		to: to.clone(),
		asset: LegAsset::Fungible { asset: NativeOrWithId::WithId(asset), amount },
		hash_lock: None,
	}
}

fn nft_leg(
	from: &AccountId,
	to: &AccountId,
	collection: u32,
	item: u32,
) -> pallet_settlement::LegOf<Runtime> {
	Leg {
		from: from.clone(),
		to: to.clone(),
		asset: LegAsset::Nft { collection, item },
		hash_lock: None,
	}
}

/// Alice issues `SECURITY` (a rule set asking KYC of both sides, transfers of 500 or more held
/// for review) and holds 1_000; Alice and Bob are KYC'd, Dave is not; Charlie issues `CASH` and
/// Bob and Dave hold 10_000 each.
fn set_up() -> (AccountId, AccountId, AccountId, AccountId) {
	let (alice, bob, charlie, dave) =
		(Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id(), Dave.to_account_id());
	// Events are kept from block 1 on.
	System::set_block_number(1);
	common::issue_security_token(&alice, SECURITY, 1_000);
	let kyc = pallet_compliance::PartyRequirement { claim_required: true, ..Default::default() };
	common::regulate_with_review(&alice, SECURITY, kyc, 500);
	Compliance::add_trusted_issuer(
		RuntimeOrigin::root(),
		MultiAddress::Id(charlie.clone()),
		vec![*b"DE"].try_into().expect("one"),
	)
	.expect("governance trusts a KYC provider");
	for who in [&alice, &bob] {
		Compliance::attest_claim(
			signed(&charlie),
			MultiAddress::Id(who.clone()),
			pallet_compliance::ClaimInput {
				tier: 1,
				jurisdiction: *b"DE",
				accredited: false,
				sanctions_screened: true,
				expires_at: 1_000_000,
				commitment: [3; 32],
			},
		)
		.expect("the provider attests");
	}
	Assets::create(signed(&charlie), CASH.into(), MultiAddress::Id(charlie.clone()), 1)
		.expect("cash is created");
	for who in [&bob, &dave, &charlie] {
		Assets::mint(signed(&charlie), CASH.into(), MultiAddress::Id(who.clone()), 10_000)
			.expect("cash is minted");
	}
	(alice, bob, charlie, dave)
}

fn create(by: &AccountId, legs: Vec<pallet_settlement::LegOf<Runtime>>) -> u64 {
	let id = pallet_settlement::NextInstructionId::<Runtime>::get();
	Settlement::create_instruction(
		signed(by),
		None,
		BoundedVec::truncate_from(legs),
		SettlementType::OnAffirmation,
		false,
		System::block_number() + 100,
	)
	.expect("instruction is created");
	id
}

fn security_of(who: &AccountId) -> u128 {
	Assets::balance(SECURITY, who)
}

fn execution_failed(id: u64) -> Option<DispatchError> {
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::Settlement(pallet_settlement::Event::ExecutionFailed { id: i, error })
			if i == id =>
		{
			Some(error)
		}
		_ => None,
	})
}

#[test]
fn a_dvp_in_a_regulated_token_settles_between_kycd_parties() {
	TestChain::new().execute_with(|| {
		let (alice, bob, charlie, _) = set_up();
		let id = create(
			&charlie,
			vec![leg(&alice, &bob, SECURITY, 100), leg(&bob, &alice, CASH, 2_000)],
		);
		Settlement::affirm(signed(&alice), id).expect("Alice affirms");
		Settlement::affirm(signed(&bob), id).expect("Bob affirms");
		assert_eq!(security_of(&bob), 100);
		assert_eq!(Assets::balance(CASH, &alice), 2_000);
		assert!(pallet_settlement::Instructions::<Runtime>::get(id).is_none());
	});
}

#[test]
fn a_receiver_without_kyc_is_reported_and_refused_by_the_compliance_rules() {
	TestChain::new().execute_with(|| {
		let (alice, _, charlie, dave) = set_up();
		let id =
			create(&charlie, vec![leg(&alice, &dave, SECURITY, 10), leg(&dave, &alice, CASH, 500)]);
		let claim_missing: DispatchError = pallet_compliance::Error::<Runtime>::ClaimMissing.into();
		assert!(Settlement::execution_failures(id)
			.contains(&ExecutionFailure::Refused { leg: 0, error: claim_missing }));
		Settlement::affirm(signed(&alice), id).expect("Alice affirms");
		Settlement::affirm(signed(&dave), id).expect("Dave affirms");
		assert_eq!(execution_failed(id), Some(claim_missing));
		assert_eq!(security_of(&dave), 0);
		assert_eq!(Assets::balance(CASH, &alice), 0, "the cash leg did not move either");
	});
}

/// The managed NFT collection (regulated like `SECURITY`: KYC on both sides).
const DEEDS: u32 = 73;

#[test]
fn an_nft_of_a_regulated_collection_settles_against_cash_through_its_escrow() {
	TestChain::new().execute_with(|| {
		let (alice, bob, charlie, dave) = set_up();
		common::issue_nft_collection(&alice, DEEDS, 2);
		let kyc = pallet_compliance::PartyRequirement { claim_required: true, ..Default::default() };
		common::regulate_with_review(&alice, DEEDS, kyc, 1_000);
		let owner = |item| pallet_tokenization::Pallet::<Runtime>::nft_exists(&DEEDS, &item).then(|| {
			let collection = pallet_tokenization::Tokens::<Runtime>::get(DEEDS)
				.and_then(|d| d.collection)
				.expect("a collection");
			<tpwallet_runtime::Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<_>>::owner(&collection, &item)
		}).flatten();

		// Dave has no KYC claim: reported before anything is submitted, refused at execution.
		let refused = create(&charlie, vec![nft_leg(&alice, &dave, DEEDS, 1), leg(&dave, &alice, CASH, 500)]);
		let claim_missing: DispatchError = pallet_compliance::Error::<Runtime>::ClaimMissing.into();
		assert!(Settlement::execution_failures(refused)
			.contains(&ExecutionFailure::Refused { leg: 0, error: claim_missing }));
		Settlement::affirm(signed(&alice), refused).expect("Alice affirms");
		// In escrow: Alice cannot send it elsewhere meanwhile, nor put it in another instruction.
		let escrowed: DispatchError = pallet_tokenization::Error::<Runtime>::ItemEscrowed.into();
		assert_eq!(
			pallet_tokenization::Pallet::<Runtime>::transfer_nft(signed(&alice), DEEDS, 1, MultiAddress::Id(bob.clone())),
			Err(escrowed)
		);
		Settlement::affirm(signed(&dave), refused).expect("Dave affirms");
		assert_eq!(execution_failed(refused), Some(claim_missing));
		assert_eq!(owner(1), Some(alice.clone()));
		Settlement::reject(signed(&dave), refused).expect("Dave rejects");
		assert_eq!(pallet_tokenization::Pallet::<Runtime>::nft_escrowed_by(&DEEDS, &1), None);

		// To Bob, KYC'd: the deed and the cash move together.
		let id = create(&charlie, vec![nft_leg(&alice, &bob, DEEDS, 1), leg(&bob, &alice, CASH, 3_000)]);
		Settlement::affirm(signed(&alice), id).expect("Alice affirms");
		Settlement::affirm(signed(&bob), id).expect("Bob affirms");
		assert!(pallet_settlement::Instructions::<Runtime>::get(id).is_none());
		assert_eq!(owner(1), Some(bob.clone()));
		assert_eq!(Assets::balance(CASH, &alice), 3_000);
		// Bob's deed moves freely again through the tokenization pallet.
		pallet_tokenization::Pallet::<Runtime>::transfer_nft(signed(&bob), DEEDS, 1, MultiAddress::Id(alice.clone()))
			.expect("the new owner sends it back");
	});
}

#[test]
fn a_leg_the_rules_would_hold_for_review_keeps_the_instruction_pending() {
	TestChain::new().execute_with(|| {
		let (alice, bob, charlie, _) = set_up();
		let id = create(
			&charlie,
			vec![leg(&alice, &bob, SECURITY, 600), leg(&bob, &alice, CASH, 6_000)],
		);
		let review: DispatchError = pallet_tokenization::Error::<Runtime>::ReviewRequired.into();
		assert_eq!(
			Settlement::execution_failures(id)
				.into_iter()
				.filter(|f| matches!(f, ExecutionFailure::Refused { .. }))
				.collect::<Vec<_>>(),
			vec![ExecutionFailure::Refused { leg: 0, error: review }]
		);
		Settlement::affirm(signed(&alice), id).expect("Alice affirms");
		Settlement::affirm(signed(&bob), id).expect("Bob affirms");
		assert_eq!(execution_failed(id), Some(review));
		// Nothing is half-settled, and no review case was opened behind the instruction's back.
		assert_eq!(security_of(&bob), 0);
		assert_eq!(pallet_compliance::ReviewCases::<Runtime>::iter().count(), 0);
		assert!(pallet_settlement::Instructions::<Runtime>::get(id).is_some());
		Settlement::reject(signed(&bob), id).expect("a party rejects");
		assert_eq!(security_of(&alice), 1_000);
	});
}

#[test]
fn units_under_a_lock_up_cannot_be_put_on_hold_for_a_delivery() {
	TestChain::new().execute_with(|| {
		let (alice, bob, charlie, _) = set_up();
		// Bob receives 100 units, all locked for 1_000 blocks.
		pallet_tokenization::Pallet::<Runtime>::transfer(
			signed(&alice),
			SECURITY,
			MultiAddress::Id(bob.clone()),
			100,
		)
		.expect("Alice pays Bob");
		pallet_tokenization::Pallet::<Runtime>::add_lockup(
			signed(&alice),
			SECURITY,
			MultiAddress::Id(bob.clone()),
			100,
			pallet_tokenization::LockupTerms { cliff: 1_000, duration: 1_000 },
			None,
		)
		.expect("the issuer locks Bob's units");
		let id = create(&charlie, vec![leg(&bob, &alice, SECURITY, 100)]);
		assert!(Settlement::affirm(signed(&bob), id).is_err());
		assert!(Settlement::execution_failures(id)
			.contains(&ExecutionFailure::InsufficientBalance { leg: 0, sender: bob.clone() }));
		assert_eq!(security_of(&bob), 100);
	});
}

/// A clearing payment between members costs a few storage writes, well under a plain asset
/// transfer; a cycle of 1,000 payments among 20 members, netting included, costs less than the
/// 1,000 gross transfers it replaces.
#[test]
fn clearing_costs_less_than_the_gross_transfers_it_replaces() {
	// The usual payment: no bilateral credit limit between payer and payee.
	let pay = Weights::pay_without_credit_limit();
	let pay_with_limit = Weights::pay();
	let transfer: RuntimeCall = pallet_assets::Call::<Runtime>::transfer_keep_alive {
		id: CASH.into(),
		target: MultiAddress::Id(Bob.to_account_id()),
		amount: 1,
	}
	.into();
	let transfer = transfer.get_dispatch_info().call_weight;
	let members = 20u64;
	// Two passes over the members plus the end of each pass.
	let steps = 2 * members + 2;
	let cycle = pay
		.saturating_mul(1_000)
		.saturating_add(Weights::close_cycle())
		.saturating_add(Settlement::netting_step_weight().saturating_mul(steps));
	let gross = transfer.saturating_mul(1_000);
	let ratio = |a: frame_support::weights::Weight, b: frame_support::weights::Weight| {
		a.ref_time() as f64 / b.ref_time() as f64
	};
	println!(
		"clearing: pay / assets.transfer_keep_alive = {:.2} ({:.2} with a credit limit); a cycle \
		 of 1,000 payments among 20 members / 1,000 transfers = {:.2}; one netting step / one \
		 transfer = {:.2}",
		ratio(pay, transfer),
		ratio(pay_with_limit, transfer),
		ratio(cycle, gross),
		ratio(Settlement::netting_step_weight(), transfer),
	);
	// "Well under": at most four fifths of a transfer; with a bilateral limit, still under one.
	assert!(
		pay.ref_time().saturating_mul(5) < transfer.ref_time().saturating_mul(4),
		"a cleared payment is well under a transfer"
	);
	assert!(pay_with_limit.ref_time() < transfer.ref_time(), "even with a credit limit");
	assert!(cycle.ref_time() < gross.ref_time(), "a cycle is cheaper than its gross transfers");
	// The block's budget for the hook stays a small share of a block.
	let block = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let hook = Settlement::max_scheduled_weight()
		.saturating_add(Settlement::max_clear_and_settle_weight());
	assert!(hook.ref_time() < block.ref_time() / 4, "the settlement hook fits in a quarter block");
}
