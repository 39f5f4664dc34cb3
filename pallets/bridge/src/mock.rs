//! A test runtime with the real light client (`pallet-bridge-grandpa`), native balances and
//! `pallet-assets` behind one `fungibles` interface. Two chains are two externalities of this
//! runtime with different genesis hashes; messages cross between them as real storage proofs of
//! one's state, checked against a state root in the other's light client.

use crate as pallet_bridge;
use polkadot_sdk::{
	bp_header_chain::{ChainWithGrandpa, StoredHeaderData},
	bp_runtime::{Chain, ChainId},
	frame_support::{
		derive_impl, parameter_types,
		traits::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			AsEnsureOriginWithArg, ConstU32, ConstU64, Hooks,
		},
		weights::Weight,
		PalletId,
	},
	frame_system::{EnsureRoot, EnsureSigned},
	pallet_assets, pallet_balances, pallet_bridge_grandpa,
	sp_core::H256,
	sp_runtime::{traits::BlakeTwo256, BuildStorage, DispatchError, Perbill, StateVersion},
	sp_state_machine::prove_read,
	*,
};

pub type AccountId = u64;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeHoldReason,
		RuntimeFreezeReason,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(3)]
	pub type BridgeGrandpa = pallet_bridge_grandpa;
	#[runtime::pallet_index(4)]
	pub type Bridge = pallet_bridge;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<10>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Balance = Balance;
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
}

/// The other chain, as the light client sees it: this runtime's header type.
pub struct OtherChain;

impl Chain for OtherChain {
	const ID: ChainId = *b"tpwo";
	type BlockNumber = u64;
	type Hash = H256;
	type Hasher = BlakeTwo256;
	type Header = polkadot_sdk::sp_runtime::generic::Header<u64, BlakeTwo256>;
	type AccountId = AccountId;
	type Balance = Balance;
	type Nonce = u64;
	type Signature = polkadot_sdk::sp_runtime::testing::TestSignature;
	const STATE_VERSION: StateVersion = StateVersion::V1;
	fn max_extrinsic_size() -> u32 {
		u32::MAX
	}
	fn max_extrinsic_weight() -> Weight {
		Weight::MAX
	}
}

impl ChainWithGrandpa for OtherChain {
	const WITH_CHAIN_GRANDPA_PALLET_NAME: &'static str = "BridgeGrandpa";
	const MAX_AUTHORITIES_COUNT: u32 = 16;
	const REASONABLE_HEADERS_IN_JUSTIFICATION_ANCESTRY: u32 = 8;
	const MAX_MANDATORY_HEADER_SIZE: u32 = 256;
	const AVERAGE_HEADER_SIZE: u32 = 64;
}

impl pallet_bridge_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = OtherChain;
	type MaxFreeHeadersPerBlock = ConstU32<0>;
	type FreeHeadersInterval = ();
	type HeadersToKeep = ConstU32<16>;
	type WeightInfo = ();
}

/// Native token or a `pallet-assets` id.
pub type AssetKind = NativeOrWithId<u32>;
pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, AssetKind, AccountId>;

/// Creates wrapped assets as `pallet-assets` tokens.
pub struct WrappedAssetFactory;
impl crate::CreateWrapped<AssetKind, AccountId, Balance> for WrappedAssetFactory {
	fn create(
		asset: &AssetKind,
		owner: &AccountId,
		min_balance: Balance,
	) -> Result<(), DispatchError> {
		match asset {
			NativeOrWithId::WithId(id) => {
				Assets::force_create(RuntimeOrigin::root(), (*id).into(), *owner, true, min_balance)
			}
			NativeOrWithId::Native => Err(DispatchError::Other("native cannot be wrapped")),
		}
	}
}

/// Everything but asset 66 (a stand-in for a regulated token) may cross.
pub struct NotRegulated;
impl polkadot_sdk::frame_support::traits::Contains<AssetKind> for NotRegulated {
	fn contains(asset: &AssetKind) -> bool {
		*asset != NativeOrWithId::WithId(REGULATED)
	}
}

parameter_types! {
	pub const BridgePalletId: PalletId = PalletId(*b"tpw/brdg");
	/// Storage deposit per pending transfer and per byte (tests may change them).
	pub static DepositBase: Balance = 10;
	pub static DepositPerByte: Balance = 1;
	/// Delivery fee per outbound message (tests may change it).
	pub static DeliveryFee: Balance = 5;
	pub static ConfirmationShare: Perbill = Perbill::from_percent(20);
	/// The lane's capacity (a test may raise it).
	pub static MaxUnconfirmedMessages: u32 = 16;
}

