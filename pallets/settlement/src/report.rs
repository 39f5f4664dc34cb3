//! The failure report behind the runtime API: every reason an instruction would not settle if
//! executed now, so that a party learns them all before it submits anything.

use super::*;
use alloc::vec::Vec;
use frame_support::traits::{
	fungibles::{Inspect as _, InspectHold as _},
	tokens::Provenance,
};

impl<T: Config> Pallet<T> {
	/// Every reason instruction `id` would not settle at the current block; empty if it would.
	///
	/// Units a sender already holds for this instruction count as available to it (they are
	/// reserved for exactly these legs); a sender that has not affirmed must be able to put all
	/// its legs of an asset on hold at once.
	pub fn execution_failures(id: InstructionId) -> Vec<ExecutionFailureOf<T>> {
		let Some(instruction) = Instructions::<T>::get(id) else {
			return alloc::vec![ExecutionFailure::UnknownInstruction];
		};
		let now = frame_system::Pallet::<T>::block_number();
		let mut failures = Vec::new();
		if now >= instruction.expires_at {
			failures.push(ExecutionFailure::Expired { at: instruction.expires_at });
		}
		if let SettlementType::AtBlock(at) = instruction.settlement {
			if now < at {
				failures.push(ExecutionFailure::NotDue { at });
			}
		}

		// Unaffirmed fungible sending legs, summed per (sender, asset), with the legs of each.
		let mut unheld: Vec<((T::AccountId, AssetKindOf<T>), (BalanceOf<T>, Vec<u32>))> =
			Vec::new();
		for (index, (leg, status)) in instruction.legs.iter().enumerate() {
			let leg_index = index as u32;
			if !status.sender_affirmed {
				failures.push(ExecutionFailure::SenderNotAffirmed {
					leg: leg_index,
					sender: leg.from.clone(),
				});
				if let Some((asset, amount)) = leg.asset.fungible() {
					let key = (leg.from.clone(), asset.clone());
					match unheld.iter_mut().find(|(k, _)| *k == key) {
						Some((_, (total, legs))) => {
							*total =
								sp_runtime::traits::Saturating::saturating_add(*total, *amount);
							legs.push(leg_index);
						}
						None => unheld.push((key, (*amount, alloc::vec![leg_index]))),
					}
				}
			}
			if !status.receiver_affirmed {
				failures.push(ExecutionFailure::ReceiverNotAffirmed {
					leg: leg_index,
					receiver: leg.to.clone(),
				});
			}
			if !status.unlocked {
				failures.push(ExecutionFailure::PreimageMissing { leg: leg_index });
			}
		}
		let reason = T::RuntimeHoldReason::from(HoldReason::Instruction);
		for ((sender, asset), (total, legs)) in unheld {
			if T::Assets::ensure_can_hold(asset, &reason, &sender, total).is_err() {
				for leg in legs {
					failures.push(ExecutionFailure::InsufficientBalance {
						leg,
						sender: sender.clone(),
					});
				}
			}
		}
		for (index, (leg, status)) in instruction.legs.iter().enumerate() {
			let refusal = match &leg.asset {
				LegAsset::Fungible { asset, amount } => {
					T::LegGuard::check(asset, &leg.from, &leg.to, *amount).and_then(|()| {
						T::Assets::can_deposit(asset.clone(), &leg.to, *amount, Provenance::Extant)
							.into_result()
							.map_err(Into::into)
					})
				}
				LegAsset::Nft { collection, item } => {
					Self::nft_refusal(id, collection, item, &leg.from, status.sender_affirmed)
						.and_then(|()| {
							T::Nfts::check_transfer(collection, item, &leg.from, &leg.to)
						})
				}
			};
			if let Err(error) = refusal {
				failures.push(ExecutionFailure::Refused { leg: index as u32, error });
			}
		}
		failures
	}

	/// Why an NFT leg's item is not, or could not be put, in escrow for instruction `id`.
	fn nft_refusal(
		id: InstructionId,
		collection: &NftCollectionOf<T>,
		item: &NftItemOf<T>,
		sender: &T::AccountId,
		affirmed: bool,
	) -> sp_runtime::DispatchResult {
		let holder = EscrowedNfts::<T>::get(collection, item);
		if affirmed {
			frame_support::ensure!(holder == Some(id), Error::<T>::NftNotEscrowed);
			return Ok(());
		}
		frame_support::ensure!(holder.is_none(), Error::<T>::NftInEscrow);
		T::Nfts::check_escrow(collection, item, sender)
	}
}
