//! The run's report: JSON for tools, a summary for people, a Markdown row for
//! `docs/performance.md`, and the per-second series for the plot.

use crate::{
	ceiling::Ceiling,
	observe::Heights,
	process::Usage,
	stats::{self, Percentiles},
	submit::Submitted,
	tracker::Tracker,
	workload::{Kind, Workload},
};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct Report {
	pub label: String,
	pub workload: Kind,
	pub transfers_per_tx: u32,
	pub accounts: usize,
	pub window: usize,
	/// Seconds transactions were being sent.
	pub load_secs: f64,
	pub sent: usize,
	pub refused: BTreeMap<String, u64>,
	pub pool_full_waits: u64,
	pub included: usize,
	pub finalized: usize,
	/// Finalized but failed to dispatch (fee paid, nothing done): not counted in `stps`.
	pub failed: usize,
	/// Those failures by error.
	pub failures: BTreeMap<String, u64>,
	/// Accepted by the node, never finalized.
	pub lost: usize,
	/// Sent per second of load.
	pub sent_per_sec: f64,
	/// Transactions per second in the finalized blocks that dispatched successfully, timed by
	/// the blocks' own timestamps.
	pub stps: f64,
	/// Finalized transactions per second of wall time, first inclusion to last finality.
	pub finalized_per_sec: f64,
	/// `stps` over the runtime's ceiling.
	pub of_ceiling: f64,
	/// The median block's transactions per second of slot (`stats::median_block_tps`), and
	/// over the ceiling.
	pub median_block_tps: f64,
	pub median_block_of_ceiling: f64,
	pub inclusion_latency: Percentiles,
	pub finality_latency: Percentiles,
	/// Most blocks finality trailed the best block by, while transactions were in flight.
	pub max_finality_lag: u32,
	pub ceiling: Ceiling,
	pub nodes: Vec<Usage>,
	/// Finalized blocks that hold any of the run's transactions: number, ours, all extrinsics,
	/// ours that failed to dispatch.
	pub blocks: Vec<(u32, usize, usize, usize)>,
}

impl Report {
	#[allow(clippy::too_many_arguments)]
	pub fn new(
		label: &str,
		workload: &Workload,
		accounts: usize,
		window: usize,
		load_secs: f64,
		tracker: &Tracker,
		failures: BTreeMap<String, u64>,
		sent: &Submitted,
		heights: &[Heights],
		ceiling: Ceiling,
		nodes: Vec<Usage>,
	) -> Self {
		let count =
			|f: fn(&crate::tracker::TxTimes) -> bool| tracker.txs.iter().filter(|t| f(t)).count();
		let included = count(|t| t.included.is_some());
		let finalized = count(|t| t.finalized.is_some());
		let blocks = tracker.finalized_blocks();
		let stps = stats::chain_tps(&blocks).unwrap_or(0.0);
		let median_block_tps = stats::median_block_tps(&blocks, ceiling.slot_ms).unwrap_or(0.0);
		let (inclusion_latency, finality_latency) = stats::latencies(&tracker.txs);
		let first_inclusion =
			tracker.txs.iter().filter_map(|t| t.included).fold(f64::INFINITY, f64::min);
		let last_finality = tracker.txs.iter().filter_map(|t| t.finalized).fold(0.0, f64::max);
		let span = last_finality - first_inclusion;
		let in_flight_until = last_finality.max(load_secs);
		let max_finality_lag = heights
			.iter()
			.filter(|h| h.at <= in_flight_until)
			.map(|h| h.best.saturating_sub(h.finalized))
			.max()
			.unwrap_or(0);
		Self {
			label: label.to_owned(),
			workload: workload.kind,
			transfers_per_tx: workload.transfers_per_tx(),
			accounts,
			window,
			load_secs,
			sent: sent.sent,
			refused: sent.refused.clone(),
			pool_full_waits: sent.pool_full_waits,
			included,
			finalized,
			failed: usize::try_from(failures.values().sum::<u64>()).unwrap_or(usize::MAX),
			failures,
			lost: sent.sent.saturating_sub(finalized + sent.refused_txs.len()),
			sent_per_sec: if load_secs > 0.0 { sent.sent as f64 / load_secs } else { 0.0 },
			stps,
			finalized_per_sec: if span > 0.0 { finalized as f64 / span } else { 0.0 },
			of_ceiling: share(stps, ceiling.per_second),
			median_block_tps,
			median_block_of_ceiling: share(median_block_tps, ceiling.per_second),
			inclusion_latency,
			finality_latency,
			max_finality_lag,
			ceiling,
			nodes,
			blocks: blocks
				.iter()
				.filter(|b| !b.ours.is_empty())
				.map(|b| (b.number, b.ours.len(), b.extrinsics, b.failed))
				.collect(),
		}
	}

