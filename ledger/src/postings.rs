//! The journal's rules: which native balance event debits and credits which account. Pure (no
//! I/O), so each rule is tested alone. The mapping and its reasons: `docs/ledger-events.md`.
//!
//! Chart of accounts (native token; debit-normal holder accounts, credit-normal supply):
//! - `holder/{account}/free`, `holder/{account}/held/{reason}`, `holder/{account}/reserved`
//!   (reserves without a hold reason);
//! - `supply`: the total issuance, owed to the holders;
//! - `clearing`: imbalances between a withdrawal and its deposit (a fee on its way to the
//!   treasury and the author); it nets to zero at the end of every phase of a block;
//! - `opening`: the books' opening balance at genesis, against the supply.
//!
//! Each `pallet-assets` token has the same accounts of its own (entries balance per asset):
//! - `holder/{account}/asset/{id}/free`, `holder/{account}/asset/{id}/held/{reason}`;
//! - `issued/{id}`: the token's issued supply, the issuer's liability to the holders;
//! - `clearing/asset/{id}`: its imbalances (credits and debts), zero at the end of each phase;
//! - `suspense/asset/{id}`: units that moved on chain without an event naming both sides (a
//!   held transfer, see `docs/ledger-events.md`): derived from storage, carried until the other
//!   side is seen, and reported by reconciliation meanwhile;
//! - `dust/asset/{id}`: units of the supply that nobody holds, the rest a sender lost when a
//!   transfer left it below the minimum balance (`vanished.rs`).
//!
//! A destroyed token's accounts are written off against `issued/{id}` (`vanished.rs`).

/// An account of the chart, as stored.
pub type Account = String;

/// One side of an entry: `debit` or `credit` (the other is zero).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
	pub account: Account,
	pub debit: u128,
	pub credit: u128,
}

/// What an event posts: lines whose debits equal their credits.
pub type Postings = Vec<Line>;

pub fn free(who: &str) -> Account {
	format!("holder/{who}/free")
}
pub fn held(who: &str, reason: &str) -> Account {
	format!("holder/{who}/held/{reason}")
}
pub fn reserved(who: &str) -> Account {
	format!("holder/{who}/reserved")
}
pub fn asset_free(who: &str, asset: u32) -> Account {
	format!("holder/{who}/asset/{asset}/free")
}
pub fn asset_held(who: &str, asset: u32, reason: &str) -> Account {
	format!("holder/{who}/asset/{asset}/held/{reason}")
}
pub fn issued(asset: u32) -> Account {
	format!("issued/{asset}")
}
pub fn asset_clearing(asset: u32) -> Account {
	format!("clearing/asset/{asset}")
}
pub fn suspense(asset: u32) -> Account {
	format!("suspense/asset/{asset}")
}
/// The line that moves `account` by `delta` (a debit if positive), if any.
pub fn adjustment(account: &str, delta: i128) -> Option<Line> {
	match delta {
		0 => None,
		d if d > 0 => Some(Line { account: account.into(), debit: d.unsigned_abs(), credit: 0 }),
		d => Some(Line { account: account.into(), debit: 0, credit: d.unsigned_abs() }),
	}
}

pub fn dust(asset: u32) -> Account {
	format!("dust/asset/{asset}")
}

/// Where a holder's account sits: the native token, or asset `id`; and the rest of its name
/// (`free`, `reserved`, `held/{reason}`).
pub fn split_holder_account(account: &str) -> Option<(&str, Option<u32>, &str)> {
	let rest = account.strip_prefix("holder/")?;
	let (who, rest) = rest.split_once('/')?;
	match rest.strip_prefix("asset/") {
		Some(asset_rest) => {
			let (id, rest) = asset_rest.split_once('/')?;
			Some((who, Some(id.parse().ok()?), rest))
		}
		None => Some((who, None, rest)),
	}
}

pub const SUPPLY: &str = "supply";
pub const CLEARING: &str = "clearing";
pub const OPENING: &str = "opening";

