//! The chain over JSON-RPC (WebSocket): signed extrinsics submitted and watched until included,
//! their outcome read from `System::Events`, and channels read through `PaymentChannelsApi`.
//! Calls, events and errors are encoded and decoded with the metadata of the runtime the chain
//! runs at the time ([`crate::runtime`]); nothing here links the runtime.

use crate::{
	call::Call,
	keys::Keys,
	runtime::{ExtrinsicEvents, RuntimeAt},
	storage, AccountId, AssetId, AssetKind, Balance, BlockNumber, ChannelId, ChannelInfo,
	Condition, Hash32, Header, SignedState, State,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use futures::future::BoxFuture;
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	rpc_params,
};
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use polkadot_sdk::{sp_core::H256, sp_runtime::traits::Header as _};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicU32, Ordering},
		Mutex,
	},
	time::Duration,
};
use subxt::{config::SubstrateConfig, events::Events};

/// The best block whose runtime signs, and the birth block (number, hash) of the extrinsics'
/// mortality: see [`Chain::signing`].
#[derive(Clone, Copy, Debug)]
pub struct Signing {
	best: H256,
	birth: (BlockNumber, H256),
}

/// Blocks an extrinsic stays valid for: long enough to be included on a busy chain, short
/// enough that a lost one does not linger.
const MORTALITY: u64 = 64;
/// How far behind the best block an extrinsic's mortality starts. A node's transaction pool may
/// validate against a view a block or two behind the best block it reports; an extrinsic born
/// in a block that view has not reached is refused (`AncientBirthBlock`), as seen under load.
const BIRTH_LAG: BlockNumber = 4;
/// The metadata version read: V15, the first with the runtime's outer enums and extension types.
const METADATA_VERSION: u32 = 15;
/// Longest wait for an extrinsic to be included.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest wait for an included extrinsic's block to be finalized.
const FINALITY_TIMEOUT: Duration = Duration::from_secs(120);
/// How often finality is looked at while waiting for it.
const FINALITY_POLL: Duration = Duration::from_millis(500);

/// How far [`Chain::submit`] follows an extrinsic before it returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wait {
	/// Until a block includes it: fast, but a reorg may still undo it.
	#[default]
	Inclusion,
	/// Until GRANDPA finalizes the block that includes it: nothing can undo it then.
	Finality,
}

/// What the peer protocol needs from the chain (the real one, or [`OfflineChain`]).
pub trait ChainView: Send + Sync + 'static {
	/// The chain's genesis hash.
	fn genesis(&self) -> Hash32;
	/// The best block's number.
	fn best_number(&self) -> BoxFuture<'_, Result<BlockNumber>>;
	/// Channel `id` as the runtime API reports it.
	fn channel(&self, id: ChannelId) -> BoxFuture<'_, Result<Option<ChannelInfo>>>;
}

/// A node's JSON-RPC endpoint.
pub struct Chain {
	client: WsClient,
	genesis: Hash32,
	/// The runtime last seen, kept while the chain's `spec_version` stays the same.
	runtime: Mutex<Option<RuntimeAt>>,
	/// How far [`Chain::submit`] follows what it submits.
	wait: Wait,
}

/// An extrinsic included in a block, and the events it emitted.
pub struct Included {
	pub block: H256,
	/// The block's number.
	pub number: BlockNumber,
	pub index: u32,
	pub events: ExtrinsicEvents,
	/// Whether the block was seen finalized (only [`Wait::Finality`] waits for it).
	pub finalized: bool,
}

impl Chain {
	/// Connects to `url` (`ws://host:port`) and reads the genesis hash.
	pub async fn connect(url: &str) -> Result<Self> {
		let client = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.await
			.with_context(|| format!("connecting to {url}"))?;
		let genesis: H256 = client
			.request("chain_getBlockHash", rpc_params![0u32])
			.await
			.context("chain_getBlockHash(0)")?;
		Ok(Self { client, genesis: genesis.0, runtime: Mutex::new(None), wait: Wait::default() })
	}

	/// This connection with [`Chain::submit`] following extrinsics as far as `wait`.
	pub fn waiting_for(mut self, wait: Wait) -> Self {
		self.wait = wait;
		self
	}

