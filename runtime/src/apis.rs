//! The runtime APIs the node, polkadot.js and wallets call.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;
			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;
			use frame_support::traits::KeyOwnerProofSystem;
			// The proof that the key belonged to a validator of the current session.
			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|proof| proof.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl pallet_aura_equivocation_runtime_api::AuraEquivocationApi<Block, AuraId> for Runtime {
		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_slots::EquivocationProof<<Block as BlockT>::Header, AuraId>,
		) -> Option<()> {
			AuraEquivocation::submit_unsigned_equivocation_report(equivocation_proof).ok()
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_tokenization_runtime_api::TokenizationApi<
		Block,
		AccountId,
		AssetId,
		Balance,
		frame_support::traits::fungible::NativeOrWithId<AssetId>,
	> for Runtime {
		fn token_info(token: AssetId) -> Option<pallet_tokenization::TokenInfo<AccountId, Balance>> {
			Tokenization::token_info(token)
		}

		fn holder_balance(
			token: AssetId,
			who: AccountId,
		) -> Option<pallet_tokenization::HolderBalance<Balance>> {
			Tokenization::holder_balance(token, who)
		}

		fn claimable(
			token: AssetId,
			who: AccountId,
		) -> Vec<pallet_tokenization::Claimable<frame_support::traits::fungible::NativeOrWithId<AssetId>, Balance>> {
			Tokenization::claimable(token, who)
		}

		fn roles(token: AssetId, who: AccountId) -> pallet_tokenization::RoleSet {
			Tokenization::roles_of(token, who)
		}

		fn check_transfer(
			token: AssetId,
			from: AccountId,
			to: AccountId,
			amount: Balance,
			travel_rule: Option<[u8; 32]>,
		) -> pallet_tokenization::TransferCheck {
			configs::transfer_check(Tokenization::check_transfer(token, from, to, amount, travel_rule))
		}
	}

	impl pallet_payment_channels_runtime_api::PaymentChannelsApi<
		Block,
		AccountId,
		frame_support::traits::fungible::NativeOrWithId<AssetId>,
		Balance,
		BlockNumber,
	> for Runtime {
		fn channel(
			id: pallet_payment_channels::ChannelId,
		) -> Option<pallet_payment_channels::ChannelInfoOf<Runtime>> {
			PaymentChannels::channel_info(id)
		}

		fn state_payload(
			kind: pallet_payment_channels::PayloadKind,
			state: pallet_payment_channels::ChannelState<Balance>,
		) -> Vec<u8> {
			PaymentChannels::state_payload(kind, &state)
		}
	}

	impl pallet_settlement_runtime_api::SettlementApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn execution_failures(
			id: pallet_settlement::InstructionId,
		) -> Vec<pallet_settlement::ExecutionFailureOf<Runtime>> {
			Settlement::execution_failures(id)
		}

		fn open_cycle(
			scheme: pallet_settlement::SchemeId,
		) -> Option<pallet_settlement::CycleView<Balance, BlockNumber>> {
			Settlement::open_cycle(scheme)
		}

		fn member(
			scheme: pallet_settlement::SchemeId,
			who: AccountId,
		) -> Option<pallet_settlement::MemberView<AccountId, Balance>> {
			Settlement::member(scheme, who)
		}
	}

	impl pallet_compliance::runtime_api::ComplianceApi<Block, AccountId> for Runtime {
		fn verify_attribute(
			who: AccountId,
			key: Vec<u8>,
			value: Vec<u8>,
			proof: Vec<[u8; 32]>,
			leaf_index: u32,
			leaf_count: u32,
		) -> bool {
			Compliance::verify_attribute(&who, &key, &value, &proof, leaf_index, leaf_count)
		}

		fn claim(who: AccountId) -> Option<(u8, pallet_compliance::Jurisdiction, bool, bool)> {
			Compliance::valid_claim(&who).map(|c| {
				(c.facts.tier, c.facts.jurisdiction, c.facts.accredited, c.facts.sanctions_screened)
			})
		}
	}

	impl pallet_nfts_runtime_api::NftsApi<Block, AccountId, CollectionId, ItemId> for Runtime {
		fn owner(collection: CollectionId, item: ItemId) -> Option<AccountId> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::owner(&collection, &item)
		}

		fn collection_owner(collection: CollectionId) -> Option<AccountId> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_owner(&collection)
		}

		fn attribute(collection: CollectionId, item: ItemId, key: Vec<u8>) -> Option<Vec<u8>> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::attribute(&collection, &item, &key)
		}

		fn custom_attribute(
			account: AccountId,
			collection: CollectionId,
			item: ItemId,
			key: Vec<u8>,
		) -> Option<Vec<u8>> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::custom_attribute(
				&account, &collection, &item, &key,
			)
		}

		fn system_attribute(collection: CollectionId, item: Option<ItemId>, key: Vec<u8>) -> Option<Vec<u8>> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::system_attribute(
				&collection, item.as_ref(), &key,
			)
		}

		fn collection_attribute(collection: CollectionId, key: Vec<u8>) -> Option<Vec<u8>> {
			<Nfts as frame_support::traits::tokens::nonfungibles_v2::Inspect<AccountId>>::collection_attribute(&collection, &key)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::{baseline, BenchmarkList};
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use sp_storage::TrackedStorageKey;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use baseline::Pallet as BaselineBench;

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is an off-chain tool: failing loudly here is the point.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
