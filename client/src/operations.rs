//! What a party asks of its channels: open, top up, pay, close. One implementation for both
//! ways of asking: a `tpw` command run on its own, and a request to a running `tpw listen`
//! over its control socket ([`crate::control`]), whose sessions then need not be stopped.

use crate::{
	chain::{calls, Chain},
	events,
	keys::{self, Keys},
	peer::Node,
	protocol::{Channel, Update},
	AssetKind, Balance, BlockNumber, ChannelId, ChannelInfo, Nonce,
};
use anyhow::{anyhow, bail, Context, Result};
use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
use serde::{Deserialize, Serialize};
use std::{fmt, sync::Arc, time::Duration};

/// A request, as a `tpw` command takes it and as the control socket carries it: JSON, an object
/// whose one key names the request (`{"pay": {"channel": 0, "amount": 5, "count": 1}}`);
/// accounts in SS58, assets `native` or a `pallet-assets` id, amounts as JSON integers (they
/// may exceed 2^53: read them with a parser that keeps big integers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Request {
	/// Opens a channel with `to`, depositing `deposit`; `peer_addr` is where `to` listens.
	Open { to: String, deposit: Balance, asset: String, peer_addr: Option<String> },
	/// Adds `amount` to this party's deposit on chain, then has the counterparty co-sign it.
	TopUp { channel: ChannelId, amount: Balance },
	/// Pays `amount` in `channel`, `count` times (one co-signed state each).
	Pay { channel: ChannelId, amount: Balance, count: u32 },
	/// Both sign the latest state under the close tag; settles at once.
	CooperativeClose { channel: ChannelId },
	/// Starts a unilateral close with the latest co-signed state.
	Close { channel: ChannelId },
}

/// A channel as the store holds it, in brief.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelSummary {
	pub channel: ChannelId,
	/// The latest co-signed state.
	pub nonce: Nonce,
	/// (A, B).
	pub balances: (Balance, Balance),
	/// Locked in conditional payments (A to B, B to A).
	pub pending: (Balance, Balance),
	pub conditional: usize,
	/// `A` (opened it) or `B`.
	pub side: String,
	pub closed: bool,
	pub peer_addr: Option<String>,
}

impl ChannelSummary {
	pub fn of(chan: &Channel) -> Self {
		Self {
			channel: chan.id,
			nonce: chan.state.nonce,
			balances: chan.state.balances,
			pending: chan.state.pending,
			conditional: chan.conditions.len(),
			side: format!("{:?}", chan.side),
			closed: chan.closed,
			peer_addr: chan.peer_addr.clone(),
		}
	}
}

impl fmt::Display for ChannelSummary {
	/// `state N balances (A .., B ..), pending (.., ..), K conditional, side S[, closed][, peer P]`.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"state {} balances (A {}, B {}), pending {:?}, {} conditional, side {}",
			self.nonce, self.balances.0, self.balances.1, self.pending, self.conditional, self.side
		)?;
		if self.closed {
			write!(f, ", closed")?;
		}
		if let Some(peer) = &self.peer_addr {
			write!(f, ", peer {peer}")?;
		}
		Ok(())
	}
}

/// What a request did: JSON like [`Request`] (`{"paid": {"channel": 0, "nonce": 3, ..}}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Done {
	Opened {
		channel: ChannelId,
		/// The block that included the opening (hex).
		block: String,
	},
	/// On chain; `cosigned` is the co-signed state counting it, or `None` (with `why`) if the
	/// counterparty did not sign it yet (the deposit is safe on chain, and a close returns it).
	ToppedUp {
		cosigned: Option<ChannelSummary>,
		why: Option<String>,
	},
	Paid(ChannelSummary),
	/// Closing on the state `nonce` (none: the opening deposits); settle from `closes_at`.
	Closing {
		channel: ChannelId,
		nonce: Option<Nonce>,
		closes_at: BlockNumber,
	},
	Settled {
		channel: ChannelId,
		payout_a: Balance,
		payout_b: Balance,
	},
}

