//! Account reports from the books: the debit/credit notification (`camt.054.001.08`, one per
//! finalized move), the intraday report (`camt.052.001.08`) and the end-of-day statement
//! (`camt.053.001.08`), with balances and totals computed here, in the token's units, exactly.
//! An amount ISO cannot write (more than 5 decimals, or 18 digits) refuses the report: a report
//! does not round.

use crate::{
	elements::{self, BankTransactionCode},
	message::MessageId,
	model::{AccountRef, Amount, Party},
	status::ChainRef,
	time::Timestamp,
	write::{clip, Writer},
};
use std::collections::BTreeMap;

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// `camt.054`: moves, as they are final.
	Notification,
	/// `camt.052`: balance and moves so far today.
	Intraday,
	/// `camt.053`: the day's opening and closing balances and every move between.
	Statement,
}

impl Kind {
	pub fn message(self) -> MessageId {
		match self {
			Self::Notification => MessageId::Camt054V08,
			Self::Intraday => MessageId::Camt052V08,
			Self::Statement => MessageId::Camt053V08,
		}
	}

	/// The message's element and its report's element.
	fn elements(self) -> (&'static str, &'static str) {
		match self {
			Self::Notification => ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
			Self::Intraday => ("BkToCstmrAcctRpt", "Rpt"),
			Self::Statement => ("BkToCstmrStmt", "Stmt"),
		}
	}
}

/// The account reported on: as the institution names it, in a token's currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
	pub id: AccountRef,
	pub currency: String,
	/// The token's decimals: every amount of the report is in its units.
	pub decimals: u8,
	pub owner: Option<String>,
	/// The chain operator's BIC, the account's servicer.
	pub servicer: String,
}

/// A balance type of ISO's external code list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BalanceType {
	/// `OPBD`: booked at the start of the period.
	OpeningBooked,
	/// `CLBD`: booked at the end of the period.
	ClosingBooked,
	/// `ITBD`: booked so far.
	InterimBooked,
	/// `ITAV`: available now (booked, less what is locked or held).
	InterimAvailable,
}

impl BalanceType {
	fn code(self) -> &'static str {
		match self {
			Self::OpeningBooked => "OPBD",
			Self::ClosingBooked => "CLBD",
			Self::InterimBooked => "ITBD",
			Self::InterimAvailable => "ITAV",
		}
	}
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Balance {
	pub kind: BalanceType,
	/// In the token's units; below zero is a debit balance.
	pub units: i128,
	pub at: Timestamp,
}

/// The references a move carries: the payment message's, when the gateway made it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct References {
	pub msg_id: Option<String>,
	pub batch: Option<String>,
	pub instr_id: Option<String>,
	pub end_to_end_id: Option<String>,
	pub uetr: Option<String>,
	pub tx_id: Option<String>,
}

/// A finalized move of the account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
	pub units: u128,
	pub credit: bool,
	pub chain: ChainRef,
	pub code: BankTransactionCode,
	pub refs: References,
	pub debtor: Party,
	pub debtor_account: Option<AccountRef>,
	pub creditor: Party,
	pub creditor_account: Option<AccountRef>,
	pub remittance: Vec<String>,
	/// When the gateway accepted the payment, if it made it.
	pub accepted_at: Option<Timestamp>,
	/// What the chain did, for people (`tokenization.transfer_with_travel_rule`, …).
	pub description: Option<String>,
}

/// A report to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
	pub kind: Kind,
	/// The message's `MsgId`.
	pub msg_id: String,
	/// The notification's, report's or statement's `Id`.
	pub id: String,
	/// The statement's electronic sequence number.
	pub sequence: Option<u64>,
	pub created: Timestamp,
	/// From and to (inclusive).
	pub period: Option<(Timestamp, Timestamp)>,
	pub account: Account,
	pub balances: Vec<Balance>,
	pub entries: Vec<Entry>,
}

/// Why a report cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
	/// An amount with more precision or digits than ISO 20022 amounts have.
	Unrepresentable(String),
	/// A statement needs at least one balance (and a message one report).
	NoBalance,
	/// Reports of different kinds in one message.
	MixedKinds,
}

impl std::fmt::Display for ReportError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Unrepresentable(amount) => write!(
				f,
				"{amount} cannot be written in ISO 20022 (at most 5 decimals and 18 digits)"
			),
			Self::NoBalance => write!(f, "a statement needs at least one balance"),
			Self::MixedKinds => write!(f, "one message holds reports of one kind"),
		}
	}
}

impl std::error::Error for ReportError {}

impl Report {
	/// The XML message.
	pub fn write(&self) -> Result<String, ReportError> {
		Self::write_all(std::slice::from_ref(self))
	}

