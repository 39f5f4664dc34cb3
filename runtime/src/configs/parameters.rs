//! Parameters governance tunes without a runtime upgrade (`pallet-parameters`): each has a
//! default, bounds the runtime enforces when it reads it, and an `Updated` event when it changes.
//!
//! Set one with `parameters.setParameter`, e.g. `{ PaymentChannels: { ChallengePeriod: [null, 20] } }`
//! (a council motion; `sudo` on the dev chain); read it from the `Parameters` storage map.

use crate::*;
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::Get,
};

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod dynamic_params {
	use super::*;

	/// HTLC swaps.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod htlc {
		/// The shortest time lock, in blocks: time for the other chain's side of a swap to see a
		/// claim. Test networks shorten it (`tpw dev-htlc-min-lock`) so that a refund does not
		/// take 10 minutes to test. Read within [`HTLC_MIN_LOCK_BOUNDS`].
		#[codec(index = 0)]
		pub static MinLockDuration: BlockNumber = 10 * MINUTES;
	}

	/// Payment channels.
	#[dynamic_pallet_params]
	#[codec(index = 1)]
	pub mod payment_channels {
		/// Blocks the counterparty, or its watchtower, has to answer a unilateral close. Read
		/// within [`CHALLENGE_PERIOD_BOUNDS`].
		#[codec(index = 0)]
		pub static ChallengePeriod: BlockNumber = DAYS;
	}

	/// Storage deposits: what a signed origin holds, in TPW, for each item it stores (a swap, a
	/// channel, a redemption, a disclosed attribute, a pending bridge transfer). Each item
	/// records what it held, so a change applies to new items only and refunds stay exact.
	#[dynamic_pallet_params]
	#[codec(index = 2)]
	pub mod storage {
		/// Per item: ten plain transfers' fees. Read within [`DEPOSIT_BASE_BOUNDS`].
		#[codec(index = 0)]
		pub static DepositBase: Balance = 10 * MILLI_UNIT;
		/// Per byte of key and value: a 200-byte item holds 0.02 TPW on top of the base. Read
		/// within [`DEPOSIT_PER_BYTE_BOUNDS`].
		#[codec(index = 1)]
		pub static DepositPerByte: Balance = 100 * MICRO_UNIT;
	}

	/// The bridge.
	#[dynamic_pallet_params]
	#[codec(index = 3)]
	pub mod bridge {
		/// What each outbound message pays into the relayer reward pot, earned by the relayer
		/// that proves its delivery and receipt: about what a relayer's share of a delivery and
		/// a receipt costs it in fees, with a margin. Read within [`DELIVERY_FEE_BOUNDS`].
		#[codec(index = 0)]
		pub static DeliveryFee: Balance = 10 * MILLI_UNIT;
		/// The share of each delivery fee paid to the relayer that confirms the delivery back
		/// here; the relayer that delivered the message (named by the receipt) gets the rest.
		/// Delivering costs the proof of the messages and their dispatch, confirming one small
		/// proof, so most goes to the deliverer.
		#[codec(index = 1)]
		pub static ConfirmationShare: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(20);
	}

	/// Validators.
	#[dynamic_pallet_params]
	#[codec(index = 4)]
	pub mod validators {
		/// Blocks per session: a validator-set change or a key rotation takes effect at the
		/// start of the session after next, and an offender stays disabled until then. Test
		/// networks shorten it. Read within [`SESSION_LENGTH_BOUNDS`].
		#[codec(index = 0)]
		pub static SessionLength: BlockNumber = HOURS;
	}
}

/// The session length is read within these bounds (blocks): at least 10 blocks (30 s), at most a
/// day.
pub const SESSION_LENGTH_BOUNDS: (BlockNumber, BlockNumber) = (10, DAYS);

/// Blocks per session.
pub type SessionLength = Clamped<
	dynamic_params::validators::SessionLength,
	{ SESSION_LENGTH_BOUNDS.0 },
	{ SESSION_LENGTH_BOUNDS.1 },
>;

