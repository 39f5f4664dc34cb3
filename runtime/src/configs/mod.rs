//! Configuration of every pallet in the runtime, grouped by concern.

mod accounts;
mod consensus;
mod cross_chain;
mod system;
mod tokens;

pub use accounts::ProxyType;
pub use system::{BlockHashCount, RuntimeBlockWeights};
pub use tokens::NativeAndAssets;
