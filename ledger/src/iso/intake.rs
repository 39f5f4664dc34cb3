//! A payment message in: read and validated (`tpwallet-gateway`), recorded as received, and each
//! transfer routed (currency table, directory), checked against the chain before anything is
//! sent (the debtor's transferable units, the compliance pre-check) and submitted as
//! `proxy.proxy(debtor, tokenization.transfer_with_travel_rule(…))`, signed by the institution,
//! which each debtor has made its `TokenPayments` proxy (token transfers only). A transfer is
//! recorded with its idempotency keys before it is sent, so a crash between the two leaves a
//! transfer that the settlement task finds never included (refused), never one paid twice or
//! paid unrecorded.

use super::books::{Claim, CurrencyEntry, DirectoryEntry};
use crate::store::Store;
use anyhow::{anyhow, Result};
use codec::Compact;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use tokio::sync::Mutex;
use tpw_client::{
	call::Call,
	chain::{Chain, Signing},
	keys::{parse_account, Keys},
	Address,
};
use tpwallet_gateway::{
	reasons, route::idempotency_keys, Currencies, Directory, Instruction, Limits, Rejection, Token,
	Transfer,
};

/// The gateway's submitting side: the institution's key and its connections.
pub struct Intake {
	/// The institution's BIC: the sender of its reports.
	pub agent: String,
	keys: Keys,
	url: String,
	limits: Limits,
	/// One submission at a time (nonces in order), over connections made when first needed.
	state: Mutex<Connections>,
}

#[derive(Default)]
struct Connections {
	chain: Option<Chain>,
	store: Option<Store>,
	/// The institution's next nonce as this intake counts it: the node's count can lag behind
	/// what its pool already holds from the previous message.
	nonce: Option<u32>,
}

/// What became of one transfer of a message at intake.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransferOutcome {
	pub end_to_end_id: String,
	/// `submitted` or `rejected`.
	pub status: &'static str,
	/// The ISO status reason code of a refusal.
	pub reason_code: Option<String>,
	pub reason: Option<String>,
	/// The extrinsic's hash (0x…), once submitted.
	pub extrinsic: Option<String>,
}

/// What became of a message at intake.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
	/// The gateway's number for the message (its status report is under it too).
	pub message: i64,
	pub msg_id: Option<String>,
	/// `pain.001.001.03`, …
	pub kind: Option<&'static str>,
	/// The reason code and words when the whole message is refused.
	pub reason_code: Option<String>,
	pub reason: Option<String>,
	pub transfers: Vec<TransferOutcome>,
}

struct Table(Vec<CurrencyEntry>);

impl Currencies for Table {
	fn token(&self, currency: &str) -> Option<Token> {
		let entry = self.0.iter().find(|c| c.currency == currency)?;
		Some(Token { asset: entry.asset, decimals: entry.decimals })
	}
}

struct Names(HashMap<String, DirectoryEntry>);

impl Directory for Names {
	fn account(&self, key: &str) -> Option<String> {
		self.0.get(key).map(|e| e.account.clone())
	}
}

impl Intake {
	pub fn new(agent: String, keys: Keys, url: &str) -> Self {
		Self {
			agent,
			keys,
			url: url.into(),
			limits: Limits::default(),
			state: Mutex::new(Connections::default()),
		}
	}

	/// Takes `bytes` (from `source`: `api:<key id>` or `folder:<file>`), records it, and
	/// submits what it may. `Err` when the database or the node fails: every transfer sent
	/// before is recorded, and the connections are made again for the next message.
	pub async fn accept(&self, db: &str, bytes: &[u8], source: &str) -> Result<Outcome> {
		let mut state = self.state.lock().await;
		let outcome = self.accept_with(&mut state, db, bytes, source).await;
		if outcome.is_err() {
			*state = Connections::default();
		}
		outcome
	}

