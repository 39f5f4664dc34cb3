//! The payment status report: what became of each credit transfer of a message. Accepted for
//! execution (`ACSP`) once submitted, settled (`ACSC`) once its block is final, or rejected
//! (`RJCT`) with its ISO reason code, before or after submission; a message refused as a whole
//! gets a group status instead. A customer's initiation (`pain.001`) is answered with the
//! customer payment status report (`pain.002.001.10`, its transfers under their payment
//! information blocks), an interbank transfer (`pacs.008`) with `pacs.002.001.10`.

use crate::{
	elements,
	message::MessageId,
	model::{Instruction, Message},
	reject::Rejection,
	time::Timestamp,
	write::{clip, Writer},
};

/// Where a settled transfer is on the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainRef {
	pub block: u32,
	/// The extrinsic's index in its block.
	pub index: u32,
	/// The extrinsic's hash, `0x` + 64 hex digits.
	pub hash: String,
	/// The block's timestamp.
	pub at: Timestamp,
}

impl ChainRef {
	/// The account servicer's reference: `<block>-<index>` (a hash does not fit 35 characters).
	pub fn servicer_ref(&self) -> String {
		format!("{}-{}", self.block, self.index)
	}
}

/// What became of one transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxStatus {
	/// Checked and submitted; not final yet (`ACSP`).
	Accepted,
	/// In a finalized block (`ACSC`).
	Settled(ChainRef),
	/// In a finalized block, held there for a compliance review (`PDNG`).
	Pending(ChainRef),
	/// Refused (`RJCT`), with the reason.
	Rejected(Rejection),
}

impl TxStatus {
	pub fn code(&self) -> &'static str {
		match self {
			Self::Accepted => "ACSP",
			Self::Settled(_) => "ACSC",
			Self::Pending(_) => "PDNG",
			Self::Rejected(_) => "RJCT",
		}
	}
}

/// One transfer's line in a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxReport<'a> {
	pub instruction: &'a Instruction,
	pub status: TxStatus,
	/// When the gateway accepted the transfer, if it did.
	pub accepted_at: Option<Timestamp>,
}

/// The report's own identity and sender.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
	/// The report's `MsgId` (at most 35 characters; longer is cut).
	pub msg_id: String,
	pub created: Timestamp,
	/// The chain operator's BIC, the report's sender and the refusals' originator.
	pub agent: String,
}

/// The status report that answers a message of kind `original`: `pain.002.001.10` for a
/// customer's initiation, `pacs.002.001.10` for an interbank transfer.
pub fn report_kind(original: MessageId) -> MessageId {
	match original {
		MessageId::Pain001V03 | MessageId::Pain001V09 => MessageId::Pain002V10,
		_ => MessageId::Pacs002V10,
	}
}

/// A status report per transfer of `message`.
pub fn transaction_report(header: &Header, message: &Message, txs: &[TxReport]) -> String {
	let kind = report_kind(message.id);
	let mut w = start(header, kind);
	original_group(&mut w, &message.msg_id, message.id, Some(&message.created), None);
	w.close();
	if kind == MessageId::Pacs002V10 {
		for tx in txs {
			transaction(&mut w, header, message.id, tx);
		}
		return w.finish();
	}
	// pain.002: the transfers under their payment information blocks, in the message's order.
	let mut index = 0;
	while let Some(first) = txs.get(index) {
		let batch = first.instruction.batch.as_deref();
		w.open("OrgnlPmtInfAndSts").leaf("OrgnlPmtInfId", clip(batch.unwrap_or("NOTPROVIDED"), 35));
		while let Some(tx) = txs.get(index).filter(|tx| tx.instruction.batch.as_deref() == batch) {
			transaction(&mut w, header, message.id, tx);
			index += 1;
		}
		w.close();
	}
	w.finish()
}

/// A status report refusing a whole message (`GrpSts` `RJCT`): known by its `MsgId` and kind,
/// even when its transfers could not be read.
pub fn group_rejection(
	header: &Header,
	msg_id: &str,
	kind: MessageId,
	created: Option<&str>,
	reason: &Rejection,
) -> String {
	let mut w = start(header, report_kind(kind));
	original_group(&mut w, msg_id, kind, created, Some(reason));
	w.close();
	w.finish()
}

fn start(header: &Header, kind: MessageId) -> Writer {
	let (root, sender) = match kind {
		MessageId::Pain002V10 => ("CstmrPmtStsRpt", "DbtrAgt"),
		_ => ("FIToFIPmtStsRpt", "InstgAgt"),
	};
	let mut w = Writer::document(&kind.namespace(), root);
	w.open("GrpHdr").leaf("MsgId", clip(&header.msg_id, 35));
	w.leaf("CreDtTm", &header.created.datetime());
	elements::agent(&mut w, sender, &header.agent);
	w.close();
	w
}