	/// The runtime at block `at` (best if `None`): its versions, and its metadata, fetched again
	/// only when the `spec_version` changed since the last call (a runtime upgrade).
	pub async fn runtime(&self, at: Option<H256>) -> Result<RuntimeAt> {
		let version: Value = self.rpc("state_getRuntimeVersion", rpc_params![at]).await?;
		let number = |field: &str| {
			version[field]
				.as_u64()
				.and_then(|v| u32::try_from(v).ok())
				.ok_or_else(|| anyhow!("runtime version without {field}: {version}"))
		};
		let (spec_version, transaction_version) =
			(number("specVersion")?, number("transactionVersion")?);
		if let Some(known) = self.cached_runtime() {
			if known.spec_version == spec_version
				&& known.transaction_version == transaction_version
			{
				return Ok(known);
			}
		}
		let metadata: Option<Vec<u8>> =
			self.state_call("Metadata_metadata_at_version", &METADATA_VERSION.encode(), at).await?;
		let metadata =
			metadata.ok_or_else(|| anyhow!("the chain has no metadata V{METADATA_VERSION}"))?;
		let metadata = subxt::Metadata::decode(&mut &metadata[..]).context("decoding metadata")?;
		let runtime = RuntimeAt::new(
			H256(self.genesis),
			spec_version,
			transaction_version,
			std::sync::Arc::new(metadata),
		);
		*self.runtime.lock().unwrap_or_else(|e| e.into_inner()) = Some(runtime.clone());
		Ok(runtime)
	}

	fn cached_runtime(&self) -> Option<RuntimeAt> {
		self.runtime.lock().unwrap_or_else(|e| e.into_inner()).clone()
	}

	/// Calls JSON-RPC `method` with `params` (`jsonrpsee::rpc_params![..]`).
	pub async fn rpc<T: DeserializeOwned>(
		&self,
		method: &str,
		params: jsonrpsee::core::params::ArrayParams,
	) -> Result<T> {
		self.client.request(method, params).await.with_context(|| format!("RPC {method}"))
	}

	/// The chain's genesis hash, its identity in the bridge.
	pub fn genesis_hash(&self) -> H256 {
		H256(self.genesis)
	}

	/// The hash of the last block GRANDPA finalized.
	pub async fn finalized_head(&self) -> Result<H256> {
		self.rpc("chain_getFinalizedHead", rpc_params![]).await
	}

	/// The last block GRANDPA finalized: its number and hash.
	pub async fn finalized(&self) -> Result<(BlockNumber, H256)> {
		let hash = self.finalized_head().await?;
		Ok((self.header(hash).await?.number, hash))
	}

	/// Whether block `hash` (number `number`) is final: `Ok(Some(true))` once the finalized
	/// chain holds it, `Ok(Some(false))` if another block was finalized at its height (it was
	/// retracted, and what only it included is undone), `Ok(None)` while finality is below it.
	pub async fn is_final(&self, number: BlockNumber, hash: H256) -> Result<Option<bool>> {
		let (finalized, _) = self.finalized().await?;
		if finalized < number {
			return Ok(None);
		}
		// At or below the finalized height, the node's canonical chain is the finalized one.
		Ok(Some(self.block_hash(number).await? == hash))
	}

	/// Waits until GRANDPA finalizes `included`'s block; `Err` if that block was retracted or
	/// is not final within [`FINALITY_TIMEOUT`].
	pub async fn wait_finalized(&self, included: &Included) -> Result<()> {
		let (number, hash) = (included.number, included.block);
		let deadline = tokio::time::Instant::now() + FINALITY_TIMEOUT;
		loop {
			match self.is_final(number, hash).await? {
				Some(true) => return Ok(()),
				Some(false) => bail!(
					"block #{number} ({hash:?}) was retracted before finality: its extrinsic is \
					 undone unless another block includes it"
				),
				None if tokio::time::Instant::now() >= deadline => {
					bail!("block #{number} ({hash:?}) not finalized within {FINALITY_TIMEOUT:?}")
				}
				None => tokio::time::sleep(FINALITY_POLL).await,
			}
		}
	}

