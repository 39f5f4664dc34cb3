//! Reports Aura equivocations: every imported block goes through an
//! [`EquivocationDetector`]; when an author sealed two different blocks for one slot (a validator
//! running two nodes with its keys does this in each of its slots), the node puts an unsigned
//! report into its own pool through the runtime, as the GRANDPA voter does for votes.
//! `sc-consensus-aura` only logs such blocks. A report the pool refuses (for example, the best
//! block was not yet at the slot) is retried as blocks come in, a few times.

use futures::StreamExt;
use pallet_aura_equivocation_runtime_api::{AuraEquivocationApi, EquivocationDetector};
use polkadot_sdk::*;
use sc_client_api::BlockchainEvents;
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_consensus::BlockOrigin;
use sp_consensus_aura::{sr25519::AuthorityId as AuraId, AuraApi, Slot, AURA_ENGINE_ID};
use sp_core::crypto::ByteArray;
use sp_keystore::KeystorePtr;
use sp_runtime::{traits::Header as _, RuntimeAppPublic};
use std::sync::Arc;
use tpwallet_runtime::opaque::Block;

const LOG_TARGET: &str = "aura-equivocation";

/// Slots of blocks remembered: the runtime accepts reports ten minutes back; a node reports on
/// import, so that is plenty.
const SLOTS_REMEMBERED: u64 = 200;

/// Reports waiting for another attempt, at most, and the attempts each gets (one per imported
/// block).
const MAX_PENDING: usize = 16;
const ATTEMPTS: u32 = 5;

type Proof =
	sp_consensus_slots::EquivocationProof<<Block as sp_runtime::traits::Block>::Header, AuraId>;

/// Watches imported blocks and reports Aura equivocations, until the import stream ends.
pub async fn report_equivocations<C>(
	client: Arc<C>,
	keystore: KeystorePtr,
	pool: OffchainTransactionPoolFactory<Block>,
) where
	C: BlockchainEvents<Block> + ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync,
	C::Api: AuraApi<Block, AuraId> + AuraEquivocationApi<Block, AuraId>,
{
	let mut detector = EquivocationDetector::new(SLOTS_REMEMBERED);
	// Reports the pool refused, with the attempts left.
	let mut pending: Vec<(Proof, u32)> = Vec::new();
	let mut imports = client.every_import_notification_stream();
	while let Some(imported) = imports.next().await {
		// Blocks of the initial sync are history; equivocations there are past reporting.
		if imported.origin == BlockOrigin::NetworkInitialSync {
			continue;
		}
		pending = pending
			.into_iter()
			.filter_map(|(proof, attempts)| match report(&*client, &pool, proof.clone()) {
				Ok(()) => None,
				Err(_) if attempts > 1 => Some((proof, attempts - 1)),
				Err(why) => {
					log::warn!(target: LOG_TARGET, "gave up reporting the equivocation of {} at slot {}: {why}", proof.offender, proof.slot);
					None
				},
			})
			.collect();
		let header = imported.header;
		let Some(slot) = header
			.digest()
			.logs()
			.iter()
			.find_map(|item| item.pre_runtime_try_to::<Slot>(&AURA_ENGINE_ID))
		else {
			continue;
		};
		let Ok(authorities) = client.runtime_api().authorities(*header.parent_hash()) else {
			continue;
		};
		let Some(author) = sc_consensus_aura::standalone::slot_author::<
			sp_consensus_aura::sr25519::AuthorityPair,
		>(slot, &authorities)
		.cloned() else {
			continue;
		};
		let Some(proof) = detector.note(slot, author.clone(), header) else { continue };
		log::warn!(target: LOG_TARGET, "Aura authority {author} sealed two blocks for slot {slot}");
		// Like GRANDPA's voter, a node does not report its own key (its twin's nodes will).
		if keystore.has_keys(&[(ByteArray::to_raw_vec(&author), AuraId::ID)]) {
			log::warn!(target: LOG_TARGET, "the equivocating key is in this node's keystore: not reporting it");
			continue;
		}
		match report(&*client, &pool, proof.clone()) {
			Ok(()) => {}
			Err(why) if pending.len() < MAX_PENDING => {
				log::info!(target: LOG_TARGET, "will retry reporting the equivocation of {author} at slot {slot}: {why}");
				pending.push((proof, ATTEMPTS));
			}
			Err(why) => {
				log::warn!(target: LOG_TARGET, "could not report the equivocation of {author} at slot {slot}: {why}")
			}
		}
	}
}

/// Puts an unsigned report of `proof` into the node's pool, validated at the best block.
fn report<C>(
	client: &C,
	pool: &OffchainTransactionPoolFactory<Block>,
	proof: Proof,
) -> Result<(), String>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block>,
	C::Api: AuraEquivocationApi<Block, AuraId>,
{
	let best = client.info().best_hash;
	let mut api = client.runtime_api();
	// A runtime from before the reports (the node may run one until an upgrade).
	if !api.has_api::<dyn AuraEquivocationApi<Block, AuraId>>(best).map_err(|e| e.to_string())? {
		return Err("the runtime has no AuraEquivocationApi".into());
	}
	let (offender, slot) = (proof.offender.clone(), proof.slot);
	api.register_extension(pool.offchain_transaction_pool(best));
	api.submit_report_equivocation_unsigned_extrinsic(best, proof)
		.map_err(|e| e.to_string())?
		.ok_or_else(|| "the pool refused the report".to_string())?;
	log::info!(target: LOG_TARGET, "reported the equivocation of {offender} at slot {slot}");
	Ok(())
}