	/// One message of several reports of the same kind (a notification of a move for each
	/// account it touched); its group header is the first report's.
	pub fn write_all(reports: &[Report]) -> Result<String, ReportError> {
		let first = reports.first().ok_or(ReportError::NoBalance)?;
		let (message, _) = first.kind.elements();
		let mut w = Writer::document(&first.kind.message().namespace(), message);
		w.open("GrpHdr").leaf("MsgId", clip(&first.msg_id, 35));
		w.leaf("CreDtTm", &first.created.datetime()).close();
		for report in reports {
			if report.kind != first.kind {
				return Err(ReportError::MixedKinds);
			}
			report.element(&mut w)?;
		}
		Ok(w.finish())
	}

	/// The report's element (`Ntfctn`, `Rpt`, `Stmt`).
	fn element(&self, w: &mut Writer) -> Result<(), ReportError> {
		if self.kind == Kind::Statement && self.balances.is_empty() {
			return Err(ReportError::NoBalance);
		}
		let (_, element) = self.kind.elements();
		w.open(element).leaf("Id", clip(&self.id, 35));
		w.optional("ElctrncSeqNb", self.sequence.map(|n| n.to_string()).as_deref());
		w.leaf("CreDtTm", &self.created.datetime());
		if let Some((from, to)) = self.period {
			w.open("FrToDt").leaf("FrDtTm", &from.datetime()).leaf("ToDtTm", &to.datetime());
			w.close();
		}
		self.account_element(w);
		if self.kind != Kind::Notification {
			for balance in &self.balances {
				self.balance(w, balance)?;
			}
		}
		if self.kind == Kind::Statement {
			self.summary(w)?;
		}
		for entry in &self.entries {
			self.entry(w, entry)?;
		}
		w.close();
		Ok(())
	}

	fn amount(&self, units: u128) -> Result<String, ReportError> {
		let amount = Amount::from_units(units, self.account.decimals, &self.account.currency);
		amount.iso_decimal().ok_or_else(|| ReportError::Unrepresentable(amount.to_string()))
	}

	fn account_element(&self, w: &mut Writer) {
		let a = &self.account;
		w.open("Acct");
		match &a.id {
			AccountRef::Iban(iban) => {
				w.open("Id").leaf("IBAN", iban).close();
			}
			AccountRef::Other { id, scheme, issuer } => {
				w.open("Id").open("Othr").leaf("Id", clip(id, 34));
				if let Some(scheme) = scheme {
					w.open("SchmeNm");
					elements::code(w, scheme);
					w.close();
				}
				w.optional("Issr", issuer.as_deref()).close().close();
			}
			AccountRef::Proxy { kind, id } => {
				// An account known by its proxy only: its `Id` is the proxy, under the scheme
				// the proxy's type names.
				w.open("Id").open("Othr").leaf("Id", clip(id, 34));
				if let Some(kind) = kind {
					w.open("SchmeNm").leaf("Prtry", clip(kind.as_str(), 35)).close();
				}
				w.close().close();
			}
		}
		w.leaf("Ccy", &a.currency);
		if let Some(owner) = a.owner.as_deref().filter(|o| !o.is_empty()) {
			w.open("Ownr").leaf("Nm", clip(owner, 140)).close();
		}
		elements::agent(w, "Svcr", &a.servicer);
		w.close();
	}

	fn balance(&self, w: &mut Writer, balance: &Balance) -> Result<(), ReportError> {
		w.open("Bal").open("Tp").open("CdOrPrtry").leaf("Cd", balance.kind.code()).close().close();
		w.amount("Amt", &self.account.currency, &self.amount(balance.units.unsigned_abs())?);
		w.leaf("CdtDbtInd", direction(balance.units >= 0));
		w.open("Dt").leaf("DtTm", &balance.at.datetime()).close();
		w.close();
		Ok(())
	}

	/// `TxsSummry`: counts and sums of the entries, in all and per bank transaction code.
	fn summary(&self, w: &mut Writer) -> Result<(), ReportError> {
		let all = Totals::of(self.entries.iter())?;
		w.open("TxsSummry").open("TtlNtries");
		self.totals(w, &all)?;
		w.close().open("TtlCdtNtries");
		w.leaf("NbOfNtries", &all.credits.to_string()).leaf("Sum", &self.amount(all.credit)?);
		w.close().open("TtlDbtNtries");
		w.leaf("NbOfNtries", &all.debits.to_string()).leaf("Sum", &self.amount(all.debit)?);
		w.close();
		let mut by_code: BTreeMap<BankTransactionCode, Vec<&Entry>> = BTreeMap::new();
		for entry in &self.entries {
			by_code.entry(entry.code).or_default().push(entry);
		}
		for (code, entries) in by_code {
			w.open("TtlNtriesPerBkTxCd");
			self.totals(w, &Totals::of(entries.into_iter())?)?;
			code.write(w);
			w.close();
		}
		w.close();
		Ok(())
	}

