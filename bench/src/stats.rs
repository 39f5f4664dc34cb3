//! Figures from a run: rates, latency percentiles, sTPS from block timestamps. Pure functions.

use crate::tracker::{Block, Secs, TxTimes};
use serde::Serialize;

/// p50, p95 and p99 of a set of durations, seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
	pub p50: f64,
	pub p95: f64,
	pub p99: f64,
}

/// Nearest-rank percentiles; all zero for an empty set.
pub fn percentiles(mut values: Vec<f64>) -> Percentiles {
	if values.is_empty() {
		return Percentiles::default();
	}
	values.sort_by(|a, b| a.total_cmp(b));
	let rank = |p: f64| {
		let n = values.len();
		let i = ((p / 100.0) * n as f64).ceil() as usize;
		values[i.clamp(1, n) - 1]
	};
	Percentiles { p50: rank(50.0), p95: rank(95.0), p99: rank(99.0) }
}

/// Latencies from submission to inclusion and to finality, of the transactions that got there.
pub fn latencies(txs: &[TxTimes]) -> (Percentiles, Percentiles) {
	let since = |end: fn(&TxTimes) -> Option<Secs>| {
		txs.iter()
			.filter_map(|t| Some(end(t)? - t.submitted?))
			.map(|d| d.max(0.0))
			.collect::<Vec<_>>()
	};
	(percentiles(since(|t| t.included)), percentiles(since(|t| t.finalized)))
}

/// Sustained transactions per second as the chain itself timed them: our transactions in the
/// finalized blocks after the first that has any, over the time between that first block's
/// timestamp and the last's (polkadot-stps counts the same way). `None` with fewer than two
/// such blocks.
pub fn chain_tps(blocks: &[&Block]) -> Option<f64> {
	let with_ours: Vec<&&Block> = blocks.iter().filter(|b| !b.ours.is_empty()).collect();
	let (first, last) = (with_ours.first()?, with_ours.last()?);
	let span_ms = last.timestamp_ms.checked_sub(first.timestamp_ms)?;
	if span_ms == 0 {
		return None;
	}
	let counted: usize = with_ours.iter().skip(1).map(|b| b.succeeded()).sum();
	Some(counted as f64 * 1000.0 / span_ms as f64)
}

/// What a typical block of the run carried, per second of slot: the median of our successful
/// transactions per block, over the finalized blocks that hold any. Beside `chain_tps`, which
/// also spans the ramp at the start and the drain at the end (under a paced load a run's last
/// block or two carry only what was left): the two agree when blocks are full all along, and
/// the median shows what the chain sustained in between. `None` without such blocks.
pub fn median_block_tps(blocks: &[&Block], slot_ms: u64) -> Option<f64> {
	let mut per_block: Vec<usize> =
		blocks.iter().filter(|b| !b.ours.is_empty()).map(|b| b.succeeded()).collect();
	if per_block.is_empty() || slot_ms == 0 {
		return None;
	}
	per_block.sort_unstable();
	let n = per_block.len();
	// The mean of the two middle values for an even count.
	let median = (per_block[(n - 1) / 2] + per_block[n / 2]) as f64 / 2.0;
	Some(median * 1000.0 / slot_ms as f64)
}

/// Events per whole second of the run (`times` in seconds since the start), `seconds` buckets.
pub fn per_second(times: impl Iterator<Item = Secs>, seconds: usize) -> Vec<u64> {
	let mut buckets = vec![0u64; seconds];
	for t in times {
		if let Some(b) = buckets.get_mut(t.max(0.0) as usize) {
			*b += 1;
		}
	}
	buckets
}

#[cfg(test)]
mod tests {
	use super::*;

	fn block(number: u32, ts: u64, ours: usize) -> Block {
		Block {
			number,
			parent: [0; 32],
			timestamp_ms: ts,
			extrinsics: ours + 1,
			ours: (0..ours).collect(),
			positions: (1..=ours as u32).collect(),
			failed: 0,
			finalized: true,
		}
	}

	#[test]
	fn percentiles_by_nearest_rank() {
		let p = percentiles((1..=100).map(f64::from).collect());
		assert_eq!((p.p50, p.p95, p.p99), (50.0, 95.0, 99.0));
		assert_eq!(percentiles(vec![]), Percentiles::default());
		assert_eq!(percentiles(vec![7.0]).p99, 7.0);
	}

	#[test]
	fn chain_tps_counts_blocks_after_the_first_over_their_time_span() {
		let blocks =
			[block(1, 0, 0), block(2, 3000, 100), block(3, 6000, 300), block(4, 9000, 300)];
		let refs: Vec<&Block> = blocks.iter().collect();
		// 600 transactions in 6 s after the first block with any.
		assert_eq!(chain_tps(&refs), Some(100.0));
		assert_eq!(chain_tps(&refs[..2]), None);
		// Transactions that failed to dispatch are not counted.
		let mut blocks = blocks;
		blocks[3].failed = 300;
		let refs: Vec<&Block> = blocks.iter().collect();
		assert_eq!(chain_tps(&refs), Some(50.0));
	}

	#[test]
	fn median_block_tps_is_what_the_middle_block_carried_per_second_of_slot() {
		// A ramp (100), four steady blocks, a drain (10); blocks without ours do not count.
		let blocks = [
			block(1, 0, 0),
			block(2, 3000, 100),
			block(3, 6000, 3000),
			block(4, 9000, 3300),
			block(5, 12000, 2700),
			block(6, 15000, 3000),
			block(7, 18000, 10),
		];
		let refs: Vec<&Block> = blocks.iter().collect();
		// An odd count takes the middle one: 100, 2700, 3000, 3000, 3300; 1,000 a second.
		assert_eq!(median_block_tps(&refs[..6], 3000), Some(1000.0));
		// An even count the mean of the middle two: 10, 100, 2700, 3000, 3000, 3300.
		assert_eq!(median_block_tps(&refs, 3000), Some(950.0));
		// Failed transactions are not counted: 0, 10, 100, 2700, 3000, 3300.
		let mut blocks = blocks;
		blocks[2].failed = 3000;
		let refs: Vec<&Block> = blocks.iter().collect();
		assert_eq!(median_block_tps(&refs, 3000), Some(1400.0 * 1000.0 / 3000.0));
		assert_eq!(median_block_tps(&refs[..1], 3000), None);
		assert_eq!(median_block_tps(&refs, 0), None);
	}

	#[test]
	fn latencies_skip_transactions_that_never_got_there() {
		let txs = [
			TxTimes { submitted: Some(1.0), included: Some(2.0), finalized: Some(5.0) },
			TxTimes { submitted: Some(1.0), included: None, finalized: None },
		];
		let (inclusion, finality) = latencies(&txs);
		assert_eq!(inclusion.p99, 1.0);
		assert_eq!(finality.p50, 4.0);
		assert_eq!(per_second([0.5, 0.7, 2.1, 99.0].into_iter(), 3), vec![2, 0, 1]);
	}
}
