//! From a credit transfer to a chain payment: the currency to a registered token, the debtor's
//! and creditor's accounts to chain accounts through the institution's directory, the amount to
//! the token's units exactly, and the travel-rule digest the compliance pallet records, computed
//! from the message's own party data. Pure: the directory and the currency table are traits, kept
//! in the ledger's database by the service.

use crate::{
	model::{AccountRef, Code, Instruction, Party},
	reject::Rejection,
};
use sha2::{Digest, Sha256};

/// A registered token for a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
	pub asset: u32,
	pub decimals: u8,
}

/// The currency table (operator- or governance-maintained): ISO 4217 code to token.
pub trait Currencies {
	fn token(&self, currency: &str) -> Option<Token>;
}

/// The institution's directory: an account as a message names it to a chain account (SS58).
pub trait Directory {
	fn account(&self, key: &str) -> Option<String>;
}

/// A chain payment, ready to be submitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
	pub from: String,
	pub to: String,
	pub asset: u32,
	pub units: u128,
	/// SHA-256 of [`travel_rule_record`].
	pub travel_rule: [u8; 32],
}

/// The directory's key for an account as a message names it: `iban:<IBAN>` (upper case, no
/// spaces), `acct:<agent BIC>:<scheme>:<id>` (an account at an agent; the BIC's first 8
/// characters, so `XXX` branches do not matter), `proxy:<kind>:<id>`.
pub fn directory_key(account: &AccountRef, agent: Option<&str>) -> String {
	match account {
		AccountRef::Iban(iban) => {
			format!(
				"iban:{}",
				iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
			)
		}
		AccountRef::Other { id, scheme, .. } => {
			let bic: String =
				agent.unwrap_or("").chars().take(8).collect::<String>().to_uppercase();
			format!("acct:{bic}:{}:{}", scheme.as_ref().map_or("", Code::as_str), id.trim())
		}
		AccountRef::Proxy { kind, id } => {
			format!("proxy:{}:{}", kind.as_ref().map_or("", Code::as_str), id.trim())
		}
	}
}

/// The keys under which a payment is known, any of which seen before makes it a duplicate
/// (`AM05`): its UETR when it has one, and its end-to-end id within its message.
pub fn idempotency_keys(i: &Instruction) -> Vec<String> {
	let mut keys = vec![format!("e2e:{}:{}", i.msg_id, i.end_to_end_id)];
	if let Some(uetr) = &i.uetr {
		keys.push(format!("uetr:{}", uetr.to_lowercase()));
	}
	keys
}

/// The chain payment for `i`, or why not: unknown currency (`CURR`), amount finer than the
/// token (`CH20`), debtor (`AC01`) or creditor (`AC03`) account missing or unknown.
pub fn route(
	i: &Instruction,
	directory: &impl Directory,
	currencies: &impl Currencies,
) -> Result<Transfer, Rejection> {
	let token = currencies.token(&i.amount.currency).ok_or_else(|| {
		Rejection::new("CURR", format!("no token is registered for {}", i.amount.currency))
	})?;
	let units = i.amount.in_units(token.decimals)?;
	let resolve = |account: &Option<AccountRef>, agent: &Option<String>, code, whose: &str| {
		let account =
			account.as_ref().ok_or_else(|| Rejection::new(code, format!("no {whose} account")))?;
		let key = directory_key(account, agent.as_deref());
		directory.account(&key).ok_or_else(|| {
			Rejection::new(code, format!("the {whose} account {key} is not in the directory"))
		})
	};
	let from = resolve(&i.debtor_account, &i.debtor_agent, "AC01", "debtor's")?;
	let to = resolve(&i.creditor_account, &i.creditor_agent, "AC03", "creditor's")?;
	Ok(Transfer {
		from,
		to,
		asset: token.asset,
		units,
		travel_rule: Sha256::digest(travel_rule_record(i)).into(),
	})
}

