//! Payments per second of two nodes over loopback TCP with durable storage, beside the raw
//! sr25519 sign+verify rate measured in the same run. A state costs two signatures, two
//! verifications, two fsynced writes and one round trip; payments made while a state is in
//! flight share the next one, so the ratio shows what batching buys over that cost.

use crate::{
	chain::OfflineChain,
	keys::{self, Keys},
	peer::{Config, Node},
	protocol::{payload, Channel},
	store::Store,
	Balance, Hash32, PayloadKind,
};
use anyhow::{ensure, Context, Result};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use std::{
	path::Path,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// What one run measured.
#[derive(Clone, Debug)]
pub struct Report {
	pub payments: u64,
	/// Payments in flight at once (each waits for its acknowledgement).
	pub concurrency: u64,
	/// Co-signed states the payments took (queued payments share one).
	pub states: u64,
	pub elapsed: Duration,
	pub payments_per_sec: f64,
	/// Raw sr25519 sign-then-verify pairs per second, on one core.
	pub sign_verify_per_sec: f64,
}

impl Report {
	/// Payments per second over sign+verify pairs per second.
	pub fn ratio(&self) -> f64 {
		self.payments_per_sec / self.sign_verify_per_sec
	}
}

impl std::fmt::Display for Report {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		writeln!(
			f,
			"payments:            {} in {:.3} s, {} in flight at once, durable storage on \
			 (fsync per state, both sides)",
			self.payments,
			self.elapsed.as_secs_f64(),
			self.concurrency
		)?;
		writeln!(
			f,
			"states:              {} ({:.1} payments per state)",
			self.states,
			self.payments as f64 / self.states.max(1) as f64
		)?;
		writeln!(f, "payments/second:     {:.1}", self.payments_per_sec)?;
		writeln!(
			f,
			"sr25519 sign+verify: {:.1} pairs/second (one core)",
			self.sign_verify_per_sec
		)?;
		writeln!(
			f,
			"ratio:               {:.4} (payments/s over sign+verify pairs/s; a state needs 2 \
			 pairs)",
			self.ratio()
		)
	}
}

/// Alice's and Bob's nodes on stores under `dir`, Bob listening on loopback.
async fn nodes(dir: &Path, genesis: Hash32) -> Result<(Node, Node, std::net::SocketAddr)> {
	let chain = Arc::new(OfflineChain::new(genesis, 1));
	let (alice, bob) = (
		Keys::from_pair(Sr25519Keyring::Alice.pair()),
		Keys::from_pair(Sr25519Keyring::Bob.pair()),
	);
	let (store_a, store_b) = (Store::open(dir.join("alice"))?, Store::open(dir.join("bob"))?);
	let a = Node::new(alice, store_a, chain.clone(), Config::default());
	let b = Node::new(bob, store_b, chain, Config::default());
	let addr = b.listen("127.0.0.1:0").await?;
	Ok((a, b, addr))
}

const GENESIS: Hash32 = [0x42; 32];

