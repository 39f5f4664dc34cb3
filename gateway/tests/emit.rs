//! What the gateway writes back: every status report and account report validates against its
//! official schema, and says what happened: statuses and reasons per transfer, balances, entries
//! and totals that add up. Built from our fixture and from the published samples.

use std::path::Path;
use tpwallet_gateway::{
	elements::BankTransactionCode, read, Account, AccountRef, Balance, BalanceType, ChainRef,
	Entry, Header, Kind, Limits, Message, MessageId, Party, References, Rejection, Report,
	ReportError, Timestamp, TxReport, TxStatus,
};

fn read_file(dir: &str, name: &str) -> Message {
	let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(name);
	read(&std::fs::read(path).unwrap(), &Limits::default()).unwrap()
}

/// Validates `xml` against `kind`'s schema and parses it for the assertions.
fn valid(kind: MessageId, xml: &str) -> roxmltree::Document<'_> {
	if let Err(errors) = kind.schema().validate(xml.as_bytes()) {
		panic!("{} does not validate: {errors:?}\n{xml}", kind.name());
	}
	roxmltree::Document::parse(xml).unwrap()
}

/// The texts of every element named `name`, in document order.
fn all<'a>(doc: &'a roxmltree::Document, name: &str) -> Vec<&'a str> {
	doc.descendants()
		.filter(|n| n.is_element() && n.tag_name().name() == name)
		.map(|n| n.text().unwrap_or(""))
		.collect()
}

const AT: Timestamp = Timestamp(1_796_290_212_000); // 2026-12-03T09:30:12Z

fn header() -> Header {
	Header { msg_id: "TPW-STS-1".into(), created: AT, agent: "TPWLDEFFXXX".into() }
}

fn chain(block: u32, index: u32) -> ChainRef {
	ChainRef { block, index, hash: format!("0x{}", "ab".repeat(32)), at: AT }
}

#[test]
fn a_status_report_per_transfer_validates_and_reports_each_outcome() {
	let message = read_file("tests/fixtures", "pain.001.001.03.tpwallet.xml");
	let [settled, refused, accepted] = &message.instructions[..] else { panic!("3 transfers") };
	let txs = [
		TxReport {
			instruction: settled,
			status: TxStatus::Settled(chain(1234, 2)),
			accepted_at: Some(Timestamp(AT.0 - 7000)),
		},
		TxReport {
			instruction: refused,
			status: TxStatus::Rejected(Rejection::new("AM04", "insufficient funds on chain")),
			accepted_at: None,
		},
		TxReport { instruction: accepted, status: TxStatus::Accepted, accepted_at: Some(AT) },
	];
	let xml = tpwallet_gateway::status::transaction_report(&header(), &message, &txs);
	// A customer's initiation is answered with the customer payment status report.
	let doc = valid(MessageId::Pain002V10, &xml);
	assert_eq!(
		doc.root_element().first_element_child().unwrap().tag_name().name(),
		"CstmrPmtStsRpt"
	);
	// Its transfers under their payment information blocks, as the message grouped them.
	assert_eq!(all(&doc, "OrgnlPmtInfId"), ["BATCH-A", "BATCH-B"]);
	assert!(all(&doc, "DtTm").is_empty(), "no interbank settlement date in a pain.002");
	assert_eq!(all(&doc, "OrgnlMsgId"), ["TPW-2026-12-03-0001"]);
	assert_eq!(all(&doc, "OrgnlMsgNmId"), ["pain.001.001.03"]);
	assert_eq!(all(&doc, "OrgnlEndToEndId"), ["E2E-A-1", "E2E-A-2", "E2E-B-1"]);
	assert_eq!(all(&doc, "TxSts"), ["ACSC", "RJCT", "ACSP"]);
	assert_eq!(all(&doc, "Cd"), ["AM04"]);
	assert_eq!(all(&doc, "AcctSvcrRef"), ["1234-2"]);
	assert!(all(&doc, "AddtlInf").contains(&"chain block 1234 extrinsic 2"));
	assert_eq!(all(&doc, "InstdAmt"), ["1000.00", "500", "251.25"]);
	assert_eq!(
		all(&doc, "AccptncDtTm"),
		["2026-12-03T09:30:05+00:00", "2026-12-03T09:30:12+00:00"]
	);
	assert!(all(&doc, "Nm").contains(&"Charlie BV"));
}

