//! Parameters governance tunes without a runtime upgrade (`pallet-parameters`): each has a
//! default, bounds the runtime enforces when it reads it, and an `Updated` event when it changes.
//!
//! Set one with `parameters.setParameter`, e.g. `{ PaymentChannels: { ChallengePeriod: [null, 20] } }`
//! (root: `sudo` on dev chains, governance elsewhere); read it from the `Parameters` storage map.

use crate::*;
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::Get,
};
use frame_system::EnsureRoot;

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
}

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
	// Every parameter is governance's (sudo on development chains).
	type AdminOrigin = EnsureRoot<AccountId>;
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
