//! The chain's refusals as ISO status reason codes: the compliance pre-check's rule or the
//! dispatch error's name (`Compliance.Sanctioned`, `Assets.BalanceLow`, …) to the closest code
//! of `ExternalStatusReason1Code`. The table is documented in `docs/iso20022.md`; a refusal with
//! no closer code is `NARR`, with the chain's name in the additional information.

use crate::reject::Rejection;

/// `(error name, ISO code, what the bank is told)`, by the error's name without its pallet.
const TABLE: &[(&str, &str, &str)] = &[
	// Sanctions and regulatory screening.
	("Sanctioned", "RR04", "a party is on the sanctions list"),
	("NotSanctionsScreened", "RR04", "a party has not been screened for sanctions"),
	("RiskScoreTooHigh", "RR04", "a party's risk score is too high"),
	// Identity (KYC) of either party.
	("ClaimMissing", "RR04", "a party has no valid KYC claim"),
	("KycTierTooLow", "RR04", "a party's KYC tier is too low"),
	("NotAccredited", "AG01", "the token admits accredited investors only"),
	// Jurisdiction.
	("JurisdictionNotAllowed", "AG01", "a party's jurisdiction is not allowed for this token"),
	("JurisdictionBlocked", "AG01", "a party's jurisdiction is blocked for this token"),
	// Limits.
	("TransferLimitExceeded", "AM02", "the amount is above the token's per-transfer limit"),
	("VelocityLimitExceeded", "AM14", "the debtor's rolling amount or count limit is reached"),
	("MaxBalanceExceeded", "AM02", "the creditor would hold more than the token allows"),
	("MaxHoldersReached", "AG01", "the token has its maximum number of holders"),
	// Travel rule.
	("TravelRuleDataMissing", "RR05", "the travel-rule digest is missing"),
	// Funds.
	("BalanceLow", "AM04", "insufficient funds"),
	("FundsUnavailable", "AM04", "insufficient funds"),
	("InsufficientBalance", "AM04", "insufficient funds"),
	("InsufficientTransferable", "AM04", "the units are locked up or frozen"),
	("NoAccount", "AM04", "the debtor holds none of this token"),
	// Blocked accounts and tokens.
	("Frozen", "AC06", "the account or token is frozen"),
	("AccountFrozen", "AC06", "the account is frozen"),
	("AssetNotLive", "AC06", "the token is not live"),
	("TokenPaused", "AC06", "the token is paused"),
	("UnknownToken", "CURR", "the currency's token is not on the chain"),
	("SelfTransfer", "AM09", "the debtor and the creditor are the same account"),
	// Authority: the gateway is not the debtor's proxy.
	("NotProxy", "AG01", "the institution may not pay from the debtor's account"),
	("Unproxyable", "AG01", "the institution may not pay from the debtor's account"),
	("BadOrigin", "AG01", "the institution may not pay from the debtor's account"),
	// Amounts the token cannot take.
	("BelowMinimum", "AM12", "the amount leaves an account below the token's minimum"),
	("Overflow", "AM12", "the amount overflows the token's balances"),
];

/// The ISO reason for a chain refusal named `name`: `Pallet.Error`, `Pallet::Error`,
/// `Token(FundsUnavailable)` (a dispatch error as the client names it), or the error alone.
pub fn chain_refusal(name: &str) -> Rejection {
	let name = name.trim();
	let error = name
		.trim_end_matches(')')
		.rsplit(|c: char| !c.is_ascii_alphanumeric())
		.next()
		.unwrap_or(name);
	match TABLE.iter().find(|(chain, _, _)| *chain == error) {
		Some((_, code, words)) => Rejection::new(code, format!("{words} ({name})")),
		None => Rejection::new("NARR", format!("refused on chain: {name}")),
	}
}

/// The table, for the documentation and its test.
pub fn table() -> &'static [(&'static str, &'static str, &'static str)] {
	TABLE
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn compliance_and_funds_refusals_have_their_codes_and_the_rest_is_narrative() {
		assert_eq!(chain_refusal("Compliance.Sanctioned").code, "RR04");
		assert_eq!(chain_refusal("ClaimMissing").code, "RR04");
		assert_eq!(chain_refusal("Compliance.JurisdictionBlocked").code, "AG01");
		assert_eq!(chain_refusal("Compliance.VelocityLimitExceeded").code, "AM14");
		assert_eq!(chain_refusal("Assets.BalanceLow").code, "AM04");
		assert_eq!(chain_refusal("Proxy.NotProxy").code, "AG01");
		assert_eq!(chain_refusal("Assets::BalanceLow").code, "AM04");
		assert_eq!(chain_refusal("Token(FundsUnavailable)").code, "AM04");
		assert_eq!(chain_refusal("BadOrigin").code, "AG01");
		let other = chain_refusal("Tokenization.SomethingNew");
		assert_eq!(other.code, "NARR");
		assert!(other.detail.contains("Tokenization.SomethingNew"));
		assert!(chain_refusal("Compliance.Sanctioned").detail.contains("(Compliance.Sanctioned)"));
	}

	#[test]
	fn the_documented_table_is_the_table() {
		let doc = include_str!("../../docs/iso20022.md");
		let documented: Vec<(&str, &str)> = doc
			.lines()
			.skip_while(|l| !l.starts_with("| Chain refusal"))
			.skip(2)
			.take_while(|l| l.starts_with('|'))
			.filter_map(|l| {
				let cells: Vec<&str> = l.split('|').map(str::trim).collect();
				Some((*cells.get(1)?, *cells.get(2)?))
			})
			.collect();
		let code: Vec<(&str, &str)> = TABLE.iter().map(|(name, code, _)| (*name, *code)).collect();
		assert_eq!(documented, code, "docs/iso20022.md's table and reasons.rs differ");
	}

	#[test]
	fn every_code_in_the_table_is_an_iso_status_reason() {
		let codes = include_str!("../xsd/ExternalStatusReason1Code.md");
		for (_, code, _) in TABLE {
			assert!(codes.contains(&format!("| {code} |")), "{code}");
		}
		assert!(codes.contains("| NARR |"));
	}
}
