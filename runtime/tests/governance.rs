//! Governance and validator operations on the `local_testnet` genesis (no sudo key): council
//! motions, the technical committee's brake, the compliance officers, validators joining
//! through a motion and rotating keys, and GRANDPA and Aura equivocation reports.

mod common;

use codec::Encode;
use common::TestChain;
use frame_support::{dispatch::GetDispatchInfo, traits::Get};
use polkadot_sdk::*;
use sp_core::{crypto::Pair as _, H256};
use sp_keyring::{
	Ed25519Keyring,
	Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve},
};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	DispatchError, MultiAddress,
};
use tpwallet_runtime::{
	configs::{RuntimeParameters, SessionLength},
	AccountId, Runtime, RuntimeCall, RuntimeEvent, SessionKeys,
};

type CouncilError = pallet_collective::Error<Runtime, pallet_collective::Instance1>;

/// What the council's `Executed` event of the last block reports for the motion `hash`, if it
/// ran.
fn executed(chain: &mut TestChain, hash: H256) -> Option<Result<(), DispatchError>> {
	chain.events().into_iter().find_map(|event| match event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
			if proposal_hash == hash =>
		{
			Some(result)
		}
		_ => None,
	})
}

/// Proposes `call` to the council with `threshold` ayes needed; returns its hash and index.
fn propose(
	chain: &mut TestChain,
	who: Sr25519Keyring,
	call: RuntimeCall,
	threshold: u32,
) -> Result<(H256, u32), DispatchError> {
	let length_bound = call.encoded_size() as u32;
	let hash = BlakeTwo256::hash_of(&call);
	let index = chain.execute_with(|| {
		pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get()
	});
	let propose = pallet_collective::Call::<Runtime, pallet_collective::Instance1>::propose {
		threshold,
		proposal: Box::new(call),
		length_bound,
	};
	apply(chain, who, propose.into())?;
	Ok((hash, index))
}

/// Applies one signed call in its own block; returns its dispatch result. A block that starts a
/// session is full (`pallet-session` declares a whole block for the rotation), so the call
/// waits for the next one, as it would in the transaction pool.
fn apply(
	chain: &mut TestChain,
	who: Sr25519Keyring,
	call: RuntimeCall,
) -> Result<(), DispatchError> {
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
	for _ in 0..2 {
		let xt = chain.sign(who, call.clone());
		let (results, _) = chain.produce_block(vec![xt]);
		match results[0].clone() {
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
				continue
			}
			result => return result.unwrap_or_else(|e| panic!("{call:?} is valid: {e:?}")),
		}
	}
	panic!("{call:?} fits in no block")
}

fn vote(chain: &mut TestChain, who: Sr25519Keyring, hash: H256, index: u32, approve: bool) {
	let call = pallet_collective::Call::<Runtime, pallet_collective::Instance1>::vote {
		proposal: hash,
		index,
		approve,
	};
	apply(chain, who, call.into()).expect("a member votes");
}

fn close(
	chain: &mut TestChain,
	who: Sr25519Keyring,
	hash: H256,
	index: u32,
	call: &RuntimeCall,
) -> Result<(), DispatchError> {
	let close = pallet_collective::Call::<Runtime, pallet_collective::Instance1>::close {
		proposal_hash: hash,
		index,
		proposal_weight_bound: call.get_dispatch_info().call_weight,
		length_bound: call.encoded_size() as u32,
	};
	apply(chain, who, close.into())
}

/// Passes `call` through the council with Alice's and Bob's ayes (2 of 3) and returns the
/// result the council's `Executed` event reports.
fn council_enacts(chain: &mut TestChain, call: RuntimeCall) -> Result<(), DispatchError> {
	let (hash, index) = propose(chain, Alice, call.clone(), 2).expect("a member proposes");
	vote(chain, Alice, hash, index, true);
	vote(chain, Bob, hash, index, true);
	close(chain, Charlie, hash, index, &call).expect("anyone closes an approved motion");
	executed(chain, hash).expect("the motion was executed")
}

fn session_length(blocks: u32) -> RuntimeCall {
	pallet_parameters::Call::<Runtime>::set_parameter {
		key_value: RuntimeParameters::Validators(
			tpwallet_runtime::configs::dynamic_params::validators::Parameters::SessionLength(
				tpwallet_runtime::configs::dynamic_params::validators::SessionLength,
				Some(blocks),
			),
		),
	}
	.into()
}

