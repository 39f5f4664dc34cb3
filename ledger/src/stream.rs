//! The event stream: every journal entry published, in order, to a NATS JetStream stream
//! (`TPW_LEDGER`, subjects `tpw.ledger.entry.{Pallet}.{Event}`), for consumers that want a
//! durable feed rather than webhooks. The journal is the outbox: entries after
//! `stream_cursor.seq` are still to publish, and the cursor moves only after the broker has
//! acknowledged (stored) an entry. Each message carries `Nats-Msg-Id: {ledger}-{seq}` and
//! `Tpw-Ledger: {ledger}` (the database's random identity), so a publish repeated after a crash
//! within the stream's duplicate window is dropped by the broker; at start-up the publisher also
//! reads the last entry the stream holds, so that nothing is published twice however long the
//! crash lasted, and refuses a stream that holds another ledger's entries.

use crate::{store::Store, views::EntryView};
use anyhow::{anyhow, Context, Result};
use async_nats::{
	header::NATS_MESSAGE_ID as MSG_ID,
	jetstream::{self, stream},
	HeaderMap,
};
use std::time::Duration;

pub const STREAM: &str = "TPW_LEDGER";
pub const SUBJECT_PREFIX: &str = "tpw.ledger.entry";
const LEDGER_HEADER: &str = "Tpw-Ledger";

/// The subject of an entry of kind `kind` (`Balances.Transfer` → `tpw.ledger.entry.Balances.Transfer`),
/// so that consumers filter by pallet (`tpw.ledger.entry.Balances.>`) or event.
pub fn subject(kind: &str) -> String {
	let token: String = kind
		.chars()
		.map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '_' { c } else { '_' })
		.collect();
	format!("{SUBJECT_PREFIX}.{token}")
}

impl Store {
	/// This ledger's identity.
	pub async fn ledger_id(&self) -> Result<String> {
		Ok(self.client.query_one("SELECT ledger FROM ledger_info WHERE id = 1", &[]).await?.get(0))
	}

	/// The last entry published (0: none).
	pub async fn stream_cursor(&self) -> Result<i64> {
		let row = self.client.query_opt("SELECT seq FROM stream_cursor WHERE id = 1", &[]).await?;
		Ok(row.map_or(0, |r| r.get(0)))
	}

	pub async fn set_stream_cursor(&self, seq: i64) -> Result<()> {
		self.client
			.execute(
				"INSERT INTO stream_cursor (id, seq) VALUES (1, $1) \
				 ON CONFLICT (id) DO UPDATE SET seq = greatest(stream_cursor.seq, $1)",
				&[&seq],
			)
			.await?;
		Ok(())
	}
}

pub struct Publisher {
	pub store: Store,
	ledger: String,
	js: jetstream::Context,
	stream: stream::Stream,
}

impl Publisher {
	/// Connects to the broker at `url` and creates the stream if missing (file storage).
	pub async fn connect(store: Store, url: &str) -> Result<Self> {
		let client = async_nats::connect(url)
			.await
			.with_context(|| format!("connecting to NATS at {url}"))?;
		let js = jetstream::new(client);
		let stream = js
			.get_or_create_stream(stream::Config {
				name: STREAM.into(),
				subjects: vec![format!("{SUBJECT_PREFIX}.>")],
				storage: stream::StorageType::File,
				duplicate_window: Duration::from_secs(600),
				..Default::default()
			})
			.await
			.map_err(|e| anyhow!("creating the JetStream stream {STREAM}: {e}"))?;
		let ledger = store.ledger_id().await?;
		Ok(Self { store, ledger, js, stream })
	}

	/// Deletes the stream (a development chain's books start again with the chain).
	pub async fn delete(self) -> Result<()> {
		self.js.delete_stream(STREAM).await.map_err(|e| anyhow!("deleting {STREAM}: {e}"))?;
		Ok(())
	}

