//! A simulated payment network, to compare route finders on the same payments: today's
//! cheapest route, routes priced by [`crate::mission`]'s learned success probabilities, and
//! the latter with fees that move with liquidity ([`crate::route::liquidity_fee_ppm`]).
//!
//! The network grows by preferential attachment (a few hubs, many small nodes), capacities
//! follow a Pareto law (many small channels, a few large ones), and each channel's liquidity
//! sits mostly at one end (drawn from the bimodal shape the estimator assumes). The payer sees
//! capacities and fees, its own channels' balances, and nothing else; a payment that reaches a
//! hop without the liquidity fails there and the payer learns which hop (as Lightning's onion
//! errors tell it). Successful payments move liquidity. Deterministic for a seed.

use crate::{
	mission::{Estimator, MissionControl},
	route::{liquidity_fee_ppm, Edge, Graph, Route},
	AccountId, Balance,
};
use std::collections::{HashMap, HashSet};

/// What a network and its payments look like.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
	pub nodes: usize,
	pub payments: usize,
	/// Attempts per payment before giving up.
	pub attempts: usize,
	/// Smallest channel capacity, and the Pareto exponent of capacities (lower: more skewed).
	pub min_capacity: Balance,
	pub pareto_alpha: f64,
	/// Payment amounts, log-uniform in this range.
	pub amounts: (Balance, Balance),
	/// Seconds of simulated time between payments (what mission control forgets by).
	pub seconds_between: u64,
	pub seed: u64,
}

impl Default for Scenario {
	fn default() -> Self {
		Self {
			nodes: 1_000,
			payments: 1_000,
			attempts: 10,
			min_capacity: 50_000,
			pareto_alpha: 1.1,
			amounts: (100, 100_000),
			seconds_between: 10,
			seed: 7,
		}
	}
}

/// How payers choose routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
	/// Least fee, then fewest hops; a hop that failed is avoided for the rest of the payment.
	Cheapest,
	/// Least fee plus the price of the risk of failing, learnt across payments.
	Learned,
	/// Learned, and forwarders charge more on a side that is nearly drained.
	LearnedLiquidityFees,
}

/// What one strategy achieved.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
	pub payments: usize,
	pub succeeded: usize,
	/// Attempts made, over all payments.
	pub attempts: usize,
	/// Fees paid by the payments that succeeded, and what they delivered.
	pub fees: Balance,
	pub delivered: Balance,
}

impl Outcome {
	pub fn success_rate(&self) -> f64 {
		self.succeeded as f64 / self.payments.max(1) as f64
	}
	pub fn attempts_per_payment(&self) -> f64 {
		self.attempts as f64 / self.payments.max(1) as f64
	}
	/// Fees in parts per million of what was delivered.
	pub fn fee_ppm(&self) -> f64 {
		self.fees as f64 * 1e6 / self.delivered.max(1) as f64
	}
}

/// A small, fast, seedable generator (SplitMix64): the simulation must be reproducible.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	/// Uniform in [0, 1).
	fn unit(&mut self) -> f64 {
		(self.next() >> 11) as f64 / (1u64 << 53) as f64
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n.max(1) as u64) as usize
	}
}

/// The network: its graph as payers see it, and each direction's real liquidity.
pub struct Network {
	pub graph: Graph,
	/// What each edge's sender can really send now.
	liquidity: Vec<Balance>,
	/// The edge of the other direction.
	reverse: Vec<usize>,
	/// Advertised proportional fees, before any liquidity premium.
	base_ppm: Vec<u32>,
	pub nodes: Vec<AccountId>,
}

fn account(n: usize) -> AccountId {
	let mut raw = [0u8; 32];
	raw[..8].copy_from_slice(&(n as u64).to_le_bytes());
	AccountId::from(raw)
}

impl Network {
	/// Grows the network of `scenario`.
	pub fn generate(scenario: &Scenario) -> Self {
		let mut rng = Rng(scenario.seed);
		let nodes: Vec<AccountId> = (0..scenario.nodes).map(account).collect();
		// Every channel end once: picking from it picks nodes by degree.
		let mut ends: Vec<usize> = Vec::new();
		let mut pairs: HashSet<(usize, usize)> = HashSet::new();
		let mut net = Network {
			graph: Graph::default(),
			liquidity: Vec::new(),
			reverse: Vec::new(),
			base_ppm: Vec::new(),
			nodes,
		};
		for n in 1..scenario.nodes {
			// One to four channels, most nodes few.
			let wanted = 1 + (rng.unit().powi(2) * 4.0) as usize;
			for _ in 0..wanted {
				let peer = if ends.is_empty() || rng.unit() < 0.1 {
					rng.below(n)
				} else {
					ends[rng.below(ends.len())]
				};
				let pair = (peer.min(n), peer.max(n));
				if peer == n || !pairs.insert(pair) {
					continue;
				}
				ends.extend([peer, n]);
				net.add_channel(&mut rng, scenario, n, peer);
			}
		}
		net
	}

