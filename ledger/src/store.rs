//! The ledger in PostgreSQL: the event log, the journal (entries and their lines, hash-chained),
//! the cursor (the last block booked), and reconciliation alerts. A block is booked in one
//! transaction with the cursor, so a crash at any point leaves it booked wholly or not at all.

use crate::{
	audit::{Entry, GENESIS_HASH},
	events::{ChainEvent, HELD_MOVERS},
	postings::{self, Line},
	terms::{HolderTerms, TokenTerms},
};
use anyhow::{anyhow, Context, Result};
use std::collections::BTreeMap;
use tokio_postgres::{Client, NoTls};

const SCHEMA: &str = include_str!("schema.sql");

/// Where the books stand: the last block booked and the journal's head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
	pub block: u32,
	pub block_hash: [u8; 32],
	/// The last entry's `seq` (0 before the first).
	pub seq: i64,
	/// The last entry's hash.
	pub head: [u8; 32],
}

/// A difference between the books and the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
	pub block: u32,
	pub account: String,
	/// `free`, `reserved`, `supply` or `clearing`.
	pub kind: String,
	pub ledger: i128,
	pub chain: i128,
}

/// A block as it is booked.
pub struct Block<'a> {
	pub number: u32,
	pub hash: [u8; 32],
	/// Its extrinsics' hashes, in order.
	pub extrinsics: &'a [[u8; 32]],
	pub events: &'a [ChainEvent],
	/// Its entries before they are numbered: phase, event index, kind, lines.
	pub entries: Vec<(String, u32, String, Vec<Line>)>,
	pub alerts: &'a [Alert],
	/// The terms of the holders (token, SS58) and tokens the block touched, as storage holds
	/// them after it.
	pub terms: Terms,
	/// Its timestamp (`Timestamp::Now`, ms), if it has one (genesis has none).
	pub time: Option<u64>,
}

/// Holders' and tokens' terms read at a block.
#[derive(Clone, Debug, Default)]
pub struct Terms {
	pub holders: Vec<(u32, String, HolderTerms)>,
	pub tokens: Vec<(u32, TokenTerms)>,
}

pub struct Store {
	pub(crate) client: Client,
}

fn hash32(bytes: &[u8]) -> Result<[u8; 32]> {
	bytes.try_into().map_err(|_| anyhow!("a stored hash is not 32 bytes"))
}

impl Store {
	/// Connects (`host=… port=… user=… dbname=…`) and creates the schema if missing.
	pub async fn connect(config: &str) -> Result<Self> {
		let (client, connection) = tokio_postgres::connect(config, NoTls)
			.await
			.with_context(|| format!("connecting to PostgreSQL ({config})"))?;
		tokio::spawn(async move {
			if let Err(e) = connection.await {
				log::error!("PostgreSQL connection: {e}");
			}
		});
		client.batch_execute(SCHEMA).await.context("creating the schema")?;
		Ok(Self { client })
	}

	pub async fn cursor(&self) -> Result<Option<Cursor>> {
		let row = self
			.client
			.query_opt("SELECT block, block_hash, seq, head FROM ledger_cursor WHERE id = 1", &[])
			.await?;
		row.map(|row| {
			Ok(Cursor {
				block: u32::try_from(row.get::<_, i64>(0))?,
				block_hash: hash32(row.get(1))?,
				seq: row.get(2),
				head: hash32(row.get(3))?,
			})
		})
		.transpose()
	}

