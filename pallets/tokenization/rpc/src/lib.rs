//! `tokenization_*` JSON-RPC methods: what wallets and issuer dashboards read, answered by the
//! tokenization runtime API at the best block (or at `at`).
//!
//! Balances are decimal strings: JSON numbers lose precision above 2^53, and token balances
//! routinely exceed that.

use std::{fmt::Display, str::FromStr, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
pub use pallet_tokenization_runtime_api::TokenizationApi as TokenizationRuntimeApi;
use pallet_tokenization_runtime_api::{
	Claimable, HolderBalance, RoleSet, TokenInfo, TransferCheck,
};
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi, sp_blockchain::HeaderBackend, sp_runtime::traits::Block as BlockT,
};
use serde::{Deserialize, Serialize};

/// A token's facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfoJson<AccountId> {
	/// `Stablecoin`, `SecurityToken`, `UtilityToken` or `NftCollection`.
	pub class: String,
	pub issuer: AccountId,
	pub template: u32,
	pub name: String,
	pub symbol: String,
	pub decimals: u8,
	/// `None`: uncapped.
	pub cap: Option<String>,
	pub supply: String,
	/// `Open` or `Allowlisted`.
	pub policy: String,
	pub paused: bool,
	/// Hex, `0x`-prefixed.
	pub document_hash: String,
	pub reserves: Option<String>,
}

/// A holder's balance of a token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HolderBalanceJson {
	pub total: String,
	pub locked: String,
	pub transferable: String,
	pub frozen: bool,
}

/// A holder's unclaimed share of one distribution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimableJson<FundsAssetId> {
	pub distribution: u64,
	pub payout_asset: FundsAssetId,
	pub amount: String,
}

/// What a transfer would meet now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferCheckJson {
	/// `allowed`, `held` (for a compliance officer's review) or `rejected`.
	pub outcome: String,
	/// The rule that holds or rejects it (an error name such as `JurisdictionBlocked`).
	pub rule: Option<String>,
}

