//! Runtime API of the settlement pallet: what a party asks before it affirms or executes, and
//! what a clearing-scheme member reads of its standing and of the cycle.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_settlement::{
	CreditLineView, CycleView, ExecutionFailure, InstructionId, MemberView, SchemeId,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Pre-checks of settlement instructions; clearing positions and cycles.
	pub trait SettlementApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Every reason instruction `id` would not settle if executed at the best block: missing
		/// affirmations and preimages, balances that could not be put on hold, legs the token's
		/// gate or compliance rules would refuse (or hold for review), receivers that could not
		/// hold the amount, expiry, a settlement block not reached. Empty: it would settle.
		fn execution_failures(id: InstructionId) -> Vec<ExecutionFailure<AccountId, BlockNumber>>;
		/// Clearing scheme `scheme`'s open cycle (number, start and close blocks, gross and net
		/// so far), the cycle it is settling and its last settled one; `None` if unknown.
		fn open_cycle(scheme: SchemeId) -> Option<CycleView<Balance, BlockNumber>>;
		/// `who`'s net debit cap, collateral, standing, open-cycle position and kept payout in
		/// `scheme`; `None` if not a member.
		fn member(scheme: SchemeId, who: AccountId) -> Option<MemberView<AccountId, Balance>>;
	}
}
