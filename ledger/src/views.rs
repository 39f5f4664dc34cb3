//! What the books look like from outside: one JSON shape per thing, shared by the CLI, the REST
//! API, webhooks and the event stream, so that a consumer parses one format. Amounts are decimal
//! strings (u128 does not fit a JSON number).

use crate::{
	audit::{Entry, GENESIS_HASH},
	postings,
	store::{Alert, Cursor},
	terms::{self, HolderTerms, TokenTerms},
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One side of a journal entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LineView {
	/// The chart's account: `holder/{ss58}/free`, `holder/{ss58}/held/{Pallet.Reason}`,
	/// `holder/{ss58}/reserved`, `supply`, `clearing` or `opening`.
	pub account: String,
	/// In the chain's smallest unit, as a decimal string.
	#[schema(example = "1000000000000")]
	pub debit: String,
	#[schema(example = "0")]
	pub credit: String,
}

/// A journal entry: one chain event's postings (debits equal credits), hash-chained to the
/// entry before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
	/// Position in the journal, from 1, without gaps.
	pub seq: i64,
	/// The finalized block whose event this books.
	pub block: u32,
	/// `Initialization`, `ApplyExtrinsic(i)`, `Finalization`, or `Genesis` for the opening.
	pub phase: String,
	/// The event's index in its block.
	pub event_index: u32,
	/// `Pallet.Event`; `Opening`; or, for moves derived from storage (phase `Derived`),
	/// `AssetsHolder.TransferOnHold`, `Assets.DustLost` or `Assets.Destroyed`.
	#[schema(example = "Balances.Transfer")]
	pub kind: String,
	pub lines: Vec<LineView>,
	/// SHA-256 over the previous entry's hash and this entry's content, `0x`-prefixed hex.
	pub hash: String,
}

impl EntryView {
	pub fn new(entry: &Entry, hash: &[u8; 32]) -> Self {
		Self {
			seq: entry.seq,
			block: entry.block,
			phase: entry.phase.clone(),
			event_index: entry.event_index,
			kind: entry.kind.clone(),
			lines: entry
				.lines
				.iter()
				.map(|l| LineView {
					account: l.account.clone(),
					debit: l.debit.to_string(),
					credit: l.credit.to_string(),
				})
				.collect(),
			hash: format!("0x{}", hex::encode(hash)),
		}
	}

	/// The holders whose accounts the entry moves, each once.
	pub fn holders(&self) -> Vec<&str> {
		let mut holders: Vec<&str> =
			self.lines.iter().filter_map(|l| postings::holder(&l.account)).collect();
		holders.sort_unstable();
		holders.dedup();
		holders
	}
}

/// A holder's balances of one asset in the books.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceView {
	/// The holder, SS58.
	pub account: String,
	/// What a pallet's own account is (`treasury`, `bridge vault`, …); absent for users.
	#[serde(skip_serializing_if = "Option::is_none")]
	pub label: Option<String>,
	/// `native` (the chain's token), or a `pallet-assets` token's id.
	#[schema(example = "native")]
	pub asset: String,
	/// Everything the holder has: free, held and reserved.
	pub visible: String,
	/// What the holder can move at `asOfBlock`: its free units, less, for a token, the units
	/// its lock-ups still lock then (and the token's minimum balance when anything is locked or
	/// held), and none while the account is frozen or the token paused; as
	/// `tokenization_holderBalance`'s `transferable`. Native units are never locked or frozen by
	/// this runtime's pallets.
	pub available: String,
	pub free: String,
	/// Units a token's lock-ups lock at `asOfBlock` (`0` for the native token).
	pub locked: String,
	/// Whether the holder is frozen for this token, or the token paused: nothing moves.
	pub frozen: bool,
	/// Held, by reason (`Pallet.Reason`).
	pub held: BTreeMap<String, String>,
	/// Reserved without a hold reason (native only: deposits of stock pallets).
	pub reserved: String,
	/// The last block these balances include: the last finalized block booked, or with
	/// `view=pending` the best block.
	pub as_of_block: u32,
}

