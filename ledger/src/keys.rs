//! API keys and webhook secrets: random, shown once, and only a hash of a key is stored (a
//! leaked database does not leak working keys). Pure apart from the operating system's RNG.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What every API key starts with, so that a leaked one is recognisable (secret scanners).
pub const KEY_PREFIX: &str = "tpwl_";
/// What every open-banking TPP token starts with.
pub const TPP_PREFIX: &str = "tpwt_";
/// What every webhook signing secret starts with (the Standard Webhooks convention).
pub const SECRET_PREFIX: &str = "whsec_";

/// A new API key: the prefix and 32 random bytes in hex.
pub fn new_key() -> String {
	new_token(KEY_PREFIX)
}

/// A new token: `prefix` and 32 random bytes in hex.
pub fn new_token(prefix: &str) -> String {
	let mut bytes = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut bytes);
	format!("{prefix}{}", hex::encode(bytes))
}

/// A random UUID (version 4), for the ids the open-banking API hands out.
pub fn new_uuid() -> String {
	let mut b = [0u8; 16];
	rand::rngs::OsRng.fill_bytes(&mut b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	let h = hex::encode(b);
	format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Whether `text` has a UUID's shape (`8-4-4-4-12` hex digits).
pub fn is_uuid(text: &str) -> bool {
	let groups: Vec<&str> = text.split('-').collect();
	groups.len() == 5
		&& groups
			.iter()
			.zip([8, 4, 4, 4, 12])
			.all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What is stored of a key: its SHA-256 (a key has 256 bits of entropy, so no salt or slow
/// hash is needed).
pub fn key_hash(key: &str) -> [u8; 32] {
	Sha256::digest(key.as_bytes()).into()
}

/// Whether `key` has the shape of an API key (checked before any database read).
pub fn well_formed(key: &str) -> bool {
	well_formed_token(KEY_PREFIX, key)
}

/// Whether `token` is `prefix` and 64 hex digits.
pub fn well_formed_token(prefix: &str, token: &str) -> bool {
	token
		.strip_prefix(prefix)
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
		let tpp = new_token(TPP_PREFIX);
		assert!(well_formed_token(TPP_PREFIX, &tpp) && !well_formed(&tpp));
		let (u, v) = (new_uuid(), new_uuid());
		assert!(is_uuid(&u) && u != v && u.as_bytes()[14] == b'4', "{u}");
		assert!(!is_uuid("not-a-uuid") && !is_uuid(&format!("{u}0")) && !is_uuid(""));
	}
}
