//! A party's sr25519 key: loaded from a secret URI (`//Alice`, a mnemonic, `0x` seed) or from a
//! file holding one, and used to sign state payloads and extrinsics.

use crate::{AccountId, Signature};
use anyhow::{anyhow, Context, Result};
use polkadot_sdk::{
	sp_core::{crypto::Ss58Codec, sr25519, Pair},
	sp_runtime::traits::Verify,
};
use std::path::Path;

/// An sr25519 key pair and the account it controls.
#[derive(Clone)]
pub struct Keys {
	pair: sr25519::Pair,
	account: AccountId,
}

impl Keys {
	/// From a secret URI: `//Alice` (development), a BIP-39 phrase with optional `//hard/soft`
	/// derivations and `///password`, or a `0x`-prefixed 32-byte seed.
	pub fn from_uri(uri: &str) -> Result<Self> {
		// The error type carries no secret, but keep the URI itself out of the message.
		let pair = sr25519::Pair::from_string(uri.trim(), None)
			.map_err(|e| anyhow!("invalid secret URI: {e:?}"))?;
		Ok(Self::from_pair(pair))
	}

	/// From a file whose content is a secret URI (or a `0x` seed); surrounding whitespace is
	/// ignored.
	pub fn from_file(path: &Path) -> Result<Self> {
		let secret = std::fs::read_to_string(path)
			.with_context(|| format!("reading seed file {}", path.display()))?;
		Self::from_uri(&secret)
	}

	/// From a key pair.
	pub fn from_pair(pair: sr25519::Pair) -> Self {
		let account = AccountId::from(pair.public());
		Self { pair, account }
	}

	/// The account this key controls.
	pub fn account(&self) -> &AccountId {
		&self.account
	}

	/// The raw pair, for signing extrinsics.
	pub fn pair(&self) -> &sr25519::Pair {
		&self.pair
	}

	/// Signs `payload` as the runtime's `MultiSignature`, as the pallet verifies it.
	pub fn sign(&self, payload: &[u8]) -> Signature {
		Signature::Sr25519(self.pair.sign(payload))
	}
}

/// Whether `signature` over `payload` verifies for `account` (any scheme `MultiSignature` knows).
pub fn verify(signature: &Signature, payload: &[u8], account: &AccountId) -> bool {
	signature.verify(payload, account)
}

/// An account from its SS58 address or `0x` hex public key.
pub fn parse_account(s: &str) -> Result<AccountId> {
	let s = s.trim();
	if let Some(hex_key) = s.strip_prefix("0x") {
		let bytes: [u8; 32] = hex::decode(hex_key)
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| anyhow!("account {s}: expected 32 bytes of hex"))?;
		return Ok(AccountId::from(bytes));
	}
	AccountId::from_ss58check(s).map_err(|e| anyhow!("account {s}: {e:?}"))
}

/// The SS58 address of `account` (generic prefix 42, as the chain uses).
pub fn ss58(account: &AccountId) -> String {
	account.to_ss58check()
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_keyring::Sr25519Keyring;

	#[test]
	fn dev_uri_gives_the_keyring_account_and_signatures_verify() {
		let keys = Keys::from_uri("//Alice").unwrap();
		assert_eq!(keys.account(), &Sr25519Keyring::Alice.to_account_id());
		let sig = keys.sign(b"payload");
		assert!(verify(&sig, b"payload", keys.account()));
		assert!(!verify(&sig, b"payloae", keys.account()));
		assert!(!verify(&sig, b"payload", &Sr25519Keyring::Bob.to_account_id()));
	}

	#[test]
	fn seed_file_and_account_parsing() {
		let dir = std::env::temp_dir().join(format!("tpw-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("seed");
		std::fs::write(&path, "//Bob\n").unwrap();
		let keys = Keys::from_file(&path).unwrap();
		assert_eq!(keys.account(), &Sr25519Keyring::Bob.to_account_id());
		assert_eq!(parse_account(&ss58(keys.account())).unwrap(), *keys.account());
		let hex_key = format!("0x{}", hex::encode(keys.account()));
		assert_eq!(parse_account(&hex_key).unwrap(), *keys.account());
		assert!(parse_account("0x1234").is_err());
		assert!(Keys::from_uri("not a uri at all").is_err());
		std::fs::remove_dir_all(dir).unwrap();
	}
}
