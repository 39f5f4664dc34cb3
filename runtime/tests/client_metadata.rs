//! The off-chain tools' metadata-driven encoding and decoding (`tpw_client`, which does not link
//! the runtime) against the runtime's own: every call they build encodes to the bytes of the
//! runtime's `RuntimeCall`, a signed extrinsic passes the runtime's signature check, events and
//! errors decode by name, and storage keys are the pallets'.

use codec::{Decode, Encode};
use polkadot_sdk::{
	frame_support::traits::fungible::NativeOrWithId,
	frame_system,
	sp_core::H256,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{traits::Checkable, DispatchError, ModuleError},
};
use tpw_client::{
	bridge,
	call::Call,
	chain::calls,
	events,
	keys::Keys,
	runtime::{find_in, ExtrinsicEvents, RuntimeAt},
	storage, swap, Condition, Direction, SignedState, State,
};
use tpwallet_runtime::{
	configs::{dynamic_params, RuntimeParameters},
	pallet_assets, pallet_bridge_grandpa, pallet_grandpa, pallet_parameters, pallet_sudo,
	pallet_utility, Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic, VERSION,
};

const GENESIS: H256 = H256::repeat_byte(7);

fn runtime() -> RuntimeAt {
	let metadata = Runtime::metadata_at_version(15).expect("metadata V15");
	let metadata = subxt::Metadata::decode(&mut &metadata[..]).expect("decodes");
	RuntimeAt::new(GENESIS, VERSION.spec_version, VERSION.transaction_version, metadata.into())
}

fn alice() -> Keys {
	Keys::from_pair(Sr25519Keyring::Alice.pair())
}

fn bob() -> tpw_client::AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

/// `ours` encodes, with the metadata, to the runtime's encoding of `theirs`.
fn same(ours: Call, theirs: impl Into<RuntimeCall>) {
	let what = format!("{}.{}", ours.pallet(), ours.function());
	let encoded = runtime().encode_call(&ours).unwrap_or_else(|e| panic!("{what}: {e:#}"));
	assert_eq!(encoded, theirs.into().encode(), "{what}");
}

fn state() -> State {
	State {
		channel: 3,
		nonce: 4,
		balances: (10, 20),
		deposits: (15, 15),
		pending: (0, 0),
		conditions_root: [1; 32],
	}
}

fn signed() -> SignedState {
	let sig = alice().sign(b"x");
	SignedState { state: state(), sig_a: sig.clone(), sig_b: sig }
}

#[test]
fn channel_calls_encode_as_the_runtimes() {
	type C = pallet_payment_channels::Call<Runtime>;
	same(
		calls::open(bob(), NativeOrWithId::WithId(5), 1_000),
		C::open { counterparty: bob().into(), asset: NativeOrWithId::WithId(5), deposit: 1_000 },
	);
	same(calls::top_up(3, 9), C::top_up { channel: 3, amount: 9 });
	same(calls::settle(3), C::settle { channel: 3 });
	same(calls::close(3, None), C::close { channel: 3, state: None });
	let signed = signed();
	same(
		calls::close(3, Some(signed.clone())),
		C::close { channel: 3, state: Some(signed.clone()) },
	);
	same(calls::challenge(3, signed.clone()), C::challenge { channel: 3, newer: signed });
	let sig = alice().sign(b"y");
	same(
		calls::cooperative_close(3, state(), sig.clone(), sig.clone()),
		C::cooperative_close { channel: 3, final_state: state(), sig_a: sig.clone(), sig_b: sig },
	);
	let condition =
		Condition { direction: Direction::AToB, amount: 5, hash_lock: [2; 32], expiry: 100 };
	let conditions = vec![condition.clone(), Condition { amount: 6, ..condition.clone() }];
	let (proof, leaf_index, leaf_count) = tpw_client::conditions::proof(&conditions, 0).unwrap();
	same(
		calls::resolve(3, &conditions, 0, vec![9; 32]).unwrap(),
		C::resolve_conditional {
			channel: 3,
			payment: condition,
			proof: proof.try_into().unwrap(),
			leaf_index,
			leaf_count,
			preimage: vec![9; 32].try_into().unwrap(),
		},
	);
}