	/// The header of block `hash`, checked to hash to it (the node is not trusted to answer
	/// with the block asked for, and a relayer submits what it gets).
	pub async fn header(&self, hash: H256) -> Result<Header> {
		let header: Option<Header> = self.rpc("chain_getHeader", rpc_params![hash]).await?;
		let header = header.ok_or_else(|| anyhow!("no block {hash:?}"))?;
		if header.hash() != hash {
			bail!("the node answered block {:?} for {hash:?}", header.hash());
		}
		Ok(header)
	}

	/// Block `hash` as the node serves it (`chain_getBlock`): extrinsics and justifications.
	pub async fn block_json(&self, hash: H256) -> Result<Value> {
		let block: Option<Value> = self.rpc("chain_getBlock", rpc_params![hash]).await?;
		block.ok_or_else(|| anyhow!("no block {hash:?}"))
	}

	/// The transactions waiting in the node's pool (`author_pendingExtrinsics`), each as encoded.
	pub async fn pool(&self) -> Result<Vec<Vec<u8>>> {
		let pending: Vec<String> = self.rpc("author_pendingExtrinsics", rpc_params![]).await?;
		pending
			.iter()
			.map(|x| hex::decode(x.trim_start_matches("0x")).context("a pooled extrinsic"))
			.collect()
	}

	/// A storage proof of `keys` at block `at` (`state_getReadProof`): the trie nodes a reader
	/// needs to check their values (or absence) against that block's state root.
	pub async fn read_proof(&self, keys: &[Vec<u8>], at: H256) -> Result<Vec<Vec<u8>>> {
		let keys: Vec<String> = keys.iter().map(|k| format!("0x{}", hex::encode(k))).collect();
		let proof: Value = self.rpc("state_getReadProof", rpc_params![keys, at]).await?;
		proof["proof"]
			.as_array()
			.ok_or_else(|| anyhow!("read proof without nodes: {proof}"))?
			.iter()
			.map(|node| {
				let node = node.as_str().ok_or_else(|| anyhow!("proof node is not hex: {node}"))?;
				decode_hex(node)
			})
			.collect()
	}

	/// The keys under `prefix` at block `at` (best if `None`), at most `count`.
	pub async fn storage_keys(
		&self,
		prefix: &[u8],
		count: u32,
		at: Option<H256>,
	) -> Result<Vec<Vec<u8>>> {
		let prefix = format!("0x{}", hex::encode(prefix));
		let keys: Vec<String> = self
			.rpc("state_getKeysPaged", rpc_params![prefix, count, Option::<String>::None, at])
			.await?;
		keys.iter().map(|k| decode_hex(k)).collect()
	}

	/// Every key under `prefix` at block `at` (best if `None`), read a thousand at a time.
	pub async fn all_storage_keys(&self, prefix: &[u8], at: Option<H256>) -> Result<Vec<Vec<u8>>> {
		let prefix = format!("0x{}", hex::encode(prefix));
		let mut keys: Vec<Vec<u8>> = Vec::new();
		loop {
			let start = keys.last().map(|k| format!("0x{}", hex::encode(k)));
			let page: Vec<String> =
				self.rpc("state_getKeysPaged", rpc_params![&prefix, 1000u32, start, at]).await?;
			let done = page.len() < 1000;
			for key in page {
				keys.push(decode_hex(&key)?);
			}
			if done {
				return Ok(keys);
			}
		}
	}

	/// The best block's number and hash.
	pub async fn best(&self) -> Result<(BlockNumber, H256)> {
		let hash: H256 = self.rpc("chain_getBlockHash", rpc_params![]).await?;
		let header: Value = self.rpc("chain_getHeader", rpc_params![hash]).await?;
		Ok((parse_number(&header["number"])?, hash))
	}

	/// The hash of block `number` (best chain).
	pub async fn block_hash(&self, number: BlockNumber) -> Result<H256> {
		let hash: Option<H256> = self.rpc("chain_getBlockHash", rpc_params![number]).await?;
		hash.ok_or_else(|| anyhow!("no block {number}"))
	}

