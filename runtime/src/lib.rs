//! The tpwallet runtime: tokenized assets, real-time payments and compliance on one settlement
//! network.
//!
//! This crate composes stock FRAME pallets (consensus, balances, assets, NFTs, multisig, utility,
//! proxy, fees, governance, sessions) with tpwallet's own pallets. Pallet configuration lives in [`configs`], the
//! runtime APIs in [`apis`] and the genesis presets in [`genesis_config_presets`].
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;
#[cfg(feature = "std")]
pub mod signing;
mod weights;

pub use polkadot_sdk::*;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::RuntimeVersion;
/// The account, balance, block, asset and time types and the token's constants, shared with the
/// off-chain tools through `tpwallet-primitives`.
pub use tpwallet_primitives::{
	AccountId, Address, AssetId, AssetKind, Balance, BlockNumber, CollectionId, Hash, Header,
	ItemId, Nonce, Signature, MICRO_UNIT, MILLI_SECS_PER_BLOCK, MILLI_UNIT, SS58_PREFIX,
	TOKEN_DECIMALS, TOKEN_SYMBOL, UNIT,
};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Opaque types the node uses without knowing the runtime's extrinsic format, so it keeps
/// syncing across runtime upgrades that change it.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for block authoring, GRANDPA for finality votes.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` with every runtime upgrade and
/// `transaction_version` whenever call indices or transaction extensions change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tpwallet"),
	impl_name: alloc::borrow::Cow::Borrowed("tpwallet-runtime"),
	authoring_version: 1,
	spec_version: 109,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Aura slot duration, read by `pallet_timestamp` and so by `pallet_aura`.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Time measured in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// Existential deposit: an account holding less than this is reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Storage deposit for `items` storage entries holding `bytes` bytes in total.
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance) * 100 * MILLI_UNIT + (bytes as Balance) * MICRO_UNIT * 10
}

/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Identifier of a block.
pub type BlockId = generic::BlockId<Block>;
/// The transaction extensions, in the order polkadot.js and other signers expect them.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The transaction extensions for a transaction from an account with `nonce`, valid for the era
/// `era` and paying `tip`. Metadata-hash checking is off, as polkadot.js sends it by default.
pub fn tx_extension(nonce: Nonce, era: generic::Era, tip: Balance) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// Unchecked extrinsic type.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations `Executive` runs on the first block of a new runtime, in order. Each is idempotent
/// or guarded by its pallet's `StorageVersion`, so one left here after its release is harmless.
pub type Migrations = (
	// spec 103: sessions over the running authorities, and the governance pallets.
	migrations::IntroduceSessionsAndGovernance,
	pallet_bridge::migrations::RecordThisChain<Runtime>,
	pallet_htlc::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_payment_channels::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 101: channels store their deposit's amount only (the payer is the opener).
	pallet_payment_channels::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_tokenization::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 102: tokens record their status and open redemptions and buybacks (destruction).
	pallet_tokenization::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_compliance::migrations::v1::MigrateV0ToV1<Runtime>,
	pallet_bridge::migrations::v1::MigrateV0ToV1<Runtime>,
	// spec 101: the inbound lane records who delivered what, so the source chain pays them.
	pallet_bridge::migrations::v2::MigrateV1ToV2<Runtime>,
	// spec 109: clearing schemes can be dissolved; `MaxSchemes` bounds those that exist.
	pallet_settlement::migrations::v1::MigrateV0ToV1<Runtime>,
);

/// Unsigned transactions the runtime itself creates: GRANDPA equivocation reports, submitted by
/// the node's voter through the off-chain transaction pool.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

/// Executive: dispatches to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// Consensus and chain basics.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(4)]
	pub type Authorship = pallet_authorship;

	// The validator set. Declared before Aura and GRANDPA: the validator set's genesis feeds the
	// session's, which sets theirs, and a session rotates before Aura reads its authorities.
	#[runtime::pallet_index(5)]
	pub type ValidatorSet = pallet_validator_set;
	#[runtime::pallet_index(6)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(7)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(8)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(9)]
	pub type AuraEquivocation = pallet_aura_equivocation;

	// Native token and fees.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Governance (`configs/governance.rs`). `Sudo` has a key on the `dev` chain only.
	#[runtime::pallet_index(20)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(21)]
	pub type Parameters = pallet_parameters;
	#[runtime::pallet_index(22)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(23)]
	pub type TechnicalCommittee = pallet_collective<Instance2>;
	#[runtime::pallet_index(24)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(25)]
	pub type TechnicalMembership = pallet_membership<Instance2>;
	#[runtime::pallet_index(26)]
	pub type ComplianceOfficers = pallet_membership<Instance3>;
	#[runtime::pallet_index(27)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(28)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(29)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(33)]
	pub type TxPause = pallet_tx_pause;

	// Accounts and dispatch helpers.
	#[runtime::pallet_index(30)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(31)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(32)]
	pub type Proxy = pallet_proxy;

	// Tokens.
	#[runtime::pallet_index(40)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(41)]
	pub type Nfts = pallet_nfts;
	#[runtime::pallet_index(42)]
	pub type AssetsHolder = pallet_assets_holder;
	#[runtime::pallet_index(43)]
	pub type Tokenization = pallet_tokenization;
	#[runtime::pallet_index(44)]
	pub type Compliance = pallet_compliance;

	// Cross-chain.
	#[runtime::pallet_index(50)]
	pub type Htlc = pallet_htlc;
	#[runtime::pallet_index(51)]
	pub type BridgeGrandpa = pallet_bridge_grandpa;
	#[runtime::pallet_index(52)]
	pub type Bridge = pallet_bridge;

	// Real-time payments.
	#[runtime::pallet_index(60)]
	pub type PaymentChannels = pallet_payment_channels;

	// Settlement: delivery versus payment, clearing.
	#[runtime::pallet_index(70)]
	pub type Settlement = pallet_settlement;
}
