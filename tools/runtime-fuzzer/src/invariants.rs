//! What must hold after every block, whatever the transactions did.

use crate::common::TestChain;
use frame_support::traits::{fungibles::Inspect as _, TryState, TryStateSelect};
use frame_support::weights::Weight;
use polkadot_sdk::*;
use std::time::Duration;
use tpwallet_runtime::{AllPalletsWithSystem, Assets, Runtime};

/// Slack on "execution time within the weight charged": timer resolution and cache effects.
const TIME_SLACK_PS: u64 = 2_000_000_000;

/// How many times an input is run in all before a block is judged slower than its weight: the
/// fastest of the runs counts, so a block that was merely preempted or cache-cold (the fuzzer
/// runs beside builds and nodes in CI) is not reported, while one that is slow every time is.
pub const TIMING_RUNS: usize = 3;

/// What a block cost: the weight accounted for it, and the CPU time its execution took on the
/// harness's thread (not wall time: the fuzzer shares the machine with other work).
#[derive(Clone, Copy, Debug)]
pub struct BlockCost {
	pub number: u32,
	pub weight: Weight,
	pub elapsed: Duration,
}

/// Keeps, block by block, the faster of two runs of the same input (same blocks, same weights:
/// execution is deterministic).
pub fn fastest(costs: &mut [BlockCost], again: &[BlockCost]) {
	for (cost, other) in costs.iter_mut().zip(again) {
		cost.elapsed = cost.elapsed.min(other.elapsed);
	}
}

/// The first block whose execution took longer than the weight charged for it, in words.
pub fn slower_than_weight(costs: &[BlockCost]) -> Option<String> {
	costs.iter().find_map(|cost| {
		let elapsed_ps =
			u64::try_from(cost.elapsed.as_nanos()).unwrap_or(u64::MAX).saturating_mul(1_000);
		(elapsed_ps > cost.weight.ref_time().saturating_add(TIME_SLACK_PS)).then(|| {
			format!(
				"block {} took {:?} (fastest of {TIMING_RUNS} runs), more than the {} µs of weight \
				 charged for it",
				cost.number,
				cost.elapsed,
				cost.weight.ref_time() / 1_000_000
			)
		})
	})
}

/// CPU time this thread has used so far.
pub fn thread_cpu_time() -> Duration {
	let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
	// SAFETY: `ts` is a valid, writable timespec; the clock id is a constant the kernel knows.
	let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
	if rc != 0 {
		return Duration::ZERO;
	}
	Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Checks the chain's state after block `number`; the first violation, in words. (Timing is
/// judged over the whole input: [`slower_than_weight`].)
pub fn check(chain: &mut TestChain, number: u32) -> Result<(), String> {
	chain.execute_with(|| {
		AllPalletsWithSystem::try_state(number, TryStateSelect::All)
			.map_err(|e| format!("try_state: {e:?}"))?;
		native_issuance()?;
		asset_supplies()
	})
}

/// The native issuance is what the accounts hold, free and reserved (holds included).
fn native_issuance() -> Result<(), String> {
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	let held: u128 = frame_system::Account::<Runtime>::iter_values()
		.map(|info| info.data.free.saturating_add(info.data.reserved))
		.fold(0u128, |sum, b| sum.saturating_add(b));
	if issuance != held {
		return Err(format!("native issuance {issuance} differs from the sum of balances {held}"));
	}
	Ok(())
}

/// Each asset's supply is what its holders hold, on hold included.
fn asset_supplies() -> Result<(), String> {
	for (id, details) in pallet_assets::Asset::<Runtime>::iter() {
		let held: u128 = pallet_assets::Account::<Runtime>::iter_key_prefix(id)
			.map(|who| Assets::total_balance(id, &who))
			.fold(0u128, |sum, b| sum.saturating_add(b));
		if held != details.supply {
			return Err(format!(
				"asset {id}: supply {} differs from its holders' {held}",
				details.supply
			));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::actors::{self, ASSET};
	use sp_keyring::Sr25519Keyring::Bob;

	fn chain_after_one_block() -> (TestChain, u32) {
		let mut chain = TestChain::from_snapshot(&actors::setup());
		chain.produce_block_weighed(vec![]);
		let number = chain.number();
		(chain, number)
	}

	#[test]
	fn the_set_up_chain_satisfies_every_invariant() {
		let (mut chain, number) = chain_after_one_block();
		assert_eq!(check(&mut chain, number), Ok(()));
	}

	#[test]
	fn native_units_created_outside_the_rules_are_caught() {
		let (mut chain, number) = chain_after_one_block();
		chain.execute_with(|| {
			frame_system::Account::<Runtime>::mutate(Bob.to_account_id(), |a| a.data.free += 1)
		});
		let err = check(&mut chain, number).unwrap_err();
		assert!(err.contains("issuance"), "{err}");
	}

	#[test]
	fn asset_units_created_outside_the_rules_are_caught() {
		let (mut chain, number) = chain_after_one_block();
		chain.execute_with(|| {
			pallet_assets::Account::<Runtime>::mutate(ASSET, Bob.to_account_id(), |a| {
				if let Some(account) = a {
					account.balance += 1;
				}
			})
		});
		// pallet-assets' own `try_state` sees it first; the supply check is the second net.
		let err = check(&mut chain, number).unwrap_err();
		assert!(err.contains("asset 9") || err.contains("try_state"), "{err}");
	}

	fn cost(number: u32, weight_us: u64, elapsed_us: u64) -> BlockCost {
		BlockCost {
			number,
			weight: Weight::from_parts(weight_us * 1_000_000, 0),
			elapsed: Duration::from_micros(elapsed_us),
		}
	}

	#[test]
	fn a_block_slower_than_its_weight_in_every_run_is_caught() {
		let mut costs = vec![cost(1, 500, 400), cost(2, 1_000, 9_000)];
		fastest(&mut costs, &[cost(1, 500, 300), cost(2, 1_000, 8_000)]);
		let err = slower_than_weight(&costs).unwrap();
		assert!(err.starts_with("block 2 took 8ms"), "{err}");
	}

	#[test]
	fn a_block_slow_in_one_run_only_is_not_reported() {
		let mut costs = vec![cost(1, 500, 400), cost(2, 1_000, 9_000)];
		assert!(slower_than_weight(&costs).is_some());
		fastest(&mut costs, &[cost(1, 500, 7_000), cost(2, 1_000, 900)]);
		assert_eq!(slower_than_weight(&costs), None);
		// Within the slack is not slower.
		assert_eq!(slower_than_weight(&[cost(3, 1_000, 2_900)]), None);
	}
}
