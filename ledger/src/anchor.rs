//! The journal's head anchored on chain, so that an auditor can prove the database was not
//! rewritten: a rewrite that recomputes every hash still changes the head at an anchored entry,
//! and the chain keeps what the head was. An anchor is a `System.remark_with_event` signed by
//! the ledger operator's account, with the text `tpw-ledger:v1:{ledger}:{seq}:0x{head}`; the
//! ledger records it once its block is finalized. `audit verify` then checks, for every anchor,
//! that its block is on the finalized chain and holds an extrinsic signed by the anchor's
//! account with exactly that text, and that the journal's hash at `seq` is `head`. Block bodies
//! are kept by every node (`--blocks-pruning` keeps finalized blocks by default), so the check
//! needs no archive node.

use crate::store::Store;
use anyhow::{anyhow, bail, Context, Result};
use codec::{Compact, Decode};
use polkadot_sdk::sp_core::H256;
use std::{collections::BTreeMap, time::Duration};
use tpw_client::{
	call::Call,
	chain::Chain,
	keys::{parse_account, ss58, Keys},
};

/// An anchor as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
	pub seq: i64,
	pub head: [u8; 32],
	/// The finalized block whose body holds the remark.
	pub block: u32,
	pub block_hash: [u8; 32],
	/// The account that signed it (SS58).
	pub account: String,
}

/// The remark's text.
pub fn remark(ledger: &str, seq: i64, head: &[u8; 32]) -> Vec<u8> {
	format!("tpw-ledger:v1:{ledger}:{seq}:0x{}", hex::encode(head)).into_bytes()
}

impl Store {
	/// The last anchor's entry and block, if any: where the next one is due from.
	async fn last_anchor(&self) -> Result<Option<(i64, u32)>> {
		let row = self
			.client
			.query_opt("SELECT seq, block FROM audit_anchor ORDER BY seq DESC LIMIT 1", &[])
			.await?;
		row.map(|r| Ok((r.get(0), u32::try_from(r.get::<_, i64>(1))?))).transpose()
	}

	pub async fn anchors(&self) -> Result<Vec<Anchor>> {
		let rows = self
			.client
			.query(
				"SELECT seq, head, block, block_hash, account FROM audit_anchor ORDER BY seq",
				&[],
			)
			.await?;
		rows.iter()
			.map(|r| {
				Ok(Anchor {
					seq: r.get(0),
					head: r.get::<_, &[u8]>(1).try_into().map_err(|_| anyhow!("a stored head"))?,
					block: u32::try_from(r.get::<_, i64>(2))?,
					block_hash: r
						.get::<_, &[u8]>(3)
						.try_into()
						.map_err(|_| anyhow!("a stored block hash"))?,
					account: r.get(4),
				})
			})
			.collect()
	}

	async fn record_anchor(&self, anchor: &Anchor) -> Result<()> {
		self.client
			.execute(
				"INSERT INTO audit_anchor (seq, head, block, block_hash, account) \
				 VALUES ($1, $2, $3, $4, $5)",
				&[
					&anchor.seq,
					&&anchor.head[..],
					&i64::from(anchor.block),
					&&anchor.block_hash[..],
					&anchor.account,
				],
			)
			.await?;
		Ok(())
	}
}

/// Anchors the head after every `every` blocks booked (when entries were added since the last
/// anchor).
pub struct Anchorer {
	pub chain: Chain,
	pub store: Store,
	pub keys: Keys,
	pub every: u32,
}

impl Anchorer {
	pub async fn run(&self) -> Result<()> {
		loop {
			let last = self.store.last_anchor().await?;
			if let Some(cursor) = self.store.cursor().await? {
				let due = match last {
					None => cursor.seq > 0,
					Some((seq, block)) => {
						cursor.seq > seq && cursor.block >= block.saturating_add(self.every)
					}
				};
				if due {
					let anchor = self.anchor().await?;
					log::info!("anchored entry {} in block {}", anchor.seq, anchor.block);
				}
			}
			tokio::time::sleep(Duration::from_secs(1)).await;
		}
	}

