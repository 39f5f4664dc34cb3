//! What limits a token holder's available units besides holds: tokenization's time-based
//! lock-ups, an account frozen for the token (by tokenization or `pallet-assets`), a paused
//! token, and the token's minimum balance. The books keep these terms as storage holds them at
//! the last block that changed them (a projection, refreshed for every holder a block touches or
//! a restricting event names), and compute the available units at any block from them, the way
//! `pallet-assets`' `reducible_balance` does with tokenization as its freezer.

use crate::events::ChainEvent;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One lock-up schedule: `total` units from block `start`, nothing unlocked before `cliff`
/// blocks, everything after `duration`, linear in between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockup {
	#[serde(with = "decimal")]
	pub total: u128,
	pub start: u32,
	pub cliff: u32,
	pub duration: u32,
}

impl Lockup {
	/// Units still locked at block `now`, rounded up as the runtime rounds them (a holder never
	/// gets a unit early).
	pub fn locked_at(&self, now: u32) -> u128 {
		let elapsed = now.saturating_sub(self.start);
		if elapsed < self.cliff {
			return self.total;
		}
		if elapsed >= self.duration {
			return 0;
		}
		let remaining = u128::from(self.duration - elapsed);
		let duration = u128::from(self.duration);
		// total × remaining ÷ duration without overflow: the whole part of total ÷ duration
		// scales exactly; the rest (< duration < 2³²) times remaining fits in 64 bits.
		let (whole, rest) = (self.total / duration, self.total % duration);
		let scaled = whole * remaining + (rest * remaining).div_ceil(duration);
		scaled.min(self.total)
	}
}

/// A holder's terms for one token.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderTerms {
	/// Frozen for this token (tokenization's freeze or `pallet-assets`' frozen or blocked
	/// account status): nothing can be moved.
	pub frozen: bool,
	pub lockups: Vec<Lockup>,
}

impl HolderTerms {
	/// Nothing restricts the holder: not kept.
	pub fn is_empty(&self) -> bool {
		!self.frozen && self.lockups.is_empty()
	}

	pub fn locked_at(&self, now: u32) -> u128 {
		self.lockups.iter().fold(0u128, |sum, l| sum.saturating_add(l.locked_at(now)))
	}
}

/// A token's terms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenTerms {
	/// Paused by its issuer (tokenization), or frozen as a whole (`pallet-assets`).
	pub paused: bool,
	pub min_balance: u128,
}

/// The units a holder with `free` units (holds apart) and `held` units on hold can move at block
/// `now`: none when frozen or paused; with lock-ups or holds, what is above the locked units and
/// at least the token's minimum balance (the account must live on for them); else all of them.
pub fn available(
	free: u128,
	held: u128,
	holder: Option<&HolderTerms>,
	token: Option<&TokenTerms>,
	now: u32,
) -> u128 {
	let (paused, min_balance) = token.map_or((false, 0), |t| (t.paused, t.min_balance));
	if paused || holder.is_some_and(|h| h.frozen) {
		return 0;
	}
	let locked = holder.map_or(0, |h| h.locked_at(now));
	if locked == 0 && held == 0 {
		return free;
	}
	free.saturating_sub(locked.max(min_balance))
}

/// Events that change a holder's or a token's terms without moving units (a move is already a
/// reason to read the terms of both sides).
const HOLDER_EVENTS: &[(&str, &str)] = &[
	("Tokenization", "LockupAdded"),
	("Tokenization", "LockupsReleased"),
	("Tokenization", "LockupsPruned"),
	("Tokenization", "AccountFrozen"),
	("Tokenization", "AccountThawed"),
	("Assets", "Frozen"),
	("Assets", "Thawed"),
	("Assets", "Blocked"),
];
const TOKEN_EVENTS: &[(&str, &str)] = &[
	("Tokenization", "TokenPaused"),
	("Tokenization", "TokenUnpaused"),
	("Tokenization", "DestructionStarted"),
	("Assets", "AssetFrozen"),
	("Assets", "AssetThawed"),
	("Assets", "AssetMinBalanceChanged"),
	("Assets", "DestructionStarted"),
	("Assets", "Destroyed"),
];