	/// `NbOfNtries`, `Sum` and `TtlNetNtry`.
	fn totals(&self, w: &mut Writer, totals: &Totals) -> Result<(), ReportError> {
		w.leaf("NbOfNtries", &(totals.credits + totals.debits).to_string());
		let sum = totals.credit.checked_add(totals.debit);
		let sum =
			sum.ok_or_else(|| ReportError::Unrepresentable("the sum of the entries".into()))?;
		w.leaf("Sum", &self.amount(sum)?);
		let net = i128::try_from(totals.credit)
			.ok()
			.zip(i128::try_from(totals.debit).ok())
			.and_then(|(c, d)| c.checked_sub(d))
			.ok_or_else(|| ReportError::Unrepresentable(format!("{} units", totals.credit)))?;
		w.open("TtlNetNtry").leaf("Amt", &self.amount(net.unsigned_abs())?);
		w.leaf("CdtDbtInd", direction(net >= 0)).close();
		Ok(())
	}

	fn entry(&self, w: &mut Writer, e: &Entry) -> Result<(), ReportError> {
		let amount = self.amount(e.units)?;
		let currency = &self.account.currency;
		let servicer_ref = e.chain.servicer_ref();
		w.open("Ntry").amount("Amt", currency, &amount).leaf("CdtDbtInd", direction(e.credit));
		w.open("Sts").leaf("Cd", "BOOK").close();
		w.open("BookgDt").leaf("DtTm", &e.chain.at.datetime()).close();
		w.open("ValDt").leaf("Dt", &e.chain.at.date()).close();
		w.leaf("AcctSvcrRef", &servicer_ref);
		e.code.write(w);
		w.open("NtryDtls").open("TxDtls").open("Refs");
		let r = &e.refs;
		let clipped = |text: &Option<String>| text.as_deref().map(|t| clip(t, 35).to_string());
		w.optional("MsgId", clipped(&r.msg_id).as_deref());
		w.leaf("AcctSvcrRef", &servicer_ref);
		w.optional("PmtInfId", clipped(&r.batch).as_deref());
		w.optional("InstrId", clipped(&r.instr_id).as_deref());
		w.optional("EndToEndId", clipped(&r.end_to_end_id).as_deref());
		w.optional("UETR", r.uetr.as_deref().map(str::to_ascii_lowercase).as_deref());
		w.optional("TxId", clipped(&r.tx_id).as_deref());
		w.close();
		w.amount("Amt", currency, &amount).leaf("CdtDbtInd", direction(e.credit));
		let parties = [&e.debtor, &e.creditor].iter().any(|p| p.name.is_some())
			|| e.debtor_account.is_some()
			|| e.creditor_account.is_some();
		if parties {
			w.open("RltdPties");
			elements::party(w, "Dbtr", &e.debtor);
			elements::account(w, "DbtrAcct", e.debtor_account.as_ref());
			elements::party(w, "Cdtr", &e.creditor);
			elements::account(w, "CdtrAcct", e.creditor_account.as_ref());
			w.close();
		}
		if !e.remittance.is_empty() {
			w.open("RmtInf");
			for line in &e.remittance {
				w.leaf("Ustrd", clip(line, 140));
			}
			w.close();
		}
		w.open("RltdDts");
		w.optional("AccptncDtTm", e.accepted_at.map(Timestamp::datetime).as_deref());
		w.leaf("TxDtTm", &e.chain.at.datetime()).close();
		let mut info = format!(
			"chain block {} extrinsic {} hash {}",
			e.chain.block, e.chain.index, e.chain.hash
		);
		if let Some(description) = &e.description {
			info = format!("{info}: {description}");
		}
		w.leaf("AddtlTxInf", clip(&info, 500));
		w.close().close().close();
		Ok(())
	}
}

fn direction(credit: bool) -> &'static str {
	if credit {
		"CRDT"
	} else {
		"DBIT"
	}
}

/// Counts and sums of entries, credits and debits apart.
struct Totals {
	credits: usize,
	debits: usize,
	credit: u128,
	debit: u128,
}

impl Totals {
	fn of<'a>(entries: impl Iterator<Item = &'a Entry>) -> Result<Self, ReportError> {
		let mut t = Self { credits: 0, debits: 0, credit: 0, debit: 0 };
		let overflow = || ReportError::Unrepresentable("the sum of the entries".into());
		for e in entries {
			if e.credit {
				t.credits += 1;
				t.credit = t.credit.checked_add(e.units).ok_or_else(overflow)?;
			} else {
				t.debits += 1;
				t.debit = t.debit.checked_add(e.units).ok_or_else(overflow)?;
			}
		}
		Ok(t)
	}
}
