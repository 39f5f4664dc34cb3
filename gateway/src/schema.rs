//! Validation against the official ISO 20022 schemas (`xsd/`, vendored with their source) by
//! libxml2, the validator most XML tooling uses, through the handful of its functions this needs.
//! The document is parsed with the network off and no entity substitution or DTD loading (and
//! `xml.rs` has already refused any DTD).

use std::{
	ffi::{c_char, c_int, c_void, CStr},
	sync::Once,
};

#[repr(C)]
struct XmlSchema {
	_private: [u8; 0],
}
#[repr(C)]
struct XmlSchemaParserCtxt {
	_private: [u8; 0],
}
#[repr(C)]
struct XmlSchemaValidCtxt {
	_private: [u8; 0],
}
#[repr(C)]
struct XmlDoc {
	_private: [u8; 0],
}

/// libxml2's `xmlError` (stable since 2.6): only `message` and `line` are read.
#[repr(C)]
struct XmlError {
	domain: c_int,
	code: c_int,
	message: *const c_char,
	level: c_int,
	file: *const c_char,
	line: c_int,
	str1: *const c_char,
	str2: *const c_char,
	str3: *const c_char,
	int1: c_int,
	int2: c_int,
	ctxt: *mut c_void,
	node: *mut c_void,
}

type StructuredError = extern "C" fn(*mut c_void, *const XmlError);

#[link(name = "xml2")]
extern "C" {
	fn xmlInitParser();
	fn xmlSetStructuredErrorFunc(user: *mut c_void, handler: Option<StructuredError>);
	fn xmlSchemaNewMemParserCtxt(buffer: *const c_char, size: c_int) -> *mut XmlSchemaParserCtxt;
	fn xmlSchemaSetParserStructuredErrors(
		ctxt: *mut XmlSchemaParserCtxt,
		handler: StructuredError,
		user: *mut c_void,
	);
	fn xmlSchemaParse(ctxt: *mut XmlSchemaParserCtxt) -> *mut XmlSchema;
	fn xmlSchemaFreeParserCtxt(ctxt: *mut XmlSchemaParserCtxt);
	fn xmlSchemaFree(schema: *mut XmlSchema);
	fn xmlSchemaNewValidCtxt(schema: *mut XmlSchema) -> *mut XmlSchemaValidCtxt;
	fn xmlSchemaSetValidStructuredErrors(
		ctxt: *mut XmlSchemaValidCtxt,
		handler: StructuredError,
		user: *mut c_void,
	);
	fn xmlSchemaValidateDoc(ctxt: *mut XmlSchemaValidCtxt, doc: *mut XmlDoc) -> c_int;
	fn xmlSchemaFreeValidCtxt(ctxt: *mut XmlSchemaValidCtxt);
	fn xmlReadMemory(
		buffer: *const c_char,
		size: c_int,
		url: *const c_char,
		encoding: *const c_char,
		options: c_int,
	) -> *mut XmlDoc;
	fn xmlFreeDoc(doc: *mut XmlDoc);
}

/// `XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET`: errors are collected, not
/// printed; nothing is fetched. Without `XML_PARSE_NOENT` or `XML_PARSE_DTDLOAD`, no entity is
/// substituted and no DTD loaded.
const PARSE_OPTIONS: c_int = (1 << 5) | (1 << 6) | (1 << 11);
/// Errors kept per document: the first ones say what is wrong.
const MAX_ERRORS: usize = 20;

static INIT: Once = Once::new();

extern "C" fn collect(user: *mut c_void, error: *const XmlError) {
	// SAFETY: `user` is the `Vec<String>` the caller passed for this context, alive for the
	// call; libxml2 passes a valid error or null.
	let (errors, error) = unsafe { (&mut *(user as *mut Vec<String>), error.as_ref()) };
	let Some(error) = error else { return };
	if errors.len() >= MAX_ERRORS || error.message.is_null() {
		return;
	}
	// SAFETY: a non-null `message` is a NUL-terminated string owned by libxml2 for the call.
	let message = unsafe { CStr::from_ptr(error.message) }.to_string_lossy();
	errors.push(format!("line {}: {}", error.line, message.trim_end()));
}

/// One compiled schema. libxml2 does not change a compiled schema while validating with it,
/// and each validation has its own context, so one schema serves every thread.
pub struct Schema {
	schema: *mut XmlSchema,
}

// SAFETY: see the type's comment: the schema is read-only after `compile`.
unsafe impl Send for Schema {}
unsafe impl Sync for Schema {}

