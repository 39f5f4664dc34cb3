//! Runtime integration tests of the bridge: two chains running this runtime, each with a GRANDPA
//! light client of the other. Headers are the chains' real block headers, justifications are
//! signed with the validators' GRANDPA keys, and messages cross as storage proofs of the source
//! chain's real state.

mod common;

use codec::Encode;
use common::TestChain;
use frame_support::traits::{fungible::NativeOrWithId, fungibles::Inspect as _};
use polkadot_sdk::{
	bp_header_chain::{justification::GrandpaJustification, InitializationData},
	bp_runtime::BasicOperatingMode,
	sp_consensus_grandpa::{self, ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID},
	sp_state_machine::prove_read,
	*,
};
use sp_keyring::{
	Ed25519Keyring,
	Sr25519Keyring::{self, Alice, Bob, Charlie, Dave},
};
use sp_runtime::{traits::Header as _, DigestItem, DispatchError};
use tpwallet_runtime::{Balances, Hash, Header, Runtime, RuntimeCall, UNIT};

const GENESIS_A: Hash = Hash::repeat_byte(0xa1);
const GENESIS_B: Hash = Hash::repeat_byte(0xb2);
/// The wrapped representation of the other chain's TPW.
const WRAPPED_TPW: u32 = 77;

fn sudo(call: RuntimeCall) -> RuntimeCall {
	pallet_sudo::Call::<Runtime>::sudo { call: Box::new(call) }.into()
}

/// Applies `call` signed by `signer` in a new block; returns its dispatch result and the header.
fn apply(
	chain: &mut TestChain,
	signer: Sr25519Keyring,
	call: RuntimeCall,
) -> (Result<(), DispatchError>, Header) {
	let extrinsic = chain.sign(signer, call);
	let (results, header) = chain.produce_block(vec![extrinsic]);
	let outcome = results.into_iter().next().expect("one result");
	let outcome = outcome.expect("the extrinsic is valid");
	(outcome, header)
}

fn ok(chain: &mut TestChain, signer: Sr25519Keyring, call: RuntimeCall) -> Header {
	let (outcome, header) = apply(chain, signer, call);
	assert_eq!(outcome, Ok(()));
	header
}

/// A GRANDPA justification of `header` in set `set_id`, with a precommit of each of `signers`.
fn justification(
	header: &Header,
	set_id: u64,
	signers: &[Ed25519Keyring],
) -> GrandpaJustification<Header> {
	let round = 1;
	let precommit = sp_consensus_grandpa::Precommit::<Header> {
		target_hash: header.hash(),
		target_number: *header.number(),
	};
	let message = sp_consensus_grandpa::Message::<Header>::Precommit(precommit.clone());
	let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
	let precommits = signers
		.iter()
		.map(|key| finality_grandpa::SignedPrecommit {
			precommit: precommit.clone(),
			signature: key.sign(&payload).into(),
			id: key.public().into(),
		})
		.collect();
	GrandpaJustification {
		round,
		commit: sp_consensus_grandpa::Commit::<Header> {
			target_hash: header.hash(),
			target_number: *header.number(),
			precommits,
		},
		votes_ancestries: vec![],
	}
}

fn initialize(header: &Header, authorities: &[Ed25519Keyring]) -> RuntimeCall {
	sudo(
		pallet_bridge_grandpa::Call::<Runtime>::initialize {
			init_data: InitializationData {
				header: Box::new(header.clone()),
				authority_list: authorities.iter().map(|k| (k.public().into(), 1)).collect(),
				set_id: 0,
				operating_mode: BasicOperatingMode::Normal,
			},
		}
		.into(),
	)
}

fn submit_header(
	header: &Header,
	justification: GrandpaJustification<Header>,
	current_set_id: u64,
) -> RuntimeCall {
	pallet_bridge_grandpa::Call::<Runtime>::submit_finality_proof_ex {
		finality_target: Box::new(header.clone()),
		justification,
		current_set_id,
		is_free_execution_expected: false,
	}
	.into()
}

