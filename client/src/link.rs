//! Payment links (`tpwallet:` URIs): a payment request signed by its payee. Reading and writing
//! only, no I/O; the format is docs/payment-links.md, and the SDK (`sdk/src/links.ts`) reads and
//! writes the same links (both are checked against docs/payment-link-vectors.json).
//!
//! A link is untrusted input: it is read strictly (a length limit, known parameters once each,
//! every value checked) and its signature is checked over the canonical form rebuilt from the
//! values read, so that no unsigned part can change what is paid.

use crate::{AccountId, Hash32};
use polkadot_sdk::sp_core::crypto::Ss58Codec;
use polkadot_sdk::sp_core::{sr25519, Pair};
use std::fmt;

pub const SCHEME: &str = "tpwallet";
/// Longest link accepted: its QR code stays readable from a phone screen.
pub const MAX_LINK_LENGTH: usize = 1024;
/// Longest memo, in UTF-8 bytes.
pub const MAX_MEMO_BYTES: usize = 140;
/// Largest `exp`: JavaScript's largest exact integer, so both implementations read the same.
const MAX_EXP: u64 = (1 << 53) - 1;
const PARAMS: [&str; 10] =
	["v", "chain", "asset", "amount", "exp", "method", "hash", "memo", "id", "sig"];

/// What is paid: TPW or an asset id (a token or a plain `pallet-assets` asset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkAsset {
	Tpw,
	Id(u32),
}

/// How it is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
	/// An on-chain transfer.
	Chain,
	/// Over a payment channel, to the payee's invoice (its hash lock).
	Channel,
}

/// A payment request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRequest {
	/// The payee's account, SS58, as the payee wrote it (the signature covers this text).
	pub payee: String,
	/// The genesis hash of the chain it is paid on.
	pub chain: Hash32,
	pub asset: LinkAsset,
	/// In the asset's smallest unit.
	pub amount: u128,
	/// Unix time (seconds) from which it must not be paid.
	pub expires_at: u64,
	pub method: Method,
	/// For [`Method::Channel`]: the invoice's hash lock.
	pub hash_lock: Option<Hash32>,
	pub memo: Option<String>,
	/// The request's reference, carried by the payment.
	pub id: [u8; 16],
}

/// Why a link must not be paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
	Malformed(String),
	TooLong,
	UnknownParameter(String),
	BadSignature,
	Expired,
	WrongChain,
	UnsupportedVersion(String),
}

impl LinkError {
	/// The error's name, as the SDK's `LinkError.code`.
	pub fn code(&self) -> &'static str {
		match self {
			Self::Malformed(_) => "Malformed",
			Self::TooLong => "TooLong",
			Self::UnknownParameter(_) => "UnknownParameter",
			Self::BadSignature => "BadSignature",
			Self::Expired => "Expired",
			Self::WrongChain => "WrongChain",
			Self::UnsupportedVersion(_) => "UnsupportedVersion",
		}
	}
}

impl fmt::Display for LinkError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::Malformed(why) => write!(f, "Malformed: {why}"),
			Self::TooLong => write!(f, "TooLong: a link is at most {MAX_LINK_LENGTH} characters"),
			Self::UnknownParameter(name) => write!(f, "UnknownParameter: {name:?}"),
			Self::BadSignature => {
				write!(
					f,
					"BadSignature: the payee did not sign this request: it was altered or forged"
				)
			}
			Self::Expired => write!(f, "Expired: the request has expired"),
			Self::WrongChain => write!(f, "WrongChain: the link is for another chain"),
			Self::UnsupportedVersion(v) => {
				write!(f, "UnsupportedVersion: version {v} (this reads v=1)")
			}
		}
	}
}

impl std::error::Error for LinkError {}

fn malformed(why: impl Into<String>) -> LinkError {
	LinkError::Malformed(why.into())
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// `0x` and exactly `2 * N` hex digits, in either case.
fn parse_hex<const N: usize>(text: &str, what: &str) -> Result<[u8; N], LinkError> {
	let digits = text
		.strip_prefix("0x")
		.filter(|d| d.len() == 2 * N && d.bytes().all(|b| b.is_ascii_hexdigit()))
		.ok_or_else(|| malformed(format!("{what} must be {N} bytes of 0x hex")))?;
	let mut out = [0u8; N];
	hex::decode_to_slice(digits, &mut out).map_err(|_| malformed(format!("{what} is not hex")))?;
	Ok(out)
}

/// Percent-encoding of everything but RFC 3986's unreserved characters.
fn encode_strict(text: &str) -> String {
	let mut out = String::with_capacity(text.len());
	for b in text.bytes() {
		if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
			out.push(b as char);
		} else {
			out.push_str(&format!("%{b:02X}"));
		}
	}
	out
}

