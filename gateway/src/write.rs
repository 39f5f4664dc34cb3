//! A small XML writer for the messages the gateway emits: elements in the order the caller
//! writes them (the schemas are strict sequences), text escaped, empty text left out (every ISO
//! text type has a minimum length of 1), indented for people who read them.

/// A document being written.
pub struct Writer {
	out: String,
	open: Vec<&'static str>,
}

impl Writer {
	/// A document whose root is `Document` in `namespace`, with `body` (the message's element)
	/// opened inside it.
	pub fn document(namespace: &str, body: &'static str) -> Self {
		let mut out = String::with_capacity(4096);
		out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"");
		escape_into(&mut out, namespace);
		out.push_str("\">\n");
		let mut writer = Self { out, open: vec!["Document"] };
		writer.open(body);
		writer
	}

	fn indent(&mut self) {
		for _ in 0..self.open.len() {
			self.out.push_str("  ");
		}
	}

	/// Opens `<tag>`; [`Writer::close`] closes it.
	pub fn open(&mut self, tag: &'static str) -> &mut Self {
		self.indent();
		self.out.push('<');
		self.out.push_str(tag);
		self.out.push_str(">\n");
		self.open.push(tag);
		self
	}

	/// Closes the innermost open element.
	pub fn close(&mut self) -> &mut Self {
		if let Some(tag) = self.open.pop() {
			self.indent();
			self.out.push_str("</");
			self.out.push_str(tag);
			self.out.push_str(">\n");
		}
		self
	}

	/// `<tag>text</tag>`, or nothing if `text` is empty.
	pub fn leaf(&mut self, tag: &'static str, text: &str) -> &mut Self {
		self.leaf_with(tag, None, text)
	}

	/// `<tag>text</tag>` if `text` is given and not empty.
	pub fn optional(&mut self, tag: &'static str, text: Option<&str>) -> &mut Self {
		if let Some(text) = text {
			self.leaf(tag, text);
		}
		self
	}

	/// `<tag Ccy="…">amount</tag>`.
	pub fn amount(&mut self, tag: &'static str, currency: &str, amount: &str) -> &mut Self {
		self.leaf_with(tag, Some(("Ccy", currency)), amount)
	}

	fn leaf_with(
		&mut self,
		tag: &'static str,
		attribute: Option<(&str, &str)>,
		text: &str,
	) -> &mut Self {
		if text.is_empty() {
			return self;
		}
		self.indent();
		self.out.push('<');
		self.out.push_str(tag);
		if let Some((name, value)) = attribute {
			self.out.push(' ');
			self.out.push_str(name);
			self.out.push_str("=\"");
			escape_into(&mut self.out, value);
			self.out.push('"');
		}
		self.out.push('>');
		escape_into(&mut self.out, text);
		self.out.push_str("</");
		self.out.push_str(tag);
		self.out.push_str(">\n");
		self
	}

	/// The document, every open element closed.
	pub fn finish(mut self) -> String {
		while !self.open.is_empty() {
			self.close();
		}
		self.out
	}
}

/// Text as XML character data: markup characters as entities, and characters XML 1.0 cannot
/// carry at all (controls other than tab, line feed and carriage return) left out.
fn escape_into(out: &mut String, text: &str) {
	for c in text.chars() {
		match c {
			'&' => out.push_str("&amp;"),
			'<' => out.push_str("&lt;"),
			'>' => out.push_str("&gt;"),
			'"' => out.push_str("&quot;"),
			'\'' => out.push_str("&apos;"),
			'\t' | '\n' | '\r' => out.push(c),
			c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
			c => out.push(c),
		}
	}
}

/// `text` cut to at most `max` characters (ISO's `MaxNText` counts characters, not bytes).
pub fn clip(text: &str, max: usize) -> &str {
	match text.char_indices().nth(max) {
		Some((end, _)) => &text[..end],
		None => text,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn writes_nested_elements_in_order_and_escapes_text_and_attributes() {
		let mut w = Writer::document("urn:x", "Msg");
		w.open("A").leaf("B", "x < y & \"z\"").leaf("Empty", "").optional("None", None);
		w.close().amount("Amt", "E\"UR", "1.50");
		let xml = w.finish();
		assert_eq!(
			xml,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:x\">\n  <Msg>\n    \
			 <A>\n      <B>x &lt; y &amp; &quot;z&quot;</B>\n    </A>\n    <Amt \
			 Ccy=\"E&quot;UR\">1.50</Amt>\n  </Msg>\n</Document>\n"
		);
		assert!(roxmltree::Document::parse(&xml).is_ok());
	}

	#[test]
	fn control_characters_xml_cannot_carry_are_left_out() {
		let mut w = Writer::document("urn:x", "Msg");
		w.leaf("T", "a\u{0}b\u{1b}c\td");
		let xml = w.finish();
		assert!(xml.contains("<T>abc\td</T>"), "{xml}");
		assert!(roxmltree::Document::parse(&xml).is_ok());
	}

	#[test]
	fn clips_by_characters_not_bytes() {
		assert_eq!(clip("héllo", 2), "hé");
		assert_eq!(clip("abc", 5), "abc");
		assert_eq!(clip("", 1), "");
	}
}