/// The bridge's delivery fee is read within these bounds (plancks): never free (a free message
/// costs a spammer only the transaction fee), at most 10 TPW.
pub const DELIVERY_FEE_BOUNDS: (Balance, Balance) = (MILLI_UNIT, 10 * UNIT);

/// The storage deposit per item is read within these bounds (plancks): never free, at most
/// 10 TPW.
pub const DEPOSIT_BASE_BOUNDS: (Balance, Balance) = (MILLI_UNIT, 10 * UNIT);
/// The storage deposit per byte is read within these bounds (plancks): never free, at most
/// 0.01 TPW.
pub const DEPOSIT_PER_BYTE_BOUNDS: (Balance, Balance) = (MICRO_UNIT, 10 * MILLI_UNIT);

/// The HTLC minimum lock is read within these bounds (blocks): at least one block, at most the
/// longest lock.
pub const HTLC_MIN_LOCK_BOUNDS: (BlockNumber, BlockNumber) = (1, 30 * DAYS);
/// The challenge period is read within these bounds (blocks): at least one block, at most 30
/// days.
pub const CHALLENGE_PERIOD_BOUNDS: (BlockNumber, BlockNumber) = (1, 30 * DAYS);

/// `P`'s value, clamped to `[MIN, MAX]`: a value set outside acts as the nearest bound.
pub struct Clamped<P, const MIN: BlockNumber, const MAX: BlockNumber>(core::marker::PhantomData<P>);

impl<P: Get<BlockNumber>, const MIN: BlockNumber, const MAX: BlockNumber> Get<BlockNumber>
	for Clamped<P, MIN, MAX>
{
	fn get() -> BlockNumber {
		P::get().clamp(MIN, MAX)
	}
}

/// `P`'s value, clamped to `[MIN, MAX]` (a balance).
pub struct ClampedBalance<P, const MIN: Balance, const MAX: Balance>(core::marker::PhantomData<P>);

impl<P: Get<Balance>, const MIN: Balance, const MAX: Balance> Get<Balance>
	for ClampedBalance<P, MIN, MAX>
{
	fn get() -> Balance {
		P::get().clamp(MIN, MAX)
	}
}

/// Storage deposit per item, for every pallet that stores items for signed origins.
pub type StorageDepositBase = ClampedBalance<
	dynamic_params::storage::DepositBase,
	{ DEPOSIT_BASE_BOUNDS.0 },
	{ DEPOSIT_BASE_BOUNDS.1 },
>;
/// Storage deposit per byte.
pub type StorageDepositPerByte = ClampedBalance<
	dynamic_params::storage::DepositPerByte,
	{ DEPOSIT_PER_BYTE_BOUNDS.0 },
	{ DEPOSIT_PER_BYTE_BOUNDS.1 },
>;

/// The bridge's delivery fee per outbound message.
pub type BridgeDeliveryFee = ClampedBalance<
	dynamic_params::bridge::DeliveryFee,
	{ DELIVERY_FEE_BOUNDS.0 },
	{ DELIVERY_FEE_BOUNDS.1 },
>;

/// The HTLC pallet's minimum lock duration.
pub type HtlcMinLockDuration = Clamped<
	dynamic_params::htlc::MinLockDuration,
	{ HTLC_MIN_LOCK_BOUNDS.0 },
	{ HTLC_MIN_LOCK_BOUNDS.1 },
>;
/// The payment channels' challenge period.
pub type ChannelChallengePeriod = Clamped<
	dynamic_params::payment_channels::ChallengePeriod,
	{ CHALLENGE_PERIOD_BOUNDS.0 },
	{ CHALLENGE_PERIOD_BOUNDS.1 },
>;

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	// Every parameter is governance's (`governance.rs`).
	type AdminOrigin = super::governance::ParametersOrigin;
	// Upstream's generated weights (`pallet-parameters` exports them as `()`).
	type WeightInfo = ();
}

#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Htlc(dynamic_params::htlc::Parameters::MinLockDuration(
			dynamic_params::htlc::MinLockDuration,
			Some(10 * MINUTES),
		))
	}
}
