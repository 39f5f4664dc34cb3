//! Follows the chain's finalized blocks and books each one, in order, exactly once: the cursor
//! moves in the same transaction as the block's entries, and each block must be the child of
//! the last one booked. After each block it reconciles the books with on-chain storage at that
//! block for every holder the block touched, the supply, and the clearing account.

use crate::{
	events::{self, ChainEvent},
	postings::{self, Line, CLEARING, OPENING, SUPPLY},
	store::{Alert, Cursor, Store},
};
use anyhow::{anyhow, Context, Result};
use polkadot_sdk::sp_core::H256;
use std::{collections::BTreeSet, time::Duration};
use tpw_client::{
	chain::Chain,
	keys::{parse_account, ss58},
	storage, AccountId, Balance,
};

/// `AccountInfo`: nonce, consumers, providers, sufficients, then free and reserved.
type AccountInfo = ([u32; 4], Balance, Balance);

/// An entry before it is numbered: phase, event index, kind, lines.
type Draft = (String, u32, String, Vec<Line>);

pub struct Ingest {
	pub chain: Chain,
	pub store: Store,
}

impl Ingest {
	/// Books finalized blocks up to `until` (or the finalized head); with `follow`, goes on as
	/// the chain finalizes more.
	pub async fn run(&mut self, until: Option<u32>, follow: bool) -> Result<()> {
		loop {
			let finalized = self.chain.finalized_head().await?;
			let head = self.number(finalized).await?;
			let target = until.map_or(head, |until| until.min(head));
			let mut cursor = match self.store.cursor().await? {
				Some(cursor) => cursor,
				None => self.open_books().await?,
			};
			while cursor.block < target {
				cursor = self.book(cursor).await?;
			}
			if !follow && until.is_none_or(|until| cursor.block >= until) {
				return Ok(());
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
	}

	async fn number(&self, hash: H256) -> Result<u32> {
		Ok(self.chain.header(hash).await?.number)
	}

	/// The opening entries at genesis (block 0 has no events): every account's free and
	/// reserved units against the supply, and the difference between the total issuance and
	/// their sum against the opening account.
	async fn open_books(&mut self) -> Result<Cursor> {
		let genesis = self.chain.block_hash(0).await?;
		let prefix = storage::prefix("System", "Account");
		let mut drafts: Vec<Draft> = Vec::new();
		let mut sum: i128 = 0;
		for key in self.chain.all_storage_keys(&prefix, Some(genesis)).await? {
			let raw: [u8; 32] = key
				.get(key.len().saturating_sub(32)..)
				.and_then(|tail| tail.try_into().ok())
				.ok_or_else(|| anyhow!("a System::Account key without an account"))?;
			let who = ss58(&AccountId::from(raw));
			let Some((_, free, reserved)) =
				self.chain.storage::<AccountInfo>(&key, Some(genesis)).await?
			else {
				continue;
			};
			let mut lines = vec![];
			if free > 0 {
				lines.push(Line { account: postings::free(&who), debit: free, credit: 0 });
			}
			if reserved > 0 {
				lines.push(Line { account: postings::reserved(&who), debit: reserved, credit: 0 });
			}
			let total = free.checked_add(reserved).ok_or_else(|| anyhow!("overflow"))?;
			sum += total as i128;
			lines.push(Line { account: SUPPLY.into(), debit: 0, credit: total });
			drafts.push(("Genesis".into(), 0, "Opening".into(), lines));
		}
		let issuance: Balance = self
			.chain
			.storage(&storage::value("Balances", "TotalIssuance"), Some(genesis))
			.await?
			.unwrap_or_default();
		let difference = issuance as i128 - sum;
		if difference != 0 {
			let amount = difference.unsigned_abs();
			let (debit, credit) =
				if difference > 0 { (OPENING, SUPPLY) } else { (SUPPLY, OPENING) };
			drafts.push((
				"Genesis".into(),
				0,
				"Opening".into(),
				vec![
					Line { account: debit.into(), debit: amount, credit: 0 },
					Line { account: credit.into(), debit: 0, credit: amount },
				],
			));
		}
		log::info!("opening the books at genesis: {} accounts", drafts.len());
		self.store.book_block(None, 0, genesis.0, &[], drafts, &[]).await
	}

	/// Books the block after `cursor`.
	async fn book(&mut self, cursor: Cursor) -> Result<Cursor> {
		let number = cursor.block + 1;
		let hash = self.chain.block_hash(number).await?;
		let header = self.chain.header(hash).await?;
		if header.parent_hash.0 != cursor.block_hash {
			return Err(anyhow!(
				"block {number} is not the child of the last block booked: the books follow \
				 finalized blocks only, so this is a different chain"
			));
		}
		let events = events::decode(&self.chain.events(hash).await?)
			.with_context(|| format!("block {number}"))?;
		let drafts = drafts(&events);
		let mut alerts = clearing_alerts(number, &drafts);
		alerts.extend(self.reconcile(number, hash, &drafts).await?);
		for alert in &alerts {
			log::warn!(
				"block {number}: {} {} in the books, {} on chain ({})",
				alert.account,
				alert.ledger,
				alert.chain,
				alert.kind
			);
		}
		self.store.book_block(Some(&cursor), number, hash.0, &events, drafts, &alerts).await
	}

	/// Compares, at block `hash`, each holder the block touched and the supply with the books
	/// as they will be once the block's entries are in.
	async fn reconcile(&self, number: u32, hash: H256, drafts: &[Draft]) -> Result<Vec<Alert>> {
		let mut alerts = Vec::new();
		let touched: BTreeSet<&str> =
			drafts.iter().flat_map(|(_, _, _, lines)| postings::holders(lines)).collect();
		for who in touched {
			let account = parse_account(who)?;
			let (free, reserved) = self
				.chain
				.storage::<AccountInfo>(
					&storage::map_blake2("System", "Account", &account),
					Some(hash),
				)
				.await?
				.map(|(_, free, reserved)| (free, reserved))
				.unwrap_or_default();
			// One read of the holder's accounts; held under any reason and reserved without one
			// are the chain's `reserved`.
			let prefix = format!("holder/{who}/");
			let free_account = postings::free(who);
			let (mut free_books, mut held_books) = (0i128, 0i128);
			let stored = self.store.holder_balances(who).await?;
			let drafted = drafts
				.iter()
				.flat_map(|(_, _, _, lines)| lines)
				.filter(|line| line.account.starts_with(&prefix))
				.map(|line| (line.account.clone(), line.debit as i128 - line.credit as i128));
			for (account, amount) in stored.into_iter().chain(drafted) {
				if account == free_account {
					free_books += amount;
				} else {
					held_books += amount;
				}
			}
			if free_books != free as i128 {
				alerts.push(Alert {
					block: number,
					account: postings::free(who),
					kind: "free".into(),
					ledger: free_books,
					chain: free as i128,
				});
			}
			if held_books != reserved as i128 {
				alerts.push(Alert {
					block: number,
					account: format!("holder/{who}"),
					kind: "reserved".into(),
					ledger: held_books,
					chain: reserved as i128,
				});
			}
		}
		let issuance: Balance = self
			.chain
			.storage(&storage::value("Balances", "TotalIssuance"), Some(hash))
			.await?
			.unwrap_or_default();
		// The supply is credit-normal: its balance (debits − credits) is minus the issuance.
		let supply = -(self.store.balance(SUPPLY).await? + pending(drafts, SUPPLY));
		if supply != issuance as i128 {
			alerts.push(Alert {
				block: number,
				account: SUPPLY.into(),
				kind: "supply".into(),
				ledger: supply,
				chain: issuance as i128,
			});
		}
		Ok(alerts)
	}
}

/// What `lines` post to `account` (debits − credits).
fn net(lines: &[Line], account: &str) -> i128 {
	lines
		.iter()
		.filter(|line| line.account == account)
		.map(|line| line.debit as i128 - line.credit as i128)
		.sum()
}

/// What `drafts` post to `account` (debits − credits).
fn pending(drafts: &[Draft], account: &str) -> i128 {
	drafts.iter().map(|(_, _, _, lines)| net(lines, account)).sum()
}

/// A block's entries: one per booked event, in the block's order.
fn drafts(events: &[ChainEvent]) -> Vec<Draft> {
	events
		.iter()
		.filter_map(|event| {
			let booked = event.booked.as_ref()?;
			let kind = format!("{}.{}", event.pallet, event.name);
			Some((event.phase.clone(), event.index, kind, postings::post(booked)))
		})
		.collect()
}

/// The clearing account must be back to zero at the end of each phase of a block: every
/// imbalance withdrawn is deposited or destroyed within its extrinsic. A phase that leaves it
/// otherwise had a change the events did not tell.
fn clearing_alerts(block: u32, drafts: &[Draft]) -> Vec<Alert> {
	let mut alerts = Vec::new();
	let mut phase: Option<&str> = None;
	let mut open: i128 = 0;
	let close = |phase: Option<&str>, open: i128, alerts: &mut Vec<Alert>| {
		if let (Some(phase), true) = (phase, open != 0) {
			alerts.push(Alert {
				block,
				account: format!("{CLEARING} after {phase}"),
				kind: "clearing".into(),
				ledger: open,
				chain: 0,
			});
		}
	};
	for (p, _, _, lines) in drafts {
		if phase != Some(p.as_str()) {
			close(phase, open, &mut alerts);
			phase = Some(p.as_str());
			open = 0;
		}
		open += net(lines, CLEARING);
	}
	close(phase, open, &mut alerts);
	alerts
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::postings::BalanceEvent::*;

	fn draft(phase: &str, event: postings::BalanceEvent) -> Draft {
		(phase.into(), 0, "x".into(), postings::post(&event))
	}

	#[test]
	fn a_fee_withdrawn_and_deposited_in_its_phase_leaves_clearing_at_zero() {
		let fee = vec![
			draft("ApplyExtrinsic(1)", Withdraw { who: "A".into(), amount: 10 }),
			draft("ApplyExtrinsic(1)", Deposit { who: "A".into(), amount: 3 }),
			draft("ApplyExtrinsic(1)", Deposit { who: "T".into(), amount: 7 }),
		];
		assert!(clearing_alerts(5, &fee).is_empty());
		assert_eq!(pending(&fee, "holder/A/free"), -7);
	}

	#[test]
	fn an_imbalance_left_open_at_the_end_of_a_phase_is_reported() {
		let drafts = vec![
			draft("ApplyExtrinsic(1)", Withdraw { who: "A".into(), amount: 10 }),
			draft("ApplyExtrinsic(2)", Deposit { who: "T".into(), amount: 10 }),
		];
		let alerts = clearing_alerts(5, &drafts);
		assert_eq!(alerts.len(), 2, "{alerts:?}");
		assert_eq!(alerts[0].account, "clearing after ApplyExtrinsic(1)");
		assert_eq!(alerts[0].ledger, 10);
		assert_eq!(alerts[1].ledger, -10);
	}
}
