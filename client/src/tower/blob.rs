//! Blobs: a superseded state's successor, sealed under a key only the superseded state's
//! signature derives, filed under a hint derived from that signature too.
//!
//! Each party seals under its **own** signature on the old state: that one is fixed (the
//! other party cannot make another without the key), and it appears on chain only when the old
//! state is submitted. A party's own signature is also the one its counterparty cannot
//! re-randomize (sr25519 signatures are randomized: a cheater can re-sign its own half before
//! closing, so a hint from both signatures would miss).

use crate::{keys, protocol::payload, ChannelInfo, Hash32, PayloadKind, Signature, SignedState};
use codec::{Decode, DecodeAll, Encode};
use polkadot_sdk::sp_io::hashing::blake2_256;
use ring::aead::{Aad, LessSafeKey, Nonce as AeadNonce, UnboundKey, CHACHA20_POLY1305};

/// What a blob is filed under.
pub type Hint = [u8; 16];

/// A superseded state's successor, sealed for the tower.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct Blob {
	pub hint: Hint,
	pub sealed: Vec<u8>,
}

/// Largest sealed blob, in bytes (a signed state and its tag take about 270).
pub const MAX_BLOB: usize = 1024;

fn derive(tag: &[u8], sig: &Signature) -> [u8; 32] {
	blake2_256(&(tag, sig).encode())
}

/// The hint a blob sealed under signature `sig` is filed under.
pub fn hint_of(sig: &Signature) -> Hint {
	let mut hint = [0u8; 16];
	hint.copy_from_slice(&derive(b"tpwallet/tower/v2/hint", sig)[..16]);
	hint
}

fn cipher(sig: &Signature) -> Option<LessSafeKey> {
	let key = derive(b"tpwallet/tower/v2/key", sig);
	UnboundKey::new(&CHACHA20_POLY1305, &key).ok().map(LessSafeKey::new)
}

/// The blob sealing `newer` under `own`, the sealing party's signature on the state `newer`
/// supersedes. Each key seals one message, so a zero nonce is safe.
pub fn seal(own: &Signature, newer: &SignedState) -> Option<Blob> {
	let hint = hint_of(own);
	let mut sealed = newer.encode();
	cipher(own)?
		.seal_in_place_append_tag(
			AeadNonce::assume_unique_for_key([0; 12]),
			Aad::from(&hint[..]),
			&mut sealed,
		)
		.ok()?;
	Some(Blob { hint, sealed })
}

/// The successor of `old` in `sealed`, opened with `sig` (one of `old`'s signatures): `None`
/// unless it decrypts and is a newer state of the same channel.
pub fn open(sig: &Signature, old: &SignedState, sealed: &[u8]) -> Option<SignedState> {
	let mut bytes = sealed.to_vec();
	let plain = cipher(sig)?
		.open_in_place(
			AeadNonce::assume_unique_for_key([0; 12]),
			Aad::from(&hint_of(sig)[..]),
			&mut bytes,
		)
		.ok()?;
	let newer = SignedState::decode_all(&mut &plain[..]).ok()?;
	(newer.state.channel == old.state.channel && newer.state.nonce > old.state.nonce)
		.then_some(newer)
}

/// Whether both parties of `info` signed `signed` (on the chain of `genesis`).
pub fn is_cosigned(signed: &SignedState, info: &ChannelInfo, genesis: &Hash32) -> bool {
	let bytes = payload(PayloadKind::Update, genesis, &signed.state);
	keys::verify(&signed.sig_a, &bytes, &info.party_a)
		&& keys::verify(&signed.sig_b, &bytes, &info.party_b)
}