	/// The last entry the stream holds (0: none), from its last message's `Nats-Msg-Id`.
	pub async fn last_published(&mut self) -> Result<i64> {
		let last = self.stream.info().await.map_err(|e| anyhow!("{e}"))?.state.last_sequence;
		if last == 0 {
			return Ok(0);
		}
		let message =
			self.stream.get_raw_message(last).await.map_err(|e| anyhow!("message {last}: {e}"))?;
		let ledger = message.headers.get(LEDGER_HEADER).map(|l| l.as_str().to_string());
		if ledger.as_deref() != Some(self.ledger.as_str()) {
			return Err(anyhow!(
				"the stream {STREAM} holds another ledger's entries (ledger {}, this one {}): \
				 give this ledger its own NATS server or account, or delete the stream \
				 (`tpw-ledger stream-delete`) if those entries are not needed",
				ledger.unwrap_or_default(),
				self.ledger
			));
		}
		message
			.headers
			.get(MSG_ID)
			.and_then(|id| id.as_str().rsplit('-').next()?.parse().ok())
			.ok_or_else(|| anyhow!("the stream's last message has no entry number"))
	}

	/// Publishes until the process ends.
	pub async fn run(&mut self) -> Result<()> {
		let held = self.last_published().await?;
		self.store.set_stream_cursor(held).await?;
		loop {
			if self.publish_pending().await? == 0 {
				tokio::time::sleep(Duration::from_millis(200)).await;
			}
		}
	}

	/// Publishes the entries after the cursor (at most 1,024), pipelined: every message is sent,
	/// then every acknowledgement awaited, then the cursor moves. After a failure the batch is
	/// sent again, and the broker drops the messages it already holds (`Nats-Msg-Id`).
	pub async fn publish_pending(&self) -> Result<usize> {
		let after = self.store.stream_cursor().await?;
		let seqs = self.store.entry_seqs(None, after, 1024).await?;
		let entries = self.store.entries_at(&seqs).await?;
		let mut acks = Vec::with_capacity(entries.len());
		for (entry, hash) in &entries {
			let payload = serde_json::to_vec(&EntryView::new(entry, hash))?;
			let mut headers = HeaderMap::new();
			headers.insert(MSG_ID, format!("{}-{}", self.ledger, entry.seq).as_str());
			headers.insert(LEDGER_HEADER, self.ledger.as_str());
			let ack = self
				.js
				.publish_with_headers(subject(&entry.kind), headers, payload.into())
				.await
				.map_err(|e| anyhow!("publishing entry {}: {e}", entry.seq))?;
			acks.push((entry.seq, ack));
		}
		for (seq, ack) in acks {
			ack.await.map_err(|e| anyhow!("entry {seq} not acknowledged: {e}"))?;
		}
		if let Some((last, _)) = entries.last() {
			self.store.set_stream_cursor(last.seq).await?;
		}
		Ok(entries.len())
	}

	/// Messages `from..` of the stream (by the stream's own numbering), at most `count`: for
	/// operators and tests.
	pub async fn read(&mut self, from: u64, count: u64) -> Result<Vec<(String, EntryView)>> {
		let last = self.stream.info().await.map_err(|e| anyhow!("{e}"))?.state.last_sequence;
		let mut out = Vec::new();
		for sequence in from.max(1)..=last.min(from.saturating_add(count).saturating_sub(1)) {
			let message = self
				.stream
				.get_raw_message(sequence)
				.await
				.map_err(|e| anyhow!("message {sequence}: {e}"))?;
			let entry = serde_json::from_slice(&message.payload)
				.with_context(|| format!("message {sequence} is not a journal entry"))?;
			out.push((message.subject.to_string(), entry));
		}
		Ok(out)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn subjects_follow_the_kind_and_stay_single_tokens_per_part() {
		assert_eq!(subject("Balances.Transfer"), "tpw.ledger.entry.Balances.Transfer");
		assert_eq!(subject("Opening"), "tpw.ledger.entry.Opening");
		assert_eq!(subject("a b*>"), "tpw.ledger.entry.a_b__");
	}
}
