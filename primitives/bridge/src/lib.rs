//! Types of the bridge pallet: lanes, messages and the token-transfer bookkeeping.
//!
//! Both ends of a bridge run this pallet, so a message is stored on its source chain with the
//! same types the destination decodes it with.
//!
//! In a crate of their own, with neither the pallet nor the runtime, so that the off-chain tools
//! (`tpw`, `tpw-relayer`) share them without linking either: the pallet re-exports them.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
pub use tpwallet_storage_deposit::Deposit;

/// Position of a message in its lane: the first message is 1, each next one adds 1.
pub type MessageNonce = u64;

/// Longest application message (`send_message`), in bytes.
pub const MAX_REMARK_LEN: u32 = 1024;

/// An application message's bytes.
pub type Remark = BoundedVec<u8, ConstU32<MAX_REMARK_LEN>>;

/// What a message asks the destination to do.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Payload<AccountId, AssetKind, Balance> {
	/// Application bytes: the destination records them in an event.
	Remark(Remark),
	/// `amount` of `asset` (the source chain's asset) was locked on the source: mint its wrapped
	/// representation to `beneficiary`.
	Mint { asset: AssetKind, amount: Balance, beneficiary: AccountId },
	/// `amount` of the destination's own `asset` was burned (as wrapped) on the source: release it
	/// from the destination's vault to `beneficiary`.
	Release { asset: AssetKind, amount: Balance, beneficiary: AccountId },
}

/// A message as committed to its source chain's state.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct Message<ChainId, AccountId, AssetKind, Balance> {
	/// Genesis hash of the chain that sent it.
	pub source: ChainId,
	/// Genesis hash of the chain it is for.
	pub destination: ChainId,
	/// Account that sent it, on the source chain.
	pub sender: AccountId,
	/// What it asks.
	pub payload: Payload<AccountId, AssetKind, Balance>,
}

/// Identifies the lane a delivery is for: messages from `source` to `destination`.
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
pub struct LaneId<ChainId> {
	/// Genesis hash of the sending chain.
	pub source: ChainId,
	/// Genesis hash of the receiving chain.
	pub destination: ChainId,
}

/// The sending end of a lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OutboundLane {
	/// Nonce of the last message queued (0: none yet).
	pub latest_generated: MessageNonce,
	/// Nonce of the last message the destination has proven it received.
	pub latest_confirmed: MessageNonce,
}

impl OutboundLane {
	/// Messages queued and not yet confirmed (still stored).
	pub fn unconfirmed(&self) -> MessageNonce {
		self.latest_generated.saturating_sub(self.latest_confirmed)
	}
}

/// Most relayers whose deliveries wait for the source chain's confirmation at once. Consecutive
/// deliveries by one relayer count once; a delivery by a new relayer beyond this waits
/// (`TooManyUnrewardedRelayers`) until a confirmation reaches the source and a later delivery
/// proves it.
pub const MAX_UNREWARDED_RELAYERS: u32 = 16;

/// Messages a relayer delivered, those after the previous entry's `last` up to its own `last`,
/// that the source chain has not yet confirmed: the source pays the relayer from the receipt
/// that carries this.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct UnrewardedDelivery<AccountId> {
	pub relayer: AccountId,
	pub last: MessageNonce,
}

/// The receiving end of the lane from the bridged chain. The source proves this value to
/// confirm delivery (the receipt), and pays the relayers it names.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct InboundLane<ChainId, AccountId> {
	/// Genesis hash of the chain the messages come from.
	pub source: ChainId,
	/// Nonce of the last message received and dispatched.
	pub last_delivered: MessageNonce,
	/// Who delivered the messages the source has not confirmed yet, in nonce order.
	pub relayers: BoundedVec<UnrewardedDelivery<AccountId>, ConstU32<MAX_UNREWARDED_RELAYERS>>,
}

impl<ChainId, AccountId> InboundLane<ChainId, AccountId> {
	/// A lane from `source` that received nothing yet.
	pub fn new(source: ChainId) -> Self {
		Self { source, last_delivered: 0, relayers: Default::default() }
	}

	/// The relayer that delivered message `nonce`, if the lane still records it.
	pub fn deliverer(&self, nonce: MessageNonce) -> Option<&AccountId> {
		self.relayers.iter().find(|d| d.last >= nonce).map(|d| &d.relayer)
	}
}

/// A cap on the amount of one asset moving through the bridge in each direction per window.
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
pub struct RateLimit<Balance, BlockNumber> {
	/// Most that may move in one window.
	pub max_per_window: Balance,
	/// Length of a window, in blocks (at least 1).
	pub window: BlockNumber,
}

/// Which way value moves, for rate limiting.
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
	/// Locked or burned here, for the bridged chain.
	Outbound,
	/// Minted or released here, from the bridged chain.
	Inbound,
}

/// What moved in the current window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct WindowUsage<Balance, BlockNumber> {
	/// First block of the window.
	pub window_start: BlockNumber,
	/// Amount moved since then.
	pub used: Balance,
}

/// A wrapped asset on this chain: the representation of an asset of the bridged chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct WrappedAsset<AssetKind, Balance> {
	/// The original asset, as the bridged chain names it.
	pub remote: AssetKind,
	/// Amount minted here and not burned: the wrapped supply.
	pub supply: Balance,
}

/// An inbound transfer that could not be credited when its message arrived. Its message is
/// delivered (the lane moves on); the value waits here until the bridge pallet's `retry_transfer`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PendingTransfer<AccountId, AssetKind, Balance, DepositBalance> {
	/// `Mint` (of the wrapped representation of a remote asset) or `Release` (of a local one).
	pub kind: TransferKind,
	/// The asset as named in the message.
	pub asset: AssetKind,
	/// Amount to credit.
	pub amount: Balance,
	/// Who receives it.
	pub beneficiary: AccountId,
	/// The storage deposit held from the relayer that delivered it, native.
	pub deposit: Deposit<AccountId, DepositBalance>,
}

/// How an inbound transfer is credited.
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
pub enum TransferKind {
	/// Mint the wrapped representation of a remote asset.
	Mint,
	/// Release a local asset from the vault.
	Release,
}

/// Why an inbound transfer is waiting.
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
pub enum PendingReason {
	/// The bridge is paused by governance.
	Paused,
	/// The asset's inbound rate limit for the current window is used up.
	RateLimited,
	/// No wrapped asset is registered for it, or it is not a listed local asset.
	UnknownAsset,
	/// The release exceeds what is locked here (the bridged chain misbehaved).
	ExceedsLocked,
	/// The asset refused the credit (e.g. the beneficiary cannot hold it).
	DepositFailed,
}

impl From<polkadot_sdk::sp_runtime::DispatchError> for PendingReason {
	// Only the storage layer's nesting limit reaches here; the credit is retried later.
	fn from(_: polkadot_sdk::sp_runtime::DispatchError) -> Self {
		PendingReason::DepositFailed
	}
}
