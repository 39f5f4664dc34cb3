//! Runtime integration tests of the tokenization pallet in real blocks: a managed token moves only
//! through its rules, whichever path a call takes (direct `pallet-assets` calls, batches, proxies,
//! multisigs, HTLC locks, `pallet-nfts`), while unmanaged assets stay untouched.

mod common;

use common::{create_asset, mint_asset, transfer_asset, TestChain};
use pallet_tokenization::{LockupTerms, RoleSet, TemplateSpec, TokenClass, TransferPolicy};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::{DispatchError, MultiAddress};
use tpwallet_runtime::{
	configs::ProxyType, AccountId, Assets, Runtime, RuntimeCall, RuntimeEvent, Tokenization,
};

/// The managed security token of these tests.
const TOKEN: u32 = 77;
/// A managed NFT collection token.
const ART: u32 = 78;

fn id(account: &AccountId) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(account.clone())
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	pallet_sudo::Call::<Runtime>::sudo { call: Box::new(call) }.into()
}

fn template(class: TokenClass, policy: TransferPolicy, decimals: u8) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::register_template {
		spec: TemplateSpec {
			class,
			decimals,
			max_cap: None,
			policy,
			default_lockup: None,
			issuer_roles: RoleSet::all(),
		},
	}
	.into()
}

fn create_token(token: u32, template: u32) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::create_token {
		token,
		template,
		name: b"Acme Shares".to_vec().try_into().expect("short"),
		symbol: b"ACME".to_vec().try_into().expect("short"),
		cap: Some(1_000_000),
		document_hash: [1; 32],
	}
	.into()
}

fn allow(who: &AccountId) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::set_allowlisted {
		token: TOKEN,
		who: id(who),
		allowed: true,
	}
	.into()
}

fn mint(to: &AccountId, amount: u128) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::mint { token: TOKEN, beneficiary: id(to), amount }.into()
}

fn transfer(to: &AccountId, amount: u128) -> RuntimeCall {
	pallet_tokenization::Call::<Runtime>::transfer { token: TOKEN, dest: id(to), amount }.into()
}

/// A chain where Alice issued `TOKEN` (allowlisted; Alice, Bob, Charlie on the list) and holds
/// 1_000 units; Bob holds 100 and a second Bob-owned unmanaged asset 9 exists.
fn chain_with_token() -> TestChain {
	let mut chain = TestChain::new();
	let (alice, bob, charlie) =
		(Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id());
	let calls = vec![
		sudo(template(TokenClass::SecurityToken, TransferPolicy::Allowlisted, 0)),
		create_token(TOKEN, 0),
		allow(&alice),
		allow(&bob),
		allow(&charlie),
		mint(&alice, 1_000),
		transfer(&bob, 100),
	];
	let txs = calls
		.into_iter()
		.enumerate()
		.map(|(n, c)| chain.sign_with_nonce(Alice, c, n as u32))
		.collect();
	let (results, _) = chain.produce_block(txs);
	assert!(results.iter().all(|r| r == &Ok(Ok(()))), "set-up applies: {results:?}");
	let txs = vec![
		chain.sign_with_nonce(Bob, create_asset(9, &bob), 0),
		chain.sign_with_nonce(Bob, mint_asset(9, &bob, 500), 1),
	];
	let (results, _) = chain.produce_block(txs);
	assert!(results.iter().all(|r| r == &Ok(Ok(()))), "unmanaged asset set-up: {results:?}");
	chain
}

/// Applies `call` signed by `signer` in a block of its own.
fn apply(
	chain: &mut TestChain,
	signer: sp_keyring::Sr25519Keyring,
	call: RuntimeCall,
) -> (Vec<sp_runtime::ApplyExtrinsicResult>, tpwallet_runtime::Header) {
	let tx = chain.sign(signer, call);
	chain.produce_block(vec![tx])
}

fn balance(chain: &mut TestChain, token: u32, who: &AccountId) -> u128 {
	chain.execute_with(|| Assets::balance(token, who))
}

fn filtered() -> DispatchError {
	frame_system::Error::<Runtime>::CallFiltered.into()
}

