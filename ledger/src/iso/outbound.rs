//! The messages the gateway sends back, from what it recorded and from the books: a message's
//! payment status report (`pain.002` or `pacs.002`) and an account's statement (`camt.053`, a whole UTC day
//! of finalized blocks) or intraday report (`camt.052`, the day so far), whose balances are the
//! books' and whose entries are the journal's lines, with the payment message's references
//! where the gateway made the move.

use super::books::{AccountLine, CurrencyEntry, DirectoryEntry, MessageRow, PaymentRow};
use crate::{postings, store::Store};
use anyhow::{anyhow, Context, Result};
use std::collections::HashMap;
use tpwallet_gateway::{
	elements::BankTransactionCode, status, Account, AccountRef, Balance, BalanceType, ChainRef,
	Code, Entry, Header, Kind, Limits, Message, MessageId, Party, References, Rejection, Report,
	Timestamp, TxReport, TxStatus,
};

/// The most entries one report holds: a busier account asks for `camt.052` reports more often.
pub const MAX_ENTRIES: usize = 5000;

/// Why a report cannot be made (the API answers these as 4xx problems).
#[derive(Debug)]
pub enum Unavailable {
	/// The message could not be read at all: no `MsgId` to report on.
	Unreadable(String),
	/// Nothing booked yet in the period asked for, or the period is in the future.
	NotBooked(String),
	TooManyEntries(usize),
	/// An amount ISO 20022 cannot write.
	Unrepresentable(String),
}

fn hex32(hash: &[u8; 32]) -> String {
	format!("0x{}", hex::encode(hash))
}

/// The message's transfers, read again from what was received.
fn reread(row: &MessageRow) -> Result<Message, Unavailable> {
	tpwallet_gateway::read(&row.raw, &Limits::default())
		.map_err(|r| Unavailable::Unreadable(format!("{}: {}", r.code, r.detail)))
}

/// The status report of message `row`: the group's refusal, or each transfer's status.
pub async fn status_report(
	store: &Store,
	agent: &str,
	row: &MessageRow,
) -> Result<Result<String, Unavailable>> {
	let header = Header {
		msg_id: format!("TPW-STS-{}-{}", row.id, Timestamp::now().0),
		created: Timestamp::now(),
		agent: agent.into(),
	};
	if let (Some(code), Some(reason)) = (&row.reason_code, &row.reason) {
		let (Some(msg_id), Some(kind)) = (&row.msg_id, &row.kind) else {
			return Ok(Err(Unavailable::Unreadable(format!("{code}: {reason}"))));
		};
		let kind = MessageId::ALL.into_iter().find(|k| k.name() == kind);
		let kind = kind.ok_or_else(|| anyhow!("stored message kind {kind:?}"))?;
		let refusal = Rejection::new(code, reason.clone());
		return Ok(Ok(status::group_rejection(
			&header,
			msg_id,
			kind,
			row.created.as_deref(),
			&refusal,
		)));
	}
	let message = match reread(row) {
		Ok(message) => message,
		Err(unreadable) => return Ok(Err(unreadable)),
	};
	let payments = store.payments_of(row.id).await?;
	let mut txs = Vec::with_capacity(payments.len());
	for payment in &payments {
		let Some(instruction) =
			usize::try_from(payment.position).ok().and_then(|p| message.instructions.get(p))
		else {
			continue;
		};
		txs.push(TxReport {
			instruction,
			status: tx_status(payment)?,
			accepted_at: (payment.extrinsic.is_some())
				.then_some(Timestamp(payment.accepted_at as u64)),
		});
	}
	Ok(Ok(status::transaction_report(&header, &message, &txs)))
}

fn chain_ref(payment: &PaymentRow) -> Result<ChainRef> {
	let missing = || anyhow!("payment {} is decided without its block", payment.id);
	Ok(ChainRef {
		block: payment.block.ok_or_else(missing)?,
		index: payment.extrinsic_index.ok_or_else(missing)?,
		hash: hex32(&payment.extrinsic.ok_or_else(missing)?),
		at: Timestamp(payment.block_time.ok_or_else(missing)?),
	})
}

