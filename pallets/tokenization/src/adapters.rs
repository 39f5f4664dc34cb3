//! [`UnderlyingRegistry`] and [`HolderLedger`] on the stock `pallet-assets` and `pallet-nfts`,
//! for a runtime (or a test runtime) that has both.

use super::*;
use core::marker::PhantomData;
use frame_support::traits::{fungibles::Inspect as _, Incrementable};
use polkadot_sdk::{pallet_assets, pallet_nfts};
use sp_runtime::{traits::StaticLookup, DispatchError, DispatchResult};

/// The stock ledgers of runtime `R`: `pallet-assets` for fungible tokens, `pallet-nfts` for
/// collections. Collections are created with the force call (no deposit: this pallet takes its
/// own from the issuer), metadata is set with the force call (likewise).
pub struct StockLedgers<R>(PhantomData<R>);

impl<R> UnderlyingRegistry<R::AssetId, R::CollectionId, R::AccountId> for StockLedgers<R>
where
	R: pallet_assets::Config + pallet_nfts::Config,
{
	fn create_collection(owner: &R::AccountId) -> Result<R::CollectionId, DispatchError> {
		let id = pallet_nfts::NextCollectionId::<R>::get()
			.or(R::CollectionId::initial_value())
			.ok_or(pallet_nfts::Error::<R>::UnknownCollection)?;
		let config = pallet_nfts::CollectionConfig {
			settings: pallet_nfts::CollectionSettings::from_disabled(
				pallet_nfts::CollectionSetting::DepositRequired.into(),
			),
			max_supply: None,
			mint_settings: Default::default(),
		};
		pallet_nfts::Pallet::<R>::force_create(
			frame_system::RawOrigin::Root.into(),
			R::Lookup::unlookup(owner.clone()),
			config,
		)?;
		Ok(id)
	}

	fn set_metadata(
		token: R::AssetId,
		name: alloc::vec::Vec<u8>,
		symbol: alloc::vec::Vec<u8>,
		decimals: u8,
	) -> DispatchResult {
		pallet_assets::Pallet::<R>::force_set_metadata(
			frame_system::RawOrigin::Root.into(),
			token.into(),
			name,
			symbol,
			decimals,
			false,
		)
	}
}

impl<R> HolderCount<R::AssetId> for StockLedgers<R>
where
	R: pallet_assets::Config,
{
	fn holder_count(token: &R::AssetId) -> u32 {
		pallet_assets::Asset::<R>::get(token).map(|d| d.accounts).unwrap_or(0)
	}
}

impl<R> HolderLedger<R::AssetId, R::AccountId, R::Balance> for StockLedgers<R>
where
	R: pallet_assets::Config,
{
	fn holders(token: R::AssetId) -> alloc::vec::Vec<(R::AccountId, R::Balance)> {
		pallet_assets::Account::<R>::iter_key_prefix(&token)
			.map(|who| {
				let balance = pallet_assets::Pallet::<R>::total_balance(token.clone(), &who);
				(who, balance)
			})
			.collect()
	}
}
