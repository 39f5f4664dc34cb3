//! What the chain holds at a block, read from storage, for reconciliation and for the moves no
//! event announces: native free and reserved units, a token holder's free units and holds by
//! reason, a token's supply, holders' and tokens' terms (lock-ups, freezes, pause, minimum
//! balance). Tokenization's and hold records are decoded with the metadata of the runtime at
//! that block, by field name, so hold reasons read as `Pallet.Reason` like the events' reasons
//! and an upgrade that adds fields does not break reading.

use crate::{
	events::reason,
	terms::{HolderTerms, Lockup, TokenTerms},
};
use anyhow::{anyhow, Context, Result};
use codec::Decode;
use polkadot_sdk::sp_core::H256;
use std::collections::BTreeMap;
use subxt::ext::scale_value::{self, Composite, Value, ValueDef};
use tpw_client::{chain::Chain, keys::parse_account, storage, AccountId, Balance};

/// `AccountInfo`: nonce, consumers, providers, sufficients, then free and reserved.
type AccountInfo = ([u32; 4], Balance, Balance);

/// Each holder's native free and reserved (holds included) units, in one request.
pub async fn natives(chain: &Chain, whos: &[&str], at: H256) -> Result<Vec<(Balance, Balance)>> {
	let keys = whos
		.iter()
		.map(|who| Ok(storage::map_blake2("System", "Account", &parse_account(who)?)))
		.collect::<Result<Vec<_>>>()?;
	chain
		.raw_storage_many(&keys, at)
		.await?
		.into_iter()
		.map(|value| match value {
			None => Ok((0, 0)),
			Some(bytes) => {
				let (_, free, reserved) =
					AccountInfo::decode(&mut &bytes[..]).context("System::Account")?;
				Ok((free, reserved))
			}
		})
		.collect()
}

pub async fn total_issuance(chain: &Chain, at: H256) -> Result<Balance> {
	Ok(chain
		.storage(&storage::value("Balances", "TotalIssuance"), Some(at))
		.await?
		.unwrap_or_default())
}

/// Each token holder's free units (`Assets::Account`, holds excluded) and holds by reason
/// (`AssetsHolder::Holds`), in one request.
pub async fn asset_holders(
	chain: &Chain,
	pairs: &[(u32, &str)],
	at: H256,
) -> Result<Vec<(Balance, BTreeMap<String, Balance>)>> {
	let mut keys = Vec::with_capacity(pairs.len() * 2);
	for (asset, who) in pairs {
		let account: AccountId = parse_account(who)?;
		keys.push(storage::double_map_blake2("Assets", "Account", asset, &account));
		keys.push(storage::double_map_blake2("AssetsHolder", "Holds", asset, &account));
	}
	let values = chain.raw_storage_many(&keys, at).await?;
	let holds = if values.iter().skip(1).step_by(2).any(Option::is_some) {
		Some(Decoder::new(chain, at, "AssetsHolder", "Holds").await?)
	} else {
		None
	};
	values
		.chunks(2)
		.map(|pair| {
			// `AssetAccount` starts with the balance.
			let free = match pair.first().cloned().flatten() {
				Some(bytes) => Balance::decode(&mut &bytes[..]).context("Assets::Account")?,
				None => 0,
			};
			let holds = match (pair.get(1).cloned().flatten(), &holds) {
				(Some(bytes), Some(decoder)) => holds_by_reason(&decoder.decode(&bytes)?)?,
				_ => BTreeMap::new(),
			};
			Ok((free, holds))
		})
		.collect()
}

/// Decodes one storage entry's values with the metadata of the runtime at a block, so a field
/// is found by name whatever an upgrade added around it.
struct Decoder {
	runtime: tpw_client::runtime::RuntimeAt,
	ty: u32,
	name: String,
}

impl Decoder {
	async fn new(chain: &Chain, at: H256, pallet: &str, entry: &str) -> Result<Self> {
		let runtime = chain.runtime(Some(at)).await?;
		let ty = runtime
			.metadata
			.pallet_by_name(pallet)
			.and_then(|p| p.storage())
			.and_then(|s| s.entry_by_name(entry))
			.map(|e| e.value_ty())
			.ok_or_else(|| anyhow!("the metadata has no {pallet}::{entry}"))?;
		Ok(Self { runtime, ty, name: format!("{pallet}::{entry}") })
	}

	fn decode(&self, bytes: &[u8]) -> Result<Value<()>> {
		scale_value::scale::decode_as_type(&mut &bytes[..], self.ty, self.runtime.metadata.types())
			.map(Value::remove_context)
			.map_err(|e| anyhow!("decoding {}: {e}", self.name))
	}
}

