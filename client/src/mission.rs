//! Mission control: what past payments taught about each channel direction's liquidity, and
//! the probability that it carries an amount now. Lightning's anchors: LND's mission control
//! (outcomes remembered per directed channel, forgotten over time) and its bimodal estimator
//! (liquidity in a channel tends to sit at one end or the other).
//!
//! For a direction of capacity `c`, the liquidity `x` it can send is taken to have the density
//! `exp(-x/s) + exp((x-c)/s)` on `[0, c]`, `s` a fraction of `c`. Payments narrow it: one that
//! crossed with amount `a` shows `x >= a`, one that failed there shows `x < a`. The chance of
//! carrying `a` is then the share of that density above `a` within the known bounds. The bounds
//! relax back to `[0, c]` with a half-life, because payments move liquidity.
//!
//! Route choice prices that chance: a hop costs its fee plus `price * -ln(p)`, so that the
//! costs of a route add up to its fees plus `price * -ln(P(route succeeds))`
//! ([`crate::route::Graph::find_route_priced`]).

use crate::Balance;
use std::{collections::HashMap, hash::Hash};

/// The model's settings.
#[derive(Clone, Copy, Debug)]
pub struct Estimator {
	/// `s` as a fraction of the capacity: how close to the ends liquidity tends to sit.
	pub scale: f64,
	/// Seconds after which what an outcome taught counts half.
	pub half_life: f64,
	/// What a failed attempt is worth avoiding, fixed part (balance units).
	pub attempt_base: Balance,
	/// And parts per million of the amount.
	pub attempt_ppm: u32,
}

impl Default for Estimator {
	fn default() -> Self {
		Self { scale: 0.1, half_life: 3600.0, attempt_base: 100, attempt_ppm: 1_000 }
	}
}

/// What is known of one direction's liquidity: at least `min`, below `max` (if failed), when.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bounds {
	min: Balance,
	max: Option<Balance>,
	at: u64,
}

/// Outcomes by directed channel (`K`: for example the channel and the sending account).
#[derive(Clone, Debug)]
pub struct MissionControl<K> {
	pub estimator: Estimator,
	known: HashMap<K, Bounds>,
}

impl<K: Hash + Eq + Clone> MissionControl<K> {
	pub fn new(estimator: Estimator) -> Self {
		Self { estimator, known: HashMap::new() }
	}

	/// The bounds of `key` at `now`, relaxed by the time since they were learnt.
	fn bounds(&self, key: &K, capacity: Balance, now: u64) -> (f64, f64) {
		let c = capacity as f64;
		let Some(b) = self.known.get(key) else { return (0.0, c) };
		let age = now.saturating_sub(b.at) as f64;
		let keep = 0.5f64.powf(age / self.estimator.half_life.max(1.0));
		let min = (b.min as f64).min(c) * keep;
		let max = b.max.map_or(c, |m| c - (c - (m as f64).min(c)) * keep);
		(min, max.max(min))
	}

	/// The probability that `key` (of `capacity`) carries `amount` at time `now` (seconds).
	pub fn probability(&self, key: &K, capacity: Balance, amount: Balance, now: u64) -> f64 {
		if amount > capacity {
			return 0.0;
		}
		if amount == 0 {
			return 1.0;
		}
		let (min, max) = self.bounds(key, capacity, now);
		let a = amount as f64;
		if a <= min {
			return 1.0;
		}
		if a > max {
			return 0.0;
		}
		bimodal_share(capacity as f64, self.estimator.scale, min, max, a)
	}

	/// The price of the risk that `key` fails to carry `amount`: `None` if it surely fails.
	pub fn risk(&self, key: &K, capacity: Balance, amount: Balance, now: u64) -> Option<Balance> {
		let p = self.probability(key, capacity, amount, now);
		if p <= 0.0 {
			return None;
		}
		let e = &self.estimator;
		let price = e
			.attempt_base
			.saturating_add(amount.saturating_mul(e.attempt_ppm as Balance) / 1_000_000);
		// `-ln p` is at most about 745 for the smallest positive f64: no overflow in practice,
		// and `as` saturates anyway.
		Some((price as f64 * -p.ln()).round() as Balance)
	}

