//! `settlement_*` JSON-RPC methods: what a party asks before it affirms or executes an
//! instruction, and what a clearing-scheme member reads of its standing and of the cycle,
//! answered by the settlement runtime API at the best block (or at `at`).
//!
//! Balances are decimal strings: JSON numbers lose precision above 2^53. A module error names
//! its pallet index and error index, which `api.registry.findMetaError` turns into names.

use std::{fmt::Display, sync::Arc};

use codec::Codec;
use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
pub use pallet_settlement_runtime_api::SettlementApi as SettlementRuntimeApi;
use pallet_settlement_runtime_api::{
	CycleView, ExecutionFailure, InstructionId, MemberView, SchemeId,
};
use polkadot_sdk::{
	sp_api::ProvideRuntimeApi,
	sp_blockchain::HeaderBackend,
	sp_runtime::{traits::Block as BlockT, DispatchError},
};
use serde::{Deserialize, Serialize};

/// A dispatch error: the pallet and error indices of a module error, and a description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorJson {
	/// The pallet's index, for a module error.
	pub index: Option<u8>,
	/// The error's index within its pallet, for a module error.
	pub error: Option<u8>,
	/// The error as the runtime names it (`Module` errors carry no name here).
	pub description: String,
}

impl From<DispatchError> for ErrorJson {
	fn from(error: DispatchError) -> Self {
		match error {
			DispatchError::Module(module) => Self {
				index: Some(module.index),
				error: module.error.first().copied(),
				description: "Module".into(),
			},
			other => Self { index: None, error: None, description: format!("{other:?}") },
		}
	}
}

/// One reason an instruction would not settle now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureJson<AccountId, BlockNumber> {
	/// `unknownInstruction`, `expired`, `notDue`, `senderNotAffirmed`, `receiverNotAffirmed`,
	/// `preimageMissing`, `insufficientBalance` or `refused`.
	pub reason: String,
	/// The leg it concerns, from 0.
	pub leg: Option<u32>,
	/// The sender or receiver it concerns.
	pub account: Option<AccountId>,
	/// The block of `expired` and `notDue`.
	pub at: Option<BlockNumber>,
	/// The error a `refused` leg would fail with.
	pub error: Option<ErrorJson>,
}

impl<AccountId, BlockNumber> From<ExecutionFailure<AccountId, BlockNumber>>
	for FailureJson<AccountId, BlockNumber>
{
	fn from(failure: ExecutionFailure<AccountId, BlockNumber>) -> Self {
		let json = |reason: &str| Self {
			reason: reason.into(),
			leg: None,
			account: None,
			at: None,
			error: None,
		};
		match failure {
			ExecutionFailure::UnknownInstruction => json("unknownInstruction"),
			ExecutionFailure::Expired { at } => Self { at: Some(at), ..json("expired") },
			ExecutionFailure::NotDue { at } => Self { at: Some(at), ..json("notDue") },
			ExecutionFailure::SenderNotAffirmed { leg, sender } => {
				Self { leg: Some(leg), account: Some(sender), ..json("senderNotAffirmed") }
			}
			ExecutionFailure::ReceiverNotAffirmed { leg, receiver } => {
				Self { leg: Some(leg), account: Some(receiver), ..json("receiverNotAffirmed") }
			}
			ExecutionFailure::PreimageMissing { leg } => {
				Self { leg: Some(leg), ..json("preimageMissing") }
			}
			ExecutionFailure::InsufficientBalance { leg, sender } => {
				Self { leg: Some(leg), account: Some(sender), ..json("insufficientBalance") }
			}
			ExecutionFailure::Refused { leg, error } => {
				Self { leg: Some(leg), error: Some(error.into()), ..json("refused") }
			}
		}
	}
}

/// A scheme's open cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleJson<BlockNumber> {
	pub cycle: u32,
	pub started_at: BlockNumber,
	pub closes_at: BlockNumber,
	/// Gross value cleared so far.
	pub gross: String,
	/// Net value to settle if it closed now.
	pub net: String,
	/// The cycle being settled, if any.
	pub settling: Option<u32>,
	/// The last settled cycle's number, gross, net, shortfall and transfers.
	pub last_settled: Option<SettledJson<BlockNumber>>,
}

/// A settled cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettledJson<BlockNumber> {
	pub cycle: u32,
	pub gross: String,
	pub net: String,
	pub shortfall: String,
	pub transfers: u32,
	pub settled_at: BlockNumber,
}

/// A member's standing in a scheme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberJson<AccountId> {
	pub net_debit_cap: String,
	pub collateral: String,
	pub suspended: bool,
	/// Paid and received in the open cycle.
	pub paid: String,
	pub received: String,
	/// A payout kept for it to claim.
	pub unclaimed: String,
	/// Bilateral credit limits granted to it, and what it owes each creditor, net.
	pub credit_limits: Vec<CreditLineJson<AccountId>>,
}

/// A bilateral credit limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreditLineJson<AccountId> {
	pub creditor: AccountId,
	pub limit: String,
	pub used: String,
}