	/// Anchors the current head: submits the remark, waits until its block is finalized, and
	/// records it.
	pub async fn anchor(&self) -> Result<Anchor> {
		let cursor = self.store.cursor().await?.ok_or_else(|| anyhow!("the books are not open"))?;
		let ledger = self.store.ledger_id().await?;
		let text = remark(&ledger, cursor.seq, &cursor.head);
		let call = Call::new("System", "remark_with_event").arg("remark", text);
		let included =
			self.chain.submit(&self.keys, call).await.context("submitting the anchor")?;
		let number = self.chain.header(included.block).await?.number;
		for _ in 0..600 {
			let finalized = self.chain.finalized_head().await?;
			if self.chain.header(finalized).await?.number >= number {
				if self.chain.block_hash(number).await? != included.block {
					bail!(
						"the anchor's block {number} was not finalized (a fork); anchoring again"
					);
				}
				let anchor = Anchor {
					seq: cursor.seq,
					head: cursor.head,
					block: number,
					block_hash: included.block.0,
					account: ss58(self.keys.account()),
				};
				self.store.record_anchor(&anchor).await?;
				return Ok(anchor);
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
		bail!("the anchor's block {number} was not finalized in 5 minutes")
	}
}

/// Checks `anchors` against the chain and the journal's recomputed hashes (`seq` → hash);
/// returns how many were checked.
pub async fn check(
	chain: &Chain,
	ledger: &str,
	anchors: &[Anchor],
	hashes: &BTreeMap<i64, [u8; 32]>,
) -> Result<usize> {
	let finalized = chain.header(chain.finalized_head().await?).await?.number;
	for anchor in anchors {
		let at = |what: String| {
			anyhow!("anchor of entry {} (block {}): {what}", anchor.seq, anchor.block)
		};
		match hashes.get(&anchor.seq) {
			Some(hash) if *hash == anchor.head => {}
			Some(hash) => {
				return Err(at(format!(
					"the journal's hash there is 0x{}, the chain anchored 0x{}: the journal was \
					 rewritten",
					hex::encode(hash),
					hex::encode(anchor.head)
				)))
			}
			None => return Err(at("the journal has no such entry".into())),
		}
		if anchor.block > finalized || chain.block_hash(anchor.block).await?.0 != anchor.block_hash
		{
			return Err(at("its block is not on the finalized chain".into()));
		}
		let signer = parse_account(&anchor.account)?;
		let text = remark(ledger, anchor.seq, &anchor.head);
		let body = chain.block_json(H256(anchor.block_hash)).await?;
		let extrinsics = body["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
		let found = extrinsics.iter().filter_map(|x| x.as_str()).any(|x| {
			hex::decode(x.trim_start_matches("0x")).is_ok_and(|bytes| {
				signed_by(&bytes).as_ref() == Some(signer.as_ref()) && contains(&bytes, &text)
			})
		});
		if !found {
			return Err(at(format!(
				"its block holds no remark of this ledger's head signed by {}",
				anchor.account
			)));
		}
	}
	Ok(anchors.len())
}

/// The signer of a signed extrinsic (`Compact<len>`, a version byte with the signed bit, then a
/// `MultiAddress::Id`), if it is one.
fn signed_by(extrinsic: &[u8]) -> Option<[u8; 32]> {
	let mut input = extrinsic;
	Compact::<u32>::decode(&mut input).ok()?;
	let (&version, rest) = input.split_first()?;
	if version & 0b1000_0000 == 0 {
		return None;
	}
	let (&address_kind, rest) = rest.split_first()?;
	(address_kind == 0).then(|| rest.get(..32)?.try_into().ok()).flatten()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	!needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn the_signer_is_read_from_a_signed_extrinsic_only() {
		let signer = [7u8; 32];
		let mut body = vec![0x84, 0x00];
		body.extend_from_slice(&signer);
		body.extend_from_slice(b"...signature, extensions, call...");
		let mut signed = Compact(body.len() as u32).encode();
		signed.extend_from_slice(&body);
		assert_eq!(signed_by(&signed), Some(signer));
		let mut bare = Compact(3u32).encode();
		bare.extend_from_slice(&[0x04, 0x00, 0x01]);
		assert_eq!(signed_by(&bare), None);
		assert_eq!(signed_by(&[]), None);
		assert!(contains(&signed, b"extensions") && !contains(&signed, b"remark"));
	}

	#[test]
	fn the_remark_names_the_ledger_the_entry_and_the_head() {
		let text = remark("abc", 42, &[1; 32]);
		assert_eq!(
			String::from_utf8(text).unwrap(),
			format!("tpw-ledger:v1:abc:42:0x{}", "01".repeat(32))
		);
	}
}