	/// Calls runtime API `method` with SCALE `args`, at `at` (best block if `None`).
	async fn state_call<R: Decode>(
		&self,
		method: &str,
		args: &[u8],
		at: Option<H256>,
	) -> Result<R> {
		let hex_args = format!("0x{}", hex::encode(args));
		let out: String = self.rpc("state_call", rpc_params![method, hex_args, at]).await?;
		let bytes = decode_hex(&out)?;
		R::decode(&mut &bytes[..]).with_context(|| format!("decoding {method} result"))
	}

	/// Channel `id` at block `at` (best if `None`); `None` if unknown or settled.
	pub async fn channel_at(&self, id: ChannelId, at: Option<H256>) -> Result<Option<ChannelInfo>> {
		self.state_call("PaymentChannelsApi_channel", &id.encode(), at).await
	}

	/// The next transaction nonce of `who`, counting its transactions in the pool.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<u32> {
		self.rpc("system_accountNextIndex", rpc_params![crate::keys::ss58(who)]).await
	}

	/// The storage item under `key` at block `at` (best if `None`), decoded; `None` if absent.
	pub async fn storage<T: Decode>(&self, key: &[u8], at: Option<H256>) -> Result<Option<T>> {
		let Some(bytes) = self.raw_storage(key, at).await? else { return Ok(None) };
		Ok(Some(T::decode(&mut &bytes[..]).context("decoding a storage item")?))
	}

	/// The bytes under `key` at block `at` (best if `None`); `None` if absent.
	pub async fn raw_storage(&self, key: &[u8], at: Option<H256>) -> Result<Option<Vec<u8>>> {
		let key = format!("0x{}", hex::encode(key));
		let raw: Option<String> = self.rpc("state_getStorage", rpc_params![key, at]).await?;
		raw.map(|raw| decode_hex(&raw)).transpose()
	}

	/// The bytes under each of `keys` at block `at`, in the order of `keys`, in one request
	/// (`state_queryStorageAt`); `None` where absent.
	pub async fn raw_storage_many(
		&self,
		keys: &[Vec<u8>],
		at: H256,
	) -> Result<Vec<Option<Vec<u8>>>> {
		if keys.is_empty() {
			return Ok(Vec::new());
		}
		let hex_keys: Vec<String> = keys.iter().map(|k| format!("0x{}", hex::encode(k))).collect();
		let sets: Vec<Value> = self.rpc("state_queryStorageAt", rpc_params![hex_keys, at]).await?;
		let mut found: std::collections::HashMap<Vec<u8>, Option<Vec<u8>>> = Default::default();
		for change in
			sets.iter().flat_map(|set| set["changes"].as_array().cloned().unwrap_or_default())
		{
			let key = change[0].as_str().ok_or_else(|| anyhow!("a change without a key"))?;
			let value = change[1].as_str().map(decode_hex).transpose()?;
			found.insert(decode_hex(key)?, value);
		}
		Ok(keys.iter().map(|k| found.get(k).cloned().flatten()).collect())
	}

	/// The events of block `at`, decoded with the metadata of the runtime that emitted them.
	pub async fn events(&self, at: H256) -> Result<Events<SubstrateConfig>> {
		let key = storage::value("System", "Events");
		let raw = self.raw_storage(&key, Some(at)).await.context("System::Events")?;
		// The runtime that built block `at` ran in the state of its parent.
		let parent = *self.header(at).await?.parent_hash();
		self.runtime(Some(parent)).await?.events(raw.unwrap_or_else(|| vec![0]))
	}

	/// The extrinsics of block `at` that failed to dispatch (`System.ExtrinsicFailed`): each one's
	/// index in the block and its error, named (`Pallet::Error`, or the dispatch error's variant).
	pub async fn failed_extrinsics(&self, at: H256) -> Result<Vec<(u32, String)>> {
		let events = self.events(at).await?;
		let runtime = self.cached_runtime().ok_or_else(|| anyhow!("no runtime read yet"))?;
		let mut failed = Vec::new();
		for event in events.iter() {
			let event = event.context("decoding an event")?;
			if let subxt::events::Phase::ApplyExtrinsic(index) = event.phase() {
				if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
					// `dispatch_error` comes first, then the dispatch info.
					failed.push((index, runtime.describe_error(event.field_bytes())));
				}
			}
		}
		Ok(failed)
	}

	/// The `pallet-assets` balance of `who` in asset `id` (0 if none; holds excluded).
	pub async fn asset_balance(&self, id: AssetId, who: &AccountId) -> Result<Balance> {
		let key = storage::double_map_blake2("Assets", "Account", &id, who);
		// `AssetAccount` starts with the balance.
		let balance: Option<Balance> = self.storage(&key, None).await.context("Assets::Account")?;
		Ok(balance.unwrap_or_default())
	}

	/// The native balance of `who`: free, and reserved (holds included).
	pub async fn native_balance(&self, who: &AccountId) -> Result<(Balance, Balance)> {
		let key = storage::map_blake2("System", "Account", who);
		// `AccountInfo`: nonce, consumers, providers, sufficients (u32 each), then `AccountData`
		// starting with free and reserved.
		let info: Option<([u32; 4], Balance, Balance)> =
			self.storage(&key, None).await.context("System::Account")?;
		Ok(info.map(|(_, free, reserved)| (free, reserved)).unwrap_or_default())
	}

	/// Signs `call` with `keys`, submits it, waits until a block includes it and checks its
	/// outcome in that block's events: `Err` with the dispatch error, named, if it failed. Then,
	/// with [`Wait::Finality`], waits for that block to be finalized. Inclusion and finality are
	/// logged as they happen. Versions and metadata are those of the best block's runtime.
	pub async fn submit(&self, keys: &Keys, call: Call) -> Result<Included> {
		let nonce = self.next_nonce(keys.account()).await?;
		let (best, birth) = self.birth().await?;
		let runtime = self.runtime(Some(best)).await?;
		let ext = runtime.sign(&call, keys, nonce, MORTALITY, birth)?;
		let ext_hex = format!("0x{}", hex::encode(&ext));
		let block = tokio::time::timeout(INCLUSION_TIMEOUT, self.watch(&ext_hex))
			.await
			.map_err(|_| anyhow!("not included within {INCLUSION_TIMEOUT:?}"))??;

		let body: Value = self.rpc("chain_getBlock", rpc_params![block]).await?;
		let index = body["block"]["extrinsics"]
			.as_array()
			.and_then(|xts| xts.iter().position(|x| x.as_str() == Some(&ext_hex)))
			.ok_or_else(|| anyhow!("extrinsic not found in block {block:?}"))? as u32;
		let events = self.events(block).await?;
		for event in events.iter() {
			let event = event.context("decoding an event")?;
			if event.phase() == subxt::events::Phase::ApplyExtrinsic(index)
				&& event.pallet_name() == "System"
				&& event.event_name() == "ExtrinsicFailed"
			{
				// `dispatch_error` comes first, then the dispatch info.
				let error = runtime.describe_error(event.field_bytes());
				bail!("dispatch failed in block {block:?}: {error}");
			}
		}
		let number = self.header(block).await?.number;
		log::info!("included in block #{number} ({block:?})");
		let mut included = Included {
			block,
			number,
			index,
			events: ExtrinsicEvents::new(events, index),
			finalized: false,
		};
		if self.wait == Wait::Finality {
			self.wait_finalized(&included).await?;
			included.finalized = true;
			log::info!("finalized: block #{number}");
		}
		Ok(included)
	}

	/// Where extrinsics signed now start their mortality, and whose runtime signs them: read
	/// once for a run of [`Chain::sign`]s (each signature then costs no round trip).
	pub async fn signing(&self) -> Result<Signing> {
		let (best, birth) = self.birth().await?;
		Ok(Signing { best, birth })
	}

	/// `call` signed with `keys` at `nonce`, against the runtime of `at`'s best block, and the
	/// last block that may include it (its mortality): for a caller that records what it sends
	/// before sending it.
	pub async fn sign(
		&self,
		keys: &Keys,
		call: &Call,
		nonce: u32,
		at: &Signing,
	) -> Result<(Vec<u8>, BlockNumber)> {
		let runtime = self.runtime(Some(at.best)).await?;
		let ext = runtime.sign(call, keys, nonce, MORTALITY, at.birth)?;
		Ok((ext, at.birth.0.saturating_add(MORTALITY as BlockNumber)))
	}

	/// The best block's hash (whose runtime signs) and the block a new extrinsic's mortality
	/// starts at: [`BIRTH_LAG`] blocks behind it.
	async fn birth(&self) -> Result<(H256, (BlockNumber, H256))> {
		let (number, best) = self.best().await?;
		let born = number.saturating_sub(BIRTH_LAG);
		let hash = if born == number { best } else { self.block_hash(born).await? };
		Ok((best, (born, hash)))
	}

	/// Hands a signed extrinsic to the node's pool without waiting for a block; its hash.
	pub async fn send_signed(&self, ext: &[u8]) -> Result<H256> {
		self.rpc("author_submitExtrinsic", rpc_params![format!("0x{}", hex::encode(ext))])
			.await
			.context("submitting the extrinsic")
	}

	/// `Err` with the inner call's error, named, if a `sudo` call in `included` failed (`sudo`
	/// itself succeeds, and reports the call's outcome in `Sudo::Sudid`).
	pub async fn check_sudo(&self, included: &Included) -> Result<()> {
		let runtime = self.cached_runtime().ok_or_else(|| anyhow!("no runtime read yet"))?;
		for fields in included.events.raw("Sudo", "Sudid")? {
			// `sudo_result: Result<(), DispatchError>`: 1 then the error if it failed.
			if let Some((1, error)) = fields.split_first() {
				bail!("sudo call failed: {}", runtime.describe_error(error));
			}
		}
		Ok(())
	}

	/// Submits and follows an extrinsic until a block includes it.
	async fn watch(&self, ext_hex: &str) -> Result<H256> {
		let mut sub = self
			.client
			.subscribe::<Value, _>(
				"author_submitAndWatchExtrinsic",
				rpc_params![ext_hex],
				"author_unwatchExtrinsic",
			)
			.await
			.context("submitting the extrinsic")?;
		while let Some(status) = sub.next().await {
			let status = status.context("extrinsic status")?;
			if let Some(block) = status.get("inBlock").or_else(|| status.get("finalized")) {
				return serde_json::from_value(block.clone()).context("block hash");
			}
			let name = status
				.as_str()
				.map(str::to_owned)
				.or_else(|| status.as_object().and_then(|o| o.keys().next().cloned()));
			match name.as_deref() {
				Some("future" | "ready" | "broadcast" | "retracted") => continue,
				_ => bail!("extrinsic not included: {status}"),
			}
		}
		bail!("the node ended the extrinsic subscription")
	}
}

