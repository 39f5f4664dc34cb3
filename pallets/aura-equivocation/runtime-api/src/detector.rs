//! Finding equivocations among imported headers, without I/O: the node feeds it every block it
//! imports (with the block's slot and expected author) and reports what it returns.

use alloc::{collections::BTreeMap, vec::Vec};
use polkadot_sdk::{
	sp_consensus_slots::{EquivocationProof, Slot},
	sp_runtime::traits::Header as HeaderT,
};

/// Most blocks remembered per slot: an honest slot has one, an equivocating author a few more.
const MAX_BLOCKS_PER_SLOT: usize = 8;

/// Remembers the blocks of the last `window` slots by author, and tells when an author sealed two
/// different blocks for one slot (once per author and slot).
pub struct EquivocationDetector<H: HeaderT, Id> {
	window: u64,
	/// Per slot: each author's first block, and whether it was already reported.
	slots: BTreeMap<Slot, Vec<(Id, H, bool)>>,
}

/// The hash of a header without its seal (the last digest item): what identifies the block, as
/// the same block sealed twice gets two seals.
fn unsealed_hash<H: HeaderT>(header: &H) -> H::Hash {
	let mut unsealed = header.clone();
	unsealed.digest_mut().pop();
	unsealed.hash()
}

impl<H: HeaderT, Id: Clone + PartialEq> EquivocationDetector<H, Id> {
	/// Remembers blocks of the last `window` slots.
	pub fn new(window: u64) -> Self {
		Self { window, slots: BTreeMap::new() }
	}

	/// Notes a block of `slot` whose author is `author`. Returns the proof of an equivocation
	/// if `author` already sealed a different block for `slot` (the first time only). Slots
	/// older than `window` before the newest noted are forgotten.
	pub fn note(&mut self, slot: Slot, author: Id, header: H) -> Option<EquivocationProof<H, Id>> {
		let newest = self.slots.keys().next_back().copied().unwrap_or(slot).max(slot);
		let oldest_kept = Slot::from(newest.saturating_sub(self.window));
		self.slots = self.slots.split_off(&oldest_kept);
		if slot < oldest_kept {
			return None;
		}
		let blocks = self.slots.entry(slot).or_default();
		if let Some((_, first, reported)) = blocks.iter_mut().find(|(who, _, _)| *who == author) {
			if *reported || unsealed_hash(first) == unsealed_hash(&header) {
				return None;
			}
			*reported = true;
			return Some(EquivocationProof {
				offender: author,
				slot,
				first_header: first.clone(),
				second_header: header,
			});
		}
		if blocks.len() < MAX_BLOCKS_PER_SLOT {
			blocks.push((author, header, false));
		}
		None
	}

	/// How many slots are remembered.
	pub fn slots_remembered(&self) -> usize {
		self.slots.len()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::{generic::DigestItem, testing::Header};

	fn block(number: u64, salt: u8) -> Header {
		let mut header = Header::new_from_number(number);
		header.digest_mut().push(DigestItem::Other(vec![salt]));
		header.digest_mut().push(DigestItem::Seal(*b"aura", vec![salt]));
		header
	}

	#[test]
	fn a_second_block_of_the_same_slot_and_author_is_reported_once() {
		let mut detector = EquivocationDetector::new(100);
		assert!(detector.note(Slot::from(10), 1u32, block(5, 1)).is_none());
		// Another author's block for the slot is not the first author's equivocation.
		assert!(detector.note(Slot::from(10), 2u32, block(5, 2)).is_none());
		let proof = detector.note(Slot::from(10), 1u32, block(5, 3)).expect("an equivocation");
		assert_eq!((proof.offender, proof.slot), (1, Slot::from(10)));
		assert_eq!((proof.first_header, proof.second_header), (block(5, 1), block(5, 3)));
		// Reported once, however many more blocks follow.
		assert!(detector.note(Slot::from(10), 1u32, block(5, 4)).is_none());
	}

	#[test]
	fn the_same_block_again_or_resealed_is_no_equivocation() {
		let mut detector = EquivocationDetector::new(100);
		assert!(detector.note(Slot::from(10), 1u32, block(5, 1)).is_none());
		assert!(detector.note(Slot::from(10), 1u32, block(5, 1)).is_none());
		let mut resealed = block(5, 1);
		resealed.digest_mut().pop();
		resealed.digest_mut().push(DigestItem::Seal(*b"aura", vec![9]));
		assert!(detector.note(Slot::from(10), 1u32, resealed).is_none());
	}

	#[test]
	fn old_slots_are_forgotten_and_memory_stays_bounded() {
		let mut detector = EquivocationDetector::new(10);
		for slot in 0..1_000u64 {
			detector.note(Slot::from(slot), 1u32, block(slot, 0));
		}
		assert_eq!(detector.slots_remembered(), 11);
		// A block of a forgotten slot is ignored, even if it equivocates.
		assert!(detector.note(Slot::from(5), 1u32, block(5, 1)).is_none());
		// Within the window it is found.
		assert!(detector.note(Slot::from(995), 1u32, block(995, 1)).is_some());
		// Many authors in one slot: at most MAX_BLOCKS_PER_SLOT remembered.
		for author in 0..100u32 {
			detector.note(Slot::from(999), author, block(999, 7));
		}
		assert!(detector.slots.get(&Slot::from(999)).unwrap().len() <= MAX_BLOCKS_PER_SLOT);
	}
}
