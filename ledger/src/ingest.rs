//! Follows the chain's finalized blocks and books each one, in order, exactly once: the cursor
//! moves in the same transaction as the block's entries, and each block must be the child of
//! the last one booked. Held token units paid out without an event are derived from storage
//! ([`Ingest::derive_held_moves`]). After each block it reconciles the books with on-chain
//! storage at that block for every holder and token the block touched, the supplies, and the
//! clearing accounts.

use crate::{
	events::{self, ChainEvent, HELD_MOVERS},
	extrinsic::Seen,
	onchain,
	postings::{self, adjustment, Line, OPENING, SUPPLY},
	store::{Alert, Block, Cursor, Store, Terms},
	terms, vanished,
};
use anyhow::{anyhow, Context, Result};
use polkadot_sdk::sp_core::H256;
use std::{
	collections::{BTreeMap, BTreeSet, HashMap},
	time::Duration,
};
use tpw_client::{chain::Chain, keys::ss58, storage, AccountId, Balance};

/// The phase and kind of the entries derived from storage.
pub const DERIVED_PHASE: &str = "Derived";
pub const DERIVED_KIND: &str = "AssetsHolder.TransferOnHold";

/// An entry before it is numbered: phase, event index, kind, lines.
pub type Draft = (String, u32, String, Vec<Line>);