fn add_validator(who: &AccountId) -> RuntimeCall {
	pallet_validator_set::Call::<Runtime>::add_validator { who: MultiAddress::Id(who.clone()) }
		.into()
}

/// `who`'s session keys, generated in the chain's keystore from its development seed, and the
/// proof that they are `owner`'s.
fn session_keys(
	chain: &mut TestChain,
	who: Sr25519Keyring,
	owner: &AccountId,
) -> (SessionKeys, Vec<u8>) {
	chain.ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	let seed = format!("//{}", who).into_bytes();
	chain.execute_with(|| {
		let generated = SessionKeys::generate(&owner.encode(), Some(seed));
		(generated.keys, generated.proof.encode())
	})
}

fn set_keys(keys: SessionKeys, proof: Vec<u8>) -> RuntimeCall {
	pallet_session::Call::<Runtime>::set_keys { keys, proof }.into()
}

/// Produces blocks until the session index is `index`.
fn run_to_session(chain: &mut TestChain, index: u32) {
	for _ in 0..1_000 {
		if chain.execute_with(pallet_session::CurrentIndex::<Runtime>::get) >= index {
			return;
		}
		chain.produce_block(vec![]);
	}
	panic!("session {index} never started");
}

fn aura_authorities(chain: &mut TestChain) -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	chain.execute_with(|| pallet_aura::Authorities::<Runtime>::get().into_inner())
}

#[test]
fn the_local_chain_has_no_sudo_key_and_is_governed_by_its_council() {
	let mut chain = TestChain::local();
	chain.execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
			3
		);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance2>::get().len(),
			2
		);
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 3);
		assert_eq!(pallet_validator_set::Validators::<Runtime>::get().len(), 3);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 3);
	});
	assert_eq!(aura_authorities(&mut chain).len(), 3);
	// Without sudo, root-only calls have no way in but a motion.
	let sudo = pallet_sudo::Call::<Runtime>::sudo { call: Box::new(session_length(10)) };
	assert_eq!(
		apply(&mut chain, Alice, sudo.into()),
		Err(pallet_sudo::Error::<Runtime>::RequireSudo.into())
	);
}

#[test]
fn two_thirds_of_the_council_set_a_parameter_and_a_lone_member_cannot() {
	let mut chain = TestChain::local();
	assert_eq!(council_enacts(&mut chain, session_length(20)), Ok(()));
	assert_eq!(chain.execute_with(SessionLength::get), 20);

	// A motion that passes with one aye carries a one-of-three origin: refused.
	let (hash, _) = propose(&mut chain, Alice, session_length(30), 1).expect("proposed");
	let result = executed(&mut chain, hash);
	assert_eq!(result.expect("executed at once"), Err(DispatchError::BadOrigin));
	assert_eq!(chain.execute_with(SessionLength::get), 20);

	// A signed parameter change, a proposal by a non-member and closing early fail by name.
	let signed = apply(&mut chain, Alice, session_length(30));
	assert_eq!(signed, Err(DispatchError::BadOrigin));
	assert_eq!(
		propose(&mut chain, Eve, session_length(30), 2),
		Err(CouncilError::NotMember.into())
	);
	let call = session_length(40);
	let (hash, index) = propose(&mut chain, Alice, call.clone(), 2).expect("proposed");
	assert_eq!(close(&mut chain, Bob, hash, index, &call), Err(CouncilError::TooEarly.into()));
	// A non-member's vote.
	let eve_votes = pallet_collective::Call::<Runtime, pallet_collective::Instance1>::vote {
		proposal: hash,
		index,
		approve: true,
	};
	assert_eq!(apply(&mut chain, Eve, eve_votes.into()), Err(CouncilError::NotMember.into()));
}

