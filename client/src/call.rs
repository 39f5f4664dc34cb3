//! A runtime call named by pallet and function, not by index: the chain's metadata, read at
//! submission, gives it its indices and checks its argument names, so a runtime upgrade that
//! moves a pallet or a call does not break a tool built before it.

use codec::Encode;
use subxt::ext::scale_encode::{
	self, Composite, CompositeField, EncodeAsFields, EncodeAsType, FieldIter, TypeResolver, Variant,
};
/// A dynamic value for [`Call::value_arg`]: encoded by the metadata's type for the argument.
pub use subxt::ext::scale_value::Value;

/// `pallet.function(args)`, each argument named as in the pallet's call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
	pallet: &'static str,
	function: &'static str,
	args: Vec<(&'static str, Arg)>,
}

/// One argument: SCALE bytes of a value whose type off-chain code shares with the pallet (the
/// name is checked against the metadata, the bytes are not), or a call nested in this one.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Arg {
	Scale(Vec<u8>),
	Call(Box<Call>),
	Calls(Vec<Call>),
	Value(Value),
}

impl Call {
	/// `pallet.function` without arguments yet.
	pub fn new(pallet: &'static str, function: &'static str) -> Self {
		Self { pallet, function, args: Vec::new() }
	}

	/// Adds argument `name` with `value`.
	pub fn arg(mut self, name: &'static str, value: impl Encode) -> Self {
		self.args.push((name, Arg::Scale(value.encode())));
		self
	}

	/// Adds argument `name` holding another call (`sudo`'s `call`, `proxy`'s `call`).
	pub fn call_arg(mut self, name: &'static str, call: Call) -> Self {
		self.args.push((name, Arg::Call(Box::new(call))));
		self
	}

	/// Adds argument `name` as a dynamic value, encoded by the metadata's type for it (enum
	/// variants by name: for runtime-wide enums such as `RuntimeParameters`).
	pub fn value_arg(mut self, name: &'static str, value: Value) -> Self {
		self.args.push((name, Arg::Value(value)));
		self
	}

	/// Adds argument `name` holding a list of calls (`utility.batch`'s `calls`).
	pub fn calls_arg(mut self, name: &'static str, calls: Vec<Call>) -> Self {
		self.args.push((name, Arg::Calls(calls)));
		self
	}

	pub fn pallet(&self) -> &'static str {
		self.pallet
	}

	pub fn function(&self) -> &'static str {
		self.function
	}

	fn fields<'a, R: TypeResolver + 'a>(
		&'a self,
	) -> Composite<
		R,
		impl ExactSizeIterator<Item = (Option<&'a str>, CompositeField<'a, R>)> + Clone + 'a,
	> {
		Composite::new(self.args.iter().map(|(name, arg)| (Some(*name), CompositeField::new(arg))))
	}
}

/// The call as the runtime's `RuntimeCall`: the pallet's variant, then the function's.
impl EncodeAsType for Call {
	fn encode_as_type_to<R: TypeResolver>(
		&self,
		type_id: R::TypeId,
		types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		let function = FunctionCall(self);
		let encoded = Variant {
			name: self.pallet,
			fields: Composite::new([(None, CompositeField::new(&function))].into_iter()),
		}
		.encode_variant_as_type_to(type_id, types, out);
		encoded
	}
}

/// The pallet's own `Call` enum inside `RuntimeCall`.
struct FunctionCall<'a>(&'a Call);

impl EncodeAsType for FunctionCall<'_> {
	fn encode_as_type_to<R: TypeResolver>(
		&self,
		type_id: R::TypeId,
		types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		Variant { name: self.0.function, fields: self.0.fields() }
			.encode_variant_as_type_to(type_id, types, out)
	}
}

/// The arguments alone, as a transaction's call data.
impl EncodeAsFields for Call {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		fields: &mut dyn FieldIter<'_, R::TypeId>,
		types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		self.fields().encode_composite_fields_to(fields, types, out)
	}
}

impl EncodeAsType for Arg {
	fn encode_as_type_to<R: TypeResolver>(
		&self,
		type_id: R::TypeId,
		types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		match self {
			Arg::Scale(bytes) => {
				out.extend_from_slice(bytes);
				Ok(())
			}
			Arg::Call(call) => call.encode_as_type_to(type_id, types, out),
			Arg::Calls(calls) => calls.encode_as_type_to(type_id, types, out),
			Arg::Value(value) => value.encode_as_type_to(type_id, types, out),
		}
	}
}

/// A call is submitted as `pallet.function` with its arguments as call data.
impl subxt::tx::Payload for Call {
	type CallData = Call;

	fn pallet_name(&self) -> &str {
		self.pallet
	}

	fn call_name(&self) -> &str {
		self.function
	}

	fn call_data(&self) -> &Call {
		self
	}
}
