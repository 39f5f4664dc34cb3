//! Venues: who creates instructions for their clients, whether receivers must affirm them, and
//! receivers' standing pre-approvals of a venue. Every record is paid for by a storage deposit.

use super::*;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Creates a venue owned by `owner`; returns its id.
	pub fn do_create_venue(
		owner: T::AccountId,
		receivers_affirm: bool,
	) -> Result<VenueId, DispatchError> {
		let id = NextVenueId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::IdOverflow)?;
		let deposit = Self::price_record(owner.clone(), VenueOf::<T>::max_encoded_len())?;

		deposit.hold::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		NextVenueId::<T>::put(next_id);
		let amount = deposit.amount;
		Venues::<T>::insert(id, Venue { owner: owner.clone(), receivers_affirm, deposit });
		Self::deposit_event(Event::VenueCreated {
			venue: id,
			owner,
			receivers_affirm,
			deposit: amount,
		});
		Ok(id)
	}

	/// The owner changes whether receivers of the venue's new instructions must affirm.
	pub fn do_set_venue_policy(
		owner: T::AccountId,
		venue: VenueId,
		receivers_affirm: bool,
	) -> DispatchResult {
		Venues::<T>::try_mutate(venue, |record| {
			let record = record.as_mut().ok_or(Error::<T>::UnknownVenue)?;
			ensure!(record.owner == owner, Error::<T>::NotVenueOwner);
			record.receivers_affirm = receivers_affirm;
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::VenuePolicySet { venue, receivers_affirm });
		Ok(())
	}

	/// The owner removes the venue; its deposit returns.
	pub fn do_remove_venue(owner: T::AccountId, venue: VenueId) -> DispatchResult {
		let record = Venues::<T>::get(venue).ok_or(Error::<T>::UnknownVenue)?;
		ensure!(record.owner == owner, Error::<T>::NotVenueOwner);

		record.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		Venues::<T>::remove(venue);
		Self::deposit_event(Event::VenueRemoved { venue });
		Ok(())
	}

	/// `receiver` pre-approves the venue's future instructions.
	pub fn do_preapprove_venue(receiver: T::AccountId, venue: VenueId) -> DispatchResult {
		ensure!(Venues::<T>::contains_key(venue), Error::<T>::UnknownVenue);
		ensure!(
			!VenuePreapprovals::<T>::contains_key(&receiver, venue),
			Error::<T>::AlreadyPreapproved
		);
		let deposit = Self::price_record(receiver.clone(), preapproval_bytes::<T>())?;

		deposit.hold::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		let amount = deposit.amount;
		VenuePreapprovals::<T>::insert(&receiver, venue, deposit);
		Self::deposit_event(Event::VenuePreapproved { receiver, venue, deposit: amount });
		Ok(())
	}

	/// `receiver` withdraws its pre-approval; its deposit returns.
	pub fn do_withdraw_venue_preapproval(receiver: T::AccountId, venue: VenueId) -> DispatchResult {
		let deposit =
			VenuePreapprovals::<T>::get(&receiver, venue).ok_or(Error::<T>::NotPreapproved)?;

		deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		VenuePreapprovals::<T>::remove(&receiver, venue);
		Self::deposit_event(Event::VenuePreapprovalWithdrawn { receiver, venue });
		Ok(())
	}

	/// The deposit of a record of `bytes` bytes, checked to be payable by `depositor`.
	fn price_record(depositor: T::AccountId, bytes: usize) -> Result<DepositOf<T>, DispatchError> {
		let deposit = Deposit::priced(
			depositor,
			(T::DepositBase::get(), T::DepositPerByte::get()),
			// A `Blake2_128Concat` or `Twox64Concat` key, at most 16 bytes of hash besides it.
			bytes.saturating_add(16),
		);
		deposit
			.ensure_can_hold::<T::Currency>(&HoldReason::StorageDeposit.into())
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		Ok(deposit)
	}
}

/// Bytes of a pre-approval record: its two keys (hashes and values) and the deposit.
fn preapproval_bytes<T: Config>() -> usize {
	16 + T::AccountId::max_encoded_len()
		+ 8 + core::mem::size_of::<VenueId>()
		+ DepositOf::<T>::max_encoded_len()
}