/// A proof of `keys` in `chain`'s current state (the state its last header commits to).
fn prove(chain: &mut TestChain, keys: &[Vec<u8>], header: &Header) -> Vec<Vec<u8>> {
	chain.ext.commit_all().expect("commits");
	let backend = chain.ext.as_backend();
	assert_eq!(backend.root(), header.state_root(), "proof is against the header's state");
	prove_read(backend, keys).expect("proves").into_iter_nodes().collect()
}

/// The keys a delivery of message `nonce` to `destination` proves: the message, and the
/// source's lane to `destination` (its confirmations).
fn delivery_keys(destination: Hash, nonce: u64) -> [Vec<u8>; 2] {
	[
		pallet_bridge::OutboundMessages::<Runtime>::hashed_key_for(destination, nonce),
		pallet_bridge::OutboundLanes::<Runtime>::hashed_key_for(destination),
	]
}

fn deliver(source: Hash, destination: Hash, header: &Header, proof: Vec<Vec<u8>>) -> RuntimeCall {
	pallet_bridge::Call::<Runtime>::deliver_messages {
		bridged_header: header.hash(),
		lane: pallet_bridge::LaneId { source, destination },
		first: 1,
		last: 1,
		proof,
	}
	.into()
}

fn grandpa_error(error: pallet_bridge_grandpa::Error<Runtime>) -> Result<(), DispatchError> {
	Err(error.into())
}