/// A native balance event, as the journal needs it (accounts as SS58, hold reasons as
/// `Pallet.Reason`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BalanceEvent {
	Transfer {
		from: String,
		to: String,
		amount: u128,
	},
	/// Units credited from an imbalance (a fee's refund, tip or treasury share).
	Deposit {
		who: String,
		amount: u128,
	},
	/// Units taken into an imbalance (a fee).
	Withdraw {
		who: String,
		amount: u128,
	},
	/// Units created into an account (issuance grows).
	Minted {
		who: String,
		amount: u128,
	},
	/// Units destroyed from an account (issuance shrinks).
	Burned {
		who: String,
		amount: u128,
	},
	/// An imbalance created from nothing (issuance grows).
	Issued {
		amount: u128,
	},
	/// An imbalance destroyed (issuance shrinks).
	Rescinded {
		amount: u128,
	},
	/// Units lost by a reaped account into an imbalance.
	DustLost {
		who: String,
		amount: u128,
	},
	Held {
		reason: String,
		who: String,
		amount: u128,
	},
	Released {
		reason: String,
		who: String,
		amount: u128,
	},
	BurnedHeld {
		reason: String,
		who: String,
		amount: u128,
	},
	/// Held units of `source` paid to `dest`'s free balance (every caller in this runtime
	/// releases to free; reconciliation catches one that does not).
	TransferOnHold {
		reason: String,
		source: String,
		dest: String,
		amount: u128,
	},
	/// Free units of `source` paid to `dest` and held there.
	TransferAndHold {
		reason: String,
		source: String,
		dest: String,
		amount: u128,
	},
	Reserved {
		who: String,
		amount: u128,
	},
	Unreserved {
		who: String,
		amount: u128,
	},
	/// Reserved units of `from` paid to `to`, free or reserved there.
	ReserveRepatriated {
		from: String,
		to: String,
		amount: u128,
		to_reserved: bool,
	},
	/// A `pallet-assets` or `pallet-assets-holder` event of asset `asset`.
	Asset {
		asset: u32,
		event: AssetEvent,
	},
}

/// What moves a token's units (`pallet-assets`, `pallet-assets-holder`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssetEvent {
	/// Minted to `who` (supply grows).
	Issued {
		who: String,
		amount: u128,
	},
	/// Burned from `who`'s free units (supply shrinks).
	Burned {
		who: String,
		amount: u128,
	},
	Transferred {
		from: String,
		to: String,
		amount: u128,
	},
	/// Credited from an imbalance.
	Deposited {
		who: String,
		amount: u128,
	},
	/// Taken into an imbalance.
	Withdrawn {
		who: String,
		amount: u128,
	},
	/// An imbalance created (supply grows) or destroyed (supply shrinks).
	SupplyUp {
		amount: u128,
	},
	SupplyDown {
		amount: u128,
	},
	Held {
		reason: String,
		who: String,
		amount: u128,
	},
	Released {
		reason: String,
		who: String,
		amount: u128,
	},
	BurnedHeld {
		reason: String,
		who: String,
		amount: u128,
	},
}

fn pair(debit: Account, credit: Account, amount: u128) -> Postings {
	vec![
		Line { account: debit, debit: amount, credit: 0 },
		Line { account: credit, debit: 0, credit: amount },
	]
}

