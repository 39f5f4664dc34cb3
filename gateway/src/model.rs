//! What a payment message asks for, whatever its version: one [`Instruction`] per credit
//! transfer, with the references that make it idempotent (`MsgId`, `EndToEndId`, `UETR`), the
//! amount exactly as written, and the parties' data as the message gives it.

use crate::{message::MessageId, reject::Rejection};

/// An amount as the message writes it: `value` × 10^-`scale` of `currency`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
	pub value: u128,
	pub scale: u8,
	/// ISO 4217 code (`EUR`), as the `Ccy` attribute says.
	pub currency: String,
}

impl Amount {
	/// `text` (`123.45`; the schema allows at most 5 fraction digits) in `currency`.
	pub fn parse(text: &str, currency: &str) -> Result<Self, Rejection> {
		let invalid = || Rejection::new("AM12", format!("amount `{text}` {currency}"));
		// `xs:decimal`'s forms: `+1`, `1.`, `.5` too.
		let trimmed = text.trim();
		let unsigned = trimmed.strip_prefix('+').unwrap_or(trimmed);
		let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
		let all_digits = whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit());
		if whole.len() + fraction.len() == 0 || fraction.len() > 18 || !all_digits {
			return Err(invalid());
		}
		let digits = format!("{whole}{fraction}");
		let value: u128 = digits.parse().map_err(|_| invalid())?;
		if value == 0 {
			return Err(invalid());
		}
		Ok(Self { value, scale: fraction.len() as u8, currency: currency.to_string() })
	}

	/// In units of a token with `decimals` decimals: exact, or refused (`CH20`) if the amount
	/// has more fraction digits than the token can hold.
	pub fn in_units(&self, decimals: u8) -> Result<u128, Rejection> {
		let (value, scale) = (self.value, u32::from(self.scale));
		let decimals = u32::from(decimals);
		let overflow = || Rejection::new("AM12", format!("{self} does not fit the token"));
		if scale <= decimals {
			let factor = 10u128.checked_pow(decimals - scale).ok_or_else(overflow)?;
			value.checked_mul(factor).ok_or_else(overflow)
		} else {
			let factor = 10u128.checked_pow(scale - decimals).ok_or_else(overflow)?;
			if value % factor != 0 {
				return Err(Rejection::new(
					"CH20",
					format!("{self}: the token has {decimals} decimals"),
				));
			}
			Ok(value / factor)
		}
	}

	/// `units` of a token with `decimals` decimals as an amount of `currency`: exact, with at
	/// least the currency's usual 2 fraction digits (where the token has them) and no more
	/// trailing zeros than that.
	pub fn from_units(units: u128, decimals: u8, currency: &str) -> Self {
		let (mut value, mut scale) = (units, decimals);
		while scale > decimals.min(2) && value % 10 == 0 {
			value /= 10;
			scale -= 1;
		}
		Self { value, scale, currency: currency.to_string() }
	}

	/// The number as written: `1000.00`, `500`, `0.5`.
	pub fn decimal(&self) -> String {
		let digits = format!("{:0>width$}", self.value, width = usize::from(self.scale) + 1);
		let (whole, fraction) = digits.split_at(digits.len() - usize::from(self.scale));
		match fraction {
			"" => whole.to_string(),
			_ => format!("{whole}.{fraction}"),
		}
	}

	/// The number as ISO 20022 amounts may write it (at most 18 digits, 5 of them after the
	/// point), or `None`: a token finer than that cannot be reported without rounding, and a
	/// report does not round.
	pub fn iso_decimal(&self) -> Option<String> {
		let text = self.decimal();
		let digits = text.bytes().filter(u8::is_ascii_digit).count();
		(self.scale <= 5 && digits <= 18).then_some(text)
	}
}

impl std::fmt::Display for Amount {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} {}", self.decimal(), self.currency)
	}
}

/// How a message names an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountRef {
	Iban(String),
	/// Another identification, with its scheme and issuer when given.
	Other {
		id: String,
		scheme: Option<Code>,
		issuer: Option<String>,
	},
	/// A proxy (an alias such as a phone number or e-mail; pain.001 from version 9).
	Proxy {
		kind: Option<Code>,
		id: String,
	},
}

/// A scheme or type as ISO writes it: a code from an external code set (`Cd`), or a
/// proprietary name (`Prtry`). Kept apart so that a report echoes it as the message wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Code {
	Code(String),
	Proprietary(String),
}

