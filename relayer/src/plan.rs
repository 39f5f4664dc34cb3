//! The relayer's decisions, as pure functions of what it read from the two chains. It keeps no
//! state: every decision is taken again from the chains, so a restart resumes where the chains
//! are, and relayers running side by side reach the same decisions.

use anyhow::{ensure, Result};
use std::future::Future;
use tpw_client::{bridge::MessageNonce, BlockNumber};

/// What of a chain's bridge state the other chain learns through a header of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
	/// Messages queued for the other chain (`latest_generated` of the lane to it).
	pub generated: MessageNonce,
	/// Messages received from the other chain (`last_delivered` of the inbound lane): the
	/// receipt the other chain confirms with.
	pub delivered: MessageNonce,
}

/// Whether the other chain needs a newer header of this one: the finalized state has messages
/// or a receipt that the header the other chain's light client knows does not show.
pub fn header_needed(known: Progress, finalized: Progress) -> bool {
	finalized.generated > known.generated || finalized.delivered > known.delivered
}

/// The messages to deliver next: from the one after `last_delivered` (the destination's
/// receipt) to the last one `generated` at the header the destination knows, at most `max`.
pub fn delivery_range(
	last_delivered: MessageNonce,
	generated: MessageNonce,
	max: u32,
) -> Option<(MessageNonce, MessageNonce)> {
	if generated <= last_delivered || max == 0 {
		return None;
	}
	let first = last_delivered + 1;
	Some((first, generated.min(last_delivered.saturating_add(MessageNonce::from(max)))))
}

/// Whether a receipt is worth proving to the source: the destination's delivered nonce, as the
/// source's light client can see it, is beyond what the source has confirmed.
pub fn receipt_due(proven_delivered: MessageNonce, confirmed: MessageNonce) -> bool {
	proven_delivered > confirmed
}

/// The first block in `lo + 1 ..= hi` whose GRANDPA set id exceeds `known`, by binary search:
/// set ids never decrease along a chain, block `lo` has at most `known` (the light client's
/// set, from a header it imported) and block `hi` more (the finalized head). That block enacts
/// the next authority set: the light client must import it before any later header, whose
/// justification the new set signs.
pub async fn first_block_above<F, Fut>(
	lo: BlockNumber,
	hi: BlockNumber,
	known: u64,
	mut set_id: F,
) -> Result<BlockNumber>
where
	F: FnMut(BlockNumber) -> Fut,
	Fut: Future<Output = Result<u64>>,
{
	ensure!(lo < hi, "no block between #{lo} and #{hi}");
	let (mut lo, mut hi) = (lo, hi);
	// Invariant: set_id(lo) <= known < set_id(hi).
	while hi - lo > 1 {
		let mid = lo + (hi - lo) / 2;
		if set_id(mid).await? > known {
			hi = mid;
		} else {
			lo = mid;
		}
	}
	Ok(hi)
}

/// The first block in `lo + 1 ..= hi` that `schedules_change`, header by header: how the block
/// that enacts the next authority set is found when the state [`first_block_above`] reads is
/// pruned (headers never are). With GRANDPA changes that take effect at once (the only kind the
/// light client accepts), the block that schedules the change is the one that enacts it.
pub async fn first_block_scheduling_change<F, Fut>(
	lo: BlockNumber,
	hi: BlockNumber,
	mut schedules_change: F,
) -> Result<BlockNumber>
where
	F: FnMut(BlockNumber) -> Fut,
	Fut: Future<Output = Result<bool>>,
{
	for number in lo.saturating_add(1)..=hi {
		if schedules_change(number).await? {
			return Ok(number);
		}
	}
	anyhow::bail!(
		"no header in #{}..=#{hi} schedules an authority set change",
		lo.saturating_add(1)
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::cell::Cell;

	#[test]
	fn a_scheduled_change_is_found_header_by_header() {
		let run = |lo, hi, change: BlockNumber| {
			block_on(first_block_scheduling_change(lo, hi, |n| async move { Ok(n == change) }))
		};
		assert_eq!(run(10, 40, 23).unwrap(), 23);
		assert_eq!(run(10, 40, 40).unwrap(), 40);
		// The light client's own header is not searched, nor anything past the head.
		assert!(run(10, 40, 10).is_err());
		assert!(run(10, 40, 41).is_err());
		assert!(run(40, 40, 40).is_err());
	}

	#[test]
	fn the_range_starts_after_the_receipt_and_is_capped() {
		assert_eq!(delivery_range(0, 0, 16), None);
		assert_eq!(delivery_range(4, 4, 16), None);
		// A header older than the receipt (another relayer's delivery): nothing to do.
		assert_eq!(delivery_range(5, 3, 16), None);
		assert_eq!(delivery_range(0, 1, 16), Some((1, 1)));
		assert_eq!(delivery_range(2, 4, 16), Some((3, 4)));
		assert_eq!(delivery_range(2, 40, 16), Some((3, 18)));
		assert_eq!(delivery_range(2, 18, 16), Some((3, 18)));
		assert_eq!(delivery_range(2, 19, 16), Some((3, 18)));
		assert_eq!(delivery_range(3, 9, 1), Some((4, 4)));
		assert_eq!(delivery_range(3, 9, 0), None);
		assert_eq!(delivery_range(u64::MAX - 1, u64::MAX, 16), Some((u64::MAX, u64::MAX)));
	}

	#[test]
	fn a_header_is_needed_for_new_messages_or_a_new_receipt_only() {
		let known = Progress { generated: 3, delivered: 2 };
		assert!(!header_needed(known, known));
		assert!(header_needed(known, Progress { generated: 4, delivered: 2 }));
		assert!(header_needed(known, Progress { generated: 3, delivered: 3 }));
		// Confirmations on the source do not change these: no header for them.
		assert!(!header_needed(known, Progress { generated: 3, delivered: 1 }));
		assert!(receipt_due(4, 3));
		assert!(!receipt_due(3, 3));
		assert!(!receipt_due(2, 3));
	}

	/// Set ids of a chain whose sets change at blocks 10 and 25 (and 26: two in a row).
	fn set_id(n: BlockNumber) -> u64 {
		[10, 25, 26].iter().filter(|&&change| n >= change).count() as u64
	}

	fn search(lo: BlockNumber, hi: BlockNumber, known: u64) -> (BlockNumber, u32) {
		let calls = Cell::new(0u32);
		let found = block_on(first_block_above(lo, hi, known, |n| {
			calls.set(calls.get() + 1);
			std::future::ready(Ok(set_id(n)))
		}))
		.unwrap();
		(found, calls.get())
	}

	#[test]
	fn binary_search_finds_the_block_that_enacts_the_next_set() {
		assert_eq!(search(3, 40, 0).0, 10);
		assert_eq!(search(9, 10, 0), (10, 0));
		assert_eq!(search(10, 1000, 1).0, 25);
		assert_eq!(search(25, 1000, 2).0, 26);
		assert_eq!(search(0, 26, 0).0, 10);
		// Logarithmic in the distance: 20 reads for a million blocks.
		let (found, calls) = search(0, 1_000_000, 2);
		assert_eq!(found, 26);
		assert!(calls <= 20, "{calls} reads");
		assert!(block_on(first_block_above(5, 5, 0, |_| std::future::ready(Ok(1)))).is_err());
		// A read that fails fails the search.
		let failing = first_block_above(0, 100, 0, |_| async { anyhow::bail!("node down") });
		assert!(block_on(failing).is_err());
	}

	/// Runs a future that never waits (the mocks are ready at once).
	fn block_on<F: Future>(future: F) -> F::Output {
		tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future)
	}
}