#[test]
fn a_message_refused_as_a_whole_gets_a_group_status() {
	let reason = Rejection::new("FF01", format!("schema violation: {}", "x".repeat(600)));
	let xml = tpwallet_gateway::status::group_rejection(
		&header(),
		"MSG-1",
		MessageId::Pacs008V08,
		Some("2026-12-03T09:30:00Z"),
		&reason,
	);
	let doc = valid(MessageId::Pacs002V10, &xml);
	assert_eq!(all(&doc, "GrpSts"), ["RJCT"]);
	assert_eq!(all(&doc, "Cd"), ["FF01"]);
	// The detail, in lines the schema allows, cut at five.
	assert_eq!(all(&doc, "AddtlInf").len(), 5);
	assert!(all(&doc, "TxSts").is_empty());
	// A customer's message refused as a whole: the same, as a pain.002.
	let xml = tpwallet_gateway::status::group_rejection(
		&header(),
		"MSG-2",
		MessageId::Pain001V09,
		None,
		&reason,
	);
	let doc = valid(MessageId::Pain002V10, &xml);
	assert_eq!(all(&doc, "GrpSts"), ["RJCT"]);
}

#[test]
fn status_reports_for_every_published_sample_validate() {
	let samples = [
		"pain.001.001.03.iso20022-mdr-example.xml",
		"pain.001.001.03.dk-siz-example.xml",
		"pain.001.001.03.siauliu-bankas-usd.xml",
		"pacs.008.001.08.fedwire-ccts1.xml",
		"pacs.008.001.08.fedwire-fx-variation5.xml",
	];
	for name in samples {
		let message = read_file("samples", name);
		let txs: Vec<TxReport> = message
			.instructions
			.iter()
			.enumerate()
			.map(|(n, instruction)| TxReport {
				instruction,
				status: if n % 2 == 0 {
					TxStatus::Settled(chain(7, n as u32))
				} else {
					TxStatus::Rejected(Rejection::new("AC03", "unknown creditor account"))
				},
				accepted_at: Some(AT),
			})
			.collect();
		let xml = tpwallet_gateway::status::transaction_report(&header(), &message, &txs);
		let kind = tpwallet_gateway::status::report_kind(message.id);
		let doc = valid(kind, &xml);
		assert_eq!(all(&doc, "TxSts").len(), message.instructions.len(), "{name}");
		let expected =
			if message.id == MessageId::Pacs008V08 { "pacs.002.001.10" } else { "pain.002.001.10" };
		assert_eq!(kind.name(), expected, "{name}");
		if message.id == MessageId::Pacs008V08 {
			assert!(!all(&doc, "IntrBkSttlmAmt").is_empty(), "{name}");
		}
	}
}

#[test]
fn text_from_the_original_is_escaped_and_cut_to_the_schema_lengths() {
	let mut message = read_file("tests/fixtures", "pain.001.001.03.tpwallet.xml");
	let instruction = &mut message.instructions[0];
	instruction.creditor.name = Some("Bob & <Partners> \"SARL\"".into());
	instruction.end_to_end_id = "E".repeat(60);
	instruction.remittance = vec!["r".repeat(300)];
	let instruction = &message.instructions[0];
	let txs = [TxReport { instruction, status: TxStatus::Accepted, accepted_at: None }];
	let xml = tpwallet_gateway::status::transaction_report(&header(), &message, &txs);
	let doc = valid(MessageId::Pain002V10, &xml);
	assert!(all(&doc, "Nm").contains(&"Bob & <Partners> \"SARL\""));
	assert_eq!(all(&doc, "OrgnlEndToEndId"), ["E".repeat(35)]);
	assert_eq!(all(&doc, "Ustrd")[0].len(), 140);
}

