//! What the ledger reads of an extrinsic it has not booked (in a pending block or the node's
//! pool): its hash, and its signer, so a key scoped to that account may follow it.

use polkadot_sdk::sp_io::hashing::blake2_256;
use tpw_client::{keys::ss58, AccountId};

/// An extrinsic seen but not booked: its hash and, if signed, its signer (SS58).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
	pub hash: [u8; 32],
	pub signer: Option<String>,
}

impl Seen {
	/// From an extrinsic's encoding (length prefix included, as blocks and the pool hold it).
	pub fn new(encoded: &[u8]) -> Self {
		Self { hash: blake2_256(encoded), signer: signer(encoded).map(|a| ss58(&a)) }
	}
}

/// The signer of a signed (version 4) extrinsic whose address is an account id
/// (`MultiAddress::Id`); `None` for anything else (inherents, general or malformed ones).
pub fn signer(encoded: &[u8]) -> Option<AccountId> {
	let rest = skip_compact(encoded)?;
	let (&version, rest) = rest.split_first()?;
	// Bit 7: signed; bits 0–5: the format version.
	if version & 0x80 == 0 || version & 0x3f != 4 {
		return None;
	}
	let (&address_kind, rest) = rest.split_first()?;
	if address_kind != 0 {
		return None;
	}
	let raw: [u8; 32] = rest.get(..32)?.try_into().ok()?;
	Some(AccountId::from(raw))
}

/// `bytes` after its SCALE compact length prefix.
fn skip_compact(bytes: &[u8]) -> Option<&[u8]> {
	let first = *bytes.first()?;
	let len = match first & 0b11 {
		0 => 1,
		1 => 2,
		2 => 4,
		_ => 1 + usize::from(first >> 2) + 4,
	};
	bytes.get(len..)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::{Compact, Encode};

	fn signed(version: u8, address_kind: u8, who: [u8; 32]) -> Vec<u8> {
		let mut body = vec![version, address_kind];
		body.extend_from_slice(&who);
		body.extend_from_slice(&[1u8; 100]); // signature, extensions, call
		let mut out = Compact(body.len() as u32).encode();
		out.extend(body);
		out
	}

	#[test]
	fn a_signed_extrinsic_names_its_signer() {
		let who = [7u8; 32];
		let seen = Seen::new(&signed(0x84, 0, who));
		assert_eq!(seen.signer, Some(ss58(&AccountId::from(who))));
		assert_eq!(seen.hash, blake2_256(&signed(0x84, 0, who)));
	}

	#[test]
	fn unsigned_general_indexed_or_truncated_extrinsics_name_nobody() {
		assert_eq!(signer(&signed(0x04, 0, [7; 32])), None, "unsigned");
		assert_eq!(signer(&signed(0x45, 0, [7; 32])), None, "general (v5)");
		assert_eq!(signer(&signed(0x84, 1, [7; 32])), None, "an account index");
		let long = signed(0x84, 0, [7; 32]);
		assert_eq!(signer(&long[..20]), None, "cut short");
		assert_eq!(signer(&[]), None);
		assert_eq!(signer(&[0xff]), None);
	}
}
