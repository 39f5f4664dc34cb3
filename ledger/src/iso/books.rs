//! The gateway's tables (`schema.sql`, `iso_*`): the directory, the currency table, the messages
//! received and their transfers, and the idempotency keys; and what the gateway reads of the
//! books (finalized extrinsics, their events, an account's token lines).

use crate::store::Store;
use anyhow::{anyhow, Context, Result};
use std::collections::HashMap;
use tokio_postgres::Row;

/// A directory entry: how messages name an account, the chain account, its owner's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DirectoryEntry {
	pub key: String,
	/// SS58.
	pub account: String,
	pub owner: Option<String>,
}

/// A currency and the token that carries it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CurrencyEntry {
	pub currency: String,
	pub asset: u32,
	pub decimals: u8,
}

/// A message as received.
#[derive(Clone, Debug)]
pub struct MessageRow {
	pub id: i64,
	pub msg_id: Option<String>,
	pub kind: Option<String>,
	pub created: Option<String>,
	pub raw: Vec<u8>,
	pub reason_code: Option<String>,
	pub reason: Option<String>,
	/// Milliseconds since the epoch.
	pub received_at: i64,
}

/// One transfer of a message and what became of it.
#[derive(Clone, Debug)]
pub struct PaymentRow {
	pub id: i64,
	pub message: i64,
	pub position: i32,
	pub end_to_end_id: String,
	/// `rejected`, `submitted`, `settled` or `pending` (held for a compliance review).
	pub status: String,
	pub reason_code: Option<String>,
	pub reason: Option<String>,
	pub debtor: Option<String>,
	pub creditor: Option<String>,
	pub asset: Option<u32>,
	pub units: Option<u128>,
	pub extrinsic: Option<[u8; 32]>,
	pub valid_until: Option<u32>,
	pub block: Option<u32>,
	pub extrinsic_index: Option<u32>,
	pub block_time: Option<u64>,
	/// Milliseconds since the epoch.
	pub accepted_at: i64,
	/// The review case of a transfer held for review.
	pub review_case: Option<String>,
}

/// A transfer about to be sent: recorded, with its idempotency keys, before it is.
pub struct Claim<'a> {
	pub message: i64,
	pub position: i32,
	pub end_to_end_id: &'a str,
	pub keys: &'a [String],
	pub debtor: &'a str,
	pub creditor: &'a str,
	pub asset: u32,
	pub units: u128,
	pub travel_rule: [u8; 32],
	pub extrinsic: [u8; 32],
	pub valid_until: u32,
}

/// A line of a book account, with its entry.
#[derive(Clone, Debug)]
pub struct AccountLine {
	pub seq: i64,
	pub block: u32,
	/// `ApplyExtrinsic(3)`, `Finalization`, …
	pub phase: String,
	/// Debit − credit: what the line added to the account.
	pub delta: i128,
	/// The entry's kind (`Assets.Transferred`, …).
	pub kind: String,
	/// The other holders the entry names.
	pub counterparties: Vec<String>,
}

const PAYMENT_COLUMNS: &str = "id, message, position, end_to_end_id, status, reason_code, reason, \
	debtor, creditor, asset, units::text, extrinsic, valid_until, block, extrinsic_index, \
	block_time, (extract(epoch FROM accepted_at) * 1000)::bigint, review_case";

fn payment(row: &Row) -> Result<PaymentRow> {
	let units: Option<String> = row.get(10);
	let extrinsic: Option<Vec<u8>> = row.get(11);
	Ok(PaymentRow {
		id: row.get(0),
		message: row.get(1),
		position: row.get(2),
		end_to_end_id: row.get(3),
		status: row.get(4),
		reason_code: row.get(5),
		reason: row.get(6),
		debtor: row.get(7),
		creditor: row.get(8),
		asset: row.get::<_, Option<i64>>(9).map(u32::try_from).transpose()?,
		units: units.map(|u| u.parse()).transpose()?,
		extrinsic: extrinsic
			.map(|h| <[u8; 32]>::try_from(h.as_slice()))
			.transpose()
			.map_err(|_| anyhow!("a stored extrinsic hash is not 32 bytes"))?,
		valid_until: row.get::<_, Option<i64>>(12).map(u32::try_from).transpose()?,
		block: row.get::<_, Option<i64>>(13).map(u32::try_from).transpose()?,
		extrinsic_index: row.get::<_, Option<i32>>(14).map(u32::try_from).transpose()?,
		block_time: row.get::<_, Option<i64>>(15).map(u64::try_from).transpose()?,
		accepted_at: row.get(16),
		review_case: row.get(17),
	})
}