impl fmt::Display for Done {
	/// What `tpw` prints.
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Done::Opened { channel, block } => {
				write!(f, "opened channel {channel} in block {block}")
			}
			Done::ToppedUp { cosigned: Some(chan), .. } => {
				write!(f, "topped up on chain\nco-signed: {chan}")
			}
			Done::ToppedUp { cosigned: None, why } => write!(
				f,
				"topped up on chain\nnot co-signed yet ({}); the deposit is safe on chain, and a \
				 close returns it to you",
				why.as_deref().unwrap_or("no answer")
			),
			Done::Paid(chan) => write!(f, "paid: {chan}"),
			Done::Closing { nonce, closes_at, .. } => {
				write!(f, "closing on state {nonce:?}; settle from block {closes_at}")
			}
			Done::Settled { payout_a, payout_b, .. } => {
				write!(f, "settled: A gets {payout_a}, B gets {payout_b}")
			}
		}
	}
}

/// Carries out requests for one party: its node (sessions, store), the chain, its key.
#[derive(Clone)]
pub struct Operator {
	pub chain: Arc<Chain>,
	pub node: Node,
	pub keys: Keys,
}

impl Operator {
	/// Does `request`; `Err` says why not, and what was done before it failed (a top-up's
	/// deposit on chain stays there).
	pub async fn perform(&self, request: &Request) -> Result<Done> {
		let (chain, node, keys) = (&self.chain, &self.node, &self.keys);
		match request {
			Request::Open { to, deposit, asset, peer_addr } => {
				let to = keys::parse_account(to)?;
				let call = calls::open(to, parse_asset(asset)?, *deposit);
				let included = chain.submit(keys, call).await?;
				let channel = included
					.events
					.expect::<events::ChannelOpened>("PaymentChannels::ChannelOpened")?
					.channel;
				let info =
					chain.channel_at(channel, Some(included.block)).await?.context("channel")?;
				let mut chan = local(chain, channel, &info, keys)?;
				chan.peer_addr = peer_addr.clone();
				node.store().save(&chan)?;
				// Met once, the two parties announce the channel to their peers.
				if chan.peer_addr.is_some() {
					node.refresh_gossip(Some(channel), Duration::from_secs(5)).await;
				}
				Ok(Done::Opened { channel, block: format!("{:?}", included.block) })
			}
			Request::TopUp { channel, amount } => {
				let side = node
					.channel(*channel)?
					.ok_or_else(|| anyhow!("channel {channel} is not in the store"))?
					.side;
				chain.submit(keys, calls::top_up(*channel, *amount)).await?;
				Ok(match node.propose(*channel, Update::TopUp { side, amount: *amount }).await {
					Ok(chan) => {
						Done::ToppedUp { cosigned: Some(ChannelSummary::of(&chan)), why: None }
					}
					Err(e) => Done::ToppedUp { cosigned: None, why: Some(format!("{e:#}")) },
				})
			}
			Request::Pay { channel, amount, count } => {
				if *count == 0 {
					bail!("count must be at least 1");
				}
				let mut chan = None;
				for _ in 0..*count {
					chan = Some(node.pay(*channel, *amount).await?);
				}
				let chan = chan.ok_or_else(|| anyhow!("nothing paid"))?;
				Ok(Done::Paid(ChannelSummary::of(&chan)))
			}
			Request::CooperativeClose { channel } => {
				let (state, sig_a, sig_b) = node.close_signatures(*channel).await?;
				let call = calls::cooperative_close(*channel, state, sig_a, sig_b);
				settled(*channel, chain.submit(keys, call).await?)
			}
			Request::Close { channel } => {
				let chan = node.seal(*channel).await?;
				let included = chain.submit(keys, calls::close(*channel, chan.signed())).await?;
				let e = included
					.events
					.expect::<events::ChannelClosing>("PaymentChannels::ChannelClosing")?;
				Ok(Done::Closing { channel: *channel, nonce: e.nonce, closes_at: e.closes_at })
			}
		}
	}
}