#[test]
fn a_council_motion_adds_a_validator_from_the_session_after_next() {
	let mut chain = TestChain::local();
	let dave = Dave.to_account_id();
	assert_eq!(council_enacts(&mut chain, session_length(10)), Ok(()));

	// Governance refuses a validator without session keys.
	assert_eq!(
		council_enacts(&mut chain, add_validator(&dave)),
		Err(pallet_validator_set::Error::<Runtime>::NoSessionKeys.into())
	);

	// Keys whose proof names another account are refused.
	let (keys, proof_for_eve) = session_keys(&mut chain, Dave, &Eve.to_account_id());
	assert_eq!(
		apply(&mut chain, Dave, set_keys(keys.clone(), proof_for_eve)),
		Err(pallet_session::Error::<Runtime>::InvalidProof.into())
	);
	let (keys, proof) = session_keys(&mut chain, Dave, &dave);
	assert_eq!(apply(&mut chain, Dave, set_keys(keys.clone(), proof)), Ok(()));
	assert_eq!(council_enacts(&mut chain, add_validator(&dave)), Ok(()));

	let added_in = chain.execute_with(pallet_session::CurrentIndex::<Runtime>::get);
	run_to_session(&mut chain, added_in + 1);
	assert!(!aura_authorities(&mut chain).contains(&keys.aura), "queued, not yet active");
	run_to_session(&mut chain, added_in + 2);
	assert!(aura_authorities(&mut chain).contains(&keys.aura));
	chain.execute_with(|| {
		assert!(pallet_session::Validators::<Runtime>::get().contains(&dave));
		// GRANDPA's set changes with the session.
		let scheduled = pallet_grandpa::PendingChange::<Runtime>::get()
			.map(|change| change.next_authorities.iter().any(|(id, _)| *id == keys.grandpa));
		let current = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities()
			.iter()
			.any(|(id, _)| *id == keys.grandpa);
		assert!(current || scheduled == Some(true), "GRANDPA follows the session");
	});
}

#[test]
fn the_technical_committee_halts_the_bridge_and_only_the_council_resumes_it() {
	let mut chain = TestChain::local();
	let halt: RuntimeCall = pallet_bridge::Call::<Runtime>::set_paused { paused: true }.into();
	// One of the committee's two members is half of it: the motion executes at once.
	let propose = pallet_collective::Call::<Runtime, pallet_collective::Instance2>::propose {
		threshold: 1,
		proposal: Box::new(halt.clone()),
		length_bound: halt.encoded_size() as u32,
	};
	assert_eq!(apply(&mut chain, Bob, propose.into()), Ok(()));
	assert!(chain.execute_with(pallet_bridge::Paused::<Runtime>::get));

	let resume: RuntimeCall = pallet_bridge::Call::<Runtime>::set_paused { paused: false }.into();
	let propose = pallet_collective::Call::<Runtime, pallet_collective::Instance2>::propose {
		threshold: 1,
		proposal: Box::new(resume.clone()),
		length_bound: resume.encoded_size() as u32,
	};
	assert_eq!(apply(&mut chain, Bob, propose.into()), Ok(()));
	assert!(
		chain.execute_with(pallet_bridge::Paused::<Runtime>::get),
		"the committee cannot resume"
	);
	assert_eq!(council_enacts(&mut chain, resume), Ok(()));
	assert!(!chain.execute_with(pallet_bridge::Paused::<Runtime>::get));
}

#[test]
fn a_compliance_officer_keeps_the_sanctions_list_alone() {
	let mut chain = TestChain::local();
	let eve = Eve.to_account_id();
	let list = |who: &AccountId| -> RuntimeCall {
		pallet_compliance::Call::<Runtime>::set_blocklisted {
			who: MultiAddress::Id(who.clone()),
			reason: Some(1),
		}
		.into()
	};
	assert_eq!(apply(&mut chain, Eve, list(&Bob.to_account_id())), Err(DispatchError::BadOrigin));
	assert_eq!(
		apply(&mut chain, Alice, list(&eve)),
		Err(DispatchError::BadOrigin),
		"a council member alone cannot"
	);
	assert_eq!(apply(&mut chain, Dave, list(&eve)), Ok(()));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::Compliance(pallet_compliance::Event::BlocklistChanged { .. })
	)));
	// Trusting a KYC provider is the council's.
	let trust: RuntimeCall = pallet_compliance::Call::<Runtime>::add_trusted_issuer {
		issuer: MultiAddress::Id(eve.clone()),
		jurisdictions: Default::default(),
	}
	.into();
	assert_eq!(apply(&mut chain, Dave, trust.clone()), Err(DispatchError::BadOrigin));
	assert_eq!(council_enacts(&mut chain, trust), Ok(()));
}

