//! `tpwallet-runtime-fuzzer`: drives the real tpwallet runtime (not a mock) block by block with
//! signed transactions decoded from fuzz inputs, through the full transaction path (signature,
//! nonce, fees, weight: `Executive::apply_extrinsic`), and after every block checks every
//! pallet's `try_state`, that native issuance is the sum of all balances, that each asset's
//! supply is the sum of its holders' balances (holds included), that no block took longer to
//! execute (CPU time, natively) than the weight charged for it, and that nothing panicked. Channel and swap holds and
//! the bridge's wrapped supply are the pallets' own `try_state` checks.
//!
//!   tpwallet-runtime-fuzzer run [--seconds N] [--seed N] [--corpus DIR] [--crashes DIR]
//!   tpwallet-runtime-fuzzer replay FILE|DIR...
//!
//! `run` generates inputs from a seeded generator and mutates those that reached something new
//! (an event or error not seen before): a stable-Rust harness. [`run_input`] is the entry point a
//! coverage-guided engine (AFL++ or honggfuzz through `ziggy`) would call where one is installed.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

mod actors;
mod input;
mod invariants;

use codec::Encode;
use common::{Snapshot, TestChain};
use polkadot_sdk::*;
use std::{
	collections::HashSet,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};

/// What one input did.
#[derive(Default)]
struct Outcome {
	blocks: u64,
	applied: u64,
	invalid: u64,
	/// Events and errors seen (pallet and variant bytes): the generator's feedback.
	features: HashSet<Vec<u8>>,
	/// Each block's weight and execution time, judged once the input has run.
	costs: Vec<invariants::BlockCost>,
	/// A block slower than its weight in its fastest run, in words.
	slow: Option<String>,
}

/// Runs one input from the snapshot; `Err` with the first broken state invariant. Panics
/// propagate. Block timings are returned, not judged: see [`examine`].
fn run_input(snapshot: &Snapshot, data: &[u8]) -> Result<Outcome, String> {
	let input = input::Input::decode(data);
	let mut chain = TestChain::from_snapshot(snapshot);
	let mut outcome = Outcome::default();
	for txs in &input.blocks {
		let ids = chain.execute_with(|| input::Ids {
			next_channel: pallet_payment_channels::NextChannelId::<tpwallet_runtime::Runtime>::get(
			),
			next_swap: pallet_htlc::NextSwapId::<tpwallet_runtime::Runtime>::get(),
			next_case: pallet_compliance::NextCaseId::<tpwallet_runtime::Runtime>::get(),
			next_instruction:
				pallet_settlement::NextInstructionId::<tpwallet_runtime::Runtime>::get(),
			now: tpwallet_runtime::System::block_number(),
		});
		let mut nonces: Vec<u32> =
			actors::SIGNERS.iter().map(|k| chain.nonce(&k.to_account_id())).collect();
		// Built against the chain's state (a multisig's pending approval), signed after.
		let built: Vec<input::Built> =
			chain.execute_with(|| txs.iter().filter_map(|tx| input::build(tx, &ids)).collect());
		let extrinsics = built
			.into_iter()
			.map(|built| {
				let nonce = nonces[built.signer];
				nonces[built.signer] += 1;
				chain.sign_with_nonce(actors::SIGNERS[built.signer], built.call, nonce)
			})
			.collect();
		let cpu = invariants::thread_cpu_time();
		let (results, _, weight) = chain.produce_block_weighed(extrinsics);
		let elapsed = invariants::thread_cpu_time().saturating_sub(cpu);
		outcome.blocks += 1;
		for result in &results {
			match result {
				Ok(dispatch) => {
					outcome.applied += 1;
					if let Err(e) = dispatch {
						outcome.features.insert(e.encode().into_iter().take(3).collect());
					}
				}
				Err(e) => {
					outcome.invalid += 1;
					outcome.features.insert(e.encode());
				}
			}
		}
		for event in chain.events() {
			outcome.features.insert(event.encode().into_iter().take(2).collect());
		}
		let number = chain.number();
		outcome.costs.push(invariants::BlockCost { number, weight, elapsed });
		invariants::check(&mut chain, number)?;
	}
	Ok(outcome)
}

