//! What must hold after every block, whatever the transactions did.

use crate::common::TestChain;
use frame_support::traits::{fungibles::Inspect as _, TryState, TryStateSelect};
use frame_support::weights::Weight;
use polkadot_sdk::*;
use std::time::Duration;
use tpwallet_runtime::{AllPalletsWithSystem, Assets, Runtime};

/// Slack on "execution time within the weight charged": timer resolution and cache effects.
const TIME_SLACK_PS: u64 = 2_000_000_000;

/// What a block cost: the weight accounted for it, and the CPU time its execution took on the
/// harness's thread (not wall time: the fuzzer shares the machine with other work).
pub struct BlockCost {
	pub weight: Weight,
	pub elapsed: Duration,
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

/// Checks the chain after block `number`; the first violation, in words.
pub fn check(chain: &mut TestChain, number: u32, cost: &BlockCost) -> Result<(), String> {
	chain.execute_with(|| {
		AllPalletsWithSystem::try_state(number, TryStateSelect::All)
			.map_err(|e| format!("try_state: {e:?}"))?;
		native_issuance()?;
		asset_supplies()
	})?;
	let elapsed_ps =
		u64::try_from(cost.elapsed.as_nanos()).unwrap_or(u64::MAX).saturating_mul(1_000);
	if elapsed_ps > cost.weight.ref_time().saturating_add(TIME_SLACK_PS) {
		return Err(format!(
			"block {number} took {:?}, more than the {} µs of weight charged for it",
			cost.elapsed,
			cost.weight.ref_time() / 1_000_000
		));
	}
	Ok(())
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

	fn chain_after_one_block() -> (TestChain, u32, BlockCost) {
		let mut chain = TestChain::from_snapshot(&actors::setup());
		let (_, _, weight) = chain.produce_block_weighed(vec![]);
		let number = chain.number();
		(chain, number, BlockCost { weight, elapsed: Duration::ZERO })
	}

	#[test]
	fn the_set_up_chain_satisfies_every_invariant() {
		let (mut chain, number, cost) = chain_after_one_block();
		assert_eq!(check(&mut chain, number, &cost), Ok(()));
	}

	#[test]
	fn native_units_created_outside_the_rules_are_caught() {
		let (mut chain, number, cost) = chain_after_one_block();
		chain.execute_with(|| {
			frame_system::Account::<Runtime>::mutate(Bob.to_account_id(), |a| a.data.free += 1)
		});
		let err = check(&mut chain, number, &cost).unwrap_err();
		assert!(err.contains("issuance"), "{err}");
	}

	#[test]
	fn asset_units_created_outside_the_rules_are_caught() {
		let (mut chain, number, cost) = chain_after_one_block();
		chain.execute_with(|| {
			pallet_assets::Account::<Runtime>::mutate(ASSET, Bob.to_account_id(), |a| {
				if let Some(account) = a {
					account.balance += 1;
				}
			})
		});
		// pallet-assets' own `try_state` sees it first; the supply check is the second net.
		let err = check(&mut chain, number, &cost).unwrap_err();
		assert!(err.contains("asset 9") || err.contains("try_state"), "{err}");
	}

	#[test]
	fn a_block_slower_than_its_weight_is_caught() {
		let (mut chain, number, _) = chain_after_one_block();
		let cost =
			BlockCost { weight: Weight::from_parts(1_000_000, 0), elapsed: Duration::from_secs(1) };
		let err = check(&mut chain, number, &cost).unwrap_err();
		assert!(err.contains("more than"), "{err}");
	}
}
