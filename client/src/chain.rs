//! The chain over JSON-RPC (WebSocket): signed extrinsics submitted and watched until included,
//! their outcome read from `System::Events`, and channels read through `PaymentChannelsApi`.
//! Calls, events and errors are the runtime's own types, decoded natively.

use crate::{
	keys::Keys, AccountId, AssetKind, Balance, BlockNumber, ChannelId, ChannelInfo, Condition,
	Hash32, SignedState, State,
};
use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use futures::future::BoxFuture;
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	rpc_params,
};
use jsonrpsee_ws_client::{WsClient, WsClientBuilder};
use polkadot_sdk::{
	frame_support::traits::PalletInfoAccess,
	frame_system,
	sp_core::H256,
	sp_io::hashing::twox_128,
	sp_runtime::{generic::Era, DispatchError},
};
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
use tpwallet_runtime::{
	pallet_assets, AssetId, Bridge, BridgeGrandpa, Header, Htlc, PaymentChannels, Runtime,
	RuntimeCall, RuntimeEvent,
};

/// An event of the runtime with the phase it happened in.
pub type EventRecord = frame_system::EventRecord<RuntimeEvent, H256>;
/// Calls of the payment-channels pallet.
type Call = pallet_payment_channels::Call<Runtime>;
/// What `System::Account` keeps of a balance.
type AccountData = <Runtime as frame_system::Config>::AccountData;
type Nonce = <Runtime as frame_system::Config>::Nonce;

/// Blocks an extrinsic stays valid for: long enough to be included on a busy chain, short
/// enough that a lost one does not linger.
const MORTALITY: u64 = 64;
/// Longest wait for an extrinsic to be included.
const INCLUSION_TIMEOUT: Duration = Duration::from_secs(120);

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
}

/// An extrinsic included in a block, and the events it emitted.
#[derive(Debug)]
pub struct Included {
	pub block: H256,
	pub index: u32,
	pub events: Vec<RuntimeEvent>,
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
		Ok(Self { client, genesis: genesis.0 })
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
		let key = format!("0x{}", hex::encode(key));
		let raw: Option<String> = self.rpc("state_getStorage", rpc_params![key, at]).await?;
		let Some(raw) = raw else { return Ok(None) };
		let bytes = decode_hex(&raw)?;
		Ok(Some(T::decode(&mut &bytes[..]).context("decoding a storage item")?))
	}

	/// The events of block `at`.
	pub async fn events(&self, at: H256) -> Result<Vec<EventRecord>> {
		let key = [twox_128(b"System"), twox_128(b"Events")].concat();
		let events: Option<Vec<EventRecord>> =
			self.storage(&key, Some(at)).await.context("System::Events")?;
		Ok(events.unwrap_or_default())
	}

	/// The `pallet-assets` balance of `who` in asset `id` (0 if none; holds excluded).
	pub async fn asset_balance(&self, id: AssetId, who: &AccountId) -> Result<Balance> {
		let key = pallet_assets::Account::<Runtime>::hashed_key_for(id, who);
		let account: Option<pallet_assets::AssetAccountOf<Runtime, ()>> =
			self.storage(&key, None).await.context("Assets::Account")?;
		Ok(account.map(|a| a.balance).unwrap_or_default())
	}

	/// The native balance of `who`: free, and reserved (holds included).
	pub async fn native_balance(&self, who: &AccountId) -> Result<(Balance, Balance)> {
		let key = frame_system::Account::<Runtime>::hashed_key_for(who);
		let info: Option<frame_system::AccountInfo<Nonce, AccountData>> =
			self.storage(&key, None).await.context("System::Account")?;
		Ok(info.map(|i| (i.data.free, i.data.reserved)).unwrap_or_default())
	}

	/// Signs `call` with `keys`, submits it, waits until a block includes it and checks its
	/// outcome in that block's events: `Err` with the decoded dispatch error if it failed.
	pub async fn submit(&self, keys: &Keys, call: RuntimeCall) -> Result<Included> {
		let nonce = self.next_nonce(keys.account()).await?;
		let (number, _) = self.best().await?;
		let era = Era::mortal(MORTALITY, number.into());
		let birth = era.birth(number.into()) as BlockNumber;
		let era_start = self.block_hash(birth).await?;
		let ext = tpwallet_runtime::signing::signed_extrinsic(
			keys.pair(),
			call,
			nonce,
			era,
			H256(self.genesis),
			era_start,
		);
		let ext_hex = format!("0x{}", hex::encode(ext.encode()));
		let block = tokio::time::timeout(INCLUSION_TIMEOUT, self.watch(&ext_hex))
			.await
			.map_err(|_| anyhow!("not included within {INCLUSION_TIMEOUT:?}"))??;

		let body: Value = self.rpc("chain_getBlock", rpc_params![block]).await?;
		let index = body["block"]["extrinsics"]
			.as_array()
			.and_then(|xts| xts.iter().position(|x| x.as_str() == Some(&ext_hex)))
			.ok_or_else(|| anyhow!("extrinsic not found in block {block:?}"))? as u32;
		let mut events = Vec::new();
		for record in self.events(block).await? {
			if record.phase != frame_system::Phase::ApplyExtrinsic(index) {
				continue;
			}
			if let RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error,
				..
			}) = &record.event
			{
				bail!("dispatch failed in block {block:?}: {}", describe(dispatch_error));
			}
			events.push(record.event);
		}
		Ok(Included { block, index, events })
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

