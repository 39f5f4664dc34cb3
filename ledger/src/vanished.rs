//! Token units that leave the chain with no event saying how many (`docs/ledger-events.md` §2):
//! - **Dust.** A `fungibles` transfer that leaves the sender below the token's minimum balance
//!   (allowed when the sender may die) debits the rest too, credits the receiver the amount only,
//!   and says the amount: the rest vanishes with the sender's account while the supply keeps it.
//!   The books move it to `dust/asset/{id}`, units the supply counts and nobody holds.
//! - **Destruction.** `destroy_accounts` deletes accounts with whatever they hold, and the supply
//!   goes with the asset at `Destroyed`. The books write every balance left under the token off
//!   against its issued supply there, so it closes at zero.
//!
//! Pure: which accounts to look at, and the lines once the chain has been read.

use crate::{
	events::ChainEvent,
	postings::{self, adjustment, split_holder_account, AssetEvent, BalanceEvent, Line},
};

/// The kinds of the entries this derives.
pub const DUST_KIND: &str = "Assets.DustLost";
pub const DESTROYED_KIND: &str = "Assets.Destroyed";

/// The senders (token, SS58) of `events`' token transfers, each once: a sender left with less
/// than the minimum balance loses the rest.
pub fn senders(events: &[ChainEvent]) -> Vec<(u32, String)> {
	let mut out: Vec<(u32, String)> = events
		.iter()
		.filter_map(|e| match &e.booked {
			Some(BalanceEvent::Asset { asset, event: AssetEvent::Transferred { from, .. } }) => {
				Some((*asset, from.clone()))
			}
			_ => None,
		})
		.collect();
	out.sort_unstable();
	out.dedup();
	out
}

/// The tokens `events` finish destroying.
pub fn destroyed(events: &[ChainEvent]) -> Vec<u32> {
	events
		.iter()
		.filter(|e| e.pallet == "Assets" && e.name == "Destroyed")
		.filter_map(|e| e.object.as_deref()?.parse().ok())
		.collect()
}

/// Whether a sender with `left` free units in the books, `min_balance` (if known) and nothing on
/// chain any more lost `left` as dust. Only an account below the minimum can have died of it.
pub fn may_have_died(left: i128, min_balance: Option<u128>) -> bool {
	left > 0 && min_balance.is_none_or(|min| (left as u128) < min)
}

/// The rest of a sender that died: out of its free units, into the token's dust account.
pub fn dust(asset: u32, who: &str, left: i128) -> Vec<Line> {
	let amount = left.unsigned_abs();
	vec![
		Line { account: postings::dust(asset), debit: amount, credit: 0 },
		Line { account: postings::asset_free(who, asset), debit: 0, credit: amount },
	]
}

/// The write-off of destroyed token `asset`: every account of it with a balance (holders' free
/// and held units, its suspense and dust) back to zero, against its issued supply. `balances` are
/// the books' (debits − credits); accounts of other tokens are ignored.
pub fn write_off(asset: u32, balances: &[(String, i128)]) -> Vec<Line> {
	let (dust, suspense) = (postings::dust(asset), postings::suspense(asset));
	let mut lines = Vec::new();
	let mut net: i128 = 0;
	for (account, balance) in balances {
		let of_asset = account == &dust
			|| account == &suspense
			|| split_holder_account(account).is_some_and(|(_, a, _)| a == Some(asset));
		if !of_asset || *balance == 0 {
			continue;
		}
		net += balance;
		lines.extend(adjustment(account, -balance));
	}
	if net != 0 {
		// The issued supply takes what the holders had: a debit for units they held.
		let issued = postings::issued(asset);
		lines.extend(adjustment(&issued, net));
	}
	lines
}

#[cfg(test)]
mod tests {
	use super::*;

	fn balanced(lines: &[Line]) -> bool {
		lines.iter().map(|l| l.debit).sum::<u128>() == lines.iter().map(|l| l.credit).sum::<u128>()
	}

	#[test]
	fn a_sender_below_the_minimum_may_have_died_and_its_rest_is_dust() {
		assert!(may_have_died(3, Some(10)));
		assert!(may_have_died(3, None));
		assert!(!may_have_died(10, Some(10)));
		assert!(!may_have_died(0, Some(10)));
		let lines = dust(7, "A", 3);
		assert!(balanced(&lines));
		assert_eq!(lines[0].account, "dust/asset/7");
		assert_eq!((lines[1].account.as_str(), lines[1].credit), ("holder/A/asset/7/free", 3));
	}

	#[test]
	fn a_destroyed_token_is_written_off_against_its_issued_supply() {
		let balances = vec![
			("holder/A/asset/7/free".to_string(), 40),
			("holder/B/asset/7/held/Htlc.Swap".to_string(), 5),
			("dust/asset/7".to_string(), 2),
			("holder/A/asset/8/free".to_string(), 99),
			("holder/A/free".to_string(), 1_000),
			("holder/C/asset/7/free".to_string(), 0),
		];
		let lines = write_off(7, &balances);
		assert!(balanced(&lines));
		assert_eq!(lines.len(), 4, "{lines:?}");
		let issued = lines.iter().find(|l| l.account == "issued/7").unwrap();
		assert_eq!((issued.debit, issued.credit), (47, 0));
		assert!(lines.iter().all(|l| !l.account.contains("/8/") && l.account != "holder/A/free"));
		assert!(write_off(9, &balances).is_empty());
	}
}