	pub fn summary(&self) -> String {
		let p = |l: &Percentiles| format!("{:.2}/{:.2}/{:.2} s", l.p50, l.p95, l.p99);
		format!(
			"{label}{workload:?}: sent {sent} ({sent_rate:.0}/s), finalized {fin} ({failed} failed \
			 to dispatch{failures}), lost {lost}, refused {refused}\n  sTPS {stps:.0} tx/s = {pct:.0}% of the ceiling {ceiling:.0} \
			 ({per_w} per block by weight, {per_l} by length; tx {tx_us:.1} µs, {tx_len} B)\n  \
			 the median block: {median:.0} tx/s = {median_pct:.0}% of the ceiling\n  \
			 inclusion p50/p95/p99 {incl}, finality {fin_l}, finality lag at most {lag} blocks\n  \
			 nodes: {nodes}",
			label =
				if self.label.is_empty() { String::new() } else { format!("[{}] ", self.label) },
			workload = self.workload,
			sent = self.sent,
			sent_rate = self.sent_per_sec,
			fin = self.finalized,
			failed = self.failed,
			failures = if self.failures.is_empty() {
				String::new()
			} else {
				format!(": {:?}", self.failures)
			},
			lost = self.lost,
			refused = self.refused.values().sum::<u64>(),
			stps = self.stps,
			pct = self.of_ceiling * 100.0,
			median = self.median_block_tps,
			median_pct = self.median_block_of_ceiling * 100.0,
			ceiling = self.ceiling.per_second,
			per_w = self.ceiling.per_block_by_weight,
			per_l = self.ceiling.per_block_by_length,
			tx_us = self.ceiling.tx_ref_time as f64 / 1e6,
			tx_len = self.ceiling.tx_length,
			incl = p(&self.inclusion_latency),
			fin_l = p(&self.finality_latency),
			lag = self.max_finality_lag,
			nodes = self
				.nodes
				.iter()
				.map(|n| format!("{:.2} cores, {:.0} MiB peak", n.cpu_cores, n.peak_rss_mib))
				.collect::<Vec<_>>()
				.join("; "),
		)
	}

	/// `| setting | workload | sTPS | ceiling | % (the median block's %) | inclusion p50/p99 | finality p50/p99 | lag | CPU | memory |`
	pub fn markdown_row(&self) -> String {
		let cpu: f64 = self.nodes.iter().map(|n| n.cpu_cores).sum();
		let rss = self.nodes.iter().map(|n| n.peak_rss_mib).fold(0.0, f64::max);
		let workload = match self.workload {
			Kind::Native => "native `transfer_keep_alive`".to_owned(),
			Kind::Assets => "`assets.transfer_keep_alive`".to_owned(),
			Kind::BatchedNative => format!("batched: {} transfers per tx", self.transfers_per_tx),
			Kind::RegulatedToken => "regulated token `tokenization.transfer`".to_owned(),
			Kind::ChannelOpen => "`payment_channels.open`".to_owned(),
		};
		format!(
			"| {} | {} | {:.0} | {:.0} | {:.0}% ({:.0}%) | {:.1} / {:.1} s | {:.1} / {:.1} s | {} | {} | {:.2} cores | {:.0} MiB |",
			self.label,
			workload,
			self.stps,
			self.ceiling.per_second,
			self.of_ceiling * 100.0,
			self.median_block_of_ceiling * 100.0,
			self.inclusion_latency.p50,
			self.inclusion_latency.p99,
			self.finality_latency.p50,
			self.finality_latency.p99,
			self.max_finality_lag,
			self.lost,
			cpu,
			rss,
		)
	}
}

/// `part / whole`, 0 for an empty whole.
fn share(part: f64, whole: f64) -> f64 {
	if whole > 0.0 {
		part / whole
	} else {
		0.0
	}
}

/// Per second of the run: sent, included, finalized, the inclusion and finality rates averaged
/// over the last `window` seconds (a slot: blocks come once per slot), best and finalized
/// heights and the lag between them.
pub fn series_csv(tracker: &Tracker, heights: &[Heights], window: usize) -> String {
	let window = window.max(1);
	let end = heights.last().map(|h| h.at).unwrap_or(0.0);
	let seconds = end.ceil() as usize + 1;
	let sent = stats::per_second(tracker.txs.iter().filter_map(|t| t.submitted), seconds);
	let included = stats::per_second(tracker.txs.iter().filter_map(|t| t.included), seconds);
	let finalized = stats::per_second(tracker.txs.iter().filter_map(|t| t.finalized), seconds);
	let average = |series: &[u64], s: usize| {
		let from = (s + 1).saturating_sub(window);
		series[from..=s].iter().sum::<u64>() as f64 / window as f64
	};
	let mut csv = String::from(
		"second,sent,included,finalized,included_per_sec,finalized_per_sec,best,finalized_height,lag\n",
	);
	let mut last = (0, 0);
	for s in 0..seconds {
		if let Some(h) = heights.iter().rev().find(|h| h.at < (s + 1) as f64) {
			last = (h.best, h.finalized);
		}
		csv.push_str(&format!(
			"{s},{},{},{},{:.1},{:.1},{},{},{}\n",
			sent[s],
			included[s],
			finalized[s],
			average(&included, s),
			average(&finalized, s),
			last.0,
			last.1,
			last.0.saturating_sub(last.1)
		));
	}
	csv
}
