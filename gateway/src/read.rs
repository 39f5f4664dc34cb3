//! A payment message from bytes: read safely (`xml.rs`), recognised by its namespace, validated
//! against its official schema, then its credit transfers taken out (pain.001 versions 3 and 9,
//! pacs.008 version 8) and checked against the group header's counts and sums.

use crate::{
	message::MessageId,
	model::{AccountRef, Amount, Code, Instruction, Message, Party},
	reject::Rejection,
	xml::{self, Limits},
};
use roxmltree::Node;

/// Reads `bytes` as a payment message; nothing in it is trusted before this returns.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Message, Rejection> {
	let doc = xml::parse(bytes, limits)?;
	let root = doc.root_element();
	let namespace = root.tag_name().namespace().unwrap_or("");
	let inbound = MessageId::from_namespace(namespace).filter(|id| MessageId::INBOUND.contains(id));
	let id = inbound.ok_or_else(|| {
		Rejection::new(
			"FF01",
			format!(
				"namespace `{namespace}`: this gateway reads {}",
				MessageId::INBOUND.map(|id| id.name()).join(", ")
			),
		)
	})?;
	if root.tag_name().name() != "Document" {
		return Err(Rejection::new("FF01", "the root element is not `Document`"));
	}
	id.schema().validate(bytes).map_err(|errors| Rejection::schema(&errors))?;
	let message = match id {
		MessageId::Pain001V03 | MessageId::Pain001V09 => initiation(id, root)?,
		MessageId::Pacs008V08 => interbank(id, root)?,
		// Filtered out above: what the gateway writes is not read as a payment.
		outbound => {
			return Err(Rejection::new("FF01", format!("{} is not a payment", outbound.name())))
		}
	};
	Ok(message)
}

/// `CstmrCdtTrfInitn`: payment information blocks (one debtor each) of credit transfers.
fn initiation(id: MessageId, root: Node) -> Result<Message, Rejection> {
	let body = required(root, &["CstmrCdtTrfInitn"])?;
	let header = required(body, &["GrpHdr"])?;
	let msg_id = required_text(header, &["MsgId"])?;
	let mut instructions = Vec::new();
	for block in children(body, "PmtInf") {
		let batch = required_text(block, &["PmtInfId"])?;
		let debtor = party(child(block, &["Dbtr"]));
		let debtor_account = child(block, &["DbtrAcct"]).map(account).transpose()?;
		let debtor_agent = agent(child(block, &["DbtrAgt"]));
		let mut in_block = Vec::new();
		for tx in children(block, "CdtTrfTxInf") {
			let amount = child(tx, &["Amt", "InstdAmt"]).ok_or_else(|| {
				Rejection::new(
					"AM12",
					"an instructed amount is needed (an equivalent amount is not taken)",
				)
			})?;
			in_block.push(Instruction {
				msg_id: msg_id.clone(),
				batch: Some(batch.clone()),
				instr_id: text(tx, &["PmtId", "InstrId"]),
				end_to_end_id: required_text(tx, &["PmtId", "EndToEndId"])?,
				tx_id: None,
				uetr: text(tx, &["PmtId", "UETR"]),
				amount: amount_of(amount)?,
				debtor: debtor.clone(),
				debtor_account: debtor_account.clone(),
				debtor_agent: debtor_agent.clone(),
				creditor: party(child(tx, &["Cdtr"])),
				creditor_account: child(tx, &["CdtrAcct"]).map(account).transpose()?,
				creditor_agent: agent(child(tx, &["CdtrAgt"])),
				remittance: children_text(tx, &["RmtInf"], "Ustrd"),
			});
		}
		check_totals(block, &in_block, &format!("payment information {batch}"))?;
		instructions.extend(in_block);
	}
	check_totals(header, &instructions, "the group header")?;
	Ok(Message { id, msg_id, created: required_text(header, &["CreDtTm"])?, instructions })
}

/// `FIToFICstmrCdtTrf`: credit transfers between agents.
fn interbank(id: MessageId, root: Node) -> Result<Message, Rejection> {
	let body = required(root, &["FIToFICstmrCdtTrf"])?;
	let header = required(body, &["GrpHdr"])?;
	let msg_id = required_text(header, &["MsgId"])?;
	let mut instructions = Vec::new();
	for tx in children(body, "CdtTrfTxInf") {
		instructions.push(Instruction {
			msg_id: msg_id.clone(),
			batch: None,
			instr_id: text(tx, &["PmtId", "InstrId"]),
			end_to_end_id: required_text(tx, &["PmtId", "EndToEndId"])?,
			tx_id: text(tx, &["PmtId", "TxId"]),
			uetr: text(tx, &["PmtId", "UETR"]),
			amount: amount_of(required(tx, &["IntrBkSttlmAmt"])?)?,
			debtor: party(child(tx, &["Dbtr"])),
			debtor_account: child(tx, &["DbtrAcct"]).map(account).transpose()?,
			debtor_agent: agent(child(tx, &["DbtrAgt"])),
			creditor: party(child(tx, &["Cdtr"])),
			creditor_account: child(tx, &["CdtrAcct"]).map(account).transpose()?,
			creditor_agent: agent(child(tx, &["CdtrAgt"])),
			remittance: children_text(tx, &["RmtInf"], "Ustrd"),
		});
	}
	check_totals(header, &instructions, "the group header")?;
	Ok(Message { id, msg_id, created: required_text(header, &["CreDtTm"])?, instructions })
}