fn bob() -> Account {
	Account {
		id: AccountRef::Iban("FR1420041010050500013M02606".into()),
		currency: "EUR".into(),
		decimals: 6,
		owner: Some("Bob SARL".into()),
		servicer: "TPWLDEFFXXX".into(),
	}
}

fn credit(units: u128, block: u32, e2e: &str) -> Entry {
	Entry {
		units,
		credit: true,
		chain: chain(block, 1),
		code: BankTransactionCode::RECEIVED_CREDIT_TRANSFER,
		refs: References {
			msg_id: Some("TPW-2026-12-03-0001".into()),
			end_to_end_id: Some(e2e.into()),
			uetr: Some("4FA60E5C-671A-4975-B06D-5FED9EC45E0A".into()),
			..References::default()
		},
		debtor: Party { name: Some("Alice Treasury GmbH".into()), ..Party::default() },
		debtor_account: Some(AccountRef::Iban("DE89370400440532013000".into())),
		creditor: Party { name: Some("Bob SARL".into()), ..Party::default() },
		creditor_account: Some(AccountRef::Iban("FR1420041010050500013M02606".into())),
		remittance: vec!["Invoice 2026-118".into()],
		accepted_at: Some(AT),
		description: Some("tokenization.transfer_with_travel_rule".into()),
	}
}

fn debit(units: u128, block: u32) -> Entry {
	Entry {
		credit: false,
		code: BankTransactionCode::ISSUED_CREDIT_TRANSFER,
		refs: References::default(),
		debtor: Party::default(),
		debtor_account: None,
		creditor: Party::default(),
		creditor_account: None,
		remittance: vec![],
		accepted_at: None,
		description: None,
		..credit(units, block, "")
	}
}

fn report(kind: Kind, balances: Vec<Balance>, entries: Vec<Entry>) -> Report {
	Report {
		kind,
		msg_id: "TPW-RPT-1".into(),
		id: "TPW-RPT-1-BOB".into(),
		sequence: (kind == Kind::Statement).then_some(337),
		created: AT,
		period: (kind != Kind::Notification).then_some((AT.start_of_day(), AT.end_of_day())),
		account: bob(),
		balances,
		entries,
	}
}

#[test]
fn a_notification_per_move_validates_and_carries_its_references() {
	let xml = report(Kind::Notification, vec![], vec![credit(1_000_000_000, 1234, "E2E-A-1")])
		.write()
		.unwrap();
	let doc = valid(MessageId::Camt054V08, &xml);
	assert_eq!(all(&doc, "Amt"), ["1000.00", "1000.00"]);
	assert_eq!(all(&doc, "CdtDbtInd"), ["CRDT", "CRDT"]);
	assert_eq!(all(&doc, "AcctSvcrRef"), ["1234-1", "1234-1"]);
	assert_eq!(all(&doc, "EndToEndId"), ["E2E-A-1"]);
	// Lower case, as the schema's pattern requires.
	assert_eq!(all(&doc, "UETR"), ["4fa60e5c-671a-4975-b06d-5fed9ec45e0a"]);
	assert!(all(&doc, "AddtlTxInf")[0].starts_with("chain block 1234 extrinsic 1 hash 0xabab"));
	assert!(all(&doc, "Bal").is_empty());
}

