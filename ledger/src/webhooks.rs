//! Webhook delivery: the outbox rows that booking wrote (`webhook_delivery` for journal entries,
//! `alert_delivery` for reconciliation alerts) are posted to their
//! subscribers, signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), at least once: a row
//! is marked delivered only after a 2xx, retried with exponential backoff otherwise, and dead
//! (listed, and redriven on request) after the last attempt. The `webhook-id` is the same on
//! every attempt, so a receiver that keeps the ids it has seen processes each entry once, and
//! one that refuses timestamps older than a few minutes refuses replays.

use crate::{
	iso,
	store::Store,
	views::{AlertView, EntryView},
};
use anyhow::{anyhow, Context, Result};
use base64::Engine;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::{client::legacy::Client, rt::TokioExecutor};
use serde::Serialize;
use sha2::Sha256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How deliveries are retried.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
	/// The wait after the first failure; doubled after each further one.
	pub base: Duration,
	/// The longest wait between two attempts.
	pub max_wait: Duration,
	/// Attempts before a delivery is dead.
	pub max_attempts: i32,
}

impl Default for Retry {
	fn default() -> Self {
		Self { base: Duration::from_secs(2), max_wait: Duration::from_secs(3600), max_attempts: 12 }
	}
}

impl Retry {
	/// The wait after `attempts` failed attempts (≥ 1).
	pub fn wait(&self, attempts: i32) -> Duration {
		let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(30);
		self.base.saturating_mul(1 << doublings).min(self.max_wait)
	}
}

/// The body of every webhook: the Standard Webhooks envelope around a journal entry or a
/// reconciliation alert.
#[derive(Serialize)]
struct Envelope<T: Serialize> {
	/// `journal.entry` or `reconciliation.alert`.
	r#type: &'static str,
	/// When the delivery was signed, in seconds since the epoch.
	timestamp: u64,
	data: T,
}

/// The `webhook-id` of entry `seq` for subscription `subscription`: the idempotency key.
pub fn message_id(subscription: i64, seq: i64) -> String {
	format!("tpwl-{subscription}-{seq}")
}

/// `v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`. The key is the secret's bytes
/// after `whsec_` (base64), as Standard Webhooks defines it.
pub fn sign(secret: &str, id: &str, timestamp: u64, body: &[u8]) -> Result<String> {
	let engine = base64::engine::general_purpose::STANDARD;
	let key = engine
		.decode(secret.strip_prefix(crate::keys::SECRET_PREFIX).unwrap_or(secret))
		.context("a webhook secret that is not base64")?;
	let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| anyhow!("{e}"))?;
	mac.update(format!("{id}.{timestamp}.").as_bytes());
	mac.update(body);
	Ok(format!("v1,{}", engine.encode(mac.finalize().into_bytes())))
}

/// The three outboxes: journal entries (`webhook_delivery`, by `seq`), reconciliation alerts
/// (`alert_delivery`, by `alert`) and the gateway's status reports (`report_delivery`, by its
/// `id`), delivered the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
	Entries,
	Alerts,
	Reports,
}

impl Queue {
	/// Its table and the column of what is delivered (fixed names, never input).
	fn table(self) -> (&'static str, &'static str) {
		match self {
			Queue::Entries => ("webhook_delivery", "seq"),
			Queue::Alerts => ("alert_delivery", "alert"),
			Queue::Reports => ("report_delivery", "id"),
		}
	}
}

/// A delivery due now, with what it needs.
struct Due {
	queue: Queue,
	subscription: i64,
	/// The entry's `seq`, or the alert's id.
	item: i64,
	attempts: i32,
	url: String,
	secret: String,
	/// `json` or `iso20022`.
	format: String,
	/// The holders the subscription names and those its key may read (`None`: any).
	accounts: Option<Vec<String>>,
	scope: Option<Vec<String>>,
}

impl Due {
	fn wants(&self, holder: &str) -> bool {
		let named = |list: &Option<Vec<String>>| {
			list.as_ref().is_none_or(|l| l.iter().any(|a| a == holder))
		};
		named(&self.accounts) && named(&self.scope)
	}
}