/// `NbOfTxs` and, when given, `CtrlSum` of `node` against the transactions it covers.
fn check_totals(node: Node, instructions: &[Instruction], what: &str) -> Result<(), Rejection> {
	if let Some(count) = text(node, &["NbOfTxs"]) {
		if count.parse::<usize>().ok() != Some(instructions.len()) {
			return Err(Rejection::new(
				"AM18",
				format!("{what} says {count} transactions; it has {}", instructions.len()),
			));
		}
	}
	if let Some(sum) = text(node, &["CtrlSum"]) {
		// Compared at the finest scale present, exactly.
		let control = Amount::parse(&sum, "").map_err(|_| {
			Rejection::new("AM10", format!("{what}: control sum `{sum}` is not an amount"))
		})?;
		let scale =
			instructions.iter().map(|i| i.amount.scale).chain([control.scale]).max().unwrap_or(0);
		let total = instructions
			.iter()
			.try_fold(0u128, |sum, i| sum.checked_add(i.amount.in_units(scale).ok()?))
			.ok_or_else(|| Rejection::new("AM10", format!("{what}: the amounts overflow")))?;
		if control.in_units(scale).ok() != Some(total) {
			return Err(Rejection::new(
				"AM10",
				format!("{what}: control sum {sum} is not the sum of its amounts"),
			));
		}
	}
	Ok(())
}

fn amount_of(node: Node) -> Result<Amount, Rejection> {
	let currency = node.attribute("Ccy").unwrap_or("");
	Amount::parse(node.text().unwrap_or(""), currency)
}

/// An account's identification (`Id/IBAN`, `Id/Othr`) or proxy (`Prxy`).
fn account(node: Node) -> Result<AccountRef, Rejection> {
	if let Some(iban) = text(node, &["Id", "IBAN"]) {
		return Ok(AccountRef::Iban(iban));
	}
	if let Some(id) = text(node, &["Id", "Othr", "Id"]) {
		let scheme = code(node, &["Id", "Othr", "SchmeNm"]);
		return Ok(AccountRef::Other { id, scheme, issuer: text(node, &["Id", "Othr", "Issr"]) });
	}
	if let Some(id) = text(node, &["Prxy", "Id"]) {
		return Ok(AccountRef::Proxy { kind: code(node, &["Prxy", "Tp"]), id });
	}
	Err(Rejection::new("AC01", "an account without an identification"))
}

/// A `Cd` / `Prtry` choice under `path`.
fn code(node: Node, path: &[&'static str]) -> Option<Code> {
	let parent = child(node, path)?;
	text(parent, &["Cd"])
		.map(Code::Code)
		.or_else(|| text(parent, &["Prtry"]).map(Code::Proprietary))
}

/// An agent's BIC (`BIC` in version 3, `BICFI` after).
fn agent(node: Option<Node>) -> Option<String> {
	let node = node?;
	text(node, &["FinInstnId", "BICFI"]).or_else(|| text(node, &["FinInstnId", "BIC"]))
}

fn party(node: Option<Node>) -> Party {
	let Some(node) = node else { return Party::default() };
	let mut address = Vec::new();
	if let Some(postal) = child(node, &["PstlAdr"]) {
		leaves(postal, "", &mut address);
	}
	let country = address
		.iter()
		.find(|(path, _)| path == "Ctry")
		.map(|(_, c)| c.clone())
		.or_else(|| text(node, &["CtryOfRes"]));
	let mut ids = Vec::new();
	if let Some(id) = child(node, &["Id"]) {
		leaves(id, "", &mut ids);
	}
	Party { name: text(node, &["Nm"]), country, address, ids }
}

/// Every leaf under `node` as `(path, text)`, in document order.
fn leaves(node: Node, prefix: &str, out: &mut Vec<(String, String)>) {
	for element in node.children().filter(Node::is_element) {
		let path = if prefix.is_empty() {
			element.tag_name().name().to_string()
		} else {
			format!("{prefix}/{}", element.tag_name().name())
		};
		if element.children().any(|c| c.is_element()) {
			leaves(element, &path, out);
		} else {
			out.push((path, element.text().unwrap_or("").trim().to_string()));
		}
	}
}

/// The child elements of `node` named `name` (in the message's namespace).
fn children<'a, 'input>(
	node: Node<'a, 'input>,
	name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
	node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn child<'a, 'input>(node: Node<'a, 'input>, path: &[&'static str]) -> Option<Node<'a, 'input>> {
	path.iter().try_fold(node, |at, name| children(at, name).next())
}

fn required<'a, 'input>(
	node: Node<'a, 'input>,
	path: &[&'static str],
) -> Result<Node<'a, 'input>, Rejection> {
	child(node, path).ok_or_else(|| Rejection::new("FF01", format!("no {}", path.join("/"))))
}

fn text(node: Node, path: &[&'static str]) -> Option<String> {
	child(node, path).and_then(|n| n.text()).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn required_text(node: Node, path: &[&'static str]) -> Result<String, Rejection> {
	text(node, path).ok_or_else(|| Rejection::new("FF01", format!("no {}", path.join("/"))))
}

fn children_text(node: Node, path: &[&'static str], name: &'static str) -> Vec<String> {
	child(node, path)
		.map(|parent| {
			children(parent, name).filter_map(|n| n.text()).map(|t| t.trim().to_string()).collect()
		})
		.unwrap_or_default()
}