/// The travel-rule record a payment's digest commits to: the originator's and beneficiary's data
/// as the message gives them, the amount and the references, one `key=value` line each, in a
/// fixed order (`\`, newline and `=` in values escaped as `\\`, `\n`, `\=`). An auditor holding
/// the message recomputes it and compares its SHA-256 with the digest on chain.
pub fn travel_rule_record(i: &Instruction) -> String {
	let mut out = String::from("tpwallet-travel-rule/1\n");
	let mut line = |key: &str, value: &str| {
		out.push_str(key);
		out.push('=');
		for c in value.chars() {
			match c {
				'\\' => out.push_str("\\\\"),
				'\n' => out.push_str("\\n"),
				'=' => out.push_str("\\="),
				c => out.push(c),
			}
		}
		out.push('\n');
	};
	line("msg_id", &i.msg_id);
	line("end_to_end_id", &i.end_to_end_id);
	line("uetr", i.uetr.as_deref().unwrap_or(""));
	line("amount", &i.amount.to_string());
	let sides = [
		("originator", &i.debtor, &i.debtor_account, &i.debtor_agent),
		("beneficiary", &i.creditor, &i.creditor_account, &i.creditor_agent),
	];
	for (side, party, account, agent) in sides {
		let Party { name, country, address, ids } = party;
		line(&format!("{side}.name"), name.as_deref().unwrap_or(""));
		line(&format!("{side}.country"), country.as_deref().unwrap_or(""));
		let account =
			account.as_ref().map(|a| directory_key(a, agent.as_deref())).unwrap_or_default();
		line(&format!("{side}.account"), &account);
		line(&format!("{side}.agent"), agent.as_deref().unwrap_or(""));
		for (path, value) in address {
			line(&format!("{side}.address.{path}"), value);
		}
		for (path, value) in ids {
			line(&format!("{side}.id.{path}"), value);
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::model::Amount;
	use std::collections::HashMap;

	struct Table(HashMap<&'static str, Token>);
	impl Currencies for Table {
		fn token(&self, currency: &str) -> Option<Token> {
			self.0.get(currency).copied()
		}
	}
	struct Dir(HashMap<String, String>);
	impl Directory for Dir {
		fn account(&self, key: &str) -> Option<String> {
			self.0.get(key).cloned()
		}
	}

	fn instruction() -> Instruction {
		Instruction {
			msg_id: "M1".into(),
			batch: None,
			instr_id: None,
			end_to_end_id: "E1".into(),
			tx_id: None,
			uetr: Some("8A562C67-CA16-48BA-B074-65581BE6F001".into()),
			amount: Amount::parse("12.50", "EUR").unwrap(),
			debtor: Party {
				name: Some("Alice = A".into()),
				country: Some("DE".into()),
				..Party::default()
			},
			debtor_account: Some(AccountRef::Iban("de89 3704 0044 0532 0130 00".into())),
			debtor_agent: Some("COBADEFFXXX".into()),
			creditor: Party {
				name: Some("Bob".into()),
				address: vec![("TwnNm".into(), "Paris\nCedex".into())],
				..Party::default()
			},
			creditor_account: Some(AccountRef::Other {
				id: "BOB-1".into(),
				scheme: Some(Code::Proprietary("TPWALLET".into())),
				issuer: None,
			}),
			creditor_agent: Some("BNPAFRPP".into()),
			remittance: vec![],
		}
	}

	fn world() -> (Dir, Table) {
		let dir = Dir(HashMap::from([
			("iban:DE89370400440532013000".to_string(), "ALICE".to_string()),
			("acct:BNPAFRPP:TPWALLET:BOB-1".to_string(), "BOB".to_string()),
		]));
		(dir, Table(HashMap::from([("EUR", Token { asset: 7, decimals: 6 })])))
	}

	#[test]
	fn a_transfer_is_routed_to_chain_accounts_and_token_units() {
		let (dir, table) = world();
		let t = route(&instruction(), &dir, &table).unwrap();
		assert_eq!(
			(t.from.as_str(), t.to.as_str(), t.asset, t.units),
			("ALICE", "BOB", 7, 12_500_000)
		);
		let expected: [u8; 32] = Sha256::digest(travel_rule_record(&instruction())).into();
		assert_eq!(t.travel_rule, expected);
	}

	#[test]
	fn each_refusal_has_its_reason_code() {
		let (dir, table) = world();
		let mut usd = instruction();
		usd.amount = Amount::parse("1", "USD").unwrap();
		assert_eq!(route(&usd, &dir, &table).unwrap_err().code, "CURR");
		let mut fine = instruction();
		fine.amount = Amount::parse("0.0000001", "EUR").unwrap();
		assert_eq!(route(&fine, &dir, &table).unwrap_err().code, "CH20");
		let mut stranger = instruction();
		stranger.debtor_account = Some(AccountRef::Iban("DE02100100100006820101".into()));
		assert_eq!(route(&stranger, &dir, &table).unwrap_err().code, "AC01");
		let mut nobody = instruction();
		nobody.creditor_account = None;
		assert_eq!(route(&nobody, &dir, &table).unwrap_err().code, "AC03");
		let mut elsewhere = instruction();
		elsewhere.creditor_agent = Some("DEUTDEFF".into());
		assert_eq!(route(&elsewhere, &dir, &table).unwrap_err().code, "AC03");
	}

	#[test]
	fn the_travel_rule_record_commits_to_every_party_field_unambiguously() {
		let record = travel_rule_record(&instruction());
		assert!(record.starts_with("tpwallet-travel-rule/1\nmsg_id=M1\n"), "{record}");
		assert!(record.contains("originator.name=Alice \\= A\n"), "{record}");
		assert!(record.contains("beneficiary.address.TwnNm=Paris\\nCedex\n"), "{record}");
		assert!(record.contains("originator.account=iban:DE89370400440532013000\n"));
		let mut moved = instruction();
		moved.creditor.address[0].1 = "Lyon".into();
		assert_ne!(travel_rule_record(&moved), record);
	}

	#[test]
	fn duplicates_are_known_by_end_to_end_id_and_by_uetr() {
		let keys = idempotency_keys(&instruction());
		assert_eq!(keys, ["e2e:M1:E1", "uetr:8a562c67-ca16-48ba-b074-65581be6f001"]);
	}
}
