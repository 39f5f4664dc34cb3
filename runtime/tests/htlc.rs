//! Runtime integration tests of the HTLC pallet: locks and claims in real blocks, on the native
//! token and on a `pallet-assets` token.

mod common;

use common::{create_asset, mint_asset, TestChain};
use frame_support::traits::{
	fungible::{Inspect as _, InspectHold as _, NativeOrWithId},
	fungibles::Inspect as _,
};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::MultiAddress;
use tpwallet_runtime::{
	Assets, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, MINUTES, UNIT,
};

const SECRET: &[u8] = b"cross-chain swap secret";

fn lock_call(asset: NativeOrWithId<u32>, amount: u128) -> RuntimeCall {
	pallet_htlc::Call::<Runtime>::lock {
		recipient: MultiAddress::Id(Bob.to_account_id()),
		asset,
		amount,
		hash_lock: sp_io::hashing::sha2_256(SECRET),
		hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
		duration: 20 * MINUTES,
	}
	.into()
}

fn claim_call(swap_id: u64, preimage: &[u8]) -> RuntimeCall {
	pallet_htlc::Call::<Runtime>::claim {
		swap_id,
		preimage: preimage.to_vec().try_into().expect("short preimage"),
	}
	.into()
}

#[test]
fn native_swap_is_locked_then_claimed_with_the_preimage() {
	let mut chain = TestChain::new();
	let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
	let reason = RuntimeHoldReason::Htlc(pallet_htlc::HoldReason::SwapLock);

	let tx = chain.sign(Alice, lock_call(NativeOrWithId::Native, 50 * UNIT));
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(chain.execute_with(|| Balances::balance_on_hold(&reason, &alice)), 50 * UNIT);
	let bob_before = chain.execute_with(|| Balances::balance(&bob));

	// A wrong preimage fails in dispatch; the right one, submitted by Charlie, pays Bob.
	let wrong = chain.sign(Charlie, claim_call(0, b"guess"));
	let (results, _) = chain.produce_block(vec![wrong]);
	assert!(matches!(results[0], Ok(Err(_))));
	let right = chain.sign(Charlie, claim_call(0, SECRET));
	let (results, _) = chain.produce_block(vec![right]);
	assert_eq!(results, vec![Ok(Ok(()))]);

	assert_eq!(chain.execute_with(|| Balances::balance(&bob)), bob_before + 50 * UNIT);
	assert_eq!(chain.execute_with(|| Balances::balance_on_hold(&reason, &alice)), 0);
	// The preimage is published for the other chain's side of the swap.
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Htlc(pallet_htlc::Event::Claimed { swap_id: 0, preimage, .. })
			if preimage.as_slice() == SECRET
	)));
}

#[test]
fn asset_swap_is_locked_then_claimed() {
	let mut chain = TestChain::new();
	let id = 5u32;
	let alice = Alice.to_account_id();
	let txs = vec![
		chain.sign_with_nonce(Alice, create_asset(id, &alice), 0),
		chain.sign_with_nonce(Alice, mint_asset(id, &alice, 1_000), 1),
		chain.sign_with_nonce(Alice, lock_call(NativeOrWithId::WithId(id), 600), 2),
	];
	let (results, _) = chain.produce_block(txs);
	assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(())), Ok(Ok(()))]);
	assert_eq!(chain.execute_with(|| Assets::balance(id, &alice)), 400, "600 are on hold");

	let claim = chain.sign(Bob, claim_call(0, SECRET));
	let (results, _) = chain.produce_block(vec![claim]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	assert_eq!(chain.execute_with(|| Assets::balance(id, &Bob.to_account_id())), 600);
	assert_eq!(chain.execute_with(|| Assets::total_issuance(id)), 1_000);
}
