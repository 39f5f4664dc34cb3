//! Runtime API of the compliance pallet, for counterparties that verify a disclosed attribute
//! off chain and wallets that show a holder's claim. (The transfer pre-check is the tokenization
//! API's `check_transfer`, which runs these rules together with the token's own.)

use super::Jurisdiction;
use alloc::vec::Vec;
use codec::Codec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Reads of the compliance pallet.
	pub trait ComplianceApi<AccountId>
	where
		AccountId: Codec,
	{
		/// Whether (`key`, `value`) is leaf `leaf_index` of `leaf_count` under `who`'s valid
		/// claim's commitment, by `proof`.
		fn verify_attribute(
			who: AccountId,
			key: Vec<u8>,
			value: Vec<u8>,
			proof: Vec<[u8; 32]>,
			leaf_index: u32,
			leaf_count: u32,
		) -> bool;
		/// `who`'s valid claim: (KYC tier, jurisdiction, accredited, sanctions screened), or
		/// `None` when absent, expired, revoked or from an issuer no longer trusted.
		fn claim(who: AccountId) -> Option<(u8, Jurisdiction, bool, bool)>;
	}
}
