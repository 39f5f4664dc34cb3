//! GRANDPA finality of a source chain: the justifications its node stores, checked and trimmed
//! to what the other chain's light client accepts, and the blocks that change authority sets.

use anyhow::{anyhow, Context, Result};
use codec::DecodeAll;
use polkadot_sdk::bp_header_chain::{
	self,
	justification::{verify_and_optimize_justification, JustificationVerificationContext},
};
use polkadot_sdk::sp_core::H256;
use serde_json::Value;
use tpw_client::{
	bridge::{self, AuthoritySet, Header},
	chain::Chain,
	BlockNumber,
};

/// A GRANDPA justification of a tpwallet header, as the light client takes it.
pub type Justification = bp_header_chain::justification::GrandpaJustification<Header>;

/// Consensus engine id of GRANDPA justifications.
const GRANDPA_ENGINE_ID: [u8; 4] = *b"FRNK";

/// How far back from the finalized head to look for a block whose justification the node
/// stored: GRANDPA justifies the target of each round, and a round may finalize a few blocks.
pub const JUSTIFICATION_LOOKBACK: u32 = 8;

/// The GRANDPA justification in a `chain_getBlock` answer, if it has one.
pub fn from_block_json(block: &Value) -> Result<Option<Justification>> {
	let Some(list) = block.get("justifications").filter(|v| !v.is_null()) else {
		return Ok(None);
	};
	let list = list.as_array().ok_or_else(|| anyhow!("justifications is not a list: {list}"))?;
	for entry in list {
		let pair = entry
			.as_array()
			.filter(|pair| pair.len() == 2)
			.ok_or_else(|| anyhow!("a justification is not an (engine, bytes) pair: {entry}"))?;
		if bytes(&pair[0])? != GRANDPA_ENGINE_ID {
			continue;
		}
		let raw = bytes(&pair[1])?;
		let justification =
			Justification::decode_all(&mut &raw[..]).context("decoding a GRANDPA justification")?;
		return Ok(Some(justification));
	}
	Ok(None)
}

/// Bytes as the node serializes them: a list of numbers (serde's `Vec<u8>`), or `0x` hex.
fn bytes(value: &Value) -> Result<Vec<u8>> {
	if let Some(s) = value.as_str() {
		return hex::decode(s.trim_start_matches("0x")).context("hex bytes");
	}
	let list = value.as_array().ok_or_else(|| anyhow!("expected bytes, got {value}"))?;
	list.iter()
		.map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
		.collect::<Option<Vec<u8>>>()
		.ok_or_else(|| anyhow!("expected bytes, got {value}"))
}

/// The justification the node stores for block `hash`; `None` if it stores none.
pub async fn justification(chain: &Chain, hash: H256) -> Result<Option<Justification>> {
	from_block_json(&chain.block_json(hash).await?)
}

/// Checks that `justification` finalizes `header` by `set`, and drops what the light client
/// would reject as redundant (extra votes, unneeded ancestry): it verifies strictly.
pub fn optimize(
	header: &Header,
	set: &AuthoritySet,
	justification: &mut Justification,
) -> Result<()> {
	let context: JustificationVerificationContext =
		set.clone().try_into().map_err(|e| anyhow!("authority set {}: {e:?}", set.set_id))?;
	verify_and_optimize_justification((header.hash(), header.number), &context, justification)
		.map_err(|e| anyhow!("justification of #{} by set {}: {e:?}", header.number, set.set_id))
}

/// The latest finalized header of `chain` above block `above` whose justification the node
/// stores, looking back at most [`JUSTIFICATION_LOOKBACK`] blocks from the finalized head.
pub async fn latest_justified(
	chain: &Chain,
	above: BlockNumber,
) -> Result<Option<(Header, Justification)>> {
	let mut header = chain.header(chain.finalized_head().await?).await?;
	for _ in 0..JUSTIFICATION_LOOKBACK {
		if header.number <= above {
			break;
		}
		if let Some(justification) = justification(chain, header.hash()).await? {
			return Ok(Some((header, justification)));
		}
		header = chain.header(header.parent_hash).await?;
	}
	Ok(None)
}

/// The GRANDPA set id in the state of block `number` of `chain`.
pub async fn set_id_at(chain: &Chain, number: BlockNumber) -> Result<u64> {
	bridge::grandpa_set_id(chain, chain.block_hash(number).await?).await
}

