//! # Bridge pallet
//!
//! Messages and token transfers between two tpwallet chains, trusting nothing but the other
//! chain's GRANDPA finality. Each chain runs a light client of the other (`pallet-bridge-grandpa`,
//! the [`Config::BridgedHeaderChain`]); this pallet proves everything else against the state roots
//! of the headers that light client has accepted.
//!
//! - Outbound: [`Pallet::send_message`] and [`Pallet::transfer`] queue a message in the lane to
//!   its destination, under the next nonce, in this chain's state ([`OutboundMessages`]).
//! - Inbound: [`Pallet::deliver_messages`] (anyone: relayers are untrusted) brings a range of
//!   messages with a storage proof against a finalized header of the bridged chain. Messages are
//!   accepted in order and exactly once: the range must start right after the last delivered
//!   nonce. Each message is dispatched on arrival.
//! - Receipts: [`Pallet::confirm_delivery`] proves the destination's [`InboundLanes`] entry back
//!   to the source, which then drops the delivered messages.
//! - Tokens: a listed local asset is locked in the vault and minted as a wrapped asset on the
//!   other side; the wrapped asset is burned to release the original. Per-asset rate limits cap
//!   each direction per window; governance can pause all value movement. An inbound transfer that
//!   cannot be credited (paused, rate-limited, unknown asset) waits in [`PendingTransfers`] for
//!   [`Pallet::retry_transfer`]: a delivered message is never lost.
//!
//! Both chains run this runtime, so a message is decoded with the types it was stored with, and
//! its storage key is computed from this pallet's own storage definition.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use tpwallet_bridge_primitives::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use polkadot_sdk::{bp_header_chain, bp_runtime, frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use bp_header_chain::HeaderChain;
	use bp_runtime::{HashOf, RawStorageProof};
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles, Contains},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{One, Zero},
		Perbill,
	};

	/// The asset kind (native or an asset id) of `T::Assets`.
	pub type AssetKindOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::AssetId;
	/// The balance type of `T::Assets`.
	pub type BalanceOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A chain's identity: its genesis hash.
	pub type ChainIdOf<T> = <T as frame_system::Config>::Hash;
	/// A message as stored in the lane.
	pub type MessageOf<T> =
		Message<ChainIdOf<T>, <T as frame_system::Config>::AccountId, AssetKindOf<T>, BalanceOf<T>>;
	/// A message's payload.
	pub type PayloadOf<T> =
		Payload<<T as frame_system::Config>::AccountId, AssetKindOf<T>, BalanceOf<T>>;
	/// A rate limit of this runtime.
	pub type RateLimitOf<T> = RateLimit<BalanceOf<T>, BlockNumberFor<T>>;
	/// The balance type of the native currency (storage deposits).
	pub type DepositBalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A waiting inbound transfer.
	pub type PendingTransferOf<T> = PendingTransfer<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		DepositBalanceOf<T>,
	>;
	/// Hash of a bridged chain header.
	pub type BridgedHeaderHashOf<T> = HashOf<<T as Config>::BridgedChain>;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: pending transfers record their storage deposit ([`migrations::v1`]).
	/// 2: the inbound lane records who delivered what, until the source confirms it
	///    ([`migrations::v2`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The bridged chain.
		type BridgedChain: bp_runtime::Chain;

		/// Finalized headers of the bridged chain: the GRANDPA light client. Only their state
		/// roots are trusted.
		type BridgedHeaderChain: HeaderChain<Self::BridgedChain>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Every bridgeable asset, native included, behind one interface.
		type Assets: fungibles::Mutate<Self::AccountId>;

		/// Sets the bridge up (the bridged chain, lanes, listed and wrapped assets, rate limits)
		/// and resumes it after a pause: governance.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Pauses the bridge, the emergency brake: a body that can act faster than
		/// `AdminOrigin` (and `AdminOrigin` itself).
		type HaltOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The native currency, in which storage deposits are held.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// Storage deposit per pending transfer, held from the relayer whose delivery stored it
		/// and returned when it is credited. Not a metadata constant: a runtime may let
		/// governance change it (each record keeps what it held).
		type DepositBase: Get<DepositBalanceOf<Self>>;

		/// Storage deposit per byte a pending transfer stores.
		type DepositPerByte: Get<DepositBalanceOf<Self>>;

		/// What each outbound message pays, native: held on the sender's account (the relayer
		/// reward escrow, [`HoldReason::DeliveryFee`]) until the relayer that proves its
		/// delivery and receipt ([`Pallet::confirm_delivery`]) is paid it. Not a metadata
		/// constant: a runtime may let governance change it (each message records what it
		/// paid).
		type DeliveryFee: Get<DepositBalanceOf<Self>>;

		/// The share of each delivery fee paid to the relayer that confirms the message's
		/// delivery back on its source chain; the rest goes to the relayer that delivered it
		/// (named by the receipt). A message whose deliverer the receipt does not name pays its
		/// whole fee to the confirming relayer. Not a metadata constant: a runtime may let
		/// governance change it.
		type ConfirmationShare: Get<Perbill>;

		/// Most unconfirmed outbound messages one sender may have queued: no sender fills a
		/// lane alone.
		#[pallet::constant]
		type MaxUnconfirmedPerSender: Get<u32>;

		/// Creates the wrapped representation of a remote asset.
		type WrappedAssets: CreateWrapped<AssetKindOf<Self>, Self::AccountId, BalanceOf<Self>>;

		/// Assets that may cross the bridge at all (e.g. not regulated tokens, whose compliance
		/// rules the other chain cannot enforce).
		type BridgeableAssets: Contains<AssetKindOf<Self>>;

		/// Derives the vault account that holds locked assets.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Most messages in one delivery.
		#[pallet::constant]
		type MaxMessagesPerDelivery: Get<u32>;

		/// Most messages queued in a lane and not yet confirmed: bounds the lane's storage and
		/// the work of a receipt.
		#[pallet::constant]
		type MaxUnconfirmedMessages: Get<u32>;

		/// Most bytes a storage proof may carry (its nodes together): bounds the work of
		/// decoding and checking it, which the weights do not grow with.
		#[pallet::constant]
		type MaxProofSize: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets up light-client headers and assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			BridgedHeaderHashOf<Self>,
			AssetKindOf<Self>,
			Self::AccountId,
			BalanceOf<Self>,
		>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a pending inbound transfer, held from the relayer that
		/// delivered it.
		#[codec(index = 0)]
		StorageDeposit,
		/// Delivery fees of unconfirmed outbound messages, held from their senders until the
		/// relayer that confirms them is paid.
		#[codec(index = 1)]
		DeliveryFee,
	}

	/// This chain's identity (its genesis hash), recorded in block 1, or by the
	/// [`migrations::RecordThisChain`] upgrade where the pallet arrived later.
	#[pallet::storage]
	pub type ThisChain<T: Config> = StorageValue<_, ChainIdOf<T>, OptionQuery>;

	/// The chain the light client follows, set once by governance.
	#[pallet::storage]
	pub type BridgedChain<T: Config> = StorageValue<_, ChainIdOf<T>, OptionQuery>;

	/// Outbound lanes by destination chain.
	#[pallet::storage]
	pub type OutboundLanes<T: Config> =
		StorageMap<_, Blake2_128Concat, ChainIdOf<T>, OutboundLane, OptionQuery>;

	/// Queued messages by destination and nonce, until their delivery is confirmed.
	#[pallet::storage]
	pub type OutboundMessages<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		ChainIdOf<T>,
		Twox64Concat,
		MessageNonce,
		MessageOf<T>,
		OptionQuery,
	>;

	/// The receiving end of the lane from the bridged chain (the receipt the source proves).
	#[pallet::storage]
	pub type InboundLanes<T: Config> = StorageValue<
		_,
		InboundLane<ChainIdOf<T>, <T as frame_system::Config>::AccountId>,
		OptionQuery,
	>;

	/// Whether value movement (transfers out, credits in) is paused by governance.
	#[pallet::storage]
	pub type Paused<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Local assets that may be locked for the bridged chain, with the amount locked in the vault.
	#[pallet::storage]
	pub type ListedAssets<T: Config> =
		StorageMap<_, Blake2_128Concat, AssetKindOf<T>, BalanceOf<T>, OptionQuery>;

	/// Wrapped asset on this chain, by the remote asset it represents.
	#[pallet::storage]
	pub type WrappedByRemote<T: Config> =
		StorageMap<_, Blake2_128Concat, AssetKindOf<T>, AssetKindOf<T>, OptionQuery>;

	/// Wrapped assets on this chain: the remote asset and the wrapped supply.
	#[pallet::storage]
	pub type WrappedAssets<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		AssetKindOf<T>,
		WrappedAsset<AssetKindOf<T>, BalanceOf<T>>,
		OptionQuery,
	>;

	/// Rate limit of each bridged asset (listed or wrapped).
	#[pallet::storage]
	pub type RateLimits<T: Config> =
		StorageMap<_, Blake2_128Concat, AssetKindOf<T>, RateLimitOf<T>, OptionQuery>;

	/// Amount moved in the current window, by asset and direction.
	#[pallet::storage]
	pub type RateUsage<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		AssetKindOf<T>,
		Twox64Concat,
		Direction,
		WindowUsage<BalanceOf<T>, BlockNumberFor<T>>,
		ValueQuery,
	>;

	/// Each unconfirmed outbound message's sender and the delivery fee held from it, by
	/// destination and nonce.
	#[pallet::storage]
	pub type MessageFees<T: Config> = StorageDoubleMap<
		_,
		Identity,
		ChainIdOf<T>,
		Twox64Concat,
		MessageNonce,
		(T::AccountId, DepositBalanceOf<T>),
	>;

	/// How many unconfirmed outbound messages each sender has queued.
	#[pallet::storage]
	pub type UnconfirmedBySender<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Inbound transfers waiting to be credited, by message nonce.
	#[pallet::storage]
	pub type PendingTransfers<T: Config> =
		StorageMap<_, Twox64Concat, MessageNonce, PendingTransferOf<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance set the chain the bridge talks to; the lanes to and from it are open.
		BridgedChainSet { chain: ChainIdOf<T> },
		/// Governance opened an outbound lane to `destination`.
		LaneOpened { destination: ChainIdOf<T> },
		/// A message was queued for `destination`.
		MessageQueued {
			destination: ChainIdOf<T>,
			nonce: MessageNonce,
			sender: T::AccountId,
			/// Held from the sender (native) until a relayer earns it.
			delivery_fee: DepositBalanceOf<T>,
		},
		/// `relayer` was paid `amount` of delivery fees, from their senders' holds, for messages
		/// whose delivery a receipt proved: for delivering them (named by the receipt), for
		/// confirming the receipt, or both. The confirming relayer is always reported.
		RelayerRewarded { relayer: T::AccountId, amount: DepositBalanceOf<T> },
		/// `amount` of `asset` was locked (or burned, if wrapped) for `beneficiary` on the bridged
		/// chain, in message `nonce`.
		TransferSent {
			nonce: MessageNonce,
			asset: AssetKindOf<T>,
			amount: BalanceOf<T>,
			sender: T::AccountId,
			beneficiary: T::AccountId,
		},
		/// Messages `first..=last` from `source` were proven and dispatched.
		MessagesReceived {
			source: ChainIdOf<T>,
			first: MessageNonce,
			last: MessageNonce,
			relayer: T::AccountId,
		},
		/// An application message arrived.
		RemarkReceived { nonce: MessageNonce, sender: T::AccountId, remark: Remark },
		/// An inbound transfer was credited: `amount` of local `asset` minted or released.
		TransferCredited {
			nonce: MessageNonce,
			kind: TransferKind,
			asset: AssetKindOf<T>,
			amount: BalanceOf<T>,
			beneficiary: T::AccountId,
		},
		/// An inbound transfer could not be credited yet; it waits for `retry_transfer`.
		TransferPending {
			nonce: MessageNonce,
			reason: PendingReason,
			/// Who holds its storage deposit (the delivering relayer), and how much, until it
			/// is credited.
			depositor: T::AccountId,
			deposit: DepositBalanceOf<T>,
		},
		/// `destination` proved it received messages `first..=last`; they are dropped here.
		DeliveryConfirmed { destination: ChainIdOf<T>, first: MessageNonce, last: MessageNonce },
		/// Governance listed a local asset for bridging.
		AssetListed { asset: AssetKindOf<T>, limit: RateLimitOf<T> },
		/// Governance created `local` as the wrapped representation of the bridged chain's
		/// `remote`.
		WrappedAssetRegistered { remote: AssetKindOf<T>, local: AssetKindOf<T> },
		/// Governance changed an asset's rate limit.
		RateLimitSet { asset: AssetKindOf<T>, limit: RateLimitOf<T> },
		/// Governance paused value movement.
		BridgePaused,
		/// Governance resumed value movement.
		BridgeResumed,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The bridged chain is not set (governance has not configured the bridge).
		NotConfigured,
		/// The bridged chain is already set.
		AlreadyConfigured,
		/// This chain has not recorded its genesis hash yet (block 1 records it).
		ThisChainUnknown,
		/// The lane to this destination is already open.
		LaneAlreadyOpen,
		/// No lane is open to this destination.
		LaneNotOpen,
		/// The lane has `MaxUnconfirmedMessages` unconfirmed messages.
		OutboundQueueFull,
		/// Message nonces are exhausted.
		NonceOverflow,
		/// Value movement is paused by governance.
		BridgePaused,
		/// The amount is below the asset's minimum balance.
		AmountBelowMinimum,
		/// The asset is neither listed for bridging nor a wrapped asset.
		AssetNotBridgeable,
		/// The asset is already listed or wrapped.
		AssetAlreadyBridged,
		/// The sender cannot spend this amount (balance too low or asset frozen).
		InsufficientBalance,
		/// The asset's rate limit for the current window would be exceeded.
		RateLimitExceeded,
		/// A rate limit's window must be at least one block.
		InvalidRateLimit,
		/// The wrapped asset could not be created.
		WrappedAssetCreationFailed,
		/// The delivery names no message (`last < first`).
		EmptyDelivery,
		/// The delivery carries more than `MaxMessagesPerDelivery` messages.
		TooManyMessages,
		/// The lane's source is not the chain the light client follows.
		UnknownSourceChain,
		/// The message or lane is for another chain.
		WrongDestination,
		/// The first message was already delivered (a replay).
		MessageAlreadyDelivered,
		/// The first message is not the next one: messages are delivered in order.
		MessageNonceGap,
		/// The light client has not finalized this header of the bridged chain.
		UnknownBridgedHeader,
		/// The storage proof does not match the header's state root, or carries unused nodes.
		InvalidStorageProof,
		/// The storage proof is larger than `MaxProofSize`.
		ProofTooLarge,
		/// A delivery's proof shows no outbound lane to this chain on the source (a delivery
		/// proves that lane: its confirmations let the destination forget the relayers paid).
		OutboundLaneMissingFromProof,
		/// `MAX_UNREWARDED_RELAYERS` relayers already wait for the source chain to confirm
		/// their deliveries: a new relayer's delivery waits for a confirmation.
		TooManyUnrewardedRelayers,
		/// The proof does not contain a message of the range (it was never sent).
		MessageMissingFromProof,
		/// A proven message does not decode, or names another lane than it was stored under.
		InvalidMessage,
		/// The receipt confirms nothing new (a replay or a stale receipt).
		ReceiptAlreadyConfirmed,
		/// The receipt confirms messages that were never sent.
		InvalidReceipt,
		/// No pending transfer has this nonce.
		PendingTransferNotFound,
		/// The release exceeds what the vault holds for the bridged chain.
		ExceedsLocked,
		/// The asset refused the credit (e.g. the beneficiary cannot hold it).
		DepositFailed,
		/// The relayer cannot pay the storage deposit of a transfer that must wait (native
		/// balance too low).
		CannotPayDeposit,
		/// The sender already has `MaxUnconfirmedPerSender` messages waiting for confirmation.
		SenderQuotaFull,
		/// The sender cannot pay the delivery fee (native balance too low).
		CannotPayDeliveryFee,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxMessagesPerDelivery::get() > 0,
				"a delivery carries at least one message"
			);
			assert!(T::MaxProofSize::get() > 0, "a proof has room for a node");
			assert!(
				T::MaxUnconfirmedMessages::get() >= T::MaxMessagesPerDelivery::get(),
				"a lane holds at least one full delivery"
			);
		}

		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			// Block 1 is the first whose state knows the genesis hash (its parent's).
			if n == One::one() {
				ThisChain::<T>::put(frame_system::Pallet::<T>::block_hash(
					BlockNumberFor::<T>::zero(),
				));
				T::DbWeight::get().reads_writes(1, 1)
			} else {
				Weight::zero()
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sets the chain the light client follows and opens the lanes to and from it.
		///
		/// - Origin: `AdminOrigin`, once; initialise the light client with the same chain.
		/// - Event: [`Event::BridgedChainSet`].
		/// - Weight: [`WeightInfo::set_bridged_chain`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_bridged_chain())]
		pub fn set_bridged_chain(origin: OriginFor<T>, chain: ChainIdOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_bridged_chain(chain)
		}

		/// Opens an outbound lane to another chain (one that runs a light client of this one).
		///
		/// - Origin: `AdminOrigin`.
		/// - Event: [`Event::LaneOpened`].
		/// - Weight: [`WeightInfo::open_lane`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::open_lane())]
		pub fn open_lane(origin: OriginFor<T>, destination: ChainIdOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_open_lane(destination)
		}

		/// Queues an application message for `destination`.
		///
		/// - Origin: signed; the sender, named in the message, who pays the delivery fee.
		/// - Effect: the message is stored under the lane's next nonce until its delivery is
		///   confirmed; the sender may have at most `MaxUnconfirmedPerSender` such messages.
		/// - Event: [`Event::MessageQueued`]; on arrival, [`Event::RemarkReceived`] there.
		/// - Weight: [`WeightInfo::send_message`], linear in the length.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::send_message(remark.len() as u32))]
		pub fn send_message(
			origin: OriginFor<T>,
			destination: ChainIdOf<T>,
			remark: Remark,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			Self::enqueue(destination, sender, Payload::Remark(remark)).map(|_| ())
		}

		/// Sends `amount` of `asset` to `beneficiary` on the bridged chain.
		///
		/// - Origin: signed; the sender, whose funds move.
		/// - Effect: a listed local asset is locked in the vault (the bridged chain mints its
		///   wrapped representation); a wrapped asset is burned (the bridged chain releases the
		///   original). Counts against the asset's outbound rate limit.
		/// - Fee: the delivery fee, as [`Pallet::send_message`]; the same per-sender quota.
		/// - Event: [`Event::TransferSent`], [`Event::MessageQueued`].
		/// - Weight: [`WeightInfo::transfer`], the costlier of lock and burn.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::transfer())]
		pub fn transfer(
			origin: OriginFor<T>,
			asset: AssetKindOf<T>,
			amount: BalanceOf<T>,
			beneficiary: T::AccountId,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			Self::do_transfer(sender, asset, amount, beneficiary).map(|_| ())
		}

		/// Delivers messages `first..=last` of `lane`, proven against `bridged_header`.
		///
		/// - Origin: signed; anyone (a relayer is not trusted: the proof is).
		/// - Checks: the lane runs from the bridged chain to this one; `first` is the next
		///   undelivered nonce; the light client has finalized `bridged_header`; `proof` is a
		///   storage proof against its state root with every message of the range and nothing
		///   else.
		/// - Effect: each message is dispatched in order; the lane's last delivered nonce
		///   becomes `last` (the receipt).
		/// - Event: [`Event::MessagesReceived`] and one event per message.
		/// - Weight: [`WeightInfo::deliver_messages`], linear in the number of messages, plus
		///   [`Pallet::proof_weight`] of the proof's bytes (at most `MaxProofSize`).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deliver_messages(
			Pallet::<T>::delivery_len(*first, *last)
		).saturating_add(Pallet::<T>::proof_weight(proof)))]
		pub fn deliver_messages(
			origin: OriginFor<T>,
			bridged_header: BridgedHeaderHashOf<T>,
			lane: LaneId<ChainIdOf<T>>,
			first: MessageNonce,
			last: MessageNonce,
			proof: RawStorageProof,
		) -> DispatchResult {
			let relayer = ensure_signed(origin)?;
			Self::do_deliver(relayer, bridged_header, lane, first, last, proof)
		}

		/// Confirms delivery to the bridged chain: proves its inbound lane state (the receipt)
		/// against `bridged_header`, and drops the messages it received.
		///
		/// - Origin: signed; anyone: the relayer, paid the delivery fees of the messages it
		///   confirms (from their senders' holds).
		/// - Event: [`Event::DeliveryConfirmed`], [`Event::RelayerRewarded`].
		/// - Weight: [`WeightInfo::confirm_delivery`] of `MaxUnconfirmedMessages`, refunded to the
		///   number of messages dropped, plus [`Pallet::proof_weight`] of the proof's bytes.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::confirm_delivery(T::MaxUnconfirmedMessages::get())
			.saturating_add(Pallet::<T>::proof_weight(proof)))]
		pub fn confirm_delivery(
			origin: OriginFor<T>,
			bridged_header: BridgedHeaderHashOf<T>,
			proof: RawStorageProof,
		) -> DispatchResultWithPostInfo {
			let relayer = ensure_signed(origin)?;
			let proof_weight = Self::proof_weight(&proof);
			let confirmed = Self::do_confirm(relayer, bridged_header, proof)?;
			Ok(Some(T::WeightInfo::confirm_delivery(confirmed).saturating_add(proof_weight)).into())
		}

		/// Credits a pending inbound transfer, once what held it back is gone.
		///
		/// - Origin: signed; anyone (the value goes to the beneficiary).
		/// - Event: [`Event::TransferCredited`].
		/// - Weight: [`WeightInfo::retry_transfer`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::retry_transfer())]
		pub fn retry_transfer(origin: OriginFor<T>, nonce: MessageNonce) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_retry(nonce)
		}

		/// Lists a local asset for bridging, with its rate limit.
		///
		/// - Origin: `AdminOrigin`.
		/// - Event: [`Event::AssetListed`].
		/// - Weight: [`WeightInfo::list_asset`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::list_asset())]
		pub fn list_asset(
			origin: OriginFor<T>,
			asset: AssetKindOf<T>,
			limit: RateLimitOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_list_asset(asset, limit)
		}

		/// Creates `local` as the wrapped representation of the bridged chain's `remote` asset,
		/// owned by the vault (so only this pallet mints or burns it), with its rate limit.
		///
		/// - Origin: `AdminOrigin`.
		/// - Event: [`Event::WrappedAssetRegistered`].
		/// - Weight: [`WeightInfo::register_wrapped`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::register_wrapped())]
		pub fn register_wrapped(
			origin: OriginFor<T>,
			remote: AssetKindOf<T>,
			local: AssetKindOf<T>,
			min_balance: BalanceOf<T>,
			limit: RateLimitOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_register_wrapped(remote, local, min_balance, limit)
		}

		/// Changes the rate limit of a listed or wrapped asset.
		///
		/// - Origin: `AdminOrigin`.
		/// - Event: [`Event::RateLimitSet`].
		/// - Weight: [`WeightInfo::set_rate_limit`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_rate_limit())]
		pub fn set_rate_limit(
			origin: OriginFor<T>,
			asset: AssetKindOf<T>,
			limit: RateLimitOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_rate_limit(asset, limit)
		}

		/// Pauses or resumes all value movement: outbound transfers fail, inbound ones wait in
		/// [`PendingTransfers`]. Messages keep flowing, so nothing is lost while paused.
		///
		/// - Origin: `HaltOrigin` to pause (the emergency brake), `AdminOrigin` to resume.
		/// - Event: [`Event::BridgePaused`] or [`Event::BridgeResumed`].
		/// - Weight: [`WeightInfo::set_paused`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_paused())]
		pub fn set_paused(origin: OriginFor<T>, paused: bool) -> DispatchResult {
			if paused {
				T::HaltOrigin::ensure_origin(origin)?;
			} else {
				T::AdminOrigin::ensure_origin(origin)?;
			}
			Paused::<T>::put(paused);
			Self::deposit_event(if paused { Event::BridgePaused } else { Event::BridgeResumed });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The vault account that holds locked assets.
		pub fn vault() -> T::AccountId {
			use sp_runtime::traits::AccountIdConversion;
			T::PalletId::get().into_account_truncating()
		}

		/// What the bytes of `proof` cost to check: the per-byte slope of
		/// [`WeightInfo::deliver_message_bytes`] times the proof's size (capped at
		/// `MaxProofSize`, beyond which the call fails before reading it).
		pub fn proof_weight(proof: &RawStorageProof) -> Weight {
			let bytes = proof.iter().fold(0u32, |size, node| {
				size.saturating_add(u32::try_from(node.len()).unwrap_or(u32::MAX))
			});
			let per_byte = T::WeightInfo::deliver_message_bytes(1)
				.saturating_sub(T::WeightInfo::deliver_message_bytes(0));
			per_byte.saturating_mul(u64::from(bytes.min(T::MaxProofSize::get())))
		}

		/// Number of messages in `first..=last`, for the weight (0 if empty, capped).
		pub fn delivery_len(first: MessageNonce, last: MessageNonce) -> u32 {
			let len = last.saturating_sub(first).saturating_add(1);
			let len = if last < first { 0 } else { len };
			u32::try_from(len).unwrap_or(u32::MAX).min(T::MaxMessagesPerDelivery::get())
		}
	}
}

/// Creates wrapped assets.
pub trait CreateWrapped<AssetKind, AccountId, Balance> {
	/// Creates `asset` with `owner` as its only minter and burner, sufficient (an account may
	/// hold it with nothing else), with `min_balance`.
	fn create(
		asset: &AssetKind,
		owner: &AccountId,
		min_balance: Balance,
	) -> polkadot_sdk::sp_runtime::DispatchResult;
}

/// Sets up the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<HeaderHash, AssetKind, AccountId, Balance> {
	/// Makes the light client accept a header with `state_root`; returns its hash.
	fn import_header(state_root: HeaderHash) -> HeaderHash;
	/// A listable asset whose transfers cost the most, created if needed.
	fn create_asset() -> AssetKind;
	/// An unused asset id for a wrapped asset, numbered `n`.
	fn wrapped_asset(n: u32) -> AssetKind;
	/// Gives `who` `amount` of `asset` (and what it needs to hold it).
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance);
}
