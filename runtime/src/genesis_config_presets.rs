//! Genesis presets: `development` (one validator, a sudo key) and `local_testnet` (three
//! validators, governed by the council only).
//!
//! DEV-ONLY: every key here is a well-known development key (Alice, Bob, ...) whose secret is
//! public. Never use these presets for a network holding real value.

use crate::*;
use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SessionKeys, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Balance given to each endowed development account: one million TPW.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// Aura and GRANDPA keys of a development validator.
fn authority_keys(validator: Sr25519Keyring) -> (AuraId, GrandpaId) {
	let ed25519 = match validator {
		Sr25519Keyring::Alice => Ed25519Keyring::Alice,
		Sr25519Keyring::Bob => Ed25519Keyring::Bob,
		Sr25519Keyring::Charlie => Ed25519Keyring::Charlie,
		Sr25519Keyring::Dave => Ed25519Keyring::Dave,
		Sr25519Keyring::Eve => Ed25519Keyring::Eve,
		_ => Ed25519Keyring::Ferdie,
	};
	(validator.public().into(), ed25519.public().into())
}

/// The well-known development accounts (Alice..Ferdie and their stashes).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| k != &Sr25519Keyring::One && k != &Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// Session keys of a development validator.
fn session_keys(validator: Sr25519Keyring) -> SessionKeys {
	let (aura, grandpa) = authority_keys(validator);
	SessionKeys { aura, grandpa }
}

/// Who governs a development network.
struct Governance {
	/// The `sudo` key: `dev` only.
	sudo: Option<AccountId>,
	council: Vec<AccountId>,
	technical_committee: Vec<AccountId>,
	compliance_officers: Vec<AccountId>,
}

/// Alice, Bob and Charlie are the council (the member institutions); Alice and Bob the
/// technical committee; Dave the compliance officer.
fn dev_governance(sudo: Option<AccountId>) -> Governance {
	use Sr25519Keyring::*;
	Governance {
		sudo,
		council: vec![Alice, Bob, Charlie].into_iter().map(|k| k.to_account_id()).collect(),
		technical_committee: vec![Alice, Bob].into_iter().map(|k| k.to_account_id()).collect(),
		compliance_officers: vec![Dave.to_account_id()],
	}
}

fn testnet_genesis(
	validators: Vec<Sr25519Keyring>,
	endowed_accounts: Vec<AccountId>,
	governance: Governance,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, ENDOWMENT))
				// The treasury exists from genesis, so that fee shares below the existential
				// deposit are credited to it.
				.chain(core::iter::once((configs::TreasuryAccount::get(), EXISTENTIAL_DEPOSIT)))
				.collect::<Vec<_>>(),
		},
		// The session sets Aura's and GRANDPA's authorities from the validator set.
		validator_set: pallet_validator_set::GenesisConfig {
			initial_validators: validators.iter().map(|v| v.to_account_id()).collect::<Vec<_>>(),
		},
		session: pallet_session::GenesisConfig {
			keys: validators
				.iter()
				.map(|v| (v.to_account_id(), v.to_account_id(), session_keys(*v)))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: governance.sudo },
		council_membership: pallet_membership::GenesisConfig {
			members: sorted(governance.council),
		},
		technical_membership: pallet_membership::GenesisConfig {
			members: sorted(governance.technical_committee),
		},
		compliance_officers: pallet_membership::GenesisConfig {
			members: sorted(governance.compliance_officers),
		},
	})
}

/// Members, sorted as `pallet-membership` keeps them (at most 16 in these presets).
fn sorted<S: frame_support::traits::Get<u32>>(
	mut members: Vec<AccountId>,
) -> frame_support::BoundedVec<AccountId, S> {
	members.sort();
	frame_support::BoundedVec::truncate_from(members)
}

/// `development`: Alice is the only validator and the sudo key; the council, technical
/// committee and compliance officer exist too, so governance can be tried as on `local`.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![Sr25519Keyring::Alice],
		dev_accounts(),
		dev_governance(Some(Sr25519Keyring::Alice.to_account_id())),
	)
}

/// `local_testnet`: Alice, Bob and Charlie validate and are the council; no sudo key.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie],
		dev_accounts(),
		dev_governance(None),
	)
}

/// The JSON patch of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	// Serializing a `serde_json::Value` cannot fail.
	serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// Names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
