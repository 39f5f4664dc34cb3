//! # Payment-channels pallet
//!
//! Two-party payment channels on any fungible asset (the native token or a `pallet-assets` token,
//! through one `fungibles` interface): both parties lock funds once on chain, pay each other off
//! chain by co-signing ever newer states, and settle on chain.
//!
//! - [`Pallet::open`]: party A puts a deposit on hold and opens a channel with party B.
//! - [`Pallet::top_up`]: either party adds to its deposit while the channel is open.
//! - [`Pallet::cooperative_close`]: a final state signed by both under the close tag settles at
//!   once.
//! - [`Pallet::close`]: a party starts a unilateral close with the latest co-signed state (or
//!   none), which opens a challenge period of `ChallengePeriod` blocks.
//! - [`Pallet::challenge`]: during that period anyone (a party, or a watchtower with its own
//!   account) replaces the closing state with a co-signed one of strictly higher nonce.
//! - [`Pallet::resolve_conditional`]: while closing, anyone proves that a conditional payment is
//!   in the closing state and reveals its preimage before its expiry: it goes to the payee.
//! - [`Pallet::settle`]: once the challenge period is over, anyone pays the channel out.
//!
//! ## Funds
//!
//! Deposits stay on each depositor's own account, held under [`HoldReason::ChannelDeposit`].
//! The opener also holds the channel's storage deposit (native, [`HoldReason::StorageDeposit`]:
//! `DepositBase + DepositPerByte ×` the bytes of the channel and of its largest closing record),
//! returned when the channel settles.
//! Settlement moves only the net amount from one party's hold to the other party
//! ([`payouts`] gives each party's share) and releases the rest, so no pallet account exists
//! to be drained. If the net amount is below the asset's minimum balance and the payee has no
//! account for the asset, it cannot be credited: that dust stays with the payer rather than
//! blocking the settlement (any other refusal of the ledger fails the settlement, which can be
//! retried).
//!
//! ## What the parties sign
//!
//! Clients sign exactly [`Pallet::state_payload`]: the SCALE encoding of
//! `(tag, genesis_hash, PALLET_TAG, channel_id, state)`, where `tag` is [`UPDATE_TAG`] for an
//! update or [`CLOSE_TAG`] for a cooperative close (17 raw bytes each), `genesis_hash` is this
//! chain's block hash 0, [`PALLET_TAG`] is `b"payment-channels"` (16 raw bytes), `channel_id` a
//! little-endian `u64` and `state` the SCALE-encoded [`ChannelState`]. Signatures from another
//! chain, pallet, channel or domain therefore never verify here.
//!
//! ## Conditional payments
//!
//! A state may lock `pending` amounts in hash-time-locked payments, committed to by
//! `conditions_root`: the binary Merkle root (BLAKE2-256, as `binary-merkle-tree` builds it) of
//! the SCALE-encoded [`ConditionalPayment`]s. A payment resolved on chain (SHA-256 preimage,
//! before its expiry, while closing) goes to its payee; an unresolved one returns to its payer.
//! Resolutions are per payment value: two identical payments in one tree can be resolved only
//! once, so clients give each payment its own hash lock (or merge them).
//!
//! ## Regulated assets
//!
//! The runtime's [`Config::TransferGuard`] sees every deposit (the depositor may pay the
//! counterparty up to it) and every settlement payout before it moves: a regulated token's
//! transfer gate and compliance rules apply on open, top-up and settlement, and a refused payout
//! fails the settlement, leaving the funds on hold until the parties' standing allows it.
//!
//! ## Decisions
//!
//! - A party that closed with a stale state is not penalised beyond losing the challenge. Every
//!   state was co-signed, so a stale close is either an honest party recovering from a crash
//!   with an old backup or an attempt at fraud that the challenge already defeats; a penalty
//!   would punish the honest crash recovery, and a watchtower removes the gain from fraud, which
//!   costs the cheat its fees.
//! - An accepted challenge restarts the challenge period from the block it lands in, so the new
//!   state always gets a full period in which its conditional payments can be resolved and a
//!   still newer state submitted. This cannot be stretched indefinitely: each challenge needs a
//!   strictly higher co-signed nonce, and the honest party ends it by submitting its newest.
//! - A challenge drops the resolutions of the replaced state: they were proven against the old
//!   conditions root and must be proven again against the new one.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use tpwallet_payment_channels_primitives::*;
pub use tpwallet_transfer_rules::TransferRules;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, StaticLookup, Verify};

	/// The asset kind (native or an asset id) of `T::Assets`.
	pub type AssetKindOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::AssetId;
	/// The balance type of `T::Assets`.
	pub type BalanceOf<T> = <<T as Config>::Assets as fungibles::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// The balance type of the native currency (storage deposits).
	pub type DepositBalanceOf<T> = <<T as Config>::Currency as fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
	/// A channel as stored.
	pub type ChannelOf<T> = Channel<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		DepositBalanceOf<T>,
	>;
	/// A channel state.
	pub type ChannelStateOf<T> = ChannelState<BalanceOf<T>>;
	/// A state with both signatures.
	pub type SignedStateOf<T> = SignedState<BalanceOf<T>, <T as Config>::Signature>;
	/// A conditional payment.
	pub type ConditionalPaymentOf<T> = ConditionalPayment<BalanceOf<T>, BlockNumberFor<T>>;
	/// A closing record as stored.
	pub type ClosingOf<T> = Closing<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxResolved,
	>;
	/// A channel as the runtime API reports it.
	pub type ChannelInfoOf<T> = ChannelInfo<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		BlockNumberFor<T>,
	>;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: channels record their storage deposit ([`migrations::v1`]).
	/// 2: the deposit's payer is no longer stored, it is the opener ([`migrations::v2`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Every channel asset, native included, behind one interface with holds.
		type Assets: fungibles::Inspect<Self::AccountId>
			+ fungibles::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The native currency, in which storage deposits are held.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// Storage deposit per channel. Not a metadata constant: a runtime may let governance
		/// change it (each channel records what it held, so refunds stay exact).
		type DepositBase: Get<DepositBalanceOf<Self>>;

		/// Storage deposit per byte a channel stores (with its largest closing record).
		type DepositPerByte: Get<DepositBalanceOf<Self>>;

		/// A signature over a state, verified against a party's account (the runtime's
		/// `MultiSignature`: sr25519, ed25519 or ECDSA keys).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter
			+ MaxEncodedLen;

		/// Checks deposits and payouts of assets with rules of their own (regulated tokens).
		type TransferGuard: TransferRules<AssetKindOf<Self>, Self::AccountId, BalanceOf<Self>>;

		/// Blocks a unilateral close (or its latest challenge) stays open to challenges. Not a
		/// metadata constant: a runtime may let governance change it (a storage parameter).
		type ChallengePeriod: Get<BlockNumberFor<Self>>;

		/// Most nodes in a conditional payment's Merkle proof (trees of up to `2^MaxProofDepth`
		/// payments).
		#[pallet::constant]
		type MaxProofDepth: Get<u32>;

		/// Longest preimage accepted by `resolve_conditional`, in bytes.
		#[pallet::constant]
		type MaxPreimageLen: Get<u32>;

		/// Most conditional payments resolved in one closing state.
		#[pallet::constant]
		type MaxResolved: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Creates assets and signing keys for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			AssetKindOf<Self>,
			Self::AccountId,
			BalanceOf<Self>,
			Self::Signature,
		>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A party's deposit in a channel (open or closing).
		#[codec(index = 0)]
		ChannelDeposit,
		/// The storage deposit of a channel, in the native currency, held from its opener.
		#[codec(index = 1)]
		StorageDeposit,
	}

	/// Channels, open or closing, by id.
	#[pallet::storage]
	pub type Channels<T: Config> = StorageMap<_, Blake2_128Concat, ChannelId, ChannelOf<T>>;

	/// Channels being closed unilaterally: the closing state and its resolved payments.
	#[pallet::storage]
	pub type Closings<T: Config> = StorageMap<_, Blake2_128Concat, ChannelId, ClosingOf<T>>;

	/// The id the next channel gets.
	#[pallet::storage]
	pub type NextChannelId<T: Config> = StorageValue<_, ChannelId, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A channel was opened with the opener's deposit on hold.
		ChannelOpened {
			channel: ChannelId,
			party_a: T::AccountId,
			party_b: T::AccountId,
			asset: AssetKindOf<T>,
			deposit: BalanceOf<T>,
			/// The storage deposit held from the opener, in the native currency.
			storage_deposit: DepositBalanceOf<T>,
		},
		/// A party added `amount` to its deposit, now `deposit`.
		ToppedUp {
			channel: ChannelId,
			who: T::AccountId,
			amount: BalanceOf<T>,
			deposit: BalanceOf<T>,
		},
		/// A party started a unilateral close with the state of `nonce` (`None`: no state).
		ChannelClosing {
			channel: ChannelId,
			closer: T::AccountId,
			nonce: Option<Nonce>,
			closes_at: BlockNumberFor<T>,
		},
		/// A newer state replaced the closing one; the challenge period restarted.
		ClosingChallenged {
			channel: ChannelId,
			challenger: T::AccountId,
			nonce: Nonce,
			closes_at: BlockNumberFor<T>,
		},
		/// A conditional payment of the closing state was resolved: it goes to its payee.
		ConditionalResolved {
			channel: ChannelId,
			payment: ConditionalPaymentOf<T>,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		},
		/// The channel was paid out and removed.
		ChannelSettled { channel: ChannelId, payout_a: BalanceOf<T>, payout_b: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No channel has this id (never opened, or already settled).
		UnknownChannel,
		/// The caller is not a party of the channel.
		NotParticipant,
		/// A channel needs two distinct parties.
		SameParties,
		/// The amount is zero.
		ZeroAmount,
		/// The opening deposit is below the asset's minimum balance.
		DepositBelowMinimum,
		/// The opener cannot pay the channel's storage deposit (native balance too low).
		CannotPayDeposit,
		/// The state belongs to another channel.
		WrongChannel,
		/// A signature does not verify against its party's account for this payload.
		BadSignature,
		/// The state's balances and pending payments do not add up to its deposits, or its
		/// deposits exceed the channel's.
		InvalidBalances,
		/// The state's nonce is not higher than the closing state's.
		StaleState,
		/// The channel is already closing.
		AlreadyClosing,
		/// The channel is not closing.
		NotClosing,
		/// The challenge period is not over: the channel cannot be settled yet.
		ChallengePeriodNotOver,
		/// The challenge period is over: the closing state can no longer be challenged.
		ChallengePeriodOver,
		/// The conditional payment has expired.
		ConditionExpired,
		/// The Merkle proof does not show the payment in the closing state.
		InvalidProof,
		/// The preimage does not hash to the payment's hash lock.
		WrongPreimage,
		/// The payment was already resolved.
		AlreadyResolved,
		/// `MaxResolved` payments are already resolved in this closing state.
		TooManyResolved,
		/// A cooperative close must not leave conditional payments pending.
		PendingPayments,
		/// The deposit would overflow the balance type.
		DepositOverflow,
		/// Channel ids are exhausted.
		ChannelIdOverflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				(1..=32).contains(&T::MaxProofDepth::get()),
				"condition proofs are 1 to 32 levels deep"
			);
			assert!(T::MaxPreimageLen::get() >= 32, "preimages of 32 bytes fit");
			assert!(T::MaxResolved::get() > 0, "a conditional payment can be resolved");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Opens a channel with `counterparty` in `asset`, depositing `deposit`.
		///
		/// - Origin: signed; party A, whose deposit is put on hold.
		/// - Effect: a new channel with the next id, deposits (`deposit`, 0); the deposit stays on
		///   A's account, held under [`HoldReason::ChannelDeposit`], until settlement. `deposit`
		///   is at least the asset's minimum balance. A also holds the channel's storage deposit
		///   (native, [`HoldReason::StorageDeposit`]) until settlement.
		/// - Event: [`Event::ChannelOpened`].
		/// - Weight: [`WeightInfo::open`], constant, plus the transfer guard's.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open().saturating_add(T::TransferGuard::weight()))]
		pub fn open(
			origin: OriginFor<T>,
			counterparty: <T::Lookup as StaticLookup>::Source,
			asset: AssetKindOf<T>,
			deposit: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let counterparty = T::Lookup::lookup(counterparty)?;
			Self::do_open(who, counterparty, asset, deposit).map(|_| ())
		}

		/// Adds `amount` to the caller's deposit in `channel`.
		///
		/// - Origin: signed; either party, whose funds are put on hold.
		/// - Effect: while the channel is open (not closing), the caller's deposit grows by
		///   `amount`. A state signed before the top-up returns it to the caller on settlement.
		/// - Event: [`Event::ToppedUp`].
		/// - Weight: [`WeightInfo::top_up`], constant, plus the transfer guard's.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::top_up().saturating_add(T::TransferGuard::weight()))]
		pub fn top_up(
			origin: OriginFor<T>,
			channel: ChannelId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_top_up(who, channel, amount)
		}

		/// Settles `channel` at once on `final_state`, signed by both parties under the close
		/// tag ([`PayloadKind::Close`]).
		///
		/// - Origin: signed; anyone (the signatures carry the parties' consent).
		/// - Effect: with no payment pending, each party gets its payout (net amount moved from
		///   one hold to the other party, the rest released); the channel is removed, even if it
		///   was closing.
		/// - Event: [`Event::ChannelSettled`].
		/// - Weight: [`WeightInfo::cooperative_close`], constant, plus the transfer guard's.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cooperative_close().saturating_add(T::TransferGuard::weight()))]
		pub fn cooperative_close(
			origin: OriginFor<T>,
			channel: ChannelId,
			final_state: ChannelStateOf<T>,
			sig_a: T::Signature,
			sig_b: T::Signature,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_cooperative_close(channel, final_state, sig_a, sig_b)
		}

		/// Starts a unilateral close of `channel` on `state`, the latest state both parties
		/// signed ([`PayloadKind::Update`]), or `None` if none was ever signed (each party then
		/// gets its deposit back).
		///
		/// - Origin: signed; a party of the channel.
		/// - Effect: the channel is closing: no more top-ups; for `ChallengePeriod` blocks a newer
		///   state can replace this one and its conditional payments can be resolved.
		/// - Event: [`Event::ChannelClosing`].
		/// - Weight: [`WeightInfo::close`], constant (two signature checks).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::close())]
		pub fn close(
			origin: OriginFor<T>,
			channel: ChannelId,
			state: Option<SignedStateOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close(who, channel, state)
		}

		/// Replaces the closing state of `channel` with `newer`, a co-signed state of strictly
		/// higher nonce.
		///
		/// - Origin: signed; anyone (a party or a watchtower: the signatures make it safe).
		/// - Effect: before the challenge period ends, `newer` becomes the closing state, the
		///   resolutions of the replaced state are dropped and the challenge period restarts.
		/// - Event: [`Event::ClosingChallenged`].
		/// - Weight: [`WeightInfo::challenge`], constant (two signature checks).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::challenge())]
		pub fn challenge(
			origin: OriginFor<T>,
			channel: ChannelId,
			newer: SignedStateOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_challenge(who, channel, newer)
		}

		/// Resolves `payment` of the closing state of `channel` by revealing `preimage`.
		///
		/// - Origin: signed; anyone (the payment goes to its payee whoever submits).
		/// - Effect: while closing and before the payment's expiry, if `proof` shows `payment` as
		///   leaf `leaf_index` of `leaf_count` under the state's conditions root and
		///   `sha2_256(preimage)` is its hash lock, the payment is marked resolved: on
		///   settlement it goes to the payee instead of back to the payer.
		/// - Event: [`Event::ConditionalResolved`], carrying the preimage.
		/// - Weight: [`WeightInfo::resolve_conditional`], linear in the proof's depth and the
		///   preimage's length.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::resolve_conditional(
			proof.len() as u32,
			preimage.len() as u32,
		))]
		pub fn resolve_conditional(
			origin: OriginFor<T>,
			channel: ChannelId,
			payment: ConditionalPaymentOf<T>,
			proof: BoundedVec<[u8; 32], T::MaxProofDepth>,
			leaf_index: u32,
			leaf_count: u32,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_resolve_conditional(channel, payment, proof, leaf_index, leaf_count, preimage)
		}

		/// Pays out `channel` once its challenge period is over.
		///
		/// - Origin: signed; anyone (the payouts follow the closing state whoever submits).
		/// - Effect: each party gets its payout ([`payouts`] of the closing state and its
		///   resolved payments); the channel is removed.
		/// - Event: [`Event::ChannelSettled`].
		/// - Weight: [`WeightInfo::settle`], constant (`MaxResolved` payments at most), plus the
		///   transfer guard's.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle().saturating_add(T::TransferGuard::weight()))]
		pub fn settle(origin: OriginFor<T>, channel: ChannelId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle(channel)
		}
	}
}

/// Sets up assets and signing keys for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetKind, AccountId, Balance, Signature> {
	/// An asset kind whose transfers cost the most (a `pallet-assets` token), created if needed.
	fn create_asset() -> AssetKind;
	/// Gives `who` `amount` of `asset` (and what it needs to hold it).
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance);
	/// The account of an sr25519 key (the benchmarks sign with sr25519 keys).
	fn account(public: polkadot_sdk::sp_core::sr25519::Public) -> AccountId;
	/// An sr25519 signature as the runtime's signature type.
	fn signature(signature: polkadot_sdk::sp_core::sr25519::Signature) -> Signature;
}
