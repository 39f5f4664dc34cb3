//! Runtime API of the Aura equivocation pallet: what a node that imported two blocks of one slot
//! by one author calls to report it (as `sp_consensus_grandpa::GrandpaApi` does for votes).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod detector;
pub use detector::EquivocationDetector;

use codec::Codec;
use polkadot_sdk::{sp_consensus_slots::EquivocationProof, sp_runtime::traits::Block as BlockT};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reporting an Aura equivocation from the node.
	pub trait AuraEquivocationApi<AuthorityId: Codec> {
		/// Puts an unsigned report into the node's pool (call it with the node's offchain
		/// transaction pool registered); `None` if the pool refused it (not a recent slot's
		/// author, not two blocks sealed by the key, or already reported).
		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: EquivocationProof<<Block as BlockT>::Header, AuthorityId>,
		) -> Option<()>;
	}
}