const MESSAGE_COLUMNS: &str = "id, msg_id, kind, created, raw, reason_code, reason, \
	(extract(epoch FROM received_at) * 1000)::bigint";

fn message(row: &Row) -> MessageRow {
	MessageRow {
		id: row.get(0),
		msg_id: row.get(1),
		kind: row.get(2),
		created: row.get(3),
		raw: row.get(4),
		reason_code: row.get(5),
		reason: row.get(6),
		received_at: row.get(7),
	}
}

impl Store {
	pub async fn put_directory(&self, entry: &DirectoryEntry) -> Result<()> {
		self.client
			.execute(
				"INSERT INTO iso_directory (key, account, owner) VALUES ($1, $2, $3) \
				 ON CONFLICT (key) DO UPDATE SET account = $2, owner = $3, updated_at = now()",
				&[&entry.key, &entry.account, &entry.owner],
			)
			.await?;
		Ok(())
	}

	/// The directory entries for `keys`.
	pub async fn directory(&self, keys: &[String]) -> Result<HashMap<String, DirectoryEntry>> {
		let rows = self
			.client
			.query("SELECT key, account, owner FROM iso_directory WHERE key = ANY ($1)", &[&keys])
			.await?;
		Ok(rows
			.iter()
			.map(|r| {
				let entry = DirectoryEntry { key: r.get(0), account: r.get(1), owner: r.get(2) };
				(entry.key.clone(), entry)
			})
			.collect())
	}

	/// How the directory names chain account `account` (its first key, by name).
	pub async fn directory_of(&self, account: &str) -> Result<Option<DirectoryEntry>> {
		let row = self
			.client
			.query_opt(
				"SELECT key, account, owner FROM iso_directory WHERE account = $1 ORDER BY key LIMIT 1",
				&[&account],
			)
			.await?;
		Ok(row.map(|r| DirectoryEntry { key: r.get(0), account: r.get(1), owner: r.get(2) }))
	}

	pub async fn put_currency(&self, entry: &CurrencyEntry) -> Result<()> {
		self.client
			.execute(
				"INSERT INTO iso_currency (currency, asset, decimals) VALUES ($1, $2, $3) \
				 ON CONFLICT (currency) DO UPDATE SET asset = $2, decimals = $3, updated_at = now()",
				&[&entry.currency, &i64::from(entry.asset), &i16::from(entry.decimals)],
			)
			.await
			.context("the currency table (each token carries one currency)")?;
		Ok(())
	}

	pub async fn currencies(&self) -> Result<Vec<CurrencyEntry>> {
		let rows = self
			.client
			.query("SELECT currency, asset, decimals FROM iso_currency ORDER BY currency", &[])
			.await?;
		rows.iter()
			.map(|r| {
				Ok(CurrencyEntry {
					currency: r.get(0),
					asset: u32::try_from(r.get::<_, i64>(1))?,
					decimals: u8::try_from(r.get::<_, i16>(2))?,
				})
			})
			.collect()
	}

	/// Records a message as received; its id.
	#[allow(clippy::too_many_arguments)]
	pub async fn insert_message(
		&self,
		msg_id: Option<&str>,
		kind: Option<&str>,
		created: Option<&str>,
		raw: &[u8],
		sha256: &[u8; 32],
		refused: Option<(&str, &str)>,
		source: &str,
	) -> Result<i64> {
		let row = self
			.client
			.query_one(
				"INSERT INTO iso_message (msg_id, kind, created, raw, sha256, reason_code, reason, \
				 source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
				&[
					&msg_id,
					&kind,
					&created,
					&raw,
					&&sha256[..],
					&refused.map(|r| r.0),
					&refused.map(|r| r.1),
					&source,
				],
			)
			.await?;
		Ok(row.get(0))
	}

	/// Records a transfer refused before submission (and its status report's deliveries).
	pub async fn insert_refused(
		&self,
		message: i64,
		position: i32,
		end_to_end_id: &str,
		code: &str,
		reason: &str,
	) -> Result<()> {
		let row = self
			.client
			.query_one(
				"INSERT INTO iso_payment (message, position, end_to_end_id, status, reason_code, \
				 reason, decided_at) VALUES ($1, $2, $3, 'rejected', $4, $5, now()) RETURNING id",
				&[&message, &position, &end_to_end_id, &code, &reason],
			)
			.await?;
		self.report_decision(row.get(0)).await
	}