#[test]
fn a_token_goes_to_the_other_chain_and_back_over_the_light_clients() {
	let mut a = TestChain::with_genesis_hash(GENESIS_A);
	let mut b = TestChain::with_genesis_hash(GENESIS_B);
	let (_, a1) = a.produce_block(vec![]);
	let (_, b1) = b.produce_block(vec![]);
	let limit = pallet_bridge::RateLimit { max_per_window: 1_000 * UNIT, window: 100 };

	// Governance on each chain: a light client of the other (its dev validator is Alice), the
	// bridged chain, TPW listed on A and wrapped on B.
	ok(&mut a, Alice, initialize(&b1, &[Ed25519Keyring::Alice]));
	ok(&mut b, Alice, initialize(&a1, &[Ed25519Keyring::Alice]));
	let bridged = |chain| sudo(pallet_bridge::Call::<Runtime>::set_bridged_chain { chain }.into());
	ok(&mut a, Alice, bridged(GENESIS_B));
	ok(&mut b, Alice, bridged(GENESIS_A));
	ok(
		&mut a,
		Alice,
		sudo(
			pallet_bridge::Call::<Runtime>::list_asset { asset: NativeOrWithId::Native, limit }
				.into(),
		),
	);
	ok(
		&mut b,
		Alice,
		sudo(
			pallet_bridge::Call::<Runtime>::register_wrapped {
				remote: NativeOrWithId::Native,
				local: NativeOrWithId::WithId(WRAPPED_TPW),
				min_balance: 1,
				limit,
			}
			.into(),
		),
	);

	// A: Bob locks 100 TPW for Dave on B.
	let transfer = pallet_bridge::Call::<Runtime>::transfer {
		asset: NativeOrWithId::Native,
		amount: 100 * UNIT,
		beneficiary: Dave.to_account_id(),
	};
	let a_sent = ok(&mut a, Bob, transfer.into());
	let proof = prove(&mut a, &delivery_keys(GENESIS_B, 1), &a_sent);

	// B: a forged justification (signed by a key outside A's set) is refused...
	let (outcome, _) = apply(
		&mut b,
		Charlie,
		submit_header(&a_sent, justification(&a_sent, 0, &[Ed25519Keyring::Bob]), 0),
	);
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidJustification));
	// ... and so is one signed for another authority set.
	let (outcome, _) = apply(
		&mut b,
		Charlie,
		submit_header(&a_sent, justification(&a_sent, 1, &[Ed25519Keyring::Alice]), 0),
	);
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidJustification));
	// Until the header is imported, its messages cannot be proven.
	let (outcome, _) =
		apply(&mut b, Charlie, deliver(GENESIS_A, GENESIS_B, &a_sent, proof.clone()));
	assert_eq!(outcome, Err(pallet_bridge::Error::<Runtime>::UnknownBridgedHeader.into()));

	// Charlie relays: A's header with its validator's justification, then the message.
	ok(
		&mut b,
		Charlie,
		submit_header(&a_sent, justification(&a_sent, 0, &[Ed25519Keyring::Alice]), 0),
	);
	ok(&mut b, Charlie, deliver(GENESIS_A, GENESIS_B, &a_sent, proof.clone()));
	let wrapped = |chain: &mut TestChain, who: Sr25519Keyring| {
		chain.execute_with(|| tpwallet_runtime::Assets::balance(WRAPPED_TPW, who.to_account_id()))
	};
	assert_eq!(wrapped(&mut b, Dave), 100 * UNIT);
	// The same delivery again is a replay.
	let (outcome, _) = apply(&mut b, Charlie, deliver(GENESIS_A, GENESIS_B, &a_sent, proof));
	assert_eq!(outcome, Err(pallet_bridge::Error::<Runtime>::MessageAlreadyDelivered.into()));

	// B: Dave sends 40 back to Charlie on A; A imports B's header and releases from the vault.
	let back = pallet_bridge::Call::<Runtime>::transfer {
		asset: NativeOrWithId::WithId(WRAPPED_TPW),
		amount: 40 * UNIT,
		beneficiary: Charlie.to_account_id(),
	};
	let b_sent = ok(&mut b, Dave, back.into());
	let proof = prove(&mut b, &delivery_keys(GENESIS_A, 1), &b_sent);
	let receipt_proof =
		prove(&mut b, &[pallet_bridge::InboundLanes::<Runtime>::hashed_key().to_vec()], &b_sent);
	let charlie_before = a.execute_with(|| Balances::free_balance(Charlie.to_account_id()));
	ok(
		&mut a,
		Alice,
		submit_header(&b_sent, justification(&b_sent, 0, &[Ed25519Keyring::Alice]), 0),
	);
	ok(&mut a, Alice, deliver(GENESIS_B, GENESIS_A, &b_sent, proof));
	let charlie_after = a.execute_with(|| Balances::free_balance(Charlie.to_account_id()));
	assert_eq!(charlie_after - charlie_before, 40 * UNIT);
	let vault =
		a.execute_with(|| Balances::free_balance(pallet_bridge::Pallet::<Runtime>::vault()));
	assert_eq!(vault, 60 * UNIT);
	assert_eq!(b.execute_with(|| tpwallet_runtime::Assets::total_issuance(WRAPPED_TPW)), 60 * UNIT);

	// The receipt: B received A's message 1, so A drops it.
	let confirm = pallet_bridge::Call::<Runtime>::confirm_delivery {
		bridged_header: b_sent.hash(),
		proof: receipt_proof,
	};
	ok(&mut a, Alice, confirm.into());
	a.execute_with(|| {
		assert!(pallet_bridge::OutboundMessages::<Runtime>::get(GENESIS_B, 1).is_none());
		assert_eq!(
			pallet_bridge::OutboundLanes::<Runtime>::get(GENESIS_B).map(|l| l.latest_confirmed),
			Some(1)
		);
	});
}

/// A header of the synthetic bridged chain, child of `parent`, with `digest` logs.
fn child(parent: &Header, logs: Vec<DigestItem>) -> Header {
	Header::new(
		parent.number() + 1,
		Default::default(),
		Hash::repeat_byte(*parent.number() as u8),
		parent.hash(),
		sp_runtime::Digest { logs },
	)
}

fn scheduled_change(next: &[Ed25519Keyring]) -> DigestItem {
	let change = ScheduledChange {
		next_authorities: next.iter().map(|k| (k.public().into(), 1)).collect(),
		delay: 0u32,
	};
	DigestItem::Consensus(GRANDPA_ENGINE_ID, ConsensusLog::ScheduledChange(change).encode())
}