/// What blocks not booked yet (the pending view's earlier blocks) drafted and emitted.
#[derive(Clone, Debug, Default)]
pub struct Prior {
	pub drafts: Vec<Draft>,
	pub events: Vec<ChainEvent>,
}

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
		let whos = self
			.chain
			.all_storage_keys(&prefix, Some(genesis))
			.await?
			.iter()
			.map(|key| {
				let raw: [u8; 32] = key
					.get(key.len().saturating_sub(32)..)
					.and_then(|tail| tail.try_into().ok())
					.ok_or_else(|| anyhow!("a System::Account key without an account"))?;
				Ok(ss58(&AccountId::from(raw)))
			})
			.collect::<Result<Vec<String>>>()?;
		let whos: Vec<&str> = whos.iter().map(String::as_str).collect();
		// Every account in one request.
		let balances = onchain::natives(&self.chain, &whos, genesis).await?;
		for (who, (free, reserved)) in whos.into_iter().zip(balances) {
			let mut lines = vec![];
			if free > 0 {
				lines.push(Line { account: postings::free(who), debit: free, credit: 0 });
			}
			if reserved > 0 {
				lines.push(Line { account: postings::reserved(who), debit: reserved, credit: 0 });
			}
			let total = free.checked_add(reserved).ok_or_else(|| anyhow!("overflow"))?;
			sum += total as i128;
			lines.push(Line { account: SUPPLY.into(), debit: 0, credit: total });
			drafts.push(("Genesis".into(), 0, "Opening".into(), lines));
		}
		let issuance = onchain::total_issuance(&self.chain, genesis).await?;
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
		let block = Block {
			number: 0,
			hash: genesis.0,
			extrinsics: &[],
			events: &[],
			entries: drafts,
			alerts: &[],
			terms: Terms::default(),
			time: None,
		};
		self.store.book_block(None, block).await
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
		let (events, drafts) = self
			.block_entries(hash, &Prior::default())
			.await
			.with_context(|| format!("block {number}"))?;
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
		let extrinsics: Vec<[u8; 32]> =
			self.extrinsics(hash).await?.into_iter().map(|e| e.hash).collect();
		let terms = self.terms(hash, &events, &drafts).await?;
		let time: Option<u64> = self
			.chain
			.storage(&tpw_client::storage::value("Timestamp", "Now"), Some(hash))
			.await
			.context("the block's timestamp")?;
		let block = Block {
			number,
			hash: hash.0,
			extrinsics: &extrinsics,
			events: &events,
			entries: drafts,
			alerts: &alerts,
			terms,
			time,
		};
		self.store.book_block(Some(&cursor), block).await
	}

	/// Block `hash`'s events and the entries they make, after the books and `prior` (blocks not
	/// booked yet, for the pending view).
	pub async fn block_entries(
		&self,
		hash: H256,
		prior: &Prior,
	) -> Result<(Vec<ChainEvent>, Vec<Draft>)> {
		let events = events::decode(&self.chain.events(hash).await?)?;
		let mut drafts = drafts(&events);
		if events.iter().any(|e| HELD_MOVERS.contains(&e.pallet.as_str())) {
			let index = u32::try_from(events.len()).unwrap_or(u32::MAX);
			let before: Vec<Draft> = prior.drafts.iter().chain(&drafts).cloned().collect();
			for lines in self.derive_held_moves(hash, &events, &prior.events, &before).await? {
				drafts.push((DERIVED_PHASE.into(), index, DERIVED_KIND.into(), lines));
			}
		}
		let index = u32::try_from(events.len()).unwrap_or(u32::MAX);
		let before: Vec<Draft> = prior.drafts.iter().chain(&drafts).cloned().collect();
		for (kind, lines) in self.derive_vanished(hash, &events, &before).await? {
			drafts.push((DERIVED_PHASE.into(), index, kind.into(), lines));
		}
		Ok((events, drafts))
	}

	/// Units that left the chain with no event saying how many ([`vanished`]): the rest of a
	/// token sender that died below the minimum balance (found when storage no longer has it),
	/// and what a destroyed token's accounts still held.
	async fn derive_vanished(
		&self,
		hash: H256,
		events: &[ChainEvent],
		drafts: &[Draft],
	) -> Result<Vec<(&'static str, Vec<Line>)>> {
		let mut entries = Vec::new();
		let senders = vanished::senders(events);
		if !senders.is_empty() {
			let whos: BTreeSet<&str> = senders.iter().map(|(_, who)| who.as_str()).collect();
			let books = self.books_of(&whos, drafts).await?;
			let assets: Vec<u32> = senders.iter().map(|(asset, _)| *asset).collect();
			let minimums = self.store.min_balances(&assets).await?;
			let left = |asset: u32, who: &str| {
				let account = postings::asset_free(who, asset);
				books.get(who).and_then(|b| b.get(&account)).copied().unwrap_or_default()
			};
			let suspects: Vec<(u32, &str)> = senders
				.iter()
				.filter(|(asset, who)| {
					vanished::may_have_died(left(*asset, who), minimums.get(asset).copied())
				})
				.map(|(asset, who)| (*asset, who.as_str()))
				.collect();
			if !suspects.is_empty() {
				let chain = onchain::asset_holders(&self.chain, &suspects, hash).await?;
				for ((asset, who), (free, holds)) in suspects.iter().zip(chain) {
					if free == 0 && holds.is_empty() {
						entries.push((
							vanished::DUST_KIND,
							vanished::dust(*asset, who, left(*asset, who)),
						));
					}
				}
			}
		}
		for asset in vanished::destroyed(events) {
			let mut balances: BTreeMap<String, i128> =
				self.store.asset_balances(asset).await?.into_iter().collect();
			for line in drafts.iter().flat_map(|(_, _, _, lines)| lines) {
				*balances.entry(line.account.clone()).or_default() +=
					line.debit as i128 - line.credit as i128;
			}
			let balances: Vec<(String, i128)> = balances.into_iter().collect();
			let lines = vanished::write_off(asset, &balances);
			if !lines.is_empty() {
				entries.push((vanished::DESTROYED_KIND, lines));
			}
		}
		Ok(entries)
	}

	/// The terms, at block `hash`, of every token holder its entries move or its events restrict,
	/// and of their tokens.
	async fn terms(&self, hash: H256, events: &[ChainEvent], drafts: &[Draft]) -> Result<Terms> {
		let (mut holders, mut tokens) = terms::changed(events);
		for line in drafts.iter().flat_map(|(_, _, _, lines)| lines) {
			if let Some((who, Some(asset), _)) = postings::split_holder_account(&line.account) {
				holders.insert((asset, who.to_string()));
				tokens.insert(asset);
			}
		}
		if holders.is_empty() && tokens.is_empty() {
			return Ok(Terms::default());
		}
		let pairs: Vec<(u32, &str)> = holders.iter().map(|(a, w)| (*a, w.as_str())).collect();
		let tokens: Vec<u32> = tokens.into_iter().collect();
		let (holder_terms, token_terms) =
			onchain::terms(&self.chain, &pairs, &tokens, hash).await?;
		Ok(Terms {
			holders: holders
				.into_iter()
				.zip(holder_terms)
				.map(|((asset, who), terms)| (asset, who, terms))
				.collect(),
			tokens: tokens.into_iter().zip(token_terms).collect(),
		})
	}

	/// Block `hash`'s extrinsics, in order: each one's hash (blake2-256 of its encoding) and
	/// signer.
	pub async fn extrinsics(&self, hash: H256) -> Result<Vec<Seen>> {
		let body = self.chain.block_json(hash).await?;
		let extrinsics = body["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| anyhow!("block {hash:?} has no extrinsics list"))?;
		extrinsics
			.iter()
			.map(|x| {
				let hex = x.as_str().ok_or_else(|| anyhow!("an extrinsic that is not hex"))?;
				Ok(Seen::new(&hex::decode(hex.trim_start_matches("0x"))?))
			})
			.collect()
	}

	/// The balances of each of `whos`' accounts once `drafts` are booked: holder → account →
	/// balance, in one query and one pass over the drafts.
	async fn books_of(
		&self,
		whos: &BTreeSet<&str>,
		drafts: &[Draft],
	) -> Result<HashMap<String, BTreeMap<String, i128>>> {
		let list: Vec<String> = whos.iter().map(|w| w.to_string()).collect();
		let mut books = self.store.holders_balances(&list).await?;
		for line in drafts.iter().flat_map(|(_, _, _, lines)| lines) {
			if let Some(who) = postings::holder(&line.account).filter(|w| whos.contains(w)) {
				*books
					.entry(who.to_string())
					.or_default()
					.entry(line.account.clone())
					.or_default() += line.debit as i128 - line.credit as i128;
			}
		}
		Ok(books)
	}

	/// `pallet-assets-holder` pays held units out (`transfer_on_hold`: an HTLC claimed, a
	/// channel settled, a review approved, a settlement leg, a distribution) without an event.
	/// For every token with units on hold in the books, and every holder of those holds or
	/// account a mover pallet's event names (or an earlier event about the same object named),
	/// compare free units and holds by reason with storage at this block; what differs becomes
	/// one entry per token. If its sides do not meet (the receiver was not found), the rest goes
	/// to the token's suspense account, which reconciliation reports until the other side is
	/// seen.
	async fn derive_held_moves(
		&self,
		hash: H256,
		events: &[ChainEvent],
		prior_events: &[ChainEvent],
		drafts: &[Draft],
	) -> Result<Vec<Vec<Line>>> {
		let mut named: BTreeSet<String> =
			events.iter().flat_map(|e| e.accounts.iter().cloned()).collect();
		for event in events {
			if let Some(object) = &event.object {
				named.extend(self.store.mover_parties(&event.pallet, object).await?);
				// The same object in blocks not booked yet (the pending view).
				let earlier = prior_events
					.iter()
					.filter(|e| e.pallet == event.pallet && e.object.as_ref() == Some(object));
				named.extend(earlier.flat_map(|e| e.accounts.iter().cloned()));
			}
		}
		let mut holding: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
		let drafted = drafts.iter().flat_map(|(_, _, _, lines)| lines).map(|l| l.account.clone());
		for account in self.store.asset_hold_accounts().await?.into_iter().chain(drafted) {
			if let Some((who, Some(asset), rest)) = postings::split_holder_account(&account) {
				if rest.starts_with("held/") {
					holding.entry(asset).or_default().insert(who.to_string());
				}
			}
		}
		let mut pairs: Vec<(u32, &str)> = Vec::new();
		for (asset, holders) in &holding {
			let candidates: BTreeSet<&str> =
				holders.iter().chain(named.iter()).map(String::as_str).collect();
			pairs.extend(candidates.into_iter().map(|who| (*asset, who)));
		}
		let chain = onchain::asset_holders(&self.chain, &pairs, hash).await?;
		let whos: BTreeSet<&str> = pairs.iter().map(|(_, who)| *who).collect();
		let books = self.books_of(&whos, drafts).await?;
		let mut by_asset: BTreeMap<u32, Vec<Line>> = BTreeMap::new();
		for ((asset, who), (free, holds)) in pairs.iter().zip(chain) {
			let mut on_chain = BTreeMap::from([(postings::asset_free(who, *asset), free)]);
			for (reason, amount) in holds {
				on_chain.insert(postings::asset_held(who, *asset, &reason), amount);
			}
			let prefix = format!("holder/{who}/asset/{asset}/");
			let empty = BTreeMap::new();
			let in_books = books.get(*who).unwrap_or(&empty);
			let accounts: BTreeSet<&String> =
				on_chain.keys().chain(in_books.keys().filter(|a| a.starts_with(&prefix))).collect();
			for account in accounts {
				let chain_value = on_chain.get(account).copied().unwrap_or_default() as i128;
				let books_value = in_books.get(account).copied().unwrap_or_default();
				by_asset
					.entry(*asset)
					.or_default()
					.extend(adjustment(account, chain_value - books_value));
			}
		}
		let mut entries = Vec::new();
		for (asset, mut lines) in by_asset {
			let net: i128 = lines.iter().map(|l| l.debit as i128 - l.credit as i128).sum();
			lines.extend(adjustment(&postings::suspense(asset), -net));
			if !lines.is_empty() {
				entries.push(lines);
			}
		}
		Ok(entries)
	}

	/// Compares, at block `hash`, each holder and token the block touched, and the supplies,
	/// with the books as they will be once the block's entries are in. Storage is read in one
	/// request per kind, the books in one query.
	async fn reconcile(&self, number: u32, hash: H256, drafts: &[Draft]) -> Result<Vec<Alert>> {
		let mut alerts = Vec::new();
		let alert = |account: String, kind: &str, ledger: i128, chain: i128| Alert {
			block: number,
			account,
			kind: kind.into(),
			ledger,
			chain,
		};
		let mut native: BTreeSet<&str> = BTreeSet::new();
		let mut tokens: BTreeSet<(u32, &str)> = BTreeSet::new();
		let mut assets: BTreeSet<u32> = BTreeSet::new();
		for line in drafts.iter().flat_map(|(_, _, _, lines)| lines) {
			match postings::split_holder_account(&line.account) {
				Some((who, None, _)) => {
					native.insert(who);
				}
				Some((who, Some(asset), _)) => {
					tokens.insert((asset, who));
					assets.insert(asset);
				}
				None => {
					if let Some(asset) =
						line.account.rsplit('/').next().and_then(|id| id.parse().ok())
					{
						assets.insert(asset);
					}
				}
			}
		}
		let whos: BTreeSet<&str> =
			native.iter().copied().chain(tokens.iter().map(|(_, who)| *who)).collect();
		let books = self.books_of(&whos, drafts).await?;
		let empty = BTreeMap::new();
		let native: Vec<&str> = native.into_iter().collect();
		for (who, (free, reserved)) in
			native.iter().zip(onchain::natives(&self.chain, &native, hash).await?)
		{
			// Held under any reason and reserved without one are the chain's `reserved`.
			let (mut free_books, mut held_books) = (0i128, 0i128);
			for (account, amount) in books.get(*who).unwrap_or(&empty) {
				match postings::split_holder_account(account) {
					Some((_, None, "free")) => free_books += amount,
					Some((_, None, _)) => held_books += amount,
					_ => {}
				}
			}
			if free_books != free as i128 {
				alerts.push(alert(postings::free(who), "free", free_books, free as i128));
			}
			if held_books != reserved as i128 {
				alerts.push(alert(
					format!("holder/{who}"),
					"reserved",
					held_books,
					reserved as i128,
				));
			}
		}
		let tokens: Vec<(u32, &str)> = tokens.into_iter().collect();
		for ((asset, who), (free, holds)) in
			tokens.iter().zip(onchain::asset_holders(&self.chain, &tokens, hash).await?)
		{
			let in_books = books.get(*who).unwrap_or(&empty);
			let account = postings::asset_free(who, *asset);
			let free_books = in_books.get(&account).copied().unwrap_or_default();
			if free_books != free as i128 {
				alerts.push(alert(account, "asset-free", free_books, free as i128));
			}
			let prefix = format!("holder/{who}/asset/{asset}/held/");
			let held_books: i128 =
				in_books.iter().filter(|(a, _)| a.starts_with(&prefix)).map(|(_, v)| v).sum();
			let held: Balance = holds.values().sum();
			if held_books != held as i128 {
				alerts.push(alert(
					format!("holder/{who}/asset/{asset}"),
					"asset-held",
					held_books,
					held as i128,
				));
			}
		}
		for asset in assets {
			let supply = onchain::asset_supply(&self.chain, asset, hash).await?;
			let issued = postings::issued(asset);
			let books = -(self.store.balance(&issued).await? + pending(drafts, &issued));
			if books != supply as i128 {
				alerts.push(alert(issued, "asset-supply", books, supply as i128));
			}
			let suspense = postings::suspense(asset);
			let carried = self.store.balance(&suspense).await? + pending(drafts, &suspense);
			if carried != 0 {
				alerts.push(alert(suspense, "suspense", carried, 0));
			}
		}
		let issuance = onchain::total_issuance(&self.chain, hash).await?;
		// The supply is credit-normal: its balance (debits − credits) is minus the issuance.
		let supply = -(self.store.balance(SUPPLY).await? + pending(drafts, SUPPLY));
		if supply != issuance as i128 {
			alerts.push(alert(SUPPLY.into(), "supply", supply, issuance as i128));
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

/// Every clearing account (native, and each token's) must be back to zero at the end of each
/// phase of a block: every imbalance withdrawn is deposited or destroyed within its extrinsic.
/// A phase that leaves one otherwise had a change the events did not tell.
fn clearing_alerts(block: u32, drafts: &[Draft]) -> Vec<Alert> {
	let mut alerts = Vec::new();
	let mut phases: Vec<(&str, BTreeMap<&str, i128>)> = Vec::new();
	for (phase, _, _, lines) in drafts {
		if phases.last().is_none_or(|(p, _)| *p != phase.as_str()) {
			phases.push((phase.as_str(), BTreeMap::new()));
		}
		if let Some((_, open)) = phases.last_mut() {
			for line in lines.iter().filter(|l| l.account.starts_with("clearing")) {
				*open.entry(line.account.as_str()).or_default() +=
					line.debit as i128 - line.credit as i128;
			}
		}
	}
	for (phase, open) in phases {
		for (account, amount) in open.into_iter().filter(|(_, amount)| *amount != 0) {
			alerts.push(Alert {
				block,
				account: format!("{account} after {phase}"),
				kind: "clearing".into(),
				ledger: amount,
				chain: 0,
			});
		}
	}
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
