//! The logic behind the instruction calls. Each function checks everything before it changes
//! storage; settling runs in a storage layer of its own, so a failed attempt leaves no trace but
//! its event.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungibles::{Inspect as _, InspectHold as _, MutateHold as _},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{CheckedAdd, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Creates an instruction; returns its id.
	pub fn do_create(
		creator: T::AccountId,
		venue: Option<VenueId>,
		legs: LegsOf<T>,
		settlement: SettlementType<BlockNumberFor<T>>,
		receivers_affirm: bool,
		expires_at: BlockNumberFor<T>,
	) -> Result<InstructionId, DispatchError> {
		ensure!(!legs.is_empty(), Error::<T>::NoLegs);
		for (index, leg) in legs.iter().enumerate() {
			ensure!(leg.from != leg.to, Error::<T>::SelfLeg);
			match &leg.asset {
				LegAsset::Fungible { asset, amount } => {
					ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
					ensure!(T::Assets::asset_exists(asset.clone()), Error::<T>::UnknownAsset);
				}
				LegAsset::Nft { collection, item } => {
					ensure!(T::Nfts::exists(collection, item), Error::<T>::UnknownAsset);
					let twice = legs
						.iter()
						.skip(index.saturating_add(1))
						.any(|other| other.asset.nft() == Some((collection, item)));
					ensure!(!twice, Error::<T>::DuplicateNft);
				}
			}
		}
		let receivers_affirm = match venue {
			Some(venue) => {
				let record = Venues::<T>::get(venue).ok_or(Error::<T>::UnknownVenue)?;
				ensure!(record.owner == creator, Error::<T>::NotVenueOwner);
				receivers_affirm || record.receivers_affirm
			}
			None => receivers_affirm,
		};
		let now = frame_system::Pallet::<T>::block_number();
		let latest = now.checked_add(&T::MaxDuration::get()).unwrap_or(now);
		ensure!(expires_at > now && expires_at <= latest, Error::<T>::BadExpiry);
		if let SettlementType::AtBlock(at) = settlement {
			ensure!(at > now && at < expires_at, Error::<T>::BadSettlementBlock);
			ensure!(
				(Scheduled::<T>::decode_len(at).unwrap_or(0) as u32)
					< T::MaxScheduledPerBlock::get(),
				Error::<T>::BlockFull
			);
		}
		let id = NextInstructionId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;

		let legs: Vec<_> = legs
			.into_iter()
			.map(|leg| {
				let preapproved =
					venue.is_some_and(|venue| VenuePreapprovals::<T>::contains_key(&leg.to, venue));
				let status = LegStatus {
					sender_affirmed: false,
					receiver_affirmed: !receivers_affirm || preapproved,
					unlocked: leg.hash_lock.is_none(),
				};
				(leg, status)
			})
			.collect();
		let mut instruction = Instruction {
			creator: creator.clone(),
			venue,
			legs: BoundedVec::truncate_from(legs),
			settlement,
			receivers_affirm,
			expires_at,
			deposit: Deposit::none(creator.clone()),
		};
		instruction.deposit = Deposit::priced(
			creator.clone(),
			(T::DepositBase::get(), T::DepositPerByte::get()),
			instruction_bytes::<T>(&instruction),
		);
		let deposit_reason = T::RuntimeHoldReason::from(HoldReason::StorageDeposit);
		instruction
			.deposit
			.ensure_can_hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;

		instruction
			.deposit
			.hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		if let SettlementType::AtBlock(at) = settlement {
			Scheduled::<T>::try_mutate(at, |ids| ids.try_push(id))
				.map_err(|_| Error::<T>::BlockFull)?;
		}
		NextInstructionId::<T>::put(next_id);
		let deposit = instruction.deposit.amount;
		let event_legs = instruction.legs.iter().map(|(leg, _)| leg.clone()).collect::<Vec<_>>();
		Instructions::<T>::insert(id, instruction);
		Self::deposit_event(Event::InstructionCreated {
			id,
			creator,
			venue,
			legs: BoundedVec::truncate_from(event_legs),
			settlement,
			receivers_affirm,
			expires_at,
			deposit,
		});
		Ok(id)
	}

	/// Affirms `party`'s legs of instruction `id`, settling it if that completes it; returns the
	/// instruction's leg count.
	pub fn do_affirm(party: T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let mut instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::Expired);
		ensure!(instruction.is_party(&party), Error::<T>::NotParty);

		// What goes on hold, summed per asset (an account may send one asset in several legs),
		// and the NFTs that go into escrow.
		let mut to_hold: Vec<(AssetKindOf<T>, BalanceOf<T>)> = Vec::new();
		let mut to_escrow: Vec<(NftCollectionOf<T>, NftItemOf<T>)> = Vec::new();
		let mut changed = false;
		for (leg, status) in instruction.legs.iter_mut() {
			if leg.from == party && !status.sender_affirmed {
				status.sender_affirmed = true;
				changed = true;
				match &leg.asset {
					LegAsset::Fungible { asset, amount } => add_to(&mut to_hold, asset, *amount),
					LegAsset::Nft { collection, item } => {
						to_escrow.push((collection.clone(), item.clone()))
					}
				}
			}
			if leg.to == party && !status.receiver_affirmed {
				status.receiver_affirmed = true;
				changed = true;
			}
		}
		ensure!(changed, Error::<T>::AlreadyAffirmed);
		let reason = T::RuntimeHoldReason::from(HoldReason::Instruction);
		for (asset, amount) in to_hold.iter() {
			T::Assets::ensure_can_hold(asset.clone(), &reason, &party, *amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		for (collection, item) in to_escrow.iter() {
			ensure!(!EscrowedNfts::<T>::contains_key(collection, item), Error::<T>::NftInEscrow);
			T::Nfts::check_escrow(collection, item, &party)?;
		}

		for (asset, amount) in to_hold {
			// Checked above per asset; should one still fail, the whole call fails with it.
			T::Assets::hold(asset, &reason, &party, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
		}
		for (collection, item) in to_escrow {
			T::Nfts::escrow(&collection, &item, &party)?;
			EscrowedNfts::<T>::insert(collection, item, id);
		}
		let legs = instruction.legs.len() as u32;
		let settles_now = instruction.settlement == SettlementType::OnAffirmation
			&& Self::ensure_ready(&instruction, now).is_ok();
		Instructions::<T>::insert(id, &instruction);
		Self::deposit_event(Event::Affirmed { id, party });
		if settles_now {
			Self::try_settle(id, instruction, now);
		}
		Ok(legs)
	}

	/// Withdraws `party`'s affirmation of instruction `id`; returns its leg count.
	pub fn do_withdraw_affirmation(
		party: T::AccountId,
		id: InstructionId,
	) -> Result<u32, DispatchError> {
		let mut instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(instruction.is_party(&party), Error::<T>::NotParty);
		ensure!(!instruction.committed(), Error::<T>::Committed);
		let mut to_release: Vec<LegAssetOf<T>> = Vec::new();
		let mut changed = false;
		for (leg, status) in instruction.legs.iter_mut() {
			if leg.from == party && status.sender_affirmed {
				status.sender_affirmed = false;
				changed = true;
				to_release.push(leg.asset.clone());
			}
			if leg.to == party && instruction.receivers_affirm && status.receiver_affirmed {
				status.receiver_affirmed = false;
				changed = true;
			}
		}
		ensure!(changed, Error::<T>::NotAffirmed);

		for asset in to_release {
			Self::release(id, &asset, &party)?;
		}
		let legs = instruction.legs.len() as u32;
		Instructions::<T>::insert(id, instruction);
		Self::deposit_event(Event::AffirmationWithdrawn { id, party });
		Ok(legs)
	}

	/// Rejects instruction `id` on `by`'s call; returns its leg count.
	pub fn do_reject(by: T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(instruction.creator == by || instruction.is_party(&by), Error::<T>::NotParty);
		ensure!(!instruction.committed(), Error::<T>::Committed);

		let legs = Self::remove(id, &instruction, true)?;
		Self::deposit_event(Event::Rejected { id, by });
		Ok(legs)
	}

	/// Releases instruction `id` once expired; returns its leg count.
	pub fn do_release_expired(id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= instruction.expires_at, Error::<T>::NotExpired);

		let legs = Self::remove(id, &instruction, true)?;
		Self::deposit_event(Event::Expired { id });
		Ok(legs)
	}

	/// Opens the legs of instruction `id` locked to `preimage`'s SHA-256 digest, settling it if
	/// that completes it; returns its leg count.
	pub fn do_reveal(
		id: InstructionId,
		preimage: BoundedVec<u8, T::MaxPreimageLen>,
	) -> Result<u32, DispatchError> {
		let mut instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < instruction.expires_at, Error::<T>::Expired);
		let digest = polkadot_sdk::sp_io::hashing::sha2_256(&preimage);
		let mut opened = 0u32;
		for (leg, status) in instruction.legs.iter_mut() {
			if leg.hash_lock == Some(digest) && !status.unlocked {
				status.unlocked = true;
				opened = opened.saturating_add(1);
			}
		}
		ensure!(opened > 0, Error::<T>::WrongPreimage);

		let legs = instruction.legs.len() as u32;
		let settles_now = instruction.settlement == SettlementType::OnAffirmation
			&& Self::ensure_ready(&instruction, now).is_ok();
		Instructions::<T>::insert(id, &instruction);
		Self::deposit_event(Event::PreimageRevealed { id, preimage, legs: opened });
		if settles_now {
			Self::try_settle(id, instruction, now);
		}
		Ok(legs)
	}

	/// Settles instruction `id` on `who`'s call, failing whole if any leg fails; returns its leg
	/// count.
	pub fn do_execute_call(who: T::AccountId, id: InstructionId) -> Result<u32, DispatchError> {
		let instruction = Instructions::<T>::get(id).ok_or(Error::<T>::UnknownInstruction)?;
		ensure!(instruction.creator == who || instruction.is_party(&who), Error::<T>::NotParty);
		let now = frame_system::Pallet::<T>::block_number();
		let legs = instruction.legs.len() as u32;
		// A dispatch is transactional: a failed leg undoes the ones before it.
		Self::settle(id, &instruction, now)?;
		Ok(legs)
	}

	/// Settles what is scheduled for block `now`; returns the weight used.
	pub(crate) fn execute_scheduled(now: BlockNumberFor<T>) -> Weight {
		let db = T::DbWeight::get();
		let ids = Scheduled::<T>::take(now);
		let mut weight = db.reads_writes(1, 1);
		for id in ids {
			weight.saturating_accrue(db.reads(1));
			if let Some(instruction) = Instructions::<T>::get(id) {
				weight.saturating_accrue(Self::execute_weight(instruction.legs.len() as u32));
				Self::try_settle(id, instruction, now);
			}
		}
		weight
	}

	/// Worst-case weight of [`Self::execute_scheduled`], for the block's budget.
	pub fn max_scheduled_weight() -> Weight {
		let db = T::DbWeight::get();
		let per_instruction = db.reads(1).saturating_add(Self::execute_weight(T::MaxLegs::get()));
		db.reads_writes(1, 1)
			.saturating_add(per_instruction.saturating_mul(T::MaxScheduledPerBlock::get().into()))
	}

	/// Settles in a storage layer of its own; a failure is reported by
	/// [`Event::ExecutionFailed`] and leaves the instruction as it was.
	fn try_settle(id: InstructionId, instruction: InstructionOf<T>, now: BlockNumberFor<T>) {
		if let Err(error) = with_storage_layer(|| Self::settle(id, &instruction, now)) {
			Self::deposit_event(Event::ExecutionFailed { id, error });
		}
	}

	/// Whether the instruction may settle at block `now`, as far as its own state goes.
	pub(crate) fn ensure_ready(
		instruction: &InstructionOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		ensure!(now < instruction.expires_at, Error::<T>::Expired);
		if let SettlementType::AtBlock(at) = instruction.settlement {
			ensure!(now >= at, Error::<T>::NotDue);
		}
		ensure!(instruction.fully_affirmed(), Error::<T>::NotAffirmedByAll);
		ensure!(instruction.legs.iter().all(|(_, s)| s.unlocked), Error::<T>::PreimageMissing);
		Ok(())
	}

	/// Moves every leg from its sender's hold to its receiver, then removes the instruction.
	/// Changes storage before it may fail: callers run it in a storage layer.
	fn settle(
		id: InstructionId,
		instruction: &InstructionOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::ensure_ready(instruction, now)?;
		let reason = T::RuntimeHoldReason::from(HoldReason::Instruction);
		for (leg, _) in instruction.legs.iter() {
			match &leg.asset {
				LegAsset::Fungible { asset, amount } => {
					T::LegGuard::before_transfer(asset, &leg.from, &leg.to, *amount)?;
					T::Assets::transfer_on_hold(
						asset.clone(),
						&reason,
						&leg.from,
						&leg.to,
						*amount,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Polite,
					)?;
				}
				LegAsset::Nft { collection, item } => {
					ensure!(
						EscrowedNfts::<T>::get(collection, item) == Some(id),
						Error::<T>::NftNotEscrowed
					);
					T::Nfts::transfer_escrowed(collection, item, &leg.from, &leg.to)?;
					EscrowedNfts::<T>::remove(collection, item);
				}
			}
		}
		Self::remove(id, instruction, false)?;
		Self::deposit_event(Event::Executed { id });
		Ok(())
	}

	/// Removes instruction `id`: releases what its senders hold if `release_holds` (not after
	/// settling, when the holds have moved), returns the deposit and drops its schedule entry.
	fn remove(
		id: InstructionId,
		instruction: &InstructionOf<T>,
		release_holds: bool,
	) -> Result<u32, DispatchError> {
		if release_holds {
			for (leg, status) in instruction.legs.iter() {
				if status.sender_affirmed {
					Self::release(id, &leg.asset, &leg.from)?;
				}
			}
		}
		instruction.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		if let SettlementType::AtBlock(at) = instruction.settlement {
			Scheduled::<T>::mutate_exists(at, |ids| {
				if let Some(list) = ids {
					list.retain(|x| *x != id);
					if list.is_empty() {
						*ids = None;
					}
				}
			});
		}
		Instructions::<T>::remove(id);
		Ok(instruction.legs.len() as u32)
	}

	/// Releases what an affirmed leg of instruction `id` holds on `who`'s account. Units: all
	/// of them, or what is left if less (only possible if the books are already wrong, which
	/// `try_state` reports), so that releasing never gets stuck. An NFT: its escrow, if the
	/// instruction still holds it (an authority may have moved the item meanwhile).
	fn release(id: InstructionId, asset: &LegAssetOf<T>, who: &T::AccountId) -> DispatchResult {
		match asset {
			LegAsset::Fungible { asset, amount } => T::Assets::release(
				asset.clone(),
				&HoldReason::Instruction.into(),
				who,
				*amount,
				Precision::BestEffort,
			)
			.map(|_| ()),
			LegAsset::Nft { collection, item } => {
				if EscrowedNfts::<T>::get(collection, item) == Some(id) {
					EscrowedNfts::<T>::remove(collection, item);
					T::Nfts::release(collection, item, who);
				}
				Ok(())
			}
		}
	}
}

