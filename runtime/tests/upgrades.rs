//! What keeps upgrades routine: governance parameters in `pallet-parameters`, with bounds and
//! events, read by the pallets at once; the runtime's migrations.
//!
//! Audit finding: the HTLC minimum lock and the channel challenge period were raw
//! `twox128(":Name:")` storage items set with `system.setStorage`, with no bounds and no event,
//! and posed as metadata constants whose value went stale.

mod common;

use common::TestChain;
use frame_support::traits::{fungible::NativeOrWithId, Get};
use polkadot_sdk::*;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::{traits::Dispatchable, DispatchError, MultiAddress};
use tpwallet_runtime::{
	configs::{
		dynamic_params::{htlc, payment_channels},
		ChannelChallengePeriod, HtlcMinLockDuration, RuntimeParameters, RuntimeParametersKey,
		RuntimeParametersValue,
	},
	Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, DAYS, MINUTES, UNIT,
};

fn set_min_lock(blocks: u32) -> RuntimeCall {
	pallet_parameters::Call::<Runtime>::set_parameter {
		key_value: RuntimeParameters::Htlc(htlc::Parameters::MinLockDuration(
			htlc::MinLockDuration,
			Some(blocks),
		)),
	}
	.into()
}

fn set_challenge_period(blocks: u32) -> RuntimeCall {
	pallet_parameters::Call::<Runtime>::set_parameter {
		key_value: RuntimeParameters::PaymentChannels(
			payment_channels::Parameters::ChallengePeriod(
				payment_channels::ChallengePeriod,
				Some(blocks),
			),
		),
	}
	.into()
}

fn sudo(call: RuntimeCall) -> RuntimeCall {
	pallet_sudo::Call::<Runtime>::sudo { call: Box::new(call) }.into()
}

fn lock(duration: u32) -> RuntimeCall {
	pallet_htlc::Call::<Runtime>::lock {
		recipient: MultiAddress::Id(Bob.to_account_id()),
		asset: NativeOrWithId::Native,
		amount: UNIT,
		hash_lock: [1; 32],
		hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
		duration,
	}
	.into()
}

#[test]
fn governance_changes_a_parameter_with_an_event_and_the_pallet_uses_it_at_once() {
	let mut chain = TestChain::new();
	chain.execute_with(|| {
		assert_eq!(HtlcMinLockDuration::get(), 10 * MINUTES);
		assert_eq!(ChannelChallengePeriod::get(), DAYS);
	});

	// A 5-block lock is under the 10-minute default.
	let short = chain.sign(Alice, lock(5));
	let (results, _) = chain.produce_block(vec![short]);
	assert_eq!(results[0], Ok(Err(pallet_htlc::Error::<Runtime>::DurationTooShort.into())));

	// Governance (sudo on the dev chain) shortens it; the event says what changed.
	let set = chain.sign(Alice, sudo(set_min_lock(5)));
	let (results, _) = chain.produce_block(vec![set]);
	assert_eq!(results[0], Ok(Ok(())));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Parameters(pallet_parameters::Event::Updated {
			key: RuntimeParametersKey::Htlc(htlc::ParametersKey::MinLockDuration(_)),
			old_value: None,
			new_value: Some(RuntimeParametersValue::Htlc(htlc::ParametersValue::MinLockDuration(
				5
			))),
		})
	)));
	chain.execute_with(|| assert_eq!(HtlcMinLockDuration::get(), 5));
	let short = chain.sign(Alice, lock(5));
	let (results, _) = chain.produce_block(vec![short]);
	assert_eq!(results[0], Ok(Ok(())));
}

#[test]
fn only_governance_sets_parameters_and_values_are_read_within_bounds() {
	let mut chain = TestChain::new();
	chain.execute_with(|| {
		let bob = RuntimeOrigin::signed(Bob.to_account_id());
		assert_eq!(
			set_min_lock(5).dispatch(bob).map_err(|e| e.error),
			Err(DispatchError::BadOrigin)
		);
		assert_eq!(HtlcMinLockDuration::get(), 10 * MINUTES);

		// Out of bounds acts as the nearest bound: a zero period would let a close settle at
		// once, a century would lock funds for good.
		for (set, read) in [(0, 1), (100 * DAYS, 30 * DAYS), (7, 7)] {
			set_challenge_period(set).dispatch(RuntimeOrigin::root()).expect("root sets");
			assert_eq!(ChannelChallengePeriod::get(), read);
			set_min_lock(set).dispatch(RuntimeOrigin::root()).expect("root sets");
			assert_eq!(HtlcMinLockDuration::get(), read);
		}
	});
}

#[test]
fn the_runtime_migrations_record_this_chain_where_it_is_missing() {
	use frame_support::traits::OnRuntimeUpgrade;
	let mut chain = TestChain::new();
	chain.produce_block(vec![]);
	chain.execute_with(|| {
		let genesis = tpwallet_runtime::System::block_hash(0);
		assert_eq!(pallet_bridge::ThisChain::<Runtime>::get(), Some(genesis), "block 1 records it");
		// A chain that gained the bridge after block 1 has none; the upgrade records it.
		pallet_bridge::ThisChain::<Runtime>::kill();
		<tpwallet_runtime::Migrations as OnRuntimeUpgrade>::on_runtime_upgrade();
		assert_eq!(pallet_bridge::ThisChain::<Runtime>::get(), Some(genesis));
	});
}