/// Whether `pallet`'s `name` changes terms: its object (the token) and accounts are then decoded.
pub fn restricts(pallet: &str, name: &str) -> bool {
	HOLDER_EVENTS.iter().chain(TOKEN_EVENTS).any(|(p, n)| *p == pallet && *n == name)
}

/// The holders (token, SS58) and tokens whose terms `events` change.
pub fn changed(events: &[ChainEvent]) -> (BTreeSet<(u32, String)>, BTreeSet<u32>) {
	let mut holders = BTreeSet::new();
	let mut tokens = BTreeSet::new();
	for event in events {
		let key = (event.pallet.as_str(), event.name.as_str());
		let Some(token) = event.object.as_deref().and_then(|o| o.parse::<u32>().ok()) else {
			continue;
		};
		if HOLDER_EVENTS.contains(&key) {
			holders.extend(event.accounts.iter().map(|who| (token, who.clone())));
			tokens.insert(token);
		} else if TOKEN_EVENTS.contains(&key) {
			tokens.insert(token);
		}
	}
	(holders, tokens)
}

/// Amounts as decimal strings in the stored JSON (they exceed JavaScript's and JSON's safe
/// integers).
mod decimal {
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(value: &u128, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&value.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
		String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn lockup(total: u128, start: u32, cliff: u32, duration: u32) -> Lockup {
		Lockup { total, start, cliff, duration }
	}

	#[test]
	fn a_lockup_holds_everything_before_its_cliff_and_nothing_after_its_duration() {
		let l = lockup(1_000, 10, 5, 100);
		assert_eq!(l.locked_at(0), 1_000);
		assert_eq!(l.locked_at(14), 1_000);
		assert_eq!(l.locked_at(110), 0);
		assert_eq!(l.locked_at(u32::MAX), 0);
	}

	#[test]
	fn a_lockup_unlocks_linearly_rounding_the_locked_units_up() {
		let l = lockup(1_000, 10, 5, 100);
		// 95 of 100 blocks left: 950; 1 left: 10.
		assert_eq!(l.locked_at(15), 950);
		assert_eq!(l.locked_at(109), 10);
		// 7 units over 3 blocks: 2 blocks left locks ⌈14/3⌉ = 5, 1 left ⌈7/3⌉ = 3.
		let odd = lockup(7, 0, 0, 3);
		assert_eq!((odd.locked_at(1), odd.locked_at(2)), (5, 3));
	}

	#[test]
	fn a_huge_lockup_does_not_overflow() {
		let l = lockup(u128::MAX, 0, 0, u32::MAX);
		let half = l.locked_at(u32::MAX / 2 + 1);
		assert!(half > u128::MAX / 2 - u128::MAX / 1_000 && half <= u128::MAX / 2 + 1, "{half}");
		assert_eq!(l.locked_at(0), u128::MAX);
	}

	#[test]
	fn available_units_follow_pallet_assets() {
		let locked = HolderTerms { frozen: false, lockups: vec![lockup(300, 0, 0, 1_000)] };
		let token = TokenTerms { paused: false, min_balance: 5 };
		// Nothing restricts: everything, down to zero.
		assert_eq!(available(700, 0, None, Some(&token), 0), 700);
		// Locked units stay; 300 over 1000 blocks, 100 elapsed: 270 locked.
		assert_eq!(available(700, 0, Some(&locked), Some(&token), 100), 430);
		// A hold keeps the minimum balance in place.
		assert_eq!(available(700, 10, None, Some(&token), 0), 695);
		// More locked than free: none.
		assert_eq!(available(200, 0, Some(&locked), Some(&token), 0), 0);
		let frozen = HolderTerms { frozen: true, lockups: vec![] };
		assert_eq!(available(700, 0, Some(&frozen), Some(&token), 0), 0);
		let paused = TokenTerms { paused: true, min_balance: 5 };
		assert_eq!(available(700, 0, None, Some(&paused), 0), 0);
	}

	#[test]
	fn lockups_are_stored_with_decimal_totals() {
		let terms = HolderTerms { frozen: false, lockups: vec![lockup(u128::MAX, 1, 2, 3)] };
		let json = serde_json::to_string(&terms).unwrap();
		assert!(json.contains(&format!("\"{}\"", u128::MAX)), "{json}");
		assert_eq!(serde_json::from_str::<HolderTerms>(&json).unwrap(), terms);
	}
}
