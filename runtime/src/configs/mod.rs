//! Configuration of every pallet in the runtime, grouped by concern.

mod accounts;
#[cfg(feature = "runtime-benchmarks")]
mod benchmark_assets;
mod bridge;
mod compliance;
mod consensus;
mod cross_chain;
mod payments;
mod system;
mod tokenization;
mod tokens;

pub use accounts::ProxyType;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmark_assets::BenchmarkAssets;
pub use bridge::TpwalletChain;
pub use compliance::transfer_check;
pub use system::{BlockHashCount, RuntimeBlockWeights};
pub use tokenization::ManagedTokenFilter;
pub use tokens::NativeAndAssets;
