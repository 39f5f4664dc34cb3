//! Unit tests on the mock: instructions (with NFT legs and venues), and clearing schemes (with
//! bilateral credit limits).

mod credit;
mod instructions;
mod nfts;
mod schemes;
mod venues;
