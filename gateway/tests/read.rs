//! Reading payment messages: our own fixture, the public samples in `samples/` (see its
//! SOURCES.md), and hostile or wrong documents, each refused with its reason code and nothing
//! read from it.

use std::path::Path;
use tpwallet_gateway::{read, AccountRef, Code, Limits, MessageId, Rejection};

fn fixture(name: &str) -> Vec<u8> {
	std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn refused(bytes: &[u8]) -> Rejection {
	read(bytes, &Limits::default()).expect_err("refused")
}

const OURS: &str = "pain.001.001.03.tpwallet.xml";

#[test]
fn a_pain_001_is_read_into_its_credit_transfers() {
	let message = read(&fixture(OURS), &Limits::default()).unwrap();
	assert_eq!(message.id, MessageId::Pain001V03);
	assert_eq!(message.msg_id, "TPW-2026-12-03-0001");
	let ids: Vec<&str> = message.instructions.iter().map(|i| i.end_to_end_id.as_str()).collect();
	assert_eq!(ids, ["E2E-A-1", "E2E-A-2", "E2E-B-1"]);
	let first = &message.instructions[0];
	assert_eq!(first.amount.to_string(), "1000.00 EUR");
	assert_eq!(first.batch.as_deref(), Some("BATCH-A"));
	assert_eq!(first.instr_id.as_deref(), Some("A-1"));
	assert_eq!(first.debtor_account, Some(AccountRef::Iban("DE89370400440532013000".into())));
	assert_eq!(first.debtor_agent.as_deref(), Some("COBADEFFXXX"));
	assert_eq!(first.creditor_agent.as_deref(), Some("BNPAFRPPXXX"));
	assert_eq!(first.debtor.name.as_deref(), Some("Alice Treasury GmbH"));
	assert_eq!(first.debtor.country.as_deref(), Some("DE"));
	assert!(first.debtor.address.contains(&("TwnNm".into(), "Berlin".into())));
	assert_eq!(
		first.debtor.ids,
		[
			("OrgId/Othr/Id".into(), "HRB 12345".into()),
			("OrgId/Othr/SchmeNm/Cd".into(), "COID".into())
		]
	);
	assert_eq!(first.creditor.country.as_deref(), Some("FR"));
	assert_eq!(first.remittance, ["Invoice 2026-118"]);
	let second = &message.instructions[1];
	assert_eq!(
		second.creditor_account,
		Some(AccountRef::Other {
			id: "CHARLIE-001".into(),
			scheme: Some(Code::Proprietary("TPWALLET".into())),
			issuer: None
		})
	);
	assert_eq!(second.amount.to_string(), "500 EUR");
	assert_eq!(message.instructions[2].batch.as_deref(), Some("BATCH-B"));
}

#[test]
fn counts_and_control_sums_must_match_the_transfers() {
	let text = String::from_utf8(fixture(OURS)).unwrap();
	let wrong_count = text.replacen("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>", 1);
	assert_eq!(refused(wrong_count.as_bytes()).code, "AM18");
	let wrong_sum = text.replacen("<CtrlSum>1751.25</CtrlSum>", "<CtrlSum>1751.26</CtrlSum>", 1);
	assert_eq!(refused(wrong_sum.as_bytes()).code, "AM10");
	let wrong_block_sum =
		text.replacen("<CtrlSum>1500.00</CtrlSum>", "<CtrlSum>1500.5</CtrlSum>", 1);
	let r = refused(wrong_block_sum.as_bytes());
	assert!(r.code == "AM10" && r.detail.contains("BATCH-A"), "{r}");
	// The same sum written at another scale is the same sum.
	let rescaled = text.replacen("<CtrlSum>1751.25</CtrlSum>", "<CtrlSum>1751.250</CtrlSum>", 1);
	assert!(read(rescaled.as_bytes(), &Limits::default()).is_ok());
}

#[test]
fn a_schema_violation_is_refused_with_what_the_schema_says() {
	let text = String::from_utf8(fixture(OURS)).unwrap();
	// A transfer without its end-to-end id.
	let broken = text.replacen("<EndToEndId>E2E-A-2</EndToEndId>", "", 1);
	let r = refused(broken.as_bytes());
	assert_eq!(r.code, "FF01");
	assert!(r.detail.contains("schema violation") && r.detail.contains("PmtId"), "{r}");
	// An amount with six decimals (the schema allows five).
	let precise = text.replacen(">500<", ">500.000001<", 1);
	assert!(refused(precise.as_bytes()).detail.contains("InstdAmt"));
	// An element the schema does not know.
	let extra = text.replacen("<PmtMtd>TRF</PmtMtd>", "<PmtMtd>TRF</PmtMtd><Evil>1</Evil>", 1);
	assert_eq!(refused(extra.as_bytes()).code, "FF01");
}

#[test]
fn unknown_versions_and_foreign_namespaces_are_refused() {
	let text = String::from_utf8(fixture(OURS)).unwrap();
	let v2 = text.replace("pain.001.001.03", "pain.001.001.02");
	assert!(refused(v2.as_bytes()).detail.contains("namespace"), "{}", refused(v2.as_bytes()));
	let none = text.replace(" xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"", "");
	assert_eq!(refused(none.as_bytes()).code, "FF01");
	// The right namespace on a root that is not `Document`.
	let root = text.replace("<Document ", "<Doc ").replace("</Document>", "</Doc>");
	assert!(refused(root.as_bytes()).detail.contains("Document"));
	// A pacs.008 body under pain.001's namespace: the schema refuses it.
	let mixed = text.replace("CstmrCdtTrfInitn", "FIToFICstmrCdtTrf");
	assert!(refused(mixed.as_bytes()).detail.contains("schema violation"));
}

#[test]
fn hostile_documents_are_refused_before_any_parsing_of_entities() {
	let text = String::from_utf8(fixture(OURS)).unwrap();
	let body = text.split_once("?>").unwrap().1;
	let xxe = format!(
		"<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>{}",
		body.replacen("<MsgId>TPW-2026-12-03-0001</MsgId>", "<MsgId>&x;</MsgId>", 1)
	);
	let r = refused(xxe.as_bytes());
	assert!(r.code == "FF01" && r.detail.contains("DTD"), "{r}");
	let mut laughs =
		String::from("<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY a \"aaaaaaaaaa\">");
	for i in 1..12 {
		let prev = if i == 1 { "a".to_string() } else { format!("a{}", i - 1) };
		laughs += &format!("<!ENTITY a{i} \"{}\">", format!("&{prev};").repeat(10));
	}
	laughs += "]>";
	laughs += &body.replacen("<MsgId>TPW-2026-12-03-0001</MsgId>", "<MsgId>&a11;</MsgId>", 1);
	assert!(refused(laughs.as_bytes()).detail.contains("DTD"));
	let small = Limits { max_bytes: 1024, ..Limits::default() };
	assert!(read(&fixture(OURS), &small).unwrap_err().detail.contains("bytes"));
	assert_eq!(
		refused(b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\">").code,
		"FF01"
	);
	assert_eq!(refused(b"%PDF-1.4 not xml").code, "FF01");
}

/// The public samples (`samples/SOURCES.md`): every one the schema accepts is read, each of its
/// transfers with an end-to-end id and a positive amount.
#[test]
fn published_samples_are_read() {
	let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
	let mut read_any = 0;
	for entry in std::fs::read_dir(&dir).unwrap() {
		let path = entry.unwrap().path();
		if path.extension().and_then(|e| e.to_str()) != Some("xml") {
			continue;
		}
		let bytes = std::fs::read(&path).unwrap();
		let name = path.file_name().unwrap().to_string_lossy().to_string();
		let message = read(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
		assert!(name.starts_with(message.id.name()), "{name} read as {}", message.id.name());
		assert!(!message.instructions.is_empty(), "{name}");
		for i in &message.instructions {
			assert!(!i.end_to_end_id.is_empty() && i.amount.value > 0, "{name}: {i:?}");
		}
		read_any += 1;
	}
	assert!(read_any >= 3, "only {read_any} samples");
	// ISO's example: three transfers in three currencies, amounts as written.
	let iso = std::fs::read(dir.join("pain.001.001.03.iso20022-mdr-example.xml")).unwrap();
	let amounts: Vec<String> = read(&iso, &Limits::default())
		.unwrap()
		.instructions
		.iter()
		.map(|i| i.amount.to_string())
		.collect();
	assert_eq!(amounts, ["10000000 JPY", "500000 EUR", "1000000 USD"]);
}
