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

fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id("tpw")
		.with_chain_type(chain_type)
		.with_properties(chain_properties())
		.with_genesis_config_preset_name(preset)
		.build())
}

/// `--dev`: one validator (Alice), development accounts funded. DEV-ONLY keys.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"tpwallet Development",
		"tpwallet_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: three validators (Alice, Bob, Charlie). DEV-ONLY keys.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"tpwallet Local Testnet",
		"tpwallet_local_testnet",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
