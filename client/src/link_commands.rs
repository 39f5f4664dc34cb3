//! `tpw link create|show|pay`: payment links (client/src/link.rs; docs/payment-links.md).

use anyhow::{anyhow, bail, Context, Result};
use jsonrpsee::rpc_params;
use polkadot_sdk::frame_support::traits::fungible::NativeOrWithId;
use serde_json::Value;
use std::{
	path::Path,
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use tpw_client::{
	call::Call,
	chain::Chain,
	events,
	keys::{self, Keys},
	link::{self, LinkAsset, Method, PaymentRequest},
	payment,
	peer::Node,
	protocol::Side,
	route::{Graph, Hop, Route},
	store::Store,
	Address, AssetKind, BlockNumber,
};

fn now() -> Result<u64> {
	Ok(SystemTime::now().duration_since(UNIX_EPOCH).context("the clock is before 1970")?.as_secs())
}

/// The chain's asset kind of a link's asset.
pub fn asset_kind(asset: LinkAsset) -> AssetKind {
	match asset {
		LinkAsset::Tpw => NativeOrWithId::Native,
		LinkAsset::Id(id) => NativeOrWithId::WithId(id),
	}
}

/// `native`/`TPW` or an asset id.
pub fn parse_link_asset(s: &str) -> Result<LinkAsset> {
	if s.eq_ignore_ascii_case("native") || s.eq_ignore_ascii_case("tpw") {
		return Ok(LinkAsset::Tpw);
	}
	Ok(LinkAsset::Id(s.parse().with_context(|| format!("asset {s}"))?))
}

/// A signed link for a payment to `keys` on `chain`; a channel link gets a new invoice in `store`.
#[allow(clippy::too_many_arguments)]
pub fn create(
	chain: &Chain,
	keys: &Keys,
	store: &Path,
	asset: LinkAsset,
	amount: u128,
	expires_in: u64,
	memo: Option<String>,
	channel: bool,
) -> Result<String> {
	if expires_in == 0 {
		bail!("--expires-in is a positive number of seconds");
	}
	let mut request = PaymentRequest {
		payee: keys::ss58(keys.account()),
		chain: chain.genesis_hash().0,
		asset,
		amount,
		expires_at: now()?.saturating_add(expires_in),
		method: if channel { Method::Channel } else { Method::Chain },
		// Checked with a stand-in first, so that a refused request leaves no invoice behind.
		hash_lock: channel.then_some([0; 32]),
		memo,
		id: rand::random(),
	};
	request.check()?;
	if channel {
		// The invoice names the asset: the listener claims it only in a channel of that asset.
		let lock = Store::open(store)?.new_invoice(amount, Some(asset_kind(asset)))?;
		request.hash_lock = Some(lock);
	}
	Ok(request.sign(keys.pair())?)
}

/// The request `link` carries, verified for `chain` and now.
pub fn verify(chain: &Chain, link: &str) -> Result<PaymentRequest> {
	link::verify(link.trim(), &chain.genesis_hash().0, now()?).map_err(|e| anyhow!("refused: {e}"))
}

/// The request as JSON, for people and scripts.
pub fn describe(request: &PaymentRequest) -> Value {
	serde_json::json!({
		"payee": request.payee,
		"chain": format!("0x{}", hex::encode(request.chain)),
		"asset": match request.asset { LinkAsset::Tpw => "TPW".to_string(), LinkAsset::Id(id) => id.to_string() },
		"amount": request.amount.to_string(),
		"expiresAt": request.expires_at,
		"method": match request.method { Method::Chain => "chain", Method::Channel => "channel" },
		"hash": request.hash_lock.map(|h| format!("0x{}", hex::encode(h))),
		"memo": request.memo,
		"id": format!("0x{}", hex::encode(request.id)),
	})
}

/// Pays a `chain` link: the transfer and the remark `tpwallet:<id>` in one `utility.batch_all`.
pub async fn pay_on_chain(chain: &Chain, keys: &Keys, request: &PaymentRequest) -> Result<String> {
	let payee_account = request.check()?;
	let payee = Address::from(payee_account.clone());
	let payment = match request.asset {
		LinkAsset::Tpw => Call::new("Balances", "transfer_keep_alive")
			.arg("dest", payee)
			.arg("value", codec::Compact(request.amount)),
		LinkAsset::Id(id) => {
			let token: Option<Value> = chain.rpc("tokenization_tokenInfo", rpc_params![id]).await?;
			if let Some(token) = token {
				if token["class"] == "NftCollection" {
					bail!("asset {id} is an NFT collection: a link pays an amount of a fungible asset");
				}
				// A token moves through its rules; refuse here what they would refuse.
				let check: Value = chain
					.rpc(
						"tokenization_checkTransfer",
						rpc_params![
							id,
							keys::ss58(keys.account()),
							keys::ss58(&payee_account),
							request.amount.to_string()
						],
					)
					.await?;
				if check["outcome"] == "rejected" {
					bail!("the token's rules refuse this transfer: {}", check["rule"]);
				}
				Call::new("Tokenization", "transfer")
					.arg("token", id)
					.arg("dest", payee)
					.arg("amount", codec::Compact(request.amount))
			} else {
				Call::new("Assets", "transfer_keep_alive")
					.arg("id", codec::Compact(id))
					.arg("target", payee)
					.arg("amount", codec::Compact(request.amount))
			}
		}
	};
	let remark = format!("{}:0x{}", link::SCHEME, hex::encode(request.id)).into_bytes();
	let batch = Call::new("Utility", "batch_all").calls_arg(
		"calls",
		vec![payment, Call::new("System", "remark_with_event").arg("remark", remark)],
	);
	let included = chain.submit(keys, batch).await?;
	if !included.events.find::<events::TransferHeld>()?.is_empty() {
		return Ok(format!(
			"paid in block {:?}, held for a compliance review: the payee receives it once approved",
			included.block
		));
	}
	Ok(format!("paid in block {:?}", included.block))
}

/// Pays a `channel` link to its invoice's hash lock: over a channel with the payee, or along the
/// cheapest route of `graph`. Returns the payee's preimage: the proof of payment.
pub async fn pay_over_channel(
	chain: &Arc<Chain>,
	node: &Node,
	request: &PaymentRequest,
	graph: Option<&Path>,
	final_delta: BlockNumber,
) -> Result<Vec<u8>> {
	let payee = request.check()?;
	let lock = request.hash_lock.context("a channel link carries a hash lock")?;
	let (amount, asset) = (request.amount, asset_kind(request.asset));
	let now = chain.best().await?.0;
	// A channel with the payee, on the link's chain, in the link's asset, with enough in it.
	let mut direct = None;
	for c in node.store().load_all()? {
		let counterparty = match c.side {
			Side::A => &c.party_b,
			Side::B => &c.party_a,
		};
		if c.closed
			|| *counterparty != payee
			|| c.genesis != request.chain
			|| c.balance(c.side) < amount
		{
			continue;
		}
		if chain.channel_at(c.id, None).await?.is_some_and(|info| info.asset == asset) {
			direct = Some(c);
			break;
		}
	}
	if let Some(chan) = direct {
		let hop = Hop {
			channel: chan.id,
			from: node.account().clone(),
			to: payee,
			amount,
			expiry: now.saturating_add(final_delta),
		};
		return node.pay_route(&Route { hops: vec![hop], fee: 0 }, lock).await;
	}
	// Routed over the graph given, or else the one gossip taught, in the link's asset only (a
	// graph file names no assets: each of its channels is checked on chain; gossip checked its
	// own), by learned routing with retries.
	if graph.is_none() {
		node.refresh_gossip(None, Duration::from_secs(5)).await;
	}
	let mut graph = load_graph(node, graph, Some(&asset))?;
	if graph.edges.is_empty() {
		bail!("no open channel with the payee has enough balance, and no route is known");
	}
	let mut in_asset = std::collections::HashMap::new();
	for edge in &graph.edges {
		if let std::collections::hash_map::Entry::Vacant(slot) = in_asset.entry(edge.channel) {
			let info = chain.channel_at(edge.channel, None).await?;
			slot.insert(info.is_some_and(|info| info.asset == asset));
		}
	}
	graph.edges.retain(|e| in_asset.get(&e.channel) == Some(&true));
	let mut mission = payment::load_mission(node.store())?;
	let paid =
		payment::pay(node, &graph, &mut mission, &payee, amount, lock, now, final_delta, 5).await;
	payment::save_mission(node.store(), &mission, payment::now_secs())?;
	Ok(paid?.preimage)
}

/// The channel graph in `path` (JSON), or else the one gossip taught (of channels in
/// `asset`, if given), with this node's own channels at their exact capacity: our balance.
pub fn load_graph(node: &Node, path: Option<&Path>, asset: Option<&AssetKind>) -> Result<Graph> {
	let mut graph = match path {
		Some(path) => {
			let json = std::fs::read_to_string(path)
				.with_context(|| format!("reading {}", path.display()))?;
			Graph::from_json(&json)?
		}
		None => node.learned_graph(asset),
	};
	for e in graph.edges.iter_mut().filter(|e| e.from == *node.account()) {
		if let Some(chan) = node.channel(e.channel)? {
			e.capacity = chan.balance(chan.side);
		}
	}
	Ok(graph)
}
