//! The journal's hash chain: each entry's hash covers its content and the previous entry's
//! hash, so a row changed, inserted or removed after the fact breaks every hash after it. Pure.

use crate::postings::Line;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// A journal entry as it is hashed and exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	/// Position in the journal, from 1, without gaps.
	pub seq: i64,
	pub block: u32,
	/// `Initialization`, `ApplyExtrinsic(i)`, `Finalization` or `Genesis`.
	pub phase: String,
	/// Index of the event in its block (0 for the opening entries).
	pub event_index: u32,
	/// `Pallet.Event`, or `Opening`.
	pub kind: String,
	pub lines: Vec<Line>,
}

impl Entry {
	/// The bytes the hash covers: every field, in a fixed order, unambiguous (fields are
	/// separated by a byte no field contains).
	pub fn canonical(&self) -> Vec<u8> {
		let mut out = format!(
			"{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
			self.seq, self.block, self.phase, self.event_index, self.kind
		);
		for line in &self.lines {
			out.push_str(&format!(
				"\u{1e}{}\u{1f}{}\u{1f}{}",
				line.account, line.debit, line.credit
			));
		}
		out.into_bytes()
	}

	/// This entry's hash, after `previous`.
	pub fn hash(&self, previous: &[u8; 32]) -> [u8; 32] {
		let mut hasher = Sha256::new();
		hasher.update(previous);
		hasher.update(self.canonical());
		hasher.finalize().into()
	}
}

/// Why a journal does not verify.
#[derive(Debug, PartialEq, Eq)]
pub enum Broken {
	/// Entry `seq` is not where it should be (a gap, or an entry removed or inserted).
	Sequence { expected: i64, found: i64 },
	/// Entry `seq`'s stored hash is not the hash of its content after the previous one.
	Hash { seq: i64 },
}

/// Recomputes the chain over `entries` (in order, from `seq` `first` after `previous`) against
/// their stored hashes; returns the last hash.
pub fn verify<'a>(
	entries: impl IntoIterator<Item = (&'a Entry, &'a [u8; 32])>,
	first: i64,
	previous: [u8; 32],
) -> Result<[u8; 32], Broken> {
	let mut previous = previous;
	for (expected, (entry, stored)) in (first..).zip(entries) {
		if entry.seq != expected {
			return Err(Broken::Sequence { expected, found: entry.seq });
		}
		let hash = entry.hash(&previous);
		if &hash != stored {
			return Err(Broken::Hash { seq: entry.seq });
		}
		previous = hash;
	}
	Ok(previous)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn entry(seq: i64, amount: u128) -> Entry {
		Entry {
			seq,
			block: 3,
			phase: "ApplyExtrinsic(1)".into(),
			event_index: seq as u32,
			kind: "Balances.Transfer".into(),
			lines: crate::postings::post(&crate::postings::BalanceEvent::Transfer {
				from: "A".into(),
				to: "B".into(),
				amount,
			}),
		}
	}

	fn chain(entries: &[Entry]) -> Vec<[u8; 32]> {
		let mut previous = GENESIS_HASH;
		entries
			.iter()
			.map(|e| {
				previous = e.hash(&previous);
				previous
			})
			.collect()
	}

	#[test]
	fn an_intact_journal_verifies_and_any_change_breaks_it() {
		let entries: Vec<_> = (1..=4).map(|seq| entry(seq, 10 * seq as u128)).collect();
		let hashes = chain(&entries);
		let pairs = || entries.iter().zip(hashes.iter());
		assert_eq!(verify(pairs(), 1, GENESIS_HASH), Ok(hashes[3]));

		// An amount altered in place.
		let mut altered = entries.clone();
		altered[1].lines[0].debit += 1;
		altered[1].lines[1].credit += 1;
		assert_eq!(
			verify(altered.iter().zip(hashes.iter()), 1, GENESIS_HASH),
			Err(Broken::Hash { seq: 2 })
		);
		// An entry removed.
		let removed: Vec<_> = pairs().filter(|(e, _)| e.seq != 3).collect();
		assert_eq!(
			verify(removed, 1, GENESIS_HASH),
			Err(Broken::Sequence { expected: 3, found: 4 })
		);
		// Re-hashing an altered entry does not help: the next entry's hash covers it.
		let mut rehashed = hashes.clone();
		rehashed[1] = altered[1].hash(&hashes[0]);
		assert_eq!(
			verify(altered.iter().zip(rehashed.iter()), 1, GENESIS_HASH),
			Err(Broken::Hash { seq: 3 })
		);
	}

	#[test]
	fn fields_cannot_run_into_each_other() {
		let mut a = entry(1, 5);
		let mut b = entry(1, 5);
		a.kind = "Balances.Transfer1".into();
		a.event_index = 2;
		b.kind = "Balances.Transfer".into();
		b.event_index = 12;
		assert_ne!(a.canonical(), b.canonical());
	}
}
