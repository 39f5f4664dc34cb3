//! The runtime calls the relayer and the bridge's governance submit, named by pallet and
//! function: the chain's metadata encodes them at submission.

use crate::finality::Justification;
use polkadot_sdk::{
	bp_header_chain::InitializationData, bp_runtime::BasicOperatingMode, sp_core::H256,
};
use tpw_client::{
	bridge::{AuthoritySet, ChainId, Header, LaneId, MessageNonce},
	call::Call,
	AssetKind, Balance, BlockNumber,
};

pub use tpw_client::chain::calls::sudo;

/// Starts the light client at `header` of the other chain, with the authority set that
/// finalizes its descendants.
pub fn initialize(header: Header, set: AuthoritySet) -> Call {
	let init_data = InitializationData {
		header: Box::new(header),
		authority_list: set.authorities,
		set_id: set.set_id,
		operating_mode: BasicOperatingMode::Normal,
	};
	Call::new("BridgeGrandpa", "initialize").arg("init_data", init_data)
}

/// Imports `header` of the other chain into the light client, finalized by `justification`
/// of authority set `set_id` (the one the light client knows).
pub fn submit_header(header: Header, justification: Justification, set_id: u64) -> Call {
	Call::new("BridgeGrandpa", "submit_finality_proof_ex")
		.arg("finality_target", header)
		.arg("justification", justification)
		.arg("current_set_id", set_id)
		.arg("is_free_execution_expected", false)
}

/// Delivers messages `first..=last` of `lane`, proven against `bridged_header`.
pub fn deliver(
	bridged_header: H256,
	lane: LaneId<ChainId>,
	first: MessageNonce,
	last: MessageNonce,
	proof: Vec<Vec<u8>>,
) -> Call {
	Call::new("Bridge", "deliver_messages")
		.arg("bridged_header", bridged_header)
		.arg("lane", lane)
		.arg("first", first)
		.arg("last", last)
		.arg("proof", proof)
}

/// Proves the other chain's inbound lane (the receipt) against `bridged_header`.
pub fn confirm(bridged_header: H256, proof: Vec<Vec<u8>>) -> Call {
	Call::new("Bridge", "confirm_delivery")
		.arg("bridged_header", bridged_header)
		.arg("proof", proof)
}

/// Governance: the chain the light client follows (root).
pub fn set_bridged_chain(chain: ChainId) -> Call {
	Call::new("Bridge", "set_bridged_chain").arg("chain", chain)
}

/// Governance: an outbound lane to another chain (root).
pub fn open_lane(destination: ChainId) -> Call {
	Call::new("Bridge", "open_lane").arg("destination", destination)
}

/// Governance: lists a local asset for bridging (root).
pub fn list_asset(asset: AssetKind, max_per_window: Balance, window: BlockNumber) -> Call {
	let limit = tpwallet_bridge_primitives::RateLimit { max_per_window, window };
	Call::new("Bridge", "list_asset").arg("asset", asset).arg("limit", limit)
}

/// Governance: creates `local` as the wrapped representation of the other chain's `remote`
/// (root).
pub fn register_wrapped(
	remote: AssetKind,
	local: AssetKind,
	min_balance: Balance,
	max_per_window: Balance,
	window: BlockNumber,
) -> Call {
	let limit = tpwallet_bridge_primitives::RateLimit { max_per_window, window };
	Call::new("Bridge", "register_wrapped")
		.arg("remote", remote)
		.arg("local", local)
		.arg("min_balance", min_balance)
		.arg("limit", limit)
}

/// An application message for `destination` (signed by the sender).
pub fn send_message(destination: ChainId, remark: tpwallet_bridge_primitives::Remark) -> Call {
	Call::new("Bridge", "send_message").arg("destination", destination).arg("remark", remark)
}
