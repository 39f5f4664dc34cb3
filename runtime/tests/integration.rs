//! Runtime integration tests: whole blocks of signed extrinsics executed by `Executive` on the
//! `development` genesis.

mod common;

use common::{create_asset, mint_asset, transfer_asset, TestChain};
use frame_support::traits::fungible::Inspect as _;
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve};
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	DispatchError, MultiAddress, TokenError,
};
use tpwallet_runtime::{
	genesis_config_presets::ENDOWMENT, AccountId, Assets, Balance, Balances, Runtime, RuntimeCall,
	RuntimeEvent, EXISTENTIAL_DEPOSIT, UNIT,
};

fn transfer(to: &AccountId, value: Balance) -> RuntimeCall {
	pallet_balances::Call::<Runtime>::transfer_keep_alive {
		dest: MultiAddress::Id(to.clone()),
		value,
	}
	.into()
}

fn free(chain: &mut TestChain, who: &AccountId) -> Balance {
	chain.execute_with(|| Balances::balance(who))
}

#[test]
fn development_genesis_funds_accounts_and_sets_authorities() {
	let mut chain = TestChain::new();
	let alice = Alice.to_account_id();
	assert_eq!(free(&mut chain, &alice), ENDOWMENT);
	chain.execute_with(|| {
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
	});
}

#[test]
fn block_with_transfers_moves_funds_and_charges_fees() {
	let mut chain = TestChain::new();
	let (alice, bob, charlie) =
		(Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id());

	let tx1 = chain.sign(Alice, transfer(&bob, 10 * UNIT));
	let tx2 = chain.sign(Bob, transfer(&charlie, 3 * UNIT));
	let (results, header) = chain.produce_block(vec![tx1, tx2]);
	assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(()))]);
	assert_eq!(header.number, 1);

	// Each sender paid the amount plus a non-zero fee; each receiver got exactly the amount.
	let alice_now = free(&mut chain, &alice);
	let bob_now = free(&mut chain, &bob);
	assert!(alice_now < ENDOWMENT - 10 * UNIT, "Alice paid a fee");
	assert!(alice_now > ENDOWMENT - 10 * UNIT - UNIT, "the fee is small");
	assert!(bob_now < ENDOWMENT + 7 * UNIT && bob_now > ENDOWMENT + 7 * UNIT - UNIT);
	assert_eq!(free(&mut chain, &charlie), ENDOWMENT + 3 * UNIT);

	let events = chain.events();
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, to, amount })
			if *from == alice && *to == bob && *amount == 10 * UNIT
	)));
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::TransactionPayment(pallet_transaction_payment::Event::TransactionFeePaid { who, .. })
			if *who == alice
	)));

	// The chain goes on: a second block on top of the first.
	let tx3 = chain.sign(Charlie, transfer(&alice, UNIT));
	let (results, header) = chain.produce_block(vec![tx3]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(header.number, 2);
}

#[test]
fn invalid_transactions_are_rejected_and_move_nothing() {
	let mut chain = TestChain::new();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());

	// Stale nonce: Alice's nonce is 0 after one transaction becomes 1; replaying 0 is stale.
	let first = chain.sign(Alice, transfer(&bob, UNIT));
	let replay = first.clone();
	let (results, _) = chain.produce_block(vec![first]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	let alice_before = free(&mut chain, &alice);
	let bob_before = free(&mut chain, &bob);
	let (results, _) = chain.produce_block(vec![replay]);
	assert_eq!(results, vec![Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))]);

	// Bad signature: signed by Eve but claiming to come from Alice.
	let alice_nonce = chain.nonce(&alice);
	let mut forged = chain.sign_with_nonce(Eve, transfer(&bob, UNIT), alice_nonce);
	match &mut forged.preamble {
		sp_runtime::generic::Preamble::Signed(address, _, _) => {
			*address = MultiAddress::Id(alice.clone())
		}
		_ => unreachable!("a signed extrinsic has a signed preamble"),
	}
	let (results, _) = chain.produce_block(vec![forged]);
	assert_eq!(results, vec![Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))]);

	// Insufficient balance: Dave (endowed) tries to send more than he has; the transfer fails
	// in dispatch, the fee is still charged, and nothing reaches Bob.
	let dave = Dave.to_account_id();
	let dave_before = free(&mut chain, &dave);
	let too_much = chain.sign(Dave, transfer(&bob, ENDOWMENT * 2));
	let (results, _) = chain.produce_block(vec![too_much]);
	assert_eq!(results.len(), 1);
	assert!(matches!(results[0], Ok(Err(DispatchError::Token(TokenError::FundsUnavailable)))));
	assert!(free(&mut chain, &dave) < dave_before, "the failed call still paid its fee");

	// An account with no funds cannot even pay the fee: the transaction is invalid.
	let pauper = sp_keyring::Sr25519Keyring::One;
	let broke = chain.sign(pauper, transfer(&bob, EXISTENTIAL_DEPOSIT));
	let (results, _) = chain.produce_block(vec![broke]);
	assert_eq!(results, vec![Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))]);

	// Alice authors every block, but fees go to the treasury (only tips to the author).
	assert_eq!(free(&mut chain, &alice), alice_before, "rejected transactions charge nothing");
	assert_eq!(free(&mut chain, &bob), bob_before, "nothing reached Bob");
}