#[test]
fn a_runtime_upgrade_is_authorized_by_a_council_motion_through_the_whitelist() {
	let mut chain = TestChain::local();
	let code_hash = H256::repeat_byte(7);
	let authorize: RuntimeCall =
		frame_system::Call::<Runtime>::authorize_upgrade { code_hash }.into();
	let whitelist: RuntimeCall = pallet_whitelist::Call::<Runtime>::whitelist_call {
		call_hash: BlakeTwo256::hash_of(&authorize),
	}
	.into();
	let dispatch: RuntimeCall =
		pallet_whitelist::Call::<Runtime>::dispatch_whitelisted_call_with_preimage {
			call: Box::new(authorize.clone()),
		}
		.into();
	// A signed account cannot authorize an upgrade, nor dispatch a whitelisted call.
	assert_eq!(apply(&mut chain, Alice, authorize), Err(DispatchError::BadOrigin));
	// A signed account only relays a deferred dispatch, and there is none.
	assert_eq!(
		apply(&mut chain, Alice, dispatch.clone()),
		Err(pallet_whitelist::Error::<Runtime>::DeferredDispatchNotFound.into())
	);

	let motion: RuntimeCall =
		pallet_utility::Call::<Runtime>::batch_all { calls: vec![whitelist, dispatch] }.into();
	assert_eq!(council_enacts(&mut chain, motion), Ok(()));
	assert!(chain.events().iter().any(|e| matches!(
		e,
		RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { code_hash: authorized, check_version: true })
			if *authorized == code_hash
	)));
}

/// A GRANDPA prevote equivocation by `offender` in round 1 of set 0: two prevotes for different
/// blocks, the first signed by `offender`, the second by `second_signer` (the offender itself,
/// for a true equivocation).
fn prevote_equivocation(
	offender: Ed25519Keyring,
	second_signer: Ed25519Keyring,
) -> sp_consensus_grandpa::EquivocationProof<H256, u32> {
	let round = 1;
	let set_id = 0;
	let signed = |target: H256, signer: Ed25519Keyring| {
		let prevote = finality_grandpa::Prevote { target_hash: target, target_number: 1u32 };
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(prevote, signer.pair().sign(&payload).into())
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: offender.public().into(),
			first: signed(H256::repeat_byte(1), offender),
			second: signed(H256::repeat_byte(2), second_signer),
		}),
	)
}

#[test]
fn a_grandpa_equivocation_is_reported_verified_and_removes_the_offender() {
	let mut chain = TestChain::local();
	assert_eq!(council_enacts(&mut chain, session_length(10)), Ok(()));
	let alice = Alice.to_account_id();
	let proof = prevote_equivocation(Ed25519Keyring::Alice, Ed25519Keyring::Alice);
	// The second vote signed by someone else: no equivocation of Alice's.
	let forged = prevote_equivocation(Ed25519Keyring::Alice, Ed25519Keyring::Bob);
	let key_owner_proof = chain.execute_with(|| {
		use frame_support::traits::KeyOwnerProofSystem;
		tpwallet_runtime::Historical::prove((
			sp_consensus_grandpa::KEY_TYPE,
			sp_consensus_grandpa::AuthorityId::from(Ed25519Keyring::Alice.public()),
		))
		.expect("Alice's GRANDPA key belongs to a validator of this session")
	});
	let report = |proof| -> RuntimeCall {
		pallet_grandpa::Call::<Runtime>::report_equivocation {
			equivocation_proof: Box::new(proof),
			key_owner_proof: key_owner_proof.clone(),
		}
		.into()
	};
	assert_eq!(
		apply(&mut chain, Bob, report(forged)),
		Err(pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof.into())
	);

	assert_eq!(apply(&mut chain, Bob, report(proof.clone())), Ok(()));
	let events = chain.events();
	assert!(events
		.iter()
		.any(|e| matches!(e, RuntimeEvent::Offences(pallet_offences::Event::Offence { .. }))));
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::ValidatorSet(pallet_validator_set::Event::ValidatorRemovedForOffence { who, .. }) if *who == alice
	)));
	// The same offence twice is refused.
	assert_eq!(
		apply(&mut chain, Bob, report(proof)),
		Err(pallet_grandpa::Error::<Runtime>::DuplicateOffenceReport.into())
	);

	// Two sessions later Alice is no longer a validator.
	let now = chain.execute_with(pallet_session::CurrentIndex::<Runtime>::get);
	run_to_session(&mut chain, now + 2);
	chain.execute_with(|| {
		assert!(!pallet_session::Validators::<Runtime>::get().contains(&alice));
		assert_eq!(pallet_session::Validators::<Runtime>::get().len(), 2);
	});
}

