//! tpwallet-node's command line, chain specs, service (Aura + GRANDPA) and RPC. The binary,
//! `tpwallet-node`, is `main` around [`run`].
#![warn(missing_docs)]

mod aura_equivocation;
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

pub use command::run;
