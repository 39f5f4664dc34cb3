//! What the chain holds at a block, read from storage, for reconciliation and for the moves no
//! event announces: native free and reserved units, a token holder's free units and holds by
//! reason, a token's supply. Hold reasons are decoded with the metadata of the runtime at that
//! block, so they read as `Pallet.Reason` like the events' reasons.

use crate::events::reason;
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
	let holds_type = if values.iter().skip(1).step_by(2).any(Option::is_some) {
		let runtime = chain.runtime(Some(at)).await?;
		let ty = runtime
			.metadata
			.pallet_by_name("AssetsHolder")
			.and_then(|p| p.storage())
			.and_then(|s| s.entry_by_name("Holds"))
			.map(|e| e.value_ty())
			.ok_or_else(|| anyhow!("the metadata has no AssetsHolder::Holds"))?;
		Some((runtime, ty))
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
			let holds = match (pair.get(1).cloned().flatten(), &holds_type) {
				(Some(bytes), Some((runtime, ty))) => {
					let value = scale_value::scale::decode_as_type(
						&mut &bytes[..],
						*ty,
						runtime.metadata.types(),
					)
					.map_err(|e| anyhow!("decoding AssetsHolder::Holds: {e}"))?;
					holds_by_reason(&value.remove_context())?
				}
				_ => BTreeMap::new(),
			};
			Ok((free, holds))
		})
		.collect()
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
}
