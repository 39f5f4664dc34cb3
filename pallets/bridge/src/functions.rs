//! The bridge's logic: lanes, proofs, token bookkeeping, rate limits.

use crate::*;
use bp_header_chain::{HeaderChain, HeaderChainError};
use bp_runtime::RawStorageProof;
use codec::Encode;
use frame_support::{
	ensure,
	storage::{with_transaction, TransactionOutcome},
	traits::{
		fungible::MutateHold as _,
		fungibles::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Contains, Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_set_bridged_chain(chain: ChainIdOf<T>) -> DispatchResult {
		ensure!(BridgedChain::<T>::get().is_none(), Error::<T>::AlreadyConfigured);
		ensure!(ThisChain::<T>::exists(), Error::<T>::ThisChainUnknown);
		BridgedChain::<T>::put(chain);
		// The vault exists for good, so it can hold any asset and is never reaped.
		let vault = Self::vault();
		if !frame_system::Pallet::<T>::account_exists(&vault) {
			frame_system::Pallet::<T>::inc_providers(&vault);
		}
		if !OutboundLanes::<T>::contains_key(chain) {
			OutboundLanes::<T>::insert(chain, OutboundLane::default());
		}
		InboundLanes::<T>::put(InboundLane::new(chain));
		Self::deposit_event(Event::BridgedChainSet { chain });
		Ok(())
	}

	pub(crate) fn do_open_lane(destination: ChainIdOf<T>) -> DispatchResult {
		ensure!(!OutboundLanes::<T>::contains_key(destination), Error::<T>::LaneAlreadyOpen);
		OutboundLanes::<T>::insert(destination, OutboundLane::default());
		Self::deposit_event(Event::LaneOpened { destination });
		Ok(())
	}

	/// Stores `payload` under the next nonce of the lane to `destination`.
	pub(crate) fn enqueue(
		destination: ChainIdOf<T>,
		sender: T::AccountId,
		payload: PayloadOf<T>,
	) -> Result<MessageNonce, DispatchError> {
		let source = ThisChain::<T>::get().ok_or(Error::<T>::ThisChainUnknown)?;
		let mut lane = OutboundLanes::<T>::get(destination).ok_or(Error::<T>::LaneNotOpen)?;
		ensure!(
			lane.unconfirmed() < MessageNonce::from(T::MaxUnconfirmedMessages::get()),
			Error::<T>::OutboundQueueFull
		);
		let queued = UnconfirmedBySender::<T>::get(&sender);
		ensure!(queued < T::MaxUnconfirmedPerSender::get(), Error::<T>::SenderQuotaFull);
		let nonce = lane.latest_generated.checked_add(1).ok_or(Error::<T>::NonceOverflow)?;
		let delivery_fee = T::DeliveryFee::get();

		Self::pay_delivery_fee(&sender, delivery_fee)?;
		lane.latest_generated = nonce;
		OutboundLanes::<T>::insert(destination, lane);
		MessageFees::<T>::insert(destination, nonce, (sender.clone(), delivery_fee));
		UnconfirmedBySender::<T>::insert(&sender, queued.saturating_add(1));
		let message = Message { source, destination, sender: sender.clone(), payload };
		OutboundMessages::<T>::insert(destination, nonce, message);
		Self::deposit_event(Event::MessageQueued { destination, nonce, sender, delivery_fee });
		Ok(nonce)
	}

	/// Holds `fee` on `sender`'s account until a relayer earns it.
	fn pay_delivery_fee(sender: &T::AccountId, fee: DepositBalanceOf<T>) -> DispatchResult {
		if fee.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::DeliveryFee.into(), sender, fee)
			.map_err(|_| Error::<T>::CannotPayDeliveryFee)?;
		Ok(())
	}

	/// Moves `fee` of `sender`'s held delivery fees to the first of `payees` that can take it
	/// (a payment below the existential deposit into a new account cannot): `Some` with who got
	/// how much (all of it unless the books are already wrong, which `try_state` reports). A
	/// payee that sent the message itself just gets its fee back. If no payee can take it, the
	/// fee goes back to `sender` (`None`): a confirmation never gets stuck on a fee, nor leaves
	/// one held without its record.
	fn earn_delivery_fee(
		sender: &T::AccountId,
		payees: &[&T::AccountId],
		fee: DepositBalanceOf<T>,
	) -> Option<(T::AccountId, DepositBalanceOf<T>)> {
		let reason = HoldReason::DeliveryFee.into();
		let release = || {
			T::Currency::release(&reason, sender, fee, Precision::BestEffort)
				.unwrap_or_else(|_| Zero::zero())
		};
		for payee in payees {
			if *payee == sender {
				return Some((sender.clone(), release()));
			}
			let moved = T::Currency::transfer_on_hold(
				&reason,
				sender,
				payee,
				fee,
				Precision::BestEffort,
				Restriction::Free,
				Fortitude::Polite,
			);
			if let Ok(moved) = moved {
				return Some(((*payee).clone(), moved));
			}
		}
		release();
		None
	}

	pub(crate) fn do_transfer(
		sender: T::AccountId,
		asset: AssetKindOf<T>,
		amount: BalanceOf<T>,
		beneficiary: T::AccountId,
	) -> Result<MessageNonce, DispatchError> {
		ensure!(!Paused::<T>::get(), Error::<T>::BridgePaused);
		let destination = BridgedChain::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		ensure!(
			!amount.is_zero() && amount >= T::Assets::minimum_balance(asset.clone()),
			Error::<T>::AmountBelowMinimum
		);
		let wrapped = WrappedAssets::<T>::get(&asset);
		let listed = if wrapped.is_none() { ListedAssets::<T>::get(&asset) } else { None };
		ensure!(wrapped.is_some() || listed.is_some(), Error::<T>::AssetNotBridgeable);
		let usage = Self::window_usage(&asset, Direction::Outbound, amount)
			.ok_or(Error::<T>::RateLimitExceeded)?;

		let payload = if let Some(mut wrapped) = wrapped {
			// A wrapped asset goes home: burn it here, release the original there.
			let supply =
				wrapped.supply.checked_sub(&amount).ok_or(Error::<T>::InsufficientBalance)?;
			T::Assets::burn_from(
				asset.clone(),
				&sender,
				amount,
				Preservation::Expendable,
				Precision::Exact,
				Fortitude::Polite,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			wrapped.supply = supply;
			let remote = wrapped.remote.clone();
			WrappedAssets::<T>::insert(&asset, wrapped);
			Payload::Release { asset: remote, amount, beneficiary: beneficiary.clone() }
		} else if let Some(locked) = listed {
			// Checked again at transfer time: an asset may have become regulated since listing.
			ensure!(T::BridgeableAssets::contains(&asset), Error::<T>::AssetNotBridgeable);
			let locked = locked.checked_add(&amount).ok_or(Error::<T>::RateLimitExceeded)?;
			T::Assets::transfer(
				asset.clone(),
				&sender,
				&Self::vault(),
				amount,
				Preservation::Preserve,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			ListedAssets::<T>::insert(&asset, locked);
			Payload::Mint { asset: asset.clone(), amount, beneficiary: beneficiary.clone() }
		} else {
			return Err(Error::<T>::AssetNotBridgeable.into());
		};

		RateUsage::<T>::insert(&asset, Direction::Outbound, usage);
		let nonce = Self::enqueue(destination, sender.clone(), payload)?;
		Self::deposit_event(Event::TransferSent { nonce, asset, amount, sender, beneficiary });
		Ok(nonce)
	}

	/// The usage of `asset`'s window in `direction` after moving `amount` more, or `None` if that
	/// exceeds its limit (or it has none: every bridged asset is given one).
	fn window_usage(
		asset: &AssetKindOf<T>,
		direction: Direction,
		amount: BalanceOf<T>,
	) -> Option<WindowUsage<BalanceOf<T>, BlockNumberFor<T>>> {
		let limit = RateLimits::<T>::get(asset)?;
		let now = frame_system::Pallet::<T>::block_number();
		let mut usage = RateUsage::<T>::get(asset, direction);
		if now >= usage.window_start.saturating_add(limit.window) {
			usage = WindowUsage { window_start: now, used: Zero::zero() };
		}
		usage.used = usage.used.checked_add(&amount)?;
		(usage.used <= limit.max_per_window).then_some(usage)
	}

	/// Refuses a proof whose nodes together exceed `MaxProofSize` bytes, before any of it is
	/// decoded.
	fn ensure_proof_size(proof: &RawStorageProof) -> DispatchResult {
		let size = proof.iter().fold(0usize, |size, node| size.saturating_add(node.len()));
		ensure!(size <= T::MaxProofSize::get() as usize, Error::<T>::ProofTooLarge);
		Ok(())
	}

	pub(crate) fn do_deliver(
		relayer: T::AccountId,
		bridged_header: BridgedHeaderHashOf<T>,
		lane: LaneId<ChainIdOf<T>>,
		first: MessageNonce,
		last: MessageNonce,
		proof: RawStorageProof,
	) -> DispatchResult {
		Self::ensure_proof_size(&proof)?;
		let this = ThisChain::<T>::get().ok_or(Error::<T>::ThisChainUnknown)?;
		let mut inbound = InboundLanes::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		ensure!(lane.destination == this, Error::<T>::WrongDestination);
		ensure!(lane.source == inbound.source, Error::<T>::UnknownSourceChain);
		ensure!(first <= last, Error::<T>::EmptyDelivery);
		ensure!(
			last - first < MessageNonce::from(T::MaxMessagesPerDelivery::get()),
			Error::<T>::TooManyMessages
		);
		ensure!(first > inbound.last_delivered, Error::<T>::MessageAlreadyDelivered);
		ensure!(first == inbound.last_delivered.saturating_add(1), Error::<T>::MessageNonceGap);

		let mut checker = T::BridgedHeaderChain::verify_storage_proof(bridged_header, proof)
			.map_err(Self::proof_error)?;
		let mut messages = alloc::vec::Vec::new();
		for nonce in first..=last {
			let key = OutboundMessages::<T>::hashed_key_for(this, nonce);
			let message: MessageOf<T> = checker
				.read_and_decode_value(&key)
				.map_err(Self::read_error)?
				.ok_or(Error::<T>::MessageMissingFromProof)?;
			// The key already binds the destination; the source is what the bridged chain's
			// runtime wrote, under the state root its validators finalized.
			ensure!(message.destination == this, Error::<T>::WrongDestination);
			ensure!(message.source == inbound.source, Error::<T>::InvalidMessage);
			messages.push((nonce, message));
		}
		// The source's confirmations, proven with the messages: the relayers they paid are
		// forgotten here.
		let source_lane: OutboundLane = checker
			.read_and_decode_value(&OutboundLanes::<T>::hashed_key_for(this))
			.map_err(Self::read_error)?
			.ok_or(Error::<T>::OutboundLaneMissingFromProof)?;
		// A proof with extra nodes could hide arbitrary data in a relayer's transaction.
		checker.ensure_no_unused_nodes().map_err(|_| Error::<T>::InvalidStorageProof)?;

		inbound.relayers.retain(|d| d.last > source_lane.latest_confirmed);
		match inbound.relayers.last_mut() {
			Some(latest) if latest.relayer == relayer => latest.last = last,
			_ => inbound
				.relayers
				.try_push(UnrewardedDelivery { relayer: relayer.clone(), last })
				.map_err(|_| Error::<T>::TooManyUnrewardedRelayers)?,
		}
		inbound.last_delivered = last;
		InboundLanes::<T>::put(inbound);
		for (nonce, message) in messages {
			Self::dispatch(&relayer, nonce, message)?;
		}
		Self::deposit_event(Event::MessagesReceived { source: lane.source, first, last, relayer });
		Ok(())
	}

	fn proof_error(error: HeaderChainError) -> DispatchError {
		match error {
			HeaderChainError::UnknownHeader => Error::<T>::UnknownBridgedHeader.into(),
			HeaderChainError::StorageProof(_) => Error::<T>::InvalidStorageProof.into(),
		}
	}

	/// A proof that cannot answer a read was forged or cut short; a value that does not decode
	/// is not a message of this runtime.
	fn read_error(error: bp_runtime::StorageProofError) -> DispatchError {
		match error {
			bp_runtime::StorageProofError::DecodeError => Error::<T>::InvalidMessage.into(),
			_ => Error::<T>::InvalidStorageProof.into(),
		}
	}

	/// Acts on a delivered message: what cannot be credited now waits, with its storage deposit
	/// held from `relayer`. Fails only when the relayer cannot pay that deposit (the delivery
	/// then fails whole, and a relayer that can pay delivers it).
	fn dispatch(
		relayer: &T::AccountId,
		nonce: MessageNonce,
		message: MessageOf<T>,
	) -> DispatchResult {
		let (kind, asset, amount, beneficiary) = match message.payload {
			Payload::Remark(remark) => {
				Self::deposit_event(Event::RemarkReceived {
					nonce,
					sender: message.sender,
					remark,
				});
				return Ok(());
			}
			Payload::Mint { asset, amount, beneficiary } => {
				(TransferKind::Mint, asset, amount, beneficiary)
			}
			Payload::Release { asset, amount, beneficiary } => {
				(TransferKind::Release, asset, amount, beneficiary)
			}
		};
		let mut pending = PendingTransfer {
			kind,
			asset,
			amount,
			beneficiary,
			deposit: Deposit::none(relayer.clone()),
		};
		if let Err(reason) = Self::credit(nonce, &pending) {
			// Key: a `Twox64Concat` hash and the nonce.
			let bytes = 16usize.saturating_add(pending.encoded_size());
			pending.deposit = Deposit::priced(
				relayer.clone(),
				(T::DepositBase::get(), T::DepositPerByte::get()),
				bytes,
			);
			pending
				.deposit
				.hold::<T::Currency>(&HoldReason::StorageDeposit.into())
				.map_err(|_| Error::<T>::CannotPayDeposit)?;
			let deposit = pending.deposit.amount;
			PendingTransfers::<T>::insert(nonce, pending);
			Self::deposit_event(Event::TransferPending {
				nonce,
				reason,
				depositor: relayer.clone(),
				deposit,
			});
		}
		Ok(())
	}

	/// Mints or releases an inbound transfer, all or nothing.
	fn credit(nonce: MessageNonce, transfer: &PendingTransferOf<T>) -> Result<(), PendingReason> {
		with_transaction(|| match Self::try_credit(nonce, transfer) {
			Ok(()) => TransactionOutcome::Commit(Ok(())),
			Err(reason) => TransactionOutcome::Rollback(Err(reason)),
		})
	}

	fn try_credit(
		nonce: MessageNonce,
		transfer: &PendingTransferOf<T>,
	) -> Result<(), PendingReason> {
		if Paused::<T>::get() {
			return Err(PendingReason::Paused);
		}
		let amount = transfer.amount;
		let local = match transfer.kind {
			TransferKind::Mint => {
				let local = WrappedByRemote::<T>::get(&transfer.asset)
					.ok_or(PendingReason::UnknownAsset)?;
				let mut wrapped =
					WrappedAssets::<T>::get(&local).ok_or(PendingReason::UnknownAsset)?;
				let usage = Self::window_usage(&local, Direction::Inbound, amount)
					.ok_or(PendingReason::RateLimited)?;
				wrapped.supply =
					wrapped.supply.checked_add(&amount).ok_or(PendingReason::DepositFailed)?;
				T::Assets::mint_into(local.clone(), &transfer.beneficiary, amount)
					.map_err(|_| PendingReason::DepositFailed)?;
				WrappedAssets::<T>::insert(&local, wrapped);
				RateUsage::<T>::insert(&local, Direction::Inbound, usage);
				local
			}
			TransferKind::Release => {
				let local = transfer.asset.clone();
				let locked = ListedAssets::<T>::get(&local).ok_or(PendingReason::UnknownAsset)?;
				let locked = locked.checked_sub(&amount).ok_or(PendingReason::ExceedsLocked)?;
				let usage = Self::window_usage(&local, Direction::Inbound, amount)
					.ok_or(PendingReason::RateLimited)?;
				T::Assets::transfer(
					local.clone(),
					&Self::vault(),
					&transfer.beneficiary,
					amount,
					Preservation::Expendable,
				)
				.map_err(|_| PendingReason::DepositFailed)?;
				ListedAssets::<T>::insert(&local, locked);
				RateUsage::<T>::insert(&local, Direction::Inbound, usage);
				local
			}
		};
		Self::deposit_event(Event::TransferCredited {
			nonce,
			kind: transfer.kind,
			asset: local,
			amount,
			beneficiary: transfer.beneficiary.clone(),
		});
		Ok(())
	}

	pub(crate) fn do_retry(nonce: MessageNonce) -> DispatchResult {
		let transfer =
			PendingTransfers::<T>::get(nonce).ok_or(Error::<T>::PendingTransferNotFound)?;
		Self::credit(nonce, &transfer).map_err(|reason| match reason {
			PendingReason::Paused => Error::<T>::BridgePaused,
			PendingReason::RateLimited => Error::<T>::RateLimitExceeded,
			PendingReason::UnknownAsset => Error::<T>::AssetNotBridgeable,
			PendingReason::ExceedsLocked => Error::<T>::ExceedsLocked,
			PendingReason::DepositFailed => Error::<T>::DepositFailed,
		})?;
		transfer.deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		PendingTransfers::<T>::remove(nonce);
		Ok(())
	}

	/// Proves the bridged chain's inbound lane and drops what it received; returns how many
	/// messages were confirmed.
	pub(crate) fn do_confirm(
		relayer: T::AccountId,
		bridged_header: BridgedHeaderHashOf<T>,
		proof: RawStorageProof,
	) -> Result<u32, DispatchError> {
		Self::ensure_proof_size(&proof)?;
		let this = ThisChain::<T>::get().ok_or(Error::<T>::ThisChainUnknown)?;
		let destination = BridgedChain::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let mut lane = OutboundLanes::<T>::get(destination).ok_or(Error::<T>::LaneNotOpen)?;
		let mut checker = T::BridgedHeaderChain::verify_storage_proof(bridged_header, proof)
			.map_err(Self::proof_error)?;
		let receipt: InboundLane<ChainIdOf<T>, T::AccountId> = checker
			.read_and_decode_value(&InboundLanes::<T>::hashed_key())
			.map_err(Self::read_error)?
			.ok_or(Error::<T>::InvalidReceipt)?;
		checker.ensure_no_unused_nodes().map_err(|_| Error::<T>::InvalidStorageProof)?;
		ensure!(receipt.source == this, Error::<T>::WrongDestination);
		ensure!(
			receipt.last_delivered > lane.latest_confirmed,
			Error::<T>::ReceiptAlreadyConfirmed
		);
		ensure!(receipt.last_delivered <= lane.latest_generated, Error::<T>::InvalidReceipt);

		let first = lane.latest_confirmed.saturating_add(1);
		let share = T::ConfirmationShare::get();
		// The confirming relayer, then each deliverer the receipt names (at most
		// `MAX_UNREWARDED_RELAYERS`), with what each earned.
		let mut earned: alloc::vec::Vec<(T::AccountId, DepositBalanceOf<T>)> =
			alloc::vec![(relayer.clone(), Zero::zero())];
		let mut pay =
			|payees: &[&T::AccountId], sender: &T::AccountId, fee: DepositBalanceOf<T>| {
				if fee.is_zero() {
					return;
				}
				let Some((to, paid)) = Self::earn_delivery_fee(sender, payees, fee) else { return };
				match earned.iter_mut().find(|(who, _)| *who == to) {
					Some((_, total)) => *total = total.saturating_add(paid),
					None => earned.push((to, paid)),
				}
			};
		// At most `MaxUnconfirmedMessages`: `enqueue` keeps the lane that short.
		for nonce in first..=receipt.last_delivered {
			OutboundMessages::<T>::remove(destination, nonce);
			// Messages queued before fees existed have no record: nothing to pay or count.
			if let Some((sender, fee)) = MessageFees::<T>::take(destination, nonce) {
				match receipt.deliverer(nonce) {
					Some(deliverer) => {
						let to_confirmer = share.mul_floor(fee);
						pay(&[&relayer], &sender, to_confirmer);
						// A deliverer that cannot take its share leaves it to the confirmer.
						pay(&[deliverer, &relayer], &sender, fee.saturating_sub(to_confirmer));
					}
					None => pay(&[&relayer], &sender, fee),
				}
				UnconfirmedBySender::<T>::mutate_exists(&sender, |queued| {
					*queued = queued.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
				});
			}
		}
		for (who, amount) in earned {
			if who == relayer || !amount.is_zero() {
				Self::deposit_event(Event::RelayerRewarded { relayer: who, amount });
			}
		}
		let confirmed = receipt.last_delivered.saturating_sub(lane.latest_confirmed);
		lane.latest_confirmed = receipt.last_delivered;
		OutboundLanes::<T>::insert(destination, lane);
		Self::deposit_event(Event::DeliveryConfirmed {
			destination,
			first,
			last: receipt.last_delivered,
		});
		Ok(u32::try_from(confirmed).unwrap_or(u32::MAX))
	}

	pub(crate) fn do_list_asset(asset: AssetKindOf<T>, limit: RateLimitOf<T>) -> DispatchResult {
		ensure!(T::BridgeableAssets::contains(&asset), Error::<T>::AssetNotBridgeable);
		ensure!(
			!ListedAssets::<T>::contains_key(&asset) && !WrappedAssets::<T>::contains_key(&asset),
			Error::<T>::AssetAlreadyBridged
		);
		ensure!(!limit.window.is_zero(), Error::<T>::InvalidRateLimit);
		ListedAssets::<T>::insert(&asset, BalanceOf::<T>::zero());
		RateLimits::<T>::insert(&asset, limit);
		Self::deposit_event(Event::AssetListed { asset, limit });
		Ok(())
	}

	pub(crate) fn do_register_wrapped(
		remote: AssetKindOf<T>,
		local: AssetKindOf<T>,
		min_balance: BalanceOf<T>,
		limit: RateLimitOf<T>,
	) -> DispatchResult {
		ensure!(
			!WrappedByRemote::<T>::contains_key(&remote)
				&& !WrappedAssets::<T>::contains_key(&local)
				&& !ListedAssets::<T>::contains_key(&local),
			Error::<T>::AssetAlreadyBridged
		);
		ensure!(!limit.window.is_zero(), Error::<T>::InvalidRateLimit);
		// Fails if `local` exists: a wrapped asset must have no other minter.
		T::WrappedAssets::create(&local, &Self::vault(), min_balance)
			.map_err(|_| Error::<T>::WrappedAssetCreationFailed)?;
		WrappedByRemote::<T>::insert(&remote, local.clone());
		WrappedAssets::<T>::insert(
			&local,
			WrappedAsset { remote: remote.clone(), supply: Zero::zero() },
		);
		RateLimits::<T>::insert(&local, limit);
		Self::deposit_event(Event::WrappedAssetRegistered { remote, local });
		Ok(())
	}

	pub(crate) fn do_set_rate_limit(
		asset: AssetKindOf<T>,
		limit: RateLimitOf<T>,
	) -> DispatchResult {
		ensure!(RateLimits::<T>::contains_key(&asset), Error::<T>::AssetNotBridgeable);
		ensure!(!limit.window.is_zero(), Error::<T>::InvalidRateLimit);
		RateLimits::<T>::insert(&asset, limit);
		Self::deposit_event(Event::RateLimitSet { asset, limit });
		Ok(())
	}

	/// Invariants: pending transfers' storage deposits are held from their relayers; the vault
	/// holds at least what is locked for the bridged chain; each wrapped
	/// asset's issuance is exactly the supply the bridge minted and did not burn; each lane stores
	/// exactly its unconfirmed messages. Across chains, a wrapped supply never exceeds what is
	/// locked on the other side (it is minted only for proven locks; tested end to end).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
		let vault = Self::vault();
		for (asset, locked) in ListedAssets::<T>::iter() {
			ensure!(
				T::Assets::balance(asset, &vault) >= locked,
				"bridge vault holds less than is locked"
			);
		}
		for (asset, wrapped) in WrappedAssets::<T>::iter() {
			ensure!(
				T::Assets::total_issuance(asset) == wrapped.supply,
				"wrapped issuance differs from the bridged supply"
			);
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::StorageDeposit.into(),
			PendingTransfers::<T>::iter_values().map(|pending| pending.deposit),
		)?;
		// Each sender holds the fees not yet earned of its messages, and its count is their
		// number.
		let mut queued: alloc::collections::BTreeMap<T::AccountId, u32> = Default::default();
		for (destination, nonce, (sender, _)) in MessageFees::<T>::iter() {
			ensure!(
				OutboundMessages::<T>::contains_key(destination, nonce),
				"a fee record without its message"
			);
			let count = queued.entry(sender).or_default();
			*count = count.saturating_add(1);
		}
		tpwallet_storage_deposit::check_held::<_, _, T::Currency>(
			&HoldReason::DeliveryFee.into(),
			MessageFees::<T>::iter_values()
				.map(|(depositor, amount)| Deposit { depositor, amount }),
		)?;
		for (sender, count) in UnconfirmedBySender::<T>::iter() {
			ensure!(
				queued.remove(&sender) == Some(count),
				"a sender's count differs from its fees"
			);
		}
		ensure!(queued.is_empty(), "fee records of a sender without a count");
		for (destination, lane) in OutboundLanes::<T>::iter() {
			ensure!(lane.latest_confirmed <= lane.latest_generated, "lane confirmed beyond sent");
			let stored = OutboundMessages::<T>::iter_prefix(destination).count() as u64;
			ensure!(
				stored == lane.unconfirmed(),
				"lane stores other than its unconfirmed messages"
			);
		}
		Ok(())
	}
}