	/// Books block `block` (`hash`): its events, its entries (numbered and hashed after the
	/// cursor's head) and the new cursor, in one transaction. `expected` is the cursor the
	/// caller read: if another writer moved it, nothing is written.
	pub async fn book_block(
		&mut self,
		expected: Option<&Cursor>,
		booked: Block<'_>,
	) -> Result<Cursor> {
		let Block { number: block, hash, extrinsics, events, entries, alerts, terms, time } =
			booked;
		let tx = self.client.transaction().await?;
		let current = tx
			.query_opt("SELECT block, seq FROM ledger_cursor WHERE id = 1 FOR UPDATE", &[])
			.await?
			.map(|row| (row.get::<_, i64>(0), row.get::<_, i64>(1)));
		if current != expected.map(|c| (i64::from(c.block), c.seq)) {
			return Err(anyhow!("the cursor moved under this writer (another tpw-ledger?)"));
		}
		let block_i = i64::from(block);
		// Each table in one statement (arrays unnested), however many rows: a block of
		// thousands of transfers is a handful of round trips.
		let (mut parties_pallet, mut parties_object, mut parties_account) =
			(Vec::<&str>::new(), Vec::<&str>::new(), Vec::<&str>::new());
		for event in events.iter().filter(|e| HELD_MOVERS.contains(&e.pallet.as_str())) {
			if let Some(object) = &event.object {
				for account in &event.accounts {
					parties_pallet.push(&event.pallet);
					parties_object.push(object);
					parties_account.push(account);
				}
			}
		}
		if !parties_pallet.is_empty() {
			tx.execute(
				"INSERT INTO mover_party (pallet, object, account) \
				 SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
				&[&parties_pallet, &parties_object, &parties_account],
			)
			.await?;
		}
		if !events.is_empty() {
			let indexes: Vec<i64> = events.iter().map(|e| i64::from(e.index)).collect();
			let phases: Vec<&str> = events.iter().map(|e| e.phase.as_str()).collect();
			let pallets: Vec<&str> = events.iter().map(|e| e.pallet.as_str()).collect();
			let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
			let fields: Vec<&[u8]> = events.iter().map(|e| e.fields.as_slice()).collect();
			let objects: Vec<Option<&str>> = events.iter().map(|e| e.object.as_deref()).collect();
			tx.execute(
				"INSERT INTO chain_event (block, event_index, block_hash, phase, pallet, name, fields, \
				 object) SELECT $1, e.event_index, $2, e.phase, e.pallet, e.name, e.fields, e.object \
				 FROM unnest($3::bigint[], $4::text[], $5::text[], \
				 $6::text[], $7::bytea[], $8::text[]) AS e(event_index, phase, pallet, name, \
				 fields, object)",
				&[&block_i, &&hash[..], &indexes, &phases, &pallets, &names, &fields, &objects],
			)
			.await?;
		}
		if !extrinsics.is_empty() {
			let indexes: Vec<i32> = (0..extrinsics.len() as i32).collect();
			let hashes: Vec<&[u8]> = extrinsics.iter().map(|h| &h[..]).collect();
			tx.execute(
				"INSERT INTO chain_extrinsic (block, extrinsic_index, hash) \
				 SELECT $1, * FROM unnest($2::integer[], $3::bytea[])",
				&[&block_i, &indexes, &hashes],
			)
			.await?;
		}
		let (mut seq, mut head) = expected.map(|c| (c.seq, c.head)).unwrap_or((0, GENESIS_HASH));
		let (mut e_seq, mut e_phase, mut e_index, mut e_kind, mut e_hash) =
			(Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
		let (mut l_seq, mut l_line, mut l_account, mut l_holder, mut l_debit, mut l_credit) =
			(Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
		for (phase, event_index, kind, lines) in entries {
			seq += 1;
			let entry = Entry { seq, block, phase, event_index, kind, lines };
			head = entry.hash(&head);
			for (n, line) in entry.lines.iter().enumerate() {
				l_seq.push(seq);
				l_line.push(n as i32);
				l_holder.push(postings::holder(&line.account).map(str::to_string));
				l_account.push(line.account.clone());
				l_debit.push(line.debit.to_string());
				l_credit.push(line.credit.to_string());
			}
			e_seq.push(seq);
			e_phase.push(entry.phase);
			e_index.push(i64::from(event_index));
			e_kind.push(entry.kind);
			e_hash.push(head.to_vec());
		}
		if !e_seq.is_empty() {
			let mut deltas: std::collections::BTreeMap<&str, i128> = Default::default();
			for (account, (debit, credit)) in l_account.iter().zip(l_debit.iter().zip(&l_credit)) {
				let (debit, credit): (i128, i128) = (debit.parse()?, credit.parse()?);
				*deltas.entry(account.as_str()).or_default() += debit - credit;
			}
			let accounts: Vec<&str> = deltas.keys().copied().collect();
			let holders: Vec<Option<&str>> = accounts.iter().map(|a| postings::holder(a)).collect();
			let amounts: Vec<String> = deltas.values().map(|d| d.to_string()).collect();
			tx.execute(
				"INSERT INTO account_balance (account, holder, balance) \
				 SELECT a, h, d::numeric FROM unnest($1::text[], $2::text[], $3::text[]) AS b(a, h, d) \
				 ON CONFLICT (account) DO UPDATE SET balance = account_balance.balance + EXCLUDED.balance",
				&[&accounts, &holders, &amounts],
			)
			.await?;
			tx.execute(
				"INSERT INTO journal_entry (seq, block, phase, event_index, kind, hash) \
				 SELECT s, $1, p, i, k, h FROM unnest($2::bigint[], $3::text[], $4::bigint[], \
				 $5::text[], $6::bytea[]) AS e(s, p, i, k, h)",
				&[&block_i, &e_seq, &e_phase, &e_index, &e_kind, &e_hash],
			)
			.await?;
			tx.execute(
				"INSERT INTO journal_line (seq, line, account, holder, debit, credit) \
				 SELECT s, n, a, h, d::numeric, c::numeric FROM unnest($1::bigint[], \
				 $2::integer[], $3::text[], $4::text[], $5::text[], $6::text[]) \
				 AS l(s, n, a, h, d, c)",
				&[&l_seq, &l_line, &l_account, &l_holder, &l_debit, &l_credit],
			)
			.await?;
		}
		// The webhook outbox, in the same transaction: one delivery per subscription that
		// wants the entry (its kind, a holder it names, within its key's scope).
		let first = expected.map_or(1, |c| c.seq + 1);
		if seq >= first {
			tx.execute(
				"INSERT INTO webhook_delivery (subscription, seq) \
				 SELECT s.id, e.seq FROM journal_entry e, webhook_subscription s \
				 JOIN api_key k ON k.id = s.api_key \
				 WHERE e.seq BETWEEN $1 AND $2 AND s.deleted_at IS NULL AND k.revoked_at IS NULL \
				   AND (s.kinds IS NULL OR e.kind = ANY (s.kinds)) \
				   AND EXISTS (SELECT 1 FROM journal_line l WHERE l.seq = e.seq \
				     AND (s.accounts IS NULL OR l.holder = ANY (s.accounts)) \
				     AND (k.accounts IS NULL OR l.holder = ANY (k.accounts)))",
				&[&first, &seq],
			)
			.await?;
		}
		for alert in alerts {
			tx.execute(
				"INSERT INTO reconciliation_alert (block, account, kind, ledger, chain) \
				 VALUES ($1, $2, $3, $4::text::numeric, $5::text::numeric)",
				&[
					&i64::from(alert.block),
					&alert.account,
					&alert.kind,
					&alert.ledger.to_string(),
					&alert.chain.to_string(),
				],
			)
			.await?;
		}
		if !alerts.is_empty() {
			tx.execute(
				"INSERT INTO alert_delivery (subscription, alert) \
				 SELECT s.id, a.id FROM reconciliation_alert a, webhook_subscription s \
				 JOIN api_key k ON k.id = s.api_key \
				 WHERE a.block = $1 AND s.deleted_at IS NULL AND k.revoked_at IS NULL \
				   AND k.accounts IS NULL \
				   AND (s.kinds IS NULL OR 'Reconciliation.Alert' = ANY (s.kinds))",
				&[&block_i],
			)
			.await?;
		}
		write_terms(&tx, block_i, &terms).await?;
		if let Some(time) = time {
			tx.execute(
				"INSERT INTO block_time (block, time) VALUES ($1, $2)",
				&[&block_i, &i64::try_from(time)?],
			)
			.await?;
		}
		tx.execute(
			"INSERT INTO ledger_cursor (id, block, block_hash, seq, head) VALUES (1, $1, $2, $3, $4) \
			 ON CONFLICT (id) DO UPDATE SET block = $1, block_hash = $2, seq = $3, head = $4",
			&[&block_i, &&hash[..], &seq, &&head[..]],
		)
		.await?;
		tx.commit().await?;
		Ok(Cursor { block, block_hash: hash, seq, head })
	}

	/// The balance of each account of each of `whos`: holder → account → balance.
	pub async fn holders_balances(
		&self,
		whos: &[String],
	) -> Result<std::collections::HashMap<String, std::collections::BTreeMap<String, i128>>> {
		let rows = self
			.client
			.query(
				"SELECT holder, account, balance::text FROM account_balance WHERE holder = ANY ($1)",
				&[&whos],
			)
			.await?;
		let mut out: std::collections::HashMap<String, std::collections::BTreeMap<String, i128>> =
			Default::default();
		for row in rows {
			out.entry(row.get(0)).or_default().insert(row.get(1), row.get::<_, String>(2).parse()?);
		}
		Ok(out)
	}

	/// The balance of each account of holder `who` (debits − credits).
	pub async fn holder_balances(&self, who: &str) -> Result<Vec<(String, i128)>> {
		let rows = self
			.client
			.query(
				"SELECT account, balance::text FROM account_balance WHERE holder = $1 ORDER BY account",
				&[&who],
			)
			.await?;
		rows.iter()
			.map(|row| Ok((row.get::<_, String>(0), row.get::<_, String>(1).parse()?)))
			.collect()
	}

	/// Every account of token `asset` with a balance: holders' free and held units, its
	/// suspense and dust.
	pub async fn asset_balances(&self, asset: u32) -> Result<Vec<(String, i128)>> {
		let rows = self
			.client
			.query(
				"SELECT account, balance::text FROM account_balance WHERE balance <> 0 \
				 AND (account LIKE 'holder/%/asset/' || $1 || '/%' \
				   OR account IN ('suspense/asset/' || $1, 'dust/asset/' || $1))",
				&[&asset.to_string()],
			)
			.await?;
		rows.iter()
			.map(|row| Ok((row.get::<_, String>(0), row.get::<_, String>(1).parse()?)))
			.collect()
	}

	/// The minimum balance of each of `assets` the books know.
	pub async fn min_balances(&self, assets: &[u32]) -> Result<BTreeMap<u32, u128>> {
		let ids: Vec<i64> = assets.iter().map(|a| i64::from(*a)).collect();
		let rows = self
			.client
			.query(
				"SELECT asset, min_balance::text FROM token_terms WHERE asset = ANY ($1)",
				&[&ids],
			)
			.await?;
		rows.iter().map(|row| Ok((asset_id(row.get(0))?, row.get::<_, &str>(1).parse()?))).collect()
	}

	/// Holder `who`'s terms per token, and the terms of those tokens.
	pub async fn terms_of(
		&self,
		who: &str,
	) -> Result<(BTreeMap<u32, HolderTerms>, BTreeMap<u32, TokenTerms>)> {
		let mut holder = BTreeMap::new();
		for row in self
			.client
			.query(
				"SELECT asset, frozen, lockups::text FROM holder_terms WHERE holder = $1",
				&[&who],
			)
			.await?
		{
			let lockups = serde_json::from_str(row.get::<_, &str>(2)).context("stored lock-ups")?;
			holder.insert(asset_id(row.get(0))?, HolderTerms { frozen: row.get(1), lockups });
		}
		let mut tokens = BTreeMap::new();
		for row in self
			.client
			.query(
				"SELECT t.asset, t.paused, t.min_balance::text FROM token_terms t \
				 WHERE t.asset IN (SELECT split_part(account, '/', 4)::bigint FROM account_balance \
				   WHERE holder = $1 AND account LIKE 'holder/%/asset/%')",
				&[&who],
			)
			.await?
		{
			let min_balance = row.get::<_, &str>(2).parse().context("stored minimum balance")?;
			tokens.insert(asset_id(row.get(0))?, TokenTerms { paused: row.get(1), min_balance });
		}
		Ok((holder, tokens))
	}

	/// The accounts object `object` of `pallet` was seen with.
	pub async fn mover_parties(&self, pallet: &str, object: &str) -> Result<Vec<String>> {
		let rows = self
			.client
			.query(
				"SELECT account FROM mover_party WHERE pallet = $1 AND object = $2",
				&[&pallet, &object],
			)
			.await?;
		Ok(rows.iter().map(|r| r.get(0)).collect())
	}

	/// The token hold accounts (`holder/…/asset/…/held/…`) whose balance is not zero.
	pub async fn asset_hold_accounts(&self) -> Result<Vec<String>> {
		let rows = self
			.client
			.query(
				"SELECT account FROM account_balance WHERE account LIKE 'holder/%/asset/%/held/%' \
				 AND balance <> 0",
				&[],
			)
			.await?;
		Ok(rows.iter().map(|r| r.get(0)).collect())
	}

	/// The balance of one account (0 if it never moved).
	pub async fn balance(&self, account: &str) -> Result<i128> {
		let row = self
			.client
			.query_one(
				"SELECT coalesce((SELECT balance FROM account_balance WHERE account = $1), 0)::text",
				&[&account],
			)
			.await?;
		Ok(row.get::<_, String>(0).parse()?)
	}

	/// Entries `from..=to` (by `seq`) with their stored hashes, in order.
	pub async fn entries(&self, from: i64, to: i64) -> Result<Vec<(Entry, [u8; 32])>> {
		let rows = self
			.client
			.query(
				"SELECT e.seq, e.block, e.phase, e.event_index, e.kind, e.hash, \
				        l.account, l.debit::text, l.credit::text \
				 FROM journal_entry e JOIN journal_line l ON l.seq = e.seq \
				 WHERE e.seq BETWEEN $1 AND $2 ORDER BY e.seq, l.line",
				&[&from, &to],
			)
			.await?;
		let mut out: Vec<(Entry, [u8; 32])> = Vec::new();
		for row in rows {
			let seq: i64 = row.get(0);
			let line = Line {
				account: row.get(6),
				debit: row.get::<_, String>(7).parse()?,
				credit: row.get::<_, String>(8).parse()?,
			};
			match out.last_mut() {
				Some((entry, _)) if entry.seq == seq => entry.lines.push(line),
				_ => out.push((
					Entry {
						seq,
						block: u32::try_from(row.get::<_, i64>(1))?,
						phase: row.get(2),
						event_index: u32::try_from(row.get::<_, i64>(3))?,
						kind: row.get(4),
						lines: vec![line],
					},
					hash32(row.get(5))?,
				)),
			}
		}
		Ok(out)
	}

	/// The alerts found so far with their ids, oldest first; or only alert `only`.
	pub async fn alerts(&self, only: Option<i64>) -> Result<Vec<(i64, Alert)>> {
		let rows = self
			.client
			.query(
				"SELECT id, block, account, kind, ledger::text, chain::text FROM reconciliation_alert \
				 WHERE $1::bigint IS NULL OR id = $1 ORDER BY id",
				&[&only],
			)
			.await?;
		rows.iter()
			.map(|row| {
				let alert = Alert {
					block: u32::try_from(row.get::<_, i64>(1))?,
					account: row.get(2),
					kind: row.get(3),
					ledger: row.get::<_, String>(4).parse()?,
					chain: row.get::<_, String>(5).parse()?,
				};
				Ok((row.get(0), alert))
			})
			.collect()
	}
}

fn asset_id(stored: i64) -> Result<u32> {
	u32::try_from(stored).map_err(|_| anyhow!("a stored asset id out of range: {stored}"))
}

/// Replaces the terms of the holders and tokens a block touched (a holder left with none loses
/// its row).
async fn write_terms(
	tx: &tokio_postgres::Transaction<'_>,
	block: i64,
	terms: &Terms,
) -> Result<()> {
	if !terms.holders.is_empty() {
		let holders: Vec<&str> = terms.holders.iter().map(|(_, who, _)| who.as_str()).collect();
		let assets: Vec<i64> =
			terms.holders.iter().map(|(asset, _, _)| i64::from(*asset)).collect();
		tx.execute(
			"DELETE FROM holder_terms t USING unnest($1::text[], $2::bigint[]) AS d(h, a) \
			 WHERE t.holder = d.h AND t.asset = d.a",
			&[&holders, &assets],
		)
		.await?;
		let kept: Vec<&(u32, String, HolderTerms)> =
			terms.holders.iter().filter(|(_, _, t)| !t.is_empty()).collect();
		let holders: Vec<&str> = kept.iter().map(|(_, who, _)| who.as_str()).collect();
		let assets: Vec<i64> = kept.iter().map(|(asset, _, _)| i64::from(*asset)).collect();
		let frozen: Vec<bool> = kept.iter().map(|(_, _, t)| t.frozen).collect();
		let lockups = kept
			.iter()
			.map(|(_, _, t)| serde_json::to_string(&t.lockups))
			.collect::<Result<Vec<String>, _>>()?;
		tx.execute(
			"INSERT INTO holder_terms (holder, asset, frozen, lockups, block) \
			 SELECT h, a, f, l::jsonb, $5 FROM unnest($1::text[], $2::bigint[], $3::boolean[], \
			 $4::text[]) AS t(h, a, f, l)",
			&[&holders, &assets, &frozen, &lockups, &block],
		)
		.await?;
	}
	if !terms.tokens.is_empty() {
		let assets: Vec<i64> = terms.tokens.iter().map(|(asset, _)| i64::from(*asset)).collect();
		let paused: Vec<bool> = terms.tokens.iter().map(|(_, t)| t.paused).collect();
		let minimums: Vec<String> =
			terms.tokens.iter().map(|(_, t)| t.min_balance.to_string()).collect();
		tx.execute(
			"INSERT INTO token_terms (asset, paused, min_balance, block) \
			 SELECT a, p, m::numeric, $4 FROM unnest($1::bigint[], $2::boolean[], $3::text[]) \
			 AS t(a, p, m) \
			 ON CONFLICT (asset) DO UPDATE SET paused = EXCLUDED.paused, \
			   min_balance = EXCLUDED.min_balance, block = EXCLUDED.block",
			&[&assets, &paused, &minimums, &block],
		)
		.await?;
	}
	Ok(())
}
