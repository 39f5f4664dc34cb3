//! Runtime API of the Aura equivocation pallet: what a node that imported two blocks of one slot
//! by one author calls to report it (as `sp_consensus_grandpa::GrandpaApi` does for votes).
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod detector;
pub use detector::EquivocationDetector;

use alloc::vec::Vec;
use codec::Codec;
use polkadot_sdk::{sp_consensus_slots::EquivocationProof, sp_runtime::traits::Block as BlockT};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reporting an Aura equivocation from the node.
	pub trait AuraEquivocationApi<AuthorityId: Codec> {
		/// The encoded proof that `authority` is the Aura key of a validator of the current
		/// session, or `None` if it is not.
		fn generate_key_ownership_proof(authority: AuthorityId) -> Option<Vec<u8>>;

		/// Puts an unsigned report into the node's pool (call it with the node's offchain
		/// transaction pool registered); `None` if the key-owner proof does not decode or the
		/// pool refused the report (for example, already reported).
		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: EquivocationProof<<Block as BlockT>::Header, AuthorityId>,
			key_owner_proof: Vec<u8>,
		) -> Option<()>;
	}
}
