//! The audit export's two formats, shared by `tpw-ledger audit export` and the API: JSON lines
//! (one entry per line) and CSV (one line per posting, the entry's fields repeated).

use crate::views::EntryView;

pub const CSV_HEADER: &str = "seq,block,phase,event_index,kind,line,account,debit,credit,hash";

pub fn jsonl(entries: impl IntoIterator<Item = EntryView>) -> String {
	let mut out = String::new();
	for entry in entries {
		out.push_str(&serde_json::to_string(&entry).unwrap_or_default());
		out.push('\n');
	}
	out
}

pub fn csv(entries: impl IntoIterator<Item = EntryView>) -> String {
	let mut out = format!("{CSV_HEADER}\n");
	for entry in entries {
		for (n, l) in entry.lines.iter().enumerate() {
			out.push_str(&format!(
				"{},{},{},{},{},{},{},{},{},{}\n",
				entry.seq,
				entry.block,
				field(&entry.phase),
				entry.event_index,
				field(&entry.kind),
				n,
				field(&l.account),
				l.debit,
				l.credit,
				entry.hash
			));
		}
	}
	out
}

/// A CSV field, quoted when it needs to be.
fn field(value: &str) -> String {
	if value.contains([',', '"', '\n', '\r']) {
		format!("\"{}\"", value.replace('"', "\"\""))
	} else {
		value.to_string()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::views::LineView;

	#[test]
	fn csv_quotes_what_needs_quoting_and_jsonl_is_one_line_per_entry() {
		let entry = EntryView {
			seq: 1,
			block: 2,
			phase: "ApplyExtrinsic(1)".into(),
			event_index: 3,
			kind: "A,\"B\"".into(),
			lines: vec![
				LineView { account: "x".into(), debit: "5".into(), credit: "0".into() },
				LineView { account: "y".into(), debit: "0".into(), credit: "5".into() },
			],
			hash: "0x00".into(),
		};
		let csv = csv([entry.clone()]);
		assert_eq!(csv.lines().count(), 3);
		assert!(csv.contains("\"A,\"\"B\"\"\""));
		let jsonl = jsonl([entry.clone(), entry]);
		assert_eq!(jsonl.lines().count(), 2);
	}
}