#[test]
fn nested_and_parameter_calls_encode_as_the_runtimes() {
	use dynamic_params::{htlc, payment_channels};
	let set = |key_value| {
		let call = RuntimeCall::Parameters(pallet_parameters::Call::set_parameter { key_value });
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
	};
	same(
		calls::dev_challenge_period(20),
		set(RuntimeParameters::PaymentChannels(payment_channels::Parameters::ChallengePeriod(
			payment_channels::ChallengePeriod,
			Some(20),
		))),
	);
	same(
		calls::dev_htlc_min_lock(4),
		set(RuntimeParameters::Htlc(htlc::Parameters::MinLockDuration(
			htlc::MinLockDuration,
			Some(4),
		))),
	);
	let batch = Call::new("Utility", "batch_all").calls_arg("calls", vec![calls::settle(1)]);
	same(
		batch,
		pallet_utility::Call::batch_all {
			calls: vec![pallet_payment_channels::Call::settle { channel: 1 }.into()],
		},
	);
}

#[test]
fn swap_and_bridge_calls_encode_as_the_runtimes() {
	type H = pallet_htlc::Call<Runtime>;
	use pallet_htlc::HashAlgorithm;
	same(
		swap::calls::lock(bob(), NativeOrWithId::Native, 7, [3; 32], HashAlgorithm::Sha256, 50),
		H::lock {
			recipient: bob().into(),
			asset: NativeOrWithId::Native,
			amount: 7,
			hash_lock: [3; 32],
			hash_algorithm: HashAlgorithm::Sha256,
			duration: 50,
		},
	);
	same(
		swap::calls::claim(4, vec![1; 32]),
		H::claim { swap_id: 4, preimage: vec![1; 32].try_into().unwrap() },
	);
	same(swap::calls::refund(4), H::refund { swap_id: 4 });
	same(
		bridge::transfer_call(NativeOrWithId::WithId(2), 8, bob()),
		pallet_bridge::Call::<Runtime>::transfer {
			asset: NativeOrWithId::WithId(2),
			amount: 8,
			beneficiary: bob(),
		},
	);
}

#[test]
fn a_misnamed_call_or_argument_is_refused() {
	let runtime = runtime();
	assert!(runtime.encode_call(&Call::new("PaymentChannels", "no_such_call")).is_err());
	assert!(runtime
		.encode_call(&Call::new("NoSuchPallet", "settle").arg("channel", 1u64))
		.is_err());
	assert!(runtime
		.encode_call(&Call::new("PaymentChannels", "settle").arg("chanel", 1u64))
		.is_err());
	assert!(runtime.encode_call(&Call::new("PaymentChannels", "settle")).is_err());
}

#[test]
fn signed_extrinsics_pass_the_runtimes_signature_check() {
	let (era_number, era_hash) = (40u32, H256::repeat_byte(9));
	let bytes = runtime().sign(&calls::settle(3), &alice(), 5, 64, (era_number, era_hash)).unwrap();
	let ext = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("the runtime's extrinsic");
	TestExternalities::new_empty().execute_with(|| {
		frame_system::BlockHash::<Runtime>::insert(0, GENESIS);
		frame_system::BlockHash::<Runtime>::insert(era_number, era_hash);
		frame_system::Pallet::<Runtime>::set_block_number(era_number + 1);
		let checked = Checkable::check(ext, &frame_system::ChainContext::<Runtime>::default())
			.expect("the signature covers the runtime's payload");
		assert_eq!(checked.function, pallet_payment_channels::Call::settle { channel: 3 }.into());
	});
	// Signed for another genesis, the same extrinsic fails the check.
	let other = RuntimeAt::new(
		H256::repeat_byte(8),
		VERSION.spec_version,
		VERSION.transaction_version,
		runtime().metadata,
	);
	let bytes = other.sign(&calls::settle(3), &alice(), 5, 64, (era_number, era_hash)).unwrap();
	let ext = UncheckedExtrinsic::decode(&mut &bytes[..]).unwrap();
	TestExternalities::new_empty().execute_with(|| {
		frame_system::BlockHash::<Runtime>::insert(0, GENESIS);
		frame_system::BlockHash::<Runtime>::insert(era_number, era_hash);
		frame_system::Pallet::<Runtime>::set_block_number(era_number + 1);
		assert!(Checkable::check(ext, &frame_system::ChainContext::<Runtime>::default()).is_err());
	});
}

