//! `try_state` invariants: run after every block in try-runtime, by the runtime fuzzer, and
//! after every unit test.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	traits::{fungibles::InspectHold as _, Get},
};
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet:
	/// - every pending instruction has legs, an id below `NextInstructionId`, and each leg
	///   without a hash lock is unlocked;
	/// - for each sender and asset of any leg, what it holds under `Instruction` is exactly the
	///   sum of its affirmed sending legs;
	/// - each affirmed NFT leg's item is in escrow for its instruction (unless an authority moved
	///   it), and each escrow record belongs to an affirmed NFT leg of its instruction;
	/// - each creator holds its instructions' storage deposits, each venue owner its venues',
	///   each receiver its pre-approvals';
	/// - the schedule lists exactly the instructions that settle at a later block, under that
	///   block;
	/// - and the clearing schemes' ([`Self::try_state_schemes`]).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::try_state_schemes()?;
		let next_id = NextInstructionId::<T>::get();
		let now = frame_system::Pallet::<T>::block_number();
		let mut held: Vec<((T::AccountId, AssetKindOf<T>), BalanceOf<T>)> = Vec::new();
		for (id, instruction) in Instructions::<T>::iter() {
			ensure!(id < next_id, "instruction id at or above NextInstructionId");
			ensure!(!instruction.legs.is_empty(), "instruction without legs");
			for (leg, status) in instruction.legs.iter() {
				ensure!(
					leg.hash_lock.is_some() || status.unlocked,
					"a leg without a hash lock is locked"
				);
				match &leg.asset {
					LegAsset::Fungible { asset, amount } => {
						let amount = if status.sender_affirmed { *amount } else { Zero::zero() };
						instructions::add_to(&mut held, &(leg.from.clone(), asset.clone()), amount);
					}
					LegAsset::Nft { collection, item } => {
						let holder = EscrowedNfts::<T>::get(collection, item);
						if status.sender_affirmed {
							ensure!(
								holder.is_none() || holder == Some(id),
								"an affirmed NFT leg's item is in escrow for another instruction"
							);
						} else {
							ensure!(holder != Some(id), "an unaffirmed NFT leg holds an escrow");
						}
					}
				}
			}
			if let SettlementType::AtBlock(at) = instruction.settlement {
				if at > now {
					ensure!(
						Scheduled::<T>::get(at).contains(&id),
						"an instruction due later is missing from the schedule"
					);
				}
			}
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::Instruction);
		for ((sender, asset), total) in held {
			ensure!(
				T::Assets::balance_on_hold(asset, &reason, &sender) == total,
				"held balance differs from the sender's affirmed legs"
			);
		}
		for (at, ids) in Scheduled::<T>::iter() {
			ensure!(!ids.is_empty(), "an empty schedule entry");
			for id in ids {
				let instruction =
					Instructions::<T>::get(id).ok_or("a scheduled instruction is gone")?;
				ensure!(
					instruction.settlement == SettlementType::AtBlock(at),
					"an instruction scheduled at another block"
				);
			}
		}
		for (collection, item, id) in EscrowedNfts::<T>::iter() {
			let instruction =
				Instructions::<T>::get(id).ok_or("an escrow of a gone instruction")?;
			ensure!(
				instruction.legs.iter().any(|(leg, status)| {
					status.sender_affirmed && leg.asset.nft() == Some((&collection, &item))
				}),
				"an escrow without an affirmed leg"
			);
		}
		for (_, venue) in Venues::<T>::iter() {
			ensure!(venue.deposit.depositor == venue.owner, "a venue's deposit held from another");
		}
		for (receiver, _, deposit) in VenuePreapprovals::<T>::iter() {
			ensure!(deposit.depositor == receiver, "a pre-approval's deposit held from another");
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			Instructions::<T>::iter_values()
				.map(|instruction| instruction.deposit)
				.chain(Venues::<T>::iter_values().map(|venue| venue.deposit))
				.chain(VenuePreapprovals::<T>::iter_values()),
		)?;
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// Clearing schemes:
	/// - `SchemeCount` counts the schemes, at most `MaxSchemes`, each with an id below
	///   `NextSchemeId`;
	/// - what a member holds as collateral in an asset is the sum of its collateral in the
	///   schemes of that asset;
	/// - in each open cycle, what was paid equals what was received;
	/// - positions exist only for a scheme's open cycle or the cycle it is settling;
	/// - each settling scheme is queued once, and each queued scheme is settling;
	/// - each open scheme's close is scheduled at its `closes_at`, and nothing else is;
	/// - bilateral credit limits are granted by other members of the scheme, and usage is kept
	///   only between members with a limit in either direction;
	/// - each scheme account holds at least its float, its kept payouts and what a netting has
	///   collected and not yet paid out.
	pub fn try_state_schemes() -> Result<(), TryRuntimeError> {
		use frame_support::traits::fungibles::Inspect as _;
		let next_id = NextSchemeId::<T>::get();
		let mut schemes = 0u32;
		for id in Schemes::<T>::iter_keys() {
			ensure!(id < next_id, "scheme id at or above NextSchemeId");
			schemes = schemes.saturating_add(1);
		}
		ensure!(SchemeCount::<T>::get() == schemes, "SchemeCount differs from the schemes");
		ensure!(schemes <= T::MaxSchemes::get(), "more schemes than MaxSchemes");
		for (at, ids) in CycleCloses::<T>::iter() {
			for id in ids {
				let scheme = Schemes::<T>::get(id).ok_or("a close scheduled for no scheme")?;
				ensure!(
					scheme.status == SchemeStatus::Active && scheme.closes_at == at,
					"a close scheduled apart from the scheme's closes_at"
				);
			}
		}
		let mut collateral: Vec<((T::AccountId, AssetKindOf<T>), BalanceOf<T>)> = Vec::new();
		for (id, member, record) in Members::<T>::iter() {
			let scheme = Schemes::<T>::get(id).ok_or("a member of an unknown scheme")?;
			for (creditor, _) in record.credit_limits.iter() {
				ensure!(creditor != &member, "a member granted itself a credit limit");
				ensure!(
					Members::<T>::contains_key(id, creditor),
					"a credit limit granted by a non-member"
				);
			}
			instructions::add_to(&mut collateral, &(member, scheme.asset), record.collateral);
		}
		for ((id, payer), payee, _) in CreditUsage::<T>::iter() {
			let limit_between = |debtor: &T::AccountId, creditor: &T::AccountId| {
				Members::<T>::get(id, debtor).and_then(|r| r.credit_limit(creditor)).is_some()
			};
			ensure!(
				limit_between(&payer, &payee) || limit_between(&payee, &payer),
				"credit usage kept between members without a limit"
			);
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::Collateral);
		for ((member, asset), total) in collateral {
			ensure!(
				T::Assets::balance_on_hold(asset, &reason, &member) == total,
				"collateral held differs from the member records"
			);
		}
		let queue = NettingQueue::<T>::get();
		ensure!(
			queue.len() == Nettings::<T>::iter_keys().count(),
			"the netting queue and the nettings differ"
		);
		for ((id, cycle), _, _) in Positions::<T>::iter() {
			let scheme = Schemes::<T>::get(id).ok_or("a position in an unknown scheme")?;
			let settling = Nettings::<T>::get(id).map(|n| n.cycle);
			ensure!(
				cycle == scheme.cycle || Some(cycle) == settling,
				"a position of a cycle neither open nor settling"
			);
		}
		for (id, scheme) in Schemes::<T>::iter() {
			let (mut paid, mut received) = (BalanceOf::<T>::zero(), BalanceOf::<T>::zero());
			for (_, position) in Positions::<T>::iter_prefix((id, scheme.cycle)) {
				paid.saturating_accrue(position.paid);
				received.saturating_accrue(position.received);
			}
			ensure!(paid == received, "an open cycle's payments and receipts differ");
			if let Some(netting) = Nettings::<T>::get(id) {
				ensure!(queue.contains(&id), "a settling scheme is not queued");
				ensure!(netting.cycle < scheme.cycle, "a netting of the open cycle");
			}
			if scheme.status != SchemeStatus::Active {
				continue;
			}
			ensure!(
				CycleCloses::<T>::get(scheme.closes_at).contains(&id),
				"an open scheme's close is not scheduled"
			);
			let mut owed = scheme.float;
			for (_, amount) in Unclaimed::<T>::iter_prefix(id) {
				owed.saturating_accrue(amount);
			}
			if let Some(netting) = Nettings::<T>::get(id) {
				owed.saturating_accrue(netting.collected.saturating_sub(netting.paid_out));
			}
			ensure!(
				T::Assets::balance(scheme.asset, &Self::scheme_account(id)) >= owed,
				"a scheme account holds less than it owes"
			);
		}
		Ok(())
	}
}
