//! API keys and webhook secrets: random, shown once, and only a hash of a key is stored (a
//! leaked database does not leak working keys). Pure apart from the operating system's RNG.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What every API key starts with, so that a leaked one is recognisable (secret scanners).
pub const KEY_PREFIX: &str = "tpwl_";
/// What every webhook signing secret starts with (the Standard Webhooks convention).
pub const SECRET_PREFIX: &str = "whsec_";

/// A new API key: the prefix and 32 random bytes in hex.
pub fn new_key() -> String {
	let mut bytes = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	format!("{KEY_PREFIX}{}", hex::encode(bytes))
}

/// What is stored of a key: its SHA-256 (a key has 256 bits of entropy, so no salt or slow
/// hash is needed).
pub fn key_hash(key: &str) -> [u8; 32] {
	Sha256::digest(key.as_bytes()).into()
}

/// Whether `key` has the shape of an API key (checked before any database read).
pub fn well_formed(key: &str) -> bool {
	key.strip_prefix(KEY_PREFIX)
		.is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A new webhook secret: the prefix and 24 random bytes in base64.
pub fn new_secret() -> String {
	let mut bytes = [0u8; 24];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	format!("{SECRET_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn keys_are_random_well_formed_and_stored_only_as_a_hash() {
		let (a, b) = (new_key(), new_key());
		assert_ne!(a, b);
		assert!(well_formed(&a));
		assert!(!well_formed("tpwl_xyz"));
		assert!(!well_formed(&a.replace(KEY_PREFIX, "abcd_")));
		assert!(!well_formed(&format!("{a}0")));
		assert_ne!(key_hash(&a), key_hash(&b));
		assert!(new_secret().starts_with(SECRET_PREFIX));
	}
}
