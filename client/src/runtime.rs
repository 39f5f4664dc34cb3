//! The chain's runtime as the tools see it, read from the chain at the block they act on: its
//! versions and metadata. Transactions are signed with those versions and encoded with that
//! metadata, and events and dispatch errors are decoded with it, so `tpw` and `tpw-relayer` keep
//! working across a runtime upgrade without a rebuild. Built on subxt's offline client: the
//! connection stays ours ([`crate::chain::Chain`]).

use crate::{call::Call, keys::Keys, BlockNumber};
use anyhow::{anyhow, Context, Result};
use polkadot_sdk::sp_core::{Pair as _, H256};
use subxt::{
	config::{substrate::SpecVersionForRange, SubstrateConfig, SubstrateExtrinsicParamsBuilder},
	error::DispatchError,
	events::{DecodeAsEvent, Events},
	utils::{AccountId32, MultiSignature},
	ArcMetadata, OfflineClient, OfflineClientAtBlock,
};

/// The runtime of one chain at one block: what the chain itself reports there.
#[derive(Clone)]
pub struct RuntimeAt {
	pub spec_version: u32,
	pub transaction_version: u32,
	pub metadata: ArcMetadata,
	genesis: H256,
}

impl RuntimeAt {
	pub fn new(
		genesis: H256,
		spec_version: u32,
		transaction_version: u32,
		metadata: ArcMetadata,
	) -> Self {
		Self { spec_version, transaction_version, metadata, genesis }
	}

	/// subxt's offline client for this runtime (any block: only the versions matter).
	fn client(&self) -> Result<OfflineClientAtBlock<SubstrateConfig>> {
		let config = SubstrateConfig::builder()
			.set_genesis_hash(self.genesis)
			.set_spec_version_for_block_ranges([SpecVersionForRange {
				block_range: 0..u64::MAX,
				spec_version: self.spec_version,
				transaction_version: self.transaction_version,
			}])
			.set_metadata_for_spec_versions([(self.spec_version, self.metadata.clone())])
			.build();
		OfflineClient::new_with_config(config).at_block(0u64).context("runtime metadata")
	}

	/// `call` signed by `keys` with `nonce`, valid for `mortality` blocks from block `from`:
	/// the extrinsic's bytes.
	pub fn sign(
		&self,
		call: &Call,
		keys: &Keys,
		nonce: u32,
		mortality: u64,
		from: (BlockNumber, H256),
	) -> Result<Vec<u8>> {
		let params = SubstrateExtrinsicParamsBuilder::<SubstrateConfig>::new()
			.nonce(nonce.into())
			.mortal_from_unchecked(mortality, from.0.into(), from.1)
			.build();
		let client = self.client()?;
		let mut signable = client
			.tx()
			.create_signable_offline(call, params)
			.with_context(|| format!("encoding {}.{}", call.pallet(), call.function()))?;
		let tx = signable.sign(&KeysSigner(keys)).context("signing")?;
		Ok(tx.into_encoded())
	}

	/// `call` as the runtime's `RuntimeCall` bytes (what `sudo` or a multisig wraps).
	pub fn encode_call(&self, call: &Call) -> Result<Vec<u8>> {
		self.client()?
			.tx()
			.call_data(call)
			.with_context(|| format!("encoding {}.{}", call.pallet(), call.function()))
	}

	/// Constant `pallet.name` of the runtime (a `#[pallet::constant]`), decoded as `T`.
	pub fn constant<T: codec::Decode>(&self, pallet: &str, name: &str) -> Result<T> {
		let constant = self
			.metadata
			.pallet_by_name(pallet)
			.and_then(|p| p.constant_by_name(name))
			.ok_or_else(|| anyhow!("the runtime has no constant {pallet}.{name}"))?;
		T::decode(&mut constant.value()).with_context(|| format!("decoding {pallet}.{name}"))
	}

	/// The events of a block from the bytes of `System::Events`.
	pub fn events(&self, bytes: Vec<u8>) -> Result<Events<SubstrateConfig>> {
		Ok(self.client()?.events().from_bytes(bytes))
	}

	/// A dispatch error in words, the pallet's own errors by name ("Htlc::SwapNotExpired").
	pub fn describe_error(&self, bytes: &[u8]) -> String {
		match DispatchError::decode_from(bytes, self.metadata.clone()) {
			Ok(DispatchError::Module(module)) => module.details_string(),
			// By variant name, as `sp_runtime::DispatchError` prints: `BadOrigin`, `Token(FundsUnavailable)`.
			Ok(other) => format!("{other:?}"),
			Err(e) => format!("undecodable dispatch error 0x{} ({e})", hex::encode(bytes)),
		}
	}
}

/// The events of extrinsic `index` of a block.
pub struct ExtrinsicEvents {
	events: Events<SubstrateConfig>,
	index: u32,
}

impl ExtrinsicEvents {
	pub fn new(events: Events<SubstrateConfig>, index: u32) -> Self {
		Self { events, index }
	}

	/// Each event of type `E` the extrinsic emitted, decoded by field name.
	pub fn find<E: DecodeAsEvent>(&self) -> Result<Vec<E>> {
		find_in(&self.events, Some(self.index))
	}

	/// The field bytes of each `pallet.event` the extrinsic emitted (for fields whose decoding
	/// needs the metadata, such as a dispatch error).
	pub fn raw(&self, pallet: &str, event: &str) -> Result<Vec<Vec<u8>>> {
		let mut found = Vec::new();
		for e in self.events.iter() {
			let e = e.context("decoding an event")?;
			if e.phase() == subxt::events::Phase::ApplyExtrinsic(self.index)
				&& e.pallet_name() == pallet
				&& e.event_name() == event
			{
				found.push(e.field_bytes().to_vec());
			}
		}
		Ok(found)
	}

	/// The first event of type `E` the extrinsic emitted; an error if there is none.
	pub fn expect<E: DecodeAsEvent>(&self, what: &str) -> Result<E> {
		self.find::<E>()?.into_iter().next().ok_or_else(|| anyhow!("no {what} event"))
	}
}

/// Each event of type `E` in `events`, of extrinsic `index` only if given.
pub fn find_in<E: DecodeAsEvent>(
	events: &Events<SubstrateConfig>,
	index: Option<u32>,
) -> Result<Vec<E>> {
	let mut found = Vec::new();
	for event in events.iter() {
		let event = event.context("decoding an event")?;
		if let Some(index) = index {
			if event.phase() != subxt::events::Phase::ApplyExtrinsic(index) {
				continue;
			}
		}
		if let Some(decoded) = event.decode_fields_as::<E>() {
			found.push(decoded.with_context(|| {
				format!("decoding {}.{}", event.pallet_name(), event.event_name())
			})?);
		}
	}
	Ok(found)
}

/// Our sr25519 keys as subxt's signer.
struct KeysSigner<'a>(&'a Keys);

impl subxt::tx::Signer<SubstrateConfig> for KeysSigner<'_> {
	fn account_id(&self) -> AccountId32 {
		AccountId32(self.0.pair().public().0)
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.0.pair().sign(payload).0)
	}
}
