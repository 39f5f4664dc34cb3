//! Cross-chain value transfer: hash-time-locked contracts for atomic swaps.

use crate::*;
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// At least 10 minutes: time for the other chain's side of a swap to see a claim.
	pub const HtlcMinLockDuration: BlockNumber = 10 * MINUTES;
	/// At most 30 days.
	pub const HtlcMaxLockDuration: BlockNumber = 30 * DAYS;
}

impl pallet_htlc::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Assets = configs::NativeAndAssets;
	// Bitcoin and Ethereum HTLCs use 32-byte preimages; leave room for longer secrets.
	type MaxPreimageLen = ConstU32<256>;
	type MinLockDuration = HtlcMinLockDuration;
	type MaxLockDuration = HtlcMaxLockDuration;
	type WeightInfo = weights::pallet_htlc::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = HtlcBenchmarkHelper;
}

/// Creates a `pallet-assets` token (the costlier kind) for the HTLC benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct HtlcBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl
	pallet_htlc::BenchmarkHelper<
		frame_support::traits::fungible::NativeOrWithId<AssetId>,
		AccountId,
		Balance,
	> for HtlcBenchmarkHelper
{
	fn create_asset() -> frame_support::traits::fungible::NativeOrWithId<AssetId> {
		let id: AssetId = 0x4854_4c43; // "HTLC"
		if !<Assets as frame_support::traits::fungibles::Inspect<AccountId>>::asset_exists(id) {
			let owner = sp_keyring::Sr25519Keyring::Alice.to_account_id();
			// Benchmark set-up only: failing here fails the benchmark run, loudly.
			let created =
				Assets::force_create(RuntimeOrigin::root(), id.into(), owner.into(), true, 1);
			assert!(created.is_ok(), "benchmark asset is created");
		}
		frame_support::traits::fungible::NativeOrWithId::WithId(id)
	}

	fn fund(
		asset: &frame_support::traits::fungible::NativeOrWithId<AssetId>,
		who: &AccountId,
		amount: Balance,
	) {
		use frame_support::traits::fungible::{Mutate as _, NativeOrWithId};
		let native = Balances::mint_into(who, amount.saturating_add(EXISTENTIAL_DEPOSIT));
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