impl Store {
	async fn due_deliveries(&self, queue: Queue, limit: i64) -> Result<Vec<Due>> {
		let (table, item) = queue.table();
		let rows = self
			.client
			.query(
				&format!(
					"SELECT d.subscription, d.{item}, d.attempts, s.url, s.secret, s.format, \
					 s.accounts, k.accounts \
					 FROM {table} d JOIN webhook_subscription s ON s.id = d.subscription \
					 JOIN api_key k ON k.id = s.api_key \
					 WHERE d.delivered_at IS NULL AND d.dead_at IS NULL AND d.next_attempt <= now() \
					   AND s.deleted_at IS NULL ORDER BY d.next_attempt, d.{item} LIMIT $1"
				),
				&[&limit],
			)
			.await?;
		Ok(rows
			.iter()
			.map(|r| Due {
				queue,
				subscription: r.get(0),
				item: r.get(1),
				attempts: r.get(2),
				url: r.get(3),
				secret: r.get(4),
				format: r.get(5),
				accounts: r.get(6),
				scope: r.get(7),
			})
			.collect())
	}

	async fn delivered(&self, due: &Due, attempts: i32) -> Result<()> {
		let (table, item) = due.queue.table();
		self.client
			.execute(
				&format!(
					"UPDATE {table} SET delivered_at = now(), attempts = $3, last_error = NULL \
					 WHERE subscription = $1 AND {item} = $2"
				),
				&[&due.subscription, &due.item, &attempts],
			)
			.await?;
		Ok(())
	}

	async fn failed(
		&self,
		due: &Due,
		attempts: i32,
		retry_in: Option<Duration>,
		error: &str,
	) -> Result<()> {
		let (table, item) = due.queue.table();
		match retry_in {
			Some(wait) => {
				let wait_ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
				self.client
					.execute(
						&format!(
							"UPDATE {table} SET attempts = $3, last_error = $4, \
							 next_attempt = now() + $5 * interval '1 millisecond' \
							 WHERE subscription = $1 AND {item} = $2"
						),
						&[&due.subscription, &due.item, &attempts, &error, &(wait_ms as f64)],
					)
					.await?
			}
			None => {
				self.client
					.execute(
						&format!(
							"UPDATE {table} SET attempts = $3, last_error = $4, dead_at = now() \
							 WHERE subscription = $1 AND {item} = $2"
						),
						&[&due.subscription, &due.item, &attempts, &error],
					)
					.await?
			}
		};
		Ok(())
	}
}

type HttpClient = Client<
	hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
	Full<Bytes>,
>;

/// Posts due deliveries until the process ends.
pub struct Dispatcher {
	pub store: Store,
	pub retry: Retry,
	/// The gateway's BIC, the sender of `iso20022` deliveries (when the gateway is on).
	pub agent: Option<String>,
	http: HttpClient,
}

impl Dispatcher {
	pub fn new(store: Store, retry: Retry) -> Result<Self> {
		let https = hyper_rustls::HttpsConnectorBuilder::new()
			.with_native_roots()
			.context("the system's TLS roots")?
			.https_or_http()
			.enable_http1()
			.build();
		Ok(Self {
			store,
			retry,
			agent: None,
			http: Client::builder(TokioExecutor::new()).build(https),
		})
	}

	pub async fn run(&self) -> Result<()> {
		loop {
			if self.deliver_due().await? == 0 {
				tokio::time::sleep(Duration::from_millis(200)).await;
			}
		}
	}

	/// One pass over what is due (alerts first); how many were attempted.
	pub async fn deliver_due(&self) -> Result<usize> {
		let mut due = self.store.due_deliveries(Queue::Alerts, 64).await?;
		due.extend(self.store.due_deliveries(Queue::Reports, 64).await?);
		due.extend(self.store.due_deliveries(Queue::Entries, 64).await?);
		for delivery in &due {
			let attempts = delivery.attempts.saturating_add(1);
			match self.post(delivery).await {
				Ok(()) => self.store.delivered(delivery, attempts).await?,
				Err(e) => {
					let error = format!("{e:#}");
					let retry_in =
						(attempts < self.retry.max_attempts).then(|| self.retry.wait(attempts));
					log::warn!(
						"webhook {} ({:?} {}) attempt {attempts}: {error}{}",
						delivery.subscription,
						delivery.queue,
						delivery.item,
						if retry_in.is_none() { "; dead" } else { "" }
					);
					self.store.failed(delivery, attempts, retry_in, &error).await?;
				}
			}
		}
		Ok(due.len())
	}

