//! Balance events (native `Balances`, token `Assets` and `AssetsHolder`) decoded from a block
//! with the metadata of the runtime that emitted them, by field name (an upgrade that adds
//! fields or events does not break decoding), into the journal's [`BalanceEvent`].

// The derive imports a visitor trait that some of the generated impls do not use.
#![allow(unused_imports)]

use crate::postings::{AssetEvent, BalanceEvent};
use anyhow::{Context, Result};
use subxt::{
	events::{DecodeAsEvent, Phase},
	ext::{
		scale_decode::DecodeAsType,
		scale_value::{Value, ValueDef},
	},
	utils::AccountId32,
};
use tpw_client::{keys::ss58, AccountId};

macro_rules! events {
	($pallet:literal; $($name:ident { $($field:ident : $ty:ty),* $(,)? })*) => {$(
		#[derive(Debug, Clone, DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		pub(super) struct $name { $(pub(super) $field: $ty,)* }

		impl DecodeAsEvent for $name {
			fn is_event(pallet: &str, event: &str) -> bool {
				pallet == $pallet && event == stringify!($name)
			}
		}
	)*};
}

mod balances {
	use super::*;
	events! { "Balances";
		Transfer { from: AccountId32, to: AccountId32, amount: u128 }
		Deposit { who: AccountId32, amount: u128 }
		Withdraw { who: AccountId32, amount: u128 }
		Minted { who: AccountId32, amount: u128 }
		Burned { who: AccountId32, amount: u128 }
		Issued { amount: u128 }
		Rescinded { amount: u128 }
		DustLost { account: AccountId32, amount: u128 }
		Held { reason: Value<()>, who: AccountId32, amount: u128 }
		Released { reason: Value<()>, who: AccountId32, amount: u128 }
		BurnedHeld { reason: Value<()>, who: AccountId32, amount: u128 }
		TransferOnHold { reason: Value<()>, source: AccountId32, dest: AccountId32, amount: u128 }
		TransferAndHold { reason: Value<()>, source: AccountId32, dest: AccountId32, transferred: u128 }
		Reserved { who: AccountId32, amount: u128 }
		Unreserved { who: AccountId32, amount: u128 }
		ReserveRepatriated { from: AccountId32, to: AccountId32, amount: u128, destination_status: Value<()> }
	}
}

mod assets {
	use super::*;
	events! { "Assets";
		Issued { asset_id: u32, owner: AccountId32, amount: u128 }
		Burned { asset_id: u32, owner: AccountId32, balance: u128 }
		Transferred { asset_id: u32, from: AccountId32, to: AccountId32, amount: u128 }
		Deposited { asset_id: u32, who: AccountId32, amount: u128 }
		Withdrawn { asset_id: u32, who: AccountId32, amount: u128 }
		IssuedCredit { asset_id: u32, amount: u128 }
		IssuedDebt { asset_id: u32, amount: u128 }
		BurnedCredit { asset_id: u32, amount: u128 }
		BurnedDebt { asset_id: u32, amount: u128 }
	}
}

mod holder {
	use super::*;
	events! { "AssetsHolder";
		Held { who: AccountId32, asset_id: u32, reason: Value<()>, amount: u128 }
		Released { who: AccountId32, asset_id: u32, reason: Value<()>, amount: u128 }
		Burned { who: AccountId32, asset_id: u32, reason: Value<()>, amount: u128 }
	}
}

/// Native balance events this ledger does not book, and why they may be left out: they
/// accompany a booked event (`Endowed`, `Upgraded`), change no balance (`Locked`, `Frozen`
/// and their reverses change what is spendable, not what is held), or need a storage read to
/// book (`Slashed`, `BalanceSet`, `TotalIssuanceForced`, `Suspended`, `Restored`,
/// `MintedCredit`, `BurnedDebt`: not emitted by this runtime's pallets in normal operation;
/// reconciliation reports any of them as a difference).
pub const NOT_BOOKED: &[&str] = &[
	"Endowed",
	"Upgraded",
	"Locked",
	"Unlocked",
	"Frozen",
	"Thawed",
	"Slashed",
	"BalanceSet",
	"TotalIssuanceForced",
	"Suspended",
	"Restored",
	"MintedCredit",
	"BurnedDebt",
	"Unexpected",
];