	/// Queues the status report of decided transfer `payment` for the operators' `iso20022`
	/// webhook subscriptions.
	async fn report_decision(&self, payment: i64) -> Result<()> {
		self.client
			.execute(
				"INSERT INTO report_delivery (subscription, payment, status) \
				 SELECT s.id, p.id, p.status FROM iso_payment p, webhook_subscription s \
				 JOIN api_key k ON k.id = s.api_key \
				 WHERE p.id = $1 AND s.format = 'iso20022' AND s.deleted_at IS NULL \
				   AND k.revoked_at IS NULL AND k.accounts IS NULL ON CONFLICT DO NOTHING",
				&[&payment],
			)
			.await?;
		Ok(())
	}

	/// Records a transfer about to be sent and claims its idempotency keys, in one
	/// transaction: `Err(payment)` with the payment that already holds one of the keys.
	pub async fn claim(&mut self, claim: &Claim<'_>) -> Result<Result<i64, i64>> {
		let tx = self.client.transaction().await?;
		let held = tx
			.query_opt(
				"SELECT payment FROM iso_payment_key WHERE key = ANY ($1) LIMIT 1",
				&[&claim.keys],
			)
			.await?;
		if let Some(row) = held {
			return Ok(Err(row.get(0)));
		}
		let row = tx
			.query_one(
				"INSERT INTO iso_payment (message, position, end_to_end_id, status, debtor, \
				 creditor, asset, units, travel_rule, extrinsic, valid_until) \
				 VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7::text::numeric, $8, $9, $10) \
				 RETURNING id",
				&[
					&claim.message,
					&claim.position,
					&claim.end_to_end_id,
					&claim.debtor,
					&claim.creditor,
					&i64::from(claim.asset),
					&claim.units.to_string(),
					&&claim.travel_rule[..],
					&&claim.extrinsic[..],
					&i64::from(claim.valid_until),
				],
			)
			.await?;
		let id: i64 = row.get(0);
		tx.execute(
			"INSERT INTO iso_payment_key (key, payment) SELECT unnest($1::text[]), $2",
			&[&claim.keys, &id],
		)
		.await?;
		tx.commit().await?;
		Ok(Ok(id))
	}

	/// A transfer recorded but never accepted by the node: refused, and its keys freed (nothing
	/// was paid, so the same references may pay later).
	pub async fn unsent(&mut self, payment: i64, code: &str, reason: &str) -> Result<()> {
		let tx = self.client.transaction().await?;
		tx.execute("DELETE FROM iso_payment_key WHERE payment = $1", &[&payment]).await?;
		tx.execute(
			"UPDATE iso_payment SET status = 'rejected', reason_code = $2, reason = $3, \
			 decided_at = now() WHERE id = $1",
			&[&payment, &code, &reason],
		)
		.await?;
		tx.commit().await?;
		self.report_decision(payment).await
	}

	/// Transfers sent and not yet decided, oldest first.
	pub async fn open_payments(&self, limit: i64) -> Result<Vec<PaymentRow>> {
		let rows = self
			.client
			.query(
				&format!(
					"SELECT {PAYMENT_COLUMNS} FROM iso_payment WHERE status = 'submitted' \
					 ORDER BY id LIMIT $1"
				),
				&[&limit],
			)
			.await?;
		rows.iter().map(payment).collect()
	}

	/// What became of a sent transfer: `settled` or `pending` (in a finalized block; `case`, the
	/// review case of a pending one) or `rejected` (refused in one, or never included), with
	/// where and when.
	pub async fn decide(
		&self,
		payment: i64,
		status: &str,
		reason: Option<(&str, &str)>,
		at: Option<(u32, u32, u64)>,
		case: Option<&str>,
	) -> Result<()> {
		let changed = self
			.client
			.execute(
				"UPDATE iso_payment SET status = $2, reason_code = $3, reason = $4, block = $5, \
				 extrinsic_index = $6, block_time = $7, review_case = $8, decided_at = now() \
				 WHERE id = $1 AND status = 'submitted'",
				&[
					&payment,
					&status,
					&reason.map(|r| r.0),
					&reason.map(|r| r.1),
					&at.map(|a| i64::from(a.0)),
					&at.map(|a| a.1 as i32),
					&at.map(|a| a.2 as i64),
					&case,
				],
			)
			.await?;
		if changed > 0 {
			self.report_decision(payment).await?;
		}
		Ok(())
	}

