//! What an Aura equivocation is, checked without storage: two different blocks, each sealed by
//! the same key for the same slot; and the offence it is reported as.

use super::*;
use alloc::{vec, vec::Vec};
use codec::Decode;
use sp_consensus_aura::AURA_ENGINE_ID;
use sp_consensus_slots::{EquivocationProof, Slot};
use sp_runtime::{
	traits::{Header as HeaderT, Zero},
	DigestItem, Perbill, RuntimeAppPublic,
};
use sp_staking::{
	offence::{Kind, Offence},
	SessionIndex,
};

/// The slot of a header sealed by `author`, and the hash of the header without its seal (what
/// the seal signs); `None` if the header has no Aura slot, no Aura seal as its last digest item,
/// or a seal that is not `author`'s signature.
fn sealed_by<H: HeaderT, Id: RuntimeAppPublic>(header: &H, author: &Id) -> Option<(Slot, H::Hash)> {
	let mut unsealed = header.clone();
	let signature = match unsealed.digest_mut().pop()? {
		DigestItem::Seal(engine, bytes) if engine == AURA_ENGINE_ID => {
			Id::Signature::decode(&mut &bytes[..]).ok()?
		}
		_ => return None,
	};
	let slot = unsealed
		.digest()
		.logs()
		.iter()
		.find_map(|item| item.pre_runtime_try_to::<Slot>(&AURA_ENGINE_ID))?;
	let pre_hash = unsealed.hash();
	author.verify(&pre_hash.as_ref(), &signature).then_some((slot, pre_hash))
}

/// Whether `proof` shows an equivocation: both headers are sealed by `proof.offender` for
/// `proof.slot`, and they are different blocks (their unsealed hashes differ: the same block
/// sealed twice, as a signature scheme with randomness does, is not an equivocation).
pub fn check_equivocation_proof<H: HeaderT, Id: RuntimeAppPublic>(
	proof: &EquivocationProof<H, Id>,
) -> bool {
	match (
		sealed_by(&proof.first_header, &proof.offender),
		sealed_by(&proof.second_header, &proof.offender),
	) {
		(Some((first_slot, first)), Some((second_slot, second))) => {
			first_slot == proof.slot && second_slot == proof.slot && first != second
		}
		_ => false,
	}
}

/// An Aura equivocation, as `pallet-offences` records it: one offender per slot.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuraEquivocationOffence<Offender> {
	/// The slot the offender sealed two blocks for.
	pub slot: Slot,
	/// The session of the key-owner proof.
	pub session_index: SessionIndex,
	/// The size of that session's validator set.
	pub validator_set_count: u32,
	/// Who holds the key.
	pub offender: Offender,
}

impl<Offender: Clone> Offence<Offender> for AuraEquivocationOffence<Offender> {
	const ID: Kind = *b"aura:equivocatio";
	type Slot = Slot;

	fn offenders(&self) -> Vec<Offender> {
		vec![self.offender.clone()]
	}

	fn session_index(&self) -> SessionIndex {
		self.session_index
	}

	fn validator_set_count(&self) -> u32 {
		self.validator_set_count
	}

	fn slot(&self) -> Self::Slot {
		self.slot
	}

	/// BABE's and GRANDPA's formula, `min((3k / n)^2, 1)` for `k` offenders among `n`
	/// validators: a lone double-signer is likely a mistake, a third of the set an attack.
	/// (tpwallet's handler removes offenders and slashes nothing.)
	fn slash_fraction(&self, offenders_count: u32) -> Perbill {
		if self.validator_set_count.is_zero() {
			return Perbill::zero();
		}
		Perbill::from_rational(offenders_count.saturating_mul(3), self.validator_set_count).square()
	}
}

/// A header for `slot` with `parent`, sealed with `sign` (which signs the unsealed header's
/// hash): what an Aura author produces. For tests and benchmarks, here and in the runtime's.
pub fn sealed_header<H: HeaderT, S: codec::Encode>(
	number: H::Number,
	slot: Slot,
	parent: H::Hash,
	sign: impl FnOnce(&[u8]) -> S,
) -> H {
	use codec::Encode;
	let digest =
		sp_runtime::Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
	let mut header = H::new(number, Default::default(), Default::default(), parent, digest);
	let signature = sign(header.hash().as_ref());
	header.digest_mut().push(DigestItem::Seal(AURA_ENGINE_ID, signature.encode()));
	header
}