/// A block's event, as the log keeps it.
#[derive(Clone, Debug)]
pub struct ChainEvent {
	pub index: u32,
	pub phase: String,
	pub pallet: String,
	pub name: String,
	/// Its fields, SCALE-encoded as the runtime emitted them.
	pub fields: Vec<u8>,
	/// What the journal books for it, if anything.
	pub booked: Option<BalanceEvent>,
	/// For events of [`HELD_MOVERS`] and those that change a holder's terms
	/// ([`crate::terms::restricts`]): the object it concerns (its first field: a case, swap,
	/// channel, instruction or token id) and the accounts it names. A later event about the same
	/// object (a case approved, a swap claimed) may pay out to accounts only the first one named.
	pub object: Option<String>,
	pub accounts: Vec<String>,
}

/// The pallets that pay out held token units with `transfer_on_hold`, which `pallet-assets-holder`
/// does not announce with an event (`docs/ledger-events.md` §2): a block with one of their
/// events is checked against storage for such moves.
pub const HELD_MOVERS: &[&str] =
	&["Htlc", "PaymentChannels", "Settlement", "Compliance", "Tokenization", "Bridge"];

/// A hold reason as `Pallet.Reason` (`RuntimeHoldReason::PaymentChannels(ChannelDeposit)` →
/// `PaymentChannels.ChannelDeposit`).
pub(crate) fn reason(value: &Value<()>) -> String {
	match &value.value {
		ValueDef::Variant(variant) => match variant.values.values().next() {
			Some(inner) => format!("{}.{}", variant.name, reason(inner)),
			None => variant.name.clone(),
		},
		ValueDef::Composite(composite) => match composite.values().next() {
			Some(inner) => reason(inner),
			None => String::new(),
		},
		other => format!("{other:?}"),
	}
}

fn account(id: &AccountId32) -> String {
	ss58(&AccountId::from(id.0))
}

pub fn phase_name(phase: &Phase) -> String {
	match phase {
		Phase::ApplyExtrinsic(i) => format!("ApplyExtrinsic({i})"),
		Phase::Finalization => "Finalization".into(),
		Phase::Initialization => "Initialization".into(),
	}
}

/// Every event of a block, with the balance events decoded for the journal.
pub fn decode(
	events: &subxt::events::Events<subxt::config::SubstrateConfig>,
) -> Result<Vec<ChainEvent>> {
	let mut out = Vec::new();
	for event in events.iter() {
		let event = event.context("decoding an event")?;
		let booked = match event.pallet_name() {
			"Balances" => book(&event),
			"Assets" => book_asset(&event),
			"AssetsHolder" => book_held_asset(&event),
			_ => Ok(None),
		}
		.with_context(|| format!("decoding {}.{}", event.pallet_name(), event.event_name()))?;
		let (object, accounts) = if HELD_MOVERS.contains(&event.pallet_name())
			|| crate::terms::restricts(event.pallet_name(), event.event_name())
		{
			named_accounts(&event)
		} else {
			(None, Vec::new())
		};
		out.push(ChainEvent {
			index: event.index(),
			phase: phase_name(&event.phase()),
			pallet: event.pallet_name().to_string(),
			name: event.event_name().to_string(),
			fields: event.field_bytes().to_vec(),
			booked,
			object,
			accounts,
		});
	}
	Ok(out)
}

