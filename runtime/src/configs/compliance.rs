//! Compliance: KYC claims, rule sets, the risk engine and the review queue that every movement
//! of a regulated token passes (the tokenization pallet calls it).

use crate::*;
use alloc::vec::Vec;
use frame_support::{parameter_types, traits::ConstU32};
use pallet_tokenization::{ComplianceVerdict, TransferCheck};
use sp_runtime::DispatchError;

parameter_types! {
	/// A held transfer returns to the sender if no officer decides within a week.
	pub const ReviewTimeout: BlockNumber = 7 * DAYS;
}

impl pallet_compliance::Config for Runtime {
	type Holder = AssetsHolder;
	type HolderCount = pallet_tokenization::StockLedgers<Runtime>;
	type Tokens = Tokenization;
	type ComplianceOrigin = super::governance::ComplianceGovernanceOrigin;
	type SanctionsOrigin = super::governance::SanctionsOrigin;
	type MaxJurisdictions = ConstU32<32>;
	type MaxAttributeLen = ConstU32<64>;
	// Up to 2^16 attributes per commitment.
	type MaxProofDepth = ConstU32<16>;
	type ReviewTimeout = ReviewTimeout;
	type MaxCasesPerBlock = ConstU32<16>;
	type WeightInfo = weights::pallet_compliance::WeightInfo<Runtime>;
}

/// A transfer pre-check as wallets read it: the rule's name, not its index.
pub fn transfer_check(result: Result<ComplianceVerdict, DispatchError>) -> TransferCheck {
	match result {
		Ok(ComplianceVerdict::Allow) => TransferCheck::Allowed,
		Ok(ComplianceVerdict::Hold { rule }) => TransferCheck::Held {
			rule: pallet_compliance::HoldRule::from_code(rule)
				.map(|r| r.name())
				.unwrap_or("Review")
				.as_bytes()
				.to_vec(),
		},
		Err(error) => TransferCheck::Rejected { rule: error_name(error) },
	}
}

/// The name of a dispatch error: the pallet error's variant (`JurisdictionBlocked`), else the
/// kind of error (`Token`, `Arithmetic`, ...).
fn error_name(error: DispatchError) -> Vec<u8> {
	let name: &'static str = match error {
		DispatchError::Module(module) => module.message.unwrap_or("Module"),
		other => other.into(),
	};
	name.as_bytes().to_vec()
}
