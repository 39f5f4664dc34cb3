//! A message read and routed: each credit transfer to a chain payment through an in-memory
//! directory and currency table (the service keeps both in the ledger's database).

use std::{collections::HashMap, path::Path};
use tpwallet_gateway::{read, route, Currencies, Directory, Limits, Token};

struct Table;
impl Currencies for Table {
	fn token(&self, currency: &str) -> Option<Token> {
		(currency == "EUR").then_some(Token { asset: 4242, decimals: 6 })
	}
}

struct Dir(HashMap<&'static str, &'static str>);
impl Directory for Dir {
	fn account(&self, key: &str) -> Option<String> {
		self.0.get(key).map(|a| a.to_string())
	}
}

#[test]
fn every_transfer_of_a_pain_001_becomes_a_chain_payment() {
	let bytes = std::fs::read(
		Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pain.001.001.03.tpwallet.xml"),
	)
	.unwrap();
	let message = read(&bytes, &Limits::default()).unwrap();
	let dir = Dir(HashMap::from([
		("iban:DE89370400440532013000", "ALICE"),
		("iban:FR1420041010050500013M02606", "BOB"),
		("acct::TPWALLET:CHARLIE-001", "CHARLIE"),
	]));
	let routed: Vec<(String, String, u128)> = message
		.instructions
		.iter()
		.map(|i| route(i, &dir, &Table).map(|t| (t.from, t.to, t.units)).unwrap())
		.collect();
	assert_eq!(
		routed,
		[
			("ALICE".into(), "BOB".into(), 1_000_000_000),
			("ALICE".into(), "CHARLIE".into(), 500_000_000),
			("ALICE".into(), "BOB".into(), 251_250_000),
		]
	);
	// Each payment's digest commits to its own party data.
	let digests: Vec<[u8; 32]> =
		message.instructions.iter().map(|i| route(i, &dir, &Table).unwrap().travel_rule).collect();
	assert!(digests[0] != digests[1] && digests[1] != digests[2] && digests[0] != digests[2]);
}