/// A small, seedable generator (xorshift64*): the same seed, the same run.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}
	fn below(&mut self, n: usize) -> usize {
		(self.next() % n.max(1) as u64) as usize
	}
	fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len).map(|_| self.next() as u8).collect()
	}
}

/// A new input from the corpus (flipped, inserted, spliced bytes) or from scratch.
fn next_input(rng: &mut Rng, corpus: &[Vec<u8>]) -> Vec<u8> {
	if corpus.is_empty() || rng.below(4) == 0 {
		let len = 16 + rng.below(1024);
		return rng.bytes(len);
	}
	let mut data = corpus[rng.below(corpus.len())].clone();
	for _ in 0..1 + rng.below(8) {
		match rng.below(4) {
			0 if !data.is_empty() => {
				let i = rng.below(data.len());
				data[i] ^= 1 << rng.below(8);
			}
			1 => {
				let i = rng.below(data.len() + 1);
				let n = 1 + rng.below(16);
				let extra = rng.bytes(n);
				data.splice(i..i, extra);
			}
			2 if !data.is_empty() => {
				let i = rng.below(data.len());
				let n = 1 + rng.below(16);
				data.drain(i..(i + n).min(data.len()));
			}
			_ => {
				let other = &corpus[rng.below(corpus.len())];
				let cut = rng.below(other.len() + 1);
				data.extend_from_slice(&other[cut..]);
			}
		}
	}
	data.truncate(8192);
	data
}

/// Runs `data`, catching panics; `Err` with what went wrong.
fn guarded(snapshot: &Snapshot, data: &[u8]) -> Result<Outcome, String> {
	match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_input(snapshot, data))) {
		Ok(result) => result,
		Err(panic) => Err(format!(
			"panic: {}",
			panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_default()
		)),
	}
}

/// Runs `data` and judges it: state invariants after every block, nothing panicked, and no block
/// slower than its weight in its fastest of [`invariants::TIMING_RUNS`] runs (only an input that
/// looks slow is run again).
fn examine(snapshot: &Snapshot, data: &[u8]) -> Result<Outcome, String> {
	let mut outcome = guarded(snapshot, data)?;
	for _ in 1..invariants::TIMING_RUNS {
		if invariants::slower_than_weight(&outcome.costs).is_none() {
			return Ok(outcome);
		}
		let again = guarded(snapshot, data)?;
		invariants::fastest(&mut outcome.costs, &again.costs);
	}
	outcome.slow = invariants::slower_than_weight(&outcome.costs);
	Ok(outcome)
}

/// Whether a block slower than its weight fails the run. `FUZZ_TIMING=warn` reports it and
/// saves the input without failing: for runs beside other work (CI's smoke next to the
/// end-to-end suites), where even the fastest of three runs can be preempted.
fn timing_fails() -> bool {
	std::env::var("FUZZ_TIMING").map(|v| v != "warn").unwrap_or(true)
}

fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
	let mut out = Vec::new();
	for path in paths {
		if path.is_dir() {
			let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
				.map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
				.unwrap_or_default();
			entries.sort();
			out.extend(entries.into_iter().filter(|p| p.is_file()));
		} else {
			out.push(path.clone());
		}
	}
	out
}