	fn add_channel(&mut self, rng: &mut Rng, scenario: &Scenario, a: usize, b: usize) {
		let pareto =
			scenario.min_capacity as f64 / (1.0 - rng.unit()).powf(1.0 / scenario.pareto_alpha);
		let capacity = pareto.min(1e12) as Balance;
		// Bimodal split, by rejection from the estimator's own shape (scale 0.1).
		let share = loop {
			let f = rng.unit();
			let density = ((-f / 0.1).exp() + ((f - 1.0) / 0.1).exp()) / (1.0 + (-10.0f64).exp());
			if rng.unit() < density {
				break f;
			}
		};
		let at_a = (capacity as f64 * share) as Balance;
		let channel = self.graph.edges.len() as u64 / 2;
		let first = self.graph.edges.len();
		for (from, to, liquidity) in [(a, b, at_a), (b, a, capacity - at_a)] {
			// Most forwarders ask little, a few a lot (median about 70 ppm).
			let fee_ppm = (50.0 / (1.0 - rng.unit()).sqrt()).min(5_000.0) as u32;
			let fee_base = [0, 0, 0, 1, 1, 10][rng.below(6)];
			self.graph.edges.push(Edge {
				channel,
				from: self.nodes[from].clone(),
				to: self.nodes[to].clone(),
				capacity,
				fee_base,
				fee_ppm,
				expiry_delta: 40,
			});
			self.base_ppm.push(fee_ppm);
			self.liquidity.push(liquidity);
		}
		self.reverse.extend([first + 1, first]);
	}

	/// Channels (each two directed edges).
	pub fn channels(&self) -> usize {
		self.graph.edges.len() / 2
	}

	/// Sends along `route`: `Err(hop)` at the first hop without the liquidity (nothing moves),
	/// else the liquidity moves hop by hop.
	fn send(&mut self, edges: &[usize], route: &Route) -> Result<(), usize> {
		for (k, (&e, hop)) in edges.iter().zip(&route.hops).enumerate() {
			if self.liquidity[e] < hop.amount {
				return Err(k);
			}
		}
		for (&e, hop) in edges.iter().zip(&route.hops) {
			self.liquidity[e] -= hop.amount;
			self.liquidity[self.reverse[e]] += hop.amount;
		}
		Ok(())
	}

	/// Forwarders re-advertise their proportional fee from their liquidity.
	fn update_fees(&mut self) {
		for (i, e) in self.graph.edges.iter_mut().enumerate() {
			e.fee_ppm = liquidity_fee_ppm(self.base_ppm[i], self.liquidity[i], e.capacity);
		}
	}
}

/// Runs `scenario`'s payments with `strategy` on a fresh copy of its network.
pub fn run(scenario: &Scenario, strategy: Strategy) -> Outcome {
	let mut net = Network::generate(scenario);
	// The same payments for every strategy.
	let mut rng = Rng(scenario.seed ^ 0x5EED);
	let edge_of: HashMap<(u64, AccountId), usize> =
		net.graph.edges.iter().enumerate().map(|(i, e)| ((e.channel, e.from.clone()), i)).collect();
	let mut mission: MissionControl<usize> = MissionControl::new(Estimator::default());
	let mut outcome = Outcome { payments: scenario.payments, ..Outcome::default() };
	let (low, high) = (scenario.amounts.0.max(1) as f64, scenario.amounts.1.max(1) as f64);
	for p in 0..scenario.payments {
		let now = p as u64 * scenario.seconds_between;
		let source = rng.below(net.nodes.len());
		let mut target = rng.below(net.nodes.len());
		if target == source {
			target = (target + 1) % net.nodes.len();
		}
		let amount = (low * (high / low).powf(rng.unit())) as Balance;
		if strategy == Strategy::LearnedLiquidityFees {
			net.update_fees();
		}
		let (from, to) = (net.nodes[source].clone(), net.nodes[target].clone());
		let mut failed: HashSet<usize> = HashSet::new();
		for _ in 0..scenario.attempts {
			let liquidity = &net.liquidity;
			let usable = |i: usize, e: &Edge, carried: Balance| {
				// The payer knows its own balances, and skips what failed in this payment.
				!failed.contains(&i) && (e.from != from || liquidity[i] >= carried)
			};
			let route = match strategy {
				Strategy::Cheapest => {
					net.graph.find_route_priced(&from, &to, amount, 0, 40, |i, e, c| {
						usable(i, e, c).then_some(0)
					})
				}
				Strategy::Learned | Strategy::LearnedLiquidityFees => {
					net.graph.find_route_priced(&from, &to, amount, 0, 40, |i, e, c| {
						if !usable(i, e, c) {
							return None;
						}
						if e.from == from {
							return Some(0);
						}
						mission.risk(&i, e.capacity, c, now)
					})
				}
			};
			let Some(route) = route else { break };
			outcome.attempts += 1;
			let edges: Vec<usize> =
				route.hops.iter().map(|h| edge_of[&(h.channel, h.from.clone())]).collect();
			let result = net.send(&edges, &route);
			let hops: Vec<(usize, Balance, Balance)> = edges
				.iter()
				.zip(&route.hops)
				.map(|(&e, h)| (e, net.graph.edges[e].capacity, h.amount))
				.collect();
			mission.attempt(&hops, result.err(), now);
			match result {
				Ok(()) => {
					outcome.succeeded += 1;
					outcome.fees += route.fee;
					outcome.delivered += amount;
					break;
				}
				Err(k) => {
					failed.insert(edges[k]);
				}
			}
		}
		// The learnt bounds of an hour ago weigh little: keep memory bounded.
		if p % 100 == 0 {
			mission.forget_older_than(6 * 3600, now);
		}
	}
	outcome
}