#[test]
fn a_statement_validates_and_its_totals_add_up() {
	let opening = 250_000_000i128;
	let entries = vec![
		credit(1_000_000_000, 1234, "E2E-A-1"),
		credit(251_250_000, 1236, "E2E-B-1"),
		debit(1_500_000, 1240),
	];
	let closing = opening + 1_000_000_000 + 251_250_000 - 1_500_000;
	let balances = vec![
		Balance { kind: BalanceType::OpeningBooked, units: opening, at: AT.start_of_day() },
		Balance { kind: BalanceType::ClosingBooked, units: closing, at: AT.end_of_day() },
	];
	let xml = report(Kind::Statement, balances, entries).write().unwrap();
	let doc = valid(MessageId::Camt053V08, &xml);
	assert_eq!(all(&doc, "NbOfNtries"), ["3", "2", "1", "1", "2"]);
	// All entries, credits, debits, then per bank transaction code (ICDT sorts before RCDT).
	assert_eq!(all(&doc, "Sum"), ["1252.75", "1251.25", "1.50", "1.50", "1251.25"]);
	assert_eq!(all(&doc, "ElctrncSeqNb"), ["337"]);
	let amounts = all(&doc, "Amt");
	assert_eq!(&amounts[..3], ["250.00", "1499.75", "1249.75"], "balances, then the net total");
	assert_eq!(all(&doc, "FrDtTm"), ["2026-12-03T00:00:00+00:00"]);
	assert_eq!(all(&doc, "ToDtTm"), ["2026-12-03T23:59:59+00:00"]);
}

#[test]
fn an_intraday_report_and_a_debit_balance_validate() {
	let balances = vec![Balance { kind: BalanceType::InterimAvailable, units: -5_000_000, at: AT }];
	let xml = report(Kind::Intraday, balances, vec![debit(5_000_000, 9)]).write().unwrap();
	let doc = valid(MessageId::Camt052V08, &xml);
	// A debit balance is a positive amount marked DBIT.
	assert_eq!(all(&doc, "Amt")[0], "5.00");
	assert_eq!(all(&doc, "CdtDbtInd"), ["DBIT", "DBIT", "DBIT"]);
	assert!(all(&doc, "TxsSummry").is_empty());
}

#[test]
fn reports_refuse_what_iso_cannot_write() {
	let fine = report(Kind::Notification, vec![], vec![credit(1_234_567, 1, "E")]);
	assert_eq!(
		fine.write(),
		Err(ReportError::Unrepresentable("1.234567 EUR".into())),
		"6 decimals do not fit"
	);
	let huge = report(Kind::Notification, vec![], vec![credit(u128::MAX / 2, 1, "E")]);
	assert!(matches!(huge.write(), Err(ReportError::Unrepresentable(_))));
	let overflow = report(
		Kind::Statement,
		vec![Balance { kind: BalanceType::OpeningBooked, units: 0, at: AT }],
		vec![credit(u128::MAX, 1, "A"), credit(u128::MAX, 2, "B")],
	);
	assert!(matches!(overflow.write(), Err(ReportError::Unrepresentable(_))));
	assert_eq!(report(Kind::Statement, vec![], vec![]).write(), Err(ReportError::NoBalance));
}

#[test]
fn an_account_named_otherwise_than_by_iban_validates() {
	let mut r = report(Kind::Notification, vec![], vec![debit(10_000, 3)]);
	r.account.id = AccountRef::Other {
		id: "CHARLIE-001".into(),
		scheme: Some(tpwallet_gateway::Code::Proprietary("TPWALLET".into())),
		issuer: Some("TPWL".into()),
	};
	r.account.owner = None;
	let xml = r.write().unwrap();
	let doc = valid(MessageId::Camt054V08, &xml);
	assert_eq!(all(&doc, "Prtry"), ["TPWALLET"]);
	assert_eq!(all(&doc, "Amt"), ["0.01", "0.01"]);
}