fn book(
	event: &subxt::events::Event<'_, subxt::config::SubstrateConfig>,
) -> Result<Option<BalanceEvent>> {
	macro_rules! as_ {
		($ty:ident) => {
			event.decode_fields_as::<$ty>().transpose()?
		};
	}
	use balances::*;
	use BalanceEvent as B;
	let booked = match event.event_name() {
		"Transfer" => as_!(Transfer).map(|e| B::Transfer {
			from: account(&e.from),
			to: account(&e.to),
			amount: e.amount,
		}),
		"Deposit" => as_!(Deposit).map(|e| B::Deposit { who: account(&e.who), amount: e.amount }),
		"Withdraw" => {
			as_!(Withdraw).map(|e| B::Withdraw { who: account(&e.who), amount: e.amount })
		}
		"Minted" => as_!(Minted).map(|e| B::Minted { who: account(&e.who), amount: e.amount }),
		"Burned" => as_!(Burned).map(|e| B::Burned { who: account(&e.who), amount: e.amount }),
		"Issued" => as_!(Issued).map(|e| B::Issued { amount: e.amount }),
		"Rescinded" => as_!(Rescinded).map(|e| B::Rescinded { amount: e.amount }),
		"DustLost" => {
			as_!(DustLost).map(|e| B::DustLost { who: account(&e.account), amount: e.amount })
		}
		"Held" => as_!(Held).map(|e| B::Held {
			reason: reason(&e.reason),
			who: account(&e.who),
			amount: e.amount,
		}),
		"Released" => as_!(Released).map(|e| B::Released {
			reason: reason(&e.reason),
			who: account(&e.who),
			amount: e.amount,
		}),
		"BurnedHeld" => as_!(BurnedHeld).map(|e| B::BurnedHeld {
			reason: reason(&e.reason),
			who: account(&e.who),
			amount: e.amount,
		}),
		"TransferOnHold" => as_!(TransferOnHold).map(|e| B::TransferOnHold {
			reason: reason(&e.reason),
			source: account(&e.source),
			dest: account(&e.dest),
			amount: e.amount,
		}),
		"TransferAndHold" => as_!(TransferAndHold).map(|e| B::TransferAndHold {
			reason: reason(&e.reason),
			source: account(&e.source),
			dest: account(&e.dest),
			amount: e.transferred,
		}),
		"Reserved" => {
			as_!(Reserved).map(|e| B::Reserved { who: account(&e.who), amount: e.amount })
		}
		"Unreserved" => {
			as_!(Unreserved).map(|e| B::Unreserved { who: account(&e.who), amount: e.amount })
		}
		"ReserveRepatriated" => as_!(ReserveRepatriated).map(|e| B::ReserveRepatriated {
			from: account(&e.from),
			to: account(&e.to),
			amount: e.amount,
			to_reserved: reason(&e.destination_status) == "Reserved",
		}),
		_ => None,
	};
	Ok(booked)
}

fn book_asset(
	event: &subxt::events::Event<'_, subxt::config::SubstrateConfig>,
) -> Result<Option<BalanceEvent>> {
	macro_rules! as_ {
		($ty:ident) => {
			event.decode_fields_as::<assets::$ty>().transpose()?
		};
	}
	use AssetEvent as A;
	let asset = |asset, event| BalanceEvent::Asset { asset, event };
	let booked = match event.event_name() {
		"Issued" => as_!(Issued)
			.map(|e| asset(e.asset_id, A::Issued { who: account(&e.owner), amount: e.amount })),
		"Burned" => as_!(Burned)
			.map(|e| asset(e.asset_id, A::Burned { who: account(&e.owner), amount: e.balance })),
		"Transferred" => as_!(Transferred).map(|e| {
			asset(
				e.asset_id,
				A::Transferred { from: account(&e.from), to: account(&e.to), amount: e.amount },
			)
		}),
		"Deposited" => as_!(Deposited)
			.map(|e| asset(e.asset_id, A::Deposited { who: account(&e.who), amount: e.amount })),
		"Withdrawn" => as_!(Withdrawn)
			.map(|e| asset(e.asset_id, A::Withdrawn { who: account(&e.who), amount: e.amount })),
		// `BurnedDebt` raises the supply (a debt dropped unused), `IssuedDebt` lowers it
		// (`docs/ledger-events.md` §1b).
		"IssuedCredit" => {
			as_!(IssuedCredit).map(|e| asset(e.asset_id, A::SupplyUp { amount: e.amount }))
		}
		"BurnedDebt" => {
			as_!(BurnedDebt).map(|e| asset(e.asset_id, A::SupplyUp { amount: e.amount }))
		}
		"IssuedDebt" => {
			as_!(IssuedDebt).map(|e| asset(e.asset_id, A::SupplyDown { amount: e.amount }))
		}
		"BurnedCredit" => {
			as_!(BurnedCredit).map(|e| asset(e.asset_id, A::SupplyDown { amount: e.amount }))
		}
		_ => None,
	};
	Ok(booked)
}