impl BalanceView {
	/// One view per asset the holder has accounts of (native first, then tokens by id), from
	/// its accounts and their balances (`Store::holder_balances`) and its terms
	/// (`Store::terms_of`).
	pub fn all(
		who: &str,
		accounts: &[(String, i128)],
		terms: &HolderTermsOf,
		as_of_block: u32,
	) -> Vec<Self> {
		#[derive(Default)]
		struct Sums {
			free: i128,
			reserved: i128,
			total: i128,
			held: BTreeMap<String, String>,
		}
		let mut by_asset: BTreeMap<Option<u32>, Sums> = BTreeMap::new();
		by_asset.entry(None).or_default();
		for (name, amount) in accounts {
			let Some((holder, asset, rest)) = postings::split_holder_account(name) else {
				continue;
			};
			if holder != who {
				continue;
			}
			let sums = by_asset.entry(asset).or_default();
			sums.total += amount;
			match rest {
				"free" => sums.free = *amount,
				"reserved" => sums.reserved = *amount,
				rest => {
					let reason = rest.strip_prefix("held/").unwrap_or(rest).to_string();
					sums.held.insert(reason, amount.to_string());
				}
			}
		}
		let (holder_terms, token_terms) = terms;
		by_asset
			.into_iter()
			.map(|(asset, sums)| {
				let free = u128::try_from(sums.free).unwrap_or(0);
				let held = u128::try_from(sums.total - sums.free - sums.reserved).unwrap_or(0);
				let (available, locked, frozen) = match asset {
					None => (free, 0, false),
					Some(id) => {
						let (holder, token) = (holder_terms.get(&id), token_terms.get(&id));
						(
							terms::available(free, held, holder, token, as_of_block),
							holder.map_or(0, |h| h.locked_at(as_of_block)),
							holder.is_some_and(|h| h.frozen) || token.is_some_and(|t| t.paused),
						)
					}
				};
				(asset, sums, available, locked, frozen)
			})
			.map(|(asset, sums, available, locked, frozen)| Self {
				account: who.to_string(),
				label: label(who),
				asset: asset.map_or("native".into(), |id| id.to_string()),
				visible: sums.total.to_string(),
				available: available.to_string(),
				free: sums.free.to_string(),
				locked: locked.to_string(),
				frozen,
				held: sums.held,
				reserved: sums.reserved.to_string(),
				as_of_block,
			})
			.collect()
	}
}

/// A holder's terms per token and those tokens' terms (`Store::terms_of`).
pub type HolderTermsOf = (BTreeMap<u32, HolderTerms>, BTreeMap<u32, TokenTerms>);

/// A difference between the books and the chain, found by reconciliation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlertView {
	pub id: i64,
	pub block: u32,
	/// The account, or `clearing after <phase>`.
	pub account: String,
	/// `free`, `reserved`, `supply`, `clearing`, `asset-free`, `asset-held`, `asset-supply` or
	/// `suspense`.
	pub kind: String,
	/// What the books say, and what the chain holds (decimal strings).
	pub ledger: String,
	pub chain: String,
}

impl AlertView {
	pub fn new(id: i64, alert: &Alert) -> Self {
		Self {
			id,
			block: alert.block,
			account: alert.account.clone(),
			kind: alert.kind.clone(),
			ledger: alert.ledger.to_string(),
			chain: alert.chain.to_string(),
		}
	}
}

/// Where the books stand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusView {
	/// The last finalized block booked (absent before the books open).
	pub block: Option<u32>,
	pub block_hash: Option<String>,
	/// The last journal entry and the hash-chain head after it.
	pub seq: i64,
	pub head: String,
}

impl StatusView {
	pub fn new(cursor: Option<&Cursor>) -> Self {
		Self {
			block: cursor.map(|c| c.block),
			block_hash: cursor.map(|c| format!("0x{}", hex::encode(c.block_hash))),
			seq: cursor.map_or(0, |c| c.seq),
			head: format!("0x{}", hex::encode(cursor.map_or(GENESIS_HASH, |c| c.head))),
		}
	}
}

/// The books' name of an address given as SS58 (any prefix) or 0x + 64 hex: SS58, generic
/// prefix.
pub fn holder_address(address: &str) -> anyhow::Result<String> {
	Ok(tpw_client::keys::ss58(&tpw_client::keys::parse_account(address)?))
}

/// The pallet accounts of this runtime (`PalletId`s), by what they are to a reader of the books.
const PALLET_ACCOUNTS: &[(&[u8; 8], &str)] = &[
	(b"tpw/trsy", "treasury (fees)"),
	(b"tpw/brdg", "bridge vault (units locked while bridged out)"),
	(b"tpw/sett", "settlement"),
	(b"tpw/tokn", "tokenization"),
];

