//! Untrusted XML in: read into a read-only tree only if it is small, shallow and plain. A
//! document type declaration is refused outright (ISO 20022 messages have none), so no entity is
//! ever defined or expanded: no external entities (XXE), no billion laughs. Nothing is fetched.

use crate::reject::Rejection;

/// Bounds on a message.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
	/// Bytes of the whole document.
	pub max_bytes: usize,
	/// Elements inside one another (ISO 20022 messages nest about 12 deep).
	pub max_depth: usize,
	/// Nodes (elements, attributes, text) in the tree.
	pub max_nodes: u32,
}

impl Default for Limits {
	/// 4 MiB: a few thousand transactions per message; split bigger batches.
	fn default() -> Self {
		Self { max_bytes: 4 << 20, max_depth: 32, max_nodes: 400_000 }
	}
}

/// `bytes` as a tree, or why not.
pub fn parse<'a>(bytes: &'a [u8], limits: &Limits) -> Result<roxmltree::Document<'a>, Rejection> {
	if bytes.len() > limits.max_bytes {
		return Err(Rejection::too_large(bytes.len(), limits.max_bytes));
	}
	let text = std::str::from_utf8(bytes)
		.map_err(|e| Rejection::malformed(format!("not UTF-8 at byte {}", e.valid_up_to())))?;
	// Before building any tree (whose builder may recurse): too deep is refused here.
	check_depth(text.as_bytes(), limits.max_depth)?;
	// A byte-order mark is allowed before the XML declaration (some banks' files have one).
	let text = text.strip_prefix('\u{feff}').unwrap_or(text);
	let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: limits.max_nodes };
	let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
		roxmltree::Error::DtdDetected => {
			Rejection::malformed("a document type declaration (DTD): none is allowed".to_string())
		}
		roxmltree::Error::NodesLimitReached => {
			Rejection::malformed(format!("more than {} nodes", limits.max_nodes))
		}
		other => Rejection::malformed(other.to_string()),
	})?;
	Ok(doc)
}

/// How deep elements nest, in one pass over the bytes and constant memory: tags are counted,
/// skipping comments, CDATA sections, processing instructions and quoted attribute values. A
/// document type declaration is refused here too. What this scan cannot make sense of, the
/// parser refuses afterwards.
fn check_depth(bytes: &[u8], max_depth: usize) -> Result<(), Rejection> {
	let too_deep = || Rejection::malformed(format!("elements nested more than {max_depth} deep"));
	let skip_past = |from: usize, end: &[u8]| {
		bytes
			.get(from..)
			.and_then(|rest| rest.windows(end.len()).position(|w| w == end))
			.map(|at| from + at + end.len())
	};
	let mut depth: usize = 0;
	let mut i = 0;
	while let Some(offset) = bytes.get(i..).and_then(|rest| rest.iter().position(|b| *b == b'<')) {
		let at = i + offset;
		let rest = &bytes[at..];
		i = if rest.starts_with(b"<!--") {
			skip_past(at + 4, b"-->")
		} else if rest.starts_with(b"<![CDATA[") {
			skip_past(at + 9, b"]]>")
		} else if rest.starts_with(b"<!") {
			return Err(Rejection::malformed(
				"a document type declaration (DTD): none is allowed".to_string(),
			));
		} else if rest.starts_with(b"<?") {
			skip_past(at + 2, b"?>")
		} else if rest.starts_with(b"</") {
			depth = depth.saturating_sub(1);
			skip_past(at + 2, b">")
		} else {
			// A start tag: to its `>` outside quotes; `/>` closes it at once.
			let mut quote: Option<u8> = None;
			let mut end = None;
			for (n, b) in rest.iter().enumerate().skip(1) {
				match (quote, *b) {
					(Some(q), b) if b == q => quote = None,
					(Some(_), _) => {}
					(None, b'"' | b'\'') => quote = Some(*b),
					(None, b'>') => {
						end = Some(n);
						break;
					}
					_ => {}
				}
			}
			match end {
				Some(n) => {
					if rest[n - 1] != b'/' {
						depth += 1;
						if depth > max_depth {
							return Err(too_deep());
						}
					}
					Some(at + n + 1)
				}
				None => None,
			}
		}
		.unwrap_or(bytes.len());
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn reason(bytes: &[u8]) -> String {
		match parse(bytes, &Limits::default()) {
			Ok(_) => "accepted".into(),
			Err(r) => format!("{} {}", r.code, r.detail),
		}
	}

	#[test]
	fn a_plain_document_is_read() {
		let doc = parse(
			br#"<?xml version="1.0"?><Document xmlns="urn:x"><A>1</A></Document>"#,
			&Limits::default(),
		)
		.unwrap();
		assert_eq!(doc.root_element().tag_name().name(), "Document");
	}

	#[test]
	fn external_entities_are_refused_before_anything_is_read() {
		let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:x"><A>&x;</A></Document>"#;
		assert!(reason(xxe).contains("FF01 a document type declaration"), "{}", reason(xxe));
		let remote = br#"<!DOCTYPE Document SYSTEM "http://attacker.example/x.dtd"><Document/>"#;
		assert!(reason(remote).contains("document type declaration"));
	}

	#[test]
	fn billion_laughs_are_refused() {
		let mut bomb =
			String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
		for i in 1..10 {
			let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
			bomb += &format!("<!ENTITY lol{i} \"{}\">\n", format!("&{prev};").repeat(10));
		}
		bomb += "]>\n<lolz>&lol9;</lolz>";
		assert!(reason(bomb.as_bytes()).contains("document type declaration"));
	}

	#[test]
	fn oversized_deep_wide_or_broken_documents_are_refused() {
		let limits = Limits { max_bytes: 100, max_depth: 3, max_nodes: 10 };
		let big = format!("<a>{}</a>", "x".repeat(200));
		assert!(matches!(parse(big.as_bytes(), &limits), Err(r) if r.detail.contains("bytes")));
		let deep = b"<a><b><c><d><e/></d></c></b></a>";
		assert!(matches!(parse(deep, &limits), Err(r) if r.detail.contains("nested")));
		let wide = b"<a><b/><b/><b/><b/><b/><b/><b/><b/><b/><b/><b/></a>";
		assert!(matches!(parse(wide, &limits), Err(r) if r.detail.contains("nodes")));
		assert!(reason(b"<a><b></a>").starts_with("FF01"));
		assert!(reason(b"\xff\xfe<a/>").contains("UTF-8"));
		assert!(reason(b"").starts_with("FF01"));
	}

	#[test]
	fn a_deeply_nested_document_is_refused_without_exhausting_the_stack() {
		let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
		let limits = Limits { max_bytes: 1 << 20, ..Limits::default() };
		assert!(matches!(parse(deep.as_bytes(), &limits), Err(r) if r.detail.contains("nested")));
	}
}