/// Two blocks of `slot`, the first sealed by `offender`'s Aura key, the second by
/// `second_signer`'s (the offender itself, for a true equivocation): what a validator running two
/// nodes with its keys produces in each of its slots.
fn aura_equivocation(
	slot: sp_consensus_aura::Slot,
	offender: Sr25519Keyring,
	second_signer: Sr25519Keyring,
) -> pallet_aura_equivocation::EquivocationProofOf<Runtime> {
	let block = |parent: u8, signer: Sr25519Keyring| {
		pallet_aura_equivocation::sealed_header(1, slot, H256::repeat_byte(parent), |message| {
			signer.pair().sign(message)
		})
	};
	sp_consensus_slots::EquivocationProof {
		offender: offender.public().into(),
		slot,
		first_header: block(1, offender),
		second_header: block(2, second_signer),
	}
}

fn aura_report(proof: pallet_aura_equivocation::EquivocationProofOf<Runtime>) -> RuntimeCall {
	pallet_aura_equivocation::Call::<Runtime>::report_equivocation {
		equivocation_proof: Box::new(proof),
	}
	.into()
}

/// The most recent slot (up to the current one) that `who`'s Aura key authors.
fn last_slot_of(chain: &mut TestChain, who: Sr25519Keyring) -> sp_consensus_aura::Slot {
	chain.execute_with(|| {
		let authorities = pallet_aura::Authorities::<Runtime>::get();
		let index = authorities
			.iter()
			.position(|a| *a == sp_consensus_aura::sr25519::AuthorityId::from(who.public()))
			.expect("an authority") as u64;
		let now = u64::from(pallet_aura::CurrentSlot::<Runtime>::get());
		let n = authorities.len() as u64;
		sp_consensus_aura::Slot::from(now - (now + n - index) % n)
	})
}

