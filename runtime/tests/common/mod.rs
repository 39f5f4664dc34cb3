//! A test chain that executes real blocks of signed extrinsics through `Executive`, starting from
//! the runtime's own `development` genesis preset.
// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

use codec::Encode;
use polkadot_sdk::*;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::Era, traits::Header as _, ApplyExtrinsicResult, BuildStorage, Digest, DigestItem,
};
use tpwallet_runtime::{
	genesis_config_presets, signing, AccountId, Executive, Hash, Header, Nonce, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, System, UncheckedExtrinsic, SLOT_DURATION,
};

/// Merges a JSON patch into `base` (objects merge key by key, anything else replaces).
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(serde_json::Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// Storage as `--dev` builds it: the runtime's default genesis with the `development` preset.
pub fn development_storage() -> sp_runtime::Storage {
	preset_storage("development")
}

/// Storage of the runtime's default genesis with the preset `name`.
pub fn preset_storage(name: &str) -> sp_runtime::Storage {
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	let preset = genesis_config_presets::get_preset(&name.into()).expect("preset exists");
	merge(&mut config, serde_json::from_slice(&preset).expect("preset is JSON"));
	let config: RuntimeGenesisConfig = serde_json::from_value(config).expect("valid genesis");
	config.build_storage().expect("genesis builds")
}

/// A chain under test: its state, head and block number.
pub struct TestChain {
	pub ext: sp_io::TestExternalities,
	parent_hash: Hash,
	number: u32,
}

impl TestChain {
	pub fn new() -> Self {
		Self::from_storage(development_storage())
	}

	/// A chain from the `local_testnet` preset: three validators, the council, no sudo key.
	pub fn local() -> Self {
		Self::from_storage(preset_storage("local_testnet"))
	}

	fn from_storage(storage: sp_runtime::Storage) -> Self {
		let mut ext = sp_io::TestExternalities::new(storage);
		let parent_hash = ext.execute_with(|| System::block_hash(0u32));
		Self { ext, parent_hash, number: 0 }
	}

	/// A chain whose genesis hash is `genesis` (so that two test chains differ, as two real
	/// chains with different specs do).
	pub fn with_genesis_hash(genesis: Hash) -> Self {
		let mut chain = Self::new();
		chain.ext.execute_with(|| frame_system::BlockHash::<Runtime>::insert(0u32, genesis));
		chain.parent_hash = genesis;
		chain
	}

	pub fn execute_with<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}

	/// The genesis hash `CheckGenesis` expects.
	pub fn genesis_hash(&mut self) -> Hash {
		self.ext.execute_with(|| System::block_hash(0u32))
	}

	/// The next nonce of `who`.
	pub fn nonce(&mut self, who: &AccountId) -> Nonce {
		self.ext.execute_with(|| System::account_nonce(who))
	}

	/// `call` signed by `signer` with an explicit `nonce` (immortal era).
	pub fn sign_with_nonce(
		&mut self,
		signer: Sr25519Keyring,
		call: RuntimeCall,
		nonce: Nonce,
	) -> UncheckedExtrinsic {
		let genesis = self.genesis_hash();
		signing::signed_extrinsic(&signer.pair(), call, nonce, Era::Immortal, genesis, genesis)
	}

	/// `call` signed by `signer` with its current nonce.
	pub fn sign(&mut self, signer: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
		let nonce = self.nonce(&signer.to_account_id());
		self.sign_with_nonce(signer, call, nonce)
	}

	/// Authors one block as the Aura validator would (timestamp inherent, slot digest), applies
	/// `extrinsics` in order and finalizes it. Returns each extrinsic's result and the header.
	pub fn produce_block(
		&mut self,
		extrinsics: Vec<UncheckedExtrinsic>,
	) -> (Vec<ApplyExtrinsicResult>, Header) {
		let (results, header, _) = self.produce_block_weighed(extrinsics);
		(results, header)
	}

	/// [`Self::produce_block`], and the weight `frame_system` accounted for the block (every
	/// class).
	pub fn produce_block_weighed(
		&mut self,
		extrinsics: Vec<UncheckedExtrinsic>,
	) -> (Vec<ApplyExtrinsicResult>, Header, frame_support::weights::Weight) {
		self.number += 1;
		let now = u64::from(self.number) * SLOT_DURATION;
		let slot = Slot::from(now / SLOT_DURATION);
		let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
		let header =
			Header::new(self.number, Hash::default(), Hash::default(), self.parent_hash, digest);
		let (results, header, weight) = self.ext.execute_with(|| {
			Executive::initialize_block(&header);
			let timestamp: UncheckedExtrinsic =
				UncheckedExtrinsic::new_bare(pallet_timestamp::Call::<Runtime>::set { now }.into());
			let inherent = Executive::apply_extrinsic(timestamp);
			assert_eq!(inherent, Ok(Ok(())), "timestamp inherent applies");
			let results = extrinsics.into_iter().map(Executive::apply_extrinsic).collect();
			let header = Executive::finalize_block();
			(results, header, System::block_weight().total())
		});
		self.parent_hash = header.hash();
		(results, header, weight)
	}

	/// The chain's state and head, to start many runs from the same point.
	pub fn into_snapshot(mut self) -> Snapshot {
		self.ext.commit_all().expect("no open storage transaction");
		let (raw, root) = self.ext.into_raw_snapshot();
		Snapshot { raw, root, parent_hash: self.parent_hash, number: self.number }
	}

	/// A chain at `snapshot`.
	pub fn from_snapshot(snapshot: &Snapshot) -> Self {
		let ext = sp_io::TestExternalities::from_raw_snapshot(
			snapshot.raw.clone(),
			snapshot.root,
			sp_runtime::StateVersion::V1,
		);
		Self { ext, parent_hash: snapshot.parent_hash, number: snapshot.number }
	}

	/// The number of the last block produced.
	pub fn number(&self) -> u32 {
		self.number
	}

	/// Events of the last block.
	pub fn events(&mut self) -> Vec<RuntimeEvent> {
		self.ext.execute_with(|| System::events().into_iter().map(|r| r.event).collect())
	}
}

