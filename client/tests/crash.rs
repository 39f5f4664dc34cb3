//! A payer killed mid-burst loses no acknowledged payment: `tpw bench-payments` (both parties
//! in one process, payments coalesced into shared states) is killed with SIGKILL after some
//! thousands of acknowledgements; every payment it acknowledged is then in both stores, and
//! the two agree once they reconnect. (SIGKILL ends the process, not the machine: the page
//! cache survives it, so this checks the order of writes and acknowledgements, not fsync.)

use std::{
	io::{BufRead, BufReader},
	process::{Command, Stdio},
};

#[test]
fn every_acknowledged_payment_survives_a_kill_mid_burst() {
	let dir = std::env::temp_dir().join(format!("tpw-crash-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let mut child = Command::new(env!("CARGO_BIN_EXE_tpw"))
		.args(["bench-payments", "--count", "1000000", "--concurrency", "64", "--acks"])
		.arg("--dir")
		.arg(&dir)
		.stdout(Stdio::piped())
		.stderr(Stdio::null())
		.spawn()
		.expect("starting tpw");
	let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
	let mut acked = 0u64;
	for line in lines.by_ref() {
		let line = line.expect("reading tpw's output");
		if let Some(n) = line.strip_prefix("acked ") {
			acked = acked.max(n.parse().expect("a count"));
			if acked >= 3_000 {
				break;
			}
		}
	}
	assert!(acked >= 3_000, "tpw stopped after {acked} payments");
	child.kill().unwrap();
	child.wait().unwrap();
	// What it printed before it died was acknowledged too.
	for line in lines {
		if let Some(n) = line.unwrap().strip_prefix("acked ") {
			acked = acked.max(n.parse().unwrap());
		}
	}
	assert!(acked < 1_000_000, "the burst ended before the kill");

	let runtime = tokio::runtime::Runtime::new().unwrap();
	let ((alice, bob), (alice_after, bob_after)) =
		runtime.block_on(tpw_client::bench::resume(&dir)).unwrap();
	// Each payment is 1 from Alice to Bob: what Bob holds is what was paid.
	let paid = |c: &tpw_client::protocol::Channel| c.state.balances.1 as u64;
	assert!(paid(&alice) >= acked, "Alice's store holds {} of {acked} acknowledged", paid(&alice));
	assert!(paid(&bob) >= acked, "Bob's store holds {} of {acked} acknowledged", paid(&bob));
	assert_eq!(alice.state.balances.0 + alice.state.balances.1, 1_000_000);
	// Reconnected, they agree on the newest state either had.
	assert_eq!(alice_after.state, bob_after.state);
	assert_eq!(alice_after.state.nonce, alice.state.nonce.max(bob.state.nonce));
	let _ = std::fs::remove_dir_all(&dir);
}