#[test]
fn one_notification_message_can_hold_each_account_a_move_touched() {
	let mut alice = report(Kind::Notification, vec![], vec![debit(1_000_000_000, 1234)]);
	alice.id = "TPW-NTF-ALICE".into();
	alice.account.id = AccountRef::Iban("DE89370400440532013000".into());
	let bob = report(Kind::Notification, vec![], vec![credit(1_000_000_000, 1234, "E2E-A-1")]);
	let xml = Report::write_all(&[alice, bob.clone()]).unwrap();
	let doc = valid(MessageId::Camt054V08, &xml);
	assert_eq!(all(&doc, "IBAN")[..1], ["DE89370400440532013000"]);
	assert_eq!(all(&doc, "CdtDbtInd"), ["DBIT", "DBIT", "CRDT", "CRDT"]);
	assert_eq!(all(&doc, "MsgId")[0], "TPW-RPT-1", "one group header");
	let statement = report(Kind::Statement, vec![], vec![]);
	assert_eq!(Report::write_all(&[bob, statement]), Err(ReportError::MixedKinds));
	assert_eq!(Report::write_all(&[]), Err(ReportError::NoBalance));
}

fn initiation() -> tpwallet_gateway::Initiation {
	tpwallet_gateway::Initiation {
		msg_id: "PSD2-8c1f0e2a".into(),
		created: AT,
		initiator: "Budget & Co <TPP>".into(),
		agent: "TPWLDEFFXXX".into(),
		end_to_end_id: "INV-2026-001".into(),
		uetr: "0f6b1c58-7c4e-4d1a-9b7e-2a3c4d5e6f70".into(),
		amount: tpwallet_gateway::Amount::parse("125.50", "EUR").unwrap(),
		debtor: Some("Alice Treasury GmbH".into()),
		debtor_account: AccountRef::Iban("DE89370400440532013000".into()),
		creditor: "Bob SARL".into(),
		creditor_account: AccountRef::Iban("FR1420041010050500013M02606".into()),
		creditor_agent: Some("BNPAFRPPXXX".into()),
		remittance: Some("Invoice 2026-001".into()),
		execution: AT,
	}
}

#[test]
fn an_initiated_payment_is_a_valid_pain001_that_reads_back_as_asked() {
	let asked = initiation();
	let xml = tpwallet_gateway::pain001(&asked);
	valid(MessageId::Pain001V09, &xml);
	let message = read(xml.as_bytes(), &Limits::default()).unwrap();
	assert_eq!((message.id, message.msg_id.as_str()), (MessageId::Pain001V09, "PSD2-8c1f0e2a"));
	let [i] = &message.instructions[..] else { panic!("one transfer") };
	assert_eq!(i.end_to_end_id, "INV-2026-001");
	assert_eq!(i.uetr.as_deref(), Some("0f6b1c58-7c4e-4d1a-9b7e-2a3c4d5e6f70"));
	assert_eq!(i.amount, asked.amount);
	assert_eq!(i.debtor.name.as_deref(), Some("Alice Treasury GmbH"));
	assert_eq!(i.debtor_account.as_ref(), Some(&asked.debtor_account));
	assert_eq!(i.debtor_agent.as_deref(), Some("TPWLDEFFXXX"));
	assert_eq!(i.creditor.name.as_deref(), Some("Bob SARL"));
	assert_eq!(i.creditor_account.as_ref(), Some(&asked.creditor_account));
	assert_eq!(i.creditor_agent.as_deref(), Some("BNPAFRPPXXX"));
	assert_eq!(i.remittance, ["Invoice 2026-001"]);
	// Without the optional parts, and with text beyond the schema's lengths cut, not refused.
	let bare = tpwallet_gateway::Initiation {
		debtor: None,
		creditor_agent: None,
		remittance: None,
		creditor: "N".repeat(200),
		..initiation()
	};
	let xml = tpwallet_gateway::pain001(&bare);
	valid(MessageId::Pain001V09, &xml);
	let message = read(xml.as_bytes(), &Limits::default()).unwrap();
	assert_eq!(message.instructions[0].creditor.name.as_deref().map(str::len), Some(140));
	assert!(message.instructions[0].remittance.is_empty());
}