/// A chain's state (raw trie nodes and root) and head.
pub struct Snapshot {
	raw: Vec<(Vec<u8>, (Vec<u8>, i32))>,
	root: Hash,
	parent_hash: Hash,
	number: u32,
}

/// A security-token template as most tests issue from: open transfers, no cap, no lock-up, every
/// issuer role.
pub fn open_security_template() -> pallet_tokenization::TemplateSpecOf<Runtime> {
	pallet_tokenization::TemplateSpec {
		class: pallet_tokenization::TokenClass::SecurityToken,
		decimals: 0,
		max_cap: None,
		policy: pallet_tokenization::TransferPolicy::Open,
		default_lockup: None,
		issuer_roles: pallet_tokenization::RoleSet::all(),
	}
}

/// A German rule set asking `party` of both sides, with no jurisdiction lists, travel-rule
/// threshold or risk limits.
pub fn rule_set(
	party: pallet_compliance::PartyRequirement,
) -> pallet_compliance::RuleSetOf<Runtime> {
	pallet_compliance::RuleSet {
		jurisdiction: *b"DE",
		sender: party.clone(),
		receiver: party,
		allowed_jurisdictions: Default::default(),
		blocked_jurisdictions: Default::default(),
		travel_rule_threshold: None,
		review_risk_score: None,
		reject_risk_score: None,
	}
}

/// Token rules following `rule_set`, with transfers of `review_threshold` or more held for review.
pub fn review_rules(
	rule_set: pallet_compliance::RuleSetId,
	review_threshold: u128,
) -> pallet_compliance::TokenRulesOf<Runtime> {
	pallet_compliance::TokenRules {
		rule_set,
		limits: pallet_compliance::TokenLimits {
			max_holders: None,
			max_balance: None,
			max_transfer: None,
			velocity: None,
			review_threshold: Some(review_threshold),
		},
	}
}