#[test]
fn managed_token_moves_through_the_pallet_with_events_and_roles() {
	let mut chain = chain_with_token();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	assert_eq!(balance(&mut chain, TOKEN, &alice), 900);
	assert_eq!(balance(&mut chain, TOKEN, &bob), 100);
	chain.execute_with(|| {
		assert!(Tokenization::is_managed_asset(&TOKEN));
		assert_eq!(Tokenization::roles_of(TOKEN, alice.clone()), RoleSet::all());
		// Wallets read name, symbol and decimals from `pallet-assets` metadata.
		let metadata = pallet_assets::Metadata::<Runtime>::get(TOKEN);
		assert_eq!(metadata.symbol.to_vec(), b"ACME".to_vec());
		// Charlie is allowlisted, Dave is not.
		let info = Tokenization::token_info(TOKEN).expect("token exists");
		assert_eq!(info.supply, 1_000);
		assert_eq!(info.policy, TransferPolicy::Allowlisted);
	});

	// Dave is not allowlisted: the pallet's transfer refuses him with its named error.
	let tx = chain.sign(Alice, transfer(&Dave.to_account_id(), 10));
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results[0], Ok(Err(pallet_tokenization::Error::<Runtime>::NotAllowlisted.into())));
}

#[test]
fn direct_asset_calls_on_a_managed_token_are_filtered() {
	let mut chain = chain_with_token();
	let (alice, bob, dave) = (Alice.to_account_id(), Bob.to_account_id(), Dave.to_account_id());
	let calls: Vec<RuntimeCall> = vec![
		transfer_asset(TOKEN, &dave, 10),
		pallet_assets::Call::<Runtime>::transfer_keep_alive {
			id: TOKEN.into(),
			target: id(&dave),
			amount: 10,
		}
		.into(),
		pallet_assets::Call::<Runtime>::transfer_all {
			id: TOKEN.into(),
			dest: id(&dave),
			keep_alive: false,
		}
		.into(),
		pallet_assets::Call::<Runtime>::approve_transfer {
			id: TOKEN.into(),
			delegate: id(&dave),
			amount: 10,
		}
		.into(),
		pallet_assets::Call::<Runtime>::touch_other { id: TOKEN.into(), who: id(&dave) }.into(),
	];
	for call in calls {
		let tx = chain.sign(Alice, call);
		let (results, _) = chain.produce_block(vec![tx]);
		assert_eq!(results[0], Ok(Err(filtered())));
	}
	// Bob could have been approved only through a filtered call, so `transfer_approved` is moot;
	// it is filtered all the same.
	let tx = chain.sign(
		Bob,
		pallet_assets::Call::<Runtime>::transfer_approved {
			id: TOKEN.into(),
			owner: id(&alice),
			destination: id(&dave),
			amount: 1,
		}
		.into(),
	);
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results[0], Ok(Err(filtered())));
	assert_eq!(balance(&mut chain, TOKEN, &dave), 0);
	assert_eq!(balance(&mut chain, TOKEN, &bob), 100);

	// An unmanaged asset is untouched by the filter.
	let tx = chain.sign(Bob, transfer_asset(9, &dave, 50));
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(balance(&mut chain, 9, &dave), 50);
}

