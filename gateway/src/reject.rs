//! Why a message or a transaction is refused, as an ISO 20022 status reason code
//! (`ExternalStatusReason1Code`, `xsd/ExternalStatusReason1Code.md`) and words for people.

use std::fmt;

/// A refusal: the ISO status reason code and what exactly was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
	/// `FF01`, `AM05`, `AC03`, …
	pub code: String,
	pub detail: String,
}

impl Rejection {
	pub fn new(code: &str, detail: impl Into<String>) -> Self {
		Self { code: code.to_string(), detail: detail.into() }
	}

	/// Not XML, or XML this gateway does not read (a DTD, too deep, too many nodes).
	pub fn malformed(detail: String) -> Self {
		Self::new("FF01", detail)
	}

	pub fn too_large(bytes: usize, max: usize) -> Self {
		Self::new("FF01", format!("{bytes} bytes: a message holds at most {max} bytes"))
	}

	/// The official schema refuses it.
	pub fn schema(errors: &[String]) -> Self {
		let shown: Vec<&str> = errors.iter().take(5).map(String::as_str).collect();
		let more = errors.len().saturating_sub(shown.len());
		let mut detail = format!("schema violation: {}", shown.join("; "));
		if more > 0 {
			detail += &format!(" (and {more} more)");
		}
		Self::new("FF01", detail)
	}
}

impl fmt::Display for Rejection {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "{}: {}", self.code, self.detail)
	}
}

impl std::error::Error for Rejection {}