fn settled(channel: ChannelId, included: crate::chain::Included) -> Result<Done> {
	let e = included.events.expect::<events::ChannelSettled>("PaymentChannels::ChannelSettled")?;
	Ok(Done::Settled { channel, payout_a: e.payout_a, payout_b: e.payout_b })
}

/// Pays out channel `channel` whose challenge period is over (anyone may).
pub async fn settle(chain: &Chain, keys: &Keys, channel: ChannelId) -> Result<Done> {
	settled(channel, chain.submit(keys, calls::settle(channel)).await?)
}

/// This party's record of a channel read from the chain.
pub fn local(chain: &Chain, id: ChannelId, info: &ChannelInfo, keys: &Keys) -> Result<Channel> {
	use crate::chain::ChainView;
	Channel::new(
		id,
		chain.genesis(),
		info.party_a.clone(),
		info.party_b.clone(),
		keys.account(),
		info.deposits,
	)
	.ok_or_else(|| anyhow!("this key is not a party of channel {id}"))
}

/// `native`, or a `pallet-assets` id.
pub fn parse_asset(s: &str) -> Result<AssetKind> {
	if s.eq_ignore_ascii_case("native") {
		return Ok(NativeOrWithId::Native);
	}
	Ok(NativeOrWithId::WithId(s.parse().with_context(|| format!("asset {s}"))?))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn requests_read_as_documented_and_refuse_what_is_not() {
		let pay: Request =
			serde_json::from_str(r#"{"pay":{"channel":3,"amount":7,"count":2}}"#).unwrap();
		assert_eq!(pay, Request::Pay { channel: 3, amount: 7, count: 2 });
		let open = r#"{"open":{"to":"5Grw","deposit":1000000000000000000000,
			"asset":"native","peer_addr":null}}"#;
		assert!(matches!(
			serde_json::from_str::<Request>(open).unwrap(),
			Request::Open { deposit: 1_000_000_000_000_000_000_000, .. }
		));
		for bad in [
			r#"{"pay":{"channel":3,"amount":7}}"#,
			r#"{"pay":{"channel":3,"amount":-7,"count":1}}"#,
			r#"{"pay":{"channel":3,"amount":7,"count":1,"to":"x"}}"#,
			r#"{"pay":{"channel":3,"amount":7,"count":1},"close":{"channel":3}}"#,
			r#"{"transfer-all":{"channel":3}}"#,
			r#"{"channel":3}"#,
			r#"[]"#,
		] {
			assert!(serde_json::from_str::<Request>(bad).is_err(), "{bad}");
		}
	}

	#[test]
	fn outcomes_print_as_the_commands_always_did() {
		let chan = ChannelSummary {
			channel: 2,
			nonce: 5,
			balances: (10, 20),
			pending: (0, 3),
			conditional: 1,
			side: "A".into(),
			closed: false,
			peer_addr: Some("127.0.0.1:7700".into()),
		};
		assert_eq!(
			Done::Paid(chan.clone()).to_string(),
			"paid: state 5 balances (A 10, B 20), pending (0, 3), 1 conditional, side A, peer \
			 127.0.0.1:7700"
		);
		let closing = Done::Closing { channel: 2, nonce: Some(1), closes_at: 40 };
		assert_eq!(closing.to_string(), "closing on state Some(1); settle from block 40");
		let settled = Done::Settled { channel: 2, payout_a: 1, payout_b: 2 };
		assert_eq!(settled.to_string(), "settled: A gets 1, B gets 2");
		let json = serde_json::to_value(Done::Paid(chan)).unwrap();
		assert_eq!(json["paid"]["nonce"], 5);
	}
}