impl ChainView for Chain {
	fn genesis(&self) -> Hash32 {
		self.genesis
	}

	fn best_number(&self) -> BoxFuture<'_, Result<BlockNumber>> {
		Box::pin(async move { Ok(self.best().await?.0) })
	}

	fn channel(&self, id: ChannelId) -> BoxFuture<'_, Result<Option<ChannelInfo>>> {
		Box::pin(self.channel_at(id, None))
	}
}

/// A chain that is not there: a block number set by hand and channels registered in memory;
/// for tests and the benchmark.
pub struct OfflineChain {
	genesis: Hash32,
	number: AtomicU32,
	channels: Mutex<HashMap<ChannelId, ChannelInfo>>,
}

impl OfflineChain {
	pub fn new(genesis: Hash32, number: BlockNumber) -> Self {
		Self { genesis, number: AtomicU32::new(number), channels: Mutex::new(HashMap::new()) }
	}

	/// Moves the chain to block `number`.
	pub fn set_number(&self, number: BlockNumber) {
		self.number.store(number, Ordering::SeqCst);
	}

	/// Records channel `id` as open.
	pub fn add_channel(&self, id: ChannelId, info: ChannelInfo) {
		self.channels.lock().unwrap_or_else(|e| e.into_inner()).insert(id, info);
	}
}

