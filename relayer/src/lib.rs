//! The relayer of the bridge between two tpwallet chains.
//!
//! Each chain runs a GRANDPA light client of the other (`pallet-bridge-grandpa`) and the bridge
//! pallet, which trusts nothing but that light client: the relayer only carries data, and the
//! chains check it. It is stateless: each round reads both chains again.
//!
//! - [`relay`]: the rounds: authority-set changes, headers, messages and receipts, both ways.
//! - [`plan`]: its decisions as pure functions (what to deliver, when a header is needed, the
//!   search for the block that enacts a new authority set).
//! - [`finality`]: GRANDPA justifications as the node stores and the light client takes them.
//! - [`calls`]: the runtime calls submitted.
//! - [`setup`]: sudo set-up of dev and test networks (light clients, bridged chains).
//! - [`attack`]: test tooling: crafted extrinsics that the chains must reject.

pub mod attack;
pub mod calls;
pub mod finality;
pub mod plan;
pub mod relay;
pub mod setup;