	/// The body of an `iso20022` delivery and its id; `None` when there is nothing to say in
	/// ISO 20022 (an entry of no directory account in a table currency): delivered as is.
	async fn iso_body(&self, delivery: &Due) -> Result<Option<(String, Vec<u8>)>> {
		let agent = self.agent.as_deref().unwrap_or("TPWLXXXXXXX");
		let body = match delivery.queue {
			Queue::Entries => {
				iso::outbound::notification(&self.store, agent, delivery.item, |h| {
					delivery.wants(h)
				})
				.await?
			}
			Queue::Reports => {
				iso::outbound::payment_report(&self.store, agent, delivery.item).await?
			}
			Queue::Alerts => None,
		};
		let (table, _) = delivery.queue.table();
		let id = format!("tpwl-{}-{table}-{}", delivery.subscription, delivery.item);
		Ok(body.map(|b| (id, b.into_bytes())))
	}

	async fn post(&self, delivery: &Due) -> Result<()> {
		let timestamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
		let iso = delivery.format == "iso20022" && delivery.queue != Queue::Alerts;
		let (id, body) = if iso {
			match self.iso_body(delivery).await? {
				Some(message) => message,
				None => return Ok(()),
			}
		} else {
			match delivery.queue {
				Queue::Entries => {
					let (entry, hash) =
						self.store.entries(delivery.item, delivery.item).await?.pop().ok_or_else(
							|| anyhow!("entry {} is not in the journal", delivery.item),
						)?;
					let data = EntryView::new(&entry, &hash);
					let body =
						serde_json::to_vec(&Envelope { r#type: "journal.entry", timestamp, data })?;
					(message_id(delivery.subscription, delivery.item), body)
				}
				Queue::Alerts => {
					let (id, alert) = self
						.store
						.alerts(Some(delivery.item))
						.await?
						.pop()
						.ok_or_else(|| anyhow!("alert {} is not stored", delivery.item))?;
					let data = AlertView::new(id, &alert);
					let body = serde_json::to_vec(&Envelope {
						r#type: "reconciliation.alert",
						timestamp,
						data,
					})?;
					(format!("tpwl-{}-alert-{}", delivery.subscription, delivery.item), body)
				}
				// Status reports go to `iso20022` subscriptions only.
				Queue::Reports => return Ok(()),
			}
		};
		let signature = sign(&delivery.secret, &id, timestamp, &body)?;
		let content_type = if iso { "application/xml; charset=utf-8" } else { "application/json" };
		let request = hyper::Request::post(&delivery.url)
			.header("content-type", content_type)
			.header("webhook-id", &id)
			.header("webhook-timestamp", timestamp.to_string())
			.header("webhook-signature", signature)
			.body(Full::new(Bytes::from(body)))?;
		let response = tokio::time::timeout(Duration::from_secs(10), self.http.request(request))
			.await
			.map_err(|_| anyhow!("no answer in 10 s"))??;
		let status = response.status();
		if status.is_success() {
			Ok(())
		} else {
			Err(anyhow!("the receiver answered {status}"))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_signature_matches_the_standard_webhooks_reference() {
		// The example of the Standard Webhooks specification's reference libraries.
		let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
		let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
		let body = br#"{"test": 2432232314}"#;
		assert_eq!(
			sign(secret, id, 1614265330, body).unwrap(),
			"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
		);
		assert_ne!(
			sign(secret, id, 1614265331, body).unwrap(),
			sign(secret, id, 1614265330, body).unwrap()
		);
		assert!(sign("whsec_%%%", id, 1, body).is_err());
	}

	#[test]
	fn retries_back_off_exponentially_up_to_a_ceiling() {
		let retry = Retry {
			base: Duration::from_secs(1),
			max_wait: Duration::from_secs(60),
			max_attempts: 5,
		};
		let waits: Vec<u64> = (1..=8).map(|n| retry.wait(n).as_secs()).collect();
		assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 60, 60]);
		assert_eq!(retry.wait(i32::MAX), Duration::from_secs(60));
	}
}
