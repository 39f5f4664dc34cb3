//! The bridge to another tpwallet chain as one chain shows it over JSON-RPC: its lanes, its light
//! client of the other chain, the assets locked and wrapped; and a user's transfer across. The
//! relayer (`tpw-relayer`) builds on these reads. Keys are built from the pallets' storage
//! layout ([`crate::storage`]), values decoded as the pallets' own types.

use crate::{
	call::Call, chain::Chain, events, keys, keys::Keys, storage, AccountId, AssetKind, Balance,
	BlockNumber,
};
use anyhow::{anyhow, Context, Result};
use codec::Decode;
use polkadot_sdk::{
	frame_support::traits::fungible::NativeOrWithId,
	sp_consensus_grandpa::{AuthorityList, SetId},
	sp_core::H256,
};
use std::fmt;

pub use tpwallet_bridge_primitives::{InboundLane, LaneId, MessageNonce, OutboundLane};
/// A header of a tpwallet chain (both ends of the bridge are tpwallet chains).
pub use tpwallet_primitives::Header;

/// A chain's identity in the bridge: its genesis hash.
pub type ChainId = H256;

/// A header a light client accepted as finalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderId {
	pub number: BlockNumber,
	pub hash: H256,
}

/// The GRANDPA authorities a light client verifies justifications with, and their set id.
pub use polkadot_sdk::bp_header_chain::AuthoritySet;

/// This chain's genesis hash as the bridge recorded it (in block 1), at `at` (best if `None`).
pub async fn this_chain(chain: &Chain, at: Option<H256>) -> Result<Option<ChainId>> {
	let key = storage::value("Bridge", "ThisChain");
	chain.storage(&key, at).await.context("Bridge::ThisChain")
}

/// The chain this one bridges to, once governance set it.
pub async fn bridged_chain(chain: &Chain, at: Option<H256>) -> Result<Option<ChainId>> {
	let key = storage::value("Bridge", "BridgedChain");
	chain.storage(&key, at).await.context("Bridge::BridgedChain")
}

/// The sending end of the lane to `destination`; `None` if no lane is open to it.
pub async fn outbound_lane(
	chain: &Chain,
	destination: ChainId,
	at: Option<H256>,
) -> Result<Option<OutboundLane>> {
	chain.storage(&outbound_lane_key(destination), at).await.context("Bridge::OutboundLanes")
}

/// The receiving end of the lane from the bridged chain (the receipt, with the relayers whose
/// deliveries the source has not confirmed yet).
pub async fn inbound_lane(chain: &Chain, at: Option<H256>) -> Result<Option<Receipt>> {
	chain.storage(&inbound_lane_key(), at).await.context("Bridge::InboundLanes")
}

/// The receiving end of a lane, as the chain stores it.
pub type Receipt = InboundLane<ChainId, AccountId>;

/// Storage key of the sending end of the lane to `destination`.
pub fn outbound_lane_key(destination: ChainId) -> Vec<u8> {
	storage::map_blake2("Bridge", "OutboundLanes", &destination)
}

/// The keys a delivery of messages `first..=last` to `destination` proves: the messages, and
/// the lane (its confirmations, which let the destination forget the relayers already paid).
pub fn delivery_proof_keys(
	destination: ChainId,
	first: MessageNonce,
	last: MessageNonce,
) -> Vec<Vec<u8>> {
	(first..=last)
		.map(|nonce| outbound_message_key(destination, nonce))
		.chain([outbound_lane_key(destination)])
		.collect()
}

/// Storage key of message `nonce` of the lane to `destination`.
pub fn outbound_message_key(destination: ChainId, nonce: MessageNonce) -> Vec<u8> {
	let prefix = storage::value("Bridge", "OutboundMessages");
	[prefix, storage::blake2_128_concat(&destination), storage::twox_64_concat(&nonce)].concat()
}

/// Storage key of the inbound lane (what a receipt proves).
pub fn inbound_lane_key() -> Vec<u8> {
	storage::value("Bridge", "InboundLanes")
}

