//! Off-chain client of tpwallet's payment channels (`pallet-payment-channels`).
//!
//! - [`keys`]: sr25519 keys from a secret URI or a seed file, signing and verifying states.
//! - [`conditions`]: the hash-locked payments of a state and their Merkle tree.
//! - [`protocol`]: the channel state machine: proposing, validating and co-signing updates.
//! - [`wire`]: the peer-to-peer messages and their length-prefixed SCALE frames.
//! - [`store`]: durable, crash-safe storage of each channel's latest co-signed state.
//! - [`peer`]: a node running channel sessions over TCP, paying, forwarding and receiving.
//! - [`route`]: the multi-hop route finder (least fee, then fewest hops).
//! - [`chain`]: the chain over JSON-RPC (WebSocket): extrinsics, events, the runtime API.
//! - [`swap`]: cross-chain atomic swaps over the HTLC pallet, with ordered time locks.
//! - [`bridge`]: the bridge to another tpwallet chain: lanes, light client, transfers across.
//! - [`watchtower`]: guards channels against closes with stale states.
//! - [`logging`]: log lines to stderr for the command-line tools.
//! - [`bench`]: payments per second of two local nodes against raw signature throughput.
//!
//! Every type the chain sees (states, conditional payments, channel info, calls) is the
//! pallet's and the runtime's own, instantiated for `tpwallet_runtime::Runtime`.

pub mod bench;
pub mod bridge;
pub mod chain;
pub mod conditions;
pub mod keys;
pub mod logging;
pub mod peer;
pub mod protocol;
pub mod route;
pub mod store;
pub mod swap;
pub mod watchtower;
pub mod wire;

use tpwallet_runtime::Runtime;

pub use pallet_payment_channels::{ChannelId, Direction, Nonce, PayloadKind};
pub use tpwallet_runtime::{AccountId, Balance, BlockNumber, Signature};

/// A channel state as the pallet defines it for the runtime.
pub type State = pallet_payment_channels::ChannelStateOf<Runtime>;
/// A state with both parties' signatures.
pub type SignedState = pallet_payment_channels::SignedStateOf<Runtime>;
/// A hash-time-locked payment inside a state.
pub type Condition = pallet_payment_channels::ConditionalPaymentOf<Runtime>;
/// A channel as the runtime API reports it.
pub type ChannelInfo = pallet_payment_channels::ChannelInfoOf<Runtime>;
/// The channel's asset: the native token or a `pallet-assets` id.
pub type AssetKind = pallet_payment_channels::AssetKindOf<Runtime>;
/// A 32-byte hash (genesis hash, hash lock).
pub type Hash32 = [u8; 32];