impl ChainView for OfflineChain {
	fn genesis(&self) -> Hash32 {
		self.genesis
	}

	fn best_number(&self) -> BoxFuture<'_, Result<BlockNumber>> {
		Box::pin(async move { Ok(self.number.load(Ordering::SeqCst)) })
	}

	fn channel(&self, id: ChannelId) -> BoxFuture<'_, Result<Option<ChannelInfo>>> {
		let info = self.channels.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned();
		Box::pin(async move { Ok(info) })
	}
}

fn parse_number(v: &Value) -> Result<BlockNumber> {
	let s = v.as_str().ok_or_else(|| anyhow!("block number is not a string: {v}"))?;
	BlockNumber::from_str_radix(s.trim_start_matches("0x"), 16).context("block number")
}

fn decode_hex(s: &str) -> Result<Vec<u8>> {
	hex::decode(s.trim_start_matches("0x")).context("hex from the node")
}

/// The payment-channels pallet's calls, and the development set-up calls.
pub mod calls {
	use super::*;
	use subxt::ext::scale_value::Value;

	const PALLET: &str = "PaymentChannels";

	pub fn open(counterparty: AccountId, asset: AssetKind, deposit: Balance) -> Call {
		Call::new(PALLET, "open")
			.arg("counterparty", crate::Address::from(counterparty))
			.arg("asset", asset)
			.arg("deposit", deposit)
	}

