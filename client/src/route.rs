//! Multi-hop routes: over a graph of known channels (directed edges with capacity, fee and
//! expiry delta), the route to a payee that costs the least in fees, then has the fewest hops.
//!
//! [`Graph::find_route_priced`] adds a price on each hop's risk of failing ([`crate::mission`]
//! learns it from payment outcomes), so that a cheap but unreliable route can lose to a dearer
//! one that is likely to work.
//!
//! The search runs Dijkstra backwards from the payee, because what a hop must carry depends on
//! the fees of every hop after it: the payee receives the amount, and each forwarding node adds
//! its fee for the hop it sends on. Fees only grow with the amount, so the cheapest label at a
//! node is never beaten by a dearer one later, and Dijkstra on (fee, hops) is exact.

use crate::{AccountId, Balance, BlockNumber, ChannelId};
use serde::{Deserialize, Serialize};
use std::{
	cmp::Reverse,
	collections::{BinaryHeap, HashMap},
};

/// One direction of a channel: `from` can send up to `capacity` to `to` over `channel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
	pub channel: ChannelId,
	pub from: AccountId,
	pub to: AccountId,
	pub capacity: Balance,
	/// What `from` charges to forward over this edge: `fee_base + amount * fee_ppm / 10^6`.
	#[serde(default)]
	pub fee_base: Balance,
	#[serde(default)]
	pub fee_ppm: u32,
	/// Blocks `from` keeps between the expiry it receives and the expiry it sends here, to
	/// claim upstream in time once the downstream reveals the preimage.
	#[serde(default)]
	pub expiry_delta: BlockNumber,
}

impl Edge {
	/// The fee `from` charges to forward `amount` over this edge.
	pub fn fee(&self, amount: Balance) -> Option<Balance> {
		let proportional = amount.checked_mul(self.fee_ppm as Balance)? / 1_000_000;
		self.fee_base.checked_add(proportional)
	}
}

/// A forwarder's proportional fee given how much of the side remains: the advertised rate while
/// at least half the capacity is available, rising quadratically to 4x as the side drains (it
/// steers payments to where liquidity is, and pays for rebalancing). Saturating.
pub fn liquidity_fee_ppm(base_ppm: u32, available: Balance, capacity: Balance) -> u32 {
	if capacity == 0 || available.saturating_mul(2) >= capacity {
		return base_ppm;
	}
	// Drained share of the lower half, 0..=1, in millionths.
	let half = capacity / 2;
	let drained = half.saturating_sub(available).saturating_mul(1_000_000) / half.max(1);
	let factor = 1_000_000u128 + 3 * drained * drained / 1_000_000;
	u32::try_from((base_ppm as u128).saturating_mul(factor) / 1_000_000).unwrap_or(u32::MAX)
}

/// The channels a client knows of.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Graph {
	pub edges: Vec<Edge>,
}

/// One hop of a route: lock `amount` until `expiry` in `channel`, from `from` to `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hop {
	pub channel: ChannelId,
	pub from: AccountId,
	pub to: AccountId,
	pub amount: Balance,
	pub expiry: BlockNumber,
}

/// A route and what it costs the payer beyond the amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
	pub hops: Vec<Hop>,
	pub fee: Balance,
}

/// Best label found for a node: total cost (fees and risk), fee and hops from it to the payee,
/// what must arrive at it, and the edge it sends on.
#[derive(Clone, Copy)]
struct Label {
	cost: Balance,
	fee: Balance,
	hops: u32,
	amount: Balance,
	edge: Option<usize>,
}

impl Graph {
	/// From JSON: `{"edges": [{"channel", "from", "to", "capacity", "fee_base", "fee_ppm",
	/// "expiry_delta"}]}`, accounts in SS58.
	pub fn from_json(json: &str) -> serde_json::Result<Self> {
		serde_json::from_str(json)
	}

	/// The cheapest route (fee, then hops) paying `amount` from `source` to `target`; the last
	/// hop expires `final_delta` blocks after `now`. `None` if no route has the capacity.
	pub fn find_route(
		&self,
		source: &AccountId,
		target: &AccountId,
		amount: Balance,
		now: BlockNumber,
		final_delta: BlockNumber,
	) -> Option<Route> {
		self.find_route_priced(source, target, amount, now, final_delta, |_, _, _| Some(0))
	}