/// The comparison table (Markdown) of the three strategies on `scenario`.
pub fn table(scenario: &Scenario) -> String {
	let net = Network::generate(scenario);
	let mut out = format!(
		"{} nodes, {} channels, {} payments of {}..{} (log-uniform), up to {} attempts each, \
		 seed {}\n\n| route choice | success rate | attempts per payment | fees (ppm of amount) |\n\
		 | --- | --- | --- | --- |\n",
		scenario.nodes,
		net.channels(),
		scenario.payments,
		scenario.amounts.0,
		scenario.amounts.1,
		scenario.attempts,
		scenario.seed
	);
	for (name, strategy) in [
		("cheapest route (today)", Strategy::Cheapest),
		("learned (mission control, bimodal)", Strategy::Learned),
		("learned, liquidity-based fees", Strategy::LearnedLiquidityFees),
	] {
		let o = run(scenario, strategy);
		out += &format!(
			"| {name} | {:.1}% | {:.2} | {:.0} |\n",
			o.success_rate() * 100.0,
			o.attempts_per_payment(),
			o.fee_ppm()
		);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_network_is_skewed_and_conserves_liquidity() {
		let scenario = Scenario { payments: 200, ..Scenario::default() };
		let net = Network::generate(&scenario);
		assert!(net.channels() > scenario.nodes, "{} channels", net.channels());
		// A few hubs: the best-connected node has far more channels than the median.
		let mut degree = vec![0usize; scenario.nodes];
		for e in &net.graph.edges {
			let raw: &[u8; 32] = e.from.as_ref();
			degree[raw[0] as usize + 256 * raw[1] as usize] += 1;
		}
		degree.sort_unstable();
		assert!(degree[scenario.nodes - 1] >= 20 * degree[scenario.nodes / 2].max(1));
		// Skewed capacities: the largest tenth holds most of the capacity.
		let mut caps: Vec<Balance> =
			net.graph.edges.iter().step_by(2).map(|e| e.capacity).collect();
		caps.sort_unstable();
		let total: Balance = caps.iter().sum();
		let top: Balance = caps[caps.len() * 9 / 10..].iter().sum();
		assert!(top * 2 > total, "top tenth {top} of {total}");
		// Each channel's two sides add up to its capacity.
		for (i, e) in net.graph.edges.iter().enumerate() {
			assert_eq!(net.liquidity[i] + net.liquidity[net.reverse[i]], e.capacity);
		}
	}

	#[test]
	fn learned_routing_beats_the_cheapest_route_on_a_thousand_nodes() {
		let scenario = Scenario { payments: 300, ..Scenario::default() };
		let cheapest = run(&scenario, Strategy::Cheapest);
		let learned = run(&scenario, Strategy::Learned);
		assert!(cheapest.succeeded > 0 && cheapest.succeeded < scenario.payments);
		assert!(learned.success_rate() >= cheapest.success_rate(), "{learned:?} vs {cheapest:?}");
		assert!(
			learned.attempts_per_payment() < cheapest.attempts_per_payment(),
			"{learned:?} vs {cheapest:?}"
		);
		// The same seed, the same figures.
		assert_eq!(run(&scenario, Strategy::Learned), learned);
	}

	#[test]
	fn fees_rise_as_a_side_drains() {
		assert_eq!(liquidity_fee_ppm(100, 1_000, 1_000), 100);
		assert_eq!(liquidity_fee_ppm(100, 500, 1_000), 100);
		assert_eq!(liquidity_fee_ppm(100, 250, 1_000), 175);
		assert_eq!(liquidity_fee_ppm(100, 0, 1_000), 400);
		assert_eq!(liquidity_fee_ppm(u32::MAX, 0, 1_000), u32::MAX);
		assert_eq!(liquidity_fee_ppm(100, 0, 0), 100);
		let rates: Vec<u32> = (0..=10).map(|k| liquidity_fee_ppm(1_000, k * 100, 1_000)).collect();
		assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
	}
}