#[rpc(client, server)]
pub trait SettlementApi<BlockHash, AccountId, BlockNumber> {
	/// Every reason instruction `id` would not settle if executed now; empty if it would.
	#[method(name = "settlement_executionFailures")]
	fn execution_failures(
		&self,
		id: InstructionId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<FailureJson<AccountId, BlockNumber>>>;

	/// Scheme `scheme`'s open cycle; `null` for an unknown scheme.
	#[method(name = "settlement_openCycle")]
	fn open_cycle(
		&self,
		scheme: SchemeId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<CycleJson<BlockNumber>>>;

	/// `who`'s standing in `scheme`; `null` if not a member.
	#[method(name = "settlement_member")]
	fn member(
		&self,
		scheme: SchemeId,
		who: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<MemberJson<AccountId>>>;
}

/// The handlers.
pub struct Settlement<C, B> {
	client: Arc<C>,
	_marker: std::marker::PhantomData<B>,
}

impl<C, B> Settlement<C, B> {
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _marker: Default::default() }
	}
}

/// The runtime API call failed (for example, the block is unknown or pruned).
const RUNTIME_ERROR: i32 = 1;

fn runtime_error(e: impl std::fmt::Debug) -> ErrorObjectOwned {
	ErrorObject::owned(RUNTIME_ERROR, "Runtime API call failed", Some(format!("{e:?}")))
}

impl<C, Block, AccountId, Balance, BlockNumber>
	SettlementApiServer<<Block as BlockT>::Hash, AccountId, BlockNumber>
	for Settlement<C, (Block, Balance)>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SettlementRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	AccountId: Codec + Clone + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
	Balance: Codec + Display + Send + Sync + 'static,
	BlockNumber: Codec + Send + Sync + Serialize + for<'de> Deserialize<'de> + 'static,
{
	fn execution_failures(
		&self,
		id: InstructionId,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<FailureJson<AccountId, BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let failures =
			self.client.runtime_api().execution_failures(at, id).map_err(runtime_error)?;
		Ok(failures.into_iter().map(Into::into).collect())
	}

	fn open_cycle(
		&self,
		scheme: SchemeId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<CycleJson<BlockNumber>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().open_cycle(at, scheme).map_err(runtime_error)?;
		Ok(view.map(|v: CycleView<Balance, BlockNumber>| CycleJson {
			cycle: v.cycle,
			started_at: v.started_at,
			closes_at: v.closes_at,
			gross: v.gross.to_string(),
			net: v.net.to_string(),
			settling: v.settling.map(|(cycle, _)| cycle),
			last_settled: v.last_settled.map(|s| SettledJson {
				cycle: s.cycle,
				gross: s.gross.to_string(),
				net: s.net.to_string(),
				shortfall: s.shortfall.to_string(),
				transfers: s.transfers,
				settled_at: s.settled_at,
			}),
		}))
	}

	fn member(
		&self,
		scheme: SchemeId,
		who: AccountId,
		at: Option<Block::Hash>,
	) -> RpcResult<Option<MemberJson<AccountId>>> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let view = self.client.runtime_api().member(at, scheme, who).map_err(runtime_error)?;
		Ok(view.map(|m: MemberView<AccountId, Balance>| MemberJson {
			net_debit_cap: m.net_debit_cap.to_string(),
			collateral: m.collateral.to_string(),
			suspended: m.suspended,
			paid: m.paid.to_string(),
			received: m.received.to_string(),
			unclaimed: m.unclaimed.to_string(),
			credit_limits: m
				.credit_limits
				.into_iter()
				.map(|line| CreditLineJson {
					creditor: line.creditor,
					limit: line.limit.to_string(),
					used: line.used.to_string(),
				})
				.collect(),
		}))
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::ModuleError;

	#[test]
	fn failures_become_json_that_names_their_leg_account_and_error() {
		let refused: FailureJson<String, u32> = ExecutionFailure::Refused {
			leg: 2,
			error: DispatchError::Module(ModuleError {
				index: 60,
				error: [7, 0, 0, 0],
				message: None,
			}),
		}
		.into();
		assert_eq!(
			serde_json::to_value(&refused).expect("serializes"),
			serde_json::json!({
				"reason": "refused", "leg": 2, "account": null, "at": null,
				"error": { "index": 60, "error": 7, "description": "Module" }
			})
		);
		let unaffirmed: FailureJson<String, u32> =
			ExecutionFailure::SenderNotAffirmed { leg: 0, sender: "alice".to_string() }.into();
		assert_eq!(unaffirmed.reason, "senderNotAffirmed");
		assert_eq!(unaffirmed.account.as_deref(), Some("alice"));
		let token: ErrorJson =
			DispatchError::Token(polkadot_sdk::sp_runtime::TokenError::FundsUnavailable).into();
		assert_eq!(token.description, "Token(FundsUnavailable)");
		assert_eq!(token.index, None);
	}
}
