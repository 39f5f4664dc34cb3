//! A single credit transfer that did not arrive as XML (the open-banking API's payment
//! initiation), written as the `pain.001.001.09` a bank's customer would have sent. It then takes
//! the same road as every message: read back under the same limits, checked against the same
//! schema, routed, pre-checked, submitted, and reported with its references.

use crate::{
	elements,
	message::MessageId,
	model::{AccountRef, Amount},
	time::Timestamp,
	write::{clip, Writer},
};

/// What the initiating party asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Initiation {
	/// The message's `MsgId` (at most 35 characters; the caller makes it unique).
	pub msg_id: String,
	pub created: Timestamp,
	/// Who initiates it: the third-party provider's name.
	pub initiator: String,
	/// The servicing institution's BIC (the debtor's agent).
	pub agent: String,
	pub end_to_end_id: String,
	/// A UUID v4 that names the payment across every system it passes (`UETR`).
	pub uetr: String,
	pub amount: Amount,
	pub debtor: Option<String>,
	pub debtor_account: AccountRef,
	pub creditor: String,
	pub creditor_account: AccountRef,
	/// The creditor's agent's BIC, when the initiating party names it.
	pub creditor_agent: Option<String>,
	pub remittance: Option<String>,
	/// The requested execution date.
	pub execution: Timestamp,
}

/// `i` as a `pain.001.001.09` document of one transfer. Text longer than the schema allows is
/// cut, never passed on for the schema to refuse; the caller checks lengths first so that a cut
/// does not go unnoticed.
pub fn pain001(i: &Initiation) -> String {
	let amount = i.amount.decimal();
	let mut w = Writer::document(&MessageId::Pain001V09.namespace(), "CstmrCdtTrfInitn");
	w.open("GrpHdr")
		.leaf("MsgId", clip(&i.msg_id, 35))
		.leaf("CreDtTm", &i.created.datetime())
		.leaf("NbOfTxs", "1")
		.leaf("CtrlSum", &amount)
		.open("InitgPty")
		.leaf("Nm", clip(&i.initiator, 140))
		.close()
		.close();
	w.open("PmtInf")
		.leaf("PmtInfId", clip(&i.msg_id, 35))
		.leaf("PmtMtd", "TRF")
		.leaf("NbOfTxs", "1")
		.leaf("CtrlSum", &amount)
		.open("ReqdExctnDt")
		.leaf("Dt", &i.execution.date())
		.close();
	w.open("Dbtr");
	w.optional("Nm", i.debtor.as_deref().map(|n| clip(n, 140))).close();
	elements::account(&mut w, "DbtrAcct", Some(&i.debtor_account));
	elements::agent(&mut w, "DbtrAgt", &i.agent);
	w.open("CdtTrfTxInf")
		.open("PmtId")
		.leaf("EndToEndId", clip(&i.end_to_end_id, 35))
		.leaf("UETR", &i.uetr)
		.close()
		.open("Amt")
		.amount("InstdAmt", &i.amount.currency, &amount)
		.close();
	if let Some(bic) = &i.creditor_agent {
		elements::agent(&mut w, "CdtrAgt", bic);
	}
	w.open("Cdtr").leaf("Nm", clip(&i.creditor, 140)).close();
	elements::account(&mut w, "CdtrAcct", Some(&i.creditor_account));
	if let Some(text) = i.remittance.as_deref().filter(|t| !t.is_empty()) {
		w.open("RmtInf").leaf("Ustrd", clip(text, 140)).close();
	}
	w.finish()
}
