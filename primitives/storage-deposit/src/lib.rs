//! Storage deposits.
//!
//! Whatever a signed origin stores, it pays for: a deposit held from its native balance, priced
//! `base + per_byte × bytes` (as `pallet-multisig`'s `DepositBase` and `DepositFactor`), and
//! released when the item is removed. The item records the [`Deposit`] itself (who paid and how
//! much), so the refund is exact even after governance changes the price.
//!
//! The pallets hold under a `StorageDeposit` hold reason of their own, so `try_state` can check,
//! per depositor, that what is held under it equals what that pallet's items record
//! ([`check_held`]).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
	sp_runtime::{
		traits::{Saturating, Zero},
		DispatchResult,
	},
};
use scale_info::TypeInfo;

/// A deposit held for one stored item.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Deposit<AccountId, Balance> {
	/// Who paid it, and gets it back.
	pub depositor: AccountId,
	/// How much is held.
	pub amount: Balance,
}

/// The price of one item of `bytes` bytes: `base + per_byte × bytes`, saturating.
pub fn price<Balance: Saturating + From<u32> + Copy>(
	base: Balance,
	per_byte: Balance,
	bytes: usize,
) -> Balance {
	let bytes = u32::try_from(bytes).unwrap_or(u32::MAX);
	per_byte.saturating_mul(Balance::from(bytes)).saturating_add(base)
}

impl<AccountId, Balance: Saturating + From<u32> + Copy + Zero> Deposit<AccountId, Balance> {
	/// The deposit `depositor` owes for an item of `bytes` bytes at `(base, per_byte)`.
	pub fn priced(
		depositor: AccountId,
		(base, per_byte): (Balance, Balance),
		bytes: usize,
	) -> Self {
		Self { depositor, amount: price(base, per_byte, bytes) }
	}

	/// A zero deposit: a placeholder while an item's size is measured, and what items stored
	/// before deposits existed record.
	pub fn none(depositor: AccountId) -> Self {
		Self { depositor, amount: Zero::zero() }
	}

	/// Fails when the depositor could not have the deposit put on hold.
	pub fn ensure_can_hold<Currency>(&self, reason: &Currency::Reason) -> DispatchResult
	where
		Currency: MutateHold<AccountId, Balance = Balance>,
	{
		if !self.amount.is_zero() {
			Currency::ensure_can_hold(reason, &self.depositor, self.amount)?;
		}
		Ok(())
	}

	/// Puts the deposit on hold on the depositor's account, under `reason` of `Currency`.
	pub fn hold<Currency>(&self, reason: &Currency::Reason) -> DispatchResult
	where
		Currency: MutateHold<AccountId, Balance = Balance>,
	{
		if !self.amount.is_zero() {
			Currency::hold(reason, &self.depositor, self.amount)?;
		}
		Ok(())
	}

	/// Releases the deposit to its depositor: all of it, or what is left on hold if less (only
	/// possible if the books are already wrong, which `try_state` reports), so that removing an
	/// item, and what else the removal releases, never gets stuck on its deposit.
	pub fn release<Currency>(&self, reason: &Currency::Reason) -> DispatchResult
	where
		Currency: MutateHold<AccountId, Balance = Balance>,
	{
		if !self.amount.is_zero() {
			Currency::release(reason, &self.depositor, self.amount, Precision::BestEffort)?;
		}
		Ok(())
	}
}

/// For `try_state`: for each depositor of `deposits`, what is held under `reason` equals the sum
/// of its deposits.
pub fn check_held<AccountId, Balance, Currency>(
	reason: &Currency::Reason,
	deposits: impl IntoIterator<Item = Deposit<AccountId, Balance>>,
) -> Result<(), &'static str>
where
	AccountId: Ord,
	Balance: Saturating + Zero + Copy + PartialEq,
	Currency: InspectHold<AccountId, Balance = Balance>,
{
	let mut totals: BTreeMap<AccountId, Balance> = BTreeMap::new();
	for deposit in deposits {
		let total = totals.entry(deposit.depositor).or_insert_with(Zero::zero);
		*total = total.saturating_add(deposit.amount);
	}
	for (depositor, total) in totals {
		if Currency::balance_on_hold(reason, &depositor) != total {
			return Err("storage deposit held differs from the sum of the depositor's items");
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn price_is_base_plus_bytes_and_saturates() {
		assert_eq!(price(10u64, 2, 0), 10);
		assert_eq!(price(10u64, 2, 33), 76);
		assert_eq!(price(1u64, u64::MAX, 2), u64::MAX);
		assert_eq!(price(0u32, 1, usize::MAX), u32::MAX);
	}
}
