//! Types of the payment-channels pallet, and the payout rule as one pure function.
//!
//! In a crate of their own, with neither the pallet nor the runtime, so that the off-chain tools
//! (`tpw`, `tpw-relayer`) share them without linking either: the pallet re-exports them.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::traits::AtLeast32BitUnsigned;
use scale_info::TypeInfo;
pub use tpwallet_storage_deposit::Deposit;

/// Identifier of a channel, assigned in order of opening; never reused.
pub type ChannelId = u64;

/// Version of a channel state: a later state has a higher nonce.
pub type Nonce = u64;

/// Domain tag of an update state's payload (used by `close` and `challenge`).
pub const UPDATE_TAG: [u8; 17] = *b"tpw/channel-state";
/// Domain tag of a cooperative close's payload (used by `cooperative_close`).
pub const CLOSE_TAG: [u8; 17] = *b"tpw/channel-close";
/// Tag of this pallet in every payload, so no other pallet's signed bytes can be replayed here.
pub const PALLET_TAG: [u8; 16] = *b"payment-channels";

/// What a signature over a state authorises: the domain tag of its payload. Separate tags keep
/// an update (which a newer state can still override) from being submitted as a final close.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum PayloadKind {
	/// An off-chain update: `close` and `challenge` accept it.
	Update,
	/// A final state both parties agree to settle at once: `cooperative_close` accepts it.
	Close,
}

impl PayloadKind {
	/// The domain tag that starts the payload.
	pub const fn tag(&self) -> [u8; 17] {
		match self {
			PayloadKind::Update => UPDATE_TAG,
			PayloadKind::Close => CLOSE_TAG,
		}
	}
}

/// Which way a conditional payment goes.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Direction {
	/// From party A (the opener) to party B.
	AToB,
	/// From party B to party A.
	BToA,
}

/// A payment locked in a state until its preimage is revealed (a hash-time-locked payment):
/// goes to the payee if resolved on chain before `expiry`, back to the payer otherwise.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ConditionalPayment<Balance, BlockNumber> {
	/// Who pays whom.
	pub direction: Direction,
	/// The amount, part of the state's `pending` total in `direction`.
	pub amount: Balance,
	/// SHA-256 digest of the preimage (as Lightning and Bitcoin HTLCs use).
	pub hash_lock: [u8; 32],
	/// First block at which the payment can no longer be resolved.
	pub expiry: BlockNumber,
}

/// An off-chain state of a channel, co-signed by both parties.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ChannelState<Balance> {
	/// The channel this state belongs to.
	pub channel: ChannelId,
	/// Version: a challenge must bring a strictly higher one.
	pub nonce: Nonce,
	/// What each party (A, B) owns outright.
	pub balances: (Balance, Balance),
	/// The deposits (A, B) this state accounts for: a top-up made after it was signed goes back
	/// to whoever made it.
	pub deposits: (Balance, Balance),
	/// Total locked in conditional payments (A to B, B to A).
	pub pending: (Balance, Balance),
	/// Root of the binary Merkle tree (BLAKE2-256) of the SCALE-encoded conditional payments.
	pub conditions_root: [u8; 32],
}

/// A state with both parties' signatures over its [`PayloadKind::Update`] payload.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct SignedState<Balance, Signature> {
	/// The state.
	pub state: ChannelState<Balance>,
	/// Party A's signature.
	pub sig_a: Signature,
	/// Party B's signature.
	pub sig_b: Signature,
}

/// A channel as stored: the parties, the asset and what each has on hold for it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Channel<AccountId, AssetKind, Balance, DepositBalance> {
	/// The opener.
	pub party_a: AccountId,
	/// The counterparty.
	pub party_b: AccountId,
	/// The asset of the channel.
	pub asset: AssetKind,
	/// What A and B have deposited, each on hold on its own account.
	pub deposits: (Balance, Balance),
	/// The storage deposit held from the opener (party A), in the native currency. Only the
	/// amount is stored: the payer is always the opener (storage version 2).
	pub storage_deposit: DepositBalance,
}

impl<AccountId: PartialEq + Clone, AssetKind, Balance, DepositBalance: Copy>
	Channel<AccountId, AssetKind, Balance, DepositBalance>
{
	/// Whether `who` is one of the two parties.
	pub fn is_party(&self, who: &AccountId) -> bool {
		*who == self.party_a || *who == self.party_b
	}

	/// The storage deposit with its payer, the opener.
	pub fn deposit(&self) -> Deposit<AccountId, DepositBalance> {
		Deposit { depositor: self.party_a.clone(), amount: self.storage_deposit }
	}
}

