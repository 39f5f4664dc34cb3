//! The ISO 20022 messages the gateway reads and writes, each known by its namespace and checked
//! against its official schema (`xsd/`, compiled once, on first use).

use crate::schema::Schema;
use std::sync::OnceLock;

/// A message definition this gateway reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageId {
	/// Customer credit transfer initiation, version 3 (SEPA and most banks' files).
	Pain001V03,
	/// Customer credit transfer initiation, version 9.
	Pain001V09,
	/// FI to FI customer credit transfer, version 8 (CBPR+, RTGS).
	Pacs008V08,
	/// FI to FI payment status report, version 10 (written, for pacs.008).
	Pacs002V10,
	/// Customer payment status report, version 10 (written, for pain.001).
	Pain002V10,
	/// Account report (intraday), version 8 (written).
	Camt052V08,
	/// Statement (end of day), version 8 (written).
	Camt053V08,
	/// Debit/credit notification, version 8 (written).
	Camt054V08,
}

impl MessageId {
	/// What banks send the gateway.
	pub const INBOUND: [MessageId; 3] = [Self::Pain001V03, Self::Pain001V09, Self::Pacs008V08];
	/// What the gateway sends back.
	pub const OUTBOUND: [MessageId; 5] =
		[Self::Pacs002V10, Self::Pain002V10, Self::Camt052V08, Self::Camt053V08, Self::Camt054V08];
	pub const ALL: [MessageId; 8] = [
		Self::Pain001V03,
		Self::Pain001V09,
		Self::Pacs008V08,
		Self::Pacs002V10,
		Self::Pain002V10,
		Self::Camt052V08,
		Self::Camt053V08,
		Self::Camt054V08,
	];

	/// `pain.001.001.03`, …
	pub fn name(self) -> &'static str {
		match self {
			Self::Pain001V03 => "pain.001.001.03",
			Self::Pain001V09 => "pain.001.001.09",
			Self::Pacs008V08 => "pacs.008.001.08",
			Self::Pacs002V10 => "pacs.002.001.10",
			Self::Pain002V10 => "pain.002.001.10",
			Self::Camt052V08 => "camt.052.001.08",
			Self::Camt053V08 => "camt.053.001.08",
			Self::Camt054V08 => "camt.054.001.08",
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
			Self::Pacs002V10 => include_bytes!("../xsd/pacs.002.001.10.xsd"),
			Self::Pain002V10 => include_bytes!("../xsd/pain.002.001.10.xsd"),
			Self::Camt052V08 => include_bytes!("../xsd/camt.052.001.08.xsd"),
			Self::Camt053V08 => include_bytes!("../xsd/camt.053.001.08.xsd"),
			Self::Camt054V08 => include_bytes!("../xsd/camt.054.001.08.xsd"),
		}
	}

	/// Its official schema, compiled on first use.
	pub fn schema(self) -> &'static Schema {
		static SCHEMAS: [OnceLock<Schema>; 8] = [const { OnceLock::new() }; 8];
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
