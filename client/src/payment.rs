//! Paying someone who is not a counterparty: routes chosen by fees plus the learnt risk of
//! failing ([`crate::mission`]), tried one after another until one works. Each outcome teaches
//! mission control (hops before the failing one carried their amounts, the failing one could
//! not), and the store keeps what it learnt between runs.

use crate::{
	mission::{Estimator, MissionControl},
	peer::{Node, Outcome},
	route::{Graph, Route},
	store::Store,
	AccountId, Balance, BlockNumber, ChannelId, Hash32,
};
use anyhow::{bail, Context, Result};
use codec::{Decode, Encode};
use std::collections::HashSet;

/// A direction of a channel: the channel and the account that sends over it.
pub type Direction = (ChannelId, AccountId);

/// The store record of mission control.
const RECORD: &str = "mission-control.scale";
/// What is older than this (seconds) is not kept: it weighs almost nothing by then.
const KEEP: u64 = 24 * 3600;
/// At most this many directions are kept (the most recent).
const MAX_KEPT: usize = 10_000;

/// Seconds since the Unix epoch: mission control's clock.
pub fn now_secs() -> u64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Mission control as `store` last saved it (empty if never).
pub fn load_mission(store: &Store) -> Result<MissionControl<Direction>> {
	let mut mission = MissionControl::new(Estimator::default());
	if let Some(body) = store.load_record(RECORD)? {
		type Entry = (Direction, Balance, Option<Balance>, u64);
		let entries = Vec::<Entry>::decode(&mut &body[..]).context("decoding mission control")?;
		for (key, min, max, at) in entries {
			mission.restore(key, min, max, at);
		}
	}
	Ok(mission)
}

/// Saves `mission` to `store`: the most recent [`MAX_KEPT`] directions of the last [`KEEP`].
pub fn save_mission(store: &Store, mission: &MissionControl<Direction>, now: u64) -> Result<()> {
	let mut entries: Vec<_> = mission
		.entries()
		.filter(|(_, _, _, at)| now.saturating_sub(*at) <= KEEP)
		.map(|(k, min, max, at)| (k.clone(), min, max, at))
		.collect();
	entries.sort_by_key(|e| std::cmp::Reverse(e.3));
	entries.truncate(MAX_KEPT);
	store.save_record(RECORD, &entries.encode())
}

/// One attempt: the route tried, and the hop it stopped at (`None`: it reached the payee).
#[derive(Clone, Debug)]
pub struct Attempt {
	pub route: Route,
	pub failed_at: Option<usize>,
}

/// A payment that went through: the proof of payment and every attempt, the last one paid.
#[derive(Clone, Debug)]
pub struct Paid {
	pub preimage: Vec<u8>,
	pub attempts: Vec<Attempt>,
}

/// The route for the next attempt: fees plus the price of each hop's risk, skipping the
/// directions in `avoid`. The payer's own channels are in `graph` at their exact balance.
#[allow(clippy::too_many_arguments)]
pub fn next_route(
	graph: &Graph,
	mission: &MissionControl<Direction>,
	me: &AccountId,
	to: &AccountId,
	amount: Balance,
	(now, secs): (BlockNumber, u64),
	final_delta: BlockNumber,
	avoid: &HashSet<Direction>,
) -> Option<Route> {
	graph.find_route_priced(me, to, amount, now, final_delta, |_, e, carried| {
		let key = (e.channel, e.from.clone());
		if avoid.contains(&key) {
			return None;
		}
		if e.from == *me {
			return Some(0);
		}
		mission.risk(&key, e.capacity, carried, secs)
	})
}

/// Pays `amount` to `to` under `lock` over `graph`, at most `attempts` routes; teaches
/// `mission` every outcome. Stops at the first route that is paid, when no route is left, or
/// when the payee itself refused (another route would not change its mind).
#[allow(clippy::too_many_arguments)]
pub async fn pay(
	node: &Node,
	graph: &Graph,
	mission: &mut MissionControl<Direction>,
	to: &AccountId,
	amount: Balance,
	lock: Hash32,
	now: BlockNumber,
	final_delta: BlockNumber,
	attempts: usize,
) -> Result<Paid> {
	let me = node.account().clone();
	let mut avoid = HashSet::new();
	let mut tried = Vec::new();
	for _ in 0..attempts {
		let secs = now_secs();
		let Some(route) =
			next_route(graph, mission, &me, to, amount, (now, secs), final_delta, &avoid)
		else {
			bail!("no route with enough capacity left after {} attempts", tried.len());
		};
		let capacity = |h: &crate::route::Hop| {
			let edge = graph.edges.iter().find(|e| e.channel == h.channel && e.from == h.from);
			edge.map_or(h.amount, |e| e.capacity)
		};
		let hops: Vec<(Direction, Balance, Balance)> = route
			.hops
			.iter()
			.map(|h| ((h.channel, h.from.clone()), capacity(h), h.amount))
			.collect();
		match node.try_route(&route, lock).await? {
			Outcome::Fulfilled(preimage) => {
				mission.attempt(&hops, None, secs);
				tried.push(Attempt { route, failed_at: None });
				return Ok(Paid { preimage, attempts: tried });
			}
			Outcome::Failed { at } => {
				let failed_at = at.and_then(|c| route.hops.iter().position(|h| h.channel == c));
				mission.attempt(&hops, failed_at, secs);
				let Some(k) = failed_at else {
					bail!(
						"the payment reached the payee, which refused it (or it expired); {} \
						 attempts",
						tried.len() + 1
					);
				};
				log::info!(
					"attempt {}: stopped at channel {} (hop {}); trying another route",
					tried.len() + 1,
					route.hops[k].channel,
					k + 1
				);
				avoid.insert(hops[k].0.clone());
				tried.push(Attempt { route, failed_at: Some(k) });
			}
		}
	}
	bail!("not paid after {attempts} attempts")
}