/// Whether block `number` of `chain` schedules a GRANDPA authority set change (its header's
/// digest; read without the block's state, which may be pruned).
pub async fn schedules_change(chain: &Chain, number: BlockNumber) -> Result<bool> {
	let header = chain.header(chain.block_hash(number).await?).await?;
	let digest = &header.digest;
	type Log = bp_header_chain::GrandpaConsensusLogReader<BlockNumber>;
	Ok(Log::find_scheduled_change(digest).is_some() || Log::find_forced_change(digest).is_some())
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::{Decode, Encode};
	use polkadot_sdk::sp_consensus_grandpa::{localized_payload, AuthorityId};
	use polkadot_sdk::{
		sp_core::{ed25519, Pair},
		sp_runtime::Digest,
	};
	use serde_json::json;

	fn header(number: BlockNumber) -> Header {
		Header {
			parent_hash: H256::zero(),
			number,
			state_root: H256::repeat_byte(2),
			extrinsics_root: H256::repeat_byte(1),
			digest: Digest::default(),
		}
	}

	fn key(uri: &str) -> ed25519::Pair {
		ed25519::Pair::from_string(uri, None).unwrap()
	}

	/// A justification of `target` with one precommit per key, each signed by `signer`.
	fn signed(target: &Header, round: u64, set_id: u64, votes: &[(&str, &str)]) -> Justification {
		let (hash, number) = (target.hash(), target.number);
		// A precommit encodes as variant 1 of the GRANDPA message, then its target.
		let payload = localized_payload(round, set_id, &(1u8, hash, number));
		let precommits: Vec<_> = votes
			.iter()
			.map(|(id, signer)| {
				let signature = key(signer).sign(&payload);
				let signature: &[u8] = signature.as_ref();
				let public = key(id).public();
				let id: &[u8] = public.as_ref();
				(
					hash,
					number,
					<[u8; 64]>::try_from(signature).unwrap(),
					<[u8; 32]>::try_from(id).unwrap(),
				)
			})
			.collect();
		let encoded = (round, (hash, number, precommits), Vec::<Header>::new()).encode();
		Justification::decode(&mut &encoded[..]).unwrap()
	}

	fn set(uris: &[&str], set_id: u64) -> AuthoritySet {
		let authorities =
			uris.iter().map(|u| (AuthorityId::from(key(u).public()), 1)).collect::<Vec<_>>();
		AuthoritySet { authorities, set_id }
	}

	#[test]
	fn justifications_decode_from_the_node_json_in_either_byte_form() {
		let justification = signed(&header(5), 3, 0, &[("//Alice", "//Alice")]);
		let raw = justification.encode();
		let as_numbers = json!({ "block": {}, "justifications": [
			[[66, 69, 69, 70], [1, 2, 3]],
			[b"FRNK".to_vec(), raw.clone()],
		]});
		assert_eq!(from_block_json(&as_numbers).unwrap(), Some(justification.clone()));
		let as_hex =
			json!({ "justifications": [["0x46524e4b", format!("0x{}", hex::encode(&raw))]] });
		assert_eq!(from_block_json(&as_hex).unwrap(), Some(justification));
		assert_eq!(from_block_json(&json!({ "justifications": null })).unwrap(), None);
		assert_eq!(from_block_json(&json!({ "block": {} })).unwrap(), None);
		let other_engine = json!({ "justifications": [[[66, 69, 69, 70], [1]]] });
		assert_eq!(from_block_json(&other_engine).unwrap(), None);
		// Trailing bytes, a truncated encoding, a non-byte: errors, not a misread.
		let mut long = raw.clone();
		long.push(0);
		assert!(from_block_json(&json!({ "justifications": [[b"FRNK".to_vec(), long]] })).is_err());
		let short = raw[..raw.len() - 1].to_vec();
		assert!(from_block_json(&json!({ "justifications": [[b"FRNK".to_vec(), short]] })).is_err());
		assert!(from_block_json(&json!({ "justifications": [[[70, 82, 78, 300], [1]]] })).is_err());
	}

	#[test]
	fn optimizing_drops_a_duplicate_vote_and_a_forged_signature_fails() {
		let target = header(9);
		let mut justification =
			signed(&target, 4, 2, &[("//Alice", "//Alice"), ("//Alice", "//Alice")]);
		optimize(&target, &set(&["//Alice"], 2), &mut justification).unwrap();
		assert_eq!(justification.commit.precommits.len(), 1);
		// What the light client runs: strict verification of the optimized justification.
		let context: JustificationVerificationContext =
			bp_header_chain::AuthoritySet::new(set(&["//Alice"], 2).authorities, 2)
				.try_into()
				.unwrap();
		bp_header_chain::justification::verify_justification(
			(target.hash(), target.number),
			&context,
			&justification,
		)
		.unwrap();

		// Signed by a key outside the set, or for another set id: not enough votes.
		let mut outsider = signed(&target, 4, 2, &[("//Alice", "//Mallory")]);
		assert!(optimize(&target, &set(&["//Alice"], 2), &mut outsider).is_err());
		let mut other_set = signed(&target, 4, 1, &[("//Alice", "//Alice")]);
		assert!(optimize(&target, &set(&["//Alice"], 2), &mut other_set).is_err());
		// For another header.
		let mut justification = signed(&target, 4, 2, &[("//Alice", "//Alice")]);
		assert!(optimize(&header(10), &set(&["//Alice"], 2), &mut justification).is_err());
	}
}
