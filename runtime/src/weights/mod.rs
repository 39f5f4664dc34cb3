//! Weights generated on this chain's hardware by `scripts/benchmark.sh`: the base weights of a
//! block and of an extrinsic (`overhead`), the read and write weights of the node's database
//! (`storage`, ParityDb), the transaction extensions every transaction runs
//! (`frame_system_extensions`, `pallet_transaction_payment`), and the pallets' calls (our pallets,
//! and the FRAME pallets on the payment path: balances, assets, utility).

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod pallet_assets;
pub mod pallet_balances;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
// The storage benchmark's template documents struct fields inside a macro.
pub mod pallet_aura_equivocation;
pub mod pallet_bridge;
pub mod pallet_bridge_grandpa;
pub mod pallet_compliance;
pub mod pallet_htlc;
pub mod pallet_payment_channels;
pub mod pallet_settlement;
pub mod pallet_tokenization;
pub mod pallet_validator_set;
#[allow(unused_doc_comments)]
pub mod paritydb_weights;
