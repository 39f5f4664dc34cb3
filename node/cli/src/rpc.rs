//! The node's RPC methods beyond Substrate's defaults: account nonces, fee queries, the
//! tokenization reads (`tokenization_*`), the payment-channel reads (`paymentChannels_*`) and
//! the settlement pre-checks and clearing reads (`settlement_*`).

use std::sync::Arc;

use jsonrpsee::RpcModule;
use polkadot_sdk::*;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use tpwallet_runtime::{opaque::Block, AccountId, AssetId, Balance, BlockNumber, Nonce};

/// What a distribution, a buyback or a payment channel pays in: the native token or an asset.
type FundsAssetId = frame_support::traits::fungible::NativeOrWithId<AssetId>;

/// What the RPC handlers need from the node.
pub struct FullDeps<C, P> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// All of the node's extra RPC methods.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>,
	C: HeaderBackend<Block> + HeaderMetadata<Block, Error = BlockChainError> + 'static,
	C: Send + Sync + 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: pallet_tokenization_rpc::TokenizationRuntimeApi<
		Block,
		AccountId,
		AssetId,
		Balance,
		FundsAssetId,
	>,
	C::Api: pallet_payment_channels_rpc::PaymentChannelsRuntimeApi<
		Block,
		AccountId,
		FundsAssetId,
		Balance,
		BlockNumber,
	>,
	C::Api: pallet_settlement_rpc::SettlementRuntimeApi<Block, AccountId, Balance, BlockNumber>,
	P: TransactionPool + 'static,
{
	use pallet_payment_channels_rpc::{PaymentChannels, PaymentChannelsApiServer};
	use pallet_settlement_rpc::{Settlement, SettlementApiServer};
	use pallet_tokenization_rpc::{Tokenization, TokenizationApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Tokenization::<_, (Block, Balance)>::new(client.clone()).into_rpc())?;
	module.merge(PaymentChannels::<_, (Block, Balance)>::new(client.clone()).into_rpc())?;
	module.merge(Settlement::<_, (Block, Balance)>::new(client).into_rpc())?;

	Ok(module)
}