fn tx_status(payment: &PaymentRow) -> Result<TxStatus> {
	Ok(match payment.status.as_str() {
		"submitted" => TxStatus::Accepted,
		"settled" => TxStatus::Settled(chain_ref(payment)?),
		"pending" => TxStatus::Pending(chain_ref(payment)?),
		_ => TxStatus::Rejected(Rejection::new(
			payment.reason_code.as_deref().unwrap_or("NARR"),
			payment.reason.clone().unwrap_or_default(),
		)),
	})
}

/// The account as messages name it, from its directory key.
pub fn account_ref(key: &str) -> AccountRef {
	if let Some(iban) = key.strip_prefix("iban:") {
		return AccountRef::Iban(iban.into());
	}
	if let Some(rest) = key.strip_prefix("acct:") {
		let mut parts = rest.splitn(3, ':');
		let (_bic, scheme, id) = (parts.next(), parts.next(), parts.next());
		return AccountRef::Other {
			id: id.unwrap_or(rest).into(),
			scheme: scheme.filter(|s| !s.is_empty()).map(|s| Code::Proprietary(s.into())),
			issuer: None,
		};
	}
	let rest = key.strip_prefix("proxy:").unwrap_or(key);
	let (kind, id) = rest.split_once(':').unwrap_or(("", rest));
	AccountRef::Proxy {
		kind: (!kind.is_empty()).then(|| Code::Proprietary(kind.into())),
		id: id.into(),
	}
}

/// Booked blocks' times, read once each.
struct Clock<'a> {
	store: &'a Store,
	times: HashMap<u32, u64>,
}

impl Clock<'_> {
	async fn at(&mut self, block: u32) -> Result<u64> {
		if let Some(time) = self.times.get(&block) {
			return Ok(*time);
		}
		let time = self.store.block_time(block).await?;
		let time = time.with_context(|| format!("block {block} has no time in the books"))?;
		self.times.insert(block, time);
		Ok(time)
	}
}

/// Messages read again, by their number (`None`: unreadable).
type Messages = HashMap<i64, Option<Message>>;

/// A line of an account as a report's entry: its chain reference, its bank transaction code,
/// and the payment message's references and parties when the gateway made the move.
async fn entry(
	store: &Store,
	clock: &mut Clock<'_>,
	messages: &mut Messages,
	line: &AccountLine,
) -> Result<Entry> {
	let index = line
		.phase
		.strip_prefix("ApplyExtrinsic(")
		.and_then(|rest| rest.strip_suffix(')'))
		.and_then(|i| i.parse::<u32>().ok());
	let hash = match index {
		Some(index) => store.extrinsic_hash(line.block, index).await?,
		None => None,
	};
	let made = match &hash {
		Some(hash) => store.payment_by_extrinsic(hash).await?,
		None => None,
	};
	let credit = line.delta > 0;
	let code = match (credit, line.counterparties.is_empty()) {
		(true, false) => BankTransactionCode::RECEIVED_CREDIT_TRANSFER,
		(false, false) => BankTransactionCode::ISSUED_CREDIT_TRANSFER,
		(true, true) => BankTransactionCode::MISCELLANEOUS_CREDIT,
		(false, true) => BankTransactionCode::MISCELLANEOUS_DEBIT,
	};
	let mut entry = Entry {
		units: line.delta.unsigned_abs(),
		credit,
		chain: ChainRef {
			block: line.block,
			index: index.unwrap_or(0),
			hash: hash.as_ref().map(hex32).unwrap_or_else(|| line.phase.clone()),
			at: Timestamp(clock.at(line.block).await?),
		},
		code,
		refs: References::default(),
		debtor: Party::default(),
		debtor_account: None,
		creditor: Party::default(),
		creditor_account: None,
		remittance: vec![],
		accepted_at: None,
		description: Some(format!("{} (journal entry {})", line.kind, line.seq)),
	};
	let Some(payment) = made else { return Ok(entry) };
	if let std::collections::hash_map::Entry::Vacant(slot) = messages.entry(payment.message) {
		let row = store.message(payment.message).await?;
		slot.insert(row.as_ref().and_then(|r| reread(r).ok()));
	}
	let instruction = messages
		.get(&payment.message)
		.and_then(Option::as_ref)
		.and_then(|m| m.instructions.get(usize::try_from(payment.position).ok()?));
	if let Some(i) = instruction {
		entry.refs = References {
			msg_id: Some(i.msg_id.clone()),
			batch: i.batch.clone(),
			instr_id: i.instr_id.clone(),
			end_to_end_id: Some(i.end_to_end_id.clone()),
			uetr: i.uetr.clone(),
			tx_id: i.tx_id.clone(),
		};
		entry.debtor = i.debtor.clone();
		entry.debtor_account = i.debtor_account.clone();
		entry.creditor = i.creditor.clone();
		entry.creditor_account = i.creditor_account.clone();
		entry.remittance = i.remittance.clone();
		entry.accepted_at = Some(Timestamp(payment.accepted_at as u64));
	}
	Ok(entry)
}

