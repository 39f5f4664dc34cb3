//! Payments per second of two nodes over loopback TCP with durable storage, beside the raw
//! sr25519 sign+verify rate measured in the same run. A payment costs two signatures, two
//! verifications, two fsynced writes and one round trip, so the ratio shows how much of the
//! time goes to cryptography and how much to storage and networking.

use crate::{
	chain::OfflineChain,
	keys::{self, Keys},
	peer::{Config, Node},
	protocol::{payload, Channel},
	store::Store,
	Balance, PayloadKind,
};
use anyhow::{ensure, Result};
use polkadot_sdk::sp_keyring::Sr25519Keyring;
use std::{
	path::Path,
	sync::Arc,
	time::{Duration, Instant},
};

/// What one run measured.
#[derive(Clone, Debug)]
pub struct Report {
	pub payments: u64,
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
			"payments:            {} in {:.3} s, durable storage on (fsync per state, both sides)",
			self.payments,
			self.elapsed.as_secs_f64()
		)?;
		writeln!(f, "payments/second:     {:.1}", self.payments_per_sec)?;
		writeln!(
			f,
			"sr25519 sign+verify: {:.1} pairs/second (one core)",
			self.sign_verify_per_sec
		)?;
		writeln!(
			f,
			"ratio:               {:.4} (a payment needs 2 sign+verify pairs: at most 0.5 if \
			 signatures were the only cost on one core)",
			self.ratio()
		)
	}
}

/// Makes `count` payments from Alice to Bob over loopback with stores under `dir`, and
/// measures sign+verify on a state payload.
pub async fn run(count: u64, dir: &Path) -> Result<Report> {
	ensure!(count > 0, "count must be positive");
	let genesis = [0x42; 32];
	let chain = Arc::new(OfflineChain::new(genesis, 1));
	let (alice, bob) = (
		Keys::from_pair(Sr25519Keyring::Alice.pair()),
		Keys::from_pair(Sr25519Keyring::Bob.pair()),
	);
	let (store_a, store_b) = (Store::open(dir.join("alice"))?, Store::open(dir.join("bob"))?);
	let a = Node::new(alice.clone(), store_a.clone(), chain.clone(), Config::default());
	let b = Node::new(bob.clone(), store_b.clone(), chain, Config::default());
	let addr = b.listen("127.0.0.1:0").await?;

	// A fresh channel each run, with room for every payment.
	let id = rand::random::<u32>() as u64;
	let deposits: (Balance, Balance) = (count as Balance, 0);
	let (pa, pb) = (alice.account().clone(), bob.account().clone());
	let mut ca =
		Channel::new(id, genesis, pa.clone(), pb.clone(), &pa, deposits).expect("Alice is party A");
	ca.peer_addr = Some(addr.to_string());
	store_a.save(&ca)?;
	store_b.save(&Channel::new(id, genesis, pa, pb.clone(), &pb, deposits).expect("Bob is B"))?;
	a.connect(id).await?;

	let start = Instant::now();
	for _ in 0..count {
		a.pay(id, 1).await?;
	}
	let elapsed = start.elapsed();
	let last = a.channel(id)?.map(|c| c.state.balances);
	ensure!(last == Some((0, count as Balance)), "unexpected final balances {last:?}");

	let sign_verify_per_sec = sign_verify_rate(&alice, &ca, count.clamp(200, 5_000));
	Ok(Report {
		payments: count,
		elapsed,
		payments_per_sec: count as f64 / elapsed.as_secs_f64(),
		sign_verify_per_sec,
	})
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
		let report = run(20, &dir.0).await.unwrap();
		assert_eq!(report.payments, 20);
		assert!(report.payments_per_sec > 0.0 && report.sign_verify_per_sec > 0.0);
		assert!(report.to_string().contains("ratio"));
	}
}