/// The postings of `event`: balanced by construction.
pub fn post(event: &BalanceEvent) -> Postings {
	use BalanceEvent::*;
	match event {
		Transfer { from, to, amount } => pair(free(to), free(from), *amount),
		Deposit { who, amount } => pair(free(who), CLEARING.into(), *amount),
		Withdraw { who, amount } | DustLost { who, amount } => {
			pair(CLEARING.into(), free(who), *amount)
		}
		Minted { who, amount } => pair(free(who), SUPPLY.into(), *amount),
		Burned { who, amount } => pair(SUPPLY.into(), free(who), *amount),
		Issued { amount } => pair(CLEARING.into(), SUPPLY.into(), *amount),
		Rescinded { amount } => pair(SUPPLY.into(), CLEARING.into(), *amount),
		Held { reason, who, amount } => pair(held(who, reason), free(who), *amount),
		Released { reason, who, amount } => pair(free(who), held(who, reason), *amount),
		BurnedHeld { reason, who, amount } => pair(SUPPLY.into(), held(who, reason), *amount),
		TransferOnHold { reason, source, dest, amount } => {
			pair(free(dest), held(source, reason), *amount)
		}
		TransferAndHold { reason, source, dest, amount } => {
			pair(held(dest, reason), free(source), *amount)
		}
		Reserved { who, amount } => pair(reserved(who), free(who), *amount),
		Unreserved { who, amount } => pair(free(who), reserved(who), *amount),
		ReserveRepatriated { from, to, amount, to_reserved } => {
			pair(if *to_reserved { reserved(to) } else { free(to) }, reserved(from), *amount)
		}
		Asset { asset, event } => post_asset(*asset, event),
	}
}

fn post_asset(asset: u32, event: &AssetEvent) -> Postings {
	use AssetEvent::*;
	let id = asset;
	match event {
		Issued { who, amount } => pair(asset_free(who, id), issued(id), *amount),
		Burned { who, amount } => pair(issued(id), asset_free(who, id), *amount),
		Transferred { from, to, amount } => pair(asset_free(to, id), asset_free(from, id), *amount),
		Deposited { who, amount } => pair(asset_free(who, id), asset_clearing(id), *amount),
		Withdrawn { who, amount } => pair(asset_clearing(id), asset_free(who, id), *amount),
		SupplyUp { amount } => pair(asset_clearing(id), issued(id), *amount),
		SupplyDown { amount } => pair(issued(id), asset_clearing(id), *amount),
		Held { reason, who, amount } => {
			pair(asset_held(who, id, reason), asset_free(who, id), *amount)
		}
		Released { reason, who, amount } => {
			pair(asset_free(who, id), asset_held(who, id, reason), *amount)
		}
		BurnedHeld { reason, who, amount } => {
			pair(issued(id), asset_held(who, id, reason), *amount)
		}
	}
}

/// Whether `lines` balance: debits equal credits (none overflowing).
pub fn balanced(lines: &[Line]) -> bool {
	let sum = |side: fn(&Line) -> u128| {
		lines.iter().try_fold(0u128, |total, line| total.checked_add(side(line)))
	};
	matches!((sum(|l| l.debit), sum(|l| l.credit)), (Some(d), Some(c)) if d == c)
}

/// The holder of a `holder/{who}/…` account.
pub fn holder(account: &str) -> Option<&str> {
	split_holder_account(account).map(|(who, _, _)| who)
}

/// The accounts of holder `who` an event touches (for reconciliation), from its postings.
pub fn holders(lines: &[Line]) -> impl Iterator<Item = &str> {
	lines.iter().filter_map(|line| holder(&line.account))
}

#[cfg(test)]
mod tests {
	use super::*;
	use BalanceEvent::*;

