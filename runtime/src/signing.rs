//! Building signed extrinsics off chain (node benchmarks, tests, tools). Native (`std`) only.

use crate::*;
use codec::Encode;
use sp_core::{sr25519, Pair};
use sp_runtime::generic::Era;

/// Signs `call` by `signer` with `nonce`. `genesis_hash` binds it to one chain; `era_start` is the
/// hash of the block the era starts at (the genesis hash for an immortal era).
pub fn signed_extrinsic(
	signer: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
	era: Era,
	genesis_hash: Hash,
	era_start: Hash,
) -> UncheckedExtrinsic {
	let tx_ext = tx_extension(nonce, era, 0);
	let payload = SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		(
			(),
			VERSION.spec_version,
			VERSION.transaction_version,
			genesis_hash,
			era_start,
			(),
			(),
			(),
			None,
			(),
		),
	);
	let signature = payload.using_encoded(|e| signer.sign(e));
	UncheckedExtrinsic::new_signed(
		call,
		AccountId::from(signer.public()).into(),
		Signature::Sr25519(signature),
		tx_ext,
	)
}