	/// The bounds of `key` (of `capacity`) as they stand at `now`: what was learnt, relaxed by
	/// its age, so that a new outcome merges with what is still believed, not with what was
	/// believed then.
	fn current(&self, key: &K, capacity: Balance, now: u64) -> Bounds {
		if !self.known.contains_key(key) {
			return Bounds { min: 0, max: None, at: now };
		}
		let (min, max) = self.bounds(key, capacity, now);
		let max = (max < capacity as f64).then(|| max.ceil() as Balance);
		Bounds { min: min.floor() as Balance, max, at: now }
	}

	/// `key` (of `capacity`) carried `amount` at `now`.
	pub fn success(&mut self, key: K, capacity: Balance, amount: Balance, now: u64) {
		let mut b = self.current(&key, capacity, now);
		b.min = b.min.max(amount);
		// A max at or below what just crossed is stale: liquidity moved.
		if b.max.is_some_and(|m| m <= amount) {
			b.max = None;
		}
		self.known.insert(key, b);
	}

	/// `key` (of `capacity`) could not carry `amount` at `now`.
	pub fn failure(&mut self, key: K, capacity: Balance, amount: Balance, now: u64) {
		let mut b = self.current(&key, capacity, now);
		b.max = Some(b.max.map_or(amount, |m| m.min(amount)));
		if b.min >= amount {
			b.min = 0;
		}
		self.known.insert(key, b);
	}

	/// An attempt along `hops` (each a direction, its capacity and the amount it had to
	/// carry): every hop before `failed_at` carried its amount, the one at `failed_at` did not
	/// (`None`: all did).
	pub fn attempt(&mut self, hops: &[(K, Balance, Balance)], failed_at: Option<usize>, now: u64) {
		for (i, (key, capacity, amount)) in hops.iter().enumerate() {
			match failed_at {
				Some(f) if i == f => {
					self.failure(key.clone(), *capacity, *amount, now);
					return;
				}
				_ => self.success(key.clone(), *capacity, *amount, now),
			}
		}
	}

	/// What it remembers, for storing: (direction, at least, below (if failed), when).
	pub fn entries(&self) -> impl Iterator<Item = (&K, Balance, Option<Balance>, u64)> {
		self.known.iter().map(|(k, b)| (k, b.min, b.max, b.at))
	}

	/// Puts back an entry of [`MissionControl::entries`].
	pub fn restore(&mut self, key: K, min: Balance, max: Option<Balance>, at: u64) {
		self.known.insert(key, Bounds { min, max, at });
	}

	/// How many directions it remembers.
	pub fn len(&self) -> usize {
		self.known.len()
	}

	pub fn is_empty(&self) -> bool {
		self.known.is_empty()
	}

	/// Forgets what is older than `age` seconds at `now` (it weighs little by then), so that
	/// memory stays bounded by the directions used recently.
	pub fn forget_older_than(&mut self, age: u64, now: u64) {
		self.known.retain(|_, b| now.saturating_sub(b.at) <= age);
	}
}

