//! Off-chain client of tpwallet's payment channels (`pallet-payment-channels`).
//!
//! - [`keys`]: sr25519 keys from a secret URI or a seed file, signing and verifying states.
//! - [`link`]: payment links (`tpwallet:` URIs signed by the payee): reading and writing.
//! - [`conditions`]: the hash-locked payments of a state and their Merkle tree.
//! - [`protocol`]: the channel state machine: proposing, validating and co-signing updates.
//! - [`wire`]: the peer-to-peer messages and their length-prefixed SCALE frames.
//! - [`transport`]: Noise-encrypted connections, each side authenticated as its chain account.
//! - [`limits`]: caps on inbound connections, in all and per remote network.
//! - [`store`]: durable, crash-safe storage of each channel's latest co-signed state.
//! - [`peer`]: a node running channel sessions over TCP, paying, forwarding and receiving.
//! - [`operations`]: open, top up, pay and close, as commands and as requests.
//! - [`control`]: the control socket through which a running `tpw listen` takes requests.
//! - [`route`]: the multi-hop route finder (least fee, then fewest hops; or fees plus a price on
//!   the risk of failing).
//! - [`mission`]: success probabilities learnt from payment outcomes (bimodal estimator).
//! - [`payment`]: paying over learnt routes, with retries; mission control kept in the store.
//! - [`route_sim`]: a simulated 1,000-node network comparing route choices.
//! - [`chain`]: the chain over JSON-RPC (WebSocket): extrinsics, events, the runtime API.
//! - [`runtime`]: the chain's runtime versions and metadata, read from the chain; signing,
//!   encoding calls and decoding events and errors with them.
//! - [`call`]: calls named by pallet and function; [`events`]: the events read, by field name.
//! - [`storage`]: the storage keys read.
//! - [`swap`]: cross-chain atomic swaps over the HTLC pallet, with ordered time locks.
//! - [`bridge`]: the bridge to another tpwallet chain: lanes, light client, transfers across.
//! - [`watchtower`]: guards channels against closes with stale states.
//! - [`tower`]: the remote watchtower service, holding sealed states it cannot read until a
//!   stale close reveals their key.
//! - [`gossip`]: channel announcements (signed by both parties, checked on chain) and terms
//!   (signed by their side), from which a node builds its own routing graph.
//! - [`logging`]: log lines to stderr for the command-line tools.
//! - [`bench`]: payments per second of two local nodes against raw signature throughput.
//!
//! The client does not link the runtime, so a runtime upgrade needs no rebuild: what the chain
//! may change (call and event indices, versions, transaction extensions) comes from its metadata
//! at run time; the values exchanged (states, conditional payments, channel info) are the
//! pallets' own types, instantiated with the chain's shared types (`tpwallet-primitives`).

pub mod bench;
pub mod bridge;
pub mod call;
pub mod chain;
pub mod conditions;
pub mod control;
pub mod events;
pub mod gossip;
pub mod keys;
pub mod limits;
pub mod link;
pub mod logging;
pub mod mission;
pub mod operations;
pub mod payment;
pub mod peer;
pub mod protocol;
pub mod route;
pub mod route_sim;
pub mod runtime;
pub mod storage;
pub mod store;
pub mod swap;
pub mod tower;
pub mod transport;
pub mod watchtower;
pub mod wire;

pub use tpwallet_payment_channels_primitives::{ChannelId, Direction, Nonce, PayloadKind};
pub use tpwallet_primitives::{
	AccountId, Address, AssetId, AssetKind, Balance, BlockNumber, Header, Signature,
};

/// A channel state as the pallet defines it.
pub type State = tpwallet_payment_channels_primitives::ChannelState<Balance>;
/// A state with both parties' signatures.
pub type SignedState = tpwallet_payment_channels_primitives::SignedState<Balance, Signature>;
/// A hash-time-locked payment inside a state.
pub type Condition = tpwallet_payment_channels_primitives::ConditionalPayment<Balance, BlockNumber>;
/// A channel as the runtime API reports it.
pub type ChannelInfo =
	tpwallet_payment_channels_primitives::ChannelInfo<AccountId, AssetKind, Balance, BlockNumber>;
/// A 32-byte hash (genesis hash, hash lock).
pub type Hash32 = [u8; 32];
