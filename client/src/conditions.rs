//! The conditional (hash-time-locked) payments of a state: their Merkle root and proofs, built
//! exactly as the pallet verifies them (`binary-merkle-tree`, BLAKE2-256, SCALE-encoded leaves),
//! and their SHA-256 hash locks.

use crate::{Balance, Condition, Direction, Hash32};
use codec::Encode;
use polkadot_sdk::{
	binary_merkle_tree::{merkle_proof, merkle_root},
	sp_io::hashing::sha2_256,
	sp_runtime::traits::BlakeTwo256,
};
use tpwallet_primitives::channels::{MAX_PREIMAGE_LEN, MAX_PROOF_DEPTH, MAX_RESOLVED};

/// Most conditional payments one state may hold: every one must stay provable on chain (the
/// tree at most `2^MaxProofDepth` leaves) and resolvable in one closing (`MaxResolved`).
pub fn max_conditions() -> usize {
	let by_depth = 1usize.checked_shl(MAX_PROOF_DEPTH).unwrap_or(usize::MAX);
	by_depth.min(MAX_RESOLVED as usize)
}

/// Longest preimage the chain accepts in `resolve_conditional`.
pub fn max_preimage_len() -> usize {
	MAX_PREIMAGE_LEN as usize
}

/// The hash lock of `preimage`.
pub fn hash_lock(preimage: &[u8]) -> Hash32 {
	sha2_256(preimage)
}

/// Root committed to by a state: all zeros for no payment, as `binary-merkle-tree` defines.
pub fn root(conditions: &[Condition]) -> Hash32 {
	merkle_root::<BlakeTwo256, _>(conditions.iter().map(|c| c.encode())).0
}

/// A Merkle proof that `conditions[index]` is under [`root`]: the nodes, leaf index and count,
/// as `resolve_conditional` takes them. `None` if `index` is out of range.
pub fn proof(conditions: &[Condition], index: usize) -> Option<(Vec<Hash32>, u32, u32)> {
	if index >= conditions.len() {
		return None;
	}
	let p = merkle_proof::<BlakeTwo256, _, _>(conditions.iter().map(|c| c.encode()), index as u32);
	Some((p.proof.iter().map(|n| n.0).collect(), index as u32, conditions.len() as u32))
}

/// Total amount locked in each direction (A to B, B to A); `None` on overflow.
pub fn pending(conditions: &[Condition]) -> Option<(Balance, Balance)> {
	conditions.iter().try_fold((0, 0), |(ab, ba): (Balance, Balance), c| match c.direction {
		Direction::AToB => Some((ab.checked_add(c.amount)?, ba)),
		Direction::BToA => Some((ab, ba.checked_add(c.amount)?)),
	})
}

/// Position of the payment locked under `lock`.
pub fn find(conditions: &[Condition], lock: &Hash32) -> Option<usize> {
	conditions.iter().position(|c| &c.hash_lock == lock)
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::{binary_merkle_tree::verify_proof, sp_core::H256};

	fn payment(n: u8) -> Condition {
		Condition {
			direction: if n.is_multiple_of(2) { Direction::AToB } else { Direction::BToA },
			amount: n as Balance * 10,
			hash_lock: hash_lock(&[n]),
			expiry: 100,
		}
	}

	#[test]
	fn empty_root_is_zero_and_proofs_verify_as_the_pallet_does() {
		assert_eq!(root(&[]), [0; 32]);
		let payments: Vec<_> = (1..=5).map(payment).collect();
		let r = root(&payments);
		for (i, p) in payments.iter().enumerate() {
			let (nodes, index, count) = proof(&payments, i).unwrap();
			assert!(verify_proof::<BlakeTwo256, _, _>(
				&H256(r),
				nodes.iter().map(|n| H256(*n)),
				count,
				index,
				&p.encode(),
			));
		}
		assert!(proof(&payments, 5).is_none());
		assert_eq!(pending(&payments), Some((20 + 40, 10 + 30 + 50)));
		assert_eq!(find(&payments, &hash_lock(&[3])), Some(2));
		assert!(max_conditions() >= 1);
	}
}
