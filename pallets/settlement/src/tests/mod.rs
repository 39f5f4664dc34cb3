//! Unit tests on the mock: instructions (with NFT legs and venues), and clearing schemes (with
//! bilateral credit limits).

mod credit;
mod dissolution;
mod instructions;
mod nfts;
mod schemes;
mod venues;
