//! The store's reads and writes for the API, its keys and webhook subscriptions (booking and
//! reading the journal itself: [`crate::store`]).

use crate::{audit::Entry, store::Store};
use anyhow::Result;

/// An API key's identity and scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
	pub key_id: i64,
	/// The holders it may read; `None`: every account (an operator's key).
	pub accounts: Option<Vec<String>>,
}

impl Caller {
	pub fn may_read(&self, who: &str) -> bool {
		self.accounts.as_ref().is_none_or(|accounts| accounts.iter().any(|a| a == who))
	}
}

/// A webhook subscription as its owner sees it (without the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
	pub id: i64,
	pub url: String,
	pub accounts: Option<Vec<String>>,
	pub kinds: Option<Vec<String>>,
	/// `json` or `iso20022`.
	pub format: String,
}

/// One delivery of the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
	pub subscription: i64,
	pub seq: i64,
	pub attempts: i32,
	/// `pending`, `delivered` or `dead`.
	pub status: String,
	pub last_error: Option<String>,
}

/// Counts for `/metrics`.
pub struct Counts {
	pub block: i64,
	pub entries: i64,
	pub alerts: i64,
	pub pending: i64,
	pub dead: i64,
}

impl Store {
	pub async fn metrics(&self) -> Result<Counts> {
		let row = self
			.client
			.query_one(
				"SELECT (SELECT coalesce(max(block), 0) FROM ledger_cursor), \
				        (SELECT coalesce(max(seq), 0) FROM ledger_cursor), \
				        (SELECT count(*) FROM reconciliation_alert), \
				        (SELECT count(*) FROM webhook_delivery WHERE delivered_at IS NULL AND dead_at IS NULL) \
				        + (SELECT count(*) FROM alert_delivery WHERE delivered_at IS NULL AND dead_at IS NULL), \
				        (SELECT count(*) FROM webhook_delivery WHERE dead_at IS NOT NULL) \
				        + (SELECT count(*) FROM alert_delivery WHERE dead_at IS NOT NULL)",
				&[],
			)
			.await?;
		Ok(Counts {
			block: row.get(0),
			entries: row.get(1),
			alerts: row.get(2),
			pending: row.get(3),
			dead: row.get(4),
		})
	}

	pub async fn create_key(
		&self,
		name: &str,
		hash: &[u8; 32],
		accounts: Option<&[String]>,
	) -> Result<i64> {
		let accounts = accounts.map(|a| a.to_vec());
		let row = self
			.client
			.query_one(
				"INSERT INTO api_key (name, key_hash, accounts) VALUES ($1, $2, $3) RETURNING id",
				&[&name, &&hash[..], &accounts],
			)
			.await?;
		Ok(row.get(0))
	}

	/// The caller a key (by its hash) identifies, unless unknown or revoked.
	pub async fn caller(&self, hash: &[u8; 32]) -> Result<Option<Caller>> {
		let row = self
			.client
			.query_opt(
				"SELECT id, accounts FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL",
				&[&&hash[..]],
			)
			.await?;
		Ok(row.map(|row| Caller { key_id: row.get(0), accounts: row.get(1) }))
	}

	/// Revokes key `id`; its subscriptions stop receiving. False if there is no such live key.
	pub async fn revoke_key(&self, id: i64) -> Result<bool> {
		let n = self
			.client
			.execute(
				"UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
				&[&id],
			)
			.await?;
		Ok(n == 1)
	}

	/// Live keys: id, name, scope.
	pub async fn keys(&self) -> Result<Vec<(i64, String, Option<Vec<String>>)>> {
		let rows = self
			.client
			.query(
				"SELECT id, name, accounts FROM api_key WHERE revoked_at IS NULL ORDER BY id",
				&[],
			)
			.await?;
		Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
	}

	/// Whether the books have ever moved an account of holder `who`.
	pub async fn holder_known(&self, who: &str) -> Result<bool> {
		let row = self
			.client
			.query_opt("SELECT 1 FROM account_balance WHERE holder = $1 LIMIT 1", &[&who])
			.await?;
		Ok(row.is_some())
	}

	/// Holders in the books after `after` (in SS58 order), at most `limit`, within `scope`.
	pub async fn holders(
		&self,
		after: &str,
		limit: i64,
		scope: Option<&[String]>,
	) -> Result<Vec<String>> {
		let scope = scope.map(|s| s.to_vec());
		let rows = self
			.client
			.query(
				"SELECT DISTINCT holder FROM account_balance WHERE holder > $1 \
				 AND ($3::text[] IS NULL OR holder = ANY ($3)) ORDER BY holder LIMIT $2",
				&[&after, &limit, &scope],
			)
			.await?;
		Ok(rows.iter().map(|r| r.get(0)).collect())
	}

