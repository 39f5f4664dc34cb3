//! The runtime calls the relayer and the bridge's governance submit.

use crate::finality::Justification;
use polkadot_sdk::sp_core::H256;
use tpw_client::{
	bridge::{AuthoritySet, ChainId, Header, LaneId, MessageNonce},
	AssetKind, Balance, BlockNumber,
};
use tpwallet_runtime::{
	bp_header_chain::InitializationData, bp_runtime::BasicOperatingMode, pallet_bridge_grandpa,
	pallet_sudo, Runtime, RuntimeCall,
};

type BridgeCall = pallet_bridge::Call<Runtime>;
type GrandpaCall = pallet_bridge_grandpa::Call<Runtime>;

/// `call` with root origin, through the sudo key (development and test networks).
pub fn sudo(call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) })
}

/// Starts the light client at `header` of the other chain, with the authority set that
/// finalizes its descendants.
pub fn initialize(header: Header, set: AuthoritySet) -> RuntimeCall {
	let init_data = InitializationData {
		header: Box::new(header),
		authority_list: set.authorities,
		set_id: set.set_id,
		operating_mode: BasicOperatingMode::Normal,
	};
	GrandpaCall::initialize { init_data }.into()
}

/// Imports `header` of the other chain into the light client, finalized by `justification`
/// of authority set `set_id` (the one the light client knows).
pub fn submit_header(header: Header, justification: Justification, set_id: u64) -> RuntimeCall {
	GrandpaCall::submit_finality_proof_ex {
		finality_target: Box::new(header),
		justification,
		current_set_id: set_id,
		is_free_execution_expected: false,
	}
	.into()
}

/// Delivers messages `first..=last` of `lane`, proven against `bridged_header`.
pub fn deliver(
	bridged_header: H256,
	lane: LaneId<ChainId>,
	first: MessageNonce,
	last: MessageNonce,
	proof: Vec<Vec<u8>>,
) -> RuntimeCall {
	BridgeCall::deliver_messages { bridged_header, lane, first, last, proof }.into()
}

/// Proves the other chain's inbound lane (the receipt) against `bridged_header`.
pub fn confirm(bridged_header: H256, proof: Vec<Vec<u8>>) -> RuntimeCall {
	BridgeCall::confirm_delivery { bridged_header, proof }.into()
}

/// Governance: the chain the light client follows (root).
pub fn set_bridged_chain(chain: ChainId) -> RuntimeCall {
	BridgeCall::set_bridged_chain { chain }.into()
}

/// Governance: an outbound lane to another chain (root).
pub fn open_lane(destination: ChainId) -> RuntimeCall {
	BridgeCall::open_lane { destination }.into()
}

/// Governance: lists a local asset for bridging (root).
pub fn list_asset(asset: AssetKind, max_per_window: Balance, window: BlockNumber) -> RuntimeCall {
	let limit = pallet_bridge::RateLimit { max_per_window, window };
	BridgeCall::list_asset { asset, limit }.into()
}

/// Governance: creates `local` as the wrapped representation of the other chain's `remote`
/// (root).
pub fn register_wrapped(
	remote: AssetKind,
	local: AssetKind,
	min_balance: Balance,
	max_per_window: Balance,
	window: BlockNumber,
) -> RuntimeCall {
	let limit = pallet_bridge::RateLimit { max_per_window, window };
	BridgeCall::register_wrapped { remote, local, min_balance, limit }.into()
}

/// An application message for `destination` (signed by the sender).
pub fn send_message(destination: ChainId, remark: pallet_bridge::Remark) -> RuntimeCall {
	BridgeCall::send_message { destination, remark }.into()
}