impl Code {
	pub fn as_str(&self) -> &str {
		match self {
			Self::Code(text) | Self::Proprietary(text) => text,
		}
	}
}

/// A party (debtor, creditor, ultimate parties) as the message describes it: its name, country,
/// and every field of its postal address and identification, by path, in document order. This is
/// what the travel-rule digest commits to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
	pub name: Option<String>,
	pub country: Option<String>,
	/// `(path, value)`: `StrtNm`, `TwnNm`, `AdrLine`, …
	pub address: Vec<(String, String)>,
	/// `(path, value)`: `OrgId/LEI`, `PrvtId/Othr/Id`, …
	pub ids: Vec<(String, String)>,
}

/// One credit transfer a message asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
	/// The message's `MsgId`.
	pub msg_id: String,
	/// The payment information block's `PmtInfId` (pain.001).
	pub batch: Option<String>,
	pub instr_id: Option<String>,
	pub end_to_end_id: String,
	/// The interbank transaction id (pacs.008).
	pub tx_id: Option<String>,
	/// The unique end-to-end transaction reference, if the message carries one.
	pub uetr: Option<String>,
	pub amount: Amount,
	pub debtor: Party,
	pub debtor_account: Option<AccountRef>,
	/// The debtor's agent's BIC.
	pub debtor_agent: Option<String>,
	pub creditor: Party,
	pub creditor_account: Option<AccountRef>,
	pub creditor_agent: Option<String>,
	/// Unstructured remittance information.
	pub remittance: Vec<String>,
}

/// A payment message, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
	pub id: MessageId,
	pub msg_id: String,
	/// `CreDtTm` as written.
	pub created: String,
	pub instructions: Vec<Instruction>,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chain_units_become_exact_amounts_with_the_usual_two_decimals() {
		let eur = |units, decimals| Amount::from_units(units, decimals, "EUR");
		assert_eq!(eur(1_000_000_000, 6).decimal(), "1000.00");
		assert_eq!(eur(1_251_250_000, 6).decimal(), "1251.25");
		assert_eq!(eur(1_234_567, 6).decimal(), "1.234567");
		assert_eq!(eur(1_234_567, 6).iso_decimal(), None);
		assert_eq!(eur(1_234_560, 6).iso_decimal().as_deref(), Some("1.23456"));
		assert_eq!(eur(7, 0).decimal(), "7");
		assert_eq!(eur(70, 1).decimal(), "7.0");
		assert_eq!(eur(5, 2).decimal(), "0.05");
		assert_eq!(eur(0, 6).decimal(), "0.00");
		assert_eq!(eur(u128::MAX, 6).iso_decimal(), None);
		let a = eur(123_450_000, 6);
		assert_eq!(a.in_units(6), Ok(123_450_000));
	}

	#[test]
	fn amounts_are_read_exactly_and_converted_without_loss() {
		let a = Amount::parse("123.45", "EUR").unwrap();
		assert_eq!((a.value, a.scale), (12345, 2));
		assert_eq!(a.to_string(), "123.45 EUR");
		assert_eq!(a.in_units(6), Ok(123_450_000));
		assert_eq!(a.in_units(2), Ok(12_345));
		assert_eq!(a.in_units(1).unwrap_err().code, "CH20");
		assert_eq!(Amount::parse("100.00", "EUR").unwrap().in_units(0), Ok(100));
		assert_eq!(Amount::parse("0.05", "EUR").unwrap().to_string(), "0.05 EUR");
		assert_eq!(Amount::parse("7", "JPY").unwrap().to_string(), "7 JPY");
		assert_eq!(Amount::parse("+1.", "EUR").unwrap().to_string(), "1 EUR");
		assert_eq!(Amount::parse(".5", "EUR").unwrap().to_string(), "0.5 EUR");
		for bad in ["", "1.2.3", "-5", "1e3", " . ", "0", "0.00", "12a", "+", "."] {
			assert!(Amount::parse(bad, "EUR").is_err(), "{bad}");
		}
		let huge = Amount::parse("999999999999999999", "EUR").unwrap();
		assert_eq!(huge.iso_decimal().as_deref(), Some("999999999999999999"));
		assert_eq!(Amount::parse("1.234567", "EUR").unwrap().iso_decimal(), None);
		assert_eq!(huge.in_units(30).unwrap_err().code, "AM12");
	}
}
