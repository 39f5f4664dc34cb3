//! The ledger in PostgreSQL: the event log, the journal (entries and their lines, hash-chained),
//! the cursor (the last block booked), and reconciliation alerts. A block is booked in one
//! transaction with the cursor, so a crash at any point leaves it booked wholly or not at all.

use crate::{
	audit::{Entry, GENESIS_HASH},
	events::ChainEvent,
	postings::{self, Line},
};
use anyhow::{anyhow, Context, Result};
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
		block: u32,
		hash: [u8; 32],
		events: &[ChainEvent],
		entries: Vec<(String, u32, String, Vec<Line>)>,
		alerts: &[Alert],
	) -> Result<Cursor> {
		let tx = self.client.transaction().await?;
		let current = tx
			.query_opt("SELECT block, seq FROM ledger_cursor WHERE id = 1 FOR UPDATE", &[])
			.await?
			.map(|row| (row.get::<_, i64>(0), row.get::<_, i64>(1)));
		if current != expected.map(|c| (i64::from(c.block), c.seq)) {
			return Err(anyhow!("the cursor moved under this writer (another tpw-ledger?)"));
		}
		let block_i = i64::from(block);
		for event in events {
			tx.execute(
				"INSERT INTO chain_event (block, event_index, block_hash, phase, pallet, name, fields) \
				 VALUES ($1, $2, $3, $4, $5, $6, $7)",
				&[
					&block_i,
					&i64::from(event.index),
					&&hash[..],
					&event.phase,
					&event.pallet,
					&event.name,
					&event.fields,
				],
			)
			.await?;
		}
		let (mut seq, mut head) = expected.map(|c| (c.seq, c.head)).unwrap_or((0, GENESIS_HASH));
		for (phase, event_index, kind, lines) in entries {
			seq += 1;
			let entry = Entry { seq, block, phase, event_index, kind, lines };
			head = entry.hash(&head);
			tx.execute(
				"INSERT INTO journal_entry (seq, block, phase, event_index, kind, hash) \
				 VALUES ($1, $2, $3, $4, $5, $6)",
				&[&seq, &block_i, &entry.phase, &i64::from(event_index), &entry.kind, &&head[..]],
			)
			.await?;
			for (n, line) in entry.lines.iter().enumerate() {
				tx.execute(
					"INSERT INTO journal_line (seq, line, account, holder, debit, credit) \
					 VALUES ($1, $2, $3, $4, $5::text::numeric, $6::text::numeric)",
					&[
						&seq,
						&(n as i32),
						&line.account,
						&postings::holder(&line.account),
						&line.debit.to_string(),
						&line.credit.to_string(),
					],
				)
				.await?;
			}
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
		tx.execute(
			"INSERT INTO ledger_cursor (id, block, block_hash, seq, head) VALUES (1, $1, $2, $3, $4) \
			 ON CONFLICT (id) DO UPDATE SET block = $1, block_hash = $2, seq = $3, head = $4",
			&[&block_i, &&hash[..], &seq, &&head[..]],
		)
		.await?;
		tx.commit().await?;
		Ok(Cursor { block, block_hash: hash, seq, head })
	}

	/// The balance of each account of holder `who` (debits − credits).
	pub async fn holder_balances(&self, who: &str) -> Result<Vec<(String, i128)>> {
		let rows = self
			.client
			.query(
				"SELECT account, (sum(debit) - sum(credit))::text FROM journal_line \
				 WHERE holder = $1 GROUP BY account ORDER BY account",
				&[&who],
			)
			.await?;
		rows.iter()
			.map(|row| Ok((row.get::<_, String>(0), row.get::<_, String>(1).parse()?)))
			.collect()
	}

	/// The balance of one account (0 if it never moved).
	pub async fn balance(&self, account: &str) -> Result<i128> {
		let row = self
			.client
			.query_one(
				"SELECT coalesce(sum(debit) - sum(credit), 0)::text FROM journal_line WHERE account = $1",
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

	pub async fn alerts(&self) -> Result<Vec<Alert>> {
		let rows = self
			.client
			.query(
				"SELECT block, account, kind, ledger::text, chain::text FROM reconciliation_alert ORDER BY id",
				&[],
			)
			.await?;
		rows.iter()
			.map(|row| {
				Ok(Alert {
					block: u32::try_from(row.get::<_, i64>(0))?,
					account: row.get(1),
					kind: row.get(2),
					ledger: row.get::<_, String>(3).parse()?,
					chain: row.get::<_, String>(4).parse()?,
				})
			})
			.collect()
	}
}