impl pallet_bridge::Config for Test {
	type BridgedChain = OtherChain;
	type BridgedHeaderChain = pallet_bridge_grandpa::GrandpaChainHeaders<Test, ()>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = NativeAndAssets;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type HaltOrigin = frame_system::EnsureRoot<AccountId>;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositPerByte = DepositPerByte;
	type DeliveryFee = DeliveryFee;
	type ConfirmationShare = ConfirmationShare;
	type MaxUnconfirmedPerSender = ConstU32<8>;
	type WrappedAssets = WrappedAssetFactory;
	type BridgeableAssets = NotRegulated;
	type PalletId = BridgePalletId;
	type MaxMessagesPerDelivery = ConstU32<8>;
	type MaxUnconfirmedMessages = MaxUnconfirmedMessages;
	type MaxProofSize = ConstU32<{ 64 * 1024 }>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// Benchmark set-up on the mock.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<H256, AssetKind, AccountId, Balance> for BenchmarkHelper {
	fn import_header(state_root: H256) -> H256 {
		import_header(state_root)
	}
	fn create_asset() -> AssetKind {
		let id = 9_999;
		if !<Assets as polkadot_sdk::frame_support::traits::fungibles::Inspect<_>>::asset_exists(id)
		{
			assert!(Assets::force_create(RuntimeOrigin::root(), id.into(), ALICE, true, 1).is_ok());
		}
		NativeOrWithId::WithId(id)
	}
	fn wrapped_asset(n: u32) -> AssetKind {
		NativeOrWithId::WithId(20_000 + n)
	}
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance) {
		use polkadot_sdk::frame_support::traits::fungible::Mutate as _;
		assert!(Balances::mint_into(who, amount.saturating_add(1_000)).is_ok());
		if let NativeOrWithId::WithId(id) = asset {
			assert!(Assets::mint(RuntimeOrigin::signed(ALICE), (*id).into(), *who, amount).is_ok());
		}
	}
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
/// A `pallet-assets` token on both chains: id 1, minimum balance 5, Alice holds 1_000.
pub const TOKEN: u32 = 1;
/// The wrapped representation of the other chain's native token.
pub const WRAPPED_NATIVE: u32 = 100;
/// The wrapped representation of the other chain's `TOKEN`.
pub const WRAPPED_TOKEN: u32 = 101;
/// A token the runtime does not let cross (as a regulated one).
pub const REGULATED: u32 = 66;
pub const NATIVE: AssetKind = NativeOrWithId::Native;
pub fn token() -> AssetKind {
	NativeOrWithId::WithId(TOKEN)
}
pub fn wrapped_native() -> AssetKind {
	NativeOrWithId::WithId(WRAPPED_NATIVE)
}

/// Genesis hash of chain A.
pub const CHAIN_A: H256 = H256::repeat_byte(0xaa);
/// Genesis hash of chain B.
pub const CHAIN_B: H256 = H256::repeat_byte(0xbb);
/// Genesis hash of a third chain.
pub const CHAIN_C: H256 = H256::repeat_byte(0xcc);

/// One chain: Alice, Bob and Charlie hold 1_000 native each; Alice holds 1_000 `TOKEN`; block 1
/// has recorded `genesis` as this chain's id.
pub fn chain(genesis: H256) -> polkadot_sdk::sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000), (BOB, 1_000), (CHARLIE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_assets::GenesisConfig::<Test> {
		assets: vec![(TOKEN, ALICE, false, 5), (REGULATED, ALICE, false, 1)],
		metadata: vec![],
		accounts: vec![(TOKEN, ALICE, 1_000), (REGULATED, ALICE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = polkadot_sdk::sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		frame_system::BlockHash::<Test>::insert(0, genesis);
		System::set_block_number(1);
		Bridge::on_initialize(1);
	});
	ext
}

/// Makes the light client accept a header with `state_root`; returns its hash.
pub fn import_header(state_root: H256) -> H256 {
	let number = pallet_bridge_grandpa::ImportedHeaders::<Test>::iter().count() as u64 + 1;
	let hash = BlakeTwo256::hash_of(&(state_root, number));
	pallet_bridge_grandpa::ImportedHeaders::<Test>::insert(
		hash,
		StoredHeaderData { number, state_root },
	);
	hash
}

use polkadot_sdk::sp_runtime::traits::Hash as _;

/// The state root of `chain` and a proof of `keys` against it.
pub fn prove(
	chain: &mut polkadot_sdk::sp_io::TestExternalities,
	keys: &[Vec<u8>],
) -> (H256, Vec<Vec<u8>>) {
	chain.commit_all().unwrap();
	let backend = chain.as_backend();
	let root = *backend.root();
	let proof = prove_read(backend, keys).unwrap();
	(root, proof.into_iter_nodes().collect())
}

/// Two chains bridged to each other: A lists native and `TOKEN`; B wraps them as
/// `WRAPPED_NATIVE` and `WRAPPED_TOKEN`. Rate limits: 500 per 10 blocks.
pub fn bridged_pair(
) -> (polkadot_sdk::sp_io::TestExternalities, polkadot_sdk::sp_io::TestExternalities) {
	let limit = crate::RateLimit { max_per_window: 500, window: 10 };
	let mut a = chain(CHAIN_A);
	let mut b = chain(CHAIN_B);
	a.execute_with(|| {
		assert!(Bridge::set_bridged_chain(RuntimeOrigin::root(), CHAIN_B).is_ok());
		assert!(Bridge::list_asset(RuntimeOrigin::root(), NATIVE, limit).is_ok());
		assert!(Bridge::list_asset(RuntimeOrigin::root(), token(), limit).is_ok());
	});
	b.execute_with(|| {
		assert!(Bridge::set_bridged_chain(RuntimeOrigin::root(), CHAIN_A).is_ok());
		let wrap = |remote, local| {
			Bridge::register_wrapped(
				RuntimeOrigin::root(),
				remote,
				NativeOrWithId::WithId(local),
				1,
				limit,
			)
		};
		assert!(wrap(NATIVE, WRAPPED_NATIVE).is_ok());
		assert!(wrap(token(), WRAPPED_TOKEN).is_ok());
	});
	(a, b)
}

/// Events of this pallet, oldest first.
pub fn bridge_events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Bridge(event) => Some(event),
			_ => None,
		})
		.collect()
}