#[test]
fn asset_is_created_minted_and_transferred() {
	let mut chain = TestChain::new();
	let (alice, bob, charlie) =
		(Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id());
	let id = 7u32;

	let metadata = pallet_assets::Call::<Runtime>::set_metadata {
		id: id.into(),
		name: b"tpwallet USD".to_vec(),
		symbol: b"tUSD".to_vec(),
		decimals: 6,
	};
	let txs = vec![
		chain.sign_with_nonce(Alice, create_asset(id, &alice), 0),
		chain.sign_with_nonce(Alice, metadata.into(), 1),
		chain.sign_with_nonce(Alice, mint_asset(id, &bob, 1_000_000), 2),
	];
	let (results, _) = chain.produce_block(txs);
	assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(())), Ok(Ok(()))]);

	let txs = vec![
		chain.sign(Bob, transfer_asset(id, &charlie, 250_000)),
		chain.sign_with_nonce(Bob, transfer_asset(id, &charlie, 10_000_000), 1),
	];
	let (results, _) = chain.produce_block(txs);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(results[1].as_ref().is_ok_and(|r| r.is_err()), "overdraw fails in dispatch");

	chain.execute_with(|| {
		assert_eq!(Assets::balance(id, &bob), 750_000);
		assert_eq!(Assets::balance(id, &charlie), 250_000);
		assert_eq!(Assets::total_supply(id), 1_000_000);
		// The creator's deposit is reserved.
		assert!(Balances::reserved_balance(&alice) >= 10 * UNIT);
	});
}

#[test]
fn two_of_three_multisig_executes_a_transfer() {
	let mut chain = TestChain::new();
	let signatories = |who: &AccountId| {
		let mut others: Vec<AccountId> =
			[Alice, Bob, Charlie].iter().map(|k| k.to_account_id()).filter(|a| a != who).collect();
		others.sort();
		others
	};
	let mut all = vec![Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id()];
	all.sort();
	let multisig = pallet_multisig::Pallet::<Runtime>::multi_account_id(&all, 2);
	let dave = Dave.to_account_id();

	// Fund the multisig account.
	let fund = chain.sign(Alice, transfer(&multisig, 100 * UNIT));
	let (results, _) = chain.produce_block(vec![fund]);
	assert_eq!(results, vec![Ok(Ok(()))]);

	let call: RuntimeCall = transfer(&dave, 40 * UNIT);
	let max_weight = frame_support::weights::Weight::from_parts(10_000_000_000, 1_000_000);
	let dave_before = free(&mut chain, &dave);

	// First approval (Alice) stores the call hash and reserves her deposit; nothing moves.
	let approve = pallet_multisig::Call::<Runtime>::as_multi {
		threshold: 2,
		other_signatories: signatories(&Alice.to_account_id()),
		maybe_timepoint: None,
		call: Box::new(call.clone()),
		max_weight,
	};
	let tx = chain.sign(Alice, approve.into());
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(free(&mut chain, &dave), dave_before);
	let timepoint = chain.execute_with(|| {
		let hash = sp_io::hashing::blake2_256(&codec::Encode::encode(&call));
		pallet_multisig::Multisigs::<Runtime>::get(&multisig, hash).expect("pending multisig").when
	});

	// Second approval (Bob) reaches the threshold and executes.
	let execute = pallet_multisig::Call::<Runtime>::as_multi {
		threshold: 2,
		other_signatories: signatories(&Bob.to_account_id()),
		maybe_timepoint: Some(timepoint),
		call: Box::new(call),
		max_weight,
	};
	let tx = chain.sign(Bob, execute.into());
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(free(&mut chain, &dave), dave_before + 40 * UNIT);
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Multisig(pallet_multisig::Event::MultisigExecuted { result: Ok(()), .. })
	)));
	// The approval deposit went back to Alice.
	assert_eq!(chain.execute_with(|| Balances::reserved_balance(&Alice.to_account_id())), 0);
}