/// What account `who` is, if it is a pallet's: `modl` and the pallet's 8-byte id, then zeros.
pub fn label(who: &str) -> Option<String> {
	let account = tpw_client::keys::parse_account(who).ok()?;
	let bytes: &[u8] = account.as_ref();
	let id: [u8; 8] = bytes.strip_prefix(b"modl")?.get(..8)?.try_into().ok()?;
	if bytes.get(12..)?.iter().any(|b| *b != 0) {
		return None;
	}
	Some(match PALLET_ACCOUNTS.iter().find(|(known, _)| **known == id) {
		Some((_, name)) => name.to_string(),
		None => format!("pallet account {}", String::from_utf8_lossy(&id)),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_balance_adds_held_and_reserved_to_visible_but_not_to_available() {
		let accounts = vec![
			("holder/A/free".to_string(), 70),
			("holder/A/held/PaymentChannels.ChannelDeposit".to_string(), 20),
			("holder/A/held/Htlc.Swap".to_string(), 0),
			("holder/A/reserved".to_string(), 10),
		];
		let views = BalanceView::all("A", &accounts, &Default::default(), 9);
		assert_eq!(views.len(), 1);
		let view = &views[0];
		assert_eq!(view.visible, "100");
		assert_eq!(view.available, "70");
		assert_eq!(view.held["PaymentChannels.ChannelDeposit"], "20");
		assert_eq!(view.held["Htlc.Swap"], "0");
		assert_eq!(view.reserved, "10");
	}

	#[test]
	fn pallet_accounts_are_labelled_and_users_are_not() {
		let mut raw = [0u8; 32];
		raw[..12].copy_from_slice(b"modltpw/trsy");
		let treasury = tpw_client::keys::ss58(&tpw_client::AccountId::from(raw));
		assert_eq!(label(&treasury).as_deref(), Some("treasury (fees)"));
		raw[..12].copy_from_slice(b"modlpy/other");
		let other = tpw_client::keys::ss58(&tpw_client::AccountId::from(raw));
		assert_eq!(label(&other).as_deref(), Some("pallet account py/other"));
		raw[31] = 1;
		let user = tpw_client::keys::ss58(&tpw_client::AccountId::from(raw));
		assert_eq!(label(&user), None);
	}

	#[test]
	fn each_token_gets_its_own_view_after_the_native_one() {
		let accounts = vec![
			("holder/A/free".to_string(), 1),
			("holder/A/asset/9/free".to_string(), 50),
			("holder/A/asset/9/held/Compliance.Review".to_string(), 5),
			("holder/A/asset/3/free".to_string(), 7),
		];
		let views = BalanceView::all("A", &accounts, &Default::default(), 2);
		let assets: Vec<&str> = views.iter().map(|v| v.asset.as_str()).collect();
		assert_eq!(assets, vec!["native", "3", "9"]);
		assert_eq!((views[2].visible.as_str(), views[2].available.as_str()), ("55", "50"));
		assert_eq!(views[2].held["Compliance.Review"], "5");
	}

	#[test]
	fn a_tokens_available_units_leave_its_lockups_and_stop_when_frozen_or_paused() {
		let accounts = vec![
			("holder/A/asset/9/free".to_string(), 700),
			("holder/A/asset/3/free".to_string(), 40),
			("holder/A/asset/4/free".to_string(), 40),
		];
		let lockup = terms::Lockup { total: 300, start: 0, cliff: 0, duration: 1_000 };
		let holder = BTreeMap::from([
			(9, HolderTerms { frozen: false, lockups: vec![lockup] }),
			(3, HolderTerms { frozen: true, lockups: vec![] }),
		]);
		let tokens = BTreeMap::from([(4, TokenTerms { paused: true, min_balance: 1 })]);
		let views = BalanceView::all("A", &accounts, &(holder, tokens), 100);
		let by_asset = |id: &str| views.iter().find(|v| v.asset == id).unwrap();
		// 270 of 300 locked at block 100.
		let bond = by_asset("9");
		assert_eq!(
			(bond.free.as_str(), bond.locked.as_str(), bond.available.as_str()),
			("700", "270", "430")
		);
		assert!(!bond.frozen);
		assert!(by_asset("3").frozen && by_asset("3").available == "0");
		assert!(by_asset("4").frozen && by_asset("4").available == "0");
	}
}
