//! Storage keys of the items the tools read, built the way FRAME builds them: `twox128(pallet)
//! ++ twox128(item)`, then each map key hashed with the item's hasher (all `Blake2_128Concat`
//! but one: the 16-byte hash followed by the key itself). A pallet's name and an item's name and
//! hasher are part of the chain's storage layout, which an upgrade changes only with a migration.

use codec::Encode;
use polkadot_sdk::sp_io::hashing::{blake2_128, twox_128, twox_64};

/// The key of storage value `pallet::item`, also the prefix of a map's keys.
pub fn value(pallet: &str, item: &str) -> Vec<u8> {
	prefix(pallet, item).to_vec()
}

/// The prefix of every key of map `pallet::item`.
pub fn prefix(pallet: &str, item: &str) -> [u8; 32] {
	let mut key = [0u8; 32];
	key[..16].copy_from_slice(&twox_128(pallet.as_bytes()));
	key[16..].copy_from_slice(&twox_128(item.as_bytes()));
	key
}

/// The key of `key` in `Blake2_128Concat` map `pallet::item`.
pub fn map_blake2(pallet: &str, item: &str, key: &impl Encode) -> Vec<u8> {
	[value(pallet, item), blake2_128_concat(key)].concat()
}

/// The key of `(k1, k2)` in double map `pallet::item`, both hashed with `Blake2_128Concat`.
pub fn double_map_blake2(pallet: &str, item: &str, k1: &impl Encode, k2: &impl Encode) -> Vec<u8> {
	[value(pallet, item), blake2_128_concat(k1), blake2_128_concat(k2)].concat()
}

/// `key` hashed with `Blake2_128Concat`.
pub fn blake2_128_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	[&blake2_128(&encoded)[..], &encoded].concat()
}

/// `key` hashed with `Twox64Concat` (keys a user cannot choose, such as counters).
pub fn twox_64_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	[&twox_64(&encoded)[..], &encoded].concat()
}
