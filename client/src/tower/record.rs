//! The framing of the tower's files (the tower's blob store and a party's outbox): a record is
//! its body's length (`u32`, little-endian) and the SCALE-encoded body. A record torn by a
//! crash reads as the end of the file.

use codec::{DecodeAll, Encode};
use std::io::Read;

/// `item` framed as one record.
pub fn encode<T: Encode>(item: &T) -> Vec<u8> {
	let body = item.encode();
	let mut out = Vec::with_capacity(4 + body.len());
	out.extend_from_slice(&(body.len() as u32).to_le_bytes());
	out.extend_from_slice(&body);
	out
}

/// The next whole record of at most `max_body` bytes and its length on disk, or `None` at the
/// end, at a torn or oversized record, or at one that does not decode.
pub fn read<T: DecodeAll>(reader: &mut impl Read, max_body: usize) -> Option<(T, usize)> {
	let mut len = [0u8; 4];
	reader.read_exact(&mut len).ok()?;
	let len = u32::from_le_bytes(len) as usize;
	if len > max_body {
		return None;
	}
	let mut body = vec![0u8; len];
	reader.read_exact(&mut body).ok()?;
	Some((T::decode_all(&mut &body[..]).ok()?, 4 + len))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn records_round_trip_and_a_torn_one_ends_the_file() {
		let mut bytes = encode(&(7u32, vec![1u8, 2, 3]));
		bytes.extend(encode(&(8u32, vec![4u8])));
		let whole = bytes.len();
		bytes.extend(&encode(&(9u32, vec![5u8; 10]))[..6]);
		let mut reader = &bytes[..];
		let mut at = 0;
		let mut seen = Vec::new();
		while let Some(((n, v), len)) = read::<(u32, Vec<u8>)>(&mut reader, 64) {
			seen.push((n, v));
			at += len;
		}
		assert_eq!(seen, vec![(7, vec![1, 2, 3]), (8, vec![4])]);
		assert_eq!(at, whole);
	}

	#[test]
	fn an_oversized_length_is_not_read() {
		let bytes = encode(&vec![0u8; 100]);
		assert!(read::<Vec<u8>>(&mut &bytes[..], 50).is_none());
		assert!(read::<Vec<u8>>(&mut &bytes[..], 200).is_some());
	}
}