	/// Like [`Graph::find_route`], but each hop also costs `risk(edge index, edge, amount it
	/// carries)`, in the same unit as fees (the price of its chance of failing; `None`: not
	/// usable), and the route minimizes fees plus risks. The search is exact for fees alone;
	/// with risks that grow with the amount it is the usual label-setting approximation.
	pub fn find_route_priced(
		&self,
		source: &AccountId,
		target: &AccountId,
		amount: Balance,
		now: BlockNumber,
		final_delta: BlockNumber,
		risk: impl Fn(usize, &Edge, Balance) -> Option<Balance>,
	) -> Option<Route> {
		if source == target || amount == 0 {
			return None;
		}
		let mut index: HashMap<&AccountId, usize> = HashMap::new();
		for e in &self.edges {
			for a in [&e.from, &e.to] {
				let n = index.len();
				index.entry(a).or_insert(n);
			}
		}
		let (&s, &t) = (index.get(source)?, index.get(target)?);
		// Edges by the node they arrive at: the search walks them backwards.
		let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); index.len()];
		for (i, e) in self.edges.iter().enumerate() {
			incoming[index[&e.to]].push(i);
		}

		let mut best: Vec<Option<Label>> = vec![None; index.len()];
		let mut done = vec![false; index.len()];
		let mut heap = BinaryHeap::new();
		best[t] = Some(Label { cost: 0, fee: 0, hops: 0, amount, edge: None });
		heap.push(Reverse((0, 0, t)));
		while let Some(Reverse((cost, hops, v))) = heap.pop() {
			if done[v] {
				continue;
			}
			done[v] = true;
			if v == s {
				break;
			}
			let here = best[v]?;
			debug_assert_eq!((here.cost, here.hops), (cost, hops));
			for &i in &incoming[v] {
				let e = &self.edges[i];
				let u = index[&e.from];
				if done[u] || e.capacity < here.amount || u == t {
					continue;
				}
				// The payer pays no fee to itself; a forwarding node adds its fee.
				let added = if u == s { 0 } else { e.fee(here.amount)? };
				// The edge carries what must arrive at `v`; `u` adds its fee on top.
				let Some(penalty) = risk(i, e, here.amount) else {
					continue;
				};
				let (Some(fee), Some(need), Some(cost)) = (
					here.fee.checked_add(added),
					here.amount.checked_add(added),
					here.cost.checked_add(added).and_then(|c| c.checked_add(penalty)),
				) else {
					continue;
				};
				let label = Label { cost, fee, hops: here.hops + 1, amount: need, edge: Some(i) };
				if best[u].is_none_or(|b| (cost, label.hops) < (b.cost, b.hops)) {
					best[u] = Some(label);
					heap.push(Reverse((cost, label.hops, u)));
				}
			}
		}
		let start = best[s]?;
		if !done[s] {
			return None;
		}

		// Walk forwards from the payer, then give expiries from the payee back.
		let mut hops = Vec::new();
		let mut label = start;
		while let Some(i) = label.edge {
			let e = &self.edges[i];
			hops.push(i);
			label = best[index[&e.to]]?;
		}
		let mut expiry = now.checked_add(final_delta)?;
		let mut route = vec![None; hops.len()];
		for (k, &i) in hops.iter().enumerate().rev() {
			let e = &self.edges[i];
			// What arrives at `e.to`: the amount its own label needs.
			let amount = best[index[&e.to]]?.amount;
			route[k] = Some(Hop {
				channel: e.channel,
				from: e.from.clone(),
				to: e.to.clone(),
				amount,
				expiry,
			});
			// The node sending on this edge wants its incoming hop to expire `delta` later.
			expiry = expiry.checked_add(e.expiry_delta)?;
		}
		let hops: Vec<Hop> = route.into_iter().collect::<Option<_>>()?;
		Some(Route { fee: hops.first()?.amount - amount, hops })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_keyring::Sr25519Keyring::{self, *};

	fn id(k: Sr25519Keyring) -> AccountId {
		k.to_account_id()
	}

	fn edge(channel: ChannelId, from: Sr25519Keyring, to: Sr25519Keyring, fee: Balance) -> Edge {
		Edge {
			channel,
			from: id(from),
			to: id(to),
			capacity: 1_000,
			fee_base: fee,
			fee_ppm: 0,
			expiry_delta: 10,
		}
	}

	fn path(route: &Route) -> Vec<ChannelId> {
		route.hops.iter().map(|h| h.channel).collect()
	}

	#[test]
	fn direct_channel_costs_nothing() {
		let g = Graph { edges: vec![edge(0, Alice, Bob, 50)] };
		let r = g.find_route(&id(Alice), &id(Bob), 100, 7, 20).unwrap();
		assert_eq!(r.fee, 0, "the payer does not pay itself");
		assert_eq!(
			r.hops,
			vec![Hop { channel: 0, from: id(Alice), to: id(Bob), amount: 100, expiry: 27 }]
		);
		assert!(g.find_route(&id(Bob), &id(Alice), 100, 7, 20).is_none(), "edges are directed");
		assert!(g.find_route(&id(Alice), &id(Alice), 100, 7, 20).is_none());
	}

	#[test]
	fn least_fee_wins_over_fewer_hops_and_ties_go_to_fewer_hops() {
		// Alice -> Bob -> Eve costs 10; Alice -> Charlie -> Dave -> Eve costs 2 + 3.
		let mut g = Graph {
			edges: vec![
				edge(0, Alice, Bob, 0),
				edge(1, Bob, Eve, 10),
				edge(2, Alice, Charlie, 0),
				edge(3, Charlie, Dave, 2),
				edge(4, Dave, Eve, 3),
			],
		};
		let r = g.find_route(&id(Alice), &id(Eve), 100, 0, 20).unwrap();
		assert_eq!((path(&r), r.fee), (vec![2, 3, 4], 5));
		// Charlie forwards 103 (100 + Dave's 3) and charges 2: Alice locks 105.
		let amounts: Vec<_> = r.hops.iter().map(|h| h.amount).collect();
		assert_eq!(amounts, vec![105, 103, 100]);
		// Expiries fall hop by hop by each forwarder's delta.
		let expiries: Vec<_> = r.hops.iter().map(|h| h.expiry).collect();
		assert_eq!(expiries, vec![40, 30, 20]);
		// Same fee both ways: the shorter route.
		g.edges[1].fee_base = 5;
		let r = g.find_route(&id(Alice), &id(Eve), 100, 0, 20).unwrap();
		assert_eq!((path(&r), r.fee), (vec![0, 1], 5));
	}

	#[test]
	fn capacity_and_proportional_fees() {
		let mut g = Graph {
			edges: vec![
				edge(0, Alice, Bob, 0),
				Edge { fee_ppm: 10_000, ..edge(1, Bob, Charlie, 1) },
				edge(2, Alice, Dave, 0),
				edge(3, Dave, Charlie, 100),
			],
		};
		let r = g.find_route(&id(Alice), &id(Charlie), 500, 0, 20).unwrap();
		// 1 + 1% of 500.
		assert_eq!((path(&r), r.fee), (vec![0, 1], 6));
		// Alice -> Bob cannot carry 506: the dearer route is the only one.
		g.edges[0].capacity = 505;
		let r = g.find_route(&id(Alice), &id(Charlie), 500, 0, 20).unwrap();
		assert_eq!((path(&r), r.fee), (vec![2, 3], 100));
		// Nothing carries 1000 + fees.
		assert!(g.find_route(&id(Alice), &id(Charlie), 1_000, 0, 20).is_none());
		// Unknown payee.
		assert!(g.find_route(&id(Alice), &id(Ferdie), 1, 0, 20).is_none());
	}

	#[test]
	fn routes_never_pass_through_the_payee_or_loop_back_through_the_payer() {
		let g = Graph {
			edges: vec![
				edge(0, Alice, Bob, 0),
				edge(1, Bob, Alice, 0),
				edge(2, Bob, Charlie, 1),
				edge(3, Charlie, Bob, 0),
				edge(4, Charlie, Dave, 1),
			],
		};
		let r = g.find_route(&id(Alice), &id(Dave), 10, 0, 5).unwrap();
		assert_eq!((path(&r), r.fee), (vec![0, 2, 4], 2));
	}

	#[test]
	fn graph_from_json() {
		let json = format!(
			r#"{{"edges":[{{"channel":4,"from":"{}","to":"{}","capacity":9,"fee_ppm":3}}]}}"#,
			crate::keys::ss58(&id(Alice)),
			crate::keys::ss58(&id(Bob))
		);
		let g = Graph::from_json(&json).unwrap();
		assert_eq!(
			g.edges[0],
			Edge {
				capacity: 9,
				fee_ppm: 3,
				fee_base: 0,
				expiry_delta: 0,
				..edge(4, Alice, Bob, 0)
			}
		);
	}
}