	/// The transfer a status report's delivery is about.
	pub async fn reported_payment(&self, delivery: i64) -> Result<Option<i64>> {
		let row = self
			.client
			.query_opt("SELECT payment FROM report_delivery WHERE id = $1", &[&delivery])
			.await?;
		Ok(row.map(|r| r.get(0)))
	}

	/// Transfers held for review, oldest first.
	pub async fn pending_reviews(&self, limit: i64) -> Result<Vec<PaymentRow>> {
		let rows = self
			.client
			.query(
				&format!(
					"SELECT {PAYMENT_COLUMNS} FROM iso_payment WHERE status = 'pending' \
					 AND review_case IS NOT NULL ORDER BY id LIMIT $1"
				),
				&[&limit],
			)
			.await?;
		rows.iter().map(payment).collect()
	}

	/// The end of a review: `settled` (approved) or `rejected`, at the time of the block that
	/// ended it.
	pub async fn end_review(
		&self,
		payment: i64,
		status: &str,
		reason: Option<(&str, &str)>,
		time: u64,
	) -> Result<()> {
		let changed = self
			.client
			.execute(
				"UPDATE iso_payment SET status = $2, reason_code = $3, reason = $4, \
				 block_time = $5, decided_at = now() WHERE id = $1 AND status = 'pending'",
				&[&payment, &status, &reason.map(|r| r.0), &reason.map(|r| r.1), &(time as i64)],
			)
			.await?;
		if changed > 0 {
			self.report_decision(payment).await?;
		}
		Ok(())
	}

	/// The review case the compliance pallet opened for extrinsic `index` of booked block
	/// `block` (its `TransferHeld` event).
	pub async fn held_case(&self, block: u32, index: u32) -> Result<Option<String>> {
		let events = self.phase_events(block, &format!("ApplyExtrinsic({index})")).await?;
		Ok(events
			.into_iter()
			.find(|(pallet, name, _)| pallet == "Compliance" && name == "TransferHeld")
			.and_then(|(_, _, object)| object))
	}

	/// How review case `case` ended in the books, if it has: the event's name and block.
	pub async fn review_end(&self, case: &str) -> Result<Option<(String, u32)>> {
		let row = self
			.client
			.query_opt(
				"SELECT name, block FROM chain_event WHERE pallet = 'Compliance' AND object = $1 \
				 AND name IN ('CaseApproved', 'CaseRejected', 'CaseExpired') ORDER BY block LIMIT 1",
				&[&case],
			)
			.await?;
		row.map(|r| Ok((r.get(0), u32::try_from(r.get::<_, i64>(1))?))).transpose()
	}

	/// The messages received with `MsgId` `msg_id`, oldest first.
	pub async fn messages_by_msg_id(&self, msg_id: &str) -> Result<Vec<MessageRow>> {
		let rows = self
			.client
			.query(
				&format!("SELECT {MESSAGE_COLUMNS} FROM iso_message WHERE msg_id = $1 ORDER BY id"),
				&[&msg_id],
			)
			.await?;
		Ok(rows.iter().map(message).collect())
	}

	pub async fn message(&self, id: i64) -> Result<Option<MessageRow>> {
		let row = self
			.client
			.query_opt(&format!("SELECT {MESSAGE_COLUMNS} FROM iso_message WHERE id = $1"), &[&id])
			.await?;
		Ok(row.as_ref().map(message))
	}

	/// A message's transfers, in the message's order.
	pub async fn payments_of(&self, message: i64) -> Result<Vec<PaymentRow>> {
		let rows = self
			.client
			.query(
				&format!(
					"SELECT {PAYMENT_COLUMNS} FROM iso_payment WHERE message = $1 ORDER BY position"
				),
				&[&message],
			)
			.await?;
		rows.iter().map(payment).collect()
	}

	pub async fn payment(&self, id: i64) -> Result<Option<PaymentRow>> {
		let row = self
			.client
			.query_opt(&format!("SELECT {PAYMENT_COLUMNS} FROM iso_payment WHERE id = $1"), &[&id])
			.await?;
		row.as_ref().map(payment).transpose()
	}

	/// The gateway's transfer sent as extrinsic `hash`, if any.
	pub async fn payment_by_extrinsic(&self, hash: &[u8; 32]) -> Result<Option<PaymentRow>> {
		let row = self
			.client
			.query_opt(
				&format!("SELECT {PAYMENT_COLUMNS} FROM iso_payment WHERE extrinsic = $1 LIMIT 1"),
				&[&&hash[..]],
			)
			.await?;
		row.as_ref().map(payment).transpose()
	}

