//! The chain events the tools read, each with only the fields they use. Fields are matched to
//! the chain's metadata by name, so an upgrade that adds or reorders fields (or adds events and
//! pallets) does not break decoding.

// The derive imports a visitor trait that some of the generated impls do not use.
#![allow(unused_imports)]

use crate::{Balance, BlockNumber};
use subxt::ext::scale_decode::DecodeAsType;

/// An event type: `pallet.event` with the named fields listed.
macro_rules! events {
	($(
		$(#[$doc:meta])*
		$name:ident = $pallet:literal . $event:literal { $($field:ident : $ty:ty),* $(,)? }
	)*) => {$(
		$(#[$doc])*
		#[derive(Debug, Clone, DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		pub struct $name {
			$(pub $field: $ty,)*
		}

		impl subxt::events::DecodeAsEvent for $name {
			fn is_event(pallet: &str, event: &str) -> bool {
				pallet == $pallet && event == $event
			}
		}
	)*};
}

events! {
	/// A payment channel was opened.
	ChannelOpened = "PaymentChannels"."ChannelOpened" { channel: u64 }
	/// A unilateral close started: settle from `closes_at`.
	ChannelClosing = "PaymentChannels"."ChannelClosing" { channel: u64, nonce: Option<u64>, closes_at: BlockNumber }
	/// A closing channel was challenged with a newer state.
	ClosingChallenged = "PaymentChannels"."ClosingChallenged" { channel: u64, nonce: u64 }
	/// A channel paid out and is gone.
	ChannelSettled = "PaymentChannels"."ChannelSettled" { payout_a: Balance, payout_b: Balance }
	/// An HTLC swap locked funds.
	Locked = "Htlc"."Locked" { swap_id: u64, expires_at: BlockNumber, deposit: Balance }
	/// An HTLC swap was claimed, revealing its secret.
	Claimed = "Htlc"."Claimed" { swap_id: u64, preimage: Vec<u8> }
	/// A bridge transfer left in message `nonce`.
	TransferSent = "Bridge"."TransferSent" { nonce: u64 }
	/// An outbound bridge message was queued, with the delivery fee held from its sender.
	MessageQueued = "Bridge"."MessageQueued" { delivery_fee: Balance }
	/// A token transfer was held for a compliance review.
	TransferHeld = "Compliance"."TransferHeld" { case: u64 }
	/// The transaction fee a signed extrinsic paid.
	TransactionFeePaid = "TransactionPayment"."TransactionFeePaid" { actual_fee: Balance }
}
