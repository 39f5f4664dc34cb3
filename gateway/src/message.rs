//! The ISO 20022 messages the gateway reads, each known by its namespace and checked against its
//! official schema (`xsd/`, compiled once, on first use).

use crate::schema::Schema;
use std::sync::OnceLock;

/// A message definition this gateway reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageId {
	/// Customer credit transfer initiation, version 3 (SEPA and most banks' files).
	Pain001V03,
	/// Customer credit transfer initiation, version 9.
	Pain001V09,
	/// FI to FI customer credit transfer, version 8 (CBPR+, RTGS).
	Pacs008V08,
}

impl MessageId {
	pub const ALL: [MessageId; 3] = [Self::Pain001V03, Self::Pain001V09, Self::Pacs008V08];

	/// `pain.001.001.03`, …
	pub fn name(self) -> &'static str {
		match self {
			Self::Pain001V03 => "pain.001.001.03",
			Self::Pain001V09 => "pain.001.001.09",
			Self::Pacs008V08 => "pacs.008.001.08",
		}
	}

	pub fn namespace(self) -> String {
		format!("urn:iso:std:iso:20022:tech:xsd:{}", self.name())
	}

	pub fn from_namespace(namespace: &str) -> Option<Self> {
		let name = namespace.strip_prefix("urn:iso:std:iso:20022:tech:xsd:")?;
		Self::ALL.into_iter().find(|id| id.name() == name)
	}

	fn xsd(self) -> &'static [u8] {
		match self {
			Self::Pain001V03 => include_bytes!("../xsd/pain.001.001.03.xsd"),
			Self::Pain001V09 => include_bytes!("../xsd/pain.001.001.09.xsd"),
			Self::Pacs008V08 => include_bytes!("../xsd/pacs.008.001.08.xsd"),
		}
	}

	/// Its official schema, compiled on first use.
	pub fn schema(self) -> &'static Schema {
		static SCHEMAS: [OnceLock<Schema>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
		let index = Self::ALL.iter().position(|id| *id == self).unwrap_or(0);
		SCHEMAS[index].get_or_init(|| {
			// The vendored schemas are fixed at build time and compile (a test checks each).
			Schema::compile(self.xsd()).unwrap_or_else(|e| panic!("{}: {e:?}", self.name()))
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_vendored_schema_compiles_and_names_its_namespace() {
		for id in MessageId::ALL {
			let xsd = std::str::from_utf8(id.xsd()).unwrap();
			assert!(
				xsd.contains(&format!("targetNamespace=\"{}\"", id.namespace())),
				"{}",
				id.name()
			);
			let _ = id.schema();
			assert_eq!(MessageId::from_namespace(&id.namespace()), Some(id));
		}
		assert_eq!(
			MessageId::from_namespace("urn:iso:std:iso:20022:tech:xsd:pain.001.001.02"),
			None
		);
		assert_eq!(MessageId::from_namespace("urn:other"), None);
	}
}