	/// Where the books have extrinsic `hash`: (block, index) if it is in a booked (finalized)
	/// block.
	pub async fn booked_extrinsic(&self, hash: &[u8; 32]) -> Result<Option<(u32, u32)>> {
		match self.extrinsic_at(hash).await? {
			Some((block, index)) => Ok(Some((block, u32::try_from(index)?))),
			None => Ok(None),
		}
	}

	/// The hash of extrinsic `index` of booked block `block`.
	pub async fn extrinsic_hash(&self, block: u32, index: u32) -> Result<Option<[u8; 32]>> {
		let row = self
			.client
			.query_opt(
				"SELECT hash FROM chain_extrinsic WHERE block = $1 AND extrinsic_index = $2",
				&[&i64::from(block), &(index as i32)],
			)
			.await?;
		row.map(|r| {
			<[u8; 32]>::try_from(r.get::<_, Vec<u8>>(0).as_slice())
				.map_err(|_| anyhow!("a stored extrinsic hash is not 32 bytes"))
		})
		.transpose()
	}

	/// The events extrinsic `index` of booked block `block` emitted: (pallet, name, fields).
	pub async fn extrinsic_events(
		&self,
		block: u32,
		index: u32,
	) -> Result<Vec<(String, String, Vec<u8>)>> {
		let rows = self
			.client
			.query(
				"SELECT pallet, name, fields FROM chain_event WHERE block = $1 AND phase = $2 \
				 ORDER BY event_index",
				&[&i64::from(block), &format!("ApplyExtrinsic({index})")],
			)
			.await?;
		Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
	}

	/// Booked block `block`'s timestamp (ms).
	pub async fn block_time(&self, block: u32) -> Result<Option<u64>> {
		let row = self
			.client
			.query_opt("SELECT time FROM block_time WHERE block = $1", &[&i64::from(block)])
			.await?;
		row.map(|r| Ok(u64::try_from(r.get::<_, i64>(0))?)).transpose()
	}

	/// The first booked block whose time is at or after `time` (ms); `None` if none is yet.
	pub async fn first_block_at_or_after(&self, time: u64) -> Result<Option<u32>> {
		let row = self
			.client
			.query_one(
				"SELECT min(block) FROM block_time WHERE time >= $1",
				&[&i64::try_from(time)?],
			)
			.await?;
		row.get::<_, Option<i64>>(0).map(|b| Ok(u32::try_from(b)?)).transpose()
	}

	/// The balance of book account `account` after every block before `block`.
	pub async fn balance_before(&self, account: &str, block: u32) -> Result<i128> {
		let row = self
			.client
			.query_one(
				"SELECT coalesce(sum(l.debit - l.credit), 0)::text FROM journal_line l \
				 JOIN journal_entry e ON e.seq = l.seq WHERE l.account = $1 AND e.block < $2",
				&[&account, &i64::from(block)],
			)
			.await?;
		Ok(row.get::<_, String>(0).parse()?)
	}

	/// The lines of book account `account` in blocks `from..=to`, with the entry's block and
	/// phase and the other holders its entry names.
	pub async fn account_lines(
		&self,
		account: &str,
		holder: &str,
		from: u32,
		to: u32,
	) -> Result<Vec<AccountLine>> {
		let rows = self
			.client
			.query(
				"SELECT e.seq, e.block, e.phase, (l.debit - l.credit)::text, e.kind, \
				 coalesce((SELECT array_agg(DISTINCT o.holder) FROM journal_line o \
				   WHERE o.seq = e.seq AND o.holder IS NOT NULL AND o.holder <> $2), '{}') \
				 FROM journal_line l JOIN journal_entry e ON e.seq = l.seq \
				 WHERE l.account = $1 AND e.block BETWEEN $3 AND $4 ORDER BY e.seq, l.line",
				&[&account, &holder, &i64::from(from), &i64::from(to)],
			)
			.await?;
		rows.iter()
			.map(|r| {
				Ok(AccountLine {
					seq: r.get(0),
					block: u32::try_from(r.get::<_, i64>(1))?,
					phase: r.get(2),
					delta: r.get::<_, String>(3).parse()?,
					kind: r.get(4),
					counterparties: r.get(5),
				})
			})
			.collect()
	}
}
