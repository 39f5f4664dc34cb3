//! Runtime API of the payment-channels pallet: a channel's parties, deposits and closing status,
//! and the exact bytes a client signs for a state.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_payment_channels::{
	ChannelId, ChannelInfo, ChannelState, ChannelStatus, PayloadKind,
};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// What wallets and watchtowers read from the payment-channels pallet.
	pub trait PaymentChannelsApi<AccountId, AssetKind, Balance, BlockNumber>
	where
		AccountId: Codec,
		AssetKind: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Channel `id`'s parties, asset, deposits and status (open, or closing with the closing
		/// state's nonce and the block it can be settled from); `None` if unknown or settled.
		fn channel(id: ChannelId) -> Option<ChannelInfo<AccountId, AssetKind, Balance, BlockNumber>>;
		/// The bytes both parties sign for `state` under `kind` (update or cooperative close).
		fn state_payload(kind: PayloadKind, state: ChannelState<Balance>) -> Vec<u8>;
	}
}