/// Makes `count` payments of 1 from Alice to Bob over loopback with stores under `dir`,
/// `concurrency` at a time, calling `acked` with the number acknowledged so far after each;
/// checks both stores' balances and nonces after the burst, and measures sign+verify on a
/// state payload.
pub async fn run(
	count: u64,
	concurrency: u64,
	dir: &Path,
	acked: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<Report> {
	ensure!(count > 0 && concurrency > 0, "count and concurrency must be positive");
	let (a, b, addr) = nodes(dir, GENESIS).await?;
	let (pa, pb) = (a.account().clone(), b.account().clone());
	// A fresh channel each run, with room for every payment.
	let id = rand::random::<u32>() as u64;
	let deposits: (Balance, Balance) = (count as Balance, 0);
	let mut ca =
		Channel::new(id, GENESIS, pa.clone(), pb.clone(), &pa, deposits).context("Alice is A")?;
	ca.peer_addr = Some(addr.to_string());
	a.store().save(&ca)?;
	b.store()
		.save(&Channel::new(id, GENESIS, pa, pb.clone(), &pb, deposits).context("Bob is B")?)?;
	a.connect(id).await?;

	let start = Instant::now();
	let (next, done) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
	let payers: Vec<_> = (0..concurrency.min(count))
		.map(|_| {
			let (a, next, done, acked) = (a.clone(), next.clone(), done.clone(), acked.clone());
			tokio::spawn(async move {
				while next.fetch_add(1, Ordering::Relaxed) < count {
					a.pay(id, 1).await?;
					acked(done.fetch_add(1, Ordering::Relaxed) + 1);
				}
				anyhow::Ok(())
			})
		})
		.collect();
	for payer in payers {
		payer.await??;
	}
	let elapsed = start.elapsed();
	let (sa, sb) = (a.channel(id)?.context("Alice's channel")?, b.channel(id)?.context("Bob's")?);
	ensure!(sa.state.balances == (0, count as Balance), "Alice's balances {:?}", sa.state.balances);
	ensure!(sb.state == sa.state, "Bob's state {:?} is not Alice's {:?}", sb.state, sa.state);
	ensure!(sa.state.nonce >= 1 && sa.state.nonce <= count, "nonce {}", sa.state.nonce);

	let sign_verify_per_sec = sign_verify_rate(
		&Keys::from_pair(Sr25519Keyring::Alice.pair()),
		&ca,
		count.clamp(200, 5_000),
	);
	Ok(Report {
		payments: count,
		concurrency,
		states: sa.state.nonce,
		elapsed,
		payments_per_sec: count as f64 / elapsed.as_secs_f64(),
		sign_verify_per_sec,
	})
}

/// After a run under `dir` stopped (killed, say): both parties' channels as stored, then as
/// they stand once Alice reconnected and the two reconciled.
pub async fn resume(dir: &Path) -> Result<((Channel, Channel), (Channel, Channel))> {
	let (a, b, addr) = nodes(dir, GENESIS).await?;
	let one = |node: &Node| -> Result<Channel> {
		node.store().load_all()?.into_iter().next().context("no channel in the store")
	};
	let stored = (one(&a)?, one(&b)?);
	let mut ca = stored.0.clone();
	ca.peer_addr = Some(addr.to_string());
	a.store().save(&ca)?;
	a.connect(ca.id).await?;
	let deadline = Instant::now() + Duration::from_secs(10);
	loop {
		let now = (one(&a)?, one(&b)?);
		if now.0.state == now.1.state || Instant::now() > deadline {
			return Ok((stored, now));
		}
		tokio::time::sleep(Duration::from_millis(20)).await;
	}
}

/// Sign-then-verify pairs per second over a real state payload.
fn sign_verify_rate(signer: &Keys, chan: &Channel, rounds: u64) -> f64 {
	let mut state = chan.state.clone();
	let start = Instant::now();
	for nonce in 0..rounds {
		state.nonce = nonce;
		let bytes = payload(PayloadKind::Update, &chan.genesis, &state);
		let sig = signer.sign(&bytes);
		assert!(keys::verify(&sig, &bytes, signer.account()));
	}
	rounds as f64 / start.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::tests::TempDir;

	#[tokio::test]
	async fn a_short_run_reports_consistent_figures() {
		let dir = TempDir::new("bench");
		let acks = Arc::new(AtomicU64::new(0));
		let seen = acks.clone();
		let report = run(
			200,
			16,
			&dir.0,
			Arc::new(move |n| {
				seen.fetch_max(n, Ordering::Relaxed);
			}),
		)
		.await
		.unwrap();
		assert_eq!((report.payments, acks.load(Ordering::Relaxed)), (200, 200));
		// Payments queued behind a state in flight share the next one.
		assert!(report.states < 200, "{} states", report.states);
		assert!(report.payments_per_sec > 0.0 && report.sign_verify_per_sec > 0.0);
		assert!(report.to_string().contains("ratio"));
	}
}