/// The terms (lock-ups, freezes, pause, minimum balance) of each of `holders` (token, SS58) and
/// each of `tokens` at block `at`, in one storage request.
pub async fn terms(
	chain: &Chain,
	holders: &[(u32, &str)],
	tokens: &[u32],
	at: H256,
) -> Result<(Vec<HolderTerms>, Vec<TokenTerms>)> {
	let mut keys = Vec::with_capacity(holders.len() * 3 + tokens.len() * 2);
	for (token, who) in holders {
		let account: AccountId = parse_account(who)?;
		keys.push(storage::double_map_blake2("Assets", "Account", token, &account));
		keys.push(storage::double_map_blake2("Tokenization", "AccountStates", token, &account));
		keys.push(storage::double_map_blake2("Tokenization", "Lockups", token, &account));
	}
	for token in tokens {
		keys.push(storage::map_blake2("Assets", "Asset", token));
		keys.push(storage::map_blake2("Tokenization", "Tokens", token));
	}
	let values = chain.raw_storage_many(&keys, at).await?;
	let (holder_values, token_values) = values.split_at(holders.len() * 3);
	let decoder = |entry: &'static str| Decoder::new(chain, at, "Tokenization", entry);
	let (states, lockups, details) = if values.iter().any(Option::is_some) {
		(
			Some(decoder("AccountStates").await?),
			Some(decoder("Lockups").await?),
			Some(decoder("Tokens").await?),
		)
	} else {
		(None, None, None)
	};
	let decoded =
		|decoder: &Option<Decoder>, bytes: &Option<Vec<u8>>| -> Result<Option<Value<()>>> {
			match (decoder, bytes) {
				(Some(decoder), Some(bytes)) => decoder.decode(bytes).map(Some),
				_ => Ok(None),
			}
		};
	let mut holder_terms = Vec::with_capacity(holders.len());
	for chunk in holder_values.chunks(3) {
		let [account, state, schedules] = chunk else {
			return Err(anyhow!("short storage answer"));
		};
		// `AssetAccount`: the balance, then the status (`Liquid`, `Frozen`, `Blocked`).
		let status = match account {
			Some(bytes) => <(Balance, u8)>::decode(&mut &bytes[..]).context("Assets::Account")?.1,
			None => 0,
		};
		let frozen_here = decoded(&states, state)?
			.and_then(|v| field(&v, "frozen").map(|f| variant_name(f) == Some("Some")))
			.unwrap_or(false);
		let lockups = match decoded(&lockups, schedules)? {
			Some(value) => lockups_in(&value)?,
			None => Vec::new(),
		};
		holder_terms.push(HolderTerms { frozen: status != 0 || frozen_here, lockups });
	}
	let mut token_terms = Vec::with_capacity(tokens.len());
	for pair in token_values.chunks(2) {
		let [asset, token] = pair else { return Err(anyhow!("short storage answer")) };
		// `AssetDetails`: owner, issuer, admin, freezer, supply, deposit, min_balance,
		// is_sufficient, accounts, sufficients, approvals, status (`Live`, `Frozen`, `Destroying`).
		type Details = ([[u8; 32]; 4], Balance, Balance, Balance, bool, u32, u32, u32, u8);
		let (min_balance, status) = match asset {
			Some(bytes) => {
				let d = Details::decode(&mut &bytes[..]).context("Assets::Asset")?;
				(d.3, d.8)
			}
			None => (0, 0),
		};
		let paused = decoded(&details, token)?
			.and_then(|v| field(&v, "paused").and_then(|p| p.as_bool()))
			.unwrap_or(false);
		token_terms.push(TokenTerms { paused: paused || status != 0, min_balance });
	}
	Ok((holder_terms, token_terms))
}

/// Field `name` of a composite with named fields.
fn field<'a>(value: &'a Value<()>, name: &str) -> Option<&'a Value<()>> {
	match &value.value {
		ValueDef::Composite(Composite::Named(fields)) => {
			fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
		}
		_ => None,
	}
}

fn variant_name(value: &Value<()>) -> Option<&str> {
	match &value.value {
		ValueDef::Variant(v) => Some(v.name.as_str()),
		_ => None,
	}
}