/// `OrgnlGrpInfAndSts`, left open.
fn original_group(
	w: &mut Writer,
	msg_id: &str,
	kind: MessageId,
	created: Option<&str>,
	rejected: Option<&Rejection>,
) {
	w.open("OrgnlGrpInfAndSts").leaf("OrgnlMsgId", clip(msg_id, 35));
	w.leaf("OrgnlMsgNmId", kind.name()).optional("OrgnlCreDtTm", created);
	if let Some(reason) = rejected {
		w.leaf("GrpSts", "RJCT");
		reason_information(w, None, Some(reason), &[]);
	}
}

fn transaction(w: &mut Writer, header: &Header, kind: MessageId, tx: &TxReport) {
	let i = tx.instruction;
	let interbank = kind == MessageId::Pacs008V08;
	w.open("TxInfAndSts");
	w.optional("OrgnlInstrId", i.instr_id.as_deref().map(|t| clip(t, 35)));
	w.leaf("OrgnlEndToEndId", clip(&i.end_to_end_id, 35));
	if interbank {
		w.optional("OrgnlTxId", i.tx_id.as_deref().map(|t| clip(t, 35)));
	}
	w.optional("OrgnlUETR", i.uetr.as_deref().map(str::to_ascii_lowercase).as_deref());
	w.leaf("TxSts", tx.status.code());
	match &tx.status {
		TxStatus::Accepted => {}
		TxStatus::Settled(chain) | TxStatus::Pending(chain) => {
			let mut lines = vec![
				format!("chain block {} extrinsic {}", chain.block, chain.index),
				format!("extrinsic hash {}", clip(&chain.hash, 90)),
			];
			if matches!(tx.status, TxStatus::Pending(_)) {
				lines.push("held on chain for a compliance review".into());
			}
			reason_information(w, None, None, &lines);
		}
		TxStatus::Rejected(reason) => reason_information(w, Some(&header.agent), Some(reason), &[]),
	}
	w.optional("AccptncDtTm", tx.accepted_at.map(Timestamp::datetime).as_deref());
	if let TxStatus::Settled(chain) = &tx.status {
		// A customer's report has no interbank settlement date: the reason lines carry the block.
		if interbank {
			w.open("FctvIntrBkSttlmDt").leaf("DtTm", &chain.at.datetime()).close();
		}
		w.leaf("AcctSvcrRef", &chain.servicer_ref());
	}
	original_transaction(w, kind, i);
	w.close();
}

/// `StsRsnInf`: who refused, the reason's code, and lines of explanation (`Max105Text` each).
fn reason_information(
	w: &mut Writer,
	originator: Option<&str>,
	reason: Option<&Rejection>,
	lines: &[String],
) {
	w.open("StsRsnInf");
	if let Some(bic) = originator {
		w.open("Orgtr").open("Id").open("OrgId").leaf("AnyBIC", bic).close().close().close();
	}
	if let Some(reason) = reason {
		w.open("Rsn").leaf("Cd", &reason.code).close();
		for line in split_lines(&reason.detail, 105, 5) {
			w.leaf("AddtlInf", line);
		}
	}
	for line in lines {
		w.leaf("AddtlInf", clip(line, 105));
	}
	w.close();
}

/// `OrgnlTxRef`: the transfer as the original wrote it (amount, remittance, parties, accounts).
fn original_transaction(w: &mut Writer, kind: MessageId, i: &Instruction) {
	w.open("OrgnlTxRef");
	let amount = i.amount.decimal();
	if kind == MessageId::Pacs008V08 {
		w.amount("IntrBkSttlmAmt", &i.amount.currency, &amount);
	} else {
		w.open("Amt").amount("InstdAmt", &i.amount.currency, &amount).close();
	}
	if !i.remittance.is_empty() {
		w.open("RmtInf");
		for line in &i.remittance {
			w.leaf("Ustrd", clip(line, 140));
		}
		w.close();
	}
	elements::party(w, "Dbtr", &i.debtor);
	elements::account(w, "DbtrAcct", i.debtor_account.as_ref());
	elements::party(w, "Cdtr", &i.creditor);
	elements::account(w, "CdtrAcct", i.creditor_account.as_ref());
	w.close();
}

/// `text` in lines of at most `width` characters, at most `max` of them.
fn split_lines(text: &str, width: usize, max: usize) -> Vec<&str> {
	let mut lines = Vec::new();
	let mut rest = text.trim();
	while !rest.is_empty() && lines.len() < max {
		let line = clip(rest, width);
		lines.push(line);
		rest = rest[line.len()..].trim_start();
	}
	lines
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn long_reasons_are_split_into_lines_the_schema_allows() {
		let text = "x".repeat(250);
		let lines = split_lines(&text, 105, 5);
		assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [105, 105, 40]);
		assert_eq!(split_lines(&"y".repeat(2000), 105, 5).len(), 5);
		assert!(split_lines("  ", 105, 5).is_empty());
	}
}