impl Schema {
	/// Compiles an XSD (self-contained, as the ISO 20022 ones are).
	pub fn compile(xsd: &[u8]) -> Result<Self, Vec<String>> {
		INIT.call_once(|| unsafe { xmlInitParser() });
		// libxml2 sets up its built-in schema types lazily and racily: two schemas compiled at
		// once on different threads can see `gYearMonth` unresolved. Compiling is rare (once per
		// schema); one at a time.
		static COMPILING: std::sync::Mutex<()> = std::sync::Mutex::new(());
		let _one_at_a_time = COMPILING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let size = c_int::try_from(xsd.len()).map_err(|_| vec!["schema too large".to_string()])?;
		let mut errors: Vec<String> = Vec::new();
		// SAFETY: the buffer outlives the parser context, which is freed before returning;
		// `errors` outlives every callback.
		let schema = unsafe {
			let user = &mut errors as *mut _ as *mut c_void;
			// The schema document's own parse errors go to this thread's handler.
			xmlSetStructuredErrorFunc(user, Some(collect));
			let ctxt = xmlSchemaNewMemParserCtxt(xsd.as_ptr() as *const c_char, size);
			let schema = if ctxt.is_null() {
				std::ptr::null_mut()
			} else {
				xmlSchemaSetParserStructuredErrors(ctxt, collect, user);
				let schema = xmlSchemaParse(ctxt);
				xmlSchemaFreeParserCtxt(ctxt);
				schema
			};
			xmlSetStructuredErrorFunc(std::ptr::null_mut(), None);
			schema
		};
		if schema.is_null() {
			return Err(if errors.is_empty() {
				vec!["the schema did not compile".into()]
			} else {
				errors
			});
		}
		Ok(Self { schema })
	}

	/// Validates `document`; the errors (at most 20) otherwise.
	pub fn validate(&self, document: &[u8]) -> Result<(), Vec<String>> {
		let size =
			c_int::try_from(document.len()).map_err(|_| vec!["document too large".to_string()])?;
		let mut errors: Vec<String> = Vec::new();
		// SAFETY: the document buffer outlives the parse; the parsed document and the
		// validation context are freed before returning; `errors` outlives every callback.
		let outcome = unsafe {
			let doc = xmlReadMemory(
				document.as_ptr() as *const c_char,
				size,
				c"message.xml".as_ptr(),
				std::ptr::null(),
				PARSE_OPTIONS,
			);
			if doc.is_null() {
				return Err(vec!["not well-formed XML".into()]);
			}
			let ctxt = xmlSchemaNewValidCtxt(self.schema);
			if ctxt.is_null() {
				xmlFreeDoc(doc);
				return Err(vec!["libxml2 could not start validating".into()]);
			}
			xmlSchemaSetValidStructuredErrors(ctxt, collect, &mut errors as *mut _ as *mut c_void);
			let outcome = xmlSchemaValidateDoc(ctxt, doc);
			xmlSchemaFreeValidCtxt(ctxt);
			xmlFreeDoc(doc);
			outcome
		};
		match outcome {
			0 => Ok(()),
			_ if errors.is_empty() => Err(vec![format!("invalid (libxml2 code {outcome})")]),
			_ => Err(errors),
		}
	}
}

impl Drop for Schema {
	fn drop(&mut self) {
		// SAFETY: compiled by `compile`, freed once.
		unsafe { xmlSchemaFree(self.schema) }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const XSD: &[u8] = br#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
  <xs:element name="Doc"><xs:complexType><xs:sequence>
    <xs:element name="Amt" type="xs:decimal"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>"#;

	#[test]
	fn a_document_is_checked_against_the_schema() {
		let schema = Schema::compile(XSD).unwrap();
		assert_eq!(schema.validate(br#"<Doc xmlns="urn:t"><Amt>1.5</Amt></Doc>"#), Ok(()));
		let errors = schema.validate(br#"<Doc xmlns="urn:t"><Amt>lots</Amt></Doc>"#).unwrap_err();
		assert!(errors[0].contains("line 1") && errors[0].contains("Amt"), "{errors:?}");
		let errors = schema.validate(br#"<Doc xmlns="urn:other"><Amt>1</Amt></Doc>"#).unwrap_err();
		assert!(errors[0].contains("Doc"), "{errors:?}");
		assert!(schema.validate(b"<Doc").is_err());
	}

	#[test]
	fn a_broken_schema_does_not_compile() {
		assert!(Schema::compile(
			b"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element/></xs:schema>"
		)
		.is_err());
		assert!(Schema::compile(b"not xml").is_err());
	}

	#[test]
	fn one_schema_validates_on_many_threads() {
		let schema = std::sync::Arc::new(Schema::compile(XSD).unwrap());
		let handles: Vec<_> = (0..4)
			.map(|i| {
				let schema = schema.clone();
				std::thread::spawn(move || {
					for n in 0..50 {
						let doc = format!(r#"<Doc xmlns="urn:t"><Amt>{i}.{n}</Amt></Doc>"#);
						assert_eq!(schema.validate(doc.as_bytes()), Ok(()));
					}
				})
			})
			.collect();
		handles.into_iter().for_each(|h| h.join().unwrap());
	}
}