#[rpc(client, server)]
pub trait TokenizationApi<BlockHash, AccountId, TokenId, FundsAssetId> {
	/// A managed token's class, issuer, cap, supply, policy and reserves; `null` if unknown.
	#[method(name = "tokenization_tokenInfo")]
	fn token_info(
		&self,
		token: TokenId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<TokenInfoJson<AccountId>>>;

	/// `who`'s total, locked and transferable balance; `null` if the token is unknown or an NFT
	/// collection.
	#[method(name = "tokenization_holderBalance")]
	fn holder_balance(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<HolderBalanceJson>>;

	/// What `who` can claim now from the token's open distributions.
	#[method(name = "tokenization_claimable")]
	fn claimable(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ClaimableJson<FundsAssetId>>>;

	/// The roles `who` holds on the token: any of `Admin`, `Minter`, `Freezer`, `Controller`.
	#[method(name = "tokenization_roles")]
	fn roles(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<String>>;

	/// Whether a transfer of `amount` (a decimal string) from `from` to `to` would go through,
	/// be held for review or be refused, and by which rule; `travelRule` is the 0x-prefixed
	/// 32-byte digest it would carry. Nothing is submitted.
	#[method(name = "tokenization_checkTransfer")]
	fn check_transfer(
		&self,
		token: TokenId,
		from: AccountId,
		to: AccountId,
		amount: String,
		travel_rule: Option<polkadot_sdk::sp_core::H256>,
		at: Option<BlockHash>,
	) -> RpcResult<TransferCheckJson>;
}

/// The handlers.
pub struct Tokenization<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Tokenization<C, B> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}

	/// `at`, or the best block.
	fn at_or_best<Block: BlockT>(&self, at: Option<Block::Hash>) -> Block::Hash
	where
		C: HeaderBackend<Block>,
	{
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

/// The runtime API call failed (for example, the block is unknown or pruned).
const RUNTIME_ERROR: i32 = 1;
/// A parameter could not be read.
const INVALID_PARAMS: i32 = -32602;

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Runtime API call failed", Some(format!("{e:?}")))
}

fn text(bytes: Vec<u8>) -> String {
	String::from_utf8_lossy(&bytes).into_owned()
}

fn role_names(set: RoleSet) -> Vec<String> {
	use pallet_tokenization_runtime_api::Role;
	[Role::Admin, Role::Minter, Role::Freezer, Role::Controller]
		.into_iter()
		.filter(|r| set.contains(*r))
		.map(|r| format!("{r:?}"))
		.collect()
}

impl<C, Block, AccountId, TokenId, Balance, FundsAssetId>
	TokenizationApiServer<<Block as BlockT>::Hash, AccountId, TokenId, FundsAssetId>
	for Tokenization<C, (Block, Balance)>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: TokenizationRuntimeApi<Block, AccountId, TokenId, Balance, FundsAssetId>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	TokenId: Codec + Send + Sync + for<'de> Deserialize<'de> + 'static,
	Balance: Codec + Display + FromStr + Send + Sync + 'static,
	FundsAssetId: Codec + Send + Sync + Serialize + 'static,
{
	fn token_info(
		&self,
		token: TokenId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<TokenInfoJson<AccountId>>> {
		let at = self.at_or_best(at);
		let info = self.client.runtime_api().token_info(at, token).map_err(runtime_error)?;
		Ok(info.map(|i: TokenInfo<AccountId, Balance>| TokenInfoJson {
			class: format!("{:?}", i.class),
			issuer: i.issuer,
			template: i.template,
			name: text(i.name),
			symbol: text(i.symbol),
			decimals: i.decimals,
			cap: i.cap.map(|c| c.to_string()),
			supply: i.supply.to_string(),
			policy: format!("{:?}", i.policy),
			paused: i.paused,
			document_hash: format!(
				"0x{}",
				polkadot_sdk::sp_core::hexdisplay::HexDisplay::from(&i.document_hash)
			),
			reserves: i.reserves.map(|r| r.to_string()),
		}))
	}

	fn holder_balance(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<HolderBalanceJson>> {
		let at = self.at_or_best(at);
		let balance =
			self.client.runtime_api().holder_balance(at, token, who).map_err(runtime_error)?;
		Ok(balance.map(|b: HolderBalance<Balance>| HolderBalanceJson {
			total: b.total.to_string(),
			locked: b.locked.to_string(),
			transferable: b.transferable.to_string(),
			frozen: b.frozen,
		}))
	}

	fn claimable(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<ClaimableJson<FundsAssetId>>> {
		let at = self.at_or_best(at);
		let claims = self.client.runtime_api().claimable(at, token, who).map_err(runtime_error)?;
		Ok(claims
			.into_iter()
			.map(|c: Claimable<FundsAssetId, Balance>| ClaimableJson {
				distribution: c.distribution,
				payout_asset: c.payout_asset,
				amount: c.amount.to_string(),
			})
			.collect())
	}

	fn roles(
		&self,
		token: TokenId,
		who: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<String>> {
		let at = self.at_or_best(at);
		let roles = self.client.runtime_api().roles(at, token, who).map_err(runtime_error)?;
		Ok(role_names(roles))
	}

	fn check_transfer(
		&self,
		token: TokenId,
		from: AccountId,
		to: AccountId,
		amount: String,
		travel_rule: Option<polkadot_sdk::sp_core::H256>,
		at: Option<Block::Hash>,
	) -> RpcResult<TransferCheckJson> {
		let amount: Balance = amount.parse().map_err(|_| {
			ErrorObject::owned(INVALID_PARAMS, "amount must be a decimal integer", Some(amount))
		})?;
		let at = self.at_or_best(at);
		let check = self
			.client
			.runtime_api()
			.check_transfer(at, token, from, to, amount, travel_rule.map(|h| h.0))
			.map_err(runtime_error)?;
		let (outcome, rule) = match check {
			TransferCheck::Allowed => ("allowed", None),
			TransferCheck::Held { rule } => ("held", Some(text(rule))),
			TransferCheck::Rejected { rule } => ("rejected", Some(text(rule))),
		};
		Ok(TransferCheckJson { outcome: outcome.into(), rule })
	}
}