/// The notification (`camt.054`) of journal entry `seq` for each holder it moved that `wants`
/// names, that the directory knows and whose token carries a currency of the table: `None`
/// if there is none (a native fee, a token without a currency).
pub async fn notification(
	store: &Store,
	agent: &str,
	seq: i64,
	wants: impl Fn(&str) -> bool,
) -> Result<Option<String>> {
	let Some((booked, _)) = store.entries(seq, seq).await?.pop() else {
		return Err(anyhow!("entry {seq} is not in the journal"));
	};
	let currencies = store.currencies().await?;
	let holders: Vec<&str> =
		booked.lines.iter().filter_map(|l| postings::holder(&l.account)).collect();
	let mut clock = Clock { store, times: HashMap::new() };
	let mut messages = Messages::new();
	let created = Timestamp::now();
	let mut reports = Vec::new();
	for line in &booked.lines {
		let Some(holder) = postings::holder(&line.account) else { continue };
		let asset = line
			.account
			.strip_prefix(&format!("holder/{holder}/asset/"))
			.and_then(|rest| rest.strip_suffix("/free"))
			.and_then(|a| a.parse::<u32>().ok());
		let Some(currency) = asset.and_then(|a| currencies.iter().find(|c| c.asset == a)) else {
			continue;
		};
		if !wants(holder) {
			continue;
		}
		let Some(name) = store.directory_of(holder).await? else { continue };
		let delta = i128::try_from(line.debit)? - i128::try_from(line.credit)?;
		if delta == 0 {
			continue;
		}
		let account_line = AccountLine {
			seq,
			block: booked.block,
			phase: booked.phase.clone(),
			delta,
			kind: booked.kind.clone(),
			counterparties: holders
				.iter()
				.filter(|h| **h != holder)
				.map(|h| h.to_string())
				.collect(),
		};
		let entry = entry(store, &mut clock, &mut messages, &account_line).await?;
		reports.push(Report {
			kind: Kind::Notification,
			msg_id: format!("TPW-NTF-{seq}-{}", created.0),
			id: format!("TPW-NTF-{seq}-{}", reports.len() + 1),
			sequence: None,
			created,
			period: None,
			account: Account {
				id: account_ref(&name.key),
				currency: currency.currency.clone(),
				decimals: currency.decimals,
				owner: name.owner.clone(),
				servicer: agent.into(),
			},
			balances: vec![],
			entries: vec![entry],
		});
	}
	if reports.is_empty() {
		return Ok(None);
	}
	Ok(Some(Report::write_all(&reports).map_err(|e| anyhow!("{e}"))?))
}

/// The status report (`pain.002` or `pacs.002`) of the transfer of status-report delivery `delivery`, as
/// the transfer stands now.
pub async fn payment_report(store: &Store, agent: &str, delivery: i64) -> Result<Option<String>> {
	let Some(payment) = store.reported_payment(delivery).await? else { return Ok(None) };
	let Some(row) = store.payment(payment).await? else { return Ok(None) };
	let Some(message_row) = store.message(row.message).await? else { return Ok(None) };
	let Ok(message) = reread(&message_row) else { return Ok(None) };
	let Some(instruction) =
		usize::try_from(row.position).ok().and_then(|p| message.instructions.get(p))
	else {
		return Ok(None);
	};
	let header = Header {
		msg_id: format!("TPW-STS-{}-{}-{}", row.message, row.id, Timestamp::now().0),
		created: Timestamp::now(),
		agent: agent.into(),
	};
	let tx = TxReport {
		instruction,
		status: tx_status(&row)?,
		accepted_at: row.extrinsic.is_some().then_some(Timestamp(row.accepted_at as u64)),
	};
	Ok(Some(status::transaction_report(&header, &message, &[tx])))
}