#[test]
fn nested_calls_cannot_bypass_the_filter() {
	let mut chain = chain_with_token();
	let (alice, bob, charlie, dave) =
		(Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id(), Dave.to_account_id());
	let direct = || transfer_asset(TOKEN, &Dave.to_account_id(), 10);

	// utility.batch_all fails as a whole; utility.batch stops at the filtered call.
	let batch_all: RuntimeCall =
		pallet_utility::Call::<Runtime>::batch_all { calls: vec![direct()] }.into();
	let batch: RuntimeCall =
		pallet_utility::Call::<Runtime>::batch { calls: vec![direct()] }.into();
	let force_batch: RuntimeCall =
		pallet_utility::Call::<Runtime>::force_batch { calls: vec![direct()] }.into();
	let (results, _) = apply(&mut chain, Alice, batch_all);
	assert!(matches!(&results[0], Ok(Err(e)) if e == &filtered()), "{results:?}");
	let (results, _) = apply(&mut chain, Alice, batch);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { index: 0, error }) if error == &filtered()
	)));
	let (results, _) = apply(&mut chain, Alice, force_batch);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Utility(pallet_utility::Event::ItemFailed { error }) if error == &filtered()
	)));

	// proxy.proxy: Charlie acts for Alice with an `Any` proxy.
	let add_proxy: RuntimeCall = pallet_proxy::Call::<Runtime>::add_proxy {
		delegate: id(&charlie),
		proxy_type: ProxyType::Any,
		delay: 0,
	}
	.into();
	let (results, _) = apply(&mut chain, Alice, add_proxy);
	assert_eq!(results[0], Ok(Ok(())));
	let proxied: RuntimeCall = pallet_proxy::Call::<Runtime>::proxy {
		real: id(&alice),
		force_proxy_type: None,
		call: Box::new(direct()),
	}
	.into();
	let (results, _) = apply(&mut chain, Charlie, proxied);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result: Err(error) }) if error == &filtered()
	)));

	// multisig.as_multi_threshold_1: Bob's 1-of-2 multisig with Charlie.
	let multisig: RuntimeCall = pallet_multisig::Call::<Runtime>::as_multi_threshold_1 {
		other_signatories: vec![charlie.clone()],
		call: Box::new(direct()),
	}
	.into();
	let (results, _) = apply(&mut chain, Bob, multisig);
	assert!(matches!(&results[0], Ok(Err(e)) if e == &filtered()), "{results:?}");

	// An HTLC lock would move the token to any recipient on claim.
	let lock: RuntimeCall = pallet_htlc::Call::<Runtime>::lock {
		recipient: id(&dave),
		asset: frame_support::traits::fungible::NativeOrWithId::WithId(TOKEN),
		amount: 10,
		hash_lock: [0; 32],
		hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
		duration: 20 * tpwallet_runtime::MINUTES,
	}
	.into();
	let (results, _) = apply(&mut chain, Bob, lock);
	assert_eq!(results[0], Ok(Err(filtered())));

	assert_eq!(balance(&mut chain, TOKEN, &dave), 0);
	assert_eq!(balance(&mut chain, TOKEN, &alice), 900);
	assert_eq!(balance(&mut chain, TOKEN, &bob), 100);
}

#[test]
fn lockups_and_freezes_hold_in_the_ledger() {
	let mut chain = chain_with_token();
	let bob = Bob.to_account_id();
	let charlie = Charlie.to_account_id();
	// Alice locks 60 of Bob's 100 for 100 blocks with a 50-block cliff.
	let lockup: RuntimeCall = pallet_tokenization::Call::<Runtime>::add_lockup {
		token: TOKEN,
		holder: id(&bob),
		amount: 60,
		terms: LockupTerms { cliff: 50, duration: 100 },
		start: None,
	}
	.into();
	let (results, _) = apply(&mut chain, Alice, lockup);
	assert_eq!(results[0], Ok(Ok(())));
	let holding =
		chain.execute_with(|| Tokenization::holder_balance(TOKEN, bob.clone()).expect("fungible"));
	assert_eq!((holding.total, holding.locked, holding.transferable), (100, 60, 40));

	let too_much = chain.sign(Bob, transfer(&charlie, 41));
	let (results, _) = chain.produce_block(vec![too_much]);
	assert_eq!(
		results[0],
		Ok(Err(pallet_tokenization::Error::<Runtime>::InsufficientTransferable.into()))
	);
	let ok = chain.sign(Bob, transfer(&charlie, 40));
	let (results, _) = chain.produce_block(vec![ok]);
	assert_eq!(results[0], Ok(Ok(())));

	// Frozen: nothing leaves Bob's account, whatever the path.
	let freeze: RuntimeCall = pallet_tokenization::Call::<Runtime>::freeze_account {
		token: TOKEN,
		who: id(&charlie),
		reason: 7,
	}
	.into();
	let (results, _) = apply(&mut chain, Alice, freeze);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Tokenization(pallet_tokenization::Event::AccountFrozen { reason: 7, .. })
	)));
	let (results, _) = apply(&mut chain, Charlie, transfer(&bob, 1));
	assert_eq!(results[0], Ok(Err(pallet_tokenization::Error::<Runtime>::AccountFrozen.into())));
	chain.execute_with(|| {
		let reducible =
			<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::reducible_balance(
				TOKEN,
				&charlie,
				frame_support::traits::tokens::Preservation::Expendable,
				frame_support::traits::tokens::Fortitude::Force,
			);
		assert_eq!(reducible, 0, "the ledger itself sees the freeze");
	});

	// The controller claws back from the frozen account, with a reason code.
	let clawback: RuntimeCall = pallet_tokenization::Call::<Runtime>::force_transfer {
		token: TOKEN,
		from: id(&charlie),
		to: id(&Alice.to_account_id()),
		amount: 40,
		reason: 9,
	}
	.into();
	let (results, _) = apply(&mut chain, Alice, clawback);
	assert_eq!(results[0], Ok(Ok(())));
	assert_eq!(balance(&mut chain, TOKEN, &charlie), 0);
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Tokenization(pallet_tokenization::Event::ForcedTransfer {
			amount: 40,
			reason: 9,
			..
		})
	)));
}

