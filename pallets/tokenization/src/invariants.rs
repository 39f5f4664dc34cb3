//! `try_state` invariants: run after every block in try-runtime and after every step of the unit
//! and property tests.

use super::*;
use alloc::{collections::BTreeMap, vec::Vec};
use codec::Encode;
use frame_support::{
	ensure,
	traits::{
		fungibles::{Inspect as _, InspectHold as _},
		tokens::nonfungibles_v2::Inspect as _,
	},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet:
	/// - a fungible token's supply is at most its cap and equals the sum of its holders'
	///   balances; an NFT collection's item count is at most its cap;
	/// - a stablecoin's supply is at most its attested reserves (unless the attestation itself
	///   recorded a shortfall), and is zero before any attestation;
	/// - no lock-up schedule is malformed;
	/// - a distribution never pays more than was deposited, and the funds held for distributions
	///   and buybacks equal what they still owe;
	/// - the open-distribution lists and the distributions agree;
	/// - the forced-debit marker never outlives an extrinsic;
	/// - each issuer holds its tokens' deposits, each redeemer its redemptions' storage deposits,
	///   each minter its NFT items' storage deposits, each admin who first renounced a power its
	///   record's storage deposit;
	/// - renounced powers are recorded only for existing tokens, and never as an empty set;
	/// - each token's counts of pending redemptions and open buybacks match those records;
	/// - a token being destroyed has no supply, no item, no open distribution, redemption or
	///   buyback.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		ensure!(ForcedDebit::<T>::get().is_none(), "forced-debit marker left set");
		let mut obligations = Self::obligations_by_token();
		for (token, details) in Tokens::<T>::iter() {
			ensure!(
				obligations.remove(&token).unwrap_or_default()
					== (details.pending_redemptions, details.open_buybacks),
				"a token's redemption or buyback count differs from its records"
			);
			if details.status == TokenStatus::Destroying {
				ensure!(
					details.items == 0 && T::Assets::total_issuance(token.clone()).is_zero(),
					"a token being destroyed has units"
				);
				ensure!(
					OpenDistributions::<T>::get(&token).is_empty(),
					"a token being destroyed has open distributions"
				);
			}
		}
		ensure!(obligations.is_empty(), "a redemption or buyback of an unknown token");
		for (token, item, owner) in EscrowedItems::<T>::iter() {
			let collection = Tokens::<T>::get(&token).and_then(|d| d.collection);
			ensure!(
				collection.is_some_and(|c| T::Nfts::owner(&c, &item) == Some(owner)),
				"an NFT in escrow for an account that does not own it"
			);
		}
		for (token, record) in RenouncedPowers::<T>::iter() {
			ensure!(Tokens::<T>::contains_key(&token), "renounced powers of an unknown token");
			ensure!(!record.powers.is_empty(), "a renounced-powers record renouncing nothing");
		}
		for (token, details) in Tokens::<T>::iter() {
			if details.class == TokenClass::NftCollection {
				if let Some(cap) = details.cap {
					ensure!(T::Balance::from(details.items) <= cap, "items above cap");
				}
				continue;
			}
			let supply = T::Assets::total_issuance(token.clone());
			if let Some(cap) = details.cap {
				ensure!(supply <= cap, "supply above cap");
			}
			let held: T::Balance = T::Holders::holders(token.clone())
				.into_iter()
				.fold(Zero::zero(), |sum: T::Balance, (_, b)| sum.saturating_add(b));
			ensure!(held == supply, "sum of holder balances differs from supply");
			if details.class == TokenClass::Stablecoin {
				match Reserves::<T>::get(&token) {
					Some(r) => ensure!(r.shortfall || supply <= r.amount, "supply above reserves"),
					None => ensure!(supply.is_zero(), "stablecoin supply without reserves"),
				}
			}
		}
		for (_, _, schedules) in Lockups::<T>::iter() {
			for s in schedules.iter() {
				ensure!(Self::lockup_terms_valid(&s.terms), "malformed lock-up schedule");
			}
		}

		// Funds each (reason, asset, account) must have on hold.
		let mut owed: BTreeMap<Vec<u8>, (T::FundsAssetId, T::AccountId, HoldReason, T::Balance)> =
			BTreeMap::new();
		let mut owe = |reason: HoldReason, asset: &T::FundsAssetId, who: &T::AccountId, amount| {
			let entry = owed
				.entry((reason, asset, who).encode())
				.or_insert_with(|| (asset.clone(), who.clone(), reason, Zero::zero()));
			entry.3 = entry.3.saturating_add(amount);
		};
		for (id, d) in Distributions::<T>::iter() {
			ensure!(d.paid <= d.amount, "distribution paid more than deposited");
			ensure!(
				OpenDistributions::<T>::get(&d.token).contains(&id),
				"distribution missing from its token's open list"
			);
			owe(
				HoldReason::DistributionFunds,
				&d.payout_asset,
				&d.payer,
				d.amount.saturating_sub(d.paid),
			);
		}
		for (_, open) in OpenDistributions::<T>::iter() {
			for id in open.iter() {
				ensure!(
					Distributions::<T>::contains_key(id),
					"open list names a closed distribution"
				);
			}
		}
		for (_, b) in Buybacks::<T>::iter() {
			owe(HoldReason::BuybackBudget, &b.payment_asset, &b.buyer, b.remaining_budget);
		}
		for (_, (asset, who, reason, amount)) in owed {
			let on_hold = T::Funds::balance_on_hold(asset, &reason.into(), &who);
			ensure!(
				on_hold == amount,
				"held funds differ from what distributions and buybacks owe"
			);
		}

		// Native deposits: each issuer holds its tokens' deposits; each redeemer, minter and
		// renouncing admin the storage deposits of what they stored.
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::TokenDeposit.into(),
			Tokens::<T>::iter_values()
				.map(|details| Deposit { depositor: details.issuer, amount: details.deposit }),
		)?;
		for redemption in Redemptions::<T>::iter_values() {
			ensure!(
				redemption.deposit.depositor == redemption.holder,
				"redemption deposit paid by another account than the holder"
			);
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			Redemptions::<T>::iter_values()
				.map(|redemption| redemption.deposit)
				.chain(ItemDeposits::<T>::iter_values())
				.chain(RenouncedPowers::<T>::iter_values().map(|record| record.deposit)),
		)?;
		Ok(())
	}
}