/// Every lock-up schedule (`{ total, start, terms: { cliff, duration } }`) in `value`, however
/// the list is wrapped.
fn lockups_in(value: &Value<()>) -> Result<Vec<Lockup>> {
	fn walk(value: &Value<()>, out: &mut Vec<Lockup>) -> Result<()> {
		if let (Some(total), Some(start), Some(terms)) =
			(field(value, "total"), field(value, "start"), field(value, "terms"))
		{
			let number = |v: Option<&Value<()>>, what: &str| {
				v.and_then(|v| v.as_u128()).ok_or_else(|| anyhow!("a lock-up without {what}"))
			};
			let block = |v: Option<&Value<()>>, what: &str| {
				u32::try_from(number(v, what)?)
					.map_err(|_| anyhow!("a lock-up's {what} is no block"))
			};
			out.push(Lockup {
				total: number(Some(total), "total")?,
				start: block(Some(start), "start")?,
				cliff: block(field(terms, "cliff"), "cliff")?,
				duration: block(field(terms, "duration"), "duration")?,
			});
			return Ok(());
		}
		match &value.value {
			ValueDef::Composite(c) => c.values().try_for_each(|v| walk(v, out)),
			_ => Err(anyhow!("Tokenization::Lockups is not a list of schedules: {value}")),
		}
	}
	let mut out = Vec::new();
	walk(value, &mut out)?;
	Ok(out)
}

/// A token's supply (`AssetDetails`: owner, issuer, admin and freezer, then the supply); 0 once
/// destroyed.
pub async fn asset_supply(chain: &Chain, asset: u32, at: H256) -> Result<Balance> {
	let details: Option<([[u8; 32]; 4], Balance)> = chain
		.storage(&storage::map_blake2("Assets", "Asset", &asset), Some(at))
		.await
		.context("Assets::Asset")?;
	Ok(details.map(|(_, supply)| supply).unwrap_or_default())
}

/// Every `IdAmount { id, amount }` in `value`, however it is wrapped (a `BoundedVec` may read
/// as a newtype around a sequence), by reason.
fn holds_by_reason(value: &Value<()>) -> Result<BTreeMap<String, Balance>> {
	fn walk(value: &Value<()>, out: &mut BTreeMap<String, Balance>) -> Result<()> {
		match &value.value {
			ValueDef::Composite(Composite::Named(fields)) => {
				let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
				match (field("id"), field("amount")) {
					(Some(id), Some(amount)) => {
						let amount = amount
							.as_u128()
							.ok_or_else(|| anyhow!("a hold amount that is not a number"))?;
						*out.entry(reason(id)).or_default() += amount;
						Ok(())
					}
					_ => Err(anyhow!("a hold without a reason and an amount: {value}")),
				}
			}
			ValueDef::Composite(Composite::Unnamed(items)) => {
				items.iter().try_for_each(|item| walk(item, out))
			}
			_ => Err(anyhow!("AssetsHolder::Holds is not a list of holds: {value}")),
		}
	}
	let mut out = BTreeMap::new();
	walk(value, &mut out)?;
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn holds_read_as_reason_and_amount() {
		let hold = |pallet: &str, reason: &str, amount: u128| {
			Value::named_composite([
				("id", Value::unnamed_variant(pallet, [Value::unnamed_variant(reason, [])])),
				("amount", Value::u128(amount)),
			])
		};
		// As the runtime's metadata decodes it: a `BoundedVec` newtype around the sequence.
		let holds = Value::unnamed_composite([Value::unnamed_composite([
			hold("Compliance", "Review", 5),
			hold("Htlc", "Swap", 7),
		])]);
		let by_reason = holds_by_reason(&holds).unwrap();
		assert_eq!(by_reason["Compliance.Review"], 5);
		assert_eq!(by_reason["Htlc.Swap"], 7);
		assert!(holds_by_reason(&Value::u128(3)).is_err());
	}

	#[test]
	fn lockups_read_as_schedules() {
		let schedule = |total: u128, start: u128| {
			Value::named_composite([
				("total", Value::u128(total)),
				("start", Value::u128(start)),
				(
					"terms",
					Value::named_composite([
						("cliff", Value::u128(10)),
						("duration", Value::u128(100)),
					]),
				),
			])
		};
		let list = Value::unnamed_composite([Value::unnamed_composite([
			schedule(300, 5),
			schedule(7, 9),
		])]);
		let lockups = lockups_in(&list).unwrap();
		assert_eq!(
			lockups,
			vec![
				Lockup { total: 300, start: 5, cliff: 10, duration: 100 },
				Lockup { total: 7, start: 9, cliff: 10, duration: 100 },
			]
		);
		// A start past any block number, or something that is no schedule, is an error.
		assert!(
			lockups_in(&Value::unnamed_composite([schedule(1, u128::from(u32::MAX) + 1)])).is_err()
		);
		assert!(lockups_in(&Value::u128(3)).is_err());
	}
}