	/// The `seq`s of entries after `after` that move an account of `holder` (or any entry,
	/// with `None`), at most `limit`.
	pub async fn entry_seqs(
		&self,
		holder: Option<&str>,
		after: i64,
		limit: i64,
	) -> Result<Vec<i64>> {
		let rows = match holder {
			Some(who) => {
				self.client
					.query(
						"SELECT DISTINCT seq FROM journal_line WHERE holder = $1 AND seq > $2 \
						 ORDER BY seq LIMIT $3",
						&[&who, &after, &limit],
					)
					.await?
			}
			None => {
				self.client
					.query(
						"SELECT seq FROM journal_entry WHERE seq > $1 ORDER BY seq LIMIT $2",
						&[&after, &limit],
					)
					.await?
			}
		};
		Ok(rows.iter().map(|r| r.get(0)).collect())
	}

	/// The entries with these `seq`s (ascending), with their hashes.
	pub async fn entries_at(&self, seqs: &[i64]) -> Result<Vec<(Entry, [u8; 32])>> {
		match (seqs.first(), seqs.last()) {
			(Some(&first), Some(&last)) => {
				let mut entries = self.entries(first, last).await?;
				entries.retain(|(e, _)| seqs.binary_search(&e.seq).is_ok());
				Ok(entries)
			}
			_ => Ok(vec![]),
		}
	}

	pub async fn create_subscription(
		&self,
		key_id: i64,
		url: &str,
		secret: &str,
		accounts: Option<&[String]>,
		kinds: Option<&[String]>,
		format: &str,
	) -> Result<i64> {
		let (accounts, kinds) = (accounts.map(|a| a.to_vec()), kinds.map(|k| k.to_vec()));
		let row = self
			.client
			.query_one(
				"INSERT INTO webhook_subscription (api_key, url, secret, accounts, kinds, format) \
				 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				&[&key_id, &url, &secret, &accounts, &kinds, &format],
			)
			.await?;
		Ok(row.get(0))
	}

	/// The live subscriptions of key `key_id`.
	pub async fn subscriptions(&self, key_id: i64) -> Result<Vec<Subscription>> {
		let rows = self
			.client
			.query(
				"SELECT id, url, accounts, kinds, format FROM webhook_subscription \
				 WHERE api_key = $1 AND deleted_at IS NULL ORDER BY id",
				&[&key_id],
			)
			.await?;
		Ok(rows
			.iter()
			.map(|r| Subscription {
				id: r.get(0),
				url: r.get(1),
				accounts: r.get(2),
				kinds: r.get(3),
				format: r.get(4),
			})
			.collect())
	}

	/// Whether key `key_id` has the live subscription `id`.
	pub async fn owns_subscription(&self, key_id: i64, id: i64) -> Result<bool> {
		let row = self
			.client
			.query_opt(
				"SELECT 1 FROM webhook_subscription WHERE id = $1 AND api_key = $2 \
				 AND deleted_at IS NULL",
				&[&id, &key_id],
			)
			.await?;
		Ok(row.is_some())
	}

	/// Ends subscription `id` of key `key_id`: nothing more is queued or delivered for it.
	pub async fn delete_subscription(&self, key_id: i64, id: i64) -> Result<bool> {
		let n = self
			.client
			.execute(
				"UPDATE webhook_subscription SET deleted_at = now() \
				 WHERE id = $1 AND api_key = $2 AND deleted_at IS NULL",
				&[&id, &key_id],
			)
			.await?;
		Ok(n == 1)
	}

	/// Deliveries of subscription `id` after entry `after`, optionally of one status.
	pub async fn deliveries(
		&self,
		id: i64,
		status: Option<&str>,
		after: i64,
		limit: i64,
	) -> Result<Vec<Delivery>> {
		let rows = self
			.client
			.query(
				"SELECT subscription, seq, attempts, status, last_error FROM ( \
				   SELECT subscription, seq, attempts, last_error, CASE \
				     WHEN delivered_at IS NOT NULL THEN 'delivered' \
				     WHEN dead_at IS NOT NULL THEN 'dead' ELSE 'pending' END AS status \
				   FROM webhook_delivery WHERE subscription = $1 AND seq > $2) d \
				 WHERE $3::text IS NULL OR status = $3 ORDER BY seq LIMIT $4",
				&[&id, &after, &status, &limit],
			)
			.await?;
		Ok(rows
			.iter()
			.map(|r| Delivery {
				subscription: r.get(0),
				seq: r.get(1),
				attempts: r.get(2),
				status: r.get(3),
				last_error: r.get(4),
			})
			.collect())
	}

	/// Puts the dead deliveries of subscription `id` back in the queue; how many.
	pub async fn redrive(&self, id: i64) -> Result<u64> {
		Ok(self
			.client
			.execute(
				"UPDATE webhook_delivery SET dead_at = NULL, attempts = 0, next_attempt = now() \
				 WHERE subscription = $1 AND dead_at IS NOT NULL",
				&[&id],
			)
			.await?)
	}
}