/// A channel being closed unilaterally: the state it will settle on, unless a newer one
/// replaces it before `closes_at`.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxResolved))]
pub struct Closing<AccountId, Balance, BlockNumber, MaxResolved>
where
	MaxResolved: polkadot_sdk::frame_support::traits::Get<u32>,
{
	/// The party that started the close.
	pub closer: AccountId,
	/// First block at which the channel can be settled (and no longer challenged).
	pub closes_at: BlockNumber,
	/// The newest state submitted; `None` if none was ever signed (payouts = deposits).
	pub state: Option<ChannelState<Balance>>,
	/// Conditional payments of `state` proven resolved (preimage revealed in time).
	pub resolved: polkadot_sdk::frame_support::BoundedVec<
		ConditionalPayment<Balance, BlockNumber>,
		MaxResolved,
	>,
}

impl<AccountId, Balance, BlockNumber, MaxResolved>
	Closing<AccountId, Balance, BlockNumber, MaxResolved>
where
	MaxResolved: polkadot_sdk::frame_support::traits::Get<u32>,
{
	/// The nonce of the closing state; `None` (below every nonce) if no state was submitted.
	pub fn nonce(&self) -> Option<Nonce> {
		self.state.as_ref().map(|s| s.nonce)
	}
}

/// Where a channel stands, for the runtime API.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum ChannelStatus<AccountId, BlockNumber> {
	/// Open: both parties can top up and pay off chain.
	Open,
	/// Closing unilaterally.
	Closing {
		/// The party that started the close.
		closer: AccountId,
		/// Nonce of the closing state (`None`: closed without a state).
		nonce: Option<Nonce>,
		/// First block at which it can be settled.
		closes_at: BlockNumber,
		/// Conditional payments resolved so far.
		resolved: u32,
	},
}

/// A channel as the runtime API reports it.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ChannelInfo<AccountId, AssetKind, Balance, BlockNumber> {
	/// The opener.
	pub party_a: AccountId,
	/// The counterparty.
	pub party_b: AccountId,
	/// The asset of the channel.
	pub asset: AssetKind,
	/// What A and B have deposited.
	pub deposits: (Balance, Balance),
	/// Open or closing.
	pub status: ChannelStatus<AccountId, BlockNumber>,
}

/// What each party (A, B) receives when the channel settles.
///
/// - No state (`None`): each gets its deposit back.
/// - Otherwise, party X gets `balances.X`, plus the deposit it made after the state was signed
///   (`deposits.X` of the channel minus `deposits.X` of the state), plus its pending payments
///   that were not resolved (they return to the payer), plus the payments to it that were
///   resolved (they go to the payee).
///
/// Resolved amounts in a direction count at most up to that direction's `pending` total, so the
/// payouts always add up to the channel's deposits for a valid state, whatever the co-signed
/// conditions tree holds. `None` if the state does not fit the deposits (an invalid state): then
/// the payouts would not add up to them.
pub fn payouts<Balance: AtLeast32BitUnsigned + Copy, BlockNumber>(
	deposits: (Balance, Balance),
	state: Option<&ChannelState<Balance>>,
	resolved: &[ConditionalPayment<Balance, BlockNumber>],
) -> Option<(Balance, Balance)> {
	let Some(state) = state else { return Some(deposits) };
	// Saturating is safe: each sum is capped by its pending total right after.
	let (mut a_to_b, mut b_to_a) = (Balance::zero(), Balance::zero());
	for payment in resolved {
		match payment.direction {
			Direction::AToB => a_to_b = a_to_b.saturating_add(payment.amount),
			Direction::BToA => b_to_a = b_to_a.saturating_add(payment.amount),
		}
	}
	let a_to_b = a_to_b.min(state.pending.0);
	let b_to_a = b_to_a.min(state.pending.1);
	let top_up_a = deposits.0.checked_sub(&state.deposits.0)?;
	let top_up_b = deposits.1.checked_sub(&state.deposits.1)?;
	let payout_a = state
		.balances
		.0
		.checked_add(&top_up_a)?
		// Never saturates: `a_to_b` is at most `pending.0`, `b_to_a` at most `pending.1`.
		.checked_add(&state.pending.0.saturating_sub(a_to_b))?
		.checked_add(&b_to_a)?;
	let payout_b = state
		.balances
		.1
		.checked_add(&top_up_b)?
		.checked_add(&state.pending.1.saturating_sub(b_to_a))?
		.checked_add(&a_to_b)?;
	// Holds for a valid state; refusing otherwise means no settlement pays out more than it holds.
	let total = deposits.0.checked_add(&deposits.1)?;
	(payout_a.checked_add(&payout_b)? == total).then_some((payout_a, payout_b))
}

/// The bytes both parties sign for `state` on the chain whose genesis hash is `genesis` (32 bytes,
/// encoded raw): the SCALE encoding of `(kind's tag, genesis, PALLET_TAG, state.channel, state)`.
/// Off-chain clients call this with the genesis hash they read; the pallet with its own.
pub fn signing_payload<Balance: Encode>(
	kind: PayloadKind,
	genesis: &impl Encode,
	state: &ChannelState<Balance>,
) -> alloc::vec::Vec<u8> {
	(kind.tag(), genesis, PALLET_TAG, state.channel, state).encode()
}