/// A dispatch error in words; the pallet's own errors by name.
pub fn describe(error: &DispatchError) -> String {
	if let DispatchError::Module(module) = error {
		type GrandpaError = tpwallet_runtime::pallet_bridge_grandpa::Error<Runtime>;
		let named = named::<PaymentChannels, pallet_payment_channels::Error<Runtime>>(module)
			.or_else(|| named::<Htlc, pallet_htlc::Error<Runtime>>(module))
			.or_else(|| named::<Bridge, pallet_bridge::Error<Runtime>>(module))
			.or_else(|| named::<BridgeGrandpa, GrandpaError>(module));
		if let Some(named) = named {
			return named;
		}
	}
	format!("{error:?}")
}

/// `Pallet::Error` if `module` is an error `E` of pallet `P`.
fn named<P: PalletInfoAccess, E: Decode + core::fmt::Debug>(
	module: &polkadot_sdk::sp_runtime::ModuleError,
) -> Option<String> {
	if module.index as usize != P::index() {
		return None;
	}
	let error = E::decode(&mut &module.error[..]).ok()?;
	Some(format!("{}::{error:?}", P::name()))
}

/// `Err` with the inner call's error if a sudo call among `events` failed (`sudo` itself
/// succeeds, and reports the call's outcome in `Sudid`).
pub fn check_sudo(events: &[RuntimeEvent]) -> Result<()> {
	for e in events {
		if let RuntimeEvent::Sudo(tpwallet_runtime::pallet_sudo::Event::Sudid {
			sudo_result: Err(e),
		}) = e
		{
			bail!("sudo call failed: {}", describe(e));
		}
	}
	Ok(())
}

fn parse_number(v: &Value) -> Result<BlockNumber> {
	let s = v.as_str().ok_or_else(|| anyhow!("block number is not a string: {v}"))?;
	BlockNumber::from_str_radix(s.trim_start_matches("0x"), 16).context("block number")
}

fn decode_hex(s: &str) -> Result<Vec<u8>> {
	hex::decode(s.trim_start_matches("0x")).context("hex from the node")
}

/// The pallet's calls, as runtime calls.
pub mod calls {
	use super::*;
	use tpwallet_runtime::configs::RuntimeParameters;

	pub fn open(counterparty: AccountId, asset: AssetKind, deposit: Balance) -> RuntimeCall {
		Call::open { counterparty: counterparty.into(), asset, deposit }.into()
	}

	pub fn top_up(channel: ChannelId, amount: Balance) -> RuntimeCall {
		Call::top_up { channel, amount }.into()
	}

	pub fn cooperative_close(
		channel: ChannelId,
		final_state: State,
		sig_a: crate::Signature,
		sig_b: crate::Signature,
	) -> RuntimeCall {
		Call::cooperative_close { channel, final_state, sig_a, sig_b }.into()
	}

	pub fn close(channel: ChannelId, state: Option<SignedState>) -> RuntimeCall {
		Call::close { channel, state }.into()
	}

