//! Strong customer authentication by the account holder's own chain key: the holder signs, with
//! the sr25519 key of the chain account the directory maps the IBAN to, a challenge that says in
//! words what is approved (which TPP, which accounts and services until when; or which payment).
//! Possession of the key is the factor a bank's app or card would be. A wallet's `signRaw`
//! (the polkadot.js extension wraps the bytes in `<Bytes>…</Bytes>`) and a bare signature over
//! the challenge are both accepted.

use super::consent::Grant;
use polkadot_sdk::sp_core::sr25519;
use tpw_client::{
	keys::{self, parse_account},
	Signature,
};

/// The most wrong signatures before an authorisation fails for good.
pub const MAX_ATTEMPTS: i32 = 3;

/// The challenge for consent `id`.
pub fn consent_challenge(
	id: &str,
	tpp: &str,
	grants: &[Grant],
	valid_until: &str,
	per_day: u32,
) -> String {
	let mut text = format!("tpwallet open banking: consent {id}\nTPP: {tpp}\n");
	for g in grants {
		let mut services = vec!["account details"];
		if g.balances {
			services.push("balances");
		}
		if g.transactions {
			services.push("transactions");
		}
		text.push_str(&format!("read {} of {} {}\n", services.join(", "), g.iban, g.currency));
	}
	text.push_str(&format!("until {valid_until}, at most {per_day} times a day without me\n"));
	text
}

/// The challenge for payment `id`.
pub fn payment_challenge(
	id: &str,
	tpp: &str,
	amount: &str,
	debtor_iban: &str,
	creditor: &str,
	creditor_iban: &str,
	end_to_end_id: &str,
) -> String {
	format!(
		"tpwallet open banking: payment {id}\nTPP: {tpp}\npay {amount} from {debtor_iban} to \
		 {creditor} ({creditor_iban})\nreference {end_to_end_id}\n"
	)
}

/// Why a signature is not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Invalid {
	/// Not 64 bytes of hex.
	Malformed,
	/// A good signature, but not by `account` over the challenge.
	Wrong,
}

/// Whether `signature` (hex, `0x` optional) is `account`'s (SS58) over `challenge`.
pub fn verify(account: &str, challenge: &str, signature: &str) -> Result<(), Invalid> {
	let hex = signature.trim().trim_start_matches("0x");
	let bytes: [u8; 64] =
		hex::decode(hex).ok().and_then(|b| b.try_into().ok()).ok_or(Invalid::Malformed)?;
	let signature = Signature::Sr25519(sr25519::Signature::from_raw(bytes));
	let account = parse_account(account).map_err(|_| Invalid::Wrong)?;
	let wrapped = format!("<Bytes>{challenge}</Bytes>");
	let signed = |message: &str| keys::verify(&signature, message.as_bytes(), &account);
	if signed(challenge) || signed(&wrapped) {
		Ok(())
	} else {
		Err(Invalid::Wrong)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use tpw_client::keys::Keys;

	fn sign(uri: &str, message: &str) -> (String, String) {
		let keys = Keys::from_uri(uri).unwrap();
		let signature = polkadot_sdk::sp_core::Pair::sign(keys.pair(), message.as_bytes());
		let raw: &[u8] = signature.as_ref();
		(tpw_client::keys::ss58(keys.account()), format!("0x{}", hex::encode(raw)))
	}

	#[test]
	fn the_holders_signature_over_the_challenge_and_nothing_else_authorises() {
		let grants = [Grant {
			iban: "DE89370400440532013000".into(),
			currency: "EUR".into(),
			balances: true,
			transactions: false,
		}];
		let challenge = consent_challenge("c-1", "Budget App", &grants, "2027-03-01", 4);
		assert!(challenge.contains("read account details, balances of DE89370400440532013000 EUR"));
		let (alice, signature) = sign("//Alice", &challenge);
		assert_eq!(verify(&alice, &challenge, &signature), Ok(()));
		assert_eq!(verify(&alice, &challenge, signature.trim_start_matches("0x")), Ok(()));
		// A wallet's signRaw.
		let (_, wrapped) = sign("//Alice", &format!("<Bytes>{challenge}</Bytes>"));
		assert_eq!(verify(&alice, &challenge, &wrapped), Ok(()));
		// Another key, another challenge, another account, a damaged signature.
		let (bob, by_bob) = sign("//Bob", &challenge);
		assert_eq!(verify(&alice, &challenge, &by_bob), Err(Invalid::Wrong));
		let other = consent_challenge("c-2", "Budget App", &grants, "2027-03-01", 4);
		assert_eq!(verify(&alice, &other, &signature), Err(Invalid::Wrong));
		assert_eq!(verify(&bob, &challenge, &signature), Err(Invalid::Wrong));
		assert_eq!(verify(&alice, &challenge, "0x1234"), Err(Invalid::Malformed));
		assert_eq!(verify(&alice, &challenge, "zz"), Err(Invalid::Malformed));
		assert_eq!(verify("not an account", &challenge, &signature), Err(Invalid::Wrong));
	}

	#[test]
	fn a_payment_challenge_says_what_is_paid_to_whom() {
		let text =
			payment_challenge("p-1", "Shop", "125.50 EUR", "DE89", "Bob SARL", "FR14", "E2E");
		assert_eq!(
			text,
			"tpwallet open banking: payment p-1\nTPP: Shop\npay 125.50 EUR from DE89 to Bob SARL \
			 (FR14)\nreference E2E\n"
		);
	}
}