	async fn accept_with(
		&self,
		state: &mut Connections,
		db: &str,
		bytes: &[u8],
		source: &str,
	) -> Result<Outcome> {
		if state.store.is_none() {
			state.store = Some(Store::connect(db).await?);
		}
		let sha256: [u8; 32] = Sha256::digest(bytes).into();
		let message = match tpwallet_gateway::read(bytes, &self.limits) {
			Ok(message) => message,
			Err(refused) => {
				let store = state.store.as_ref().ok_or_else(|| anyhow!("no database"))?;
				let refusal = Some((refused.code.as_str(), refused.detail.as_str()));
				let id =
					store.insert_message(None, None, None, bytes, &sha256, refusal, source).await?;
				return Ok(Outcome {
					message: id,
					msg_id: None,
					kind: None,
					reason_code: Some(refused.code),
					reason: Some(refused.detail),
					transfers: vec![],
				});
			}
		};
		if state.chain.is_none() {
			state.chain = Some(Chain::connect(&self.url).await?);
		}
		let Connections { chain: Some(chain), store: Some(store), nonce: kept } = state else {
			return Err(anyhow!("not connected"));
		};
		let id = store
			.insert_message(
				Some(&message.msg_id),
				Some(message.id.name()),
				Some(&message.created),
				bytes,
				&sha256,
				None,
				source,
			)
			.await?;
		let keys: Vec<String> = message
			.instructions
			.iter()
			.flat_map(|i| {
				[(&i.debtor_account, &i.debtor_agent), (&i.creditor_account, &i.creditor_agent)]
			})
			.filter_map(|(account, agent)| {
				let account = account.as_ref()?;
				Some(tpwallet_gateway::route::directory_key(account, agent.as_deref()))
			})
			.collect();
		let names = Names(store.directory(&keys).await?);
		let table = Table(store.currencies().await?);
		let counted = chain.next_nonce(self.keys.account()).await?;
		let mut nonce = kept.map_or(counted, |kept| kept.max(counted));
		// One birth block for the message's transfers: a message of hundreds is signed in
		// seconds, its mortality lasts minutes.
		let signing = chain.signing().await?;
		let mut transfers = Vec::with_capacity(message.instructions.len());
		// One at a time: pre-checks asked side by side measured slower (the node runs each in
		// its own runtime instance on the same two cores).
		for (position, instruction) in message.instructions.iter().enumerate() {
			let position = position as i32;
			let outcome = match tpwallet_gateway::route(instruction, &names, &table) {
				Err(refused) => Err(Refused::new(refused)),
				Ok(transfer) => match precheck(chain, &transfer).await {
					Err(refused) => Err(refused),
					Ok(()) => {
						let at = (&signing, &mut nonce);
						self.submit(chain, store, id, position, instruction, &transfer, at).await?
					}
				},
			};
			let e2e = instruction.end_to_end_id.clone();
			transfers.push(match outcome {
				Ok(hash) => TransferOutcome {
					end_to_end_id: e2e,
					status: "submitted",
					reason_code: None,
					reason: None,
					extrinsic: Some(format!("0x{}", hex::encode(hash))),
				},
				Err(refused) => {
					if !refused.recorded {
						store
							.insert_refused(
								id,
								position,
								&e2e,
								&refused.rejection.code,
								&refused.rejection.detail,
							)
							.await?;
					}
					TransferOutcome {
						end_to_end_id: e2e,
						status: "rejected",
						reason_code: Some(refused.rejection.code),
						reason: Some(refused.rejection.detail),
						extrinsic: None,
					}
				}
			});
		}
		*kept = Some(nonce);
		Ok(Outcome {
			message: id,
			msg_id: Some(message.msg_id.clone()),
			kind: Some(message.id.name()),
			reason_code: None,
			reason: None,
			transfers,
		})
	}