	pub fn top_up(channel: ChannelId, amount: Balance) -> Call {
		Call::new(PALLET, "top_up").arg("channel", channel).arg("amount", amount)
	}

	pub fn cooperative_close(
		channel: ChannelId,
		final_state: State,
		sig_a: crate::Signature,
		sig_b: crate::Signature,
	) -> Call {
		Call::new(PALLET, "cooperative_close")
			.arg("channel", channel)
			.arg("final_state", final_state)
			.arg("sig_a", sig_a)
			.arg("sig_b", sig_b)
	}

	pub fn close(channel: ChannelId, state: Option<SignedState>) -> Call {
		Call::new(PALLET, "close").arg("channel", channel).arg("state", state)
	}

	pub fn challenge(channel: ChannelId, newer: SignedState) -> Call {
		Call::new(PALLET, "challenge").arg("channel", channel).arg("newer", newer)
	}

	pub fn settle(channel: ChannelId) -> Call {
		Call::new(PALLET, "settle").arg("channel", channel)
	}

	/// `resolve_conditional` for `conditions[index]`; `None` if there is no such condition. A
	/// proof or preimage beyond the chain's bounds (`MaxProofDepth`, `MaxPreimageLen`) is refused
	/// by the chain.
	pub fn resolve(
		channel: ChannelId,
		conditions: &[Condition],
		index: usize,
		preimage: Vec<u8>,
	) -> Option<Call> {
		let (proof, leaf_index, leaf_count) = crate::conditions::proof(conditions, index)?;
		Some(
			Call::new(PALLET, "resolve_conditional")
				.arg("channel", channel)
				.arg("payment", conditions.get(index)?)
				.arg("proof", proof)
				.arg("leaf_index", leaf_index)
				.arg("leaf_count", leaf_count)
				.arg("preimage", preimage),
		)
	}

	/// `call` with root origin through the sudo key (development and test networks).
	pub fn sudo(call: Call) -> Call {
		Call::new("Sudo", "sudo").call_arg("call", call)
	}

	/// Development and test chains: sets the challenge period (blocks) through sudo, in the
	/// governance parameter (`parameters.setParameter`).
	pub fn dev_challenge_period(blocks: BlockNumber) -> Call {
		dev_parameter("PaymentChannels", "ChallengePeriod", blocks)
	}

	/// Development and test chains: sets the shortest HTLC time lock (blocks) through sudo, in
	/// the governance parameter.
	pub fn dev_htlc_min_lock(blocks: BlockNumber) -> Call {
		dev_parameter("Htlc", "MinLockDuration", blocks)
	}

	/// `sudo(parameters.set_parameter(group.name = value))`, the key and value named as in the
	/// runtime's `RuntimeParameters`.
	fn dev_parameter(group: &str, name: &str, value: BlockNumber) -> Call {
		let key_value = Value::unnamed_variant(
			group,
			[Value::unnamed_variant(
				name,
				[
					Value::unnamed_composite([]),
					Value::unnamed_variant("Some", [Value::u128(value.into())]),
				],
			)],
		);
		sudo(Call::new("Parameters", "set_parameter").value_arg("key_value", key_value))
	}
}
