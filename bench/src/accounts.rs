//! The load's accounts: sr25519 keys derived from one development seed, funded from a
//! development account in batches (`utility.batch_all`), and their next nonces.

use anyhow::{bail, Context, Result};
use futures::{stream, StreamExt, TryStreamExt};
use polkadot_sdk::sp_core::{sr25519, DeriveJunction, Pair as _};
use std::time::Duration;
use tpw_client::{
	call::Call,
	chain::Chain,
	keys::{ss58, Keys},
	AccountId, Balance,
};

/// Transfers per funding batch: a few hundred keeps each batch well inside one block.
pub const FUND_BATCH: usize = 500;
/// Blocks a set-up extrinsic stays valid.
const SETUP_MORTALITY: u64 = 256;

/// `count` accounts derived as `<seed>//<i>`; hard derivation of one parent pair, so thousands
/// take milliseconds (a phrase-based URI per account would run PBKDF2 each time).
pub fn derive(seed: &str, count: usize) -> Result<Vec<Keys>> {
	let parent = sr25519::Pair::from_string(seed, None)
		.map_err(|e| anyhow::anyhow!("invalid load seed {seed}: {e:?}"))?;
	(0..count)
		.map(|i| {
			let (pair, _) = parent
				.derive([DeriveJunction::hard(i as u64)].into_iter(), None)
				.map_err(|e| anyhow::anyhow!("deriving account {i}: {e:?}"))?;
			Ok(Keys::from_pair(pair))
		})
		.collect()
}

/// Signs every `calls` batch from `funder` with consecutive nonces, submits them all, and waits
/// until the finalized chain has them all (the funder's nonce there reaches the last one).
/// Each batch is `batch_all`: it funds all its accounts or none.
pub async fn submit_batches(chain: &Chain, funder: &Keys, calls: Vec<Call>) -> Result<()> {
	if calls.is_empty() {
		return Ok(());
	}
	let first_nonce = chain.next_nonce(funder.account()).await?;
	let (number, hash) = chain.best().await?;
	let runtime = chain.runtime(Some(hash)).await?;
	let mut nonce = first_nonce;
	for batch in calls.chunks(FUND_BATCH) {
		let call = Call::new("Utility", "batch_all").calls_arg("calls", batch.to_vec());
		let ext = runtime.sign(&call, funder, nonce, SETUP_MORTALITY, (number, hash))?;
		let hex = format!("0x{}", hex::encode(&ext));
		let _: String = chain
			.rpc("author_submitExtrinsic", jsonrpsee::rpc_params![hex])
			.await
			.context("submitting a set-up batch")?;
		nonce += 1;
	}
	wait_finalized_nonce(chain, funder.account(), nonce).await
}

/// Waits (up to two minutes) until `who`'s nonce at the finalized block reaches `nonce`.
async fn wait_finalized_nonce(chain: &Chain, who: &AccountId, nonce: u32) -> Result<()> {
	let key = tpw_client::storage::map_blake2("System", "Account", who);
	for _ in 0..120 {
		let finalized = chain.finalized_head().await?;
		// `AccountInfo` starts with the nonce.
		let at: Option<u32> = chain.storage(&key, Some(finalized)).await?;
		if at.unwrap_or_default() >= nonce {
			return Ok(());
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	bail!("the set-up batches of {} were not finalized within two minutes", ss58(who))
}

/// Whether `pallet.item` (a map hashed with `Blake2_128Concat`) holds `key`, at the best block.
pub async fn in_map(
	chain: &Chain,
	pallet: &str,
	item: &str,
	key: &impl codec::Encode,
) -> Result<bool> {
	let key = tpw_client::storage::map_blake2(pallet, item, key);
	Ok(chain.raw_storage(&key, None).await?.is_some())
}

/// `Balances.transfer_keep_alive(to, amount)`.
pub fn native_transfer(to: &AccountId, amount: Balance) -> Call {
	Call::new("Balances", "transfer_keep_alive")
		.arg("dest", tpw_client::Address::from(to.clone()))
		.arg("value", codec::Compact(amount))
}

/// Funds each account with `amount` of the native unit from `funder`.
pub async fn fund_native(
	chain: &Chain,
	funder: &Keys,
	accounts: &[Keys],
	amount: Balance,
) -> Result<()> {
	let calls = accounts.iter().map(|k| native_transfer(k.account(), amount)).collect();
	submit_batches(chain, funder, calls).await?;
	// A batch is all or nothing: its last account tells whether it went through.
	for chunk in accounts.chunks(FUND_BATCH) {
		let Some(last) = chunk.last() else { continue };
		let (free, _) = chain.native_balance(last.account()).await?;
		if free < amount {
			bail!(
				"funding failed: {} holds {free}, not {amount} (is the funder rich enough?)",
				ss58(last.account())
			);
		}
	}
	Ok(())
}

/// The next nonce of every account (pool included), asked `concurrency` at a time.
pub async fn next_nonces(chain: &Chain, accounts: &[Keys], concurrency: usize) -> Result<Vec<u32>> {
	stream::iter(accounts.iter().map(|k| chain.next_nonce(k.account())))
		.buffered(concurrency)
		.try_collect()
		.await
}