#[test]
fn an_aura_equivocation_reported_by_a_node_is_verified_and_removes_the_offender() {
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	let mut chain = TestChain::local();
	for _ in 0..3 {
		chain.produce_block(vec![]);
	}
	let bob = Bob.to_account_id();
	// The second block sealed by Charlie: no equivocation of Bob's.
	let slot = last_slot_of(&mut chain, Bob);
	let forged = aura_equivocation(slot, Bob, Charlie);
	assert_eq!(
		apply(&mut chain, Alice, aura_report(forged)),
		Err(pallet_aura_equivocation::Error::<Runtime>::InvalidEquivocationProof.into())
	);
	// Bob's two blocks for a slot that is not his.
	let not_his = sp_consensus_aura::Slot::from(u64::from(last_slot_of(&mut chain, Alice)));
	assert_eq!(
		apply(&mut chain, Alice, aura_report(aura_equivocation(not_his, Bob, Bob))),
		Err(pallet_aura_equivocation::Error::<Runtime>::NotSlotAuthor.into())
	);

	// Bob equivocates, then registers new keys: the keys in use are still his, so he is named.
	let slot = last_slot_of(&mut chain, Bob);
	let proof = aura_equivocation(slot, Bob, Bob);
	chain.execute_with(|| {
		use pallet_session::SessionInterface;
		let keys = SessionKeys {
			aura: sp_consensus_aura::sr25519::AuthorityId::from(Eve.public()),
			grandpa: Ed25519Keyring::Eve.public().into(),
		};
		<pallet_session::Pallet<Runtime> as SessionInterface>::set_keys(&bob, keys)
			.expect("Bob rotates his keys");
	});
	// Unsigned, as a node submits it: the pool takes it from the node itself only.
	let report = tpwallet_runtime::UncheckedExtrinsic::new_bare(aura_report(proof));
	let parent = chain.execute_with(|| frame_system::Pallet::<Runtime>::parent_hash());
	// As the pool validates: on a state thrown away afterwards.
	let validity = |chain: &mut TestChain, source| {
		use frame_support::storage::{with_transaction, TransactionOutcome};
		let xt = report.clone();
		chain.execute_with(|| {
			with_transaction(|| {
				let validity =
					tpwallet_runtime::Executive::validate_transaction(source, xt, parent);
				TransactionOutcome::Rollback(Ok::<_, DispatchError>(validity))
			})
			.expect("validation rolls back")
		})
	};
	assert_eq!(
		validity(&mut chain, TransactionSource::External),
		Err(TransactionValidityError::Invalid(InvalidTransaction::Call))
	);
	assert!(validity(&mut chain, TransactionSource::Local).is_ok());
	let (results, _) = chain.produce_block(vec![report.clone()]);
	assert_eq!(results[0], Ok(Ok(())));
	let events = chain.events();
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::Offences(pallet_offences::Event::Offence { kind, .. }) if kind == b"aura:equivocatio"
	)));
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::AuraEquivocation(
			pallet_aura_equivocation::Event::EquivocationReported { .. }
		)
	)));
	assert!(events.iter().any(|e| matches!(
		e,
		RuntimeEvent::ValidatorSet(pallet_validator_set::Event::ValidatorRemovedForOffence { who, .. }) if *who == bob
	)));
	// Reported once: the pool now calls it stale.
	assert_eq!(
		validity(&mut chain, TransactionSource::Local),
		Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
	);
	// Two sessions later Bob is no longer a validator.
	assert_eq!(council_enacts(&mut chain, session_length(10)), Ok(()));
	let now = chain.execute_with(pallet_session::CurrentIndex::<Runtime>::get);
	run_to_session(&mut chain, now + 2);
	chain.execute_with(|| assert!(!pallet_session::Validators::<Runtime>::get().contains(&bob)));
}

/// The weights `docs/performance.md` reports, as ratios to a plain transfer: a session change
/// (what `pallet-session` declares for the block that rotates) and a GRANDPA equivocation report
/// (its dispatch weight, for the local set of three validators).
#[test]
fn session_change_and_equivocation_report_weights_as_ratios_to_a_transfer() {
	use frame_support::traits::Hooks;
	let mut chain = TestChain::local();
	let transfer: RuntimeCall = pallet_balances::Call::<Runtime>::transfer_keep_alive {
		dest: MultiAddress::Id(Bob.to_account_id()),
		value: 1,
	}
	.into();
	let transfer = transfer.get_dispatch_info().call_weight.ref_time();
	let length: u32 = chain.execute_with(SessionLength::get);
	let rotation = chain.execute_with(|| {
		<pallet_session::Pallet<Runtime> as Hooks<u32>>::on_initialize(length).ref_time()
	});
	let report: RuntimeCall = pallet_grandpa::Call::<Runtime>::report_equivocation {
		equivocation_proof: Box::new(prevote_equivocation(
			Ed25519Keyring::Alice,
			Ed25519Keyring::Alice,
		)),
		key_owner_proof: sp_session::MembershipProof {
			session: 0,
			trie_nodes: vec![],
			validator_count: 3,
		},
	}
	.into();
	let report = report.get_dispatch_info().call_weight.ref_time();
	let aura_report = aura_report(aura_equivocation(0u64.into(), Alice, Alice))
		.get_dispatch_info()
		.call_weight
		.ref_time();
	println!(
		"session change: {:.0} transfers; GRANDPA equivocation report: {:.1} transfers; Aura equivocation report: {:.1} transfers",
		rotation as f64 / transfer as f64,
		report as f64 / transfer as f64,
		aura_report as f64 / transfer as f64
	);
	// The rotation claims the whole block; a report costs more than a transfer but fits a block.
	let max_block = tpwallet_runtime::configs::RuntimeBlockWeights::get().max_block.ref_time();
	assert_eq!(rotation, max_block);
	assert!(report > transfer && report < max_block / 10);
	assert!(aura_report > transfer && aura_report < max_block / 10);
}