/// What to report on: an account of the directory in a currency of the table.
pub struct Subject<'a> {
	pub holder: &'a str,
	pub name: &'a DirectoryEntry,
	pub currency: &'a CurrencyEntry,
	pub agent: &'a str,
}

/// An account's period as booked: its balance before and after, and its entries.
pub struct Book {
	pub opening: i128,
	pub closing: i128,
	/// The period's end: `to` for a statement, the last booked block's time (if earlier) for
	/// a report of the period so far.
	pub end: Timestamp,
	pub entries: Vec<Entry>,
}

/// The account's period `from..=to` in the books: over in the books for `Kind::Statement`, as
/// booked so far otherwise.
pub async fn account_book(
	store: &Store,
	subject: &Subject<'_>,
	kind: Kind,
	(start, end): (Timestamp, Timestamp),
) -> Result<Result<Book, Unavailable>> {
	let booked = store.cursor().await?.map_or(0, |c| c.block);
	if booked == 0 {
		return Ok(Err(Unavailable::NotBooked("no block is booked yet".into())));
	}
	let mut clock = Clock { store, times: HashMap::new() };
	let last_time = clock.at(booked).await?;
	if kind == Kind::Statement && last_time <= end.0 {
		return Ok(Err(Unavailable::NotBooked(format!(
			"the period to {} is not over in the books yet (last booked block {booked} at {})",
			end.datetime(),
			Timestamp(last_time).datetime()
		))));
	}
	let beyond = booked.saturating_add(1);
	let first = store.first_block_at_or_after(start.0).await?.unwrap_or(beyond);
	let after = store.first_block_at_or_after(end.0.saturating_add(1)).await?.unwrap_or(beyond);
	let last = after.saturating_sub(1);
	let period_end = if kind == Kind::Statement { end } else { Timestamp(last_time.min(end.0)) };
	let book_account = postings::asset_free(subject.holder, subject.currency.asset);
	let opening = store.balance_before(&book_account, first).await?;
	let lines = if first <= last {
		store.account_lines(&book_account, subject.holder, first, last).await?
	} else {
		vec![]
	};
	if lines.len() > MAX_ENTRIES {
		return Ok(Err(Unavailable::TooManyEntries(lines.len())));
	}
	let mut entries = Vec::with_capacity(lines.len());
	let mut closing = opening;
	let mut messages = Messages::new();
	for line in lines.iter().filter(|l| l.delta != 0) {
		closing += line.delta;
		entries.push(entry(store, &mut clock, &mut messages, line).await?);
	}
	Ok(Ok(Book { opening, closing, end: period_end, entries }))
}

/// The statement (`Kind::Statement`: the period `from..=to`, which must be over in the books)
/// or the intraday report (`Kind::Intraday`: the period so far, as booked).
pub async fn account_report(
	store: &Store,
	subject: &Subject<'_>,
	kind: Kind,
	(start, end): (Timestamp, Timestamp),
) -> Result<Result<String, Unavailable>> {
	let book = match account_book(store, subject, kind, (start, end)).await? {
		Ok(book) => book,
		Err(reason) => return Ok(Err(reason)),
	};
	let created = Timestamp::now();
	let (tag, balances) = match kind {
		Kind::Statement => (
			"STMT",
			vec![
				Balance { kind: BalanceType::OpeningBooked, units: book.opening, at: start },
				Balance { kind: BalanceType::ClosingBooked, units: book.closing, at: end },
			],
		),
		_ => (
			"RPT",
			vec![Balance { kind: BalanceType::InterimBooked, units: book.closing, at: book.end }],
		),
	};
	let report = Report {
		kind,
		msg_id: format!("TPW-{tag}-{}-{}", start.compact_date(), created.0),
		id: format!(
			"TPW-{tag}-{}-{}",
			start.compact_date(),
			&subject.holder[..8.min(subject.holder.len())]
		),
		// A statement's number: the day of the year its period starts on.
		sequence: (kind == Kind::Statement).then(|| u64::from(start.day_of_year())),
		created,
		period: Some((start, book.end)),
		account: Account {
			id: account_ref(&subject.name.key),
			currency: subject.currency.currency.clone(),
			decimals: subject.currency.decimals,
			owner: subject.name.owner.clone(),
			servicer: subject.agent.into(),
		},
		balances,
		entries: book.entries,
	};
	Ok(report.write().map_err(|e| Unavailable::Unrepresentable(e.to_string())))
}
