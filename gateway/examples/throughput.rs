//! How many transfers a second the gateway's own work takes (read safely, validate against the
//! schema, take out, route with the travel-rule digest, write the status report), against a
//! baseline measured in the same run: building the XML tree of the same bytes and nothing more.
//! The chain's ceiling for the same transfers is an argument (tx/s, from `scripts/bench-tps.sh`).
//!
//! Run: cargo run --release -p tpwallet-gateway --example throughput -- [transfers] [rounds] [ceiling]

use std::{collections::HashMap, time::Instant};
use tpwallet_gateway::{
	read, route, status, Currencies, Directory, Header, Limits, Timestamp, Token, TxReport,
	TxStatus,
};

struct Table;
impl Currencies for Table {
	fn token(&self, currency: &str) -> Option<Token> {
		(currency == "EUR").then_some(Token { asset: 77, decimals: 6 })
	}
}

struct Names(HashMap<String, String>);
impl Directory for Names {
	fn account(&self, key: &str) -> Option<String> {
		self.0.get(key).cloned()
	}
}

/// A pain.001.001.09 of `n` transfers from one debtor to `n` creditors.
fn message(n: usize) -> String {
	let mut txs = String::new();
	for i in 0..n {
		txs += &format!(
			"<CdtTrfTxInf><PmtId><EndToEndId>E2E-{i}</EndToEndId></PmtId>\
			 <Amt><InstdAmt Ccy=\"EUR\">{}.{:02}</InstdAmt></Amt>\
			 <Cdtr><Nm>Creditor {i}</Nm><PstlAdr><TwnNm>Paris</TwnNm><Ctry>FR</Ctry></PstlAdr></Cdtr>\
			 <CdtrAcct><Id><Othr><Id>C-{i}</Id><SchmeNm><Prtry>TPWALLET</Prtry></SchmeNm></Othr></Id></CdtrAcct>\
			 <RmtInf><Ustrd>Invoice {i}</Ustrd></RmtInf></CdtTrfTxInf>",
			1 + i % 900,
			i % 100
		);
	}
	format!(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
		 <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn>\
		 <GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2026-12-03T10:00:00Z</CreDtTm><NbOfTxs>{n}</NbOfTxs>\
		 <InitgPty><Nm>Alice Treasury GmbH</Nm></InitgPty></GrpHdr>\
		 <PmtInf><PmtInfId>B-1</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>{n}</NbOfTxs>\
		 <ReqdExctnDt><Dt>2026-12-03</Dt></ReqdExctnDt>\
		 <Dbtr><Nm>Alice Treasury GmbH</Nm><PstlAdr><TwnNm>Berlin</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>\
		 <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>\
		 <DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt>{txs}</PmtInf>\
		 </CstmrCdtTrfInitn></Document>"
	)
}

fn per_second(transfers: usize, rounds: usize, seconds: f64) -> f64 {
	(transfers * rounds) as f64 / seconds
}

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
	let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
	let ceiling: f64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(541.0);
	let xml = message(n);
	let mut names =
		HashMap::from([("iban:DE89370400440532013000".to_string(), "ALICE".to_string())]);
	for i in 0..n {
		names.insert(format!("acct::TPWALLET:C-{i}"), format!("CREDITOR-{i}"));
	}
	let names = Names(names);
	let header = Header { msg_id: "S".into(), created: Timestamp(0), agent: "TPWLDEFFXXX".into() };
	// Warm up (the schema compiles once, on first use).
	read(xml.as_bytes(), &Limits::default()).expect("the message reads");

	let start = Instant::now();
	for _ in 0..rounds {
		let doc = roxmltree::Document::parse(&xml).expect("XML");
		assert!(doc.root_element().has_children());
	}
	let baseline = per_second(n, rounds, start.elapsed().as_secs_f64());

	let start = Instant::now();
	let mut routed = 0;
	for _ in 0..rounds {
		let message = read(xml.as_bytes(), &Limits::default()).expect("the message reads");
		for instruction in &message.instructions {
			route(instruction, &names, &Table).expect("routed");
			routed += 1;
		}
	}
	let intake = per_second(n, rounds, start.elapsed().as_secs_f64());
	assert_eq!(routed, n * rounds);

	let message = read(xml.as_bytes(), &Limits::default()).expect("the message reads");
	let start = Instant::now();
	for _ in 0..rounds {
		let txs: Vec<TxReport> = message
			.instructions
			.iter()
			.map(|instruction| TxReport {
				instruction,
				status: TxStatus::Accepted,
				accepted_at: None,
			})
			.collect();
		let report = status::transaction_report(&header, &message, &txs);
		assert!(report.len() > n);
	}
	let reports = per_second(n, rounds, start.elapsed().as_secs_f64());

	println!("transfers per message: {n}, rounds: {rounds}");
	println!("baseline (XML tree only): {baseline:.0} transfers/s");
	println!(
		"read + validate + take out + route: {intake:.0} transfers/s = {:.2}x the baseline, {:.1}x the chain's ceiling of {ceiling:.0} tx/s",
		intake / baseline,
		intake / ceiling
	);
	println!(
		"status report (pacs.002) written: {reports:.0} transfers/s = {:.2}x the baseline",
		reports / baseline
	);
}
