//! The built-in chain specifications (`dev`, `local`) and their chain properties.

use polkadot_sdk::*;
use sc_service::{ChainType, Properties};
use tpwallet_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};

/// A chain spec of the tpwallet runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Properties wallets read: token symbol and decimals, SS58 address format.
pub fn chain_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime Wasm is not available: this node was built with SKIP_WASM_BUILD".to_string()
	})
}

/// `--dev`: one validator (Alice), development accounts funded. DEV-ONLY keys.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("tpwallet Development")
		.with_id("tpwallet_dev")
		.with_protocol_id("tpw")
		.with_chain_type(ChainType::Development)
		.with_properties(chain_properties())
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// `--chain local`: three validators (Alice, Bob, Charlie). DEV-ONLY keys.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name("tpwallet Local Testnet")
		.with_id("tpwallet_local_testnet")
		.with_protocol_id("tpw")
		.with_chain_type(ChainType::Local)
		.with_properties(chain_properties())
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}