fn save(dir: &Path, data: &[u8]) -> PathBuf {
	let _ = std::fs::create_dir_all(dir);
	let name = hex(&sp_io::hashing::blake2_128(data));
	let path = dir.join(name);
	let _ = std::fs::write(&path, data);
	path
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() {
	// The runtime's own logging would drown the report; panics are reported by the harness.
	std::panic::set_hook(Box::new(|_| {}));
	let args: Vec<String> = std::env::args().skip(1).collect();
	let flag =
		|name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
	let started = Instant::now();
	let snapshot = actors::setup();
	eprintln!("set-up done in {:?}", started.elapsed());
	match args.first().map(String::as_str) {
		Some("replay") => {
			let paths: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
			let mut failed = 0;
			let inputs = files(&paths);
			for path in &inputs {
				let data = std::fs::read(path).unwrap_or_default();
				match examine(&snapshot, &data) {
					Err(e) => {
						eprintln!("FAIL {}: {e}", path.display());
						failed += 1;
					}
					Ok(Outcome { slow: Some(slow), .. }) if timing_fails() => {
						eprintln!("FAIL {}: {slow}", path.display());
						failed += 1;
					}
					Ok(Outcome { slow: Some(slow), .. }) => {
						eprintln!("SLOW (FUZZ_TIMING=warn) {}: {slow}", path.display())
					}
					Ok(_) => {}
				}
			}
			println!("replayed {} inputs, {failed} failed", inputs.len());
			std::process::exit(i32::from(failed > 0));
		}
		Some("run") => {
			let seconds: u64 = flag("--seconds").and_then(|s| s.parse().ok()).unwrap_or(60);
			let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
			let crashes = PathBuf::from(flag("--crashes").unwrap_or_else(|| "fuzz-crashes".into()));
			let corpus_dir = flag("--corpus").map(PathBuf::from);
			let mut corpus: Vec<Vec<u8>> = corpus_dir
				.as_ref()
				.map(|d| files(&[d.clone()]).iter().filter_map(|p| std::fs::read(p).ok()).collect())
				.unwrap_or_default();
			let mut rng = Rng(seed.max(1));
			let mut seen: HashSet<Vec<u8>> = HashSet::new();
			let (mut executions, mut blocks, mut applied, mut invalid, mut failures) =
				(0u64, 0, 0, 0, 0);
			let deadline = started + Duration::from_secs(seconds);
			// The corpus first (regressions), then generated inputs.
			let mut queue: Vec<Vec<u8>> = corpus.clone();
			while Instant::now() < deadline || !queue.is_empty() {
				let data = queue.pop().unwrap_or_else(|| next_input(&mut rng, &corpus));
				executions += 1;
				match examine(&snapshot, &data) {
					Ok(outcome) => {
						if let Some(slow) = &outcome.slow {
							let path = save(&crashes, &data);
							if timing_fails() {
								failures += 1;
								eprintln!("FAIL (input saved to {}): {slow}", path.display());
							} else {
								eprintln!(
									"SLOW, not failed (FUZZ_TIMING=warn; input saved to {}): {slow}",
									path.display()
								);
							}
						}
						blocks += outcome.blocks;
						applied += outcome.applied;
						invalid += outcome.invalid;
						let new = outcome.features.iter().filter(|f| !seen.contains(*f)).count();
						if new > 0 {
							seen.extend(outcome.features);
							if let Some(dir) = &corpus_dir {
								save(dir, &data);
							}
							corpus.push(data);
						}
					}
					Err(e) => {
						failures += 1;
						let path = save(&crashes, &data);
						eprintln!("FAIL (input saved to {}): {e}", path.display());
					}
				}
			}
			println!(
				"{executions} inputs, {blocks} blocks, {applied} transactions applied ({invalid} \
				 refused as invalid), invariants checked after each block; {} distinct events and \
				 errors reached; corpus {}; {failures} failures; {:?}",
				seen.len(),
				corpus.len(),
				started.elapsed()
			);
			std::process::exit(i32::from(failures > 0));
		}
		_ => {
			eprintln!("usage: tpwallet-runtime-fuzzer run [--seconds N] [--seed N] [--corpus DIR] [--crashes DIR] | replay FILE|DIR...");
			std::process::exit(2);
		}
	}
}
