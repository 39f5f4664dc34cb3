//! Which submitted transactions each block includes, and when they were submitted, first seen
//! in a best block and finalized. Pure bookkeeping (no I/O): the observer feeds it blocks as the
//! node announces them, so reorgs and skipped notifications are handled in one tested place.

use std::collections::HashMap;

/// A transaction's hash (blake2-256 of its encoded bytes, as the node names it).
pub type TxHash = [u8; 32];
/// A block's hash.
pub type BlockHash = [u8; 32];

/// Seconds since the run started.
pub type Secs = f64;

/// One transaction's life.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TxTimes {
	pub submitted: Option<Secs>,
	pub included: Option<Secs>,
	pub finalized: Option<Secs>,
}

/// A block as the observer saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
	pub number: u32,
	pub parent: BlockHash,
	/// The block's timestamp (`Timestamp::Now`), milliseconds.
	pub timestamp_ms: u64,
	/// Extrinsics in the block, inherents included.
	pub extrinsics: usize,
	/// The indices of our transactions it includes.
	pub ours: Vec<usize>,
	/// Where each of `ours` sits in the block (its extrinsic index).
	pub positions: Vec<u32>,
	/// How many of `ours` failed to dispatch (found in the block's events once the run is over).
	pub failed: usize,
	pub finalized: bool,
}

impl Block {
	/// Our transactions in it that did what they were sent to do.
	pub fn succeeded(&self) -> usize {
		self.ours.len().saturating_sub(self.failed)
	}
}

/// Every transaction of the run and every block seen.
#[derive(Default)]
pub struct Tracker {
	index: HashMap<TxHash, usize>,
	pub txs: Vec<TxTimes>,
	pub blocks: HashMap<BlockHash, Block>,
	pub last_finalized: Option<BlockHash>,
}

impl Tracker {
	/// Registers the run's transactions (in submission order) before any is sent.
	pub fn new(hashes: impl IntoIterator<Item = TxHash>) -> Self {
		let mut tracker = Self::default();
		for hash in hashes {
			tracker.index.insert(hash, tracker.txs.len());
			tracker.txs.push(TxTimes::default());
		}
		tracker
	}

	pub fn submitted(&mut self, tx: usize, at: Secs) {
		if let Some(t) = self.txs.get_mut(tx) {
			t.submitted.get_or_insert(at);
		}
	}

	/// Block `hash` imported as best at `at`, with the hashes of its extrinsics: returns how many
	/// of ours it includes for the first time (each frees an in-flight slot).
	pub fn best_block(
		&mut self,
		hash: BlockHash,
		number: u32,
		parent: BlockHash,
		timestamp_ms: u64,
		extrinsics: &[TxHash],
		at: Secs,
	) -> usize {
		let (positions, ours): (Vec<u32>, Vec<usize>) = extrinsics
			.iter()
			.enumerate()
			.filter_map(|(at, h)| Some((u32::try_from(at).ok()?, *self.index.get(h)?)))
			.unzip();
		let mut newly = 0;
		for &tx in &ours {
			if let Some(t) = self.txs.get_mut(tx) {
				if t.included.is_none() {
					t.included = Some(at);
					newly += 1;
				}
			}
		}
		self.blocks.entry(hash).or_insert(Block {
			number,
			parent,
			timestamp_ms,
			extrinsics: extrinsics.len(),
			ours,
			positions,
			failed: 0,
			finalized: false,
		});
		newly
	}

	/// The blocks from `head` back to the last finalized one that are not yet known: the
	/// observer fetches these before calling [`Self::finalized`] (finality notifications may
	/// skip blocks, and a block may never have been best here).
	pub fn missing_ancestor(&self, head: BlockHash) -> Option<BlockHash> {
		let mut hash = head;
		loop {
			if Some(hash) == self.last_finalized {
				return None;
			}
			match self.blocks.get(&hash) {
				None => return Some(hash),
				Some(block) if block.finalized => return None,
				Some(block) => hash = block.parent,
			}
		}
	}

	/// Block `head` finalized at `at`: it and its unfinalized ancestors are final, and so are
	/// our transactions in them. Returns how many were included for the first time here (they
	/// never appeared in a best block seen), which frees their in-flight slots too.
	pub fn finalized(&mut self, head: BlockHash, at: Secs) -> usize {
		let mut newly = 0;
		let mut hash = head;
		while Some(hash) != self.last_finalized {
			let Some(block) = self.blocks.get_mut(&hash) else { break };
			if block.finalized {
				break;
			}
			block.finalized = true;
			for &tx in &block.ours {
				if let Some(t) = self.txs.get_mut(tx) {
					if t.included.is_none() {
						t.included = Some(at);
						newly += 1;
					}
					t.finalized.get_or_insert(at);
				}
			}
			hash = block.parent;
		}
		self.last_finalized = Some(head);
		newly
	}

	/// The finalized blocks that include any of our transactions, by number.
	pub fn finalized_blocks(&self) -> Vec<&Block> {
		let mut blocks: Vec<&Block> = self.blocks.values().filter(|b| b.finalized).collect();
		blocks.sort_by_key(|b| b.number);
		blocks
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn h(n: u8) -> [u8; 32] {
		[n; 32]
	}

	#[test]
	fn inclusion_is_counted_once_and_finality_walks_back_over_skipped_blocks() {
		let mut t = Tracker::new([h(1), h(2), h(3)]);
		(0..3).for_each(|i| t.submitted(i, 0.0));
		assert_eq!(t.best_block(h(10), 1, h(0), 3000, &[h(9), h(1)], 1.0), 1);
		// A fork block with the same transaction, then its sibling with another.
		assert_eq!(t.best_block(h(11), 2, h(10), 6000, &[h(1), h(2)], 2.0), 1);
		assert_eq!(t.best_block(h(12), 2, h(10), 6000, &[h(3)], 2.5), 1);
		assert_eq!(t.txs[1].included, Some(2.0));
		assert_eq!(
			(t.blocks[&h(10)].ours.clone(), t.blocks[&h(10)].positions.clone()),
			(vec![0], vec![1])
		);
		// Finality of block 12 reaches back to 10; the fork block 11 is not final.
		assert_eq!(t.missing_ancestor(h(12)), Some(h(0)));
		assert_eq!(t.finalized(h(12), 4.0), 0);
		assert_eq!(t.txs[0].finalized, Some(4.0));
		assert_eq!(t.txs[2].finalized, Some(4.0));
		assert_eq!(t.txs[1].finalized, None, "only in a block that lost the fork");
		assert!(!t.blocks[&h(11)].finalized);
		let numbers: Vec<u32> = t.finalized_blocks().iter().map(|b| b.number).collect();
		assert_eq!(numbers, vec![1, 2]);
	}

	#[test]
	fn a_block_first_seen_as_finalized_includes_its_transactions_then() {
		let mut t = Tracker::new([h(1)]);
		t.best_block(h(10), 1, h(0), 3000, &[], 1.0);
		t.finalized(h(10), 1.5);
		assert_eq!(t.missing_ancestor(h(11)), Some(h(11)));
		// Never announced as best: the observer fetched it after the finality notification.
		t.best_block(h(11), 2, h(10), 6000, &[h(1)], 3.0);
		assert_eq!(t.missing_ancestor(h(11)), None);
		assert_eq!(t.finalized(h(11), 3.0), 0);
		assert_eq!(t.txs[0].finalized, Some(3.0));
		// A foreign transaction is not ours; an unknown index is ignored.
		assert_eq!(t.best_block(h(12), 3, h(11), 9000, &[h(7)], 4.0), 0);
		t.submitted(5, 1.0);
	}
}
