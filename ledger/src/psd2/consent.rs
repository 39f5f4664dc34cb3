//! What a consent may grant, checked before anything is stored: accounts named by IBAN (checked
//! with its ISO 13616 check digits) and currency, at most [`MAX_ACCOUNTS`] of them; which of
//! them the TPP may read balances and transactions of; until when (at most [`MAX_DAYS`] days,
//! as the PSD2 technical standards allow); and how often a day without the holder present.

use serde::{Deserialize, Serialize};
use tpwallet_gateway::Timestamp;

/// The most accounts one consent names.
pub const MAX_ACCOUNTS: usize = 10;
/// The longest a consent lasts.
pub const MAX_DAYS: u64 = 180;
/// The most accesses a day without the holder present (the PSD2 technical standards' four).
pub const MAX_PER_DAY: u32 = 4;
const MS_PER_DAY: u64 = 86_400_000;

/// An account as a TPP names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountReference {
	/// The account's IBAN (spaces allowed).
	pub iban: String,
	/// ISO 4217: the token of this currency the account holds (required here: one account
	/// holds one token).
	#[serde(default)]
	pub currency: Option<String>,
}

/// The access asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Access {
	/// Accounts whose details the TPP may read.
	#[serde(default)]
	pub accounts: Vec<AccountReference>,
	/// Accounts whose balances it may read (the account's details too).
	#[serde(default)]
	pub balances: Vec<AccountReference>,
	/// Accounts whose transactions it may read (the account's details too).
	#[serde(default)]
	pub transactions: Vec<AccountReference>,
}

/// `POST /psd2/v1/consents`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequest {
	pub access: Access,
	/// Whether the TPP may read again and again (`true`), or once (`false`).
	pub recurring_indicator: bool,
	/// The last day the consent may be used, `YYYY-MM-DD`.
	pub valid_until: String,
	/// Accesses a day without the holder present (1 to 4; 1 when not recurring).
	pub frequency_per_day: u32,
	/// Whether it is combined with a payment initiation (not offered: `false`).
	#[serde(default)]
	pub combined_service_indicator: bool,
}

/// One account of a consent, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
	/// Upper case, no spaces.
	pub iban: String,
	pub currency: String,
	pub balances: bool,
	pub transactions: bool,
}

impl Grant {
	/// The account's id in the API's paths: stable for the IBAN and currency, and telling
	/// nothing of either.
	pub fn resource_id(&self) -> String {
		use sha2::{Digest, Sha256};
		let digest = Sha256::digest(format!("psd2-account:{}:{}", self.iban, self.currency));
		hex::encode(&digest[..12])
	}
}

/// A consent request, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
	pub grants: Vec<Grant>,
	pub valid_until: Timestamp,
}

/// Why a consent request is refused: the framework's code and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
	pub code: &'static str,
	pub text: String,
}

fn refuse(code: &'static str, text: impl Into<String>) -> Refusal {
	Refusal { code, text: text.into() }
}

/// An IBAN without spaces, upper case, if it is one: country letters, check digits, at most 30
/// letters and digits, and the ISO 7064 mod 97 check.
pub fn iban(text: &str) -> Option<String> {
	let iban: String = text.chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
	let bytes = iban.as_bytes();
	let shaped = (15..=34).contains(&bytes.len())
		&& bytes[..2].iter().all(u8::is_ascii_uppercase)
		&& bytes[2..4].iter().all(u8::is_ascii_digit)
		&& bytes.iter().all(u8::is_ascii_alphanumeric);
	if !shaped {
		return None;
	}
	let mut rest = 0u32;
	for b in bytes[4..].iter().chain(&bytes[..4]) {
		let value = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') + 10 };
		rest = if value < 10 { (rest * 10 + value) % 97 } else { (rest * 100 + value) % 97 };
	}
	(rest == 1).then_some(iban)
}

