//! Components the emitted messages share: a party, an account, an agent, a bank transaction
//! code, written the way pacs.002.001.10 and camt.05x.001.08 define them.

use crate::{
	model::{AccountRef, Code, Party},
	write::{clip, Writer},
};

/// `<tag><Pty><Nm>…</Nm></Pty></tag>` (`Party40Choice`), when the party has a name. Only the
/// name is echoed: an echo that is shorter than the original cannot contradict it.
pub fn party(w: &mut Writer, tag: &'static str, party: &Party) {
	if let Some(name) = party.name.as_deref().filter(|n| !n.is_empty()) {
		w.open(tag).open("Pty").leaf("Nm", clip(name, 140)).close().close();
	}
}

/// `<tag><Id>…</Id></tag>` (`CashAccount38`): an IBAN or another identification. A proxy is
/// not written: the account element needs an `Id`, and a proxy has none.
pub fn account(w: &mut Writer, tag: &'static str, account: Option<&AccountRef>) {
	match account {
		Some(AccountRef::Iban(iban)) => {
			w.open(tag).open("Id").leaf("IBAN", iban).close().close();
		}
		Some(AccountRef::Other { id, scheme, issuer }) => {
			w.open(tag).open("Id").open("Othr").leaf("Id", clip(id, 34));
			if let Some(scheme) = scheme {
				w.open("SchmeNm");
				code(w, scheme);
				w.close();
			}
			w.optional("Issr", issuer.as_deref()).close().close().close();
		}
		Some(AccountRef::Proxy { .. }) | None => {}
	}
}

/// `<Cd>` or `<Prtry>`, as the original wrote it.
pub fn code(w: &mut Writer, code: &Code) {
	match code {
		Code::Code(text) => w.leaf("Cd", text),
		Code::Proprietary(text) => w.leaf("Prtry", clip(text, 35)),
	};
}

/// `<tag><FinInstnId><BICFI>…</BICFI></FinInstnId></tag>`.
pub fn agent(w: &mut Writer, tag: &'static str, bic: &str) {
	w.open(tag).open("FinInstnId").leaf("BICFI", bic).close().close();
}

/// A bank transaction code, `Domn/Cd` + `Fmly/Cd` + `SubFmlyCd` (ISO's external code list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BankTransactionCode {
	pub domain: &'static str,
	pub family: &'static str,
	pub sub_family: &'static str,
}

impl BankTransactionCode {
	/// Payments / received credit transfers / domestic credit transfer: a transfer in.
	pub const RECEIVED_CREDIT_TRANSFER: Self =
		Self { domain: "PMNT", family: "RCDT", sub_family: "DMCT" };
	/// Payments / issued credit transfers / domestic credit transfer: a transfer out.
	pub const ISSUED_CREDIT_TRANSFER: Self =
		Self { domain: "PMNT", family: "ICDT", sub_family: "DMCT" };
	/// Payments / miscellaneous credit or debit operations / other: issuance, redemption,
	/// fees and the chain's other moves.
	pub const MISCELLANEOUS_CREDIT: Self =
		Self { domain: "PMNT", family: "MCOP", sub_family: "OTHR" };
	pub const MISCELLANEOUS_DEBIT: Self =
		Self { domain: "PMNT", family: "MDOP", sub_family: "OTHR" };

	pub fn write(&self, w: &mut Writer) {
		w.open("BkTxCd").open("Domn").leaf("Cd", self.domain).open("Fmly");
		w.leaf("Cd", self.family).leaf("SubFmlyCd", self.sub_family).close().close().close();
	}
}
