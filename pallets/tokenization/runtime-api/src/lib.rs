//! Runtime API of the tokenization pallet: a holder's locked and transferable balance, what they
//! can claim, a token's facts and roles, without scanning storage.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_tokenization::{
	Claimable, HolderBalance, Role, RoleSet, TokenClass, TokenInfo, TransferCheck,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// What wallets and issuer dashboards read from the tokenization pallet.
	pub trait TokenizationApi<AccountId, TokenId, Balance, FundsAssetId>
	where
		AccountId: Codec,
		TokenId: Codec,
		Balance: Codec,
		FundsAssetId: Codec,
	{
		/// A managed token's class, issuer, cap, supply, policy and reserves.
		fn token_info(token: TokenId) -> Option<TokenInfo<AccountId, Balance>>;
		/// `who`'s total, locked and transferable balance of a fungible managed token.
		fn holder_balance(token: TokenId, who: AccountId) -> Option<HolderBalance<Balance>>;
		/// What `who` can claim now from the token's open distributions.
		fn claimable(token: TokenId, who: AccountId) -> Vec<Claimable<FundsAssetId, Balance>>;
		/// The roles `who` holds on the token.
		fn roles(token: TokenId, who: AccountId) -> RoleSet;
		/// Whether a transfer of `amount` from `from` to `to` would go through now, be held for
		/// review, or be refused (and by which rule): the token's own rules and the compliance
		/// checks, without submitting anything. `travel_rule`: the digest it would carry.
		fn check_transfer(
			token: TokenId,
			from: AccountId,
			to: AccountId,
			amount: Balance,
			travel_rule: Option<[u8; 32]>,
		) -> TransferCheck;
	}
}
