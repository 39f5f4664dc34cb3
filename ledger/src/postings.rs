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
	account.strip_prefix("holder/").and_then(|rest| rest.split('/').next())
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
			ReserveRepatriated { from: a, to: b, amount: 5, to_reserved: false },
		]
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
