//! # HTLC pallet
//!
//! Hash-time-locked contracts on any fungible asset (the native token or a `pallet-assets`
//! token, through one `fungibles` interface): the on-chain half of a cross-chain atomic swap.
//!
//! - [`Pallet::lock`]: the sender puts `amount` of an asset on hold for a recipient under a hash
//!   lock (SHA-256 or BLAKE2-256) and a time lock.
//! - [`Pallet::claim`]: before expiry, anyone who knows the preimage releases the funds to the
//!   recipient. The preimage is published in the `Claimed` event, which is what lets the other
//!   side of a swap claim in turn.
//! - [`Pallet::refund`]: from expiry on, anyone returns the funds to the sender.
//!
//! Funds stay on the sender's account under the hold reason [`HoldReason::SwapLock`]; they are not
//! spendable while locked, and no pallet account can be drained by rounding or dust.
//!
//! Each open swap also holds a storage deposit from its sender, in the native currency
//! ([`HoldReason::StorageDeposit`], `DepositBase + DepositPerByte × bytes stored`), returned when
//! the swap is claimed or refunded.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use tpwallet_htlc_primitives::*;
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

use polkadot_sdk::{frame_support, frame_system, sp_runtime};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible,
			fungibles::{self, Inspect as _},
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

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
	/// A swap as stored.
	pub type SwapOf<T> = Swap<
		<T as frame_system::Config>::AccountId,
		AssetKindOf<T>,
		BalanceOf<T>,
		BlockNumberFor<T>,
		DepositBalanceOf<T>,
	>;

	/// The storage layout's version: bumped by each migration that changes the layout.
	/// 1: swaps record their storage deposit ([`migrations::v1`]).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Every lockable asset, native included, behind one interface with holds.
		type Assets: fungibles::Inspect<Self::AccountId>
			+ fungibles::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The native currency, in which storage deposits are held.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;

		/// Storage deposit per open swap. Not a metadata constant: a runtime may let governance
		/// change it (each swap records what it held, so refunds stay exact).
		type DepositBase: Get<DepositBalanceOf<Self>>;

		/// Storage deposit per byte a swap stores (key and value).
		type DepositPerByte: Get<DepositBalanceOf<Self>>;

		/// Longest preimage accepted by `claim`, in bytes.
		#[pallet::constant]
		type MaxPreimageLen: Get<u32>;

		/// Shortest time lock, in blocks: long enough for the other side to see a claim. Not a
		/// metadata constant: a runtime may let governance change it (a storage parameter).
		type MinLockDuration: Get<BlockNumberFor<Self>>;

		/// Longest time lock, in blocks.
		#[pallet::constant]
		type MaxLockDuration: Get<BlockNumberFor<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Creates assets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<AssetKindOf<Self>, Self::AccountId, BalanceOf<Self>>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Funds locked in an open swap.
		#[codec(index = 0)]
		SwapLock,
		/// The storage deposit of an open swap, in the native currency.
		#[codec(index = 1)]
		StorageDeposit,
	}

	/// Open swaps by id.
	#[pallet::storage]
	pub type Swaps<T: Config> = StorageMap<_, Blake2_128Concat, SwapId, SwapOf<T>>;

	/// The id the next swap gets.
	#[pallet::storage]
	pub type NextSwapId<T: Config> = StorageValue<_, SwapId, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Funds were locked in a new swap.
		Locked {
			swap_id: SwapId,
			sender: T::AccountId,
			recipient: T::AccountId,
			asset: AssetKindOf<T>,
			amount: BalanceOf<T>,
			hash_lock: HashLock,
			hash_algorithm: HashAlgorithm,
			expires_at: BlockNumberFor<T>,
			/// The storage deposit held from the sender, in the native currency.
			deposit: DepositBalanceOf<T>,
		},
		/// The preimage was revealed and the funds went to the recipient.
		Claimed {
			swap_id: SwapId,
			recipient: T::AccountId,
			amount: BalanceOf<T>,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		},
		/// The lock expired and the funds went back to the sender.
		Refunded { swap_id: SwapId, sender: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The amount is below the asset's minimum balance, so the recipient could not hold it.
		AmountBelowMinimum,
		/// The sender cannot put this amount on hold (balance too low or asset frozen).
		InsufficientBalance,
		/// The time lock is shorter than `MinLockDuration`.
		DurationTooShort,
		/// The time lock is longer than `MaxLockDuration`.
		DurationTooLong,
		/// The sender and the recipient are the same account.
		SelfSwap,
		/// No open swap has this id.
		SwapNotFound,
		/// The swap has expired: it can only be refunded.
		SwapExpired,
		/// The swap has not expired yet: it cannot be refunded.
		SwapNotExpired,
		/// The preimage does not hash to the swap's hash lock.
		WrongPreimage,
		/// Swap ids are exhausted.
		SwapIdOverflow,
		/// The sender cannot pay the swap's storage deposit (native balance too low).
		CannotPayDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			// Bitcoin and Lightning preimages are 32 bytes: a cross-chain swap needs them.
			assert!(T::MaxPreimageLen::get() >= 32, "preimages of 32 bytes fit");
			assert!(!T::MaxLockDuration::get().is_zero(), "a lock lasts at least a block");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Locks `amount` of `asset` for `recipient` under `hash_lock` for `duration` blocks.
		///
		/// - Origin: signed; the sender, whose funds are put on hold.
		/// - Effect: a new swap with the next id; the funds stay on the sender's account, held
		///   under [`HoldReason::SwapLock`], until claimed or refunded. The sender also holds the
		///   swap's storage deposit (native, [`HoldReason::StorageDeposit`]) until then.
		/// - Event: [`Event::Locked`].
		/// - Weight: [`WeightInfo::lock`], constant.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::lock())]
		pub fn lock(
			origin: OriginFor<T>,
			recipient: <T::Lookup as StaticLookup>::Source,
			asset: AssetKindOf<T>,
			amount: BalanceOf<T>,
			hash_lock: HashLock,
			hash_algorithm: HashAlgorithm,
			duration: BlockNumberFor<T>,
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			let recipient = T::Lookup::lookup(recipient)?;
			Self::do_lock(sender, recipient, asset, amount, hash_lock, hash_algorithm, duration)
				.map(|_| ())
		}

		/// Reveals `preimage` and releases swap `swap_id`'s funds to its recipient.
		///
		/// - Origin: signed; anyone (the funds go to the recipient whoever submits).
		/// - Effect: before expiry, with a preimage that hashes to the lock, the held funds move to
		///   the recipient, the swap is removed and its storage deposit returns to the sender.
		/// - Event: [`Event::Claimed`], carrying the preimage.
		/// - Weight: [`WeightInfo::claim`], linear in the preimage length.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::claim(preimage.len() as u32))]
		pub fn claim(
			origin: OriginFor<T>,
			swap_id: SwapId,
			preimage: BoundedVec<u8, T::MaxPreimageLen>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim(swap_id, preimage)
		}

		/// Returns swap `swap_id`'s funds to its sender once it has expired.
		///
		/// - Origin: signed; anyone (the funds go back to the sender whoever submits).
		/// - Effect: from the expiry block on, the hold and the storage deposit are released and
		///   the swap removed.
		/// - Event: [`Event::Refunded`].
		/// - Weight: [`WeightInfo::refund`], constant.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::refund())]
		pub fn refund(origin: OriginFor<T>, swap_id: SwapId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_refund(swap_id)
		}
	}

	impl<T: Config> Pallet<T> {
		/// Minimum balance of `asset` (what the recipient needs to be able to hold it).
		pub(crate) fn minimum_balance(asset: AssetKindOf<T>) -> BalanceOf<T> {
			T::Assets::minimum_balance(asset)
		}
	}
}

/// Sets up assets for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AssetKind, AccountId, Balance> {
	/// An asset kind whose transfers cost the most (a `pallet-assets` token), created if needed.
	fn create_asset() -> AssetKind;
	/// Gives `who` `amount` of `asset` (and what it needs to hold it).
	fn fund(asset: &AssetKind, who: &AccountId, amount: Balance);
}