	pub fn challenge(channel: ChannelId, newer: SignedState) -> RuntimeCall {
		Call::challenge { channel, newer }.into()
	}

	pub fn settle(channel: ChannelId) -> RuntimeCall {
		Call::settle { channel }.into()
	}

	/// Development and test chains: sets the challenge period (blocks) through sudo, in the
	/// governance parameter (`parameters.setParameter`).
	pub fn dev_challenge_period(blocks: BlockNumber) -> RuntimeCall {
		use tpwallet_runtime::configs::dynamic_params::payment_channels::{
			ChallengePeriod, Parameters,
		};
		dev_parameter(RuntimeParameters::PaymentChannels(Parameters::ChallengePeriod(
			ChallengePeriod,
			Some(blocks),
		)))
	}

	/// Development and test chains: sets the shortest HTLC time lock (blocks) through sudo, in
	/// the governance parameter.
	pub fn dev_htlc_min_lock(blocks: BlockNumber) -> RuntimeCall {
		use tpwallet_runtime::configs::dynamic_params::htlc::{MinLockDuration, Parameters};
		dev_parameter(RuntimeParameters::Htlc(Parameters::MinLockDuration(
			MinLockDuration,
			Some(blocks),
		)))
	}

	/// `sudo(parameters.set_parameter(..))`.
	fn dev_parameter(key_value: RuntimeParameters) -> RuntimeCall {
		let set = tpwallet_runtime::pallet_parameters::Call::set_parameter { key_value };
		let call = Box::new(RuntimeCall::Parameters(set));
		RuntimeCall::Sudo(tpwallet_runtime::pallet_sudo::Call::sudo { call })
	}

	/// `resolve_conditional` for `conditions[index]`; `None` if the proof or preimage exceeds
	/// the chain's bounds.
	pub fn resolve(
		channel: ChannelId,
		conditions: &[Condition],
		index: usize,
		preimage: Vec<u8>,
	) -> Option<RuntimeCall> {
		let (proof, leaf_index, leaf_count) = crate::conditions::proof(conditions, index)?;
		Some(
			Call::resolve_conditional {
				channel,
				payment: conditions[index].clone(),
				proof: proof.try_into().ok()?,
				leaf_index,
				leaf_count,
				preimage: preimage.try_into().ok()?,
			}
			.into(),
		)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::ModuleError;

	/// The dispatch error of pallet `P` failing with `error`.
	fn module_error<P: PalletInfoAccess>(error: impl Encode) -> DispatchError {
		let encoded = error.encode();
		let mut error = [0u8; 4];
		error[..encoded.len()].copy_from_slice(&encoded);
		DispatchError::Module(ModuleError { index: P::index() as u8, error, message: None })
	}

	#[test]
	fn pallet_errors_are_named() {
		let e =
			module_error::<PaymentChannels>(pallet_payment_channels::Error::<Runtime>::StaleState);
		assert_eq!(describe(&e), "PaymentChannels::StaleState");
		let e = module_error::<Htlc>(pallet_htlc::Error::<Runtime>::SwapNotExpired);
		assert_eq!(describe(&e), "Htlc::SwapNotExpired");
		let e = module_error::<Bridge>(pallet_bridge::Error::<Runtime>::MessageAlreadyDelivered);
		assert_eq!(describe(&e), "Bridge::MessageAlreadyDelivered");
		type GrandpaError = tpwallet_runtime::pallet_bridge_grandpa::Error<Runtime>;
		let e = module_error::<BridgeGrandpa>(GrandpaError::InvalidJustification);
		assert_eq!(describe(&e), "BridgeGrandpa::InvalidJustification");
		assert_eq!(describe(&DispatchError::BadOrigin), "BadOrigin");
	}

	#[test]
	fn calls_encode_under_the_pallet_index() {
		let call = calls::settle(5);
		let bytes = call.encode();
		assert_eq!(bytes[0] as usize, <PaymentChannels as PalletInfoAccess>::index());
		assert_eq!(bytes[1], 6, "settle is call index 6");
		assert_eq!(RuntimeCall::decode(&mut &bytes[..]).unwrap(), call);
	}
}