/// The best header of the other chain this chain's light client accepted; `None` before it is
/// initialised.
pub async fn light_client_best(chain: &Chain, at: Option<H256>) -> Result<Option<HeaderId>> {
	let key = storage::value("BridgeGrandpa", "BestFinalized");
	let id: Option<polkadot_sdk::bp_runtime::HeaderId<H256, BlockNumber>> =
		chain.storage(&key, at).await.context("BridgeGrandpa::BestFinalized")?;
	Ok(id.map(|id| HeaderId { number: id.0, hash: id.1 }))
}

/// The authority set the light client expects the next justification from.
pub async fn light_client_set(chain: &Chain, at: Option<H256>) -> Result<AuthoritySet> {
	let key = storage::value("BridgeGrandpa", "CurrentAuthoritySet");
	// `StoredAuthoritySet`: the (bounded) authority list, then the set id.
	let set: Option<(AuthorityList, SetId)> =
		chain.storage(&key, at).await.context("BridgeGrandpa::CurrentAuthoritySet")?;
	let (authorities, set_id) =
		set.ok_or_else(|| anyhow!("the light client has no authority set"))?;
	Ok(AuthoritySet::new(authorities, set_id))
}

/// The chain's own GRANDPA set id in the state of block `at` (`Grandpa::CurrentSetId`). It
/// grows by one in the block that enacts a new authority set.
pub async fn grandpa_set_id(chain: &Chain, at: H256) -> Result<SetId> {
	let key = storage::value("Grandpa", "CurrentSetId");
	let id: Option<SetId> = chain.storage(&key, Some(at)).await.context("Grandpa::CurrentSetId")?;
	Ok(id.unwrap_or_default())
}

/// The chain's own GRANDPA authorities in the state of block `at` (`Grandpa::Authorities`).
pub async fn grandpa_authorities(chain: &Chain, at: H256) -> Result<AuthorityList> {
	let key = storage::value("Grandpa", "Authorities");
	let list: Option<AuthorityList> =
		chain.storage(&key, Some(at)).await.context("Grandpa::Authorities")?;
	list.filter(|l| !l.is_empty()).ok_or_else(|| anyhow!("no GRANDPA authorities at {at:?}"))
}

/// A transfer the chain accepted.
#[derive(Debug)]
pub struct Sent {
	/// Nonce of its message in the lane to the bridged chain.
	pub nonce: MessageNonce,
	/// What the sender paid besides the amount: the transaction fee and the bridge's delivery
	/// fee (which the relayer that confirms the message earns).
	pub fee: Balance,
	pub block: H256,
}

/// Sends `amount` of `asset` to `beneficiary` on the bridged chain: a listed asset is locked in
/// the vault, a wrapped one burned.
pub async fn transfer(
	chain: &Chain,
	keys: &Keys,
	asset: AssetKind,
	amount: Balance,
	beneficiary: AccountId,
) -> Result<Sent> {
	let included = chain.submit(keys, transfer_call(asset, amount, beneficiary)).await?;
	let nonce = included.events.expect::<events::TransferSent>("Bridge::TransferSent")?.nonce;
	let fee: Balance =
		included.events.find::<events::TransactionFeePaid>()?.iter().map(|e| e.actual_fee).sum();
	let delivery_fee: Balance =
		included.events.find::<events::MessageQueued>()?.iter().map(|e| e.delivery_fee).sum();
	Ok(Sent { nonce, fee: fee.saturating_add(delivery_fee), block: included.block })
}

/// `bridge.transfer(asset, amount, beneficiary)`.
pub fn transfer_call(asset: AssetKind, amount: Balance, beneficiary: AccountId) -> Call {
	Call::new("Bridge", "transfer")
		.arg("asset", asset)
		.arg("amount", amount)
		.arg("beneficiary", beneficiary)
}

/// What the bridge holds on one chain, read at one block.
#[derive(Debug)]
pub struct Status {
	pub at: (BlockNumber, H256),
	pub this: Option<ChainId>,
	pub bridged: Option<ChainId>,
	pub light_client: Option<(HeaderId, SetId)>,
	pub outbound: Vec<(ChainId, OutboundLane)>,
	pub inbound: Option<Receipt>,
	/// Local assets listed for bridging, and the amount locked for the bridged chain.
	pub listed: Vec<(AssetKind, Balance)>,
	/// Wrapped assets: local id, the remote asset, and the supply minted here.
	pub wrapped: Vec<(AssetKind, AssetKind, Balance)>,
	pub vault: AccountId,
	pub vault_native: Balance,
	pub paused: bool,
}