	fn all_events() -> Vec<BalanceEvent> {
		let (a, b, r) = ("A".to_string(), "B".to_string(), "Htlc.Swap".to_string());
		vec![
			Transfer { from: a.clone(), to: b.clone(), amount: 5 },
			Deposit { who: a.clone(), amount: 5 },
			Withdraw { who: a.clone(), amount: 5 },
			Minted { who: a.clone(), amount: 5 },
			Burned { who: a.clone(), amount: 5 },
			Issued { amount: 5 },
			Rescinded { amount: 5 },
			DustLost { who: a.clone(), amount: 5 },
			Held { reason: r.clone(), who: a.clone(), amount: 5 },
			Released { reason: r.clone(), who: a.clone(), amount: 5 },
			BurnedHeld { reason: r.clone(), who: a.clone(), amount: 5 },
			TransferOnHold { reason: r.clone(), source: a.clone(), dest: b.clone(), amount: 5 },
			TransferAndHold { reason: r.clone(), source: a.clone(), dest: b.clone(), amount: 5 },
			Reserved { who: a.clone(), amount: 5 },
			Unreserved { who: a.clone(), amount: 5 },
			ReserveRepatriated { from: a.clone(), to: b.clone(), amount: 5, to_reserved: true },
			ReserveRepatriated { from: a.clone(), to: b.clone(), amount: 5, to_reserved: false },
		]
		.into_iter()
		.chain(
			[
				AssetEvent::Issued { who: a.clone(), amount: 5 },
				AssetEvent::Burned { who: a.clone(), amount: 5 },
				AssetEvent::Transferred { from: a.clone(), to: b.clone(), amount: 5 },
				AssetEvent::Deposited { who: a.clone(), amount: 5 },
				AssetEvent::Withdrawn { who: a.clone(), amount: 5 },
				AssetEvent::SupplyUp { amount: 5 },
				AssetEvent::SupplyDown { amount: 5 },
				AssetEvent::Held { reason: r.clone(), who: a.clone(), amount: 5 },
				AssetEvent::Released { reason: r.clone(), who: a.clone(), amount: 5 },
				AssetEvent::BurnedHeld { reason: r.clone(), who: b.clone(), amount: 5 },
			]
			.map(|event| Asset { asset: 7, event }),
		)
		.collect()
	}

	#[test]
	fn asset_accounts_are_named_per_asset_and_split_back() {
		let lines = post(&Asset {
			asset: 7,
			event: AssetEvent::Held {
				reason: "Compliance.Review".into(),
				who: "A".into(),
				amount: 2,
			},
		});
		assert_eq!(lines[0].account, "holder/A/asset/7/held/Compliance.Review");
		assert_eq!(lines[1].account, "holder/A/asset/7/free");
		assert_eq!(
			split_holder_account(&lines[0].account),
			Some(("A", Some(7), "held/Compliance.Review"))
		);
		assert_eq!(
			split_holder_account("holder/A/held/Htlc.Swap"),
			Some(("A", None, "held/Htlc.Swap"))
		);
		assert_eq!(split_holder_account("holder/A/asset/x/free"), None);
		assert_eq!(split_holder_account("issued/7"), None);
		assert_eq!(holder("holder/A/asset/7/free"), Some("A"));
	}

	#[test]
	fn every_event_posts_balanced_lines() {
		for event in all_events() {
			let lines = post(&event);
			assert!(balanced(&lines), "{event:?} posts {lines:?}");
			assert_eq!(lines.iter().map(|l| l.debit).sum::<u128>(), 5);
		}
	}

	#[test]
	fn a_transfer_moves_free_units_and_a_hold_moves_them_aside() {
		let lines = post(&Transfer { from: "A".into(), to: "B".into(), amount: 7 });
		assert_eq!(lines[0], Line { account: "holder/B/free".into(), debit: 7, credit: 0 });
		assert_eq!(lines[1], Line { account: "holder/A/free".into(), debit: 0, credit: 7 });
		let lines =
			post(&Held { reason: "Settlement.Instruction".into(), who: "A".into(), amount: 3 });
		assert_eq!(lines[0].account, "holder/A/held/Settlement.Instruction");
		assert_eq!(holders(&lines).collect::<Vec<_>>(), vec!["A", "A"]);
	}

	#[test]
	fn unbalanced_or_overflowing_lines_are_caught() {
		let line = |debit, credit| Line { account: "x".into(), debit, credit };
		assert!(!balanced(&[line(5, 0), line(0, 4)]));
		assert!(!balanced(&[line(u128::MAX, 0), line(1, 0), line(0, 1)]));
		assert!(balanced(&[]));
	}
}