	/// Signs, records (claiming the idempotency keys), then sends one transfer.
	#[allow(clippy::too_many_arguments)]
	async fn submit(
		&self,
		chain: &Chain,
		store: &mut Store,
		message: i64,
		position: i32,
		instruction: &Instruction,
		transfer: &Transfer,
		(signing, nonce): (&Signing, &mut u32),
	) -> Result<Result<[u8; 32], Refused>> {
		let call = proxied_transfer(transfer)?;
		let (ext, valid_until) = chain.sign(&self.keys, &call, *nonce, signing).await?;
		let hash = polkadot_sdk::sp_io::hashing::blake2_256(&ext);
		let keys = idempotency_keys(instruction);
		let claim = Claim {
			message,
			position,
			end_to_end_id: &instruction.end_to_end_id,
			keys: &keys,
			debtor: &transfer.from,
			creditor: &transfer.to,
			asset: transfer.asset,
			units: transfer.units,
			travel_rule: transfer.travel_rule,
			extrinsic: hash,
			valid_until,
		};
		let payment = match store.claim(&claim).await? {
			Ok(payment) => payment,
			Err(earlier) => {
				return Ok(Err(Refused::new(Rejection::new(
					"AM05",
					format!(
						"a duplicate of transfer {earlier} (same MsgId and EndToEndId, or UETR)"
					),
				))))
			}
		};
		match chain.send_signed(&ext).await {
			Ok(_) => {
				*nonce += 1;
				Ok(Ok(hash))
			}
			Err(e) => {
				// Never in the pool: the nonce is free again (read anew, in case it was the
				// node that moved on).
				let refusal = Rejection::new("NARR", format!("the node refused it: {e:#}"));
				store.unsent(payment, &refusal.code, &refusal.detail).await?;
				*nonce = (*nonce).max(chain.next_nonce(self.keys.account()).await?);
				Ok(Err(Refused { rejection: refusal, recorded: true }))
			}
		}
	}
}

/// A refusal, and whether it is already in the books.
struct Refused {
	rejection: Rejection,
	recorded: bool,
}

impl Refused {
	fn new(rejection: Rejection) -> Self {
		Self { rejection, recorded: false }
	}
}

impl From<Rejection> for Refused {
	fn from(rejection: Rejection) -> Self {
		Self::new(rejection)
	}
}

/// What the chain would say, asked before anything is sent: the debtor's transferable units
/// (`AM04`, or `AC06` if frozen) and the compliance rules (`RR04`, `AG01`, … by rule).
async fn precheck(chain: &Chain, t: &Transfer) -> Result<(), Refused> {
	let node = |e: anyhow::Error| {
		Refused::new(Rejection::new("NARR", format!("the chain could not be asked: {e:#}")))
	};
	let balance: Option<serde_json::Value> = chain
		.rpc("tokenization_holderBalance", jsonrpsee::rpc_params![t.asset, &t.from])
		.await
		.map_err(node)?;
	let transferable = balance
		.as_ref()
		.and_then(|b| b["transferable"].as_str())
		.and_then(|u| u.parse::<u128>().ok())
		.unwrap_or(0);
	if balance.as_ref().and_then(|b| b["frozen"].as_bool()) == Some(true) {
		return Err(Rejection::new("AC06", "the debtor's account is frozen for this token").into());
	}
	if transferable < t.units {
		return Err(Rejection::new(
			"AM04",
			format!("the debtor can transfer {transferable} units; the payment needs {}", t.units),
		)
		.into());
	}
	let digest = format!("0x{}", hex::encode(t.travel_rule));
	let check: serde_json::Value = chain
		.rpc(
			"tokenization_checkTransfer",
			jsonrpsee::rpc_params![t.asset, &t.from, &t.to, t.units.to_string(), digest],
		)
		.await
		.map_err(node)?;
	if check["outcome"].as_str() == Some("rejected") {
		let rule = check["rule"].as_str().unwrap_or("a compliance rule");
		return Err(reasons::chain_refusal(rule).into());
	}
	Ok(())
}

/// `proxy.proxy(real: debtor, force_proxy_type: None, call: tokenization.transfer_with_travel_rule(
/// token, dest: creditor, amount, travel_rule))`.
fn proxied_transfer(t: &Transfer) -> Result<Call> {
	let (from, to) = (parse_account(&t.from)?, parse_account(&t.to)?);
	let transfer = Call::new("Tokenization", "transfer_with_travel_rule")
		.arg("token", t.asset)
		.arg("dest", Address::from(to))
		.arg("amount", Compact(t.units))
		.arg("travel_rule", t.travel_rule);
	Ok(Call::new("Proxy", "proxy")
		.arg("real", Address::from(from))
		.arg("force_proxy_type", Option::<u8>::None)
		.call_arg("call", transfer))
}