/// `YYYY-MM-DD` as the day's first millisecond.
pub fn day(text: &str) -> Option<Timestamp> {
	crate::iso::api::parse_day(text)
}

/// Checks `request` made `today`.
pub fn check(request: &ConsentRequest, today: Timestamp) -> Result<Checked, Refusal> {
	let access = &request.access;
	let mut grants: Vec<Grant> = Vec::new();
	let named = access.accounts.iter().map(|a| (a, false, false));
	let named = named
		.chain(access.balances.iter().map(|a| (a, true, false)))
		.chain(access.transactions.iter().map(|a| (a, false, true)));
	for (reference, balances, transactions) in named {
		let iban = iban(&reference.iban).ok_or_else(|| {
			refuse("FORMAT_ERROR", format!("`{}` is not a valid IBAN", reference.iban))
		})?;
		let currency = reference.currency.clone().ok_or_else(|| {
			refuse(
				"FORMAT_ERROR",
				format!("name the currency of {iban}: one account holds one token"),
			)
		})?;
		if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
			return Err(refuse("FORMAT_ERROR", format!("`{currency}` is not an ISO 4217 code")));
		}
		match grants.iter_mut().find(|g| g.iban == iban && g.currency == currency) {
			Some(grant) => {
				grant.balances |= balances;
				grant.transactions |= transactions;
			}
			None => grants.push(Grant { iban, currency, balances, transactions }),
		}
		if grants.len() > MAX_ACCOUNTS {
			return Err(refuse(
				"FORMAT_ERROR",
				format!("at most {MAX_ACCOUNTS} accounts a consent"),
			));
		}
	}
	if grants.is_empty() {
		return Err(refuse("FORMAT_ERROR", "the access names no account"));
	}
	if request.combined_service_indicator {
		return Err(refuse("SERVICE_INVALID", "combined consents are not offered"));
	}
	let valid_until = day(&request.valid_until).ok_or_else(|| {
		refuse("FORMAT_ERROR", format!("validUntil `{}`: expected YYYY-MM-DD", request.valid_until))
	})?;
	let today = today.start_of_day();
	let last = Timestamp(today.0 + MAX_DAYS * MS_PER_DAY);
	if valid_until < today || valid_until > last {
		return Err(refuse(
			"PERIOD_INVALID",
			format!("validUntil must be from today to {} ({MAX_DAYS} days)", last.date()),
		));
	}
	let frequencies = if request.recurring_indicator { 1..=MAX_PER_DAY } else { 1..=1 };
	if !frequencies.contains(&request.frequency_per_day) {
		return Err(refuse(
			"FORMAT_ERROR",
			format!(
				"frequencyPerDay {}: {} to {} for a {} consent",
				request.frequency_per_day,
				frequencies.start(),
				frequencies.end(),
				if request.recurring_indicator { "recurring" } else { "one-off" }
			),
		));
	}
	Ok(Checked { grants, valid_until })
}

/// What a consent allows: reading the account's details, its balances or its transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
	Account,
	Balances,
	Transactions,
}

/// The grant among `grants` for `resource_id` that allows `service`.
pub fn allowed<'a>(grants: &'a [Grant], resource_id: &str, service: Service) -> Option<&'a Grant> {
	let grant = grants.iter().find(|g| g.resource_id() == resource_id)?;
	let allowed = match service {
		Service::Account => true,
		Service::Balances => grant.balances,
		Service::Transactions => grant.transactions,
	};
	allowed.then_some(grant)
}

#[cfg(test)]
mod tests {
	use super::*;

	const TODAY: Timestamp = Timestamp(1_796_290_212_000); // 2026-12-03T09:30:12Z

	fn account(iban: &str) -> AccountReference {
		AccountReference { iban: iban.into(), currency: Some("EUR".into()) }
	}

