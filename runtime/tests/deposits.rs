//! Runtime integration tests of storage deposits: the runtime's prices, in real blocks.

mod common;

use common::TestChain;
use frame_support::traits::{
	fungible::{InspectHold as _, NativeOrWithId},
	Get,
};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::MultiAddress;
use tpwallet_runtime::{
	configs::{StorageDepositBase, StorageDepositPerByte},
	Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, MILLI_UNIT, MINUTES, UNIT,
};

fn swap_deposit_held(chain: &mut TestChain) -> u128 {
	let reason = RuntimeHoldReason::Htlc(pallet_htlc::HoldReason::StorageDeposit);
	chain.execute_with(|| Balances::balance_on_hold(&reason, &Alice.to_account_id()))
}

fn lock(chain: &mut TestChain) -> u128 {
	let call: RuntimeCall = pallet_htlc::Call::<Runtime>::lock {
		recipient: MultiAddress::Id(Bob.to_account_id()),
		asset: NativeOrWithId::Native,
		amount: UNIT,
		hash_lock: [7; 32],
		hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
		duration: 20 * MINUTES,
	}
	.into();
	let tx = chain.sign(Alice, call);
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	chain
		.events()
		.into_iter()
		.find_map(|event| match event {
			RuntimeEvent::Htlc(pallet_htlc::Event::Locked { deposit, .. }) => Some(deposit),
			_ => None,
		})
		.expect("Locked")
}

#[test]
fn default_prices_are_a_hundredth_of_a_tpw_per_item_and_a_ten_thousandth_per_byte() {
	let mut chain = TestChain::new();
	chain.execute_with(|| {
		assert_eq!(StorageDepositBase::get(), 10 * MILLI_UNIT);
		assert_eq!(StorageDepositPerByte::get(), MILLI_UNIT / 10);
	});
	// A swap between two 32-byte accounts: about 0.029 TPW (the README's table).
	let deposit = lock(&mut chain);
	assert!((25 * MILLI_UNIT..35 * MILLI_UNIT).contains(&deposit), "swap deposit {deposit}");
	assert_eq!(swap_deposit_held(&mut chain), deposit);
}

#[test]
fn a_channel_holds_about_a_fifth_of_a_tpw_until_it_settles() {
	let mut chain = TestChain::new();
	let open: RuntimeCall = pallet_payment_channels::Call::<Runtime>::open {
		counterparty: MultiAddress::Id(Bob.to_account_id()),
		asset: NativeOrWithId::Native,
		deposit: 10 * UNIT,
	}
	.into();
	let tx = chain.sign(Alice, open);
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	let deposit = chain
		.events()
		.into_iter()
		.find_map(|event| match event {
			RuntimeEvent::PaymentChannels(pallet_payment_channels::Event::ChannelOpened {
				storage_deposit,
				..
			}) => Some(storage_deposit),
			_ => None,
		})
		.expect("ChannelOpened");
	assert!((150 * MILLI_UNIT..300 * MILLI_UNIT).contains(&deposit), "channel deposit {deposit}");
	let reason =
		RuntimeHoldReason::PaymentChannels(pallet_payment_channels::HoldReason::StorageDeposit);
	assert_eq!(
		chain.execute_with(|| Balances::balance_on_hold(&reason, &Alice.to_account_id())),
		deposit
	);
}

#[test]
fn governance_reprices_new_items_and_open_ones_keep_what_they_held() {
	let mut chain = TestChain::new();
	let first = lock(&mut chain);
	let set: RuntimeCall = pallet_parameters::Call::<Runtime>::set_parameter {
		key_value: tpwallet_runtime::configs::RuntimeParameters::Storage(
			tpwallet_runtime::configs::dynamic_params::storage::Parameters::DepositBase(
				tpwallet_runtime::configs::dynamic_params::storage::DepositBase,
				Some(UNIT),
			),
		),
	}
	.into();
	let sudo: RuntimeCall = pallet_sudo::Call::<Runtime>::sudo { call: Box::new(set) }.into();
	let tx = chain.sign(Alice, sudo);
	let (results, _) = chain.produce_block(vec![tx]);
	assert_eq!(results, vec![Ok(Ok(()))]);
	let second = lock(&mut chain);
	assert_eq!(second, first - 10 * MILLI_UNIT + UNIT, "the new base applies to the new swap");
	assert_eq!(swap_deposit_held(&mut chain), first + second);

	// Out of bounds, a price is read as the nearest bound (10 TPW at most per item).
	let set: RuntimeCall = pallet_parameters::Call::<Runtime>::set_parameter {
		key_value: tpwallet_runtime::configs::RuntimeParameters::Storage(
			tpwallet_runtime::configs::dynamic_params::storage::Parameters::DepositBase(
				tpwallet_runtime::configs::dynamic_params::storage::DepositBase,
				Some(1_000_000 * UNIT),
			),
		),
	}
	.into();
	let sudo: RuntimeCall = pallet_sudo::Call::<Runtime>::sudo { call: Box::new(set) }.into();
	let tx = chain.sign(Alice, sudo);
	chain.produce_block(vec![tx]);
	chain.execute_with(|| assert_eq!(StorageDepositBase::get(), 10 * UNIT));
}