/// `assets.create` of asset `id`, administered by `admin`, minimum balance 1.
pub fn create_asset(id: u32, admin: &AccountId) -> RuntimeCall {
	pallet_assets::Call::<Runtime>::create {
		id: id.into(),
		admin: sp_runtime::MultiAddress::Id(admin.clone()),
		min_balance: 1,
	}
	.into()
}

/// `assets.mint` of `amount` of asset `id` to `beneficiary`.
pub fn mint_asset(id: u32, beneficiary: &AccountId, amount: u128) -> RuntimeCall {
	pallet_assets::Call::<Runtime>::mint {
		id: id.into(),
		beneficiary: sp_runtime::MultiAddress::Id(beneficiary.clone()),
		amount,
	}
	.into()
}

/// `assets.transfer` of `amount` of asset `id` to `target`.
pub fn transfer_asset(id: u32, target: &AccountId, amount: u128) -> RuntimeCall {
	pallet_assets::Call::<Runtime>::transfer {
		id: id.into(),
		target: sp_runtime::MultiAddress::Id(target.clone()),
		amount,
	}
	.into()
}

/// Governance registers `spec` and `issuer` creates token `token` from it (inside
/// `execute_with`).
pub fn create_token(
	issuer: &AccountId,
	token: u32,
	spec: pallet_tokenization::TemplateSpecOf<Runtime>,
	name: &[u8],
	symbol: &[u8],
) {
	use tpwallet_runtime::{RuntimeOrigin, Tokenization};
	Tokenization::register_template(RuntimeOrigin::root(), spec)
		.expect("governance registers a template");
	let template = pallet_tokenization::NextTemplateId::<Runtime>::get() - 1;
	Tokenization::create_token(
		RuntimeOrigin::signed(issuer.clone()),
		token,
		template,
		name.to_vec().try_into().expect("short"),
		symbol.to_vec().try_into().expect("short"),
		None,
		[token as u8; 32],
	)
	.expect("the issuer creates the token");
}

/// `issuer` issues security token `token` from a new open template and mints itself `amount`
/// (inside `execute_with`).
pub fn issue_security_token(issuer: &AccountId, token: u32, amount: u128) {
	use tpwallet_runtime::{RuntimeOrigin, Tokenization};
	create_token(issuer, token, open_security_template(), b"Acme Shares", b"ACME");
	Tokenization::mint(
		RuntimeOrigin::signed(issuer.clone()),
		token,
		sp_runtime::MultiAddress::Id(issuer.clone()),
		amount,
	)
	.expect("the issuer mints");
}

/// `issuer` creates NFT collection token `token` from a new open template and mints itself
/// `items` (ids 1 to `items`) (inside `execute_with`).
pub fn issue_nft_collection(issuer: &AccountId, token: u32, items: u32) {
	use tpwallet_runtime::{RuntimeOrigin, Tokenization};
	let spec = pallet_tokenization::TemplateSpec {
		class: pallet_tokenization::TokenClass::NftCollection,
		..open_security_template()
	};
	create_token(issuer, token, spec, b"Acme Deeds", b"DEED");
	for item in 1..=items {
		Tokenization::mint_nft(
			RuntimeOrigin::signed(issuer.clone()),
			token,
			item,
			sp_runtime::MultiAddress::Id(issuer.clone()),
			Default::default(),
		)
		.expect("the issuer mints an item");
	}
}

/// A new rule set asking `party` of both sides, and `token` following it, with transfers of
/// `review_threshold` or more held for review (inside `execute_with`).
pub fn regulate_with_review(
	admin: &AccountId,
	token: u32,
	party: pallet_compliance::PartyRequirement,
	review_threshold: u128,
) {
	use tpwallet_runtime::{Compliance, RuntimeOrigin};
	let rule_set_id = pallet_compliance::NextRuleSetId::<Runtime>::get();
	Compliance::register_rule_set(RuntimeOrigin::root(), rule_set(party))
		.expect("governance registers a rule set");
	Compliance::set_token_rules(
		RuntimeOrigin::signed(admin.clone()),
		token,
		review_rules(rule_set_id, review_threshold),
	)
	.expect("the admin regulates the token");
}
