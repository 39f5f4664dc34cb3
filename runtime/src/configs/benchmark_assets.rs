//! A `pallet-assets` token (the costlier kind of asset) and funded accounts for the benchmarks of
//! tpwallet's pallets.

use crate::*;
use frame_support::traits::{
	fungible::{Mutate as _, NativeOrWithId},
	fungibles::Inspect as _,
};

/// Creates the benchmark asset and funds benchmark accounts.
pub struct BenchmarkAssets;

impl BenchmarkAssets {
	/// The benchmark asset, created on first use.
	pub fn asset() -> NativeOrWithId<AssetId> {
		let id: AssetId = 0x4245_4e43; // "BENC"
		if !Assets::asset_exists(id) {
			let owner = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			// Benchmark set-up only: failing here fails the benchmark run, loudly.
			let created =
				Assets::force_create(RuntimeOrigin::root(), id.into(), owner.into(), true, 1);
			assert!(created.is_ok(), "benchmark asset is created");
		}
		NativeOrWithId::WithId(id)
	}

	/// Gives `who` `amount` of `asset`, and enough of the native token for deposits and holds.
	pub fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		let native = Balances::mint_into(who, amount.saturating_add(1_000 * UNIT));
		assert!(native.is_ok(), "benchmark account is funded");
		if let NativeOrWithId::WithId(id) = asset {
			let owner = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			let minted = Assets::mint(
				RuntimeOrigin::signed(owner),
				(*id).into(),
				who.clone().into(),
				amount,
			);
			assert!(minted.is_ok(), "benchmark account holds the asset");
		}
	}
}

impl pallet_htlc::BenchmarkHelper<NativeOrWithId<AssetId>, AccountId, Balance> for BenchmarkAssets {
	fn create_asset() -> NativeOrWithId<AssetId> {
		Self::asset()
	}
	fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		BenchmarkAssets::fund(asset, who, amount)
	}
}

impl pallet_tokenization::BenchmarkHelper<NativeOrWithId<AssetId>, AccountId, Balance>
	for BenchmarkAssets
{
	fn funds_asset() -> NativeOrWithId<AssetId> {
		Self::asset()
	}
	fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		BenchmarkAssets::fund(asset, who, amount)
	}
}

impl
	pallet_payment_channels::BenchmarkHelper<NativeOrWithId<AssetId>, AccountId, Balance, Signature>
	for BenchmarkAssets
{
	fn create_asset() -> NativeOrWithId<AssetId> {
		Self::asset()
	}
	fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		BenchmarkAssets::fund(asset, who, amount)
	}
	fn account(public: sp_core::sr25519::Public) -> AccountId {
		public.into()
	}
	fn signature(signature: sp_core::sr25519::Signature) -> Signature {
		signature.into()
	}
}

impl pallet_bridge::BenchmarkHelper<Hash, NativeOrWithId<AssetId>, AccountId, Balance>
	for BenchmarkAssets
{
	fn import_header(state_root: Hash) -> Hash {
		use sp_runtime::traits::Header as _;
		let header =
			Header::new(1, Default::default(), state_root, Default::default(), Default::default());
		let hash = header.hash();
		pallet_bridge_grandpa::initialize_for_benchmarks::<Runtime, ()>(header);
		hash
	}
	fn create_asset() -> NativeOrWithId<AssetId> {
		Self::asset()
	}
	fn wrapped_asset(n: u32) -> NativeOrWithId<AssetId> {
		NativeOrWithId::WithId(0x5752_0000 + n) // "WR.."
	}
	fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		BenchmarkAssets::fund(asset, who, amount)
	}
}

impl pallet_settlement::BenchmarkHelper<NativeOrWithId<AssetId>, AccountId, Balance>
	for BenchmarkAssets
{
	/// The benchmark asset for index 0, then one more `pallet-assets` token per index.
	fn create_asset(index: u32) -> NativeOrWithId<AssetId> {
		let base = Self::asset();
		if index == 0 {
			return base;
		}
		let id: AssetId = 0x5345_0000_u32.saturating_add(index); // "SE.."
		if !Assets::asset_exists(id) {
			let owner = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			// Benchmark set-up only: failing here fails the benchmark run, loudly.
			let created =
				Assets::force_create(RuntimeOrigin::root(), id.into(), owner.into(), true, 1);
			assert!(created.is_ok(), "benchmark asset is created");
		}
		NativeOrWithId::WithId(id)
	}
	fn fund(asset: &NativeOrWithId<AssetId>, who: &AccountId, amount: Balance) {
		BenchmarkAssets::fund(asset, who, amount)
	}
}
