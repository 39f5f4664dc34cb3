//! The logic behind the calls. Each function checks everything before it changes storage.

use super::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, MutateHold},
		tokens::{DepositConsequence, Fortitude, Precision, Provenance, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use polkadot_sdk::sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, CheckedAdd, Saturating, Verify, Zero};

impl<T: Config> Pallet<T> {
	/// The bytes both parties sign for `state`: the SCALE encoding of
	/// `(kind's tag, genesis hash, PALLET_TAG, state.channel, state)`.
	pub fn state_payload(kind: PayloadKind, state: &ChannelStateOf<T>) -> Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		signing_payload(kind, &genesis, state)
	}

	/// Channel `channel` with its status, for the runtime API.
	pub fn channel_info(channel: ChannelId) -> Option<ChannelInfoOf<T>> {
		let Channel { party_a, party_b, asset, deposits, .. } = Channels::<T>::get(channel)?;
		let status = match Closings::<T>::get(channel) {
			None => ChannelStatus::Open,
			Some(closing) => ChannelStatus::Closing {
				nonce: closing.nonce(),
				closer: closing.closer,
				closes_at: closing.closes_at,
				resolved: closing.resolved.len() as u32,
			},
		};
		Some(ChannelInfo { party_a, party_b, asset, deposits, status })
	}

	/// Opens a channel from `party_a` to `party_b`; returns its id.
	pub fn do_open(
		party_a: T::AccountId,
		party_b: T::AccountId,
		asset: AssetKindOf<T>,
		deposit: BalanceOf<T>,
	) -> Result<ChannelId, DispatchError> {
		ensure!(!deposit.is_zero(), Error::<T>::ZeroAmount);
		// A channel worth less than an account of its asset is only storage.
		ensure!(
			deposit >= T::Assets::minimum_balance(asset.clone()),
			Error::<T>::DepositBelowMinimum
		);
		ensure!(party_a != party_b, Error::<T>::SameParties);
		let id = NextChannelId::<T>::get();
		let next_id = id.checked_add(1).ok_or(Error::<T>::ChannelIdOverflow)?;
		T::TransferGuard::check(&asset, &party_a, &party_b, deposit)?;
		let mut record = Channel {
			party_a: party_a.clone(),
			party_b: party_b.clone(),
			asset: asset.clone(),
			deposits: (deposit, Zero::zero()),
			storage_deposit: Zero::zero(),
		};
		let storage_deposit = Deposit::priced(
			party_a.clone(),
			(T::DepositBase::get(), T::DepositPerByte::get()),
			channel_bytes::<T>(&record),
		);
		record.storage_deposit = storage_deposit.amount;
		let deposit_reason = T::RuntimeHoldReason::from(HoldReason::StorageDeposit);
		storage_deposit
			.ensure_can_hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;

		T::Assets::hold(asset.clone(), &HoldReason::ChannelDeposit.into(), &party_a, deposit)?;
		// On the native asset both holds draw on one balance: the second may still fail, and
		// then the call fails whole.
		storage_deposit
			.hold::<T::Currency>(&deposit_reason)
			.map_err(|_| Error::<T>::CannotPayDeposit)?;
		let storage_deposit = storage_deposit.amount;
		NextChannelId::<T>::put(next_id);
		Channels::<T>::insert(id, record);
		Self::deposit_event(Event::ChannelOpened {
			channel: id,
			party_a,
			party_b,
			asset,
			deposit,
			storage_deposit,
		});
		Ok(id)
	}

	/// Adds `amount` to `who`'s deposit in `channel`.
	pub fn do_top_up(
		who: T::AccountId,
		channel: ChannelId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let mut record = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?;
		let (deposit, counterparty) = if who == record.party_a {
			(&mut record.deposits.0, &record.party_b)
		} else if who == record.party_b {
			(&mut record.deposits.1, &record.party_a)
		} else {
			return Err(Error::<T>::NotParticipant.into());
		};
		ensure!(!Closings::<T>::contains_key(channel), Error::<T>::AlreadyClosing);
		*deposit = deposit.checked_add(&amount).ok_or(Error::<T>::DepositOverflow)?;
		let new_deposit = *deposit;
		T::TransferGuard::check(&record.asset, &who, counterparty, amount)?;

		T::Assets::hold(record.asset.clone(), &HoldReason::ChannelDeposit.into(), &who, amount)?;
		Channels::<T>::insert(channel, record);
		Self::deposit_event(Event::ToppedUp { channel, who, amount, deposit: new_deposit });
		Ok(())
	}

	/// Settles `channel` at once on a final state both parties signed under the close tag.
	pub fn do_cooperative_close(
		channel: ChannelId,
		state: ChannelStateOf<T>,
		sig_a: T::Signature,
		sig_b: T::Signature,
	) -> DispatchResult {
		let record = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?;
		Self::ensure_valid_state(channel, &record, &state)?;
		ensure!(
			state.pending.0.is_zero() && state.pending.1.is_zero(),
			Error::<T>::PendingPayments
		);
		Self::ensure_signed_by_both(PayloadKind::Close, &record, &state, &sig_a, &sig_b)?;
		let (payout_a, payout_b) =
			payouts::<_, BlockNumberFor<T>>(record.deposits, Some(&state), &[])
				.ok_or(Error::<T>::InvalidBalances)?;

		Self::pay_out(channel, record, payout_a, payout_b)
	}

	/// Starts a unilateral close of `channel` by party `who` on `signed` (or on no state).
	pub fn do_close(
		who: T::AccountId,
		channel: ChannelId,
		signed: Option<SignedStateOf<T>>,
	) -> DispatchResult {
		let record = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?;
		ensure!(record.is_party(&who), Error::<T>::NotParticipant);
		ensure!(!Closings::<T>::contains_key(channel), Error::<T>::AlreadyClosing);
		let state = match signed {
			None => None,
			Some(SignedState { state, sig_a, sig_b }) => {
				Self::ensure_valid_state(channel, &record, &state)?;
				Self::ensure_signed_by_both(PayloadKind::Update, &record, &state, &sig_a, &sig_b)?;
				Some(state)
			}
		};
		let closes_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::ChallengePeriod::get());

		let nonce = state.as_ref().map(|s| s.nonce);
		Closings::<T>::insert(
			channel,
			Closing { closer: who.clone(), closes_at, state, resolved: Default::default() },
		);
		Self::deposit_event(Event::ChannelClosing { channel, closer: who, nonce, closes_at });
		Ok(())
	}

	/// Replaces the closing state of `channel` with `newer`, submitted by `who`.
	pub fn do_challenge(
		who: T::AccountId,
		channel: ChannelId,
		newer: SignedStateOf<T>,
	) -> DispatchResult {
		let record = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?;
		let mut closing = Closings::<T>::get(channel).ok_or(Error::<T>::NotClosing)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < closing.closes_at, Error::<T>::ChallengePeriodOver);
		let SignedState { state, sig_a, sig_b } = newer;
		Self::ensure_valid_state(channel, &record, &state)?;
		// `None` (closed without a state) is below every nonce.
		ensure!(closing.nonce() < Some(state.nonce), Error::<T>::StaleState);
		Self::ensure_signed_by_both(PayloadKind::Update, &record, &state, &sig_a, &sig_b)?;

		let nonce = state.nonce;
		// The new state gets a full period; resolutions were proven against the old root.
		closing.closes_at = now.saturating_add(T::ChallengePeriod::get());
		closing.state = Some(state);
		closing.resolved = Default::default();
		let closes_at = closing.closes_at;
		Closings::<T>::insert(channel, closing);
		Self::deposit_event(Event::ClosingChallenged {
			channel,
			challenger: who,
			nonce,
			closes_at,
		});
		Ok(())
	}

	/// Marks `payment` of `channel`'s closing state resolved, if `proof` and `preimage` hold.
	pub fn do_resolve_conditional(
		channel: ChannelId,
		payment: ConditionalPaymentOf<T>,
		proof: BoundedVec<[u8; 32], T::MaxProofDepth>,
		leaf_index: u32,
		leaf_count: u32,
		preimage: BoundedVec<u8, T::MaxPreimageLen>,
	) -> DispatchResult {
		let mut closing = Self::closing(channel)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < payment.expiry, Error::<T>::ConditionExpired);
		// A close without a state has no conditions to prove against.
		let root =
			closing.state.as_ref().map(|s| s.conditions_root).ok_or(Error::<T>::InvalidProof)?;
		ensure!(
			Self::condition_in_root(&root, &payment, &proof, leaf_index, leaf_count),
			Error::<T>::InvalidProof
		);
		ensure!(
			polkadot_sdk::sp_io::hashing::sha2_256(&preimage) == payment.hash_lock,
			Error::<T>::WrongPreimage
		);
		ensure!(!closing.resolved.contains(&payment), Error::<T>::AlreadyResolved);
		closing.resolved.try_push(payment.clone()).map_err(|_| Error::<T>::TooManyResolved)?;

		Closings::<T>::insert(channel, closing);
		Self::deposit_event(Event::ConditionalResolved { channel, payment, preimage });
		Ok(())
	}

	/// Pays out `channel` once its challenge period is over.
	pub fn do_settle(channel: ChannelId) -> DispatchResult {
		let record = Channels::<T>::get(channel).ok_or(Error::<T>::UnknownChannel)?;
		let closing = Closings::<T>::get(channel).ok_or(Error::<T>::NotClosing)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= closing.closes_at, Error::<T>::ChallengePeriodNotOver);
		let (payout_a, payout_b) =
			payouts(record.deposits, closing.state.as_ref(), &closing.resolved)
				.ok_or(Error::<T>::InvalidBalances)?;

		Self::pay_out(channel, record, payout_a, payout_b)
	}

	/// Whether `payment` is leaf `leaf_index` of `leaf_count` under `root`, by `proof`.
	pub fn condition_in_root(
		root: &[u8; 32],
		payment: &ConditionalPaymentOf<T>,
		proof: &[[u8; 32]],
		leaf_index: u32,
		leaf_count: u32,
	) -> bool {
		if proof.len() > T::MaxProofDepth::get() as usize || leaf_index >= leaf_count {
			return false;
		}
		polkadot_sdk::binary_merkle_tree::verify_proof::<BlakeTwo256, _, _>(
			&H256(*root),
			proof.iter().map(|node| H256(*node)),
			leaf_count,
			leaf_index,
			&payment.encode(),
		)
	}

	/// The closing record of `channel`, or why there is none.
	fn closing(channel: ChannelId) -> Result<ClosingOf<T>, DispatchError> {
		Closings::<T>::get(channel).ok_or_else(|| {
			if Channels::<T>::contains_key(channel) {
				Error::<T>::NotClosing.into()
			} else {
				Error::<T>::UnknownChannel.into()
			}
		})
	}

	/// `state` belongs to `channel` and its amounts fit the channel's deposits.
	pub(crate) fn ensure_valid_state(
		channel: ChannelId,
		record: &ChannelOf<T>,
		state: &ChannelStateOf<T>,
	) -> DispatchResult {
		ensure!(state.channel == channel, Error::<T>::WrongChannel);
		ensure!(
			state.deposits.0 <= record.deposits.0 && state.deposits.1 <= record.deposits.1,
			Error::<T>::InvalidBalances
		);
		let owned = state.balances.0.checked_add(&state.balances.1);
		let pending = state.pending.0.checked_add(&state.pending.1);
		let total = owned.zip(pending).and_then(|(o, p)| o.checked_add(&p));
		let deposited = state.deposits.0.checked_add(&state.deposits.1);
		ensure!(total.is_some() && total == deposited, Error::<T>::InvalidBalances);
		Ok(())
	}

	/// Both parties signed `state`'s payload of `kind`.
	fn ensure_signed_by_both(
		kind: PayloadKind,
		record: &ChannelOf<T>,
		state: &ChannelStateOf<T>,
		sig_a: &T::Signature,
		sig_b: &T::Signature,
	) -> DispatchResult {
		let payload = Self::state_payload(kind, state);
		ensure!(sig_a.verify(&payload[..], &record.party_a), Error::<T>::BadSignature);
		ensure!(sig_b.verify(&payload[..], &record.party_b), Error::<T>::BadSignature);
		Ok(())
	}

	/// Moves the net amount from the party whose payout is below its deposit to the other,
	/// releases every remaining hold, removes the channel.
	fn pay_out(
		channel: ChannelId,
		record: ChannelOf<T>,
		mut payout_a: BalanceOf<T>,
		mut payout_b: BalanceOf<T>,
	) -> DispatchResult {
		let reason = T::RuntimeHoldReason::from(HoldReason::ChannelDeposit);
		let storage_deposit = record.deposit();
		let Channel { party_a, party_b, asset, deposits: (deposit_a, deposit_b), .. } = record;
		// Payouts add up to the deposits, so at most one party pays the other.
		let (mut held_a, mut held_b) = (deposit_a, deposit_b);
		if payout_a < deposit_a {
			let net = deposit_a.saturating_sub(payout_a);
			if Self::transfer_net(&asset, &reason, &party_a, &party_b, net)? {
				held_a = payout_a;
			} else {
				(payout_a, payout_b) = (deposit_a, deposit_b);
			}
		} else if payout_b < deposit_b {
			let net = deposit_b.saturating_sub(payout_b);
			if Self::transfer_net(&asset, &reason, &party_b, &party_a, net)? {
				held_b = payout_b;
			} else {
				(payout_a, payout_b) = (deposit_a, deposit_b);
			}
		}
		for (who, held) in [(&party_a, held_a), (&party_b, held_b)] {
			if !held.is_zero() {
				T::Assets::release(asset.clone(), &reason, who, held, Precision::Exact)?;
			}
		}
		storage_deposit.release::<T::Currency>(&HoldReason::StorageDeposit.into())?;
		Channels::<T>::remove(channel);
		Closings::<T>::remove(channel);
		Self::deposit_event(Event::ChannelSettled { channel, payout_a, payout_b });
		Ok(())
	}

	/// Moves `net` from `payer`'s hold to `payee`; `false` if `payee` cannot exist with so little
	/// of the asset (dust: it stays with the payer).
	fn transfer_net(
		asset: &AssetKindOf<T>,
		reason: &T::RuntimeHoldReason,
		payer: &T::AccountId,
		payee: &T::AccountId,
		net: BalanceOf<T>,
	) -> Result<bool, DispatchError> {
		if T::Assets::can_deposit(asset.clone(), payee, net, Provenance::Extant)
			== DepositConsequence::BelowMinimum
		{
			return Ok(false);
		}
		T::TransferGuard::before_transfer(asset, payer, payee, net)?;
		T::Assets::transfer_on_hold(
			asset.clone(),
			reason,
			payer,
			payee,
			net,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Ok(true)
	}
}

/// Bytes a channel occupies in storage: its key (a `Blake2_128Concat` hash and the id) and value,
/// and the largest closing record it may get (a close or challenge adds no deposit).
pub(crate) fn channel_bytes<T: Config>(channel: &ChannelOf<T>) -> usize {
	let key = 16 + core::mem::size_of::<ChannelId>();
	key.saturating_mul(2)
		.saturating_add(channel.encoded_size())
		.saturating_add(ClosingOf::<T>::max_encoded_len())
}