#[test]
fn the_light_client_needs_two_thirds_and_follows_authority_set_changes() {
	use Ed25519Keyring::{Alice as A, Bob as B, Charlie as C, Dave as D, Eve as E, Ferdie as F};
	let mut chain = TestChain::new();
	chain.produce_block(vec![]);
	let genesis = Header::new(
		100,
		Default::default(),
		Hash::repeat_byte(1),
		Hash::default(),
		Default::default(),
	);
	ok(&mut chain, Alice, initialize(&genesis, &[A, B, C, D]));

	// Four authorities: a justification needs three of them.
	let h1 = child(&genesis, vec![]);
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h1, justification(&h1, 0, &[A, B]), 0));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidJustification));
	// More votes than needed are refused too: relayers submit optimized justifications.
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h1, justification(&h1, 0, &[A, B, C, D]), 0));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidJustification));
	ok(&mut chain, Charlie, submit_header(&h1, justification(&h1, 0, &[A, B, C]), 0));

	// h2 enacts a new set (Eve, Ferdie, One, Two), signed by the old one.
	let next = [E, F, Ed25519Keyring::One, Ed25519Keyring::Two];
	let h2 = child(&h1, vec![scheduled_change(&next)]);
	ok(&mut chain, Charlie, submit_header(&h2, justification(&h2, 0, &[B, C, D]), 0));
	chain.execute_with(|| {
		let set = pallet_bridge_grandpa::CurrentAuthoritySet::<Runtime>::get();
		assert_eq!(set.set_id, 1);
		assert_eq!(set.authorities.len(), 4);
		assert!(set.authorities.iter().any(|(id, _)| *id == E.public().into()));
	});

	// The old set no longer finalizes anything.
	let h3 = child(&h2, vec![]);
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h3, justification(&h3, 0, &[A, B, C]), 0));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidAuthoritySetId));
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h3, justification(&h3, 1, &[A, B, C]), 1));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::InvalidJustification));
	ok(
		&mut chain,
		Charlie,
		submit_header(&h3, justification(&h3, 1, &[E, F, Ed25519Keyring::One]), 1),
	);

	// An older header, and a forced change, are refused.
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h1, justification(&h1, 1, &next), 1));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::OldHeader));
	let forced = ConsensusLog::ForcedChange(
		0u32,
		ScheduledChange { next_authorities: vec![(A.public().into(), 1)], delay: 0u32 },
	);
	let h4 = child(&h3, vec![DigestItem::Consensus(GRANDPA_ENGINE_ID, forced.encode())]);
	let (outcome, _) =
		apply(&mut chain, Charlie, submit_header(&h4, justification(&h4, 1, &next[..3]), 1));
	assert_eq!(outcome, grandpa_error(pallet_bridge_grandpa::Error::UnsupportedScheduledChange));
}

/// Deliveries and receipts are charged for their proof's bytes (the generated per-byte weight),
/// up to `MaxProofSize`, beyond which the call fails before reading the proof.
#[test]
fn a_larger_proof_weighs_more_up_to_the_cap() {
	use frame_support::dispatch::GetDispatchInfo;
	let cap = 256 * 1024;
	let deliver = |bytes: usize| {
		RuntimeCall::Bridge(pallet_bridge::Call::deliver_messages {
			bridged_header: Hash::zero(),
			lane: pallet_bridge::LaneId { source: GENESIS_A, destination: GENESIS_B },
			first: 1,
			last: 1,
			proof: vec![vec![0; bytes]],
		})
		.get_dispatch_info()
		.call_weight
	};
	let confirm = |bytes: usize| {
		RuntimeCall::Bridge(pallet_bridge::Call::confirm_delivery {
			bridged_header: Hash::zero(),
			proof: vec![vec![0; bytes / 2], vec![0; bytes - bytes / 2]],
		})
		.get_dispatch_info()
		.call_weight
	};
	for weight in [deliver, confirm] {
		let (small, large) = (weight(1_000), weight(100_000));
		assert!(large.ref_time() > small.ref_time(), "{small:?} vs {large:?}");
		assert!(weight(cap).ref_time() > large.ref_time());
		assert_eq!(weight(cap), weight(4 * cap), "capped at MaxProofSize");
	}
}