#[test]
fn events_and_errors_decode_by_name() {
	use frame_system::{EventRecord, Phase};
	let record = |index, event: RuntimeEvent| EventRecord::<RuntimeEvent, H256> {
		phase: Phase::ApplyExtrinsic(index),
		event,
		topics: vec![],
	};
	let locked = pallet_htlc::Event::<Runtime>::Locked {
		swap_id: 9,
		sender: bob(),
		recipient: bob(),
		asset: NativeOrWithId::Native,
		amount: 1,
		hash_lock: [0; 32],
		hash_algorithm: pallet_htlc::HashAlgorithm::Sha256,
		expires_at: 77,
		deposit: 3,
	};
	let claimed = pallet_htlc::Event::<Runtime>::Claimed {
		swap_id: 9,
		recipient: bob(),
		amount: 1,
		preimage: vec![5; 32].try_into().unwrap(),
	};
	let records = vec![
		record(0, RuntimeEvent::Htlc(claimed)),
		record(1, RuntimeEvent::Htlc(locked)),
		record(1, RuntimeEvent::System(frame_system::Event::NewAccount { account: bob() })),
	];
	let runtime = runtime();
	let events = runtime.events(records.encode()).unwrap();
	let claims = find_in::<events::Claimed>(&events, None).unwrap();
	assert_eq!((claims.len(), claims[0].swap_id, claims[0].preimage.clone()), (1, 9, vec![5; 32]));
	let of_one = ExtrinsicEvents::new(events, 1);
	let locked = of_one.expect::<events::Locked>("Htlc::Locked").unwrap();
	assert_eq!((locked.swap_id, locked.expires_at, locked.deposit), (9, 77, 3));
	assert!(of_one.find::<events::Claimed>().unwrap().is_empty(), "extrinsic 0's event");
	assert!(of_one.expect::<events::ChannelOpened>("ChannelOpened").is_err());

	let error = |e: DispatchError| runtime.describe_error(&e.encode());
	let module = |pallet: u8, error: u8| {
		DispatchError::Module(ModuleError { index: pallet, error: [error, 0, 0, 0], message: None })
	};
	let index = |name| runtime.metadata.pallet_by_name(name).unwrap().call_index();
	let htlc = pallet_htlc::Error::<Runtime>::SwapNotExpired.encode()[0];
	assert_eq!(error(module(index("Htlc"), htlc)), "Htlc::SwapNotExpired");
	let stale = pallet_payment_channels::Error::<Runtime>::StaleState.encode()[0];
	assert_eq!(error(module(index("PaymentChannels"), stale)), "PaymentChannels::StaleState");
	assert_eq!(error(DispatchError::BadOrigin), "BadOrigin");
}

#[test]
fn storage_keys_are_the_pallets() {
	let chain = H256::repeat_byte(4);
	let account = bob();
	assert_eq!(
		storage::map_blake2("Htlc", "Swaps", &5u64),
		pallet_htlc::Swaps::<Runtime>::hashed_key_for(5u64)
	);
	assert_eq!(
		storage::double_map_blake2("Assets", "Account", &7u32, &account),
		pallet_assets::Account::<Runtime>::hashed_key_for(7u32, &account)
	);
	assert_eq!(
		storage::map_blake2("System", "Account", &account),
		frame_system::Account::<Runtime>::hashed_key_for(&account)
	);
	use polkadot_sdk::sp_io::hashing::twox_128;
	assert_eq!(
		storage::value("System", "Events"),
		[twox_128(b"System"), twox_128(b"Events")].concat()
	);
	assert_eq!(
		bridge::outbound_message_key(chain, 3),
		pallet_bridge::OutboundMessages::<Runtime>::hashed_key_for(chain, 3)
	);
	assert_eq!(bridge::inbound_lane_key(), pallet_bridge::InboundLanes::<Runtime>::hashed_key());
	use polkadot_sdk::frame_support::storage::StoragePrefixedMap;
	assert_eq!(
		storage::prefix("Bridge", "WrappedAssets"),
		pallet_bridge::WrappedAssets::<Runtime>::final_prefix()
	);
	assert_eq!(
		storage::prefix("Bridge", "ListedAssets"),
		pallet_bridge::ListedAssets::<Runtime>::final_prefix()
	);
	assert_eq!(
		storage::value("BridgeGrandpa", "CurrentAuthoritySet"),
		pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime>::hashed_key()
	);
	assert_eq!(
		storage::value("Grandpa", "Authorities"),
		pallet_grandpa::Authorities::<Runtime>::hashed_key()
	);
	assert_eq!(tpwallet_primitives::bridge_vault(), tpwallet_runtime::Bridge::vault());
}

#[test]
fn constants_come_from_the_metadata() {
	let max: u32 = runtime().constant("Bridge", "MaxMessagesPerDelivery").unwrap();
	use polkadot_sdk::frame_support::traits::Get;
	let theirs: u32 = <Runtime as pallet_bridge::Config>::MaxMessagesPerDelivery::get();
	assert_eq!(max, theirs);
	assert!(runtime().constant::<u32>("Bridge", "NoSuchConstant").is_err());
}