/// Reads the bridge's state at the best block.
pub async fn status(chain: &Chain) -> Result<Status> {
	let (number, hash) = chain.best().await?;
	let at = Some(hash);
	let light_client = match light_client_best(chain, at).await? {
		Some(best) => Some((best, light_client_set(chain, at).await?.set_id)),
		None => None,
	};
	let outbound =
		map::<ChainId, OutboundLane>(chain, storage::prefix("Bridge", "OutboundLanes"), at).await?;
	let listed =
		map::<AssetKind, Balance>(chain, storage::prefix("Bridge", "ListedAssets"), at).await?;
	let wrapped = map::<AssetKind, tpwallet_bridge_primitives::WrappedAsset<AssetKind, Balance>>(
		chain,
		storage::prefix("Bridge", "WrappedAssets"),
		at,
	)
	.await?
	.into_iter()
	.map(|(local, w)| (local, w.remote, w.supply))
	.collect();
	let vault = tpwallet_primitives::bridge_vault();
	let paused_key = storage::value("Bridge", "Paused");
	Ok(Status {
		at: (number, hash),
		this: this_chain(chain, at).await?,
		bridged: bridged_chain(chain, at).await?,
		light_client,
		outbound,
		inbound: inbound_lane(chain, at).await?,
		listed,
		wrapped,
		vault_native: chain.native_balance(&vault).await?.0,
		vault,
		paused: chain.storage(&paused_key, at).await?.unwrap_or(false),
	})
}

/// The entries of a `Blake2_128Concat` map under `prefix` (at most 1000: the bridge's maps are
/// set by governance and stay small).
async fn map<K: Decode, V: Decode>(
	chain: &Chain,
	prefix: [u8; 32],
	at: Option<H256>,
) -> Result<Vec<(K, V)>> {
	let mut entries = Vec::new();
	for key in chain.storage_keys(&prefix, 1000, at).await? {
		// The key is the prefix, a 16-byte hash of the map key, and the map key itself.
		let mut raw = key.get(prefix.len() + 16..).ok_or_else(|| anyhow!("short map key"))?;
		let k = K::decode(&mut raw).context("decoding a map key")?;
		if let Some(v) = chain.storage::<V>(&key, at).await? {
			entries.push((k, v));
		}
	}
	Ok(entries)
}

/// `native` or the asset id, as the command line takes it.
pub fn asset_name(asset: &AssetKind) -> String {
	match asset {
		NativeOrWithId::Native => "native".into(),
		NativeOrWithId::WithId(id) => id.to_string(),
	}
}

impl fmt::Display for Status {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		let id = |c: &Option<ChainId>| c.map_or("not set".into(), |c| format!("{c:?}"));
		writeln!(f, "at block #{} {:?}", self.at.0, self.at.1)?;
		writeln!(f, "this chain {}", id(&self.this))?;
		writeln!(f, "bridged chain {}", id(&self.bridged))?;
		match &self.light_client {
			Some((best, set_id)) => writeln!(
				f,
				"light client best finalized #{} {:?} authority set {set_id}",
				best.number, best.hash
			)?,
			None => writeln!(f, "light client not initialised")?,
		}
		for (destination, lane) in &self.outbound {
			writeln!(
				f,
				"outbound lane to {destination:?} generated {} confirmed {}",
				lane.latest_generated, lane.latest_confirmed
			)?;
		}
		if let Some(lane) = &self.inbound {
			writeln!(
				f,
				"inbound lane from {:?} relayers awaiting payment {} delivered {}",
				lane.source,
				lane.relayers.len(),
				lane.last_delivered
			)?;
		}
		for (asset, locked) in &self.listed {
			writeln!(f, "listed {} locked {locked}", asset_name(asset))?;
		}
		for (local, remote, supply) in &self.wrapped {
			writeln!(
				f,
				"wrapped {} of remote {} supply {supply}",
				asset_name(local),
				asset_name(remote)
			)?;
		}
		writeln!(f, "vault {} native {}", keys::ss58(&self.vault), self.vault_native)?;
		write!(f, "paused {}", self.paused)
	}
}
