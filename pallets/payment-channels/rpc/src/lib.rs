//! `paymentChannels_*` JSON-RPC methods: what wallets, channel clients and watchtowers read of a
//! channel, answered by the payment-channels runtime API at the best block (or at `at`).
//!
//! Balances are decimal strings: JSON numbers lose precision above 2^53.

use std::{fmt::Display, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
pub use pallet_payment_channels_runtime_api::PaymentChannelsApi as PaymentChannelsRuntimeApi;
use pallet_payment_channels_runtime_api::{ChannelId, ChannelInfo, ChannelStatus};
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend, sp_runtime::traits::Block as BlockT,
};
use serde::{Deserialize, Serialize};

/// A channel's on-chain state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelJson<AccountId, AssetKind, BlockNumber> {
	/// The opener.
	pub party_a: AccountId,
	/// The counterparty.
	pub party_b: AccountId,
	pub asset: AssetKind,
	/// What A deposited.
	pub deposit_a: String,
	/// What B deposited.
	pub deposit_b: String,
	/// `open` or `closing`.
	pub status: String,
	/// While closing: who started the close.
	pub closer: Option<AccountId>,
	/// While closing: the closing state's nonce (`null`: closed without a state).
	pub nonce: Option<u64>,
	/// While closing: the first block at which it can be settled.
	pub closes_at: Option<BlockNumber>,
	/// While closing: conditional payments resolved so far.
	pub resolved: Option<u32>,
}

#[rpc(client, server)]
pub trait PaymentChannelsApi<BlockHash, AccountId, AssetKind, BlockNumber> {
	/// Channel `id`'s parties, asset, deposits and status; `null` if unknown or settled.
	#[method(name = "paymentChannels_channel")]
	fn channel(
		&self,
		id: ChannelId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ChannelJson<AccountId, AssetKind, BlockNumber>>>;
}

/// The handlers.
pub struct PaymentChannels<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> PaymentChannels<C, B> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

/// The runtime API call failed (for example, the block is unknown or pruned).
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Runtime API call failed", Some(format!("{e:?}")))
}

impl<C, Block, AccountId, AssetKind, Balance, BlockNumber>
	PaymentChannelsApiServer<<Block as BlockT>::Hash, AccountId, AssetKind, BlockNumber>
	for PaymentChannels<C, (Block, Balance)>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: PaymentChannelsRuntimeApi<Block, AccountId, AssetKind, Balance, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	AssetKind: Codec + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn channel(
		&self,
		id: ChannelId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<ChannelJson<AccountId, AssetKind, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let info = self.client.runtime_api().channel(at, id).map_err(runtime_error)?;
		Ok(info.map(|c: ChannelInfo<AccountId, AssetKind, Balance, BlockNumber>| {
			let mut json = ChannelJson {
				party_a: c.party_a,
				party_b: c.party_b,
				asset: c.asset,
				deposit_a: c.deposits.0.to_string(),
				deposit_b: c.deposits.1.to_string(),
				status: "open".into(),
				closer: None,
				nonce: None,
				closes_at: None,
				resolved: None,
			};
			if let ChannelStatus::Closing { closer, nonce, closes_at, resolved } = c.status {
				json.status = "closing".into();
				json.closer = Some(closer);
				json.nonce = nonce;
				json.closes_at = Some(closes_at);
				json.resolved = Some(resolved);
			}
			json
		}))
	}
}
