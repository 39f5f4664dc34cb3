//! `try_state` invariants: run after every block in try-runtime and after every unit test.

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{ensure, traits::fungibles::InspectHold as _};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet:
	/// - every channel's id is below `NextChannelId`, its parties differ and A's deposit is not
	///   zero (`open` requires one);
	/// - every closing record belongs to a channel, and its state (if any) is valid for it;
	/// - for each (asset, account), the balance held under `ChannelDeposit` equals the sum of
	///   that account's deposits in its channels, open or closing.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_id = NextChannelId::<T>::get();
		// Deposits each (asset, account) must have on hold.
		let mut owed: BTreeMap<Vec<u8>, (AssetKindOf<T>, T::AccountId, BalanceOf<T>)> =
			BTreeMap::new();
		let mut owe = |asset: &AssetKindOf<T>, who: &T::AccountId, amount: BalanceOf<T>| {
			let entry = owed
				.entry((asset, who).encode())
				.or_insert_with(|| (asset.clone(), who.clone(), Zero::zero()));
			entry.2 = entry.2.saturating_add(amount);
		};
		for (id, channel) in Channels::<T>::iter() {
			ensure!(id < next_id, "channel id at or above NextChannelId");
			ensure!(channel.party_a != channel.party_b, "channel between one account");
			ensure!(!channel.deposits.0.is_zero(), "channel without the opener's deposit");
			owe(&channel.asset, &channel.party_a, channel.deposits.0);
			owe(&channel.asset, &channel.party_b, channel.deposits.1);
		}
		for (id, closing) in Closings::<T>::iter() {
			let channel = Channels::<T>::get(id).ok_or("closing record without a channel")?;
			ensure!(channel.is_party(&closing.closer), "closer is not a party");
			if let Some(state) = &closing.state {
				ensure!(
					Self::ensure_valid_state(id, &channel, state).is_ok(),
					"closing state invalid for its channel"
				);
			} else {
				ensure!(closing.resolved.is_empty(), "resolutions without a closing state");
			}
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::ChannelDeposit);
		for (_, (asset, who, total)) in owed {
			ensure!(
				T::Assets::balance_on_hold(asset, &reason, &who) == total,
				"held balance differs from the sum of channel deposits"
			);
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			Channels::<T>::iter_values().map(|channel| channel.deposit()),
		)?;
		Ok(())
	}
}