	fn request() -> ConsentRequest {
		ConsentRequest {
			access: Access {
				accounts: vec![],
				balances: vec![account("DE89 3704 0044 0532 0130 00")],
				transactions: vec![account("DE89370400440532013000")],
			},
			recurring_indicator: true,
			valid_until: "2027-03-01".into(),
			frequency_per_day: 4,
			combined_service_indicator: false,
		}
	}

	#[test]
	fn ibans_are_checked_by_their_check_digits() {
		assert_eq!(iban("de89 3704 0044 0532 0130 00").as_deref(), Some("DE89370400440532013000"));
		assert!(iban("FR1420041010050500013M02606").is_some());
		assert!(iban("NL91ABNA0417164300").is_some());
		for bad in ["DE88370400440532013000", "DE8937040044053201300", "", "XX", "DE89-3704"] {
			assert_eq!(iban(bad), None, "{bad}");
		}
		assert_eq!(iban(&format!("DE89{}", "0".repeat(40))), None);
	}

	#[test]
	fn a_consent_merges_what_it_grants_per_account() {
		let checked = check(&request(), TODAY).unwrap();
		let [grant] = &checked.grants[..] else { panic!("one account") };
		assert_eq!(
			(grant.iban.as_str(), grant.balances, grant.transactions),
			("DE89370400440532013000", true, true)
		);
		assert_eq!(checked.valid_until.date(), "2027-03-01");
		let id = grant.resource_id();
		assert_eq!(id.len(), 24);
		assert!(allowed(&checked.grants, &id, Service::Transactions).is_some());
		assert!(allowed(&checked.grants, "00", Service::Account).is_none());
		let mut only_details = request();
		only_details.access =
			Access { accounts: vec![account("DE89370400440532013000")], ..Access::default() };
		let checked = check(&only_details, TODAY).unwrap();
		assert!(allowed(&checked.grants, &id, Service::Account).is_some());
		assert!(allowed(&checked.grants, &id, Service::Balances).is_none());
		assert!(allowed(&checked.grants, &id, Service::Transactions).is_none());
	}

	#[test]
	fn requests_beyond_the_rules_are_refused_with_the_frameworks_codes() {
		let refused = |change: fn(&mut ConsentRequest)| {
			let mut r = request();
			change(&mut r);
			check(&r, TODAY).unwrap_err().code
		};
		assert_eq!(refused(|r| r.access = Access::default()), "FORMAT_ERROR");
		assert_eq!(
			refused(|r| r.access.balances[0].iban = "DE00370400440532013000".into()),
			"FORMAT_ERROR"
		);
		assert_eq!(refused(|r| r.access.balances[0].currency = None), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.access.balances[0].currency = Some("eur".into())), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.valid_until = "2026-12-02".into()), "PERIOD_INVALID");
		assert_eq!(refused(|r| r.valid_until = "2027-06-02".into()), "PERIOD_INVALID");
		assert_eq!(refused(|r| r.valid_until = "2027-02-30".into()), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.frequency_per_day = 5), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.frequency_per_day = 0), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.recurring_indicator = false), "FORMAT_ERROR");
		assert_eq!(refused(|r| r.combined_service_indicator = true), "SERVICE_INVALID");
		assert_eq!(
			refused(|r| {
				r.access.accounts = (0..11u8)
					.map(|i| AccountReference {
						iban: "NL91ABNA0417164300".into(),
						currency: Some(format!("E{}A", char::from(b'A' + i))),
					})
					.collect()
			}),
			"FORMAT_ERROR"
		);
		// Today and 180 days on are both allowed; a one-off consent reads once a day.
		let mut edge = request();
		edge.valid_until = "2026-12-03".into();
		assert!(check(&edge, TODAY).is_ok());
		edge.valid_until = "2027-06-01".into();
		assert!(check(&edge, TODAY).is_ok());
		edge.recurring_indicator = false;
		edge.frequency_per_day = 1;
		assert!(check(&edge, TODAY).is_ok());
	}
}
