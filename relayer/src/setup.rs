//! Governance set-up of a bridge through the chains' sudo keys: FOR DEVELOPMENT AND TEST
//! NETWORKS ONLY. `init` trusts whatever the nodes it reaches report (the other chain's header
//! and authorities); a production network passes these values through its own governance, checked
//! by people against independent nodes.

use crate::{calls, relay::Side};
use anyhow::{bail, Context, Result};
use std::time::Duration;
use tpw_client::{
	bridge::{self, AuthoritySet},
	call::Call,
	chain::Included,
	keys::Keys,
};

/// Submits `call` with root origin through the sudo key, and fails if the call failed.
pub async fn sudo_call(side: &Side, sudo: &Keys, call: Call) -> Result<Included> {
	let included = side.chain.submit(sudo, calls::sudo(call)).await?;
	side.chain.check_sudo(&included).await?;
	Ok(included)
}

/// On each chain: starts the light client of the other at its current finalized header, and
/// sets the other as the bridged chain. What is already set is left alone (and checked).
pub async fn init(a: &Side, b: &Side, sudo: &Keys) -> Result<()> {
	for (target, source) in [(a, b), (b, a)] {
		init_light_client(target, source, sudo).await?;
		set_bridged_chain(target, source, sudo).await?;
	}
	Ok(())
}

async fn init_light_client(target: &Side, source: &Side, sudo: &Keys) -> Result<()> {
	if let Some(best) = bridge::light_client_best(&target.chain, None).await? {
		println!(
			"{}: light client of {} already initialised (best #{})",
			target.name, source.name, best.number
		);
		return Ok(());
	}
	let hash = source.chain.finalized_head().await?;
	let header = source.chain.header(hash).await?;
	// The set that finalizes the header's descendants: the one in the header's own state (a
	// header that enacts a set holds the new one).
	let set = AuthoritySet {
		authorities: bridge::grandpa_authorities(&source.chain, hash).await?,
		set_id: bridge::grandpa_set_id(&source.chain, hash).await?,
	};
	let (number, set_id) = (header.number, set.set_id);
	sudo_call(target, sudo, calls::initialize(header, set))
		.await
		.with_context(|| format!("{}: initialising the light client", target.name))?;
	println!(
		"{}: light client of {} initialised at #{number} (authority set {set_id})",
		target.name, source.name
	);
	Ok(())
}

async fn set_bridged_chain(target: &Side, source: &Side, sudo: &Keys) -> Result<()> {
	match bridge::bridged_chain(&target.chain, None).await? {
		Some(id) if id == source.id => {
			println!("{}: bridged chain already {} ({id:?})", target.name, source.name);
			return Ok(());
		}
		Some(id) => bail!(
			"{} already bridges to {id:?}, not {} ({:?})",
			target.name,
			source.name,
			source.id
		),
		None => {}
	}
	// The bridge records the chain's own genesis hash in block 1.
	for _ in 0..30 {
		if bridge::this_chain(&target.chain, None).await?.is_some() {
			break;
		}
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	sudo_call(target, sudo, calls::set_bridged_chain(source.id))
		.await
		.with_context(|| format!("{}: setting the bridged chain", target.name))?;
	println!("{}: bridged chain set to {} ({:?})", target.name, source.name, source.id);
	Ok(())
}
