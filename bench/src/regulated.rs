//! The regulated-token workload's set-up: a security token under a compliance rule set that asks
//! everything a transfer can be asked (a KYC claim of tier 1 on both sides, sanctions screening,
//! a blocked jurisdiction, risk scores, a travel-rule threshold, balance, transfer and velocity
//! limits, a review threshold), set well above what the load moves, so every transfer runs every
//! check and passes. Every sender is attested by the funder (made a trusted issuer) and holds
//! units. Built once per chain; a later run reuses the token and sets up only new accounts.
//!
//! Structured arguments are dynamic values encoded by the chain's own metadata, like the calls.

use crate::accounts::{in_map, submit_batches};
use anyhow::{anyhow, Context, Result};
use codec::{Compact, Decode};
use futures::{stream, StreamExt, TryStreamExt};
use tpw_client::{
	call::{Call, Value},
	chain::{calls::sudo, Chain, Included},
	keys::Keys,
	AssetId, Balance,
};

/// Where the load's holders are (both allowed); `US` is blocked by the rule set.
const JURISDICTIONS: [&[u8; 2]; 2] = [b"DE", b"FR"];
/// Last block at which the load's KYC claims count.
const CLAIM_EXPIRY: u128 = 100_000_000;

/// Creates the regulated token `token` if it does not exist, then attests and funds (`units` of
/// the token each) every account that holds none of it yet.
pub async fn setup(
	chain: &Chain,
	funder: &Keys,
	accounts: &[Keys],
	token: AssetId,
	units: Balance,
	transfer: Balance,
) -> Result<()> {
	if !in_map(chain, "Tokenization", "Tokens", &token).await? {
		create(chain, funder, token, units, transfer).await?;
	}
	let balances: Vec<Balance> =
		stream::iter(accounts.iter().map(|k| chain.asset_balance(token, k.account())))
			.buffered(64)
			.try_collect()
			.await?;
	let new: Vec<(usize, &Keys)> = accounts
		.iter()
		.zip(balances)
		.enumerate()
		.filter(|(_, (_, balance))| *balance == 0)
		.map(|(i, (keys, _))| (i, keys))
		.collect();
	if new.is_empty() {
		return Ok(());
	}
	log::info!("attesting {} accounts and minting {units} of token {token} to each", new.len());
	let claims = new
		.iter()
		.map(|(i, keys)| {
			Call::new("Compliance", "attest_claim")
				.arg("who", tpw_client::Address::from(keys.account().clone()))
				.value_arg("claim", claim(JURISDICTIONS[i % JURISDICTIONS.len()]))
		})
		.collect();
	submit_batches(chain, funder, claims).await?;
	let mints = new
		.iter()
		.map(|(_, keys)| {
			Call::new("Tokenization", "mint")
				.arg("token", token)
				.arg("beneficiary", tpw_client::Address::from(keys.account().clone()))
				.arg("amount", Compact(units))
		})
		.collect();
	submit_batches(chain, funder, mints).await?;
	let last = new.last().map(|(_, k)| k.account()).ok_or_else(|| anyhow!("no account"))?;
	let held = chain.asset_balance(token, last).await?;
	anyhow::ensure!(held >= units, "minting token {token} failed: the last account holds {held}");
	Ok(())
}

/// `tokenization.transfer` of `amount` of `token` to `to`: through the transfer gate and the
/// compliance rules.
pub fn transfer(token: AssetId, to: &tpw_client::AccountId, amount: Balance) -> Call {
	Call::new("Tokenization", "transfer")
		.arg("token", token)
		.arg("dest", tpw_client::Address::from(to.clone()))
		.arg("amount", Compact(amount))
}