/// Decodes `%XX` sequences; the result must be UTF-8. Other characters are kept as they are.
fn decode_percent(text: &str) -> Option<String> {
	let bytes = text.as_bytes();
	let mut out = Vec::with_capacity(bytes.len());
	let mut i = 0;
	while i < bytes.len() {
		if bytes[i] == b'%' {
			let hex = text.get(i + 1..i + 3)?;
			out.push(
				u8::from_str_radix(hex, 16)
					.ok()
					.filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?,
			);
			i += 3;
		} else {
			out.push(bytes[i]);
			i += 1;
		}
	}
	String::from_utf8(out).ok()
}

/// Characters a memo may not hold: C0 and C1 controls, DEL, and the bidirectional overrides
/// and isolates (they make a wallet display text in another order than it is written).
fn is_control(c: char) -> bool {
	matches!(c as u32, 0x00..=0x1f | 0x7f..=0x9f | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// A positive decimal without leading zeros, of at most `max_digits` digits.
fn positive_decimal(text: &str, max_digits: usize, what: &str) -> Result<u128, LinkError> {
	let well_formed = !text.is_empty()
		&& text.len() <= max_digits
		&& text.bytes().all(|b| b.is_ascii_digit())
		&& !text.starts_with('0');
	let err =
		|| malformed(format!("{what} must be a positive decimal number without leading zeros"));
	if !well_formed {
		return Err(err());
	}
	text.parse::<u128>().map_err(|_| malformed(format!("{what} is out of range")))
}

impl PaymentRequest {
	/// The signed part of the link, in canonical form.
	pub fn canonical(&self) -> String {
		let asset = match self.asset {
			LinkAsset::Tpw => "TPW".to_string(),
			LinkAsset::Id(id) => id.to_string(),
		};
		let method = match self.method {
			Method::Chain => "chain",
			Method::Channel => "channel",
		};
		let mut parts = vec![
			"v=1".to_string(),
			format!("chain={}", hex0x(&self.chain)),
			format!("asset={asset}"),
			format!("amount={}", self.amount),
			format!("exp={}", self.expires_at),
			format!("method={method}"),
		];
		if let Some(lock) = &self.hash_lock {
			parts.push(format!("hash={}", hex0x(lock)));
		}
		if let Some(memo) = self.memo.as_ref().filter(|m| !m.is_empty()) {
			parts.push(format!("memo={}", encode_strict(memo)));
		}
		parts.push(format!("id={}", hex0x(&self.id)));
		format!("{SCHEME}:{}?{}", self.payee, parts.join("&"))
	}

	/// What the request says on its own, checked; the payee's account.
	pub fn check(&self) -> Result<AccountId, LinkError> {
		// SS58 with any address format, as written: no surrounding spaces, no hex.
		let payee = AccountId::from_ss58check_with_version(&self.payee)
			.map(|(account, _format)| account)
			.map_err(|_| malformed(format!("payee {:?} is not an SS58 address", self.payee)))?;
		if self.amount == 0 {
			return Err(malformed("amount must be above zero"));
		}
		if self.expires_at == 0 || self.expires_at > MAX_EXP {
			return Err(malformed("exp must be a Unix time in seconds"));
		}
		match (self.method, self.hash_lock) {
			(Method::Channel, None) => {
				return Err(malformed("a channel payment needs the invoice hash lock (hash)"))
			}
			(Method::Chain, Some(_)) => return Err(malformed("hash is for channel payments only")),
			_ => {}
		}
		if let Some(memo) = &self.memo {
			if memo.len() > MAX_MEMO_BYTES {
				return Err(malformed(format!("memo is over {MAX_MEMO_BYTES} bytes")));
			}
			if memo.chars().any(is_control) {
				return Err(malformed("memo holds control characters"));
			}
		}
		Ok(payee)
	}

	/// Signs the request with `key` (whose account must be the payee) and returns its link.
	pub fn sign(&self, key: &sr25519::Pair) -> Result<String, LinkError> {
		let payee = self.check()?;
		if AccountId::from(key.public()) != payee {
			return Err(malformed("the payee signs its own requests"));
		}
		let canonical = self.canonical();
		let link = format!("{canonical}&sig={}", hex0x(&key.sign(canonical.as_bytes()).0));
		if link.len() > MAX_LINK_LENGTH {
			return Err(LinkError::TooLong);
		}
		Ok(link)
	}
}

/// A link's request and signature, read strictly; the signature is not checked ([`verify`]).
pub fn parse(link: &str) -> Result<(PaymentRequest, [u8; 64]), LinkError> {
	// JavaScript counts UTF-16 units; for the characters of a valid link (ASCII) they agree.
	if link.chars().map(char::len_utf16).sum::<usize>() > MAX_LINK_LENGTH {
		return Err(LinkError::TooLong);
	}
	let (scheme, rest) = link.split_once(':').ok_or_else(|| malformed("not a tpwallet: link"))?;
	if !scheme.eq_ignore_ascii_case(SCHEME) {
		return Err(malformed("not a tpwallet: link"));
	}
	let (payee, query) = rest.split_once('?').ok_or_else(|| malformed("no parameters"))?;
	let mut values: Vec<(&str, String)> = Vec::new();
	for pair in query.split('&') {
		let (name, raw) = pair
			.split_once('=')
			.filter(|(name, _)| !name.is_empty())
			.ok_or_else(|| malformed(format!("parameter {pair:?} has no name or value")))?;
		if !PARAMS.contains(&name) {
			return Err(LinkError::UnknownParameter(name.to_string()));
		}
		if values.iter().any(|(n, _)| *n == name) {
			return Err(malformed(format!("parameter {name} given twice")));
		}
		let value = decode_percent(raw).ok_or_else(|| {
			malformed(format!("parameter {name} is not valid percent-encoded UTF-8"))
		})?;
		values.push((name, value));
	}
	let get = |name: &str| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
	let required =
		|name: &str| get(name).ok_or_else(|| malformed(format!("parameter {name} is missing")));

	let version = required("v")?;
	if version != "1" {
		return Err(LinkError::UnsupportedVersion(version.to_string()));
	}
	let asset = match required("asset")? {
		"TPW" => LinkAsset::Tpw,
		"0" => LinkAsset::Id(0),
		id => LinkAsset::Id(
			u32::try_from(positive_decimal(id, 10, "asset")?)
				.map_err(|_| malformed("asset must be TPW or an asset id"))?,
		),
	};
	let expires_at = u64::try_from(positive_decimal(required("exp")?, 39, "exp")?)
		.ok()
		.filter(|e| *e <= MAX_EXP)
		.ok_or_else(|| malformed("exp is out of range"))?;
	let chain = required("chain")?;
	let amount = positive_decimal(required("amount")?, 39, "amount")?;
	let method = match required("method")? {
		"chain" => Method::Chain,
		"channel" => Method::Channel,
		_ => return Err(malformed("method must be chain or channel")),
	};
	let id = required("id")?;
	let request = PaymentRequest {
		payee: payee.to_string(),
		chain: parse_hex::<32>(chain, "chain")?,
		asset,
		amount,
		expires_at,
		method,
		hash_lock: get("hash").map(|h| parse_hex::<32>(h, "hash")).transpose()?,
		memo: get("memo").map(str::to_string),
		id: parse_hex::<16>(id, "id")?,
	};
	request.check()?;
	let signature = parse_hex::<64>(required("sig")?, "sig")?;
	Ok((request, signature))
}

/// The request `link` carries, once its payee's signature, its chain and its expiry (against
/// `now`, Unix seconds) are checked.
pub fn verify(link: &str, chain: &Hash32, now: u64) -> Result<PaymentRequest, LinkError> {
	let (request, signature) = parse(link)?;
	let payee = request.check()?;
	let public = sr25519::Public::from_raw(*payee.as_ref());
	let signature = sr25519::Signature::from_raw(signature);
	let canonical = request.canonical();
	// Browser extensions sign raw data wrapped in <Bytes>…</Bytes>: accepted too.
	let wrapped = format!("<Bytes>{canonical}</Bytes>");
	if !sr25519::Pair::verify(&signature, canonical.as_bytes(), &public)
		&& !sr25519::Pair::verify(&signature, wrapped.as_bytes(), &public)
	{
		return Err(LinkError::BadSignature);
	}
	if &request.chain != chain {
		return Err(LinkError::WrongChain);
	}
	if now >= request.expires_at {
		return Err(LinkError::Expired);
	}
	Ok(request)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::keys;
	use serde_json::Value;

	const CHAIN: Hash32 = [0x77; 32];
	const NOW: u64 = 1_800_000_000;

	fn alice() -> sr25519::Pair {
		sr25519::Pair::from_string("//Alice", None).unwrap()
	}

	fn request() -> PaymentRequest {
		PaymentRequest {
			payee: keys::ss58(&AccountId::from(alice().public())),
			chain: CHAIN,
			asset: LinkAsset::Tpw,
			amount: 2_500_000_000_000,
			expires_at: NOW + 3600,
			method: Method::Chain,
			hash_lock: None,
			memo: Some("Invoice #42 — café & co. 100%".into()),
			id: [0xab; 16],
		}
	}

	#[test]
	fn round_trip_and_refusals() {
		let link = request().sign(&alice()).unwrap();
		assert_eq!(verify(&link, &CHAIN, NOW), Ok(request()));
		let code = |l: &str| verify(l, &CHAIN, NOW).err().map(|e| e.code());
		assert_eq!(
			code(&link.replace("amount=2500000000000", "amount=2500000000001")),
			Some("BadSignature")
		);
		assert_eq!(code(&link.replace("Invoice", "Invoize")), Some("BadSignature"));
		assert_eq!(code(&format!("{link}&extra=1")), Some("UnknownParameter"));
		assert_eq!(code(&format!("{link}&amount=1")), Some("Malformed"));
		assert_eq!(verify(&link, &[0x78; 32], NOW).unwrap_err(), LinkError::WrongChain);
		assert_eq!(verify(&link, &CHAIN, NOW + 3600).unwrap_err(), LinkError::Expired);
		let bob = sr25519::Pair::from_string("//Bob", None).unwrap();
		assert!(request().sign(&bob).is_err(), "only the payee signs");
		let channel =
			PaymentRequest { method: Method::Channel, hash_lock: Some([1; 32]), ..request() };
		assert_eq!(verify(&channel.sign(&alice()).unwrap(), &CHAIN, NOW), Ok(channel));
		assert!(PaymentRequest { method: Method::Channel, ..request() }.sign(&alice()).is_err());
		assert!(PaymentRequest { memo: Some("a\nb".into()), ..request() }.sign(&alice()).is_err());
		assert!(PaymentRequest { memo: Some("x".repeat(141)), ..request() }
			.sign(&alice())
			.is_err());
	}

	/// The vectors the SDK's suite checks too: both implementations read links alike.
	#[test]
	fn shared_vectors() {
		let vectors: Value =
			serde_json::from_str(include_str!("../../docs/payment-link-vectors.json")).unwrap();
		let chain = parse_hex::<32>(vectors["chain"].as_str().unwrap(), "chain").unwrap();
		let now = vectors["now"].as_u64().unwrap();
		let cases = vectors["cases"].as_array().unwrap();
		assert!(cases.len() > 20);
		for case in cases {
			let link = case["link"].as_str().unwrap();
			let got = verify(link, &chain, now);
			match case["expect"].as_str().unwrap() {
				"accepted" => {
					let request = got.unwrap_or_else(|e| panic!("{link}: {e}"));
					assert_eq!(
						request.amount.to_string(),
						case["amount"].as_str().unwrap(),
						"{link}"
					);
					assert_eq!(request.memo.as_deref(), case["memo"].as_str(), "{link}");
				}
				code => assert_eq!(got.err().map(|e| e.code()), Some(code), "{link}"),
			}
		}
	}

	/// Hostile input: no panic, whatever the bytes.
	#[test]
	fn arbitrary_input_never_panics() {
		let link = request().sign(&alice()).unwrap();
		let mut seed: u32 = 0x5eed;
		let alphabet: Vec<char> = "abcdefABCDEF0123456789%&=?:;#+-_.~ é\u{0}".chars().collect();
		for _ in 0..5000 {
			let mut chars: Vec<char> = link.chars().collect();
			seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345) & 0x7fff_ffff;
			let at = seed as usize % chars.len();
			let c = alphabet[(seed >> 8) as usize % alphabet.len()];
			match seed % 3 {
				0 => chars[at] = c,
				1 => {
					chars.remove(at);
				}
				_ => chars.insert(at, c),
			}
			let mutated: String = chars.into_iter().collect();
			if let Ok(r) = verify(&mutated, &CHAIN, NOW) {
				assert_eq!(r.amount, request().amount);
				assert_eq!(r.payee, request().payee);
				assert_eq!(r.memo, request().memo);
			}
		}
		for junk in [
			"",
			"tpwallet:",
			"tpwallet:?",
			"tpwallet:x?v=1",
			"?&&==",
			"%",
			"tpwallet:x?memo=%E0%A4%A",
		] {
			assert!(verify(junk, &CHAIN, NOW).is_err());
		}
	}
}