/// Adds `amount` to `asset`'s entry of `totals`.
pub(crate) fn add_to<A: PartialEq + Clone, B: Saturating + Copy>(
	totals: &mut Vec<(A, B)>,
	asset: &A,
	amount: B,
) {
	match totals.iter_mut().find(|(a, _)| a == asset) {
		Some((_, total)) => *total = total.saturating_add(amount),
		None => totals.push((asset.clone(), amount)),
	}
}

/// Bytes an instruction occupies in storage: its key (a `Blake2_128Concat` hash and the id),
/// its value, its entry in the schedule if it has one, and for each NFT leg the escrow records
/// (ours, and the NFT pallet's of the same shape) it creates when affirmed.
pub(crate) fn instruction_bytes<T: Config>(instruction: &InstructionOf<T>) -> usize {
	use codec::{Encode, MaxEncodedLen};
	let scheduled = match instruction.settlement {
		SettlementType::AtBlock(_) => core::mem::size_of::<InstructionId>(),
		_ => 0,
	};
	let escrow_record = 32
		+ NftCollectionOf::<T>::max_encoded_len()
		+ NftItemOf::<T>::max_encoded_len()
		+ core::mem::size_of::<InstructionId>().max(T::AccountId::max_encoded_len());
	let nft_legs = instruction.legs.iter().filter(|(leg, _)| leg.asset.nft().is_some()).count();
	16 + core::mem::size_of::<InstructionId>()
		+ instruction.encoded_size()
		+ scheduled
		+ nft_legs.saturating_mul(escrow_record.saturating_mul(2))
}