/// The share of the bimodal density on `[0, c]` (scale `s·c`) lying in `[a, max]`, among
/// `[min, max]`.
fn bimodal_share(c: f64, scale: f64, min: f64, max: f64, a: f64) -> f64 {
	let s = (c * scale).max(1.0);
	// The density's primitive, shifted so that it stays within f64 for any c / s.
	let primitive = |x: f64| (((x - c) / s).exp() - (-x / s).exp()) * s;
	let whole = primitive(max) - primitive(min);
	if whole.is_nan() || whole <= 0.0 {
		// No width: uniform on a point.
		return if a <= min { 1.0 } else { 0.0 };
	}
	((primitive(max) - primitive(a)) / whole).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn mc() -> MissionControl<u32> {
		MissionControl::new(Estimator::default())
	}

	#[test]
	fn unknown_channels_follow_the_bimodal_prior() {
		let m = mc();
		// Small amounts almost surely pass, half the capacity about half the time, the whole
		// capacity rarely: most liquidity sits at one end.
		assert!(m.probability(&1, 1_000_000, 1_000, 0) > 0.95);
		let half = m.probability(&1, 1_000_000, 500_000, 0);
		assert!((half - 0.5).abs() < 0.01, "{half}");
		assert!(m.probability(&1, 1_000_000, 999_000, 0) < 0.05);
		assert_eq!(m.probability(&1, 1_000_000, 1_000_001, 0), 0.0);
		assert_eq!(m.probability(&1, 0, 0, 0), 1.0);
		// Monotone in the amount.
		let ps: Vec<f64> = (1..10).map(|k| m.probability(&1, 1_000_000, k * 100_000, 0)).collect();
		assert!(ps.windows(2).all(|w| w[0] >= w[1]), "{ps:?}");
	}

	#[test]
	fn outcomes_narrow_the_bounds_and_time_relaxes_them() {
		let mut m = mc();
		m.success(1, 1_000_000, 600_000, 0);
		assert_eq!(m.probability(&1, 1_000_000, 600_000, 0), 1.0);
		m.failure(2, 1_000_000, 300_000, 0);
		assert_eq!(m.probability(&2, 1_000_000, 300_000, 0), 0.0);
		assert_eq!(m.risk(&2, 1_000_000, 300_000, 0), None);
		// Below the failure: possible, but less likely than before (the high mode is gone).
		let below = m.probability(&2, 1_000_000, 100_000, 0);
		assert!(below > 0.2 && below < m.probability(&9, 1_000_000, 100_000, 0), "{below}");
		// An hour later each counts half: no longer certain either way.
		let later = m.probability(&2, 1_000_000, 300_000, 3_600);
		assert!(later > 0.0 && later < 0.5, "{later}");
		assert!(m.probability(&1, 1_000_000, 600_000, 3_600) < 1.0);
		// A success above a failure's bound says liquidity moved: the bound goes.
		m.success(2, 1_000_000, 500_000, 10);
		assert_eq!(m.probability(&2, 1_000_000, 500_000, 10), 1.0);
		// And a failure below what crossed before resets the lower bound.
		m.failure(1, 1_000_000, 200_000, 10);
		assert_eq!(m.probability(&1, 1_000_000, 200_000, 10), 0.0);
		assert!(m.probability(&1, 1_000_000, 100_000, 10) > 0.0);
		m.forget_older_than(5, 20);
		assert!(m.is_empty());
	}

	#[test]
	fn a_new_outcome_merges_with_what_is_still_believed() {
		let mut m = mc();
		m.success(1, 1_000_000, 900_000, 0);
		m.failure(2, 1_000_000, 100_000, 0);
		// Ten half-lives later, little of either is believed. A small success must not bring
		// the old 900,000 back as fresh, nor a small failure the old 100,000.
		let later = 36_000;
		m.success(1, 1_000_000, 10_000, later);
		assert!(m.probability(&1, 1_000_000, 500_000, later) < 0.6);
		m.failure(2, 1_000_000, 800_000, later);
		assert!(m.probability(&2, 1_000_000, 300_000, later) > 0.0);
		// While what was learnt is fresh, it still counts.
		m.success(3, 1_000_000, 900_000, 0);
		m.success(3, 1_000_000, 10_000, 1);
		assert_eq!(m.probability(&3, 1_000_000, 800_000, 1), 1.0);
	}

	#[test]
	fn an_attempt_teaches_every_hop_up_to_the_failing_one() {
		let mut m = mc();
		m.attempt(&[(1, 1_000, 500), (2, 1_000, 490), (3, 1_000, 480)], Some(1), 0);
		assert_eq!(m.probability(&1, 1_000, 500, 0), 1.0);
		assert_eq!(m.probability(&2, 1_000, 490, 0), 0.0);
		// Nothing is known past the failure.
		assert_eq!(m.len(), 2);
		m.attempt(&[(3, 1_000, 480), (4, 1_000, 470)], None, 0);
		assert_eq!(m.probability(&4, 1_000, 470, 0), 1.0);
	}

	#[test]
	fn risk_prices_unlikely_hops_higher_and_sure_ones_at_nothing() {
		let m = mc();
		let small = m.risk(&1, 1_000_000, 10_000, 0).unwrap();
		let big = m.risk(&1, 1_000_000, 900_000, 0).unwrap();
		assert!(small < big, "{small} < {big}");
		let mut m = m;
		m.success(1, 1_000_000, 900_000, 0);
		assert_eq!(m.risk(&1, 1_000_000, 900_000, 0), Some(0));
	}
}