/// Governance (sudo) trusts the funder as a KYC provider and registers the rule set and an open
/// security-token template; the funder issues the token and regulates it.
async fn create(
	chain: &Chain,
	funder: &Keys,
	token: AssetId,
	units: Balance,
	transfer: Balance,
) -> Result<()> {
	log::info!("creating regulated token {token}");
	if !in_map(chain, "Compliance", "TrustedIssuers", funder.account()).await? {
		let trust = Call::new("Compliance", "add_trusted_issuer")
			.arg("issuer", tpw_client::Address::from(funder.account().clone()))
			.arg("jurisdictions", JURISDICTIONS.iter().map(|j| **j).collect::<Vec<[u8; 2]>>());
		as_root(chain, funder, trust).await?;
	}
	let registered = as_root(
		chain,
		funder,
		Call::new("Compliance", "register_rule_set").value_arg("rule_set", rule_set(transfer)),
	)
	.await?;
	let rule_set = first_u32(&registered, "Compliance", "RuleSetRegistered")?;
	let registered = as_root(
		chain,
		funder,
		Call::new("Tokenization", "register_template").value_arg("spec", template()),
	)
	.await?;
	let template = first_u32(&registered, "Tokenization", "TemplateRegistered")?;
	chain
		.submit(
			funder,
			Call::new("Tokenization", "create_token")
				.arg("token", token)
				.arg("template", template)
				.arg("name", b"tpw-load bond".to_vec())
				.arg("symbol", b"TPWL".to_vec())
				.arg("cap", None::<Balance>)
				.arg("document_hash", [0x55u8; 32]),
		)
		.await
		.context("creating the regulated token")?;
	chain
		.submit(
			funder,
			Call::new("Compliance", "set_token_rules")
				.arg("token", token)
				.value_arg("rules", token_rules(rule_set, units, transfer)),
		)
		.await
		.context("setting the token's rules")?;
	Ok(())
}

async fn as_root(chain: &Chain, funder: &Keys, call: Call) -> Result<Included> {
	let what = format!("{}.{}", call.pallet(), call.function());
	let included = chain.submit(funder, sudo(call)).await.with_context(|| what.clone())?;
	chain.check_sudo(&included).await.with_context(|| what)?;
	Ok(included)
}

/// The first field (a `u32` id) of the first `pallet.event` the extrinsic emitted.
fn first_u32(included: &Included, pallet: &str, event: &str) -> Result<u32> {
	let fields = included.events.raw(pallet, event)?;
	let bytes = fields.first().ok_or_else(|| anyhow!("no {pallet}.{event} event"))?;
	u32::decode(&mut &bytes[..]).with_context(|| format!("{pallet}.{event}'s id"))
}

fn some(value: Value) -> Value {
	Value::unnamed_variant("Some", [value])
}

fn none() -> Value {
	Value::unnamed_variant("None", [])
}

fn jurisdiction(code: &[u8; 2]) -> Value {
	Value::from_bytes(code)
}

/// KYC tier 1 or more, screened against sanctions.
fn party() -> Value {
	Value::named_composite([
		("claim_required", Value::bool(true)),
		("min_tier", Value::u128(1)),
		("accredited_only", Value::bool(false)),
		("sanctions_screened", Value::bool(true)),
	])
}

fn rule_set(transfer: Balance) -> Value {
	Value::named_composite([
		("jurisdiction", jurisdiction(b"DE")),
		("sender", party()),
		("receiver", party()),
		("allowed_jurisdictions", Value::unnamed_composite(JURISDICTIONS.map(jurisdiction))),
		("blocked_jurisdictions", Value::unnamed_composite([jurisdiction(b"US")])),
		("travel_rule_threshold", some(Value::u128(transfer.saturating_mul(100)))),
		("review_risk_score", some(Value::u128(200))),
		("reject_risk_score", some(Value::u128(250))),
	])
}

fn template() -> Value {
	Value::named_composite([
		("class", Value::unnamed_variant("SecurityToken", [])),
		("decimals", Value::u128(0)),
		("max_cap", none()),
		("policy", Value::unnamed_variant("Open", [])),
		("default_lockup", none()),
		// Admin, minter, freezer and controller.
		("issuer_roles", Value::unnamed_composite([Value::u128(15)])),
	])
}

fn token_rules(rule_set: u32, units: Balance, transfer: Balance) -> Value {
	Value::named_composite([
		("rule_set", Value::u128(rule_set.into())),
		(
			"limits",
			Value::named_composite([
				("max_holders", some(Value::u128(1_000_000))),
				("max_balance", some(Value::u128(units.saturating_mul(10)))),
				("max_transfer", some(Value::u128(transfer.saturating_mul(10)))),
				(
					"velocity",
					some(Value::named_composite([
						("window", Value::u128(100)),
						("max_amount", Value::u128(units)),
						("max_count", Value::u128(1_000_000)),
					])),
				),
				("review_threshold", some(Value::u128(transfer.saturating_mul(100)))),
			]),
		),
	])
}

fn claim(jurisdiction_code: &[u8; 2]) -> Value {
	Value::named_composite([
		("tier", Value::u128(2)),
		("jurisdiction", jurisdiction(jurisdiction_code)),
		("accredited", Value::bool(false)),
		("sanctions_screened", Value::bool(true)),
		("expires_at", Value::u128(CLAIM_EXPIRY)),
		("commitment", Value::from_bytes([0xab; 32])),
	])
}
