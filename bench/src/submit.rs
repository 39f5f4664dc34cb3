//! Pushes pre-signed transactions to the nodes over JSON-RPC (`author_submitExtrinsic`), round
//! robin over several connections, with a bounded number in flight: a slot is taken before a
//! transaction is sent and given back when a block includes it (or the node refuses it), so the
//! pool holds about a window's worth and no more.

use crate::tracker::Tracker;
use futures::{stream::FuturesUnordered, StreamExt};
use jsonrpsee::{core::client::ClientT, rpc_params};
use jsonrpsee_ws_client::WsClient;
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use tokio::sync::Semaphore;

/// Pool answers that mean "full for now": 1014 (priority too low: the pool is full of equal
/// priority) and 1016 (immediately dropped: no room).
const POOL_FULL: [i32; 2] = [1014, 1016];
/// How often a transaction is retried while the pool is full.
const FULL_RETRIES: u32 = 600;

/// What the submitter did.
#[derive(Default)]
pub struct Submitted {
	pub sent: usize,
	/// Refusals by error message, with their count.
	pub refused: BTreeMap<String, u64>,
	/// Indices of the refused transactions (never in a block).
	pub refused_txs: Vec<usize>,
	/// Times the pool was full and a transaction waited.
	pub pool_full_waits: u64,
}

/// How fast transactions go out.
pub struct Pace {
	/// JSON-RPC requests outstanding at once.
	pub rpc_concurrency: usize,
	/// Transactions per second at most; 0: no limit but the window.
	pub rate: f64,
}

/// Sends `txs` (hex, round by round: transaction `i` is sender `i % senders`'s) in order until
/// all are sent or `deadline` passes. Each sender's transactions go to the same connection, so a
/// node never gets a sender's next nonce before the previous one (which another node would
/// otherwise still have to gossip).
#[allow(clippy::too_many_arguments)]
pub async fn run(
	clients: &[WsClient],
	senders: usize,
	txs: &[String],
	tracker: &Mutex<Tracker>,
	window: &Semaphore,
	start: Instant,
	deadline: Instant,
	pace: Pace,
) -> Submitted {
	let mut out = Submitted::default();
	let mut pending = FuturesUnordered::new();
	for (i, tx) in txs.iter().enumerate() {
		if Instant::now() >= deadline {
			break;
		}
		// Sent requests keep being answered (and their window slots given back) while this one
		// waits for its turn or for a slot.
		if pace.rate > 0.0 {
			let due = (start + Duration::from_secs_f64(i as f64 / pace.rate)).min(deadline);
			let due = tokio::time::Instant::from_std(due);
			loop {
				tokio::select! {
					_ = tokio::time::sleep_until(due) => break,
					Some(done) = pending.next(), if !pending.is_empty() => account(&mut out, window, done),
				}
			}
		}
		// Slots come back as blocks include transactions; one the pool dropped never comes back,
		// so the wait ends with the load.
		let permit = loop {
			tokio::select! {
				permit = window.acquire() => break permit.ok(),
				_ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => break None,
				Some(done) = pending.next(), if !pending.is_empty() => account(&mut out, window, done),
			}
		};
		match permit {
			Some(permit) => permit.forget(),
			None => break,
		}
		let client = &clients[(i % senders.max(1)) % clients.len()];
		pending.push(async move {
			tracker
				.lock()
				.unwrap_or_else(|e| e.into_inner())
				.submitted(i, start.elapsed().as_secs_f64());
			(i, submit_one(client, tx).await)
		});
		out.sent += 1;
		while pending.len() >= pace.rpc_concurrency {
			if let Some(done) = pending.next().await {
				account(&mut out, window, done);
			}
		}
	}
	while let Some(done) = pending.next().await {
		account(&mut out, window, done);
	}
	out
}

fn account(out: &mut Submitted, window: &Semaphore, (i, result): (usize, Result<u64, String>)) {
	match result {
		Ok(waits) => out.pool_full_waits += waits,
		Err(message) => {
			*out.refused.entry(message).or_default() += 1;
			out.refused_txs.push(i);
			window.add_permits(1);
		}
	}
}

/// Sends one transaction, waiting while the pool is full: `Ok(waits)`, or the refusal.
async fn submit_one(client: &WsClient, tx: &str) -> Result<u64, String> {
	let mut waits = 0;
	loop {
		let result: Result<String, _> =
			client.request("author_submitExtrinsic", rpc_params![tx]).await;
		match result {
			Ok(_) => return Ok(waits),
			Err(jsonrpsee::core::ClientError::Call(e))
				if POOL_FULL.contains(&e.code()) && waits < FULL_RETRIES.into() =>
			{
				waits += 1;
				tokio::time::sleep(Duration::from_millis(100)).await;
			}
			Err(jsonrpsee::core::ClientError::Call(e)) => {
				let data = e.data().map(|d| format!(": {}", d.get())).unwrap_or_default();
				return Err(format!("{} ({}){data}", e.message(), e.code()));
			}
			Err(e) => return Err(e.to_string()),
		}
	}
}

/// The window's slots, shared between the submitter and the observer.
pub fn window(size: usize) -> Arc<Semaphore> {
	Arc::new(Semaphore::new(size))
}