#[test]
fn managed_nfts_move_only_through_the_pallet() {
	let mut chain = TestChain::new();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	let calls = vec![
		sudo(template(TokenClass::NftCollection, TransferPolicy::Open, 0)),
		create_token(ART, 0),
		pallet_tokenization::Call::<Runtime>::mint_nft {
			token: ART,
			item: 1,
			owner: id(&bob),
			metadata: b"ipfs://art/1".to_vec().try_into().expect("short"),
		}
		.into(),
	];
	let txs = calls
		.into_iter()
		.enumerate()
		.map(|(n, c)| chain.sign_with_nonce(Alice, c, n as u32))
		.collect();
	let (results, _) = chain.produce_block(txs);
	assert!(results.iter().all(|r| r == &Ok(Ok(()))), "{results:?}");
	let collection = chain.execute_with(|| {
		pallet_tokenization::Tokens::<Runtime>::get(ART)
			.and_then(|t| t.collection)
			.expect("collection")
	});

	// pallet-nfts refuses a direct transfer (transfers are disabled on managed items) ...
	let direct: RuntimeCall =
		pallet_nfts::Call::<Runtime>::transfer { collection, item: 1, dest: id(&alice) }.into();
	let (results, _) = apply(&mut chain, Bob, direct);
	assert_eq!(results[0], Ok(Err(pallet_nfts::Error::<Runtime>::ItemLocked.into())));
	// ... and the filter a direct burn.
	let burn: RuntimeCall = pallet_nfts::Call::<Runtime>::burn { collection, item: 1 }.into();
	let (results, _) = apply(&mut chain, Bob, burn);
	assert_eq!(results[0], Ok(Err(filtered())));

	let through: RuntimeCall = pallet_tokenization::Call::<Runtime>::transfer_nft {
		token: ART,
		item: 1,
		dest: id(&alice),
	}
	.into();
	let (results, _) = apply(&mut chain, Bob, through);
	assert_eq!(results[0], Ok(Ok(())));
	let owner = chain.execute_with(|| {
		<tpwallet_runtime::Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<
			AccountId,
		>>::owner(&collection, &1)
	});
	assert_eq!(owner, Some(alice));
}