fn book_held_asset(
	event: &subxt::events::Event<'_, subxt::config::SubstrateConfig>,
) -> Result<Option<BalanceEvent>> {
	macro_rules! as_ {
		($ty:ident, $variant:ident) => {
			event.decode_fields_as::<holder::$ty>().transpose()?.map(|e| BalanceEvent::Asset {
				asset: e.asset_id,
				event: AssetEvent::$variant {
					reason: reason(&e.reason),
					who: account(&e.who),
					amount: e.amount,
				},
			})
		};
	}
	Ok(match event.event_name() {
		"Held" => as_!(Held, Held),
		"Released" => as_!(Released, Released),
		"Burned" => as_!(Burned, BurnedHeld),
		_ => None,
	})
}

/// The object an event concerns (its first field, as text) and every account (a 32-byte value)
/// its fields name, wherever it sits: for the held-transfer check
/// (`Ingest::derive_held_moves`).
pub fn named_accounts(
	event: &subxt::events::Event<'_, subxt::config::SubstrateConfig>,
) -> (Option<String>, Vec<String>) {
	fn walk<T>(value: &Value<T>, out: &mut Vec<[u8; 32]>) {
		match &value.value {
			ValueDef::Composite(c) => {
				let values: Vec<&Value<T>> = c.values().collect();
				let bytes: Option<Vec<u8>> = (values.len() == 32)
					.then(|| {
						values
							.iter()
							.map(|v| match &v.value {
								ValueDef::Primitive(p) => {
									p.as_u128().and_then(|n| u8::try_from(n).ok())
								}
								_ => None,
							})
							.collect()
					})
					.flatten();
				match bytes.and_then(|b| <[u8; 32]>::try_from(b).ok()) {
					Some(account) => out.push(account),
					None => values.into_iter().for_each(|v| walk(v, out)),
				}
			}
			ValueDef::Variant(v) => v.values.values().for_each(|v| walk(v, out)),
			_ => {}
		}
	}
	let mut out = Vec::new();
	let mut object = None;
	if let Ok(fields) = event.decode_fields_unchecked_as::<Value<()>>() {
		if let ValueDef::Composite(c) = &fields.value {
			object = c.values().next().map(|first| first.to_string());
		}
		walk(&fields, &mut out);
	}
	out.sort_unstable();
	out.dedup();
	(object, out.iter().map(|raw| ss58(&AccountId::from(*raw))).collect())
}

#[cfg(test)]
mod tests {
	use super::*;
	use subxt::ext::scale_value::Value;

	#[test]
	fn hold_reasons_read_as_pallet_and_reason() {
		let v = Value::unnamed_variant(
			"PaymentChannels",
			[Value::unnamed_variant("ChannelDeposit", [])],
		);
		assert_eq!(reason(&v.map_context(|_| ())), "PaymentChannels.ChannelDeposit");
		let free = Value::unnamed_variant("Free", []);
		assert_eq!(reason(&free.map_context(|_| ())), "Free");
	}
}
