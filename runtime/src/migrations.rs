//! Runtime-level migrations: changes that span pallets, run by `Executive` before the pallets'
//! own (see [`crate::Migrations`]).

use crate::*;
use frame_support::{
	traits::{GetStorageVersion, OnRuntimeUpgrade, PalletInfoAccess, StorageVersion},
	weights::Weight,
};
use pallet_session::SessionInterface;

#[cfg(feature = "try-runtime")]
use sp_runtime::TryRuntimeError;

/// spec 103: the validator set moves from fixed Aura and GRANDPA authorities to sessions that
/// governance changes, and governance moves from `sudo` to the council.
///
/// The running authorities become the session's validators with their current keys (so the
/// first session rotation changes nothing), each under the account of its Aura key, which is
/// how every tpwallet network was set up before sessions; the validator set starts with them.
/// The pallets this upgrade adds get their in-code storage versions, as genesis would give them
/// (`Whitelist` and `TxPause` declare none).
/// A chain that already has a session validator set is left alone.
pub struct IntroduceSessionsAndGovernance;

impl IntroduceSessionsAndGovernance {
	/// The running validators, by their Aura key's account, with their Aura and GRANDPA keys.
	fn running_validators() -> Vec<(AccountId, SessionKeys)> {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = Grandpa::grandpa_authorities();
		aura.into_iter()
			.zip(grandpa)
			.map(|(aura, (grandpa, _weight))| {
				let account = AccountId::from(sp_core::sr25519::Public::from(aura.clone()));
				(account, SessionKeys { aura, grandpa })
			})
			.collect()
	}
}

/// Writes the in-code storage version of each pallet this upgrade adds.
fn stamp_storage_version<P>()
where
	P: GetStorageVersion<InCodeStorageVersion = StorageVersion> + PalletInfoAccess,
{
	P::in_code_storage_version().put::<P>();
}

impl OnRuntimeUpgrade for IntroduceSessionsAndGovernance {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_session::Validators::<Runtime>::get().is_empty() {
			return db.reads(1);
		}
		let validators = Self::running_validators();
		let accounts: Vec<AccountId> = validators.iter().map(|(who, _)| who.clone()).collect();
		for (who, keys) in &validators {
			// The keys were never set through `session.setKeys`, so no deposit is held for
			// them; a validator that rotates its keys pays one from then on.
			let _ = <Session as SessionInterface>::set_keys(who, keys.clone());
		}
		pallet_session::Validators::<Runtime>::put(accounts.clone());
		pallet_session::QueuedKeys::<Runtime>::put(validators.clone());
		let _ = ValidatorSet::initialize(&accounts);

		stamp_storage_version::<ValidatorSet>();
		stamp_storage_version::<Offences>();
		stamp_storage_version::<Historical>();
		stamp_storage_version::<Session>();
		stamp_storage_version::<Council>();
		stamp_storage_version::<TechnicalCommittee>();
		stamp_storage_version::<CouncilMembership>();
		stamp_storage_version::<TechnicalMembership>();
		stamp_storage_version::<ComplianceOfficers>();
		stamp_storage_version::<Preimage>();
		stamp_storage_version::<Scheduler>();

		let n = validators.len() as u64;
		// Reads: the session's set, Aura's and GRANDPA's authorities. Writes: per validator its
		// next keys and two key owners; the session's set and queued keys, the validator set,
		// and eleven storage versions.
		db.reads_writes(3, n.saturating_mul(3).saturating_add(14))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, TryRuntimeError> {
		use codec::Encode;
		let seeded = !pallet_session::Validators::<Runtime>::get().is_empty();
		Ok((seeded, Self::running_validators().len() as u32).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), TryRuntimeError> {
		use codec::Decode;
		let (seeded, running) = <(bool, u32)>::decode(&mut &state[..])
			.map_err(|_| TryRuntimeError::Other("pre-upgrade state"))?;
		if seeded {
			return Ok(());
		}
		let session = pallet_session::Validators::<Runtime>::get();
		frame_support::ensure!(
			session.len() as u32 == running && running > 0,
			"every running authority is a session validator"
		);
		let mut approved = ValidatorSet::validators();
		let mut running = session.clone();
		approved.sort();
		running.sort();
		frame_support::ensure!(
			approved == running,
			"the validator set starts with the running validators"
		);
		for who in &session {
			frame_support::ensure!(
				pallet_session::NextKeys::<Runtime>::contains_key(who),
				"every validator keeps its keys"
			);
		}
		Ok(())
	}
}