#[test]
fn a_two_of_three_multisig_cannot_move_a_managed_token_directly() {
	let mut chain = chain_with_token();
	let mut all = vec![Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id()];
	all.sort();
	let multisig = pallet_multisig::Pallet::<Runtime>::multi_account_id(&all, 2);
	let others = |me: &AccountId| all.iter().filter(|a| *a != me).cloned().collect::<Vec<_>>();
	// The multisig holds 50 units of the token (it is allowlisted) and TPW for deposits.
	// (TPW first: an account needs a native balance to hold a non-sufficient asset.)
	let fund: Vec<RuntimeCall> = vec![
		pallet_balances::Call::<Runtime>::transfer_keep_alive {
			dest: id(&multisig),
			value: 10 * tpwallet_runtime::UNIT,
		}
		.into(),
		allow(&multisig),
		transfer(&multisig, 50),
	];
	let txs = fund
		.into_iter()
		.map(|c| {
			let tx = chain.sign(Alice, c);
			chain.produce_block(vec![tx]).0
		})
		.collect::<Vec<_>>();
	assert!(txs.iter().all(|r| r == &vec![Ok(Ok(()))]), "{txs:?}");

	let call = transfer_asset(TOKEN, &Dave.to_account_id(), 50);
	let max_weight = frame_support::weights::Weight::from_parts(10_000_000_000, 1_000_000);
	let approve = pallet_multisig::Call::<Runtime>::as_multi {
		threshold: 2,
		other_signatories: others(&Alice.to_account_id()),
		maybe_timepoint: None,
		call: Box::new(call.clone()),
		max_weight,
	};
	let (results, _) = apply(&mut chain, Alice, approve.into());
	assert_eq!(results[0], Ok(Ok(())));
	let timepoint = chain.execute_with(|| {
		let hash = sp_io::hashing::blake2_256(&codec::Encode::encode(&call));
		pallet_multisig::Multisigs::<Runtime>::get(&multisig, hash).expect("pending").when
	});
	let execute = pallet_multisig::Call::<Runtime>::as_multi {
		threshold: 2,
		other_signatories: others(&Bob.to_account_id()),
		maybe_timepoint: Some(timepoint),
		call: Box::new(call),
		max_weight,
	};
	let (results, _) = apply(&mut chain, Bob, execute.into());
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Multisig(pallet_multisig::Event::MultisigExecuted { result: Err(error), .. })
			if error == &filtered()
	)));
	assert_eq!(balance(&mut chain, TOKEN, &multisig), 50);
	assert_eq!(balance(&mut chain, TOKEN, &Dave.to_account_id()), 0);
}

#[test]
fn a_managed_token_is_destroyed_only_through_the_pallet() {
	let mut chain = chain_with_token();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	let tokenization = |call: pallet_tokenization::Call<Runtime>| -> RuntimeCall { call.into() };
	// Every unit leaves first: Bob's are clawed back, then the issuer burns all.
	let calls = vec![
		tokenization(pallet_tokenization::Call::force_transfer {
			token: TOKEN,
			from: id(&bob),
			to: id(&alice),
			amount: 100,
			reason: 1,
		}),
		tokenization(pallet_tokenization::Call::burn { token: TOKEN, amount: 1_000 }),
		tokenization(pallet_tokenization::Call::start_destroy { token: TOKEN }),
	];
	for call in calls {
		let (results, _) = apply(&mut chain, Alice, call);
		assert_eq!(results, vec![Ok(Ok(()))]);
	}

	// `pallet-assets`' own permissionless steps stay filtered: they would remove the asset
	// under the pallet's feet.
	for call in [
		pallet_assets::Call::<Runtime>::destroy_accounts { id: TOKEN.into() },
		pallet_assets::Call::<Runtime>::destroy_approvals { id: TOKEN.into() },
		pallet_assets::Call::<Runtime>::finish_destroy { id: TOKEN.into() },
	] {
		let (results, _) = apply(&mut chain, Charlie, call.into());
		assert_eq!(results[0], Ok(Err(filtered())));
	}

	// Anyone finishes it through the pallet; the id is free for a new token.
	let held_before =
		chain.execute_with(|| pallet_balances::Pallet::<Runtime>::reserved_balance(&alice));
	for call in [
		pallet_tokenization::Call::destroy_accounts { token: TOKEN, limit: 100 },
		pallet_tokenization::Call::finish_destroy { token: TOKEN },
	] {
		let (results, _) = apply(&mut chain, Charlie, call.into());
		assert_eq!(results, vec![Ok(Ok(()))]);
	}
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Tokenization(pallet_tokenization::Event::TokenDestroyed { token: TOKEN, .. })
	)));
	let held_after =
		chain.execute_with(|| pallet_balances::Pallet::<Runtime>::reserved_balance(&alice));
	assert_eq!(
		held_before - held_after,
		<<Runtime as pallet_tokenization::Config>::TokenDeposit as frame_support::traits::Get<
			u128,
		>>::get()
	);
	chain.execute_with(|| {
		assert!(!Tokenization::is_managed_asset(&TOKEN));
		assert!(pallet_assets::Asset::<Runtime>::get(TOKEN).is_none());
	});
	let (results, _) = apply(&mut chain, Alice, create_token(TOKEN, 0));
	assert_eq!(results, vec![Ok(Ok(()))]);
}
